// Routing of hot leads (crm/routing.hpp): rules in order (first match), territories,
// round robin (fair, deterministic, kept across reopen), capacity skips, the fallback,
// follow-up due times in business hours, the hand-off's explanation, scores and
// timeline, refused definitions, dry runs, and routing on entering a threshold.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "helpers.hpp"

using namespace crm;

namespace {

Timestamp at(const char* iso) { return parse_iso8601(iso).value(); }

struct Fx {
    testing::TempDir dir;
    testing::FakeClock clock;
    std::string path;
    Db db;
    Id a = 0, b = 0, c = 0, boss = 0;  // users
    Fx() : path(dir.file("r.crm")), db(Db::open(path).value()) {
        // Friday 2026-01-09 17:00 JST.
        *clock.now = at("2026-01-09T08:00:00Z");
        clock.install(db);
        a = user("青木", "aoki@acme.co.jp");
        b = user("馬場", "baba@acme.co.jp");
        c = user("千葉", "chiba@acme.co.jp");
        boss = user("部長", "bucho@acme.co.jp");
        BusinessCalendar jp;
        jp.name = "日本営業日";
        jp.utc_offset_minutes = 540;
        for (int d = 1; d <= 5; ++d) jp.hours[static_cast<std::size_t>(d)] = {{9 * 60, 18 * 60}};
        jp.holidays = {"2026-01-12"};  // 成人の日 (a Monday)
        db.tickets().define_calendar(jp).value();
        CustomFieldDef rank;
        rank.entity = Entity::contact;
        rank.name = "rank";
        rank.type = FieldType::text;
        db.custom_fields().define(rank).value();
    }
    Id user(const std::string& name, const std::string& email) {
        User u;
        u.name = name;
        u.email = email;
        return db.users().create(u).value();
    }
    Id lead(const std::string& name, const std::string& region, const std::string& rank = {}) {
        Contact x = testing::contact(name);
        x.address.region = region;
        if (!rank.empty()) x.custom["rank"] = rank;
        return db.contacts().create(x).value();
    }
    // A routing: VIP custom field first, then 関東 territory to a pool, then Osaka to one owner.
    std::string def(const std::string& extra = {}) const {
        return fmt::format(R"({{"name":"国内","calendar":"日本営業日","fallback":{},
          "territories":[{{"name":"関東","field":"address.region","values":["東京都","神奈川県","千葉県"]}}],
          "rules":[
            {{"id":"vip","when":{{"field":"custom.rank","op":"equals","value":"VIP"}},"owner":{}}},
            {{"id":"kanto","territory":"関東","pool":[{},{},{}]}},
            {{"id":"osaka","when":{{"field":"address.region","op":"equals","value":"大阪府"}},"owner":{}}}
          ],
          "follow_up":{{"title":"初回フォロー: {{contact}}","due_hours":4}}{}}})",
                           boss, boss, a, b, c, c, extra);
    }
    Handoff route(Id contact) { return db.routing().route("国内", contact).value(); }
};

}  // namespace

TEST_CASE("routing: rules in order, first match, territory, explanation", "[routing]") {
    Fx f;
    auto d = f.db.routing().define(f.def()).value();
    CHECK(d.version == 1);
    // VIP in 東京都: both vip and kanto hold; vip comes first.
    const Id vip = f.lead("山田 太郎", "東京都", "VIP");
    auto h = f.route(vip);
    CHECK(h.owner_id == f.boss);
    CHECK(h.rule == "vip");
    CHECK(h.reason == "rule");
    REQUIRE(h.trials.size() == 1);  // rules after the one that took it are not tried
    CHECK(h.trials[0].matched);
    REQUIRE(h.trials[0].checks.size() == 1);
    CHECK(h.trials[0].checks[0].field == "custom.rank");
    CHECK(h.trials[0].checks[0].actual == "\"VIP\"");
    CHECK(h.trials[0].checks[0].holds);
    CHECK(f.db.contacts().get(vip).value().owner_id == f.boss);

    // 神奈川県, not VIP: vip fails, kanto (territory) takes it.
    const Id k = f.lead("佐藤 花子", "神奈川県");
    h = f.route(k);
    CHECK(h.rule == "kanto");
    CHECK(h.reason == "round_robin");
    REQUIRE(h.trials.size() == 2);
    CHECK_FALSE(h.trials[0].matched);
    CHECK(h.trials[0].checks[0].actual == "null");
    CHECK(h.trials[1].matched);
    CHECK(h.trials[1].checks[0].op == "territory:関東");
    CHECK(h.trials[1].checks[0].actual == "\"神奈川県\"");

    // 大阪府: the third rule.
    h = f.route(f.lead("大阪 次郎", "大阪府"));
    CHECK(h.rule == "osaka");
    CHECK(h.owner_id == f.c);
    CHECK(h.trials.size() == 3);

    // 北海道: nothing matches → the fallback.
    h = f.route(f.lead("北 三郎", "北海道"));
    CHECK(h.owner_id == f.boss);
    CHECK(h.rule.empty());
    CHECK(h.reason == "fallback_no_match");
    CHECK(h.trials.size() == 3);
    for (const auto& t : h.trials) CHECK_FALSE(t.matched);

    // The owner went through the contact update path: a history row for owner_id.
    bool owner_row = false;
    const auto changes = f.db.contacts().history(k).value();
    for (const auto& ch : changes) owner_row = owner_row || ch.field == "owner_id";
    CHECK(owner_row);
}

TEST_CASE("routing: round robin is fair and survives reopening", "[routing]") {
    std::vector<Id> owners;
    Fx f;
    f.db.routing().define(f.def()).value();
    for (int i = 0; i < 6; ++i) owners.push_back(f.route(f.lead(fmt::format("関東 {}", i), "東京都")).owner_id);
    CHECK(owners == std::vector<Id>{f.a, f.b, f.c, f.a, f.b, f.c});
    owners.clear();
    owners.push_back(f.route(f.lead("関東 6", "千葉県")).owner_id);
    owners.push_back(f.route(f.lead("関東 7", "千葉県")).owner_id);
    CHECK(owners == std::vector<Id>{f.a, f.b});
    f.db.close().value();
    auto db2 = Db::open(f.path).value();
    f.clock.install(db2);
    Contact x = testing::contact("関東 8");
    x.address.region = "東京都";
    const Id id = db2.contacts().create(x).value();
    auto h = db2.routing().route("国内", id).value();
    CHECK(h.owner_id == f.c);  // the position was stored
    CHECK(h.position == 2);
    // A new version keeps the position of the rule id.
    db2.routing().update(f.def()).value();
    x.name = "関東 9";
    auto h2 = db2.routing().route("国内", db2.contacts().create(x).value()).value();
    CHECK(h2.owner_id == f.a);
    CHECK(h2.version == 2);
}

TEST_CASE("routing: capacity skips an owner, fallback when everyone is full", "[routing]") {
    Fx f;
    f.db.routing().define(f.def(fmt::format(R"(,"capacity":1,"capacities":[{{"user":{},"max":2}}])", f.c))).value();
    auto h1 = f.route(f.lead("一", "東京都"));  // a (1/1)
    auto h2 = f.route(f.lead("二", "東京都"));  // b (1/1)
    CHECK(h1.owner_id == f.a);
    CHECK(h2.owner_id == f.b);
    auto h3 = f.route(f.lead("三", "東京都"));  // c (1/2)
    auto h4 = f.route(f.lead("四", "東京都"));  // a and b full → c (2/2)
    CHECK(h3.owner_id == f.c);
    CHECK(h4.owner_id == f.c);
    REQUIRE(h4.trials.back().skipped.size() == 2);
    CHECK(h4.trials.back().skipped[0].user_id == f.a);
    CHECK(h4.trials.back().skipped[0].reason == "capacity");
    CHECK(h4.trials.back().skipped[0].open == 1);
    CHECK(h4.trials.back().skipped[0].capacity == 1);
    // Everyone full: the osaka rule does not match, so the fallback takes it.
    auto h5 = f.route(f.lead("五", "東京都"));
    CHECK(h5.owner_id == f.boss);
    CHECK(h5.reason == "fallback_capacity");
    CHECK(h5.trials[1].skipped.size() == 3);
    // a finishes the follow-up: a has room again.
    Task t = f.db.tasks().get(h1.task_id).value();
    t.status = TaskStatus::done;
    f.db.tasks().update(t).value();
    CHECK(f.route(f.lead("六", "東京都")).owner_id == f.a);
    // An inactive owner is skipped too.
    User ub = f.db.users().get(f.b).value();
    ub.active = false;
    f.db.users().update(ub).value();
    Task tb = f.db.tasks().get(h2.task_id).value();
    tb.status = TaskStatus::cancelled;
    f.db.tasks().update(tb).value();
    auto h7 = f.route(f.lead("七", "東京都"));
    CHECK(h7.owner_id == f.boss);  // a full again, b inactive, c full
    CHECK(h7.trials[1].skipped.size() == 3);
    bool inactive = false;
    for (const auto& s : h7.trials[1].skipped) inactive = inactive || (s.user_id == f.b && s.reason == "inactive");
    CHECK(inactive);
}

TEST_CASE("routing: the follow-up is due in business hours across a weekend and a holiday", "[routing]") {
    Fx f;
    f.db.routing().define(f.def()).value();
    const Id id = f.lead("山田 太郎", "大阪府");
    auto h = f.route(id);
    // Fri 17:00 JST + 4 business hours: 1 h on Friday, Monday is 成人の日, 3 h on Tuesday.
    CHECK(h.due_at == at("2026-01-13T12:00:00+09:00"));
    CHECK(h.calendar == "日本営業日");
    Task t = f.db.tasks().get(h.task_id).value();
    CHECK(t.due_at == h.due_at);
    CHECK(t.assignee_id == f.c);
    CHECK(t.title == "初回フォロー: 山田 太郎");
    CHECK(t.priority == TaskPriority::high);
    REQUIRE(t.links.size() == 1);
    CHECK(t.links[0].id == id);
    // Without a calendar: 24×7.
    f.db.routing().update(R"({"name":"国内","fallback":)" + std::to_string(f.boss) +
                          R"(,"rules":[],"follow_up":{"due_minutes":90}})")
        .value();
    auto h2 = f.route(id);
    CHECK(h2.due_at == at("2026-01-09T09:30:00Z"));
    CHECK(h2.previous_owner_id == f.c);
    CHECK(h2.owner_id == f.boss);
}

TEST_CASE("routing: the hand-off carries the score explanation and the timeline", "[routing]") {
    Fx f;
    f.db.scoring()
        .define(R"({"name":"製品A","fit":[{"id":"vip","when":{"field":"custom.rank","op":"equals","value":"VIP"},"points":30}],
                    "behaviour":[{"id":"pricing","kind":"web_visit","points":10}]})")
        .value();
    f.db.routing().define(f.def(R"(,"timeline_items":2)")).value();
    const Id id = f.lead("山田 太郎", "東京都", "VIP");
    for (int i = 0; i < 3; ++i) {
        f.clock.advance(60000);
        Interaction x;
        x.kind = "web_visit";
        x.occurred_at = *f.clock.now;
        x.url = fmt::format("https://acme.co.jp/pricing/{}", i);
        x.contact_ids = {id};
        f.db.interactions().create(x).value();
    }
    auto h = f.route(id);
    CHECK(h.scores_json.find("\"製品A\"") != std::string::npos);
    CHECK(h.scores_json.find("\"rule\":\"vip\"") != std::string::npos);
    CHECK(h.scores_json.find("\"rule\":\"pricing\"") != std::string::npos);
    CHECK(h.scores_json.find("\"total\":60.000") != std::string::npos);
    // The newest two interactions, newest first.
    CHECK(h.timeline_json.find("pricing/2") != std::string::npos);
    CHECK(h.timeline_json.find("pricing/1") != std::string::npos);
    CHECK(h.timeline_json.find("pricing/0") == std::string::npos);
    CHECK(h.timeline_json.find("pricing/2") < h.timeline_json.find("pricing/1"));
    // Stored and read back as it was.
    auto stored = f.db.routing().handoff(h.id).value();
    CHECK(to_json(stored) == to_json(h));
    auto all = f.db.routing().handoffs(id).value();
    REQUIRE(all.size() == 1);
    CHECK(all[0].trials.size() == h.trials.size());
    CHECK(all[0].trials[0].checks[0].actual == "\"VIP\"");
    CHECK(to_json(all[0]).find("\"timeline\":[") != std::string::npos);
}

TEST_CASE("routing: refused definitions store nothing", "[routing]") {
    Fx f;
    User off;
    off.name = "退職者";
    off.email = "gone@acme.co.jp";
    off.active = false;
    const Id gone = f.db.users().create(off).value();
    const std::string before = testing::dump(f.path);
    const std::string fb = std::to_string(f.boss);
    struct Bad {
        std::string json, field;
    };
    const std::vector<Bad> bad = {
        {R"({"name":"x","rules":[]})", "fallback"},
        {R"({"name":"x","fallback":999999,"rules":[]})", "fallback"},
        {R"({"name":"x","fallback":)" + std::to_string(gone) + R"(,"rules":[]})", "fallback"},
        {R"({"name":"x","fallback":)" + fb + R"(,"rules":[{"id":"r","pool":[)" + fb + "," + std::to_string(gone) + "]}]}",
         "rules[0].pool[1]"},
        {R"({"name":"x","fallback":)" + fb + R"(,"calendar":"無い","rules":[]})", "calendar"},
        {R"({"name":"x","fallback":)" + fb + R"(,"rules":[{"id":"r","when":{"field":"nope","op":"exists"},"owner":)" + fb +
             "}]}",
         "rules[0].when.field"},
        {R"({"name":"x","fallback":)" + fb + R"(,"rules":[{"id":"r","territory":"関西","owner":)" + fb + "}]}",
         "rules[0].territory"},
        {R"({"name":"x","fallback":)" + fb + R"(,"rules":[{"id":"r","owner":)" + fb + R"(,"pool":[)" + fb + "]}]}",
         "rules[0].owner"},
        {R"({"name":"x","fallback":)" + fb + R"(,"rules":[{"id":"r","owner":)" + fb + R"(},{"id":"r","owner":)" + fb +
             "}]}",
         "rules[1].id"},
        {R"({"name":"x","fallback":)" + fb + R"(,"capacity":0,"rules":[]})", "capacity"},
        {R"({"name":"x","fallback":)" + fb + R"(,"rules":[],"follow_up":{"due_hours":-1}})", "follow_up.due_hours"},
        {R"({"name":"x","fallback":)" + fb + R"(,"rules":[],"unknown":1})", "unknown"},
        {R"({"name":"x","fallback":)" + fb +
             R"(,"territories":[{"name":"t","field":"lifecycle_stage","values":["nope"]}],"rules":[]})",
         "territories[0].values[0]"},
        {R"({"name":"x","fallback":)" + fb + R"(,"rules":[)", "definition"},
    };
    for (const auto& x : bad) {
        INFO(x.json);
        auto r = f.db.routing().define(x.json);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == x.field);
    }
    CHECK(testing::dump(f.path) == before);
    // A taken name, an update of an unknown routing.
    f.db.routing().define(f.def()).value();
    const std::string after = testing::dump(f.path);
    CHECK(f.db.routing().define(f.def()).error().code == errc::already_exists);
    CHECK(f.db.routing().update(R"({"name":"無い","fallback":)" + fb + R"(,"rules":[]})").error().code ==
          errc::not_found);
    CHECK(f.db.routing().route("国内", 999999).error().code == errc::not_found);
    CHECK(f.db.routing().route("無い", 1).error().code == errc::not_found);
    CHECK(testing::dump(f.path) == after);
    CHECK(f.db.routing().versions("国内").value().size() == 1);
}

TEST_CASE("routing: a dry run writes nothing and decides as the real run", "[routing]") {
    Fx f;
    f.db.routing().define(f.def()).value();
    f.route(f.lead("一", "東京都"));  // a; the next is b
    const Id id = f.lead("二", "東京都");
    const std::string before = testing::dump(f.path);
    RouteOptions dry;
    dry.dry_run = true;
    auto d1 = f.db.routing().route("国内", id, dry).value();
    auto d2 = f.db.routing().route("国内", id, dry).value();
    CHECK(testing::dump(f.path) == before);
    CHECK(d1.dry_run);
    CHECK(d1.id == 0);
    CHECK(d1.task_id == 0);
    CHECK(d1.owner_id == f.b);
    CHECK(d2.owner_id == f.b);  // the rotation did not move
    auto real = f.route(id);
    CHECK(real.owner_id == d1.owner_id);
    CHECK(real.rule == d1.rule);
    CHECK(real.due_at == d1.due_at);
}

TEST_CASE("routing: a threshold's routing runs when a contact enters it", "[routing]") {
    Fx f;
    f.db.scoring()
        .define(R"({"name":"製品A","fit":[{"id":"vip","when":{"field":"custom.rank","op":"equals","value":"VIP"},"points":70}]})")
        .value();
    ThresholdDef t;
    t.name = "MQL";
    t.model = "製品A";
    t.enter = 60000;
    t.leave = 50000;
    f.db.thresholds().define(t).value();
    f.db.routing().define(f.def()).value();
    CHECK(f.db.routing().attach("無い", "国内").error().code == errc::not_found);
    CHECK(f.db.routing().attach("MQL", "無い").error().code == errc::not_found);
    f.db.routing().attach("MQL", "国内").value();

    const Id id = f.lead("山田 太郎", "東京都");
    CHECK(f.db.routing().handoffs(id).value().empty());
    Contact x = f.db.contacts().get(id).value();
    x.custom["rank"] = "VIP";
    f.db.contacts().update(x).value();  // total 70 → enters MQL → routed in the same write
    auto hs = f.db.routing().handoffs(id).value();
    REQUIRE(hs.size() == 1);
    CHECK(hs[0].trigger == "MQL");
    CHECK(hs[0].status == "routed");
    CHECK(hs[0].owner_id == f.boss);
    CHECK(f.db.contacts().get(id).value().owner_id == f.boss);
    CHECK(hs[0].scores_json.find("\"total\":70.000") != std::string::npos);

    // A routing that fails there (the fallback left) leaves a failed hand-off and the
    // score write goes on.
    const Id other = f.lead("北 三郎", "北海道");
    User ub = f.db.users().get(f.boss).value();
    ub.active = false;
    f.db.users().update(ub).value();
    Contact y = f.db.contacts().get(other).value();
    y.custom["rank"] = "VIP";
    f.db.contacts().update(y).value();
    CHECK(f.db.thresholds().state("MQL", other).value().inside);
    auto hy = f.db.routing().handoffs(other).value();
    REQUIRE(hy.size() == 1);
    CHECK(hy[0].status == "failed");
    CHECK(hy[0].error.find("fallback") != std::string::npos);
    CHECK_FALSE(f.db.contacts().get(other).value().owner_id);
    CHECK(f.db.tasks().count().value() == 1);  // only the first hand-off's task

    f.db.routing().detach("MQL").value();
    CHECK(f.db.routing().detach("MQL").error().code == errc::not_found);
}
