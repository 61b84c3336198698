// Private: building blocks for entity JSON documents — small converters and a
// strict Reader (unknown keys and wrong types are errc::invalid_argument naming
// the key). Every area's JSON codec uses these, so all documents follow one set of rules.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "crm/json.hpp"
#include "util/try.hpp"

namespace crm::json {

using nlohmann::json;

json doc(const FieldValue& v);

inline json opt_id(const std::optional<Id>& v) { return v ? json(*v) : json(nullptr); }
inline json ts(Timestamp t) { return t ? json(format_iso8601(t)) : json(nullptr); }
inline json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

inline json address(const PostalAddress& a) {
    return {{"postal_code", a.postal_code}, {"country", a.country}, {"region", a.region},
            {"city", a.city},               {"street", a.street},   {"building", a.building}};
}

inline json custom(const CustomFields& c) {
    json o = json::object();
    for (const auto& [k, v] : c) o[k] = doc(v);
    return o;
}

// Tags and custom values as every record's document carries them ("tags": [..], "custom": {..}).
// `field` names the key in errors. Decimals written as JSON numbers are kept as their text.
inline result<void> read_tags(const json& v, const std::string& field, Tags& out) {
    out.clear();
    if (v.is_null()) return ok();
    if (!v.is_array()) return invalid(field, "must be an array of strings");
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) return invalid(fmt::format("{}[{}]", field, i), "must be a string");
        out.push_back(v[i].get<std::string>());
    }
    return ok();
}

inline result<void> read_custom(const json& v, const std::string& field, CustomFields& out) {
    out.clear();
    if (v.is_null()) return ok();
    if (!v.is_object()) return invalid(field, "must be an object");
    for (auto it = v.begin(); it != v.end(); ++it) {
        const auto& x = it.value();
        if (x.is_null()) out[it.key()] = std::monostate{};
        else if (x.is_string()) out[it.key()] = x.get<std::string>();
        else if (x.is_boolean()) out[it.key()] = x.get<bool>();
        else if (x.is_number_integer()) out[it.key()] = x.get<std::int64_t>();
        else if (x.is_number_float()) out[it.key()] = x.dump();  // a decimal written as a number
        else return invalid(field + "." + it.key(), "must be a string, number, bool or null");
    }
    return ok();
}

// Reads an object field by field and reports keys that nobody asked for.
class Reader {
public:
    Reader(const json& j, std::string path) : j_(j), path_(std::move(path)) {}

    result<void> object() const {
        if (!j_.is_object()) return invalid(path_.empty() ? "document" : path_, "must be a JSON object");
        return ok();
    }
    std::string name(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

    result<void> str(const char* key, std::string& out) {
        if (auto* v = find(key)) {
            if (v->is_null()) { out.clear(); return ok(); }
            if (!v->is_string()) return invalid(name(key), "must be a string");
            out = v->get<std::string>();
        }
        return ok();
    }
    result<void> boolean(const char* key, bool& out) {
        if (auto* v = find(key)) {
            if (!v->is_boolean()) return invalid(name(key), "must be true or false");
            out = v->get<bool>();
        }
        return ok();
    }
    result<void> integer(const char* key, std::int64_t& out) {
        if (auto* v = find(key)) {
            if (!v->is_number_integer()) return invalid(name(key), "must be an integer");
            out = v->get<std::int64_t>();
        }
        return ok();
    }
    result<void> opt_integer(const char* key, std::optional<std::int64_t>& out) {
        if (auto* v = find(key)) {
            if (v->is_null()) { out.reset(); return ok(); }
            if (!v->is_number_integer()) return invalid(name(key), "must be an integer or null");
            out = v->get<std::int64_t>();
        }
        return ok();
    }
    result<void> time(const char* key, Timestamp& out) {
        if (auto* v = find(key)) {
            if (v->is_null()) { out = 0; return ok(); }
            if (v->is_number_integer()) { out = v->get<Timestamp>(); return ok(); }
            std::optional<Timestamp> t;
            if (v->is_string()) t = parse_iso8601(v->get<std::string>());
            if (!t) return invalid(name(key), "must be an ISO-8601 time");
            out = *t;
        }
        return ok();
    }
    template <class E>
    result<void> enumeration(const char* key, E& out, std::optional<E> (*conv)(const std::string&) noexcept,
                             const char* allowed) {
        if (auto* v = find(key)) {
            if (!v->is_string()) return invalid(name(key), fmt::format("must be one of {}", allowed));
            auto e = conv(v->get<std::string>());
            if (!e) return invalid(name(key), fmt::format("'{}' is not one of {}", v->get<std::string>(), allowed));
            out = *e;
        }
        return ok();
    }
    result<void> address(const char* key, PostalAddress& a) {
        if (auto* v = find(key)) {
            a = {};
            if (v->is_null()) return ok();
            Reader r(*v, name(key));
            CRM_TRYV(r.object());
            CRM_TRYV(r.str("postal_code", a.postal_code));
            CRM_TRYV(r.str("country", a.country));
            CRM_TRYV(r.str("region", a.region));
            CRM_TRYV(r.str("city", a.city));
            CRM_TRYV(r.str("street", a.street));
            CRM_TRYV(r.str("building", a.building));
            CRM_TRYV(r.done());
        }
        return ok();
    }
    result<void> money(const char* key, Money& out) {
        if (auto* v = find(key)) {
            if (v->is_null()) { out = {}; return ok(); }
            Reader m(*v, name(key));
            CRM_TRYV(m.object());
            CRM_TRYV(m.integer("amount", out.amount));
            CRM_TRYV(m.str("currency", out.currency));
            CRM_TRYV(m.done());
        }
        return ok();
    }
    result<void> tags(Tags& out) {
        if (auto* v = find("tags")) return read_tags(*v, name("tags"), out);
        return ok();
    }
    result<void> custom(CustomFields& out) {
        if (auto* v = find("custom")) return read_custom(*v, name("custom"), out);
        return ok();
    }
    // The keys every record has and that the store manages itself.
    result<void> record_meta(Id& id, Timestamp& created, Timestamp& updated) {
        CRM_TRYV(integer("id", id));
        CRM_TRYV(time("created_at", created));
        CRM_TRYV(time("updated_at", updated));
        return ok();
    }
    const json* find(const char* key) {
        auto it = j_.find(key);
        if (it == j_.end()) return nullptr;
        seen_.emplace_back(key);
        return &*it;
    }
    result<void> done() const {
        for (auto it = j_.begin(); it != j_.end(); ++it)
            if (std::find(seen_.begin(), seen_.end(), it.key()) == seen_.end())
                return invalid(name(it.key()), "is not a known field");
        return ok();
    }

private:
    const json& j_;
    std::string path_;
    std::vector<std::string> seen_;
};

}  // namespace crm::json
