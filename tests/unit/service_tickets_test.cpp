// Tickets: the status workflow, first response, SLA policies and breach detection.
#include <catch2/catch.hpp>

#include "crm/tickets.hpp"
#include "helpers.hpp"
#include "service_helpers.hpp"

using namespace crm;

namespace {
constexpr std::int64_t H = 3'600'000;
constexpr std::int64_t M = 60'000;

using testing::japan;
using testing::jst;

struct Fixture {
    testing::TempDir dir;
    std::string path = dir.file("t.crm");
    Db db = Db::open(path).value();
    testing::FakeClock clock;
    Fixture() { clock.install(db); }
    Id ticket(const std::string& subject, TicketPriority p = TicketPriority::normal, std::optional<Id> policy = {}) {
        Ticket t;
        t.subject = subject;
        t.priority = p;
        t.sla_policy_id = policy;
        return db.tickets().create(t).value();
    }
};
}  // namespace

TEST_CASE("tickets: create, read and list with Japanese text") {
    Fixture f;
    auto yamada = f.db.contacts().create(testing::contact("山田 太郎", "taro@example.jp")).value();
    Ticket t;
    t.subject = "　請求書が届かない　";
    t.description = "先月分の請求書がまだ届いていません。";
    t.channel = TicketChannel::line;
    t.requester_id = yamada;
    t.tags = {"請求"};
    auto id = f.db.tickets().create(t).value();
    auto got = f.db.tickets().get(id).value();
    CHECK(got.subject == "請求書が届かない");
    CHECK(got.status == TicketStatus::new_);
    CHECK(got.opened_at == *f.clock.now);
    CHECK(got.requester_id == yamada);
    CHECK(got.channel == TicketChannel::line);
    CHECK(got.tags == Tags{"請求"});
    auto h = f.db.tickets().status_history(id).value();
    REQUIRE(h.size() == 1);
    CHECK_FALSE(h[0].from);
    CHECK(h[0].to == TicketStatus::new_);

    f.ticket("ログインできない", TicketPriority::urgent);
    ListOptions lo;
    lo.where = {{"priority", Op::eq, std::string("urgent")}};
    auto page = f.db.tickets().list(lo).value();
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].subject == "ログインできない");
    CHECK(f.db.tickets().count().value() == 2);

    auto doc = to_json(got);
    auto back = from_json<Ticket>(doc);
    REQUIRE(back);
    CHECK(back.value().subject == got.subject);
    CHECK(back.value().status == TicketStatus::new_);
}

TEST_CASE("tickets: bad input is refused and changes nothing") {
    Fixture f;
    auto id = f.ticket("既存の問い合わせ");
    const auto before = testing::dump(f.path);
    Ticket t;
    t.subject = "  ";
    auto r = f.db.tickets().create(t);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "subject");
    t.subject = "件名";
    t.requester_id = 999;
    r = f.db.tickets().create(t);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::not_found);
    CHECK(r.error().field == "requester_id");
    t.requester_id.reset();
    t.sla_policy_id = 5;
    r = f.db.tickets().create(t);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "sla_policy_id");
    t.sla_policy_id.reset();
    t.resolved_at = *f.clock.now;
    r = f.db.tickets().create(t);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "resolved_at");
    CHECK_FALSE(f.db.tickets().patch(id, R"({"priority":"critical"})"));
    CHECK_FALSE(from_json<Ticket>(R"({"subject":"x","colour":"red"})"));
    CHECK(testing::dump(f.path) == before);
}

TEST_CASE("tickets: illegal transitions and status edits are refused with data unchanged") {
    Fixture f;
    auto id = f.ticket("返品したい");
    const auto before = testing::dump(f.path);

    auto r = f.db.tickets().transition(id, TicketStatus::closed);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::constraint_violation);
    CHECK(r.error().field == "status");
    CHECK_FALSE(f.db.tickets().transition(id, TicketStatus::new_));

    auto t = f.db.tickets().get(id).value();
    t.status = TicketStatus::resolved;
    auto u = f.db.tickets().update(t);
    REQUIRE_FALSE(u);
    CHECK(u.error().code == errc::constraint_violation);
    CHECK(u.error().field == "status");
    CHECK_FALSE(f.db.tickets().patch(id, R"({"status":"open"})"));
    CHECK_FALSE(f.db.tickets().patch(id, R"({"resolved_at":"2026-01-05T00:00:00Z"})"));
    CHECK_FALSE(f.db.tickets().patch(id, R"({"first_response_at":"2026-01-05T00:00:00Z"})"));
    CHECK_FALSE(f.db.tickets().transition(12345, TicketStatus::open));
    CHECK(testing::dump(f.path) == before);

    // A generic update of other fields still works and keeps the status.
    REQUIRE(f.db.tickets().patch(id, R"({"priority":"high","subject":"返品したい（急ぎ）"})"));
    CHECK(f.db.tickets().get(id).value().status == TicketStatus::new_);

    // Every row of the table.
    using S = TicketStatus;
    const S all[] = {S::new_, S::open, S::pending, S::on_hold, S::resolved, S::closed};
    int allowed = 0;
    for (auto a : all)
        for (auto b : all) allowed += transition_allowed(a, b) ? 1 : 0;
    CHECK(allowed == 4 + 3 + 2 + 2 + 2 + 0);
    CHECK(transition_allowed(S::resolved, S::open));
    CHECK_FALSE(transition_allowed(S::closed, S::open));
    CHECK_FALSE(transition_allowed(S::pending, S::on_hold));
}

TEST_CASE("tickets: transitions write history, resolved_at and closed_at") {
    Fixture f;
    auto agent = f.db.users().create([] { User u; u.name = "サポート 花子"; u.email = "hanako@example.jp"; return u; }()).value();
    f.db.set_actor(agent);
    auto id = f.ticket("配送状況を知りたい");
    const Timestamp t0 = *f.clock.now;
    auto& tk = f.db;
    f.clock.advance(1000);
    REQUIRE(tk.tickets().transition(id, TicketStatus::open));
    f.clock.advance(1000);
    REQUIRE(tk.tickets().transition(id, TicketStatus::pending));
    f.clock.advance(1000);
    REQUIRE(tk.tickets().transition(id, TicketStatus::open));
    f.clock.advance(1000);
    auto res = tk.tickets().transition(id, TicketStatus::resolved).value();
    CHECK(res.resolved_at == t0 + 4000);
    CHECK_FALSE(res.closed_at);
    f.clock.advance(1000);
    auto reopened = tk.tickets().transition(id, TicketStatus::open).value();  // reopen
    CHECK_FALSE(reopened.resolved_at);
    f.clock.advance(1000);
    REQUIRE(tk.tickets().transition(id, TicketStatus::resolved));
    f.clock.advance(1000);
    auto closed = tk.tickets().transition(id, TicketStatus::closed).value();
    CHECK(closed.resolved_at == t0 + 6000);
    CHECK(closed.closed_at == t0 + 7000);

    auto before = testing::dump(f.path);
    CHECK_FALSE(tk.tickets().transition(id, TicketStatus::open));  // closed is final
    CHECK(testing::dump(f.path) == before);

    auto h = tk.tickets().status_history(id).value();
    REQUIRE(h.size() == 8);
    const char* expect[][2] = {{nullptr, "new"},    {"new", "open"},      {"open", "pending"}, {"pending", "open"},
                               {"open", "resolved"}, {"resolved", "open"}, {"open", "resolved"}, {"resolved", "closed"}};
    for (std::size_t i = 0; i < h.size(); ++i) {
        if (expect[i][0]) CHECK(to_string(*h[i].from) == std::string(expect[i][0]));
        CHECK(to_string(h[i].to) == std::string(expect[i][1]));
        CHECK(h[i].at == t0 + static_cast<Timestamp>(i) * 1000);
        CHECK(h[i].actor_id == agent);
    }
    // The generic history has the status field changes too.
    int status_changes = 0;
    const auto changes = tk.tickets().history(id).value();
    for (const auto& c : changes) status_changes += c.field == "status" ? 1 : 0;
    CHECK(status_changes == 7);

    // Deleting the ticket deletes its status history.
    REQUIRE(tk.tickets().remove(id));
    CHECK(tk.tickets().status_history(id).error().code == errc::not_found);
    CHECK(testing::dump(f.path).find("== ticket_status_history\n== tickets\n") != std::string::npos);
}

TEST_CASE("tickets: the first response is recorded once") {
    Fixture f;
    auto id = f.ticket("パスワードを忘れた");
    const Timestamp t0 = *f.clock.now;
    f.clock.advance(5 * M);
    CHECK(f.db.tickets().record_response(id).value() == t0 + 5 * M);
    f.clock.advance(5 * M);
    CHECK(f.db.tickets().record_response(id).value() == t0 + 5 * M);
    CHECK(f.db.tickets().record_response(id, t0 + 1).value() == t0 + 5 * M);
    CHECK(f.db.tickets().get(id).value().first_response_at == t0 + 5 * M);
    auto other = f.ticket("二件目");
    auto before = testing::dump(f.path);
    CHECK_FALSE(f.db.tickets().record_response(other, t0 - 1));  // before opened_at
    CHECK_FALSE(f.db.tickets().record_response(999));
    CHECK(testing::dump(f.path) == before);
}

TEST_CASE("tickets: SLA due times, breach detection and met targets in a Japanese calendar") {
    Fixture f;
    auto& tickets = f.db;
    auto cal = tickets.tickets().define_calendar(japan()).value();
    SlaPolicy p;
    p.name = "標準SLA";
    p.calendar_id = cal;
    p.targets = {{TicketPriority::high, 60, 8 * 60}, {TicketPriority::normal, 4 * 60, 3 * 8 * 60}};
    auto pid = tickets.tickets().define_sla_policy(p).value();
    CHECK(tickets.tickets().sla_policy(pid).value().targets.size() == 2);

    // Opened Friday 2026-01-09 17:30 JST; Monday 01-12 is 成人の日.
    *f.clock.now = jst("2026-01-09T17:30:00");
    auto hi = f.ticket("至急：システムが止まった", TicketPriority::high, pid);
    auto lo = f.ticket("請求書の再発行", TicketPriority::low, pid);  // no target for low
    auto s = tickets.tickets().sla(hi).value();
    CHECK(s.first_response.state == SlaState::pending);
    CHECK(s.first_response.due_at == jst("2026-01-13T09:30:00"));
    CHECK(s.resolution.due_at == jst("2026-01-13T17:30:00"));
    CHECK(tickets.tickets().sla(lo).value().first_response.state == SlaState::none);

    // Tuesday 09:00: the first response is due within 60 minutes, the resolution not.
    *f.clock.now = jst("2026-01-13T09:00:00");
    auto a = tickets.tickets().breaching(60).value();
    REQUIRE(a.size() == 1);
    CHECK(a[0].ticket_id == hi);
    CHECK(a[0].target == "first_response");
    CHECK_FALSE(a[0].breached);
    CHECK(tickets.tickets().breaching(0).value().empty());
    CHECK(tickets.tickets().sla(hi).value().first_response.elapsed_business_ms == 30 * M);

    // 09:31: breached.
    *f.clock.now = jst("2026-01-13T09:31:00");
    a = tickets.tickets().breaching(0).value();
    REQUIRE(a.size() == 1);
    CHECK(a[0].breached);
    CHECK(tickets.tickets().sla(hi).value().first_response.state == SlaState::breached);
    a = tickets.tickets().breaching(8 * 60).value();
    REQUIRE(a.size() == 2);  // ordered by due time
    CHECK(a[0].target == "first_response");
    CHECK(a[1].target == "resolution");

    // A late reply stays breached; the alert for it goes away.
    REQUIRE(tickets.tickets().record_response(hi));
    s = tickets.tickets().sla(hi).value();
    CHECK(s.first_response.state == SlaState::breached);
    CHECK(s.first_response.elapsed_business_ms == 61 * M);
    a = tickets.tickets().breaching(8 * 60).value();
    REQUIRE(a.size() == 1);
    CHECK(a[0].target == "resolution");

    // Resolved in time: met, and no more alerts.
    *f.clock.now = jst("2026-01-13T17:00:00");
    REQUIRE(tickets.tickets().transition(hi, TicketStatus::resolved));
    s = tickets.tickets().sla(hi).value();
    CHECK(s.resolution.state == SlaState::met);
    CHECK(s.resolution.elapsed_business_ms == 7 * H + 30 * M);
    CHECK(tickets.tickets().breaching(10'000).value().empty());

    // A normal ticket answered in time.
    *f.clock.now = jst("2026-01-14T10:00:00");
    auto n = f.ticket("領収書の宛名変更", TicketPriority::normal, pid);
    f.clock.advance(30 * M);
    REQUIRE(tickets.tickets().record_response(n));
    CHECK(tickets.tickets().sla(n).value().first_response.state == SlaState::met);
    CHECK(tickets.tickets().sla(n).value().resolution.due_at == jst("2026-01-19T10:00:00"));

    CHECK(tickets.tickets().breaching(-1).error().code == errc::invalid_argument);
}

TEST_CASE("tickets: calendars and SLA policies are defined by name and validated") {
    Fixture f;
    auto t = f.db.tickets();
    auto id = t.define_calendar(japan()).value();
    auto c2 = japan();
    c2.holidays.push_back("2026-02-11");
    CHECK(t.define_calendar(c2).value() == id);  // same name: replaced
    CHECK(t.calendar(id).value().holidays.size() == 4);
    CHECK(t.calendars().value().size() == 1);
    auto before = testing::dump(f.path);
    auto bad = japan();
    bad.holidays.push_back("2026-13-01");
    CHECK_FALSE(t.define_calendar(bad));
    SlaPolicy p;
    p.name = "x";
    p.calendar_id = 99;
    CHECK(t.define_sla_policy(p).error().field == "calendar_id");
    p.calendar_id = id;
    p.targets = {{TicketPriority::high, -1, 10}};
    CHECK_FALSE(t.define_sla_policy(p));
    p.targets = {{TicketPriority::high, 1, 10}, {TicketPriority::high, 2, 10}};
    CHECK_FALSE(t.define_sla_policy(p));
    CHECK(testing::dump(f.path) == before);
    auto pj = sla_policy_from_json(R"({"name":"夜間","targets":{"urgent":{"first_response_minutes":15,"resolution_minutes":240}}})");
    REQUIRE(pj);
    auto pid = t.define_sla_policy(pj.value()).value();
    auto got = t.sla_policy(pid).value();
    CHECK_FALSE(got.calendar_id);
    REQUIRE(got.targets.size() == 1);
    CHECK(got.targets[0].resolution_minutes == 240);
    CHECK_FALSE(sla_policy_from_json(R"({"name":"x","targets":{"critical":{}}})"));
}

TEST_CASE("tickets: an imported resolved ticket keeps its past, and meets its SLA") {
    Fixture f;
    f.db.tickets().define_calendar(japan()).value();
    SlaPolicy p;
    p.name = "標準";
    p.calendar_id = f.db.tickets().calendars().value().at(0).id;
    p.targets = {{TicketPriority::normal, 60, 8 * 60}};
    const Id policy = f.db.tickets().define_sla_policy(p).value();
    *f.clock.now = jst("2026-03-02T09:00:00");
    // Opened in 2025, answered and resolved within the day, loaded today.
    Ticket t;
    t.subject = "過去の問い合わせ";
    t.sla_policy_id = policy;
    t.opened_at = jst("2025-06-02T10:00:00");
    const Id id = f.db.tickets().create(t).value();
    REQUIRE(f.db.tickets().transition(id, TicketStatus::open, jst("2025-06-02T10:05:00")));
    REQUIRE(f.db.tickets().record_response(id, jst("2025-06-02T10:30:00")));
    auto resolved = f.db.tickets().transition(id, TicketStatus::resolved, jst("2025-06-02T15:00:00"));
    REQUIRE(resolved);
    CHECK(*resolved.value().resolved_at == jst("2025-06-02T15:00:00"));
    auto h = f.db.tickets().status_history(id).value();
    REQUIRE(h.size() == 3);
    CHECK(h[0].at == jst("2025-06-02T10:00:00"));  // entered "new" when it was opened
    CHECK(h[2].at == jst("2025-06-02T15:00:00"));
    auto sla = f.db.tickets().sla(id).value();
    CHECK(sla.first_response.state == SlaState::met);
    CHECK(sla.resolution.state == SlaState::met);
    CHECK(f.db.tickets().breaching(0).value().empty());

    // Out of order, in the future, before opened: refused, nothing changes.
    const auto before = testing::dump(f.path);
    CHECK(f.db.tickets().transition(id, TicketStatus::closed, jst("2025-06-02T14:00:00")).error().field == "at");
    CHECK(f.db.tickets().transition(id, TicketStatus::closed, jst("2026-03-03T00:00:00")).error().field == "at");
    Ticket u;
    u.subject = "別件";
    u.opened_at = jst("2025-01-01T00:00:00");
    const auto snapshot_before_create = testing::dump(f.path);
    CHECK(snapshot_before_create == before);
    const Id other = f.db.tickets().create(u).value();
    CHECK(f.db.tickets().transition(other, TicketStatus::open, jst("2024-12-31T00:00:00")).error().field == "at");
}

TEST_CASE("tickets: an outbound interaction linked to a ticket is its first response") {
    Fixture f;
    const Id id = f.ticket("ログインできない");
    const Timestamp opened = *f.clock.now;
    f.clock.advance(2 * H);
    // Inbound and internal ones are not answers; nor is an outbound one from before the ticket.
    Interaction in;
    in.kind = "email";
    in.direction = Direction::inbound;
    in.occurred_at = opened + 10 * M;
    in.ticket_ids = {id};
    REQUIRE(f.db.interactions().create(in));
    Interaction early = in;
    early.direction = Direction::outbound;
    early.occurred_at = opened - H;
    REQUIRE(f.db.interactions().create(early));
    CHECK_FALSE(f.db.tickets().get(id).value().first_response_at);

    // A call back at +90 min answers it, with a history row on the ticket.
    Interaction call;
    call.kind = "call";
    call.direction = Direction::outbound;
    call.occurred_at = opened + 90 * M;
    call.ticket_ids = {id};
    const Id cid = f.db.interactions().create(call).value();
    CHECK(*f.db.tickets().get(id).value().first_response_at == opened + 90 * M);
    bool recorded = false;
    const auto th = f.db.tickets().history(id).value();
    for (const auto& c : th) recorded |= c.field == "first_response_at";
    CHECK(recorded);

    // A later one changes nothing; an earlier one, logged late, is the first.
    call.occurred_at = opened + 100 * M;
    REQUIRE(f.db.interactions().create(call));
    CHECK(*f.db.tickets().get(id).value().first_response_at == opened + 90 * M);
    Interaction mail = call;
    mail.kind = "email";
    mail.occurred_at = opened + 30 * M;
    const Id mid = f.db.interactions().ingest({mail}).value().first_id;  // through bulk ingest too
    CHECK(*f.db.tickets().get(id).value().first_response_at == opened + 30 * M);
    (void)cid;
    (void)mid;

    // Linking an existing outbound interaction by an update counts as well.
    const Id second = f.ticket("請求書の再発行");
    auto later = f.db.interactions().get(cid).value();
    later.ticket_ids.push_back(second);
    REQUIRE(f.db.interactions().update(later));
    CHECK_FALSE(f.db.tickets().get(second).value().first_response_at);  // made before the ticket was opened
    Interaction reply;
    reply.kind = "email";
    reply.direction = Direction::outbound;
    reply.occurred_at = *f.clock.now;
    reply.ticket_ids = {second};
    REQUIRE(f.db.interactions().create(reply));
    CHECK(*f.db.tickets().get(second).value().first_response_at == *f.clock.now);
}
