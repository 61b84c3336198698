// Private: what the tickets area's files share — the descriptor, the ticket rules
// SLA code needs, and the calendar helpers of the JSON codec.
#pragma once

#include <optional>
#include <string>

#include "crm/calendar.hpp"
#include "crm/interactions.hpp"
#include "crm/tickets.hpp"
#include "json/documents.hpp"
#include "records/descriptor.hpp"
#include "store/tickets_store.hpp"

namespace crm::records {
template <> const KindDef<Ticket>& kind_def<Ticket>() noexcept;
}  // namespace crm::records

namespace crm::tickets {

using detail::DbImpl;

// Open: neither resolved nor closed. Only open tickets have SLA clocks running
// and block deleting their assignee.
bool is_open(const Ticket& t) noexcept;

// The stored SLA deadlines (store::TicketDue) of a ticket: each is the clock's due
// time (add_business_ms(calendar, opened_at, target)) while an alert can come from
// it, and unset otherwise: no policy, no target (or 0 minutes) for the priority,
// the clock done (first response recorded / resolved), the ticket not open.
store::TicketDue due_times(DbImpl& db, const Ticket& t);
// Whether a change from `old` to `v` can move them.
bool due_inputs_changed(const Ticket& old, const Ticket& v) noexcept;
// Recomputes and stores the deadlines of the open tickets with a policy: all of
// them, those of one policy, or those whose policy uses one calendar.
void refresh_due(DbImpl& db, std::optional<Id> policy_id = std::nullopt, std::optional<Id> calendar_id = std::nullopt);

// The first response to a ticket is its first outbound interaction: an
// interaction written with direction outbound and linked to tickets answers each
// of them at occurred_at, unless it predates the ticket (opened_at) or the ticket
// was already answered earlier. Called by the interactions area for every write
// (create, update, ingest) after the interaction is stored; old is the interaction
// before an update.
result<void> note_outbound(records::Write& w, const Interaction& v, const Interaction* old);

// Calendar text forms (calendar.cpp), for the JSON codec.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;
std::optional<std::int64_t> parse_date_days(const std::string& s) noexcept;
std::string format_hhmm(int minute);
std::optional<int> parse_hhmm(const std::string& s) noexcept;
std::string format_offset(int minutes);
std::optional<int> parse_offset(const std::string& s) noexcept;
extern const char* const kDayNames[7];
json::json calendar_doc(const BusinessCalendar& cal);

}  // namespace crm::tickets
