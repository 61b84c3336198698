// cmd_signals.cpp — `crm signal …` (re-engagement and churn signals, crm/signals.hpp).
//   crm signal define --from-json FILE        crm signal list | show NAME | remove NAME
//   crm signal flags [--rule R] [--contact C] [--open] [--limit N] [--after ID]
//   crm signal scan [--as-of T]               crm signal ack FLAG
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/signals.hpp"
#include "records.hpp"

namespace cli {

namespace {
const std::vector<std::string> kRuleColumns = {"name", "kind", "kinds", "days", "pattern", "task", "created_at"};
const std::vector<std::string> kFlagColumns = {"id", "rule", "contact_id", "episode", "at", "task_id", "detail",
                                               "acknowledged_at"};

std::string name_arg(const std::string& s, const char* what) {
    check_utf8(what, s);
    return s;
}

int signal_define(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"from-json", true, "the rule's JSON document (a file, - for stdin)"}});
    a.expect_positional(0, 0);
    auto file = a.get("from-json");
    if (!file) usage_error("--from-json FILE is required");
    const std::string text = read_file_or_stdin(*file);
    auto r = must(ctx.open().signals().define_json(text));
    print_records(ctx, {crm::to_json(r)}, kRuleColumns);
    return exit_ok;
}

int signal_list(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(0, 0);
    std::vector<std::string> docs;
    for (const auto& r : must(ctx.open().signals().list())) docs.push_back(crm::to_json(r));
    print_records(ctx, docs, kRuleColumns);
    return exit_ok;
}

int signal_show(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    print_record(ctx, crm::to_json(must(ctx.open().signals().get(name_arg(a.positional[0], "NAME")))));
    return exit_ok;
}

int signal_remove(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const std::string name = name_arg(a.positional[0], "NAME");
    must(ctx.open().signals().remove(name));
    print_object(ctx, json{{"signal", name}, {"removed", true}});
    return exit_ok;
}

int signal_flags(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"rule", true, "one rule's flags"},
                                 {"contact", true, "one contact's flags"},
                                 {"open", false, "only flags not acknowledged"},
                                 {"limit", true, "at most N flags (1 … 10000, default 100)"},
                                 {"after", true, "flags with a greater id (the last id of the previous page)"}});
    a.expect_positional(0, 0);
    crm::SignalQuery q;
    if (auto r = a.get("rule")) q.rule = name_arg(*r, "--rule");
    if (auto c = a.get("contact")) q.contact_id = parse_id(*c, "--contact");
    q.unacknowledged_only = a.has("open");
    if (auto l = a.get("limit")) {
        const auto n = parse_int(*l, "--limit");
        if (n < 1 || n > 10000) invalid_input(fmt::format("--limit: {} is not between 1 and 10000", n));
        q.limit = static_cast<std::size_t>(n);
    }
    if (auto v = a.get("after")) q.after = parse_id(*v, "--after");
    std::vector<std::string> docs;
    for (const auto& f : must(ctx.open().signals().flags(q))) docs.push_back(crm::to_json(f));
    print_records(ctx, docs, kFlagColumns);
    return exit_ok;
}

int signal_scan(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"as-of", true, "evaluate with activity up to this time (default now)"}});
    a.expect_positional(0, 0);
    std::optional<crm::Timestamp> as_of;
    if (auto v = a.get("as-of")) as_of = parse_time(*v, "--as-of");
    const auto n = must(ctx.open().signals().scan(as_of));
    print_object(ctx, json{{"new_flags", n}});
    return exit_ok;
}

int signal_ack(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0], "FLAG");
    print_record(ctx, crm::to_json(must(ctx.open().signals().acknowledge(id))));
    return exit_ok;
}
}  // namespace

int cmd_signal(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"define", signal_define},
                    {"list", signal_list},
                    {"show", signal_show},
                    {"remove", signal_remove},
                    {"flags", signal_flags},
                    {"scan", signal_scan},
                    {"ack", signal_ack}});
}

std::string signal_usage() {
    return "usage: crm signal define --from-json FILE\n"
           "       crm signal list | show NAME | remove NAME\n"
           "       crm signal flags [--rule R] [--contact C] [--open] [--limit N] [--after ID]\n"
           "       crm signal scan [--as-of T]\n"
           "       crm signal ack FLAG\n\n"
           "Re-engagement and churn signals (docs/signals.md). A rule is a JSON document:\n"
           "  {\"name\":\"解約ページ\",\"kind\":\"url_visit\",\"pattern\":\"*/cancel*\",\n"
           "   \"task\":{\"title\":\"解約検討のフォロー\",\"due_hours\":24}}\n"
           "kinds: reactivated_lost_deal (via, within_days), reactivated_lead (stages),\n"
           "dormant_customer (days, stages; evaluated by `crm signal scan`), url_visit (pattern).\n"
           "Each contact is flagged once per episode; --open lists flags not acknowledged yet.\n";
}

}  // namespace cli
