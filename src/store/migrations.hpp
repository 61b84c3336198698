// Private: forward-only schema migrations keyed by PRAGMA user_version.
#pragma once
#include "store/db_impl.hpp"

namespace crm::detail {
int latest_schema_version() noexcept;
// Brings the file up to `target` (default: latest) in one transaction.
// A file newer than this library gets errc::schema_too_new and is left untouched.
result<void> migrate(DbImpl& db, int target = -1) noexcept;
}  // namespace crm::detail
