// The account work planner: customers' regular meetings (定例会) with the minutes
// sent afterwards and the account managers' other chores as tasks; and the
// reminder service, which hands out each task's reminder once it comes due.
#include <algorithm>

#include <fmt/format.h>

#include "sample/world.hpp"

namespace crm::sample {

using japan::kDay;
using japan::kHour;
using japan::kMinute;

void plan_accounts(World& w) {
    if (w.users.empty()) return;
    const auto chores = catalog::account_tasks();
    for (std::size_t a = 0; a < w.accounts.size(); ++a) {
        const AccountFact& acc = w.accounts[a];
        if (acc.status != ContractStatus::active) continue;
        Rng r(w.o.seed, Stream::account_work, a);
        int n = 0;
        for (Timestamp t = w.work_between(r, w.since, w.since + 40 * kDay); t < w.now - kDay;
             t = w.work_after(r, t, 28, 56)) {
            const auto people = w.contacts_before(a, t);
            if (people.empty()) continue;
            const std::size_t who = people[r.below(people.size())];
            ++n;
            Interaction m;
            m.kind = "meeting";
            m.occurred_at = t;
            m.direction = Direction::outbound;
            m.channel = r.pick(catalog::meeting_channels());
            m.subject = acc.ja ? fmt::format("定例会（第{}回）", n) : fmt::format("Regular meeting #{}", n);
            m.body = acc.ja ? "利用状況の共有、次期の要望ヒアリング、法改正対応のご案内。"
                            : "Usage review, wishes for next term, upcoming legal changes.";
            m.source = "crm";
            m.contact_ids = {static_cast<Id>(who)};
            m.account_ids = {static_cast<Id>(a)};
            w.log(std::move(m), acc.owner);

            Task minutes;
            minutes.title = chores[0].pick(acc.ja);
            minutes.notes = acc.name;
            minutes.due_at = w.work_after(r, t, 1, 2);
            minutes.remind_at = *minutes.due_at - 3 * kHour;
            minutes.assignee_id = static_cast<Id>(acc.owner);
            minutes.links = {{Entity::account, static_cast<Id>(a)}, {Entity::contact, static_cast<Id>(who)}};
            const Timestamp done = *minutes.due_at - r.between(1, 20) * kHour;
            w.task(t + kHour, std::move(minutes), std::max(done, t + 2 * kHour));
            if (r.percent(40)) {  // another chore for the account, now and then left undone
                Task chore;
                chore.title = chores[1 + r.below(chores.size() - 1)].pick(acc.ja);
                chore.notes = acc.name;
                chore.due_at = w.work_after(r, t, 5, 15);
                chore.assignee_id = static_cast<Id>(acc.owner);
                chore.priority = TaskPriority::low;
                chore.links = {{Entity::account, static_cast<Id>(a)}};
                std::optional<Timestamp> finished;
                if (r.percent(80)) finished = *chore.due_at - r.between(1, 48) * kHour;
                w.task(t + 2 * kHour, std::move(chore), finished);
            }
        }
    }
}

// A notification service claims reminders a minute after they come due; those
// due within the last hour are left for `crm task remind` to hand out.
void plan_reminders(World& w) {
    auto times = w.reminders;
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    for (Timestamp remind : times) {
        const Timestamp at = remind + kMinute;
        if (at >= w.now - kHour) break;
        w.at(at, [&w, at]() -> result<void> {
            w.act(std::nullopt);
            for (;;) {
                auto claimed = w.db.tasks().claim_due_reminders(at, 1000, "notifier");
                if (!claimed) return claimed.error();
                w.sum.reminders_delivered += claimed.value().size();
                if (claimed.value().size() < 1000) return ok();
            }
        });
    }
}

}  // namespace crm::sample
