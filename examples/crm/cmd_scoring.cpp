// cmd_scoring.cpp — `crm score …`: lead-scoring models and scores (crm/scoring.hpp).
//   crm score model define|update FILE        crm score model show M [--version N]
//   crm score model list [--active]           crm score model versions M
//   crm score model deactivate M
//   crm score get CONTACT --model M [--as-of T]     crm score explain CONTACT --model M [--as-of T]
//   crm score stored CONTACT --model M              crm score top --model M [--limit N] [--after C]
//   crm score rescore [--model M]                   crm score dry-run --from-json FILE [--threshold N]...
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/scoring.hpp"
#include "records.hpp"

namespace cli {

namespace {
const std::vector<std::string> kModelColumns = {"name", "version", "latest_version", "active", "created_at"};

// Scores: JSON documents as they are; tables and CSV from the values themselves, so
// points keep their three exact decimals.
void print_scores(const Context& ctx, const std::vector<crm::Score>& scores) {
    if (ctx.format == Format::as_json) {
        std::vector<std::string> docs;
        for (const auto& s : scores) docs.push_back(crm::to_json(s));
        print_json_docs(docs);
        return;
    }
    Table t;
    t.headers = {"contact_id", "model", "version", "total", "fit", "engagement", "grade", "trend", "trend_delta",
                 "disqualified", "as_of"};
    for (const auto& s : scores)
        t.rows.push_back({std::to_string(s.contact_id), s.model, std::to_string(s.version),
                          crm::scoring_points_text(s.total), crm::scoring_points_text(s.fit),
                          crm::scoring_points_text(s.engagement), s.grade, crm::to_string(s.trend),
                          crm::scoring_points_text(s.trend_delta), s.disqualified ? "true" : "false",
                          crm::format_iso8601(s.as_of)});
    if (ctx.format == Format::as_csv) print_csv(t);
    else print_table(t);
}

std::string model_opt(const Args& a) {
    auto m = a.get("model");
    if (!m) usage_error("--model M is required");
    check_utf8("--model", *m);
    return *m;
}

std::optional<crm::Timestamp> as_of_opt(const Args& a) {
    if (auto v = a.get("as-of")) return parse_time(*v, "--as-of");
    return std::nullopt;
}

int model_define(Context& ctx, const Tokens& t, bool update) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const std::string text = read_file_or_stdin(a.positional[0]);
    auto scoring = ctx.open().scoring();
    auto m = must(update ? scoring.update(text) : scoring.define(text));
    print_records(ctx, {crm::to_json(m)}, kModelColumns);
    return exit_ok;
}
int model_define_cmd(Context& ctx, const Tokens& t) { return model_define(ctx, t, false); }
int model_update_cmd(Context& ctx, const Tokens& t) { return model_define(ctx, t, true); }

int model_show(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"version", true, "a version number (default: the latest)"}});
    a.expect_positional(1, 1);
    check_utf8("MODEL", a.positional[0]);
    int version = 0;
    if (auto v = a.get("version")) {
        const auto n = parse_int(*v, "--version");
        if (n < 1 || n > 1000000000) invalid_input(fmt::format("--version: {} is not a version number", n));
        version = static_cast<int>(n);
    }
    auto m = must(ctx.open().scoring().get(a.positional[0], version));
    if (ctx.format == Format::as_table) {
        fmt::print("{} version {} of {}{}\n{}\n", m.name, m.version, m.latest_version, m.active ? "" : " (inactive)",
                   json::parse(m.definition).dump(2));
        return exit_ok;
    }
    print_record(ctx, crm::to_json(m));
    return exit_ok;
}

int model_list(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"active", false, "only the active models"}});
    a.expect_positional(0, 0);
    auto all = must(ctx.open().scoring().list(!a.has("active")));
    std::vector<std::string> docs;
    for (const auto& m : all) docs.push_back(crm::to_json(m));
    print_records(ctx, docs, kModelColumns);
    return exit_ok;
}

int model_versions(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    check_utf8("MODEL", a.positional[0]);
    auto all = must(ctx.open().scoring().versions(a.positional[0]));
    std::vector<std::string> docs;
    for (const auto& m : all) docs.push_back(crm::to_json(m));
    print_records(ctx, docs, kModelColumns);
    return exit_ok;
}

int model_deactivate(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    check_utf8("MODEL", a.positional[0]);
    must(ctx.open().scoring().deactivate(a.positional[0]));
    print_object(ctx, json{{"model", a.positional[0]}, {"active", false}});
    return exit_ok;
}

int score_model(Context& ctx, const Tokens& t) {
    return run_sub(ctx, t,
                   {{"define", model_define_cmd},
                    {"update", model_update_cmd},
                    {"show", model_show},
                    {"list", model_list},
                    {"versions", model_versions},
                    {"deactivate", model_deactivate}});
}

int score_get(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the model's name"}, {"as-of", true, "ISO-8601 time (default: now)"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "CONTACT");
    auto s = must(ctx.open().scoring().score(id, model_opt(a), as_of_opt(a)));
    print_scores(ctx, {s});
    return exit_ok;
}

int score_stored(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the model's name"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "CONTACT");
    auto s = must(ctx.open().scoring().stored(id, model_opt(a)));
    print_scores(ctx, {s});
    return exit_ok;
}

int score_explain(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the model's name"}, {"as-of", true, "ISO-8601 time (default: now)"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "CONTACT");
    auto e = must(ctx.open().scoring().explain(id, model_opt(a), as_of_opt(a)));
    if (ctx.format == Format::as_json) {
        print_json_doc(crm::to_json(e));
        return exit_ok;
    }
    // One row per contribution (and per occurrence), then the adjustment and the total.
    Table tab;
    tab.headers = {"rule", "part", "interaction", "at", "raw", "factor", "points", "note"};
    for (const auto& c : e.contributions) {
        tab.rows.push_back({c.rule, c.part, "", "", crm::scoring_points_text(c.raw), "", crm::scoring_points_text(c.points), c.cap});
        for (const auto& o : c.occurrences)
            tab.rows.push_back({"", o.event.empty() ? "" : o.event, std::to_string(o.interaction_id),
                                crm::format_iso8601(o.at), crm::scoring_points_text(o.raw),
                                fmt::format("{}.{:06}", o.factor / 1000000, o.factor % 1000000),
                                o.skipped.empty() ? crm::scoring_points_text(o.points) : "", o.skipped});
    }
    if (e.adjustment != 0)
        tab.rows.push_back({"(adjustment)", e.adjustment_reason, "", "", "", "", crm::scoring_points_text(e.adjustment), ""});
    tab.rows.push_back({"(total)", e.score.grade, "", crm::format_iso8601(e.score.as_of), "", "",
                        crm::scoring_points_text(e.score.total), crm::to_string(e.score.trend)});
    if (ctx.format == Format::as_csv) print_csv(tab);
    else print_table(tab);
    return exit_ok;
}

int score_top(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the model's name"},
                                 {"limit", true, "1 … 1000 (default 50)"},
                                 {"after", true, "the cursor printed as next: by the previous page"}});
    a.expect_positional(0, 0);
    crm::TopQuery q;
    if (auto v = a.get("limit")) {
        const auto n = parse_int(*v, "--limit");
        if (n < 1 || n > 1000) invalid_input(fmt::format("--limit: {} is not between 1 and 1000", n));
        q.limit = static_cast<std::size_t>(n);
    }
    if (auto v = a.get("after")) q.after = *v;
    auto page = must(ctx.open().scoring().top(model_opt(a), q));
    print_scores(ctx, page.items);
    if (!page.next.empty()) note(fmt::format("next: {}", page.next));
    return exit_ok;
}

int score_rescore(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "one model (default: every active model)"}});
    a.expect_positional(0, 0);
    std::string model;
    if (auto m = a.get("model")) {
        check_utf8("--model", *m);
        model = *m;
    }
    const auto n = must(ctx.open().scoring().rescore(model));
    print_object(ctx, json{{"scores", n}});
    return exit_ok;
}

int score_dry_run(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"model", true, "the model's name (checked against the file)"},
                                 {"from-json", true, "the new definition (a file, - for stdin)"},
                                 {"threshold", true, "whole points (repeatable)"},
                                 {"limit", true, "contacts listed (1 … 100000, default 1000)"}});
    a.expect_positional(0, 0);
    auto file = a.get("from-json");
    if (!file) usage_error("--from-json FILE is required");
    const std::string text = read_file_or_stdin(*file);
    std::vector<std::int64_t> thresholds;
    for (const auto& v : a.all("threshold")) thresholds.push_back(parse_int(v, "--threshold"));
    std::size_t limit = 1000;
    if (auto v = a.get("limit")) {
        const auto n = parse_int(*v, "--limit");
        if (n < 1 || n > 100000) invalid_input(fmt::format("--limit: {} is not between 1 and 100000", n));
        limit = static_cast<std::size_t>(n);
    }
    auto r = must(ctx.open().scoring().dry_run(text, thresholds, limit));
    if (auto m = a.get("model"); m && *m != r.model)
        invalid_input(fmt::format("--model: the file defines '{}', not '{}'", r.model, *m));
    if (ctx.format == Format::as_json) {
        print_json_doc(crm::to_json(r));
        return exit_ok;
    }
    Table tab;
    tab.headers = {"contact_id", "old_total", "new_total", "change", "crossed"};
    for (const auto& c : r.changes) {
        std::string crossed;
        for (const auto& x : c.crossed) crossed += (crossed.empty() ? "" : " ") + x;
        tab.rows.push_back({std::to_string(c.contact_id), crm::scoring_points_text(c.old_total),
                            crm::scoring_points_text(c.new_total), crm::scoring_points_text(c.new_total - c.old_total),
                            crossed});
    }
    if (ctx.format == Format::as_csv) {
        print_csv(tab);
        return exit_ok;
    }
    print_table(tab);
    note(fmt::format("{}: {} contacts scored, {} would change{}", r.model, r.contacts, r.changed,
                     r.truncated ? " (list truncated)" : ""));
    return exit_ok;
}
}  // namespace

int cmd_score(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"model", score_model},
                    {"get", score_get},
                    {"stored", score_stored},
                    {"explain", score_explain},
                    {"top", score_top},
                    {"rescore", score_rescore},
                    {"dry-run", score_dry_run}});
}

std::string score_usage() {
    return "usage: crm score model define FILE | update FILE     (a model's JSON document; - for stdin)\n"
           "       crm score model show MODEL [--version N] | list [--active] | versions MODEL\n"
           "       crm score model deactivate MODEL\n"
           "       crm score get CONTACT --model M [--as-of T]\n"
           "       crm score explain CONTACT --model M [--as-of T]\n"
           "       crm score stored CONTACT --model M\n"
           "       crm score top --model M [--limit N] [--after CURSOR]\n"
           "       crm score rescore [--model M]\n"
           "       crm score dry-run --from-json FILE [--model M] [--threshold N]... [--limit N]\n\n"
           "Lead scoring (docs/scoring.md): models of fit rules (contact and account fields) and\n"
           "behaviour rules (interactions, email events) with caps, windows and half-life decay;\n"
           "points shown with three decimals. 'get' and 'explain' compute the score now or as of a\n"
           "time; 'stored' and 'top' read the scores kept current on every write; 'dry-run' shows\n"
           "who a model change would move across each threshold, writing nothing.\n";
}

}  // namespace cli
