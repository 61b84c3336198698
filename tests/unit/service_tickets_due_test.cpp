// Tickets: detaching the tickets of a deleted contact / account / user with history
// rows, and the stored SLA due times behind Tickets::breaching() (migration v7).
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <random>

#include "crm/tickets.hpp"
#include "helpers.hpp"
#include "service_helpers.hpp"
#include "old_versions.hpp"

using namespace crm;

namespace {
constexpr std::int64_t M = 60'000;
constexpr std::int64_t H = 60 * M;
constexpr std::int64_t kMaxWithin = 10LL * 366 * 24 * 60;

using testing::japan;
using testing::jst;

struct Fixture {
    testing::TempDir dir;
    std::string path = dir.file("t.crm");
    Db db;
    testing::FakeClock clock;
    explicit Fixture(const OpenOptions& o = {}) : db(Db::open(path, o).value()) { clock.install(db); }
};

Id make_user(Db& db, const std::string& name, const std::string& email) {
    User u;
    u.name = name;
    u.email = email;
    return db.users().create(u).value();
}

Id make_account(Db& db, const std::string& name) {
    Account a;
    a.name = name;
    return db.accounts().create(a).value();
}

// The last history row of a ticket for one field.
std::optional<Change> last_change(Db& db, Id ticket, const std::string& field) {
    auto h = db.tickets().history(ticket).value();
    for (auto it = h.rbegin(); it != h.rend(); ++it)
        if (it->field == field) return *it;
    return std::nullopt;
}

// breaching() computed from scratch, the way it worked before the stored due times:
// every unresolved ticket with a policy, its clocks from sla(id, now).
std::vector<SlaAlert> reference_breaching(Db& db, const std::vector<Id>& ids, std::int64_t within, Timestamp now) {
    std::vector<SlaAlert> out;
    const Timestamp horizon = now + within * M;
    for (Id id : ids) {
        auto got = db.tickets().get(id);
        if (!got) continue;
        const Ticket* t = &got.value();
        if (t->status == TicketStatus::resolved || t->status == TicketStatus::closed || !t->sla_policy_id) continue;
        auto s = db.tickets().sla(id, now).value();
        auto add = [&](const SlaClock& c, const char* target) {
            if (!c.done_at && c.state != SlaState::none && c.due_at && *c.due_at <= horizon)
                out.push_back({id, target, *c.due_at, c.state == SlaState::breached, t->priority, t->subject});
        };
        add(s.first_response, "first_response");
        add(s.resolution, "resolution");
    }
    std::sort(out.begin(), out.end(), [](const SlaAlert& a, const SlaAlert& b) {
        if (a.due_at != b.due_at) return a.due_at < b.due_at;
        if (a.ticket_id != b.ticket_id) return a.ticket_id < b.ticket_id;
        return a.target < b.target;
    });
    return out;
}

std::string describe(const std::vector<SlaAlert>& v) {
    std::string s;
    for (const auto& a : v)
        s += std::to_string(a.ticket_id) + ":" + a.target + "@" + std::to_string(a.due_at) + (a.breached ? "!" : "") +
             "/" + to_string(a.priority) + " ";
    return s;
}

void check_same(Db& db, const std::vector<Id>& ids, std::int64_t within, Timestamp now) {
    auto stored = db.tickets().breaching(within, now).value();
    auto expected = reference_breaching(db, ids, within, now);
    INFO("within " << within << " now " << now);
    REQUIRE(describe(stored) == describe(expected));
    for (std::size_t i = 0; i < stored.size(); ++i) CHECK(stored[i].subject == expected[i].subject);
}
}  // namespace

// ---- Task: deleting a contact / account / user leaves history rows on tickets ----

TEST_CASE("tickets: deleting a contact or account clears the ticket reference with a history row", "[tickets][delete]") {
    Fixture f;
    auto& db = f.db;
    const Id acc = make_account(db, "株式会社サンプル");
    Contact c = testing::contact("山田 太郎");
    c.account_id = acc;
    const Id con = db.contacts().create(c).value();

    Ticket t;
    t.subject = "請求書が届かない";
    t.requester_id = con;
    t.account_id = acc;
    t.status = TicketStatus::open;
    const Id open_id = db.tickets().create(t).value();
    t.subject = "解決済みの問い合わせ";
    t.status = TicketStatus::closed;  // a closed ticket is detached too: the status guard lets it through
    const Id closed_id = db.tickets().create(t).value();
    const auto status_rows = db.tickets().status_history(closed_id).value().size();

    const Timestamp before_contact = *f.clock.now;
    f.clock.advance(M);
    REQUIRE(db.contacts().remove(con));
    for (Id id : {open_id, closed_id}) {
        INFO("ticket " << id);
        auto now = db.tickets().get(id).value();
        CHECK_FALSE(now.requester_id);
        CHECK(now.account_id == acc);
        auto ch = last_change(db, id, "requester_id");
        REQUIRE(ch);
        CHECK(ch->op == ChangeOp::update);
        CHECK(ch->old_value == std::to_string(con));
        CHECK(ch->new_value == "null");
        CHECK(ch->at == *f.clock.now);
        CHECK(db.tickets().get_as_of(id, before_contact).value().requester_id == con);
    }
    CHECK(db.tickets().get(closed_id).value().status == TicketStatus::closed);
    CHECK(db.tickets().status_history(closed_id).value().size() == status_rows);

    const Timestamp before_account = *f.clock.now;
    f.clock.advance(M);
    REQUIRE(db.accounts().remove(acc));
    auto now = db.tickets().get(open_id).value();
    CHECK_FALSE(now.account_id);
    auto ch = last_change(db, open_id, "account_id");
    REQUIRE(ch);
    CHECK(ch->old_value == std::to_string(acc));
    CHECK(ch->new_value == "null");
    auto then = db.tickets().get_as_of(open_id, before_account).value();
    CHECK(then.account_id == acc);
    CHECK_FALSE(then.requester_id);
    auto earlier = db.tickets().get_as_of(open_id, before_contact).value();
    CHECK(earlier.account_id == acc);
    CHECK(earlier.requester_id == con);
}

TEST_CASE("tickets: a user with open assigned tickets cannot be deleted; finished ones lose the assignee",
          "[tickets][delete]") {
    Fixture f;
    auto& db = f.db;
    const Id uid = make_user(db, "佐藤 花子", "sato@example.jp");
    Ticket t;
    t.subject = "ログインできない";
    t.assignee_id = uid;
    t.status = TicketStatus::open;
    const Id open_id = db.tickets().create(t).value();
    t.subject = "解決済み";
    t.status = TicketStatus::resolved;
    const Id done_id = db.tickets().create(t).value();

    // Refused while a ticket is still open: nothing changes, not even the finished ticket.
    const auto before = testing::dump(f.path);
    f.clock.advance(M);
    auto r = db.users().remove(uid);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::constraint_violation);
    CHECK(r.error().message.find("1 open tickets") != std::string::npos);
    CHECK(testing::dump(f.path) == before);

    // Once resolved, the user can go; both tickets lose the assignee with a history row.
    REQUIRE(db.tickets().transition(open_id, TicketStatus::resolved));
    const Timestamp before_delete = *f.clock.now;
    f.clock.advance(M);
    REQUIRE(db.users().remove(uid));
    for (Id id : {open_id, done_id}) {
        INFO("ticket " << id);
        CHECK_FALSE(db.tickets().get(id).value().assignee_id);
        auto ch = last_change(db, id, "assignee_id");
        REQUIRE(ch);
        CHECK(ch->old_value == std::to_string(uid));
        CHECK(ch->new_value == "null");
        CHECK(db.tickets().get_as_of(id, before_delete).value().assignee_id == uid);
    }
}

TEST_CASE("tickets: a delete whose ticket detach fails changes nothing", "[tickets][delete]") {
    testing::TempDir dir;
    const auto path = dir.file("t.crm");
    Id con = 0, ok_id = 0, long_id = 0;
    {
        auto db = Db::open(path).value();
        con = db.contacts().create(testing::contact("鈴木 一郎")).value();
        Ticket t;
        t.requester_id = con;
        t.subject = "短い件名";
        ok_id = db.tickets().create(t).value();
        t.subject = std::string(300, 'x');
        long_id = db.tickets().create(t).value();
        db.close().value();
    }
    const auto before = testing::dump(path);
    {
        // A smaller text limit than the stored subject: the second ticket's detach fails
        // validation after the first one was already detached; the delete is rolled back.
        OpenOptions o;
        o.max_text_bytes = 100;
        auto db = Db::open(path, o).value();
        auto r = db.contacts().remove(con);
        REQUIRE_FALSE(r);
        CHECK(r.error().field == "subject");
        CHECK(db.contacts().get(con));
        CHECK(db.tickets().get(ok_id).value().requester_id == con);
        CHECK(db.tickets().get(long_id).value().requester_id == con);
        db.close().value();
    }
    CHECK(testing::dump(path) == before);
}

// ---- Task: stored SLA due times ----

TEST_CASE("tickets: stored SLA due times follow priority, response, status, policy and calendar changes",
          "[tickets][sla]") {
    Fixture f;
    auto tk = f.db.tickets();
    const Id cal = tk.define_calendar(japan()).value();
    SlaPolicy p;
    p.name = "標準SLA";
    p.calendar_id = cal;
    p.targets = {{TicketPriority::high, 60, 8 * 60}, {TicketPriority::normal, 4 * 60, 3 * 8 * 60}};
    const Id pid = tk.define_sla_policy(p).value();
    *f.clock.now = jst("2026-01-09T17:30:00");  // Friday; Monday 01-12 is a holiday
    Ticket t;
    t.subject = "至急：システムが止まった";
    t.priority = TicketPriority::low;  // no target yet
    t.sla_policy_id = pid;
    const Id id = tk.create(t).value();
    std::vector<Id> ids{id};
    const Timestamp now = jst("2026-01-13T09:00:00");
    CHECK(tk.breaching(kMaxWithin, now).value().empty());

    auto patched = tk.patch(id, R"({"priority":"high"})");  // priority change: due times appear
    REQUIRE(patched);
    auto a = tk.breaching(kMaxWithin, now).value();
    REQUIRE(a.size() == 2);
    CHECK(a[0].due_at == jst("2026-01-13T09:30:00"));
    CHECK(a[1].due_at == jst("2026-01-13T17:30:00"));
    check_same(f.db, ids, kMaxWithin, now);

    // Pending does not pause the clocks.
    REQUIRE(tk.transition(id, TicketStatus::pending));
    check_same(f.db, ids, 60, now);
    CHECK(tk.breaching(60, now).value().size() == 1);

    // Policy redefined: targets move for the open ticket.
    p.targets = {{TicketPriority::high, 120, 8 * 60}};
    REQUIRE(tk.define_sla_policy(p));
    a = tk.breaching(kMaxWithin, now).value();
    REQUIRE(a.size() == 2);
    CHECK(a[0].due_at == jst("2026-01-13T10:30:00"));
    check_same(f.db, ids, kMaxWithin, now);

    // Calendar redefined: Monday 01-12 is no longer a holiday.
    auto jp = japan();
    jp.holidays = {"2026-01-01"};
    REQUIRE(tk.define_calendar(jp));
    a = tk.breaching(kMaxWithin, now).value();
    REQUIRE(a.size() == 2);
    CHECK(a[0].due_at == jst("2026-01-12T10:30:00"));
    check_same(f.db, ids, kMaxWithin, now);

    // First response: only the resolution clock is left; resolved: none; reopened: back.
    CHECK(tk.record_response(id, jst("2026-01-12T10:00:00")).error().field == "at");  // not yet: the future
    *f.clock.now = jst("2026-01-12T10:00:00");
    REQUIRE(tk.record_response(id, jst("2026-01-12T10:00:00")));
    a = tk.breaching(kMaxWithin, now).value();
    REQUIRE(a.size() == 1);
    CHECK(a[0].target == "resolution");
    f.clock.advance(H);
    REQUIRE(tk.transition(id, TicketStatus::resolved));
    CHECK(tk.breaching(kMaxWithin, now).value().empty());
    REQUIRE(tk.transition(id, TicketStatus::open));
    CHECK(tk.breaching(kMaxWithin, now).value().size() == 1);
    check_same(f.db, ids, kMaxWithin, now);

    // Policy removed from the ticket: no alerts.
    REQUIRE(tk.patch(id, R"({"sla_policy_id":null})"));
    CHECK(tk.breaching(kMaxWithin, now).value().empty());
}

TEST_CASE("tickets: breaching() from stored due times equals the from-scratch computation (property)",
          "[tickets][sla][property]") {
    Fixture f;
    auto tk = f.db.tickets();
    std::mt19937_64 rng(20261124);
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };

    auto random_calendar = [&](const std::string& name) {
        BusinessCalendar c;
        c.name = name;
        c.utc_offset_minutes = static_cast<int>(pick(-12, 14)) * 60;
        for (std::size_t d = 0; d < 7; ++d) {
            if (pick(0, 9) < 3) continue;
            const int s = static_cast<int>(pick(0, 12)) * 60;
            const int e = s + static_cast<int>(pick(1, 10)) * 60;
            if (pick(0, 1)) c.hours[d] = {{s, std::min(e, 1440)}};
            else c.hours[d] = {{s, s + 120}, {std::min(s + 180, 1380), std::min(e + 180, 1440)}};
        }
        c.hours[3] = {{9 * 60, 17 * 60}};  // at least one working day
        for (int i = 0; i < 5; ++i) {
            const auto day = pick(1, 28);
            c.holidays.push_back(std::string("2026-01-") + (day < 10 ? "0" : "") + std::to_string(day));
        }
        std::sort(c.holidays.begin(), c.holidays.end());
        c.holidays.erase(std::unique(c.holidays.begin(), c.holidays.end()), c.holidays.end());
        return c;
    };
    std::vector<std::string> cal_names{"暦A", "暦B"};
    std::vector<Id> calendars;
    for (const auto& n : cal_names) calendars.push_back(tk.define_calendar(random_calendar(n)).value());
    auto random_policy = [&](const std::string& name) {
        SlaPolicy p;
        p.name = name;
        const auto c = pick(0, 2);
        if (c < 2) p.calendar_id = calendars[static_cast<std::size_t>(c)];
        for (auto pr : {TicketPriority::low, TicketPriority::normal, TicketPriority::high, TicketPriority::urgent}) {
            if (pick(0, 4) == 0) continue;  // no target for this priority
            p.targets.push_back({pr, pick(0, 3) == 0 ? 0 : pick(1, 600), pick(0, 3) == 0 ? 0 : pick(1, 5000)});
        }
        return p;
    };
    std::vector<std::string> policy_names{"SLA-1", "SLA-2", "SLA-3"};
    std::vector<Id> policies;
    for (const auto& n : policy_names) policies.push_back(tk.define_sla_policy(random_policy(n)).value());

    *f.clock.now = parse_iso8601("2026-01-05T00:00:00Z").value();
    std::vector<Id> ids;
    const TicketStatus statuses[] = {TicketStatus::new_, TicketStatus::open, TicketStatus::pending,
                                     TicketStatus::on_hold, TicketStatus::resolved, TicketStatus::closed};
    int compared = 0;
    for (int step = 0; step < 600; ++step) {
        f.clock.advance(pick(0, 90) * M);
        const auto op = pick(0, 99);
        if (op < 35 || ids.empty()) {
            Ticket t;
            t.subject = "問い合わせ " + std::to_string(step);
            t.priority = static_cast<TicketPriority>(pick(0, 3));
            if (pick(0, 5) > 0) t.sla_policy_id = policies[static_cast<std::size_t>(pick(0, 2))];
            t.status = pick(0, 5) == 0 ? statuses[pick(0, 5)] : TicketStatus::new_;
            if (pick(0, 2) == 0) t.opened_at = *f.clock.now - pick(0, 72) * H;
            ids.push_back(tk.create(t).value());
        } else if (const Id id = ids[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(ids.size()) - 1))];
                   op < 55) {
            (void)tk.transition(id, statuses[pick(0, 5)]);  // refused moves change nothing
        } else if (op < 65) {
            (void)tk.record_response(id);
        } else if (op < 72) {
            REQUIRE(tk.patch(id, std::string(R"({"priority":")") + to_string(static_cast<TicketPriority>(pick(0, 3))) + "\"}"));
        } else if (op < 77) {
            auto pol = pick(0, 3);
            REQUIRE(tk.patch(id, "{\"sla_policy_id\":" +
                                     (pol == 3 ? std::string("null") : std::to_string(policies[static_cast<std::size_t>(pol)])) +
                                     "}"));
        } else if (op < 80) {
            auto t = tk.get(id).value();
            const Timestamp opened = t.opened_at - pick(0, 24) * H;
            REQUIRE(tk.patch(id, "{\"opened_at\":" + std::to_string(opened) + "}"));
        } else if (op < 84) {
            REQUIRE(tk.define_sla_policy(random_policy(policy_names[static_cast<std::size_t>(pick(0, 2))])));
        } else if (op < 87) {
            REQUIRE(tk.define_calendar(random_calendar(cal_names[static_cast<std::size_t>(pick(0, 1))])));
        } else if (op < 89) {
            REQUIRE(tk.remove(id));
            std::erase(ids, id);
        } else if (op < 92) {
            REQUIRE(tk.add_tag(id, "要確認"));  // an unrelated write keeps the due times
        }
        if (step % 5 == 0) {
            for (std::int64_t within : {std::int64_t{0}, std::int64_t{60}, std::int64_t{8 * 60}, kMaxWithin}) {
                check_same(f.db, ids, within, *f.clock.now + pick(-48, 48) * H);
                ++compared;
            }
        }
    }
    check_same(f.db, ids, kMaxWithin, *f.clock.now);
    CHECK(compared >= 400);
    CHECK(tk.breaching(kMaxWithin, *f.clock.now).value().size() > 20);
}

TEST_CASE("migrations: tickets of an upgraded v5/v6 database get their SLA due times", "[db][migrations][sla]") {
    for (int v : {5, 6}) {
        INFO("from version " << v);
        testing::TempDir dir;
        const auto path = dir.file("old.crm");
        REQUIRE(testing::make_db_at_version(path, v, [](SQLite::Database& c) {
            c.exec("INSERT INTO business_calendars(id,name,utc_offset_minutes,created_at,updated_at) "
                   "VALUES(1,'日本営業日',540,1,1)");
            SQLite::Statement hours(c, "INSERT INTO business_calendar_hours VALUES(1,?1,540,720),(1,?1,780,1080)");
            for (int d = 1; d <= 5; ++d) {
                hours.bind(1, d);
                hours.exec();
                hours.reset();
            }
            c.exec("INSERT INTO business_calendar_holidays VALUES(1,'2026-01-12')");
            c.exec("INSERT INTO sla_policies(id,name,calendar_id,created_at,updated_at) VALUES(1,'標準SLA',1,1,1),"
                   "(2,'24x7',NULL,1,1)");
            c.exec("INSERT INTO sla_targets VALUES(1,'high',60,480),(1,'normal',240,0),(2,'urgent',30,120)");
            SQLite::Statement ins(c,
                                  "INSERT INTO tickets(subject,status,priority,channel,opened_at,first_response_at,"
                                  "resolved_at,sla_policy_id,created_at,updated_at) VALUES(?,?,?,'email',?,?,?,?,1,1)");
            struct Row {
                const char* subject;
                const char* status;
                const char* priority;
                std::optional<Timestamp> response, resolved;
                std::optional<Id> policy;
            };
            const Timestamp opened = jst("2026-01-09T17:30:00");
            const Row rows[] = {
                {"至急", "open", "high", {}, {}, 1},                     // both clocks
                {"返信済み", "pending", "high", opened + H, {}, 1},       // resolution only
                {"解決済み", "resolved", "high", {}, opened + 2 * H, 1},  // none
                {"通常", "new", "normal", {}, {}, 1},                    // first response only (resolution 0)
                {"低", "open", "low", {}, {}, 1},                        // no target for low
                {"なし", "open", "urgent", {}, {}, std::nullopt},        // no policy
                {"24時間", "on_hold", "urgent", {}, {}, 2},              // 24x7 calendar
            };
            for (const auto& r : rows) {
                ins.reset();
                ins.clearBindings();
                ins.bind(1, r.subject);
                ins.bind(2, r.status);
                ins.bind(3, r.priority);
                ins.bind(4, static_cast<std::int64_t>(opened));
                if (r.response) ins.bind(5, static_cast<std::int64_t>(*r.response));
                if (r.resolved) ins.bind(6, static_cast<std::int64_t>(*r.resolved));
                if (r.policy) ins.bind(7, static_cast<std::int64_t>(*r.policy));
                ins.exec();
            }
        }));
        auto db = Db::open(path).value();
        CHECK(db.schema_version() == Db::latest_schema_version());
        const std::vector<Id> ids{1, 2, 3, 4, 5, 6, 7};
        const Timestamp now = jst("2026-01-13T09:00:00");
        auto a = db.tickets().breaching(kMaxWithin, now).value();
        REQUIRE(a.size() == 6);
        CHECK(describe(a) == describe(reference_breaching(db, ids, kMaxWithin, now)));
        // Opened Fri 17:30 JST: 24x7 first response 18:00 and resolution 19:30 the same day;
        // the Japanese calendar skips the weekend, the Monday holiday and the lunch break.
        CHECK(a[0].ticket_id == 7);
        CHECK(a[0].due_at == jst("2026-01-09T18:00:00"));
        CHECK(a[1].ticket_id == 7);
        CHECK(a[1].due_at == jst("2026-01-09T19:30:00"));
        CHECK(a[2].ticket_id == 1);
        CHECK(a[2].target == "first_response");
        CHECK(a[2].due_at == jst("2026-01-13T09:30:00"));
        CHECK(a[3].ticket_id == 4);
        CHECK(a[3].due_at == jst("2026-01-13T13:30:00"));
        CHECK(a[4].ticket_id == 1);
        CHECK(a[4].target == "resolution");
        CHECK(a[4].due_at == jst("2026-01-13T17:30:00"));
        CHECK(a[5].ticket_id == 2);
        CHECK(a[5].due_at == jst("2026-01-13T17:30:00"));
        for (Timestamp at : {now - 100 * H, now, now + 100 * H})
            for (std::int64_t within : {std::int64_t{0}, std::int64_t{60}, kMaxWithin}) check_same(db, ids, within, at);
    }
}
