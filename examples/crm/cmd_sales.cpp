// cmd_sales.cpp — `crm product|campaign|pipeline|deal …` (MISSION B4, B7): the
// sales kinds' own sub-commands — deal moves, stage history, weighted amounts,
// lost reasons, pipeline stages and a campaign's deals. Their add, get, list,
// update, delete, history and as-of are the generic ones (cmd_records.cpp), and
// their field options are in entities.cpp.
#include <fmt/format.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {

int deal_move(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"lost-reason", true, "why it was lost (a defined lost reason)"},
                                    {"at", true, "when it entered the stage (default: now; never in the future)"}});
    a.expect_positional(2, 2);
    const crm::Id id = parse_id(a.positional[0]);
    const crm::Id stage = parse_id(a.positional[1], "stage id");
    std::optional<std::string> reason;
    if (auto r = a.get("lost-reason")) {
        check_utf8("--lost-reason", *r);
        reason = *r;
    }
    std::optional<crm::Timestamp> at;
    if (auto v = a.get("at")) at = parse_time(*v, "--at");
    auto d = ctx.open().deals();
    must(d.move(id, stage, reason, at));
    print_record(ctx, crm::to_json(must(d.get(id))));
    return exit_ok;
}

int deal_stages(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    std::vector<std::string> docs;
    for (const auto& c : must(ctx.open().deals().stage_history(parse_id(a.positional[0]))))
        docs.push_back(crm::to_json(c));
    print_records(ctx, docs, {"at", "from=from_stage_id", "to=to_stage_id", "ms=time_in_stage_ms", "actor=actor_id"});
    return exit_ok;
}

int deal_weighted(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    auto m = must(ctx.open().deals().weighted(parse_id(a.positional[0])));
    print_record(ctx, json{{"amount", m.amount}, {"currency", m.currency}}.dump());
    return exit_ok;
}

int deal_lost_reason(Context& ctx, const Tokens& rest) {
    if (rest.empty()) usage_error("missing: add NAME | list", "see 'crm help deal'");
    const Tokens r2(rest.begin() + 1, rest.end());
    Args a = parse_args(ctx, r2, {});
    auto d = ctx.open().deals();
    if (rest[0] == "add") {
        a.expect_positional(1, 1);
        check_utf8("lost reason", a.positional[0]);
        crm::Id id = must(d.define_lost_reason(a.positional[0]));
        print_record(ctx, json{{"id", id}, {"name", a.positional[0]}}.dump());
        return exit_ok;
    }
    if (rest[0] == "list") {
        a.expect_positional(0, 0);
        std::vector<std::string> docs;
        for (const auto& x : must(d.lost_reasons())) docs.push_back(crm::to_json(x));
        print_records(ctx, docs, {"id", "name"});
        return exit_ok;
    }
    usage_error(fmt::format("unknown lost-reason command '{}'", rest[0]), "see 'crm help deal'");
}

int pipeline_stages(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    std::vector<std::string> docs;
    for (const auto& s : must(ctx.open().pipelines().stages(parse_id(a.positional[0]))))
        docs.push_back(json{{"id", s.id}, {"name", s.name}, {"probability", s.probability}, {"kind", crm::to_string(s.kind)}}.dump());
    print_records(ctx, docs, {"id", "name", "probability", "kind"});
    return exit_ok;
}

int campaign_deals(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    std::vector<std::string> docs;
    for (const auto& d : must(ctx.open().campaigns().deals(parse_id(a.positional[0])))) docs.push_back(crm::to_json(d));
    print_list(ctx, crm::Entity::deal, docs);
    return exit_ok;
}

}  // namespace

int cmd_product(Context& ctx, const Tokens& args) { return record_command(ctx, crm::Entity::product, args); }
int cmd_campaign(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::campaign, args, {{"deals", campaign_deals}});
}
int cmd_pipeline(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::pipeline, args, {{"stages", pipeline_stages}});
}
int cmd_deal(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::deal, args,
                          {{"move", deal_move}, {"stages", deal_stages}, {"weighted", deal_weighted},
                           {"lost-reason", deal_lost_reason}});
}

namespace {
const std::string kMoneyNote = "\nMoney is integer minor units (JPY has none). See docs/sales.md.\n";
}

std::string product_usage() { return records_usage(crm::Entity::product, {}, kMoneyNote); }
std::string campaign_usage() {
    return records_usage(crm::Entity::campaign, {{"deals ID", "the deals the campaign brought"}}, kMoneyNote);
}
std::string pipeline_usage() {
    return records_usage(crm::Entity::pipeline, {{"stages ID", "the pipeline's stages in order"}}, kMoneyNote);
}
std::string deal_usage() {
    return records_usage(crm::Entity::deal,
                         {{"move ID STAGE_ID [--lost-reason R] [--at TIME]", "change stage (won/lost closes, open reopens)"},
                          {"stages ID", "stage history with time in each stage (ms)"},
                          {"weighted ID", "amount × probability (override, else the stage's)"},
                          {"lost-reason add NAME | lost-reason list", "define or list the lost reasons"}},
                         kMoneyNote);
}

}  // namespace cli
