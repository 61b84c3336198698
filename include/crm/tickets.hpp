// crm/tickets.hpp — support tickets, their status workflow and SLAs.
//
//   crm::Ticket t; t.subject = "請求書が届かない"; t.requester_id = yamada; t.priority = crm::TicketPriority::high;
//   crm::Id id = db.tickets().create(t).value();
//   db.tickets().transition(id, crm::TicketStatus::open);
//   db.tickets().record_response(id);             // first outbound reply
//   auto s = db.tickets().sla(id).value();        // due times, elapsed business time, met/breached/pending
//
// Status workflow (anything else is refused with errc::constraint_violation):
//   new      → open | pending | on_hold | resolved
//   open     → pending | on_hold | resolved
//   pending  → open | resolved
//   on_hold  → open | resolved
//   resolved → open (reopen) | closed
//   closed   → (final)
// Status changes only go through transition(); update()/patch() with a status (or
// resolved_at / closed_at / first_response_at) different from the stored one is refused.
// docs/tickets.md describes the semantics.
#pragma once

#include "crm/calendar.hpp"
#include "crm/db.hpp"
#include "crm/json.hpp"

namespace crm {

enum class TicketStatus { new_, open, pending, on_hold, resolved, closed };
enum class TicketPriority { low, normal, high, urgent };
enum class TicketChannel { email, phone, web, chat, line, other };
const char* to_string(TicketStatus s) noexcept;    // "new", "open", …
const char* to_string(TicketPriority p) noexcept;
const char* to_string(TicketChannel c) noexcept;
std::optional<TicketStatus> ticket_status_from_string(const std::string& s) noexcept;
std::optional<TicketPriority> ticket_priority_from_string(const std::string& s) noexcept;
std::optional<TicketChannel> ticket_channel_from_string(const std::string& s) noexcept;
bool transition_allowed(TicketStatus from, TicketStatus to) noexcept;

struct Ticket {
    Id id = 0;
    std::string external_id;
    std::string subject;                       // required: 請求書が届かない
    std::string description;
    TicketStatus status = TicketStatus::new_;  // set at create; afterwards only via Tickets::transition
    TicketPriority priority = TicketPriority::normal;
    TicketChannel channel = TicketChannel::email;
    std::optional<Id> requester_id;            // a contact
    std::optional<Id> account_id;
    std::optional<Id> assignee_id;             // a user
    Timestamp opened_at = 0;                   // 0 at create: now
    std::optional<Timestamp> first_response_at;  // via Tickets::record_response
    std::optional<Timestamp> resolved_at;        // maintained by transitions
    std::optional<Timestamp> closed_at;          // maintained by transitions
    std::optional<Id> sla_policy_id;
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

// One row of ticket_status_history: written by create (dated when the ticket
// entered its first status: opened_at, or resolved_at / closed_at for a ticket
// created resolved or closed) and by every transition (dated its `at`).
struct TicketStatusChange {
    Id id = 0;
    Id ticket_id = 0;
    std::optional<TicketStatus> from;  // nullopt for the row written at create
    TicketStatus to = TicketStatus::new_;
    Timestamp at = 0;
    std::optional<Id> actor_id;
};

// Targets in business minutes of the policy's calendar, per priority.
struct SlaTarget {
    TicketPriority priority = TicketPriority::normal;
    std::int64_t first_response_minutes = 0;  // 0: no first-response target
    std::int64_t resolution_minutes = 0;      // 0: no resolution target
};

struct SlaPolicy {
    Id id = 0;
    std::string name;                 // unique: "標準SLA"
    std::optional<Id> calendar_id;    // nullopt: 24×7 UTC
    std::vector<SlaTarget> targets;   // at most one per priority; a priority without one has no SLA
    Timestamp created_at = 0, updated_at = 0;
};

enum class SlaState { none, pending, met, breached };
const char* to_string(SlaState s) noexcept;

struct SlaClock {
    SlaState state = SlaState::none;
    std::optional<Timestamp> due_at;
    std::optional<Timestamp> done_at;  // first_response_at / resolved_at
    std::int64_t elapsed_business_ms = 0;  // from opened_at to done_at (or now)
    std::int64_t target_business_ms = 0;
};

struct TicketSla {
    Id ticket_id = 0;
    std::optional<Id> sla_policy_id;
    Timestamp now = 0;
    SlaClock first_response, resolution;
};

struct SlaAlert {
    Id ticket_id = 0;
    std::string target;  // "first_response" or "resolution"
    Timestamp due_at = 0;
    bool breached = false;  // now > due_at (the clock's state is breached)
    TicketPriority priority = TicketPriority::normal;
    std::string subject;
};

class Tickets : public Records<Ticket> {
public:
    using Records::Records;

    // Moves a ticket along the workflow (see the table above), writing the status,
    // resolved_at / closed_at, a ticket_status_history row and history rows atomically.
    // at: when it happened, for history brought from elsewhere (default now); never
    // in the future, never before the ticket's latest status change or opened_at
    // (errc::invalid_argument, field "at"). resolved_at / closed_at take this time.
    result<Ticket> transition(Id id, TicketStatus to, std::optional<Timestamp> at = std::nullopt) noexcept;
    result<std::vector<TicketStatusChange>> status_history(Id id) noexcept;  // oldest first
    // Marks the first outbound reply: the first call sets first_response_at (at, or now);
    // later calls keep it. Returns the stored first_response_at.
    result<Timestamp> record_response(Id id, std::optional<Timestamp> at = std::nullopt) noexcept;

    // SLA state of one ticket at now (default: the database clock).
    result<TicketSla> sla(Id id, std::optional<Timestamp> now = std::nullopt) noexcept;
    // Unresolved tickets whose first-response or resolution target is breached or
    // due within `within_minutes` (wall-clock) of now, ordered by (due_at, ticket id).
    result<std::vector<SlaAlert>> breaching(std::int64_t within_minutes, std::optional<Timestamp> now = std::nullopt) noexcept;

    // Business calendars (by unique name: define replaces an existing one's hours and holidays).
    result<Id> define_calendar(const BusinessCalendar& cal) noexcept;
    result<BusinessCalendar> calendar(Id id) noexcept;
    result<std::vector<BusinessCalendar>> calendars() noexcept;
    // SLA policies (by unique name: define replaces an existing one's calendar and targets).
    result<Id> define_sla_policy(const SlaPolicy& policy) noexcept;
    result<SlaPolicy> sla_policy(Id id) noexcept;
    result<std::vector<SlaPolicy>> sla_policies() noexcept;
};

extern template class Records<Ticket>;

std::string to_json(const TicketStatusChange& v);
std::string to_json(const SlaPolicy& v);
std::string to_json(const TicketSla& v);
std::string to_json(const SlaAlert& v);
result<SlaPolicy> sla_policy_from_json(std::string_view json) noexcept;

}  // namespace crm
