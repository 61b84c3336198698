// Entity-specific lookups (by email, who works where, team members) and the
// change feed: each answers one JSON document or array, owned by the caller.
#include "capi_internal.hpp"

using namespace crm::capi;

namespace {

int start(char** out, const char* out_name, const crm_db* db) noexcept {
    if (int rc = check_ptr(out, out_name)) return rc;
    *out = nullptr;
    return check_db(db);
}

// *out = the document (or array of documents) of a successful result.
template <class R>
int answer(char** out, const R& r) {
    if (!r) return set_error(r.error());
    if constexpr (requires { r.value().size(); }) return give(out, json_array(r.value()));
    else return give(out, crm::to_json(r.value()));
}

}  // namespace

extern "C" {

CRM_API int crm_contact_get_by_email(crm_db* db, const char* email, char** out_json) {
    return guard([&] {
        if (int rc = start(out_json, "out_json", db)) return rc;
        if (int rc = check_text(email, "email")) return rc;
        return answer(out_json, db->state->db.contacts().get_by_email(email));
    });
}

CRM_API int crm_user_get_by_email(crm_db* db, const char* email, char** out_json) {
    return guard([&] {
        if (int rc = start(out_json, "out_json", db)) return rc;
        if (int rc = check_text(email, "email")) return rc;
        return answer(out_json, db->state->db.users().get_by_email(email));
    });
}

CRM_API int crm_contact_employment_history(crm_db* db, int64_t contact_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.contacts().employment_history(contact_id));
    });
}

CRM_API int crm_account_contacts(crm_db* db, int64_t account_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.accounts().contacts(account_id));
    });
}

CRM_API int crm_account_subsidiaries(crm_db* db, int64_t account_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.accounts().subsidiaries(account_id));
    });
}

CRM_API int crm_team_members(crm_db* db, int64_t team_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.teams().members(team_id));
    });
}

CRM_API int crm_history_since(crm_db* db, int64_t after_id, size_t limit, char** out_json_array) {
    return guard([&] {
        if (int rc = start(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.history().since(after_id, limit));
    });
}

}  // extern "C"

// ---- added with issue 8 (parity with the C++ API) ----------------------------------
extern "C" {

CRM_API int crm_history_count(crm_db* db, int64_t* out_count) {
    return guard([&] {
        if (int rc = check_ptr(out_count, "out_count")) return rc;
        *out_count = 0;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.history().count();
        if (!r) return set_error(r.error());
        *out_count = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_history_latest_id(crm_db* db, int64_t* out_id) {
    return guard([&] {
        if (int rc = check_ptr(out_id, "out_id")) return rc;
        *out_id = 0;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.history().latest_id();
        if (!r) return set_error(r.error());
        *out_id = r.value();
        return CRM_OK;
    });
}

}  // extern "C"
