// Duplicate detection and undoable merge (crm/dedup.hpp): Japanese matching keys
// (legal forms, phone formats, kana readings, e-mail case), no pair for different
// people, a merge that re-points every relation kind, a dry run and refused merges
// that change nothing (a dump of the file compared), and an undo that restores the
// documents and relations exactly.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "dedup/keys.hpp"
#include "helpers.hpp"

using namespace crm;
using nlohmann::json;

namespace {

struct Fx {
    testing::TempDir dir;
    std::string path = dir.file("d.crm");
    testing::FakeClock clock;
    Db db;
    Fx() : db(Db::open(path).value()) { clock.install(db); }

    Id account(const std::string& name, const std::string& phone = {}, const std::string& web = {}) {
        Account a;
        a.name = name;
        a.phone = phone;
        a.website = web;
        return db.accounts().create(a).value();
    }
    Id contact(const std::string& name, const std::string& reading, std::optional<Id> acct,
               const std::string& email = {}, const std::string& phone = {}) {
        Contact c = testing::contact(name, email);
        c.name_reading = reading;
        c.account_id = acct;
        if (!phone.empty()) c.phones.push_back({phone, "mobile", true});
        return db.contacts().create(c).value();
    }
    // A record's document without updated_at (a restored record is written anew).
    json doc(Entity e, Id id) {
        auto d = json::parse(db.records(e).get(id).value());
        d.erase("updated_at");
        return d;
    }
};

const DuplicatePair* find_pair(const std::vector<DuplicatePair>& v, Id a, Id b) {
    for (const auto& p : v)
        if (p.a == std::min(a, b) && p.b == std::max(a, b)) return &p;
    return nullptr;
}
bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("dedup keys: Japanese company forms, phone formats, readings and e-mail case", "[dedup]") {
    Account a1, a2;
    a1.name = "㈱山田商事";
    a2.name = "山田商事株式会社";
    a1.phone = "03-1234-5678";
    a2.phone = "+81 3 1234 5678";
    a1.website = "https://www.yamada-shoji.co.jp/about";
    a2.website = "yamada-shoji.co.jp";
    const auto k1 = dedup::account_keys(a1), k2 = dedup::account_keys(a2);
    CHECK(k1.company == k2.company);
    CHECK(!k1.company.empty());
    CHECK(k1.phone == "+81312345678");
    CHECK(k1.phone == k2.phone);
    CHECK(k1.domain == "yamada-shoji.co.jp");
    CHECK(k1.domain == k2.domain);

    Contact c1 = testing::contact("山田 太郎", "TARO@Example.COM"), c2 = testing::contact("山田太郎", "taro@example.com");
    c1.name_reading = "ヤマダ タロウ";
    c2.name_reading = "やまだ たろう";
    c1.phones.push_back({"090-1234-5678", "mobile", true});
    c2.phones.push_back({"+81 90 1234 5678", "mobile", true});
    const auto ck1 = dedup::contact_keys(c1, "㈱山田商事"), ck2 = dedup::contact_keys(c2, "山田商事株式会社");
    CHECK(ck1.emails == ck2.emails);
    CHECK(ck1.emails == std::vector<std::string>{"taro@example.com"});
    CHECK(ck1.phones == std::vector<std::string>{"+819012345678"});
    CHECK(ck1.phones == ck2.phones);
    CHECK(ck1.reading == ck2.reading);
    CHECK(ck1.name == ck2.name);
    CHECK(ck1.company == ck2.company);

    // Not the same: another person, another company.
    Contact c3 = testing::contact("山田 花子");
    CHECK(dedup::contact_keys(c3, "").name != ck1.name);
    CHECK(dedup::website_domain("not a url") == "");
    CHECK(dedup::website_domain("") == "");
}

TEST_CASE("dedup find: pairs by blocking keys, scored, deterministic, none for different people", "[dedup]") {
    Fx f;
    const Id acme1 = f.account("㈱山田商事", "03-1234-5678", "https://www.yamada-shoji.co.jp/");
    const Id acme2 = f.account("山田商事株式会社", "+81 3 1234 5678");
    const Id other = f.account("株式会社ミライクラウド", "06-1111-2222", "https://mirai.example");
    const Id taro1 = f.contact("山田 太郎", "ヤマダ タロウ", acme1, "taro@yamada-shoji.co.jp", "090-1234-5678");
    const Id taro2 = f.contact("山田太郎", "やまだ たろう", acme2, "", "+81 90 1234 5678");
    // Same name, different companies: two people.
    const Id hanako1 = f.contact("佐藤 花子", "サトウ ハナコ", acme1, "hanako@yamada-shoji.co.jp");
    const Id hanako2 = f.contact("佐藤 花子", "サトウ ハナコ", other, "hanako@mirai.example");
    // Same company, different people.
    const Id ichiro = f.contact("鈴木 一郎", "スズキ イチロウ", acme1, "ichiro@yamada-shoji.co.jp", "090-9999-0000");
    // Same person by e-mail only (the domain once in Unicode, once in ASCII), no company.
    const Id jiro1 = f.contact("田中 次郎", "", std::nullopt, "jiro@例え.jp");
    const Id jiro2 = f.contact("Jiro Tanaka", "", std::nullopt, "JIRO@xn--r8jz45g.jp");

    auto pairs = f.db.dedup().find({Entity::contact, 50, 100}).value();
    const auto* p = find_pair(pairs, taro1, taro2);
    REQUIRE(p);
    CHECK(has(p->reasons, "phone"));
    CHECK(has(p->reasons, "name_company"));
    CHECK(has(p->reasons, "reading_company"));
    CHECK(p->score >= 90);
    const auto* j = find_pair(pairs, jiro1, jiro2);
    REQUIRE(j);
    CHECK(j->reasons == std::vector<std::string>{"email"});
    CHECK(j->score == 90);
    CHECK_FALSE(find_pair(pairs, hanako1, hanako2));
    CHECK_FALSE(find_pair(pairs, ichiro, taro1));
    CHECK_FALSE(find_pair(pairs, ichiro, hanako1));
    CHECK(pairs.size() == 2);
    // Ordered by score, then ids.
    for (std::size_t i = 1; i < pairs.size(); ++i) CHECK(pairs[i - 1].score >= pairs[i].score);
    // min_score and limit.
    CHECK(f.db.dedup().find({Entity::contact, 95, 100}).value().size() == 1);
    CHECK(f.db.dedup().find({Entity::contact, 0, 1}).value().size() == 1);
    // The name alone (40) shows only with a low min_score, and not across companies.
    auto low = f.db.dedup().find({Entity::contact, 0, 100}).value();
    CHECK_FALSE(find_pair(low, hanako1, hanako2));

    auto acc = f.db.dedup().find({Entity::account, 50, 100}).value();
    const auto* ap = find_pair(acc, acme1, acme2);
    REQUIRE(ap);
    CHECK(has(ap->reasons, "company"));
    CHECK(has(ap->reasons, "phone"));
    CHECK_FALSE(find_pair(acc, acme1, other));
    CHECK(acc.size() == 1);

    // Bad queries.
    CHECK(f.db.dedup().find({Entity::deal, 50, 10}).error().field == "kind");
    CHECK(f.db.dedup().find({Entity::contact, 101, 10}).error().field == "min_score");
    CHECK(f.db.dedup().find({Entity::contact, 50, 0}).error().field == "limit");
}

namespace {
// One record of every kind that can point at a contact or an account.
struct World {
    Id acme = 0, acme_dup = 0, child = 0, s = 0, m = 0, deal = 0, ticket = 0, task = 0, document = 0, call = 0;
    explicit World(Fx& f) {
        auto& db = f.db;
        acme = f.account("㈱山田商事", "03-1234-5678");
        acme_dup = f.account("山田商事株式会社", "", "https://yamada-shoji.co.jp");
        Account c;
        c.name = "山田物流株式会社";
        c.parent_id = acme_dup;
        child = db.accounts().create(c).value();
        s = f.contact("山田 太郎", "ヤマダ タロウ", acme, "taro@yamada-shoji.co.jp", "090-1234-5678");
        m = f.contact("山田太郎", "", acme_dup, "t.yamada@example.jp", "+81 90 1234 5678");
        REQUIRE(db.contacts().patch(m, R"({"title":"部長","tags":["展示会"]})"));
        CustomFieldDef def;
        def.entity = Entity::contact;
        def.name = "rank";
        def.type = FieldType::text;
        REQUIRE(db.custom_fields().define(def));
        REQUIRE(db.contacts().set_custom(m, "rank", std::string("A")));
        Pipeline p;
        p.name = "新規";
        p.stages = {{0, "提案", 40, StageKind::open}, {0, "受注", 100, StageKind::won}};
        const Id pid = db.pipelines().create(p).value();
        const auto st = db.pipelines().stages(pid).value();
        deal = db.records(Entity::deal)
                   .create(json{{"name", "案件"}, {"pipeline_id", pid}, {"stage_id", st[0].id}, {"account_id", acme_dup},
                                {"contact_id", m}}
                               .dump())
                   .value();
        ticket = db.records(Entity::ticket)
                     .create(json{{"subject", "請求書が届かない"}, {"requester_id", m}, {"account_id", acme_dup}}.dump())
                     .value();
        task = db.records(Entity::task)
                   .create(json{{"title", "電話する"},
                                {"links", json::array({json{{"entity", "contact"}, {"id", m}},
                                                       json{{"entity", "account"}, {"id", acme_dup}}})}}
                               .dump())
                   .value();
        document = db.records(Entity::document)
                       .create(json{{"name", "見積書.pdf"},
                                    {"uri", "https://files.example/q.pdf"},
                                    {"links", json::array({json{{"entity", "contact"}, {"id", m}},
                                                           json{{"entity", "contact"}, {"id", s}}})}}
                                   .dump())
                       .value();
        call = db.records(Entity::interaction)
                   .create(json{{"kind", "call"}, {"contact_ids", {m}}, {"account_ids", {acme_dup}}}.dump())
                   .value();
    }
};

std::int64_t count_where(Db& db, Entity e, const std::string& filter) {
    return db.records(e).count({parse_filter(filter).value()}).value();
}
}  // namespace

TEST_CASE("dedup merge of contacts: every relation re-pointed, fields filled and united, undo restores", "[dedup]") {
    Fx f;
    World w(f);
    auto& db = f.db;
    const auto kinds = {Entity::deal, Entity::ticket, Entity::task, Entity::document, Entity::interaction,
                        Entity::account};
    std::map<std::pair<int, Id>, json> before;
    auto snapshot = [&] {
        std::map<std::pair<int, Id>, json> out;
        for (Entity e : {Entity::contact, Entity::account, Entity::deal, Entity::ticket, Entity::task,
                         Entity::document, Entity::interaction}) {
            const auto page = db.records(e).list().value();
            for (const auto& d : page.items) {
                auto j = json::parse(d);
                j.erase("updated_at");
                out[{static_cast<int>(e), j["id"].get<Id>()}] = j;
            }
        }
        return out;
    };
    (void)kinds;
    before = snapshot();
    const std::string dump_before = testing::dump(f.path);

    // A dry run reports and writes nothing.
    MergeOptions dry;
    dry.dry_run = true;
    auto d = db.dedup().merge(Entity::contact, w.s, w.m, dry).value();
    CHECK(d.dry_run);
    CHECK(d.id == 0);
    CHECK_FALSE(d.relations.empty());
    CHECK(testing::dump(f.path) == dump_before);

    f.clock.advance(1000);
    MergeOptions o;
    o.take_merged = {"title"};
    auto m = db.dedup().merge(Entity::contact, w.s, w.m, o).value();
    CHECK(m.id > 0);
    CHECK(m.relations.size() == d.relations.size());
    // Every relation now points at the survivor.
    CHECK(count_where(db, Entity::deal, "contact_id=" + std::to_string(w.s)) == 1);
    CHECK(count_where(db, Entity::ticket, "requester_id=" + std::to_string(w.s)) == 1);
    CHECK(count_where(db, Entity::interaction, "contact_ids=" + std::to_string(w.s)) == 1);
    CHECK(count_where(db, Entity::interaction, "contact_ids=" + std::to_string(w.m)) == 0);
    auto task = json::parse(db.records(Entity::task).get(w.task).value());
    CHECK(task["links"].size() == 2);
    CHECK(std::count(task["links"].begin(), task["links"].end(), json({{"entity", "contact"}, {"id", w.s}})) == 1);
    auto doc = json::parse(db.records(Entity::document).get(w.document).value());
    CHECK(doc["links"].size() == 1);  // both linked: one link left
    CHECK(doc["links"][0]["id"] == w.s);
    // The survivor: its own values kept, title taken, emails/phones/tags united, custom filled.
    auto s = db.contacts().get(w.s).value();
    CHECK(s.name == "山田 太郎");
    CHECK(s.title == "部長");
    CHECK(s.account_id == w.acme);
    REQUIRE(s.emails.size() == 2);
    CHECK(s.emails[0].address == "taro@yamada-shoji.co.jp");
    CHECK(s.emails[0].primary);
    CHECK_FALSE(s.emails[1].primary);
    CHECK(s.phones.size() == 1);  // the same number in two formats
    CHECK(s.tags == Tags{"展示会"});
    CHECK(std::get<std::string>(s.custom.at("rank")) == "A");
    // The merged-away id says where it went, everywhere.
    auto gone = db.contacts().get(w.m);
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == errc::not_found);
    CHECK(gone.error().message == "contact " + std::to_string(w.m) + " was merged into " + std::to_string(w.s));
    CHECK(db.records(Entity::contact).get(w.m).error().message == gone.error().message);
    CHECK(db.dedup().merged_into(Entity::contact, w.m).value() == w.s);
    CHECK_FALSE(db.dedup().merged_into(Entity::contact, w.s).value());
    // History on both records.
    auto hs = db.contacts().history(w.s).value();
    CHECK(std::any_of(hs.begin(), hs.end(), [](const Change& c) { return c.field == "*merge"; }));
    auto hm = db.contacts().history(w.m).value();
    CHECK(std::any_of(hm.begin(), hm.end(), [](const Change& c) { return c.op == ChangeOp::remove; }));
    CHECK(std::any_of(hm.begin(), hm.end(), [](const Change& c) { return c.field == "*merge"; }));
    CHECK(db.dedup().list().value().size() == 1);

    // Merging the merged-away id again, or into itself, or unknown ids: refused, nothing changes.
    const std::string dump_merged = testing::dump(f.path);
    auto again = db.dedup().merge(Entity::contact, w.s, w.m);
    CHECK(again.error().code == errc::not_found);
    CHECK(again.error().message.find("was merged into") != std::string::npos);
    CHECK(db.dedup().merge(Entity::contact, w.s, w.s).error().code == errc::invalid_argument);
    CHECK(db.dedup().merge(Entity::contact, w.s, 9999).error().code == errc::not_found);
    CHECK(db.dedup().merge(Entity::deal, w.deal, w.deal + 1).error().field == "kind");
    MergeOptions bad;
    bad.take_merged = {"no_such_field"};
    CHECK(db.dedup().merge(Entity::contact, w.s, w.m, bad).error().field == "take_merged");
    bad.take_merged = {"created_at"};
    CHECK(db.dedup().merge(Entity::contact, w.s, w.m, bad).error().field == "take_merged");
    CHECK(testing::dump(f.path) == dump_merged);

    // Undo: the merged record back under its id, every document as before.
    f.clock.advance(1000);
    auto u = db.dedup().undo(m.id).value();
    CHECK(u.undone_at);
    auto after = snapshot();
    CHECK(after.size() == before.size());
    for (const auto& [key, j] : before) {
        INFO(j.dump());
        REQUIRE(after.count(key));
        CHECK(after[key] == j);
    }
    CHECK(count_where(db, Entity::interaction, "contact_ids=" + std::to_string(w.m)) == 1);
    CHECK_FALSE(db.dedup().merged_into(Entity::contact, w.m).value());
    CHECK(db.dedup().undo(m.id).error().code == errc::invalid_argument);
    CHECK(db.dedup().undo(12345).error().code == errc::not_found);
    // The restored record's history reads back through as-of.
    CHECK(db.contacts().get_as_of(w.m, 1'700'000'000'500).value().title == "部長");
}

TEST_CASE("dedup merge of accounts: children, contacts, deals, tickets re-pointed; cycles refused", "[dedup]") {
    Fx f;
    World w(f);
    auto& db = f.db;
    // acme_dup (the merged) is the parent of child; contact m works there.
    auto m = db.dedup().merge(Entity::account, w.acme, w.acme_dup).value();
    CHECK(db.accounts().get(w.child).value().parent_id == w.acme);
    CHECK(db.contacts().get(w.m).value().account_id == w.acme);
    CHECK(db.deals().get(w.deal).value().account_id == w.acme);
    CHECK(db.tickets().get(w.ticket).value().account_id == w.acme);
    CHECK(count_where(db, Entity::interaction, "account_ids=" + std::to_string(w.acme)) == 1);
    auto a = db.accounts().get(w.acme).value();
    CHECK(a.website == "https://yamada-shoji.co.jp");  // filled: the survivor had none
    CHECK(a.phone == "03-1234-5678");
    CHECK(db.accounts().get(w.acme_dup).error().message.find("was merged into " + std::to_string(w.acme)) !=
          std::string::npos);
    REQUIRE(db.dedup().undo(m.id));
    CHECK(db.accounts().get(w.child).value().parent_id == w.acme_dup);
    CHECK(db.contacts().get(w.m).value().account_id == w.acme_dup);
    CHECK(db.accounts().get(w.acme).value().website.empty());

    // An account merged into its own child would be its own parent: refused, nothing changed.
    const std::string dump = testing::dump(f.path);
    auto r = db.dedup().merge(Entity::account, w.child, w.acme_dup);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "parent_id");
    CHECK(testing::dump(f.path) == dump);
    // The other way round is fine: the child's parent was the merged record itself.
    auto ok2 = db.dedup().merge(Entity::account, w.acme_dup, w.child);
    REQUIRE(ok2);
    CHECK_FALSE(db.accounts().get(w.acme_dup).value().parent_id);
}

TEST_CASE("dedup undo order: a later merge of the same record must be undone first", "[dedup]") {
    Fx f;
    const Id a = f.contact("山田 太郎", "", std::nullopt, "a@example.jp");
    const Id b = f.contact("山田 太郎", "", std::nullopt, "b@example.jp");
    const Id c = f.contact("山田 太郎", "", std::nullopt, "c@example.jp");
    auto m1 = f.db.dedup().merge(Entity::contact, a, b).value();
    auto m2 = f.db.dedup().merge(Entity::contact, a, c).value();
    auto r = f.db.dedup().undo(m1.id);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().message.find(std::to_string(m2.id)) != std::string::npos);
    REQUIRE(f.db.dedup().undo(m2.id));
    REQUIRE(f.db.dedup().undo(m1.id));
    CHECK(f.db.contacts().get(b).value().emails.at(0).address == "b@example.jp");
    CHECK(f.db.contacts().get(a).value().emails.size() == 1);
    // A chain: b into a, then a into c: b's reader is sent to c.
    REQUIRE(f.db.dedup().merge(Entity::contact, a, b));
    REQUIRE(f.db.dedup().merge(Entity::contact, c, a));
    CHECK(f.db.dedup().merged_into(Entity::contact, b).value() == c);
    CHECK(f.db.contacts().get(b).error().message == "contact " + std::to_string(b) + " was merged into " +
                                                        std::to_string(c));
}

TEST_CASE("dedup merge of accounts: a cycle of parents through a child is refused, nothing changed", "[dedup]") {
    Fx f;
    const Id top = f.account("山田ホールディングス株式会社");
    Account c;
    c.name = "山田物流株式会社";
    c.parent_id = top;
    const Id child = f.db.accounts().create(c).value();
    const Id survivor = f.account("山田商事株式会社");
    REQUIRE(f.db.accounts().patch(survivor, json{{"parent_id", child}}.dump()));
    // Merging top into survivor would make child's parent the survivor, whose parent is child.
    const std::string dump = testing::dump(f.path);
    auto r = f.db.dedup().merge(Entity::account, survivor, top);
    REQUIRE_FALSE(r);
    INFO(r.error().message);
    CHECK(r.error().code == errc::constraint_violation);  // the accounts' own cycle rule
    CHECK(r.error().field == "parent_id");
    CHECK(testing::dump(f.path) == dump);
    MergeOptions dry;
    dry.dry_run = true;
    CHECK_FALSE(f.db.dedup().merge(Entity::account, survivor, top, dry));
    CHECK(testing::dump(f.path) == dump);
    CHECK(f.db.dedup().list().value().empty());
}

TEST_CASE("dedup inside a caller's transaction: a dry run and a refused merge leave it usable", "[dedup]") {
    Fx f;
    const Id a = f.contact("山田 太郎", "", std::nullopt, "a@example.jp");
    const Id b = f.contact("山田 太郎", "", std::nullopt, "b@example.jp");
    auto tx = f.db.begin().value();
    MergeOptions dry;
    dry.dry_run = true;
    REQUIRE(f.db.dedup().merge(Entity::contact, a, b, dry));
    CHECK_FALSE(f.db.dedup().merge(Entity::contact, a, 4242));
    auto m = f.db.dedup().merge(Entity::contact, a, b).value();
    REQUIRE(tx.commit());
    CHECK(f.db.contacts().get(a).value().emails.size() == 2);
    CHECK(f.db.dedup().get(m.id).value().merged_id == b);
}
