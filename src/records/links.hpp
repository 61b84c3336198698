// Private: what tasks and documents share.
#pragma once

#include "store/tasks_store.hpp"

namespace crm::work {

// Sorts and de-duplicates links, and checks that each target exists. A kind whose
// table does not exist in this database (its area not migrated yet) is refused.
// allowed: the kinds that may be linked (empty = any).
result<void> validate_links(detail::DbImpl& db, std::vector<RecordLink>& links, std::initializer_list<Entity> allowed);

}  // namespace crm::work
