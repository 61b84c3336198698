// The service planner: customers' inquiries (問い合わせ) under the standard or
// premium SLA on the company's Japanese business calendar. Most were answered and
// resolved — most within their targets, some late —, some wait for the customer,
// a few were reopened; the last four are still open now: two past their due times
// (breaching), two just arrived (within SLA).
#include <algorithm>

#include <fmt/format.h>

#include "sample/world.hpp"

namespace crm::sample {

using japan::kDay;
using japan::kHour;
using japan::kMinute;

namespace {

const SlaTarget* target_of(const SlaPolicy& p, TicketPriority priority) {
    for (const auto& t : p.targets)
        if (t.priority == priority) return &t;
    return nullptr;
}

// The inbound message that opens a ticket, by its channel.
const char* inbound_kind(TicketChannel c) {
    switch (c) {
        case TicketChannel::email: return "email";
        case TicketChannel::phone: return "call";
        case TicketChannel::web: return "form_submission";
        case TicketChannel::line: return "line";
        case TicketChannel::chat: return "chat";  // a host-defined kind
        default: return "note";
    }
}

struct TicketPlan {
    std::size_t index = 0;
    std::size_t contact = 0;
    std::optional<std::size_t> account, agent;
    bool ja = true;
    const catalog::TicketSeed* seed = nullptr;
    TicketPriority priority = TicketPriority::normal;
    TicketChannel channel = TicketChannel::email;
    bool premium = false;
    Timestamp opened = 0;
};

Interaction draft(const TicketPlan& t, Timestamp at, const char* kind, Direction dir, std::string subject,
                  std::string body, std::string channel = {}) {
    Interaction i;
    i.kind = kind;
    i.occurred_at = at;
    i.direction = dir;
    i.subject = std::move(subject);
    i.body = std::move(body);
    i.channel = std::move(channel);
    i.source = "helpdesk";
    i.contact_ids = {static_cast<Id>(t.contact)};
    if (t.account) i.account_ids = {static_cast<Id>(*t.account)};
    i.ticket_ids = {static_cast<Id>(t.index)};
    return i;
}

void transition(World& w, const TicketPlan& t, Timestamp at, TicketStatus to) {
    w.at(at, [&w, index = t.index, agent = t.agent, to]() -> result<void> {
        w.act(agent);
        auto r = w.db.tickets().transition(w.tickets[index], to);
        if (!r) return r.error();
        return ok();
    });
}

// The agent's first reply: an e-mail or a call, and the ticket's first response.
void respond(World& w, Rng& r, const TicketPlan& t, Timestamp at) {
    const auto replies = catalog::ticket_replies();
    const bool call = t.channel == TicketChannel::phone || r.percent(20);
    const auto& reply = call ? replies[2] : replies[r.below(2)];
    Interaction i = draft(t, at, call ? "call" : "email", Direction::outbound, reply.pick(t.ja),
                          t.ja ? fmt::format("「{}」について、状況を確認のうえご連絡いたします。", t.seed->subject.ja)
                               : fmt::format("About \"{}\": we are looking into it.", t.seed->subject.en),
                          call ? "電話" : "サポート窓口");
    if (call) {
        w.log(std::move(i), t.agent);
    } else {
        w.email(r, std::move(i), t.agent, 85);
    }
    w.at(at, [&w, index = t.index, agent = t.agent, at]() -> result<void> {
        w.act(agent);
        auto s = w.db.tickets().record_response(w.tickets[index], at);
        if (!s) return s.error();
        return ok();
    });
    transition(w, t, at, TicketStatus::open);
}

void resolve(World& w, Rng& r, const TicketPlan& t, Timestamp at) {
    w.email(r, draft(t, at, "email", Direction::outbound, t.ja ? "【解決】お問い合わせの件" : "Your request is resolved",
                     t.ja ? "ご案内の手順で解消したことを確認いたしました。ほかにご不明点があればお知らせください。"
                          : "We confirmed the issue is solved. Let us know if anything else comes up."),
            t.agent, 70);
    transition(w, t, at, TicketStatus::resolved);
}

// A follow-up task of a bug report: reproduce, escalate …; done when the ticket is resolved.
void plan_bug_task(World& w, Rng& r, const TicketPlan& t, Timestamp created, std::optional<Timestamp> resolved) {
    Task task;
    const auto titles = catalog::ticket_tasks();
    task.title = titles[r.below(titles.size())].pick(t.ja);
    task.notes = t.seed->subject.pick(t.ja);
    task.due_at = w.work_after(r, created, 1, 2);
    task.remind_at = *task.due_at - 2 * kHour;
    if (t.agent) task.assignee_id = static_cast<Id>(*t.agent);
    task.priority = t.priority >= TicketPriority::high ? TaskPriority::high : TaskPriority::normal;
    task.links = {{Entity::ticket, static_cast<Id>(t.index)}, {Entity::contact, static_cast<Id>(t.contact)}};
    std::optional<Timestamp> done;
    if (resolved) done = std::max(created + kMinute, *resolved - r.between(10, 120) * kMinute);
    w.task(created, std::move(task), done);
}

// Inquiries come from the people of customer accounts (anyone, if there are none).
std::vector<std::size_t> requesters(const World& w) {
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < w.contacts.size(); ++c) {
        const auto a = w.contacts[c].account;
        if (!a) continue;
        const auto s = w.accounts[*a].status;
        if (s == ContractStatus::active || s == ContractStatus::trial || s == ContractStatus::suspended) out.push_back(c);
    }
    if (out.empty())
        for (std::size_t c = 0; c < w.contacts.size(); ++c) out.push_back(c);
    return out;
}

}  // namespace

void plan_service(World& w) {
    if (w.contacts.empty() || w.o.tickets == 0) return;
    const auto people = requesters(w);
    const SlaPolicy standard = catalog::sla_policy(false), premium = catalog::sla_policy(true);
    const BusinessCalendar& cal = w.cal.business();
    const std::size_t n = w.o.tickets;
    for (std::size_t k = 0; k < n; ++k) {
        Rng r(w.o.seed, Stream::ticket, k);
        TicketPlan t;
        // The last four are open now: two breaching (k = n-4, n-3), two just arrived (n-2, n-1).
        const bool breaching = n >= 4 && (k == n - 4 || k == n - 3);
        const bool fresh = n >= 4 && k >= n - 2;
        static constexpr unsigned channel_weights[] = {35, 25, 25, 5, 10, 0};
        t.channel = static_cast<TicketChannel>(r.weighted(channel_weights));
        if (fresh) t.opened = w.now - r.between(10, 50) * kMinute;
        else if (breaching) t.opened = w.work_between(r, w.now - 25 * kDay, w.now - 12 * kDay);
        else if (t.channel == TicketChannel::phone) t.opened = w.work_between(r, w.since, w.now - 2 * kDay);
        else t.opened = World::any_between(r, w.since, w.now - 2 * kDay);
        // A requester who existed then.
        std::size_t c = people[r.below(people.size())];
        for (int tries = 0; tries < 20 && w.contacts[c].created >= t.opened; ++tries) c = people[r.below(people.size())];
        if (w.contacts[c].created >= t.opened) continue;
        t.contact = c;
        t.account = w.contacts[c].account;
        t.ja = w.contacts[c].ja;
        t.premium = t.account && w.accounts[*t.account].premium;
        if (!w.agents.empty()) t.agent = w.agents[r.below(w.agents.size())];
        const auto seeds = catalog::tickets();
        t.seed = &seeds[r.below(seeds.size())];
        t.priority = t.seed->priority;
        if (r.percent(20) && t.priority != TicketPriority::urgent)
            t.priority = static_cast<TicketPriority>(static_cast<int>(t.priority) + 1);
        // At least three business days to resolve: twelve calendar days overrun it, holidays or not.
        if (breaching) t.priority = std::max(t.priority, TicketPriority::normal);
        t.index = w.new_ticket();

        const SlaPolicy& policy = t.premium ? premium : standard;
        const SlaTarget* target = target_of(policy, t.priority);
        w.at(t.opened, [&w, t]() -> result<void> {
            // A call is logged by the agent who took it; mails, forms and chats arrive through the help desk.
            w.act(t.channel == TicketChannel::phone ? t.agent : std::nullopt);
            Ticket ticket;
            ticket.subject = t.seed->subject.pick(t.ja);
            ticket.description = t.seed->description.pick(t.ja);
            ticket.priority = t.priority;
            ticket.channel = t.channel;
            ticket.requester_id = w.contacts[t.contact].id;
            if (t.account) ticket.account_id = w.accounts[*t.account].id;
            if (t.agent) ticket.assignee_id = w.users[*t.agent];
            ticket.opened_at = t.opened;
            ticket.sla_policy_id = t.premium ? w.sla_premium : w.sla_standard;
            ticket.custom["category"] = std::string(t.seed->category);
            if (t.priority == TicketPriority::urgent) ticket.tags.push_back("緊急");
            auto id = w.db.tickets().create(ticket);
            if (!id) return id.error();
            w.tickets[t.index] = id.value();
            ++w.sum.tickets;
            return ok();
        });
        w.log(draft(t, t.opened + 1000, inbound_kind(t.channel), Direction::inbound, t.seed->subject.pick(t.ja),
                    t.seed->description.pick(t.ja), to_string(t.channel)),
              std::nullopt);
        if (fresh) continue;

        // Business time to the first reply and to the resolution: mostly within the targets.
        auto after = [&](std::int64_t minutes) {
            auto v = add_business_ms(cal, t.opened, minutes * kMinute);
            return v ? v.value() : t.opened + minutes * kMinute;
        };
        const std::int64_t fr = target->first_response_minutes, res = target->resolution_minutes;
        const Timestamp responded = breaching && k == n - 4
                                        ? w.now  // not answered yet
                                        : after(r.percent(82) ? fr * r.between(10, 90) / 100 : fr * r.between(120, 300) / 100);
        if (responded < w.now) respond(w, r, t, responded);
        const bool bug_task = std::string_view(t.seed->category) == "不具合" && responded < w.now && r.percent(50);
        // The rest of its life; returns when it was (first) resolved, if it was.
        auto work = [&]() -> std::optional<Timestamp> {
            if (breaching) {
                if (responded < w.now && r.percent(50)) transition(w, t, responded + kHour, TicketStatus::on_hold);
                return std::nullopt;
            }
            Timestamp resolved = after(r.percent(75) ? res * r.between(20, 95) / 100 : res * r.between(110, 250) / 100);
            resolved = std::max(resolved, responded + 30 * kMinute);
            // Some wait for the customer on the way (pending), who answers a day or two later.
            bool waited = false;
            if (r.percent(25)) {
                const Timestamp wait = responded + (resolved - responded) / 3;
                const Timestamp back = std::min(wait + r.between(4, 40) * kHour, resolved - 10 * kMinute);
                if (back > wait && back < w.now) {
                    transition(w, t, wait, TicketStatus::pending);
                    w.log(draft(t, back, "email", Direction::inbound, t.ja ? "Re: お問い合わせの件" : "Re: your request",
                                t.ja ? "ご確認ありがとうございます。画面のスクリーンショットを添付します。"
                                     : "Thanks, a screenshot is attached."),
                          std::nullopt);
                    transition(w, t, back, TicketStatus::open);
                    waited = true;
                }
            }
            if (resolved >= w.now - kHour) {  // still being worked on
                if (!waited && responded < w.now - 4 * kHour && r.percent(30))
                    transition(w, t, std::max(responded + kHour, w.now - 3 * kHour), TicketStatus::on_hold);
                return std::nullopt;
            }
            resolve(w, r, t, resolved);
            Timestamp settled = resolved;
            if (r.percent(6)) {  // it came back, and was fixed again
                const Timestamp again = w.work_after(r, resolved, 1, 3);
                const Timestamp fixed = w.work_after(r, again, 1, 2);
                if (fixed < w.now - kHour) {
                    w.log(draft(t, again, "call", Direction::inbound, t.ja ? "再発のご連絡" : "It happened again",
                                t.ja ? "一度解消したが、本日再発したとのこと。" : "Solved once, back today.", "電話"),
                          std::nullopt);
                    transition(w, t, again + kMinute, TicketStatus::open);
                    resolve(w, r, t, fixed);
                    settled = fixed;
                }
            }
            const Timestamp closed = settled + 7 * kDay;  // closed a week after, if nobody objects
            if (closed < w.now && r.percent(80)) transition(w, t, closed, TicketStatus::closed);
            return resolved;
        };
        const auto resolved = work();
        if (bug_task) plan_bug_task(w, r, t, responded + 10 * kMinute, resolved);
    }
}

}  // namespace crm::sample
