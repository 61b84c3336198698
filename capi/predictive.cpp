// C ABI: predictive scoring (crm/predictive.hpp). Definitions, models, reports and
// predictions cross as the JSON documents of docs/predictive.md.
#include <nlohmann/json.hpp>

#include "capi_internal.hpp"
#include "crm/predictive.hpp"

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
}  // namespace

CRM_API int crm_predictive_train(crm_db* db, const char* definition_json, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(definition_json, "definition_json")) return rc;
        return give_json(db->state->db.predictive().train(definition_json), out_json);
    });
}

CRM_API int crm_predictive_get(crm_db* db, const char* model, int version, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        return give_json(db->state->db.predictive().get(model, version), out_json);
    });
}

CRM_API int crm_predictive_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        auto r = db->state->db.predictive().list();
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_predictive_versions(crm_db* db, const char* model, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        auto r = db->state->db.predictive().versions(model);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_predictive_score(crm_db* db, int64_t contact_id, const char* model, const int64_t* as_of_ms,
                                 size_t top_k, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        std::optional<crm::Timestamp> t;
        if (as_of_ms) t = *as_of_ms;
        return give_json(db->state->db.predictive().predict(contact_id, model, t, top_k), out_json);
    });
}

CRM_API int crm_predictive_stored(crm_db* db, int64_t contact_id, const char* model, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        return give_json(db->state->db.predictive().stored(contact_id, model), out_json);
    });
}

CRM_API int crm_predictive_rescore(crm_db* db, const char* model, int64_t* out_count) {
    return guard([&] {
        if (int rc = check_ptr(out_count, "out_count")) return rc;
        *out_count = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(model, "model")) return rc;
        auto r = db->state->db.predictive().rescore(model);
        if (!r) return set_error(r.error());
        *out_count = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_predictive_top(crm_db* db, const char* model, size_t limit, const char* after, char** out_json) {
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
        auto r = db->state->db.predictive().top(model, q);
        if (!r) return set_error(r.error());
        std::string out = "{\"items\":" + json_array(r.value().items) + ",\"next\":";
        out += nlohmann::json(r.value().next.empty() ? std::string() : encode_page_token(r.value().next)).dump();
        out += "}";
        return give(out_json, out);
    });
}
