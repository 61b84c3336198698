// crm/json.hpp — every entity as a JSON document and back.
//
// The same documents are what the C ABI passes across (see docs/c-api.md) and
// what the CLI prints with --json. Field names match the C++ members; times are
// ISO-8601 strings in UTC; unknown keys are an error when parsing.
#pragma once

#include <string>
#include <string_view>

#include "crm/accounts.hpp"
#include "crm/contacts.hpp"
#include "crm/custom_fields.hpp"
#include "crm/error.hpp"
#include "crm/history.hpp"
#include "crm/users.hpp"

namespace crm {

std::string to_json(const User& v);
std::string to_json(const Team& v);
std::string to_json(const Account& v);
std::string to_json(const Contact& v);
std::string to_json(const Change& v);
std::string to_json(const CustomFieldDef& v);

// T is User, Team, Account, Contact or CustomFieldDef.
template <class T>
result<T> from_json(std::string_view json) noexcept;

// Applies an RFC 7386 JSON merge patch to the record's document and parses the result.
template <class T>
result<T> merge_patch(const T& record, std::string_view patch_json) noexcept;

}  // namespace crm
