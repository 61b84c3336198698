// Products, campaigns, pipelines and deals (MISSION B4, B7).
#include <catch2/catch.hpp>

#include "crm/crm.hpp"
#include "helpers.hpp"

using namespace crm;

namespace {
// Builds a line item field by field: nested brace-initialisation of these aggregates
// trips a false -Wmaybe-uninitialized in GCC 12 at -O3.
LineItem item(Id product, std::int64_t qty, std::int64_t price, const char* currency, std::int64_t discount = 0,
              const char* note = "") {
    LineItem li;
    li.product_id = product;
    li.quantity = qty;
    li.unit_price.amount = price;
    li.unit_price.currency = currency;
    li.discount = discount;
    li.note = note;
    return li;
}
}  // namespace

namespace {

struct SalesFixture {
    testing::TempDir dir;
    std::string path = dir.file("sales.crm");
    Db db = Db::open(path).value();
    testing::FakeClock clock;
    Id pipeline = 0, other_pipeline = 0;
    Id s_visit = 0, s_proposal = 0, s_won = 0, s_lost = 0, other_stage = 0;
    Id product = 0;

    SalesFixture() {
        clock.install(db);
        Pipeline p;
        p.name = "新規営業";
        p.stages = {{0, "初回訪問", 10, StageKind::open},
                    {0, "提案", 40, StageKind::open},
                    {0, "受注", 100, StageKind::won},
                    {0, "失注", 0, StageKind::lost}};
        pipeline = db.pipelines().create(p).value();
        auto stages = db.pipelines().stages(pipeline).value();
        REQUIRE(stages.size() == 4);
        s_visit = stages[0].id;
        s_proposal = stages[1].id;
        s_won = stages[2].id;
        s_lost = stages[3].id;
        Pipeline q;
        q.name = "保守更新";
        q.stages = {{0, "更新案内", 50, StageKind::open}, {0, "更新", 100, StageKind::won}};
        other_pipeline = db.pipelines().create(q).value();
        other_stage = db.pipelines().stages(other_pipeline).value()[0].id;
        Product pr;
        pr.name = "勤怠管理クラウド";
        pr.series = "クラウドシリーズ";
        pr.list_price = {50'000, "JPY"};
        product = db.products().create(pr).value();
    }

    Deal deal(const std::string& name = "基幹システム刷新") const {
        Deal d;
        d.name = name;
        d.pipeline_id = pipeline;
        d.stage_id = s_visit;
        d.amount = {12'000'000, "JPY"};
        return d;
    }
};

}  // namespace

TEST_CASE_METHOD(SalesFixture, "sales: products and campaigns round-trip with Japanese text and JPY", "[sales]") {
    auto p = db.products().get(product).value();
    CHECK(p.name == "勤怠管理クラウド");
    CHECK(p.series == "クラウドシリーズ");
    CHECK(p.list_price == Money{50'000, "JPY"});
    CHECK(p.active);

    Campaign c;
    c.name = "秋の DX セミナー";
    c.channel = CampaignChannel::seminar;
    c.start_date = "2026-10-01";
    c.end_date = "2026-10-31";
    c.cost = {300'000, "JPY"};
    Id cid = db.campaigns().create(c).value();
    CHECK(db.campaigns().get(cid).value().channel == CampaignChannel::seminar);

    c.end_date = "2026-09-01";
    auto bad = db.campaigns().create(c);
    REQUIRE(!bad);
    CHECK(bad.error().field == "end_date");

    // Deals brought by the campaign; contacts by lead_source text.
    auto d = deal();
    d.campaign_id = cid;
    Id did = db.deals().create(d).value();
    auto ds = db.campaigns().deals(cid).value();
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].id == did);
    auto ct = testing::contact("山田 太郎", "taro@example.jp");
    ct.lead_source = "秋の DX セミナー";
    db.contacts().create(ct).value();
    CHECK(db.campaigns().contacts(cid).value().size() == 1);

    // Deleting the campaign detaches its deals (with a history row).
    REQUIRE(db.campaigns().remove(cid));
    CHECK(!db.deals().get(did).value().campaign_id);

    // A product on a line item cannot be deleted.
    auto d2 = deal("保守");
    d2.amount.amount = 0;  // from the line items
    d2.line_items = {item(product, 2, 50'000, "JPY", 0, "")};
    db.deals().create(d2).value();
    auto rm = db.products().remove(product);
    REQUIRE(!rm);
    CHECK(rm.error().code == errc::constraint_violation);

    ListOptions lo;
    lo.where = {{"series", Op::eq, "クラウドシリーズ"}};
    auto list = db.products().list(lo);
    REQUIRE(list);
    CHECK(list.value().items.size() == 1);
}

TEST_CASE_METHOD(SalesFixture, "sales: a pipeline document carries its stages; removing a used stage is refused",
                 "[sales]") {
    auto p = db.pipelines().get(pipeline).value();
    REQUIRE(p.stages.size() == 4);
    CHECK(p.stages[1].name == "提案");
    CHECK(p.stages[1].probability == 40);
    auto j = to_json(p);
    CHECK(j.find("\"stages\"") != std::string::npos);

    Id did = db.deals().create(deal()).value();
    (void)did;
    // Reorder and add a stage: an update with history.
    auto before_history = db.pipelines().history(pipeline).value().size();
    p.stages.insert(p.stages.begin() + 1, Stage{0, "ヒアリング", 20, StageKind::open});
    REQUIRE(db.pipelines().update(p));
    auto after = db.pipelines().get(pipeline).value();
    REQUIRE(after.stages.size() == 5);
    CHECK(after.stages[1].name == "ヒアリング");
    CHECK(after.stages[1].id > 0);
    CHECK(db.pipelines().history(pipeline).value().size() == before_history + 1);

    // Removing the stage that holds the deal: refused, nothing changes.
    const auto snapshot = testing::dump(path);
    auto q = after;
    q.stages.erase(q.stages.begin());  // 初回訪問 holds the deal
    auto r = db.pipelines().update(q);
    REQUIRE(!r);
    CHECK(r.error().code == errc::constraint_violation);
    CHECK(testing::dump(path) == snapshot);

    // An unused stage can go.
    auto q2 = after;
    q2.stages.erase(q2.stages.begin() + 1);
    REQUIRE(db.pipelines().update(q2));
    CHECK(db.pipelines().stages(pipeline).value().size() == 4);

    // Bad probability, duplicate names, foreign stage ids.
    auto q3 = q2;
    q3.stages[0].probability = 101;
    CHECK(db.pipelines().update(q3).error().field == "stages[0].probability");
    auto q4 = q2;
    q4.stages[1].name = q4.stages[0].name;
    CHECK(db.pipelines().update(q4).error().field == "stages[1].name");
    auto q5 = q2;
    q5.stages[0].id = other_stage;
    CHECK(db.pipelines().update(q5).error().field == "stages[0].id");
    CHECK(!db.pipelines().remove(pipeline));
}

TEST_CASE_METHOD(SalesFixture, "sales: deal validation refuses bad input and stores nothing", "[sales]") {
    const auto snapshot = testing::dump(path);

    auto d = deal();
    d.stage_id = other_stage;  // a stage from another pipeline
    auto r = db.deals().create(d);
    REQUIRE(!r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "stage_id");

    d = deal();
    d.line_items = {item(product, 1, 500, "USD", 0, "")};  // currency mismatch
    r = db.deals().create(d);
    REQUIRE(!r);
    CHECK(r.error().field == "line_items[0].unit_price.currency");

    d = deal();
    d.line_items = {item(product, -3, 50'000, "JPY", 0, "")};  // negative quantity
    r = db.deals().create(d);
    REQUIRE(!r);
    CHECK(r.error().field == "line_items[0].quantity");

    d = deal();
    d.pipeline_id = 9999;
    CHECK(db.deals().create(d).error().field == "pipeline_id");
    d = deal();
    d.stage_id = 9999;
    CHECK(db.deals().create(d).error().field == "stage_id");
    d = deal();
    d.amount.currency = "yen";
    CHECK(db.deals().create(d).error().field == "amount.currency");
    d = deal();
    d.stage_id = s_lost;  // lost without a reason
    CHECK(db.deals().create(d).error().field == "lost_reason");

    CHECK(testing::dump(path) == snapshot);

    // Existing deal: moving to another pipeline's stage changes nothing.
    Id did = db.deals().create(deal()).value();
    const auto snap2 = testing::dump(path);
    auto m = db.deals().move(did, other_stage);
    REQUIRE(!m);
    CHECK(m.error().field == "stage_id");
    CHECK(!db.deals().move(did, 424242));
    CHECK(!db.deals().move(did, s_lost, std::string("未登録の理由")));
    CHECK(testing::dump(path) == snap2);
}

TEST_CASE_METHOD(SalesFixture, "sales: line items, amount from lines, weighted amount", "[sales]") {
    auto d = deal();
    d.amount.amount = 0;
    d.line_items = {item(product, 3, 50'000, "", 10'000, "初年度"), item(product, 1, 1'999, "JPY", 0, "")};
    Id did = db.deals().create(d).value();
    auto got = db.deals().get(did).value();
    CHECK(got.amount == Money{3 * 50'000 - 10'000 + 1'999, "JPY"});
    REQUIRE(got.line_items.size() == 2);
    CHECK(got.line_items[0].unit_price.currency == "JPY");
    CHECK(got.line_items[0].note == "初年度");
    CHECK(got.line_items[0].total() == 140'000);

    // Stage default 10 %: 141999 × 10 / 100 = 14199.9 → 14200 (half away from zero).
    CHECK(db.deals().weighted(did).value() == Money{14'200, "JPY"});
    got.probability = 35;
    REQUIRE(db.deals().update(got));
    CHECK(db.deals().weighted(did).value().amount == weighted_amount(141'999, 35));
    CHECK(weighted_amount(5, 50) == 3);  // 2.5 → 3
    CHECK(weighted_amount(INT64_MAX, 100) == INT64_MAX);
    CHECK(weighted_amount(1'000, 150) == 1'000);  // clamped to 100 %

    d = deal();
    d.line_items = {item(product, 1, 100, "JPY", 101, "")};
    CHECK(db.deals().create(d).error().field == "line_items[0].discount");
}

TEST_CASE_METHOD(SalesFixture, "sales: moves record stage history with time in stage; reopen; lost reasons",
                 "[sales]") {
    REQUIRE(db.deals().define_lost_reason("価格"));
    REQUIRE(db.deals().define_lost_reason("競合に敗北"));
    CHECK(db.deals().define_lost_reason("価格").error().code == errc::already_exists);
    CHECK(db.deals().lost_reasons().value().size() == 2);

    const Timestamp t0 = *clock.now;
    Id did = db.deals().create(deal()).value();
    clock.advance(60'000);
    REQUIRE(db.deals().move(did, s_proposal));
    clock.advance(3'600'000);
    REQUIRE(db.deals().move(did, s_lost, std::string("競合に敗北")));
    auto lost = db.deals().get(did).value();
    CHECK(lost.status == DealStatus::lost);
    CHECK(lost.lost_reason == "競合に敗北");
    CHECK(lost.closed_at == t0 + 3'660'000);
    clock.advance(1'000);

    auto h = db.deals().stage_history(did).value();
    REQUIRE(h.size() == 3);
    CHECK(!h[0].from_stage_id);
    CHECK(h[0].to_stage_id == s_visit);
    CHECK(h[0].time_in_stage_ms == 60'000);
    CHECK(h[1].from_stage_id == s_visit);
    CHECK(h[1].time_in_stage_ms == 3'600'000);
    CHECK(h[2].to_stage_id == s_lost);
    CHECK(h[2].time_in_stage_ms == 1'000);  // the current stage runs to now
    clock.advance(4'000);
    CHECK(db.deals().stage_history(did).value()[2].time_in_stage_ms == 5'000);

    // Reopen: back to an open stage clears closed_at and the lost reason.
    REQUIRE(db.deals().move(did, s_proposal));
    auto reopened = db.deals().get(did).value();
    CHECK(reopened.status == DealStatus::open);
    CHECK(reopened.closed_at == 0);
    CHECK(reopened.lost_reason.empty());

    // Won through a plain update (patch) also records the stage change.
    clock.advance(10);
    auto won = db.deals().patch(did, "{\"stage_id\":" + std::to_string(s_won) + "}").value();
    CHECK(won.status == DealStatus::won);
    CHECK(won.closed_at == *clock.now);
    CHECK(db.deals().stage_history(did).value().size() == 5);

    // Generic history rows are there too: create + one row per changed field.
    auto changes = db.deals().history(did).value();
    CHECK(changes.front().op == ChangeOp::create);
    CHECK(std::count_if(changes.begin(), changes.end(), [](const Change& c) { return c.field == "stage_id"; }) == 4);
}

TEST_CASE_METHOD(SalesFixture, "sales: as-of read of a deal, JSON round-trip, delete", "[sales]") {
    Id did = db.deals().create(deal()).value();
    const Timestamp t_created = *clock.now;
    clock.advance(1'000);
    REQUIRE(db.deals().move(did, s_proposal));
    clock.advance(1'000);
    auto d = db.deals().get(did).value();
    d.amount.amount = 15'000'000;
    REQUIRE(db.deals().update(d));

    auto then = db.deals().get_as_of(did, t_created).value();
    CHECK(then.stage_id == s_visit);
    CHECK(then.amount.amount == 12'000'000);
    CHECK(then.name == "基幹システム刷新");
    auto mid = db.deals().get_as_of(did, t_created + 1'500).value();
    CHECK(mid.stage_id == s_proposal);
    CHECK(mid.amount.amount == 12'000'000);

    auto now = db.deals().get(did).value();
    auto back = from_json<Deal>(to_json(now)).value();
    CHECK(back.name == now.name);
    CHECK(back.stage_id == now.stage_id);
    CHECK(back.amount == now.amount);
    CHECK(!from_json<Deal>(R"({"name":"x","bogus":1})"));

    ListOptions lo;
    lo.where = {{"stage_id", Op::eq, std::to_string(s_proposal)}};
    auto page = db.deals().list(lo);
    REQUIRE(page);
    CHECK(page.value().items.size() == 1);

    REQUIRE(db.deals().remove(did));
    CHECK(!db.deals().get(did));
    CHECK(!db.deals().stage_history(did));
    CHECK(db.deals().get_as_of(did, t_created + 1'500).value().stage_id == s_proposal);
}

TEST_CASE_METHOD(SalesFixture, "sales: with line items the amount is their sum on every write path", "[sales]") {
    // The case from the issue: items changed by an update, amount left as it was.
    auto d = deal();
    d.amount.amount = 555;
    const Id plain = db.deals().create(d).value();  // no items: the amount is the caller's
    CHECK(db.deals().get(plain).value().amount.amount == 555);
    auto got = db.deals().get(plain).value();
    got.line_items = {item(product, 2, 300'000, "JPY", 0, "")};
    REQUIRE(db.deals().update(got));
    CHECK(db.deals().get(plain).value().amount.amount == 600'000);

    // A JSON patch of the items alone (the C ABI's and the CLI's path) derives it too.
    auto patched = db.records(Entity::deal)
                       .patch(plain, R"({"line_items":[{"product_id":)" + std::to_string(product) +
                                         R"(,"quantity":1,"unit_price":{"amount":1000,"currency":"JPY"}}]})");
    REQUIRE(patched);
    CHECK(db.deals().get(plain).value().amount.amount == 1'000);

    // An amount that contradicts the items is refused, whichever way it comes, and changes nothing.
    const auto before = testing::dump(path);
    auto amount_only = db.deals().get(plain).value();
    amount_only.amount.amount = 999;
    auto r = db.deals().update(amount_only);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "amount");
    CHECK(r.error().message.find("1000") != std::string::npos);
    CHECK(db.records(Entity::deal).patch(plain, R"({"amount":{"amount":5,"currency":"JPY"}})").error().field == "amount");
    auto both = deal();
    both.line_items = {item(product, 1, 100, "JPY", 0, "")};  // deal() carries 12,000,000
    CHECK(db.deals().create(both).error().field == "amount");
    CHECK(testing::dump(path) == before);

    // Agreeing values are fine; removing the items frees the amount again.
    both.amount.amount = 100;
    REQUIRE(db.deals().create(both));
    auto freed = db.deals().get(plain).value();
    freed.line_items.clear();
    freed.amount.amount = 42;
    REQUIRE(db.deals().update(freed));
    CHECK(db.deals().get(plain).value().amount.amount == 42);
}

TEST_CASE_METHOD(SalesFixture, "sales: stage moves can be dated in the past, in order, never in the future",
                 "[sales]") {
    REQUIRE(db.deals().define_lost_reason("価格"));
    const Timestamp now = *clock.now;
    const Timestamp day = 86'400'000;
    // A deal brought from another system: created in 2017, won in 2017.
    auto d = deal("2017年の案件");
    d.created_at = now - 3000 * day;
    const Id old = db.deals().create(d).value();
    REQUIRE(db.deals().move(old, s_proposal, std::nullopt, now - 2990 * day));
    REQUIRE(db.deals().move(old, s_won, std::nullopt, now - 2900 * day));
    auto won = db.deals().get(old).value();
    CHECK(won.status == DealStatus::won);
    CHECK(won.closed_at == now - 2900 * day);
    CHECK(won.created_at == now - 3000 * day);
    auto stages = db.deals().stage_history(old).value();
    REQUIRE(stages.size() == 3);
    CHECK(stages[0].at == now - 3000 * day);
    CHECK(stages[1].at == now - 2990 * day);
    CHECK(stages[2].at == now - 2900 * day);
    CHECK(stages[1].time_in_stage_ms == 90 * day);
    // The history rows are dated when the database learned of it.
    const auto dh = db.deals().history(old).value();
    for (const auto& c : dh) {
        INFO(c.field);
        CHECK(c.at == now);
    }

    // Refused, with nothing changed: the future, before the latest move, out of range, a future creation.
    const auto before = testing::dump(path);
    auto r = db.deals().move(old, s_proposal, std::nullopt, now + 1);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "at");
    CHECK(db.deals().move(old, s_proposal, std::nullopt, now - 2950 * day).error().field == "at");
    CHECK(db.deals().move(old, s_lost, std::string("価格"), INT64_MIN).error().field == "at");
    auto future = deal("未来の案件");
    future.created_at = now + day;
    CHECK(db.deals().create(future).error().field == "created_at");
    CHECK(testing::dump(path) == before);

    // Without a time: now, as before.
    REQUIRE(db.deals().move(old, s_lost, std::string("価格")));
    CHECK(db.deals().get(old).value().closed_at == now);
}
