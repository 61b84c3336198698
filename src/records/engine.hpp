// Private: the record engine — create, get, update, delete, list, history and
// as-of reads, tags and custom values, for any kind T, from T's descriptor
// (records/descriptor.hpp). Each write runs in one store::WriteScope together
// with its history rows. The engine knows no area: what a kind adds (its rules,
// its child rows, what deleting its records does to others) comes from the
// descriptors through the registry.
//
// A kind's own .cpp file instantiates crm::Records<T> (template class Records<T>;)
// after defining kind_def<T>().
//
// Create and update fail before their first write when they fail at all: every
// check runs first, and the record's own row — the first write — is where the
// schema's constraints (unique keys, references) are met. So inside a caller's
// transaction they run in a checked scope (store::Nested::checked), without the
// cost of a savepoint; a kind whose later writes could be refused checks that
// in its validate (a contact's email addresses).
#pragma once

#include <fmt/format.h>

#include <algorithm>

#include "crm/db.hpp"
#include "records/codec.hpp"
#include "records/registry.hpp"
#include "records/validate.hpp"
#include "search/hooks.hpp"
#include "store/dedup_store.hpp"
#include "store/entity_store.hpp"
#include "store/rows.hpp"

namespace crm {

namespace records {

template <class T>
error not_found(Id id) {
    return make_error(errc::not_found, fmt::format("no {} with id {}", kind_def<T>().name, id));
}

// Tags and custom values of loaded records (one statement each for a page).
template <class T>
void load_extras(DbImpl& db, std::span<T> records) {
    const Entity kind = kind_def<T>().entity;
    const auto& defs = store::cached_defs(db, kind);
    if (records.size() == 1) {
        records[0].tags = store::load_tags(db, kind, records[0].id);
        if (!defs.empty()) records[0].custom = store::load_custom(db, kind, records[0].id, defs);
        return;
    }
    std::vector<Id> ids;
    ids.reserve(records.size());
    for (const auto& r : records) ids.push_back(r.id);
    auto tags = store::load_tags_many(db, kind, ids);
    auto custom = store::load_custom_many(db, kind, ids, defs);
    for (auto& r : records) {
        if (auto t = tags.find(r.id); t != tags.end()) r.tags = std::move(t->second);
        if (auto c = custom.find(r.id); c != custom.end()) r.custom = std::move(c->second);
    }
}

// The records of these ids, in the order given, with tags and custom values; ids
// that do not exist are left out.
template <class T>
std::vector<T> load_all(DbImpl& db, const std::vector<Id>& ids) {
    auto out = store::load_many<T>(db, ids);
    load_extras<T>(db, out);
    return out;
}

// Not found — or merged away (src/dedup): then the message says where it went.
template <class T>
error not_found(DbImpl& db, Id id) {
    const auto& k = kind_def<T>();
    if (const Id into = store::final_survivor(db, k.entity, id)) {
        auto e = make_error(errc::not_found, fmt::format("{} {} was merged into {}", k.name, id, into));
        e.field = "id";
        return e;
    }
    return not_found<T>(id);
}

template <class T>
result<T> load_full(DbImpl& db, Id id) {
    auto one = load_all<T>(db, {id});
    if (one.empty()) return not_found<T>(db, id);
    return std::move(one.front());
}

// The checks every kind shares (external_id, tags, custom values), then the kind's own.
// Every time a record holds is within the years 0001–9999 (what ISO-8601 shows),
// whichever way it came in: a C++ caller's Timestamp is not read by the codec.
template <class T>
result<void> check_times(T& v) {
    result<void> out = ok();
    for_each_field<T>([&](const FieldDef<T>& f) {
        if (!out || f.info.key == "created_at" || f.info.key == "updated_at") return;
        std::optional<Timestamp> t;
        if (f.shape == Shape::time) t = f.at.integer(v);
        else if (f.shape == Shape::opt_time) t = f.at.opt_integer(v);
        if (!t) return;
        if (auto r = check_time(std::string(f.info.key), *t); !r) out = r.error();
    });
    return out;
}

template <class T>
result<void> validate(Write& w, T& v, const T* old) {
    CRM_TRYV(validate_external_id(v.external_id));
    CRM_TRYV(check_times(v));
    if (const auto check = kind_def<T>().validate) CRM_TRYV(check(w, v, old));
    CRM_TRYV(validate_tags(v.tags));
    CRM_TRYV(validate_custom(kind_def<T>().entity, v.custom, store::cached_defs(w.db, kind_def<T>().entity),
                             w.db.options.max_text_bytes));
    return ok();
}

inline void append(DbImpl& db, Entity kind, Id id, Timestamp at, ChangeOp op, std::string field, std::string before,
                   std::string after) {
    Change c;
    c.entity = kind;
    c.record_id = id;
    c.at = at;
    c.actor_id = db.actor;
    c.op = op;
    c.field = std::move(field);
    c.old_value = std::move(before);
    c.new_value = std::move(after);
    store::append_change(db, c);
}

template <class T>
result<Id> create(Write& w, T v) {
    const auto& k = kind_def<T>();
    auto& db = w.db;
    v.id = 0;
    const Timestamp now = db.now();
    // created_at: now, or an earlier time for a record brought from elsewhere.
    if (v.created_at == 0) v.created_at = now;
    else if (v.created_at > now) return invalid("created_at", "is in the future: a record is created now or earlier");
    else if (auto r = check_time("created_at", v.created_at); !r) return r.error();
    CRM_TRYV(validate<T>(w, v, nullptr));
    v.updated_at = now;
    store::insert(db, v);
    if (!v.tags.empty()) store::save_tags(db, k.entity, v.id, v.tags, /*fresh=*/true);
    if (!v.custom.empty()) store::save_custom(db, k.entity, v.id, v.custom, store::cached_defs(db, k.entity));
    // Full-text index, in this scope (docs/search.md); before after_write, which may update the record.
    search::reindex(db, k.entity, v.id, /*fresh=*/true);
    if (k.after_write) CRM_TRYV(k.after_write(w, nullptr, v));
    append(db, k.entity, v.id, now, ChangeOp::create, "*", {}, document(v));
    return v.id;
}

// Brings a record back under its own id (v.id, which must be free: an undone merge),
// with its created_at, through the same checks and rules as create; the history row
// is a create of the whole document.
template <class T>
result<void> restore(Write& w, T v) {
    const auto& k = kind_def<T>();
    auto& db = w.db;
    if (v.id <= 0) return invalid("id", "must be a record id");
    if (store::exists(db, k.entity, v.id))
        return make_error(errc::already_exists, fmt::format("{} {} exists already", k.name, v.id));
    const Timestamp now = db.now();
    if (v.created_at == 0 || v.created_at > now) v.created_at = now;
    CRM_TRYV(validate<T>(w, v, nullptr));
    v.updated_at = now;
    store::insert_with_id(db, v);
    if (!v.tags.empty()) store::save_tags(db, k.entity, v.id, v.tags, /*fresh=*/true);
    if (!v.custom.empty()) store::save_custom(db, k.entity, v.id, v.custom, store::cached_defs(db, k.entity));
    if (k.after_write) CRM_TRYV(k.after_write(w, nullptr, v));
    append(db, k.entity, v.id, now, ChangeOp::create, "*", {}, document(v));
    return ok();
}

// Writes v over the stored record of v.id (old, already loaded): only what changed,
// with a history row per changed field. Nothing changed: nothing is written.
template <class T>
result<void> update(Write& w, T v, const T& old) {
    const auto& k = kind_def<T>();
    auto& db = w.db;
    v.id = old.id;
    CRM_TRYV(validate<T>(w, v, &old));
    v.created_at = old.created_at;
    v.updated_at = old.updated_at;
    auto changes = diff(old, v);
    if (changes.empty()) return ok();
    v.updated_at = db.now();
    store::update(db, old, v);
    if (old.tags != v.tags) store::save_tags(db, k.entity, v.id, v.tags);
    if (old.custom != v.custom) store::save_custom(db, k.entity, v.id, v.custom, store::cached_defs(db, k.entity));
    if (k.after_write) CRM_TRYV(k.after_write(w, &old, v));
    // Full-text index, in this scope, when a searched field changed (docs/search.md).
    if (std::any_of(changes.begin(), changes.end(),
                    [&](const Change& c) { return search::searched_field(k.entity, c.field); }))
        search::reindex(db, k.entity, v.id);
    for (auto& c : changes) {
        c.entity = k.entity;
        c.record_id = v.id;
        c.at = v.updated_at;
        c.actor_id = db.actor;
        store::append_change(db, c);
    }
    return ok();
}

template <class T>
result<void> update(Write& w, T v) {
    CRM_TRY(T old, load_full<T>(w.db, v.id));
    return update(w, std::move(v), old);
}

// Deleting a record: every kind that refers to it is asked first (a reference
// that blocks refuses the delete, naming how many records hold it), then the
// references that allow it are cleared through the update path.
template <class T>
result<void> remove(Write& w, Id id) {
    const auto& k = kind_def<T>();
    auto& db = w.db;
    CRM_TRY(T old, load_full<T>(db, id));
    std::vector<std::string> blockers;
    for (const KindEntry* e : kinds()) CRM_TRYV(e->references_to(w, k.entity, id, &blockers));
    if (!blockers.empty()) {
        const KindEntry* self = find(k.entity);
        return make_error(errc::constraint_violation,
                          fmt::format("{} {} still holds {}: {}", k.name, id, fmt::join(blockers, ", "),
                                      self && self->when_referenced ? self->when_referenced
                                                                    : "remove those references first"));
    }
    for (const KindEntry* e : kinds()) CRM_TRYV(e->references_to(w, k.entity, id, nullptr));
    store::erase(db, k.entity, id);
    search::unindex(db, k.entity, id);  // full-text index, in this scope (docs/search.md)
    if (k.after_remove) CRM_TRYV(k.after_remove(w, old));
    append(db, k.entity, id, db.now(), ChangeOp::remove, "*", document(old), {});
    return ok();
}

// The references T holds to records of `target`: blockers counted (with a list)
// or detached (without).
template <class T>
result<void> references_to(Write& w, Entity target, Id id, std::vector<std::string>* blockers) {
    const auto& k = kind_def<T>();
    for (const auto& ref : k.references) {
        if (ref.info.target != target) continue;
        const char* table = ref.table ? ref.table : k.table;
        if (ref.info.on_delete == OnDelete::block) {
            if (!blockers) continue;
            if (auto n = store::count_where(w.db, table, ref.column, id); n > 0)
                blockers->push_back(fmt::format("{} {} ({})", n, ref.info.label, ref.info.field));
            continue;
        }
        std::int64_t blocking = 0;
        for (Id rid : store::ids_where(w.db, table, ref.column, id)) {
            CRM_TRY(T r, load_full<T>(w.db, rid));
            if (ref.info.on_delete == OnDelete::block_open && ref.is_open && ref.is_open(r)) {
                ++blocking;
                continue;
            }
            if (blockers) continue;
            T detached = r;
            ref.member(detached) = std::nullopt;
            CRM_TRYV(update<T>(w, std::move(detached), r));
        }
        if (blockers && blocking > 0)
            blockers->push_back(fmt::format("{} {} ({})", blocking, ref.info.label, ref.info.field));
    }
    return ok();
}

// The record as it was at `at`: the current document, with every change made after
// `at` undone, newest first.
template <class T>
result<T> as_of(DbImpl& db, Id id, Timestamp at) {
    const auto& k = kind_def<T>();
    auto changes = store::changes_for(db, k.entity, id);
    if (changes.empty()) return not_found<T>(id);
    Json d = nullptr;
    if (auto current = load_all<T>(db, {id}); !current.empty()) d = Json::parse(document(current.front()));
    auto set_path = [](Json& doc, const std::string& field, Json value) {
        const auto dot = field.find('.');
        if (dot == std::string::npos) {
            doc[field] = std::move(value);
            return;
        }
        auto& parent = doc[field.substr(0, dot)];
        if (!parent.is_object()) parent = Json::object();
        if (value.is_null() && field.compare(0, dot, "custom") == 0) parent.erase(field.substr(dot + 1));
        else parent[field.substr(dot + 1)] = std::move(value);
    };
    for (auto it = changes.rbegin(); it != changes.rend() && it->at > at; ++it) {
        switch (it->op) {
            case ChangeOp::create: d = nullptr; break;
            case ChangeOp::remove: d = Json::parse(it->old_value); break;
            case ChangeOp::update:
                if (d.is_object() && it->field.rfind('*', 0) != 0) set_path(d, it->field, Json::parse(it->old_value));
                break;
        }
    }
    if (!d.is_object())
        return make_error(errc::not_found, fmt::format("{} {} did not exist at {}", k.name, id, format_iso8601(at)));
    return from_document<T>(d);
}

}  // namespace records

// ---- Records<T> ----------------------------------------------------------------

namespace records {
inline error closed() { return make_error(errc::closed, "database handle is closed"); }
}  // namespace records

template <class T>
result<Id> Records<T>::create(const T& record) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<Id> {
        records::Write w{*db_};
        return records::create(w, record);
    }, store::Nested::checked);
}

template <class T>
result<T> Records<T>::get(Id id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<T> { return records::load_full<T>(*db_, id); });
}

template <class T>
result<T> Records<T>::get_by_external_id(const std::string& xid) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<T> {
        const auto& k = records::kind_def<T>();
        auto id = store::id_by_external_id(*db_, k.entity, xid);
        if (!id) return make_error(errc::not_found, fmt::format("no {} with external id '{}'", k.name, xid));
        return records::load_full<T>(*db_, *id);
    });
}

template <class T>
result<void> Records<T>::update(const T& record) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        records::Write w{*db_};
        return records::update(w, record);
    }, store::Nested::checked);
}

template <class T>
result<T> Records<T>::patch(Id id, std::string_view json_merge_patch) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<T> {
        CRM_TRY(T current, records::load_full<T>(*db_, id));
        CRM_TRY(T patched, records::patched(current, json_merge_patch));
        records::Write w{*db_};
        CRM_TRYV(records::update(w, std::move(patched), current));
        return records::load_full<T>(*db_, id);
    }, store::Nested::checked);
}

template <class T>
result<void> Records<T>::remove(Id id) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        records::Write w{*db_};
        return records::remove<T>(w, id);
    });
}

template <class T>
result<Page<T>> Records<T>::list(const ListOptions& options) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Page<T>> {
        CRM_TRY(auto ids, store::list_ids(*db_, records::kind_def<T>().entity, options));
        Page<T> page;
        page.next = std::move(ids.next);
        page.items = records::load_all<T>(*db_, ids.ids);
        return page;
    });
}

template <class T>
result<std::int64_t> Records<T>::count(const std::vector<Filter>& where) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::int64_t> {
        return store::count_ids(*db_, records::kind_def<T>().entity, where);
    });
}

template <class T>
result<std::vector<Change>> Records<T>::history(Id id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Change>> {
        auto changes = store::changes_for(*db_, records::kind_def<T>().entity, id);
        if (changes.empty()) return records::not_found<T>(id);
        return changes;
    });
}

template <class T>
result<T> Records<T>::get_as_of(Id id, Timestamp at) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<T> { return records::as_of<T>(*db_, id, at); });
}

template <class T>
result<void> Records<T>::add_tag(Id id, const std::string& tag) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        CRM_TRY(T v, records::load_full<T>(*db_, id));
        const T old = v;
        v.tags.push_back(tag);
        records::Write w{*db_};
        return records::update(w, std::move(v), old);
    }, store::Nested::checked);
}

template <class T>
result<void> Records<T>::remove_tag(Id id, const std::string& tag) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        CRM_TRY(T v, records::load_full<T>(*db_, id));
        const T old = v;
        std::string t = tag;
        CRM_TRYV(records::validate_tag(t));
        std::erase(v.tags, t);
        records::Write w{*db_};
        return records::update(w, std::move(v), old);
    }, store::Nested::checked);
}

template <class T>
result<void> Records<T>::set_custom(Id id, const std::string& field, FieldValue value) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        CRM_TRY(T v, records::load_full<T>(*db_, id));
        const T old = v;
        v.custom[field] = std::move(value);
        records::Write w{*db_};
        return records::update(w, std::move(v), old);
    }, store::Nested::checked);
}

}  // namespace crm

// Instantiates the record operations and the codec for a kind, in the kind's own file:
//     CRM_RECORD_KIND(Contact)
#define CRM_RECORD_KIND(T)                                                                      \
    template class crm::Records<T>;                                                             \
    template std::string crm::to_json(const T&);                                                \
    template crm::result<T> crm::from_json<T>(std::string_view) noexcept;                       \
    template crm::result<T> crm::merge_patch<T>(const T&, std::string_view) noexcept

// ---- crm/json.hpp for every record type ------------------------------------------
namespace crm {
template <Record T>
std::string to_json(const T& record) {
    return records::document(record);
}
template <class T>
result<T> from_json(std::string_view text) noexcept {
    return records::from_text<T>(text);
}
template <Record T>
result<T> merge_patch(const T& record, std::string_view patch_json) noexcept {
    return records::patched(record, patch_json);
}
}  // namespace crm
