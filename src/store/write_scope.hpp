// Private: the one way anything is written — an RAII write scope.
//
// Opened on a connection with no scope open, it is a transaction taken with
// BEGIN IMMEDIATE (the write lock up front: a busy database is reported at the
// start, never as a deadlock halfway). Opened while another scope is open (a
// caller's Transaction, a document being streamed, a batch around its items), it
// is a SAVEPOINT, so a failure undoes only this scope and the outer one goes on.
// Destroyed without commit(), it rolls back. Scopes nest strictly: the newest
// ends first. Every write path uses it: single writes (DbImpl::write),
// crm::Transaction, document streaming, per-item ingest. No transaction SQL is
// written anywhere else.
#pragma once

namespace crm::detail {
struct DbImpl;
}

namespace crm::store {

class WriteScope {
public:
    explicit WriteScope(detail::DbImpl& db);  // throws SQLite::Exception (e.g. busy)
    WriteScope(WriteScope&& o) noexcept;
    WriteScope& operator=(WriteScope&&) = delete;
    WriteScope(const WriteScope&) = delete;
    ~WriteScope();

    // COMMIT (outermost) or RELEASE. A failed COMMIT (busy) throws and leaves the
    // scope open: commit again, or roll back.
    void commit();
    void rollback() noexcept;
    bool active() const noexcept { return db_ != nullptr; }
    bool outermost() const noexcept { return depth_ == 1; }

private:
    detail::DbImpl* db_;
    int depth_;  // 1 = the transaction, 2.. = savepoints inside it
};

}  // namespace crm::store
