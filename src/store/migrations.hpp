// Private: forward-only schema migrations keyed by PRAGMA user_version.
#pragma once
#include "store/db_impl.hpp"

namespace crm::detail {
int latest_schema_version() noexcept;
// The version a migration (one of kMigrations, by address) brings a file to; 0 if none.
int migration_number(const char* const migration) noexcept;
// The tables and indexes the migrations create.
const std::vector<std::string>& schema_names();
// Those of them that a file without a crm schema version already has (a host
// application's own table named like one of ours): such a file is refused.
std::vector<std::string> conflicting_names(DbImpl& db);
// The file's schema version now (PRAGMA user_version).
int stored_schema_version(DbImpl& db);
// Inside an open write scope: applies the migrations from the file's version up to
// `target` (default: latest) and returns the version it found.
int apply_migrations(DbImpl& db, int target = -1);
// The same in a write scope of its own. A file newer than this library gets
// errc::schema_too_new and is left untouched.
result<void> migrate(DbImpl& db, int target = -1) noexcept;
}  // namespace crm::detail
