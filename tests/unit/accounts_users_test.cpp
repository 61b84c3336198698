// Accounts (parents, cycles, roll-up, delete semantics), users and teams.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace crm;

namespace {
Account account(const std::string& name, std::optional<Id> parent = {}) {
    Account a;
    a.name = name;
    a.parent_id = parent;
    return a;
}
}  // namespace

TEST_CASE("accounts: every field round-trips", "[accounts]") {
    auto db = Db::open(":memory:").value();
    Account a;
    a.external_id = "sf-001";
    a.name = "株式会社テスト商事";
    a.name_reading = "カブシキガイシャテストショウジ";
    a.industry = "卸売業";
    a.employee_count = 1200;
    a.annual_revenue = Money{15'000'000'000, "JPY"};
    a.address = {"530-0001", "JP", "大阪府", "大阪市北区", "梅田1-1-1", ""};
    a.phone = "06-1234-5678";
    a.website = "https://test-shoji.example.jp";
    a.contract_status = ContractStatus::active;
    a.tags = {"重点顧客"};
    auto id = db.accounts().create(a).value();
    auto got = db.accounts().get(id).value();
    a.id = id;
    a.created_at = got.created_at;
    a.updated_at = got.updated_at;
    CHECK(to_json(got) == to_json(a));
    CHECK(db.accounts().get_by_external_id("sf-001").value().id == id);
}

TEST_CASE("accounts: parent companies, cycles refused", "[accounts]") {
    auto db = Db::open(":memory:").value();
    auto root = db.accounts().create(account("親会社ホールディングス")).value();
    auto mid = db.accounts().create(account("子会社", root)).value();
    auto leaf = db.accounts().create(account("孫会社", mid)).value();
    auto subs = db.accounts().subsidiaries(root).value();
    REQUIRE(subs.size() == 1);
    CHECK(subs[0].id == mid);

    auto r = db.accounts().get(root).value();
    r.parent_id = leaf;  // root -> leaf -> mid -> root
    auto e = db.accounts().update(r);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == errc::constraint_violation);
    CHECK(e.error().field == "parent_id");
    r.parent_id = root;  // itself
    CHECK(db.accounts().update(r).error().code == errc::constraint_violation);
    CHECK_FALSE(db.accounts().get(root).value().parent_id.has_value());
    CHECK(db.accounts().create(account("x", 999)).error().field == "parent_id");
}

TEST_CASE("accounts: deleting one detaches its contacts and subsidiaries with history", "[accounts][history]") {
    auto db = Db::open(":memory:").value();
    auto parent = db.accounts().create(account("消える会社")).value();
    auto child = db.accounts().create(account("残る子会社", parent)).value();
    Contact c = testing::contact("社員 一号");
    c.account_id = parent;
    auto cid = db.contacts().create(c).value();
    CHECK(db.accounts().contacts(parent).value().size() == 1);

    REQUIRE(db.accounts().remove(parent));
    CHECK(db.accounts().get(parent).error().code == errc::not_found);
    CHECK_FALSE(db.contacts().get(cid).value().account_id.has_value());
    CHECK_FALSE(db.accounts().get(child).value().parent_id.has_value());
    auto h = db.contacts().history(cid).value();
    REQUIRE(h.size() == 2);
    CHECK(h[1].field == "account_id");
    CHECK(h[1].old_value == std::to_string(parent));
    CHECK(h[1].new_value == "null");
    CHECK(db.accounts().contacts(parent).error().code == errc::not_found);
}

TEST_CASE("accounts: revenue and size are validated", "[accounts][bad-input]") {
    auto db = Db::open(":memory:").value();
    Account a = account("検証");
    a.annual_revenue = Money{100, "yen"};
    CHECK(db.accounts().create(a).error().field == "annual_revenue.currency");
    a.annual_revenue = Money{-1, "JPY"};
    CHECK(db.accounts().create(a).error().field == "annual_revenue.amount");
    a.annual_revenue.reset();
    a.employee_count = -5;
    CHECK(db.accounts().create(a).error().field == "employee_count");
    CHECK(db.accounts().count().value() == 0);
}

TEST_CASE("users and teams: membership, unique email, delete rules", "[users]") {
    auto db = Db::open(":memory:").value();
    Team t;
    t.name = "東日本営業チーム";
    t.region = "関東";
    auto tid = db.teams().create(t).value();
    User u;
    u.name = "高橋 誠";
    u.name_reading = "タカハシ マコト";
    u.email = "Makoto@Corp.example";
    u.role = UserRole::manager;
    u.team_id = tid;
    auto uid = db.users().create(u).value();
    CHECK(db.users().get_by_email("makoto@corp.example").value().id == uid);
    User dup = u;
    dup.email = "makoto@CORP.example";
    auto e = db.users().create(dup);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == errc::already_exists);
    CHECK(e.error().field == "email");
    Team dup_team;
    dup_team.name = "東日本営業チーム";
    CHECK(db.teams().create(dup_team).error().code == errc::already_exists);

    auto team = db.teams().get(tid).value();
    team.manager_id = uid;
    REQUIRE(db.teams().update(team));
    CHECK(db.teams().members(tid).value().size() == 1);

    // A user who still manages a team or owns records cannot be deleted.
    Contact c = testing::contact("担当される人");
    c.owner_id = uid;
    auto cid = db.contacts().create(c).value();
    auto r = db.users().remove(uid);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::constraint_violation);
    CHECK(db.users().get(uid));

    // Deleting the team detaches its members (with history).
    team.manager_id.reset();
    REQUIRE(db.teams().update(team));
    REQUIRE(db.teams().remove(tid));
    CHECK_FALSE(db.users().get(uid).value().team_id.has_value());
    auto hist = db.users().history(uid).value();
    CHECK(hist.back().field == "team_id");

    c = db.contacts().get(cid).value();
    c.owner_id.reset();
    REQUIRE(db.contacts().update(c));
    REQUIRE(db.users().remove(uid));
    CHECK(db.users().get(uid).error().code == errc::not_found);
}

TEST_CASE("accounts: deleting an account or contact detaches their deals with history", "[accounts][sales][history]") {
    auto db = Db::open(":memory:").value();
    Pipeline p;
    p.name = "新規営業";
    p.stages = {{0, "初回訪問", 10, StageKind::open}, {0, "受注", 100, StageKind::won}};
    auto pid = db.pipelines().create(p).value();
    auto stages = db.pipelines().get(pid).value().stages;
    Account a;
    a.name = "取引先 株式会社";
    auto aid = db.accounts().create(a).value();
    auto cid = db.contacts().create(testing::contact("担当 者")).value();
    Deal d;
    d.name = "基幹システム刷新";
    d.pipeline_id = pid;
    d.stage_id = stages.at(0).id;
    d.amount = Money{5'000'000, "JPY"};
    d.account_id = aid;
    d.contact_id = cid;
    auto did = db.deals().create(d).value();

    REQUIRE(db.accounts().remove(aid));
    REQUIRE(db.contacts().remove(cid));
    auto after = db.deals().get(did).value();
    CHECK_FALSE(after.account_id.has_value());
    CHECK_FALSE(after.contact_id.has_value());
    std::vector<std::string> fields;
    const auto changes = db.deals().history(did).value();
    for (const auto& ch : changes) fields.push_back(ch.field);
    CHECK(std::count(fields.begin(), fields.end(), "account_id") == 1);
    CHECK(std::count(fields.begin(), fields.end(), "contact_id") == 1);
}
