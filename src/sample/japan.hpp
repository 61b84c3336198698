// Private: Japanese time for the sample company — JST dates and times, the
// national holidays of a year (祝日法 as in force since 2022), and the business
// calendar of the sample company (平日 9:00–12:00 / 13:00–18:00, national
// holidays, 夏季休業 and 年末年始).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "crm/calendar.hpp"

namespace crm::sample::japan {

inline constexpr Timestamp kMinute = 60'000;
inline constexpr Timestamp kHour = 60 * kMinute;
inline constexpr Timestamp kDay = 24 * kHour;
inline constexpr Timestamp kJst = 9 * kHour;  // JST = UTC+09:00, no daylight saving
inline constexpr int kJstMinutes = 540;

struct Date {
    int year = 1970, month = 1, day = 1;
    friend auto operator<=>(const Date&, const Date&) = default;
};

std::int64_t days_from_civil(Date d) noexcept;  // days since 1970-01-01
Date civil_from_days(std::int64_t days) noexcept;
int weekday(std::int64_t days) noexcept;        // 0 = Sunday … 6 = Saturday
std::string iso(Date d);                        // "2026-11-24"

// The JST day (days since 1970-01-01 in Japan) containing t, and its local midnight in UTC ms.
std::int64_t jst_day(Timestamp t) noexcept;
Timestamp jst_midnight_of_day(std::int64_t day) noexcept;
std::string jst_date(Timestamp t);              // "2026-11-24"

// The national holidays of a year, ascending: fixed days, Happy Monday days, the
// equinoxes (the usual formula, valid 1980–2099), 振替休日 and 国民の休日.
// The rules as in force since 2022; the Olympic moves of 2020–21 are not modelled.
std::vector<Date> national_holidays(int year);

// The sample company's working days: weekdays that are neither national holidays
// nor company holidays (8/13–8/15 夏季休業, 12/29–1/3 年末年始).
class Calendar {
public:
    Calendar(int first_year, int last_year);
    bool working_day(std::int64_t day) const noexcept;
    // The first working day at or after / at or before `day`.
    std::int64_t next_working_day(std::int64_t day) const noexcept;
    std::int64_t previous_working_day(std::int64_t day) const noexcept;
    // The library's calendar of the same working time: hours and every day off of those years.
    const BusinessCalendar& business() const noexcept { return cal_; }
    std::size_t national_holiday_count(int year) const;

private:
    std::set<std::int64_t> off_;  // days off besides weekends
    BusinessCalendar cal_;
};

}  // namespace crm::sample::japan
