// cmd_csv.cpp — `crm csv inspect|convert`: what crm::csv makes of a file before an import,
// and re-encoding for spreadsheets (docs/csv.md). No database needed.
//   crm csv inspect 顧客.csv [--encoding auto|utf-8|cp932] [--delimiter auto|,|tab|;|'|'] [--rows 5]
//   crm csv convert 顧客.csv --to cp932 --neutralize-formulas --output excel.csv
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "crm/csv.hpp"
#include "records.hpp"

namespace cli {

namespace {

const std::vector<OptSpec> kReadOpts = {
    {"encoding", true}, {"delimiter", true}, {"no-header", false}, {"lenient", false}, {"ragged", true},
};

char parse_delimiter(const std::string& v, bool allow_auto) {
    if (v == "auto" && allow_auto) return 0;
    if (v == "," || v == "comma") return ',';
    if (v == "tab" || v == "\\t" || v == "\t") return '\t';
    if (v == ";" || v == "semicolon") return ';';
    if (v == "|" || v == "pipe") return '|';
    bad_argument(fmt::format("--delimiter: '{}' is not {}',', tab, ';' or '|'", v, allow_auto ? "auto, " : ""));
}

std::string delimiter_name(char d) {
    if (d == '\t') return "tab";
    return std::string(1, d);
}

crm::csv::ReadOptions read_options(const Args& a) {
    crm::csv::ReadOptions o;
    o.delimiter = 0;  // the CLI detects the delimiter unless told
    if (auto e = a.get("encoding")) {
        auto enc = crm::csv::parse_encoding(*e);
        if (!enc) bad_argument("--encoding: must be auto, utf-8 or cp932");
        o.encoding = enc.value();
    }
    if (auto d = a.get("delimiter")) o.delimiter = parse_delimiter(*d, true);
    o.header = !a.has("no-header");
    o.lenient_quotes = a.has("lenient");
    if (auto r = a.get("ragged")) {
        if (*r == "error") o.ragged = crm::csv::Ragged::error;
        else if (*r == "pad") o.ragged = crm::csv::Ragged::pad;
        else if (*r == "keep") o.ragged = crm::csv::Ragged::keep;
        else bad_argument("--ragged: must be error, pad or keep");
    }
    return o;
}

// The reader over FILE ("-": standard input); a missing file exits 2.
crm::csv::Reader open_reader(const std::string& path, const crm::csv::ReadOptions& o) {
    if (path == "-") return crm::csv::Reader(std::cin, o);
    auto r = crm::csv::Reader::open(path, o);
    if (!r) cannot_read(path);
    return std::move(r).value();
}

[[noreturn]] void refuse(const std::string& path, const crm::error& e) {
    crm::error named = e;
    named.message = fmt::format("{}: {}", path, e.message);
    raise(named);
}

int csv_inspect(Context& ctx, const Tokens& t) {
    std::vector<OptSpec> spec = kReadOpts;
    spec.push_back({"rows", true});
    Args a = parse_args(ctx, t, spec);
    a.expect_positional(1, 1);
    const std::string& path = a.pos(0, "FILE");
    const auto o = read_options(a);
    std::int64_t show = 5;
    if (auto n = a.get("rows")) {
        show = parse_int(*n, "--rows");
        if (show < 0 || show > 1000) invalid_input("--rows: must be 0 to 1000");
    }
    auto reader = open_reader(path, o);
    auto hdr = reader.header();
    if (!hdr) refuse(path, hdr.error());
    crm::csv::Record rec;
    std::vector<crm::csv::Record> first;
    std::size_t widest = hdr.value().size();
    while (true) {
        auto more = reader.next(rec);
        if (!more) refuse(path, more.error());
        if (!more.value()) break;
        if (static_cast<std::int64_t>(first.size()) < show) {
            first.push_back(rec);
            widest = std::max(widest, rec.fields.size());
        }
    }
    std::vector<std::string> names = hdr.value();
    for (std::size_t i = names.size(); i < widest; ++i) names.push_back(fmt::format("#{}", i + 1));
    if (ctx.format == Format::as_json) {
        json doc = {{"file", path},
                    {"encoding", crm::csv::encoding_name(reader.encoding())},
                    {"bom", reader.had_bom()},
                    {"delimiter", delimiter_name(reader.delimiter())},
                    {"header", hdr.value()},
                    {"columns", widest},
                    {"rows", reader.records_read()},
                    {"ragged", reader.ragged_records()},
                    {"first_rows", json::array()}};
        for (const auto& r : first) doc["first_rows"].push_back({{"line", r.line}, {"fields", r.fields}});
        print_json_doc(doc.dump());
        return exit_ok;
    }
    Table rows{{"line"}, {}};
    rows.headers.insert(rows.headers.end(), names.begin(), names.end());
    for (const auto& r : first) {
        std::vector<std::string> cells{std::to_string(r.line)};
        cells.insert(cells.end(), r.fields.begin(), r.fields.end());
        cells.resize(rows.headers.size());
        rows.rows.push_back(std::move(cells));
    }
    if (ctx.format == Format::as_csv) {
        print_csv(rows);
        return exit_ok;
    }
    std::string hdr_text;
    for (const auto& h : hdr.value()) hdr_text += (hdr_text.empty() ? "" : " | ") + h;
    fmt::print("{}", crm::tools::render_fields({{"file", path},
                                                {"encoding", crm::csv::encoding_name(reader.encoding())},
                                                {"bom", reader.had_bom() ? "yes" : "no"},
                                                {"delimiter", delimiter_name(reader.delimiter())},
                                                {"header", o.header ? hdr_text : "(none: --no-header)"},
                                                {"columns", std::to_string(widest)},
                                                {"rows", std::to_string(reader.records_read())},
                                                {"ragged", std::to_string(reader.ragged_records())}}));
    if (!first.empty()) {
        fmt::print("\n");
        print_table(rows, 30);
    }
    return exit_ok;
}

int csv_convert(Context& ctx, const Tokens& t) {
    std::vector<OptSpec> spec = kReadOpts;
    for (const char* name : {"to", "to-delimiter", "output"}) spec.push_back({name, true});
    for (const char* name : {"bom", "lf", "neutralize-formulas", "replace-unmappable", "quote-all"})
        spec.push_back({name, false});
    Args a = parse_args(ctx, t, spec);
    a.expect_positional(1, 1);
    const std::string& path = a.pos(0, "FILE");
    auto ro = read_options(a);
    ro.header = false;  // every record is copied; the first one still sets the width
    crm::csv::WriteOptions wo;
    if (auto e = a.get("to")) {
        auto enc = crm::csv::parse_encoding(*e);
        if (!enc || enc.value() == crm::csv::Encoding::detect) bad_argument("--to: must be utf-8 or cp932");
        wo.encoding = enc.value();
    }
    if (auto d = a.get("to-delimiter")) wo.delimiter = parse_delimiter(*d, false);
    wo.bom = a.has("bom");
    if (wo.bom && wo.encoding != crm::csv::Encoding::utf8) bad_argument("--bom: only with --to utf-8");
    wo.crlf = !a.has("lf");
    wo.neutralize_formulas = a.has("neutralize-formulas");
    wo.unmappable = a.has("replace-unmappable") ? crm::csv::Unmappable::replace : crm::csv::Unmappable::error;
    wo.quote_all = a.has("quote-all");
    const auto output = a.get("output");
    auto reader = open_reader(path, ro);

    // To a file: written beside it and renamed at the end, so a refused input leaves no partial file.
    OutputFile target(output, ".tmp-crm-csv");
    std::ostream& out = target.stream();
    crm::csv::Writer writer(out, wo);
    crm::csv::Record rec;
    auto fail = [&](const crm::error& e, bool reading) {
        if (reading) refuse(path, e);
        crm::error named = e;
        named.message = fmt::format("{}: line {}: {}", path, rec.line, e.message);
        raise(named);
    };
    while (true) {
        auto more = reader.next(rec);
        if (!more) fail(more.error(), true);
        if (!more.value()) break;
        auto w = writer.write_row(rec.fields);
        if (!w) fail(w.error(), false);
    }
    target.commit();
    if (!output) return exit_ok;
    print_object(ctx, json{{"input", path},
                           {"encoding", crm::csv::encoding_name(reader.encoding())},
                           {"delimiter", delimiter_name(reader.delimiter())},
                           {"output", *output},
                           {"to", crm::csv::encoding_name(wo.encoding)},
                           {"records", writer.rows_written()}});
    return exit_ok;
}

}  // namespace

int cmd_csv(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args, {{"inspect", csv_inspect}, {"convert", csv_convert}});
}

std::string csv_usage() {
    return "usage: crm csv inspect FILE [--encoding auto|utf-8|cp932] [--delimiter auto|,|tab|;|'|']\n"
           "                            [--no-header] [--lenient] [--ragged error|pad|keep] [--rows N]\n"
           "       crm csv convert FILE [the same reading options] [--to utf-8|cp932] [--to-delimiter D]\n"
           "                            [--bom] [--lf] [--neutralize-formulas] [--replace-unmappable]\n"
           "                            [--quote-all] [--output PATH]\n\n"
           "inspect reads the whole file as an import would (docs/csv.md) and shows the detected\n"
           "encoding, delimiter, header, the number of rows and the first --rows (default 5) rows.\n"
           "The encoding and the delimiter are detected (auto) unless given.\n"
           "Bad input (ragged rows, an unclosed quote, bytes not valid in the encoding, a cell over\n"
           "16 MiB) is refused (exit 3) with its line and column. --lenient keeps bare quotes as Excel\n"
           "does; --ragged pad fills short rows.\n\n"
           "convert copies every record (the header too) to standard output or --output PATH (written\n"
           "only when the whole input was read): --to cp932 for Excel in Japan, or --to utf-8 --bom;\n"
           "--neutralize-formulas puts ' before cells beginning with = + - @ tab or CR (OWASP; -5 too);\n"
           "--replace-unmappable writes the nearest CP932 character or ? instead of refusing. FILE may be -.\n"
           "With --output a summary is printed (as a table, --json or --csv); without, the CSV itself.\n";
}

}  // namespace cli
