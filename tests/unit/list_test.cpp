// Lists: filters, sorting, keyset pagination, counts, filter parsing.
#include <catch2/catch.hpp>

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
