// crm/entities.hpp — what the library knows of each kind of record: its fields,
// what each field can be used for, and the references it holds.
//
//   for (const crm::EntityInfo* k : crm::entity_kinds())
//       for (const crm::FieldInfo& f : k->fields)
//           if (f.has(crm::cap_filter)) std::printf("%s.%s\n", std::string(k->name).c_str(), std::string(f.key).c_str());
//
// One description per kind, kept by the library beside the kind's own code: list
// filters and sort keys, the C ABI's entity checks, the CLI's field options and
// table columns, importers and bindings all read it. Everything here is static
// data: the pointers and views stay valid for the life of the program.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "crm/types.hpp"

namespace crm {

// The type of a field's value in a record's JSON document (crm/json.hpp).
enum class ValueType {
    text,         // a string
    integer,      // a 64-bit integer
    boolean,      // true or false
    time,         // an ISO-8601 time (UTC milliseconds in C++), or null
    date,         // "YYYY-MM-DD", or null
    money,        // {"amount": integer minor units, "currency": "JPY"}, or null where optional
    reference,    // the id of a record of FieldInfo::target, or null
    references,   // an array of ids of records of FieldInfo::target
    enumeration,  // one of FieldInfo::values
    list,         // an array: of strings (FieldInfo::parts empty) or of objects with FieldInfo::parts
    links,        // an array of {"entity": "contact", "id": 3}: references to records of any kind
    tags,         // an array of tag names
    custom,       // an object of custom-field values (crm/custom_fields.hpp)
};
// "text", "integer", …; the string is static.
const char* to_string(ValueType t) noexcept;

// What a field can be used for: FieldInfo::caps is a set of these bits.
enum FieldCap : unsigned {
    cap_filter = 1u << 0,    // in ListOptions::where ("field<op>value", crm/query.hpp)
    cap_sort = 1u << 1,      // as ListOptions::order_by
    cap_group = 1u << 2,     // as a grouping key (a small set of values: a status, an owner, a country)
    cap_search = 1u << 3,    // free text worth searching (names, subjects, notes)
    cap_import = 1u << 4,    // set from a column of imported data
    cap_summary = 1u << 5,   // shown in a one-line listing of records (the CLI's table columns)
    cap_computed = 1u << 6,  // set by the library: a value the caller passes is ignored or refused
    cap_required = 1u << 7,  // must be given when a record is created
};

// One part of the elements of a list field (a deal's line item has product_id,
// quantity, unit_price, discount, note).
struct ElementPart {
    std::string_view key;   // the key inside an element: "product_id"
    ValueType type;
    Entity target;          // for reference: the kind referred to
    // Parts typed on a command line as one value, colon-separated, in this order
    // ("PRODUCT_ID:QUANTITY:UNIT_PRICE[:DISCOUNT]"); optional ones only at the end.
    bool positional;
    bool optional;
};

struct FieldInfo {
    std::string_view key;    // JSON key; inside a nested object, dotted: "address.city", "consent.email"
    std::string_view name;   // short name for command-line options and imported column headers: "city"
    ValueType type;
    unsigned caps;           // FieldCap bits
    Entity target;           // for reference / references: the kind referred to
    std::span<const char* const> values;   // for enumeration: the allowed values
    std::span<const ElementPart> parts;    // for list: the parts of one element (none: a string)
    std::string_view help;   // one line for help texts: "job title"

    bool has(FieldCap c) const noexcept { return (caps & c) != 0; }
};

// What deleting a record does to the records that refer to it.
enum class OnDelete {
    detach,      // the reference is cleared through a normal update, each with its history row
    block,       // the delete is refused (errc::constraint_violation) while any record refers to it
    block_open,  // refused while an open record refers to it (an unresolved ticket); closed ones are detached
};

struct ReferenceInfo {
    std::string_view field;  // the referring field's key: "account_id", "line_items.product_id"
    Entity target;
    OnDelete on_delete;
    std::string_view label;  // the referring records in messages: "deals", "open tickets"
};

struct EntityInfo {
    Entity entity;
    std::string_view name;    // "contact"
    std::string_view plural;  // "contacts"
    int c_code;               // its crm_entity value in crm.h (CRM_CONTACT = 4)
    std::vector<FieldInfo> fields;          // every field, in document order
    std::vector<ReferenceInfo> references;  // the references this kind holds to others

    // The field with this key ("address.city") or short name ("city"); nullptr if none.
    const FieldInfo* field(std::string_view key_or_name) const noexcept;
};

// Every kind, in Entity order.
std::span<const EntityInfo* const> entity_kinds() noexcept;
// The description of a kind; nullptr for a value that is not one.
const EntityInfo* entity_info(Entity e) noexcept;
// The kind whose crm_entity value (crm.h) is c_code; nullptr if none.
const EntityInfo* entity_info_by_c_code(int c_code) noexcept;

}  // namespace crm
