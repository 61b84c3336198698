// fuzz_csv.cpp — crm::csv's reader (and writer) over arbitrary bytes (docs/fuzzing.md).
//
// A C++ target over crm/csv.hpp, not the C ABI: CSV has no C function yet. Input layout:
// byte 0 chooses the options — bits 0-1 the encoding (0 detect, 1 utf-8, 2 cp932, 3 detect),
// bits 2-3 the delimiter (',', tab, ';', detect), bit 4 lenient quotes, bits 5-6 ragged
// (error, pad, keep, keep), bit 7 the header; the rest is the file.
//
// Checked: reading in 1-byte chunks gives exactly what reading in one chunk gives (records,
// their lines, or the same error at the same place); every field is UTF-8 within the limits;
// an error names a line and says something; and what was read, written again by
// crm::csv::Writer (UTF-8 and, when it can, CP932), reads back the same.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "crm/csv.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
    std::fprintf(stderr, "fuzz_csv: %s %s\n", what, detail.c_str());
    std::abort();
}

bool utf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (n == 0 || b == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

struct Outcome {
    std::vector<std::string> header;
    std::vector<crm::csv::Record> records;
    bool ok = true;
    crm::csv::Error error;
    crm::csv::Encoding encoding = crm::csv::Encoding::detect;
    char delimiter = 0;
};

Outcome read(const std::string& bytes, crm::csv::ReadOptions o) {
    Outcome out;
    auto r = crm::csv::Reader::from_string(bytes, o);
    auto h = r.header();
    if (h) out.header = h.value();
    crm::csv::Record rec;
    while (h) {
        auto more = r.next(rec);
        if (!more) break;
        if (!more.value()) {
            out.encoding = r.encoding();
            out.delimiter = r.delimiter();
            return out;
        }
        out.records.push_back(rec);
        if (out.records.size() > 100000) fail("too many records");
    }
    out.ok = false;
    out.error = r.error();
    if (out.error.message.empty()) fail("an error without a message");
    if (out.error.line == 0) fail("an error without a line", out.error.message);
    return out;
}

bool same(const Outcome& a, const Outcome& b) {
    if (a.ok != b.ok || a.header != b.header || a.records.size() != b.records.size()) return false;
    for (std::size_t i = 0; i < a.records.size(); ++i)
        if (a.records[i].fields != b.records[i].fields || a.records[i].line != b.records[i].line) return false;
    if (!a.ok)
        return a.error.message == b.error.message && a.error.byte_offset == b.error.byte_offset &&
               a.error.column == b.error.column;
    return true;
}

void round_trip(const Outcome& got, crm::csv::Encoding enc, char delimiter) {
    crm::csv::WriteOptions w;
    w.encoding = enc;
    w.delimiter = delimiter;
    std::ostringstream os;
    crm::csv::Writer writer(os, w);
    std::vector<std::vector<std::string>> rows;
    if (!got.header.empty()) rows.push_back(got.header);
    for (const auto& r : got.records) rows.push_back(r.fields);
    for (const auto& row : rows)
        if (!writer.write_row(row)) {
            if (enc == crm::csv::Encoding::cp932) return;  // a character CP932 has not: refused, fine
            fail("the writer refused what the reader gave");
        }
    crm::csv::ReadOptions r;
    r.header = false;
    r.encoding = enc;
    r.delimiter = delimiter;
    r.ragged = crm::csv::Ragged::keep;
    r.skip_blank_lines = false;
    auto back = read(os.str(), r);
    if (!back.ok) fail("written CSV does not read back", back.error.message);
    if (back.records.size() != rows.size()) fail("round trip: record count");
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (back.records[i].fields != rows[i]) fail("round trip: a record changed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t sel = data[0];
    const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    crm::csv::ReadOptions o;
    static constexpr crm::csv::Encoding encs[] = {crm::csv::Encoding::detect, crm::csv::Encoding::utf8,
                                                  crm::csv::Encoding::cp932, crm::csv::Encoding::detect};
    o.encoding = encs[sel & 3];
    o.delimiter = ",\t;\0"[(sel >> 2) & 3];
    o.lenient_quotes = (sel >> 4) & 1;
    static constexpr crm::csv::Ragged ragged[] = {crm::csv::Ragged::error, crm::csv::Ragged::pad,
                                                  crm::csv::Ragged::keep, crm::csv::Ragged::keep};
    o.ragged = ragged[(sel >> 5) & 3];
    o.header = (sel >> 7) & 1;
    o.max_cell_bytes = 1024;
    o.max_columns = 64;
    o.max_record_bytes = 4096;

    const Outcome whole = read(bytes, o);
    o.chunk_bytes = 1;
    const Outcome bytewise = read(bytes, o);
    if (!same(whole, bytewise))
        fail("1-byte chunks read differently", whole.ok ? "" : whole.error.message);
    if (!whole.ok) return 0;
    for (const auto* rows : {&whole.header}) {
        if (rows->size() > o.max_columns) fail("max_columns");
        for (const auto& f : *rows)
            if (!utf8(f) || f.size() > o.max_cell_bytes) fail("header field");
    }
    for (const auto& r : whole.records) {
        if (r.fields.size() > o.max_columns) fail("max_columns");
        for (const auto& f : r.fields)
            if (!utf8(f) || f.size() > o.max_cell_bytes) fail("field not UTF-8 or over the limit");
    }
    round_trip(whole, crm::csv::Encoding::utf8, whole.delimiter);
    round_trip(whole, crm::csv::Encoding::cp932, whole.delimiter);
    return 0;
}
