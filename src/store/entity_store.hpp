// Private: the storage layer's functions shared by every kind — existence,
// external ids, deletion, references, tags, custom values, history and lists.
// Rows of a kind are store/rows.hpp (built from its descriptor). Functions
// here throw SQLite::Exception; DbImpl::write() / read() turn that into crm::error.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "crm/db.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

using detail::DbImpl;

// ---- any kind's rows (records_store.cpp). Tables and columns come from descriptors.
bool exists(DbImpl& db, Entity e, Id id);
std::optional<Id> id_by_external_id(DbImpl& db, Entity e, const std::string& external_id);
void erase(DbImpl& db, Entity e, Id id);  // the row (child rows cascade), its tags and custom values
// Records of `table` whose `column` holds id (a descriptor's reference).
std::vector<Id> ids_where(DbImpl& db, const char* table, const char* column, Id id);
std::int64_t count_where(DbImpl& db, const char* table, const char* column, Id id);

// ---- tags and custom values (custom_store.cpp)
Tags load_tags(DbImpl& db, Entity e, Id id);
// Replaces the set of tags (fresh: a new record, which has none yet).
void save_tags(DbImpl& db, Entity e, Id id, const Tags& tags, bool fresh = false);
// The custom-field definitions of a kind, cached on the connection (DbImpl::defs_cache).
const std::vector<CustomFieldDef>& cached_defs(DbImpl& db, Entity e);
std::optional<CustomFieldDef> load_def(DbImpl& db, Entity e, const std::string& name);
Id insert_def(DbImpl& db, const CustomFieldDef& def);
void erase_def(DbImpl& db, const CustomFieldDef& def);
std::int64_t count_values(DbImpl& db, Id def_id);
CustomFields load_custom(DbImpl& db, Entity e, Id id, const std::vector<CustomFieldDef>& defs);
void save_custom(DbImpl& db, Entity e, Id id, const CustomFields& values, const std::vector<CustomFieldDef>& defs);
// The same for many records at once (one statement each; ids bound as a JSON array):
// an entry per record that has tags / custom values, none for those without.
std::unordered_map<Id, Tags> load_tags_many(DbImpl& db, Entity e, const std::vector<Id>& ids);
std::unordered_map<Id, CustomFields> load_custom_many(DbImpl& db, Entity e, const std::vector<Id>& ids,
                                                      const std::vector<CustomFieldDef>& defs);
void erase_extras(DbImpl& db, Entity e, Id id);  // tags and custom values of a deleted record

// ---- history (history_store.cpp)
void append_change(DbImpl& db, const Change& c);
std::vector<Change> changes_for(DbImpl& db, Entity e, Id id);
std::vector<Change> changes_since(DbImpl& db, Id after, std::size_t limit);
std::int64_t count_changes(DbImpl& db);
Id latest_change_id(DbImpl& db);

// ---- lists (list_store.cpp): ids matching filters, in order, for keyset paging.
// Filters and sort keys are the fields the kind's descriptor allows (FieldCap).
struct IdPage {
    std::vector<Id> ids;
    std::string next;
};
result<IdPage> list_ids(DbImpl& db, Entity e, const ListOptions& options);
result<std::int64_t> count_ids(DbImpl& db, Entity e, const std::vector<Filter>& where);

}  // namespace crm::store
