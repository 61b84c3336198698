// The operations every entity kind shares: create, get, update, delete, list,
// history and as-of reads, tags and custom values. Each write runs in one
// write scope together with its history rows.
#include <fmt/format.h>

#include "crm/json.hpp"
#include "domain/records_impl.hpp"
#include "domain/validate.hpp"
#include "json/documents.hpp"

namespace crm {

namespace domain {

namespace {
// Which field a UNIQUE failure concerns, from SQLite's message "UNIQUE constraint failed: t.col".
error unique_error(const error& e, Entity kind) {
    if (e.code != errc::already_exists) return e;
    std::string field = "external_id";
    std::string what = "external id";
    const auto& m = e.sqlite_message;
    if (m.find("contact_emails.address_norm") != std::string::npos) { field = "emails"; what = "email address"; }
    else if (m.find("users.email_norm") != std::string::npos) { field = "email"; what = "email address"; }
    else if (m.find("teams.name") != std::string::npos) { field = "name"; what = "name"; }
    error out = e;
    out.field = field;
    out.message = fmt::format("{}: another {} already has this {}", field, entity_name(kind), what);
    return out;
}

// Field-by-field differences between two documents. Nested objects (address,
// consent, custom) are compared key by key ("address.city", "custom.rank").
void diff(const json::json& a, const json::json& b, const std::string& prefix, std::vector<Change>& out) {
    static const char* const skip[] = {"id", "created_at", "updated_at"};
    auto keys = a;  // union of keys, in a's order then b's extras
    for (auto it = b.begin(); it != b.end(); ++it)
        if (!keys.contains(it.key())) keys[it.key()] = nullptr;
    for (auto it = keys.begin(); it != keys.end(); ++it) {
        const auto& k = it.key();
        if (prefix.empty() && std::find_if(std::begin(skip), std::end(skip), [&](const char* s) { return k == s; }) != std::end(skip))
            continue;
        const json::json& x = a.contains(k) ? a[k] : json::json(nullptr);
        const json::json& y = b.contains(k) ? b[k] : json::json(nullptr);
        if (x == y) continue;
        const bool nested = prefix.empty() && (k == "address" || k == "consent" || k == "custom");
        if (nested && (x.is_object() || x.is_null()) && (y.is_object() || y.is_null())) {
            diff(x.is_null() ? json::json::object() : x, y.is_null() ? json::json::object() : y, k + ".", out);
            continue;
        }
        Change c;
        c.op = ChangeOp::update;
        c.field = prefix + k;
        c.old_value = x.dump();
        c.new_value = y.dump();
        out.push_back(std::move(c));
    }
}

void set_path(json::json& d, const std::string& field, const json::json& value) {
    auto dot = field.find('.');
    if (dot == std::string::npos) {
        d[field] = value;
        return;
    }
    auto& parent = d[field.substr(0, dot)];
    if (!parent.is_object()) parent = json::json::object();
    if (value.is_null() && field.substr(0, dot) == "custom") parent.erase(field.substr(dot + 1));
    else parent[field.substr(dot + 1)] = value;
}
}  // namespace

template <class T>
result<T> load_full(DbImpl& db, Id id) {
    T v;
    if (!store::load(db, id, v))
        return make_error(errc::not_found, fmt::format("no {} with id {}", entity_name(Kind<T>::value), id));
    v.tags = store::load_tags(db, Kind<T>::value, id);
    v.custom = store::load_custom(db, Kind<T>::value, id, store::load_defs(db, Kind<T>::value));
    return v;
}

template <class T>
result<Id> create_in_scope(DbImpl& db, T v) {
    constexpr Entity kind = Kind<T>::value;
    v.id = 0;
    CRM_TRYV(validate(db, v, nullptr));
    CRM_TRYV(validate_tags(db, v.tags));
    const auto defs = store::load_defs(db, kind);
    CRM_TRYV(validate_custom(kind, v.custom, defs, db.options.max_text_bytes));
    v.created_at = v.updated_at = db.now();
    try {
        v.id = store::insert(db, v);
    } catch (...) {
        return unique_error(detail::error_from_exception(std::current_exception()), kind);
    }
    if (!v.tags.empty()) store::save_tags(db, kind, v.id, v.tags);
    if (!v.custom.empty()) store::save_custom(db, kind, v.id, v.custom, defs);
    Change c;
    c.entity = kind;
    c.record_id = v.id;
    c.at = v.created_at;
    c.actor_id = db.actor;
    c.op = ChangeOp::create;
    c.field = "*";
    c.new_value = json::doc(v).dump();
    store::append_change(db, c);
    return v.id;
}

template <class T>
result<void> update_in_scope(DbImpl& db, T v) {
    constexpr Entity kind = Kind<T>::value;
    CRM_TRY(T old, load_full<T>(db, v.id));
    CRM_TRYV(validate(db, v, &old));
    CRM_TRYV(validate_tags(db, v.tags));
    const auto defs = store::load_defs(db, kind);
    CRM_TRYV(validate_custom(kind, v.custom, defs, db.options.max_text_bytes));
    v.created_at = old.created_at;
    v.updated_at = old.updated_at;
    std::vector<Change> changes;
    diff(json::doc(old), json::doc(v), "", changes);
    if (changes.empty()) return ok();  // nothing changed: no write, no history
    v.updated_at = db.now();
    try {
        store::update(db, old, v);
    } catch (...) {
        return unique_error(detail::error_from_exception(std::current_exception()), kind);
    }
    if (old.tags != v.tags) store::save_tags(db, kind, v.id, v.tags);
    if (old.custom != v.custom) store::save_custom(db, kind, v.id, v.custom, defs);
    for (auto& c : changes) {
        c.entity = kind;
        c.record_id = v.id;
        c.at = v.updated_at;
        c.actor_id = db.actor;
        store::append_change(db, c);
    }
    return ok();
}

// Clears one reference field on every record that points at a deleted one,
// through the normal update path so that each gets its history row.
template <class T>
result<void> detach(DbImpl& db, const char* column, Id target, std::optional<Id> T::*member) {
    for (Id id : store::ids_where_equals(db, Kind<T>::value, column, target)) {
        CRM_TRY(T v, load_full<T>(db, id));
        v.*member = std::nullopt;
        CRM_TRYV(update_in_scope(db, std::move(v)));
    }
    return ok();
}

result<void> before_remove(DbImpl& db, const Contact&) { (void)db; return ok(); }

result<void> before_remove(DbImpl& db, const Account& a) {
    CRM_TRYV(detach<Contact>(db, "account_id", a.id, &Contact::account_id));
    CRM_TRYV(detach<Account>(db, "parent_id", a.id, &Account::parent_id));
    return ok();
}

result<void> before_remove(DbImpl& db, const Team& t) {
    return detach<User>(db, "team_id", t.id, &User::team_id);
}

result<void> before_remove(DbImpl& db, const User& u) {
    const auto contacts = store::ids_where_equals(db, Entity::contact, "owner_id", u.id).size();
    const auto accounts = store::ids_where_equals(db, Entity::account, "owner_id", u.id).size();
    const auto teams = store::ids_where_equals(db, Entity::team, "manager_id", u.id).size();
    if (contacts + accounts + teams > 0)
        return make_error(errc::constraint_violation,
                          fmt::format("user {} still owns {} contacts and {} accounts and manages {} teams: "
                                      "reassign them first, or set the user inactive", u.id, contacts, accounts, teams));
    return ok();
}

template <class T>
result<T> as_of(DbImpl& db, Id id, Timestamp at) {
    constexpr Entity kind = Kind<T>::value;
    auto changes = store::changes_for(db, kind, id);
    if (changes.empty()) return make_error(errc::not_found, fmt::format("no {} with id {}", entity_name(kind), id));
    json::json d = nullptr;
    {
        T current;
        if (store::load(db, id, current)) {
            current.tags = store::load_tags(db, kind, id);
            current.custom = store::load_custom(db, kind, id, store::load_defs(db, kind));
            d = json::doc(current);
        }
    }
    for (auto it = changes.rbegin(); it != changes.rend() && it->at > at; ++it) {
        switch (it->op) {
            case ChangeOp::create: d = nullptr; break;
            case ChangeOp::remove: d = json::json::parse(it->old_value); break;
            case ChangeOp::update:
                if (d.is_object()) set_path(d, it->field, json::json::parse(it->old_value));
                break;
        }
    }
    if (!d.is_object())
        return make_error(errc::not_found, fmt::format("{} {} did not exist at {}", entity_name(kind), id, format_iso8601(at)));
    return json::parse<T>(d);
}

template result<User> load_full<User>(DbImpl&, Id);
template result<Team> load_full<Team>(DbImpl&, Id);
template result<Account> load_full<Account>(DbImpl&, Id);
template result<Contact> load_full<Contact>(DbImpl&, Id);

}  // namespace domain

// ---- Records<T> ----------------------------------------------------------------
using detail::DbImpl;

template <class T>
result<Id> Records<T>::create(const T& record) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<Id> { return domain::create_in_scope(*db_, record); });
}

template <class T>
result<T> Records<T>::get(Id id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<T> { return domain::load_full<T>(*db_, id); });
}

template <class T>
result<T> Records<T>::get_by_external_id(const std::string& xid) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<T> {
        auto id = store::id_by_external_id(*db_, domain::Kind<T>::value, xid);
        if (!id)
            return make_error(errc::not_found,
                              fmt::format("no {} with external id '{}'", entity_name(domain::Kind<T>::value), xid));
        return domain::load_full<T>(*db_, *id);
    });
}

template <class T>
result<void> Records<T>::update(const T& record) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> { return domain::update_in_scope(*db_, record); });
}

template <class T>
result<T> Records<T>::patch(Id id, std::string_view json_merge_patch) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<T> {
        CRM_TRY(T current, domain::load_full<T>(*db_, id));
        CRM_TRY(T patched, merge_patch<T>(current, json_merge_patch));
        CRM_TRYV(domain::update_in_scope(*db_, patched));
        return domain::load_full<T>(*db_, id);
    });
}

template <class T>
result<void> Records<T>::remove(Id id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> {
        CRM_TRY(T old, domain::load_full<T>(*db_, id));
        CRM_TRYV(domain::before_remove(*db_, old));
        store::erase(*db_, domain::Kind<T>::value, id);
        Change c;
        c.entity = domain::Kind<T>::value;
        c.record_id = id;
        c.at = db_->now();
        c.actor_id = db_->actor;
        c.op = ChangeOp::remove;
        c.field = "*";
        c.old_value = json::doc(old).dump();
        store::append_change(*db_, c);
        return ok();
    });
}

template <class T>
result<Page<T>> Records<T>::list(const ListOptions& options) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<Page<T>> {
        CRM_TRY(auto ids, store::list_ids(*db_, domain::Kind<T>::value, options));
        Page<T> page;
        page.next = std::move(ids.next);
        page.items.reserve(ids.ids.size());
        for (Id id : ids.ids) {
            CRM_TRY(T v, domain::load_full<T>(*db_, id));
            page.items.push_back(std::move(v));
        }
        return page;
    });
}

template <class T>
result<std::int64_t> Records<T>::count(const std::vector<Filter>& where) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::int64_t> { return store::count_ids(*db_, domain::Kind<T>::value, where); });
}

template <class T>
result<std::vector<Change>> Records<T>::history(Id id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Change>> {
        auto changes = store::changes_for(*db_, domain::Kind<T>::value, id);
        if (changes.empty())
            return make_error(errc::not_found, fmt::format("no {} with id {}", entity_name(domain::Kind<T>::value), id));
        return changes;
    });
}

template <class T>
result<T> Records<T>::get_as_of(Id id, Timestamp at) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<T> { return domain::as_of<T>(*db_, id, at); });
}

template <class T>
result<void> Records<T>::add_tag(Id id, const std::string& tag) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> {
        CRM_TRY(T v, domain::load_full<T>(*db_, id));
        v.tags.push_back(tag);
        return domain::update_in_scope(*db_, std::move(v));
    });
}

template <class T>
result<void> Records<T>::remove_tag(Id id, const std::string& tag) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> {
        CRM_TRY(T v, domain::load_full<T>(*db_, id));
        std::string t = tag;
        CRM_TRYV(domain::validate_tag(*db_, t));
        std::erase(v.tags, t);
        return domain::update_in_scope(*db_, std::move(v));
    });
}

template <class T>
result<void> Records<T>::set_custom(Id id, const std::string& field, FieldValue value) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> {
        CRM_TRY(T v, domain::load_full<T>(*db_, id));
        v.custom[field] = std::move(value);
        return domain::update_in_scope(*db_, std::move(v));
    });
}

template class Records<User>;
template class Records<Team>;
template class Records<Account>;
template class Records<Contact>;

}  // namespace crm
