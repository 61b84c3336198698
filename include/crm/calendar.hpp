// crm/calendar.hpp — business calendars and business-time arithmetic.
//
//   crm::BusinessCalendar jp;                      // 平日 9:00–12:00, 13:00–18:00 JST
//   jp.name = "日本営業日"; jp.utc_offset_minutes = 540;
//   for (int d = 1; d <= 5; ++d) jp.hours[d] = {{9 * 60, 12 * 60}, {13 * 60, 18 * 60}};
//   jp.holidays = {"2026-01-01", "2026-01-12"};
//   crm::Timestamp due = crm::add_business_ms(jp, opened, 8 * 3600000).value();
//
// The time zone is a fixed UTC offset (no tz database, no daylight saving):
// exact for Japan (+09:00); a zone with DST needs one calendar per offset.
// docs/tickets.md describes the semantics.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "crm/error.hpp"
#include "crm/types.hpp"

namespace crm {

// Working time within one local day: [start_minute, end_minute), minutes after local midnight (0 … 1440).
struct WorkInterval {
    int start_minute = 0;
    int end_minute = 0;
    friend bool operator==(const WorkInterval&, const WorkInterval&) = default;
};

struct BusinessCalendar {
    Id id = 0;
    std::string name;                 // unique: "日本営業日"
    int utc_offset_minutes = 0;       // minutes east of UTC: +540 for Japan
    // Working intervals per weekday, index 0 = Sunday … 6 = Saturday; sorted, non-overlapping.
    std::array<std::vector<WorkInterval>, 7> hours;
    std::vector<std::string> holidays;  // local dates "YYYY-MM-DD" with no working time; sorted, unique
    Timestamp created_at = 0, updated_at = 0;
};

// Checks and normalizes (sorts intervals and holidays, drops duplicate holidays).
// errc::invalid_argument naming the field ("hours[1][0]", "holidays[2]", …).
result<void> validate_calendar(BusinessCalendar& cal) noexcept;

// Working milliseconds in [from, to); negative when to < from. The calendar must be valid.
std::int64_t business_ms_between(const BusinessCalendar& cal, Timestamp from, Timestamp to) noexcept;

// The earliest instant t >= from with business_ms_between(cal, from, t) == duration_ms.
// duration 0 returns from. errc::invalid_argument for a negative duration or a
// calendar without any working time.
result<Timestamp> add_business_ms(const BusinessCalendar& cal, Timestamp from, std::int64_t duration_ms) noexcept;

// A 24×7 calendar in UTC (every millisecond is working time).
BusinessCalendar always_open_calendar();

std::string to_json(const BusinessCalendar& cal);
// {"name":"…","utc_offset":"+09:00","hours":{"mon":[["09:00","12:00"],["13:00","18:00"]],…},"holidays":[…]}
// utc_offset may also be minutes (540). Days: sun mon tue wed thu fri sat.
result<BusinessCalendar> calendar_from_json(std::string_view json) noexcept;

}  // namespace crm
