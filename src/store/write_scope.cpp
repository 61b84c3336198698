// Write scopes: BEGIN IMMEDIATE … COMMIT at the outermost level, SAVEPOINT inside.
#include "store/write_scope.hpp"

#include <sqlite3.h>

#include "store/db_impl.hpp"

namespace crm::store {

WriteScope::WriteScope(detail::DbImpl& db) : db_(&db), depth_(db.scope_depth + 1) {
    if (depth_ == 1) {
        db.stmt("BEGIN IMMEDIATE").exec();
        db.check_data_version();  // the write lock is held: what others committed is now visible
    } else {
        db.stmt("SAVEPOINT crm_scope").exec();
    }
    db.scope_depth = depth_;
}

WriteScope::WriteScope(WriteScope&& o) noexcept : db_(o.db_), depth_(o.depth_) { o.db_ = nullptr; }

WriteScope::~WriteScope() { rollback(); }

void WriteScope::commit() {
    if (!db_) return;
    if (!db_->conn) {  // the database was closed meanwhile: nothing is left to commit
        db_ = nullptr;
        return;
    }
    if (depth_ == 1) db_->stmt("COMMIT").exec();  // throws on busy: the scope stays open
    else db_->stmt("RELEASE crm_scope").exec();
    db_->scope_depth = depth_ - 1;
    db_ = nullptr;
}

void WriteScope::rollback() noexcept {
    if (!db_) return;
    auto* db = db_;
    db_ = nullptr;
    if (!db->conn) return;
    db->scope_depth = depth_ - 1;
    db->forget_cached_state();
    try {
        // Statements still stepping hold the transaction open: reset them first.
        for (auto& [sql, s] : db->statements) s->tryReset();
        if (depth_ == 1) {
            if (!sqlite3_get_autocommit(db->conn->getHandle())) db->conn->exec("ROLLBACK");
        } else {
            db->conn->exec("ROLLBACK TO crm_scope");
            db->conn->exec("RELEASE crm_scope");
        }
    } catch (...) {
        // The connection reports the problem on its next use.
    }
}

}  // namespace crm::store
