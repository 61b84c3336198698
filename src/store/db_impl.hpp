// Private: the state behind a crm::Db — one SQLite connection, the prepared-
// statement cache, the clock and the actor, and the write-scope helper that
// makes every public write one atomic unit with its history rows.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "crm/db.hpp"
#include "util/try.hpp"

namespace crm::detail {

// Converts whatever a storage call threw into a crm::error (keeps SQLite's codes).
error error_from_exception(std::exception_ptr ep) noexcept;
error error_from_sqlite(int extended_code, const std::string& sqlite_message) noexcept;

struct DbImpl {
    std::unique_ptr<SQLite::Database> conn;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
    std::function<Timestamp()> clock;
    std::optional<Id> actor;
    OpenOptions options;
    std::string path;
    int schema_version = 0;
    int opened_schema_version = 0;  // user_version before open() migrated the file
    bool in_user_transaction = false;
    int savepoint_depth = 0;

    // A prepared statement from the cache, reset and with bindings cleared.
    SQLite::Statement& stmt(const std::string& sql);
    Timestamp now() const { return clock ? clock() : now_ms(); }
    void exec(const char* sql) { conn->exec(sql); }

    // Runs fn inside a write scope: BEGIN IMMEDIATE at top level, a SAVEPOINT when
    // nested in a caller's transaction. Any failure (result or exception) rolls the
    // scope back, so stored data stays exactly as it was.
    template <class F>
    auto write(F&& fn) noexcept -> decltype(fn());

    // Runs a read-only fn, converting exceptions into errors.
    template <class F>
    auto read(F&& fn) noexcept -> decltype(fn());

    result<void> check_open() const noexcept {
        if (!conn) return make_error(errc::closed, "database handle is closed");
        return ok();
    }

private:
    void begin_scope();
    void commit_scope();
    void rollback_scope() noexcept;
};

template <class F>
auto DbImpl::write(F&& fn) noexcept -> decltype(fn()) {
    if (!conn) return make_error(errc::closed, "database handle is closed");
    if (options.read_only) return make_error(errc::read_only, "database was opened read-only");
    try {
        begin_scope();
    } catch (...) {
        return error_from_exception(std::current_exception());
    }
    try {
        auto r = fn();
        if (!r) {
            rollback_scope();
            return r;
        }
        commit_scope();
        return r;
    } catch (...) {
        rollback_scope();
        return error_from_exception(std::current_exception());
    }
}

template <class F>
auto DbImpl::read(F&& fn) noexcept -> decltype(fn()) {
    if (!conn) return make_error(errc::closed, "database handle is closed");
    try {
        return fn();
    } catch (...) {
        return error_from_exception(std::current_exception());
    }
}

}  // namespace crm::detail
