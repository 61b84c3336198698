// Tickets: inquiries with a status workflow, priority, channel, requester and
// assignee, first response and resolution. The descriptor, the rules and the
// workflow's operations. SLA policies, calendars and due times are in sla.cpp;
// business-time arithmetic is in calendar.cpp.
#include <fmt/format.h>

#include "records/kind_entry.hpp"
#include "tickets/tickets_internal.hpp"
#include "util/text.hpp"

namespace crm {

namespace records {
namespace {
using namespace caps;

constexpr const char* kStatuses[] = {"new", "open", "pending", "on_hold", "resolved", "closed"};
constexpr const char* kPriorities[] = {"low", "normal", "high", "urgent"};
constexpr const char* kChannels[] = {"email", "phone", "web", "chat", "line", "other"};
constexpr const char* kSlaStates[] = {"none", "pending", "met", "breached"};
}  // namespace
}  // namespace records

const char* to_string(TicketStatus s) noexcept { return records::enum_name(records::kStatuses, s); }
const char* to_string(TicketPriority p) noexcept { return records::enum_name(records::kPriorities, p); }
const char* to_string(TicketChannel c) noexcept { return records::enum_name(records::kChannels, c); }
const char* to_string(SlaState s) noexcept { return records::enum_name(records::kSlaStates, s); }
std::optional<TicketStatus> ticket_status_from_string(const std::string& s) noexcept {
    return records::enum_from_name<TicketStatus>(records::kStatuses, s);
}
std::optional<TicketPriority> ticket_priority_from_string(const std::string& s) noexcept {
    return records::enum_from_name<TicketPriority>(records::kPriorities, s);
}
std::optional<TicketChannel> ticket_channel_from_string(const std::string& s) noexcept {
    return records::enum_from_name<TicketChannel>(records::kChannels, s);
}

bool transition_allowed(TicketStatus from, TicketStatus to) noexcept {
    using S = TicketStatus;
    switch (from) {
        case S::new_: return to == S::open || to == S::pending || to == S::on_hold || to == S::resolved;
        case S::open: return to == S::pending || to == S::on_hold || to == S::resolved;
        case S::pending: return to == S::open || to == S::resolved;
        case S::on_hold: return to == S::open || to == S::resolved;
        case S::resolved: return to == S::open || to == S::closed;
        case S::closed: return false;
    }
    return false;
}

namespace tickets {

bool is_open(const Ticket& t) noexcept { return t.status != TicketStatus::resolved && t.status != TicketStatus::closed; }

namespace {
std::string allowed_list(TicketStatus from) {
    std::string out;
    for (auto v : {TicketStatus::new_, TicketStatus::open, TicketStatus::pending, TicketStatus::on_hold,
                   TicketStatus::resolved, TicketStatus::closed})
        if (transition_allowed(from, v)) out += (out.empty() ? "" : ", ") + std::string(to_string(v));
    return out.empty() ? "none: it is final" : out;
}

// Status, resolved_at, closed_at and first_response_at change only through the
// workflow (transition(), record_response()), which write with Write::managed.
result<void> validate(records::Write& w, Ticket& v, const Ticket* old) {
    auto& db = w.db;
    CRM_TRYV(records::check_text(w, "subject", v.subject, true));
    CRM_TRYV(records::check_text(w, "description", v.description));
    auto must_exist = [&](const std::optional<Id>& id, Entity e, const char* field) -> result<void> {
        if (id && !store::exists(db, e, *id))
            return make_error(errc::not_found, fmt::format("{}: no {} with id {}", field, entity_name(e), *id), field);
        return ok();
    };
    CRM_TRYV(must_exist(v.requester_id, Entity::contact, "requester_id"));
    CRM_TRYV(must_exist(v.account_id, Entity::account, "account_id"));
    CRM_TRYV(must_exist(v.assignee_id, Entity::user, "assignee_id"));
    if (v.sla_policy_id && !store::sla_policy_exists(db, *v.sla_policy_id))
        return make_error(errc::not_found, fmt::format("sla_policy_id: no SLA policy with id {}", *v.sla_policy_id),
                          "sla_policy_id");
    if (old) {
        if (v.opened_at == 0) v.opened_at = old->opened_at;
        if (!w.managed) {
            if (v.status != old->status)
                return make_error(errc::constraint_violation,
                                  fmt::format("status: changes only through a transition (from {} to: {})",
                                              to_string(old->status), allowed_list(old->status)),
                                  "status");
            if (v.resolved_at != old->resolved_at)
                return make_error(errc::constraint_violation, "resolved_at: set by the transition to resolved",
                                  "resolved_at");
            if (v.closed_at != old->closed_at)
                return make_error(errc::constraint_violation, "closed_at: set by the transition to closed", "closed_at");
            if (v.first_response_at != old->first_response_at)
                return make_error(errc::constraint_violation, "first_response_at: set by record_response",
                                  "first_response_at");
        }
    } else {
        if (v.opened_at == 0) v.opened_at = db.now();
        // A ticket may be created in any status (imports); the timestamps must fit it.
        const bool resolved = !is_open(v);
        if (!resolved && v.resolved_at)
            return invalid("resolved_at",
                           fmt::format("is only set on a resolved or closed ticket, not a {} one", to_string(v.status)));
        if (v.status != TicketStatus::closed && v.closed_at)
            return invalid("closed_at", fmt::format("is only set on a closed ticket, not a {} one", to_string(v.status)));
        if (resolved && !v.resolved_at) v.resolved_at = v.closed_at.value_or(db.now());
        if (v.status == TicketStatus::closed && !v.closed_at) v.closed_at = db.now();
    }
    if (v.first_response_at && *v.first_response_at < v.opened_at)
        return invalid("first_response_at", "is before opened_at");
    if (v.resolved_at && *v.resolved_at < v.opened_at) return invalid("resolved_at", "is before opened_at");
    if (v.closed_at && v.resolved_at && *v.closed_at < *v.resolved_at)
        return invalid("closed_at", "is before resolved_at");
    return ok();
}

// What goes with every write: the status history row of a new ticket, and the
// stored SLA deadlines whenever what they depend on changes.
result<void> after_write(records::Write& w, const Ticket* old, const Ticket& v) {
    if (!old) {
        TicketStatusChange c;
        c.ticket_id = v.id;
        c.to = v.status;
        // The time the ticket entered the status it was created in.
        c.at = v.status == TicketStatus::closed && v.closed_at     ? *v.closed_at
               : v.status == TicketStatus::resolved && v.resolved_at ? *v.resolved_at
                                                                     : v.opened_at;
        c.actor_id = w.db.actor;
        store::insert_status_change(w.db, c);
    }
    if (!old || due_inputs_changed(*old, v)) store::set_ticket_due(w.db, v.id, due_times(w.db, v));
    return ok();
}
}  // namespace
}  // namespace tickets

namespace records {
namespace {
constexpr FieldDef<Ticket> kTicketFields[] = {
    build::text<&Ticket::subject>("subject", "subject", F | S | Q | I | L | R, "subject (required for add)"),
    build::text<&Ticket::description>("description", "description", F | Q | I, "description").with(long_text),
    build::enumeration<&Ticket::status>("status", "status", kStatuses, F | S | G | I | L,
                                        "new|open|pending|on_hold|resolved|closed (changed by transitions)"),
    build::enumeration<&Ticket::priority>("priority", "priority", kPriorities, F | S | G | I | L,
                                          "low|normal|high|urgent"),
    build::enumeration<&Ticket::channel>("channel", "channel", kChannels, F | S | G | I | L,
                                         "email|phone|web|chat|line|other"),
    build::reference<&Ticket::requester_id>("requester_id", "requester_id", Entity::contact, F | S | G | I | L,
                                            "contact id of the requester")
        .named("requester"),
    build::reference<&Ticket::account_id>("account_id", "account_id", Entity::account, F | S | G | I, "account id")
        .named("account"),
    build::reference<&Ticket::assignee_id>("assignee_id", "assignee_id", Entity::user, F | S | G | I | L,
                                           "user id of the assignee")
        .named("assignee"),
    build::time<&Ticket::opened_at>("opened_at", "opened_at", F | S | I | L,
                                    "ISO-8601 time the ticket was opened (default: now)"),
    build::opt_time<&Ticket::first_response_at>("first_response_at", "first_response_at", F | S | C,
                                                "first outbound reply (record_response)"),
    build::opt_time<&Ticket::resolved_at>("resolved_at", "resolved_at", F | S | C, "set by the transition to resolved"),
    build::opt_time<&Ticket::closed_at>("closed_at", "closed_at", F | S | C, "set by the transition to closed"),
    build::opt_integer<&Ticket::sla_policy_id>("sla_policy_id", "sla_policy_id", F | S | G | I, "SLA policy id")
        .named("sla_policy"),
};

constexpr RefDef<Ticket> kTicketRefs[] = {
    build::detach<&Ticket::requester_id>("requester_id", "requester_id", Entity::contact, "tickets"),
    build::detach<&Ticket::account_id>("account_id", "account_id", Entity::account, "tickets"),
    build::block_open<&Ticket::assignee_id>("assignee_id", "assignee_id", Entity::user, "open tickets",
                                            &tickets::is_open),
};

const KindDef<Ticket> kTicket{Entity::ticket, "ticket", "tickets", "tickets", 10, kTicketFields, kTicketRefs,
                              &tickets::validate, &tickets::after_write};

// After an upgrade from before v7 (stored due times): compute them for every open ticket.
void upgraded(DbImpl& db, int from_version) {
    if (from_version < 7) tickets::refresh_due(db);
}
}  // namespace

template <> const KindDef<Ticket>& kind_def<Ticket>() noexcept { return kTicket; }
const KindEntry& ticket_kind() { return entry<Ticket>(nullptr, &upgraded); }

}  // namespace records

CRM_RECORD_KIND(Ticket);

Tickets Db::tickets() noexcept { return Tickets(impl_.get()); }

result<Ticket> Tickets::transition(Id id, TicketStatus to, std::optional<Timestamp> at) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<Ticket> {
        CRM_TRY(Ticket t, records::load_full<Ticket>(*db_, id));
        const Ticket old = t;
        const TicketStatus from = t.status;
        if (!transition_allowed(from, to))
            return make_error(errc::constraint_violation,
                              fmt::format("status: a {} ticket cannot become {} (allowed: {})", to_string(from),
                                          to_string(to), tickets::allowed_list(from)),
                              "status");
        const Timestamp latest = std::max(t.opened_at, store::last_status_change_at(*db_, id).value_or(t.opened_at));
        CRM_TRY(const Timestamp when, records::event_time("at", at, db_->now(), latest, "ticket's latest status change"));
        t.status = to;
        if (to == TicketStatus::resolved) t.resolved_at = when;
        else if (to == TicketStatus::closed) {
            t.closed_at = when;
            if (!t.resolved_at) t.resolved_at = when;
        } else {
            t.resolved_at.reset();  // reopened
            t.closed_at.reset();
        }
        records::Write w{*db_, /*managed=*/true, when};
        CRM_TRYV(records::update(w, std::move(t), old));
        TicketStatusChange c;
        c.ticket_id = id;
        c.from = from;
        c.to = to;
        c.at = when;
        c.actor_id = db_->actor;
        store::insert_status_change(*db_, c);
        return records::load_full<Ticket>(*db_, id);
    });
}

result<std::vector<TicketStatusChange>> Tickets::status_history(Id id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<TicketStatusChange>> {
        if (!store::exists(*db_, Entity::ticket, id)) return records::not_found<Ticket>(id);
        return store::status_changes(*db_, id);
    });
}

namespace tickets {
namespace {
// Sets first_response_at to `when` unless the ticket was answered at or before it.
result<Timestamp> answered(records::Write& w, Ticket t, Timestamp when) {
    if (t.first_response_at && *t.first_response_at <= when) return *t.first_response_at;
    const Ticket old = t;
    t.first_response_at = when;
    records::Write managed{w.db, /*managed=*/true};
    CRM_TRYV(records::update(managed, std::move(t), old));
    return when;
}
}  // namespace

result<void> note_outbound(records::Write& w, const Interaction& v, const Interaction* old) {
    if (v.direction != Direction::outbound || v.ticket_ids.empty()) return ok();
    if (old && old->direction == v.direction && old->occurred_at == v.occurred_at && old->ticket_ids == v.ticket_ids)
        return ok();
    for (Id id : v.ticket_ids) {
        CRM_TRY(Ticket t, records::load_full<Ticket>(w.db, id));
        if (v.occurred_at < t.opened_at) continue;  // written before the ticket existed: not an answer to it
        CRM_TRYV(answered(w, std::move(t), v.occurred_at));
    }
    return ok();
}
}  // namespace tickets

result<Timestamp> Tickets::record_response(Id id, std::optional<Timestamp> at) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<Timestamp> {
        CRM_TRY(Ticket t, records::load_full<Ticket>(*db_, id));
        if (t.first_response_at) return *t.first_response_at;
        const Timestamp when = at.value_or(db_->now());
        if (auto r = records::check_time("at", when); !r) return r.error();
        if (when > db_->now()) return invalid("at", "is in the future: only a response that was made can be recorded");
        if (when < t.opened_at) return invalid("at", "is before the ticket was opened");
        records::Write w{*db_};
        return tickets::answered(w, std::move(t), when);
    });
}

}  // namespace crm
