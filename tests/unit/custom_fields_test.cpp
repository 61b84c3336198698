// Typed custom fields on every entity: definitions, validation, storage, filters, history.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace crm;

namespace {
CustomFieldDef def(Entity e, const std::string& name, FieldType t, std::vector<std::string> options = {}) {
    CustomFieldDef d;
    d.entity = e;
    d.name = name;
    d.label = name;
    d.type = t;
    d.options = std::move(options);
    return d;
}
}  // namespace

TEST_CASE("custom fields: each type validates and round-trips", "[custom]") {
    auto db = Db::open(":memory:").value();
    auto& defs = db;  // readability
    REQUIRE(defs.custom_fields().define(def(Entity::contact, "memo", FieldType::text)));
    REQUIRE(defs.custom_fields().define(def(Entity::contact, "visits", FieldType::integer)));
    REQUIRE(defs.custom_fields().define(def(Entity::contact, "budget", FieldType::decimal)));
    REQUIRE(defs.custom_fields().define(def(Entity::contact, "renewal", FieldType::date)));
    REQUIRE(defs.custom_fields().define(def(Entity::contact, "vip", FieldType::boolean)));
    REQUIRE(defs.custom_fields().define(def(Entity::contact, "rank", FieldType::enumeration, {"A", "B", "C"})));
    CHECK(db.custom_fields().list(Entity::contact).value().size() == 6);
    CHECK(db.custom_fields().list(Entity::account).value().empty());

    Contact c = testing::contact("カスタム 太郎");
    c.custom = {{"memo", std::string("展示会で名刺交換")}, {"visits", std::int64_t{3}},
                {"budget", std::string("1250000.50")}, {"renewal", std::string("2027-03-31")},
                {"vip", true}, {"rank", std::string("A")}};
    auto id = db.contacts().create(c).value();
    auto got = db.contacts().get(id).value();
    CHECK(got.custom == c.custom);

    struct Bad { const char* field; FieldValue value; };
    const Bad bad[] = {{"visits", std::string("three")}, {"budget", std::string("1,000")},
                       {"renewal", std::string("2027-02-30")}, {"vip", std::int64_t{1}},
                       {"rank", std::string("S")}, {"unknown", std::string("x")}};
    for (const auto& b : bad) {
        auto r = db.contacts().set_custom(id, b.field, b.value);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == std::string("custom.") + b.field);
    }
    CHECK(db.contacts().get(id).value().custom == c.custom);
}

TEST_CASE("custom fields: definitions are validated and removal is guarded", "[custom][bad-input]") {
    auto db = Db::open(":memory:").value();
    CHECK(db.custom_fields().define(def(Entity::account, "Bad Name", FieldType::text)).error().field == "name");
    CHECK(db.custom_fields().define(def(Entity::account, "tier", FieldType::enumeration)).error().field == "options");
    CHECK(db.custom_fields().define(def(Entity::account, "tier", FieldType::text, {"x"})).error().field == "options");
    REQUIRE(db.custom_fields().define(def(Entity::account, "tier", FieldType::enumeration, {"gold", "silver"})));
    CHECK(db.custom_fields().define(def(Entity::account, "tier", FieldType::text)).error().code == errc::already_exists);

    Account a;
    a.name = "階層 株式会社";
    a.custom = {{"tier", std::string("gold")}};
    auto id = db.accounts().create(a).value();
    CHECK(db.custom_fields().remove(Entity::account, "tier").error().code == errc::constraint_violation);
    REQUIRE(db.accounts().set_custom(id, "tier", std::monostate{}));
    CHECK(db.accounts().get(id).value().custom.empty());
    REQUIRE(db.custom_fields().remove(Entity::account, "tier"));
    CHECK(db.custom_fields().get(Entity::account, "tier").error().code == errc::not_found);
}

TEST_CASE("custom fields: usable in list filters and kept in history", "[custom][list][history]") {
    auto db = Db::open(":memory:").value();
    REQUIRE(db.custom_fields().define(def(Entity::contact, "score", FieldType::integer)));
    REQUIRE(db.custom_fields().define(def(Entity::contact, "budget", FieldType::decimal)));
    std::vector<Id> ids;
    for (int i = 0; i < 10; ++i) {
        Contact c = testing::contact("顧客" + std::to_string(i));
        c.custom = {{"score", std::int64_t{i * 10}}, {"budget", std::to_string(i) + ".5"}};
        ids.push_back(db.contacts().create(c).value());
    }
    ListOptions o;
    o.where = {parse_filter("custom.score>=70").value()};
    auto hi = db.contacts().list(o).value();
    CHECK(hi.items.size() == 3);
    CHECK(db.contacts().count({parse_filter("custom.budget<2.6").value()}).value() == 3);  // 0.5, 1.5, 2.5
    CHECK(db.contacts().count({parse_filter("custom.budget=9.50").value()}).value() == 1);
    CHECK(db.contacts().count({parse_filter("custom.nothing=1").value()}).error().field == "custom.nothing");

    REQUIRE(db.contacts().set_custom(ids[0], "score", std::int64_t{99}));
    auto h = db.contacts().history(ids[0]).value();
    CHECK(h.back().field == "custom.score");
    CHECK(h.back().old_value == "0");
    CHECK(h.back().new_value == "99");
}

TEST_CASE("custom fields: the definitions a connection keeps follow other connections and rollbacks",
          "[custom][cache]") {
    testing::TempDir dir;
    const auto path = dir.file("defs.crm");
    auto a = Db::open(path).value();
    auto b = Db::open(path).value();
    Contact c = testing::contact("キャッシュ");
    const Id id = a.contacts().create(c).value();  // a has read (and kept) the contact definitions: none

    // Another connection defines a field: a sees it on its next read and write.
    CustomFieldDef rank;
    rank.entity = Entity::contact;
    rank.name = "rank";
    rank.type = FieldType::enumeration;
    rank.options = {"A", "B"};
    REQUIRE(b.custom_fields().define(rank));
    REQUIRE(a.contacts().set_custom(id, "rank", std::string("A")));
    CHECK(std::get<std::string>(a.contacts().get(id).value().custom.at("rank")) == "A");

    // A definition rolled back is forgotten with it.
    {
        auto tx = a.begin().value();
        CustomFieldDef temp;
        temp.entity = Entity::contact;
        temp.name = "temp";
        REQUIRE(a.custom_fields().define(temp));
        REQUIRE(a.contacts().set_custom(id, "temp", std::string("x")));
        REQUIRE(tx.rollback());
    }
    auto gone = a.contacts().set_custom(id, "temp", std::string("x"));
    REQUIRE_FALSE(gone);
    CHECK(gone.error().field == "custom.temp");

    // Another connection removes one: a no longer accepts it.
    REQUIRE(a.contacts().set_custom(id, "rank", FieldValue{}));
    REQUIRE(b.custom_fields().remove(Entity::contact, "rank"));
    auto removed = a.contacts().set_custom(id, "rank", std::string("B"));
    REQUIRE_FALSE(removed);
    CHECK(removed.error().field == "custom.rank");
}
