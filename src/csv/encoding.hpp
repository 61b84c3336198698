// src/csv/encoding.hpp — incremental decoders (UTF-8 validated, CP932 by ICU) and the
// CP932 encoder behind crm/csv.hpp. Private.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crm::csv::detail {

// ICU's name for Windows-31J (the Windows code page 932, Excel's Shift_JIS). ICU 72
// resolves "windows-31j", "MS932" and "cp932" to it; it maps the NEC row 13 (①, ㈱) and
// the NEC-selected and IBM extensions (髙 at both ED/EE and FA-FC) as Windows does, and
// 0x5C to U+005C, 0x8160 to U+FF5E (not U+301C as JIS X 0208 would).
inline constexpr const char* kCp932Converter = "ibm-943_P15A-2003";

struct DecodeError {
    std::uint64_t offset = 0;  // of the first bad byte, in the input
    std::string message;       // "bytes 0x82 0x20 are not valid CP932"
};

class Decoder {
public:
    virtual ~Decoder() = default;
    // Decodes `data` (input bytes starting at `offset`); eof: no more bytes follow (data
    // may be empty). Appends whole characters as UTF-8 to `out`, and when `offsets` is
    // given the input offset of each byte appended. False on bad input: `out` then holds
    // everything before it and `err` says where.
    virtual bool feed(std::string_view data, std::uint64_t offset, bool eof, std::string& out,
                      std::vector<std::uint64_t>* offsets, DecodeError& err) = 0;
    virtual bool needs_offsets() const noexcept = 0;  // output bytes are not input bytes
};

std::unique_ptr<Decoder> make_utf8_decoder();
std::unique_ptr<Decoder> make_cp932_decoder();  // nullptr when ICU lacks the converter

// Length of the valid UTF-8 prefix of `s`; when `allow_truncated`, a sequence cut by the end
// of `s` counts as valid. Refuses NUL, overlongs, surrogates, > U+10FFFF.
std::size_t valid_utf8_prefix(std::string_view s, bool allow_truncated) noexcept;
// The same for CP932 (via ICU).
std::size_t valid_cp932_prefix(std::string_view s, bool allow_truncated);

// Text as CP932. False when a character has no CP932 form (with replace: '?' instead, and
// true); `bad` then names the first such character ("U+1F600 😀").
class Cp932Encoder {
public:
    explicit Cp932Encoder(bool replace);
    ~Cp932Encoder();
    Cp932Encoder(const Cp932Encoder&) = delete;
    Cp932Encoder& operator=(const Cp932Encoder&) = delete;
    bool ok() const noexcept { return cnv_ != nullptr; }
    bool encode(std::string_view utf8, std::string& out, std::string& bad);

private:
    void* cnv_ = nullptr;  // UConverter*
    bool replace_;
    std::u16string u16_;
};

}  // namespace crm::csv::detail
