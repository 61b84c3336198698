// Full-text search (docs/search.md): crm_search and crm_search_rebuild over
// crm::Search. The query is the user's text, passed through as text; the options
// document is read by the library's strict parser.
#include "capi_internal.hpp"

#include <nlohmann/json.hpp>

#include "crm/search.hpp"

using namespace crm::capi;

namespace {

// {"kinds":["contact",…],"where":["field=value",…],"limit":20}; strict: unknown keys
// and wrong types are CRM_EINVALID naming "options.<key>".
int parse_options(const char* text, crm::SearchOptions& o) {
    if (!text) return CRM_OK;
    if (int rc = check_text(text, "options_json")) return rc;
    nlohmann::json j;
    if (int rc = parse_json(text, "options_json", j)) return rc;
    if (!j.is_object()) return set_error(CRM_EINVALID, "options_json must be a JSON object", "options_json");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const auto& v = it.value();
        const std::string field = "options." + key;
        if (key == "kinds") {
            if (v.is_null()) continue;
            if (!v.is_array()) return set_error(CRM_EINVALID, field + " must be an array of kind names", field);
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string item = field + "[" + std::to_string(i) + "]";
                auto e = v[i].is_string() ? crm::entity_from_name(v[i].get<std::string>()) : std::nullopt;
                if (!e) return set_error(CRM_EINVALID, item + " must be a kind name like \"contact\"", item);
                o.kinds.push_back(*e);
            }
        } else if (key == "where") {
            if (v.is_null()) continue;
            if (!v.is_array()) return set_error(CRM_EINVALID, field + " must be an array of filter strings", field);
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string item = field + "[" + std::to_string(i) + "]";
                if (!v[i].is_string())
                    return set_error(CRM_EINVALID, item + " must be a filter string like \"lifecycle_stage=mql\"", item);
                auto f = crm::parse_filter(v[i].get<std::string>());
                if (!f) return set_error(CRM_EINVALID, item + ": " + f.error().message, item);
                o.where.push_back(std::move(f).value());
            }
        } else if (key == "limit") {
            if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
                v.get<std::int64_t>() > static_cast<std::int64_t>(crm::Search::max_limit))
                return set_error(CRM_EINVALID, field + " must be an integer from 1 to 1000", field);
            o.limit = static_cast<std::size_t>(v.get<std::int64_t>());
        } else {
            return set_error(CRM_EINVALID, field + " is not a known key (kinds, where, limit)", field);
        }
    }
    return CRM_OK;
}

}  // namespace

extern "C" {

CRM_API int crm_search(crm_db* db, const char* query, const char* options_json, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(query, "query")) return rc;
        crm::SearchOptions options;
        if (int rc = parse_options(options_json, options)) return rc;
        auto r = db->state->db.search().query(query, options);
        if (!r) return set_error(r.error());
        nlohmann::json a = nlohmann::json::array();
        for (const auto& h : r.value())
            a.push_back({{"kind", crm::entity_name(h.kind)},
                         {"id", h.id},
                         {"title", h.title},
                         {"snippet", h.snippet},
                         {"rank", h.rank}});
        return give(out_json_array, a.dump());
    });
}

CRM_API int crm_search_rebuild(crm_db* db, int64_t* out_count) {
    return guard([&] {
        if (int rc = check_ptr(out_count, "out_count")) return rc;
        *out_count = 0;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.search().rebuild();
        if (!r) return set_error(r.error());
        *out_count = r.value();
        return CRM_OK;
    });
}

}  // extern "C"
