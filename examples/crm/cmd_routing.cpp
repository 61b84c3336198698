// cmd_routing.cpp — `crm routing …` and `crm route …` (crm/routing.hpp).
//   crm routing define --from-json FILE | update --from-json FILE      (- for stdin)
//   crm routing list | show NAME [--version N] | versions NAME
//   crm routing handoffs CONTACT | handoff ID
//   crm routing attach THRESHOLD ROUTING | detach THRESHOLD
//   crm route CONTACT --routing NAME [--dry-run]
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/routing.hpp"
#include "records.hpp"

namespace cli {

namespace {
const std::vector<std::string> kDefColumns = {"name", "version", "latest_version", "created_at"};
const std::vector<std::string> kHandoffColumns = {"id",     "contact_id", "status", "owner_id", "rule",
                                                  "reason", "task_id",    "due_at", "at"};

std::string name_arg(const std::string& s, const char* what) {
    check_utf8(what, s);
    return s;
}

std::string definition_arg(Context& ctx, const Tokens& t, Args& a) {
    (void)ctx;
    (void)t;
    a.expect_positional(0, 0);
    auto file = a.get("from-json");
    if (!file) usage_error("--from-json FILE is required (a routing's JSON document; - for stdin)");
    return read_file_or_stdin(*file);
}

int routing_define(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"from-json", true, "the routing's JSON document (a file, - for stdin)"}});
    const std::string text = definition_arg(ctx, t, a);
    print_records(ctx, {crm::to_json(must(ctx.open().routing().define(text)))}, kDefColumns);
    return exit_ok;
}

int routing_update(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"from-json", true, "the new version's JSON document (a file, - for stdin)"}});
    const std::string text = definition_arg(ctx, t, a);
    print_records(ctx, {crm::to_json(must(ctx.open().routing().update(text)))}, kDefColumns);
    return exit_ok;
}

int routing_list(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(0, 0);
    std::vector<std::string> docs;
    for (const auto& d : must(ctx.open().routing().list())) docs.push_back(crm::to_json(d));
    print_records(ctx, docs, kDefColumns);
    return exit_ok;
}

int routing_show(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"version", true, "a version number (default: the latest)"}});
    a.expect_positional(1, 1);
    int version = 0;
    if (auto v = a.get("version")) {
        const auto n = parse_int(*v, "--version");
        if (n < 1 || n > 1000000000) usage_error("--version: a version number is 1 or more");
        version = static_cast<int>(n);
    }
    print_record(ctx, crm::to_json(must(ctx.open().routing().get(name_arg(a.positional[0], "NAME"), version))));
    return exit_ok;
}

int routing_versions(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    std::vector<std::string> docs;
    for (const auto& d : must(ctx.open().routing().versions(name_arg(a.positional[0], "NAME"))))
        docs.push_back(crm::to_json(d));
    print_records(ctx, docs, kDefColumns);
    return exit_ok;
}

int routing_handoffs(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "CONTACT");
    std::vector<std::string> docs;
    for (const auto& h : must(ctx.open().routing().handoffs(id))) docs.push_back(crm::to_json(h));
    print_records(ctx, docs, kHandoffColumns);
    return exit_ok;
}

int routing_handoff(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "ID");
    print_record(ctx, crm::to_json(must(ctx.open().routing().handoff(id))));
    return exit_ok;
}

int routing_attach(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(2, 2);
    const std::string th = name_arg(a.positional[0], "THRESHOLD");
    const std::string ro = name_arg(a.positional[1], "ROUTING");
    must(ctx.open().routing().attach(th, ro));
    print_object(ctx, json{{"threshold", th}, {"routing", ro}, {"attached", true}});
    return exit_ok;
}

int routing_detach(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const std::string th = name_arg(a.positional[0], "THRESHOLD");
    must(ctx.open().routing().detach(th));
    print_object(ctx, json{{"threshold", th}, {"attached", false}});
    return exit_ok;
}
}  // namespace

int cmd_routing(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"define", routing_define},
                    {"update", routing_update},
                    {"list", routing_list},
                    {"show", routing_show},
                    {"versions", routing_versions},
                    {"handoffs", routing_handoffs},
                    {"handoff", routing_handoff},
                    {"attach", routing_attach},
                    {"detach", routing_detach}});
}

std::string routing_usage() {
    return "usage: crm routing define --from-json FILE | update --from-json FILE   (- for stdin)\n"
           "       crm routing list | show NAME [--version N] | versions NAME\n"
           "       crm routing handoffs CONTACT | handoff ID\n"
           "       crm routing attach THRESHOLD ROUTING | detach THRESHOLD\n\n"
           "Routing of hot leads (docs/routing.md): ordered rules on contact, account and custom\n"
           "fields, territories, one owner or a round-robin pool with per-owner capacity, and a\n"
           "required fallback owner. crm route CONTACT --routing NAME routes a contact; attach runs\n"
           "a routing for each contact entering a score threshold.\n";
}

int cmd_route(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args,
                        {{"routing", true, "the routing's name"},
                         {"dry-run", false, "decide and report, write nothing"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "CONTACT");
    auto r = a.get("routing");
    if (!r) usage_error("--routing NAME is required");
    crm::RouteOptions o;
    o.dry_run = a.has("dry-run");
    auto h = must(ctx.open().routing().route(name_arg(*r, "--routing"), id, o));
    print_records(ctx, {crm::to_json(h)}, kHandoffColumns);
    return exit_ok;
}

std::string route_usage() {
    return "usage: crm route CONTACT --routing NAME [--dry-run]\n\n"
           "Routes the contact (docs/routing.md): the first matching rule with an owner who has\n"
           "room (round robin in a pool), else the fallback; sets the contact's owner, creates a\n"
           "follow-up task due in business hours, and stores the hand-off (crm routing handoffs).\n"
           "--dry-run reports the decision and writes nothing.\n";
}

}  // namespace cli
