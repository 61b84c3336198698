// cmd_segments.cpp — `crm segment …` (MISSION C5): saved segments in the segment
// language (docs/segments.md). define / show / remove by name, count and contacts
// for a saved segment or an --expr, check to validate an expression. The record
// commands (get, list, update, delete, history, as-of) are the generic ones.
#include <fmt/format.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {

// A segment named on the command line: by id (digits) or by name.
crm::Id segment_id(Context& ctx, const std::string& name_or_id) {
    if (!name_or_id.empty() && name_or_id.find_first_not_of("0123456789") == std::string::npos)
        return parse_id(name_or_id, "segment id");
    check_utf8("segment name", name_or_id);
    return must(ctx.open().segments().get_by_name(name_or_id)).id;
}

crm::SegmentEval eval_of(const Args& a) {
    crm::SegmentEval e;
    if (auto t = a.get("as-of")) e.as_of = parse_time(*t, "--as-of");
    return e;
}

// NAME or --expr, not both.
std::optional<std::string> expr_of(const Args& a) {
    auto e = a.get("expr");
    if (e) check_utf8("--expr", *e);
    if (e && !a.positional.empty()) usage_error("give a segment NAME or --expr, not both");
    if (!e && a.positional.empty()) usage_error("give a segment NAME or --expr EXPR");
    return e;
}

int segment_define(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"expr", true}, {"description", true}});
    a.expect_positional(1, 1);
    auto expr = a.get("expr");
    if (!expr) usage_error("define needs --expr EXPR");
    crm::Segment s;
    s.name = a.positional[0];
    s.definition = *expr;
    s.description = a.get("description").value_or("");
    check_utf8("name", s.name);
    check_utf8("--expr", s.definition);
    check_utf8("--description", s.description);
    auto& db = ctx.open();
    const crm::Id id = must(db.segments().define(s));
    print_record(ctx, crm::to_json(must(db.segments().get(id))));
    return exit_ok;
}

int segment_show(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    const crm::Id id = segment_id(ctx, a.positional[0]);
    print_record(ctx, crm::to_json(must(ctx.open().segments().get(id))));
    return exit_ok;
}

int segment_remove(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    const crm::Id id = segment_id(ctx, a.positional[0]);
    must(ctx.open().segments().remove(id));
    print_object(ctx, json{{"id", id}, {"deleted", true}});
    return exit_ok;
}

int segment_count(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"expr", true}, {"as-of", true}});
    a.expect_positional(0, 1);
    const auto expr = expr_of(a);
    const auto e = eval_of(a);
    auto seg = ctx.open().segments();
    const std::int64_t n = expr ? must(seg.count_expr(*expr, e)) : must(seg.count(segment_id(ctx, a.positional[0]), e));
    print_object(ctx, json{{"count", n}});
    return exit_ok;
}

int segment_contacts(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"expr", true}, {"as-of", true}, {"limit", true}, {"after", true}, {"all", false}});
    a.expect_positional(0, 1);
    const auto expr = expr_of(a);
    const auto e = eval_of(a);
    crm::ListOptions o;
    o.limit = parse_limit(a);
    o.after = a.get("after").value_or("");
    auto seg = ctx.open().segments();
    const crm::Id id = expr ? 0 : segment_id(ctx, a.positional[0]);
    std::vector<std::string> docs;
    std::string next;
    for (;;) {
        auto page = expr ? must(seg.contacts_expr(*expr, o, e)) : must(seg.contacts(id, o, e));
        for (const auto& c : page.items) docs.push_back(crm::to_json(c));
        next = page.next;
        if (!a.has("all") || next.empty()) break;
        o.after = next;
    }
    print_list(ctx, crm::Entity::contact, docs);
    if (!next.empty()) note(fmt::format("next: {}", next));
    return exit_ok;
}

// Exit 0 when valid; 3 with every problem (line:column: message) on stderr otherwise.
int segment_check(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"expr", true}});
    a.expect_positional(0, 0);
    auto expr = a.get("expr");
    if (!expr) usage_error("check needs --expr EXPR");
    check_utf8("--expr", *expr);
    const auto issues = must(ctx.open().segments().validate(*expr));
    if (!issues.empty()) {
        std::string msg;
        for (const auto& i : issues) msg += fmt::format("\n  {}:{}: {}", i.line, i.column, i.message);
        invalid_input("the expression is not valid:" + msg);
    }
    print_object(ctx, json{{"valid", true}});
    return exit_ok;
}

}  // namespace

int cmd_segment(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::segment, args,
                          {{"define", segment_define},
                           {"show", segment_show},
                           {"remove", segment_remove},
                           {"count", segment_count},
                           {"contacts", segment_contacts},
                           {"check", segment_check}});
}

std::string segment_usage() {
    return records_usage(
        crm::Entity::segment,
        {{"define NAME --expr EXPR [--description TEXT]", "save a segment (the expression is checked first)"},
         {"show NAME|ID", "the segment's name, definition and description"},
         {"remove NAME|ID", "delete a segment (its history is kept)"},
         {"count NAME|ID|--expr EXPR [--as-of T]", "how many contacts are members (now, or at time T)"},
         {"contacts NAME|ID|--expr EXPR [--as-of T]", "the members, by id: --limit N --after CURSOR --all"},
         {"check --expr EXPR", "validate an expression: every problem with line:column (exit 3)"}},
        "\nThe language: docs/segments.md. Examples:\n"
        "  crm segment define 秋セミナー開封 --expr \"came_from('秋の DX セミナー') and count(email opened, last 30d) >= 2\"\n"
        "  crm segment count --expr \"lifecycle_stage = 'mql' and account.industry in ('製造業', '小売')\"\n");
}

}  // namespace cli
