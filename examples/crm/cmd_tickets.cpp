// cmd_tickets.cpp — `crm ticket …`, `crm calendar …`, `crm sla …` (MISSION B5):
// the tickets' own sub-commands — status workflow, first responses, SLA state
// and breach alerts — business calendars and SLA policies. A ticket's add, get,
// list, update, delete, history and as-of are the generic ones (cmd_records.cpp).
#include <fmt/format.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {

int ticket_history(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"status", false, "only the status transitions"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    if (!a.has("status")) return history_record(ctx, crm::Entity::ticket, id);
    std::vector<std::string> docs;
    for (const auto& c : must(ctx.open().tickets().status_history(id))) docs.push_back(crm::to_json(c));
    print_records(ctx, docs, {"at", "from", "to", "actor=actor_id"});
    return exit_ok;
}

int ticket_status(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"at", true, "when the status changed (default: now; never in the future)"}});
    a.expect_positional(2, 2);
    const crm::Id id = parse_id(a.positional[0]);
    auto s = crm::ticket_status_from_string(a.positional[1]);
    if (!s) invalid_input(fmt::format("'{}' is not a status (new, open, pending, on_hold, resolved, closed)", a.positional[1]));
    std::optional<crm::Timestamp> at;
    if (auto v = a.get("at")) at = parse_time(*v, "--at");
    print_record(ctx, crm::to_json(must(ctx.open().tickets().transition(id, *s, at))));
    return exit_ok;
}

int ticket_respond(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"at", true, "when the reply was sent (default: now)"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    std::optional<crm::Timestamp> at;
    if (auto v = a.get("at")) at = parse_time(*v, "--at");
    auto t = ctx.open().tickets();
    must(t.record_response(id, at));
    print_record(ctx, crm::to_json(must(t.get(id))));
    return exit_ok;
}

int ticket_sla(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"now", true, "evaluate at this time (default: now)"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    std::optional<crm::Timestamp> now;
    if (auto v = a.get("now")) now = parse_time(*v, "--now");
    print_record(ctx, crm::to_json(must(ctx.open().tickets().sla(id, now))));
    return exit_ok;
}

int ticket_breaching(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"within", true, "minutes ahead (default 0: only breached)"}, {"now", true}});
    a.expect_positional(0, 0);
    std::int64_t within = 0;
    if (auto v = a.get("within")) within = parse_int(*v, "--within");
    std::optional<crm::Timestamp> now;
    if (auto v = a.get("now")) now = parse_time(*v, "--now");
    std::vector<std::string> docs;
    for (const auto& x : must(ctx.open().tickets().breaching(within, now))) docs.push_back(crm::to_json(x));
    print_records(ctx, docs, {"ticket=ticket_id", "target", "due_at", "breached", "priority", "subject"});
    return exit_ok;
}

}  // namespace

std::string ticket_usage() {
    return records_usage(
        crm::Entity::ticket,
        {{"history ID [--status]", "field changes, or only the status transitions"},
         {"status ID NEW_STATUS", "new → open|pending|on_hold|resolved;"},
         {"", "open → pending|on_hold|resolved;"},
         {"", "pending|on_hold → open|resolved; resolved → open|closed"},
         {"respond ID [--at TIME]", "record the first outbound reply (later calls keep the first)"},
         {"sla ID [--now TIME]", "due times, elapsed business time, met/breached/pending"},
         {"breaching [--within MIN] [--now TIME]", "unresolved tickets breached or due within MIN minutes"}},
        "\n'update' changes fields, not the status: use 'status'.\n");
}

std::string calendar_usage() {
    return "usage: crm calendar define --from-json FILE\n"
           "       crm calendar get ID\n"
           "       crm calendar list\n\n"
           "A business calendar: {\"name\":\"日本営業日\",\"utc_offset\":\"+09:00\",\n"
           "  \"hours\":{\"mon\":[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]],…},\"holidays\":[\"2026-01-01\",…]}\n"
           "Defining an existing name replaces its hours and holidays.\n";
}

std::string sla_usage() {
    return "usage: crm sla define --from-json FILE\n"
           "       crm sla define --name N [--calendar ID] --target PRIORITY=FIRST_RESPONSE_MIN/RESOLUTION_MIN…\n"
           "       crm sla get ID\n"
           "       crm sla list\n\n"
           "e.g. crm sla define --name 標準SLA --calendar 1 --target high=60/480 --target normal=240/1440\n";
}

int cmd_ticket(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::ticket, args,
                          {{"history", ticket_history}, {"status", ticket_status}, {"respond", ticket_respond},
                           {"sla", ticket_sla}, {"breaching", ticket_breaching}});
}

namespace {
int calendar_define(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"from-json", true}});
    a.expect_positional(0, 0);
    auto f = a.get("from-json");
    if (!f) usage_error("--from-json FILE is required", "see 'crm help calendar'");
    auto cal = must(crm::calendar_from_json(read_file_or_stdin(*f)));
    auto t = ctx.open().tickets();
    crm::Id id = must(t.define_calendar(cal));
    print_record(ctx, crm::to_json(must(t.calendar(id))));
    return exit_ok;
}

int calendar_get(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    print_record(ctx, crm::to_json(must(ctx.open().tickets().calendar(parse_id(a.positional[0])))));
    return exit_ok;
}

int calendar_list(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(0, 0);
    std::vector<std::string> docs;
    for (const auto& c : must(ctx.open().tickets().calendars())) docs.push_back(crm::to_json(c));
    print_records(ctx, docs, {"id", "name", "utc_offset", "holidays"});
    return exit_ok;
}

int sla_define(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"from-json", true}, {"name", true}, {"calendar", true}, {"target", true}});
    a.expect_positional(0, 0);
    crm::SlaPolicy p;
    if (auto f = a.get("from-json")) p = must(crm::sla_policy_from_json(read_file_or_stdin(*f)));
    if (auto n = a.get("name")) {
        check_utf8("--name", *n);
        p.name = *n;
    }
    if (auto c = a.get("calendar")) p.calendar_id = parse_id(*c, "--calendar");
    for (const auto& t : a.all("target")) {
        auto eq = t.find('='), slash = t.find('/');
        if (eq == std::string::npos || slash == std::string::npos || slash < eq)
            bad_argument(fmt::format("--target: '{}' is not PRIORITY=FIRST_RESPONSE_MIN/RESOLUTION_MIN", t));
        auto pr = crm::ticket_priority_from_string(t.substr(0, eq));
        if (!pr) invalid_input(fmt::format("--target: '{}' is not a priority (low, normal, high, urgent)", t.substr(0, eq)));
        crm::SlaTarget st;
        st.priority = *pr;
        st.first_response_minutes = parse_int(t.substr(eq + 1, slash - eq - 1), "--target first response");
        st.resolution_minutes = parse_int(t.substr(slash + 1), "--target resolution");
        p.targets.push_back(st);
    }
    if (p.name.empty()) usage_error("--name or --from-json is required", "see 'crm help sla'");
    auto tk = ctx.open().tickets();
    crm::Id id = must(tk.define_sla_policy(p));
    print_record(ctx, crm::to_json(must(tk.sla_policy(id))));
    return exit_ok;
}

int sla_get(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    print_record(ctx, crm::to_json(must(ctx.open().tickets().sla_policy(parse_id(a.positional[0])))));
    return exit_ok;
}

int sla_list(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(0, 0);
    std::vector<std::string> docs;
    for (const auto& p : must(ctx.open().tickets().sla_policies())) docs.push_back(crm::to_json(p));
    print_records(ctx, docs, {"id", "name", "calendar=calendar_id"});
    return exit_ok;
}
}  // namespace

int cmd_calendar(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args, {{"define", calendar_define}, {"get", calendar_get}, {"list", calendar_list}});
}

int cmd_sla(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args, {{"define", sla_define}, {"get", sla_get}, {"list", sla_list}});
}

}  // namespace cli
