// Private: the one way text becomes JSON in the library. Strict about what
// nlohmann::json alone lets through: a key twice in one object is refused (it
// would silently keep the last), and nesting deeper than kMaxDepth is refused
// before it is built (a deep document must not exhaust the host's stack).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "crm/error.hpp"

namespace crm::json {

inline constexpr int kMaxDepth = 64;  // objects and arrays inside each other

// Parses `text`; errors are errc::invalid_argument with `what` as the field.
result<nlohmann::json> parse_text(std::string_view text, const char* what = "document");
// The same, for a document that must be a JSON object.
result<nlohmann::json> parse_object(std::string_view text, const char* what = "document");

}  // namespace crm::json
