// crm/csv.hpp — CSV as real files are (MISSION issue 10: data in and out).
//
//   crm::csv::ReadOptions o;                       // ',' ; encoding auto ; header on
//   auto r = crm::csv::Reader::open("顧客.csv", o);  // or Reader(std::istream&), from_string
//   if (!r) …r.error().message…                    // "顧客.csv: cannot open …"
//   crm::csv::Record rec;
//   while (true) {
//       auto more = r.value().next(rec);           // one record at a time: memory stays flat
//       if (!more) { auto& e = r.value().error(); /* e.line, e.column, e.message */ break; }
//       if (!more.value()) break;                  // end of file
//       // rec.fields[i] (UTF-8), rec.line (the physical line it starts on)
//   }
//
//   crm::csv::Writer w(out, {.encoding = crm::csv::Encoding::cp932, .neutralize_formulas = true});
//   w.write_row({"会社", "=1+1"});                  // 会社,'=1+1 in CP932, CRLF
//
// Reading: RFC 4180 quoting (quoted delimiters, quotes doubled, quoted newlines), CRLF, LF
// or CR line ends (mixed), a UTF-8 BOM, UTF-8 or CP932 (Shift_JIS as Windows and Excel
// write it, with the NEC and IBM extensions: ①, ㈱, 髙) chosen or detected, delimiters
// ',', tab, ';', '|' chosen or detected. Everything is decoded to UTF-8. Bad input is an
// error naming the line and column (never a crash, never a silent loss): ragged rows,
// unterminated quotes, bytes invalid in the encoding, a cell over max_cell_bytes. The
// rules, limits and the lenient modes: docs/csv.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crm/error.hpp"

namespace crm::csv {

enum class Encoding {
    detect,  // UTF-8 BOM → UTF-8; the first 64 KiB valid UTF-8 → UTF-8; else valid CP932 → CP932
    utf8,
    cp932,   // Shift_JIS as Windows writes it (Windows-31J; ICU's ibm-943_P15A-2003)
};
const char* encoding_name(Encoding e) noexcept;                    // "auto", "utf-8", "cp932"
result<Encoding> parse_encoding(std::string_view name) noexcept;   // also "utf8", "shift_jis", "sjis", "windows-31j"

// What to do with a record whose field count differs from the header's (or, without a
// header, the first record's).
enum class Ragged {
    error,  // an error naming the line (the default)
    pad,    // short records get empty fields to the end (Record::padded says how many); long ones are still an error
    keep,   // records are returned as they are
};

struct ReadOptions {
    char delimiter = ',';                       // ',', '\t', ';', '|'; 0 = detect from the first line
    Encoding encoding = Encoding::detect;
    bool header = true;                         // the first record is the header (Reader::header())
    std::size_t max_cell_bytes = 16u << 20;     // of decoded UTF-8; a larger cell is an error
    std::size_t max_columns = 4096;
    std::size_t max_record_bytes = 64u << 20;   // all fields of one record together
    Ragged ragged = Ragged::error;
    // RFC 4180 refuses a quote inside an unquoted field (ab"c) and text after a closing
    // quote ("ab"c). Lenient, as Excel: the first is kept as it is, the second appended.
    bool lenient_quotes = false;
    bool skip_blank_lines = true;               // a line with nothing on it is no record
    std::size_t chunk_bytes = 64u << 10;        // bytes read per call (tests use 1)
};

// Where reading stopped and why.
struct Error {
    std::uint64_t line = 0;         // 1-based physical line (CRLF, LF and CR each end one)
    std::uint64_t column = 0;       // 1-based, in characters (code points) of the decoded line; 0: none
    std::size_t field = 0;          // 1-based index of the field in its record; 0: none
    std::uint64_t byte_offset = 0;  // in the input's bytes (a BOM counted)
    std::string message;            // "line 3, column 7: …" — a full sentence
};

struct Record {
    std::vector<std::string> fields;  // UTF-8
    std::uint64_t line = 0;           // physical line the record starts on (1-based)
    std::size_t padded = 0;           // empty fields added by Ragged::pad
};

class Reader {
public:
    // Reads `in` (which must outlive the reader). The header (if any), the encoding and
    // the delimiter are settled at the first call to next() or header().
    explicit Reader(std::istream& in, ReadOptions options = {});
    // A file: errc::io_error (errc::not_found when it does not exist) if it cannot be opened.
    static result<Reader> open(const std::string& path, ReadOptions options = {});
    // Bytes in memory (copied).
    static Reader from_string(std::string bytes, ReadOptions options = {});

    Reader(Reader&&) noexcept;
    Reader& operator=(Reader&&) noexcept;
    ~Reader();

    // The next data record into `out` (its strings are reused): true, or false at the
    // end. errc::invalid_argument for bad input, errc::io_error when reading fails; the
    // position is error(). After an error every call gives the same error.
    result<bool> next(Record& out);
    // The header's fields (empty without a header option or when the input is empty).
    result<std::vector<std::string>> header();

    Encoding encoding() const noexcept;  // what was chosen or detected (detect before the first read)
    char delimiter() const noexcept;     // likewise (0 before)
    bool had_bom() const noexcept;
    std::uint64_t records_read() const noexcept;  // data records so far (the header not counted)
    std::uint64_t ragged_records() const noexcept;  // records whose count differed (pad / keep)
    const Error& error() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    explicit Reader(std::unique_ptr<Impl> impl);
};

// What the writer does with a character CP932 cannot encode (emoji, most of Unicode).
enum class Unmappable {
    error,    // errc::invalid_argument naming the row and column
    replace,  // '?' instead, as Excel does
};

struct WriteOptions {
    char delimiter = ',';
    Encoding encoding = Encoding::utf8;  // utf8 or cp932 (detect is refused)
    bool bom = false;                    // UTF-8 only: Excel needs it to read UTF-8
    bool crlf = true;                    // RFC 4180 line ends; false: LF
    // OWASP's CSV-injection rule, for files meant for spreadsheets: a cell beginning with
    // '=', '+', '-', '@', tab or CR gets a leading "'" (numbers like -5 too).
    bool neutralize_formulas = false;
    Unmappable unmappable = Unmappable::error;
    bool quote_all = false;              // quote every field, not only those that need it
};

class Writer {
public:
    // Writes to `out` (which must outlive the writer).
    explicit Writer(std::ostream& out, WriteOptions options = {});
    Writer(Writer&&) noexcept;
    Writer& operator=(Writer&&) noexcept;
    ~Writer();

    // One record. Cells must be UTF-8 (errc::invalid_argument naming the row and column
    // otherwise, and nothing of the row is written); errc::io_error when the stream fails.
    // A record of one empty cell is written as "" (an empty line would be no record).
    result<void> write_row(const std::vector<std::string>& cells);
    result<void> write_row(const std::vector<std::string_view>& cells);
    std::uint64_t rows_written() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One field as the writer writes it (UTF-8 only): quoted when it holds the delimiter, a
// quote, CR or LF (or always with quote_all), neutralised with neutralize_formulas.
std::string format_field(std::string_view cell, const WriteOptions& options = {});

}  // namespace crm::csv
