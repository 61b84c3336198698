// cmd_sales.cpp — `crm product|campaign|pipeline|deal …` (MISSION B4, B7): the
// sales kinds' own sub-commands — deal moves, stage history, weighted amounts,
// lost reasons, pipeline stages and a campaign's deals. Their add, get, list,
// update, delete, history and as-of are the generic ones (cmd_records.cpp), and
// their field options are in entities.cpp.
#include <map>

#include <fmt/format.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

const crm::Stage* StageLookup::find(crm::Id pipeline_id, crm::Id stage_id) {
    auto it = stages_.find(pipeline_id);
    if (it == stages_.end()) {
        auto r = db_.pipelines().stages(pipeline_id);
        it = stages_.emplace(pipeline_id, r ? std::move(r).value() : std::vector<crm::Stage>{}).first;
    }
    for (const auto& s : it->second)
        if (s.id == stage_id) return &s;
    return nullptr;
}

std::string StageLookup::name(crm::Id pipeline_id, crm::Id stage_id) {
    const auto* s = find(pipeline_id, stage_id);
    return s ? s->name : fmt::format("#{}", stage_id);
}

namespace {

// Deals per currency: how many, their amounts, and the amounts weighted by the
// deal's probability (its override, else its stage's default): minor units.
struct Totals {
    struct Sum {
        std::int64_t deals = 0, amount = 0, weighted = 0;
    };
    std::int64_t deals = 0;
    std::map<std::string, Sum> by_currency;

    void add(const json& deal, StageLookup& stages) {
        ++deals;
        const json& m = deal.value("amount", json());
        if (!m.is_object() || !m.value("amount", json()).is_number_integer()) return;
        const std::int64_t amount = m["amount"].get<std::int64_t>();
        std::int64_t probability = 0;
        if (deal.value("probability", json()).is_number_integer()) {
            probability = deal["probability"].get<std::int64_t>();
        } else if (deal.value("pipeline_id", json()).is_number_integer() && deal.value("stage_id", json()).is_number_integer()) {
            if (const auto* s = stages.find(deal["pipeline_id"].get<crm::Id>(), deal["stage_id"].get<crm::Id>()))
                probability = s->probability;
        }
        auto& sum = by_currency[m.value("currency", "")];
        ++sum.deals;
        sum.amount += amount;
        sum.weighted += crm::weighted_amount(amount, probability);
    }

    json to_json() const {
        json currencies = json::array();
        for (const auto& [cur, s] : by_currency)
            currencies.push_back({{"currency", cur}, {"deals", s.deals}, {"amount", s.amount}, {"weighted", s.weighted}});
        return {{"deals", deals}, {"currencies", currencies}};
    }

    // "total: 3 deals; 99000 JPY (weighted 39600); 199.99 USD (weighted 80.00)"
    std::string line() const {
        std::string out = fmt::format("total: {} deal{}", deals, deals == 1 ? "" : "s");
        for (const auto& [cur, s] : by_currency)
            out += fmt::format("; {} {} (weighted {})", money_text(s.amount, cur), cur, money_text(s.weighted, cur));
        return out;
    }
};

// `deal list`: the generic list (stages and pipelines by name), and in a table a
// total line: count, sum and weighted sum per currency of the deals shown.
int deal_list(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, list_option_specs());
    a.expect_positional(0, 0);
    std::string next;
    auto docs = list_docs(ctx, crm::Entity::deal, a, list_options(a), next);
    print_list(ctx, crm::Entity::deal, docs);
    if (ctx.format == Format::as_table && !docs.empty()) {
        StageLookup stages(ctx.open());
        Totals t;
        for (const auto& d : docs) t.add(json::parse(d), stages);
        fmt::print("\n{}{}\n", t.line(), next.empty() ? "" : " (this page; 'crm deal totals' for all)");
    }
    if (!next.empty()) note(fmt::format("next: {}", next));
    return exit_ok;
}

// `deal totals [--where EXPR]...`: the totals of every matching deal, read page by page.
int deal_totals(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"where", true}});
    a.expect_positional(0, 0);
    crm::ListOptions o = list_options(a);
    o.limit = 1000;
    auto& db = ctx.open();
    auto deals = db.records(crm::Entity::deal);
    StageLookup stages(db);
    Totals t;
    do {
        auto page = must(deals.list(o));
        for (const auto& d : page.items) t.add(json::parse(d), stages);
        o.after = page.next;
    } while (!o.after.empty());
    if (ctx.format == Format::as_json) return print_json_doc(t.to_json().dump()), exit_ok;
    Table table;
    table.headers = {"currency", "deals", "amount", "weighted"};
    for (const auto& [cur, s] : t.by_currency)
        table.rows.push_back({cur, std::to_string(s.deals),
                              ctx.format == Format::as_csv ? std::to_string(s.amount) : money_text(s.amount, cur),
                              ctx.format == Format::as_csv ? std::to_string(s.weighted) : money_text(s.weighted, cur)});
    if (ctx.format == Format::as_csv) return print_csv(table), exit_ok;
    print_table(table);
    fmt::print("{} deal{}\n", t.deals, t.deals == 1 ? "" : "s");
    return exit_ok;
}

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
    const crm::Id id = parse_id(a.positional[0]);
    auto& db = ctx.open();
    auto history = must(db.deals().stage_history(id));
    std::vector<std::string> docs;
    for (const auto& c : history) docs.push_back(crm::to_json(c));
    if (ctx.format != Format::as_table) return print_records(ctx, docs, {}), exit_ok;
    // The table names the stages (of the deal's pipeline) and the pipeline.
    const crm::Id pipeline = must(db.deals().get(id)).pipeline_id;
    StageLookup stages(db);
    std::vector<std::string> shown;
    for (const auto& c : history) {
        json j = json::parse(crm::to_json(c));
        j["@from"] = c.from_stage_id ? stages.name(pipeline, *c.from_stage_id) : std::string();
        j["@to"] = stages.name(pipeline, c.to_stage_id);
        j["@days"] = fmt::format("{:.1f}", static_cast<double>(c.time_in_stage_ms) / 86400000.0);
        shown.push_back(j.dump());
    }
    print_records(ctx, shown, {"at", "from=@from", "to=@to", "days=@days", "ms=time_in_stage_ms", "actor=actor_id"});
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

int campaign_contacts(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    print_list(ctx, crm::Entity::contact, docs_of(must(ctx.open().campaigns().contacts(parse_id(a.positional[0])))));
    return exit_ok;
}

// `pipeline update`: the generic one; a stage still holding deals cannot go,
// and the hint says how to change a stage instead, or how to empty it.
int pipeline_update(Context& ctx, const Tokens& rest) {
    try {
        return update_record(ctx, crm::Entity::pipeline, rest);
    } catch (Failure& f) {
        if (f.code == crm::errc_name(crm::errc::constraint_violation) && f.hint.empty())
            f.hint = "a stage given again under its name keeps its id, so its probability or kind can change "
                     "(crm pipeline update ID --stage 提案:30 --stage …: list every stage to keep); "
                     "to remove a stage, move its deals first: crm deal list --where stage_id=STAGE_ID, "
                     "then crm deal move DEAL_ID NEW_STAGE_ID";
        throw;
    }
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
    return record_command(ctx, crm::Entity::campaign, args, {{"deals", campaign_deals}, {"contacts", campaign_contacts}});
}
int cmd_pipeline(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::pipeline, args, {{"stages", pipeline_stages}, {"update", pipeline_update}});
}
int cmd_deal(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::deal, args,
                          {{"list", deal_list}, {"totals", deal_totals}, {"move", deal_move}, {"stages", deal_stages},
                           {"weighted", deal_weighted}, {"lost-reason", deal_lost_reason}});
}

namespace {
const std::string kMoneyNote =
    "\nAmounts are typed in the currency's own unit with its decimals: --price 50000 (yen, the\n"
    "default currency), --price \"199.99 USD\", --amount \"12.345 BHD\". Tables show them so;\n"
    "JSON and CSV carry the library's integer minor units (19999 for 199.99 USD). See docs/sales.md.\n";
}

std::string product_usage() { return records_usage(crm::Entity::product, {}, kMoneyNote); }
std::string campaign_usage() {
    return records_usage(crm::Entity::campaign,
                         {{"deals ID", "the deals the campaign brought"},
                          {"contacts ID", "the contacts whose lead source is the campaign's name"}},
                         kMoneyNote);
}
std::string pipeline_usage() {
    return records_usage(crm::Entity::pipeline,
                         {{"update ID [FIELD OPTIONS] [--set F=V]... [--patch JSON]", "change fields (merge patch);"},
                          {"", "--stage NAME:PROB keeps the id of the stage of that name"},
                          {"stages ID", "the pipeline's stages in order"}},
                         kMoneyNote);
}
std::string deal_usage() {
    return records_usage(crm::Entity::deal,
                         {{"list [--where EXPR]... [--sort F] [--desc] [--limit N]", "list deals (stages and pipelines by"},
                          {"     [--after CURSOR] [--all]", "name) and a total line per currency"},
                          {"totals [--where EXPR]...", "count, sum and weighted sum per currency"},
                          {"move ID STAGE_ID [--lost-reason R] [--at TIME]", "change stage (won/lost closes, open reopens)"},
                          {"stages ID", "stage history with time in each stage"},
                          {"weighted ID", "amount × probability (override, else the stage's)"},
                          {"lost-reason add NAME | lost-reason list", "define or list the lost reasons"}},
                         kMoneyNote);
}

}  // namespace cli
