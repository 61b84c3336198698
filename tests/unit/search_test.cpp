// Full-text search (crm/search.hpp, docs/search.md): Japanese and English matching,
// short queries, the index kept in step with every write (rollback, update, delete,
// ingest), structured filters, user text never taken as FTS5 syntax, bounds,
// rebuild equal to the incremental index, and an upgraded file searchable at once.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "helpers.hpp"
#include "old_versions.hpp"
#include "store/search_store.hpp"

using namespace crm;

namespace {

struct World {
    Db db = Db::open(":memory:").value();
    Id hayashi = 0, kobayashi = 0, tanaka_mql = 0, tanaka_lead = 0, yamada = 0;
    Id sample_kk = 0, abc = 0;
    Id meeting = 0, locked = 0, quote = 0;

    World() {
        Contact c;
        c.name = "林 太郎";
        c.name_reading = "はやし たろう";
        hayashi = db.contacts().create(c).value();
        c = {};
        c.name = "小林 花子";
        c.name_reading = "こばやし はなこ";
        c.title = "営業部長";
        kobayashi = db.contacts().create(c).value();
        c = {};
        c.name = "田中 一郎";
        c.lifecycle_stage = LifecycleStage::mql;
        tanaka_mql = db.contacts().create(c).value();
        c = {};
        c.name = "田中 二郎";
        c.lifecycle_stage = LifecycleStage::lead;
        tanaka_lead = db.contacts().create(c).value();
        c = {};
        c.name = "山田 次郎";
        c.name_reading = "やまだ じろう";  // hiragana reading; found by katakana
        yamada = db.contacts().create(c).value();

        Account a;
        a.name = "株式会社サンプル";
        a.name_reading = "サンプル";
        sample_kk = db.accounts().create(a).value();
        a = {};
        a.name = "ABC Trading";
        abc = db.accounts().create(a).value();

        Interaction i;
        i.kind = "meeting";
        i.occurred_at = 1'767'225'600'000;
        i.subject = "定例会議";
        i.body = "顧客管理システムの提案について説明した";
        i.contact_ids = {kobayashi};
        meeting = db.interactions().create(i).value();

        Ticket t;
        t.subject = "Account locked";
        t.description = "The user cannot sign in since Monday";
        locked = db.tickets().create(t).value();

        Document d;
        d.name = "見積書_2026.pdf";
        quote = db.documents().create(d).value();
    }

    std::vector<SearchHit> find(std::string_view q, SearchOptions o = {}) { return db.search().query(q, o).value(); }
};

std::set<std::pair<Entity, Id>> keys(const std::vector<SearchHit>& hits) {
    std::set<std::pair<Entity, Id>> out;
    for (const auto& h : hits) out.insert({h.kind, h.id});
    return out;
}
using Keys = std::set<std::pair<Entity, Id>>;

}  // namespace

TEST_CASE("search: Japanese substrings, readings in either kana, width and case folding", "[search]") {
    World w;
    // 1 and 2 characters: the trigram index cannot; the second index does.
    CHECK(keys(w.find("林")) == Keys{{Entity::contact, w.hayashi}, {Entity::contact, w.kobayashi}});
    CHECK(keys(w.find("顧客")) == Keys{{Entity::interaction, w.meeting}});
    CHECK(keys(w.find("田中")) == Keys{{Entity::contact, w.tanaka_mql}, {Entity::contact, w.tanaka_lead}});
    // A substring of a company name, with and without its legal form.
    CHECK(keys(w.find("株式会社")) == Keys{{Entity::account, w.sample_kk}});
    CHECK(keys(w.find("式会社サン")) == Keys{{Entity::account, w.sample_kk}});
    // Readings: hiragana stored, katakana typed, and the other way round; half-width too.
    CHECK(keys(w.find("ヤマダ")) == Keys{{Entity::contact, w.yamada}});
    CHECK(keys(w.find("ｺﾊﾞﾔｼ")) == Keys{{Entity::contact, w.kobayashi}});
    CHECK(keys(w.find("さんぷる")) == Keys{{Entity::account, w.sample_kk}});
    // Full-width Latin and case.
    CHECK(keys(w.find("ＡＢＣ")) == Keys{{Entity::account, w.abc}});
    CHECK(keys(w.find("abc")) == Keys{{Entity::account, w.abc}});
    CHECK(keys(w.find("TRADING")) == Keys{{Entity::account, w.abc}});
    // English prefixes: three letters or more are substrings, two a word prefix.
    CHECK(keys(w.find("acc")) == Keys{{Entity::ticket, w.locked}});
    CHECK(keys(w.find("Ac")) == Keys{{Entity::ticket, w.locked}});
    CHECK(keys(w.find("sign")) == Keys{{Entity::ticket, w.locked}});
    // Mixed scripts and several terms: every term must match.
    CHECK(keys(w.find("見積 pdf")) == Keys{{Entity::document, w.quote}});
    CHECK(keys(w.find("小林 営業")) == Keys{{Entity::contact, w.kobayashi}});
    CHECK(keys(w.find("林 営業部長")) == Keys{{Entity::contact, w.kobayashi}});
    CHECK(w.find("林 顧客").empty());
    CHECK(w.find("存在しない言葉").empty());
    // Kinds.
    SearchOptions o;
    o.kinds = {Entity::interaction};
    CHECK(w.find("林", o).empty());
    o.kinds = {Entity::contact, Entity::interaction};
    CHECK(keys(w.find("小林", o)) == Keys{{Entity::contact, w.kobayashi}});
    // A hit: its title as stored, a snippet around the match, a bm25 rank.
    auto hits = w.find("顧客");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].title == "定例会議");
    CHECK(hits[0].snippet.find("[顧客]") != std::string::npos);
    CHECK(hits[0].rank < 0);
}

TEST_CASE("search: ranking is bm25 with the title first, ordering stable, limit", "[search]") {
    Db db = Db::open(":memory:").value();
    Ticket t;
    t.subject = "請求書が届かない";
    t.description = "先月分";
    const Id in_title = db.tickets().create(t).value();
    t.subject = "問い合わせ";
    t.description = "請求書の宛名を変更したい。長い説明文がここに続きます。";
    const Id in_body = db.tickets().create(t).value();
    auto hits = db.search().query("請求書").value();
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].id == in_title);
    CHECK(hits[1].id == in_body);
    CHECK(hits[0].rank <= hits[1].rank);
    // Equal ranks: by kind, then id — the same order every time.
    for (int n = 0; n < 30; ++n) {
        Contact c;
        c.name = "佐藤 " + std::to_string(n);
        db.contacts().create(c).value();
    }
    SearchOptions o;
    o.limit = 7;
    auto a = db.search().query("佐藤", o).value();
    auto b = db.search().query("佐藤", o).value();
    REQUIRE(a.size() == 7);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].id == b[i].id);
    for (std::size_t i = 1; i < a.size(); ++i)
        CHECK((a[i - 1].rank < a[i].rank || (a[i - 1].rank == a[i].rank && a[i - 1].id < a[i].id)));
    o.limit = 1000;
    CHECK(db.search().query("佐藤", o).value().size() == 30);
}

TEST_CASE("search: the index follows every write in its transaction", "[search]") {
    World w;
    SECTION("a rolled-back transaction leaves the index as it was") {
        {
            auto txn = w.db.begin().value();
            Contact c;
            c.name = "渡辺 健";
            const Id id = w.db.contacts().create(c).value();
            CHECK(keys(w.find("渡辺")) == Keys{{Entity::contact, id}});  // seen inside the transaction
            w.db.contacts().remove(w.hayashi).value();
            CHECK(keys(w.find("林")) == Keys{{Entity::contact, w.kobayashi}});
            txn.rollback().value();
        }
        CHECK(w.find("渡辺").empty());
        CHECK(keys(w.find("林")) == Keys{{Entity::contact, w.hayashi}, {Entity::contact, w.kobayashi}});
    }
    SECTION("a failed write changes nothing in the index") {
        Contact c;
        c.name = "渡辺 健";
        c.account_id = 999999;  // no such account
        CHECK(!w.db.contacts().create(c));
        CHECK(w.find("渡辺").empty());
    }
    SECTION("an update changes what is found") {
        auto c = w.db.contacts().get(w.hayashi).value();
        c.name = "森 太郎";
        w.db.contacts().update(c).value();
        CHECK(keys(w.find("林")) == Keys{{Entity::contact, w.kobayashi}});
        CHECK(keys(w.find("森")) == Keys{{Entity::contact, w.hayashi}});
        w.db.contacts().patch(w.hayashi, R"({"name_reading":"もり"})").value();
        CHECK(keys(w.find("モリ")) == Keys{{Entity::contact, w.hayashi}});
        CHECK(w.find("はやし").empty());
        // A field that is not searched: the index row stays as it was.
        w.db.contacts().patch(w.hayashi, R"({"lead_source":"web"})").value();
        CHECK(keys(w.find("森")) == Keys{{Entity::contact, w.hayashi}});
        // A ticket moved by its own rules keeps its text.
        w.db.tickets().patch(w.locked, R"({"subject":"Password reset"})").value();
        CHECK(w.find("locked").empty());
        CHECK(keys(w.find("password")) == Keys{{Entity::ticket, w.locked}});
    }
    SECTION("a delete removes the record from the index") {
        w.db.documents().remove(w.quote).value();
        CHECK(w.find("見積").empty());
        w.db.contacts().remove(w.kobayashi).value();
        CHECK(keys(w.find("林")) == Keys{{Entity::contact, w.hayashi}});
    }
    SECTION("ingested interactions are indexed, and a failed batch leaves nothing") {
        Interaction i;
        i.kind = "email";
        i.occurred_at = 1'767'225'600'000;
        i.subject = "ご請求について";
        i.body = "Invoice attached";
        i.external_id = "ev-1";
        auto r = w.db.interactions().ingest({i}).value();
        REQUIRE(r.inserted == 1);
        CHECK(keys(w.find("invoice")) == Keys{{Entity::interaction, r.items[0].id}});
        Interaction bad = i;
        bad.external_id = "ev-3";
        bad.subject = "別件の請求";
        bad.contact_ids = {999999};
        Interaction good = i;
        good.external_id = "ev-2";
        good.subject = "別件の請求";
        CHECK(!w.db.interactions().ingest({good, bad}));
        CHECK(w.find("別件").empty());
    }
}

TEST_CASE("search: combined with structured filters", "[search]") {
    World w;
    SearchOptions o;
    o.kinds = {Entity::contact};
    o.where = {parse_filter("lifecycle_stage=mql").value()};
    CHECK(keys(w.find("田中", o)) == Keys{{Entity::contact, w.tanaka_mql}});
    o.where = {parse_filter("lifecycle_stage=lead").value()};
    CHECK(keys(w.find("田中", o)) == Keys{{Entity::contact, w.tanaka_lead}});
    o.where = {parse_filter("lifecycle_stage=customer").value()};
    CHECK(w.find("田中", o).empty());
    // Two terms and two filters.
    o.where = {parse_filter("lifecycle_stage=lead").value(), parse_filter("name^=田中").value()};
    CHECK(keys(w.find("田中 二郎", o)) == Keys{{Entity::contact, w.tanaka_lead}});
    // Terms of three characters or more (the trigram index) with a filter.
    Contact c;
    c.name = "Ichiro Tanaka";
    c.lifecycle_stage = LifecycleStage::mql;
    const Id ichiro = w.db.contacts().create(c).value();
    c.name = "Jiro Tanaka";
    c.lifecycle_stage = LifecycleStage::lead;
    const Id jiro = w.db.contacts().create(c).value();
    o.where = {parse_filter("lifecycle_stage=mql").value()};
    CHECK(keys(w.find("tanaka", o)) == Keys{{Entity::contact, ichiro}});
    o.where = {parse_filter("lifecycle_stage=lead").value()};
    CHECK(keys(w.find("TANAKA", o)) == Keys{{Entity::contact, jiro}});
    CHECK(keys(w.find("tanaka ji", o)) == Keys{{Entity::contact, jiro}});  // mixed: trigram and a prefix
    CHECK(w.find("tanaka ic", o).empty());
    w.db.contacts().add_tag(w.tanaka_mql, "vip").value();
    o.where = {parse_filter("tag=vip").value()};
    CHECK(keys(w.find("田中", o)) == Keys{{Entity::contact, w.tanaka_mql}});
    // Filters need exactly one kind, and a field of it.
    SearchOptions bad;
    bad.where = {parse_filter("lifecycle_stage=mql").value()};
    auto r = w.db.search().query("田中", bad);
    REQUIRE(!r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "where");
    bad.kinds = {Entity::contact};
    bad.where = {parse_filter("no_such_field=1").value()};
    r = w.db.search().query("田中", bad);
    REQUIRE(!r);
    CHECK(r.error().code == errc::invalid_argument);
}

TEST_CASE("search: what the user types is never FTS5 query syntax", "[search]") {
    World w;
    Contact c;
    c.name = "rock AND roll \"band\" (live) NEAR me*";
    const Id odd = w.db.contacts().create(c).value();
    // Operators are searched as the text they are.
    CHECK(keys(w.find("AND")) == Keys{{Entity::contact, odd}});
    CHECK(keys(w.find("\"band\"")) == Keys{{Entity::contact, odd}});
    CHECK(keys(w.find("(live)")) == Keys{{Entity::contact, odd}});
    CHECK(keys(w.find("me*")) == Keys{{Entity::contact, odd}});
    CHECK(keys(w.find("NEAR")) == Keys{{Entity::contact, odd}});
    // Executed, these would find the records named; as text they find nothing.
    CHECK(w.find("林 OR 田中").empty());
    CHECK(w.find("NOT 林").empty());
    CHECK(w.find("NEAR(林 田中)").empty());
    CHECK(w.find("name:林").empty());
    CHECK(w.find("{name}:林").empty());
    CHECK(w.find("田中*").empty());
    CHECK(w.find("^林太郎").empty());
    CHECK(w.find("林\" OR \"田中").empty());
    // Unbalanced quotes and parentheses: text, no syntax error.
    for (const char* q : {"\"\"\"", "(林", "林)", "\"林", "rock\"", "a\"b\"c", "((((((((((", "\\\"x",
                          "x'; DROP TABLE contacts; --x", "AND OR NOT", "\"a\" OR \"b\"", "NEAR(\"rock\" \"roll\", 2)"})
        CHECK(w.db.search().query(q));
    CHECK(keys(w.find("\"林")) == Keys{{Entity::contact, w.hayashi}, {Entity::contact, w.kobayashi}});
    // A short term with nothing to search for is refused, clearly.
    for (const char* q : {"*", "^", ":", "(", "()", "\"", "\"\"", "-", "林 *", "\\\""}) {
        auto r = w.db.search().query(q);
        REQUIRE(!r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == "query");
    }
    CHECK(w.db.contacts().count().value() == 6);  // nothing was executed
}

TEST_CASE("search: bounds on the query, the limit and the kinds", "[search]") {
    World w;
    auto refused = [&](std::string_view q, SearchOptions o, const char* field) {
        auto r = w.db.search().query(q, o);
        REQUIRE(!r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == field);
    };
    refused("", {}, "query");
    refused("   　 ", {}, "query");
    refused(std::string(Search::max_query_bytes + 1, 'a'), {}, "query");
    CHECK(w.db.search().query(std::string(Search::max_query_bytes, 'a')));
    std::string many;
    for (std::size_t i = 0; i <= Search::max_terms; ++i) many += "abc ";
    refused(many, {}, "query");
    refused("\xff\xfe", {}, "query");
    refused(std::string("a\0b", 3), {}, "query");
    SearchOptions o;
    o.limit = 0;
    refused("林", o, "limit");
    o.limit = Search::max_limit + 1;
    refused("林", o, "limit");
    o = {};
    o.kinds = {static_cast<Entity>(9999)};
    refused("林", o, "kinds");
    // Every searchable kind is a kind; the five the mission names are among them.
    auto kinds = searchable_kinds();
    for (Entity e : {Entity::contact, Entity::account, Entity::interaction, Entity::ticket, Entity::document})
        CHECK(std::find(kinds.begin(), kinds.end(), e) != kinds.end());
}

TEST_CASE("search: rebuild gives the index the incremental writes gave", "[search]") {
    testing::TempDir dir;
    const auto path = dir.file("s.db");
    auto db = Db::open(path).value();
    // A mix of creates, updates and deletes across kinds.
    std::vector<Id> ids;
    for (int n = 0; n < 40; ++n) {
        Contact c;
        c.name = (n % 2 ? "小林 " : "Tanaka ") + std::to_string(n);
        c.name_reading = n % 3 ? "こばやし" : "";
        ids.push_back(db.contacts().create(c).value());
    }
    for (int n = 0; n < 40; n += 4) db.contacts().patch(ids[n], R"({"title":"課長 manager"})").value();
    for (int n = 1; n < 40; n += 5) db.contacts().remove(ids[n]).value();
    Interaction i;
    i.kind = "note";
    i.occurred_at = 1'767'225'600'000;
    i.body = "顧客からの電話";
    db.interactions().create(i).value();
    auto snapshot = [&] {
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        std::string out;
        SQLite::Statement s(raw, "SELECT entity,record_id,label,title,body FROM search_docs ORDER BY entity,record_id");
        while (s.executeStep())
            for (int c = 0; c < 5; ++c) out += s.getColumn(c).getString() + "|";
        return out;
    };
    auto results = [&] {
        std::string out;
        for (const char* q : {"林", "小林", "コバヤシ", "tanaka", "ta", "課長", "manager", "顧客", "1"}) {
            SearchOptions o;
            o.limit = 1000;
            const auto hits = db.search().query(q, o).value();
            for (const auto& h : hits)
                out += fmt::format("{}:{}:{}:{:.6f};", q, entity_name(h.kind), h.id, h.rank);
        }
        return out;
    };
    const auto before = snapshot();
    const auto found = results();
    CHECK(!found.empty());
    const auto indexed = [&] {
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        return raw.execAndGet("SELECT count(*) FROM search_docs").getInt64();
    }();
    CHECK(indexed >= 40 - 8 + 1);  // the contacts left and the interaction (and any record a new file has)
    CHECK(db.search().rebuild().value() == indexed);
    CHECK(snapshot() == before);
    CHECK(results() == found);
    // The FTS5 index agrees with its content.
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    CHECK_NOTHROW(raw.exec("INSERT INTO search_tri(search_tri, rank) VALUES('integrity-check', 1)"));
}

TEST_CASE("search: a file upgraded to the search schema is searchable at once", "[search]") {
    testing::TempDir dir;
    const auto path = dir.file("old.db");
    REQUIRE(testing::make_db_at_version(path, crm::store::search_schema_version() - 1, [](SQLite::Database& d) {
        d.exec("INSERT INTO contacts(name,name_reading,lifecycle_stage,created_at,updated_at) "
               "VALUES('林 太郎','はやし','lead',1,1)");
        d.exec("INSERT INTO accounts(name,created_at,updated_at) VALUES('株式会社ミライ',1,1)");
    }));
    auto db = Db::open(path).value();
    CHECK(db.opened_schema_version() == crm::store::search_schema_version() - 1);
    auto hits = db.search().query("林").value();
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].kind == Entity::contact);
    CHECK(hits[0].title == "林 太郎");
    CHECK(db.search().query("ハヤシ").value().size() == 1);
    CHECK(db.search().query("式会社ミ").value().size() == 1);
}
