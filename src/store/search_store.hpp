// Private: SQL of the full-text search index (schema_search.cpp): the searchable
// columns of any kind (from its descriptor: text fields with cap_search), the rows
// of search_docs and of its two FTS5 indexes, and the search query. The search area
// (src/search/) folds the text and builds the MATCH expressions; this file only
// binds them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crm/query.hpp"
#include "records/registry.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

using detail::DbImpl;

// The searchable columns of a kind (text fields with cap_search stored in its own
// table), in descriptor order; empty when the kind has none.
const std::vector<const char*>& search_columns(const records::KindEntry& k);

// The values of k's searchable columns for record id; nullopt when there is no such row.
std::optional<std::vector<std::string>> search_values(DbImpl& db, const records::KindEntry& k, Id id);
// Every record of k with its values, in id order.
void each_search_values(DbImpl& db, const records::KindEntry& k,
                        const std::function<void(Id, std::vector<std::string>&)>& fn);

// One record's row: label as stored, title and body folded.
struct SearchDoc {
    std::string label, title, body;
};
// What search_uni is given for a folded text (spaces around CJK characters).
using Spacer = std::string (*)(std::string_view folded);

// Writes (or rewrites, when it changed) the index rows of one record; fresh: it has none yet.
void put_search_doc(DbImpl& db, Entity e, Id id, const SearchDoc& doc, Spacer spaced, bool fresh = false);
// Removes them, if any.
void drop_search_doc(DbImpl& db, Entity e, Id id, Spacer spaced);
// Empties the index (rebuild), and merges the FTS5 segments after one.
void clear_search(DbImpl& db);
void optimize_search(DbImpl& db);

struct SearchQuery {
    std::string tri_match;  // MATCH expression for search_tri; empty = none
    std::string uni_match;  // MATCH expression for search_uni; empty = none
    std::vector<Entity> kinds;                 // empty = any
    const records::KindEntry* filter_kind = nullptr;  // with `where`: the one kind
    std::vector<Filter> where;
    std::int64_t limit = 20;
};
struct SearchRow {
    Entity kind = Entity::contact;
    Id id = 0;
    std::string label, title, body;
    double rank = 0;
};
// The schema version that created the index (its place among the migrations).
int search_schema_version() noexcept;

// Best first (bm25, then kind name, then id). At least one MATCH expression is set.
result<std::vector<SearchRow>> search_rows(DbImpl& db, const SearchQuery& q);

}  // namespace crm::store
