// csv_test.cpp — crm::csv, the streaming CSV reader and writer (docs/csv.md).
#include <catch2/catch.hpp>

#include <random>
#include <sstream>
#include <streambuf>

#include "crm/csv.hpp"

using crm::csv::Encoding;
using crm::csv::Ragged;
using crm::csv::ReadOptions;
using crm::csv::Reader;
using crm::csv::Record;
using crm::csv::WriteOptions;
using crm::csv::Writer;
using Rows = std::vector<std::vector<std::string>>;

namespace {

ReadOptions no_header(ReadOptions o = {}) {
    o.header = false;
    return o;
}

// Every record (and its start line) of `bytes`; fails the test on an error.
Rows read_all(const std::string& bytes, ReadOptions o = no_header(), std::vector<std::uint64_t>* lines = nullptr) {
    auto r = Reader::from_string(bytes, o);
    Rows rows;
    Record rec;
    while (true) {
        auto more = r.next(rec);
        INFO(bytes);
        REQUIRE(more);
        if (!more.value()) break;
        rows.push_back(rec.fields);
        if (lines) lines->push_back(rec.line);
    }
    return rows;
}

// The error reading `bytes` gives (the test fails if there is none).
crm::csv::Error read_error(const std::string& bytes, ReadOptions o = no_header()) {
    auto r = Reader::from_string(bytes, o);
    Record rec;
    for (int i = 0; i < 1000000; ++i) {
        auto more = r.next(rec);
        if (!more) {
            CHECK(more.error().code == crm::errc::invalid_argument);
            CHECK(more.error().message == r.error().message);
            // the reader stays failed
            auto again = r.next(rec);
            CHECK(!again);
            return r.error();
        }
        if (!more.value()) break;
    }
    FAIL("no error reading: " << bytes);
    return {};
}

// An endless (or `total`-byte) stream: `prefix`, then `fill` repeated; nothing held in memory.
class GeneratedBuf : public std::streambuf {
public:
    GeneratedBuf(std::string prefix, char fill, std::uint64_t total) : prefix_(std::move(prefix)), fill_(fill), total_(total) {
        block_.assign(1 << 16, fill_);
    }

protected:
    int_type underflow() override {
        if (sent_ >= total_) return traits_type::eof();
        if (sent_ < prefix_.size()) {
            setg(prefix_.data(), prefix_.data(), prefix_.data() + prefix_.size());
            sent_ += prefix_.size();
        } else {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(block_.size(), total_ - sent_));
            setg(block_.data(), block_.data(), block_.data() + n);
            sent_ += n;
        }
        return traits_type::to_int_type(*gptr());
    }

private:
    std::string prefix_;
    char fill_;
    std::uint64_t total_;
    std::uint64_t sent_ = 0;
    std::string block_;
};

// "会社,メモ\r\n㈱ミライ,\"①髙ｱｶﾞ\n二行目\"\r\n" in CP932 (Python's cp932 codec).
const std::string kCp932 =
    "\x89\xEF\x8E\xD0\x2C\x83\x81\x83\x82\x0D\x0A\x87\x8A\x83\x7E\x83\x89\x83\x43\x2C\x22\x87\x40\xEE\xE0\xB1\xB6"
    "\xDE\x0A\x93\xF1\x8D\x73\x96\xDA\x22\x0D\x0A";

std::string write_all(const Rows& rows, WriteOptions o = {}) {
    std::ostringstream out;
    Writer w(out, o);
    for (const auto& r : rows) REQUIRE(w.write_row(r));
    CHECK(w.rows_written() == rows.size());
    return out.str();
}

}  // namespace

TEST_CASE("csv: RFC 4180 quoting, quoted delimiters, doubled quotes and quoted newlines", "[csv]") {
    std::vector<std::uint64_t> lines;
    auto rows = read_all("a,\"b,c\",\"d\"\"e\"\r\n\"x\ny\",\"\r\n\",z\r\nlast,,\"\"\r\n", no_header(), &lines);
    REQUIRE(rows == Rows{{"a", "b,c", "d\"e"}, {"x\ny", "\r\n", "z"}, {"last", "", ""}});
    // record 2 spans lines 2-4 (a quoted LF, a quoted CRLF): record 3 starts on line 5
    CHECK(lines == std::vector<std::uint64_t>{1, 2, 5});
}

TEST_CASE("csv: CRLF, LF and CR line ends, mixed; trailing newline or not; blank lines", "[csv]") {
    std::vector<std::uint64_t> lines;
    CHECK(read_all("a\r\nb\nc\rd", no_header(), &lines) == Rows{{"a"}, {"b"}, {"c"}, {"d"}});
    CHECK(lines == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(read_all("a,b\n1,2\n") == read_all("a,b\n1,2"));
    CHECK(read_all("a,b\r\n1,2\r\n") == Rows{{"a", "b"}, {"1", "2"}});
    lines.clear();
    // blank lines are skipped (and counted)
    CHECK(read_all("a\n\n\r\nb\r\n", no_header(), &lines) == Rows{{"a"}, {"b"}});
    CHECK(lines == std::vector<std::uint64_t>{1, 4});
    ReadOptions keep = no_header();
    keep.skip_blank_lines = false;
    CHECK(read_all("a\n\nb\n", keep) == Rows{{"a"}, {""}, {"b"}});
    // CR LF split over 1-byte reads is still one line end
    keep.chunk_bytes = 1;
    lines.clear();
    CHECK(read_all("a\r\nb\r\n", keep, &lines) == Rows{{"a"}, {"b"}});
    CHECK(lines == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("csv: empty fields, quoted empty, empty file, header only, BOM", "[csv]") {
    CHECK(read_all(",\n\"\",x\n") == Rows{{"", ""}, {"", "x"}});
    CHECK(read_all("").empty());
    {
        auto r = Reader::from_string("");
        auto h = r.header();
        REQUIRE(h);
        CHECK(h.value().empty());
        Record rec;
        auto more = r.next(rec);
        REQUIRE(more);
        CHECK_FALSE(more.value());
    }
    {
        auto r = Reader::from_string("\xEF\xBB\xBFname,email\r\n");
        auto h = r.header();
        REQUIRE(h);
        CHECK(h.value() == std::vector<std::string>{"name", "email"});
        CHECK(r.had_bom());
        CHECK(r.encoding() == Encoding::utf8);
        Record rec;
        auto more = r.next(rec);
        REQUIRE(more);
        CHECK_FALSE(more.value());
        CHECK(r.records_read() == 0);
    }
    {
        auto r = Reader::from_string("name,email\r\n山田,taro@example.jp\r\n");
        Record rec;
        REQUIRE(r.next(rec).value());
        CHECK(rec.fields == std::vector<std::string>{"山田", "taro@example.jp"});
        CHECK(rec.line == 2);
        CHECK_FALSE(r.had_bom());
        CHECK(r.header().value() == std::vector<std::string>{"name", "email"});
    }
}

TEST_CASE("csv: delimiters chosen and detected", "[csv]") {
    ReadOptions o = no_header();
    o.delimiter = '\t';
    CHECK(read_all("a\tb,c\n1\t2\n", o) == Rows{{"a", "b,c"}, {"1", "2"}});
    o.delimiter = ';';
    CHECK(read_all("a;\"b;c\"\n", o) == Rows{{"a", "b;c"}});
    o.delimiter = 0;
    auto detect = [&](const std::string& text) {
        auto r = Reader::from_string(text, o);
        Record rec;
        REQUIRE(r.next(rec));
        return r.delimiter();
    };
    CHECK(detect("名前\t会社\tメール\n1\t2\t3\n") == '\t');
    CHECK(detect("\"a,b,c\";d;e\n") == ';');  // commas inside quotes do not count
    CHECK(detect("a|b|c\n") == '|');
    CHECK(detect("a,b\n") == ',');
    CHECK(detect("single\n") == ',');
    CHECK(detect("\"x\ny;z;w\",a,b\n") == ',');  // a quoted newline does not end the first line
}

TEST_CASE("csv: ragged records are an error with their line, or padded, or kept", "[csv]") {
    const std::string text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n";
    auto e = read_error(text, ReadOptions{});
    CHECK(e.line == 3);
    CHECK(e.message == "line 3: 2 fields where the header has 3");
    ReadOptions pad;
    pad.ragged = Ragged::pad;
    auto r = Reader::from_string("a,b,c\n1,2,3\n4,5\n", pad);
    Record rec;
    REQUIRE(r.next(rec).value());
    REQUIRE(r.next(rec).value());
    CHECK(rec.fields == std::vector<std::string>{"4", "5", ""});
    CHECK(rec.padded == 1);
    CHECK(r.ragged_records() == 1);
    // a long record would lose data: still an error when padding
    auto e2 = read_error(text, pad);
    CHECK(e2.line == 4);
    ReadOptions keep;
    keep.ragged = Ragged::keep;
    keep.header = false;
    CHECK(read_all(text, keep) == Rows{{"a", "b", "c"}, {"1", "2", "3"}, {"4", "5"}, {"6", "7", "8", "9"}});
}

TEST_CASE("csv: quotes: unterminated at EOF, bare quotes, text after the closing quote; lenient mode", "[csv]") {
    auto e = read_error("a,b\n1,\"open\nmore\n");
    CHECK(e.line == 2);
    CHECK(e.column == 3);
    CHECK(e.field == 2);
    CHECK(e.byte_offset == 6);
    CHECK(e.message.find("line 2, column 3:") == 0);
    CHECK(e.message.find("not closed") != std::string::npos);

    auto bare = read_error("name\nab\"c\n");
    CHECK(bare.line == 2);
    CHECK(bare.column == 3);
    auto after = read_error("山田,\"x\"y\n");
    CHECK(after.line == 1);
    CHECK(after.column == 7);  // characters, not bytes: 山田 are two
    CHECK(after.byte_offset == 10);

    ReadOptions lenient = no_header();
    lenient.lenient_quotes = true;
    CHECK(read_all("ab\"c,\"x\"y\n", lenient) == Rows{{"ab\"c", "xy"}});
}

TEST_CASE("csv: a cell over max_cell_bytes is an error at its start, memory bounded", "[csv]") {
    // 64 MiB of 'x' after "a,b\n1,": generated, never held; the reader stops at 1 MiB
    for (const char* prefix : {"a,b\n1,", "a,b\n1,\""}) {
        GeneratedBuf gen(prefix, 'x', std::uint64_t{64} << 20);
        std::istream in(&gen);
        ReadOptions o;
        o.max_cell_bytes = 1u << 20;
        Reader r(in, o);
        Record rec;
        auto more = r.next(rec);
        REQUIRE_FALSE(more);
        CHECK(r.error().line == 2);
        CHECK(r.error().column == 3);
        CHECK(r.error().field == 2);
        CHECK(r.error().message.find("max_cell_bytes") != std::string::npos);
        CHECK(rec.fields.size() <= 2);
    }
    // the default limit (16 MiB) with a 100 MB cell
    GeneratedBuf gen("v\n", 'y', std::uint64_t{100} << 20);
    std::istream in(&gen);
    Reader r(in);
    Record rec;
    REQUIRE_FALSE(r.next(rec));
    CHECK(r.error().line == 2);
    CHECK(r.error().message == "line 2, column 1: a cell longer than 16777216 bytes (max_cell_bytes)");
    // max_columns
    ReadOptions cols = no_header();
    cols.max_columns = 3;
    auto e = read_error("a,b,c,d\n", cols);
    CHECK(e.column == 7);
    CHECK(e.field == 4);
}

TEST_CASE("csv: CP932 with NEC/IBM extensions and half-width katakana, chosen and detected", "[csv]") {
    const Rows want{{"会社", "メモ"}, {"㈱ミライ", "①髙ｱｶﾞ\n二行目"}};
    for (Encoding enc : {Encoding::cp932, Encoding::detect}) {
        for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{65536}}) {
            ReadOptions o = no_header();
            o.encoding = enc;
            o.chunk_bytes = chunk;
            auto r = Reader::from_string(kCp932, o);
            Rows got;
            Record rec;
            while (r.next(rec).value()) got.push_back(rec.fields);
            CHECK(got == want);
            CHECK(r.encoding() == Encoding::cp932);
        }
    }
    // trail bytes 0x5C ('\') and 0x7C ('|') are not delimiters or anything else: ソ表|ポ
    ReadOptions o = no_header();
    o.encoding = Encoding::cp932;
    o.delimiter = '|';
    CHECK(read_all("\x83\x5C\x95\x5C|\x83\x7C|x\r\n", o) == Rows{{"ソ表", "ポ", "x"}});
    o.delimiter = 0;
    o.chunk_bytes = 1;
    auto r = Reader::from_string("\x83\x7C\x83\x7C,\x83\x7C\r\n", o);  // ポポ,ポ: the comma, not '|'
    Record rec;
    REQUIRE(r.next(rec).value());
    CHECK(r.delimiter() == ',');
    CHECK(rec.fields == std::vector<std::string>{"ポポ", "ポ"});
}

TEST_CASE("csv: bytes invalid in the encoding are an error with line, column and offset", "[csv]") {
    ReadOptions utf = no_header();
    utf.encoding = Encoding::utf8;
    for (std::size_t chunk : {std::size_t{1}, std::size_t{65536}}) {
        utf.chunk_bytes = chunk;
        auto e = read_error("a,b\nxy,\xE3\x81z\n", utf);
        CHECK(e.line == 2);
        CHECK(e.column == 4);
        CHECK(e.byte_offset == 7);
        CHECK(e.message == "line 2, column 4: bytes 0xE3 0x81 0x7A are not valid UTF-8");
        auto cut = read_error("a,\xE3\x81", utf);
        CHECK(cut.byte_offset == 2);
        CHECK(cut.message.find("ends inside a UTF-8 character") != std::string::npos);
    }
    CHECK(read_error(std::string("a,\0,b", 5), utf).message == "line 1, column 3: a NUL byte (0x00) is not text");
    CHECK(read_error("a,\xC0\xAF", utf).byte_offset == 2);  // overlong '/'

    ReadOptions sj = no_header();
    sj.encoding = Encoding::cp932;
    for (std::size_t chunk : {std::size_t{1}, std::size_t{65536}}) {
        sj.chunk_bytes = chunk;
        // 会社 then a lead byte 0x81 followed by a space (no such character)
        auto e = read_error("\x89\xEF\x8E\xD0\r\n\x89\xEF,\x81\x20", sj);
        CHECK(e.line == 2);
        CHECK(e.column == 3);
        CHECK(e.byte_offset == 9);
        CHECK(e.message.find("not valid CP932") != std::string::npos);
        auto cut = read_error("a\r\n\x89", sj);
        CHECK(cut.line == 2);
        CHECK(cut.byte_offset == 3);
    }
    // neither encoding: detection names the first byte that is not UTF-8
    auto e = read_error("ok\nab\xFF\xFF\n", no_header());
    CHECK(e.line == 2);
    CHECK(e.column == 3);
    CHECK(e.byte_offset == 5);
    CHECK(e.message.find("neither UTF-8") != std::string::npos);
    // detection looks at the first 64 KiB: CP932 after it is reported where it stands
    std::string late(70000, 'a');
    late += "\n\x89\xEF\n";
    auto l = read_error(late, no_header());
    CHECK(l.line == 2);
    CHECK(l.column == 1);
    CHECK(l.byte_offset == 70001);
    // UTF-16 and a UTF-8 BOM with cp932
    CHECK(read_error(std::string("\xFF\xFEn\0a\0", 6), no_header()).message.find("UTF-16") != std::string::npos);
    CHECK(read_error("\xEF\xBB\xBF" "a", sj).message.find("byte order mark") != std::string::npos);
}

TEST_CASE("csv: multi-byte characters split by every chunk boundary", "[csv]") {
    const std::string text = "名前,\"メモ,①\"\r\nｱｲｳ,😀🍣\n";
    const auto want = read_all(text);
    REQUIRE(want == Rows{{"名前", "メモ,①"}, {"ｱｲｳ", "😀🍣"}});
    for (std::size_t chunk = 1; chunk <= 8; ++chunk) {
        ReadOptions o = no_header();
        o.chunk_bytes = chunk;
        CHECK(read_all(text, o) == want);
    }
}

TEST_CASE("csv: writer: quoting, CRLF, BOM, single empty cell, bad UTF-8", "[csv]") {
    CHECK(write_all({{"a", "b,c", "d\"e", "x\ny"}, {"", "z"}}) == "a,\"b,c\",\"d\"\"e\",\"x\ny\"\r\n,z\r\n");
    CHECK(write_all({{""}}) == "\"\"\r\n");
    CHECK(read_all(write_all({{"h"}, {""}, {"x"}})) == Rows{{"h"}, {""}, {"x"}});
    WriteOptions bom;
    bom.bom = true;
    bom.crlf = false;
    CHECK(write_all({{"名前"}, {"山田"}}, bom) == "\xEF\xBB\xBF名前\n山田\n");
    // a first cell beginning with U+FEFF is quoted, or a reader would take it for a BOM
    CHECK(write_all({{"\xEF\xBB\xBFs"}, {"\xEF\xBB\xBFs"}}) == "\"\xEF\xBB\xBFs\"\r\n\xEF\xBB\xBFs\r\n");
    CHECK(read_all(write_all({{"\xEF\xBB\xBFs"}})) == Rows{{"\xEF\xBB\xBFs"}});
    CHECK(read_all(write_all({{"\xEF\xBB\xBFs"}}, bom)) == Rows{{"\xEF\xBB\xBFs"}});
    WriteOptions tab;
    tab.delimiter = '\t';
    CHECK(write_all({{"a\tb", "c,d"}}, tab) == "\"a\tb\"\tc,d\r\n");
    std::ostringstream out;
    Writer w(out);
    auto bad = w.write_row(std::vector<std::string>{"ok", "\xFF"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "row 1, column 2: the cell is not UTF-8 text");
    CHECK(out.str().empty());  // nothing of the row was written
}

TEST_CASE("csv: writer: CP932 output, unmappable characters refused or replaced", "[csv]") {
    WriteOptions sj;
    sj.encoding = Encoding::cp932;
    CHECK(write_all({{"会社", "メモ"}, {"㈱ミライ", "①髙ｱｶﾞ\n二行目"}}, sj).size() == kCp932.size());
    ReadOptions back = no_header();
    back.encoding = Encoding::cp932;
    CHECK(read_all(write_all({{"会社", "メモ"}, {"㈱ミライ", "①髙ｱｶﾞ\n二行目"}}, sj), back) ==
          Rows{{"会社", "メモ"}, {"㈱ミライ", "①髙ｱｶﾞ\n二行目"}});
    std::ostringstream out;
    Writer w(out, sj);
    REQUIRE(w.write_row(std::vector<std::string>{"a", "b"}));
    auto bad = w.write_row(std::vector<std::string>{"寿司", "🍣"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "row 2, column 2: U+1F363 🍣 cannot be written in CP932");
    sj.unmappable = crm::csv::Unmappable::replace;
    CHECK(read_all(write_all({{"寿司🍣"}}, sj), back) == Rows{{"寿司?"}});
    // ICU drops default-ignorable characters it cannot map (U+FEFF, U+200B) without a callback: refused too
    std::ostringstream ign;
    Writer wi(ign, {.encoding = Encoding::cp932});
    auto feff = wi.write_row(std::vector<std::string>{"\xEF\xBB\xBF"});
    REQUIRE_FALSE(feff);
    CHECK(feff.error().message.find("U+FEFF") != std::string::npos);
    CHECK_FALSE(wi.write_row(std::vector<std::string>{"a\u200Bb"}));
    CHECK(read_all(write_all({{"a\u200Bb"}}, sj), back) == Rows{{"a?b"}});
    // replace: the character Windows uses first (WAVE DASH → FULLWIDTH TILDE, MINUS SIGN → FULLWIDTH HYPHEN-MINUS)
    CHECK(read_all(write_all({{"10〜20", "−5"}}, sj), back) == Rows{{"10～20", "－5"}});
    sj.unmappable = crm::csv::Unmappable::error;
    std::ostringstream strict;
    CHECK_FALSE(Writer(strict, sj).write_row(std::vector<std::string>{"10〜20"}));
}

TEST_CASE("csv: formula neutralising (OWASP) only with the flag", "[csv]") {
    WriteOptions o;
    o.neutralize_formulas = true;
    CHECK(crm::csv::format_field("=1+1", o) == "'=1+1");
    CHECK(crm::csv::format_field("+81 3", o) == "'+81 3");
    CHECK(crm::csv::format_field("-5", o) == "'-5");  // numbers too
    CHECK(crm::csv::format_field("@SUM(A1)", o) == "'@SUM(A1)");
    CHECK(crm::csv::format_field("\tx", o) == "'\tx");
    CHECK(crm::csv::format_field("\rx", o) == "\"'\rx\"");
    CHECK(crm::csv::format_field("=HYPERLINK(\"x\",\"y\")", o) == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    CHECK(crm::csv::format_field("a=b", o) == "a=b");
    CHECK(crm::csv::format_field("", o) == "");
    CHECK(crm::csv::format_field("=1+1") == "=1+1");
    CHECK(crm::csv::format_field("-5") == "-5");
    CHECK(read_all(write_all({{"=cmd|' /C calc'!A0", "ok"}}, o)) == Rows{{"'=cmd|' /C calc'!A0", "ok"}});
}

TEST_CASE("csv: random tables round-trip writer -> reader in UTF-8 and CP932", "[csv]") {
    std::mt19937 rng(20261130);
    const std::vector<std::string> utf8_atoms{"a", "Z", "0", " ", ",", "\"", "\r", "\n", "\r\n", "\t", ";", "|",
                                              "'", "=", "-", "山", "田", "ｱ", "ﾞ", "①", "㈱", "髙", "ソ", "表",
                                              "ポ", "～", "😀", "é", "\\"};
    const std::vector<std::string> cp932_atoms{"a", ",", "\"", "\r\n", "\n", "山", "ｱ", "ﾞ", "①", "㈱", "髙",
                                               "ソ", "表", "ポ", "～", "－", "\\", "|", "'"};
    for (int round = 0; round < 60; ++round) {
        const bool cp932 = round % 2 == 1;
        const auto& atoms = cp932 ? cp932_atoms : utf8_atoms;
        const std::size_t cols = 1 + rng() % 5, nrows = 1 + rng() % 12;
        Rows rows;
        for (std::size_t i = 0; i < nrows; ++i) {
            std::vector<std::string> row;
            for (std::size_t c = 0; c < cols; ++c) {
                std::string cell;
                const std::size_t len = rng() % 7;
                for (std::size_t k = 0; k < len; ++k) cell += atoms[rng() % atoms.size()];
                row.push_back(cell);
            }
            rows.push_back(row);
        }
        WriteOptions w;
        w.encoding = cp932 ? Encoding::cp932 : Encoding::utf8;
        w.bom = !cp932 && round % 4 == 0;
        w.crlf = round % 3 != 0;
        w.delimiter = ",\t;|"[round % 4];
        w.quote_all = round % 5 == 0;
        const std::string bytes = write_all(rows, w);
        ReadOptions r = no_header();
        r.encoding = round % 3 == 0 ? Encoding::detect : w.encoding;
        r.delimiter = w.delimiter;
        r.skip_blank_lines = false;
        r.chunk_bytes = round % 7 == 0 ? 1 : 1 + rng() % 64;
        INFO("round " << round);
        CHECK(read_all(bytes, r) == rows);
    }
}

TEST_CASE("csv: files, encodings by name", "[csv]") {
    auto missing = Reader::open("/nonexistent/dir/x.csv");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == crm::errc::not_found);
    CHECK(crm::csv::parse_encoding("Shift_JIS").value() == Encoding::cp932);
    CHECK(crm::csv::parse_encoding("UTF-8").value() == Encoding::utf8);
    CHECK(crm::csv::parse_encoding("auto").value() == Encoding::detect);
    CHECK_FALSE(crm::csv::parse_encoding("latin1"));
    CHECK(std::string(crm::csv::encoding_name(Encoding::cp932)) == "cp932");
}
