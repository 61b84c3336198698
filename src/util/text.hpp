// Private: text checks used at every boundary (UTF-8, sizes, emails, names).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "crm/error.hpp"

namespace crm::text {

bool valid_utf8(std::string_view s) noexcept;
// Appends code point `cp` (at most U+10FFFF, not a surrogate: the caller checks) as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);
std::string trim(std::string_view s);          // ASCII and U+3000 ideographic space
std::string ascii_lower(std::string_view s);

// Checks valid UTF-8, no NUL, at most max_bytes; optionally non-empty after trimming.
result<void> check(std::string_view field, std::string_view value, std::size_t max_bytes, bool required);
// Checks an email address and returns its normalized key (trimmed, lower-cased).
result<std::string> normalize_email(std::string_view field, std::string_view value);
// YYYY-MM-DD that names a real date.
bool valid_date(std::string_view s) noexcept;
// Optional decimal: -?digits(.digits)?
bool valid_decimal(std::string_view s) noexcept;

}  // namespace crm::text
