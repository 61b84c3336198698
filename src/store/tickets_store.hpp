// Private: SQL for tickets, their status history, business calendars and SLA policies.
#pragma once

#include "crm/tickets.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

std::span<const FieldSpec> ticket_field_specs() noexcept;

// The stored SLA deadlines of a ticket (columns sla_first_response_due_at and
// sla_resolution_due_at, migration v7), which Tickets::breaching() reads through
// their indexes. Each is the clock's due time (add_business_ms(calendar, opened_at,
// target)) while an alert can come from that clock, and unset otherwise: no policy,
// no target (or 0 minutes) for the priority, the clock already done (first response
// recorded / resolved), or the ticket resolved or closed.
struct TicketDue {
    std::optional<Timestamp> first_response;
    std::optional<Timestamp> resolution;
};
TicketDue compute_ticket_due(DbImpl& db, const Ticket& t);  // loads the policy and its calendar
void set_ticket_due(DbImpl& db, Id ticket_id, const TicketDue& due);
// Recompute the deadlines of the unresolved tickets with a policy: all of them
// (migration v7), those of one policy (policy redefined), or those whose policy
// uses one calendar (calendar redefined).
void refresh_ticket_due(DbImpl& db);
void refresh_ticket_due_for_policy(DbImpl& db, Id policy_id);
void refresh_ticket_due_for_calendar(DbImpl& db, Id calendar_id);
// Every stored deadline <= horizon as an alert (breached left false), ordered by
// (due_at, ticket id, target): two range scans of the due-time indexes.
std::vector<SlaAlert> tickets_due_by(DbImpl& db, Timestamp horizon);
// Tickets assigned to a user that are not resolved or closed.
std::vector<Id> open_ticket_ids_assigned_to(DbImpl& db, Id user_id);

Id insert(DbImpl& db, const Ticket& v, const TicketDue& due);
void update(DbImpl& db, const Ticket& old, const Ticket& v);
bool load(DbImpl& db, Id id, Ticket& out);
void insert_status_change(DbImpl& db, const TicketStatusChange& c);
std::vector<TicketStatusChange> status_changes(DbImpl& db, Id ticket_id);

std::optional<Id> calendar_id_by_name(DbImpl& db, const std::string& name);
Id save_calendar(DbImpl& db, const BusinessCalendar& cal, std::optional<Id> existing);  // replaces hours/holidays
bool load_calendar(DbImpl& db, Id id, BusinessCalendar& out);
std::vector<Id> calendar_ids(DbImpl& db);

std::optional<Id> sla_policy_id_by_name(DbImpl& db, const std::string& name);
Id save_sla_policy(DbImpl& db, const SlaPolicy& p, std::optional<Id> existing);
bool load_sla_policy(DbImpl& db, Id id, SlaPolicy& out);
bool sla_policy_exists(DbImpl& db, Id id);  // without loading targets and calendar
std::vector<Id> sla_policy_ids(DbImpl& db);

}  // namespace crm::store
