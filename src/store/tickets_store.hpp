// Private: SQL for tickets, their status history, business calendars and SLA policies.
#pragma once

#include "crm/tickets.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

// The stored SLA deadlines of a ticket (columns sla_first_response_due_at and
// sla_resolution_due_at, migration v7), which Tickets::breaching() reads through
// their indexes. The tickets area decides what they hold (tickets/sla.cpp).
struct TicketDue {
    std::optional<Timestamp> first_response;
    std::optional<Timestamp> resolution;
};
void set_ticket_due(DbImpl& db, Id ticket_id, const TicketDue& due);
// Tickets with an SLA policy whose status is one of `open_statuses` (a JSON array
// of names): all of them, those of one policy, or those whose policy uses one calendar.
std::vector<Id> tickets_with_sla(DbImpl& db, const std::string& open_statuses, std::optional<Id> policy_id,
                                 std::optional<Id> calendar_id);
// Every stored deadline <= horizon as an alert (breached left false), ordered by
// (due_at, ticket id, target): two range scans of the due-time indexes.
std::vector<SlaAlert> tickets_due_by(DbImpl& db, Timestamp horizon);

void insert_status_change(DbImpl& db, const TicketStatusChange& c);
std::vector<TicketStatusChange> status_changes(DbImpl& db, Id ticket_id);
std::optional<Timestamp> last_status_change_at(DbImpl& db, Id ticket_id);  // the latest row's time

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
