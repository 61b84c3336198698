// cmd_import.cpp — `crm import` and `crm export`: CSV and JSON lines in and out with the
// mapping language of crm::import (docs/import.md).
//   crm import 名刺.csv --kind contact --map 氏名=name --map メール=emails --ref 会社=account_id:name:create
//   crm import deals.csv --mapping examples/maven/deals.json --rejects rejects.csv [--dry-run]
//   crm import list | show BATCH | undo BATCH [--force]
//   crm export contact [--mapping M] [--format csv|jsonl] [--neutralize-formulas] [--output FILE]
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "crm/import.hpp"
#include "records.hpp"

namespace cli {

namespace {

namespace imp = crm::import;

const std::vector<OptSpec> kMappingOpts = {
    {"mapping", true},  {"kind", true},      {"map", true},        {"ref", true},        {"value", true},
    {"match", true},    {"on-duplicate", true}, {"missing", true}, {"currency", true},   {"utc-offset", true},
    {"region", true},   {"encoding", true},  {"delimiter", true},  {"auto", false},      {"format", true},
};

// The mapping: the --mapping file, with the rules and settings of the other options added.
imp::Mapping mapping_of(const Args& a, bool for_export) {
    json doc = json::object();
    if (auto path = a.get("mapping")) {
        const auto text = read_file_or_stdin(*path);
        try {
            doc = json::parse(text);
        } catch (const std::exception& e) {
            invalid_input(fmt::format("{}: not JSON: {}", *path, e.what()));
        }
        if (!doc.is_object()) invalid_input(fmt::format("{}: a mapping is a JSON object", *path));
    }
    if (auto k = a.get("kind")) doc["kind"] = *k;
    if (!doc.contains("kind")) bad_argument("give the kind of record: --kind contact (or a --mapping file)");
    if (!doc.contains("fields")) doc["fields"] = json::array();
    auto split_eq = [](const std::string& v, const char* opt) {
        const auto eq = v.find('=');
        if (eq == std::string::npos || eq == 0) bad_argument(fmt::format("--{}: '{}' is not LEFT=RIGHT", opt, v));
        return std::pair{v.substr(0, eq), v.substr(eq + 1)};
    };
    for (const auto& m : a.all("map")) {
        auto [column, field] = split_eq(m, "map");
        doc["fields"].push_back({{"column", column}, {"field", field}});
    }
    for (const auto& m : a.all("ref")) {  // COLUMN=FIELD:BY[:MISSING]
        auto [column, rest] = split_eq(m, "ref");
        const auto c1 = rest.find(':');
        if (c1 == std::string::npos) bad_argument(fmt::format("--ref: '{}' is not COLUMN=FIELD:BY[:MISSING]", m));
        json rule = {{"column", column}, {"field", rest.substr(0, c1)}};
        const auto c2 = rest.find(':', c1 + 1);
        rule["by"] = rest.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
        if (c2 != std::string::npos) rule["missing"] = rest.substr(c2 + 1);
        doc["fields"].push_back(rule);
    }
    for (const auto& m : a.all("value")) {
        auto [field, value] = split_eq(m, "value");
        doc["fields"].push_back({{"field", field}, {"value", value}});
    }
    if (auto v = a.get("match")) {
        json keys = json::array();
        std::size_t s = 0;
        while (s <= v->size()) {
            const auto e = v->find(',', s);
            keys.push_back(v->substr(s, e == std::string::npos ? std::string::npos : e - s));
            if (e == std::string::npos) break;
            s = e + 1;
        }
        doc["match"] = keys;
    }
    if (auto v = a.get("on-duplicate")) doc["on_duplicate"] = *v;
    if (auto v = a.get("missing")) doc["missing"] = *v;
    if (auto v = a.get("currency")) doc["currency"] = *v;
    if (auto v = a.get("utc-offset")) doc["utc_offset"] = *v;
    if (auto v = a.get("region")) doc["default_region"] = *v;
    if (auto v = a.get("encoding")) doc["csv"]["encoding"] = *v;
    if (auto v = a.get("delimiter")) doc["csv"]["delimiter"] = *v;
    if (a.has("auto")) doc["auto_columns"] = true;
    // An export without a mapping file writes every field (the rules given say how some are written).
    if (for_export && !a.get("mapping")) doc["auto_columns"] = true;
    auto m = imp::parse_mapping(doc.dump());
    if (!m) raise(m.error());
    return m.value();
}

imp::Format format_of(const Args& a, const std::string& path) {
    auto f = a.get("format");
    if (!f) {
        const auto ext = std::filesystem::path(path).extension().string();
        return ext == ".jsonl" || ext == ".ndjson" ? imp::Format::jsonl : imp::Format::csv;
    }
    if (*f == "csv") return imp::Format::csv;
    if (*f == "jsonl" || *f == "json") return imp::Format::jsonl;
    bad_argument("--format: must be csv or jsonl");
}

json batch_json(const imp::Batch& b) {
    auto doc = json::parse(imp::to_json(b));
    doc.erase("mapping");
    return doc;
}

int import_run(Context& ctx, const Tokens& t) {
    std::vector<OptSpec> spec = kMappingOpts;
    for (const char* o : {"rejects", "rows-per-commit"}) spec.push_back({o, true});
    for (const char* o : {"dry-run", "quiet"}) spec.push_back({o, false});
    Args a = parse_args(ctx, t, spec);
    a.expect_positional(1, 1);
    const std::string& path = a.pos(0, "FILE");
    const auto m = mapping_of(a, false);
    imp::Options o;
    o.format = format_of(a, path);
    o.dry_run = a.has("dry-run");
    o.reject_path = a.get("rejects").value_or("");
    if (auto n = a.get("rows-per-commit")) {
        auto v = parse_int(*n, "--rows-per-commit");
        if (v < 1 || v > 1000000) invalid_input("--rows-per-commit: must be 1 to 1000000");
        o.rows_per_commit = static_cast<std::size_t>(v);
    }
    // Progress on a terminal only: rows, rows/s and how much of the file is read.
    const bool tty = isatty(STDERR_FILENO) != 0 && !a.has("quiet");
    if (tty) {
        o.progress_every = 500;
        o.progress = [](const imp::Progress& p) {
            const double rate = p.seconds > 0 ? static_cast<double>(p.rows) / p.seconds : 0;
            if (p.total_bytes)
                fmt::print(stderr, "\rimporting: {} rows, {:.0f} rows/s, {:3}% of {} bytes", p.rows, rate,
                           p.bytes * 100 / p.total_bytes, p.total_bytes);
            else
                fmt::print(stderr, "\rimporting: {} rows, {:.0f} rows/s", p.rows, rate);
            std::fflush(stderr);
        };
    }
    auto& db = ctx.open();
    crm::result<imp::Report> r = path == "-" ? db.imports().run(m, std::cin, o) : db.imports().run_file(m, path, o);
    if (tty) fmt::print(stderr, "\r\033[K");
    if (!r) {
        crm::error e = r.error();
        if (e.code == crm::errc::not_found && e.message.find(path) != std::string::npos) cannot_read(path);
        e.message = fmt::format("{}: {}", path, e.message);
        raise(e);
    }
    const auto& rep = r.value();
    json doc = json::parse(imp::to_json(rep));
    if (ctx.format == Format::as_json) {
        print_json_doc(doc.dump());
    } else {
        json shown = doc;
        shown.erase("rejects");
        shown["seconds"] = fmt::format("{:.2f}", rep.seconds);
        print_object(ctx, shown);
        if (ctx.format == Format::as_table && !rep.rejects.empty()) {
            Table shown_rows{{"line", "column", "reason"}, {}};
            for (std::size_t i = 0; i < rep.rejects.size() && i < 10; ++i)
                shown_rows.rows.push_back({std::to_string(rep.rejects[i].line), rep.rejects[i].column, rep.rejects[i].reason});
            fmt::print("\nrefused rows{}:\n", rep.rejects.size() > 10 ? " (the first 10)" : "");
            print_table(shown_rows, 80);
            if (!o.reject_path.empty()) fmt::print("every refused row is in {}\n", o.reject_path);
        }
    }
    // Rows refused: the valid ones are in, but the file did not go in whole.
    return rep.rejected ? exit_invalid : exit_ok;
}

int import_list(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(0, 0);
    auto batches = must(ctx.open().imports().list());
    json docs = json::array();
    for (const auto& b : batches) docs.push_back(batch_json(b));
    if (ctx.format == Format::as_json) {
        print_json_doc(docs.dump());
        return exit_ok;
    }
    Table out{{"id", "kind", "source", "started_at", "rows", "created", "updated", "skipped", "rejected", "undone"}, {}};
    for (const auto& b : batches)
        out.rows.push_back({std::to_string(b.id), crm::entity_name(b.kind), b.source_name, crm::format_iso8601(b.started_at),
                            std::to_string(b.rows), std::to_string(b.created), std::to_string(b.updated),
                            std::to_string(b.skipped), std::to_string(b.rejected),
                            b.undone_at ? crm::format_iso8601(b.undone_at) : (b.finished_at ? "" : "(interrupted)")});
    if (ctx.format == Format::as_csv) print_csv(out);
    else print_table(out, 40);
    return exit_ok;
}

int import_show(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    auto b = must(ctx.open().imports().get(parse_id(a.pos(0, "BATCH"), "BATCH")));
    auto doc = json::parse(imp::to_json(b));
    doc["mapping"] = json::parse(b.mapping);
    if (ctx.format == Format::as_json) print_json_doc(doc.dump());
    else {
        doc["mapping"] = b.mapping;
        print_object(ctx, doc);
    }
    return exit_ok;
}

int import_undo(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"force", false}});
    a.expect_positional(1, 1);
    auto r = must(ctx.open().imports().undo(parse_id(a.pos(0, "BATCH"), "BATCH"), a.has("force")));
    print_object(ctx, json::parse(imp::to_json(r)));
    return exit_ok;
}

}  // namespace

int cmd_import(Context& ctx, const Tokens& args) {
    const std::size_t g = skip_globals(ctx, args);
    if (g < args.size() && (args[g] == "list" || args[g] == "show" || args[g] == "undo"))
        return run_sub(ctx, args, {{"list", import_list}, {"show", import_show}, {"undo", import_undo}});
    if (ctx.help) {
        fmt::print("{}", import_usage());
        return exit_ok;
    }
    return import_run(ctx, args);
}

int cmd_export(Context& ctx, const Tokens& args) {
    std::vector<OptSpec> spec = kMappingOpts;
    for (const char* o : {"output", "where", "to"}) spec.push_back({o, true});
    for (const char* o : {"neutralize-formulas", "bom"}) spec.push_back({o, false});
    if (ctx.help) {
        fmt::print("{}", export_usage());
        return exit_ok;
    }
    Args a = parse_args(ctx, args, spec);
    a.expect_positional(0, 1);
    Args b = a;
    if (!a.positional.empty() && !a.get("kind")) b.options.emplace_back("kind", a.positional[0]);
    const auto m = mapping_of(b, true);
    const auto output = a.get("output");
    imp::ExportOptions o;
    o.format = format_of(a, output.value_or(""));
    o.csv.neutralize_formulas = a.has("neutralize-formulas");
    o.csv.bom = a.has("bom");
    if (auto e = a.get("to")) {
        auto enc = crm::csv::parse_encoding(*e);
        if (!enc || enc.value() == crm::csv::Encoding::detect) bad_argument("--to: must be utf-8 or cp932");
        o.csv.encoding = enc.value();
        o.csv.unmappable = crm::csv::Unmappable::replace;
    }
    if (o.csv.bom && o.csv.encoding != crm::csv::Encoding::utf8) bad_argument("--bom: only with UTF-8");
    for (const auto& w : a.all("where")) {
        auto f = crm::parse_filter(w);
        if (!f) raise(f.error());
        o.where.push_back(f.value());
    }
    auto& db = ctx.open();
    OutputFile target(output, ".tmp-crm-export");  // a failed export leaves no partial file
    auto n = db.imports().export_to(m, target.stream(), o);
    if (!n) raise(n.error());
    target.commit();
    if (!output) return exit_ok;
    print_object(ctx, json{{"kind", crm::entity_name(m.kind)}, {"output", *output}, {"records", n.value()}});
    return exit_ok;
}

std::string import_usage() {
    return "usage: crm import FILE (--mapping MAPPING.json | --kind KIND) [rules] [options]\n"
           "       crm import list | show BATCH | undo BATCH [--force]\n\n"
           "Brings rows of a CSV file (or JSON lines: .jsonl, --format jsonl; FILE may be -) in as\n"
           "records, through the same rules as records typed by hand (docs/import.md).\n\n"
           "rules (added to those of --mapping):\n"
           "  --map COLUMN=FIELD            a column into a field: 氏名=name, メール=emails, ランク=custom.rank\n"
           "  --ref COLUMN=FIELD:BY[:MISSING] a reference found by name|email|external_id|id;\n"
           "                                MISSING reject (default) | create | empty\n"
           "  --value FIELD=VALUE           the same value on every record: lead_source=名刺\n"
           "  --auto                        also map columns named like a field (an exported file)\n"
           "options:\n"
           "  --match KEYS                  email,phone,external_id,name,name_company: rows that are the same as a record\n"
           "  --on-duplicate POLICY         skip (default with --match) | update | merge\n"
           "  --missing MISSING             for every reference without its own\n"
           "  --currency CODE               of amounts without their own (default JPY)\n"
           "  --utc-offset +09:00           dates and times without a zone (default +00:00)\n"
           "  --region JP                   for phone numbers without a country code\n"
           "  --encoding auto|utf-8|cp932   --delimiter auto|,|tab|;|'|'\n"
           "  --dry-run                     check everything, write nothing\n"
           "  --rejects FILE                every refused row with crm_line, crm_column, crm_reason: fix and import it again\n"
           "  --rows-per-commit N           (default 2000)   --quiet: no progress line\n\n"
           "Prints what happened (batch, rows, created, updated, unchanged, skipped, rejected …).\n"
           "Exit 0 when every row went in, 3 when some were refused (the others are in), 1/2/3 when\n"
           "the mapping or the file cannot be used (nothing written). Progress shows on a terminal.\n"
           "undo removes what a batch created and restores what it updated; refused (exit 3) when those\n"
           "fields were changed since, unless --force.\n";
}

std::string export_usage() {
    return "usage: crm export KIND [--mapping MAPPING.json] [--map COLUMN=FIELD]... [--ref COLUMN=FIELD:BY]...\n"
           "                  [--where FILTER]... [--format csv|jsonl] [--to utf-8|cp932] [--bom]\n"
           "                  [--neutralize-formulas] [--output FILE]\n\n"
           "Writes the records of KIND as CSV (default) or JSON lines, with the mapping language of\n"
           "crm import: without rules every importable field, keyed by its field key, so that\n"
           "`crm import FILE --kind KIND --auto` into an empty database gives the same records.\n"
           "References are written as the rule reads them (--ref account=account_id:name writes the\n"
           "account's name). --neutralize-formulas puts ' before cells beginning with = + - @ (for\n"
           "spreadsheets; such a file is not for re-import). --to cp932 for Excel in Japan.\n";
}

}  // namespace cli
