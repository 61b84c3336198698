// Bad input at the C++ boundary: a clear error naming the field, and the stored
// data (every row of every table) exactly as it was.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace crm;

namespace {
struct Fixture {
    testing::TempDir dir;
    std::string path = dir.file("data.crm");
    Db db = Db::open(path).value();
    Id contact = 0, account = 0;
    Fixture() {
        Account a;
        a.name = "既存 株式会社";
        account = db.accounts().create(a).value();
        Contact c = testing::contact("既存 顧客", "kizon@example.jp");
        c.external_id = "ext-1";
        c.account_id = account;
        contact = db.contacts().create(c).value();
    }
};

void expect_refused(Fixture& f, const result<void>& r, errc code, const std::string& field, const std::string& before) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == code);
    CHECK(r.error().field == field);
    CHECK_FALSE(r.error().message.empty());
    CHECK(testing::dump(f.path) == before);
}
result<void> as_void(const result<Id>& r) {
    if (r) return boost::outcome_v2::success();
    return r.error();
}
}  // namespace

TEST_CASE("bad input: invalid text is refused and nothing changes", "[bad-input]") {
    Fixture f;
    const auto before = testing::dump(f.path);
    auto make = [](std::string name) { return testing::contact(std::move(name)); };

    expect_refused(f, as_void(f.db.contacts().create(make("bad \xff\xfe utf8"))), errc::invalid_argument, "name", before);
    expect_refused(f, as_void(f.db.contacts().create(make("\xe3\x81"))), errc::invalid_argument, "name", before);  // truncated
    expect_refused(f, as_void(f.db.contacts().create(make("\xc0\xaf"))), errc::invalid_argument, "name", before);  // overlong
    expect_refused(f, as_void(f.db.contacts().create(make(std::string("nul\0inside", 10)))), errc::invalid_argument,
                   "name", before);
    expect_refused(f, as_void(f.db.contacts().create(make("   \u3000 "))), errc::invalid_argument, "name", before);
    expect_refused(f, as_void(f.db.contacts().create(make(std::string(70000, 'a')))), errc::invalid_argument, "name",
                   before);

    for (const char* email : {"no-at-sign", "a@b", "two@@example.jp", "sp ace@example.jp", "@example.jp", "a@.jp"}) {
        INFO(email);
        expect_refused(f, as_void(f.db.contacts().create(testing::contact("メール", email))), errc::invalid_argument,
                       "emails[0].address", before);
    }
    Contact bad_phone = make("電話");
    bad_phone.phones = {{"abc", "", false}};
    expect_refused(f, as_void(f.db.contacts().create(bad_phone)), errc::invalid_argument, "phones[0].number", before);
    Contact bad_birthday = make("誕生日");
    bad_birthday.birthday = "2026-13-01";
    expect_refused(f, as_void(f.db.contacts().create(bad_birthday)), errc::invalid_argument, "birthday", before);
}

TEST_CASE("bad input: duplicates and unknown ids change nothing", "[bad-input]") {
    Fixture f;
    const auto before = testing::dump(f.path);
    Contact dup = testing::contact("重複", "KIZON@example.jp");
    expect_refused(f, as_void(f.db.contacts().create(dup)), errc::already_exists, "emails", before);
    Contact dup_ext = testing::contact("重複2");
    dup_ext.external_id = "ext-1";
    expect_refused(f, as_void(f.db.contacts().create(dup_ext)), errc::already_exists, "external_id", before);
    Contact unknown = testing::contact("参照");
    unknown.account_id = 12345;
    expect_refused(f, as_void(f.db.contacts().create(unknown)), errc::invalid_argument, "account_id", before);

    // Updates that fail leave the old record, its history and everything else unchanged.
    auto c = f.db.contacts().get(f.contact).value();
    c.title = "変更されないはず";
    c.emails.push_back({"broken", "", false});
    expect_refused(f, f.db.contacts().update(c), errc::invalid_argument, "emails[1].address", before);
    auto missing = c;
    missing.id = 999;
    missing.emails.pop_back();
    auto r = f.db.contacts().update(missing);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::not_found);
    CHECK(f.db.contacts().remove(999).error().code == errc::not_found);
    CHECK(testing::dump(f.path) == before);
}

TEST_CASE("bad input: JSON documents are parsed strictly", "[bad-input][json]") {
    CHECK(from_json<Contact>("{").error().field == "document");
    CHECK(from_json<Contact>("[]").error().field == "document");
    CHECK(from_json<Contact>(R"({"name":"x","nickname":"y"})").error().field == "nickname");
    CHECK(from_json<Contact>(R"({"name":5})").error().field == "name");
    CHECK(from_json<Contact>(R"({"name":"x","lifecycle_stage":"hot"})").error().field == "lifecycle_stage");
    CHECK(from_json<Contact>(R"({"name":"x","emails":[{"address":"a@b.jp","extra":1}]})").error().field ==
          "emails[0].extra");
    CHECK(from_json<Contact>(R"({"name":"x","consent":{"email":"yes"}})").error().field == "consent.email");
    CHECK(from_json<Account>(R"({"name":"x","annual_revenue":{"amount":1.5,"currency":"JPY"}})").error().field ==
          "annual_revenue.amount");
    auto ok = from_json<Contact>(R"({"name":"山田","emails":["y@example.jp"],"custom":{"rank":"A","n":3}})").value();
    CHECK(ok.emails.at(0).address == "y@example.jp");
    CHECK(std::get<std::int64_t>(ok.custom.at("n")) == 3);

    Contact base = testing::contact("元");
    base.id = 5;
    auto patched = merge_patch(base, R"({"title":"新しい役職","id":77,"emails":null})").value();
    CHECK(patched.title == "新しい役職");
    CHECK(patched.id == 5);  // ids cannot be patched
    CHECK(patched.emails.empty());
    CHECK(merge_patch(base, R"({"unknown":1})").error().field == "unknown");
    CHECK(merge_patch(base, "[1]").error().field == "patch");
}

TEST_CASE("bad input: oversized text limit is configurable", "[bad-input]") {
    OpenOptions o;
    o.max_text_bytes = 16;
    auto db = Db::open(":memory:", o).value();
    CHECK(db.contacts().create(testing::contact("0123456789abcdef")));
    auto r = db.contacts().create(testing::contact("0123456789abcdefg"));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("17 bytes") != std::string::npos);
}

TEST_CASE("bad input: times outside 0001–9999 are refused from C++ as from JSON, never looped on", "[bad-input]") {
    Fixture f;
    // An SLA policy makes a ticket's create compute due times over its calendar:
    // an opened_at near the int64 limit once never returned.
    BusinessCalendar cal;
    cal.name = "平日";
    for (std::size_t d = 1; d <= 5; ++d) cal.hours[d] = {{9 * 60, 18 * 60}};
    SlaPolicy p;
    p.name = "標準";
    p.calendar_id = f.db.tickets().define_calendar(cal).value();
    p.targets = {{TicketPriority::normal, 60, 480}};
    const Id policy = f.db.tickets().define_sla_policy(p).value();
    const auto before = testing::dump(f.path);
    for (Timestamp bad : {INT64_MAX, INT64_MAX - 1000, INT64_MIN, Timestamp{253402300800000} /* 10000-01-01 */,
                          Timestamp{-62135596800001} /* just before 0001-01-01 */}) {
        INFO(bad);
        Ticket t;
        t.subject = "極端な時刻";
        t.sla_policy_id = policy;
        t.opened_at = bad;
        auto r = f.db.tickets().create(t);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == "opened_at");
        Interaction i;
        i.kind = "call";
        i.occurred_at = bad;
        CHECK(f.db.interactions().create(i).error().field == "occurred_at");
        Task task;
        task.title = "期限";
        task.due_at = bad;
        CHECK(f.db.tasks().create(task).error().field == "due_at");
        Contact c = testing::contact("作成日時");
        c.created_at = bad;
        CHECK(f.db.contacts().create(c).error().field == "created_at");
    }
    CHECK(testing::dump(f.path) == before);
    // The edges themselves are fine and read back as written.
    Interaction first;
    first.kind = "note";
    first.occurred_at = -62135596800000;  // 0001-01-01T00:00:00Z
    const Id id = f.db.interactions().create(first).value();
    CHECK(f.db.interactions().get(id).value().occurred_at == first.occurred_at);
    CHECK(format_iso8601(first.occurred_at) == "0001-01-01T00:00:00.000Z");
}
