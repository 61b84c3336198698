// Private: SQL of import batches (import_store.cpp): the batch rows, the items each
// batch wrote, and the history rows undo reads. Every value is bound.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crm/history.hpp"
#include "crm/import.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

Id insert_import_batch(detail::DbImpl& db, const import::Batch& b);
// Counts and finished_at (0: still running) of a batch.
void update_import_batch(detail::DbImpl& db, const import::Batch& b);
void set_import_batch_undone(detail::DbImpl& db, Id id, Timestamp at);
std::optional<import::Batch> import_batch(detail::DbImpl& db, Id id);
std::vector<import::Batch> import_batches(detail::DbImpl& db);

struct ImportItem {
    Id batch_id = 0;
    std::int64_t seq = 0;
    Entity entity = Entity::contact;
    Id record_id = 0;
    bool created = false;  // else updated
    std::uint64_t line = 0;
    Id history_from = 0, history_to = 0;  // history.id in (from, to]
};
void insert_import_item(detail::DbImpl& db, const ImportItem& item);
// In seq order.
std::vector<ImportItem> import_items(detail::DbImpl& db, Id batch_id);

// History rows of one record with from < id <= to (to 0: no upper bound), in id order.
std::vector<Change> changes_between(detail::DbImpl& db, Entity e, Id record_id, Id from, Id to);

}  // namespace crm::store
