// Private: the descriptor of an entity kind — one per kind, kept beside the
// kind's own code (src/customers/contacts.cpp, src/sales/deals.cpp …).
//
// A KindDef<T> says everything the generic parts of the library need about T:
// its name, table and C enum value; each field's JSON key, short name, type,
// capabilities, column and how to reach it in T (FieldDef<T>); the references it
// holds and what deleting their target does (RefDef<T>); the domain rules that
// run on every write (validate, after_write); and the storage of what is not a
// column of T's own table (child tables: emails, line items, links).
//
// From it, and nothing else: the JSON codec (records/codec.hpp), the row SQL
// (store/rows.hpp), list filters and sort keys (store/list_store.cpp), history
// diffs and as-of reads, deletion rules, the registry (records/registry.hpp),
// and through the registry the C ABI and the CLI. docs/architecture.md has the
// recipe for adding a kind.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "crm/entities.hpp"
#include "crm/error.hpp"

namespace crm::detail { struct DbImpl; }

namespace crm::json {
class Writer;
class Pull;
}  // namespace crm::json

namespace crm::records {

using detail::DbImpl;

// How a field's value is held in the C++ struct, and so how it is coded and stored.
enum class Shape : std::uint8_t {
    text,         // std::string
    integer,      // std::int64_t (Timestamp included: see time)
    opt_integer,  // std::optional<std::int64_t>: ids, counts, percentages
    boolean,      // bool
    time,         // Timestamp; 0 = unset (JSON null)
    opt_time,     // std::optional<Timestamp>
    enumeration,  // an enum with values 0..N-1, written and stored as its name
    money,        // Money: two columns (amount, currency)
    opt_money,    // std::optional<Money>: two nullable columns
    ids,          // std::vector<Id>
    links,        // std::vector<RecordLink>
    list,         // std::vector<Element>: elements described by a ListCodec
    tags,         // Tags
    custom,       // CustomFields
};

// Options of a field (FieldDef::opts).
enum FieldOpt : std::uint8_t {
    null_if_empty = 1,    // text: written as JSON null when empty, stored as NULL (external_id, dates)
    column_not_null = 2,  // with null_if_empty: the column holds '' instead of NULL (contacts.birthday)
    lower_copy = 4,       // text: column2 holds a lower-cased copy, used by filters and uniqueness (users.email)
    date_text = 8,        // text holding "YYYY-MM-DD": ValueType::date
    long_text = 16,       // text not worth sorting on (a body, notes)
    positional = 32,      // a part of a list element: typed colon-separated on a command line (ElementPart)
    optional_part = 64,   // ... and may be left out there
};

// Where the values of a multi-valued field live, so a filter on it can match any
// element: EXISTS (SELECT 1 FROM table WHERE owner = <record>.id [AND kind_column = kind_value] AND column <op> ?).
struct ChildColumn {
    const char* table;
    const char* owner;
    const char* column;
    const char* kind_column = nullptr;
    const char* kind_value = nullptr;
    bool lower = false;  // the column is lower-cased: compare with the lower-cased value
};

template <class T>
struct ListCodec;

// One field of T.
template <class T>
struct FieldDef {
    FieldInfo info;
    Shape shape;
    std::uint8_t opts = 0;
    const char* column = nullptr;   // in the kind's table; nullptr: stored by the kind's storage hooks
    const char* column2 = nullptr;  // money: the currency column; lower_copy: the lower-cased copy
    const ChildColumn* child = nullptr;  // multi-valued fields: where filters look
    const char* unique = nullptr;   // what a UNIQUE failure on this field is about: "email address"
    union Access {
        std::string& (*text)(T&);
        std::int64_t& (*integer)(T&);
        std::optional<std::int64_t>& (*opt_integer)(T&);
        bool& (*boolean)(T&);
        Money& (*money)(T&);
        std::optional<Money>& (*opt_money)(T&);
        std::vector<Id>& (*ids)(T&);
        std::vector<RecordLink>& (*links)(T&);
        Tags& (*tags)(T&);
        CustomFields& (*custom)(T&);
        const ListCodec<T>* list;
        struct {
            int (*get)(const T&);
            void (*set)(T&, int);
        } enumeration;
    } at{};

    bool has(std::uint8_t o) const noexcept { return (opts & o) != 0; }
    constexpr FieldDef with(std::uint8_t o) const { FieldDef f = *this; f.opts |= o; return f; }
    constexpr FieldDef child_of(const ChildColumn* c) const { FieldDef f = *this; f.child = c; return f; }
    constexpr FieldDef unique_as(const char* what) const { FieldDef f = *this; f.unique = what; return f; }
    constexpr FieldDef named(std::string_view n) const { FieldDef f = *this; f.info.name = n; return f; }
    // Text also stored lower-cased in `column` (a case-insensitive unique key: users.email_norm).
    constexpr FieldDef lower_copy_in(const char* lowered) const {
        FieldDef f = *this;
        f.opts |= lower_copy;
        f.column2 = lowered;
        return f;
    }
};

// The elements of a list field (EmailAddress, LineItem, Stage …): coded from
// the element type's own FieldDefs; stored by the kind's storage hooks.
template <class T>
struct ListCodec {
    void (*write)(const T& v, crm::json::Writer& w);
    result<void> (*read)(T& v, json::Pull& p, const std::string& path);
    bool (*equal)(const T& a, const T& b);
    void (*clear)(T& v);
};

// A reference held by T. A reference from a child table (deal_line_items.product_id)
// has `table` set and can only block.
template <class T>
struct RefDef {
    ReferenceInfo info;
    const char* column;
    const char* table = nullptr;                 // nullptr: T's own table
    std::optional<Id>& (*member)(T&) = nullptr;  // the field detach clears
    bool (*is_open)(const T&) = nullptr;         // OnDelete::block_open: whether this record blocks
};

// One write in progress: the connection, and whether the library itself is making
// it (a ticket's status transition, a document's stored content), which may change
// fields that callers cannot (FieldCap cap_computed guarded by the kind's rules).
struct Write {
    DbImpl& db;
    bool managed = false;
    // When what this write records happened (a deal's stage move, a ticket's
    // transition), if the caller dated it in the past; 0 = now.
    Timestamp at = 0;
};

template <class T>
struct KindDef {
    Entity entity;
    const char* name;    // "contact"
    const char* plural;  // "contacts"
    const char* table;   // "contacts"
    int c_code;          // crm_entity in crm.h
    std::span<const FieldDef<T>> fields;      // without id, external_id, tags, custom, created_at, updated_at
    std::span<const RefDef<T>> references;

    // Domain rules: check and normalize v before it is stored (old: the stored
    // record on update, nullptr on create) ...
    result<void> (*validate)(Write& w, T& v, const T* old) = nullptr;
    // ... and write the rows that go with it, in the same scope (stage history,
    // ticket status rows, SLA due times). v has its id.
    result<void> (*after_write)(Write& w, const T* old, const T& v) = nullptr;

    // Storage beyond the kind's own row (src/store): child tables.
    void (*save_children)(DbImpl& db, const T& v, const T* old) = nullptr;
    void (*load_children)(DbImpl& db, std::span<T> records) = nullptr;

    // Keys a document may carry that are not fields (accepted and ignored on input).
    std::span<const char* const> ignored_keys = {};

    // After the record's row is deleted, in the same scope (what other areas derive
    // from it: the stored scores of an interaction's contacts).
    result<void> (*after_remove)(Write& w, const T& old) = nullptr;
};

// The descriptor of T, defined in T's own area (template <> const KindDef<Contact>& kind_def<Contact>()).
template <class T>
const KindDef<T>& kind_def() noexcept;

// Shorthands for FieldCap sets in descriptors: F filter, S sort, G group, Q search,
// I import, L summary (listed), C computed, R required.
namespace caps {
inline constexpr unsigned F = cap_filter, S = cap_sort, G = cap_group, Q = cap_search, I = cap_import,
                          L = cap_summary, C = cap_computed, R = cap_required;
}  // namespace caps

// ---- building descriptors ---------------------------------------------------------
namespace build {

template <class M>
struct member_ptr;
template <class C, class R>
struct member_ptr<R C::*> {
    using owner = C;
};

// A path of data members from T to the field: <&Contact::name> or <&Contact::address, &PostalAddress::city>.
template <auto... P>
struct Path {
    static constexpr auto first = std::get<0>(std::make_tuple(P...));
    using owner = typename member_ptr<std::remove_cv_t<decltype(first)>>::owner;
    template <auto M, auto... R>
    static constexpr auto& walk(auto& o) {
        if constexpr (sizeof...(R) == 0) return o.*M;
        else return walk<R...>(o.*M);
    }
    using value = std::remove_reference_t<decltype(walk<P...>(std::declval<owner&>()))>;
    static value& get(owner& o) { return walk<P...>(o); }
    static int get_enum(const owner& o) { return static_cast<int>(walk<P...>(const_cast<owner&>(o))); }
    static void set_enum(owner& o, int v) { walk<P...>(o) = static_cast<value>(v); }
};

template <auto... P>
using Owner = typename Path<P...>::owner;

constexpr FieldInfo info(std::string_view key, ValueType type, unsigned caps, std::string_view help) {
    // The short name defaults to the last part of the key: "address.city" -> "city".
    const auto dot = key.rfind('.');
    return FieldInfo{key, dot == std::string_view::npos ? key : key.substr(dot + 1), type, caps, Entity::user, {}, {},
                     help};
}

template <auto... P>
constexpr FieldDef<Owner<P...>> text(std::string_view key, const char* column, unsigned caps, std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::text, caps, help), Shape::text};
    f.column = column;
    f.at.text = &Path<P...>::get;
    return f;
}
// Text holding a date "YYYY-MM-DD" (empty = unset: JSON null, column NULL).
template <auto... P>
constexpr FieldDef<Owner<P...>> date(std::string_view key, const char* column, unsigned caps, std::string_view help) {
    auto f = text<P...>(key, column, caps, help);
    f.info.type = ValueType::date;
    f.opts = null_if_empty | date_text;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> integer(std::string_view key, const char* column, unsigned caps,
                                        std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::integer, caps, help), Shape::integer};
    f.column = column;
    f.at.integer = &Path<P...>::get;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> opt_integer(std::string_view key, const char* column, unsigned caps,
                                            std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::integer, caps, help), Shape::opt_integer};
    f.column = column;
    f.at.opt_integer = &Path<P...>::get;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> reference(std::string_view key, const char* column, Entity target, unsigned caps,
                                          std::string_view help) {
    auto f = opt_integer<P...>(key, column, caps, help);
    f.info.type = ValueType::reference;
    f.info.target = target;
    return f;
}
// A reference that is always set (a deal's pipeline_id).
template <auto... P>
constexpr FieldDef<Owner<P...>> required_reference(std::string_view key, const char* column, Entity target,
                                                   unsigned caps, std::string_view help) {
    auto f = integer<P...>(key, column, caps, help);
    f.info.type = ValueType::reference;
    f.info.target = target;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> boolean(std::string_view key, const char* column, unsigned caps,
                                        std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::boolean, caps, help), Shape::boolean};
    f.column = column;
    f.at.boolean = &Path<P...>::get;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> time(std::string_view key, const char* column, unsigned caps, std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::time, caps, help), Shape::time};
    f.column = column;
    f.at.integer = &Path<P...>::get;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> opt_time(std::string_view key, const char* column, unsigned caps,
                                         std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::time, caps, help), Shape::opt_time};
    f.column = column;
    f.at.opt_integer = &Path<P...>::get;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> enumeration(std::string_view key, const char* column,
                                            std::span<const char* const> values, unsigned caps,
                                            std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::enumeration, caps, help), Shape::enumeration};
    f.info.values = values;
    f.column = column;
    f.at.enumeration = {&Path<P...>::get_enum, &Path<P...>::set_enum};
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> money(std::string_view key, const char* amount_column, const char* currency_column,
                                      unsigned caps, std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::money, caps, help), Shape::money};
    f.column = amount_column;
    f.column2 = currency_column;
    f.at.money = &Path<P...>::get;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> opt_money(std::string_view key, const char* amount_column,
                                          const char* currency_column, unsigned caps, std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::money, caps, help), Shape::opt_money};
    f.column = amount_column;
    f.column2 = currency_column;
    f.at.opt_money = &Path<P...>::get;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> ids(std::string_view key, Entity target, unsigned caps, std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::references, caps, help), Shape::ids};
    f.info.target = target;
    f.at.ids = &Path<P...>::get;
    return f;
}
template <auto... P>
constexpr FieldDef<Owner<P...>> links(std::string_view key, unsigned caps, std::string_view help) {
    FieldDef<Owner<P...>> f{info(key, ValueType::links, caps, help), Shape::links};
    f.at.links = &Path<P...>::get;
    return f;
}
// A list of elements: List is records::ListOf<&T::member, kElementFields> (records/codec.hpp).
template <class List>
constexpr FieldDef<typename List::owner> list(std::string_view key, unsigned caps, std::string_view help) {
    FieldDef<typename List::owner> f{info(key, ValueType::list, caps, help), Shape::list};
    f.info.parts = List::parts;
    f.at.list = &List::codec;
    return f;
}

template <auto... P>
constexpr RefDef<Owner<P...>> detach(std::string_view key, const char* column, Entity target, std::string_view label) {
    RefDef<Owner<P...>> r{{key, target, OnDelete::detach, label}, column};
    r.member = &Path<P...>::get;
    return r;
}
template <class T>
constexpr RefDef<T> block(std::string_view key, const char* column, Entity target, std::string_view label,
                          const char* child_table = nullptr) {
    RefDef<T> r{{key, target, OnDelete::block, label}, column};
    r.table = child_table;
    return r;
}
template <auto... P>
constexpr RefDef<Owner<P...>> block_open(std::string_view key, const char* column, Entity target,
                                         std::string_view label, bool (*is_open)(const Owner<P...>&)) {
    RefDef<Owner<P...>> r{{key, target, OnDelete::block_open, label}, column};
    r.member = &Path<P...>::get;
    r.is_open = is_open;
    return r;
}

}  // namespace build

// ---- enums as names -----------------------------------------------------------------
// Every enum of the API has values 0..N-1 and a table of their names: these give
// to_string / *_from_string from that one table.
template <class E, std::size_t N>
const char* enum_name(const char* const (&names)[N], E v) noexcept {
    const auto i = static_cast<std::size_t>(v);
    return i < N ? names[i] : "";
}
template <class E, std::size_t N>
std::optional<E> enum_from_name(const char* const (&names)[N], std::string_view s) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (s == names[i]) return static_cast<E>(i);
    return std::nullopt;
}

}  // namespace crm::records
