#include "util/text.hpp"

#include <fmt/format.h>

#include "crm/types.hpp"

namespace crm::text {

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        unsigned char c = *p;
        if (c < 0x80) { ++p; continue; }
        int n;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
        else return false;
        if (end - p <= n) return false;
        for (int i = 1; i <= n; ++i) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;  // overlong
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        p += n + 1;
    }
    return true;
}

std::string trim(std::string_view s) {
    auto is_space_at = [&](std::size_t i, std::size_t& len) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') { len = 1; return true; }
        if (i + 2 < s.size() + 0 && c == 0xE3 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            static_cast<unsigned char>(s[i + 2]) == 0x80) { len = 3; return true; }  // U+3000
        return false;
    };
    std::size_t b = 0, len = 0;
    while (b < s.size() && is_space_at(b, len)) b += len;
    std::size_t e = s.size();
    while (e > b) {
        if (e - b >= 3 && static_cast<unsigned char>(s[e - 3]) == 0xE3 && static_cast<unsigned char>(s[e - 2]) == 0x80 &&
            static_cast<unsigned char>(s[e - 1]) == 0x80) { e -= 3; continue; }
        unsigned char c = static_cast<unsigned char>(s[e - 1]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') { --e; continue; }
        break;
    }
    return std::string(s.substr(b, e - b));
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

result<void> check(std::string_view field, std::string_view value, std::size_t max_bytes, bool required) {
    if (value.find('\0') != std::string_view::npos) return invalid(std::string(field), "contains a NUL byte");
    if (!valid_utf8(value)) return invalid(std::string(field), "is not valid UTF-8");
    if (value.size() > max_bytes)
        return invalid(std::string(field), fmt::format("is {} bytes, longer than the limit of {}", value.size(), max_bytes));
    if (required && trim(value).empty()) return invalid(std::string(field), "is required and empty");
    return boost::outcome_v2::success();
}

result<std::string> normalize_email(std::string_view field, std::string_view value) {
    auto r = check(field, value, 254, true);
    if (!r) return r.error();
    std::string v = trim(value);
    auto at = v.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 >= v.size())
        return invalid(std::string(field), fmt::format("'{}' is not an email address (local@domain)", v));
    for (char c : v)
        if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == '<' || c == '>' || c == '"')
            return invalid(std::string(field), fmt::format("'{}' is not an email address (bad character)", v));
    if (v.find('@') != at) return invalid(std::string(field), fmt::format("'{}' has more than one '@'", v));
    std::string_view domain(v.data() + at + 1, v.size() - at - 1);
    if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos)
        return invalid(std::string(field), fmt::format("'{}' has no valid domain", v));
    return ascii_lower(v);
}

bool valid_date(std::string_view s) noexcept {
    return s.size() == 10 && parse_iso8601(std::string(s)).has_value();
}

bool valid_decimal(std::string_view s) noexcept {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') { ++i; ++int_digits; }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') { ++i; ++frac_digits; }
        if (frac_digits == 0) return false;
    }
    return i == s.size() && int_digits > 0 && int_digits + frac_digits <= 30;
}

}  // namespace crm::text
