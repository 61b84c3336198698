// Opening and closing a database, SQLite settings, write scopes, transactions,
// and the mapping of SQLite failures to crm::errc.
#include <sqlite3.h>

#include <filesystem>

#include <fmt/format.h>

#include "store/db_impl.hpp"
#include "store/migrations.hpp"

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

void DbImpl::begin_scope() {
    if (savepoint_depth == 0 && !in_user_transaction) {
        conn->exec("BEGIN IMMEDIATE");
    } else {
        stmt("SAVEPOINT crm_write").exec();  // prepared once: one runs per write inside a transaction
    }
    ++savepoint_depth;
}

void DbImpl::commit_scope() {
    --savepoint_depth;
    if (savepoint_depth == 0 && !in_user_transaction) {
        try {
            conn->exec("COMMIT");
        } catch (...) {
            ++savepoint_depth;
            throw;
        }
    } else {
        stmt("RELEASE crm_write").exec();
    }
}

void DbImpl::rollback_scope() noexcept {
    --savepoint_depth;
    try {
        // Statements still stepping hold the transaction open: reset them first.
        for (auto& [sql, s] : statements) s->tryReset();
        if (savepoint_depth == 0 && !in_user_transaction) {
            if (!sqlite3_get_autocommit(conn->getHandle())) conn->exec("ROLLBACK");
        } else {
            conn->exec("ROLLBACK TO crm_write");
            conn->exec("RELEASE crm_write");
        }
    } catch (...) {
        // The connection will report the problem on its next use.
    }
}

}  // namespace detail

using detail::DbImpl;

Db::Db(std::unique_ptr<DbImpl> impl) noexcept : impl_(std::move(impl)) {}
Db::Db(Db&&) noexcept = default;
Db& Db::operator=(Db&&) noexcept = default;
Db::~Db() { (void)close(); }

int Db::latest_schema_version() noexcept { return detail::latest_schema_version(); }
int Db::schema_version() const noexcept { return impl_ && impl_->conn ? impl_->schema_version : 0; }
int Db::opened_schema_version() const noexcept { return impl_ && impl_->conn ? impl_->opened_schema_version : 0; }
bool Db::is_open() const noexcept { return impl_ && impl_->conn; }

result<Db> Db::open(const std::string& path, const OpenOptions& options) noexcept {
    if (path.empty()) return invalid("path", "database path is empty");
    if (path.find('\0') != std::string::npos) return invalid("path", "database path contains a NUL byte");
    auto impl = std::make_unique<DbImpl>();
    impl->options = options;
    impl->path = path;
    try {
        const bool memory = path == ":memory:";
        if (!memory && !options.create && !std::filesystem::exists(path)) {
            return make_error(errc::not_found, fmt::format("{}: no such database file", path));
        }
        int flags = options.read_only ? SQLITE_OPEN_READONLY
                                      : (SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0));
        flags |= SQLITE_OPEN_NOMUTEX;  // one connection, one thread at a time (see db.hpp)
        impl->conn = std::make_unique<SQLite::Database>(path, flags, options.busy_timeout_ms);
        auto& c = *impl->conn;
        // First read: fails with NOTADB on a file that is not SQLite, before anything is written.
        c.execAndGet("PRAGMA schema_version");
        c.exec("PRAGMA foreign_keys = ON");
        if (!options.read_only) {
            if (!memory) c.exec("PRAGMA journal_mode = WAL");
            switch (options.durability) {
                case Durability::normal: c.exec("PRAGMA synchronous = NORMAL"); break;
                case Durability::full: c.exec("PRAGMA synchronous = FULL"); break;
                case Durability::off: c.exec("PRAGMA synchronous = OFF"); break;
            }
        }
        c.exec("PRAGMA temp_store = MEMORY");
        impl->opened_schema_version = c.execAndGet("PRAGMA user_version").getInt();
        if (auto m = detail::migrate(*impl); !m) return m.error();
    } catch (...) {
        auto e = detail::error_from_exception(std::current_exception());
        e.message = fmt::format("{}: {}", path, e.message);
        return e;
    }
    return Db(std::move(impl));
}

result<void> Db::close() noexcept {
    if (!impl_ || !impl_->conn) return crm::ok();
    impl_->statements.clear();
    try {
        if (!sqlite3_get_autocommit(impl_->conn->getHandle())) impl_->conn->exec("ROLLBACK");
    } catch (...) {
    }
    impl_->conn.reset();
    return crm::ok();
}

result<Transaction> Db::begin() noexcept {
    CRM_TRYV(impl_ ? impl_->check_open() : result<void>(make_error(errc::closed, "database handle is closed")));
    if (impl_->in_user_transaction) return make_error(errc::invalid_argument, "a transaction is already open on this handle");
    if (impl_->options.read_only) return make_error(errc::read_only, "database was opened read-only");
    try {
        impl_->conn->exec("BEGIN IMMEDIATE");
    } catch (...) {
        return detail::error_from_exception(std::current_exception());
    }
    impl_->in_user_transaction = true;
    return Transaction(impl_.get());
}

bool Db::in_transaction() const noexcept { return impl_ && impl_->conn && impl_->in_user_transaction; }

void Db::set_actor(std::optional<Id> user_id) noexcept { if (impl_) impl_->actor = user_id; }
std::optional<Id> Db::actor() const noexcept { return impl_ ? impl_->actor : std::nullopt; }
void Db::set_clock(std::function<Timestamp()> clock) noexcept { if (impl_) impl_->clock = std::move(clock); }

Contacts Db::contacts() noexcept { return Contacts(impl_.get()); }
Accounts Db::accounts() noexcept { return Accounts(impl_.get()); }
Users Db::users() noexcept { return Users(impl_.get()); }
Teams Db::teams() noexcept { return Teams(impl_.get()); }
CustomFieldDefs Db::custom_fields() noexcept { return CustomFieldDefs(impl_.get()); }
HistoryLog Db::history() noexcept { return HistoryLog(impl_.get()); }

Transaction::Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
Transaction::~Transaction() { (void)rollback(); }

result<void> Transaction::commit() noexcept {
    if (!db_) return make_error(errc::invalid_argument, "transaction already finished");
    if (!db_->conn) { db_ = nullptr; return make_error(errc::closed, "database handle is closed"); }
    try {
        db_->conn->exec("COMMIT");
    } catch (...) {
        // Commit failed (e.g. busy): the transaction is still open; the caller may retry or roll back.
        return detail::error_from_exception(std::current_exception());
    }
    db_->in_user_transaction = false;
    db_ = nullptr;
    return crm::ok();
}

result<void> Transaction::rollback() noexcept {
    if (!db_) return crm::ok();
    auto* d = db_;
    db_ = nullptr;
    d->in_user_transaction = false;
    if (!d->conn) return crm::ok();
    try {
        for (auto& [sql, s] : d->statements) s->tryReset();
        if (!sqlite3_get_autocommit(d->conn->getHandle())) d->conn->exec("ROLLBACK");
    } catch (...) {
        return detail::error_from_exception(std::current_exception());
    }
    return crm::ok();
}

}  // namespace crm
