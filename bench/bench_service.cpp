// bench_service — tickets and SLAs (MISSION B5).
//
//   bench_service [TICKETS]      (default 10000; runs in the current directory)
//
// Reports: ticket creation rate, breaching() over every unresolved ticket with an SLA
// policy — after: the stored, indexed due times (migration v7); before: the same answer
// computed from scratch as breaching() did up to v6 (every unresolved ticket loaded, both
// due times computed with add_business_ms) — sla() per ticket, and the business-calendar
// arithmetic rate on a Japanese calendar (add_business_ms + business_ms_between).
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <tuple>

#include "bench_util.hpp"
#include "crm/crm.hpp"

int main(int argc, char** argv) {
    const long long n = argc > 1 ? std::atoll(argv[1]) : 10000;
    if (n < 1) return 2;
    const std::string path = "bench_service.crm";
    std::filesystem::remove(path);
    auto db = crm::Db::open(path).value();
    const crm::Timestamp t0 = crm::parse_iso8601("2026-01-05T09:00:00+09:00").value();
    crm::Timestamp now = t0;
    db.set_clock([&] { return now; });

    crm::BusinessCalendar jp;
    jp.name = "日本営業日";
    jp.utc_offset_minutes = 540;
    for (std::size_t d = 1; d <= 5; ++d) jp.hours[d] = {{9 * 60, 12 * 60}, {13 * 60, 18 * 60}};
    jp.holidays = {"2026-01-01", "2026-01-02", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20"};
    auto tk = db.tickets();
    crm::SlaPolicy p;
    p.name = "標準SLA";
    p.calendar_id = tk.define_calendar(jp).value();
    p.targets = {{crm::TicketPriority::urgent, 30, 240}, {crm::TicketPriority::high, 60, 480},
                 {crm::TicketPriority::normal, 240, 1440}, {crm::TicketPriority::low, 480, 2400}};
    const crm::Id pid = tk.define_sla_policy(p).value();

    bench::Stopwatch create;
    {
        auto tx = db.begin().value();
        for (long long i = 0; i < n; ++i) {
            crm::Ticket t;
            t.subject = fmt::format("問い合わせ {}：請求書が届かない", i);
            t.priority = static_cast<crm::TicketPriority>(i % 4);
            t.sla_policy_id = pid;
            now = t0 + i * 7'000;  // one ticket every 7 s
            create.time([&] { return tk.create(t).value(); });
        }
        tx.commit().value();
    }
    now = t0 + n * 7'000;
    bench::Stopwatch scan;
    auto alerts = scan.time([&] { return tk.breaching(60).value(); });

    // Before: the from-scratch computation (what breaching() did per call up to schema v6).
    bench::Stopwatch scratch;
    auto recomputed = scratch.time([&] {
        const crm::SlaPolicy pol = tk.sla_policy(pid).value();
        const crm::BusinessCalendar cal = tk.calendar(*pol.calendar_id).value();
        const crm::Timestamp horizon = now + 60 * 60'000;
        std::vector<crm::SlaAlert> out;
        crm::ListOptions lo;
        lo.limit = 1000;
        for (;;) {
            auto page = tk.list(lo).value();
            for (const auto& t : page.items) {
                auto target = std::find_if(pol.targets.begin(), pol.targets.end(),
                                           [&](const crm::SlaTarget& x) { return x.priority == t.priority; });
                const bool finished = t.status == crm::TicketStatus::resolved || t.status == crm::TicketStatus::closed;
                if (finished || !t.sla_policy_id || target == pol.targets.end()) continue;
                auto add = [&](std::int64_t minutes, bool done, const char* what) {
                    if (minutes <= 0 || done) return;
                    auto due = crm::add_business_ms(cal, t.opened_at, minutes * 60'000);
                    if (due && due.value() <= horizon) out.push_back({t.id, what, due.value(), now > due.value(), t.priority, t.subject});
                };
                add(target->first_response_minutes, t.first_response_at.has_value(), "first_response");
                add(target->resolution_minutes, t.resolved_at || t.closed_at, "resolution");
            }
            if (page.next.empty()) break;
            lo.after = page.next;
        }
        std::sort(out.begin(), out.end(), [](const crm::SlaAlert& a, const crm::SlaAlert& b) {
            return std::tie(a.due_at, a.ticket_id, a.target) < std::tie(b.due_at, b.ticket_id, b.target);
        });
        return out;
    });
    bool same = recomputed.size() == alerts.size();
    for (std::size_t i = 0; same && i < alerts.size(); ++i)
        same = alerts[i].ticket_id == recomputed[i].ticket_id && alerts[i].target == recomputed[i].target &&
               alerts[i].due_at == recomputed[i].due_at && alerts[i].breached == recomputed[i].breached;
    if (!same) {
        fmt::print(stderr, "breaching(60): stored due times and the from-scratch computation disagree\n");
        return 1;
    }
    bench::Stopwatch one;
    const long long sla_calls = std::min<long long>(n, 1000);
    for (long long i = 1; i <= sla_calls; ++i) one.time([&] { return tk.sla(i).value(); });

    jp.id = 0;
    crm::validate_calendar(jp).value();
    bench::Stopwatch arith;
    long long ops = 0;
    std::int64_t sink = 0;
    for (crm::Timestamp from = t0; ops < 200'000; from += 17 * 60'000 + 3'000, ops += 2) {
        arith.time([&] {
            auto due = crm::add_business_ms(jp, from, (ops % 5000) * 60'000).value();
            sink += crm::business_ms_between(jp, from, due);
            return 0;
        });
    }
    fmt::print("tickets            {}\n", n);
    fmt::print("create             {:.0f} tickets/s (one transaction)\n", static_cast<double>(n) / create.seconds());
    fmt::print("breaching(60)      {:.4f} s for {} unresolved tickets, {} alerts (stored, indexed due times)\n",
               scan.seconds(), n, alerts.size());
    fmt::print("  from scratch     {:.4f} s (before: list every unresolved ticket, compute both due times; same alerts)\n",
               scratch.seconds());
    fmt::print("sla(id)            {:.1f} µs per call\n", one.seconds() * 1e6 / static_cast<double>(sla_calls));
    fmt::print("calendar ops       {:.0f} ops/s (add_business_ms + business_ms_between, up to 83 h targets) [{}]\n",
               static_cast<double>(ops) / arith.seconds(), sink % 7);
    db.close().value();
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    return 0;
}
