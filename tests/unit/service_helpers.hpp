// Test helpers shared by the ticket/SLA tests: Japan-time instants and a Japanese
// business calendar (9:00–12:00, 13:00–18:00 on weekdays, New Year and 成人の日 off).
#pragma once

#include <string>

#include "crm/calendar.hpp"
#include "crm/types.hpp"

namespace testing {

inline crm::Timestamp jst(const char* local) { return crm::parse_iso8601(std::string(local) + "+09:00").value(); }

inline crm::BusinessCalendar japan() {
    crm::BusinessCalendar c;
    c.name = "日本営業日";
    c.utc_offset_minutes = 540;
    for (std::size_t d = 1; d <= 5; ++d) c.hours[d] = {{9 * 60, 12 * 60}, {13 * 60, 18 * 60}};
    c.holidays = {"2026-01-01", "2026-01-02", "2026-01-12"};
    return c;
}

}  // namespace testing
