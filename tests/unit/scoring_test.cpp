// Lead scoring (crm/scoring.hpp): models and versions, fit and behaviour rules,
// decay and caps, exact explanations, as-of scores, incremental updates against a
// full rescore (a property test over random event sequences), dry runs, bad input.
#include <catch2/catch.hpp>

#include <random>

#include "helpers.hpp"
#include "scoring/model.hpp"
#include "scoring/scoring_internal.hpp"
#include "util/try.hpp"

using namespace crm;

namespace {
constexpr Timestamp kDay = 86400000;

struct Fx {
    testing::TempDir dir;
    testing::FakeClock clock;
    Db db;
    Id acme = 0, taro = 0, hanako = 0;
    Fx() : db(Db::open(dir.file("s.crm")).value()) {
        clock.install(db);
        CustomFieldDef rank;
        rank.entity = Entity::contact;
        rank.name = "rank";
        rank.type = FieldType::text;
        db.custom_fields().define(rank).value();
        Account a;
        a.name = "株式会社アクメ";
        a.industry = "製造";
        a.employee_count = 500;
        acme = db.accounts().create(a).value();
        Contact t = testing::contact("山田 太郎", "taro@acme.co.jp");
        t.title = "営業部長";
        t.account_id = acme;
        taro = db.contacts().create(t).value();
        hanako = db.contacts().create(testing::contact("佐藤 花子", "hanako@gmail.com")).value();
    }
    Timestamp now() const { return *clock.now; }
    Id visit(Id contact, const std::string& url, Timestamp at, const std::string& kind = "web_visit") {
        Interaction i;
        i.kind = kind;
        i.occurred_at = at;
        i.url = url;
        i.contact_ids = {contact};
        return db.interactions().create(i).value();
    }
};

const char* kModel = R"({
  "name": "製品A",
  "limits": {"min": 0, "max": 100},
  "fit": [
    {"id": "manager", "when": {"field": "title", "op": "contains", "value": "部長"}, "points": 20},
    {"id": "maker", "when": {"all": [{"field": "account.industry", "op": "in", "value": ["製造", "IT"]},
                                     {"field": "account.employee_count", "op": "range", "min": 100}]}, "points": 15},
    {"id": "freemail", "when": {"field": "emails", "op": "pattern", "value": "*@gmail.com"}, "points": -10},
    {"id": "rank-a", "when": {"field": "custom.rank", "op": "equals", "value": "A"}, "points": 5},
    {"id": "competitor", "when": {"field": "custom.rank", "op": "equals", "value": "競合"}, "gate": true}
  ],
  "behaviour": [
    {"id": "pricing", "kind": "web_visit", "when": {"field": "url", "op": "pattern", "value": "*/pricing*"},
     "points": 10, "cap_per_day": 1, "cap_total": 3, "window_days": 30},
    {"id": "seminar", "kind": "event_attendance", "points": 30, "half_life_days": 10},
    {"id": "careers", "kind": "web_visit", "when": {"field": "url", "op": "contains", "value": "/careers"},
     "points": -5, "repeat": false}
  ]
})";

std::int64_t sum_parts(const Explanation& e) {
    std::int64_t s = 0;
    for (const auto& c : e.contributions) {
        std::int64_t occ = 0;
        for (const auto& o : c.occurrences) occ += o.points;
        if (c.part == "behaviour") CHECK(occ == c.raw);
        s += c.points;
    }
    return s + e.adjustment;
}
}  // namespace

TEST_CASE("scoring: fixed-point helpers, decay and a bounded glob", "[scoring]") {
    using namespace crm::scoring;
    CHECK(decay_factor(0, kDayMs) == 1000000);
    CHECK(decay_factor(kDayMs, kDayMs) == 500000);
    CHECK(decay_factor(2 * kDayMs, kDayMs) == 250000);
    CHECK(decay_factor(kDayMs / 2, kDayMs) == 707107);  // 2^-0.5 = 0.7071067…
    CHECK(decay_factor(100 * kDayMs, kDayMs) == 0);
    CHECK(scale(10000, 707107) == 7071);
    CHECK(scale(-10000, 707107) == -7071);
    CHECK(scale(1, 500000) == 1);   // 0.5 rounds away from zero
    CHECK(scale(-1, 500000) == -1);
    CHECK(points_text(12500) == "12.500");
    CHECK(points_text(-5) == "-0.005");
    CHECK(glob_match("*/pricing*", "https://example.jp/pricing/plan"));
    CHECK(glob_match("*/PRICING", "https://x/pricing"));
    CHECK_FALSE(glob_match("*/pricing", "https://x/pricing/plan"));
    CHECK(glob_match("?.jp", "あ.jp"));  // ? is one UTF-8 character
    CHECK(glob_match("*セミナー*", "6月セミナー申込"));
    // The shape that makes backtracking matchers explode: linear work here.
    const std::string text(20000, 'a');
    CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
}

TEST_CASE("scoring: fit and behaviour rules, grade, and an exact explanation", "[scoring]") {
    Fx f;
    const Timestamp t0 = f.now();
    // Earlier activity: three pricing visits on one day, two on another, one old one.
    f.visit(f.taro, "https://acme.jp/pricing", t0 - 2 * kDay);
    f.visit(f.taro, "https://acme.jp/pricing?x=1", t0 - 2 * kDay + 1000);
    f.visit(f.taro, "https://acme.jp/pricing", t0 - 1 * kDay);
    f.visit(f.taro, "https://acme.jp/pricing", t0 - 5 * kDay);
    f.visit(f.taro, "https://acme.jp/pricing", t0 - 6 * kDay);
    f.visit(f.taro, "https://acme.jp/pricing", t0 - 40 * kDay);  // outside the window
    f.visit(f.taro, "https://acme.jp/careers", t0 - 3 * kDay);
    f.visit(f.taro, "https://acme.jp/careers/2", t0 - 2 * kDay);
    f.visit(f.taro, "https://acme.jp/セミナー", t0 - 10 * kDay, "event_attendance");
    auto m = f.db.scoring().define(kModel).value();
    CHECK(m.version == 1);
    CHECK(m.name == "製品A");

    auto e = f.db.scoring().explain(f.taro, "製品A").value();
    // fit: manager 20 + maker 15 = 35 (B band); behaviour: pricing 3 × 10 (cap_total 3, one
    // per day), careers -5 once, seminar 30 × 2^-1 = 15: engagement 40.
    CHECK(e.score.fit == 35000);
    CHECK(e.score.engagement == 40000);
    CHECK(e.score.total == 75000);
    CHECK(e.score.grade == "B2");
    CHECK(sum_parts(e) == e.score.total);
    const Contribution* pricing = nullptr;
    for (const auto& c : e.contributions)
        if (c.rule == "pricing") pricing = &c;
    REQUIRE(pricing);
    int counted = 0, per_day = 0, total_cap = 0;
    for (const auto& o : pricing->occurrences) {
        if (o.skipped.empty()) ++counted;
        if (o.skipped == "cap_per_day") ++per_day;
        if (o.skipped == "cap_total") ++total_cap;
    }
    CHECK(counted == 3);
    CHECK(per_day == 1);    // the second visit of t0-2d
    CHECK(total_cap == 1);  // t0-6d: three already counted (newest first)
    const auto json = to_json(e);
    CHECK(json.find("\"total\":75.000") != std::string::npos);
    CHECK(json.find("\"factor\":500000") != std::string::npos);

    // The stored score equals the computed one; hanako: freemail -10 clamps to 0.
    auto stored = f.db.scoring().stored(f.taro, "製品A").value();
    CHECK(stored.total == 75000);
    auto h = f.db.scoring().explain(f.hanako, "製品A").value();
    CHECK(h.score.fit == -10000);
    CHECK(h.score.total == 0);
    CHECK(h.adjustment == 10000);
    CHECK(h.adjustment_reason == "clamp_min");
    CHECK(h.score.grade == "D4");
    CHECK(sum_parts(h) == 0);

    // A gate disqualifies; a custom field change is picked up at once.
    f.clock.advance(1000);
    f.db.contacts().set_custom(f.taro, "rank", std::string("競合")).value();
    auto dq = f.db.scoring().stored(f.taro, "製品A").value();
    CHECK(dq.disqualified);
    CHECK(dq.total == 0);
    CHECK(dq.grade.front() == 'X');

    // Top page: highest first, with a cursor.
    f.clock.advance(1000);
    f.db.contacts().set_custom(f.taro, "rank", std::string("A")).value();
    auto top = f.db.scoring().top("製品A", TopQuery{1, ""}).value();
    REQUIRE(top.items.size() == 1);
    CHECK(top.items[0].contact_id == f.taro);
    CHECK(top.items[0].total == 80000);
    auto next = f.db.scoring().top("製品A", TopQuery{10, top.next}).value();
    REQUIRE(next.items.size() == 1);
    CHECK(next.items[0].contact_id == f.hanako);
    CHECK(next.next.empty());
}

TEST_CASE("scoring: as-of scores use the fields and interactions of that time", "[scoring]") {
    Fx f;
    const Timestamp t0 = f.now();
    f.db.scoring().define(kModel).value();
    f.clock.advance(kDay);
    const Timestamp t1 = f.now();
    f.visit(f.taro, "https://acme.jp/pricing", t1);
    f.clock.advance(kDay);
    Contact c = f.db.contacts().get(f.taro).value();
    c.title = "担当";
    f.db.contacts().update(c).value();  // no longer a manager
    f.clock.advance(kDay);
    auto now = f.db.scoring().score(f.taro, "製品A").value();
    CHECK(now.fit == 15000);
    CHECK(now.engagement == 10000);
    auto then = f.db.scoring().score(f.taro, "製品A", t1 + 1).value();
    CHECK(then.fit == 35000);          // still 部長 then
    CHECK(then.engagement == 10000);   // the visit at t1 counts
    auto before = f.db.scoring().score(f.taro, "製品A", t0 + 1).value();
    CHECK(before.engagement == 0);     // the visit had not happened yet
    CHECK(before.fit == 35000);
    // Before the model existed: not found.
    CHECK(f.db.scoring().score(f.taro, "製品A", t0 - 1).error().code == errc::not_found);
    // The same as-of answer later: a pure function of stored data and time.
    f.clock.advance(kDay);
    f.visit(f.taro, "https://acme.jp/pricing", t1 - kDay / 2);  // back-dated (the day before): now part of the past
    auto again = f.db.scoring().score(f.taro, "製品A", t1 + 1).value();
    CHECK(again.engagement == 20000);
}

TEST_CASE("scoring: versions, deactivation, change hooks", "[scoring]") {
    Fx f;
    static std::vector<scoring::ScoreChange> seen;
    seen.clear();
    auto hook = [](records::Write&, const scoring::ScoreChange& c) -> result<void> {
        seen.push_back(c);
        return ok();
    };
    scoring::add_change_hook(hook);
    f.db.scoring().define(kModel).value();
    CHECK(seen.size() == 2);  // both contacts got a first score
    seen.clear();
    f.clock.advance(1000);
    f.visit(f.taro, "https://acme.jp/pricing", f.now());
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].contact_id == f.taro);
    CHECK(seen[0].old_total == std::optional<std::int64_t>(35000));
    CHECK(seen[0].new_total == 45000);
    scoring::remove_change_hook(hook);

    std::string v2 = kModel;
    v2.replace(v2.find("\"points\": 20"), 12, "\"points\": 25");
    f.clock.advance(1000);
    auto m2 = f.db.scoring().update(v2).value();
    CHECK(m2.version == 2);
    CHECK(f.db.scoring().stored(f.taro, "製品A").value().total == 50000);
    CHECK(f.db.scoring().get("製品A", 1).value().definition.find("\"points\":20") != std::string::npos);
    CHECK(f.db.scoring().versions("製品A").value().size() == 2);
    CHECK(f.db.scoring().define(kModel).error().code == errc::already_exists);
    f.db.scoring().deactivate("製品A").value();
    CHECK(f.db.scoring().stored(f.taro, "製品A").error().code == errc::not_found);
    CHECK_FALSE(f.db.scoring().list().value().front().active);
    f.visit(f.taro, "https://acme.jp/pricing", f.now());  // not kept current while inactive
    CHECK(f.db.scoring().stored(f.taro, "製品A").error().code == errc::not_found);
    // Several models at once.
    f.db.scoring().define(R"({"name":"製品B","fit":[{"id":"any","when":{"field":"name","op":"exists"},"points":1}]})").value();
    CHECK(f.db.scoring().stored(f.hanako, "製品B").value().total == 1000);
}

TEST_CASE("scoring: bad definitions name the rule and key and store nothing", "[scoring]") {
    Fx f;
    f.db.scoring().define(kModel).value();
    f.db.close().value();
    const auto before = testing::dump(f.dir.file("s.crm"));
    f.db = Db::open(f.dir.file("s.crm")).value();
    struct Case {
        std::string doc, field, says;
    };
    const std::vector<Case> cases = {
        {R"({"name":"x","fit":[{"id":"a","when":{"field":"title","op":"range","min":1},"points":1}]})", "fit[0].when.op",
         "range needs"},
        {R"({"name":"x","fit":[{"id":"a","when":{"field":"nope","op":"exists"},"points":1}]})", "fit[0].when.field",
         "not a field of contact"},
        {R"({"name":"x","fit":[{"id":"a","when":{"field":"custom.nope","op":"exists"},"points":1}]})",
         "fit[0].when.field", "no custom field"},
        {R"({"name":"x","fit":[{"id":"a","when":{"field":"title","op":"like","value":"x"},"points":1}]})",
         "fit[0].when.op", "not an operator"},
        {R"({"name":"x","fit":[{"id":"a","when":{"field":"title","op":"equals","value":3},"points":1}]})",
         "fit[0].when.value", "must be a string"},
        {R"({"name":"x","fit":[{"id":"a","when":{"field":"title","op":"exists"},"points":5000}]})", "fit[0].points",
         "between"},
        {R"({"name":"x","behaviour":[{"id":"b","kind":"web_visit","points":1,"half_life_days":0}]})",
         "behaviour[0].half_life_days", "between 1 and 3650"},
        {R"({"name":"x","behaviour":[{"id":"b","kind":"web_visit","points":1,"window_days":99999}]})",
         "behaviour[0].window_days", "between"},
        {R"({"name":"x","behaviour":[{"id":"b","kind":"web_visit","points":1,"cap_total":-1}]})",
         "behaviour[0].cap_total", "between"},
        {R"({"name":"x","behaviour":[{"id":"b","kind":"web_visit","points":1,"window_days":3,"half_life_days":3}]})",
         "behaviour[0].window_days", "not both"},
        {R"({"name":"x","behaviour":[{"id":"b","kind":"web_visit","when":{"field":"tags","op":"exists"},"points":1}]})",
         "behaviour[0].when.field", "cannot be used"},
        {R"({"name":"x","behaviour":[{"id":"b","kind":"web_visit","when":{"field":"url","op":"pattern","value":"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*"},"points":1}]})",
         "behaviour[0].when.value", "more than 16"},
        {R"({"name":"x","behaviour":[{"id":"b","kind":"email","event":"read","points":1}]})", "behaviour[0].event",
         "not an email event"},
        {R"({"name":"x","fit":[{"id":"a","when":{"field":"title","op":"exists"},"points":1},{"id":"a","when":{"field":"title","op":"exists"},"points":1}]})",
         "fit[1].id", "another rule"},
        {R"({"name":"x","fit":[{"id":"a","pointz":1}]})", "fit[0].pointz", "unknown key"},
        {R"({"name":"x","fit":[{"id":"a","when":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"field":"title","op":"exists"}}}}}}}}},"points":1}]})",
         "fit[0]", "deeper"},
        {R"({"name":"x","limits":{"min":10,"max":5}})", "limits.min", "below"},
        {R"({"name":"x","fit_bands":[{"band":"A","min":10},{"band":"B","min":20},{"band":"C"}]})", "fit_bands[1].min",
         "below"},
        {R"({"fit":[]})", "name", "required"},
        {R"([1,2])", "definition", ""},
        {R"({"name":"x","name":"y"})", "definition", ""},
    };
    for (const auto& c : cases) {
        INFO(c.doc);
        auto r = f.db.scoring().define(c.doc);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field.rfind(c.field, 0) == 0);
        CHECK(r.error().message.find(c.says) != std::string::npos);
        auto u = f.db.scoring().update(c.doc);
        CHECK_FALSE(u);
    }
    // Too many rules.
    std::string many = R"({"name":"x","fit":[)";
    for (int i = 0; i < 101; ++i) {
        if (i) many += ",";
        many += R"({"id":"r)";
        many += std::to_string(i);
        many += R"(","when":{"field":"title","op":"exists"},"points":1})";
    }
    many += "]}";
    auto r = f.db.scoring().define(many);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("at most 100 rules") != std::string::npos);
    // A rule naming the rule id in the message.
    auto named = f.db.scoring().define(R"({"name":"x","fit":[{"id":"big-co","when":{"field":"account.employee_count","op":"contains","value":"x"},"points":1}]})");
    REQUIRE_FALSE(named);
    CHECK(named.error().message.find("rule 'big-co'") != std::string::npos);
    f.db.close().value();
    CHECK(testing::dump(f.dir.file("s.crm")) == before);
}

TEST_CASE("scoring: email events and the ingest path keep scores current", "[scoring]") {
    Fx f;
    f.db.scoring().define(R"({"name":"mail","behaviour":[
        {"id":"open","kind":"email","event":"opened","points":2,"cap_per_day":1},
        {"id":"click","kind":"email","event":"clicked","when":{"field":"subject","op":"contains","value":"セミナー"},"points":5}]})")
        .value();
    Interaction mail;
    mail.kind = "email";
    mail.direction = Direction::outbound;
    mail.subject = "6月セミナーのご案内";
    mail.occurred_at = f.now() - kDay;
    mail.contact_ids = {f.taro};
    const Id mid = f.db.interactions().create(mail).value();
    EmailEvent open;
    open.type = EmailEventType::opened;
    open.at = f.now() - 1000;
    f.db.interactions().track(mid, open).value();
    open.at = f.now() - 500;
    f.db.interactions().track(mid, open).value();  // same day: capped
    EmailEvent click;
    click.type = EmailEventType::clicked;
    click.at = f.now();
    click.url = "https://acme.jp/seminar";
    f.db.interactions().track(mid, click).value();
    CHECK(f.db.scoring().stored(f.taro, "mail").value().engagement == 7000);
    // Ingest: the batch's contacts are rescored once, in the batch's transaction.
    std::vector<Interaction> batch(3, mail);
    for (int i = 0; i < 3; ++i) batch[static_cast<std::size_t>(i)].external_id = "m" + std::to_string(i);
    f.db.interactions().ingest(batch).value();
    auto x = f.db.scoring().explain(f.taro, "mail").value();
    CHECK(x.score.engagement == 7000);  // no events on the new mails
    // Deleting the email takes its events' points away.
    f.db.interactions().remove(mid).value();
    CHECK(f.db.scoring().stored(f.taro, "mail").value().engagement == 0);
}

TEST_CASE("scoring: dry run reports threshold crossings and writes nothing", "[scoring]") {
    Fx f;
    f.db.scoring().define(kModel).value();
    std::string v2 = kModel;
    v2.replace(v2.find("\"points\": 20"), 12, "\"points\": 30");  // taro 35 -> 45
    f.db.close().value();
    const auto before = testing::dump(f.dir.file("s.crm"));
    f.db = Db::open(f.dir.file("s.crm")).value();
    f.clock.install(f.db);
    auto r = f.db.scoring().dry_run(v2, {40, 60}).value();
    CHECK(r.current_version == 1);
    CHECK(r.contacts == 2);
    CHECK(r.changed == 1);
    REQUIRE(r.changes.size() == 1);
    CHECK(r.changes[0].contact_id == f.taro);
    CHECK(r.changes[0].old_total == 35000);
    CHECK(r.changes[0].new_total == 45000);
    CHECK(r.changes[0].crossed == std::vector<std::string>{"up:40"});
    CHECK(to_json(r).find("\"change\":10.000") != std::string::npos);
    CHECK_FALSE(f.db.scoring().dry_run("{\"name\":1}", {60}));
    f.db.close().value();
    CHECK(testing::dump(f.dir.file("s.crm")) == before);
}

// The property: over random sequences of contacts, interactions (created, updated,
// deleted, ingested, email events) and field changes under several models, the
// incrementally stored scores equal a full rescore and a from-scratch score as of
// their time.
TEST_CASE("scoring: incremental == full rescore == score as of, over random event sequences", "[scoring][property]") {
    for (unsigned seed = 1; seed <= 6; ++seed) {
        INFO("seed " << seed);
        Fx f;
        std::mt19937 rng(seed);
        auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
        f.db.scoring().define(kModel).value();
        f.db.scoring().define(R"({"name":"decay","limits":{"min":-50,"max":500},"trend":{"days":3,"threshold":2},
            "fit":[{"id":"jp","when":{"field":"address.country","op":"equals","value":"JP"},"points":3},
                   {"id":"big","when":{"field":"account.employee_count","op":"range","min":1000},"points":7}],
            "behaviour":[{"id":"v","kind":"web_visit","points":3,"half_life_days":2,"cap_per_day":2},
                         {"id":"o","kind":"email","event":"opened","points":1,"window_days":5},
                         {"id":"call","kind":"call","when":{"field":"direction","op":"equals","value":"inbound"},"points":-4,"cap_total":2}]})")
            .value();
        std::vector<Id> contacts = {f.taro, f.hanako}, accounts = {f.acme}, interactions, emails;
        const char* urls[] = {"https://a.jp/pricing", "https://a.jp/careers", "https://a.jp/", "https://a.jp/pricing/x"};
        for (int step = 0; step < 120; ++step) {
            f.clock.advance(static_cast<Timestamp>(rng() % (kDay / 3)));
            const Timestamp now = f.now();
            const int what = pick(10);
            const Id who = contacts[static_cast<std::size_t>(pick(static_cast<int>(contacts.size())))];
            if (what == 0) {
                Contact c = testing::contact("客 " + std::to_string(step));
                if (pick(2)) c.account_id = accounts[static_cast<std::size_t>(pick(static_cast<int>(accounts.size())))];
                if (pick(2)) c.title = "部長";
                contacts.push_back(f.db.contacts().create(c).value());
            } else if (what == 1) {
                Contact c = f.db.contacts().get(who).value();
                c.title = pick(2) ? "部長" : "主任";
                c.address.country = pick(2) ? "JP" : "US";
                if (pick(3) == 0) c.account_id = accounts[static_cast<std::size_t>(pick(static_cast<int>(accounts.size())))];
                f.db.contacts().update(c).value();
            } else if (what == 2) {
                Account a = f.db.accounts().get(accounts[0]).value();
                a.employee_count = pick(2) ? 5000 : 50;
                a.industry = pick(2) ? "製造" : "小売";
                f.db.accounts().update(a).value();
                if (pick(3) == 0) {
                    Account b;
                    b.name = "会社 " + std::to_string(step);
                    b.employee_count = 2000;
                    accounts.push_back(f.db.accounts().create(b).value());
                }
            } else if (what <= 5) {
                const char* kinds[] = {"web_visit", "event_attendance", "call", "email"};
                Interaction i;
                i.kind = kinds[pick(4)];
                i.occurred_at = now - static_cast<Timestamp>(rng() % (8 * kDay));
                i.url = urls[pick(4)];
                i.direction = pick(2) ? Direction::inbound : Direction::outbound;
                i.contact_ids = {who};
                if (pick(4) == 0) i.contact_ids.push_back(contacts[static_cast<std::size_t>(pick(static_cast<int>(contacts.size())))]);
                const Id id = f.db.interactions().create(i).value();
                interactions.push_back(id);
                if (i.kind == "email") emails.push_back(id);
            } else if (what == 6 && !emails.empty()) {
                const Id mail = emails[static_cast<std::size_t>(pick(static_cast<int>(emails.size())))];
                auto m = f.db.interactions().get(mail).value();
                EmailEvent ev;
                ev.type = EmailEventType::opened;
                ev.at = std::max(m.occurred_at, now - static_cast<Timestamp>(rng() % kDay));
                if (m.contact_ids.size() == 1) f.db.interactions().track(mail, ev).value();
            } else if (what == 7 && !interactions.empty()) {
                const std::size_t k = static_cast<std::size_t>(pick(static_cast<int>(interactions.size())));
                auto i = f.db.interactions().get(interactions[k]).value();
                i.occurred_at = now - static_cast<Timestamp>(rng() % (4 * kDay));
                i.url = urls[pick(4)];
                i.contact_ids = {who};
                f.db.interactions().update(i).value();
            } else if (what == 8 && !interactions.empty()) {
                const std::size_t k = static_cast<std::size_t>(pick(static_cast<int>(interactions.size())));
                f.db.interactions().remove(interactions[k]).value();
                std::erase(emails, interactions[k]);
                interactions.erase(interactions.begin() + static_cast<std::ptrdiff_t>(k));
            } else {
                std::vector<Interaction> batch;
                for (int n = 0; n < 4; ++n) {
                    Interaction i;
                    i.kind = pick(2) ? "web_visit" : "call";
                    i.occurred_at = now - static_cast<Timestamp>(rng() % (6 * kDay));
                    i.url = urls[pick(4)];
                    i.direction = Direction::inbound;
                    i.contact_ids = {contacts[static_cast<std::size_t>(pick(static_cast<int>(contacts.size())))]};
                    batch.push_back(i);
                }
                auto r = f.db.interactions().ingest(batch).value();
                for (const auto& it : r.items) interactions.push_back(it.id);
            }
            // Every stored score is the from-scratch score as of its own time.
            if (step % 10 == 9) {
                for (const char* model : {"製品A", "decay"})
                    for (Id c : contacts) {
                        auto s = f.db.scoring().stored(c, model).value();
                        auto scratch = f.db.scoring().score(c, model, s.as_of).value();
                        CHECK(to_json(s) == to_json(scratch));
                    }
            }
        }
        // Frozen clock: incremental state after a last write of every contact equals a
        // full rescore at the same time, row for row.
        f.clock.advance(1000);
        for (Id c : contacts) f.db.contacts().add_tag(c, "final").value();
        std::vector<std::string> incremental, full;
        for (const char* model : {"製品A", "decay"})
            for (Id c : contacts) incremental.push_back(to_json(f.db.scoring().stored(c, model).value()));
        CHECK(f.db.scoring().rescore().value() == static_cast<std::int64_t>(2 * contacts.size()));
        for (const char* model : {"製品A", "decay"})
            for (Id c : contacts) {
                full.push_back(to_json(f.db.scoring().stored(c, model).value()));
                auto now = f.db.scoring().score(c, model).value();
                CHECK(full.back() == to_json(now));
                auto e = f.db.scoring().explain(c, model).value();
                CHECK(sum_parts(e) == e.score.total);
            }
        CHECK(incremental == full);
    }
}
