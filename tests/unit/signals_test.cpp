// Re-engagement and churn signals (crm/signals.hpp): each kind fires exactly once per
// episode, inside the interaction's transaction (a rollback leaves no flag and calls
// nothing), not for interactions that do not match; the dormant scan is idempotent;
// tasks go to the owner; bad rules are refused with nothing stored.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace crm;

namespace {

constexpr Timestamp kDay = 86'400'000;

struct Fx {
    testing::TempDir dir;
    std::string path = dir.file("s.crm");
    testing::FakeClock clock;
    Db db;
    Id rep = 0, taro = 0, hanako = 0, pipeline = 0, s_open = 0, s_lost = 0;
    std::vector<SignalFlag> seen;  // what on_signal delivered
    Fx() : db(Db::open(path).value()) {
        clock.install(db);
        User u;
        u.name = "営業 一郎";
        u.email = "ichiro@example.co.jp";
        rep = db.users().create(u).value();
        Contact c = testing::contact("山田 太郎", "taro@acme.co.jp");
        c.owner_id = rep;
        taro = db.contacts().create(c).value();
        hanako = db.contacts().create(testing::contact("佐藤 花子", "hanako@acme.co.jp")).value();
        Pipeline p;
        p.name = "新規営業";
        p.stages = {{0, "提案", 40, StageKind::open}, {0, "受注", 100, StageKind::won}, {0, "失注", 0, StageKind::lost}};
        pipeline = db.pipelines().create(p).value();
        auto st = db.pipelines().stages(pipeline).value();
        s_open = st[0].id;
        s_lost = st[2].id;
        db.deals().define_lost_reason("価格").value();
        db.signals().on_signal([this](const SignalFlag& f) { seen.push_back(f); });
    }
    Interaction visit(Id contact, const std::string& url, Direction d = Direction::inbound,
                      const std::string& kind = "web_visit") {
        Interaction i;
        i.kind = kind;
        i.direction = d;
        i.url = url;
        i.occurred_at = *clock.now;
        i.contact_ids = {contact};
        return i;
    }
    Id log(const Interaction& i) { return db.interactions().create(i).value(); }
    std::vector<SignalFlag> flags(const std::string& rule = {}) {
        SignalQuery q;
        q.rule = rule;
        return db.signals().flags(q).value();
    }
    Id lost_deal(Id contact) {
        Deal d;
        d.name = "基幹システム刷新";
        d.pipeline_id = pipeline;
        d.stage_id = s_open;
        d.contact_id = contact;
        const Id id = db.deals().create(d).value();
        db.deals().move(id, s_lost, std::string("価格")).value();
        return id;
    }
};

}  // namespace

TEST_CASE("signals: url_visit fires once per visit day, only for matching URLs", "[signals]") {
    Fx f;
    auto r = f.db.signals().define_json(
        R"({"name":"解約ページ","kind":"url_visit","pattern":"*/cancel*","task":{"title":"解約検討のフォロー","due_hours":24}})");
    REQUIRE(r);
    CHECK(r.value().kinds == std::vector<std::string>{"web_visit"});
    f.log(f.visit(f.taro, "https://example.jp/pricing"));            // no match
    f.log(f.visit(f.taro, "https://example.jp/cancel", Direction::inbound, "email"));  // not a web visit
    CHECK(f.flags().empty());
    CHECK(f.seen.empty());
    const Id first = f.log(f.visit(f.taro, "https://example.jp/account/CANCEL?x=1"));  // ASCII without case
    f.clock.advance(3'600'000);
    f.log(f.visit(f.taro, "https://example.jp/cancel"));  // the same day (JST): no second flag
    auto fl = f.flags();
    REQUIRE(fl.size() == 1);
    CHECK(f.seen.size() == 1);
    CHECK(fl[0].interaction_id == first);
    CHECK(fl[0].contact_id == f.taro);
    CHECK(fl[0].episode.rfind("day:", 0) == 0);
    CHECK(f.seen[0].id == fl[0].id);
    // The task went to the contact's owner, due a day later, linked to the contact.
    REQUIRE(fl[0].task_id);
    Task t = f.db.tasks().get(*fl[0].task_id).value();
    CHECK(t.title == "解約検討のフォロー");
    CHECK(t.assignee_id == f.rep);
    CHECK(t.due_at == fl[0].recorded_at + 24 * 3'600'000);
    CHECK(t.links == std::vector<RecordLink>{{Entity::contact, f.taro}});
    // Another day: a new episode.
    f.clock.advance(kDay);
    f.log(f.visit(f.taro, "https://example.jp/cancel"));
    CHECK(f.flags().size() == 2);
    CHECK(f.seen.size() == 2);
    // A contact without owner (nor account owner): the task is created unassigned.
    f.log(f.visit(f.hanako, "https://example.jp/cancel"));
    fl = f.flags();
    REQUIRE(fl.size() == 3);
    CHECK(fl[2].contact_id == f.hanako);
    CHECK(!f.db.tasks().get(*fl[2].task_id).value().assignee_id);
}

TEST_CASE("signals: a rolled-back write leaves no flag and fires nothing", "[signals]") {
    Fx f;
    f.db.signals().define_json(R"({"name":"解約","kind":"url_visit","pattern":"*cancel*"})").value();
    {
        auto txn = f.db.begin().value();
        f.log(f.visit(f.taro, "https://example.jp/cancel"));
        CHECK(f.seen.empty());  // not before the commit
        txn.rollback().value();
    }
    CHECK(f.flags().empty());
    CHECK(f.seen.empty());
    // A batch that fails as a whole: nothing either.
    std::vector<Interaction> batch = {f.visit(f.taro, "https://example.jp/cancel"), f.visit(987654, "x")};
    CHECK(!f.db.interactions().ingest(batch));
    CHECK(f.flags().empty());
    CHECK(f.seen.empty());
    // Committed inside a transaction: fires once, after the commit.
    {
        auto txn = f.db.begin().value();
        f.log(f.visit(f.taro, "https://example.jp/cancel"));
        CHECK(f.seen.empty());
        txn.commit().value();
    }
    CHECK(f.seen.size() == 1);
    CHECK(f.flags().size() == 1);
    // Ingested: flagged per item, once per episode.
    f.clock.advance(kDay);
    std::vector<Interaction> ok_batch = {f.visit(f.taro, "https://example.jp/cancel"),
                                         f.visit(f.hanako, "https://example.jp/cancel"),
                                         f.visit(f.taro, "https://example.jp/cancel/confirm")};
    REQUIRE(f.db.interactions().ingest(ok_batch));
    CHECK(f.flags().size() == 3);
    CHECK(f.seen.size() == 3);
}

TEST_CASE("signals: reactivated_lost_deal fires once per lost deal, for inbound activity after the loss", "[signals]") {
    Fx f;
    f.db.signals().define_json(R"({"name":"失注復活","kind":"reactivated_lost_deal","task":{"title":"再アプローチ"}})").value();
    f.log(f.visit(f.taro, "https://example.jp/"));  // no lost deal yet
    f.clock.advance(1000);
    const Id deal = f.lost_deal(f.taro);
    f.log(f.visit(f.taro, "https://example.jp/", Direction::outbound, "email"));  // ours, not theirs
    f.log(f.visit(f.hanako, "https://example.jp/"));                              // someone else
    CHECK(f.flags().empty());
    // An inbound interaction that happened before the loss (ingested late): not a reactivation.
    Interaction old = f.visit(f.taro, "https://example.jp/");
    old.occurred_at -= 10'000;
    f.log(old);
    CHECK(f.flags().empty());
    f.clock.advance(kDay);
    const Id back = f.log(f.visit(f.taro, "https://example.jp/pricing"));
    f.clock.advance(kDay);
    f.log(f.visit(f.taro, "https://example.jp/pricing"));  // the same lost deal: once
    auto fl = f.flags();
    REQUIRE(fl.size() == 1);
    CHECK(fl[0].deal_id == deal);
    CHECK(fl[0].interaction_id == back);
    CHECK(fl[0].episode == "deal:" + std::to_string(deal));
    CHECK(f.seen.size() == 1);
    Task t = f.db.tasks().get(*fl[0].task_id).value();
    CHECK(t.assignee_id == f.rep);
    CHECK(t.links.size() == 2);
    // A second lost deal is a new episode.
    f.clock.advance(1000);
    f.lost_deal(f.taro);
    f.clock.advance(1000);
    f.log(f.visit(f.taro, "https://example.jp/"));
    CHECK(f.flags().size() == 2);
}

TEST_CASE("signals: reactivated_lost_deal via the account, within a window", "[signals]") {
    Fx f;
    Account a;
    a.name = "株式会社アクメ";
    const Id acme = f.db.accounts().create(a).value();
    Contact hanako = f.db.contacts().get(f.hanako).value();
    hanako.account_id = acme;
    f.db.contacts().update(hanako).value();
    Deal d;
    d.name = "全社導入";
    d.pipeline_id = f.pipeline;
    d.stage_id = f.s_open;
    d.account_id = acme;
    const Id deal = f.db.deals().create(d).value();
    f.db.deals().move(deal, f.s_lost, std::string("価格")).value();
    f.db.signals().define_json(R"({"name":"本人のみ","kind":"reactivated_lost_deal"})").value();
    f.db.signals().define_json(R"({"name":"会社","kind":"reactivated_lost_deal","via":"account","within_days":30})").value();
    f.clock.advance(40 * kDay);
    f.log(f.visit(f.hanako, "https://example.jp/"));  // lost 40 days ago: outside the window
    CHECK(f.flags().empty());
    f.db.signals().define_json(R"({"name":"会社・1年","kind":"reactivated_lost_deal","via":"account","within_days":365})").value();
    f.clock.advance(1000);
    f.log(f.visit(f.hanako, "https://example.jp/"));
    auto fl = f.flags();
    REQUIRE(fl.size() == 1);
    CHECK(fl[0].rule == "会社・1年");
    CHECK(fl[0].deal_id == deal);
}

TEST_CASE("signals: reactivated_lead fires once per stay in recycled or disqualified", "[signals]") {
    Fx f;
    f.db.signals().define_json(R"({"name":"リード復活","kind":"reactivated_lead","kinds":["web_visit","form_submission"]})").value();
    f.log(f.visit(f.taro, "https://example.jp/"));  // a lead: nothing
    f.clock.advance(1000);
    f.db.thresholds().recycle(f.taro, "予算凍結").value();
    f.clock.advance(1000);
    f.log(f.visit(f.taro, "https://example.jp/", Direction::inbound, "call"));  // not a watched kind
    CHECK(f.flags().empty());
    f.log(f.visit(f.taro, "https://example.jp/", Direction::inbound, "form_submission"));
    f.clock.advance(1000);
    f.log(f.visit(f.taro, "https://example.jp/"));
    auto fl = f.flags();
    REQUIRE(fl.size() == 1);
    CHECK(fl[0].episode.rfind("recycled:", 0) == 0);
    // Back to lead, then disqualified: a new stay, a new flag.
    f.clock.advance(1000);
    Contact c = f.db.contacts().get(f.taro).value();
    c.lifecycle_stage = LifecycleStage::disqualified;
    f.db.contacts().update(c).value();
    f.clock.advance(1000);
    f.log(f.visit(f.taro, "https://example.jp/"));
    f.log(f.visit(f.taro, "https://example.jp/"));
    fl = f.flags();
    REQUIRE(fl.size() == 2);
    CHECK(fl[1].episode.rfind("disqualified:", 0) == 0);
    CHECK(f.seen.size() == 2);
}

TEST_CASE("signals: dormant_customer scan is idempotent and starts a new episode after activity", "[signals]") {
    Fx f;
    Contact c = f.db.contacts().get(f.taro).value();
    c.lifecycle_stage = LifecycleStage::customer;
    f.db.contacts().update(c).value();
    f.db.signals().define_json(R"({"name":"休眠90日","kind":"dormant_customer","days":90,"task":{"title":"休眠顧客フォロー"}})").value();
    f.clock.advance(10 * kDay);
    f.log(f.visit(f.taro, "https://example.jp/"));
    const Timestamp last = *f.clock.now;
    f.clock.advance(89 * kDay);
    CHECK(f.db.signals().scan().value() == 0);  // quiet for 89 days
    f.clock.advance(kDay);
    CHECK(f.db.signals().scan().value() == 1);
    CHECK(f.db.signals().scan().value() == 0);  // idempotent
    f.clock.advance(30 * kDay);
    CHECK(f.db.signals().scan().value() == 0);  // the same dormancy period
    auto fl = f.flags();
    REQUIRE(fl.size() == 1);
    CHECK(fl[0].episode == "since:" + std::to_string(last));
    CHECK(fl[0].contact_id == f.taro);  // hanako is a lead
    CHECK(f.seen.size() == 1);
    CHECK(f.db.tasks().get(*fl[0].task_id).value().assignee_id == f.rep);
    // An outbound email does not end the dormancy; an inbound visit does.
    f.log(f.visit(f.taro, "", Direction::outbound, "email"));
    f.clock.advance(91 * kDay);
    CHECK(f.db.signals().scan().value() == 0);
    f.log(f.visit(f.taro, "https://example.jp/"));
    CHECK(f.db.signals().scan().value() == 0);
    f.clock.advance(90 * kDay);
    CHECK(f.db.signals().scan().value() == 1);
    CHECK(f.flags().size() == 2);
    // As of a past time: activity after it is not seen; before the customer existed: nothing.
    CHECK(f.db.signals().scan(Timestamp{1}).value() == 0);
    CHECK(f.db.signals().scan(Timestamp{-99'999'999'999'999}).error().code == errc::invalid_argument);
}

TEST_CASE("signals: acknowledge, list by rule and contact, remove", "[signals]") {
    Fx f;
    f.db.set_actor(f.rep);
    f.db.signals().define_json(R"({"name":"a","kind":"url_visit","pattern":"*a*"})").value();
    f.db.signals().define_json(R"({"name":"b","kind":"url_visit","pattern":"*b*"})").value();
    f.log(f.visit(f.taro, "https://ab.jp/"));
    f.log(f.visit(f.hanako, "https://a.jp/"));
    CHECK(f.flags().size() == 3);
    CHECK(f.flags("a").size() == 2);
    SignalQuery q;
    q.contact_id = f.hanako;
    auto h = f.db.signals().flags(q).value();
    REQUIRE(h.size() == 1);
    auto acked = f.db.signals().acknowledge(h[0].id).value();
    CHECK(acked.acknowledged_by == f.rep);
    CHECK(acked.acknowledged_at == *f.clock.now);
    CHECK(f.db.signals().acknowledge(h[0].id).error().code == errc::invalid_argument);
    CHECK(f.db.signals().acknowledge(999).error().code == errc::not_found);
    q = {};
    q.unacknowledged_only = true;
    CHECK(f.db.signals().flags(q).value().size() == 2);
    q.limit = 0;
    CHECK(f.db.signals().flags(q).error().field == "limit");
    q = {};
    q.rule = "nope";
    CHECK(f.db.signals().flags(q).error().code == errc::not_found);
    REQUIRE(f.db.signals().remove("a"));
    CHECK(f.flags().size() == 1);
    CHECK(f.db.signals().list().value().size() == 1);
    CHECK(f.db.signals().remove("a").error().code == errc::not_found);
}

TEST_CASE("signals: bad rules are refused with the field named, nothing stored", "[signals]") {
    Fx f;
    const std::string before = testing::dump(f.path);
    const std::vector<std::pair<std::string, std::string>> bad = {
        {R"({"name":"x","kind":"url_visit"})", "pattern"},
        {R"({"name":"x","kind":"url_visit","pattern":""})", "pattern"},
        {R"({"name":"x","kind":"url_visit","pattern":"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*"})", "pattern"},  // 17 stars
        {R"({"name":"x","kind":"url_visit","pattern":")" + std::string(300, 'a') + R"("})", "pattern"},
        {R"({"name":"x","kind":"url_visit","pattern":"*","regex":"(a+)+$"})", "regex"},  // unknown key
        {R"({"name":"x","kind":"dormant_customer"})", "days"},
        {R"({"name":"x","kind":"dormant_customer","days":0})", "days"},
        {R"({"name":"x","kind":"dormant_customer","days":100000})", "days"},
        {R"({"name":"x","kind":"dormant_customer","days":"90"})", "days"},
        {R"({"name":"x","kind":"dormant_customer","days":90,"pattern":"*"})", "pattern"},  // not for this kind
        {R"({"name":"x","kind":"dormant_customer","days":90,"stages":["lead"]})", "stages[0]"},
        {R"({"name":"x","kind":"reactivated_lead","stages":["customer"]})", "stages[0]"},
        {R"({"name":"x","kind":"reactivated_lost_deal","within_days":-1})", "within_days"},
        {R"({"name":"x","kind":"reactivated_lost_deal","via":"team"})", "via"},
        {R"({"name":"x","kind":"reactivated_lost_deal","kinds":["Web Visit"]})", "kinds[0]"},
        {R"({"name":"x","kind":"reactivated_lost_deal","task":{"title":"t","due_hours":99999}})", "task.due_hours"},
        {R"({"name":"x","kind":"reactivated_lost_deal","task":{"due_hours":1}})", "task.title"},
        {R"({"name":"x","kind":"reactivated_lost_deal","task":{"title":"t","assignee":1}})", "task.assignee"},
        {R"({"name":"x","kind":"url_visit","pattern":"*","day_offset_minutes":5000})", "day_offset_minutes"},
        {R"({"name":"","kind":"url_visit","pattern":"*"})", "name"},
        {R"({"kind":"churn"})", "kind"},
        {R"({"name":"x"})", "kind"},
        {R"({"name":"x","name":"y","kind":"url_visit","pattern":"*"})", "rule"},  // a key twice
        {R"([1,2])", "rule"},
        {R"({"name":"x","kind":"url_visit","pattern":"*")", "rule"},
    };
    for (const auto& [doc, field] : bad) {
        INFO(doc);
        auto r = f.db.signals().define_json(doc);
        REQUIRE(!r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == field);
    }
    SignalRule r;
    r.name = "x";
    r.kind = SignalKind::reactivated_lead;
    r.days = 3;
    CHECK(f.db.signals().define(r).error().field == "days");
    CHECK(testing::dump(f.path) == before);
    f.db.signals().define_json(R"({"name":"x","kind":"url_visit","pattern":"*"})").value();
    CHECK(f.db.signals().define_json(R"({"name":"x","kind":"url_visit","pattern":"*"})").error().code ==
          errc::already_exists);
}

TEST_CASE("signals: the glob is scoring's: linear on a pathological URL", "[signals]") {
    Fx f;
    f.db.signals().define_json(R"({"name":"bomb","kind":"url_visit","pattern":"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"})").value();
    f.log(f.visit(f.taro, "https://example.jp/" + std::string(20000, 'a')));  // returns at once: no backtracking blow-up
    CHECK(f.flags().empty());
    f.log(f.visit(f.taro, "https://example.jp/" + std::string(200, 'a') + "b"));
    CHECK(f.flags().size() == 1);
}
