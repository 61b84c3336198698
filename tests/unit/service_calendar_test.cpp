// Business calendars: exact business-time arithmetic on a Japanese calendar.
#include <catch2/catch.hpp>

#include "crm/calendar.hpp"
#include "helpers.hpp"
#include "service_helpers.hpp"

using namespace crm;

namespace {
constexpr std::int64_t H = 3'600'000;
constexpr std::int64_t M = 60'000;

using testing::jst;

// 平日 9:00–12:00, 13:00–18:00 JST; 年末年始 12/29–1/3; 2026-01-12 成人の日.
BusinessCalendar japan() {
    BusinessCalendar c;
    c.name = "日本営業日";
    c.utc_offset_minutes = 540;
    for (std::size_t d = 1; d <= 5; ++d) c.hours[d] = {{13 * 60, 18 * 60}, {9 * 60, 12 * 60}};  // unsorted on purpose
    c.holidays = {"2026-01-12", "2025-12-29", "2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02", "2026-01-03",
                  "2026-01-01"};
    REQUIRE(validate_calendar(c));
    return c;
}
}  // namespace

TEST_CASE("calendar: validation sorts, de-duplicates and names bad fields") {
    auto c = japan();
    CHECK(c.hours[1][0].start_minute == 9 * 60);
    CHECK(c.holidays.size() == 7);
    CHECK(c.holidays.front() == "2025-12-29");

    auto bad = c;
    bad.hours[2].push_back({11 * 60, 14 * 60});
    auto r = validate_calendar(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field.rfind("hours.tue", 0) == 0);

    bad = c;
    bad.hours[3] = {{600, 600}};
    CHECK_FALSE(validate_calendar(bad));
    bad = c;
    bad.holidays.push_back("2026-02-30");
    r = validate_calendar(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().field.rfind("holidays[", 0) == 0);
    bad = c;
    for (auto& d : bad.hours) d.clear();
    CHECK_FALSE(validate_calendar(bad));
    bad = c;
    bad.utc_offset_minutes = 19 * 60;
    CHECK_FALSE(validate_calendar(bad));
}

TEST_CASE("calendar: business time within one day and across the lunch break") {
    const auto c = japan();
    CHECK(business_ms_between(c, jst("2026-01-05T09:00:00"), jst("2026-01-05T18:00:00")) == 8 * H);
    CHECK(business_ms_between(c, jst("2026-01-05T11:00:00"), jst("2026-01-05T14:00:00")) == 2 * H);
    CHECK(business_ms_between(c, jst("2026-01-05T12:10:00"), jst("2026-01-05T12:50:00")) == 0);
    CHECK(business_ms_between(c, jst("2026-01-05T00:00:00"), jst("2026-01-06T00:00:00")) == 8 * H);
    CHECK(business_ms_between(c, jst("2026-01-05T14:00:00"), jst("2026-01-05T11:00:00")) == -2 * H);
    CHECK(add_business_ms(c, jst("2026-01-05T11:30:00"), 60 * M).value() == jst("2026-01-05T13:30:00"));
    // Exactly consumed at the end of the morning: due at 12:00, not 13:00.
    CHECK(add_business_ms(c, jst("2026-01-05T09:00:00"), 3 * H).value() == jst("2026-01-05T12:00:00"));
    CHECK(add_business_ms(c, jst("2026-01-05T09:00:00"), 0).value() == jst("2026-01-05T09:00:00"));
    CHECK_FALSE(add_business_ms(c, jst("2026-01-05T09:00:00"), -1));
}

TEST_CASE("calendar: a start outside working hours") {
    const auto c = japan();
    CHECK(add_business_ms(c, jst("2026-01-05T07:00:00"), 1 * H).value() == jst("2026-01-05T10:00:00"));
    CHECK(add_business_ms(c, jst("2026-01-05T12:30:00"), 30 * M).value() == jst("2026-01-05T13:30:00"));
    CHECK(add_business_ms(c, jst("2026-01-05T19:00:00"), 1 * H).value() == jst("2026-01-06T10:00:00"));
    CHECK(business_ms_between(c, jst("2026-01-05T19:00:00"), jst("2026-01-06T10:00:00")) == 1 * H);
    // Saturday start.
    CHECK(add_business_ms(c, jst("2026-01-17T10:00:00"), 1 * H).value() == jst("2026-01-19T10:00:00"));
}

TEST_CASE("calendar: a weekend followed by a national holiday, and 年末年始") {
    const auto c = japan();
    // Fri 2026-01-09 17:00 + 2h: 1h on Friday, Sat, Sun, Mon 01-12 (成人の日) off, 1h on Tuesday.
    const auto fri = jst("2026-01-09T17:00:00");
    CHECK(add_business_ms(c, fri, 2 * H).value() == jst("2026-01-13T10:00:00"));
    CHECK(business_ms_between(c, fri, jst("2026-01-13T10:00:00")) == 2 * H);
    CHECK(business_ms_between(c, jst("2026-01-10T00:00:00"), jst("2026-01-13T00:00:00")) == 0);
    // Fri 2025-12-26 17:00 + 2h: the office is closed 12/29–1/3; Jan 4 is a Sunday.
    CHECK(add_business_ms(c, jst("2025-12-26T17:00:00"), 2 * H).value() == jst("2026-01-05T10:00:00"));
    // A whole week of a normal calendar: 5 × 8h.
    CHECK(business_ms_between(c, jst("2026-01-19T00:00:00"), jst("2026-01-26T00:00:00")) == 40 * H);
}

TEST_CASE("calendar: add then measure returns the same duration (property)") {
    const auto c = japan();
    const Timestamp start = jst("2025-12-24T06:17:00");
    std::int64_t checked = 0;
    for (Timestamp from = start; from < start + 25 * 24 * H; from += 97 * M + 13'000) {
        for (std::int64_t d : {std::int64_t{0}, std::int64_t{1}, 59 * M, 3 * H, 8 * H, 8 * H + 1, 17 * H + 7 * M, 60 * H}) {
            const Timestamp due = add_business_ms(c, from, d).value();
            REQUIRE(due >= from);
            REQUIRE(business_ms_between(c, from, due) == d);
            if (d > 0) REQUIRE(business_ms_between(c, from, due - 1) == d - 1);  // the earliest such instant
            ++checked;
        }
        // Additivity: [a, b) + [b, c) == [a, c).
        const Timestamp mid = from + 31 * H, end = from + 77 * H + 5;
        REQUIRE(business_ms_between(c, from, mid) + business_ms_between(c, mid, end) == business_ms_between(c, from, end));
    }
    CHECK(checked > 1000);
}

TEST_CASE("calendar: other offsets and the 24x7 calendar") {
    const auto all = always_open_calendar();
    CHECK(business_ms_between(all, 0, 5 * H) == 5 * H);
    CHECK(add_business_ms(all, 123, 7 * H).value() == 123 + 7 * H);
    BusinessCalendar ny;  // New York winter: -05:00, 9–17
    ny.name = "NY";
    ny.utc_offset_minutes = -300;
    for (std::size_t d = 1; d <= 5; ++d) ny.hours[d] = {{9 * 60, 17 * 60}};
    REQUIRE(validate_calendar(ny));
    const auto mon9 = parse_iso8601("2026-01-05T09:00:00-05:00").value();
    CHECK(add_business_ms(ny, mon9, 9 * H).value() == parse_iso8601("2026-01-06T10:00:00-05:00").value());
    // Times before 1970 work too (floor division).
    CHECK(business_ms_between(ny, parse_iso8601("1969-12-29T00:00:00-05:00").value(),
                              parse_iso8601("1970-01-05T00:00:00-05:00").value()) == 40 * H);
}

TEST_CASE("calendar: JSON round trip") {
    auto c = japan();
    auto back = calendar_from_json(to_json(c));
    REQUIRE(back);
    auto b = back.value();
    REQUIRE(validate_calendar(b));
    CHECK(b.name == c.name);
    CHECK(b.utc_offset_minutes == 540);
    CHECK(b.hours == c.hours);
    CHECK(b.holidays == c.holidays);
    auto r = calendar_from_json(R"({"name":"x","hours":{"mon":[["09:00","25:00"]]}})");
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "hours.mon");
    CHECK_FALSE(calendar_from_json(R"({"name":"x","utc_offset":"+9"})"));
    CHECK_FALSE(calendar_from_json(R"({"name":"x","color":"red"})"));
    CHECK(calendar_from_json(R"({"name":"x","utc_offset":"+0900","hours":{"sat":[["10:00","24:00"]]}})").value().utc_offset_minutes == 540);
}
