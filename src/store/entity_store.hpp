// Private: the storage layer — every SQL statement of the customer graph lives
// under src/store/. Functions here throw SQLite::Exception; the domain layer's
// write()/read() scopes turn that into crm::error.
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

// ---- entity tables and list fields (records_store.cpp, field_specs.cpp)
const char* table_name(Entity e) noexcept;  // fixed identifiers: "contacts", "deals", …

enum class FieldKind { text, integer, boolean, time };
struct FieldSpec {
    const char* name;  // as used in filters and order_by
    const char* sql;   // expression over the entity's table
    FieldKind kind;
    bool sortable;
};
std::span<const FieldSpec> field_specs(Entity e) noexcept;
const FieldSpec* find_field(Entity e, const std::string& name) noexcept;

// ---- per-entity rows (users_store.cpp, teams_store.cpp, accounts_store.cpp, contacts_store.cpp)
Id insert(DbImpl& db, const User& v);
Id insert(DbImpl& db, const Team& v);
Id insert(DbImpl& db, const Account& v);
Id insert(DbImpl& db, const Contact& v);
void update(DbImpl& db, const User& old, const User& v);
void update(DbImpl& db, const Team& old, const Team& v);
void update(DbImpl& db, const Account& old, const Account& v);
void update(DbImpl& db, const Contact& old, const Contact& v);
// Loads the row (without tags and custom values, which records.cpp adds).
bool load(DbImpl& db, Id id, User& out);
bool load(DbImpl& db, Id id, Team& out);
bool load(DbImpl& db, Id id, Account& out);
bool load(DbImpl& db, Id id, Contact& out);
void erase(DbImpl& db, Entity e, Id id);
bool exists(DbImpl& db, Entity e, Id id);
std::optional<Id> id_by_external_id(DbImpl& db, Entity e, const std::string& external_id);
std::optional<Id> user_by_email(DbImpl& db, const std::string& email_norm);
std::optional<Id> contact_by_email(DbImpl& db, const std::string& email_norm);
// Which contact (if any) already holds each of these normalized addresses.
std::optional<Id> email_owner(DbImpl& db, const std::string& email_norm);
std::optional<Id> account_parent(DbImpl& db, Id account_id);
std::vector<Id> ids_where_equals(DbImpl& db, Entity e, const char* column, Id value);  // column from a fixed list

// ---- tags and custom values (custom_store.cpp)
Tags load_tags(DbImpl& db, Entity e, Id id);
void save_tags(DbImpl& db, Entity e, Id id, const Tags& tags);  // replaces the set
std::vector<CustomFieldDef> load_defs(DbImpl& db, Entity e);
std::optional<CustomFieldDef> load_def(DbImpl& db, Entity e, const std::string& name);
Id insert_def(DbImpl& db, const CustomFieldDef& def);
void erase_def(DbImpl& db, Id def_id);
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

// ---- lists (list_store.cpp): ids matching filters, in order, for keyset paging
struct IdPage {
    std::vector<Id> ids;
    std::string next;
};
result<IdPage> list_ids(DbImpl& db, Entity e, const ListOptions& options);
result<std::int64_t> count_ids(DbImpl& db, Entity e, const std::vector<Filter>& where);

}  // namespace crm::store
