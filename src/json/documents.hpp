// Private: the documents that are not records — history entries and custom-field
// definitions (records are records/codec.hpp). The public crm/json.hpp functions use these.
#pragma once
#include <nlohmann/json.hpp>

#include "crm/json.hpp"

namespace crm::json {

using nlohmann::json;

json doc(const Change& v);
json doc(const CustomFieldDef& v);
json doc(const FieldValue& v);

}  // namespace crm::json
