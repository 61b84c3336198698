// Private: every record as a JSON document and back, from its descriptor — the
// one codec behind crm::to_json / from_json / merge_patch, history snapshots and
// field diffs, as-of reads and the C ABI.
//
// A document holds, in this order: id, external_id, the kind's fields (a dotted
// key such as "address.city" is written inside a nested object), tags, custom,
// created_at, updated_at. Writing goes straight to text (crm::json::Writer); reading
// is strict: an unknown key, a wrong type, an integer beyond 64 bits or a time
// outside the years 0001–9999 is errc::invalid_argument naming the field.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "crm/history.hpp"
#include "json/parse.hpp"
#include "json/pull.hpp"
#include "json/writer.hpp"
#include "records/descriptor.hpp"
#include "util/try.hpp"

namespace crm::records {

using Json = nlohmann::json;

// Times a document can hold: 0001-01-01T00:00:00.000Z … 9999-12-31T23:59:59.999Z,
// what the ISO-8601 form can show.
inline constexpr Timestamp kMinTime = -62135596800000;
inline constexpr Timestamp kMaxTime = 253402300799999;
result<Timestamp> check_time(const std::string& field, Timestamp t);
// A time from JSON: an ISO-8601 string or UTC milliseconds, within the range above
// (from a document being read, or from an option document already parsed).
result<Timestamp> read_time(const std::string& field, json::Pull& p);
result<Timestamp> read_time(const std::string& field, const Json& x);
void write_time(crm::json::Writer& w, Timestamp t);  // 0 = null
void write_custom(crm::json::Writer& w, const CustomFields& c);
result<void> read_custom(const std::string& field, json::Pull& p, CustomFields& out);
result<void> read_tags(const std::string& field, json::Pull& p, Tags& out);
result<void> read_links(const std::string& field, json::Pull& p, std::vector<RecordLink>& out);
result<void> read_money(const std::string& field, json::Pull& p, Money& out);
result<void> read_ids(const std::string& field, json::Pull& p, std::vector<Id>& out);
std::string value_text(const FieldValue& v);  // a custom value as JSON text

// ---- the fields every kind has -----------------------------------------------------
template <class T>
struct Common {
    static constexpr FieldDef<T> head[] = {
        build::integer<&T::id>("id", "id", cap_filter | cap_sort | cap_computed, "record id"),
        build::text<&T::external_id>("external_id", "external_id", cap_filter | cap_sort | cap_import,
                                     "id in another system (unique)")
            .with(null_if_empty)
            .unique_as("external id"),
    };
    static constexpr FieldDef<T> tail[] = {
        [] {
            FieldDef<T> f{build::info("tags", ValueType::tags, cap_filter | cap_import, "tags"), Shape::tags};
            f.info.name = "tag";
            f.at.tags = &build::Path<&T::tags>::get;
            return f;
        }(),
        [] {
            FieldDef<T> f{build::info("custom", ValueType::custom, cap_filter | cap_import, "custom fields"),
                          Shape::custom};
            f.at.custom = &build::Path<&T::custom>::get;
            return f;
        }(),
        build::time<&T::created_at>("created_at", "created_at", cap_filter | cap_sort | cap_import,
                                    "when created (default now; an earlier time for a record brought from elsewhere)"),
        build::time<&T::updated_at>("updated_at", "updated_at", cap_filter | cap_sort | cap_computed,
                                    "when last changed"),
    };
};

// Calls fn(const FieldDef<T>&) for every field of T in document order.
template <class T, class F>
void for_each_field(F&& fn) {
    for (const auto& f : Common<T>::head) fn(f);
    for (const auto& f : kind_def<T>().fields) fn(f);
    for (const auto& f : Common<T>::tail) fn(f);
}

template <class T>
const T& defaults() {
    static const T d{};
    return d;
}

// ---- writing ----------------------------------------------------------------------
template <class T>
void write_value(const FieldDef<T>& f, const T& cv, crm::json::Writer& w) {
    T& v = const_cast<T&>(cv);  // accessors take T&; nothing is modified here
    switch (f.shape) {
        case Shape::text: {
            const auto& s = f.at.text(v);
            if (s.empty() && f.has(null_if_empty)) w.null();
            else w.string(s);
            return;
        }
        case Shape::integer: w.integer(f.at.integer(v)); return;
        case Shape::opt_integer: {
            const auto& o = f.at.opt_integer(v);
            if (o) w.integer(*o); else w.null();
            return;
        }
        case Shape::boolean: w.boolean(f.at.boolean(v)); return;
        case Shape::time: write_time(w, f.at.integer(v)); return;
        case Shape::opt_time: {
            const auto& o = f.at.opt_integer(v);
            if (o) write_time(w, *o == 0 ? 0 : *o); else w.null();
            return;
        }
        case Shape::enumeration: {
            const int i = f.at.enumeration.get(v);
            const auto& names = f.info.values;
            w.string(i >= 0 && static_cast<std::size_t>(i) < names.size() ? names[static_cast<std::size_t>(i)] : "");
            return;
        }
        case Shape::money:
        case Shape::opt_money: {
            const Money* m = nullptr;
            if (f.shape == Shape::money) m = &f.at.money(v);
            else if (const auto& o = f.at.opt_money(v)) m = &*o;
            if (!m) { w.null(); return; }
            w.begin_object();
            w.key("amount");
            w.integer(m->amount);
            w.key("currency");
            w.string(m->currency);
            w.end_object();
            return;
        }
        case Shape::ids:
            w.begin_array();
            for (Id id : f.at.ids(v)) w.integer(id);
            w.end_array();
            return;
        case Shape::links:
            w.begin_array();
            for (const auto& l : f.at.links(v)) {
                w.begin_object();
                w.key("entity");
                w.string(entity_name(l.entity));
                w.key("id");
                w.integer(l.id);
                w.end_object();
            }
            w.end_array();
            return;
        case Shape::list: f.at.list->write(v, w); return;
        case Shape::tags:
            w.begin_array();
            for (const auto& t : f.at.tags(v)) w.string(t);
            w.end_array();
            return;
        case Shape::custom: write_custom(w, f.at.custom(v)); return;
    }
}

// The fields of one object; fields with a dotted key go inside their nested object.
template <class T>
void write_fields(std::span<const FieldDef<T>> fields, const T& v, crm::json::Writer& w, std::string_view& open) {
    for (const auto& f : fields) {
        const auto dot = f.info.key.find('.');
        const std::string_view prefix = dot == std::string_view::npos ? std::string_view() : f.info.key.substr(0, dot);
        if (prefix != open) {
            if (!open.empty()) w.end_object();
            if (!prefix.empty()) {
                w.key(prefix);
                w.begin_object();
            }
            open = prefix;
        }
        w.key(prefix.empty() ? f.info.key : f.info.key.substr(dot + 1));
        write_value(f, v, w);
    }
}

template <class T>
void write_document(const T& v, crm::json::Writer& w) {
    std::string_view open;
    w.begin_object();
    write_fields<T>(Common<T>::head, v, w, open);
    write_fields<T>(kind_def<T>().fields, v, w, open);
    write_fields<T>(Common<T>::tail, v, w, open);
    if (!open.empty()) w.end_object();
    w.end_object();
}

template <class T>
std::string document(const T& v) {
    std::string out;
    out.reserve(512);
    crm::json::Writer w(out);
    write_document(v, w);
    return out;
}

template <class T>
std::string value_json(const FieldDef<T>& f, const T& v) {
    std::string out;
    crm::json::Writer w(out);
    write_value(f, v, w);
    return out;
}

// ---- reading ----------------------------------------------------------------------
// Straight from the text into T (json::Pull): no document is built first.

inline std::string path_of(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

template <class T>
result<void> read_value(const FieldDef<T>& f, T& v, json::Pull& p, const std::string& field) {
    auto reset = [&] {  // JSON null: the field's default
        T& d = const_cast<T&>(defaults<T>());
        switch (f.shape) {
            case Shape::integer: case Shape::time: f.at.integer(v) = f.at.integer(d); break;
            case Shape::boolean: f.at.boolean(v) = f.at.boolean(d); break;
            case Shape::enumeration: f.at.enumeration.set(v, f.at.enumeration.get(d)); break;
            case Shape::money: f.at.money(v) = f.at.money(d); break;
            default: break;
        }
    };
    switch (f.shape) {
        case Shape::text:
            if (p.null()) { f.at.text(v).clear(); return ok(); }
            return p.string(field, f.at.text(v));
        case Shape::integer: {
            if (p.null()) { reset(); return ok(); }
            CRM_TRY(f.at.integer(v), p.integer(field));
            return ok();
        }
        case Shape::opt_integer: {
            if (p.null()) { f.at.opt_integer(v).reset(); return ok(); }
            CRM_TRY(f.at.opt_integer(v), p.integer(field));
            return ok();
        }
        case Shape::boolean: {
            if (p.null()) { reset(); return ok(); }
            CRM_TRY(f.at.boolean(v), p.boolean(field));
            return ok();
        }
        case Shape::time: {
            if (p.null()) { f.at.integer(v) = 0; return ok(); }
            CRM_TRY(f.at.integer(v), read_time(field, p));
            return ok();
        }
        case Shape::opt_time: {
            if (p.null()) { f.at.opt_integer(v).reset(); return ok(); }
            CRM_TRY(f.at.opt_integer(v), read_time(field, p));
            return ok();
        }
        case Shape::enumeration: {
            if (p.null()) { reset(); return ok(); }
            const auto& names = f.info.values;
            auto list = [&] {
                std::string s;
                for (const char* n : names) s += (s.empty() ? "" : ", ") + std::string(n);
                return s;
            };
            std::string s;
            if (p.peek() != json::Pull::Kind::string) return invalid(field, fmt::format("must be one of {}", list()));
            CRM_TRYV(p.string(field, s));
            for (std::size_t i = 0; i < names.size(); ++i)
                if (s == names[i]) { f.at.enumeration.set(v, static_cast<int>(i)); return ok(); }
            return invalid(field, fmt::format("'{}' is not one of {}", s, list()));
        }
        case Shape::money:
            if (p.null()) { reset(); return ok(); }
            f.at.money(v) = Money{0, f.at.money(const_cast<T&>(defaults<T>())).currency};
            return read_money(field, p, f.at.money(v));
        case Shape::opt_money: {
            if (p.null()) { f.at.opt_money(v).reset(); return ok(); }
            Money m;
            CRM_TRYV(read_money(field, p, m));
            f.at.opt_money(v) = std::move(m);
            return ok();
        }
        case Shape::ids: return read_ids(field, p, f.at.ids(v));
        case Shape::links: return read_links(field, p, f.at.links(v));
        case Shape::list: return f.at.list->read(v, p, field);
        case Shape::tags: return read_tags(field, p, f.at.tags(v));
        case Shape::custom: return read_custom(field, p, f.at.custom(v));
    }
    return ok();
}

template <class T>
const FieldDef<T>* find_field(std::span<const FieldDef<T>> fields, std::string_view key) {
    for (const auto& f : fields)
        if (f.info.key == key) return &f;
    return nullptr;
}

// Reads the members of the object at p into v: `lookup(key)` finds a field by its
// full (dotted) key; `prefix` is the key of the nested object being read
// ("address"), `path` the document path used in errors.
template <class T, class Lookup>
result<void> read_object(T& v, json::Pull& p, Lookup&& lookup, const std::string& prefix, const std::string& path,
                         const char* kind_name, std::span<const char* const> ignored = {}) {
    CRM_TRYV(p.begin_object(path.empty() ? "document" : path));
    std::string k, key;
    for (;;) {
        CRM_TRY(bool more, p.next_key(k));
        if (!more) return ok();
        if (!prefix.empty()) key = prefix + "." + k;
        const std::string& full = prefix.empty() ? k : key;
        if (const FieldDef<T>* f = lookup(full)) {
            CRM_TRYV(read_value(*f, v, p, path.empty() ? full : path_of(path, k)));
            continue;
        }
        if (prefix.empty() && lookup.nested(full)) {  // an object of dotted fields: address, consent
            if (p.null()) {
                lookup.reset_nested(full, v);
                continue;
            }
            const std::string nested = full;
            CRM_TRYV(read_object(v, p, lookup, nested, path_of(path, nested), kind_name));
            continue;
        }
        if (prefix.empty() &&
            std::find_if(ignored.begin(), ignored.end(), [&](const char* s) { return k == s; }) != ignored.end()) {
            CRM_TRYV(p.skip(k));
            continue;
        }
        return invalid(path_of(path, k), fmt::format("is not a field of {}", kind_name));
    }
}

// Finds the fields of T by key.
template <class T>
struct DocumentFields {
    const FieldDef<T>* operator()(std::string_view key) const {
        if (auto* f = find_field<T>(Common<T>::head, key)) return f;
        if (auto* f = find_field<T>(kind_def<T>().fields, key)) return f;
        return find_field<T>(Common<T>::tail, key);
    }
    static bool in(std::string_view key, std::string_view prefix) {
        return key.size() > prefix.size() && key[prefix.size()] == '.' && key.substr(0, prefix.size()) == prefix;
    }
    bool nested(std::string_view prefix) const {
        for (const auto& f : kind_def<T>().fields)
            if (in(f.info.key, prefix)) return true;
        return false;
    }
    void reset_nested(std::string_view prefix, T& v) const {
        T& d = const_cast<T&>(defaults<T>());
        for (const auto& f : kind_def<T>().fields)
            if (in(f.info.key, prefix) && f.shape == Shape::text) f.at.text(v) = f.at.text(d);
            else if (in(f.info.key, prefix) && f.shape == Shape::boolean) f.at.boolean(v) = f.at.boolean(d);
    }
};

template <class T>
result<T> from_text(std::string_view text) noexcept {
    try {
        T v{};
        const auto& k = kind_def<T>();
        const std::string kind =
            fmt::format("{} {}", std::string_view("aeiou").find(k.name[0]) == std::string_view::npos ? "a" : "an", k.name);
        json::Pull p(text);
        if (p.peek() != json::Pull::Kind::object) {
            if (p.peek() == json::Pull::Kind::invalid || p.peek() == json::Pull::Kind::end)
                return invalid("document", "is not valid JSON");
            return invalid("document", "must be a JSON object");
        }
        CRM_TRYV(read_object(v, p, DocumentFields<T>{}, "", "", kind.c_str(), k.ignored_keys));
        CRM_TRYV(p.finish());
        return v;
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, "out of memory reading a document");
    } catch (const std::exception& e) {
        return invalid("document", e.what());
    }
}

template <class T>
result<T> from_document(const Json& j) noexcept {
    try {
        return from_text<T>(j.dump());
    } catch (const std::exception& e) {
        return invalid("document", e.what());
    }
}

// The record's document with an RFC 7386 merge patch applied, read back (id kept).
template <class T>
result<T> patched(const T& record, std::string_view patch_text) noexcept {
    try {
        CRM_TRY(auto patch, crm::json::parse_text(patch_text, "patch"));
        if (!patch.is_object()) return invalid("patch", "must be a JSON object");
        auto d = Json::parse(document(record));
        d.merge_patch(patch);
        d["id"] = record.id;  // the id cannot be patched
        return from_document<T>(d);
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, "out of memory applying a patch");
    } catch (const std::exception& e) {
        return invalid("patch", e.what());
    }
}

// ---- comparing ----------------------------------------------------------------------
template <class T>
bool equal_value(const FieldDef<T>& f, const T& ca, const T& cb) {
    T& a = const_cast<T&>(ca);
    T& b = const_cast<T&>(cb);
    switch (f.shape) {
        case Shape::text: return f.at.text(a) == f.at.text(b);
        case Shape::integer: case Shape::time: return f.at.integer(a) == f.at.integer(b);
        case Shape::opt_integer: case Shape::opt_time: return f.at.opt_integer(a) == f.at.opt_integer(b);
        case Shape::boolean: return f.at.boolean(a) == f.at.boolean(b);
        case Shape::enumeration: return f.at.enumeration.get(a) == f.at.enumeration.get(b);
        case Shape::money: return f.at.money(a) == f.at.money(b);
        case Shape::opt_money: return f.at.opt_money(a) == f.at.opt_money(b);
        case Shape::ids: return f.at.ids(a) == f.at.ids(b);
        case Shape::links: return f.at.links(a) == f.at.links(b);
        case Shape::list: return f.at.list->equal(a, b);
        case Shape::tags: return f.at.tags(a) == f.at.tags(b);
        case Shape::custom: return f.at.custom(a) == f.at.custom(b);
    }
    return false;
}

// The history rows of an update: one per changed field, with the old and new values
// as JSON text; custom values one per key ("custom.rank"); ordered by field name.
// id, created_at and updated_at are not recorded.
template <class T>
std::vector<Change> diff(const T& old, const T& v) {
    std::vector<Change> out;
    auto add = [&](std::string field, std::string before, std::string after) {
        Change c;
        c.op = ChangeOp::update;
        c.field = std::move(field);
        c.old_value = std::move(before);
        c.new_value = std::move(after);
        out.push_back(std::move(c));
    };
    for_each_field<T>([&](const FieldDef<T>& f) {
        if (f.info.key == "id" || f.info.key == "created_at" || f.info.key == "updated_at") return;
        if (equal_value(f, old, v)) return;
        if (f.shape == Shape::custom) {
            const auto& a = f.at.custom(const_cast<T&>(old));
            const auto& b = f.at.custom(const_cast<T&>(v));
            auto text = [](const CustomFields& c, const std::string& k) {
                auto it = c.find(k);
                return it == c.end() ? std::string("null") : value_text(it->second);
            };
            std::vector<std::string> keys;
            for (const auto& [k, x] : a) keys.push_back(k);
            for (const auto& [k, x] : b) keys.push_back(k);
            std::sort(keys.begin(), keys.end());
            keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
            for (const auto& k : keys) {
                auto before = text(a, k), after = text(b, k);
                if (before != after) add("custom." + k, std::move(before), std::move(after));
            }
            return;
        }
        add(std::string(f.info.key), value_json(f, old), value_json(f, v));
    });
    // In field order, as history has always listed the changes of one update.
    std::sort(out.begin(), out.end(), [](const Change& a, const Change& b) { return a.field < b.field; });
    return out;
}

// ---- element lists ------------------------------------------------------------------
// ListOf<&Contact::emails, kEmailFields>: the JSON of a vector of elements, each
// element described by FieldDefs of its own type (kEmailFields: address, label,
// primary). An element may also be written as a bare string: its first field.
template <auto Member, const auto& Fields>
struct ListOf {
    using P = build::Path<Member>;
    using owner = typename P::owner;
    using Element = typename P::value::value_type;
    static constexpr std::size_t N = std::size(Fields);

    static constexpr std::array<ElementPart, N> make_parts() {
        std::array<ElementPart, N> out{};
        for (std::size_t i = 0; i < N; ++i)
            out[i] = ElementPart{Fields[i].info.key, Fields[i].info.type, Fields[i].info.target,
                                 (Fields[i].opts & positional) != 0, (Fields[i].opts & optional_part) != 0};
        return out;
    }
    static constexpr std::array<ElementPart, N> parts = make_parts();

    static void write(const owner& v, crm::json::Writer& w) {
        w.begin_array();
        for (const auto& e : P::get(const_cast<owner&>(v))) {
            std::string_view open;
            w.begin_object();
            write_fields<Element>(Fields, e, w, open);
            if (!open.empty()) w.end_object();
            w.end_object();
        }
        w.end_array();
    }
    struct Lookup {
        const FieldDef<Element>* operator()(std::string_view key) const { return find_field<Element>(Fields, key); }
        bool nested(std::string_view) const { return false; }
        void reset_nested(std::string_view, Element&) const {}
    };
    static result<void> read(owner& v, json::Pull& p, const std::string& field) {
        auto& out = P::get(v);
        out.clear();
        if (p.null()) return ok();
        CRM_TRYV(p.begin_array(field));
        for (std::size_t i = 0;; ++i) {
            CRM_TRY(bool more, p.next_element());
            if (!more) return ok();
            const std::string path = fmt::format("{}[{}]", field, i);
            Element e{};
            if (p.peek() == json::Pull::Kind::string && Fields[0].shape == Shape::text) {
                CRM_TRYV(p.string(path, Fields[0].at.text(e)));
            } else {
                CRM_TRYV(read_object(e, p, Lookup{}, "", path, "an element"));
            }
            out.push_back(std::move(e));
        }
    }
    static bool equal(const owner& a, const owner& b) {
        return P::get(const_cast<owner&>(a)) == P::get(const_cast<owner&>(b));
    }
    static void clear(owner& v) { P::get(v).clear(); }
    static constexpr ListCodec<owner> codec{&write, &read, &equal, &clear};
};

}  // namespace crm::records
