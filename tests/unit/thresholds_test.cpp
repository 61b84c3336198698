// Score thresholds with hysteresis (crm/thresholds.hpp): crossings once per crossing,
// state and crossings in the transaction of the write (rollback leaves nothing and
// notifies nothing), post-commit callbacks, forward-only lifecycle moves, lifecycle
// history and recycling, refused definitions.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "store/db_impl.hpp"
#include "store/write_scope.hpp"

using namespace crm;

namespace {

// A model whose total is set through the contact's custom field "lvl": "49" → 49
// points, "55" → 55, "61" → 61, anything else → 0.
const char* kModel = R"({"name":"製品A","limits":{"min":0,"max":100},"fit":[
  {"id":"a","when":{"field":"custom.lvl","op":"in","value":["49","55","61"]},"points":49},
  {"id":"b","when":{"field":"custom.lvl","op":"in","value":["55","61"]},"points":6},
  {"id":"c","when":{"field":"custom.lvl","op":"equals","value":"61"},"points":6}]})";

struct Fx {
    testing::TempDir dir;
    testing::FakeClock clock;
    Db db;
    Id taro = 0;
    std::vector<Crossing> seen;  // what on_cross delivered
    Fx() : db(Db::open(dir.file("t.crm")).value()) {
        clock.install(db);
        CustomFieldDef lvl;
        lvl.entity = Entity::contact;
        lvl.name = "lvl";
        lvl.type = FieldType::text;
        db.custom_fields().define(lvl).value();
        db.scoring().define(kModel).value();
        Contact c = testing::contact("山田 太郎", "taro@acme.co.jp");
        c.lifecycle_stage = LifecycleStage::lead;
        taro = db.contacts().create(c).value();
        db.thresholds().on_cross([this](const Crossing& x) { seen.push_back(x); });
    }
    ThresholdDef mql(std::optional<LifecycleStage> stage = LifecycleStage::mql) {
        ThresholdDef d;
        d.name = "MQL";
        d.model = "製品A";
        d.enter = 60000;
        d.leave = 50000;
        d.stage = stage;
        return d;
    }
    void set_lvl(Id id, const std::string& v) {
        clock.advance(1000);
        Contact c = db.contacts().get(id).value();
        c.custom["lvl"] = v;
        db.contacts().update(c).value();
    }
    std::int64_t total(Id id) { return db.scoring().stored(id, "製品A").value().total; }
};

}  // namespace

TEST_CASE("thresholds: hysteresis fires once per crossing", "[thresholds]") {
    Fx f;
    f.db.thresholds().define(f.mql(std::nullopt)).value();
    std::vector<std::pair<std::string, int>> steps = {{"55", 0}, {"61", 1}, {"55", 0}, {"49", -1}, {"55", 0}, {"61", 1}};
    std::size_t expected = 0;
    for (auto& [lvl, fired] : steps) {
        f.set_lvl(f.taro, lvl);
        REQUIRE(f.total(f.taro) == std::stoi(lvl) * 1000);
        if (fired) ++expected;
        REQUIRE(f.seen.size() == expected);
        if (fired) {
            CHECK(f.seen.back().entered == (fired > 0));
            CHECK(f.seen.back().score == std::stoi(lvl) * 1000);
            CHECK(f.seen.back().contact_id == f.taro);
            CHECK(f.seen.back().threshold == "MQL");
        }
    }
    auto xs = f.db.thresholds().crossings("MQL", f.taro).value();
    REQUIRE(xs.size() == 3);
    CHECK(xs[0].entered);
    CHECK_FALSE(xs[1].entered);
    CHECK(xs[2].entered);
    CHECK(xs[1].score == 49000);
    CHECK(xs[0].at < xs[1].at);
    CHECK(xs[0].id == f.seen[0].id);
    auto st = f.db.thresholds().state("MQL", f.taro).value();
    CHECK(st.inside);
    CHECK(st.since == xs[2].at);
    auto in = f.db.thresholds().inside("MQL").value();
    REQUIRE(in.size() == 1);
    CHECK(in[0].contact_id == f.taro);

    // Oscillating inside the band (between leave and enter) fires nothing.
    f.set_lvl(f.taro, "55");
    f.set_lvl(f.taro, "61");
    f.set_lvl(f.taro, "55");
    CHECK(f.seen.size() == 3);
    CHECK(f.db.thresholds().crossings("MQL").value().size() == 3);
}

TEST_CASE("thresholds: fit output and several thresholds on one model", "[thresholds]") {
    Fx f;
    ThresholdDef a = f.mql(std::nullopt);
    a.output = ScoreOutput::fit;
    f.db.thresholds().define(a).value();
    ThresholdDef b = f.mql(std::nullopt);
    b.name = "engaged";
    b.output = ScoreOutput::engagement;  // this model has no behaviour rules: engagement stays 0
    b.enter = 1;
    b.leave = 0;
    f.db.thresholds().define(b).value();
    f.set_lvl(f.taro, "61");
    REQUIRE(f.seen.size() == 1);
    CHECK(f.seen[0].threshold == "MQL");
    CHECK_FALSE(f.db.thresholds().state("engaged", f.taro).value().inside);
}

TEST_CASE("thresholds: a rolled-back write stores no state and notifies nothing", "[thresholds]") {
    Fx f;
    f.db.thresholds().define(f.mql(std::nullopt)).value();
    {
        auto tx = f.db.begin().value();
        Contact c = f.db.contacts().get(f.taro).value();
        c.custom["lvl"] = "61";
        f.db.contacts().update(c).value();
        CHECK(f.seen.empty());  // not before the commit
        // the state is written inside the transaction
        CHECK(f.db.thresholds().state("MQL", f.taro).value().inside);
        // destroyed without commit: rolled back
    }
    CHECK(f.seen.empty());
    CHECK_FALSE(f.db.thresholds().state("MQL", f.taro).value().inside);
    CHECK(f.db.thresholds().crossings("MQL").value().empty());

    // The same in a committed transaction: delivered once, after the commit.
    {
        auto tx = f.db.begin().value();
        Contact c = f.db.contacts().get(f.taro).value();
        c.custom["lvl"] = "61";
        f.db.contacts().update(c).value();
        CHECK(f.seen.empty());
        tx.commit().value();
    }
    REQUIRE(f.seen.size() == 1);
    CHECK(f.seen[0].entered);
    CHECK(f.db.thresholds().crossings("MQL").value().size() == 1);
}

TEST_CASE("thresholds: the post-commit queue drops what a rolled-back savepoint queued", "[thresholds]") {
    testing::TempDir dir;
    detail::DbImpl impl;
    impl.path = dir.file("q.db");
    impl.conn = std::make_unique<SQLite::Database>(impl.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    std::vector<int> ran;
    {
        store::WriteScope outer(impl);
        store::WriteScope::after_commit(impl, [&] { ran.push_back(1); });
        {
            store::WriteScope inner(impl);
            store::WriteScope::after_commit(impl, [&] { ran.push_back(2); });
            // rolled back
        }
        {
            store::WriteScope inner(impl);
            store::WriteScope::after_commit(impl, [&] { ran.push_back(3); });
            inner.commit();
        }
        CHECK(ran.empty());
        outer.commit();
    }
    CHECK(ran == std::vector<int>{1, 3});
    {
        store::WriteScope outer(impl);
        store::WriteScope::after_commit(impl, [&] { ran.push_back(4); });
    }
    CHECK(ran == std::vector<int>{1, 3});
    CHECK(impl.after_commit.empty());
    // Outside any scope an action runs at once.
    store::WriteScope::after_commit(impl, [&] { ran.push_back(5); });
    CHECK(ran == std::vector<int>{1, 3, 5});
}

TEST_CASE("thresholds: entering moves the lifecycle stage forward only", "[thresholds]") {
    Fx f;
    f.db.thresholds().define(f.mql()).value();
    User u;
    u.name = "担当 一郎";
    u.email = "ichiro@example.jp";
    const Id uid = f.db.users().create(u).value();
    f.db.set_actor(uid);
    f.set_lvl(f.taro, "61");
    CHECK(f.db.contacts().get(f.taro).value().lifecycle_stage == LifecycleStage::mql);
    auto h = f.db.thresholds().lifecycle_history(f.taro).value();
    REQUIRE(h.size() == 2);
    CHECK_FALSE(h[0].from);
    CHECK(h[0].to == LifecycleStage::lead);
    REQUIRE(h[1].from);
    CHECK(*h[1].from == LifecycleStage::lead);
    CHECK(h[1].to == LifecycleStage::mql);
    CHECK(h[1].actor_id == uid);

    // A contact already further on is never moved back.
    Contact sql = testing::contact("佐藤 花子", "hanako@example.jp");
    sql.lifecycle_stage = LifecycleStage::sql;
    const Id hanako = f.db.contacts().create(sql).value();
    f.set_lvl(hanako, "61");
    CHECK(f.db.thresholds().state("MQL", hanako).value().inside);
    CHECK(f.db.contacts().get(hanako).value().lifecycle_stage == LifecycleStage::sql);

    // Recycled: entering again moves nothing.
    f.set_lvl(f.taro, "49");
    f.db.thresholds().recycle(f.taro, "予算凍結のため").value();
    CHECK(f.db.contacts().get(f.taro).value().lifecycle_stage == LifecycleStage::recycled);
    f.set_lvl(f.taro, "61");
    CHECK(f.db.thresholds().state("MQL", f.taro).value().inside);
    CHECK(f.db.contacts().get(f.taro).value().lifecycle_stage == LifecycleStage::recycled);
    h = f.db.thresholds().lifecycle_history(f.taro).value();
    REQUIRE(h.size() == 3);
    CHECK(h[2].to == LifecycleStage::recycled);
    CHECK(h[2].reason == "予算凍結のため");

    // Disqualified: likewise.
    Contact dq = testing::contact("鈴木 次郎", "jiro@example.jp");
    dq.lifecycle_stage = LifecycleStage::disqualified;
    const Id jiro = f.db.contacts().create(dq).value();
    f.set_lvl(jiro, "61");
    CHECK(f.db.contacts().get(jiro).value().lifecycle_stage == LifecycleStage::disqualified);

    // A subscriber moves up to mql.
    Contact sub = testing::contact("高橋 三郎", "saburo@example.jp");
    sub.lifecycle_stage = LifecycleStage::subscriber;
    const Id saburo = f.db.contacts().create(sub).value();
    f.set_lvl(saburo, "61");
    CHECK(f.db.contacts().get(saburo).value().lifecycle_stage == LifecycleStage::mql);
}

TEST_CASE("thresholds: recycle refuses bad input and changes nothing", "[thresholds]") {
    Fx f;
    CHECK(f.db.thresholds().recycle(f.taro, "").error().code == errc::invalid_argument);
    CHECK(f.db.thresholds().recycle(f.taro, std::string(1001, 'x')).error().code == errc::invalid_argument);
    CHECK(f.db.thresholds().recycle(987654, "x").error().code == errc::not_found);
    CHECK(f.db.contacts().get(f.taro).value().lifecycle_stage == LifecycleStage::lead);
    CHECK(f.db.thresholds().lifecycle_history(f.taro).value().size() == 1);
}

TEST_CASE("thresholds: bad definitions are refused and nothing is stored", "[thresholds]") {
    Fx f;
    auto refused = [&](ThresholdDef d, errc code, const char* field) {
        auto r = f.db.thresholds().define(d);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == code);
        CHECK(r.error().field == field);
        CHECK(f.db.thresholds().list().value().empty());
    };
    ThresholdDef d = f.mql();
    d.leave = d.enter;
    refused(d, errc::invalid_argument, "leave");
    d = f.mql();
    d.leave = 70000;
    refused(d, errc::invalid_argument, "leave");
    d = f.mql();
    d.model = "ない";
    refused(d, errc::not_found, "model");
    d = f.mql();
    d.enter = 1000000LL * 1000 + 1;
    refused(d, errc::invalid_argument, "enter");
    d = f.mql();
    d.leave = -1000000LL * 1000 - 1;
    refused(d, errc::invalid_argument, "leave");
    d = f.mql();
    d.name = "";
    refused(d, errc::invalid_argument, "name");
    d = f.mql();
    d.name = std::string(129, 'x');
    refused(d, errc::invalid_argument, "name");
    d = f.mql();
    d.stage = LifecycleStage::recycled;
    refused(d, errc::invalid_argument, "stage");
    d = f.mql();
    d.output = static_cast<ScoreOutput>(7);
    refused(d, errc::invalid_argument, "output");

    f.db.thresholds().define(f.mql()).value();
    auto dup = f.db.thresholds().define(f.mql());
    CHECK(dup.error().code == errc::already_exists);
    auto all = f.db.thresholds().list().value();
    REQUIRE(all.size() == 1);
    CHECK(all[0].enter == 60000);
    CHECK(all[0].leave == 50000);
    CHECK(all[0].model == "製品A");
    CHECK(all[0].stage == LifecycleStage::mql);
    CHECK(f.db.thresholds().get("MQL").value().id == all[0].id);
    CHECK(f.db.thresholds().get("nope").error().code == errc::not_found);
    CHECK(f.db.thresholds().state("MQL", 987654).error().code == errc::not_found);

    f.set_lvl(f.taro, "61");
    CHECK(f.db.thresholds().crossings("MQL").value().size() == 1);
    f.db.thresholds().remove("MQL").value();
    CHECK(f.db.thresholds().list().value().empty());
    CHECK(f.db.thresholds().remove("MQL").error().code == errc::not_found);
}

TEST_CASE("thresholds: a callback runs after the commit and may use the Db", "[thresholds]") {
    Fx f;
    f.db.thresholds().define(f.mql(std::nullopt)).value();
    std::vector<std::size_t> stored_when_called;
    std::vector<bool> in_txn;
    f.db.thresholds().on_cross([&](const Crossing& c) {
        stored_when_called.push_back(f.db.thresholds().crossings(c.threshold).value().size());
        in_txn.push_back(f.db.in_transaction());
        // A write from the callback is a transaction of its own.
        Contact other = testing::contact("通知 係", "notify@example.jp");
        REQUIRE(f.db.contacts().create(other));
    });
    f.set_lvl(f.taro, "61");
    REQUIRE(stored_when_called == std::vector<std::size_t>{1});
    CHECK(in_txn == std::vector<bool>{false});
    CHECK(f.db.contacts().get_by_email("notify@example.jp"));
    CHECK(f.seen.size() == 1);  // the fixture's callback too, in registration order
}
