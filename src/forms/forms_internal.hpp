// Private: what the files of the forms area share — resolving a field's target
// against the entity registry and the custom-field definitions, and the checks
// of a definition (forms.cpp) used again at submission (submit.cpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "crm/custom_fields.hpp"
#include "crm/entities.hpp"
#include "crm/forms.hpp"
#include "store/db_impl.hpp"

namespace crm::forms {

using detail::DbImpl;

// Where a form field's value goes.
struct Target {
    enum Kind { none, contact_field, contact_custom, account_name, account_field, account_custom } kind = none;
    std::string key;                 // the contact/account field key ("address.city") or custom field name
    ValueType type = ValueType::text;  // of a field
    CustomFieldDef def;              // of a custom field
    std::string canonical() const;   // "contact.address.city", "account.custom.rank", "" for none
    bool on_account() const { return kind == account_name || kind == account_field || kind == account_custom; }
    bool is_list() const { return kind == contact_field && (key == "emails" || key == "phones"); }
};

// The target of maps_to, checked against the registry and the custom fields defined
// now, and against what the field's type can fill. Errors name `path` ("fields[2].maps_to").
result<Target> resolve(DbImpl& db, const FormField& f, const std::string& path);

// Checks and normalizes a whole definition (names, types, choices, targets,
// identity, campaign). Errors name the part: "fields[1].choices".
result<void> check_definition(DbImpl& db, Form& form);

// The form as stored (campaign_id from its column).
result<Form> load(DbImpl& db, Id id);

// A field's pattern (pattern.cpp), compiled; errors name `path` ("fields[2].pattern").
struct PatternToken {
    enum Kind { literal, any, star, digit, letter, set } kind = literal;
    char32_t ch = 0;
    bool negate = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;
};
result<std::vector<PatternToken>> compile_pattern(std::string_view pattern, const std::string& path);
// Whether the whole value matches: time bounded by value length x pattern length.
bool pattern_matches(const std::vector<PatternToken>& pattern, std::string_view value);

// The length of UTF-8 text in code points.
std::size_t char_count(std::string_view s) noexcept;

}  // namespace crm::forms
