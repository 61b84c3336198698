// crm::Db: opening (settings, migrations, the kinds' upgrade steps), closing,
// transactions, the actor and clock, and crm::AnyRecords.
#include <filesystem>

#include <fmt/format.h>

#include "records/registry.hpp"
#include "store/connection.hpp"
#include "search/hooks.hpp"
#include "store/migrations.hpp"
#include "signals/signals_internal.hpp"
#include "routing/routing_internal.hpp"
#include "thresholds/thresholds_internal.hpp"

namespace crm {

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
    std::unique_ptr<DbImpl> impl;
    try {
        const bool memory = path == ":memory:";
        if (!memory && !options.create && !std::filesystem::exists(path))
            return make_error(errc::not_found, fmt::format("{}: no such database file", path));
        thresholds::install();  // the scoring change hook that keeps threshold state
        signals::install();     // the interaction hook that records re-engagement signals
        routing::install();     // the crossing hook that runs a threshold's routing
        impl = store::open_connection(path, options);
        const int latest = detail::latest_schema_version();
        auto too_new = [&](int found) {
            return make_error(errc::schema_too_new,
                              fmt::format("{}: schema version {} is newer than this library supports ({}); "
                                          "upgrade crm to open it",
                                          path, found, latest));
        };
        // A host's own SQLite file gets crm's tables beside its own; one that already has a
        // table or index named like one of ours is refused before anything is written.
        auto not_crm = [&](const std::vector<std::string>& clash) {
            return make_error(errc::corrupt,
                              fmt::format("{}: not a crm database: it already has {} named like crm's ({}), "
                                          "but no crm schema version",
                                          path, clash.size() == 1 ? "a table" : "tables", fmt::join(clash, ", ")));
        };
        // Refused before anything is written to the file.
        if (impl->opened_schema_version > latest) return too_new(impl->opened_schema_version);
        if (impl->opened_schema_version == 0 && !impl->clashing_names.empty()) return not_crm(impl->clashing_names);
        store::configure(*impl);
        if (impl->opened_schema_version < latest) {
            if (options.read_only)
                return make_error(errc::read_only,
                                  fmt::format("{}: schema version {} needs upgrading to {}, but the database "
                                              "was opened read-only",
                                              path, impl->opened_schema_version, latest));
            // The migrations and what the kinds derive from the upgraded data: one transaction,
            // which waits (busy timeout) for another process creating or upgrading the file.
            store::WriteScope scope(*impl);
            // Read again under the write lock: that other process may have done it meanwhile.
            const int found = detail::stored_schema_version(*impl);
            if (found > latest) return too_new(found);
            if (found == 0)
                if (auto clash = detail::conflicting_names(*impl); !clash.empty()) return not_crm(clash);
            impl->opened_schema_version = found;
            const int from = detail::apply_migrations(*impl);
            if (from < latest)
                for (const auto* k : records::kinds())
                    if (k->upgraded) k->upgraded(*impl, from);
            if (from < latest) search::upgraded(*impl, from);  // fills a newly created full-text index
            scope.commit();
        }
    } catch (...) {
        auto e = detail::error_from_exception(std::current_exception());
        if (impl) store::close_connection(*impl);
        e.message = fmt::format("{}: {}", path, e.message);
        return e;
    }
    return Db(std::move(impl));
}

result<void> Db::close() noexcept {
    if (impl_) store::close_connection(*impl_);
    return crm::ok();
}

// ---- transactions ------------------------------------------------------------------

struct Transaction::Scope {
    DbImpl* db;
    store::WriteScope scope;
};

Transaction::Transaction(std::unique_ptr<Scope> scope) noexcept : scope_(std::move(scope)) {}
Transaction::Transaction(Transaction&&) noexcept = default;
Transaction::~Transaction() { (void)rollback(); }
bool Transaction::active() const noexcept { return scope_ && scope_->scope.active(); }

result<Transaction> Db::begin() noexcept {
    if (!impl_ || !impl_->conn) return make_error(errc::closed, "database handle is closed");
    if (store::WriteScope::any_open(*impl_))
        return make_error(errc::invalid_argument,
                          "a transaction (or a document writer) is already open on this handle");
    if (impl_->options.read_only) return make_error(errc::read_only, "database was opened read-only");
    try {
        return Transaction(std::unique_ptr<Transaction::Scope>(
            new Transaction::Scope{impl_.get(), store::WriteScope::transaction(*impl_)}));
    } catch (...) {
        return detail::error_from_exception(std::current_exception());
    }
}

result<void> Transaction::commit() noexcept {
    if (!active()) return make_error(errc::invalid_argument, "transaction already finished");
    if (!scope_->db->conn) {
        scope_.reset();
        return make_error(errc::closed, "database handle is closed");
    }
    try {
        scope_->scope.commit();  // busy: throws, and the transaction stays open
    } catch (const std::invalid_argument& e) {
        return make_error(errc::invalid_argument, e.what());
    } catch (const std::runtime_error& e) {
        if (dynamic_cast<const SQLite::Exception*>(&e)) return detail::error_from_exception(std::current_exception());
        return make_error(errc::constraint_violation, e.what());
    } catch (...) {
        return detail::error_from_exception(std::current_exception());
    }
    scope_.reset();
    return crm::ok();
}

result<void> Transaction::rollback() noexcept {
    if (!scope_) return crm::ok();
    auto s = std::move(scope_);
    s->scope.rollback();
    return crm::ok();
}

bool Db::in_transaction() const noexcept {
    return impl_ && impl_->conn && store::WriteScope::transaction_open(*impl_);
}

void Db::set_actor(std::optional<Id> user_id) noexcept {
    if (!impl_) return;
    impl_->actor = user_id;
    impl_->actor_known = false;
}
std::optional<Id> Db::actor() const noexcept { return impl_ ? impl_->actor : std::nullopt; }
void Db::set_clock(std::function<Timestamp()> clock) noexcept { if (impl_) impl_->clock = std::move(clock); }

Contacts Db::contacts() noexcept { return Contacts(impl_.get()); }
Accounts Db::accounts() noexcept { return Accounts(impl_.get()); }
Users Db::users() noexcept { return Users(impl_.get()); }
Teams Db::teams() noexcept { return Teams(impl_.get()); }
CustomFieldDefs Db::custom_fields() noexcept { return CustomFieldDefs(impl_.get()); }
HistoryLog Db::history() noexcept { return HistoryLog(impl_.get()); }
AnyRecords Db::records(Entity kind) noexcept { return AnyRecords(impl_.get(), kind); }

// ---- AnyRecords ------------------------------------------------------------------------

namespace {
// The kind's operations, or the error every call returns.
result<const records::AnyOps*> ops_of(DbImpl* db, Entity kind) {
    if (!db) return make_error(errc::closed, "database handle is closed");
    const auto* k = records::find(kind);
    if (!k) return invalid("entity", fmt::format("{} is not an entity kind", static_cast<int>(kind)));
    return &k->ops;
}
}  // namespace

#define CRM_ANY(call)                         \
    CRM_TRY(const auto* ops, ops_of(db_, kind_)); \
    return ops->call

result<Id> AnyRecords::create(std::string_view document) noexcept { CRM_ANY(create(*db_, document)); }
result<std::string> AnyRecords::get(Id id) noexcept { CRM_ANY(get(*db_, id)); }
result<std::string> AnyRecords::get_by_external_id(const std::string& xid) noexcept {
    CRM_ANY(get_by_external_id(*db_, xid));
}
result<std::string> AnyRecords::patch(Id id, std::string_view p) noexcept { CRM_ANY(patch(*db_, id, p)); }
result<void> AnyRecords::remove(Id id) noexcept { CRM_ANY(remove(*db_, id)); }
result<Page<std::string>> AnyRecords::list(const ListOptions& o) noexcept { CRM_ANY(list(*db_, o)); }
result<std::int64_t> AnyRecords::count(const std::vector<Filter>& w) noexcept { CRM_ANY(count(*db_, w)); }
result<std::vector<Change>> AnyRecords::history(Id id) noexcept { CRM_ANY(history(*db_, id)); }
result<std::string> AnyRecords::get_as_of(Id id, Timestamp at) noexcept { CRM_ANY(get_as_of(*db_, id, at)); }
result<void> AnyRecords::add_tag(Id id, const std::string& t) noexcept { CRM_ANY(add_tag(*db_, id, t)); }
result<void> AnyRecords::remove_tag(Id id, const std::string& t) noexcept { CRM_ANY(remove_tag(*db_, id, t)); }
result<void> AnyRecords::set_custom(Id id, const std::string& f, FieldValue v) noexcept {
    CRM_ANY(set_custom(*db_, id, f, v));
}

#undef CRM_ANY

}  // namespace crm
