// Private: SQL for tickets, their status history, business calendars and SLA policies.
#pragma once

#include "crm/tickets.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

std::span<const FieldSpec> ticket_field_specs() noexcept;

Id insert(DbImpl& db, const Ticket& v);
void update(DbImpl& db, const Ticket& old, const Ticket& v);
bool load(DbImpl& db, Id id, Ticket& out);
void insert_status_change(DbImpl& db, const TicketStatusChange& c);
std::vector<TicketStatusChange> status_changes(DbImpl& db, Id ticket_id);
std::vector<Id> unresolved_ticket_ids(DbImpl& db);  // status not resolved/closed, with an SLA policy

std::optional<Id> calendar_id_by_name(DbImpl& db, const std::string& name);
Id save_calendar(DbImpl& db, const BusinessCalendar& cal, std::optional<Id> existing);  // replaces hours/holidays
bool load_calendar(DbImpl& db, Id id, BusinessCalendar& out);
std::vector<Id> calendar_ids(DbImpl& db);

std::optional<Id> sla_policy_id_by_name(DbImpl& db, const std::string& name);
Id save_sla_policy(DbImpl& db, const SlaPolicy& p, std::optional<Id> existing);
bool load_sla_policy(DbImpl& db, Id id, SlaPolicy& out);
std::vector<Id> sla_policy_ids(DbImpl& db);

}  // namespace crm::store
