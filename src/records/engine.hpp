// Private: the generic record operations behind crm::Records<T> — create, get,
// update, delete, list, history and as-of reads, tags and custom values — each
// write in one write scope together with its history rows.
//
// An entity kind T plugs in by specializing domain::Traits<T> (see core_traits.hpp
// for the customer graph) and then, in its own .cpp file:
//     template class crm::Records<T>;
// Traits<T> provides:
//     static constexpr Entity kind;
//     static Id insert(DbImpl&, const T&);
//     static void update(DbImpl&, const T& old, const T& v);
//     static bool load(DbImpl&, Id, T&);               // row only; tags and custom added here
//     static result<void> validate(DbImpl&, T&, const T* old);   // normalizes in place
//     static result<void> before_remove(DbImpl&, const T&);      // re-point references
//     static json::json doc(const T&);
//     static result<T> parse(const json::json&);
#pragma once

#include <fmt/format.h>

#include <algorithm>

#include "crm/db.hpp"
#include "customers/validate.hpp"
#include "json/documents.hpp"
#include "store/entity_store.hpp"

namespace crm {

namespace domain {

using detail::DbImpl;

template <class T>
struct Traits;

// Internal helpers shared by every instantiation.
namespace records_detail {
// Which field a UNIQUE failure concerns, from SQLite's message "UNIQUE constraint failed: t.col".
inline error unique_error(const error& e, Entity kind) {
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
inline void diff(const json::json& a, const json::json& b, const std::string& prefix, std::vector<Change>& out) {
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

inline void set_path(json::json& d, const std::string& field, const json::json& value) {
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
}  // namespace records_detail

template <class T>
result<T> load_full(DbImpl& db, Id id) {
    T v;
    if (!Traits<T>::load(db, id, v))
        return make_error(errc::not_found, fmt::format("no {} with id {}", entity_name(Traits<T>::kind), id));
    v.tags = store::load_tags(db, Traits<T>::kind, id);
    v.custom = store::load_custom(db, Traits<T>::kind, id, store::load_defs(db, Traits<T>::kind));
    return v;
}

template <class T>
result<Id> create_in_scope(DbImpl& db, T v) {
    constexpr Entity kind = Traits<T>::kind;
    v.id = 0;
    CRM_TRYV(Traits<T>::validate(db, v, nullptr));
    CRM_TRYV(validate_tags(db, v.tags));
    const auto defs = store::load_defs(db, kind);
    CRM_TRYV(validate_custom(kind, v.custom, defs, db.options.max_text_bytes));
    v.created_at = v.updated_at = db.now();
    try {
        v.id = Traits<T>::insert(db, v);
    } catch (...) {
        return records_detail::unique_error(detail::error_from_exception(std::current_exception()), kind);
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
    c.new_value = Traits<T>::doc(v).dump();
    store::append_change(db, c);
    return v.id;
}

template <class T>
result<void> update_in_scope(DbImpl& db, T v) {
    constexpr Entity kind = Traits<T>::kind;
    CRM_TRY(T old, load_full<T>(db, v.id));
    CRM_TRYV(Traits<T>::validate(db, v, &old));
    CRM_TRYV(validate_tags(db, v.tags));
    const auto defs = store::load_defs(db, kind);
    CRM_TRYV(validate_custom(kind, v.custom, defs, db.options.max_text_bytes));
    v.created_at = old.created_at;
    v.updated_at = old.updated_at;
    std::vector<Change> changes;
    records_detail::diff(Traits<T>::doc(old), Traits<T>::doc(v), "", changes);
    if (changes.empty()) return ok();  // nothing changed: no write, no history
    v.updated_at = db.now();
    try {
        Traits<T>::update(db, old, v);
    } catch (...) {
        return records_detail::unique_error(detail::error_from_exception(std::current_exception()), kind);
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
    for (Id id : store::ids_where_equals(db, Traits<T>::kind, column, target)) {
        CRM_TRY(T v, load_full<T>(db, id));
        v.*member = std::nullopt;
        CRM_TRYV(update_in_scope(db, std::move(v)));
    }
    return ok();
}

template <class T>
result<T> as_of(DbImpl& db, Id id, Timestamp at) {
    constexpr Entity kind = Traits<T>::kind;
    auto changes = store::changes_for(db, kind, id);
    if (changes.empty()) return make_error(errc::not_found, fmt::format("no {} with id {}", entity_name(kind), id));
    json::json d = nullptr;
    {
        T current;
        if (Traits<T>::load(db, id, current)) {
            current.tags = store::load_tags(db, kind, id);
            current.custom = store::load_custom(db, kind, id, store::load_defs(db, kind));
            d = Traits<T>::doc(current);
        }
    }
    for (auto it = changes.rbegin(); it != changes.rend() && it->at > at; ++it) {
        switch (it->op) {
            case ChangeOp::create: d = nullptr; break;
            case ChangeOp::remove: d = json::json::parse(it->old_value); break;
            case ChangeOp::update:
                if (d.is_object()) records_detail::set_path(d, it->field, json::json::parse(it->old_value));
                break;
        }
    }
    if (!d.is_object())
        return make_error(errc::not_found, fmt::format("{} {} did not exist at {}", entity_name(kind), id, format_iso8601(at)));
    return Traits<T>::parse(d);
}

}  // namespace domain

// ---- Records<T> ----------------------------------------------------------------

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
        auto id = store::id_by_external_id(*db_, domain::Traits<T>::kind, xid);
        if (!id)
            return make_error(errc::not_found,
                              fmt::format("no {} with external id '{}'", entity_name(domain::Traits<T>::kind), xid));
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
        auto patch = nlohmann::json::parse(json_merge_patch.begin(), json_merge_patch.end(), nullptr, false);
        if (patch.is_discarded()) return invalid("patch", "is not valid JSON");
        if (!patch.is_object()) return invalid("patch", "must be a JSON object");
        auto d = domain::Traits<T>::doc(current);
        d.merge_patch(patch);
        d["id"] = current.id;  // the id cannot be patched
        CRM_TRY(T patched, domain::Traits<T>::parse(d));
        CRM_TRYV(domain::update_in_scope(*db_, patched));
        return domain::load_full<T>(*db_, id);
    });
}

template <class T>
result<void> Records<T>::remove(Id id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> {
        CRM_TRY(T old, domain::load_full<T>(*db_, id));
        CRM_TRYV(domain::Traits<T>::before_remove(*db_, old));
        store::erase(*db_, domain::Traits<T>::kind, id);
        Change c;
        c.entity = domain::Traits<T>::kind;
        c.record_id = id;
        c.at = db_->now();
        c.actor_id = db_->actor;
        c.op = ChangeOp::remove;
        c.field = "*";
        c.old_value = domain::Traits<T>::doc(old).dump();
        store::append_change(*db_, c);
        return ok();
    });
}

template <class T>
result<Page<T>> Records<T>::list(const ListOptions& options) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<Page<T>> {
        CRM_TRY(auto ids, store::list_ids(*db_, domain::Traits<T>::kind, options));
        Page<T> page;
        page.next = std::move(ids.next);
        page.items.reserve(ids.ids.size());
        constexpr Entity kind = domain::Traits<T>::kind;
        auto tags = store::load_tags_many(*db_, kind, ids.ids);
        auto custom = store::load_custom_many(*db_, kind, ids.ids, store::load_defs(*db_, kind));
        for (Id id : ids.ids) {
            T v;
            if (!domain::Traits<T>::load(*db_, id, v))
                return make_error(errc::not_found, fmt::format("no {} with id {}", entity_name(kind), id));
            if (auto t = tags.find(id); t != tags.end()) v.tags = std::move(t->second);
            if (auto c = custom.find(id); c != custom.end()) v.custom = std::move(c->second);
            page.items.push_back(std::move(v));
        }
        return page;
    });
}

template <class T>
result<std::int64_t> Records<T>::count(const std::vector<Filter>& where) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::int64_t> { return store::count_ids(*db_, domain::Traits<T>::kind, where); });
}

template <class T>
result<std::vector<Change>> Records<T>::history(Id id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Change>> {
        auto changes = store::changes_for(*db_, domain::Traits<T>::kind, id);
        if (changes.empty())
            return make_error(errc::not_found, fmt::format("no {} with id {}", entity_name(domain::Traits<T>::kind), id));
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

}  // namespace crm
