// Private: opening and closing the SQLite connection behind a crm::Db.
#pragma once

#include <memory>
#include <string>

#include "store/db_impl.hpp"

namespace crm::store {

// Opens the file and reads its schema version (DbImpl::opened_schema_version)
// without writing anything: a file that is not SQLite fails here (NOTADB).
std::unique_ptr<detail::DbImpl> open_connection(const std::string& path, const OpenOptions& options);
// The library's settings (docs/architecture.md): foreign keys, WAL, synchronous, temp_store.
void configure(detail::DbImpl& db);
// Rolls back what is open and closes; every later use answers errc::closed.
void close_connection(detail::DbImpl& db) noexcept;

}  // namespace crm::store
