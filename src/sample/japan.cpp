// Japanese dates, national holidays and the sample company's business calendar.
#include "sample/japan.hpp"

#include <fmt/format.h>

namespace crm::sample::japan {

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
std::int64_t days_from_civil(Date d) noexcept {
    const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (d.month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const auto day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const auto month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

int weekday(std::int64_t days) noexcept {
    const std::int64_t w = (days + 4) % 7;  // 1970-01-01 was a Thursday
    return static_cast<int>(w < 0 ? w + 7 : w);
}

std::string iso(Date d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

std::int64_t jst_day(Timestamp t) noexcept {
    const Timestamp local = t + kJst;
    return local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
}

Timestamp jst_midnight_of_day(std::int64_t day) noexcept { return day * kDay - kJst; }

std::string jst_date(Timestamp t) { return iso(civil_from_days(jst_day(t))); }

namespace {

// The n-th Monday (1-based) of a month.
Date nth_monday(int year, int month, int n) {
    const std::int64_t first = days_from_civil({year, month, 1});
    const int to_monday = (8 - weekday(first)) % 7;
    return civil_from_days(first + to_monday + 7 * (n - 1));
}

// 春分日 / 秋分日: floor(base + 0.242194 (y − 1980) − floor((y − 1980) / 4)), in integer millionths.
int equinox_day(int year, std::int64_t base_millionths) {
    const std::int64_t y = year - 1980;
    return static_cast<int>((base_millionths + 242194 * y) / 1'000'000 - y / 4);
}

}  // namespace

std::vector<Date> national_holidays(int year) {
    std::set<std::int64_t> days;
    auto add = [&](Date d) { days.insert(days_from_civil(d)); };
    add({year, 1, 1});                                  // 元日
    add(nth_monday(year, 1, 2));                        // 成人の日
    add({year, 2, 11});                                 // 建国記念の日
    add({year, 2, 23});                                 // 天皇誕生日
    add({year, 3, equinox_day(year, 20'843'100)});      // 春分の日
    add({year, 4, 29});                                 // 昭和の日
    add({year, 5, 3});                                  // 憲法記念日
    add({year, 5, 4});                                  // みどりの日
    add({year, 5, 5});                                  // こどもの日
    add(nth_monday(year, 7, 3));                        // 海の日
    add({year, 8, 11});                                 // 山の日
    add(nth_monday(year, 9, 3));                        // 敬老の日
    add({year, 9, equinox_day(year, 23'248'800)});      // 秋分の日
    add(nth_monday(year, 10, 2));                       // スポーツの日
    add({year, 11, 3});                                 // 文化の日
    add({year, 11, 23});                                // 勤労感謝の日
    // 国民の休日: a day between two holidays (September of some years).
    std::set<std::int64_t> between;
    for (auto d : days)
        if (days.count(d + 2) && !days.count(d + 1) && weekday(d + 1) != 0) between.insert(d + 1);
    days.insert(between.begin(), between.end());
    // 振替休日: a holiday on a Sunday moves the next non-holiday day off.
    std::set<std::int64_t> substitutes;
    for (auto d : days) {
        if (weekday(d) != 0) continue;
        std::int64_t s = d + 1;
        while (days.count(s) || substitutes.count(s)) ++s;
        substitutes.insert(s);
    }
    days.insert(substitutes.begin(), substitutes.end());
    std::vector<Date> out;
    for (auto d : days) out.push_back(civil_from_days(d));
    return out;
}

Calendar::Calendar(int first_year, int last_year) {
    for (int y = first_year; y <= last_year; ++y) {
        for (const auto& d : national_holidays(y)) off_.insert(days_from_civil(d));
        for (int day = 13; day <= 15; ++day) off_.insert(days_from_civil({y, 8, day}));    // 夏季休業
        for (int day = 29; day <= 31; ++day) off_.insert(days_from_civil({y, 12, day}));   // 年末年始
        for (int day = 1; day <= 3; ++day) off_.insert(days_from_civil({y, 1, day}));
    }
    cal_.name = "東京本社営業日";
    cal_.utc_offset_minutes = kJstMinutes;
    for (int d = 1; d <= 5; ++d) cal_.hours[static_cast<std::size_t>(d)] = {{9 * 60, 12 * 60}, {13 * 60, 18 * 60}};
    for (auto d : off_)
        if (weekday(d) != 0 && weekday(d) != 6) cal_.holidays.push_back(iso(civil_from_days(d)));
}

bool Calendar::working_day(std::int64_t day) const noexcept {
    const int w = weekday(day);
    return w != 0 && w != 6 && !off_.count(day);
}

std::int64_t Calendar::next_working_day(std::int64_t day) const noexcept {
    while (!working_day(day)) ++day;
    return day;
}

std::int64_t Calendar::previous_working_day(std::int64_t day) const noexcept {
    while (!working_day(day)) --day;
    return day;
}

std::size_t Calendar::national_holiday_count(int year) const { return national_holidays(year).size(); }

}  // namespace crm::sample::japan
