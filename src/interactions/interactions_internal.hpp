// Private: what interactions.cpp and ingest.cpp share — the descriptor, and
// validation with a cache of linked ids already checked.
#pragma once

#include <unordered_map>
#include <unordered_set>

#include "crm/interactions.hpp"
#include "records/descriptor.hpp"

namespace crm::records {
template <> const KindDef<Interaction>& kind_def<Interaction>() noexcept;
}  // namespace crm::records

namespace crm::interactions {

using detail::DbImpl;

// Existence checks for linked records, remembering ids already found (a batch
// usually links many interactions to the same contacts).
struct LinkChecker {
    explicit LinkChecker(DbImpl& d) : db(d) {}
    DbImpl& db;
    std::unordered_map<int, std::unordered_set<Id>> known;
    bool exists(Entity e, Id id);
};

result<void> check_kind(const std::string& field, const std::string& kind);
// Checks and normalizes one interaction (sorted, de-duplicated links; occurred_at 0 = now).
result<void> validate(LinkChecker& lc, Interaction& v);

// Called inside the write scope of every interaction created (a single create and
// each stored item of an ingest), after it and its links are stored; a hook's error
// rolls the write back. The seam for what reacts to new activity (signals).
using CreatedHook = result<void> (*)(records::Write& w, const Interaction& created);
// Process-wide list of hooks, for start-up (not thread-safe against writes).
void add_created_hook(CreatedHook hook);
result<void> run_created_hooks(records::Write& w, const Interaction& created);

}  // namespace crm::interactions
