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

#include <cstddef>
#include <cstdint>
#include <functional>

namespace crm::detail {
struct DbImpl;
}

namespace crm::store {

// How a scope opened inside another one undoes itself when it fails.
enum class Nested {
    savepoint,  // a SAVEPOINT: any failure undoes exactly this scope
    // No SAVEPOINT: it copies every page a scope touches, a fifth of the cost of a
    // record write. For scopes whose own checks make them fail before their first
    // write (the engine's create and update). One that fails after writing anyway
    // (a host's trigger, I/O, memory) spoils the enclosing transaction: every later
    // write and the commit are refused until it is rolled back.
    checked,
};

class WriteScope {
public:
    // Throws SQLite::Exception (e.g. busy), or std::runtime_error in a spoiled transaction.
    explicit WriteScope(detail::DbImpl& db, Nested nested = Nested::savepoint);
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
    // Scopes opened inside this one and not yet ended (a document writer inside a
    // caller's transaction).
    bool has_open_inner() const noexcept;

    // A caller's transaction (crm::Transaction): the outermost scope, refused while
    // any scope is open on the connection (std::invalid_argument).
    static WriteScope transaction(detail::DbImpl& db);
    // Whether a write scope is open: a caller's transaction, a document writer.
    static bool any_open(const detail::DbImpl& db) noexcept;
    // Whether a caller's transaction is open.
    static bool transaction_open(const detail::DbImpl& db) noexcept;
    // Whether a scope other than a caller's transaction is open (a document writer).
    static bool inner_open(const detail::DbImpl& db) noexcept;
    // Queues fn to run after the outermost transaction commits (never if it, or the
    // scope that queued it, rolls back). Actions run in order once the COMMIT has
    // succeeded and the connection is free again; what they throw is swallowed.
    // Outside any scope fn runs at once.
    static void after_commit(detail::DbImpl& db, std::function<void()> fn);

private:
    detail::DbImpl* db_;
    int depth_;                   // 1 = the transaction, 2.. = scopes inside it
    bool savepoint_ = false;      // a SAVEPOINT was opened
    bool user_ = false;           // the outermost scope of a caller's transaction
    std::int64_t changes_ = 0;    // rows changed before a checked scope began
    std::size_t queued_ = 0;      // post-commit actions queued before this scope began
};

// A read that runs several statements sees one snapshot of the file: outside any
// scope, a ReadScope wraps them in one read transaction (BEGIN … COMMIT, which
// takes no write lock); inside another scope it does nothing.
class ReadScope {
public:
    explicit ReadScope(detail::DbImpl& db);  // throws SQLite::Exception
    ~ReadScope();
    ReadScope(const ReadScope&) = delete;
    ReadScope& operator=(const ReadScope&) = delete;

private:
    detail::DbImpl* db_ = nullptr;  // set when this scope began the transaction
};

}  // namespace crm::store
