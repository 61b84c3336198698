// Write scopes: BEGIN IMMEDIATE … COMMIT at the outermost level, SAVEPOINT inside.
#include "store/write_scope.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "store/db_impl.hpp"

namespace crm::store {

namespace {
constexpr const char* kSpoiled =
    "an operation of this transaction failed after writing part of its changes: the transaction can only be "
    "rolled back";
}  // namespace

WriteScope::WriteScope(detail::DbImpl& db, Nested nested)
    : db_(&db), depth_(db.scope_depth + 1), queued_(db.scope_depth == 0 ? 0 : db.after_commit.size()) {
    if (depth_ == 1) {
        auto& begin = db.stmt("BEGIN IMMEDIATE");
        try {
            begin.exec();
        } catch (...) {
            // A statement that failed stays "in progress" until reset, and one in
            // progress makes the next COMMIT fail: reset it now.
            begin.tryReset();
            db_ = nullptr;
            throw;
        }
        db.spoiled = false;
        db.after_commit.clear();  // left by nothing that committed
        try {
            db.check_data_version();  // the write lock is held: what others committed is now visible
            db.check_actor();
        } catch (...) {
            db.conn->exec("ROLLBACK");
            db_ = nullptr;
            throw;
        }
    } else if (db.spoiled) {
        db_ = nullptr;
        throw std::runtime_error(kSpoiled);
    } else if (!db.actor_known && db.actor) {
        db.check_actor();  // a user was deleted in this transaction
        if (nested == Nested::savepoint) {
            db.stmt("SAVEPOINT crm_scope").exec();
            savepoint_ = true;
        } else {
            changes_ = sqlite3_total_changes64(db.conn->getHandle());
        }
    } else if (nested == Nested::savepoint) {
        db.stmt("SAVEPOINT crm_scope").exec();
        savepoint_ = true;
    } else {
        changes_ = sqlite3_total_changes64(db.conn->getHandle());
    }
    db.scope_depth = depth_;
}

WriteScope::WriteScope(WriteScope&& o) noexcept
    : db_(o.db_), depth_(o.depth_), savepoint_(o.savepoint_), user_(o.user_), changes_(o.changes_),
      queued_(o.queued_) {
    o.db_ = nullptr;
}

WriteScope WriteScope::transaction(detail::DbImpl& db) {
    if (db.scope_depth > 0)
        throw std::invalid_argument("a transaction (or a document writer) is already open on this handle");
    WriteScope s(db);
    s.user_ = true;
    db.in_user_transaction = true;
    return s;
}

bool WriteScope::any_open(const detail::DbImpl& db) noexcept { return db.scope_depth > 0; }
bool WriteScope::transaction_open(const detail::DbImpl& db) noexcept { return db.in_user_transaction; }
bool WriteScope::inner_open(const detail::DbImpl& db) noexcept {
    return db.scope_depth > (db.in_user_transaction ? 1 : 0);
}
void WriteScope::after_commit(detail::DbImpl& db, std::function<void()> fn) {
    if (db.scope_depth == 0) {
        try {
            fn();
        } catch (...) {
        }
        return;
    }
    db.after_commit.push_back(std::move(fn));
}

bool WriteScope::has_open_inner() const noexcept { return db_ && db_->scope_depth > depth_; }

WriteScope::~WriteScope() { rollback(); }

void WriteScope::commit() {
    if (!db_) return;
    if (!db_->conn) {  // the database was closed meanwhile: nothing is left to commit
        db_ = nullptr;
        return;
    }
    if (depth_ == 1) {
        if (db_->spoiled) throw std::runtime_error(kSpoiled);
        if (has_open_inner()) throw std::invalid_argument("a document writer is still open in this transaction: "
                                                          "commit or destroy it first");
        db_->stmt("COMMIT").exec();  // throws on busy: the scope stays open
        if (user_) db_->in_user_transaction = false;
    } else if (savepoint_) {
        db_->stmt("RELEASE crm_scope").exec();
    }
    db_->scope_depth = depth_ - 1;
    auto* db = db_;
    db_ = nullptr;
    if (depth_ == 1 && !db->after_commit.empty()) {
        auto actions = std::move(db->after_commit);
        db->after_commit.clear();
        for (auto& fn : actions) {
            try {
                fn();
            } catch (...) {
                // A post-commit action cannot undo the commit: its failure is its own.
            }
        }
    }
}

void WriteScope::rollback() noexcept {
    if (!db_) return;
    auto* db = db_;
    db_ = nullptr;
    if (!db->conn) return;
    db->scope_depth = depth_ - 1;
    if (user_) db->in_user_transaction = false;
    if (db->after_commit.size() > queued_) db->after_commit.resize(queued_);  // nothing of this scope happened
    if (depth_ > 1 && !savepoint_) {
        // A checked scope: harmless if it wrote nothing, else the transaction is spoiled.
        if (sqlite3_total_changes64(db->conn->getHandle()) != changes_) db->spoiled = true;
        return;
    }
    db->forget_cached_state();
    try {
        // Statements still stepping hold the transaction open: reset them first.
        for (auto& [sql, s] : db->statements) s->tryReset();
        if (depth_ == 1) {
            db->spoiled = false;
            if (!sqlite3_get_autocommit(db->conn->getHandle())) db->conn->exec("ROLLBACK");
        } else {
            db->conn->exec("ROLLBACK TO crm_scope");
            db->conn->exec("RELEASE crm_scope");
        }
    } catch (...) {
        // The connection reports the problem on its next use.
    }
}

ReadScope::ReadScope(detail::DbImpl& db) {
    if (db.scope_depth > 0 || db.reading || !sqlite3_get_autocommit(db.conn->getHandle())) return;
    db.stmt("BEGIN").exec();
    db.reading = true;
    db_ = &db;
}

ReadScope::~ReadScope() {
    if (!db_) return;
    db_->reading = false;
    if (!db_->conn) return;
    try {
        // A statement still stepping keeps reading its snapshot: COMMIT ends the rest.
        if (!sqlite3_get_autocommit(db_->conn->getHandle())) db_->stmt("COMMIT").exec();
    } catch (...) {
        // A statement left in progress (one that failed) keeps the read open: reset
        // every cached statement and end it, so the next write can begin.
        try {
            for (auto& [sql, st] : db_->statements) st->tryReset();
            if (!sqlite3_get_autocommit(db_->conn->getHandle())) db_->conn->exec("ROLLBACK");
        } catch (...) {
            // The connection reports the problem on its next use.
        }
    }
}

}  // namespace crm::store
