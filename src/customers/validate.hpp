// Private: validation and normalization of records before they are stored.
// Each function checks every field, names the first bad one in the error,
// and normalizes in place (trimmed names, sorted tags, one primary email …).
#pragma once
#include "store/entity_store.hpp"

namespace crm::domain {

using detail::DbImpl;

// `old` is the stored record on update, nullptr on create.
result<void> validate(DbImpl& db, User& v, const User* old);
result<void> validate(DbImpl& db, Team& v, const Team* old);
result<void> validate(DbImpl& db, Account& v, const Account* old);
result<void> validate(DbImpl& db, Contact& v, const Contact* old);

result<void> validate_tags(DbImpl& db, Tags& tags);
result<void> validate_tag(DbImpl& db, std::string& tag);
result<void> validate_custom(Entity e, CustomFields& values, const std::vector<CustomFieldDef>& defs,
                             std::size_t max_bytes);
result<void> validate_def(CustomFieldDef& def);

}  // namespace crm::domain
