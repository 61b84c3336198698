// Interactions: records, timelines (contact, account roll-up), paging, email
// tracking, and bad input leaving the file unchanged. Bulk ingest is in
// interactions_ingest_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>

#include "interactions_fixture.hpp"

using namespace crm;

using namespace interactions_fixture;

TEST_CASE("interactions: create/get round-trip with Japanese text and links", "[interactions]") {
    Fixture f;
    Interaction i = make("meeting", kT0, {f.taro, f.hanako, f.taro}, "初回打ち合わせ：導入のご相談");
    i.body = "来月のセミナーについて説明。見積書を送付予定。🙂";
    i.direction = Direction::outbound;
    i.channel = "訪問";
    i.actor_id = f.user;
    i.account_ids = {f.account};
    i.external_id = "ma-evt-1";
    i.tags = {"重要"};
    const Id id = f.db.interactions().create(i).value();
    auto got = f.db.interactions().get(id).value();
    CHECK(got.kind == "meeting");
    CHECK(got.subject == "初回打ち合わせ：導入のご相談");
    CHECK(got.body == i.body);
    CHECK(got.direction == Direction::outbound);
    CHECK(got.channel == "訪問");
    CHECK(got.actor_id == f.user);
    CHECK(got.occurred_at == kT0);
    CHECK(got.contact_ids == std::vector<Id>{std::min(f.taro, f.hanako), std::max(f.taro, f.hanako)});
    CHECK(got.account_ids == std::vector<Id>{f.account});
    CHECK(got.tags == Tags{"重要"});
    CHECK(f.db.interactions().get_by_external_id("ma-evt-1").value().id == id);

    // JSON round trip and a history row per create.
    auto back = interaction_from_json(to_json(got)).value();
    CHECK(back.subject == got.subject);
    CHECK(back.contact_ids == got.contact_ids);
    CHECK(f.db.interactions().history(id).value().size() == 1);

    // Update moves the timeline position too.
    got.occurred_at = kT0 + 5000;
    got.subject = "日程変更";
    REQUIRE(f.db.interactions().update(got));
    auto page = f.db.interactions().timeline(Entity::contact, f.taro).value();
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].occurred_at == kT0 + 5000);
    CHECK(f.db.interactions().history(id).value().size() == 3);  // create + occurred_at + subject

    REQUIRE(f.db.interactions().remove(id));
    CHECK(f.db.interactions().timeline(Entity::contact, f.taro).value().items.empty());
}

TEST_CASE("interactions: host-defined kinds are accepted, malformed ones refused", "[interactions]") {
    Fixture f;
    CHECK(f.db.interactions().create(make("webinar_qna", kT0, {f.taro})));
    CHECK(is_builtin_interaction_kind("line"));
    CHECK_FALSE(is_builtin_interaction_kind("webinar_qna"));
    for (std::string bad : {"", "Email", "1call", "電話", "web-visit"}) {
        auto r = f.db.interactions().create(make(bad, kT0, {f.taro}));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == "kind");
    }
}

TEST_CASE("interactions: bad input leaves the file unchanged", "[interactions]") {
    Fixture f;
    REQUIRE(f.db.interactions().create(make("call", kT0, {f.taro})));
    const auto before = testing::dump(f.path);

    auto r = f.db.interactions().create(make("call", kT0, {f.taro, 999999}));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::not_found);
    CHECK(r.error().field == "contact_ids");

    Interaction i = make("call", kT0, {f.taro});
    i.account_ids = {424242};
    CHECK(f.db.interactions().create(i).error().field == "account_ids");
    i = make("call", kT0, {f.taro});
    i.actor_id = 777;
    CHECK(f.db.interactions().create(i).error().field == "actor_id");
    i = make("call", kT0, {f.taro});
    i.subject = std::string("\xff\xfe", 2);
    CHECK(f.db.interactions().create(i).error().field == "subject");
    CHECK_FALSE(interaction_from_json(R"({"kind":"call","colour":"red"})"));
    CHECK_FALSE(interaction_from_json(R"({"kind":"call","direction":"sideways"})"));

    // Tracking a non-email, unknown event targets, bad cursors.
    auto call = f.db.interactions().list().value().items.at(0).id;
    CHECK(f.db.interactions().track(call, event(EmailEventType::opened, kT0, "")).error().code == errc::invalid_argument);
    CHECK(f.db.interactions().track(999, event(EmailEventType::opened, kT0, "")).error().code == errc::not_found);
    TimelineQuery q;
    q.after = "garbage";
    CHECK(f.db.interactions().timeline(Entity::contact, f.taro, q).error().field == "after");
    CHECK(f.db.interactions().timeline(Entity::contact, 12345).error().code == errc::not_found);
    CHECK(f.db.interactions().timeline(Entity::user, f.user).error().code == errc::invalid_argument);

    // A half-valid batch in all-or-nothing mode.
    std::vector<Interaction> batch = {make("web_visit", kT0 + 1, {f.taro}), make("web_visit", kT0 + 2, {31337})};
    batch[0].external_id = "e-1";
    batch[1].external_id = "e-2";
    auto ing = f.db.interactions().ingest(batch);
    REQUIRE_FALSE(ing);
    CHECK(ing.error().field == "items[1].contact_ids");
    CHECK(testing::dump(f.path) == before);
}

TEST_CASE("interactions: contact timeline is newest first, filtered, and pages by keyset", "[interactions]") {
    Fixture f;
    std::vector<Id> ids;
    for (int n = 0; n < 25; ++n) {
        // Pairs share a timestamp so that the id breaks ties.
        auto kind = n % 5 == 0 ? "email" : "web_visit";
        ids.push_back(f.db.interactions().create(make(kind, kT0 + (n / 2) * 1000, {f.taro}, "件名" + std::to_string(n))).value());
    }
    f.db.interactions().create(make("call", kT0, {f.other})).value();

    std::vector<Id> expected(ids.rbegin(), ids.rend());
    std::vector<Id> seen;
    TimelineQuery q;
    q.limit = 7;
    int pages = 0;
    for (;;) {
        auto page = f.db.interactions().timeline(Entity::contact, f.taro, q).value();
        ++pages;
        for (Id id : ids_of(page)) seen.push_back(id);
        if (page.next.empty()) break;
        q.after = page.next;
    }
    CHECK(pages == 4);
    CHECK(seen == expected);

    TimelineQuery emails;
    emails.kinds = {"email"};
    auto e = f.db.interactions().timeline(Entity::contact, f.taro, emails).value();
    CHECK(ids_of(e) == std::vector<Id>{ids[20], ids[15], ids[10], ids[5], ids[0]});

    TimelineQuery range;
    range.since = kT0 + 2000;
    range.until = kT0 + 4000;  // n = 4..7
    CHECK(ids_of(f.db.interactions().timeline(Entity::contact, f.taro, range).value()) ==
          std::vector<Id>{ids[7], ids[6], ids[5], ids[4]});
    range.kinds = {"email", "call"};
    CHECK(ids_of(f.db.interactions().timeline(Entity::contact, f.taro, range).value()) == std::vector<Id>{ids[5]});
}

TEST_CASE("interactions: account timeline rolls up its contacts' interactions", "[interactions]") {
    Fixture f;
    auto a = f.db.interactions().create(make("call", kT0 + 1, {f.taro})).value();
    auto b = f.db.interactions().create(make("email", kT0 + 2, {f.hanako})).value();
    Interaction both = make("meeting", kT0 + 3, {f.taro, f.hanako});
    both.account_ids = {f.account};  // linked both ways: listed once
    auto c = f.db.interactions().create(both).value();
    Interaction own = make("note", kT0 + 4, {});
    own.account_ids = {f.account};
    auto d = f.db.interactions().create(own).value();
    f.db.interactions().create(make("call", kT0 + 5, {f.other})).value();  // another company

    auto page = f.db.interactions().timeline(Entity::account, f.account).value();
    CHECK(ids_of(page) == std::vector<Id>{d, c, b, a});
    CHECK(page.next.empty());

    TimelineQuery q;
    q.limit = 2;
    auto p1 = f.db.interactions().timeline(Entity::account, f.account, q).value();
    CHECK(ids_of(p1) == std::vector<Id>{d, c});
    q.after = p1.next;
    auto p2 = f.db.interactions().timeline(Entity::account, f.account, q).value();
    CHECK(ids_of(p2) == std::vector<Id>{b, a});
    CHECK(p2.next.empty());

    q = {};
    q.kinds = {"call", "email"};
    CHECK(ids_of(f.db.interactions().timeline(Entity::account, f.account, q).value()) == std::vector<Id>{b, a});

    // A contact who leaves takes nothing away: what they did while they worked there
    // stays on the account's timeline; what they do afterwards is not the account's.
    testing::FakeClock clock;
    *clock.now = kT0 + 1000;
    clock.install(f.db);
    auto h = f.db.contacts().get(f.hanako).value();
    h.account_id = std::nullopt;
    REQUIRE(f.db.contacts().update(h));
    CHECK(ids_of(f.db.interactions().timeline(Entity::account, f.account).value()) == std::vector<Id>{d, c, b, a});
    const Timestamp left = *clock.now;
    const Id after = f.db.interactions().create(make("call", left + 10, {f.hanako})).value();
    CHECK(ids_of(f.db.interactions().timeline(Entity::account, f.account).value()) == std::vector<Id>{d, c, b, a});
    CHECK(ids_of(f.db.interactions().timeline(Entity::contact, f.hanako).value()).front() == after);
}

TEST_CASE("interactions: account timeline pages equal a from-scratch merge over random data", "[interactions]") {
    // The account page merges each source's newest rows; check it against the
    // definition (every interaction linked to the account or one of its contacts,
    // once, newest first) over random links, shared timestamps, filters and page sizes.
    Fixture f;
    std::vector<Id> mine = {f.taro, f.hanako};
    for (int i = 0; i < 8; ++i) {
        auto c = testing::contact("社員 " + std::to_string(i), "staff" + std::to_string(i) + "@example.jp");
        c.account_id = f.account;
        mine.push_back(f.db.contacts().create(c).value());
    }
    std::uint64_t seed = 0x9E3779B97F4A7C15ULL;
    auto rnd = [&](std::uint64_t n) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        return seed % n;
    };
    const char* kinds[] = {"call", "email", "note"};
    struct Row {
        Timestamp at;
        Id id;
        std::string kind;
        bool in_account;
    };
    std::vector<Row> rows;
    std::vector<Interaction> batch;
    for (int i = 0; i < 400; ++i) {
        Interaction v = make(kinds[rnd(3)], kT0 + static_cast<Timestamp>(rnd(150)) * 1000, {});
        const auto links = rnd(4);
        bool in = false;
        for (std::uint64_t k = 0; k < links; ++k) {
            const bool theirs = rnd(5) == 0;
            v.contact_ids.push_back(theirs ? f.other : mine[rnd(mine.size())]);
            in = in || !theirs;
        }
        if (rnd(6) == 0) {
            v.account_ids = {f.account};
            in = true;
        }
        batch.push_back(v);
        rows.push_back({v.occurred_at, 0, v.kind, in});
    }
    auto r = f.db.interactions().ingest(batch).value();
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].id = r.items[i].id;

    for (int round = 0; round < 12; ++round) {
        TimelineQuery q;
        q.limit = 1 + rnd(25);
        if (round % 3 == 1) q.kinds = {"call", "note"};
        if (round % 4 == 2) {
            q.since = kT0 + 20'000;
            q.until = kT0 + 120'000;
        }
        std::vector<Id> want;
        std::vector<Row> sorted = rows;
        std::sort(sorted.begin(), sorted.end(),
                  [](const Row& a, const Row& b) { return a.at != b.at ? a.at > b.at : a.id > b.id; });
        for (const auto& x : sorted) {
            if (!x.in_account) continue;
            if (!q.kinds.empty() && std::find(q.kinds.begin(), q.kinds.end(), x.kind) == q.kinds.end()) continue;
            if (q.since && x.at < *q.since) continue;
            if (q.until && x.at >= *q.until) continue;
            want.push_back(x.id);
        }
        std::vector<Id> got;
        for (int guard = 0; guard < 1000; ++guard) {
            auto page = f.db.interactions().timeline(Entity::account, f.account, q).value();
            CHECK(page.items.size() <= q.limit);
            for (const auto& v : page.items) got.push_back(v.id);
            if (page.next.empty()) break;
            CHECK(page.items.size() == q.limit);
            q.after = page.next;
        }
        INFO("round " << round << ", limit " << q.limit);
        CHECK(got == want);
    }
}

TEST_CASE("interactions: email tracking events", "[interactions]") {
    Fixture f;
    testing::FakeClock clock;
    clock.install(f.db);
    const Timestamp created = *clock.now;
    Interaction mail = make("email", kT0, {f.taro}, "【ご案内】新製品セミナーのお知らせ");
    mail.direction = Direction::outbound;
    auto id = f.db.interactions().create(mail).value();
    auto it = f.db.interactions();
    clock.advance(1000);
    REQUIRE(it.track(id, event(EmailEventType::sent, kT0, "")));
    REQUIRE(it.track(id, event(EmailEventType::delivered, kT0 + 1000, "")));
    REQUIRE(it.track(id, event(EmailEventType::opened, kT0 + 60000, "")));
    REQUIRE(it.track(id, event(EmailEventType::clicked, kT0 + 61000, "https://example.jp/seminar?utm=mail")));
    REQUIRE(it.track(id, event(EmailEventType::unsubscribed, kT0 + 62000, "")));
    auto events = it.email_events(id).value();
    REQUIRE(events.size() == 5);
    CHECK(events[0].type == EmailEventType::sent);
    CHECK(events[3].type == EmailEventType::clicked);
    CHECK(events[3].url == "https://example.jp/seminar?utm=mail");
    CHECK(events[4].at == kT0 + 62000);
    // Each event is a history row on the interaction; the record still reads as of then.
    CHECK(it.history(id).value().size() == 6);
    CHECK(it.get_as_of(id, created + 1).value().subject == mail.subject);

    const auto before = testing::dump(f.path);
    CHECK(it.track(id, event(EmailEventType::opened, kT0, "https://x.example")).error().field == "url");
    CHECK(testing::dump(f.path) == before);
    REQUIRE(it.remove(id));
    CHECK(it.email_events(id).error().code == errc::not_found);
}

TEST_CASE("interactions: deal and ticket links", "[interactions]") {
    Fixture f;
    Interaction i = make("call", kT0, {f.taro});
    i.deal_ids = {1};
    auto r = f.db.interactions().create(i);
    REQUIRE_FALSE(r);  // no deal 1 (or no deals table yet)
    CHECK(r.error().field == "deal_ids");
    i.deal_ids.clear();
    i.ticket_ids = {1};
    CHECK(f.db.interactions().create(i).error().field == "ticket_ids");
}

TEST_CASE("interactions: list and filters through the generic records", "[interactions]") {
    Fixture f;
    f.db.interactions().create(make("call", kT0, {f.taro})).value();
    f.db.interactions().create(make("email", kT0 + 1, {f.taro})).value();
    ListOptions o;
    o.where = {parse_filter("kind=email").value()};
    auto page = f.db.interactions().list(o).value();
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].kind == "email");
    CHECK(timeline_query_from_json(R"({"kinds":["email"],"since":"2025-10-01","limit":10})").value().limit == 10);
    CHECK_FALSE(timeline_query_from_json(R"({"limt":10})"));
}

TEST_CASE("interactions: email events act on the recipient and are refused before the send", "[interactions]") {
    Fixture f;
    testing::FakeClock clock;
    *clock.now = kT0 + 3'600'000;
    clock.install(f.db);
    auto c = f.db.contacts().get(f.taro).value();
    c.consent.email = true;
    c.emails.push_back({"taro.home@example.jp", "home", false});
    REQUIRE(f.db.contacts().update(c));
    Interaction mail = make("email", kT0, {f.taro}, "【ご案内】秋のセミナー");
    mail.direction = Direction::outbound;
    const Id id = f.db.interactions().create(mail).value();
    auto it = f.db.interactions();

    // Refused, changing nothing: before the send, a soft non-bounce, an address no linked contact has.
    const auto before = testing::dump(f.path);
    auto early = it.track(id, event(EmailEventType::opened, kT0 - 1));
    REQUIRE_FALSE(early);
    CHECK(early.error().field == "at");
    auto soft_open = event(EmailEventType::opened, kT0 + 1);
    soft_open.soft = true;
    CHECK(it.track(id, soft_open).error().field == "soft");
    auto stranger = event(EmailEventType::bounced, kT0 + 1);
    stranger.address = "ichiro@other.example";  // another contact's, not linked to this email
    CHECK(it.track(id, stranger).error().field == "address");
    CHECK(it.track(id, event(EmailEventType::opened, INT64_MAX)).error().field == "at");
    CHECK(testing::dump(f.path) == before);

    // A soft bounce leaves the address usable.
    auto soft = event(EmailEventType::bounced, kT0 + 1000);
    soft.soft = true;
    REQUIRE(it.track(id, soft));
    CHECK_FALSE(f.db.contacts().get(f.taro).value().emails[0].undeliverable);
    // A hard bounce of the second address marks that address only, with a history row on the contact.
    auto hard = event(EmailEventType::bounced, kT0 + 2000);
    hard.address = "TARO.HOME@example.jp";
    REQUIRE(it.track(id, hard));
    auto now_c = f.db.contacts().get(f.taro).value();
    CHECK_FALSE(now_c.emails[0].undeliverable);
    CHECK(now_c.emails[1].undeliverable);
    CHECK(it.email_events(id).value().back().address == "taro.home@example.jp");
    // Unsubscribe withdraws the consent, through the update path.
    REQUIRE(it.track(id, event(EmailEventType::unsubscribed, kT0 + 3000)));
    CHECK_FALSE(f.db.contacts().get(f.taro).value().consent.email);
    const auto h = f.db.contacts().history(f.taro).value();
    bool consent_row = false, bounce_row = false;
    for (const auto& ch : h) {
        consent_row |= ch.field == "consent.email" && ch.new_value == "false";
        bounce_row |= ch.field == "emails";
    }
    CHECK(consent_row);
    CHECK(bounce_row);

    // An email to two contacts needs the recipient named for what changes a contact.
    Interaction both = make("email", kT0, {f.taro, f.hanako}, "お知らせ");
    const Id two = it.create(both).value();
    CHECK(it.track(two, event(EmailEventType::unsubscribed, kT0 + 1)).error().field == "address");
    REQUIRE(it.track(two, event(EmailEventType::opened, kT0 + 1)));  // nothing to change: fine
    auto named = event(EmailEventType::unsubscribed, kT0 + 2);
    named.address = "hanako@example.jp";
    auto hanako_before = f.db.contacts().get(f.hanako).value();
    hanako_before.consent.email = true;
    REQUIRE(f.db.contacts().update(hanako_before));
    REQUIRE(it.track(two, named));
    CHECK_FALSE(f.db.contacts().get(f.hanako).value().consent.email);

    // The JSON form the C ABI and the CLI read.
    auto parsed = email_event_from_json(R"({"event":"bounced","at":"2025-10-09T10:00:00Z","address":"a@b.jp","soft":true})");
    REQUIRE(parsed);
    CHECK(parsed.value().soft);
    CHECK(parsed.value().address == "a@b.jp");
    CHECK(email_event_from_json(R"({"event":"opened","event":"clicked"})").error().field == "event");
    CHECK(email_event_from_json(R"({"at":1})").error().field == "event");
    CHECK(email_event_from_json(R"({"event":"opened","colour":"red"})").error().field == "colour");
}
