// Private: SQL of duplicate detection and merges (src/dedup): the few columns the
// matching keys are computed from, the merges table, the side tables that hold a
// contact's or an account's id outside the record kinds (stored scores, hand-offs,
// flags, employment periods …), and the owners of child rows that refer to a record.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "records/descriptor.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

using detail::DbImpl;

// ---- what the matching keys are computed from
struct ContactKeyRow {
    Id id = 0;
    std::string name, reading, external_id, company;  // company: the name of the contact's account
    std::vector<std::string> emails, phones;
};
std::vector<ContactKeyRow> contact_key_rows(DbImpl& db);
struct AccountKeyRow {
    Id id = 0;
    std::string name, reading, external_id, phone, website;
};
std::vector<AccountKeyRow> account_key_rows(DbImpl& db);

// ---- merges
struct MergeRow {
    Id id = 0;
    std::string entity;  // "contact"
    Id survivor_id = 0, merged_id = 0;
    Timestamp merged_at = 0;
    std::optional<Id> actor_id;
    std::string survivor_before, survivor_after, merged_document;  // record documents
    std::string fields, relations, side_rows;                       // JSON written by src/dedup
    std::optional<Timestamp> undone_at;
    std::optional<Id> undone_by;
};
Id insert_merge(DbImpl& db, const MergeRow& m);
std::optional<MergeRow> load_merge(DbImpl& db, Id id);
// Newest first; entity empty = every kind; ids below `before` (0 = from the newest).
std::vector<MergeRow> list_merges(DbImpl& db, const std::string& entity, Id before, std::size_t limit);
void mark_undone(DbImpl& db, Id id, Timestamp at, std::optional<Id> by);
// The record this id was merged into by a merge that is not undone, if any.
std::optional<Id> merged_into(DbImpl& db, Entity e, Id id);
// Where a merged-away record went, following later merges of its survivor (at most
// 64): the live record's id, 0 if `id` was never merged away. Never throws: a file
// opened read-only before its upgrade has no merges table, and so no merges.
Id final_survivor(DbImpl& db, Entity e, Id id) noexcept;
// A merge after `merge_id`, not undone, that involves record a or b of the kind.
std::optional<Id> later_merge(DbImpl& db, const std::string& entity, Id merge_id, Id a, Id b);

// ---- side tables: rows that hold the record's id outside the record kinds
// Their rows for records a and b, as JSON (table, columns, rows).
std::string snapshot_side_rows(DbImpl& db, Entity e, Id a, Id b);
// Moves the rows of `from` to `to` where that keeps every key unique; the rest
// (a stored score the survivor already has) are deleted. Returns per table how many
// rows of `from` there were: [{"table", count}].
std::vector<std::pair<std::string, std::int64_t>> repoint_side_rows(DbImpl& db, Entity e, Id from, Id to);
// Puts the rows of a and b back as the snapshot has them.
void restore_side_rows(DbImpl& db, Entity e, Id a, Id b, const std::string& snapshot);

// ---- child rows: owners (e.g. interactions, tasks) whose child table refers to
// record `id` of kind `kind_name` (kind_value: the child's own kind column value, if
// fixed by the descriptor; else kind_name is matched against kind_column).
std::vector<Id> child_owners(DbImpl& db, const records::ChildColumn& c, const std::string& kind_name, Id id);

}  // namespace crm::store
