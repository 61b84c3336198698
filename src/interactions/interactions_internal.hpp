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

}  // namespace crm::interactions
