// Private: the checks every kind shares — external ids, tags, custom values and
// custom-field definitions — and small helpers the kinds' own rules use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crm/custom_fields.hpp"
#include "crm/error.hpp"
#include "records/descriptor.hpp"

namespace crm::records {

result<void> validate_external_id(std::string& v);  // trimmed, at most 256 bytes
result<void> validate_tags(Tags& tags);              // trimmed, sorted, de-duplicated
result<void> validate_tag(std::string& tag);
result<void> validate_custom(Entity e, CustomFields& values, const std::vector<CustomFieldDef>& defs,
                             std::size_t max_bytes);
result<void> validate_def(CustomFieldDef& def);

// Text of at most the database's max_text_bytes (or `max`), valid UTF-8; required
// text is trimmed and must not be empty.
result<void> check_text(Write& w, const std::string& field, std::string& v, bool required = false,
                        std::size_t max = 0);
// Each part of a postal address: text of at most max_text_bytes ("address.city").
result<void> check_address(Write& w, PostalAddress& a);
// An ISO-4217 code: three upper-case letters.
result<void> check_currency(const std::string& field, const std::string& code);
result<void> check_money(const std::string& field, const Money& m);  // the code, and amount >= 0
// The time a caller gives to an event of a record's own timeline (a stage move, a
// status change): `at`, or now when unset; never in the future, never before
// `not_before` (the record's latest event), always within the years 0001–9999.
result<Timestamp> event_time(const std::string& field, std::optional<Timestamp> at, Timestamp now,
                             Timestamp not_before, std::string_view latest_event);
// A reference to an existing record of `target` (a null reference is fine).
result<void> check_reference(Write& w, const char* field, const std::optional<Id>& id, Entity target);
// Links to existing records, sorted, de-duplicated; only kinds in `allowed` (empty: any).
result<void> check_links(Write& w, std::vector<RecordLink>& links, std::initializer_list<Entity> allowed);

}  // namespace crm::records
