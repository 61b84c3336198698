// Segments: compile + evaluate against a brute-force evaluation in C++ over random
// data (random contacts, accounts, tags, custom values, interactions, email
// events, deals; random expressions), now and as of past times; saved segments,
// validation at save time, pages, and as-of membership.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <random>

#include "helpers.hpp"

using namespace crm;

namespace {

constexpr Timestamp kDay = 86'400'000;

struct World {
    Timestamp now = 0;
    std::vector<Contact> contacts;
    std::map<Id, Account> accounts;
    std::vector<Interaction> inters;
    struct Ev {
        Id mail;
        std::string event;
        Timestamp at;
        std::string address;
        std::string url;
    };
    std::vector<Ev> events;
    std::vector<Deal> deals;
    std::map<Id, std::string> campaigns;
};

using Pred = std::function<bool(const World&, const Contact&)>;
struct Gen {
    std::string text;
    Pred pred;
};

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool cmp(const std::string& op, std::int64_t a, std::int64_t b) {
    if (op == "=") return a == b;
    if (op == "!=") return a != b;
    if (op == "<") return a < b;
    if (op == "<=") return a <= b;
    if (op == ">") return a > b;
    return a >= b;
}

bool linked(const Interaction& i, Id c) { return std::find(i.contact_ids.begin(), i.contact_ids.end(), c) != i.contact_ids.end(); }

const char* kStagesUsed[] = {"lead", "mql", "sql", "customer"};
const char* kIndustries[] = {"製造業", "小売", "IT"};
const char* kTags[] = {"セミナー", "VIP", "展示会"};
const char* kKinds[] = {"email", "call", "web_visit", "event_attendance", "meeting"};
const char* kOps[] = {"=", "!=", "<", "<=", ">", ">="};
const char* kCampaign = "秋の DX セミナー";

struct Random {
    std::mt19937_64 r;
    explicit Random(std::uint64_t seed) : r(seed) {}
    std::int64_t between(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(r); }
    bool percent(int p) { return between(1, 100) <= p; }
    template <class T, std::size_t N>
    const T& pick(const T (&a)[N]) { return a[static_cast<std::size_t>(between(0, N - 1))]; }
};

Gen leaf(Random& r) {
    switch (r.between(0, 13)) {
        case 0: {
            const std::string s = r.pick(kStagesUsed);
            const bool eq = r.percent(60);
            return {"lifecycle_stage " + std::string(eq ? "=" : "!=") + " '" + s + "'",
                    [=](const World&, const Contact& c) { return (to_string(c.lifecycle_stage) == s) == eq; }};
        }
        case 1: {
            const std::string a = r.pick(kIndustries), b = r.pick(kIndustries);
            return {"account.industry in ('" + a + "', '" + b + "')", [=](const World& w, const Contact& c) {
                        if (!c.account_id) return false;
                        const auto& ind = w.accounts.at(*c.account_id).industry;
                        return ind == a || ind == b;
                    }};
        }
        case 2: {
            const std::string a = r.pick(kIndustries);
            return {"account.industry != '" + a + "'", [=](const World& w, const Contact& c) {
                        if (!c.account_id) return false;
                        const auto& ind = w.accounts.at(*c.account_id).industry;
                        return !ind.empty() && ind != a;
                    }};
        }
        case 3: {
            const std::string t = r.pick(kTags);
            return {"tags has '" + t + "'", [=](const World&, const Contact& c) {
                        return std::find(c.tags.begin(), c.tags.end(), t) != c.tags.end();
                    }};
        }
        case 4: {
            const std::string op = r.pick(kOps);
            const std::int64_t n = r.between(0, 5);
            return {"custom.rank " + op + " " + std::to_string(n), [=](const World&, const Contact& c) {
                        auto it = c.custom.find("rank");
                        if (it == c.custom.end() || !std::holds_alternative<std::int64_t>(it->second)) return false;
                        return cmp(op, std::get<std::int64_t>(it->second), n);
                    }};
        }
        case 5:
            return {r.percent(50) ? "birthday?" : "birthday exists",
                    [](const World&, const Contact& c) { return !c.birthday.empty(); }};
        case 6:
            return {"name contains '山田'",
                    [](const World&, const Contact& c) { return c.name.find("山田") != std::string::npos; }};
        case 7: {
            const std::int64_t k = r.between(0, 3);
            const std::string address = "User" + std::to_string(k) + "@Example.JP";
            return {"emails = '" + address + "'", [=](const World&, const Contact& c) {
                        for (const auto& e : c.emails)
                            if (lower(e.address) == lower(address)) return true;
                        return false;
                    }};
        }
        case 8:
        case 9: {
            const std::string kind = r.percent(20) ? "any" : r.pick(kKinds);
            const std::string op = r.pick(kOps);
            const std::int64_t n = r.between(0, 3);
            const std::int64_t days = r.percent(30) ? 0 : r.between(1, 90);
            const std::string dir = r.percent(30) ? (r.percent(50) ? "inbound" : "outbound") : "";
            std::string text = "count(" + kind;
            if (!dir.empty()) text += ", direction = " + dir;
            if (days) text += ", last " + std::to_string(days) + "d";
            text += ") " + op + " " + std::to_string(n);
            return {text, [=](const World& w, const Contact& c) {
                        std::int64_t count = 0;
                        for (const auto& i : w.inters) {
                            if (!linked(i, c.id) || i.occurred_at > w.now) continue;
                            if (days && i.occurred_at <= w.now - days * kDay) continue;
                            if (kind != "any" && i.kind != kind) continue;
                            if (!dir.empty() && to_string(i.direction) != dir) continue;
                            ++count;
                        }
                        return cmp(op, count, n);
                    }};
        }
        case 10: {
            const std::string event = r.percent(60) ? "opened" : "clicked";
            const std::int64_t n = r.between(1, 3);
            const std::int64_t days = r.between(5, 60);
            return {"count(email " + event + ", last " + std::to_string(days) + "d) >= " + std::to_string(n),
                    [=](const World& w, const Contact& c) {
                        std::int64_t count = 0;
                        for (const auto& e : w.events) {
                            if (e.event != event || e.at > w.now || e.at <= w.now - days * kDay) continue;
                            const auto& mail = *std::find_if(w.inters.begin(), w.inters.end(),
                                                             [&](const Interaction& i) { return i.id == e.mail; });
                            if (!linked(mail, c.id) || mail.occurred_at > w.now) continue;
                            bool mine = false;
                            for (const auto& a : c.emails) mine = mine || lower(a.address) == lower(e.address);
                            mine = mine || mail.contact_ids == std::vector<Id>{c.id};
                            if (mine) ++count;
                        }
                        return count >= n;
                    }};
        }
        case 11: {
            const bool url = r.percent(50);
            return {url ? "count(web_visit, url like '*PRICING*') >= 1" : "count(any, subject like '見積?') >= 1",
                    [=](const World& w, const Contact& c) {
                        for (const auto& i : w.inters) {
                            if (!linked(i, c.id) || i.occurred_at > w.now) continue;
                            if (url && i.kind == "web_visit" && lower(i.url).find("pricing") != std::string::npos)
                                return true;
                            if (!url && i.subject.rfind("見積", 0) == 0 && i.subject.size() == std::string("見積書").size())
                                return true;
                        }
                        return false;
                    }};
        }
        case 12: {
            const std::string status = r.percent(50) ? "won" : "open";
            const std::int64_t days = r.percent(50) ? r.between(10, 400) : 0;
            std::string text = "deal(" + status + (days ? ", last " + std::to_string(days) + "d" : "") + ")";
            return {text, [=](const World& w, const Contact& c) {
                        for (const auto& d : w.deals) {
                            if (d.contact_id != c.id || d.created_at > w.now) continue;
                            const Timestamp t = status == "won" ? d.closed_at : d.created_at;
                            if (days && t <= w.now - days * kDay) continue;
                            if (status == "won" && d.status == DealStatus::won) return true;
                            if (status == "open" && d.status == DealStatus::open) return true;
                        }
                        return false;
                    }};
        }
        default:
            return {std::string("came_from('") + kCampaign + "')", [](const World& w, const Contact& c) {
                        if (c.lead_source == kCampaign) return true;
                        for (const auto& d : w.deals)
                            if (d.contact_id == c.id && d.campaign_id && w.campaigns.at(*d.campaign_id) == kCampaign)
                                return true;
                        for (const auto& i : w.inters)
                            if (linked(i, c.id) && i.kind == "event_attendance" && i.subject == kCampaign &&
                                i.occurred_at <= w.now)
                                return true;
                        return false;
                    }};
    }
}

Gen expr(Random& r, int depth) {
    if (depth == 0 || r.percent(35)) return leaf(r);
    switch (r.between(0, 2)) {
        case 0: {
            auto a = expr(r, depth - 1), b = expr(r, depth - 1);
            return {"(" + a.text + ") and (" + b.text + ")",
                    [=](const World& w, const Contact& c) { return a.pred(w, c) && b.pred(w, c); }};
        }
        case 1: {
            auto a = expr(r, depth - 1), b = expr(r, depth - 1);
            return {"(" + a.text + ") or (" + b.text + ")",
                    [=](const World& w, const Contact& c) { return a.pred(w, c) || b.pred(w, c); }};
        }
        default: {
            auto a = expr(r, depth - 1);
            return {"not (" + a.text + ")", [=](const World& w, const Contact& c) { return !a.pred(w, c); }};
        }
    }
}

// A random company: accounts, contacts, interactions over the last 90 days (a few
// in the future), email events on them, deals.
World populate(Db& db, Random& r, testing::FakeClock& clock, int contacts) {
    World w;
    w.now = *clock.now;
    CustomFieldDef rank;
    rank.entity = Entity::contact;
    rank.name = "rank";
    rank.type = FieldType::integer;
    REQUIRE(db.custom_fields().define(rank));
    Campaign camp;
    camp.name = kCampaign;
    camp.channel = CampaignChannel::seminar;
    const Id camp_id = db.campaigns().create(camp).value();
    w.campaigns[camp_id] = kCampaign;
    Campaign other;
    other.name = "春の展示会";
    const Id other_id = db.campaigns().create(other).value();
    w.campaigns[other_id] = other.name;
    for (int i = 0; i < 4; ++i) {
        Account a;
        a.name = "株式会社" + std::to_string(i);
        a.industry = i < 3 ? kIndustries[i] : "";
        const Id id = db.accounts().create(a).value();
        w.accounts[id] = db.accounts().get(id).value();
    }
    std::vector<Id> account_ids;
    for (const auto& [id, a] : w.accounts) account_ids.push_back(id);
    const char* names[] = {"山田 太郎", "佐藤 花子", "山田 花子", "鈴木 一郎", "Yamada Ken"};
    for (int i = 0; i < contacts; ++i) {
        Contact c;
        c.name = r.pick(names);
        c.lifecycle_stage = *lifecycle_stage_from_string(r.pick(kStagesUsed));
        if (r.percent(70)) c.account_id = account_ids[static_cast<std::size_t>(r.between(0, 3))];
        if (r.percent(40)) c.birthday = "1980-0" + std::to_string(r.between(1, 9)) + "-15";
        if (r.percent(20)) c.lead_source = kCampaign;
        if (r.percent(60)) c.emails.push_back({"user" + std::to_string(i) + "@example.jp", "work", true});
        if (r.percent(20)) c.emails.push_back({"Alt" + std::to_string(i) + "@Example.JP", "home", false});
        for (const char* t : kTags)
            if (r.percent(30)) c.tags.push_back(t);
        if (r.percent(60)) c.custom["rank"] = r.between(0, 5);
        const Id id = db.contacts().create(c).value();
        w.contacts.push_back(db.contacts().get(id).value());
    }
    Pipeline p;
    p.name = "標準";
    p.stages = {{0, "提案", 30, StageKind::open}, {0, "受注", 100, StageKind::won}};
    const Id pid = db.pipelines().create(p).value();
    const auto stages = db.pipelines().stages(pid).value();
    for (int i = 0; i < contacts / 2; ++i) {
        Deal d;
        d.name = "商談" + std::to_string(i);
        d.pipeline_id = pid;
        d.stage_id = stages[static_cast<std::size_t>(r.between(0, 1))].id;
        d.contact_id = w.contacts[static_cast<std::size_t>(r.between(0, contacts - 1))].id;
        if (r.percent(40)) d.campaign_id = r.percent(50) ? camp_id : other_id;
        d.created_at = w.now - r.between(0, 500) * kDay;
        const Id id = db.deals().create(d).value();
        w.deals.push_back(db.deals().get(id).value());
    }
    const char* subjects[] = {"見積書", "見積", "ご挨拶", kCampaign, "見積書の件"};
    const char* urls[] = {"https://example.jp/pricing", "https://example.jp/Pricing/plan", "https://example.jp/"};
    for (int i = 0; i < contacts * 5; ++i) {
        Interaction x;
        x.kind = r.pick(kKinds);
        x.occurred_at = w.now - r.between(-3, 90) * kDay + r.between(0, kDay - 1) - kDay / 2;
        x.direction = r.percent(50) ? Direction::inbound : r.percent(50) ? Direction::outbound : Direction::internal;
        x.subject = r.pick(subjects);
        if (x.kind == "web_visit") x.url = r.pick(urls);
        const int n = static_cast<int>(r.between(1, 2));
        for (int k = 0; k < n; ++k) {
            const Id c = w.contacts[static_cast<std::size_t>(r.between(0, contacts - 1))].id;
            if (!linked(x, c)) x.contact_ids.push_back(c);
        }
        const auto made = db.interactions().create(x);
        REQUIRE(made);
        x = db.interactions().get(made.value()).value();
        w.inters.push_back(x);
        if (x.kind != "email" || x.occurred_at > w.now) continue;
        for (int k = 0; k < 3; ++k) {
            if (!r.percent(60)) continue;
            const Id cid = x.contact_ids[static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(x.contact_ids.size()) - 1))];
            const auto& c = *std::find_if(w.contacts.begin(), w.contacts.end(), [&](const Contact& y) { return y.id == cid; });
            if (c.emails.empty()) continue;
            EmailEvent e;
            e.type = r.percent(60) ? EmailEventType::opened : EmailEventType::clicked;
            e.at = std::min(w.now, x.occurred_at + r.between(0, 3 * kDay));
            e.address = c.emails[static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(c.emails.size()) - 1))].address;
            if (r.percent(50)) e.address = lower(e.address);
            REQUIRE(db.interactions().track(x.id, e));
            w.events.push_back({x.id, to_string(e.type), e.at, e.address, e.url});
        }
    }
    return w;
}

std::vector<Id> brute(const World& w, const Pred& p) {
    std::vector<Id> out;
    for (const auto& c : w.contacts)
        if (p(w, c)) out.push_back(c.id);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<Id> all_pages(Segments seg, const std::string& text, std::size_t limit, Timestamp as_of = 0) {
    std::vector<Id> out;
    ListOptions o;
    o.limit = limit;
    for (int guard = 0; guard < 10000; ++guard) {
        auto page = seg.contact_ids_expr(text, o, {as_of});
        REQUIRE(page);
        out.insert(out.end(), page.value().items.begin(), page.value().items.end());
        if (page.value().next.empty()) break;
        o.after = page.value().next;
    }
    return out;
}

}  // namespace

TEST_CASE("segments: compiled SQL equals a brute-force evaluation over random data", "[segments]") {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        auto db = Db::open(":memory:").value();
        testing::FakeClock clock;
        *clock.now = *parse_iso8601("2026-06-01T03:00:00Z");
        clock.install(db);
        Random r(seed);
        const World w = populate(db, r, clock, 40);
        for (int i = 0; i < 150; ++i) {
            const Gen g = expr(r, 3);
            INFO("seed " << seed << ": " << g.text);
            const auto want = brute(w, g.pred);
            auto n = db.segments().count_expr(g.text);
            if (!n) FAIL(n.error().message);
            CHECK(n.value() == static_cast<std::int64_t>(want.size()));
            CHECK(all_pages(db.segments(), g.text, static_cast<std::size_t>(r.between(1, 7))) == want);
            if (i % 10 == 0) {  // the as-of evaluation (documents + behaviour leaves) agrees at the present
                CHECK(all_pages(db.segments(), g.text, 100, w.now) == want);
            }
        }
    }
}

TEST_CASE("segments: saved segments are validated, unique, kept with history", "[segments]") {
    testing::TempDir dir;
    const auto path = dir.file("s.crm");
    auto db = Db::open(path).value();
    auto seg = db.segments();
    Segment s;
    s.name = "MQL 製造業";
    s.definition = "lifecycle_stage = 'mql' and account.industry = '製造業'";
    s.description = "製造業の MQL";
    const Id id = seg.define(s).value();
    CHECK(seg.get_by_name("MQL 製造業").value().id == id);
    CHECK(seg.get(id).value().definition == s.definition);

    const auto before = testing::dump(path);
    Segment badseg = s;
    badseg.name = "bad";
    badseg.definition = "lifecycle_stage = 'mqll'";
    auto r = seg.define(badseg);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "definition");
    CHECK(r.error().message.find("1:19: 'mqll' is not a value of lifecycle_stage") != std::string::npos);
    badseg.definition = "count(email opened, last 30d) >=";
    CHECK_FALSE(seg.define(badseg));
    badseg.definition = "";
    CHECK_FALSE(seg.define(badseg));
    Segment dup = s;
    auto d = seg.define(dup);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::already_exists);
    CHECK(seg.patch(id, R"({"definition":"lifecycl_stage = 'mql'"})").has_error());
    CHECK(testing::dump(path) == before);

    REQUIRE(seg.patch(id, R"({"definition":"lifecycle_stage = 'sql'"})"));
    auto h = seg.history(id).value();
    REQUIRE(h.size() == 2);
    CHECK(h[1].field == "definition");
    REQUIRE(seg.remove_by_name("MQL 製造業"));
    CHECK(seg.get_by_name("MQL 製造業").error().code == errc::not_found);
}

TEST_CASE("segments: validate lists every problem, unknown fields name the near ones", "[segments]") {
    auto db = Db::open(":memory:").value();
    auto seg = db.segments();
    CHECK(seg.validate("lifecycle_stage = 'mql'").value().empty());
    auto issues = seg.validate("lifecycl_stage = 'mql' and account.industy = 1 and custom.rank > 2").value();
    REQUIRE(issues.size() == 3);
    CHECK(issues[0].column == 1);
    CHECK(issues[0].message.find("did you mean: lifecycle_stage") != std::string::npos);
    CHECK(issues[1].message.find("account.industry") != std::string::npos);
    CHECK(issues[2].message.find("custom.rank") != std::string::npos);
    issues = seg.validate("employee_count = 3").value();
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].message.find("the fields are") != std::string::npos);
    CHECK(seg.validate("account.employee_count = 'many'").value().at(0).message.find("an integer") != std::string::npos);
    CHECK(seg.validate("account.employee_count >= 100").value().empty());
    CHECK(seg.validate("consent.email < true").value().size() == 1);
    CHECK(seg.validate("name has '山田'").value().at(0).message.find("'has' is for tags") != std::string::npos);
    CHECK(seg.validate("tags = 'x'").value().size() == 1);
    CHECK(seg.validate("emails has 'a@example.jp'").value().empty());
    CHECK(seg.validate("birthday = '2020-13-01'").value().size() == 1);
    CHECK(seg.validate("created_at >= '2026-01-01'").value().empty());
    CHECK(seg.validate("name contains ''").value().size() == 1);
    auto p = seg.validate("a = (");
    REQUIRE(p.value().size() == 1);
    CHECK(p.value()[0].column == 5);
    auto sc = seg.validate("lifecycle_stage = 'mql' and score(fit).grade = 'A'").value();
    REQUIRE(sc.size() == 1);
    CHECK(sc[0].message.find("no scoring model named 'fit'") != std::string::npos);
    auto e = seg.count_expr("nope = 1");
    REQUIRE_FALSE(e);
    CHECK(e.error().field == "expr");
    ListOptions o;
    o.after = "abc";
    CHECK(seg.contact_ids_expr("name?", o).error().field == "after");
    o.after = "";
    o.where = {Filter{"name", Op::eq, "x"}};
    CHECK(seg.contact_ids_expr("name?", o).error().field == "where");
}

TEST_CASE("segments: membership as of a past time", "[segments]") {
    auto db = Db::open(":memory:").value();
    testing::FakeClock clock;
    *clock.now = *parse_iso8601("2026-04-01T00:00:00Z");
    clock.install(db);
    auto seg = db.segments();
    Account a;
    a.name = "株式会社サンプル";
    a.industry = "製造業";
    const Id acme = db.accounts().create(a).value();
    Contact c = testing::contact("山田 太郎", "taro@example.jp");
    c.lifecycle_stage = LifecycleStage::lead;
    c.account_id = acme;
    const Id taro = db.contacts().create(c).value();
    const Timestamp t_lead = *clock.now + kDay / 2;
    clock.advance(kDay);
    REQUIRE(db.contacts().patch(taro, R"({"lifecycle_stage":"mql"})"));
    // an opened email, 2 days after
    clock.advance(kDay);
    Interaction mail;
    mail.kind = "email";
    mail.occurred_at = *clock.now;
    mail.contact_ids = {taro};
    const Id mid = db.interactions().create(mail).value();
    EmailEvent ev;
    ev.type = EmailEventType::opened;
    ev.at = *clock.now + 1000;
    REQUIRE(db.interactions().track(mid, ev));
    const Timestamp t_mql = *clock.now + 2000;
    clock.advance(kDay);
    REQUIRE(db.accounts().patch(acme, R"({"industry":"小売"})"));
    const Timestamp t_retail = *clock.now + 1;
    clock.advance(kDay);
    REQUIRE(db.contacts().remove(taro));

    const std::string mql = "lifecycle_stage = 'mql'";
    CHECK(seg.count_expr(mql, {t_lead}).value() == 0);
    CHECK(seg.count_expr(mql, {t_mql}).value() == 1);
    CHECK(seg.count_expr(mql).value() == 0);  // deleted since
    CHECK(seg.count_expr("lifecycle_stage = 'lead'", {t_lead}).value() == 1);
    const std::string opened = "count(email opened, last 30d) >= 1";
    CHECK(seg.count_expr(opened, {t_lead}).value() == 0);
    CHECK(seg.count_expr("lifecycle_stage = 'mql' and " + opened, {t_mql}).value() == 1);
    CHECK(seg.count_expr(opened + " and account.industry = '製造業'", {t_mql}).value() == 1);
    CHECK(seg.count_expr(opened + " and account.industry = '製造業'", {t_retail}).value() == 0);
    CHECK(seg.count_expr("account.industry = '小売'", {t_retail}).value() == 1);
    // a window relative to the as-of time: 30 days after the open it is no longer "last 1d"
    CHECK(seg.count_expr("count(email opened, last 1d) >= 1", {t_mql}).value() == 1);
    CHECK(seg.count_expr("count(email opened, last 1d) >= 1", {t_mql + 2 * kDay}).value() == 0);
    auto page = seg.contacts_expr(mql, {}, {t_mql}).value();
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].name == "山田 太郎");
    CHECK(page.items[0].lifecycle_stage == LifecycleStage::mql);
    CHECK(seg.count_expr(mql, {std::numeric_limits<Timestamp>::max()}).error().field == "as_of");
}
