// Contacts: every field, emails and phones, lookups, history, as-of, employment history.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace crm;

namespace {
Contact full_contact(Id account, Id owner) {
    Contact c;
    c.external_id = "hubspot-1001";
    c.name = "山田 太郎";
    c.name_reading = "ヤマダ タロウ";
    c.emails = {{"Taro.Yamada@Example.co.jp", "work", false}, {"taro@home.example", "home", false}};
    c.phones = {{"03-1234-5678", "work", false}, {"０９０－１２３４－５６７８", "mobile", true}};
    c.address = {"100-0001", "JP", "東京都", "千代田区", "千代田1-1", "皇居ビル3F"};
    c.title = "課長";
    c.department = "営業部";
    c.account_id = account;
    c.owner_id = owner;
    c.lifecycle_stage = LifecycleStage::mql;
    c.lead_source = "seminar-2026-10";
    c.birthday = "1980-02-29";
    c.consent = {true, false, true, false, true};
    c.tags = {"VIP", "セミナー参加"};
    return c;
}
}  // namespace

TEST_CASE("contacts: create and get round-trip every field", "[contacts]") {
    auto db = Db::open(":memory:").value();
    Account a;
    a.name = "株式会社サンプル";
    auto aid = db.accounts().create(a).value();
    User u;
    u.name = "佐藤 花子";
    u.email = "hanako@corp.example";
    auto uid = db.users().create(u).value();

    const auto in = full_contact(aid, uid);
    auto id = db.contacts().create(in).value();
    auto c = db.contacts().get(id).value();
    CHECK(c.id == id);
    CHECK(c.external_id == in.external_id);
    CHECK(c.name == in.name);
    CHECK(c.name_reading == in.name_reading);
    CHECK(c.emails.size() == 2);
    CHECK(c.emails[0].address == "Taro.Yamada@Example.co.jp");  // stored as given
    CHECK(c.emails[0].primary);                                  // first becomes primary when none marked
    CHECK_FALSE(c.emails[1].primary);
    CHECK(c.phones[1].primary);
    CHECK_FALSE(c.phones[0].primary);
    CHECK(c.phones[1].number == "０９０－１２３４－５６７８");
    CHECK(c.address == in.address);
    CHECK(c.title == "課長");
    CHECK(c.department == "営業部");
    CHECK(c.account_id == aid);
    CHECK(c.owner_id == uid);
    CHECK(c.lifecycle_stage == LifecycleStage::mql);
    CHECK(c.lead_source == in.lead_source);
    CHECK(c.birthday == "1980-02-29");
    CHECK(c.consent == in.consent);
    CHECK(c.tags == Tags{"VIP", "セミナー参加"});
    CHECK(c.created_at > 0);
    CHECK(c.primary_email()->address == "Taro.Yamada@Example.co.jp");

    // JSON round trip through the public codec gives the same record.
    auto back = from_json<Contact>(to_json(c)).value();
    CHECK(to_json(back) == to_json(c));
}

TEST_CASE("contacts: lookups by email (any case) and external id", "[contacts]") {
    auto db = Db::open(":memory:").value();
    auto id = db.contacts().create(testing::contact("鈴木 一郎", "Ichiro@Example.JP")).value();
    CHECK(db.contacts().get_by_email("ichiro@example.jp").value().id == id);
    CHECK(db.contacts().get_by_email("  ICHIRO@example.jp ").value().id == id);
    CHECK(db.contacts().get_by_email("nobody@example.jp").error().code == errc::not_found);
    Contact c = testing::contact("x");
    c.external_id = "ext-9";
    auto xid = db.contacts().create(c).value();
    CHECK(db.contacts().get_by_external_id("ext-9").value().id == xid);
    CHECK(db.contacts().get_by_external_id("ext-10").error().code == errc::not_found);
    CHECK(db.contacts().get(999).error().code == errc::not_found);
}

TEST_CASE("contacts: duplicate email (case-insensitive) and external id are refused", "[contacts][bad-input]") {
    auto db = Db::open(":memory:").value();
    Contact a = testing::contact("A", "same@example.jp");
    a.external_id = "x1";
    REQUIRE(db.contacts().create(a));
    auto e1 = db.contacts().create(testing::contact("B", "SAME@example.jp"));
    REQUIRE_FALSE(e1);
    CHECK(e1.error().code == errc::already_exists);
    CHECK(e1.error().field == "emails");
    Contact b = testing::contact("C");
    b.external_id = "x1";
    auto e2 = db.contacts().create(b);
    REQUIRE_FALSE(e2);
    CHECK(e2.error().code == errc::already_exists);
    CHECK(e2.error().field == "external_id");
    CHECK(db.contacts().count().value() == 1);
    // The same address twice on one contact, and two primaries, are invalid.
    Contact twice = testing::contact("D", "d@example.jp");
    twice.emails.push_back({"D@example.jp", "", false});
    CHECK(db.contacts().create(twice).error().field == "emails[1].address");
    Contact two_primary = testing::contact("E");
    two_primary.emails = {{"e1@example.jp", "", true}, {"e2@example.jp", "", true}};
    CHECK(db.contacts().create(two_primary).error().field == "emails");
}

TEST_CASE("contacts: update writes one history row per changed field, nothing when unchanged", "[contacts][history]") {
    auto db = Db::open(":memory:").value();
    testing::FakeClock clock;
    clock.install(db);
    auto id = db.contacts().create(testing::contact("田中 実", "minoru@example.jp")).value();
    auto c = db.contacts().get(id).value();
    clock.advance(1000);
    REQUIRE(db.contacts().update(c));  // no change
    CHECK(db.contacts().history(id).value().size() == 1);
    CHECK(db.contacts().get(id).value().updated_at == c.created_at);

    c.title = "部長";
    c.address.city = "大阪市";
    c.consent.email = true;
    c.emails.push_back({"minoru@second.example", "", false});
    REQUIRE(db.contacts().update(c));
    auto h = db.contacts().history(id).value();
    REQUIRE(h.size() == 5);
    std::map<std::string, Change> by_field;
    for (auto& ch : h) by_field[ch.field] = ch;
    CHECK(by_field.at("title").old_value == "\"\"");
    CHECK(by_field.at("title").new_value == "\"部長\"");
    CHECK(by_field.at("address.city").new_value == "\"大阪市\"");
    CHECK(by_field.at("consent.email").old_value == "false");
    CHECK(by_field.count("emails") == 1);
    CHECK(by_field.at("title").at == *clock.now);
    CHECK(db.contacts().get(id).value().updated_at == *clock.now);
}

TEST_CASE("contacts: as-of reads replay history, also across a delete", "[contacts][history]") {
    auto db = Db::open(":memory:").value();
    testing::FakeClock clock;
    clock.install(db);
    const Timestamp t0 = *clock.now;
    auto id = db.contacts().create(testing::contact("伊藤 健", "ken@example.jp")).value();
    clock.advance(1000);
    const Timestamp t1 = *clock.now;
    auto c = db.contacts().get(id).value();
    c.title = "主任";
    c.tags = {"見込み"};
    REQUIRE(db.contacts().update(c));
    clock.advance(1000);
    const Timestamp t2 = *clock.now;
    c.title = "係長";
    c.emails.clear();
    REQUIRE(db.contacts().update(c));
    clock.advance(1000);
    REQUIRE(db.contacts().remove(id));
    clock.advance(1000);

    CHECK(db.contacts().get_as_of(id, t0 - 1).error().code == errc::not_found);
    auto v0 = db.contacts().get_as_of(id, t0).value();
    CHECK(v0.title.empty());
    CHECK(v0.emails.size() == 1);
    CHECK(v0.tags.empty());
    auto v1 = db.contacts().get_as_of(id, t1).value();
    CHECK(v1.title == "主任");
    CHECK(v1.tags == Tags{"見込み"});
    auto v2 = db.contacts().get_as_of(id, t2).value();
    CHECK(v2.title == "係長");
    CHECK(v2.emails.empty());
    CHECK(db.contacts().get(id).error().code == errc::not_found);
    CHECK(db.contacts().get_as_of(id, *clock.now).error().code == errc::not_found);
    // History survives the delete, ending with a delete snapshot.
    auto h = db.contacts().history(id).value();
    CHECK(h.back().op == ChangeOp::remove);
    CHECK(from_json<Contact>(h.back().old_value).value().title == "係長");
}

TEST_CASE("contacts: employment history tracks employer, department and title", "[contacts][history]") {
    auto db = Db::open(":memory:").value();
    Account a1, a2;
    a1.name = "株式会社アルファ";
    a2.name = "ベータ合同会社";
    auto id1 = db.accounts().create(a1).value();
    auto id2 = db.accounts().create(a2).value();
    Contact c = testing::contact("転職 太郎");
    c.account_id = id1;
    c.title = "担当";
    auto cid = db.contacts().create(c).value();
    c = db.contacts().get(cid).value();
    c.account_id = id2;
    c.title = "マネージャー";
    c.department = "開発部";
    c.lead_source = "irrelevant";
    REQUIRE(db.contacts().update(c));
    auto jobs = db.contacts().employment_history(cid).value();
    std::vector<std::string> fields;
    for (auto& j : jobs) fields.push_back(j.field + "=" + j.new_value);
    CHECK(fields == std::vector<std::string>{"account_id=" + std::to_string(id1), "title=\"担当\"",
                                             "account_id=" + std::to_string(id2), "department=\"開発部\"",
                                             "title=\"マネージャー\""});
}

TEST_CASE("contacts: tags and references", "[contacts]") {
    auto db = Db::open(":memory:").value();
    auto id = db.contacts().create(testing::contact("タグ 付け")).value();
    REQUIRE(db.contacts().add_tag(id, " 展示会 "));
    REQUIRE(db.contacts().add_tag(id, "展示会"));  // same tag once
    REQUIRE(db.contacts().add_tag(id, "A"));
    CHECK(db.contacts().get(id).value().tags == Tags{"A", "展示会"});
    REQUIRE(db.contacts().remove_tag(id, "展示会"));
    CHECK(db.contacts().get(id).value().tags == Tags{"A"});
    CHECK(db.contacts().add_tag(id, "").error().code == errc::invalid_argument);
    CHECK(db.contacts().add_tag(999, "x").error().code == errc::not_found);

    Contact bad = testing::contact("ref");
    bad.account_id = 42;
    auto r = db.contacts().create(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "account_id");
    bad.account_id.reset();
    bad.owner_id = 43;
    CHECK(db.contacts().create(bad).error().field == "owner_id");
}

TEST_CASE("contacts: ids are never reused, so histories never mix", "[contacts][history]") {
    auto db = Db::open(":memory:").value();
    auto a = db.contacts().create(testing::contact("消える人")).value();
    REQUIRE(db.contacts().remove(a));
    auto b = db.contacts().create(testing::contact("新しい人")).value();
    CHECK(b != a);
    CHECK(db.contacts().history(b).value().size() == 1);
    CHECK(db.contacts().history(a).value().size() == 2);
}

TEST_CASE("contacts: patch applies a JSON merge patch atomically", "[contacts]") {
    auto db = Db::open(":memory:").value();
    Contact c = testing::contact("パッチ 太郎", "patch@example.jp");
    c.phones = {{"03-0000-0000", "", true}};
    auto id = db.contacts().create(c).value();
    auto p = db.contacts().patch(id, R"({"title":"部長 \"代理\"","phones":null,"address":{"city":"京都市"}})").value();
    CHECK(p.title == "部長 \"代理\"");
    CHECK(p.phones.empty());
    CHECK(p.address.city == "京都市");
    CHECK(p.emails.size() == 1);
    CHECK(db.contacts().get(id).value().title == "部長 \"代理\"");
    const auto changes = db.history().count().value();
    auto bad = db.contacts().patch(id, R"({"title":"x","emails":["not-an-email"]})");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "emails[0].address");
    CHECK(db.contacts().get(id).value().title == "部長 \"代理\"");
    CHECK(db.history().count().value() == changes);
    CHECK(db.history().latest_id().value() > 0);
    CHECK(db.contacts().patch(999, "{}").error().code == errc::not_found);

    // Employment history quotes text properly.
    auto jobs = db.contacts().employment_history(id).value();
    CHECK(jobs.back().new_value == R"("部長 \"代理\"")");
}
