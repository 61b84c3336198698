// import_test.cpp — crm::import: CSV and JSON lines in, export out, dedup on import,
// reject files, dry runs and undo (docs/import.md).
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "helpers.hpp"

using nlohmann::json;
namespace imp = crm::import;

namespace {

struct Fixture {
    testing::TempDir dir;
    std::string path = dir.file("crm.db");
    crm::Db db = crm::Db::open(path).value();

    imp::Mapping mapping(const std::string& text) {
        auto m = imp::parse_mapping(text);
        INFO(text);
        if (!m) FAIL(m.error().message);
        return m.value();
    }
    imp::Report run(const std::string& mapping_text, const std::string& csv, imp::Options o = {}) {
        std::istringstream in(csv);
        auto r = db.imports().run(mapping(mapping_text), in, o);
        if (!r) FAIL(r.error().message);
        return r.value();
    }
    json contact(crm::Id id) { return json::parse(db.records(crm::Entity::contact).get(id).value()); }
    json only(crm::Entity e, const std::string& where) {
        crm::ListOptions lo;
        lo.where.push_back(crm::parse_filter(where).value());
        auto page = db.records(e).list(lo).value();
        REQUIRE(page.items.size() == 1);
        return json::parse(page.items[0]);
    }
    std::int64_t count(crm::Entity e) { return db.records(e).count().value(); }
    std::string file(const std::string& name, const std::string& bytes) {
        auto p = dir.file(name);
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    std::string read(const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

const char* kContacts = R"({"kind": "contact", "fields": [
    {"column": "氏名", "field": "name"},
    {"column": "フリガナ", "field": "name_reading"},
    {"column": "メール", "field": "emails", "label": "work"},
    {"column": "電話", "field": "phones", "label": "work"},
    {"column": "会社", "field": "account_id", "by": "name", "missing": "create"},
    {"column": "役職", "field": "title"},
    {"column": "誕生日", "field": "birthday"},
    {"column": "ランク", "field": "custom.rank"},
    {"column": "タグ", "field": "tags"},
    {"field": "lead_source", "value": "名刺"}],
  "define": [{"name": "rank", "type": "enum", "options": ["A", "B", "C"], "label": "ランク"}]})";

const char* kCards =
    "氏名,フリガナ,メール,電話,会社,役職,誕生日,ランク,タグ\r\n"
    "山田 太郎,やまだ たろう,taro@example.jp,03-1234-5678,㈱山田商事,部長,1980/4/1,A,展示会;VIP\r\n"
    "鈴木 花子,スズキ ハナコ,hanako@example.jp,090-1111-2222,㈱山田商事,課長,,B,展示会\r\n"
    "\"田中, 一郎\",タナカ イチロウ,ichiro@example.com,,\"Acme, Inc.\",\"CTO\nEngineering\",1975年12月3日,,\r\n";

}  // namespace

TEST_CASE("a CSV of business cards becomes contacts, accounts by name, custom values and tags", "[import]") {
    Fixture f;
    auto r = f.run(kContacts, kCards);
    CHECK(r.rows == 3);
    CHECK(r.created == 3);
    CHECK(r.rejected == 0);
    CHECK(r.references_created == 2);  // ㈱山田商事 once, Acme, Inc.
    CHECK(r.batch_id > 0);
    CHECK(r.source_sha256.size() == 64);
    CHECK(f.count(crm::Entity::account) == 2);

    auto taro = f.only(crm::Entity::contact, "name=山田 太郎");
    CHECK(taro["name_reading"] == "やまだ たろう");
    CHECK(taro["emails"][0]["address"] == "taro@example.jp");
    CHECK(taro["emails"][0]["label"] == "work");
    CHECK(taro["phones"][0]["number"] == "03-1234-5678");
    CHECK(taro["birthday"] == "1980-04-01");
    CHECK(taro["custom"]["rank"] == "A");
    CHECK(taro["tags"] == json::array({"VIP", "展示会"}));
    CHECK(taro["lead_source"] == "名刺");
    auto hanako = f.only(crm::Entity::contact, "name=鈴木 花子");
    CHECK(hanako["account_id"] == taro["account_id"]);
    auto ichiro = f.only(crm::Entity::contact, "name=田中, 一郎");
    CHECK(ichiro["title"] == "CTO\nEngineering");
    CHECK(ichiro["birthday"] == "1975-12-03");
    auto acme = f.only(crm::Entity::account, "name=Acme, Inc.");
    CHECK(ichiro["account_id"] == acme["id"]);

    auto batch = f.db.imports().get(r.batch_id).value();
    CHECK(batch.kind == crm::Entity::contact);
    CHECK(batch.rows == 3);
    CHECK(batch.created == 3);
    CHECK(batch.references_created == 2);
    CHECK(batch.finished_at > 0);
    CHECK(batch.source_sha256 == r.source_sha256);
}

TEST_CASE("refused rows go to the reject file with line, column and reason; nothing of them is written", "[import]") {
    Fixture f;
    const auto csv = std::string(
        "氏名,メール,会社,誕生日\n"
        "良い 人,good@example.jp,新しい会社,1990-01-01\n"
        "悪い 日付,bad-date@example.jp,別の新会社,1990-13-45\n"
        "悪い メール,not-an-email,三番目の会社,\n"
        ",noname@example.jp,四番目の会社,\n");
    const auto rejects = f.dir.file("rejects.csv");
    imp::Options o;
    o.reject_path = rejects;
    auto r = f.run(R"({"kind": "contact", "fields": [
        {"column": "氏名", "field": "name"}, {"column": "メール", "field": "emails"},
        {"column": "会社", "field": "account_id", "by": "name", "missing": "create"},
        {"column": "誕生日", "field": "birthday"}]})",
                   csv, o);
    CHECK(r.created == 1);
    CHECK(r.rejected == 3);
    CHECK(r.references_created == 1);  // the refused rows' accounts are not counted: they were rolled back
    REQUIRE(r.rejects.size() == 3);
    CHECK(r.rejects[0].line == 3);
    CHECK(r.rejects[0].column == "誕生日");
    CHECK_THAT(r.rejects[0].reason, Catch::Contains("1990-13-45"));
    CHECK(r.rejects[1].line == 4);
    CHECK_THAT(r.rejects[1].reason, Catch::Contains("not-an-email"));
    CHECK(r.rejects[2].line == 5);
    CHECK_THAT(r.rejects[2].column + r.rejects[2].reason, Catch::Contains("name"));
    // Only the good row's account exists: the accounts created for refused rows were rolled back with them.
    CHECK(f.count(crm::Entity::account) == 1);
    CHECK(f.count(crm::Entity::contact) == 1);

    // The reject file has the input's columns and why; fixed, it imports.
    auto text = f.read(rejects);
    CHECK_THAT(text, Catch::StartsWith("氏名,メール,会社,誕生日,crm_line,crm_column,crm_reason\r\n"));
    CHECK_THAT(text, Catch::Contains("悪い 日付,bad-date@example.jp,別の新会社,1990-13-45,3,誕生日,"));
    std::string fixed = text;
    fixed.replace(fixed.find("1990-13-45"), 10, "1990-12-25");
    fixed.replace(fixed.find("not-an-email"), 12, "ok@example.jp");
    fixed.replace(fixed.find("\r\n,noname"), 9, "\r\n名前 あり,noname");
    auto again = f.run(R"({"kind": "contact", "fields": [
        {"column": "氏名", "field": "name"}, {"column": "メール", "field": "emails"},
        {"column": "会社", "field": "account_id", "by": "name", "missing": "create"},
        {"column": "誕生日", "field": "birthday"}]})",
                       fixed);
    CHECK(again.created == 3);
    CHECK(again.rejected == 0);
    CHECK(again.unmapped_columns == std::vector<std::string>{"crm_line", "crm_column", "crm_reason"});
    CHECK(f.count(crm::Entity::contact) == 4);
}

TEST_CASE("a dry run reports what would happen and writes nothing", "[import]") {
    Fixture f;
    const auto before = testing::dump(f.path);
    imp::Options o;
    o.dry_run = true;
    auto dry = f.run(kContacts, kCards, o);
    CHECK(dry.dry_run);
    CHECK(dry.batch_id == 0);
    CHECK(dry.created == 3);
    CHECK(dry.references_created == 2);
    CHECK(testing::dump(f.path) == before);
    CHECK(f.db.imports().list().value().empty());
    // The custom field the mapping defines was rolled back too; the real run creates it.
    auto real = f.run(kContacts, kCards);
    CHECK(real.created == dry.created);
    CHECK(real.references_created == dry.references_created);
}

TEST_CASE("dedup on import: email, phone, external id, name and company; skip, update, merge", "[import]") {
    Fixture f;
    auto acct = f.db.records(crm::Entity::account).create(R"({"name": "山田商事株式会社"})").value();
    auto id = f.db.records(crm::Entity::contact)
                  .create(fmt::format(R"({{"name": "山田 太郎", "emails": [{{"address": "TARO@Example.JP"}}],
                      "phones": [{{"number": "+81 3 1234 5678"}}], "title": "部長", "department": "営業部",
                      "account_id": {}}})", acct))
                  .value();
    const std::string rules = R"("fields": [{"column": "name", "field": "name"}, {"column": "email", "field": "emails"},
        {"column": "phone", "field": "phones"}, {"column": "company", "field": "account_id", "by": "name", "missing": "create"},
        {"column": "title", "field": "title"}, {"column": "department", "field": "department"}])";
    const std::string csv = "name,email,phone,company,title,department\n"
                            "山田 太郎,taro@example.jp,,,本部長,\n";

    SECTION("skip keeps the record as it is") {
        auto r = f.run(R"({"kind": "contact", "match": ["email"], "on_duplicate": "skip", )" + rules + "}", csv);
        CHECK(r.skipped == 1);
        CHECK(r.created == 0);
        CHECK(f.contact(id)["title"] == "部長");
    }
    SECTION("update overwrites with what the row has and never erases with an empty cell") {
        auto r = f.run(R"({"kind": "contact", "match": ["email"], "on_duplicate": "update", )" + rules + "}", csv);
        CHECK(r.updated == 1);
        auto c = f.contact(id);
        CHECK(c["title"] == "本部長");
        CHECK(c["department"] == "営業部");         // the empty cell did not erase it
        CHECK(c["emails"].size() == 1);              // the same address in another case is not added
        CHECK(c["account_id"] == acct);
        // The same file again changes nothing.
        auto again = f.run(R"({"kind": "contact", "match": ["email"], "on_duplicate": "update", )" + rules + "}", csv);
        CHECK(again.unchanged == 1);
        CHECK(again.updated == 0);
    }
    SECTION("merge only fills what is empty and adds new list elements") {
        auto r = f.run(R"({"kind": "contact", "match": ["phone"], "on_duplicate": "merge", )" + rules + "}",
                       "name,email,phone,company,title,department\n山田 太郎,taro.yamada@example.jp,03-1234-5678,,本部長,\n");
        CHECK(r.updated == 1);
        auto c = f.contact(id);
        CHECK(c["title"] == "部長");
        REQUIRE(c["emails"].size() == 2);
        CHECK(c["emails"][1]["address"] == "taro.yamada@example.jp");
        CHECK(c["phones"].size() == 1);  // 03-1234-5678 is +81 3 1234 5678
    }
    SECTION("name and company: the legal form and width do not matter") {
        auto r = f.run(R"({"kind": "contact", "match": ["name_company"], "on_duplicate": "update", )" + rules + "}",
                       "name,email,phone,company,title,department\n山田　太郎,,,㈱山田商事,社長,\n");
        CHECK(r.updated == 1);
        CHECK(r.references_created == 0);
        CHECK(f.contact(id)["title"] == "社長");
    }
    SECTION("rows of the same file match each other") {
        auto r = f.run(R"({"kind": "contact", "match": ["email"], "on_duplicate": "update", )" + rules + "}",
                       "name,email,phone,company,title,department\n"
                       "佐藤 次郎,jiro@example.jp,,,,\n"
                       "佐藤 次郎,JIRO@example.jp,,,課長,\n");
        CHECK(r.created == 1);
        CHECK(r.updated == 1);
        CHECK(f.only(crm::Entity::contact, "name=佐藤 次郎")["title"] == "課長");
    }
    SECTION("a row that matches two records is refused, naming both") {
        f.db.records(crm::Entity::contact).create(R"({"name": "別人", "emails": [{"address": "other@example.jp"}]})").value();
        auto r = f.run(R"({"kind": "contact", "match": ["email", "phone"], "on_duplicate": "update", )" + rules + "}",
                       "name,email,phone,company,title,department\n山田 太郎,other@example.jp,03-1234-5678,,,\n");
        CHECK(r.rejected == 1);
        REQUIRE(r.rejects.size() == 1);
        CHECK_THAT(r.rejects[0].reason, Catch::Contains("contact " + std::to_string(id)));
        CHECK_THAT(r.rejects[0].reason, Catch::Contains("email") && Catch::Contains("phone"));
    }
}

TEST_CASE("undo removes what a batch created and restores what it updated", "[import]") {
    Fixture f;
    auto id = f.db.records(crm::Entity::contact)
                  .create(R"({"name": "既存 顧客", "emails": [{"address": "known@example.jp"}], "title": "主任"})")
                  .value();
    const auto before = f.contact(id);
    const auto mapping = R"({"kind": "contact", "match": ["email"], "on_duplicate": "update", "fields": [
        {"column": "name", "field": "name"}, {"column": "email", "field": "emails"}, {"column": "title", "field": "title"},
        {"column": "company", "field": "account_id", "by": "name", "missing": "create"}]})";
    auto r = f.run(mapping, "name,email,title,company\n既存 顧客,known@example.jp,係長,新会社\n新規 顧客,new@example.jp,,新会社\n");
    CHECK(r.created == 1);
    CHECK(r.updated == 1);
    CHECK(f.count(crm::Entity::account) == 1);

    SECTION("undo") {
        auto u = f.db.imports().undo(r.batch_id);
        REQUIRE(u);
        CHECK(u.value().removed == 2);  // the new contact and the account created for it
        CHECK(u.value().restored == 1);
        CHECK(f.count(crm::Entity::contact) == 1);
        CHECK(f.count(crm::Entity::account) == 0);
        auto now = f.contact(id);
        CHECK(now["title"] == before["title"]);
        CHECK(now["account_id"] == before["account_id"]);
        CHECK(f.db.imports().get(r.batch_id).value().undone_at > 0);
        auto twice = f.db.imports().undo(r.batch_id);
        REQUIRE_FALSE(twice);
        CHECK(twice.error().code == crm::errc::constraint_violation);
    }
    SECTION("a field changed again after the import stops undo, unless forced") {
        f.db.records(crm::Entity::contact).patch(id, R"({"title": "課長"})").value();
        const auto dumped = testing::dump(f.path);
        auto u = f.db.imports().undo(r.batch_id);
        REQUIRE_FALSE(u);
        CHECK(u.error().code == crm::errc::constraint_violation);
        CHECK_THAT(u.error().message, Catch::Contains("title"));
        CHECK(testing::dump(f.path) == dumped);
        auto forced = f.db.imports().undo(r.batch_id, true);
        REQUIRE(forced);
        CHECK(f.contact(id)["title"] == "主任");
    }
    SECTION("an unknown batch") {
        auto u = f.db.imports().undo(r.batch_id + 100);
        REQUIRE_FALSE(u);
        CHECK(u.error().code == crm::errc::not_found);
    }
}

TEST_CASE("mappings that cannot work are refused before anything is written", "[import]") {
    Fixture f;
    auto bad = [](const std::string& text, const std::string& needle) {
        auto m = imp::parse_mapping(text);
        INFO(text);
        REQUIRE_FALSE(m);
        CHECK(m.error().code == crm::errc::invalid_argument);
        CHECK_THAT(m.error().message, Catch::Contains(needle));
    };
    bad(R"({"kind": "contact", "fields": [{"column": "a", "field": "nosuch"}]})", "no field 'nosuch'");
    bad(R"({"kind": "contact", "fields": [{"column": "a", "field": "name"}, {"column": "b", "field": "name"}]})", "mapped twice");
    bad(R"({"kind": "contact", "fields": [{"column": "a", "field": "title", "by": "name"}]})", "not a reference");
    bad(R"({"kind": "contact", "fields": [{"column": "a", "field": "name", "value": "x"}]})", "exactly one");
    bad(R"({"kind": "contact", "fields": [{"column": "a", "field": "name"}], "colour": 1})", "colour");
    bad(R"({"kind": "nosuch", "fields": []})", "not a kind");
    bad(R"({"kind": "contact", "fields": [{"field": "name", "template": "{a"}]})", "without its");
    bad(R"({"kind": "contact", "fields": [{"column": "a", "field": "name"}], "on_duplicate": "update"})", "match keys");
    bad(R"({"kind": "contact", "fields": [{"column": "a", "field": "name", "column": "b"}]})", "twice");
    bad(R"({"kind": "deal", "fields": [{"column": "a", "field": "status"}]})", "not set from imported data");

    // Fits the grammar, not the file: a column the file does not have.
    const auto before = testing::dump(f.path);
    std::istringstream in("name,mail\nA,a@example.jp\n");
    auto r = f.db.imports().run(f.mapping(R"({"kind": "contact", "fields": [{"column": "氏名", "field": "name"}]})"), in);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("氏名") && Catch::Contains("name, mail"));
    CHECK(testing::dump(f.path) == before);
    // A custom field that does not exist.
    std::istringstream in2("name,rank\nA,1\n");
    auto r2 = f.db.imports().run(f.mapping(R"({"kind": "contact", "fields": [{"column": "name", "field": "name"},
        {"column": "rank", "field": "custom.rank"}]})"), in2);
    REQUIRE_FALSE(r2);
    CHECK_THAT(r2.error().message, Catch::Contains("custom field 'rank'"));
    CHECK(testing::dump(f.path) == before);
}

TEST_CASE("input that cannot be read stops the import at its line; the rows before it stay in the batch", "[import]") {
    Fixture f;
    std::istringstream in("name,email\nA,a@example.jp\nB,b@example.jp\n\"C,c@example.jp\n");
    auto r = f.db.imports().run(
        f.mapping(R"({"kind": "contact", "fields": [{"column": "name", "field": "name"}, {"column": "email", "field": "emails"}]})"),
        in);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("line 4"));
    CHECK(f.count(crm::Entity::contact) == 2);
    auto batches = f.db.imports().list().value();
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].finished_at == 0);  // interrupted
    CHECK(batches[0].created == 2);
    REQUIRE(f.db.imports().undo(batches[0].id));
    CHECK(f.count(crm::Entity::contact) == 0);
}

TEST_CASE("CP932 input and JSON lines", "[import]") {
    Fixture f;
    // 氏名,会社 / 髙橋 一,㈱テスト in CP932.
    const std::string cp932 = "\x8e\x81\x96\xbc,\x89\xef\x8e\xd0\r\n\xfb\xfc\x8b\xb4 \x88\xea,\x87\x8a\x83\x65\x83\x58\x83\x67\r\n";
    auto r = f.run(R"({"kind": "contact", "csv": {"encoding": "cp932"}, "fields": [{"column": "氏名", "field": "name"},
        {"column": "会社", "field": "account_id", "by": "name", "missing": "create"}]})", cp932);
    CHECK(r.created == 1);
    CHECK(f.only(crm::Entity::account, "name=㈱テスト")["name"] == "㈱テスト");
    CHECK(f.count(crm::Entity::contact) == 1);

    imp::Options o;
    o.format = imp::Format::jsonl;
    auto j = f.run(R"({"kind": "contact", "fields": [{"column": "name", "field": "name"},
        {"column": "address.city", "field": "address.city"}, {"column": "employees", "field": "custom.size"},
        {"column": "emails", "field": "emails"}],
        "define": [{"name": "size", "type": "integer"}]})",
                   "{\"name\": \"JSON 太郎\", \"address\": {\"city\": \"渋谷区\"}, \"employees\": 12,"
                   " \"emails\": [{\"address\": \"j@example.jp\", \"label\": \"home\"}]}\n"
                   "\n"
                   "not json\n"
                   "{\"name\": \"JSON 花子\", \"employees\": \"many\"}\n",
                   o);
    CHECK(j.created == 1);
    CHECK(j.rejected == 2);
    REQUIRE(j.rejects.size() == 2);
    CHECK(j.rejects[0].line == 3);
    CHECK(j.rejects[1].line == 4);
    CHECK(j.rejects[1].column == "employees");
    auto c = f.only(crm::Entity::contact, "name=JSON 太郎");
    CHECK(c["address"]["city"] == "渋谷区");
    CHECK(c["custom"]["size"] == 12);
    CHECK(c["emails"][0]["label"] == "home");
}

TEST_CASE("deals: pipeline and stage by name, a dated move, a product by an alias, amounts in USD", "[import]") {
    Fixture f;
    auto pipeline = f.db.records(crm::Entity::pipeline)
                        .create(R"({"name": "Sales", "stages": [{"name": "Prospecting", "probability": 10},
                            {"name": "Engaging", "probability": 50}, {"name": "Won", "probability": 100, "kind": "won"},
                            {"name": "Lost", "probability": 0, "kind": "lost"}]})")
                        .value();
    (void)pipeline;
    f.db.deals().define_lost_reason("Not recorded").value();
    f.db.records(crm::Entity::product).create(R"({"name": "GTX Pro", "list_price": {"amount": 482100, "currency": "USD"}})").value();
    f.db.records(crm::Entity::user).create(R"({"name": "Moses Frase", "email": "moses@example.com"})").value();
    const auto mapping = R"({"kind": "deal", "currency": "USD", "match": ["external_id"], "on_duplicate": "update", "fields": [
        {"column": "opportunity_id", "field": "external_id"},
        {"field": "name", "template": "{product} / {account}"},
        {"field": "pipeline_id", "value": "Sales", "by": "name"},
        {"column": "deal_stage", "field": "stage_id", "by": "name", "at": "close_date", "from": "Engaging"},
        {"column": "sales_agent", "field": "owner_id", "by": "name"},
        {"column": "account", "field": "account_id", "by": "name", "missing": "create"},
        {"column": "product", "field": "line_items.product_id", "by": "name", "values": {"GTXPro": "GTX Pro"}},
        {"column": "close_value", "field": "line_items.unit_price"},
        {"column": "engage_date", "field": "created_at"},
        {"field": "lost_reason", "value": "Not recorded"}]})";
    auto r = f.run(mapping,
                   "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
                   "Z063OYW0,Moses Frase,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514\n"
                   "AAAA0001,Moses Frase,GTX Pro,,Engaging,2017-01-05,,\n"
                   "AAAA0002,Moses Frase,GTX Pro,Isdom,Lost,2017-01-05,2017-02-01,0\n"
                   "AAAA0003,Nobody Known,GTX Pro,Isdom,Won,2017-01-05,2017-02-01,1\n");
    CHECK(r.created == 3);
    CHECK(r.rejected == 1);
    REQUIRE(r.rejects.size() == 1);
    CHECK(r.rejects[0].column == "sales_agent");
    CHECK_THAT(r.rejects[0].reason, Catch::Contains("Nobody Known"));

    auto won = f.only(crm::Entity::deal, "external_id=Z063OYW0");
    CHECK(won["name"] == "GTXPro / Isdom");
    CHECK(won["status"] == "won");
    CHECK(won["amount"] == json{{"amount", 451400}, {"currency", "USD"}});
    CHECK(won["created_at"] == "2016-10-25T00:00:00.000Z");
    CHECK(won["closed_at"] == "2017-03-11T00:00:00.000Z");
    auto stages = f.db.deals().stage_history(won["id"].get<crm::Id>()).value();
    REQUIRE(stages.size() == 2);
    CHECK(crm::format_iso8601(stages[0].at) == "2016-10-25T00:00:00.000Z");
    CHECK(crm::format_iso8601(stages[1].at) == "2017-03-11T00:00:00.000Z");

    auto open = f.only(crm::Entity::deal, "external_id=AAAA0001");
    CHECK(open["status"] == "open");
    CHECK(open["account_id"].is_null());
    CHECK(open["amount"] == json{{"amount", 482100}, {"currency", "USD"}});  // the list price

    auto lost = f.only(crm::Entity::deal, "external_id=AAAA0002");
    CHECK(lost["status"] == "lost");
    CHECK(lost["lost_reason"] == "Not recorded");
    CHECK(lost["amount"]["amount"] == 0);
    CHECK(f.count(crm::Entity::account) == 1);

    // Importing the same file again with update: nothing changes.
    auto again = f.run(mapping,
                       "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
                       "Z063OYW0,Moses Frase,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514\n");
    CHECK(again.unchanged == 1);
}

TEST_CASE("export then import into an empty database gives the same records", "[import]") {
    Fixture f;
    f.db.custom_fields().define({0, crm::Entity::contact, "rank", "", crm::FieldType::enumeration, {"A", "B"}}).value();
    auto acct = f.db.records(crm::Entity::account).create(R"({"name": "株式会社サンプル", "external_id": "A-1"})").value();
    f.db.records(crm::Entity::contact)
        .create(fmt::format(R"J({{"name": "山田 太郎", "name_reading": "ヤマダ タロウ", "account_id": {},
            "emails": [{{"address": "taro@example.jp", "label": "work"}}, {{"address": "t@home.example", "label": "home"}}],
            "phones": [{{"number": "03-1234-5678", "label": "work"}}], "address": {{"city": "千代田区", "country": "JP"}},
            "title": "=SUM(A1)", "tags": ["VIP", "展示会"], "custom": {{"rank": "A"}}, "birthday": "1980-04-01",
            "consent": {{"email": true}}, "lifecycle_stage": "mql", "created_at": "2020-01-02T03:04:05.000Z"}})J", acct))
        .value();
    f.db.records(crm::Entity::contact).create(R"({"name": "Jane \"JJ\" Doe", "title": "line1\nline2, with comma"})").value();

    const auto mapping = R"({"kind": "contact", "auto_columns": true, "fields": [
        {"column": "account", "field": "account_id", "by": "external_id"}]})";
    for (auto format : {imp::Format::csv, imp::Format::jsonl}) {
        std::ostringstream out;
        imp::ExportOptions eo;
        eo.format = format;
        auto n = f.db.imports().export_to(f.mapping(mapping), out, eo);
        REQUIRE(n);
        CHECK(n.value() == 2);

        Fixture g;
        g.db.custom_fields().define({0, crm::Entity::contact, "rank", "", crm::FieldType::enumeration, {"A", "B"}}).value();
        g.db.records(crm::Entity::account).create(R"({"name": "株式会社サンプル", "external_id": "A-1"})").value();
        imp::Options o;
        o.format = format;
        auto r = g.run(mapping, out.str(), o);
        INFO(out.str());
        CHECK(r.created == 2);
        CHECK(r.rejected == 0);
        auto strip = [](json d) {
            d.erase("id");
            d.erase("updated_at");
            return d;
        };
        for (crm::Id id : {1, 2}) {
            auto a = strip(f.contact(id)), b = strip(g.contact(id));
            if (id == 2) {  // created now: the second database made it later
                a.erase("created_at");
                b.erase("created_at");
            }
            CHECK(a.dump() == b.dump());
        }
    }

    // For spreadsheets: formulas neutralised (and so not for re-import).
    std::ostringstream sheet;
    imp::ExportOptions eo;
    eo.csv.neutralize_formulas = true;
    REQUIRE(f.db.imports().export_to(f.mapping(mapping), sheet, eo));
    CHECK_THAT(sheet.str(), Catch::Contains(",'=SUM(A1),"));
}

TEST_CASE("circular parent accounts and oversized cells are refused with their line", "[import]") {
    Fixture f;
    // A is B's parent and B is A's: the second link would close a cycle, so its row is refused.
    auto r = f.run(R"({"kind": "account", "match": ["name"], "on_duplicate": "update", "fields": [
        {"column": "name", "field": "name"}, {"column": "parent", "field": "parent_id", "by": "name", "missing": "create"}]})",
                   "name,parent\nA社,B社\nB社,A社\nC社,C社\n");
    CHECK(r.created == 1);            // A社 (B社 was created as its parent)
    CHECK(r.references_created == 1);
    CHECK(r.rejected == 2);           // B社 → A社 closes a cycle; C社 would be its own parent
    REQUIRE(r.rejects.size() == 2);
    CHECK(r.rejects[0].line == 3);
    CHECK(r.rejects[0].column == "parent_id");
    CHECK(r.rejects[1].line == 4);
    auto b = f.only(crm::Entity::account, "name=B社");
    CHECK(b["parent_id"].is_null());  // left as it was
    CHECK(f.count(crm::Entity::account) == 2);

    // A cell over the limit stops the run at its line and column; the rows before it stay.
    std::istringstream in("name\nfirst\n" + std::string(5000, 'x') + "\nlast\n");
    auto big = f.db.imports().run(f.mapping(R"({"kind": "account", "csv": {"max_cell_bytes": 1024},
        "fields": [{"column": "name", "field": "name"}]})"), in);
    REQUIRE_FALSE(big);
    CHECK(big.error().code == crm::errc::invalid_argument);
    CHECK_THAT(big.error().message, Catch::Contains("line 3"));
    CHECK(f.count(crm::Entity::account) == 3);  // "first" went in before the bad line
}
