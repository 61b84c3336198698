// Where rows come from: a CSV file (crm/csv.hpp) or JSON lines, read through a stream
// buffer that counts and hashes every byte (the batch records the input's SHA-256).
#include "import/source.hpp"

#include <fmt/format.h>

#include "json/parse.hpp"

namespace crm::import::impl {

HashingBuf::HashingBuf(std::streambuf* src) : src_(src), buf_(64 << 10) {}

HashingBuf::int_type HashingBuf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const auto n = src_->sgetn(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    if (n <= 0) return traits_type::eof();
    hash_.update(buf_.data(), static_cast<std::size_t>(n));
    bytes_ += static_cast<std::uint64_t>(n);
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(*gptr());
}

std::string HashingBuf::finish_hash() {
    // Whatever the reader left unread still belongs to the input.
    while (underflow() != traits_type::eof()) setg(buf_.data(), egptr(), egptr());
    return hash_.hex_digest();
}

// ---- CSV ----------------------------------------------------------------------------

CsvSource::CsvSource(std::istream& in, const csv::ReadOptions& o) : reader_(in, o) {}

result<std::vector<std::string>> CsvSource::columns() { return reader_.header(); }

result<bool> CsvSource::next(Row& row) {
    auto more = reader_.next(rec_);
    if (!more) {
        const auto& e = reader_.error();
        return make_error(more.error().code, e.message.empty() ? more.error().message : e.message);
    }
    if (!more.value()) return false;
    row.line = rec_.line;
    row.cells.swap(rec_.fields);
    row.json_cells.assign(row.cells.size(), false);
    return true;
}

// ---- JSON lines ---------------------------------------------------------------------

JsonlSource::JsonlSource(std::istream& in, std::vector<std::string> columns, std::size_t max_line)
    : in_(in), columns_(std::move(columns)), max_line_(max_line) {}

result<std::vector<std::string>> JsonlSource::columns() { return columns_; }

result<bool> JsonlSource::next(Row& row) {
    std::string line;
    while (true) {
        line.clear();
        int c;
        bool any = false;
        while ((c = in_.get()) != EOF) {
            any = true;
            if (c == '\n') break;
            line += static_cast<char>(c);
            if (line.size() > max_line_)
                return invalid("input", fmt::format("line {}: longer than {} bytes", line_no_ + 1, max_line_));
        }
        if (!any) return false;
        ++line_no_;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line_no_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (line.find_first_not_of(" \t") == std::string::npos) continue;  // a blank line is no record
        break;
    }
    row.line = line_no_;
    row.cells.assign(columns_.size(), std::string());
    row.json_cells.assign(columns_.size(), false);
    auto doc = crm::json::parse_object(line, "line");
    if (!doc) {
        row.error = fmt::format("line {}: {}", line_no_, doc.error().message);
        return true;
    }
    row.error.clear();
    const auto& d = doc.value();
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        const json* v = nullptr;
        if (auto it = d.find(columns_[i]); it != d.end()) v = &*it;
        else {  // "address.city" in a nested document
            std::vector<std::string> path;
            for (std::size_t s = 0, e; s <= columns_[i].size(); s = e + 1) {
                e = columns_[i].find('.', s);
                if (e == std::string::npos) e = columns_[i].size();
                path.push_back(columns_[i].substr(s, e - s));
            }
            if (path.size() > 1) v = at(d, path);
        }
        if (!v || v->is_null()) continue;
        if (v->is_string()) row.cells[i] = v->get<std::string>();
        else {
            row.cells[i] = v->dump();
            row.json_cells[i] = true;
        }
    }
    return true;
}

}  // namespace crm::import::impl
