// Private: JSON helpers for the work area's documents (strict reading through crm::json::Reader:
// unknown keys and wrong types are errc::invalid_argument naming the key).
#pragma once

#include <fmt/format.h>

#include <algorithm>

#include "crm/tasks.hpp"
#include "json/documents.hpp"
#include "json/reader.hpp"
#include "util/try.hpp"

namespace crm::work {

using nlohmann::json;

using crm::json::opt_id;
using crm::json::ts;
inline json opt_ts(const std::optional<Timestamp>& t) { return t ? json(format_iso8601(*t)) : json(nullptr); }
using crm::json::text_or_null;
inline json custom_doc(const CustomFields& c) {
    json o = json::object();
    for (const auto& [k, v] : c) o[k] = crm::json::doc(v);
    return o;
}
inline json links_doc(const std::vector<RecordLink>& links) {
    json a = json::array();
    for (const auto& l : links) a.push_back({{"entity", entity_name(l.entity)}, {"id", l.id}});
    return a;
}

using crm::json::Reader;  // the one strict reader every area uses (src/json/reader.hpp)

inline result<void> read_opt_time(Reader& r, const char* key, std::optional<Timestamp>& out) {
    if (auto* v = r.find(key)) {
        if (v->is_null()) { out.reset(); return ok(); }
        Timestamp t = 0;
        CRM_TRYV(r.time(key, t));
        out = t;
    }
    return ok();
}

inline result<void> read_links(Reader& r, std::vector<RecordLink>& out) {
    if (auto* v = r.find("links")) {
        out.clear();
        if (v->is_null()) return ok();
        if (!v->is_array()) return invalid("links", "must be an array of {\"entity\":…,\"id\":…}");
        for (std::size_t i = 0; i < v->size(); ++i) {
            Reader m((*v)[i], fmt::format("links[{}]", i));
            CRM_TRYV(m.object());
            std::string e;
            std::int64_t id = 0;
            CRM_TRYV(m.str("entity", e));
            CRM_TRYV(m.integer("id", id));
            CRM_TRYV(m.done());
            auto kind = entity_from_name(e);
            if (!kind) return invalid(fmt::format("links[{}].entity", i), fmt::format("'{}' is not an entity kind", e));
            out.push_back({*kind, id});
        }
    }
    return ok();
}

}  // namespace crm::work
