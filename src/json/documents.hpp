// Private: entities <-> nlohmann::json documents. The public crm/json.hpp
// functions and the history log (snapshots, field diffs, as-of reads) use these.
#pragma once
#include <nlohmann/json.hpp>

#include "crm/json.hpp"

namespace crm::json {

using nlohmann::json;

json doc(const User& v);
json doc(const Team& v);
json doc(const Account& v);
json doc(const Contact& v);
json doc(const Change& v);
json doc(const CustomFieldDef& v);
json doc(const FieldValue& v);

// Strict parsing: unknown keys and wrong types are errc::invalid_argument naming the key.
template <class T>
result<T> parse(const json& j) noexcept;

}  // namespace crm::json
