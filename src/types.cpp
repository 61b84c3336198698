// Names of enums, time conversions and the library version.
#include <chrono>
#include <cstdio>
#include <ctime>

#include "crm/crm.hpp"

namespace crm {

const char* version() noexcept { return CRM_VERSION_STRING; }

namespace {
template <class E, std::size_t N>
std::optional<E> lookup(const char* const (&names)[N], const std::string& s) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (s == names[i]) return static_cast<E>(i);
    return std::nullopt;
}
constexpr const char* kFieldType[] = {"text", "integer", "decimal", "date", "bool", "enum"};
constexpr const char* kOp[] = {"create", "update", "delete"};
}  // namespace

const char* to_string(FieldType t) noexcept { return kFieldType[static_cast<int>(t)]; }
std::optional<FieldType> field_type_from_string(const std::string& s) noexcept {
    return lookup<FieldType>(kFieldType, s);
}
const char* to_string(ChangeOp op) noexcept { return kOp[static_cast<int>(op)]; }

Timestamp now_ms() noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {
// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}
unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
    static const unsigned k[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : k[m - 1];
}
bool digits(const std::string& s, std::size_t pos, std::size_t n, int& out) noexcept {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}
}  // namespace

std::string format_iso8601(Timestamp ms) {
    std::int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    std::int64_t rem = ms - days * 86400000;
    std::int64_t y; unsigned m, d;
    civil_from_days(days, y, m, d);
    if (y < 0 || y > 9999) {  // outside what four digits show (the library refuses such times on input)
        char buf[96];
        std::snprintf(buf, sizeof buf, "%lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), m, d,
                      static_cast<long long>(rem / 3600000), static_cast<long long>(rem / 60000 % 60),
                      static_cast<long long>(rem / 1000 % 60), static_cast<long long>(rem % 1000));
        return buf;
    }
    // YYYY-MM-DDThh:mm:ss.mmmZ, written digit by digit (this runs for every time of every document).
    char out[24];
    auto put = [&](std::size_t at, std::int64_t v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    };
    put(0, y, 4);
    out[4] = '-';
    put(5, m, 2);
    out[7] = '-';
    put(8, d, 2);
    out[10] = 'T';
    put(11, rem / 3600000, 2);
    out[13] = ':';
    put(14, rem / 60000 % 60, 2);
    out[16] = ':';
    put(17, rem / 1000 % 60, 2);
    out[19] = '.';
    put(20, rem % 1000, 3);
    out[23] = 'Z';
    return std::string(out, sizeof out);
}

std::optional<Timestamp> parse_iso8601(const std::string& s) {
    int y, mo, d;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo)))
        return std::nullopt;
    std::int64_t ms = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400000;
    if (s.size() == 10) return ms;
    if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
    int hh, mi, ss = 0;
    if (!digits(s, 11, 2, hh) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mi)) return std::nullopt;
    std::size_t p = 16;
    int frac = 0;
    if (p < s.size() && s[p] == ':') {
        if (!digits(s, p + 1, 2, ss)) return std::nullopt;
        p += 3;
        if (p < s.size() && s[p] == '.') {
            ++p;
            int scale = 100, n = 0;
            while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
                if (n < 3) frac += (s[p] - '0') * scale;
                scale /= 10; ++n; ++p;
            }
            if (n == 0) return std::nullopt;
        }
    }
    if (hh > 23 || mi > 59 || ss > 60) return std::nullopt;
    ms += ((hh * 60 + mi) * 60 + ss) * 1000LL + frac;
    if (p == s.size() || (p + 1 == s.size() && s[p] == 'Z')) return ms;
    if (s[p] == '+' || s[p] == '-') {
        int oh, om;
        if (!digits(s, p + 1, 2, oh) || s.size() != p + 6 || s[p + 3] != ':' || !digits(s, p + 4, 2, om))
            return std::nullopt;
        const std::int64_t off = (oh * 60 + om) * 60000LL;
        return s[p] == '+' ? ms - off : ms + off;
    }
    return std::nullopt;
}

}  // namespace crm
