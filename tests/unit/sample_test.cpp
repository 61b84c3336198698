// The deterministic sample generator: determinism, seeds, shares, readings,
// formats, and populate() writing a consistent company in one transaction.
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>

#include "crm/routing.hpp"
#include "crm/sample.hpp"
#include "helpers.hpp"

using namespace crm;

namespace {

// Code points of a UTF-8 string (input is known-valid: it comes from the generator).
std::vector<char32_t> code_points(const std::string& s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    return out;
}

// Full-width katakana (U+30A0..U+30FF, which includes the long-vowel mark ー), with ASCII spaces between words.
bool is_katakana(const std::string& s) {
    if (s.empty()) return false;
    for (char32_t cp : code_points(s))
        if (cp != U' ' && (cp < 0x30A0 || cp > 0x30FF)) return false;
    return true;
}

bool has_cjk(const std::string& s) {
    for (char32_t cp : code_points(s))
        if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x4E00 && cp <= 0x9FFF)) return true;
    return false;
}

template <class T>
std::vector<T> all(Records<T> records) {
    std::vector<T> out;
    ListOptions o;
    o.limit = 1000;
    for (;;) {
        auto page = records.list(o).value();
        for (auto& v : page.items) out.push_back(std::move(v));
        if (page.next.empty()) return out;
        o.after = page.next;
    }
}

}  // namespace

TEST_CASE("sample: the same seed gives the same records, in any order", "[sample]") {
    sample::Generator a(2024), b(2024);
    std::vector<std::string> forward;
    for (std::size_t i = 0; i < 300; ++i)
        forward.push_back(to_json(a.contact(i)) + to_json(a.account(i)) + to_json(a.user(i)));
    for (std::size_t i = 300; i-- > 0;)  // backwards: record i must not depend on the ones before it
        CHECK(to_json(b.contact(i)) + to_json(b.account(i)) + to_json(b.user(i)) == forward[i]);
    CHECK(to_json(a.contact(123456789)) == to_json(b.contact(123456789)));
}

TEST_CASE("sample: different seeds give different records", "[sample]") {
    sample::Generator a(1), b(2);
    int same_contacts = 0, same_accounts = 0, same_users = 0;
    for (std::size_t i = 0; i < 200; ++i) {
        same_contacts += to_json(a.contact(i)) == to_json(b.contact(i));
        same_accounts += to_json(a.account(i)) == to_json(b.account(i));
        same_users += to_json(a.user(i)) == to_json(b.user(i));
    }
    CHECK(same_contacts == 0);
    CHECK(same_accounts < 10);  // companies come from a finite table: an exact repeat is possible, just rare
    CHECK(same_users == 0);
    // Neighbouring records of one seed differ too.
    CHECK(to_json(a.contact(0)) != to_json(a.contact(1)));
}

TEST_CASE("sample: the Japanese share is honoured", "[sample]") {
    auto japanese = [](double share) {
        sample::Generator g(7, share);
        int n = 0;
        for (std::size_t i = 0; i < 2000; ++i) n += !g.contact(i).name_reading.empty();
        return n;
    };
    CHECK(japanese(0.0) == 0);
    CHECK(japanese(1.0) == 2000);
    const int n = japanese(0.7);
    CHECK(n > 1300);  // 70% of 2000 = 1400; the binomial spread is about ±20
    CHECK(n < 1500);
    const int m = japanese(0.25);
    CHECK(m > 420);
    CHECK(m < 580);
}

TEST_CASE("sample: Japanese records have kanji names, katakana readings and Japanese formats", "[sample]") {
    sample::Generator g(99, 1.0);
    const std::regex name(R"(^\S+ \S+$)");
    const std::regex postal(R"(^〒\d{3}-\d{4}$)");
    const std::regex phone(R"(^0\d{1,3}-\d{2,4}-\d{4}$)");
    const std::regex company("^(株式会社|合同会社|有限会社).+|.+株式会社$");
    for (std::size_t i = 0; i < 300; ++i) {
        const auto c = g.contact(i);
        INFO(to_json(c));
        CHECK(std::regex_match(c.name, name));
        CHECK(has_cjk(c.name));
        CHECK(is_katakana(c.name_reading));
        CHECK(std::count(c.name_reading.begin(), c.name_reading.end(), ' ') == 1);
        for (const auto& p : c.phones) CHECK(std::regex_match(p.number, phone));
        if (!c.address.empty()) {
            CHECK(c.address.country == "JP");
            CHECK(std::regex_match(c.address.postal_code, postal));
        }
        const auto u = g.user(i);
        CHECK(is_katakana(u.name_reading));
        const auto a = g.account(i);
        INFO(to_json(a));
        CHECK(std::regex_match(a.name, company));
        CHECK(is_katakana(a.name_reading));
        CHECK(std::regex_match(a.phone, phone));
        CHECK(a.annual_revenue.value_or(Money{0, "JPY"}).currency == "JPY");
    }
}

TEST_CASE("sample: Western records have Latin names and no reading", "[sample]") {
    sample::Generator g(99, 0.0);
    for (std::size_t i = 0; i < 200; ++i) {
        const auto c = g.contact(i);
        CHECK(c.name_reading.empty());
        CHECK_FALSE(has_cjk(c.name));
        CHECK(c.address.country != "JP");
        const auto a = g.account(i);
        CHECK(a.name_reading.empty());
        CHECK_FALSE(has_cjk(a.name));
    }
}

TEST_CASE("sample: populate writes the counts asked for, consistently linked", "[sample]") {
    auto db = Db::open(":memory:").value();
    sample::Options o;
    o.seed = 5;
    o.teams = 3;
    o.users = 12;
    o.accounts = 60;
    o.contacts = 1500;
    o.deals = 20;
    o.tickets = 10;
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    auto sum = sample::populate(db, o, [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
    REQUIRE(sum);
    CHECK(sum.value().teams == 3);
    CHECK(sum.value().users == 12);
    CHECK(sum.value().accounts == 60);
    CHECK(sum.value().contacts == 1500);
    CHECK(sum.value().deals == 20);
    CHECK(sum.value().tickets == 10);
    CHECK(db.teams().count().value() == 3);
    CHECK(db.users().count().value() == 12);
    CHECK(db.accounts().count().value() == 60);
    CHECK(db.contacts().count().value() == 1500);

    // Progress: every 1000 steps and at the end, never going backwards, one total.
    REQUIRE(calls.size() >= 2);
    const std::size_t total = calls.back().second;
    CHECK(total > 1500);
    for (std::size_t i = 0; i + 1 < calls.size(); ++i) CHECK(calls[i] == std::pair<std::size_t, std::size_t>{(i + 1) * 1000, total});
    CHECK(calls.back() == std::pair<std::size_t, std::size_t>{total, total});

    // Each team has a manager who is one of its members.
    for (const auto& t : all(db.teams())) {
        REQUIRE(t.manager_id);
        const auto m = db.users().get(*t.manager_id).value();
        CHECK(m.team_id == t.id);
        CHECK(m.role == UserRole::manager);
    }

    // Every e-mail address is unique; contacts mostly work somewhere and have an owner.
    std::set<std::string> addresses;
    std::size_t emails = 0, employed = 0;
    for (const auto& c : all(db.contacts())) {
        for (const auto& e : c.emails) {
            addresses.insert(e.address);
            ++emails;
        }
        CHECK(c.owner_id);
        if (c.account_id) {
            ++employed;
            // The work address is at the employer's domain.
            const auto a = db.accounts().get(*c.account_id).value();
            const auto& work = c.emails.front().address;
            CHECK(a.website.find(work.substr(work.find('@') + 1)) != std::string::npos);
        }
    }
    CHECK(addresses.size() == emails);
    CHECK(emails > 1500);
    CHECK(employed > 1300);
    CHECK(employed < 1500);
    const auto subsidiaries = db.accounts().count({{"parent_id", Op::not_null, ""}}).value();
    CHECK(subsidiaries > 0);
    CHECK(subsidiaries < 20);
    // Every record has its creation in the history.
    std::map<Entity, std::size_t> created;
    for (Id after = 0;;) {
        const auto changes = db.history().since(after, 10000).value();
        if (changes.empty()) break;
        after = changes.back().id;
        for (const auto& c : changes)
            if (c.op == ChangeOp::create && c.field == "*") ++created[c.entity];
    }
    CHECK(created[Entity::team] == 3);
    CHECK(created[Entity::user] == 12);
    CHECK(created[Entity::account] == 60);
    CHECK(created[Entity::contact] == 1500);
    CHECK(created[Entity::deal] == 20);
    CHECK(created[Entity::ticket] == 10);
}

TEST_CASE("sample: populate is deterministic across databases", "[sample]") {
    testing::TempDir dir;
    sample::Options o;
    o.seed = 77;
    o.users = 5;
    o.teams = 2;
    o.accounts = 20;
    o.contacts = 100;
    o.deals = 15;
    o.tickets = 8;
    o.now = parse_iso8601("2026-04-01T09:00:00+09:00").value();  // the history ends here, whatever the clock says
    for (const char* name : {"a.crm", "b.crm"}) {
        auto db = Db::open(dir.file(name)).value();
        testing::FakeClock{}.install(db);
        REQUIRE(sample::populate(db, o));
    }
    CHECK(testing::dump(dir.file("a.crm")) == testing::dump(dir.file("b.crm")));

    o.seed = 78;
    auto db = Db::open(dir.file("c.crm")).value();
    testing::FakeClock{}.install(db);
    REQUIRE(sample::populate(db, o));
    db.close().value();
    CHECK(testing::dump(dir.file("a.crm")) != testing::dump(dir.file("c.crm")));
}

TEST_CASE("sample: a failed populate leaves the database as it was", "[sample]") {
    testing::TempDir dir;
    const auto path = dir.file("company.crm");
    auto db = Db::open(path).value();
    sample::Options o;
    o.users = 4;
    o.teams = 2;
    o.accounts = 10;
    o.contacts = 50;
    o.deals = 15;
    o.tickets = 8;
    REQUIRE(sample::populate(db, o));
    const auto before = testing::dump(path);
    // The same seed again: team names and user e-mails are taken, so it must fail as a whole.
    auto again = sample::populate(db, o);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == errc::already_exists);
    CHECK(testing::dump(path) == before);

    o.japanese_share = 1.5;
    auto bad = sample::populate(db, o);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == errc::invalid_argument);
    CHECK(bad.error().field == "japanese_share");
    CHECK(testing::dump(path) == before);

    o.japanese_share = 0.5;
    o.months = 0;
    auto no_time = sample::populate(db, o);
    REQUIRE_FALSE(no_time);
    CHECK(no_time.error().field == "months");
    CHECK(testing::dump(path) == before);
}

TEST_CASE("sample: the demo's sizes", "[sample]") {
    const auto small = sample::preset("small").value();
    CHECK(small.contacts == 200);
    CHECK(small.accounts == 20);
    CHECK(small.users == 5);
    CHECK(small.deals == 40);
    CHECK(small.tickets == 30);
    CHECK(sample::preset("medium").value().contacts == 5000);
    CHECK(sample::preset("large").value().contacts == 100000);
    CHECK_FALSE(sample::preset("huge"));
    CHECK_FALSE(sample::preset(""));
    const auto n = sample::for_contacts(30);
    CHECK(n.contacts == 30);
    CHECK(n.accounts == 1);
    CHECK(n.users == 1);
    CHECK(n.deals >= 11);  // enough for one deal in every stage
    CHECK(n.tickets >= 4);
    CHECK(std::string(sample::company_name()) == "みらいクラウド株式会社");
}

TEST_CASE("sample: tiny, empty and long-running companies are written too", "[sample]") {
    const Timestamp now = parse_iso8601("2027-01-04T10:00:00+09:00").value();  // just after 年末年始
    auto run = [&](sample::Options o) {
        o.now = now;
        auto db = Db::open(":memory:").value();
        auto sum = sample::populate(db, o);
        INFO(o.users << " users, " << o.accounts << " accounts, " << o.contacts << " contacts, " << o.months << " months");
        REQUIRE(sum);
        CHECK(db.deals().count().value() == static_cast<std::int64_t>(sum.value().deals));
        CHECK(db.tickets().count().value() == static_cast<std::int64_t>(sum.value().tickets));
        return sum.value();
    };
    sample::Options empty;
    empty.users = empty.teams = empty.accounts = empty.contacts = 0;
    const auto e = run(empty);
    CHECK(e.deals == 0);  // no customers to sell to
    CHECK(e.tickets == 0);
    CHECK(e.products == 12);

    auto one = sample::for_contacts(1);
    one.months = 1;
    const auto s = run(one);
    CHECK(s.accounts == 1);
    CHECK(s.deals == one.deals);

    auto long_run = sample::for_contacts(60);
    long_run.months = 36;
    long_run.japanese_share = 0.0;  // Western customers only: English deals, tickets and documents
    const auto l = run(long_run);
    CHECK(l.since < now - 35LL * 30 * 86'400'000);
    CHECK(l.interactions > 0);
}

TEST_CASE("sample: setup_leads defines the models, thresholds, form and segments, and its crossings are real",
          "[sample][scoring]") {
    testing::TempDir dir;
    const auto path = dir.file("company.crm");
    auto db = Db::open(path).value();
    sample::Options o = sample::preset("small").value();
    o.now = parse_iso8601("2026-11-24T03:00:00Z").value();
    REQUIRE(sample::populate(db, o));
    auto setup = sample::setup_leads(db, o.now);
    REQUIRE(setup);
    const auto& s = setup.value();
    CHECK(s.models == std::vector<std::string>{"勤怠管理", "経費精算"});
    CHECK(s.thresholds == std::vector<std::string>{"勤怠管理 MQL", "経費精算 MQL"});
    CHECK(s.form == "shiryo-seikyu");
    CHECK(s.segments.size() == 2);

    // Each model: an empty version 1, the rules in version 2, scores for every contact.
    const auto contacts = db.contacts().count().value();
    std::int64_t crossings = 0;
    for (std::size_t i = 0; i < s.models.size(); ++i) {
        auto versions = db.scoring().versions(s.models[i]).value();
        REQUIRE(versions.size() == 2);
        CHECK(versions[0].definition.find("decision_maker") == std::string::npos);
        CHECK(versions[1].definition.find("decision_maker") != std::string::npos);
        TopQuery q;
        q.limit = 1000;
        auto top = db.scoring().top(s.models[i], q).value();
        CHECK(static_cast<std::int64_t>(top.items.size()) == contacts);
        // Whoever is inside the threshold crossed into it, has a total of at least 60 and
        // was moved forward to mql (or was further on already).
        auto inside = db.thresholds().inside(s.thresholds[i]).value();
        auto crossed = db.thresholds().crossings(s.thresholds[i]).value();
        crossings += static_cast<std::int64_t>(crossed.size());
        CHECK(inside.size() == crossed.size());
        for (const auto& st : inside) {
            CHECK(db.scoring().stored(st.contact_id, s.models[i]).value().total >= 60000);
            const auto stage = db.contacts().get(st.contact_id).value().lifecycle_stage;
            CHECK(stage != LifecycleStage::subscriber);
            CHECK(stage != LifecycleStage::lead);
        }
        // Contacts outside are below 60: the update evaluated everyone.
        for (const auto& sc : top.items)
            if (sc.total >= 60000)
                CHECK(db.thresholds().state(s.thresholds[i], sc.contact_id).value().inside);
    }
    CHECK(crossings == s.crossings);
    // Each contact that entered was routed by the attached routing, with a follow-up task.
    CHECK(s.routing == "インサイドセールス振り分け");
    for (const auto& t : s.thresholds) {
        const auto crossed = db.thresholds().crossings(t).value();
        for (const auto& c : crossed) {
            if (!c.entered) continue;
            const auto handoffs = db.routing().handoffs(c.contact_id).value();
            REQUIRE(handoffs.size() == 1);
            CHECK(handoffs[0].status == "routed");
            CHECK(handoffs[0].trigger == t);
            CHECK(db.contacts().get(c.contact_id).value().owner_id == handoffs[0].owner_id);
            CHECK(db.tasks().get(handoffs[0].task_id).value().assignee_id == handoffs[0].owner_id);
        }
    }
    CHECK(s.crossings >= 1);  // the sample has someone hot enough: the demo shows it

    // The stored scores are what a full rescore computes at the same time.
    std::map<Id, std::int64_t> before;
    const auto scored = db.scoring().top("勤怠管理", TopQuery{1000, {}}).value();
    for (const auto& sc : scored.items) before[sc.contact_id] = sc.total;
    db.set_clock([&o] { return o.now; });
    REQUIRE(db.scoring().rescore());
    db.set_clock({});
    const auto rescored = db.scoring().top("勤怠管理", TopQuery{1000, {}}).value();
    for (const auto& sc : rescored.items) CHECK(before.at(sc.contact_id) == sc.total);

    // The segments evaluate; a second setup fails as a whole and changes nothing.
    for (const auto& name : s.segments) {
        auto seg = db.segments().get_by_name(name).value();
        CHECK(db.segments().count(seg.id, SegmentEval{o.now}).value() >= 1);
    }
    const auto dump = testing::dump(path);
    auto again = sample::setup_leads(db, o.now);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == errc::already_exists);
    CHECK(testing::dump(path) == dump);
}
