// The sample company's history (crm::sample::populate with the demo's small
// size): every kind of record, deals in every stage with their stage history,
// months of interactions with e-mail tracking, tickets both within and past their
// SLA on the Japanese business calendar, tasks with reminders, documents sent,
// custom fields — all in the past of `now`, and the same for the same seed.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "crm/crm.hpp"
#include "crm/sample.hpp"
#include "helpers.hpp"
#include "sample/japan.hpp"

using namespace crm;

namespace {

constexpr Timestamp kDay = 86'400'000;
const Timestamp kNow = parse_iso8601("2026-11-24T12:00:00+09:00").value();  // a Tuesday, noon in Tokyo

struct Company {
    Db db;
    sample::Summary sum;
};

sample::Options small(std::uint64_t seed = 42) {
    auto o = sample::preset("small").value();
    o.seed = seed;
    o.now = kNow;
    return o;
}

Company make(const sample::Options& o = small()) {
    auto db = Db::open(":memory:").value();
    auto sum = sample::populate(db, o);
    REQUIRE(sum);
    return {std::move(db), sum.value()};
}

template <class T>
std::vector<T> all(Records<T> records, std::vector<Filter> where = {}) {
    std::vector<T> out;
    ListOptions o;
    o.where = std::move(where);
    o.limit = 1000;
    for (;;) {
        auto page = records.list(o).value();
        for (auto& v : page.items) out.push_back(std::move(v));
        if (page.next.empty()) return out;
        o.after = page.next;
    }
}

std::vector<Change> history(Db& db) {
    std::vector<Change> out;
    for (Id after = 0;;) {
        auto page = db.history().since(after, 10000).value();
        if (page.empty()) return out;
        after = page.back().id;
        for (auto& c : page) out.push_back(std::move(c));
    }
}

bool has_cjk(const std::string& s) {
    // UTF-8 lead bytes of U+3040–U+9FFF (hiragana, katakana, CJK ideographs) are E3–E9.
    for (unsigned char c : s)
        if (c >= 0xE3 && c <= 0xE9) return true;
    return false;
}

}  // namespace

TEST_CASE("sample company: every kind of record is there, as the summary says", "[sample]") {
    auto [db, sum] = make();
    const auto o = small();
    CHECK(sum.now == kNow);
    CHECK(sum.since <= kNow - 6 * 30 * kDay);
    CHECK(sum.since > kNow - 6 * 30 * kDay - kDay);
    for (Entity e : {Entity::user, Entity::team, Entity::account, Entity::contact, Entity::product, Entity::campaign,
                     Entity::pipeline, Entity::deal, Entity::interaction, Entity::ticket, Entity::task, Entity::document}) {
        INFO(entity_name(e));
        CHECK(db.records(e).count().value() > 0);
    }
    CHECK(db.users().count().value() == static_cast<std::int64_t>(o.users));
    CHECK(db.accounts().count().value() == static_cast<std::int64_t>(o.accounts));
    CHECK(db.contacts().count().value() == static_cast<std::int64_t>(o.contacts));
    CHECK(db.deals().count().value() == static_cast<std::int64_t>(o.deals));
    CHECK(db.tickets().count().value() == static_cast<std::int64_t>(o.tickets));
    CHECK(static_cast<std::int64_t>(sum.deals) == db.deals().count().value());
    CHECK(static_cast<std::int64_t>(sum.interactions) == db.interactions().count().value());
    CHECK(static_cast<std::int64_t>(sum.tasks) == db.tasks().count().value());
    CHECK(static_cast<std::int64_t>(sum.documents) == db.documents().count().value());
    CHECK(static_cast<std::int64_t>(sum.campaigns) == db.campaigns().count().value());
    CHECK(sum.products == 12);
    CHECK(sum.pipelines == 2);
    CHECK(sum.email_events > sum.interactions / 2);
    CHECK(sum.document_sends >= sum.documents / 2);
    CHECK(sum.reminders_delivered > 0);

    // Interactions of every sort the company has: calls, e-mails, meetings, web visits,
    // forms, seminars, downloads, LINE; and a host-defined kind (chat) is allowed too.
    std::map<std::string, int> kinds;
    std::map<std::string, int> sources;
    for (const auto& i : all(db.interactions())) {
        ++kinds[i.kind];
        ++sources[i.source];
    }
    for (const char* k : {"email", "call", "meeting", "web_visit", "form_submission", "event_attendance",
                          "document_download"}) {
        INFO(k);
        CHECK(kinds[k] > 0);
    }
    // Bulk-loaded from the MA tool and web analytics, the rest written one by one.
    CHECK(sources["ma-tool"] > 0);
    CHECK(sources["web-analytics"] > 0);
    CHECK(sources["crm"] > 0);
    CHECK(sources["helpdesk"] > 0);

    // Custom fields are defined and used.
    CHECK(db.custom_fields().get(Entity::account, "rank").value().label == "顧客ランク");
    CHECK(db.accounts().count({{"custom.rank", Op::not_null, ""}}).value() == static_cast<std::int64_t>(o.accounts));
    CHECK(db.deals().count({{"custom.seats", Op::gt, "0"}}).value() == static_cast<std::int64_t>(o.deals));
    CHECK(db.tickets().count({{"custom.category", Op::eq, "不具合"}}).value() > 0);
}

TEST_CASE("sample company: deals in every stage of both pipelines, with lines, reasons and stage history", "[sample]") {
    auto [db, sum] = make();
    const auto pipelines = all(db.pipelines());
    REQUIRE(pipelines.size() == 2);
    CHECK(pipelines[0].name == "新規開拓");
    std::set<StageKind> kinds;
    for (const auto& p : pipelines) {
        const auto stages = db.pipelines().stages(p.id).value();
        for (const auto& s : stages) {
            INFO(p.name << " / " << s.name);
            CHECK(db.deals().count({{"stage_id", Op::eq, std::to_string(s.id)}}).value() > 0);
            kinds.insert(s.kind);
        }
    }
    CHECK(kinds == std::set<StageKind>{StageKind::open, StageKind::won, StageKind::lost});

    std::set<std::string> reasons;
    for (const auto& d : all(db.deals())) {
        INFO(to_json(d));
        REQUIRE_FALSE(d.line_items.empty());
        std::int64_t total = 0;
        for (const auto& l : d.line_items) total += l.total();
        CHECK(d.amount.amount == total);
        CHECK(d.amount.currency == "JPY");
        CHECK(d.owner_id);
        CHECK(d.account_id);
        CHECK(d.created_at >= sum.since);
        CHECK(d.created_at < kNow);
        if (d.status == DealStatus::lost) {
            CHECK_FALSE(d.lost_reason.empty());
            reasons.insert(d.lost_reason);
        }
        if (d.status != DealStatus::open) {
            CHECK(d.closed_at > d.created_at);
            CHECK(d.closed_at < kNow);
        } else {
            CHECK(d.expected_close_date >= "2026-11-24");
        }
        // The stage history runs forward in time, inside the history's span.
        const auto h = db.deals().stage_history(d.id).value();
        REQUIRE_FALSE(h.empty());
        CHECK(h.front().at == d.created_at);
        CHECK(h.back().to_stage_id == d.stage_id);
        for (std::size_t k = 1; k < h.size(); ++k) {
            CHECK(h[k].at > h[k - 1].at);
            CHECK(h[k].from_stage_id == h[k - 1].to_stage_id);
            CHECK(h[k - 1].time_in_stage_ms == h[k].at - h[k - 1].at);
        }
        CHECK(h.back().at < kNow);
    }
    CHECK(reasons.size() >= 2);
    // Deals are the company's Japanese-speaking work, mostly.
    int japanese = 0;
    for (const auto& d : all(db.deals())) japanese += has_cjk(d.name);
    CHECK(japanese > 20);
}

TEST_CASE("sample company: the history is spread over the past months, never in the future", "[sample]") {
    auto [db, sum] = make();
    const auto rows = history(db);
    REQUIRE(rows.size() > 1000);
    std::vector<int> per_month(6, 0);
    Timestamp last = 0;
    std::size_t backwards = 0;
    for (const auto& c : rows) {
        CHECK(c.at <= kNow);
        if (c.at < last) ++backwards;
        last = std::max(last, c.at);
        if (c.at >= sum.since) ++per_month[std::min<std::size_t>(5, static_cast<std::size_t>((c.at - sum.since) / (30 * kDay)))];
    }
    CHECK(backwards == 0);  // replayed in time order: the change feed reads as it happened
    for (std::size_t m = 0; m < per_month.size(); ++m) {
        INFO("month " << m);
        CHECK(per_month[m] > 100);
    }
    // The base (users, accounts, most contacts) is older than the history's span.
    CHECK(all(db.accounts()).back().created_at < sum.since);
    // Interactions happened inside the span, some by the company's people (actor set).
    std::size_t by_someone = 0;
    for (const auto& i : all(db.interactions())) {
        CHECK(i.occurred_at >= sum.since);
        CHECK(i.occurred_at < kNow);
        CHECK(i.created_at >= i.occurred_at);
        by_someone += i.actor_id.has_value();
    }
    CHECK(by_someone > 100);
    // Some people changed title (employment history), leads became customers.
    int promoted = 0;
    for (const auto& c : all(db.contacts())) {
        const auto jobs = db.contacts().employment_history(c.id).value();
        for (const auto& ch : jobs) promoted += ch.field == "title";
    }
    CHECK(promoted > 0);
    CHECK(db.contacts().count({{"lifecycle_stage", Op::eq, "customer"}}).value() > 0);
}

TEST_CASE("sample company: e-mails carry tracking events; documents were sent through them", "[sample]") {
    auto [db, sum] = make();
    std::map<EmailEventType, int> seen;
    std::size_t events = 0;
    for (const auto& m : all(db.interactions(), {{"kind", Op::eq, "email"}})) {
        if (m.direction != Direction::outbound) continue;
        const auto ev = db.interactions().email_events(m.id).value();
        events += ev.size();
        if (ev.empty()) continue;
        CHECK(ev.front().type == EmailEventType::sent);
        CHECK(ev.front().at == m.occurred_at);
        for (const auto& e : ev) {
            ++seen[e.type];
            CHECK(e.at >= m.occurred_at);
            CHECK(e.at < kNow);
            if (e.type == EmailEventType::clicked) CHECK(e.url.starts_with("https://www.mirai-cloud.example/"));
        }
    }
    CHECK(events == sum.email_events);
    for (auto t : {EmailEventType::sent, EmailEventType::delivered, EmailEventType::opened, EmailEventType::clicked,
                   EmailEventType::bounced}) {
        INFO(to_string(t));
        CHECK(seen[t] > 0);
    }

    std::map<DocumentKind, int> kinds;
    std::size_t sends = 0;
    for (const auto& d : all(db.documents())) {
        ++kinds[d.kind];
        CHECK_FALSE(d.links.empty());
        if (d.uri.empty()) {
            CHECK(d.has_content);
            std::ostringstream out;
            REQUIRE(db.documents().read_content(d.id, out, /*verify=*/true));
            const std::string html = out.str();
            CHECK(html.starts_with("<!DOCTYPE html>"));
            if (d.kind == DocumentKind::quote && has_cjk(d.name)) CHECK(html.find("御見積書") != std::string::npos);
        }
        const auto sends_of = db.documents().sends(d.id).value();
        for (const auto& s : sends_of) {
            ++sends;
            REQUIRE(s.interaction_id);
            const auto mail = db.interactions().get(*s.interaction_id).value();
            CHECK(mail.kind == "email");
            CHECK(std::find(mail.contact_ids.begin(), mail.contact_ids.end(), s.contact_id) != mail.contact_ids.end());
            CHECK(s.sent_at >= mail.occurred_at);
        }
    }
    CHECK(sends == sum.document_sends);
    for (auto k : {DocumentKind::quote, DocumentKind::proposal, DocumentKind::contract, DocumentKind::invoice}) {
        INFO(to_string(k));
        CHECK(kinds[k] > 0);
    }
}

TEST_CASE("sample company: tickets within and past their SLA on the Japanese business calendar", "[sample]") {
    auto [db, sum] = make();
    const auto cals = db.tickets().calendars().value();
    REQUIRE(cals.size() == 1);
    const auto& cal = cals.front();
    CHECK(cal.utc_offset_minutes == 540);
    const std::set<std::string> holidays(cal.holidays.begin(), cal.holidays.end());
    for (const char* d : {"2026-09-21", "2026-09-22", "2026-09-23", "2026-11-03", "2026-11-23", "2026-12-31", "2027-01-11"}) {
        INFO(d);
        CHECK(holidays.count(d));
    }
    const auto policies = db.tickets().sla_policies().value();
    REQUIRE(policies.size() == 2);
    for (const auto& p : policies) CHECK(p.calendar_id == cal.id);

    std::map<SlaState, int> resolution;
    int open = 0, pending_now = 0;
    for (const auto& t : all(db.tickets())) {
        INFO(to_json(t));
        CHECK(t.sla_policy_id);
        CHECK(t.requester_id);
        CHECK(t.opened_at >= sum.since);
        CHECK(t.opened_at < kNow);
        const auto s = db.tickets().sla(t.id, kNow).value();
        if (t.status == TicketStatus::resolved || t.status == TicketStatus::closed) {
            ++resolution[s.resolution.state];
            CHECK(t.first_response_at);
        } else {
            ++open;
            pending_now += s.resolution.state == SlaState::pending;
        }
        const auto steps = db.tickets().status_history(t.id).value();
        CHECK(steps.front().at == t.opened_at);
        for (std::size_t k = 1; k < steps.size(); ++k) CHECK(steps[k].at >= steps[k - 1].at);
    }
    CHECK(resolution[SlaState::met] > resolution[SlaState::breached]);
    CHECK(resolution[SlaState::breached] > 0);
    CHECK(open >= 4);
    CHECK(pending_now >= 2);  // the two that just arrived
    // Breaching now: the two old open ones (one never answered, both past resolution).
    const auto alerts = db.tickets().breaching(0, kNow).value();
    std::set<Id> breached;
    for (const auto& a : alerts) {
        CHECK(a.breached);
        breached.insert(a.ticket_id);
    }
    CHECK(breached.size() >= 2);
    // Ticket subjects are Japanese for Japanese customers.
    int japanese = 0;
    for (const auto& t : all(db.tickets())) japanese += has_cjk(t.subject);
    CHECK(japanese > 0);
}

TEST_CASE("sample company: tasks with due times and reminders, done, open and overdue", "[sample]") {
    auto [db, sum] = make();
    std::map<TaskStatus, int> status;
    int linked = 0;
    for (const auto& t : all(db.tasks())) {
        INFO(to_json(t));
        ++status[t.status];
        REQUIRE(t.due_at);
        CHECK(t.assignee_id);
        linked += !t.links.empty();
        if (t.status == TaskStatus::done) {
            REQUIRE(t.completed_at);
            CHECK(*t.completed_at < kNow);
            CHECK(t.updated_at == *t.completed_at);
        }
        if (t.remind_at) CHECK(*t.remind_at <= *t.due_at);
        if (auto delivered = db.tasks().reminder_delivered_at(t.id).value()) {
            REQUIRE(t.remind_at);
            CHECK(*delivered >= *t.remind_at);
            CHECK(*delivered < kNow);
        }
    }
    CHECK(status[TaskStatus::done] > status[TaskStatus::open]);
    CHECK(status[TaskStatus::open] > 0);
    CHECK(status[TaskStatus::cancelled] + status[TaskStatus::in_progress] > 0);
    CHECK(linked == static_cast<int>(sum.tasks));
    DueQuery q;
    q.window = DueWindow::overdue;
    q.now = kNow;
    CHECK_FALSE(db.tasks().due(q).value().items.empty());
    q.window = DueWindow::range;
    q.from = kNow;
    q.to = kNow + 14 * kDay;
    CHECK_FALSE(db.tasks().due(q).value().items.empty());
}

TEST_CASE("sample company: the same seed and now give the same database, another seed another", "[sample]") {
    testing::TempDir dir;
    auto build = [&](const std::string& name, std::uint64_t seed) {
        auto db = Db::open(dir.file(name)).value();
        REQUIRE(sample::populate(db, small(seed)));
        db.close().value();
        return testing::dump(dir.file(name));
    };
    const auto a = build("a.crm", 7);
    CHECK(a.find("御見積書") != std::string::npos);
    CHECK(build("b.crm", 7) == a);
    CHECK(build("c.crm", 8) != a);
}

TEST_CASE("sample company: populate restores the actor and leaves the system clock", "[sample]") {
    auto db = Db::open(":memory:").value();
    testing::FakeClock clock;
    clock.install(db);
    User host;
    host.name = "ホスト 管理者";
    host.email = "host@corp.example";
    const Id host_id = db.users().create(host).value();
    db.set_actor(host_id);
    auto o = small();
    o.users = 3;
    o.accounts = 5;
    o.contacts = 30;
    o.deals = 12;
    o.tickets = 5;
    REQUIRE(sample::populate(db, o));
    CHECK(db.actor() == host_id);
    db.set_actor(std::nullopt);
    // The next write is stamped by the system clock, not by the sample's replay.
    const Id id = db.contacts().create(testing::contact("新規 顧客")).value();
    const auto c = db.contacts().get(id).value();
    CHECK(c.created_at > kNow);
    CHECK(c.created_at >= now_ms() - 60'000);
}

TEST_CASE("sample: Japanese national holidays follow the law in force", "[sample]") {
    using namespace sample::japan;
    auto iso_list = [](int year) {
        std::vector<std::string> out;
        for (const auto& d : national_holidays(year)) out.push_back(iso(d));
        return out;
    };
    // 2025: 振替休日 after 2/23, 5/4 (→ 5/6) and 11/23 on Sundays.
    CHECK(iso_list(2025) == std::vector<std::string>{
                                "2025-01-01", "2025-01-13", "2025-02-11", "2025-02-23", "2025-02-24", "2025-03-20",
                                "2025-04-29", "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-06", "2025-07-21",
                                "2025-08-11", "2025-09-15", "2025-09-23", "2025-10-13", "2025-11-03", "2025-11-23",
                                "2025-11-24"});
    // 2026: 国民の休日 on 9/22 between 敬老の日 and 秋分の日; 5/6 振替 for 5/3 (Sunday).
    CHECK(iso_list(2026) == std::vector<std::string>{
                                "2026-01-01", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20", "2026-04-29",
                                "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06", "2026-07-20", "2026-08-11",
                                "2026-09-21", "2026-09-22", "2026-09-23", "2026-10-12", "2026-11-03", "2026-11-23"});
    // Equinoxes of other years.
    const auto y2027 = iso_list(2027);
    CHECK(std::count(y2027.begin(), y2027.end(), "2027-03-21") == 1);
    CHECK(std::count(y2027.begin(), y2027.end(), "2027-09-23") == 1);
    const auto y2024 = iso_list(2024);
    CHECK(std::count(y2024.begin(), y2024.end(), "2024-09-22") == 1);
    CHECK(std::count(y2024.begin(), y2024.end(), "2024-09-23") == 1);  // 振替休日

    Calendar cal(2026, 2026);
    CHECK_FALSE(cal.working_day(days_from_civil({2026, 12, 29})));  // 年末年始
    CHECK_FALSE(cal.working_day(days_from_civil({2026, 8, 14})));   // 夏季休業
    CHECK_FALSE(cal.working_day(days_from_civil({2026, 11, 28})));  // Saturday
    CHECK(cal.working_day(days_from_civil({2026, 11, 24})));
    CHECK(cal.next_working_day(days_from_civil({2026, 11, 21})) == days_from_civil({2026, 11, 24}));  // Sat → Tue
    CHECK(civil_from_days(days_from_civil({2024, 2, 29})) == Date{2024, 2, 29});
    CHECK(weekday(days_from_civil({2026, 11, 24})) == 2);
}
