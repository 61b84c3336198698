// The connection: opening a file with the library's SQLite settings, the
// statement cache, what is cached from the file, and SQLite failures as crm errors.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "store/connection.hpp"
#include "store/db_impl.hpp"
#include "store/migrations.hpp"
#include "store/tasks_store.hpp"

namespace crm {
namespace detail {

error error_from_sqlite(int ext, const std::string& msg) noexcept {
    errc code = errc::internal;
    std::string what;
    switch (ext & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: code = errc::busy; what = "database is busy (locked by another connection)"; break;
        case SQLITE_CONSTRAINT:
            if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
                code = errc::already_exists; what = "a record with that unique key already exists";
            } else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
                code = errc::constraint_violation; what = "the record is still referenced by other records, or refers to a missing one";
            } else {
                code = errc::constraint_violation; what = "constraint violated";
            }
            break;
        case SQLITE_NOTADB: code = errc::corrupt; what = "file is not a crm database (not SQLite)"; break;
        case SQLITE_CORRUPT: code = errc::corrupt; what = "database file is corrupt"; break;
        case SQLITE_READONLY: code = errc::read_only; what = "database is read-only"; break;
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_FULL:
        case SQLITE_PERM:
        case SQLITE_NOLFS: code = errc::io_error; what = "cannot read or write the database file"; break;
        case SQLITE_TOOBIG: code = errc::invalid_argument; what = "value too large"; break;
        default: code = errc::internal; what = "unexpected SQLite error"; break;
    }
    error e(code, fmt::format("{}: {}", what, msg));
    e.sqlite_code = ext;
    e.sqlite_message = msg;
    return e;
}

error error_from_exception(std::exception_ptr ep) noexcept {
    try {
        try {
            std::rethrow_exception(ep);
        } catch (const store::KeyConflict& ex) {
            return ex.err;
        } catch (const SQLite::Exception& ex) {
            return error_from_sqlite(ex.getExtendedErrorCode(), ex.what());
        } catch (const std::bad_alloc&) {
            return error(errc::out_of_memory, "out of memory");
        } catch (const std::exception& ex) {
            return error(errc::internal, std::string("internal error: ") + ex.what());
        } catch (...) {
            return error(errc::internal, "internal error: unknown exception");
        }
    } catch (...) {
        return error();
    }
}

SQLite::Statement& DbImpl::stmt(const std::string& sql) {
    auto it = statements.find(sql);
    if (it == statements.end()) {
        it = statements.emplace(sql, std::make_unique<SQLite::Statement>(*conn, sql)).first;
    } else {
        it->second->tryReset();
        it->second->clearBindings();
    }
    return *it->second;
}

SQLite::Statement& DbImpl::stmt(const char* static_sql) {
    auto it = statements_by_address.find(static_sql);
    if (it == statements_by_address.end()) {
        auto& s = stmt(std::string(static_sql));
        statements_by_address.emplace(static_sql, &s);
        return s;
    }
    it->second->tryReset();
    it->second->clearBindings();
    return *it->second;
}

void DbImpl::check_actor() {
    if (!actor || actor_known) return;
    auto& s = stmt("SELECT 1 FROM users WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(*actor));
    const bool found = s.executeStep();
    s.reset();
    if (!found)
        throw store::Refused(invalid("actor", fmt::format("the actor {} is not a user: changes are made by an existing "
                                                          "user (or by no one: actor 0 / none)",
                                                          *actor)));
    actor_known = true;
}

void DbImpl::check_data_version() {
    auto& s = stmt("PRAGMA data_version");
    s.executeStep();
    const std::int64_t v = s.getColumn(0).getInt64();
    s.reset();
    if (v != data_version) {
        forget_cached_state();
        data_version = v;
    }
}

}  // namespace detail

namespace store {

std::unique_ptr<detail::DbImpl> open_connection(const std::string& path, const OpenOptions& options) {
    auto impl = std::make_unique<detail::DbImpl>();
    impl->options = options;
    impl->path = path;
    int flags = options.read_only ? SQLITE_OPEN_READONLY
                                  : (SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0));
    flags |= SQLITE_OPEN_NOMUTEX;  // one connection, one thread at a time (see db.hpp)
    impl->conn = std::make_unique<SQLite::Database>(path, flags, options.busy_timeout_ms);
    // The busy timeout is in force from here on (set by the constructor), so the reads
    // below wait for a process that is creating or migrating the same file.
    // First read: fails with NOTADB on a file that is not SQLite, before anything is written.
    // One read transaction, so the version and the table names are of one moment: another
    // process may be creating the schema right now.
    auto& c = *impl->conn;
    c.exec("BEGIN");
    try {
        c.execAndGet("PRAGMA schema_version");
        impl->opened_schema_version = c.execAndGet("PRAGMA user_version").getInt();
        if (impl->opened_schema_version == 0) impl->clashing_names = detail::conflicting_names(*impl);
        c.exec("COMMIT");
    } catch (...) {
        if (!sqlite3_get_autocommit(c.getHandle())) (void)sqlite3_exec(c.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    impl->schema_version = impl->opened_schema_version;
    return impl;
}

namespace {
// PRAGMA journal_mode = WAL needs the file to itself for a moment and answers SQLITE_BUSY
// at once, without the busy handler, while another connection reads or writes it (several
// processes opening a new file together). Retried here until the busy timeout is spent,
// like any other wait for a lock.
void switch_to_wal(detail::DbImpl& db) {
    const auto started = std::chrono::steady_clock::now();
    const auto limit = std::chrono::milliseconds(std::max(0, db.options.busy_timeout_ms));
    for (int attempt = 0;; ++attempt) {
        try {
            db.conn->exec("PRAGMA journal_mode = WAL");
            return;
        } catch (const SQLite::Exception& e) {
            const int code = e.getErrorCode() & 0xff;
            if (code != SQLITE_BUSY && code != SQLITE_LOCKED) throw;
            if (std::chrono::steady_clock::now() - started >= limit) throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(attempt + 1, 20)));
    }
}
}  // namespace

void configure(detail::DbImpl& db) {
    auto& c = *db.conn;
    const bool memory = db.path == ":memory:";
    c.exec("PRAGMA foreign_keys = ON");
    if (!db.options.read_only) {
        if (!memory) switch_to_wal(db);
        switch (db.options.durability) {
            case Durability::normal: c.exec("PRAGMA synchronous = NORMAL"); break;
            case Durability::full: c.exec("PRAGMA synchronous = FULL"); break;
            case Durability::off: c.exec("PRAGMA synchronous = OFF"); break;
        }
    }
    c.exec("PRAGMA temp_store = MEMORY");
}

void close_connection(detail::DbImpl& db) noexcept {
    if (!db.conn) return;
    // Open document readers and writers first: SQLite cannot close a connection
    // that still has blob handles; their owners report errc::closed from now on.
    while (!db.open_blobs.empty()) (*db.open_blobs.begin())->close();
    db.statements_by_address.clear();
    db.statements.clear();
    try {
        if (!sqlite3_get_autocommit(db.conn->getHandle())) db.conn->exec("ROLLBACK");
    } catch (...) {
    }
    db.scope_depth = 0;
    db.in_user_transaction = false;
    db.forget_cached_state();
    db.conn.reset();
}

}  // namespace store
}  // namespace crm
