// C ABI: score thresholds with hysteresis and lifecycle (crm/thresholds.hpp).
#include "capi_internal.hpp"
#include "crm/thresholds.hpp"

using namespace crm::capi;

namespace {
int start(crm_db* db, char** out) {
    if (int rc = check_ptr(out, "out_json")) return rc;
    *out = nullptr;
    return check_db(db);
}
}  // namespace

extern "C" {

CRM_API int crm_threshold_define(crm_db* db, const char* name, const char* model, const char* output,
                                 int64_t enter_milli, int64_t leave_milli, const char* stage, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        if (int rc = check_text(model, "model")) return rc;
        if (int rc = check_text(output, "output")) return rc;
        crm::ThresholdDef d;
        d.name = name;
        d.model = model;
        auto o = crm::score_output_from_string(output);
        if (!o) return set_error(CRM_EINVALID, "output must be total, fit or engagement", "output");
        d.output = *o;
        d.enter = enter_milli;
        d.leave = leave_milli;
        if (stage) {
            if (int rc = check_text(stage, "stage")) return rc;
            d.stage = crm::lifecycle_stage_from_string(stage);
            if (!d.stage) return set_error(CRM_EINVALID, "unknown lifecycle stage", "stage");
        }
        auto r = db->state->db.thresholds().define(d);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_threshold_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        auto r = db->state->db.thresholds().list();
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_threshold_get(crm_db* db, const char* name, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.thresholds().get(name);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_threshold_inside(crm_db* db, const char* name, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.thresholds().inside(name);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_threshold_remove(crm_db* db, const char* name) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        return fail_or_ok(db->state->db.thresholds().remove(name));
    });
}

CRM_API int crm_threshold_state(crm_db* db, const char* name, int64_t contact_id, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.thresholds().state(name, contact_id);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_threshold_crossings(crm_db* db, const char* name, int64_t contact_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.thresholds().crossings(name, contact_id);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_threshold_set_hook(crm_db* db, crm_threshold_fn hook, void* payload) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        auto* state = db->state.get();
        state->threshold_hook = hook;
        state->threshold_payload = hook ? payload : nullptr;
        if (hook && !state->threshold_registered) {
            // The callback lives in the Db, which the DbState owns: the pointer outlives it.
            state->db.thresholds().on_cross([state](const crm::Crossing& c) {
                if (!state->threshold_hook) return;
                const std::string j = crm::to_json(c);
                state->threshold_hook(j.c_str(), state->threshold_payload);
            });
            state->threshold_registered = true;
        }
        return CRM_OK;
    });
}

CRM_API int crm_contact_lifecycle(crm_db* db, int64_t contact_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        auto r = db->state->db.thresholds().lifecycle_history(contact_id);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_contact_recycle(crm_db* db, int64_t contact_id, const char* reason) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(reason, "reason")) return rc;
        return fail_or_ok(db->state->db.thresholds().recycle(contact_id, reason));
    });
}

}  // extern "C"
