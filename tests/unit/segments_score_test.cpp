// Score predicates in segments: score(MODEL).total / fit / engagement / grade /
// fit_grade / engagement_grade / trend on the stored scores now, computed by the
// scoring engine as of a past time (checked against Scoring::score for every
// contact), combined with attribute and behaviour predicates; refused predicates.
#include <catch2/catch.hpp>

#include <algorithm>

#include "helpers.hpp"

using namespace crm;

namespace {

// 部長 in the title: 60 fit points (band A from 50); each pricing visit 10 engagement
// points (band 3 from 10, band 2 from 25).
const char* kModel = R"({"name":"製品A","fit":[
  {"id":"manager","when":{"field":"title","op":"contains","value":"部長"},"points":60},
  {"id":"competitor","when":{"field":"title","op":"equals","value":"競合"},"gate":true}],
 "behaviour":[{"id":"pricing","kind":"web_visit","when":{"field":"url","op":"pattern","value":"*/pricing*"},"points":10}]})";

struct Fx {
    testing::TempDir dir;
    testing::FakeClock clock;
    Db db;
    Id taro = 0, jiro = 0, hanako = 0, rival = 0;
    Fx() : db(Db::open(dir.file("seg.crm")).value()) {
        clock.install(db);
        db.scoring().define(kModel).value();
        taro = add("山田 太郎", "部長", LifecycleStage::mql);
        jiro = add("鈴木 次郎", "営業部長", LifecycleStage::lead);
        hanako = add("佐藤 花子", "担当", LifecycleStage::mql);
        rival = add("競合 三郎", "競合", LifecycleStage::mql);
    }
    Id add(const std::string& name, const std::string& title, LifecycleStage stage) {
        Contact c;
        c.name = name;
        c.title = title;
        c.lifecycle_stage = stage;
        return db.contacts().create(c).value();
    }
    void visit(Id contact, const std::string& url) {
        clock.advance(1000);
        Interaction i;
        i.kind = "web_visit";
        i.direction = Direction::inbound;
        i.url = url;
        i.occurred_at = *clock.now;
        i.contact_ids = {contact};
        db.interactions().create(i).value();
    }
    std::vector<Id> ids(const std::string& expr, Timestamp as_of = 0) {
        ListOptions o;
        o.limit = 100;
        auto r = db.segments().contact_ids_expr(expr, o, SegmentEval{as_of});
        INFO(expr);
        REQUIRE(r);
        return r.value().items;
    }
};

}  // namespace

TEST_CASE("segments: score predicates on the stored scores", "[segments][scoring]") {
    Fx f;
    f.visit(f.jiro, "https://example.jp/pricing");
    f.visit(f.jiro, "https://example.jp/pricing/enterprise");
    f.visit(f.hanako, "https://example.jp/about");
    CHECK(f.ids("score('製品A').total >= 60") == std::vector<Id>{f.taro, f.jiro});
    CHECK(f.ids("score('製品A').total > 60") == std::vector<Id>{f.jiro});
    CHECK(f.ids("score(\"製品A\").engagement >= 19.5") == std::vector<Id>{f.jiro});
    CHECK(f.ids("score('製品A').fit = 0") == std::vector<Id>{f.hanako, f.rival});
    // "MQL with fit grade A" (the issue's example)
    CHECK(f.ids("lifecycle_stage = 'mql' and score('製品A').fit_grade = 'A'") == std::vector<Id>{f.taro});
    CHECK(f.ids("score('製品A').fit_grade = 'X'") == std::vector<Id>{f.rival});  // disqualified by the gate
    CHECK(f.ids("score('製品A').fit_grade != 'A'") == std::vector<Id>{f.hanako, f.rival});
    CHECK(f.ids("score('製品A').fit_grade in ('B', 'C')") == std::vector<Id>{f.hanako});
    CHECK(f.ids("score('製品A').engagement_grade = '3'") == std::vector<Id>{f.jiro});
    CHECK(f.ids("score('製品A').grade = 'A3'") == std::vector<Id>{f.jiro});
    CHECK(f.ids("score('製品A').grade in ('A4', 'X4')") == std::vector<Id>{f.taro, f.rival});
    CHECK(f.ids("score('製品A').trend = 'rising'") == std::vector<Id>{f.jiro});
    // Score and behaviour together, and under not.
    CHECK(f.ids("score('製品A').fit_grade = 'A' and count(web_visit, url like '*pricing*', last 7d) >= 2") ==
          std::vector<Id>{f.jiro});
    CHECK(f.ids("not score('製品A').fit_grade = 'A' and count(web_visit) >= 1") == std::vector<Id>{f.hanako});
    CHECK(f.db.segments().count_expr("score('製品A').total >= 0").value() == 4);
    // A saved segment with a score predicate.
    Segment s;
    s.name = "製品A・Aランク MQL";
    s.definition = "lifecycle_stage = 'mql' and score('製品A').fit_grade = 'A'";
    const Id seg = f.db.segments().define(s).value();
    CHECK(f.db.segments().count(seg).value() == 1);
    // The stored score follows the write that moves it.
    Contact h = f.db.contacts().get(f.hanako).value();
    h.title = "部長代理";
    f.db.contacts().update(h).value();
    CHECK(f.db.segments().count(seg).value() == 2);
    // A deactivated model keeps no scores: its predicates hold for nobody now.
    f.db.scoring().deactivate("製品A").value();
    CHECK(f.db.segments().count(seg).value() == 0);
}

TEST_CASE("segments: score predicates as of a past time agree with Scoring::score", "[segments][scoring]") {
    Fx f;
    const Timestamp t0 = *f.clock.now;
    f.visit(f.jiro, "https://example.jp/pricing");
    f.visit(f.jiro, "https://example.jp/pricing");
    f.visit(f.jiro, "https://example.jp/pricing");
    const Timestamp t1 = *f.clock.now;
    f.clock.advance(1000);
    Contact h = f.db.contacts().get(f.hanako).value();
    h.title = "部長";
    f.db.contacts().update(h).value();
    f.visit(f.hanako, "https://example.jp/pricing");
    const Timestamp t2 = *f.clock.now;
    // As of t1: hanako was not a manager yet; jiro had 30 engagement points.
    CHECK(f.ids("score('製品A').fit_grade = 'A'", t1) == std::vector<Id>{f.taro, f.jiro});
    CHECK(f.ids("score('製品A').fit_grade = 'A'") == std::vector<Id>{f.taro, f.jiro, f.hanako});
    CHECK(f.ids("score('製品A').engagement >= 20", t0 + 1500) == std::vector<Id>{});
    CHECK(f.ids("score('製品A').engagement >= 20", t1) == std::vector<Id>{f.jiro});
    CHECK(f.ids("lifecycle_stage = 'mql' and score('製品A').grade = 'A3'", t2) == std::vector<Id>{f.hanako});
    CHECK(f.ids("score('製品A').total >= 0", t0 - 1).empty());  // before the model existed
    // Every predicate, every contact, at several times: membership = the engine's score.
    const std::vector<std::pair<std::string, std::function<bool(const Score&)>>> preds = {
        {"score('製品A').total >= 60", [](const Score& s) { return s.total >= 60000; }},
        {"score('製品A').engagement > 10", [](const Score& s) { return s.engagement > 10000; }},
        {"score('製品A').grade = 'A2'", [](const Score& s) { return s.grade == "A2"; }},
        {"score('製品A').fit_grade != 'A'", [](const Score& s) { return s.grade.rfind("A", 0) != 0; }},
    };
    for (Timestamp t : {t0 + 1, t0 + 1500, t1, t2}) {
        for (const auto& [expr, want] : preds) {
            std::vector<Id> expected;
            for (Id c : {f.taro, f.jiro, f.hanako, f.rival}) {
                auto s = f.db.scoring().score(c, "製品A", t);
                if (s && want(s.value())) expected.push_back(c);
            }
            INFO(expr << " as of " << t);
            CHECK(f.ids(expr, t) == expected);
        }
    }
}

TEST_CASE("segments: refused score predicates name the problem", "[segments][scoring]") {
    Fx f;
    auto one = [&](const std::string& expr) {
        auto v = f.db.segments().validate(expr).value();
        REQUIRE(v.size() == 1);
        return v[0].message;
    };
    CHECK(one("score('製品B').total >= 1").find("no scoring model named '製品B' (the models are: 製品A)") !=
          std::string::npos);
    CHECK(one("score('製品A').fit_grade = 'Z'").find("not a fit band of '製品A' (A, B, C, D, X)") != std::string::npos);
    CHECK(one("score('製品A').engagement_grade = 'A'").find("not an engagement band") != std::string::npos);
    CHECK(one("score('製品A').grade = 'A9'").find("not a grade of '製品A'") != std::string::npos);
    CHECK(one("score('製品A').trend = 'up'").find("not a trend") != std::string::npos);
    CHECK(one("score('製品A').total >= 2000000").find("within") != std::string::npos);
    auto e = f.db.segments().count_expr("score('製品B').total >= 1");
    REQUIRE(!e);
    CHECK(e.error().code == errc::invalid_argument);
    CHECK(e.error().field == "expr");
}
