// C ABI: re-engagement and churn signals (crm/signals.hpp).
#include "capi_internal.hpp"
#include "crm/signals.hpp"

using namespace crm::capi;

namespace {
int start(crm_db* db, char** out) {
    if (int rc = check_ptr(out, "out_json")) return rc;
    *out = nullptr;
    return check_db(db);
}
}  // namespace

extern "C" {

CRM_API int crm_signal_define(crm_db* db, const char* rule_json, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(rule_json, "rule_json")) return rc;
        auto r = db->state->db.signals().define_json(rule_json);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_signal_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        auto r = db->state->db.signals().list();
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_signal_get(crm_db* db, const char* name, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.signals().get(name);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_signal_remove(crm_db* db, const char* name) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        return fail_or_ok(db->state->db.signals().remove(name));
    });
}

CRM_API int crm_signal_flags(crm_db* db, const char* rule, int64_t contact_id, int unacknowledged_only, int64_t limit,
                             int64_t after_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        crm::SignalQuery q;
        if (rule) {
            if (int rc = check_text(rule, "rule")) return rc;
            q.rule = rule;
        }
        if (limit < 1 || limit > 10000) return set_error(CRM_EINVALID, "limit must be between 1 and 10000", "limit");
        q.contact_id = contact_id;
        q.unacknowledged_only = unacknowledged_only != 0;
        q.limit = static_cast<std::size_t>(limit);
        q.after = after_id;
        auto r = db->state->db.signals().flags(q);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_signal_ack(crm_db* db, int64_t flag_id, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        auto r = db->state->db.signals().acknowledge(flag_id);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_signal_scan(crm_db* db, int64_t as_of_ms, int64_t* out_new) {
    return guard([&] {
        if (int rc = check_ptr(out_new, "out_new")) return rc;
        *out_new = 0;
        if (int rc = check_db(db)) return rc;
        std::optional<crm::Timestamp> as_of;
        if (as_of_ms != 0) as_of = as_of_ms;
        auto r = db->state->db.signals().scan(as_of);
        if (!r) return set_error(r.error());
        *out_new = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_signal_set_hook(crm_db* db, crm_signal_fn hook, void* payload) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        auto* state = db->state.get();
        state->signal_hook = hook;
        state->signal_payload = hook ? payload : nullptr;
        if (hook && !state->signal_registered) {
            // The callback lives in the Db, which the DbState owns: the pointer outlives it.
            state->db.signals().on_signal([state](const crm::SignalFlag& f) {
                if (!state->signal_hook) return;
                const std::string j = crm::to_json(f);
                state->signal_hook(j.c_str(), state->signal_payload);
            });
            state->signal_registered = true;
        }
        return CRM_OK;
    });
}

}  // extern "C"
