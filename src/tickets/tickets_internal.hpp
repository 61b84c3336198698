// Private: what the service area's .cpp files share.
#pragma once

#include <optional>
#include <string>

#include "crm/calendar.hpp"
#include "crm/tickets.hpp"
#include "json/documents.hpp"

namespace crm::service {
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;
std::optional<std::int64_t> parse_date_days(const std::string& s) noexcept;
std::string format_hhmm(int minute);
std::optional<int> parse_hhmm(const std::string& s) noexcept;
std::string format_offset(int minutes);
std::optional<int> parse_offset(const std::string& s) noexcept;
extern const char* const kDayNames[7];
json::json calendar_doc(const BusinessCalendar& cal);
// Ticket documents (tickets.cpp), used by tickets_json.cpp.
json::json ticket_doc(const Ticket& v);
result<Ticket> parse_ticket(const json::json& j) noexcept;
}  // namespace crm::service
