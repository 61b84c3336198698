// Opening, migrations, settings, transactions and several connections on one file.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "helpers.hpp"
#include "old_versions.hpp"
#include "store/migrations.hpp"

using namespace crm;

TEST_CASE("open: in-memory and file databases get the latest schema", "[db]") {
    auto mem = Db::open(":memory:");
    REQUIRE(mem);
    CHECK(mem.value().schema_version() == Db::latest_schema_version());

    testing::TempDir dir;
    const auto path = dir.file("a.crm");
    {
        auto db = Db::open(path).value();
        CHECK(db.schema_version() == Db::latest_schema_version());
        REQUIRE(db.contacts().create(testing::contact("山田 太郎", "taro@example.jp")));
    }
    auto again = Db::open(path).value();
    CHECK(again.contacts().count().value() == 1);
    // WAL and foreign keys are on, as documented.
    SQLite::Database raw(path);
    CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("open: missing file with create=false is not_found", "[db]") {
    testing::TempDir dir;
    OpenOptions o;
    o.create = false;
    auto r = Db::open(dir.file("missing.crm"), o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::not_found);
    CHECK_FALSE(std::filesystem::exists(dir.file("missing.crm")));
}

TEST_CASE("open: a file that is not a database is refused and left byte-for-byte unchanged", "[db][bad-input]") {
    testing::TempDir dir;
    const auto path = dir.file("notes.txt");
    const std::string junk = "これはデータベースではありません。 just some text, long enough to look like a header....\n";
    { std::ofstream(path, std::ios::binary) << junk; }
    auto r = Db::open(path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::corrupt);
    CHECK(r.error().sqlite_code != 0);
    CHECK(testing::read_file(path) == junk);
}

TEST_CASE("open: a schema newer than the library is refused untouched", "[db][migrations]") {
    testing::TempDir dir;
    const auto path = dir.file("future.crm");
    { auto db = Db::open(path).value(); }
    { SQLite::Database raw(path, SQLite::OPEN_READWRITE); raw.exec("PRAGMA user_version = 99"); }
    const auto before = testing::dump(path);
    auto r = Db::open(path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::schema_too_new);
    CHECK(r.error().message.find("99") != std::string::npos);
    CHECK(testing::dump(path) == before);
}

TEST_CASE("migrations: a version-1 database with data upgrades to the latest", "[db][migrations]") {
    testing::TempDir dir;
    const auto path = dir.file("v1.crm");
    REQUIRE(testing::make_db_at_version(path, 1, [](SQLite::Database& c) {
        c.exec(
            "INSERT INTO accounts(id,name,created_at,updated_at) VALUES(7,'旧株式会社',1,1);"
            "INSERT INTO contacts(id,name,account_id,lifecycle_stage,created_at,updated_at) "
            "VALUES(3,'古い 連絡先',7,'customer',1,1);"
            "INSERT INTO contact_emails(contact_id,position,address,address_norm,is_primary) "
            "VALUES(3,0,'old@example.jp','old@example.jp',1);");
    }));
    auto db = Db::open(path).value();
    CHECK(db.schema_version() == Db::latest_schema_version());
    CHECK(db.opened_schema_version() == 1);
    CHECK(Db::open(path).value().opened_schema_version() == Db::latest_schema_version());  // current now
    auto c = db.contacts().get(3).value();
    CHECK(c.name == "古い 連絡先");
    CHECK(c.account_id == Id{7});
    CHECK(c.lifecycle_stage == LifecycleStage::customer);
    // What the upgrade added works on the old rows.
    CustomFieldDef def;
    def.entity = Entity::contact;
    def.name = "rank";
    def.type = FieldType::text;
    REQUIRE(db.custom_fields().define(def));
    REQUIRE(db.contacts().set_custom(3, "rank", std::string("A")));
    REQUIRE(db.contacts().add_tag(3, "移行済み"));
    auto after = db.contacts().get(3).value();
    CHECK(std::get<std::string>(after.custom.at("rank")) == "A");
    CHECK(after.tags == Tags{"移行済み"});
}

TEST_CASE("read-only: reads work, every write is refused with read_only", "[db]") {
    testing::TempDir dir;
    const auto path = dir.file("ro.crm");
    Id id;
    {
        auto db = Db::open(path).value();
        id = db.contacts().create(testing::contact("読み取り 専用")).value();
    }
    const auto before = testing::dump(path);
    OpenOptions o;
    o.read_only = true;
    auto db = Db::open(path, o).value();
    CHECK(db.contacts().get(id).value().name == "読み取り 専用");
    auto w = db.contacts().create(testing::contact("new"));
    REQUIRE_FALSE(w);
    CHECK(w.error().code == errc::read_only);
    CHECK(db.contacts().remove(id).error().code == errc::read_only);
    CHECK_FALSE(db.begin());
    CHECK(testing::dump(path) == before);
}

TEST_CASE("closed handle: every call reports closed", "[db]") {
    auto db = Db::open(":memory:").value();
    auto id = db.contacts().create(testing::contact("a")).value();
    REQUIRE(db.close());
    CHECK_FALSE(db.is_open());
    CHECK(db.contacts().get(id).error().code == errc::closed);
    CHECK(db.contacts().create(testing::contact("b")).error().code == errc::closed);
    CHECK(db.contacts().list().error().code == errc::closed);
    CHECK(db.begin().error().code == errc::closed);
    CHECK(db.close());  // idempotent
}

TEST_CASE("transactions: commit keeps, rollback and destruction discard", "[db][txn]") {
    auto db = Db::open(":memory:").value();
    {
        auto tx = db.begin().value();
        REQUIRE(db.contacts().create(testing::contact("one")));
        REQUIRE(db.contacts().create(testing::contact("two")));
        REQUIRE(tx.commit());
    }
    CHECK(db.contacts().count().value() == 2);
    {
        auto tx = db.begin().value();
        REQUIRE(db.contacts().create(testing::contact("three")));
        CHECK(db.contacts().count().value() == 3);
    }  // destroyed without commit
    CHECK(db.contacts().count().value() == 2);
    {
        auto tx = db.begin().value();
        REQUIRE(db.contacts().create(testing::contact("four")));
        REQUIRE(tx.rollback());
        CHECK_FALSE(tx.commit());
    }
    CHECK(db.contacts().count().value() == 2);
    CHECK(db.history().since(0).value().size() == 2);
}

TEST_CASE("transactions: a failed operation inside a transaction undoes only itself", "[db][txn]") {
    auto db = Db::open(":memory:").value();
    auto tx = db.begin().value();
    REQUIRE(db.contacts().create(testing::contact("ok 1", "same@example.jp")));
    auto dup = db.contacts().create(testing::contact("dup", "same@example.jp"));
    REQUIRE_FALSE(dup);
    CHECK(dup.error().code == errc::already_exists);
    REQUIRE(db.contacts().create(testing::contact("ok 2")));
    REQUIRE(tx.commit());
    CHECK(db.contacts().count().value() == 2);
    CHECK(db.history().since(0).value().size() == 2);  // no history row for the failed create
}

TEST_CASE("two connections: WAL readers see committed data only; a second writer gets busy", "[db][concurrency]") {
    testing::TempDir dir;
    const auto path = dir.file("shared.crm");
    auto a = Db::open(path).value();
    OpenOptions quick;
    quick.busy_timeout_ms = 50;
    auto b = Db::open(path, quick).value();
    REQUIRE(a.contacts().create(testing::contact("committed")));

    auto tx = a.begin().value();
    REQUIRE(a.contacts().create(testing::contact("pending")));
    CHECK(b.contacts().count().value() == 1);  // reader is not blocked and sees only committed rows
    auto w = b.contacts().create(testing::contact("blocked"));
    REQUIRE_FALSE(w);
    CHECK(w.error().code == errc::busy);
    REQUIRE(tx.commit());
    CHECK(b.contacts().count().value() == 2);
    REQUIRE(b.contacts().create(testing::contact("after")));
    CHECK(a.contacts().count().value() == 3);
}

TEST_CASE("actor and clock are stored in history", "[db][history]") {
    auto db = Db::open(":memory:").value();
    testing::FakeClock clock;
    clock.install(db);
    User u;
    u.name = "営業 一郎";
    u.email = "ichiro@corp.example";
    auto uid = db.users().create(u).value();
    db.set_actor(uid);
    auto cid = db.contacts().create(testing::contact("顧客")).value();
    auto h = db.contacts().history(cid).value();
    REQUIRE(h.size() == 1);
    CHECK(h[0].actor_id == uid);
    CHECK(h[0].at == *clock.now);
    CHECK(h[0].op == ChangeOp::create);
    CHECK(db.contacts().get(cid).value().created_at == *clock.now);
}

TEST_CASE("open: errors name the file", "[db]") {
    testing::TempDir dir;
    const auto path = dir.file("junk.crm");
    { std::ofstream(path) << "not a database at all, just text that is long enough.........................."; }
    auto r = Db::open(path);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find(path) != std::string::npos);
}

TEST_CASE("migrations: a database made by every earlier version opens and upgrades", "[db][migrations]") {
    for (int v = 0; v < Db::latest_schema_version(); ++v) {
        INFO("from version " << v);
        testing::TempDir dir;
        const auto path = dir.file("old.crm");
        REQUIRE(testing::make_db_at_version(path, v, [v](SQLite::Database& c) {
            if (v >= 1)
                c.exec("INSERT INTO contacts(name,lifecycle_stage,created_at,updated_at) VALUES('移行 テスト','lead',1,1)");
        }));
        auto db = Db::open(path).value();
        CHECK(db.schema_version() == Db::latest_schema_version());
        CHECK(db.contacts().count().value() == (v >= 1 ? 1 : 0));
        REQUIRE(db.contacts().create(testing::contact("新規")));
    }
}
