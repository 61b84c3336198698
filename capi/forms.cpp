// C ABI for forms and lead capture: definitions, checks, submissions, touches.
// Everything crosses as JSON (crm/forms.hpp's documents).
#include "capi_internal.hpp"
#include "crm/forms.hpp"

using namespace crm::capi;

namespace {
template <class T>
int give_result(char** out, const crm::result<T>& r) {
    if (!r) return set_error(r.error());
    return give(out, crm::to_json(r.value()));
}
}  // namespace

extern "C" {

CRM_API int crm_form_define(crm_db* db, const char* form_json, int64_t* out_id) {
    return guard([&] {
        if (out_id) *out_id = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(form_json, "form_json")) return rc;
        auto f = crm::form_from_json(form_json);
        if (!f) return set_error(f.error());
        auto r = db->state->db.forms().define(f.value());
        if (!r) return set_error(r.error());
        if (out_id) *out_id = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_form_update(crm_db* db, int64_t form_id, const char* form_json) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(form_json, "form_json")) return rc;
        auto f = crm::form_from_json(form_json);
        if (!f) return set_error(f.error());
        f.value().id = form_id;
        return fail_or_ok(db->state->db.forms().update(f.value()));
    });
}

CRM_API int crm_form_get(crm_db* db, int64_t form_id, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        return give_result(out_json, db->state->db.forms().get(form_id));
    });
}

CRM_API int crm_form_get_by_name(crm_db* db, const char* name, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        return give_result(out_json, db->state->db.forms().get_by_name(name));
    });
}

CRM_API int crm_form_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.forms().list();
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_form_remove(crm_db* db, int64_t form_id) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        return fail_or_ok(db->state->db.forms().remove(form_id));
    });
}

CRM_API int crm_form_versions(crm_db* db, int64_t form_id, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.forms().versions(form_id);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_form_check(crm_db* db, int64_t form_id, const char* values_json, char** out_errors_json) {
    return guard([&] {
        if (int rc = check_ptr(out_errors_json, "out_errors_json")) return rc;
        *out_errors_json = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(values_json, "values_json")) return rc;
        auto v = crm::form_values_from_json(values_json);
        if (!v) return set_error(v.error());
        return give_result(out_errors_json, db->state->db.forms().check(form_id, v.value()));
    });
}

CRM_API int crm_form_submit(crm_db* db, int64_t form_id, const char* values_json, const char* meta_json,
                            char** out_result_json) {
    return guard([&] {
        if (int rc = check_ptr(out_result_json, "out_result_json")) return rc;
        *out_result_json = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(values_json, "values_json")) return rc;
        auto v = crm::form_values_from_json(values_json);
        if (!v) return set_error(v.error());
        crm::SubmitMeta meta;
        if (meta_json) {
            if (int rc = check_text(meta_json, "meta_json")) return rc;
            auto m = crm::submit_meta_from_json(meta_json);
            if (!m) return set_error(m.error());
            meta = std::move(m.value());
        }
        return give_result(out_result_json, db->state->db.forms().submit(form_id, v.value(), meta));
    });
}

CRM_API int crm_form_touches(crm_db* db, int64_t contact_id, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        return give_result(out_json, db->state->db.forms().touches(contact_id));
    });
}

}  // extern "C"
