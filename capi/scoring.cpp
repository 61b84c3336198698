// C ABI: lead scoring (crm/scoring.hpp). Models, scores and explanations cross as
// the JSON documents of docs/scoring.md.
#include <nlohmann/json.hpp>

#include "capi_internal.hpp"
#include "crm/scoring.hpp"

using namespace crm::capi;

namespace {
template <class R>
int give_json(const R& r, char** out) {
    if (!r) return set_error(r.error());
    return give(out, crm::to_json(r.value()));
}
int start(crm_db* db, char** out) {
    if (int rc = check_ptr(out, "out_json")) return rc;
    *out = nullptr;
    return check_db(db);
}
std::optional<crm::Timestamp> as_of(const int64_t* p) {
    if (!p) return std::nullopt;
    return *p;
}
}  // namespace

CRM_API int crm_scoring_define(crm_db* db, const char* definition_json, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(definition_json, "definition_json")) return rc;
        return give_json(db->state->db.scoring().define(definition_json), out_json);
    });
}

CRM_API int crm_scoring_update(crm_db* db, const char* definition_json, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(definition_json, "definition_json")) return rc;
        return give_json(db->state->db.scoring().update(definition_json), out_json);
    });
}

CRM_API int crm_scoring_get(crm_db* db, const char* model, int version, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        return give_json(db->state->db.scoring().get(model, version), out_json);
    });
}

CRM_API int crm_scoring_list(crm_db* db, int include_inactive, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        auto r = db->state->db.scoring().list(include_inactive != 0);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_scoring_versions(crm_db* db, const char* model, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        auto r = db->state->db.scoring().versions(model);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_scoring_deactivate(crm_db* db, const char* model) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        return fail_or_ok(db->state->db.scoring().deactivate(model));
    });
}

CRM_API int crm_scoring_score(crm_db* db, int64_t contact_id, const char* model, const int64_t* as_of_ms,
                              char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        return give_json(db->state->db.scoring().score(contact_id, model, as_of(as_of_ms)), out_json);
    });
}

CRM_API int crm_scoring_explain(crm_db* db, int64_t contact_id, const char* model, const int64_t* as_of_ms,
                                char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        return give_json(db->state->db.scoring().explain(contact_id, model, as_of(as_of_ms)), out_json);
    });
}

CRM_API int crm_scoring_stored(crm_db* db, int64_t contact_id, const char* model, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        return give_json(db->state->db.scoring().stored(contact_id, model), out_json);
    });
}

CRM_API int crm_scoring_rescore(crm_db* db, const char* model, int64_t* out_count) {
    return guard([&] {
        if (int rc = check_ptr(out_count, "out_count")) return rc;
        *out_count = 0;
        if (int rc = check_db(db)) return rc;
        if (model)
            if (int rc = check_text(model, "model")) return rc;
        auto r = db->state->db.scoring().rescore(model ? model : "");
        if (!r) return set_error(r.error());
        *out_count = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_scoring_top(crm_db* db, const char* model, size_t limit, const char* after, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        crm::TopQuery q;
        q.limit = limit;
        if (after && *after) {
            if (int rc = check_text(after, "after")) return rc;
            auto cursor = decode_page_token(after);
            if (!cursor) return set_error(CRM_EINVALID, "after: is not a token from a previous page", "after");
            q.after = *cursor;
        }
        auto r = db->state->db.scoring().top(model, q);
        if (!r) return set_error(r.error());
        std::string out = "{\"items\":" + json_array(r.value().items) + ",\"next\":";
        out += nlohmann::json(r.value().next.empty() ? std::string() : encode_page_token(r.value().next)).dump();
        out += "}";
        return give(out_json, out);
    });
}

CRM_API int crm_scoring_dry_run(crm_db* db, const char* definition_json, const char* thresholds_json,
                                char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(definition_json, "definition_json")) return rc;
        std::vector<std::int64_t> thresholds;
        if (thresholds_json) {
            if (int rc = check_text(thresholds_json, "thresholds_json")) return rc;
            nlohmann::json j;
            if (int rc = parse_json(thresholds_json, "thresholds_json", j)) return rc;
            if (!j.is_array())
                return set_error(CRM_EINVALID, "thresholds_json: must be a JSON array of whole points", "thresholds_json");
            for (const auto& t : j) {
                if (!t.is_number_integer() || (t.is_number_unsigned() && t.get<std::uint64_t>() > 1000000))
                    return set_error(CRM_EINVALID, "thresholds_json: each threshold is a whole number of points",
                                     "thresholds_json");
                thresholds.push_back(t.get<std::int64_t>());
            }
        }
        return give_json(db->state->db.scoring().dry_run(definition_json, thresholds), out_json);
    });
}
