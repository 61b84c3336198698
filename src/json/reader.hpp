// Private: a strict Reader for the documents that are not records (calendars, SLA
// policies, custom-field definitions, query options): unknown keys and wrong types
// are errc::invalid_argument naming the key. Records use records/codec.hpp.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "crm/json.hpp"
#include "util/try.hpp"

namespace crm::json {

using nlohmann::json;

inline json opt_id(const std::optional<Id>& v) { return v ? json(*v) : json(nullptr); }
inline json ts(Timestamp t) { return t ? json(format_iso8601(t)) : json(nullptr); }
inline json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

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
            if (!v->is_number_integer() || (v->is_number_unsigned() && v->get<std::uint64_t>() > INT64_MAX))
                return invalid(name(key), "must be a 64-bit integer");
            out = v->get<std::int64_t>();
        }
        return ok();
    }
    result<void> opt_integer(const char* key, std::optional<std::int64_t>& out) {
        if (auto* v = find(key)) {
            if (v->is_null()) { out.reset(); return ok(); }
            if (!v->is_number_integer() || (v->is_number_unsigned() && v->get<std::uint64_t>() > INT64_MAX))
                return invalid(name(key), "must be a 64-bit integer or null");
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
