// Bulk ingest of interactions: idempotent replay, in-batch duplicates,
// all-or-nothing vs per-item, database errors per item, caller transactions.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "interactions_fixture.hpp"

using namespace crm;

using namespace interactions_fixture;

TEST_CASE("interactions: ingest is idempotent and every item has its own history", "[interactions][ingest]") {
    Fixture f;
    std::vector<Interaction> batch;
    for (int n = 0; n < 100; ++n) {
        Interaction i = make(n % 2 ? "web_visit" : "document_download", kT0 + n, {n % 3 ? f.taro : f.hanako},
                             "ページ閲覧 " + std::to_string(n));
        i.url = "https://example.jp/p/" + std::to_string(n);
        i.referrer = "https://www.google.co.jp/";
        i.external_id = "ga-" + std::to_string(n);
        batch.push_back(i);
    }
    const auto history_before = f.db.history().count().value();
    IngestOptions o;
    o.source = "web";
    auto r = f.db.interactions().ingest(batch, o).value();
    CHECK(r.inserted == 100);
    CHECK(r.duplicates == 0);
    CHECK(r.last_id - r.first_id == 99);
    CHECK(f.db.interactions().count().value() == 100);
    CHECK(f.db.history().count().value() == history_before + 100);
    for (const auto& item : r.items) {
        // Each item: one create row holding its document; history and as-of work on every one.
        auto h = f.db.interactions().history(item.id).value();
        REQUIRE(h.size() == 1);
        CHECK(h[0].op == ChangeOp::create);
        CHECK(h[0].field == "*");
        const auto stored = f.db.interactions().get(item.id).value();
        CHECK(h[0].new_value == to_json(stored));
        auto then = f.db.interactions().get_as_of(item.id, h[0].at);
        REQUIRE(then);
        CHECK(to_json(then.value()) == to_json(stored));
    }
    CHECK(f.db.interactions().get(r.last_id).value().source == "web");
    // A later change of one item is history on top of its own create row.
    Interaction changed = f.db.interactions().get(r.items[7].id).value();
    changed.subject = "件名を修正";
    REQUIRE(f.db.interactions().update(changed));
    CHECK(f.db.interactions().history(r.items[7].id).value().size() == 2);

    // Replaying the same batch adds nothing.
    const auto before = testing::dump(f.path);
    auto again = f.db.interactions().ingest(batch, o).value();
    CHECK(again.inserted == 0);
    CHECK(again.duplicates == 100);
    CHECK(again.items[42].status == IngestStatus::duplicate);
    CHECK(again.items[42].id == r.items[42].id);
    CHECK(testing::dump(f.path) == before);

    // The account roll-up sees them all.
    TimelineQuery q;
    q.limit = 1000;
    CHECK(f.db.interactions().timeline(Entity::account, f.account, q).value().items.size() == 100);
}

TEST_CASE("interactions: duplicate event ids inside one batch are an error", "[interactions][ingest]") {
    Fixture f;
    std::vector<Interaction> batch = {make("sms", kT0, {f.taro}), make("sms", kT0 + 1, {f.taro}),
                                      make("sms", kT0 + 2, {f.taro})};
    batch[0].external_id = "x";
    batch[1].external_id = "y";
    batch[2].external_id = "x";
    const auto before = testing::dump(f.path);
    auto r = f.db.interactions().ingest(batch);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "items[2].external_id");
    CHECK(testing::dump(f.path) == before);

    IngestOptions per;
    per.per_item = true;
    auto p = f.db.interactions().ingest(batch, per).value();
    CHECK(p.inserted == 2);
    CHECK(p.items[2].status == IngestStatus::error);
    CHECK(p.items[2].message.find("items[0]") != std::string::npos);
}

TEST_CASE("interactions: a half-valid batch is all or nothing, or per item", "[interactions][ingest]") {
    Fixture f;
    std::vector<Interaction> batch = {make("line", kT0, {f.taro}, "LINEでお問い合わせ"),
                                      make("Bad Kind", kT0 + 1, {f.taro}),
                                      make("form_submission", kT0 + 2, {f.hanako}, "資料請求フォーム"),
                                      make("event_attendance", kT0 + 3, {999999})};
    const auto before = testing::dump(f.path);
    auto all = f.db.interactions().ingest(batch);
    REQUIRE_FALSE(all);
    CHECK(all.error().field == "items[1].kind");
    CHECK(testing::dump(f.path) == before);

    IngestOptions per;
    per.per_item = true;
    per.source = "import";
    auto r = f.db.interactions().ingest(batch, per).value();
    CHECK(r.inserted == 2);
    CHECK(r.failed == 2);
    CHECK(r.items[0].status == IngestStatus::ok);
    CHECK(r.items[1].status == IngestStatus::error);
    CHECK(r.items[1].field == "items[1].kind");
    CHECK(r.items[2].status == IngestStatus::ok);
    CHECK(r.items[3].status == IngestStatus::error);
    CHECK(r.items[3].field == "items[3].contact_ids");
    CHECK(f.db.interactions().get(r.items[2].id).value().subject == "資料請求フォーム");
    CHECK(f.db.interactions().count().value() == 2);
}

TEST_CASE("interactions: a database error in one item undoes only that item in per-item ingest",
          "[interactions][ingest]") {
    Fixture f;
    // A host's own trigger refuses one row: a database error, not a validation error.
    {
        SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
        raw.exec(
            "CREATE TRIGGER refuse_boom BEFORE INSERT ON interaction_links WHEN NEW.record_id = "
            + std::to_string(f.hanako) + " BEGIN SELECT RAISE(ABORT, 'hanako is not to be contacted'); END;");
    }
    std::vector<Interaction> batch = {make("call", kT0, {f.taro}, "一件目"), make("call", kT0 + 1, {f.hanako}, "二件目"),
                                      make("call", kT0 + 2, {f.taro}, "三件目")};
    batch[1].tags = {"拒否"};
    const auto before = testing::dump(f.path);
    auto all = f.db.interactions().ingest(batch);
    REQUIRE_FALSE(all);
    CHECK(all.error().field.rfind("items[1]", 0) == 0);
    CHECK(all.error().message.find("hanako is not to be contacted") != std::string::npos);
    CHECK(testing::dump(f.path) == before);

    IngestOptions per;
    per.per_item = true;
    auto r = f.db.interactions().ingest(batch, per).value();
    CHECK(r.inserted == 2);
    CHECK(r.failed == 1);
    CHECK(r.items[1].status == IngestStatus::error);
    CHECK(r.items[1].message.find("hanako is not to be contacted") != std::string::npos);
    // The failed item left no row, no link and no tag behind; the others are whole.
    CHECK(f.db.interactions().count().value() == 2);
    CHECK(f.db.interactions().get(r.items[2].id).value().contact_ids == std::vector<Id>{f.taro});
    CHECK(f.db.interactions().timeline(Entity::contact, f.hanako).value().items.empty());
    SQLite::Database check(f.path, SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("SELECT count(*) FROM record_tags WHERE entity='interaction'").getInt() == 0);
    // Inside a caller's transaction the same holds, and a rollback takes all of it back.
    const auto mid = testing::dump(f.path);
    {
        auto tx = f.db.begin().value();
        batch[0].subject = batch[2].subject = "再送";
        auto again = f.db.interactions().ingest(batch, per).value();
        CHECK(again.inserted == 2);
        CHECK(again.failed == 1);
    }
    CHECK(testing::dump(f.path) == mid);
}

TEST_CASE("interactions: ingest joins a caller's transaction and rolls back with it", "[interactions][ingest]") {
    Fixture f;
    const auto before = testing::dump(f.path);
    {
        auto tx = f.db.begin().value();
        REQUIRE(f.db.interactions().ingest({make("note", kT0, {f.taro})}).value().inserted == 1);
    }  // rolled back
    CHECK(testing::dump(f.path) == before);
}
