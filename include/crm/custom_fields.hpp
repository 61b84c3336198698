// crm/custom_fields.hpp — typed custom fields and tags on every entity.
//
// A custom field is defined once per entity kind; values are then written as part
// of the record (Contact::custom etc.), validated against the definition, stored
// in a typed, indexed side table, and usable in list filters as "custom.<name>".
#pragma once

#include "crm/types.hpp"

namespace crm {

enum class FieldType { text, integer, decimal, date, boolean, enumeration };
const char* to_string(FieldType t) noexcept;  // "text","integer","decimal","date","bool","enum"
std::optional<FieldType> field_type_from_string(const std::string& s) noexcept;

struct CustomFieldDef {
    Id id = 0;
    Entity entity = Entity::contact;
    std::string name;                 // [a-z][a-z0-9_]{0,63}
    std::string label;                // display label, any UTF-8: 顧客ランク
    FieldType type = FieldType::text;
    std::vector<std::string> options; // allowed values for enumeration
    bool required = false;            // must be present on every write
    Timestamp created_at = 0;
};

}  // namespace crm
