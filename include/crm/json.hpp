// crm/json.hpp — every record as a JSON document and back.
//
// The same documents are what the C ABI passes across (see docs/c-api.md), what
// crm::AnyRecords takes and gives, and what the CLI prints with --json. Keys
// match the C++ members (crm/entities.hpp lists them per kind, in document
// order); times are ISO-8601 strings in UTC; money is {"amount","currency"}.
// Parsing is strict: an unknown key, a key given twice, a wrong type, an integer
// beyond 64 bits or a time outside the years 0001–9999 is errc::invalid_argument
// naming the field.
#pragma once

#include <string>
#include <string_view>

#include "crm/custom_fields.hpp"
#include "crm/error.hpp"
#include "crm/history.hpp"

namespace crm {

// A record type: Contact, Account, Deal, Ticket … (every kind of crm/entities.hpp).
template <class T>
concept Record = requires(T r) {
    r.id;
    r.external_id;
    r.tags;
    r.custom;
    r.created_at;
    r.updated_at;
};

template <Record T>
std::string to_json(const T& record);
std::string to_json(const Change& v);
std::string to_json(const CustomFieldDef& v);

// T is a record type or CustomFieldDef.
template <class T>
result<T> from_json(std::string_view json) noexcept;
template <>
result<CustomFieldDef> from_json<CustomFieldDef>(std::string_view json) noexcept;

// Applies an RFC 7386 JSON merge patch to the record's document and parses the
// result; the id cannot be patched.
template <Record T>
result<T> merge_patch(const T& record, std::string_view patch_json) noexcept;

}  // namespace crm
