// src/csv/writer.cpp — the CSV writer (crm/csv.hpp, docs/csv.md).
#include <fmt/format.h>

#include <ostream>

#include "crm/csv.hpp"
#include "csv/encoding.hpp"

namespace crm::csv {

namespace {
bool needs_neutralizing(std::string_view cell) {
    if (cell.empty()) return false;
    const char c = cell.front();
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}
}  // namespace

namespace {
std::string format(std::string_view cell, const WriteOptions& options, bool force_quote) {
    const bool neutral = options.neutralize_formulas && needs_neutralizing(cell);
    bool quote = options.quote_all || force_quote;
    if (!quote)
        for (char c : cell)
            if (c == options.delimiter || c == '"' || c == '\r' || c == '\n') {
                quote = true;
                break;
            }
    std::string out;
    out.reserve(cell.size() + 3);
    if (quote) out += '"';
    if (neutral) out += '\'';
    for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
    }
    if (quote) out += '"';
    return out;
}
}  // namespace

std::string format_field(std::string_view cell, const WriteOptions& options) { return format(cell, options, false); }

struct Writer::Impl {
    std::ostream* out;
    WriteOptions o;
    std::unique_ptr<detail::Cp932Encoder> cp932;
    std::uint64_t rows = 0;
    std::string line, piece, bad;

    template <class Cells>
    result<void> write(const Cells& cells) {
        const std::uint64_t row = rows + 1;
        if (o.encoding == Encoding::detect) return invalid("encoding", "the writer needs utf-8 or cp932");
        if (o.delimiter == '"' || o.delimiter == '\r' || o.delimiter == '\n' ||
            static_cast<unsigned char>(o.delimiter) >= 0x80)
            return invalid("delimiter", "must be an ASCII character other than a quote, CR or LF");
        if (o.encoding == Encoding::cp932 && !cp932) {
            cp932 = std::make_unique<detail::Cp932Encoder>(o.unmappable == Unmappable::replace);
            if (!cp932->ok()) return make_error(errc::internal, "ICU has no CP932 converter");
        }
        line.clear();
        if (rows == 0 && o.bom && o.encoding == Encoding::utf8) line += "\xEF\xBB\xBF";
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const std::string_view cell(cells[i]);
            if (detail::valid_utf8_prefix(cell, false) != cell.size())
                return make_error(errc::invalid_argument,
                                  fmt::format("row {}, column {}: the cell is not UTF-8 text", row, i + 1), "cells");
            if (i) line += o.delimiter;
            if (cells.size() == 1 && cell.empty()) {
                line += "\"\"";  // an empty line would be no record
                continue;
            }
            if (o.encoding == Encoding::cp932) {
                piece.clear();
                if (!cp932->encode(format_field(cell, o), piece, bad))
                    return make_error(errc::invalid_argument,
                                      fmt::format("row {}, column {}: {} cannot be written in CP932", row, i + 1, bad),
                                      "cells");
                line += piece;
            } else {
                // U+FEFF opening the file would be read as a byte order mark and dropped: quoted, it is not
                const bool first = rows == 0 && i == 0 && !o.bom && cell.substr(0, 3) == "\xEF\xBB\xBF";
                line += format(cell, o, first);
            }
        }
        line += o.crlf ? "\r\n" : "\n";
        out->write(line.data(), static_cast<std::streamsize>(line.size()));
        if (!*out) return make_error(errc::io_error, fmt::format("row {}: cannot write", row));
        ++rows;
        return boost::outcome_v2::success();
    }
};

Writer::Writer(std::ostream& out, WriteOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->out = &out;
    impl_->o = options;
}
Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;
Writer::~Writer() = default;

result<void> Writer::write_row(const std::vector<std::string>& cells) { return impl_->write(cells); }
result<void> Writer::write_row(const std::vector<std::string_view>& cells) { return impl_->write(cells); }
std::uint64_t Writer::rows_written() const noexcept { return impl_->rows; }

}  // namespace crm::csv
