// crm/db.hpp — the database handle, transactions and the record services.
//
//   auto db = crm::Db::open("company.crm").value();
//   crm::Contact c; c.name = "山田 太郎"; c.emails = {{"taro@example.jp"}};
//   crm::Id id = db.contacts().create(c).value();
//
// Thread model: a Db is one SQLite connection. It may be moved between threads
// but must not be used by two threads at once. Open one Db per thread (or per
// process) on the same file instead: WAL lets readers run beside one writer,
// and writers wait up to OpenOptions::busy_timeout_ms before errc::busy.
//
// Lifetime: the services a Db hands out (db.contacts(), db.deals(), db.records(e) …),
// its Transactions and the document readers and writers made from them hold a
// pointer to the Db's connection: they must not outlive the Db, nor be used after
// it is moved from. After close() they answer errc::closed.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "crm/accounts.hpp"
#include "crm/contacts.hpp"
#include "crm/custom_fields.hpp"
#include "crm/entities.hpp"
#include "crm/error.hpp"
#include "crm/history.hpp"
#include "crm/json.hpp"
#include "crm/query.hpp"
#include "crm/users.hpp"

namespace crm {

namespace detail { struct DbImpl; }

enum class Durability {
    normal,  // synchronous=NORMAL: with WAL, a power loss may drop the last commits, never corrupts
    full,    // synchronous=FULL: every commit is on disk before it returns
    off,     // synchronous=OFF: for throw-away bulk loads only
};

struct OpenOptions {
    bool create = true;              // create the file if missing
    bool read_only = false;          // open read-only: every write fails with errc::read_only
    int busy_timeout_ms = 5000;      // how long a write waits for another connection's lock
    Durability durability = Durability::normal;
    std::size_t max_text_bytes = 65536;  // longest text accepted in any single field
};

class Transaction;
class AnyRecords;
template <class T>
class Records;
class Contacts;
class Accounts;
class Users;
class Teams;
class CustomFieldDefs;
class HistoryLog;
// The services of the other kinds, each declared in its own header:
class Products;      // crm/sales.hpp
class Campaigns;     // crm/sales.hpp
class Pipelines;     // crm/sales.hpp
class Deals;         // crm/sales.hpp
class Interactions;  // crm/interactions.hpp
class Tickets;       // crm/tickets.hpp
class Tasks;         // crm/tasks.hpp
class Documents;     // crm/documents.hpp
class Segments;      // crm/segments.hpp
class Scoring;       // crm/scoring.hpp
class Forms;         // crm/forms.hpp
class Thresholds;    // crm/thresholds.hpp
class Signals;       // crm/signals.hpp
class Predictive;    // crm/predictive.hpp
class Routing;       // crm/routing.hpp
namespace import {
class Imports;       // crm/import.hpp
}
class Search;        // crm/search.hpp
class Dedup;         // crm/dedup.hpp

class Db {
public:
    // Opens (and creates / migrates) a database file; ":memory:" for a private in-memory one.
    static result<Db> open(const std::string& path, const OpenOptions& options = {}) noexcept;

    Db(Db&&) noexcept;
    Db& operator=(Db&&) noexcept;
    ~Db();

    result<void> close() noexcept;  // idempotent; afterwards every call returns errc::closed
    bool is_open() const noexcept;

    int schema_version() const noexcept;          // PRAGMA user_version of the file
    // The version the file had when open() found it: 0 for a file it created, less
    // than schema_version() when open() upgraded it, equal when it was current.
    int opened_schema_version() const noexcept;
    static int latest_schema_version() noexcept;  // the version this library writes

    // Groups many operations into one atomic unit (BEGIN IMMEDIATE … COMMIT).
    // Operations made while it is open join it; destroying it uncommitted rolls back.
    // errc::invalid_argument while a Transaction or a DocumentWriter is open on this Db.
    result<Transaction> begin() noexcept;
    bool in_transaction() const noexcept;  // a Transaction from begin() is open

    // Who is making changes: stored as actor_id in every history row written.
    // It must be a user's id: while it names no user (never did, or the user was
    // deleted), every write fails with errc::invalid_argument on field "actor" and
    // changes nothing. std::nullopt: changes made by no one in particular.
    void set_actor(std::optional<Id> user_id) noexcept;
    std::optional<Id> actor() const noexcept;

    // Time source for created_at/updated_at/history (default: system clock). For tests and replays.
    void set_clock(std::function<Timestamp()> clock) noexcept;

    Contacts contacts() noexcept;
    Accounts accounts() noexcept;
    Users users() noexcept;
    Teams teams() noexcept;
    CustomFieldDefs custom_fields() noexcept;
    HistoryLog history() noexcept;
    Products products() noexcept;          // crm/sales.hpp
    Campaigns campaigns() noexcept;        // crm/sales.hpp
    Pipelines pipelines() noexcept;        // crm/sales.hpp
    Deals deals() noexcept;                // crm/sales.hpp
    Interactions interactions() noexcept;  // crm/interactions.hpp
    Tickets tickets() noexcept;            // crm/tickets.hpp
    Tasks tasks() noexcept;                // crm/tasks.hpp
    Documents documents() noexcept;        // crm/documents.hpp
    Segments segments() noexcept;          // crm/segments.hpp
    Scoring scoring() noexcept;            // crm/scoring.hpp
    Forms forms() noexcept;                // crm/forms.hpp
    Thresholds thresholds() noexcept;      // crm/thresholds.hpp
    Signals signals() noexcept;            // crm/signals.hpp
    Predictive predictive() noexcept;      // crm/predictive.hpp
    Routing routing() noexcept;            // crm/routing.hpp
    import::Imports imports() noexcept;    // crm/import.hpp: CSV and JSON lines in and out
    Search search() noexcept;              // crm/search.hpp
    Dedup dedup() noexcept;                // crm/dedup.hpp
    // Any kind's records as JSON documents, the kind chosen at run time (crm/entities.hpp).
    AnyRecords records(Entity kind) noexcept;
    // The records of type T, as the accessors above give them: db.records<Contact>().
    template <class T>
    Records<T> records() noexcept {
        return Records<T>(impl_.get());
    }

private:
    explicit Db(std::unique_ptr<detail::DbImpl> impl) noexcept;
    std::unique_ptr<detail::DbImpl> impl_;
};

class Transaction {
public:
    Transaction(Transaction&&) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();  // rolls back if neither commit() nor rollback() was called
    // A failed commit (errc::busy) leaves the transaction open: commit again or roll back.
    result<void> commit() noexcept;
    result<void> rollback() noexcept;
    bool active() const noexcept;

private:
    friend class Db;
    struct Scope;
    explicit Transaction(std::unique_ptr<Scope> scope) noexcept;
    std::unique_ptr<Scope> scope_;
};

// The operations every entity kind has: T is any record type (Contact, Deal,
// Ticket …; crm/entities.hpp lists the kinds).
template <class T>
class Records {
public:
    explicit Records(detail::DbImpl* db) noexcept : db_(db) {}

    // record.id is ignored; returns the new id. record.created_at 0 means now; an
    // earlier time is kept (a record brought from another system); a future one is
    // refused. updated_at is set to now. The history row is dated now: history is
    // the database's own record of when it learned each thing.
    result<Id> create(const T& record) noexcept;
    result<T> get(Id id) noexcept;
    result<T> get_by_external_id(const std::string& external_id) noexcept;
    result<void> update(const T& record) noexcept;        // replaces every field of record.id
    // Reads, applies an RFC 7386 JSON merge patch ({"title":"部長","phones":null}) and writes, atomically.
    result<T> patch(Id id, std::string_view json_merge_patch) noexcept;
    result<void> remove(Id id) noexcept;                  // see docs/schema.md for what follows
    result<Page<T>> list(const ListOptions& options = {}) noexcept;
    result<std::int64_t> count(const std::vector<Filter>& where = {}) noexcept;

    result<std::vector<Change>> history(Id id) noexcept;   // oldest first
    result<T> get_as_of(Id id, Timestamp at) noexcept;     // the record as it was at that time

    result<void> add_tag(Id id, const std::string& tag) noexcept;
    result<void> remove_tag(Id id, const std::string& tag) noexcept;
    result<void> set_custom(Id id, const std::string& field, FieldValue value) noexcept;

protected:
    detail::DbImpl* db_;
};

// The records of one kind as JSON documents (those of crm/json.hpp), the kind
// chosen at run time: what the C ABI, the CLI and importers use. Each call does
// what the same call of Records<T> does. For a value that is not a kind, every
// call returns errc::invalid_argument.
class AnyRecords {
public:
    AnyRecords(detail::DbImpl* db, Entity kind) noexcept : db_(db), kind_(kind) {}
    Entity kind() const noexcept { return kind_; }

    result<Id> create(std::string_view document) noexcept;
    result<std::string> get(Id id) noexcept;
    result<std::string> get_by_external_id(const std::string& external_id) noexcept;
    result<std::string> patch(Id id, std::string_view json_merge_patch) noexcept;  // the updated document
    result<void> remove(Id id) noexcept;
    result<Page<std::string>> list(const ListOptions& options = {}) noexcept;
    result<std::int64_t> count(const std::vector<Filter>& where = {}) noexcept;
    result<std::vector<Change>> history(Id id) noexcept;
    result<std::string> get_as_of(Id id, Timestamp at) noexcept;
    result<void> add_tag(Id id, const std::string& tag) noexcept;
    result<void> remove_tag(Id id, const std::string& tag) noexcept;
    result<void> set_custom(Id id, const std::string& field, FieldValue value) noexcept;

private:
    detail::DbImpl* db_;
    Entity kind_;
};

class Users : public Records<User> {
public:
    using Records::Records;
    result<User> get_by_email(const std::string& email) noexcept;
};

class Teams : public Records<Team> {
public:
    using Records::Records;
    result<std::vector<User>> members(Id team_id) noexcept;
};

class Accounts : public Records<Account> {
public:
    using Records::Records;
    result<std::vector<Contact>> contacts(Id account_id) noexcept;    // who works there
    result<std::vector<Account>> subsidiaries(Id account_id) noexcept;  // direct children
};

class Contacts : public Records<Contact> {
public:
    using Records::Records;
    result<Contact> get_by_email(const std::string& email) noexcept;
    // Changes of employer (account_id), department and title, oldest first.
    result<std::vector<Change>> employment_history(Id contact_id) noexcept;
};

class CustomFieldDefs {
public:
    explicit CustomFieldDefs(detail::DbImpl* db) noexcept : db_(db) {}
    result<Id> define(const CustomFieldDef& def) noexcept;
    result<CustomFieldDef> get(Entity entity, const std::string& name) noexcept;
    result<std::vector<CustomFieldDef>> list(Entity entity) noexcept;
    // Refused (errc::constraint_violation) while any record still has a value for it.
    result<void> remove(Entity entity, const std::string& name) noexcept;

private:
    detail::DbImpl* db_;
};

class HistoryLog {
public:
    explicit HistoryLog(detail::DbImpl* db) noexcept : db_(db) {}
    result<std::vector<Change>> for_record(Entity entity, Id id) noexcept;
    // Every change with id > after_change_id, oldest first: a feed for other systems.
    result<std::vector<Change>> since(Id after_change_id, std::size_t limit = 1000) noexcept;
    result<std::int64_t> count() noexcept;      // number of history rows
    result<Id> latest_id() noexcept;            // id of the newest change, 0 if none

private:
    detail::DbImpl* db_;
};

extern template class Records<User>;
extern template class Records<Team>;
extern template class Records<Account>;
extern template class Records<Contact>;

}  // namespace crm
