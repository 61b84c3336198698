// Business calendars: validation, business-time arithmetic, JSON.
#include "crm/calendar.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "json/documents.hpp"
#include "json/parse.hpp"
#include "json/reader.hpp"
#include "tickets/tickets_internal.hpp"
#include "util/text.hpp"
#include "util/try.hpp"

namespace crm {

namespace tickets {

namespace {
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kMinuteMs = 60'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}
}  // namespace

// Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_date_days(const std::string& s) noexcept {
    if (!text::valid_date(s)) return std::nullopt;
    try {
        return days_from_civil(std::stoll(s.substr(0, 4)), static_cast<unsigned>(std::stoul(s.substr(5, 2))),
                               static_cast<unsigned>(std::stoul(s.substr(8, 2))));
    } catch (...) {
        return std::nullopt;
    }
}

std::string format_hhmm(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

std::optional<int> parse_hhmm(const std::string& s) noexcept {
    // "HH:MM", 00:00 … 24:00
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4})
        if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') return std::nullopt;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

std::string format_offset(int minutes) {
    const char sign = minutes < 0 ? '-' : '+';
    const int a = minutes < 0 ? -minutes : minutes;
    return fmt::format("{}{:02}:{:02}", sign, a / 60, a % 60);
}

std::optional<int> parse_offset(const std::string& s) noexcept {
    if (s == "Z" || s == "z") return 0;
    std::string t = s;
    if (t.size() == 5 && t.find(':') == std::string::npos) t = t.substr(0, 3) + ":" + t.substr(3);
    if (t.size() != 6 || (t[0] != '+' && t[0] != '-')) return std::nullopt;
    auto v = parse_hhmm(t.substr(1));
    if (!v || *v > 18 * 60) return std::nullopt;
    return t[0] == '-' ? -*v : *v;
}

const char* const kDayNames[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// The calendar prepared for arithmetic: holidays as sorted day numbers.
struct Prepared {
    const BusinessCalendar& cal;
    std::vector<std::int64_t> holidays;
    std::int64_t offset_ms;
    explicit Prepared(const BusinessCalendar& c) : cal(c), offset_ms(static_cast<std::int64_t>(c.utc_offset_minutes) * kMinuteMs) {
        for (const auto& h : c.holidays)
            if (auto d = parse_date_days(h)) holidays.push_back(*d);
        std::sort(holidays.begin(), holidays.end());
    }
    // Local day number of an instant.
    std::int64_t day_of(Timestamp t) const { return floor_div(t + offset_ms, kDayMs); }
    // UTC instant of local midnight of a day.
    Timestamp midnight(std::int64_t day) const { return day * kDayMs - offset_ms; }
    const std::vector<WorkInterval>& intervals(std::int64_t day) const {
        static const std::vector<WorkInterval> none;
        if (std::binary_search(holidays.begin(), holidays.end(), day)) return none;
        auto wd = static_cast<std::size_t>(floor_div(day + 4, 7) * -7 + day + 4);  // 1970-01-01 was a Thursday
        return cal.hours[wd];
    }
};

}  // namespace tickets

result<void> validate_calendar(BusinessCalendar& cal) noexcept {
    try {
        CRM_TRYV(text::check("name", cal.name, 256, true));
        cal.name = text::trim(cal.name);
        if (cal.name.empty()) return invalid("name", "is required");
        if (cal.utc_offset_minutes < -18 * 60 || cal.utc_offset_minutes > 18 * 60)
            return invalid("utc_offset_minutes", "must be between -18:00 and +18:00");
        bool any = false;
        for (std::size_t d = 0; d < 7; ++d) {
            auto& iv = cal.hours[d];
            std::sort(iv.begin(), iv.end(), [](const WorkInterval& a, const WorkInterval& b) { return a.start_minute < b.start_minute; });
            for (std::size_t i = 0; i < iv.size(); ++i) {
                const auto field = fmt::format("hours.{}[{}]", tickets::kDayNames[d], i);
                if (iv[i].start_minute < 0 || iv[i].end_minute > 1440 || iv[i].start_minute >= iv[i].end_minute)
                    return invalid(field, fmt::format("{}–{} is not an interval within 00:00–24:00 with start before end",
                                                      tickets::format_hhmm(std::max(0, iv[i].start_minute)),
                                                      tickets::format_hhmm(std::clamp(iv[i].end_minute, 0, 1440))));
                if (i > 0 && iv[i].start_minute < iv[i - 1].end_minute)
                    return invalid(field, "overlaps the previous interval of the day");
                any = true;
            }
        }
        if (!any) return invalid("hours", "has no working time on any weekday");
        for (std::size_t i = 0; i < cal.holidays.size(); ++i)
            if (!tickets::parse_date_days(cal.holidays[i]))
                return invalid(fmt::format("holidays[{}]", i), "'" + cal.holidays[i] + "' is not a date YYYY-MM-DD");
        std::sort(cal.holidays.begin(), cal.holidays.end());
        cal.holidays.erase(std::unique(cal.holidays.begin(), cal.holidays.end()), cal.holidays.end());
        return ok();
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

std::int64_t business_ms_between(const BusinessCalendar& cal, Timestamp from, Timestamp to) noexcept {
    if (to < from) return -business_ms_between(cal, to, from);
    if (to == from) return 0;
    try {
        tickets::Prepared p(cal);
        std::int64_t total = 0;
        const auto last = p.day_of(to);
        for (auto day = p.day_of(from); day <= last; ++day) {
            const Timestamp m = p.midnight(day);
            for (const auto& iv : p.intervals(day)) {
                const Timestamp s = std::max(from, m + iv.start_minute * tickets::kMinuteMs);
                const Timestamp e = std::min(to, m + iv.end_minute * tickets::kMinuteMs);
                if (e > s) total += e - s;
            }
        }
        return total;
    } catch (...) {
        return 0;
    }
}

result<Timestamp> add_business_ms(const BusinessCalendar& cal, Timestamp from, std::int64_t duration_ms) noexcept {
    if (duration_ms < 0) return invalid("duration", "must not be negative");
    if (duration_ms == 0) return from;
    bool any = false;
    for (const auto& d : cal.hours) any = any || !d.empty();
    if (!any) return invalid("calendar", "has no working time");
    try {
        tickets::Prepared p(cal);
        std::int64_t left = duration_ms;
        // Holidays are finite, so every pass of 7 + holidays days after the last holiday finds working time.
        for (auto day = p.day_of(from);; ++day) {
            const Timestamp m = p.midnight(day);
            for (const auto& iv : p.intervals(day)) {
                const Timestamp s = std::max(from, m + iv.start_minute * tickets::kMinuteMs);
                const Timestamp e = m + iv.end_minute * tickets::kMinuteMs;
                if (e <= s) continue;
                if (left <= e - s) return s + left;
                left -= e - s;
            }
        }
    } catch (const std::exception& e) {
        return make_error(errc::internal, e.what());
    }
}

BusinessCalendar always_open_calendar() {
    BusinessCalendar c;
    c.name = "24x7";
    for (auto& d : c.hours) d = {{0, 1440}};
    return c;
}

namespace tickets {
json::json calendar_doc(const BusinessCalendar& cal) {
    json::json hours = json::json::object();
    for (std::size_t d = 0; d < 7; ++d) {
        json::json a = json::json::array();
        for (const auto& iv : cal.hours[d]) a.push_back({format_hhmm(iv.start_minute), format_hhmm(iv.end_minute)});
        hours[kDayNames[d]] = a;
    }
    return {{"id", cal.id},
            {"name", cal.name},
            {"utc_offset", format_offset(cal.utc_offset_minutes)},
            {"hours", hours},
            {"holidays", cal.holidays},
            {"created_at", cal.created_at ? json::json(format_iso8601(cal.created_at)) : json::json(nullptr)},
            {"updated_at", cal.updated_at ? json::json(format_iso8601(cal.updated_at)) : json::json(nullptr)}};
}
}  // namespace tickets

std::string to_json(const BusinessCalendar& cal) { return tickets::calendar_doc(cal).dump(); }

result<BusinessCalendar> calendar_from_json(std::string_view text) noexcept {
    try {
        CRM_TRY(auto j, json::parse_object(text));
        BusinessCalendar c;
        json::Reader r(j, "");
        CRM_TRYV(r.record_meta(c.id, c.created_at, c.updated_at));
        CRM_TRYV(r.str("name", c.name));
        for (const char* key : {"utc_offset", "utc_offset_minutes"}) {
            const auto* x = r.find(key);
            if (!x) continue;
            std::optional<int> o;
            if (x->is_number_integer() && std::abs(x->get<std::int64_t>()) <= 24 * 60) o = x->get<int>();
            else if (x->is_string()) o = tickets::parse_offset(x->get<std::string>());
            if (!o) return invalid(key, "must be like +09:00 or a number of minutes (at most a day)");
            c.utc_offset_minutes = *o;
        }
        if (const auto* x = r.find("hours")) {
            if (!x->is_object()) return invalid("hours", "must be an object of weekdays (sun … sat)");
            for (auto d = x->begin(); d != x->end(); ++d) {
                const std::string field = "hours." + d.key();
                auto pos = std::find_if(std::begin(tickets::kDayNames), std::end(tickets::kDayNames),
                                        [&](const char* n) { return d.key() == n; });
                if (pos == std::end(tickets::kDayNames))
                    return invalid(field, "is not a weekday (sun mon tue wed thu fri sat)");
                auto& out = c.hours[static_cast<std::size_t>(pos - std::begin(tickets::kDayNames))];
                if (d.value().is_null()) continue;
                if (!d.value().is_array()) return invalid(field, "must be an array of [\"HH:MM\",\"HH:MM\"]");
                for (const auto& iv : d.value()) {
                    if (!iv.is_array() || iv.size() != 2 || !iv[0].is_string() || !iv[1].is_string())
                        return invalid(field, "must be an array of [\"HH:MM\",\"HH:MM\"]");
                    auto s = tickets::parse_hhmm(iv[0].get<std::string>());
                    auto e = tickets::parse_hhmm(iv[1].get<std::string>());
                    if (!s || !e) return invalid(field, "times must be HH:MM between 00:00 and 24:00");
                    out.push_back({*s, *e});
                }
            }
        }
        if (const auto* x = r.find("holidays")) {
            if (!x->is_array()) return invalid("holidays", "must be an array of dates YYYY-MM-DD");
            for (const auto& h : *x) {
                if (!h.is_string()) return invalid("holidays", "must be an array of dates YYYY-MM-DD");
                c.holidays.push_back(h.get<std::string>());
            }
        }
        CRM_TRYV(r.done());
        return c;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

}  // namespace crm
