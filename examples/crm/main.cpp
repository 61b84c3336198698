// main.cpp — the crm command-line tool.
//
// Like libgit2's lg2: a table of sub-commands {name, fn, summary}, global
// options parsed here, one source file per command family, and nothing but the
// public API of the library (include/crm/).
//
//   crm [--db FILE] [--json|--csv] [--actor USER_ID] <command> [arguments]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <system_error>

#include <fmt/format.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {
namespace {

int cmd_help(Context& ctx, const Tokens& args);

struct Command {
    const char* name;
    int (*fn)(Context&, const Tokens&);
    const char* summary;
    std::string (*usage)();
    bool subs;  // takes a sub-command (crm deal move …): `crm deal move --help` checks it exists
};

std::string help_usage() {
    return "usage: crm help [COMMAND]\n\nShows the commands, or how to use one of them (--json: as a document).\n";
}

const Command kCommands[] = {
    {"init", cmd_init, "create a database, or bring its schema up to date", init_usage, false},
    {"contact", cmd_contact, "people: add, get, list, count, update, delete, history, as-of, jobs", contact_usage, true},
    {"account", cmd_account, "companies: the same, and contacts, subsidiaries", account_usage, true},
    {"user", cmd_user, "your own people: add, get, list, count, update, delete, history, as-of", user_usage, true},
    {"team", cmd_team, "teams: the same, and members", team_usage, true},
    {"tag", cmd_tag, "add or remove a tag on a record", tag_usage, true},
    {"field", cmd_field, "define, get, list and remove custom fields", field_usage, true},
    {"custom", cmd_custom, "set or clear a custom field value on a record", custom_usage, true},
    {"history", cmd_history, "the change feed: since ID (--follow), count, latest", history_usage, true},
    // sales (cmd_sales.cpp)
    {"product", cmd_product, "products (price, series): the record commands", product_usage, true},
    {"campaign", cmd_campaign, "campaigns / lead sources: the record commands, deals, contacts", campaign_usage, true},
    {"pipeline", cmd_pipeline, "sales pipelines and stages: the record commands, stages", pipeline_usage, true},
    {"deal", cmd_deal, "deals (商談): the record commands, totals, move, stages, weighted, lost-reason", deal_usage, true},
    // interactions (cmd_interactions.cpp)
    {"log", cmd_log, "record an interaction (call, email, meeting, note, web_visit, …)", log_usage, false},
    {"interaction", cmd_interaction, "interactions: the record commands (add = log)", interaction_usage, true},
    {"timeline", cmd_timeline, "a contact's, account's, deal's or ticket's interactions, newest first", timeline_usage, false},
    {"ingest", cmd_ingest, "bulk-load interactions from JSON lines (idempotent on external_id)", ingest_usage, false},
    {"email", cmd_email, "email tracking: track sent/delivered/opened/clicked/bounced/unsubscribed, events", email_usage, true},
    // service (cmd_tickets.cpp)
    {"ticket", cmd_ticket, "support tickets: the record commands, status, respond, sla, breaching", ticket_usage, true},
    {"calendar", cmd_calendar, "business calendars (working hours, holidays) for SLAs", calendar_usage, true},
    {"sla", cmd_sla, "SLA policies: first-response and resolution targets per priority", sla_usage, true},
    // work (cmd_work.cpp)
    {"task", cmd_task, "tasks: the record commands, for, due, remind, release, reminder", task_usage, true},
    {"doc", cmd_doc, "documents (quotes, invoices …): the record commands, for, send, sends, max-size", doc_usage, true},
    // segments (cmd_segments.cpp)
    {"segment", cmd_segment, "saved segments: define, show, remove, count, contacts, check (+ record commands)",
     segment_usage, true},
    // lead scoring (cmd_scoring.cpp)
    {"score", cmd_score, "lead scoring: models, scores, explain, top, rescore, dry-run", score_usage, true},
    // score thresholds (cmd_thresholds.cpp)
    {"threshold", cmd_threshold, "score thresholds with hysteresis: define, list, state, crossings", threshold_usage,
     true},
    // re-engagement and churn signals (cmd_signals.cpp)
    {"signal", cmd_signal, "re-engagement and churn signals: define, list, flags, scan, ack", signal_usage, true},
    // duplicate detection and undoable merge (cmd_dedup.cpp)
    {"dedup", cmd_dedup, "duplicate contacts and accounts: find, merge, undo, merges", dedup_usage, true},
    // predictive scoring (cmd_predictive.cpp)
    {"predict", cmd_predict, "predictive scoring: train, show, list, versions, score, stored, top, rescore",
     predict_usage, true},
    // routing of hot leads (cmd_routing.cpp)
    {"routing", cmd_routing, "routing of hot leads: define, update, show, list, handoffs, attach", routing_usage,
     true},
    {"route", cmd_route, "route a contact to a rep: owner, follow-up task, hand-off", route_usage, false},
    // forms and lead capture (cmd_forms.cpp)
    {"form", cmd_form, "web forms: define, get, list, remove, versions, check, submit, touches", form_usage, true},
    // normalisation (cmd_normalize.cpp)
    {"normalize", cmd_normalize, "normalise typed text: email, phone (E.164), text, fold, kana, company", normalize_usage,
     true},
    // full-text search (cmd_search.cpp)
    {"search", cmd_search, "full-text search (Japanese and English) over every kind; rebuild the index",
     search_usage, false},
    // CSV files (cmd_csv.cpp)
    {"csv", cmd_csv, "CSV files: inspect (encoding, delimiter, rows) and convert (CP932, BOM, formulas)", csv_usage,
     true},
    // import and export (cmd_import.cpp)
    {"import", cmd_import, "import CSV or JSON lines with a mapping: dedup, rejects, dry run, undo; list, show, undo",
     import_usage, false},
    {"export", cmd_export, "export records as CSV or JSON lines (the import's mapping language)", export_usage, false},
    {"demo", cmd_demo, "create a sample company in a fresh database", demo_usage, false},
    {"version", cmd_version, "show the versions of the tool, library and schema", version_usage, false},
    {"help", cmd_help, "show help for a command", help_usage, false},
};

const Command* find_command(const std::string& name) {
    for (const auto& c : kCommands)
        if (name == c.name) return &c;
    return nullptr;
}

// A kind named by its entity name or plural ("document", "contacts"): the command of the kind.
const Command* command_of_kind(const std::string& name) {
    for (const auto* k : crm::entity_kinds()) {
        if (name != k->name && name != k->plural) continue;
        if (const Command* c = find_command(std::string(k->name))) return c;
        if (k->entity == crm::Entity::document) return find_command("doc");
    }
    return nullptr;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// "did you mean 'contact'?" for a near miss, else the pointer to crm help.
std::string command_hint(const std::string& name) {
    std::string best;
    std::size_t best_d = 3;
    for (const auto& c : kCommands) {
        const std::size_t d = edit_distance(name, c.name);
        if (d < best_d) best_d = d, best = c.name;
    }
    return best.empty() ? "see 'crm help' for the commands" : fmt::format("did you mean 'crm {}'? see 'crm help'", best);
}

std::size_t name_width() {
    std::size_t w = 0;
    for (const auto& c : kCommands) w = std::max(w, std::string_view(c.name).size());
    return w;
}

void general_help(const Context& ctx) {
    if (ctx.format != Format::as_table) {
        json commands = json::array();
        for (const auto& c : kCommands) commands.push_back({{"command", c.name}, {"summary", c.summary}});
        if (ctx.format == Format::as_json) return print_json_doc(json{{"commands", commands}}.dump());
        Table t;
        t.headers = {"command", "summary"};
        for (const auto& c : kCommands) t.rows.push_back({c.name, c.summary});
        return print_csv(t);
    }
    const std::size_t w = name_width();
    std::string s =
        "usage: crm [--db FILE] [--json|--csv] [--actor USER_ID] <command> [arguments]\n\n"
        "commands:\n";
    for (const auto& c : kCommands) s += fmt::format("  {:<{}}  {}\n", c.name, w, c.summary);
    s += "\n"
         "The record commands of every kind: add, get, list, count, update, delete, history, as-of.\n\n"
         "global options (also accepted after the command):\n"
         "  --db FILE        database file (default: $CRM_DB, else ./crm.db)\n"
         "  --json           print JSON documents (as the library's crm::to_json gives them)\n"
         "  --csv            print CSV (RFC 4180, header row)\n"
         "  --actor USER_ID  record changes as made by this user (default: $CRM_ACTOR)\n\n"
         "exit codes: 0 ok, 1 usage (the command line cannot be read), 2 not found,\n"
         "            3 refused (a value or a rule of the data), 4 other error\n"
         "see 'crm help <command>' for the arguments of a command.\n";
    fmt::print("{}", s);
}

int cmd_help(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(0, 1);
    if (a.positional.empty()) {
        general_help(ctx);
        return exit_ok;
    }
    const Command* c = find_command(a.positional[0]);
    if (!c) c = command_of_kind(a.positional[0]);
    if (!c) usage_error(fmt::format("'{}' is not a crm command", a.positional[0]), command_hint(a.positional[0]));
    if (ctx.format == Format::as_table) fmt::print("{}", c->usage());
    else print_object(ctx, json{{"command", c->name}, {"usage", c->usage()}});
    return exit_ok;
}

bool asks_for_help(const Tokens& args) {
    for (const auto& t : args) {
        if (t == "--") return false;
        if (t == "--help" || t == "-h") return true;
    }
    return false;
}

// `crm CMD --help` prints the usage; `crm CMD SUB --help` lets the command check
// that SUB is one of its sub-commands first (an unknown one is a usage error).
int help_or_run(Context& ctx, const Tokens& rest, const std::function<int(Context&, const Tokens&)>& fn, bool subs,
                std::function<std::string()> usage) {
    if (asks_for_help(rest)) {
        const std::size_t at = skip_globals(ctx, rest);
        if (!subs || at >= rest.size() || rest[at].starts_with("-")) {
            fmt::print("{}", usage());
            return exit_ok;
        }
        ctx.help = true;
    }
    ctx.usage = std::move(usage);
    return fn(ctx, rest);
}

// Global options before the command: returns the index of the command.
std::size_t parse_leading_globals(Context& ctx, const Tokens& tokens) {
    std::size_t i = 0;
    while (i < tokens.size() && tokens[i].size() > 1 && tokens[i][0] == '-') {
        const std::string& t = tokens[i];
        if (t == "--help" || t == "-h" || t == "--version") return i;
        const bool takes_value = (t == "--db" || t == "--actor");
        Tokens prefix(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                      tokens.begin() + static_cast<std::ptrdiff_t>(std::min(tokens.size(), i + (takes_value ? 2 : 1))));
        Args a = parse_args(ctx, prefix, {});  // only global options are known here
        if (!a.positional.empty() || !a.options.empty()) usage_error(fmt::format("unknown option '{}'", t));
        i += prefix.size();
    }
    return i;
}

int run(Context& ctx, const Tokens& tokens) {
    const std::size_t at = parse_leading_globals(ctx, tokens);
    if (at >= tokens.size()) usage_error("no command given", "see 'crm help'");
    std::string name = tokens[at];
    if (name == "--help" || name == "-h") name = "help";
    if (name == "--version") name = "version";
    check_utf8("the command name", name);
    const Command* c = find_command(name);
    if (!c) c = command_of_kind(name);  // crm document list, crm contacts list
    ctx.command = c ? c->name : name;
    const Tokens rest(tokens.begin() + static_cast<std::ptrdiff_t>(at) + 1, tokens.end());
    if (!c) {
        // Any kind of record without a command of its own gets the generic record commands.
        if (auto e = crm::entity_from_name(name)) {
            const crm::Entity kind = *e;
            return help_or_run(
                ctx, rest, [kind](Context& x, const Tokens& r) { return record_command(x, kind, r); }, true,
                [kind] { return records_usage(kind); });
        }
        usage_error(fmt::format("'{}' is not a crm command", name), command_hint(name));
    }
    return help_or_run(ctx, rest, c->fn, c->subs, c->usage);
}

}  // namespace
}  // namespace cli

int main(int argc, char** argv) {
    using namespace cli;
    Context ctx;
    const char* env_db = std::getenv("CRM_DB");
    ctx.db_path = env_db && *env_db ? env_db : "crm.db";
    int code = exit_ok;
    try {
        if (const char* env_actor = std::getenv("CRM_ACTOR"); env_actor && *env_actor)
            ctx.actor = parse_id(env_actor, "CRM_ACTOR");
        code = run(ctx, Tokens(argv + 1, argv + argc));
    } catch (const Failure& f) {
        std::fflush(stdout);
        fmt::print(stderr, "crm: error: {} ({})\n", f.message, f.code);
        std::string hint = f.hint;
        if (hint.empty() && f.exit == exit_usage)
            hint = ctx.command.empty() || !find_command(ctx.command) ? "see 'crm help'"
                                                                      : fmt::format("see 'crm help {}'", ctx.command);
        if (!hint.empty()) fmt::print(stderr, "crm: hint: {}\n", hint);
        code = f.exit;
    } catch (const std::system_error& e) {  // fmt reports failed writes so (stdout full, closed …)
        fmt::print(stderr, "crm: error: cannot write the output: {} (io_error)\n", e.what());
        ctx.db.reset();
        return exit_other;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "crm: error: {} (internal)\n", e.what());
        code = exit_other;
    } catch (...) {
        fmt::print(stderr, "crm: error: unexpected failure (internal)\n");
        code = exit_other;
    }
    ctx.db.reset();  // close before reporting: closing may still write (WAL checkpoint)
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        fmt::print(stderr, "crm: error: cannot write the output (io_error)\n");
        return code == exit_ok ? exit_other : code;
    }
    return code;
}
