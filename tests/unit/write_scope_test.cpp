// The one write scope (store/write_scope.hpp): what a failed operation inside a
// caller's transaction leaves behind, with and without a savepoint, and reads
// that see one snapshot.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "helpers.hpp"

using namespace crm;

namespace {
// A host's own trigger that refuses one phone number: a failure that only the
// database sees, after a contact's row has been written.
void refuse_phone(const std::string& path, const std::string& number) {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("CREATE TRIGGER refuse_phone BEFORE INSERT ON contact_phones WHEN NEW.number = '" + number +
             "' BEGIN SELECT RAISE(ABORT, 'this number is blocked'); END;");
}
}  // namespace

TEST_CASE("write scope: a refused create inside a transaction undoes only itself", "[db][txn][scope]") {
    testing::TempDir dir;
    const auto path = dir.file("scope.crm");
    auto db = Db::open(path).value();
    auto tx = db.begin().value();
    REQUIRE(db.contacts().create(testing::contact("一人目", "one@example.jp")));
    // Every kind of refusal that the checks see comes before the first write.
    auto dup_email = db.contacts().create(testing::contact("二人目", "ONE@example.jp"));
    REQUIRE_FALSE(dup_email);
    CHECK(dup_email.error().code == errc::already_exists);
    Contact bad_ref = testing::contact("三人目");
    bad_ref.account_id = 999;
    auto dangling = db.contacts().create(bad_ref);
    REQUIRE_FALSE(dangling);
    CHECK(dangling.error().field == "account_id");
    CHECK(dangling.error().message == "account_id: no account with id 999");
    Contact dup_xid = testing::contact("四人目");
    dup_xid.external_id = "X";
    REQUIRE(db.contacts().create(dup_xid));
    auto dup = db.contacts().create(dup_xid);
    REQUIRE_FALSE(dup);
    CHECK(dup.error().field == "external_id");
    // The transaction goes on and commits what succeeded, with their history only.
    REQUIRE(db.contacts().create(testing::contact("五人目")));
    REQUIRE(tx.commit());
    CHECK(db.contacts().count().value() == 3);
    CHECK(db.history().count().value() == 3);
}

TEST_CASE("write scope: an operation that fails after writing spoils the transaction, which commits nothing",
          "[db][txn][scope]") {
    testing::TempDir dir;
    const auto path = dir.file("spoiled.crm");
    auto db = Db::open(path).value();
    REQUIRE(db.contacts().create(testing::contact("既存")));
    refuse_phone(path, "000-0000");
    const auto before = testing::dump(path);

    // Outside a transaction the failed create is rolled back whole.
    Contact blocked = testing::contact("ブロック");
    blocked.phones = {{"000-0000", "", true}};
    auto alone = db.contacts().create(blocked);
    REQUIRE_FALSE(alone);
    CHECK(alone.error().message.find("this number is blocked") != std::string::npos);
    CHECK(testing::dump(path) == before);

    // Inside one, the contact's row was written before the trigger refused its phone:
    // the transaction cannot go on, and cannot commit; a rollback leaves the file as it was.
    auto tx = db.begin().value();
    REQUIRE(db.contacts().create(testing::contact("先の一件")));
    REQUIRE_FALSE(db.contacts().create(blocked));
    auto next = db.contacts().create(testing::contact("後の一件"));
    REQUIRE_FALSE(next);
    CHECK(next.error().code == errc::constraint_violation);
    CHECK(next.error().message.find("rolled back") != std::string::npos);
    auto commit = tx.commit();
    REQUIRE_FALSE(commit);
    CHECK(commit.error().message.find("rolled back") != std::string::npos);
    REQUIRE(tx.rollback());
    CHECK(testing::dump(path) == before);

    // The next transaction is a fresh one.
    auto again = db.begin().value();
    REQUIRE(db.contacts().create(testing::contact("新しい一件")));
    REQUIRE(again.commit());
    CHECK(db.contacts().count().value() == 2);
}

TEST_CASE("write scope: operations with a savepoint undo exactly themselves", "[db][txn][scope]") {
    testing::TempDir dir;
    const auto path = dir.file("savepoint.crm");
    auto db = Db::open(path).value();
    Account acme;
    acme.name = "取引先";
    const Id a = db.accounts().create(acme).value();
    Contact c = testing::contact("一人目");
    c.account_id = a;
    const Id first = db.contacts().create(c).value();
    c = testing::contact("二人目");
    c.account_id = a;
    const Id second = db.contacts().create(c).value();
    // Deleting the account detaches its contacts one by one through updates; the host
    // refuses the second one, after the first was written.
    SQLite::Database(path, SQLite::OPEN_READWRITE)
        .exec("CREATE TRIGGER refuse_detach BEFORE UPDATE OF account_id ON contacts WHEN OLD.id = " +
              std::to_string(second) + " BEGIN SELECT RAISE(ABORT, 'keep this one'); END;");
    auto tx = db.begin().value();
    REQUIRE(db.contacts().patch(first, R"({"title":"部長"})"));
    auto removed = db.accounts().remove(a);
    REQUIRE_FALSE(removed);
    CHECK(removed.error().message.find("keep this one") != std::string::npos);
    // The delete undid itself (the first contact's detach included); the transaction goes on.
    REQUIRE(db.contacts().patch(first, R"({"department":"営業部"})"));
    REQUIRE(tx.commit());
    auto got = db.contacts().get(first).value();
    CHECK(got.title == "部長");
    CHECK(got.department == "営業部");
    CHECK(got.account_id == a);
    CHECK(db.accounts().get(a));
}

TEST_CASE("reads: each read runs in a snapshot of its own, never one left open", "[db][scope]") {
    testing::TempDir dir;
    const auto path = dir.file("snapshot.crm");
    auto db = Db::open(path).value();
    auto other = Db::open(path).value();
    Contact c = testing::contact("読み取り");
    c.emails = {{"a@example.jp", "", true}};
    const Id id = db.contacts().create(c).value();
    // A read runs its statements (row, emails, phones, tags, custom values) in one read
    // transaction; it must end with the read, or the next read would see a stale snapshot
    // and a writer on another connection could never checkpoint past it.
    auto page = db.contacts().list().value();
    REQUIRE(page.items.size() == 1);
    REQUIRE(other.contacts().patch(id, R"({"emails":["b@example.jp"]})"));
    CHECK(db.contacts().get(id).value().emails.front().address == "b@example.jp");
    REQUIRE(other.contacts().patch(id, R"({"emails":["c@example.jp"]})"));
    CHECK(db.contacts().list().value().items.front().emails.front().address == "c@example.jp");
}
