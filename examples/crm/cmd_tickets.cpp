// cmd_tickets.cpp — `crm ticket …`, `crm calendar …`, `crm sla …` (MISSION B5):
// tickets and their status workflow, first responses, SLA state and breach
// alerts, business calendars and SLA policies.
#include <fmt/format.h>

#include "commands.hpp"

namespace cli {

namespace {

const std::vector<std::string> kTicketColumns = {"id", "subject", "status", "priority", "channel",
                                                 "requester=requester_id", "assignee=assignee_id", "opened_at"};

const std::vector<OptSpec> kTicketFields = {
    {"subject", true, "subject (required for add)"},
    {"description", true, "description"},
    {"priority", true, "low, normal, high, urgent"},
    {"channel", true, "email, phone, web, chat, line, other"},
    {"requester", true, "contact id of the requester"},
    {"account", true, "account id"},
    {"assignee", true, "user id of the assignee"},
    {"sla-policy", true, "SLA policy id"},
    {"external-id", true, "id in another system"},
    {"opened-at", true, "ISO-8601 time the ticket was opened (default: now)"},
    {"tag", true, "a tag (repeatable)"},
    {"from-json", true, "a ticket document (file, - for stdin)"},
    {"patch", true, "a JSON merge patch (update)"},
};

json parse_document(const std::string& what, const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded()) invalid_input(fmt::format("{}: not valid JSON", what));
    return j;
}

crm::Timestamp parse_time(const std::string& text, const char* what) {
    auto t = crm::parse_iso8601(text);
    if (!t) invalid_input(fmt::format("{}: '{}' is not an ISO-8601 time (2026-01-13T09:00:00+09:00)", what, text));
    return *t;
}

// The merge patch the field options describe.
json field_patch(const Args& a) {
    json p = json::object();
    auto text = [&](const char* opt, const char* key) {
        if (auto v = a.get(opt)) {
            check_utf8(std::string("--") + opt, *v);
            p[key] = *v;
        }
    };
    auto id = [&](const char* opt, const char* key) {
        if (auto v = a.get(opt)) p[key] = v->empty() ? json(nullptr) : json(parse_id(*v, opt));
    };
    text("subject", "subject");
    text("description", "description");
    text("priority", "priority");
    text("channel", "channel");
    text("external-id", "external_id");
    id("requester", "requester_id");
    id("account", "account_id");
    id("assignee", "assignee_id");
    id("sla-policy", "sla_policy_id");
    if (auto v = a.get("opened-at")) p["opened_at"] = crm::format_iso8601(parse_time(*v, "--opened-at"));
    auto tags = a.all("tag");
    if (!tags.empty()) p["tags"] = tags;
    if (auto v = a.get("patch")) {
        json x = parse_document("--patch", *v);
        if (!x.is_object()) invalid_input("--patch: a merge patch must be a JSON object");
        x.merge_patch(p);
        p = std::move(x);
    }
    return p;
}

int ticket_add(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, kTicketFields);
    a.expect_positional(0, 0);
    json doc = json::object();
    if (auto f = a.get("from-json")) doc = parse_document(*f, read_file_or_stdin(*f));
    if (!doc.is_object()) invalid_input("--from-json: expected a JSON object");
    doc.merge_patch(field_patch(a));
    if (doc.empty()) usage_error("nothing to add: give --subject … or --from-json FILE", "see 'crm help ticket'");
    auto& db = ctx.open();
    auto t = must(crm::from_json<crm::Ticket>(doc.dump()));
    crm::Id id = must(db.tickets().create(t));
    print_record(ctx, crm::to_json(must(db.tickets().get(id))));
    return exit_ok;
}

int ticket_get(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"external-id", true}});
    auto t = ctx.open().tickets();
    if (auto x = a.get("external-id")) {
        a.expect_positional(0, 0);
        print_record(ctx, crm::to_json(must(t.get_by_external_id(*x))));
    } else {
        a.expect_positional(1, 1);
        print_record(ctx, crm::to_json(must(t.get(parse_id(a.positional[0])))));
    }
    return exit_ok;
}

int ticket_list(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"where", true}, {"sort", true}, {"desc", false}, {"limit", true}, {"after", true}});
    a.expect_positional(0, 0);
    crm::ListOptions o;
    for (const auto& w : a.all("where")) o.where.push_back(must(crm::parse_filter(w)));
    if (auto s = a.get("sort")) o.order_by = *s;
    o.descending = a.has("desc");
    if (auto l = a.get("limit")) {
        auto n = parse_int(*l, "--limit");
        if (n < 1 || n > 10000) invalid_input(fmt::format("--limit: {} is not between 1 and 10000", n));
        o.limit = static_cast<std::size_t>(n);
    }
    if (auto c = a.get("after")) o.after = *c;
    auto page = must(ctx.open().tickets().list(o));
    std::vector<std::string> docs;
    for (const auto& x : page.items) docs.push_back(crm::to_json(x));
    print_records(ctx, docs, kTicketColumns);
    if (!page.next.empty()) note(fmt::format("next: {}", page.next));
    return exit_ok;
}

int ticket_update(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, kTicketFields);
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    json patch = json::object();
    if (auto f = a.get("from-json")) patch = parse_document(*f, read_file_or_stdin(*f));
    if (!patch.is_object()) invalid_input("--from-json: a merge patch must be a JSON object");
    patch.merge_patch(field_patch(a));
    if (patch.empty()) usage_error("nothing to update: give fields (--subject …), --patch JSON or --from-json FILE");
    auto t = ctx.open().tickets();
    print_record(ctx, crm::to_json(must(t.patch(id, patch.dump()))));
    return exit_ok;
}

int ticket_delete(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    must(ctx.open().tickets().remove(id));
    if (ctx.format == Format::as_json) print_json_doc(json{{"entity", "ticket"}, {"id", id}, {"deleted", true}}.dump());
    else if (ctx.format == Format::as_csv) print_csv({{"entity", "id", "deleted"}, {{"ticket", std::to_string(id), "true"}}});
    else fmt::print("deleted ticket {}\n", id);
    return exit_ok;
}

int ticket_history(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"status", false, "only the status transitions"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto t = ctx.open().tickets();
    if (!a.has("status")) {
        print_changes(ctx, must(t.history(id)));
        return exit_ok;
    }
    std::vector<std::string> docs;
    for (const auto& c : must(t.status_history(id))) docs.push_back(crm::to_json(c));
    print_records(ctx, docs, {"at", "from", "to", "actor=actor_id"});
    return exit_ok;
}

int ticket_status(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(2, 2);
    const crm::Id id = parse_id(a.positional[0]);
    auto s = crm::ticket_status_from_string(a.positional[1]);
    if (!s) invalid_input(fmt::format("'{}' is not a status (new, open, pending, on_hold, resolved, closed)", a.positional[1]));
    print_record(ctx, crm::to_json(must(ctx.open().tickets().transition(id, *s))));
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
    return "usage: crm ticket <sub-command> [arguments]\n\n"
           "  add --subject S [--description D] [--priority low|normal|high|urgent]\n"
           "      [--channel email|phone|web|chat|line|other] [--requester CONTACT] [--account ID]\n"
           "      [--assignee USER] [--sla-policy ID] [--external-id X] [--opened-at TIME] [--tag T]…\n"
           "      [--from-json FILE]\n"
           "  get ID | get --external-id X\n"
           "  list [--where FIELD=VALUE]… [--sort FIELD] [--desc] [--limit N] [--after CURSOR]\n"
           "  update ID [field options] [--patch JSON] [--from-json FILE]   (not the status)\n"
           "  delete ID\n"
           "  history ID [--status]          field changes, or only the status transitions\n"
           "  status ID NEW_STATUS           new → open|pending|on_hold|resolved; open → pending|on_hold|resolved;\n"
           "                                 pending|on_hold → open|resolved; resolved → open|closed\n"
           "  respond ID [--at TIME]         record the first outbound reply (later calls keep the first)\n"
           "  sla ID [--now TIME]            due times, elapsed business time, met/breached/pending\n"
           "  breaching [--within MIN] [--now TIME]   unresolved tickets breached or due within MIN minutes\n";
}

std::string calendar_usage() {
    return "usage: crm calendar define --from-json FILE | crm calendar list\n\n"
           "A business calendar: {\"name\":\"日本営業日\",\"utc_offset\":\"+09:00\",\n"
           "  \"hours\":{\"mon\":[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]],…},\"holidays\":[\"2026-01-01\",…]}\n"
           "Defining an existing name replaces its hours and holidays.\n";
}

std::string sla_usage() {
    return "usage: crm sla define --from-json FILE\n"
           "       crm sla define --name N [--calendar ID] --target PRIORITY=FIRST_RESPONSE_MIN/RESOLUTION_MIN…\n"
           "       crm sla list\n\n"
           "e.g. crm sla define --name 標準SLA --calendar 1 --target high=60/480 --target normal=240/1440\n";
}

int cmd_ticket(Context& ctx, const Tokens& args) {
    if (args.empty()) usage_error("missing sub-command", "see 'crm help ticket'");
    const std::string sub = args[0];
    const Tokens rest(args.begin() + 1, args.end());
    if (sub == "add") return ticket_add(ctx, rest);
    if (sub == "get") return ticket_get(ctx, rest);
    if (sub == "list") return ticket_list(ctx, rest);
    if (sub == "update") return ticket_update(ctx, rest);
    if (sub == "delete") return ticket_delete(ctx, rest);
    if (sub == "history") return ticket_history(ctx, rest);
    if (sub == "status") return ticket_status(ctx, rest);
    if (sub == "respond") return ticket_respond(ctx, rest);
    if (sub == "sla") return ticket_sla(ctx, rest);
    if (sub == "breaching") return ticket_breaching(ctx, rest);
    usage_error(fmt::format("unknown sub-command '{}'", sub), "see 'crm help ticket'");
}

int cmd_calendar(Context& ctx, const Tokens& args) {
    if (args.empty()) usage_error("missing sub-command", "see 'crm help calendar'");
    const std::string sub = args[0];
    const Tokens rest(args.begin() + 1, args.end());
    if (sub == "define") {
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
    if (sub == "list") {
        Args a = parse_args(ctx, rest, {});
        a.expect_positional(0, 0);
        std::vector<std::string> docs;
        for (const auto& c : must(ctx.open().tickets().calendars())) docs.push_back(crm::to_json(c));
        print_records(ctx, docs, {"id", "name", "utc_offset", "holidays"});
        return exit_ok;
    }
    usage_error(fmt::format("unknown sub-command '{}'", sub), "see 'crm help calendar'");
}

int cmd_sla(Context& ctx, const Tokens& args) {
    if (args.empty()) usage_error("missing sub-command", "see 'crm help sla'");
    const std::string sub = args[0];
    const Tokens rest(args.begin() + 1, args.end());
    if (sub == "define") {
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
                invalid_input(fmt::format("--target: '{}' is not PRIORITY=FIRST_RESPONSE_MIN/RESOLUTION_MIN", t));
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
    if (sub == "list") {
        Args a = parse_args(ctx, rest, {});
        a.expect_positional(0, 0);
        std::vector<std::string> docs;
        for (const auto& p : must(ctx.open().tickets().sla_policies())) docs.push_back(crm::to_json(p));
        print_records(ctx, docs, {"id", "name", "calendar=calendar_id"});
        return exit_ok;
    }
    usage_error(fmt::format("unknown sub-command '{}'", sub), "see 'crm help sla'");
}

}  // namespace cli
