// Attribute predicates on documents — the contact's and its account's as they were
// at a past time (Records::get_as_of) — with the semantics of the compiled SQL
// (store/segments_store.cpp and the list filters): an unset value (null, "", no
// elements) never satisfies a comparison; a multi-valued field matches when any
// element does, != when it has elements and none equals; emails compare without
// case; contains / starts_with ignore the case of ASCII letters, as LIKE does.
#include <charconv>
#include <cstdlib>

#include "segments/segments_internal.hpp"
#include "store/entity_store.hpp"
#include "util/text.hpp"

namespace crm::segments {

namespace {

using nlohmann::json;
using records::Shape;

const json* at_path(const json& doc, std::string_view key) {
    const json* cur = &doc;
    while (true) {
        if (!cur->is_object()) return nullptr;
        const auto dot = key.find('.');
        const std::string part(key.substr(0, dot));
        auto it = cur->find(part);
        if (it == cur->end()) return nullptr;
        cur = &*it;
        if (dot == std::string_view::npos) return cur;
        key = key.substr(dot + 1);
    }
}

std::optional<std::int64_t> to_int(const std::string& s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

bool like_contains(const std::string& hay, const std::string& needle, bool prefix) {
    const std::string h = text::ascii_lower(hay), n = text::ascii_lower(needle);
    return prefix ? h.rfind(n, 0) == 0 : h.find(n) != std::string::npos;
}

template <class V>
bool cmp(Cmp c, const V& a, const V& b) {
    switch (c) {
        case Cmp::eq: return a == b;
        case Cmp::ne: return a != b;
        case Cmp::lt: return a < b;
        case Cmp::le: return a <= b;
        case Cmp::gt: return a > b;
        case Cmp::ge: return a >= b;
    }
    return false;
}

// One scalar (text, number or bool) against one value of the predicate. `op` is
// cmp with c, or contains / starts_with. The scalar is set (not null, not "").
enum class Kind { text, integer, real, time };

bool scalar_matches(const json& x, Kind kind, AttrOp op, Cmp c, const std::string& value, bool lower) {
    if (op == AttrOp::contains || op == AttrOp::starts_with) {
        if (!x.is_string()) return false;
        return like_contains(x.get<std::string>(), lower ? text::ascii_lower(text::trim(value)) : value,
                             op == AttrOp::starts_with);
    }
    switch (kind) {
        case Kind::text: {
            if (!x.is_string()) return false;
            const std::string v = lower ? text::ascii_lower(text::trim(value)) : value;
            const std::string s = lower ? text::ascii_lower(x.get<std::string>()) : x.get<std::string>();
            return cmp(c, s, v);
        }
        case Kind::integer: {
            std::int64_t a = 0;
            if (x.is_boolean()) a = x.get<bool>() ? 1 : 0;
            else if (x.is_number_integer()) a = x.get<std::int64_t>();
            else return false;
            std::optional<std::int64_t> b = value == "true" ? 1 : value == "false" ? 0 : to_int(value);
            return b && cmp(c, a, *b);
        }
        case Kind::real: {
            double a = 0;
            if (x.is_number()) a = x.get<double>();
            else if (x.is_string()) a = std::strtod(x.get<std::string>().c_str(), nullptr);
            else return false;
            return cmp(c, a, std::strtod(value.c_str(), nullptr));
        }
        case Kind::time: {
            if (!x.is_string()) return false;
            auto a = parse_iso8601(x.get<std::string>());
            auto b = parse_iso8601(value);
            return a && b && cmp(c, *a, *b);
        }
    }
    return false;
}

bool is_set(const json* x) { return x && !x->is_null() && !(x->is_string() && x->get<std::string>().empty()); }

// Any of the predicate's values (one, or an `in` list) matches the scalar.
bool any_value(const Node& n, const json& x, Kind kind, bool lower) {
    for (const auto& v : n.values) {
        const Cmp c = n.op == AttrOp::cmp ? n.cmp : Cmp::eq;
        if (scalar_matches(x, kind, n.op, c, v.text, lower)) return true;
    }
    return false;
}

bool eval_on(DbImpl& db, const Node& n, const json& doc, Entity entity) {
    const auto& k = *records::find(entity);
    if (n.field == "tags" || n.field == "tag") {
        const json* tags = at_path(doc, "tags");
        if (!tags || !tags->is_array()) return false;
        if (n.op == AttrOp::exists) return !tags->empty();
        const std::string want = text::trim(n.values.front().text);
        for (const auto& t : *tags)
            if (t.is_string() && t.get<std::string>() == want) return true;
        return false;
    }
    if (n.field.rfind("custom.", 0) == 0) {
        const std::string name = n.field.substr(7);
        const json* custom = at_path(doc, "custom");
        const json* x = custom && custom->is_object() && custom->contains(name) ? &(*custom)[name] : nullptr;
        if (!x || x->is_null()) return false;
        if (n.op == AttrOp::exists) return true;
        auto def = store::load_def(db, entity, name);
        if (!def) return false;
        Kind kind = def->type == FieldType::integer || def->type == FieldType::boolean ? Kind::integer
                  : def->type == FieldType::decimal && n.op != AttrOp::contains && n.op != AttrOp::starts_with
                      ? Kind::real
                      : Kind::text;
        if (kind == Kind::text && x->is_string() && x->get<std::string>().empty()) return false;
        return any_value(n, *x, kind, false);
    }
    const records::FieldView* f = k.field(n.field);
    std::string key;
    if (f) {
        key = std::string(f->info->key);
        if (f->shape == Shape::money || f->shape == Shape::opt_money) key += ".amount";
    } else {  // "annual_revenue.amount" / ".currency"
        const auto dot = n.field.rfind('.');
        f = k.field(n.field.substr(0, dot));
        if (!f) return false;
        key = std::string(f->info->key) + n.field.substr(dot);
    }
    Kind kind = Kind::text;
    switch (f->shape) {
        case Shape::integer: case Shape::opt_integer: case Shape::boolean: case Shape::ids: kind = Kind::integer; break;
        case Shape::money: case Shape::opt_money: kind = key.ends_with(".currency") ? Kind::text : Kind::integer; break;
        case Shape::time: case Shape::opt_time: kind = Kind::time; break;
        default: break;
    }
    const json* x = at_path(doc, key);
    if (f->child) {  // any element; elements are objects (their first part is the value) or scalars
        std::vector<const json*> elems;
        if (x && x->is_array())
            for (const auto& e : *x) {
                const json* v = &e;
                if (e.is_object() && !f->info->parts.empty()) v = at_path(e, f->info->parts.front().key);
                if (is_set(v)) elems.push_back(v);
            }
        const bool lower = f->child->lower;
        if (n.op == AttrOp::exists) return !elems.empty();
        if (n.op == AttrOp::cmp && n.cmp == Cmp::ne) {
            if (elems.empty()) return false;
            for (const json* e : elems)
                if (scalar_matches(*e, kind, AttrOp::cmp, Cmp::eq, n.values.front().text, lower)) return false;
            return true;
        }
        for (const json* e : elems)
            if (any_value(n, *e, kind, lower)) return true;
        return false;
    }
    if (!is_set(x)) return false;
    if (n.op == AttrOp::exists) return true;
    const bool lower = f->shape == Shape::text && (f->opts & records::lower_copy);
    return any_value(n, *x, kind, lower);
}

}  // namespace

bool eval_attr(DbImpl& db, const Node& n, const json& contact, const json* account) {
    if (n.on_account) return account && eval_on(db, n, *account, Entity::account);
    return eval_on(db, n, contact, Entity::contact);
}

}  // namespace crm::segments
