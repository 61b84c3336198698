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

TEST_CASE("open: another application's SQLite file with a table named like ours is refused byte for byte",
          "[db][migrations]") {
    testing::TempDir dir;
    const auto path = dir.file("host.sqlite");
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("CREATE TABLE contacts(id INTEGER PRIMARY KEY, note TEXT); INSERT INTO contacts VALUES(1,'ホストのデータ')");
    }
    const std::string before = testing::read_file(path);
    for (bool read_only : {false, true}) {
        OpenOptions o;
        o.read_only = read_only;
        auto r = Db::open(path, o);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::corrupt);
        CHECK(r.error().message.find("not a crm database") != std::string::npos);
        CHECK(r.error().message.find("contacts") != std::string::npos);
        CHECK(testing::read_file(path) == before);  // not even switched to WAL
        CHECK_FALSE(std::filesystem::exists(path + "-wal"));
    }
    // A host file whose tables have other names gets crm's beside them.
    const auto other = dir.file("other.sqlite");
    {
        SQLite::Database raw(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("CREATE TABLE host_settings(k TEXT PRIMARY KEY, v TEXT); INSERT INTO host_settings VALUES('a','b')");
    }
    auto db = Db::open(other).value();
    CHECK(db.schema_version() == Db::latest_schema_version());
    REQUIRE(db.contacts().create(testing::contact("同居")));
    SQLite::Database check(other, SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("SELECT v FROM host_settings WHERE k='a'").getString() == "b");
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
    auto after = b.contacts().create(testing::contact("after"));
    INFO((after ? std::string() : after.error().message));
    REQUIRE(after);
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

TEST_CASE("actor: history never names a user that does not exist", "[db][history][bad-input]") {
    testing::TempDir dir;
    const auto path = dir.file("actor.crm");
    auto db = Db::open(path).value();
    User u;
    u.name = "営業 一郎";
    u.email = "ichiro@corp.example";
    const Id uid = db.users().create(u).value();
    const Id cid = db.contacts().create(testing::contact("顧客")).value();

    // An id that is no user's: every write is refused, naming the actor, and nothing changes.
    db.set_actor(999);
    const auto before = testing::dump(path);
    auto r = db.contacts().create(testing::contact("書けない"));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "actor");
    CHECK(db.contacts().remove(cid).error().field == "actor");
    {
        auto t = db.begin();
        CHECK_FALSE(t);  // a transaction cannot even start under it
    }
    CHECK(testing::dump(path) == before);

    // A real user: accepted; deleting that user makes later writes refused again.
    db.set_actor(uid);
    REQUIRE(db.contacts().create(testing::contact("書ける")));
    db.set_actor(std::nullopt);
    REQUIRE(db.users().remove(uid));
    db.set_actor(uid);
    CHECK(db.contacts().create(testing::contact("消えた人として")).error().field == "actor");

    // Inside one transaction: the actor deleted part-way through is noticed at the next write.
    User v;
    v.name = "営業 二郎";
    v.email = "jiro@corp.example";
    db.set_actor(std::nullopt);
    const Id vid = db.users().create(v).value();
    db.set_actor(vid);
    auto t = db.begin().value();
    REQUIRE(db.contacts().create(testing::contact("取引中")));
    REQUIRE(db.users().remove(vid));
    CHECK(db.contacts().create(testing::contact("その後")).error().field == "actor");
    REQUIRE(t.rollback());

    // Another connection deleting the user is noticed too.
    db.set_actor(std::nullopt);
    v.email = "saburo@corp.example";
    const Id wid = db.users().create(v).value();
    db.set_actor(wid);
    REQUIRE(db.contacts().create(testing::contact("一人目")));
    {
        auto other = Db::open(path).value();
        REQUIRE(other.users().remove(wid));
    }
    CHECK(db.contacts().create(testing::contact("二人目")).error().field == "actor");
    const auto all = db.history().since(0, 10000).value();
    for (const auto& c : all)
        if (c.actor_id) CHECK((*c.actor_id == uid || *c.actor_id == vid || *c.actor_id == wid));
}

TEST_CASE("migrations: v8 derives employment periods from history and fixes deal amounts", "[db][migrations]") {
    testing::TempDir dir;
    const auto path = dir.file("v7.crm");
    // A v7 file as v7 wrote it: contact 1 worked at account 1, moved to 2 at t=2000;
    // contact 2 was created at account 2 and never moved; deal 1 disagrees with its line.
    REQUIRE(testing::make_db_at_version(path, 7, [](SQLite::Database& c) {
        c.exec("INSERT INTO accounts(name,created_at,updated_at) VALUES('旧社',1,1),('新社',1,1)");
        c.exec("INSERT INTO contacts(name,lifecycle_stage,account_id,created_at,updated_at) "
               "VALUES('移籍 太郎','lead',2,1000,2000),('在籍 花子','lead',2,1000,1000)");
        c.exec("INSERT INTO history(entity,record_id,at,op,field,old_value,new_value) VALUES "
               "('contact',1,1000,'create','*',NULL,'{\"id\":1,\"name\":\"移籍 太郎\",\"account_id\":1}'),"
               "('contact',1,2000,'update','account_id','1','2'),"
               "('contact',2,1000,'create','*',NULL,'{\"id\":2,\"name\":\"在籍 花子\",\"account_id\":2}')");
        c.exec("INSERT INTO interactions(kind,occurred_at,direction,created_at,updated_at) VALUES "
               "('call',1500,'outbound',1500,1500),('call',2500,'outbound',2500,2500),('call',500,'outbound',500,500)");
        c.exec("INSERT INTO interaction_links(interaction_id,entity,record_id,occurred_at) VALUES "
               "(1,'contact',1,1500),(2,'contact',1,2500),(3,'contact',2,500)");
        c.exec("INSERT INTO users(name,email,email_norm,role,created_at,updated_at) VALUES('u','u@x.jp','u@x.jp','sales',1,1)");
        c.exec("INSERT INTO products(name,price_amount,price_currency,created_at,updated_at) VALUES('p',100,'JPY',1,1)");
        c.exec("INSERT INTO pipelines(name,created_at,updated_at) VALUES('営業',1,1)");
        c.exec("INSERT INTO pipeline_stages(pipeline_id,position,name,probability,kind) VALUES(1,0,'初回',10,'open')");
        c.exec("INSERT INTO deals(name,pipeline_id,stage_id,amount,currency,status,created_at,updated_at) "
               "VALUES('食い違い',1,1,555,'JPY','open',1,1)");
        c.exec("INSERT INTO deal_line_items(deal_id,position,product_id,quantity,unit_price,currency) "
               "VALUES(1,0,1,2,300000,'JPY')");
    }));
    auto db = Db::open(path).value();
    REQUIRE(db.opened_schema_version() == 7);
    auto ids = [&](Id account) {
        std::vector<Id> out;
        const auto page = db.interactions().timeline(Entity::account, account).value();
        for (const auto& i : page.items) out.push_back(i.id);
        return out;
    };
    CHECK(ids(1) == std::vector<Id>{1});     // made at 旧社, before the move
    CHECK(ids(2) == std::vector<Id>{2, 3});  // after the move; 花子's from the beginning
    const Deal d = db.deals().get(1).value();
    CHECK(d.amount.amount == 600000);
    auto h = db.deals().history(1).value();
    REQUIRE_FALSE(h.empty());
    CHECK(h.back().field == "amount");  // corrected through the update path, with its history row
}
