// src/csv/reader.cpp — the streaming CSV reader (crm/csv.hpp, docs/csv.md).
//
// Bytes are read in chunks (ReadOptions::chunk_bytes), decoded to UTF-8 by a Decoder
// (encoding.hpp) into `buf`, and split by a byte-at-a-time state machine that keeps the
// physical line and the column (in characters) of the next byte. A decoding error is
// held back until the parser reaches the text before it, so it is reported at the
// line and column where the bad bytes stand.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <istream>
#include <sstream>

#include "crm/csv.hpp"
#include "csv/encoding.hpp"

namespace crm::csv {

namespace {
constexpr std::size_t kDetectBytes = 64u << 10;
constexpr int kEof = -1;
constexpr int kFail = -2;
}  // namespace

const char* encoding_name(Encoding e) noexcept {
    switch (e) {
        case Encoding::detect: return "auto";
        case Encoding::utf8: return "utf-8";
        case Encoding::cp932: return "cp932";
    }
    return "?";
}

result<Encoding> parse_encoding(std::string_view name) noexcept {
    std::string n;
    for (char c : name) n += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (n == "auto" || n == "detect") return Encoding::detect;
    if (n == "utf-8" || n == "utf8") return Encoding::utf8;
    if (n == "cp932" || n == "shift_jis" || n == "shift-jis" || n == "sjis" || n == "windows-31j" || n == "ms932")
        return Encoding::cp932;
    return invalid("encoding", "must be auto, utf-8 or cp932 (Shift_JIS as Windows writes it)");
}

struct Reader::Impl {
    ReadOptions o;
    std::unique_ptr<std::istream> owned;
    std::istream* in = nullptr;

    // raw input
    std::string raw;
    std::size_t raw_pos = 0;
    std::uint64_t raw_base = 0;  // input offset of raw[0]
    bool raw_eof = false;

    // decoded text
    std::unique_ptr<detail::Decoder> dec;
    std::string buf;
    std::size_t pos = 0;
    std::vector<std::uint64_t> offs;  // input offset of each byte of buf (CP932 only)
    std::uint64_t buf_base = 0;       // decoded offset of buf[0]
    bool dec_eof = false;
    bool dec_failed = false;
    detail::DecodeError dec_err;

    bool started = false;
    Encoding enc = Encoding::detect;
    char delim = 0;
    bool bom = false;
    std::vector<std::string> hdr;
    std::size_t expected = 0;
    bool expected_set = false;

    // position of the next byte
    std::uint64_t line = 1;
    std::uint64_t col = 0;
    bool after_cr = false;

    std::uint64_t records = 0;
    std::uint64_t ragged = 0;
    bool failed = false;
    Error err;
    crm::error cerr;

    // ---- errors ----
    std::uint64_t src_offset() const {
        if (dec && dec->needs_offsets()) return pos < offs.size() ? offs[pos] : raw_base + raw_pos;
        return (bom ? 3 : 0) + buf_base + pos;
    }
    crm::error fail(std::uint64_t l, std::uint64_t c, std::size_t field, std::uint64_t offset, const std::string& why,
                    errc code = errc::invalid_argument) {
        failed = true;
        err.line = l;
        err.column = c;
        err.field = field;
        err.byte_offset = offset;
        if (l == 0) err.message = why;
        else if (c == 0) err.message = fmt::format("line {}: {}", l, why);
        else err.message = fmt::format("line {}, column {}: {}", l, c, why);
        cerr = crm::error(code, err.message);
        return cerr;
    }
    crm::error fail_here(std::size_t field, const std::string& why) { return fail(line, col + 1, field, src_offset(), why); }
    crm::error fail_decode(std::size_t field) { return fail(line, col + 1, field, dec_err.offset, dec_err.message); }

    // ---- raw bytes ----
    // Reads one more chunk. False at the end of the input or when reading failed (failed set).
    bool read_raw() {
        if (raw_eof) return false;
        if (raw_pos > 0 && raw_pos == raw.size()) {
            raw_base += raw_pos;
            raw.clear();
            raw_pos = 0;
        }
        const std::size_t n = std::max<std::size_t>(1, o.chunk_bytes);
        const std::size_t old = raw.size();
        raw.resize(old + n);
        in->read(raw.data() + old, static_cast<std::streamsize>(n));
        const auto got = static_cast<std::size_t>(in->gcount());
        raw.resize(old + got);
        if (in->bad()) {
            fail(0, 0, 0, raw_base + old, "cannot read the input", errc::io_error);
            raw_eof = true;
            return false;
        }
        if (got == 0 || in->eof()) raw_eof = true;
        return got > 0;
    }

    // ---- decoded text ----
    // Appends more decoded text to buf. False when none can come: the end, or a decoding
    // error (dec_failed) or a read error (failed).
    bool fill() {
        if (dec_failed || dec_eof || failed) return false;
        if (pos > 0) {
            buf_base += pos;
            buf.erase(0, pos);
            if (!offs.empty()) offs.erase(offs.begin(), offs.begin() + static_cast<std::ptrdiff_t>(std::min(pos, offs.size())));
            pos = 0;
        }
        const std::size_t before = buf.size();
        std::vector<std::uint64_t>* offsets = dec->needs_offsets() ? &offs : nullptr;
        while (buf.size() == before) {
            if (raw_pos == raw.size() && !read_raw()) {
                if (failed) return false;
                if (!dec->feed({}, raw_base + raw_pos, true, buf, offsets, dec_err)) dec_failed = true;
                dec_eof = true;
                return buf.size() > before;
            }
            const std::string_view chunk(raw.data() + raw_pos, raw.size() - raw_pos);
            const std::uint64_t at = raw_base + raw_pos;
            raw_pos = raw.size();
            if (!dec->feed(chunk, at, false, buf, offsets, dec_err)) {
                dec_failed = true;
                return buf.size() > before;
            }
        }
        return true;
    }
    int peek() {
        if (pos < buf.size()) return static_cast<unsigned char>(buf[pos]);
        if (fill()) return static_cast<unsigned char>(buf[pos]);
        return (dec_failed || failed) ? kFail : kEof;
    }
    // Consumes the byte at pos (known to exist), keeping line and column.
    void advance() {
        const auto b = static_cast<unsigned char>(buf[pos++]);
        if (b == '\n') {
            if (!after_cr) ++line;
            col = 0;
            after_cr = false;
        } else if (b == '\r') {
            ++line;
            col = 0;
            after_cr = true;
        } else {
            after_cr = false;
            if ((b & 0xC0) != 0x80) ++col;
        }
    }

    // ---- start: BOM, encoding, delimiter ----
    result<void> start() {
        started = true;
        while (raw.size() < kDetectBytes && read_raw()) {
        }
        if (failed) return cerr;
        const std::string_view head(raw);
        if (head.substr(0, 3) == "\xEF\xBB\xBF") {
            bom = true;
            raw_pos = 3;
            if (o.encoding == Encoding::cp932)
                return fail(1, 1, 0, 0, "the input begins with a UTF-8 byte order mark but cp932 was asked for");
        } else if (head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 2) == "\xFE\xFF") {
            return fail(1, 1, 0, 0,
                        "the input is UTF-16 (Excel's \"Unicode text\"), which is not read: save it as CSV UTF-8");
        }
        enc = o.encoding;
        if (enc == Encoding::detect) {
            const std::string_view body = head.substr(raw_pos);
            const std::size_t u = detail::valid_utf8_prefix(body, !raw_eof);
            if (bom || u == body.size()) {
                enc = Encoding::utf8;
            } else if (detail::valid_cp932_prefix(body, !raw_eof) == body.size()) {
                enc = Encoding::cp932;
            } else {
                // Where the first bad byte stands, read as UTF-8.
                std::uint64_t l = 1, c = 0;
                bool cr = false;
                for (std::size_t i = 0; i < u; ++i) {
                    const auto b = static_cast<unsigned char>(body[i]);
                    if (b == '\n') { if (!cr) ++l; c = 0; cr = false; }
                    else if (b == '\r') { ++l; c = 0; cr = true; }
                    else { cr = false; if ((b & 0xC0) != 0x80) ++c; }
                }
                return fail(l, c + 1, 0, raw_pos + u,
                            fmt::format("the input is neither UTF-8 (byte 0x{:02X} is not) nor CP932; give the encoding",
                                        static_cast<unsigned char>(body[u])));
            }
        }
        dec = enc == Encoding::cp932 ? detail::make_cp932_decoder() : detail::make_utf8_decoder();
        if (!dec) return fail(0, 0, 0, 0, "ICU has no CP932 converter", errc::internal);
        delim = o.delimiter;
        if (delim == 0) {
            while (buf.size() - pos < kDetectBytes && fill()) {
            }
            if (failed) return cerr;
            delim = detect_delimiter();
        } else if (delim == '"' || delim == '\r' || delim == '\n' || static_cast<unsigned char>(delim) >= 0x80) {
            return fail(0, 0, 0, 0, "delimiter: must be an ASCII character other than a quote, CR or LF");
        }
        if (o.header) {
            Record r;
            auto got = parse(r);
            if (!got) return got.error();
            hdr = std::move(r.fields);
            if (got.value()) {
                expected = hdr.size();
                expected_set = true;
            }
        }
        return boost::outcome_v2::success();
    }

    // The candidate (',', tab, ';', '|') seen most often outside quotes on the first line;
    // ',' when none is.
    char detect_delimiter() const {
        static constexpr char cands[] = {',', '\t', ';', '|'};
        std::size_t count[4] = {0, 0, 0, 0};
        bool quoted = false;
        for (std::size_t i = pos; i < buf.size(); ++i) {
            const char c = buf[i];
            if (c == '"') quoted = !quoted;
            else if (!quoted && (c == '\n' || c == '\r')) break;
            else if (!quoted)
                for (int k = 0; k < 4; ++k)
                    if (c == cands[k]) ++count[k];
        }
        int best = 0;
        for (int k = 1; k < 4; ++k)
            if (count[k] > count[best]) best = k;
        return cands[best];
    }

    // ---- records ----
    result<bool> parse(Record& out) {
        std::size_t nf = 0;
        std::size_t record_bytes = 0;
        // blank lines (and the LF of a CRLF whose CR ended the last record)
        while (true) {
            const int c = peek();
            if (c == kFail) return failed ? cerr : fail_decode(0);
            if (c == kEof) {
                out.fields.clear();
                return false;
            }
            if (c == '\n' && after_cr) {
                advance();
                continue;
            }
            if ((c == '\n' || c == '\r') && o.skip_blank_lines) {
                advance();
                continue;
            }
            break;
        }
        out.line = line;
        out.padded = 0;
        while (true) {  // one field
            const std::uint64_t f_line = line, f_col = col + 1, f_off = src_offset();
            if (++nf > o.max_columns)
                return fail(f_line, f_col, nf, f_off,
                            fmt::format("more than {} fields in one record (max_columns)", o.max_columns));
            if (out.fields.size() < nf) out.fields.emplace_back();
            std::string& cell = out.fields[nf - 1];
            cell.clear();
            auto too_long = [&](std::size_t more) -> bool {
                return cell.size() + more > o.max_cell_bytes || record_bytes + more > o.max_record_bytes;
            };
            auto size_error = [&]() {
                return cell.size() >= o.max_cell_bytes
                           ? fail(f_line, f_col, nf, f_off,
                                  fmt::format("a cell longer than {} bytes (max_cell_bytes)", o.max_cell_bytes))
                           : fail(out.line, 0, nf, f_off,
                                  fmt::format("a record longer than {} bytes (max_record_bytes)", o.max_record_bytes));
            };
            auto append = [&](std::size_t from, std::size_t to) -> bool {
                const std::size_t n = to - from;
                if (too_long(n)) {
                    // keep what fits, so the error says which limit
                    const std::size_t room = std::min(o.max_cell_bytes - std::min(o.max_cell_bytes, cell.size()),
                                                      o.max_record_bytes - std::min(o.max_record_bytes, record_bytes));
                    cell.append(buf, from, std::min(room, n));
                    record_bytes += std::min(room, n);
                    return false;
                }
                cell.append(buf, from, n);
                record_bytes += n;
                return true;
            };
            int c = peek();
            if (c == kFail) return failed ? cerr : fail_decode(nf);
            bool end_record = false;
            if (c == '"') {
                advance();
                while (true) {  // inside quotes
                    if (pos == buf.size() && !fill()) {
                        if (failed) return cerr;
                        if (dec_failed) return fail_decode(nf);
                        return fail(f_line, f_col, nf, f_off,
                                    fmt::format("a quoted field is not closed (its quote opened at line {}, column {})",
                                                f_line, f_col));
                    }
                    const std::size_t from = pos;
                    while (pos < buf.size() && buf[pos] != '"') advance();
                    if (!append(from, pos)) return size_error();
                    if (pos == buf.size()) continue;
                    advance();  // the quote
                    c = peek();
                    if (c == '"') {
                        advance();
                        if (!append(pos - 1, pos)) return size_error();
                        continue;
                    }
                    break;  // closed
                }
                // after the closing quote
                if (c == kFail) return failed ? cerr : fail_decode(nf);
                if (c == kEof || c == '\n' || c == '\r') {
                    end_record = true;
                } else if (c == static_cast<unsigned char>(delim)) {
                    advance();
                    continue;
                } else if (!o.lenient_quotes) {
                    return fail_here(nf, "text after the closing quote of a quoted field (a quote inside a quoted "
                                         "field is written twice: \"\")");
                }
            }
            if (!end_record) {
                // unquoted (or, lenient, the rest after a closing quote)
                bool next_field = false;
                while (true) {
                    if (pos == buf.size() && !fill()) {
                        if (failed) return cerr;
                        if (dec_failed) return fail_decode(nf);
                        end_record = true;
                        break;
                    }
                    const std::size_t from = pos;
                    while (pos < buf.size()) {
                        const char b = buf[pos];
                        if (b == delim || b == '"' || b == '\n' || b == '\r') break;
                        if ((static_cast<unsigned char>(b) & 0xC0) != 0x80) ++col;
                        ++pos;
                    }
                    if (pos > from) after_cr = false;
                    if (!append(from, pos)) return size_error();
                    if (pos == buf.size()) continue;
                    const char b = buf[pos];
                    if (b == '"') {
                        if (!o.lenient_quotes)
                            return fail_here(nf, "a quote inside an unquoted field (quote the field and write the "
                                                 "quote twice, or read leniently)");
                        advance();
                        if (!append(pos - 1, pos)) return size_error();
                        continue;
                    }
                    if (b == delim) {
                        advance();
                        next_field = true;
                    } else {
                        end_record = true;
                    }
                    break;
                }
                if (next_field) continue;
            }
            // end of the record: consume its line end
            if (pos < buf.size() && (buf[pos] == '\n' || buf[pos] == '\r')) advance();
            break;
        }
        out.fields.resize(nf);
        return true;
    }

    result<bool> next(Record& out) {
        if (failed) return cerr;
        if (!started) {
            auto s = start();
            if (!s) return s.error();
        }
        auto got = parse(out);
        if (!got || !got.value()) return got;
        const std::size_t n = out.fields.size();
        if (!expected_set) {
            expected = n;
            expected_set = true;
        } else if (n != expected) {
            if (o.ragged == Ragged::error || (o.ragged == Ragged::pad && n > expected))
                return fail(out.line, 0, std::min(n, expected + 1), src_offset(),
                            fmt::format("{} field{} where the {} has {}", n, n == 1 ? "" : "s",
                                        o.header ? "header" : "first record", expected));
            ++ragged;
            if (o.ragged == Ragged::pad) {
                out.padded = expected - n;
                out.fields.resize(expected);
            }
        }
        ++records;
        return true;
    }
};

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Reader::Reader(std::istream& in, ReadOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->o = options;
    impl_->in = &in;
}

result<Reader> Reader::open(const std::string& path, ReadOptions options) {
    auto impl = std::make_unique<Impl>();
    impl->o = options;
    auto f = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*f) {
        std::error_code ec;
        const bool missing = !std::filesystem::exists(path, ec) && !ec;
        return make_error(missing ? errc::not_found : errc::io_error,
                          fmt::format("{}: cannot open ({})", path, missing ? "no such file" : "not readable"), "path");
    }
    impl->in = f.get();
    impl->owned = std::move(f);
    return Reader(std::move(impl));
}

Reader Reader::from_string(std::string bytes, ReadOptions options) {
    auto impl = std::make_unique<Impl>();
    impl->o = options;
    impl->owned = std::make_unique<std::istringstream>(std::move(bytes));
    impl->in = impl->owned.get();
    return Reader(std::move(impl));
}

Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

result<bool> Reader::next(Record& out) {
    try {
        return impl_->next(out);
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, "out of memory reading CSV");
    }
}

result<std::vector<std::string>> Reader::header() {
    if (impl_->failed) return impl_->cerr;
    if (!impl_->started) {
        try {
            auto s = impl_->start();
            if (!s) return s.error();
        } catch (const std::bad_alloc&) {
            return make_error(errc::out_of_memory, "out of memory reading CSV");
        }
    }
    return impl_->hdr;
}

Encoding Reader::encoding() const noexcept { return impl_->enc; }
char Reader::delimiter() const noexcept { return impl_->delim; }
bool Reader::had_bom() const noexcept { return impl_->bom; }
std::uint64_t Reader::records_read() const noexcept { return impl_->records; }
std::uint64_t Reader::ragged_records() const noexcept { return impl_->ragged; }
const Error& Reader::error() const noexcept { return impl_->err; }

}  // namespace crm::csv
