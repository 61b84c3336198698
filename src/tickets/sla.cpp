// SLA: business calendars, SLA policies per priority, a ticket's SLA clocks, the
// stored due times (kept by every ticket write, tickets.cpp) and the tickets
// breaching or due to breach.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "records/engine.hpp"
#include "tickets/tickets_internal.hpp"
#include "util/text.hpp"

namespace crm {

namespace {
using detail::DbImpl;

result<void> check(DbImpl* db) {
    if (!db) return records::closed();
    return ok();
}

result<BusinessCalendar> calendar_of(DbImpl& db, const SlaPolicy& p) {
    if (!p.calendar_id) return always_open_calendar();
    BusinessCalendar c;
    if (!store::load_calendar(db, *p.calendar_id, c))
        return make_error(errc::not_found, fmt::format("no business calendar with id {}", *p.calendar_id));
    return c;
}

SlaClock clock_for(const BusinessCalendar& cal, Timestamp opened, std::int64_t minutes, std::optional<Timestamp> done,
                   Timestamp now) {
    SlaClock c;
    if (minutes <= 0) return c;
    c.target_business_ms = minutes * 60'000;
    auto due = add_business_ms(cal, opened, c.target_business_ms);
    if (!due) return c;
    c.due_at = due.value();
    c.done_at = done;
    const Timestamp end = done.value_or(now);
    c.elapsed_business_ms = std::max<std::int64_t>(0, business_ms_between(cal, opened, end));
    if (done) c.state = *done <= *c.due_at ? SlaState::met : SlaState::breached;
    else c.state = now > *c.due_at ? SlaState::breached : SlaState::pending;
    return c;
}

struct SlaContext {
    std::map<Id, SlaPolicy> policies;
    std::map<Id, BusinessCalendar> calendars;
};

result<TicketSla> compute_sla(DbImpl& db, const Ticket& t, Timestamp now, SlaContext& ctx) {
    TicketSla s;
    s.ticket_id = t.id;
    s.sla_policy_id = t.sla_policy_id;
    s.now = now;
    if (!t.sla_policy_id) return s;
    auto pit = ctx.policies.find(*t.sla_policy_id);
    if (pit == ctx.policies.end()) {
        SlaPolicy p;
        if (!store::load_sla_policy(db, *t.sla_policy_id, p))
            return make_error(errc::not_found, fmt::format("no SLA policy with id {}", *t.sla_policy_id));
        pit = ctx.policies.emplace(p.id, std::move(p)).first;
    }
    const SlaPolicy& p = pit->second;
    const Id cal_key = p.calendar_id.value_or(0);
    auto cit = ctx.calendars.find(cal_key);
    if (cit == ctx.calendars.end()) {
        CRM_TRY(BusinessCalendar cal, calendar_of(db, p));
        cit = ctx.calendars.emplace(cal_key, std::move(cal)).first;
    }
    auto target = std::find_if(p.targets.begin(), p.targets.end(), [&](const SlaTarget& x) { return x.priority == t.priority; });
    if (target == p.targets.end()) return s;
    s.first_response = clock_for(cit->second, t.opened_at, target->first_response_minutes, t.first_response_at, now);
    s.resolution = clock_for(cit->second, t.opened_at, target->resolution_minutes,
                             t.resolved_at ? t.resolved_at : t.closed_at, now);
    return s;
}

result<void> validate_policy(DbImpl& db, SlaPolicy& p) {
    CRM_TRYV(text::check("name", p.name, 256, true));
    p.name = text::trim(p.name);
    if (p.name.empty()) return invalid("name", "is required");
    if (p.calendar_id) {
        BusinessCalendar c;
        if (!store::load_calendar(db, *p.calendar_id, c))
            return make_error(errc::not_found, fmt::format("calendar_id: no business calendar with id {}", *p.calendar_id),
                              "calendar_id");
    }
    constexpr std::int64_t kMaxMinutes = 10LL * 366 * 24 * 60;  // ten years
    for (std::size_t i = 0; i < p.targets.size(); ++i) {
        const auto& t = p.targets[i];
        const auto field = fmt::format("targets.{}", to_string(t.priority));
        if (t.first_response_minutes < 0 || t.first_response_minutes > kMaxMinutes)
            return invalid(field + ".first_response_minutes", "must be between 0 and ten years of minutes");
        if (t.resolution_minutes < 0 || t.resolution_minutes > kMaxMinutes)
            return invalid(field + ".resolution_minutes", "must be between 0 and ten years of minutes");
        for (std::size_t k = 0; k < i; ++k)
            if (p.targets[k].priority == t.priority) return invalid(field, "appears twice");
    }
    return ok();
}
// The clock's due time as Tickets::sla() computes it; none for a 0-minute target or a
// calendar in which the target cannot be reached.
std::optional<Timestamp> due_after(const BusinessCalendar& cal, Timestamp opened, std::int64_t minutes) {
    if (minutes <= 0) return std::nullopt;
    auto due = add_business_ms(cal, opened, minutes * 60'000);
    if (!due) return std::nullopt;
    return due.value();
}

store::TicketDue due_with(const Ticket& t, const SlaPolicy& p, const BusinessCalendar& cal) {
    store::TicketDue d;
    if (!tickets::is_open(t)) return d;
    auto target = std::find_if(p.targets.begin(), p.targets.end(), [&](const SlaTarget& x) { return x.priority == t.priority; });
    if (target == p.targets.end()) return d;
    if (!t.first_response_at) d.first_response = due_after(cal, t.opened_at, target->first_response_minutes);
    if (!t.resolved_at && !t.closed_at) d.resolution = due_after(cal, t.opened_at, target->resolution_minutes);
    return d;
}

// The policy and its calendar, or nullopt if either is gone.
std::optional<std::pair<SlaPolicy, BusinessCalendar>> policy_and_calendar(DbImpl& db, Id policy_id) {
    SlaPolicy p;
    if (!store::load_sla_policy(db, policy_id, p)) return std::nullopt;
    auto cal = calendar_of(db, p);
    if (!cal) return std::nullopt;
    return std::make_pair(std::move(p), std::move(cal.value()));
}
}  // namespace

namespace tickets {

bool due_inputs_changed(const Ticket& old, const Ticket& v) noexcept {
    return old.opened_at != v.opened_at || old.priority != v.priority || old.sla_policy_id != v.sla_policy_id ||
           old.status != v.status || old.first_response_at != v.first_response_at ||
           old.resolved_at != v.resolved_at || old.closed_at != v.closed_at;
}

store::TicketDue due_times(DbImpl& db, const Ticket& t) {
    if (!t.sla_policy_id || !is_open(t)) return {};
    auto pc = policy_and_calendar(db, *t.sla_policy_id);
    if (!pc) return {};
    return due_with(t, pc->first, pc->second);
}

void refresh_due(DbImpl& db, std::optional<Id> policy_id, std::optional<Id> calendar_id) {
    nlohmann::json open = nlohmann::json::array();
    for (auto s : {TicketStatus::new_, TicketStatus::open, TicketStatus::pending, TicketStatus::on_hold,
                   TicketStatus::resolved, TicketStatus::closed}) {
        Ticket probe;
        probe.status = s;
        if (is_open(probe)) open.push_back(to_string(s));
    }
    const auto ids = store::tickets_with_sla(db, open.dump(), policy_id, calendar_id);
    std::map<Id, std::optional<std::pair<SlaPolicy, BusinessCalendar>>> loaded;
    for (const auto& t : records::load_all<Ticket>(db, ids)) {
        auto it = loaded.find(*t.sla_policy_id);
        if (it == loaded.end()) it = loaded.emplace(*t.sla_policy_id, policy_and_calendar(db, *t.sla_policy_id)).first;
        store::set_ticket_due(db, t.id, it->second ? due_with(t, it->second->first, it->second->second)
                                                   : store::TicketDue{});
    }
}

}  // namespace tickets

result<TicketSla> Tickets::sla(Id id, std::optional<Timestamp> now) noexcept {
    CRM_TRYV(check(db_));
    return db_->read([&]() -> result<TicketSla> {
        CRM_TRY(Ticket t, records::load_full<Ticket>(*db_, id));
        SlaContext ctx;
        return compute_sla(*db_, t, now.value_or(db_->now()), ctx);
    });
}

result<std::vector<SlaAlert>> Tickets::breaching(std::int64_t within_minutes, std::optional<Timestamp> now) noexcept {
    CRM_TRYV(check(db_));
    if (within_minutes < 0 || within_minutes > 10LL * 366 * 24 * 60)
        return invalid("within_minutes", "must be between 0 and ten years of minutes");
    return db_->read([&]() -> result<std::vector<SlaAlert>> {
        // The stored deadlines (tickets::due_times) are kept by every write that moves them,
        // so this is two index range scans; a clock is breached once now > due_at, as in sla().
        const Timestamp at = now.value_or(db_->now());
        auto out = store::tickets_due_by(*db_, at + within_minutes * 60'000);
        for (auto& a : out) a.breached = at > a.due_at;
        return out;
    });
}

result<Id> Tickets::define_calendar(const BusinessCalendar& calendar) noexcept {
    CRM_TRYV(check(db_));
    BusinessCalendar cal = calendar;
    CRM_TRYV(validate_calendar(cal));
    return db_->write([&]() -> result<Id> {
        auto existing = store::calendar_id_by_name(*db_, cal.name);
        cal.created_at = cal.updated_at = db_->now();
        Id id = store::save_calendar(*db_, cal, existing);
        if (existing) tickets::refresh_due(*db_, std::nullopt, id);  // new hours / holidays move due times
        return id;
    });
}

result<BusinessCalendar> Tickets::calendar(Id id) noexcept {
    CRM_TRYV(check(db_));
    return db_->read([&]() -> result<BusinessCalendar> {
        BusinessCalendar c;
        if (!store::load_calendar(*db_, id, c))
            return make_error(errc::not_found, fmt::format("no business calendar with id {}", id));
        return c;
    });
}

result<std::vector<BusinessCalendar>> Tickets::calendars() noexcept {
    CRM_TRYV(check(db_));
    return db_->read([&]() -> result<std::vector<BusinessCalendar>> {
        std::vector<BusinessCalendar> out;
        for (Id id : store::calendar_ids(*db_)) {
            BusinessCalendar c;
            if (store::load_calendar(*db_, id, c)) out.push_back(std::move(c));
        }
        return out;
    });
}

result<Id> Tickets::define_sla_policy(const SlaPolicy& policy) noexcept {
    CRM_TRYV(check(db_));
    SlaPolicy p = policy;
    return db_->write([&]() -> result<Id> {
        CRM_TRYV(validate_policy(*db_, p));
        auto existing = store::sla_policy_id_by_name(*db_, p.name);
        p.created_at = p.updated_at = db_->now();
        Id id = store::save_sla_policy(*db_, p, existing);
        if (existing) tickets::refresh_due(*db_, id);  // new targets / calendar move due times
        return id;
    });
}

result<SlaPolicy> Tickets::sla_policy(Id id) noexcept {
    CRM_TRYV(check(db_));
    return db_->read([&]() -> result<SlaPolicy> {
        SlaPolicy p;
        if (!store::load_sla_policy(*db_, id, p))
            return make_error(errc::not_found, fmt::format("no SLA policy with id {}", id));
        return p;
    });
}

result<std::vector<SlaPolicy>> Tickets::sla_policies() noexcept {
    CRM_TRYV(check(db_));
    return db_->read([&]() -> result<std::vector<SlaPolicy>> {
        std::vector<SlaPolicy> out;
        for (Id id : store::sla_policy_ids(*db_)) {
            SlaPolicy p;
            if (store::load_sla_policy(*db_, id, p)) out.push_back(std::move(p));
        }
        return out;
    });
}

}  // namespace crm
