// Private: turns a kind's typed descriptor into its registry entry — the public
// description (crm::EntityInfo), the untyped field views the store reads, the
// deletion checks, and every record operation through JSON documents.
//
// A kind's own .cpp file, after its descriptor:
//     const records::KindEntry& contact_kind() { return records::entry<Contact>(); }
// and registry.cpp lists contact_kind() among the kinds.
#pragma once

#include "records/engine.hpp"

namespace crm::records {

template <class T>
struct JsonOps {
    static Records<T> service(DbImpl& db) { return Records<T>(&db); }
    static result<Id> create(DbImpl& db, std::string_view doc) {
        CRM_TRY(T v, from_text<T>(doc));
        return service(db).create(v);
    }
    static result<std::string> get(DbImpl& db, Id id) {
        CRM_TRY(T v, service(db).get(id));
        return document(v);
    }
    static result<std::string> get_by_external_id(DbImpl& db, const std::string& xid) {
        CRM_TRY(T v, service(db).get_by_external_id(xid));
        return document(v);
    }
    static result<std::string> patch(DbImpl& db, Id id, std::string_view p) {
        CRM_TRY(T v, service(db).patch(id, p));
        return document(v);
    }
    static result<void> remove(DbImpl& db, Id id) { return service(db).remove(id); }
    static result<Page<std::string>> list(DbImpl& db, const ListOptions& o) {
        CRM_TRY(auto page, service(db).list(o));
        Page<std::string> out;
        out.next = std::move(page.next);
        out.items.reserve(page.items.size());
        for (const auto& v : page.items) out.items.push_back(document(v));
        return out;
    }
    static result<std::int64_t> count(DbImpl& db, const std::vector<Filter>& where) { return service(db).count(where); }
    static result<std::vector<Change>> history(DbImpl& db, Id id) { return service(db).history(id); }
    static result<std::string> get_as_of(DbImpl& db, Id id, Timestamp at) {
        CRM_TRY(T v, service(db).get_as_of(id, at));
        return document(v);
    }
    static result<void> add_tag(DbImpl& db, Id id, const std::string& t) { return service(db).add_tag(id, t); }
    static result<void> remove_tag(DbImpl& db, Id id, const std::string& t) { return service(db).remove_tag(id, t); }
    static result<void> set_custom(DbImpl& db, Id id, const std::string& f, const FieldValue& v) {
        return service(db).set_custom(id, f, v);
    }
};

template <class T>
KindEntry make_entry(const char* when_referenced, void (*upgraded)(DbImpl&, int) = nullptr) {
    const auto& k = kind_def<T>();
    KindEntry e;
    e.info.entity = k.entity;
    e.info.name = k.name;
    e.info.plural = k.plural;
    e.info.c_code = k.c_code;
    e.table = k.table;
    for_each_field<T>([&](const FieldDef<T>& f) {
        e.info.fields.push_back(f.info);
        e.fields.push_back(FieldView{nullptr, f.shape, f.opts, f.column, f.column2, f.child});
    });
    for (const auto& r : k.references) e.info.references.push_back(r.info);
    e.references_to = &references_to<T>;
    e.when_referenced = when_referenced;
    e.upgraded = upgraded;
    e.ops = AnyOps{&JsonOps<T>::create,  &JsonOps<T>::get,        &JsonOps<T>::get_by_external_id,
                   &JsonOps<T>::patch,   &JsonOps<T>::remove,     &JsonOps<T>::list,
                   &JsonOps<T>::count,   &JsonOps<T>::history,    &JsonOps<T>::get_as_of,
                   &JsonOps<T>::add_tag, &JsonOps<T>::remove_tag, &JsonOps<T>::set_custom};
    return e;
}

// The kind's entry, built once and never moved (its FieldViews point into its own
// EntityInfo); it lives as long as the program.
template <class T>
const KindEntry& entry(const char* when_referenced = nullptr, void (*upgraded)(DbImpl&, int) = nullptr) {
    static const KindEntry* e = [&] {
        auto* x = new KindEntry(make_entry<T>(when_referenced, upgraded));
        for (std::size_t i = 0; i < x->fields.size(); ++i) x->fields[i].info = &x->info.fields[i];
        return x;
    }();
    return *e;
}

}  // namespace crm::records
