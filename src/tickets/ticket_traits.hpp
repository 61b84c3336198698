// Private: Traits<Ticket> — tickets plugged into the generic record operations.
// Shared by tickets.cpp (Records<Ticket>) and core_records.cpp, which detaches the
// tickets of a deleted contact, account or user through the normal update path.
#pragma once

#include "crm/tickets.hpp"
#include "records/engine.hpp"
#include "tickets/tickets_internal.hpp"
#include "store/tickets_store.hpp"

namespace crm::service {
result<void> validate_ticket(detail::DbImpl& db, Ticket& v, const Ticket* old);
// Whether a change from `old` to `v` can move the stored SLA deadlines
// (store::TicketDue): opened_at, priority, policy, status, first response, resolution.
inline bool sla_due_inputs_changed(const Ticket& old, const Ticket& v) {
    return old.opened_at != v.opened_at || old.priority != v.priority || old.sla_policy_id != v.sla_policy_id ||
           old.status != v.status || old.first_response_at != v.first_response_at ||
           old.resolved_at != v.resolved_at || old.closed_at != v.closed_at;
}
}  // namespace crm::service

namespace crm::domain {
template <>
struct Traits<Ticket> {
    static constexpr Entity kind = Entity::ticket;
    // Every write keeps the stored SLA deadlines (sla_*_due_at, migration v7) current.
    static Id insert(DbImpl& db, const Ticket& v) {
        Id id = store::insert(db, v, store::compute_ticket_due(db, v));
        TicketStatusChange c;
        c.ticket_id = id;
        c.to = v.status;
        c.at = v.created_at;
        c.actor_id = db.actor;
        store::insert_status_change(db, c);
        return id;
    }
    static void update(DbImpl& db, const Ticket& old, const Ticket& v) {
        store::update(db, old, v);
        if (service::sla_due_inputs_changed(old, v)) store::set_ticket_due(db, v.id, store::compute_ticket_due(db, v));
    }
    static bool load(DbImpl& db, Id id, Ticket& out) { return store::load(db, id, out); }
    static result<void> validate(DbImpl& db, Ticket& v, const Ticket* old) { return service::validate_ticket(db, v, old); }
    // Status history rows go with the ticket (ON DELETE CASCADE).
    static result<void> before_remove(DbImpl&, const Ticket&) { return ok(); }
    static json::json doc(const Ticket& v) { return service::ticket_doc(v); }
    static result<Ticket> parse(const json::json& j) { return service::parse_ticket(j); }
};
}  // namespace crm::domain
