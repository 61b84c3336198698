// src/csv/encoding.cpp — see encoding.hpp.
#include "csv/encoding.hpp"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <fmt/format.h>

namespace crm::csv::detail {

namespace {

std::string hex_bytes(std::string_view b) {
    std::string s;
    for (unsigned char c : b) s += fmt::format("{}0x{:02X}", s.empty() ? "" : " ", c);
    return s;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// The byte-by-byte UTF-8 automaton: `need` continuation bytes still to come, the next in [lo, hi].
struct Utf8State {
    int need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    // 1: byte accepted; 0: refused. `b` is a lead byte when need == 0.
    int step(unsigned char b) noexcept {
        if (need == 0) {
            if (b < 0x80) return b != 0;
            lo = 0x80;
            hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) need = 1;
            else if (b == 0xE0) need = 2, lo = 0xA0;
            else if (b == 0xED) need = 2, hi = 0x9F;
            else if (b >= 0xE1 && b <= 0xEF) need = 2;
            else if (b == 0xF0) need = 3, lo = 0x90;
            else if (b >= 0xF1 && b <= 0xF3) need = 3;
            else if (b == 0xF4) need = 3, hi = 0x8F;
            else return 0;
            return 1;
        }
        if (b < lo || b > hi) return 0;
        lo = 0x80;
        hi = 0xBF;
        --need;
        return 1;
    }
};

class Utf8Decoder final : public Decoder {
public:
    bool feed(std::string_view data, std::uint64_t offset, bool eof, std::string& out, std::vector<std::uint64_t>*,
              DecodeError& err) override {
        std::size_t i = 0;
        const std::size_t n = data.size();
        while (i < n) {
            if (st_.need == 0) {  // ASCII runs in bulk
                std::size_t j = i;
                while (j < n && static_cast<unsigned char>(data[j]) < 0x80 && data[j] != 0) ++j;
                if (j > i) {
                    out.append(data.data() + i, j - i);
                    i = j;
                    continue;
                }
            }
            const auto b = static_cast<unsigned char>(data[i]);
            if (!st_.step(b)) {
                if (b == 0 && pending_.empty()) {
                    err = {offset + i, "a NUL byte (0x00) is not text"};
                } else {
                    std::string bad = pending_ + static_cast<char>(b);
                    err = {offset + i - pending_.size(),
                           fmt::format("byte{} {} {} not valid UTF-8", bad.size() > 1 ? "s" : "", hex_bytes(bad),
                                       bad.size() > 1 ? "are" : "is")};
                }
                return false;
            }
            pending_ += static_cast<char>(b);
            if (st_.need == 0) {
                out += pending_;
                pending_.clear();
            }
            ++i;
        }
        if (eof && !pending_.empty()) {
            err = {offset + n - pending_.size(),
                   fmt::format("the input ends inside a UTF-8 character ({})", hex_bytes(pending_))};
            return false;
        }
        return true;
    }
    bool needs_offsets() const noexcept override { return false; }

private:
    Utf8State st_;
    std::string pending_;  // the bytes of a character cut by the end of the last chunk
};

class Cp932Decoder final : public Decoder {
public:
    explicit Cp932Decoder(UConverter* c) : cnv_(c) {}
    ~Cp932Decoder() override { ucnv_close(cnv_); }
    bool feed(std::string_view data, std::uint64_t offset, bool eof, std::string& out,
              std::vector<std::uint64_t>* offsets, DecodeError& err) override {
        const char* src = data.data();
        const char* const limit = data.data() + data.size();
        while (true) {
            const auto pending_before = static_cast<std::uint64_t>(ucnv_toUCountPending(cnv_, &ec_));
            ec_ = U_ZERO_ERROR;
            UChar* tgt = u16_;
            const char* const call_start = src;
            const std::uint64_t call_offset = offset + static_cast<std::uint64_t>(src - data.data());
            ucnv_toUnicode(cnv_, &tgt, u16_ + kBuf, &src, limit, off_, eof, &ec_);
            const auto produced = static_cast<std::size_t>(tgt - u16_);
            for (std::size_t k = 0; k < produced; ++k) {
                char32_t c = u16_[k];
                std::uint64_t at = off_[k] >= 0 ? call_offset + static_cast<std::uint64_t>(off_[k])
                                                : call_offset - pending_before;
                if (U16_IS_LEAD(c) && k + 1 < produced && U16_IS_TRAIL(u16_[k + 1])) {
                    c = U16_GET_SUPPLEMENTARY(c, u16_[k + 1]);
                    ++k;
                }
                if (c == 0) {
                    err = {at, "a NUL byte (0x00) is not text"};
                    return false;
                }
                const std::size_t before = out.size();
                append_utf8(out, c);
                if (offsets) offsets->insert(offsets->end(), out.size() - before, at);
            }
            if (ec_ == U_BUFFER_OVERFLOW_ERROR) continue;
            if (U_FAILURE(ec_)) {
                char bad[32];
                int8_t len = sizeof bad;
                UErrorCode e2 = U_ZERO_ERROR;
                ucnv_getInvalidChars(cnv_, bad, &len, &e2);
                if (U_FAILURE(e2)) len = 0;
                const auto consumed = static_cast<std::int64_t>(src - call_start);
                const auto at = static_cast<std::int64_t>(call_offset) + consumed - len;
                const std::string_view b(bad, static_cast<std::size_t>(len));
                err.offset = at < 0 ? 0 : static_cast<std::uint64_t>(at);
                if (ec_ == U_TRUNCATED_CHAR_FOUND)
                    err.message = fmt::format("the input ends inside a CP932 character ({})", hex_bytes(b));
                else
                    err.message = fmt::format("byte{} {} {} not valid CP932", b.size() > 1 ? "s" : "", hex_bytes(b),
                                              b.size() > 1 ? "are" : "is");
                return false;
            }
            if (src == limit) return true;
        }
    }
    bool needs_offsets() const noexcept override { return true; }

private:
    static constexpr int kBuf = 4096;
    UConverter* cnv_;
    UErrorCode ec_ = U_ZERO_ERROR;
    UChar u16_[kBuf];
    int32_t off_[kBuf];
};

UConverter* open_cp932(bool stop_on_bad_bytes) {
    UErrorCode ec = U_ZERO_ERROR;
    UConverter* c = ucnv_open(kCp932Converter, &ec);
    if (U_FAILURE(ec)) return nullptr;
    if (stop_on_bad_bytes) {
        ucnv_setToUCallBack(c, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &ec);
        ucnv_setFromUCallBack(c, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &ec);
    }
    if (U_FAILURE(ec)) {
        ucnv_close(c);
        return nullptr;
    }
    return c;
}

}  // namespace

std::unique_ptr<Decoder> make_utf8_decoder() { return std::make_unique<Utf8Decoder>(); }

std::unique_ptr<Decoder> make_cp932_decoder() {
    UConverter* c = open_cp932(true);
    if (!c) return nullptr;
    return std::make_unique<Cp932Decoder>(c);
}

std::size_t valid_utf8_prefix(std::string_view s, bool allow_truncated) noexcept {
    Utf8State st;
    std::size_t char_start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (st.need == 0) char_start = i;
        if (!st.step(static_cast<unsigned char>(s[i]))) return char_start;
    }
    if (st.need != 0 && !allow_truncated) return char_start;
    return s.size();
}

std::size_t valid_cp932_prefix(std::string_view s, bool allow_truncated) {
    auto d = make_cp932_decoder();
    if (!d) return 0;
    std::string out;
    DecodeError err;
    if (d->feed(s, 0, !allow_truncated, out, nullptr, err)) return s.size();
    return static_cast<std::size_t>(err.offset);
}

Cp932Encoder::Cp932Encoder(bool replace) : replace_(replace) {
    UConverter* c = open_cp932(true);
    if (c && replace) {
        UErrorCode ec = U_ZERO_ERROR;
        ucnv_setFromUCallBack(c, UCNV_FROM_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr, &ec);
        ucnv_setSubstChars(c, "?", 1, &ec);
        ucnv_setFallback(c, true);  // the nearest character first: 〜 U+301C → ～, − U+2212 → －
    }
    cnv_ = c;
}

Cp932Encoder::~Cp932Encoder() { ucnv_close(static_cast<UConverter*>(cnv_)); }

bool Cp932Encoder::encode(std::string_view utf8, std::string& out, std::string& bad) {
    auto* c = static_cast<UConverter*>(cnv_);
    UErrorCode ec = U_ZERO_ERROR;
    int32_t n16 = 0;
    u16_.resize(utf8.size() + 1);
    u_strFromUTF8(reinterpret_cast<UChar*>(u16_.data()), static_cast<int32_t>(u16_.size()), &n16, utf8.data(),
                  static_cast<int32_t>(utf8.size()), &ec);
    if (U_FAILURE(ec)) {
        bad = "text that is not UTF-8";
        return false;
    }
    u16_.resize(static_cast<std::size_t>(n16));
    // ICU drops default-ignorable code points it cannot map (U+FEFF, U+200B …) without
    // calling the callback: that would lose them silently, so they are found here.
    for (std::size_t i = 0; i < u16_.size();) {
        char32_t cp = u16_[i];
        std::size_t n = 1;
        if (U16_IS_LEAD(cp) && i + 1 < u16_.size() && U16_IS_TRAIL(u16_[i + 1])) {
            cp = U16_GET_SUPPLEMENTARY(cp, u16_[i + 1]);
            n = 2;
        }
        if (u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
            char tmp[8];
            UErrorCode e3 = U_ZERO_ERROR;
            ucnv_resetFromUnicode(c);
            const auto len = ucnv_fromUChars(c, tmp, sizeof tmp, reinterpret_cast<const UChar*>(u16_.data() + i),
                                             static_cast<int32_t>(n), &e3);
            if (U_FAILURE(e3) || len <= 0 || (replace_ && len == 1 && tmp[0] == '?')) {
                if (!replace_) {
                    std::string ch;
                    append_utf8(ch, cp);
                    bad = fmt::format("U+{:04X} {}", static_cast<std::uint32_t>(cp), ch);
                    return false;
                }
                u16_[i] = u'?';
                if (n == 2) u16_.erase(i + 1, 1);
                n = 1;
            }
        }
        i += n;
    }
    ucnv_resetFromUnicode(c);
    const UChar* src = reinterpret_cast<const UChar*>(u16_.data());
    const UChar* const limit = src + u16_.size();
    char buf[4096];
    while (true) {
        char* tgt = buf;
        ec = U_ZERO_ERROR;
        ucnv_fromUnicode(c, &tgt, buf + sizeof buf, &src, limit, nullptr, true, &ec);
        out.append(buf, static_cast<std::size_t>(tgt - buf));
        if (ec == U_BUFFER_OVERFLOW_ERROR) continue;
        if (U_FAILURE(ec)) {
            UChar u[8];
            int8_t len = 8;
            UErrorCode e2 = U_ZERO_ERROR;
            ucnv_getInvalidUChars(c, u, &len, &e2);
            char32_t cp = len > 0 ? u[0] : 0xFFFD;
            if (len > 1 && U16_IS_LEAD(u[0]) && U16_IS_TRAIL(u[1])) cp = U16_GET_SUPPLEMENTARY(u[0], u[1]);
            std::string ch;
            append_utf8(ch, cp);
            bad = fmt::format("U+{:04X} {}", static_cast<std::uint32_t>(cp), ch);
            return false;
        }
        return true;
    }
}

}  // namespace crm::csv::detail
