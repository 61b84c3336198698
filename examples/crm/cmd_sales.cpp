// cmd_sales.cpp — `crm product|campaign|pipeline|deal …` (MISSION B4, B7):
// the record commands for the sales kinds, plus deal moves, stage history,
// weighted amounts, lost reasons, pipeline stages and a campaign's deals.
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/sales.hpp"

namespace cli {

namespace {

// A field option: --name X sets "name"; kinds decide how the value is read.
struct SalesFlag {
    enum Kind { text, id, integer, boolean, money, stages, items };
    const char* option;
    const char* key;
    Kind kind;
    const char* help;
};
using SF = SalesFlag;

template <class T> struct SalesKind;
template <> struct SalesKind<crm::Product> {
    static constexpr const char* name = "product";
    static crm::Products service(crm::Db& db) { return db.products(); }
    static inline const std::vector<std::string> columns = {"id", "name", "series", "price=list_price.amount",
                                                            "currency=list_price.currency", "active", "tags"};
    static inline const std::vector<SalesFlag> flags = {
        {"name", "name", SF::text, "product name (勤怠管理クラウド)"},
        {"series", "series", SF::text, "series / category"},
        {"price", "list_price", SF::money, "list price: AMOUNT [CURRENCY] in minor units (default JPY)"},
        {"active", "active", SF::boolean, "true|false"},
        {"external-id", "external_id", SF::text, "id in another system"},
        {"tag", "tags", SF::text, "tag (repeatable; replaces the tags)"},
    };
};
template <> struct SalesKind<crm::Campaign> {
    static constexpr const char* name = "campaign";
    static crm::Campaigns service(crm::Db& db) { return db.campaigns(); }
    static inline const std::vector<std::string> columns = {"id", "name", "channel", "start=start_date",
                                                            "end=end_date", "cost=cost.amount",
                                                            "currency=cost.currency"};
    static inline const std::vector<SalesFlag> flags = {
        {"name", "name", SF::text, "campaign name (秋の DX セミナー)"},
        {"channel", "channel", SF::text, "seminar|web|ads|email|referral|other"},
        {"start", "start_date", SF::text, "YYYY-MM-DD"},
        {"end", "end_date", SF::text, "YYYY-MM-DD"},
        {"cost", "cost", SF::money, "cost: AMOUNT [CURRENCY] in minor units (default JPY)"},
        {"external-id", "external_id", SF::text, "id in another system"},
        {"tag", "tags", SF::text, "tag (repeatable; replaces the tags)"},
    };
};
template <> struct SalesKind<crm::Pipeline> {
    static constexpr const char* name = "pipeline";
    static crm::Pipelines service(crm::Db& db) { return db.pipelines(); }
    static inline const std::vector<std::string> columns = {"id", "name", "tags"};
    static inline const std::vector<SalesFlag> flags = {
        {"name", "name", SF::text, "pipeline name (新規営業)"},
        {"stage", "stages", SF::stages,
         "NAME:PROBABILITY[:open|won|lost] (repeatable, in order; replaces the stages — use update --patch to keep ids)"},
        {"external-id", "external_id", SF::text, "id in another system"},
        {"tag", "tags", SF::text, "tag (repeatable; replaces the tags)"},
    };
};
template <> struct SalesKind<crm::Deal> {
    static constexpr const char* name = "deal";
    static crm::Deals service(crm::Db& db) { return db.deals(); }
    static inline const std::vector<std::string> columns = {"id", "name", "pipeline=pipeline_id", "stage=stage_id",
                                                            "status", "amount=amount.amount",
                                                            "currency=amount.currency", "close=expected_close_date"};
    static inline const std::vector<SalesFlag> flags = {
        {"name", "name", SF::text, "deal name (基幹システム刷新)"},
        {"pipeline", "pipeline_id", SF::id, "pipeline id"},
        {"stage", "stage_id", SF::id, "stage id (of that pipeline)"},
        {"amount", "amount", SF::money, "AMOUNT [CURRENCY] in minor units (default JPY)"},
        {"close-date", "expected_close_date", SF::text, "expected close date YYYY-MM-DD"},
        {"owner", "owner_id", SF::id, "owning user id"},
        {"account", "account_id", SF::id, "account id"},
        {"contact", "contact_id", SF::id, "primary contact id"},
        {"campaign", "campaign_id", SF::id, "campaign id"},
        {"probability", "probability", SF::integer, "probability override 0..100 (empty to clear)"},
        {"item", "line_items", SF::items,
         "PRODUCT_ID:QUANTITY:UNIT_PRICE[:DISCOUNT] in the deal's currency (repeatable; replaces the items)"},
        {"lost-reason", "lost_reason", SF::text, "lost reason (for a lost stage)"},
        {"external-id", "external_id", SF::text, "id in another system"},
        {"tag", "tags", SF::text, "tag (repeatable; replaces the tags)"},
    };
};

json parse_document(const std::string& what, const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded()) invalid_input(fmt::format("{}: not valid JSON", what));
    return j;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (auto p = s.find(sep); p != std::string::npos; p = s.find(sep, start)) {
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
    out.push_back(s.substr(start));
    return out;
}

json money_value(const std::string& raw, const char* what) {
    std::size_t end = 0;
    while (end < raw.size() && (std::isdigit(static_cast<unsigned char>(raw[end])) || (end == 0 && raw[0] == '-'))) ++end;
    std::string amount = raw.substr(0, end), currency = raw.substr(end);
    while (!currency.empty() && currency.front() == ' ') currency.erase(0, 1);
    if (currency.empty()) currency = "JPY";
    return json{{"amount", parse_int(amount, what)}, {"currency", currency}};
}

template <class T>
std::vector<OptSpec> option_specs() {
    std::vector<OptSpec> s;
    for (const auto& f : SalesKind<T>::flags) s.push_back({f.option, true, f.help});
    s.push_back({"patch", true, "a JSON merge patch (RFC 7386)"});
    s.push_back({"from-json", true, "FILE|-: the record as a JSON document"});
    return s;
}

template <class T>
json field_patch(const Args& a, const json& current) {
    json p = json::object();
    for (const auto& f : SalesKind<T>::flags) {
        const std::string opt = std::string("--") + f.option;
        auto all = a.all(f.option);
        if (all.empty()) continue;
        const std::string& v = all.back();
        check_utf8(opt, v);
        switch (f.kind) {
            case SF::text:
                if (std::string(f.key) == "tags") p[f.key] = all;
                else p[f.key] = v.empty() ? json(nullptr) : json(v);
                break;
            case SF::id: p[f.key] = v.empty() ? json(nullptr) : json(parse_id(v, f.option)); break;
            case SF::integer: p[f.key] = v.empty() ? json(nullptr) : json(parse_int(v, f.option)); break;
            case SF::boolean:
                if (v == "true" || v == "yes" || v == "1") p[f.key] = true;
                else if (v == "false" || v == "no" || v == "0") p[f.key] = false;
                else invalid_input(fmt::format("{}: '{}' is not true or false", opt, v));
                break;
            case SF::money: {
                json m = money_value(v, f.option);
                p[f.key] = m;
                break;
            }
            case SF::stages: {
                json arr = json::array();
                for (const auto& s : all) {
                    auto parts = split(s, ':');
                    if (parts.size() < 2 || parts.size() > 3)
                        invalid_input(fmt::format("{}: '{}' is not NAME:PROBABILITY[:open|won|lost]", opt, s));
                    json st = {{"name", parts[0]}, {"probability", parse_int(parts[1], "--stage probability")}};
                    if (parts.size() == 3) st["kind"] = parts[2];
                    arr.push_back(st);
                }
                p[f.key] = arr;
                break;
            }
            case SF::items: {
                json arr = json::array();
                std::string currency = "JPY";
                if (current.contains("amount") && current["amount"].is_object())
                    currency = current["amount"].value("currency", "JPY");
                if (a.get("amount")) currency = money_value(*a.get("amount"), "--amount")["currency"];
                for (const auto& s : all) {
                    auto parts = split(s, ':');
                    if (parts.size() < 3 || parts.size() > 4)
                        invalid_input(fmt::format("{}: '{}' is not PRODUCT_ID:QUANTITY:UNIT_PRICE[:DISCOUNT]", opt, s));
                    json li = {{"product_id", parse_id(parts[0], "--item product")},
                               {"quantity", parse_int(parts[1], "--item quantity")},
                               {"unit_price", {{"amount", parse_int(parts[2], "--item unit price")}, {"currency", currency}}}};
                    if (parts.size() == 4) li["discount"] = parse_int(parts[3], "--item discount");
                    arr.push_back(li);
                }
                p[f.key] = arr;
                break;
            }
        }
    }
    if (auto v = a.get("patch")) {
        json x = parse_document("--patch", *v);
        if (!x.is_object()) invalid_input("--patch: a merge patch must be a JSON object");
        x.merge_patch(p);
        p = std::move(x);
    }
    return p;
}

template <class T>
int rec_add(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, option_specs<T>());
    a.expect_positional(0, 0);
    json doc = json::object();
    if (auto f = a.get("from-json")) doc = parse_document(*f, read_file_or_stdin(*f));
    if (!doc.is_object()) invalid_input("--from-json: expected a JSON object");
    doc.merge_patch(field_patch<T>(a, doc));
    if (doc.empty())
        usage_error("nothing to add: give --name … or --from-json FILE", fmt::format("see 'crm help {}'", SalesKind<T>::name));
    auto& db = ctx.open();
    auto v = must(crm::from_json<T>(doc.dump()));
    auto s = SalesKind<T>::service(db);
    crm::Id id = must(s.create(v));
    print_record(ctx, crm::to_json(must(s.get(id))));
    return exit_ok;
}

template <class T>
int rec_get(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"external-id", true}, {"as-of", true, "the record as it was at this time"}});
    auto s = SalesKind<T>::service(ctx.open());
    if (auto x = a.get("external-id")) {
        a.expect_positional(0, 0);
        print_record(ctx, crm::to_json(must(s.get_by_external_id(*x))));
        return exit_ok;
    }
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    if (auto t = a.get("as-of")) {
        auto at = crm::parse_iso8601(*t);
        if (!at) invalid_input(fmt::format("--as-of: '{}' is not an ISO-8601 time", *t));
        print_record(ctx, crm::to_json(must(s.get_as_of(id, *at))));
    } else {
        print_record(ctx, crm::to_json(must(s.get(id))));
    }
    return exit_ok;
}

template <class T>
int rec_list(Context& ctx, const Tokens& tokens) {
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
    auto page = must(SalesKind<T>::service(ctx.open()).list(o));
    std::vector<std::string> docs;
    for (const auto& x : page.items) docs.push_back(crm::to_json(x));
    print_records(ctx, docs, SalesKind<T>::columns);
    if (!page.next.empty()) note(fmt::format("next: {}", page.next));
    return exit_ok;
}

template <class T>
int rec_update(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, option_specs<T>());
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto s = SalesKind<T>::service(ctx.open());
    json current = json::parse(crm::to_json(must(s.get(id))));
    json patch = json::object();
    if (auto f = a.get("from-json")) patch = parse_document(*f, read_file_or_stdin(*f));
    if (!patch.is_object()) invalid_input("--from-json: a merge patch must be a JSON object");
    patch.merge_patch(field_patch<T>(a, current));
    if (patch.empty()) usage_error("nothing to update: give field options, --patch JSON or --from-json FILE");
    print_record(ctx, crm::to_json(must(s.patch(id, patch.dump()))));
    return exit_ok;
}

template <class T>
int rec_delete(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    must(SalesKind<T>::service(ctx.open()).remove(id));
    note(fmt::format("deleted {} {}", SalesKind<T>::name, id));
    return exit_ok;
}

template <class T>
int rec_history(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    print_changes(ctx, must(SalesKind<T>::service(ctx.open()).history(parse_id(a.positional[0]))));
    return exit_ok;
}

// The sub-commands every kind has; returns -1 when `sub` is not one of them.
template <class T>
int common(Context& ctx, const std::string& sub, const Tokens& rest) {
    if (sub == "add") return rec_add<T>(ctx, rest);
    if (sub == "get") return rec_get<T>(ctx, rest);
    if (sub == "list") return rec_list<T>(ctx, rest);
    if (sub == "update") return rec_update<T>(ctx, rest);
    if (sub == "delete") return rec_delete<T>(ctx, rest);
    if (sub == "history") return rec_history<T>(ctx, rest);
    return -1;
}

template <class T>
int dispatch(Context& ctx, const Tokens& args, int (*extra)(Context&, const std::string&, const Tokens&)) {
    const std::string help = fmt::format("see 'crm help {}'", SalesKind<T>::name);
    if (args.empty()) usage_error("missing sub-command", help);
    const std::string sub = args[0];
    const Tokens rest(args.begin() + 1, args.end());
    int rc = common<T>(ctx, sub, rest);
    if (rc == -1 && extra) rc = extra(ctx, sub, rest);
    if (rc == -1) usage_error(fmt::format("unknown sub-command '{}'", sub), help);
    return rc;
}

int deal_extra(Context& ctx, const std::string& sub, const Tokens& rest) {
    if (sub == "move") {
        Args a = parse_args(ctx, rest, {{"lost-reason", true, "why it was lost (a defined lost reason)"}});
        a.expect_positional(2, 2);
        const crm::Id id = parse_id(a.positional[0]);
        const crm::Id stage = parse_id(a.positional[1], "stage id");
        std::optional<std::string> reason;
        if (auto r = a.get("lost-reason")) {
            check_utf8("--lost-reason", *r);
            reason = *r;
        }
        auto d = ctx.open().deals();
        must(d.move(id, stage, reason));
        print_record(ctx, crm::to_json(must(d.get(id))));
        return exit_ok;
    }
    if (sub == "stages") {
        Args a = parse_args(ctx, rest, {});
        a.expect_positional(1, 1);
        std::vector<std::string> docs;
        for (const auto& c : must(ctx.open().deals().stage_history(parse_id(a.positional[0]))))
            docs.push_back(crm::to_json(c));
        print_records(ctx, docs, {"at", "from=from_stage_id", "to=to_stage_id", "ms=time_in_stage_ms", "actor=actor_id"});
        return exit_ok;
    }
    if (sub == "weighted") {
        Args a = parse_args(ctx, rest, {});
        a.expect_positional(1, 1);
        auto m = must(ctx.open().deals().weighted(parse_id(a.positional[0])));
        print_record(ctx, json{{"amount", m.amount}, {"currency", m.currency}}.dump());
        return exit_ok;
    }
    if (sub == "lost-reason") {
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
    return -1;
}

int pipeline_extra(Context& ctx, const std::string& sub, const Tokens& rest) {
    if (sub != "stages") return -1;
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    std::vector<std::string> docs;
    for (const auto& s : must(ctx.open().pipelines().stages(parse_id(a.positional[0]))))
        docs.push_back(json{{"id", s.id}, {"name", s.name}, {"probability", s.probability}, {"kind", crm::to_string(s.kind)}}.dump());
    print_records(ctx, docs, {"id", "name", "probability", "kind"});
    return exit_ok;
}

int campaign_extra(Context& ctx, const std::string& sub, const Tokens& rest) {
    if (sub != "deals") return -1;
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    std::vector<std::string> docs;
    for (const auto& d : must(ctx.open().campaigns().deals(parse_id(a.positional[0])))) docs.push_back(crm::to_json(d));
    print_records(ctx, docs, SalesKind<crm::Deal>::columns);
    return exit_ok;
}

template <class T>
std::string usage(const char* extra) {
    std::string out = fmt::format(
        "usage: crm {0} <sub-command> [arguments]\n\n"
        "  add [field options] [--patch JSON] [--from-json FILE]\n"
        "  get ID [--as-of TIME] | get --external-id X\n"
        "  list [--where FILTER]… [--sort FIELD] [--desc] [--limit N] [--after TOKEN]\n"
        "  update ID [field options] [--patch JSON] [--from-json FILE]\n"
        "  delete ID\n"
        "  history ID\n{1}\nField options:\n",
        SalesKind<T>::name, extra);
    for (const auto& f : SalesKind<T>::flags) out += fmt::format("  --{:<14} {}\n", f.option, f.help);
    return out + "\nMoney is integer minor units (JPY has none). See docs/sales.md.\n";
}

}  // namespace

int cmd_product(Context& ctx, const Tokens& args) { return dispatch<crm::Product>(ctx, args, nullptr); }
int cmd_campaign(Context& ctx, const Tokens& args) { return dispatch<crm::Campaign>(ctx, args, campaign_extra); }
int cmd_pipeline(Context& ctx, const Tokens& args) { return dispatch<crm::Pipeline>(ctx, args, pipeline_extra); }
int cmd_deal(Context& ctx, const Tokens& args) { return dispatch<crm::Deal>(ctx, args, deal_extra); }

std::string product_usage() { return usage<crm::Product>(""); }
std::string campaign_usage() { return usage<crm::Campaign>("  deals ID                      the deals the campaign brought\n"); }
std::string pipeline_usage() { return usage<crm::Pipeline>("  stages ID                     the pipeline's stages in order\n"); }
std::string deal_usage() {
    return usage<crm::Deal>(
        "  move ID STAGE_ID [--lost-reason R]   change stage (won/lost closes, open reopens)\n"
        "  stages ID                     stage history with time in each stage (ms)\n"
        "  weighted ID                   amount × probability (override, else the stage's)\n"
        "  lost-reason add NAME | lost-reason list\n");
}

}  // namespace cli
