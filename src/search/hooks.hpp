// Private: what the write path calls to keep the full-text index in step with the
// records (docs/search.md), inside the write's own scope. The record engine
// (records/engine.hpp) calls these after create, update and delete, and
// Interactions::ingest after each stored item. Kinds without searchable fields cost
// one lookup. They throw SQLite::Exception like the store functions they call.
#pragma once

#include <string>
#include <string_view>

#include "crm/types.hpp"

namespace crm::detail {
struct DbImpl;
}

namespace crm::search {

// (Re)writes the index rows of record `id` of kind `e` from its stored row. fresh: the
// record was just created (ids are never reused), so it has no index rows yet.
void reindex(detail::DbImpl& db, Entity e, Id id, bool fresh = false);
// Removes them (the record was deleted).
void unindex(detail::DbImpl& db, Entity e, Id id);
// Whether field `key` (a history field name) of kind `e` is searched: an update that
// changes none of them leaves the index alone.
bool searched_field(Entity e, std::string_view key) noexcept;
// After the migrations of an upgrade from `from_version`, in their transaction: fills
// the index when the upgrade created it.
void upgraded(detail::DbImpl& db, int from_version);

}  // namespace crm::search

namespace crm::search {
// Text as indexed and as searched: NFKC, white space runs one space, trimmed,
// hiragana as katakana, ASCII lower case.
std::string fold(std::string_view text);
// Folded text as search_uni is given it: a space on each side of every CJK / kana character.
std::string spaced(std::string_view folded);
}  // namespace crm::search
