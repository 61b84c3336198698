// Private: the registry of entity kinds — every kind's descriptor, without its
// C++ type. Everything that handles "any kind" goes through it: entity names,
// the store's list filters and deletion checks, crm::AnyRecords (and so the C ABI
// and the CLI). The kinds themselves are listed once, in registry.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crm/db.hpp"
#include "records/descriptor.hpp"

namespace crm::records {

// What list queries need of a field, without its C++ type. Parallel to EntityInfo::fields.
struct FieldView {
    const FieldInfo* info;
    Shape shape;
    std::uint8_t opts;
    const char* column;
    const char* column2;
    const ChildColumn* child;
};

// Every record operation through JSON documents: what crm::AnyRecords calls.
struct AnyOps {
    result<Id> (*create)(DbImpl&, std::string_view document);
    result<std::string> (*get)(DbImpl&, Id);
    result<std::string> (*get_by_external_id)(DbImpl&, const std::string&);
    result<std::string> (*patch)(DbImpl&, Id, std::string_view merge_patch);
    result<void> (*remove)(DbImpl&, Id);
    result<Page<std::string>> (*list)(DbImpl&, const ListOptions&);
    result<std::int64_t> (*count)(DbImpl&, const std::vector<Filter>&);
    result<std::vector<Change>> (*history)(DbImpl&, Id);
    result<std::string> (*get_as_of)(DbImpl&, Id, Timestamp);
    result<void> (*add_tag)(DbImpl&, Id, const std::string&);
    result<void> (*remove_tag)(DbImpl&, Id, const std::string&);
    result<void> (*set_custom)(DbImpl&, Id, const std::string&, const FieldValue&);
};

struct KindEntry {
    EntityInfo info;  // the public description (crm/entities.hpp)
    const char* table;
    std::vector<FieldView> fields;
    // Deleting record `id` of kind `target`: with blockers, adds a line for each
    // reference of this kind that refuses the delete ("2 deals (owner_id)"); without,
    // detaches the references that allow it (each through an update with history).
    result<void> (*references_to)(Write& w, Entity target, Id id, std::vector<std::string>* blockers);
    const char* when_referenced;  // the hint of a refused delete: "reassign them first"
    // After the migrations of an upgrade from `from_version`, in their transaction:
    // recomputes what the kind derives from its data (a ticket's SLA due times).
    void (*upgraded)(DbImpl& db, int from_version);
    AnyOps ops;

    const FieldView* field(std::string_view key_or_name) const noexcept;
};

// Every kind, in Entity order.
const std::vector<const KindEntry*>& kinds() noexcept;
// The kind, or nullptr.
const KindEntry* find(Entity e) noexcept;
const KindEntry* find(std::string_view name) noexcept;
// Adds a kind defined outside the library's own list (a test's kind), and takes it
// away again. Not thread-safe against concurrent lookups: for start-up and tests.
void add_kind(const KindEntry& entry);
void remove_kind(Entity e);

// The table of a kind (a fixed identifier); throws std::logic_error for a value that is not a kind.
const char* table_of(Entity e);

}  // namespace crm::records
