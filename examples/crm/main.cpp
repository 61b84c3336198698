// main.cpp — the crm command-line tool.
//
// Like libgit2's lg2: a table of sub-commands {name, fn, summary}, global
// options parsed here, one source file per command family, and nothing but the
// public API of the library (include/crm/).
//
//   crm [--db FILE] [--json|--csv] [--actor USER_ID] <command> [arguments]
#include <cstdio>
#include <cstdlib>
#include <exception>
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
};

std::string help_usage() { return "usage: crm help [COMMAND]\n\nShows the commands, or how to use one of them.\n"; }

const Command kCommands[] = {
    {"init", cmd_init, "create a database, or bring its schema up to date", init_usage},
    {"contact", cmd_contact, "people: add, get, list, update, delete, history, as-of, jobs", contact_usage},
    {"account", cmd_account, "companies: add, get, list, update, delete, history, as-of, contacts", account_usage},
    {"user", cmd_user, "your own people: add, get, list, update, delete, history, as-of", user_usage},
    {"team", cmd_team, "teams: add, get, list, update, delete, history, as-of, members", team_usage},
    {"tag", cmd_tag, "add or remove a tag on a record", tag_usage},
    {"field", cmd_field, "define, list and remove custom fields", field_usage},
    {"custom", cmd_custom, "set or clear a custom field value on a record", custom_usage},
    // sales (cmd_sales.cpp)
    {"product", cmd_product, "products (price, series): add, get, list, update, delete, history, as-of", product_usage},
    {"campaign", cmd_campaign, "campaigns / lead sources: add, get, list, update, delete, history, as-of, deals", campaign_usage},
    {"pipeline", cmd_pipeline, "sales pipelines and stages: add, get, list, update, delete, history, as-of, stages", pipeline_usage},
    {"deal", cmd_deal, "deals (商談): add, get, list, update, delete, history, as-of, move, stages, weighted, lost-reason", deal_usage},
    // interactions (cmd_interactions.cpp)
    {"log", cmd_log, "record an interaction (call, email, meeting, note, web_visit, …)", log_usage},
    {"interaction", cmd_interaction, "interactions: add, get, list, update, delete, history, as-of", interaction_usage},
    {"timeline", cmd_timeline, "a contact's, account's, deal's or ticket's interactions, newest first", timeline_usage},
    {"ingest", cmd_ingest, "bulk-load interactions from JSON lines (idempotent on external_id)", ingest_usage},
    {"email", cmd_email, "email tracking: track sent/delivered/opened/clicked/bounced/unsubscribed, events", email_usage},
    // service (cmd_tickets.cpp)
    {"ticket", cmd_ticket, "support tickets: add, get, list, update, delete, history, as-of, status, respond, sla, breaching", ticket_usage},
    {"calendar", cmd_calendar, "business calendars (working hours, holidays) for SLAs", calendar_usage},
    {"sla", cmd_sla, "SLA policies: first-response and resolution targets per priority", sla_usage},
    // work (cmd_work.cpp)
    {"task", cmd_task, "tasks: add, get, list, update, delete, history, as-of, due, remind", task_usage},
    {"doc", cmd_doc, "documents (quotes, invoices …): add FILE, get --out, list, update, delete, history, as-of, send, sends", doc_usage},
    {"demo", cmd_demo, "create a sample company in a fresh database", demo_usage},
    {"version", cmd_version, "show the versions of the tool, library and schema", version_usage},
    {"help", cmd_help, "show help for a command", help_usage},
};

const Command* find_command(const std::string& name) {
    for (const auto& c : kCommands)
        if (name == c.name) return &c;
    return nullptr;
}

void general_help() {
    std::string s =
        "usage: crm [--db FILE] [--json|--csv] [--actor USER_ID] <command> [arguments]\n\n"
        "commands:\n";
    for (const auto& c : kCommands) s += fmt::format("  {:<9} {}\n", c.name, c.summary);
    s += "\n"
         "global options (also accepted after the command):\n"
         "  --db FILE        database file (default: $CRM_DB, else ./crm.db)\n"
         "  --json           print JSON documents (as the library's crm::to_json gives them)\n"
         "  --csv            print CSV (RFC 4180, header row)\n"
         "  --actor USER_ID  record changes as made by this user (default: $CRM_ACTOR)\n\n"
         "exit codes: 0 ok, 1 usage error, 2 not found, 3 invalid input, 4 other error\n"
         "see 'crm help <command>' for the arguments of a command.\n";
    fmt::print("{}", s);
}

int cmd_help(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(0, 1);
    if (a.positional.empty()) {
        general_help();
        return exit_ok;
    }
    const Command* c = find_command(a.positional[0]);
    if (!c) usage_error(fmt::format("'{}' is not a crm command", a.positional[0]), "see 'crm help'");
    fmt::print("{}", c->usage());
    return exit_ok;
}

bool asks_for_help(const Tokens& args) {
    for (const auto& t : args) {
        if (t == "--") return false;
        if (t == "--help" || t == "-h") return true;
    }
    return false;
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
    ctx.command = name;
    const Command* c = find_command(name);
    const Tokens rest(tokens.begin() + static_cast<std::ptrdiff_t>(at) + 1, tokens.end());
    if (!c) {
        check_utf8("the command name", name);
        // Any kind of record without a command of its own gets the generic record commands.
        if (auto e = crm::entity_from_name(name)) {
            if (asks_for_help(rest)) {
                fmt::print("{}", records_usage(*e));
                return exit_ok;
            }
            return record_command(ctx, *e, rest);
        }
        usage_error(fmt::format("'{}' is not a crm command", name), "see 'crm help'");
    }
    if (asks_for_help(rest)) {
        fmt::print("{}", c->usage());
        return exit_ok;
    }
    return c->fn(ctx, rest);
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
