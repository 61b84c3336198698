// Test helper: a database file as an earlier release left it, to test upgrades.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <memory>
#include <string>

#include "store/db_impl.hpp"
#include "store/migrations.hpp"

namespace testing {

// Creates `path` at schema version `version` (migrations 1…version only), then
// lets `fill` write rows with that version's tables; returns whether it worked.
inline bool make_db_at_version(const std::string& path, int version,
                               const std::function<void(SQLite::Database&)>& fill = {}) {
    crm::detail::DbImpl impl;
    impl.path = path;
    impl.conn = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    if (!crm::detail::migrate(impl, version)) return false;
    if (impl.conn->execAndGet("PRAGMA user_version").getInt() != version) return false;
    if (fill) fill(*impl.conn);
    return true;
}

}  // namespace testing
