// Lists: filters, sorting, keyset pagination, counts, filter parsing.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "helpers.hpp"

using namespace crm;

namespace {
Db company() {
    auto db = Db::open(":memory:").value();
    const char* names[] = {"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"};
    for (int i = 0; i < 95; ++i) {
        std::string name = names[i % 10];
        name.append(" ").append(std::to_string(i));
        std::string email = "p";
        email.append(std::to_string(i)).append("@example.jp");
        Contact c = testing::contact(name, email);
        c.lifecycle_stage = i % 3 == 0 ? LifecycleStage::customer : LifecycleStage::lead;
        c.title = i % 2 ? "部長" : "";
        if (i % 5 == 0) c.tags = {"seminar"};
        REQUIRE(db.contacts().create(c));
    }
    return db;
}
}  // namespace

TEST_CASE("filters: parse_filter understands every operator", "[list]") {
    auto f = parse_filter("employee_count>=100").value();
    CHECK(f.field == "employee_count");
    CHECK(f.op == Op::ge);
    CHECK(f.value == "100");
    CHECK(parse_filter("name~山田").value().op == Op::contains);
    CHECK(parse_filter("name^=山").value().op == Op::prefix);
    CHECK(parse_filter("a!=b").value().op == Op::ne);
    CHECK(parse_filter("a<=b").value().op == Op::le);
    CHECK(parse_filter("a<b").value().op == Op::lt);
    CHECK(parse_filter("title?").value().op == Op::not_null);
    CHECK(parse_filter("!title").value().op == Op::is_null);
    CHECK(parse_filter("custom.rank = A").value().value == "A");
    CHECK(parse_filter("no operator").error().code == errc::invalid_argument);
    CHECK(parse_filter("=x").error().code == errc::invalid_argument);
}

TEST_CASE("list: filters combine with AND; tag, text and enum filters", "[list]") {
    auto db = company();
    CHECK(db.contacts().count().value() == 95);
    CHECK(db.contacts().count({parse_filter("lifecycle_stage=customer").value()}).value() == 32);
    CHECK(db.contacts().count({parse_filter("tag=seminar").value()}).value() == 19);
    CHECK(db.contacts().count({parse_filter("tag!=seminar").value()}).value() == 76);
    CHECK(db.contacts().count({parse_filter("name^=佐藤").value()}).value() == 10);
    CHECK(db.contacts().count({parse_filter("name~藤").value()}).value() == 29);  // 佐藤 10, 伊藤 10, 加藤 9
    CHECK(db.contacts().count({parse_filter("title?").value()}).value() == 47);
    CHECK(db.contacts().count({parse_filter("!title").value()}).value() == 48);
    CHECK(db.contacts().count({parse_filter("email~p1").value()}).value() == 11);  // p1, p10..p19
    CHECK(db.contacts().count({parse_filter("lifecycle_stage=customer").value(), parse_filter("tag=seminar").value()})
              .value() == 7);  // i multiple of 15
    // LIKE wildcards in values are literal.
    CHECK(db.contacts().count({parse_filter("name~%").value()}).value() == 0);
    CHECK(db.contacts().count({parse_filter("nosuch=1").value()}).error().field == "nosuch");
    CHECK(db.contacts().count({parse_filter("id=abc").value()}).error().field == "id");
    CHECK(db.contacts().count({parse_filter("created_at>2020-01-01").value()}).value() == 95);
}

TEST_CASE("list: keyset pages cover every row exactly once, in order, both directions", "[list]") {
    auto db = company();
    for (bool desc : {false, true}) {
        ListOptions o;
        o.order_by = "name";
        o.descending = desc;
        o.limit = 7;
        std::vector<std::string> seen;
        std::set<Id> ids;
        int pages = 0;
        do {
            auto page = db.contacts().list(o).value();
            for (auto& c : page.items) {
                seen.push_back(c.name);
                ids.insert(c.id);
            }
            o.after = page.next;
            ++pages;
        } while (!o.after.empty());
        CHECK(pages == 14);
        CHECK(ids.size() == 95);
        auto sorted = seen;
        if (desc) std::sort(sorted.rbegin(), sorted.rend());
        else std::sort(sorted.begin(), sorted.end());
        CHECK(seen == sorted);
    }
}

TEST_CASE("list: sort by a nullable column with ties keeps pages stable", "[list]") {
    auto db = Db::open(":memory:").value();
    for (int i = 0; i < 20; ++i) {
        Account a;
        a.name = "会社" + std::to_string(i);
        if (i % 4) a.employee_count = (i % 3) * 100;  // NULLs and ties
        REQUIRE(db.accounts().create(a));
    }
    ListOptions o;
    o.order_by = "employee_count";
    o.limit = 3;
    std::vector<std::pair<std::int64_t, Id>> keys;
    do {
        auto page = db.accounts().list(o).value();
        for (auto& a : page.items) keys.emplace_back(a.employee_count.value_or(-1), a.id);
        o.after = page.next;
    } while (!o.after.empty());
    REQUIRE(keys.size() == 20);
    CHECK(std::is_sorted(keys.begin(), keys.end()));
}

TEST_CASE("list: bad options are rejected", "[list][bad-input]") {
    auto db = company();
    ListOptions o;
    o.limit = 0;
    CHECK(db.contacts().list(o).error().field == "limit");
    o.limit = 10;
    o.order_by = "phone";  // not sortable
    CHECK(db.contacts().list(o).error().field == "order_by");
    o.order_by = "name";
    o.after = "not a cursor";
    CHECK(db.contacts().list(o).error().field == "after");
}

namespace {
// The smallest valid document of each kind, given a user, an account, a contact, a
// product, a pipeline with a stage: the record whose optional fields are all unset.
std::string minimal(Entity e, const std::map<std::string, Id>& ids) {
    auto id = [&](const char* k) { return std::to_string(ids.at(k)); };
    switch (e) {
        case Entity::user: return R"({"name":"最小 ユーザー","email":"min-user@example.jp"})";
        case Entity::team: return R"({"name":"最小チーム"})";
        case Entity::account: return R"({"name":"最小商事"})";
        case Entity::contact: return R"({"name":"最小 太郎"})";
        case Entity::product: return R"({"name":"最小製品"})";
        case Entity::campaign: return R"({"name":"最小キャンペーン"})";
        case Entity::pipeline: return R"({"name":"最小パイプライン","stages":[{"name":"初回"}]})";
        case Entity::deal:
            return R"({"name":"最小案件","pipeline_id":)" + id("pipeline") + R"(,"stage_id":)" + id("stage") + "}";
        case Entity::interaction: return R"({"kind":"note"})";
        case Entity::ticket: return R"({"subject":"最小の問い合わせ"})";
        case Entity::task: return R"({"title":"最小のタスク"})";
        case Entity::document: return R"({"name":"最小の資料"})";
        case Entity::segment: return R"({"name":"最小セグメント","definition":"name?"})";
    }
    return "{}";
}

// Whether a field of a record's document holds no value: null, "", [] or {}.
bool unset(const nlohmann::json& doc, std::string_view key) {
    const nlohmann::json* at = &doc;
    std::string k(key);
    for (std::size_t dot; (dot = k.find('.')) != std::string::npos; k = k.substr(dot + 1)) {
        if (!at->contains(k.substr(0, dot))) return true;
        at = &(*at)[k.substr(0, dot)];
    }
    if (!at->contains(k)) return true;
    const auto& v = (*at)[k];
    return v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()) ||
           (v.is_object() && v.empty());
}

ListOptions where(const std::string& filter) {
    ListOptions o;
    o.where = {parse_filter(filter).value()};
    return o;
}

// A value of the field's type to compare with.
std::string sample_value(const FieldInfo& f) {
    switch (f.type) {
        case ValueType::integer: case ValueType::reference: case ValueType::references: case ValueType::money: return "1";
        case ValueType::time: return "2000-01-01T00:00:00Z";
        case ValueType::date: return "2000-01-01";
        case ValueType::boolean: return "true";
        case ValueType::enumeration: return f.values.empty() ? "x" : f.values[0];
        default: return "m";
    }
}
}  // namespace

TEST_CASE("filters: an unset field never satisfies a comparison, on every filterable field of every kind",
          "[list][registry]") {
    auto db = Db::open(":memory:").value();
    std::map<std::string, Id> ids;
    ids["pipeline"] = db.records(Entity::pipeline).create(R"({"name":"営業","stages":[{"name":"初回"}]})").value();
    ids["stage"] = db.pipelines().get(ids["pipeline"]).value().stages.at(0).id;
    std::size_t checked = 0;
    for (const EntityInfo* k : entity_kinds()) {
        auto rec = db.records(k->entity);
        const Id id = rec.create(minimal(k->entity, ids)).value();
        const auto doc = nlohmann::json::parse(rec.get(id).value());
        for (const FieldInfo& f : k->fields) {
            if (!f.has(cap_filter) || f.type == ValueType::custom || f.type == ValueType::tags) continue;
            if (!unset(doc, f.key)) continue;  // set in the smallest record: nothing to learn here
            INFO(k->name << "." << f.key);
            const std::string field(f.key), value = sample_value(f);
            for (const char* op : {"=", "!=", "<", "<=", ">", ">="}) {
                if (f.type == ValueType::list && f.parts.empty() && std::string(op) != "=" && std::string(op) != "!=")
                    continue;
                auto filter = parse_filter(field + op + value);
                REQUIRE(filter);
                ListOptions o;
                o.where = {filter.value()};
                const auto page = rec.list(o);
                if (!page) continue;  // an operator the field does not take: refused, fine
                const auto& items = page.value().items;
                for (const auto& item : items) CHECK(nlohmann::json::parse(item)["id"].get<Id>() != id);
                ++checked;
            }
            // Presence: "!field" finds it, "field?" does not.
            ListOptions absent;
            absent.where = {parse_filter("!" + field).value()};
            const auto a = rec.list(absent);
            INFO((a ? std::string() : a.error().message));
            REQUIRE(a);
            bool found = false;
            for (const auto& item : a.value().items) found |= nlohmann::json::parse(item)["id"].get<Id>() == id;
            CHECK(found);
            ListOptions present;
            present.where = {parse_filter(field + "?").value()};
            const auto with = rec.list(present).value();
            for (const auto& item : with.items) CHECK(nlohmann::json::parse(item)["id"].get<Id>() != id);
        }
    }
    CHECK(checked > 100);  // the loop reached the kinds' optional fields
}

TEST_CASE("filters: multi-valued fields match any element, emails case-insensitively", "[list]") {
    auto db = Db::open(":memory:").value();
    Contact c = testing::contact("山田 太郎", "taro@example.jp");
    c.emails.push_back({"HANA@Example.JP", "home", false});
    c.phones = {{"03-1234-5678", "work", true}, {"090-1111-2222", "mobile", false}};
    c.tags = {"展示会", "VIP"};
    const Id taro = db.contacts().create(c).value();
    const Id other = db.contacts().create(testing::contact("佐藤 花子", "sato@example.jp")).value();
    auto count = [&](const std::string& f) { return db.contacts().count({parse_filter(f).value()}).value(); };
    CHECK(count("email=taro@example.jp") == 1);
    CHECK(count("email=hana@example.jp") == 1);      // the secondary address
    CHECK(count("email=HANA@Example.JP") == 1);      // stored exactly so
    CHECK(count("email=Taro@EXAMPLE.jp") == 1);      // any case, as the unique index compares
    CHECK(count("email!=hana@example.jp") == 1);     // no element equals it: only 佐藤
    CHECK(count("email^=HANA") == 1);
    CHECK(count("phone=090-1111-2222") == 1);
    CHECK(count("tag=VIP") == 1);
    CHECK(count("tag!=VIP") == 1);
    auto page = db.contacts().list(where("email=hana@example.jp")).value();
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].id == taro);
    CHECK(db.contacts().list(where("email!=hana@example.jp")).value().items.at(0).id == other);

    // Interactions linked to several contacts: a filter on contact_ids matches any of them.
    Interaction i;
    i.kind = "meeting";
    i.contact_ids = {taro, other};
    const Id meeting = db.interactions().create(i).value();
    for (Id who : {taro, other}) {
        auto m = db.interactions().list(where("contact_ids=" + std::to_string(who))).value();
        REQUIRE(m.items.size() == 1);
        CHECK(m.items[0].id == meeting);
    }
}
