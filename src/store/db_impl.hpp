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
#include <unordered_set>
#include <vector>

#include "crm/custom_fields.hpp"
#include "crm/db.hpp"
#include "store/write_scope.hpp"
#include "util/try.hpp"

namespace crm::store {
class ContentBlob;
// A UNIQUE failure, already named after the field it concerns (error::field).
struct KeyConflict : std::exception {
    error err;
    explicit KeyConflict(error e) : err(std::move(e)) {}
    const char* what() const noexcept override { return err.message.c_str(); }
};
// A write refused before it began, with the error the caller gets (an actor that
// is not a user).
struct Refused : KeyConflict {
    using KeyConflict::KeyConflict;
};
}  // namespace crm::store

namespace crm {
struct Crossing;
struct SignalFlag;
}

namespace crm::detail {

// Converts whatever a storage call threw into a crm::error (keeps SQLite's codes).
// store::KeyConflict (a UNIQUE failure named after its field) passes its error through.
error error_from_exception(std::exception_ptr ep) noexcept;
error error_from_sqlite(int extended_code, const std::string& sqlite_message) noexcept;

struct DbImpl {
    std::unique_ptr<SQLite::Database> conn;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
    std::unordered_map<const char*, SQLite::Statement*> statements_by_address;  // see stmt(const char*)
    std::function<Timestamp()> clock;
    std::optional<Id> actor;
    // The actor was found among the users since it was set, the file last changed
    // under another connection, or a user was deleted: writes check it otherwise.
    bool actor_known = false;
    OpenOptions options;
    std::string path;
    int schema_version = 0;
    int opened_schema_version = 0;  // user_version before open() migrated the file
    // Tables and indexes named like crm's in a file with no crm schema version (seen with
    // opened_schema_version, in the same read transaction): such a file is refused.
    std::vector<std::string> clashing_names;
    int scope_depth = 0;              // open store::WriteScope levels (1 = a transaction)
    bool in_user_transaction = false;  // the outermost scope belongs to a crm::Transaction
    bool reading = false;  // a store::ReadScope is open
    bool spoiled = false;  // a checked scope failed after writing: only a rollback is allowed (write_scope.hpp)
    // Post-commit actions (write_scope.hpp): queued inside a write scope, run in order
    // after the outermost COMMIT succeeds; those queued in a scope that rolls back are
    // dropped with it.
    std::vector<std::function<void()>> after_commit;
    // Thresholds::on_cross callbacks (crm/thresholds.hpp), run after commit.
    std::vector<std::function<void(const Crossing&)>> on_cross;
    // Signals::on_signal callbacks (crm/signals.hpp), run after commit.
    std::vector<std::function<void(const SignalFlag&)>> on_signal;

    // Custom-field definitions per kind, read once and kept until they may have
    // changed: this connection defines or removes one, a scope rolls back, or
    // another connection commits (PRAGMA data_version moves).
    std::unordered_map<int, std::vector<CustomFieldDef>> defs_cache;
    std::int64_t data_version = -1;

    // Incremental blob handles open on the connection (document readers and
    // writers): closed before the connection is, which SQLite requires; their
    // owners then report errc::closed.
    std::unordered_set<store::ContentBlob*> open_blobs;

    // A prepared statement from the cache, reset and with bindings cleared.
    SQLite::Statement& stmt(const std::string& sql);
    // The same for SQL text that lives as long as the program (a string literal, a
    // static string): found by the text's address before its contents are hashed.
    SQLite::Statement& stmt(const char* static_sql);
    Timestamp now() const { return clock ? clock() : now_ms(); }

    // Drops what is cached from the file when another connection has committed since.
    void check_data_version();
    // Drops everything cached from the file (after a rollback).
    void forget_cached_state() noexcept {
        defs_cache.clear();
        actor_known = false;
    }
    // Throws store::Refused when the actor set is not a user's id: history never
    // names a user that does not exist.
    void check_actor();

    // Runs fn inside a store::WriteScope. Any failure (result or exception) rolls the
    // scope back, so stored data stays exactly as it was.
    template <class F>
    auto write(F&& fn, store::Nested nested = store::Nested::savepoint) noexcept -> decltype(fn());

    // Runs a read-only fn, converting exceptions into errors.
    template <class F>
    auto read(F&& fn) noexcept -> decltype(fn());

    result<void> check_open() const noexcept {
        if (!conn) return make_error(errc::closed, "database handle is closed");
        return ok();
    }

};

template <class F>
auto DbImpl::write(F&& fn, store::Nested nested) noexcept -> decltype(fn()) {
    if (!conn) return make_error(errc::closed, "database handle is closed");
    if (options.read_only) return make_error(errc::read_only, "database was opened read-only");
    if (spoiled && scope_depth > 0)
        return make_error(errc::constraint_violation,
                          "an operation of this transaction failed after writing part of its changes: the "
                          "transaction can only be rolled back");
    try {
        store::WriteScope scope(*this, nested);
        auto r = fn();
        if (r) scope.commit();
        return r;  // a failure: the scope rolls back as it goes
    } catch (...) {
        return error_from_exception(std::current_exception());
    }
}

template <class F>
auto DbImpl::read(F&& fn) noexcept -> decltype(fn()) {
    if (!conn) return make_error(errc::closed, "database handle is closed");
    try {
        store::ReadScope snapshot(*this);  // one snapshot for every statement of the read
        if (scope_depth == 0) check_data_version();
        return fn();
    } catch (...) {
        return error_from_exception(std::current_exception());
    }
}

}  // namespace crm::detail
