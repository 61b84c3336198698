// C ABI for tickets (MISSION B5): workflow transitions, first response, SLA state
// and breach alerts, business calendars and SLA policies. Records themselves go
// through the generic crm_record_* family with CRM_TICKET.
#include "capi_internal.hpp"
#include "crm/tickets.hpp"

using namespace crm::capi;

namespace {
template <class R>
int give_array(char** out, const R& r) {
    if (!r) return set_error(r.error());
    return give(out, json_array(r.value()));
}
}  // namespace

extern "C" {

CRM_API int crm_ticket_transition(crm_db* db, int64_t id, const char* new_status) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(new_status, "new_status")) return rc;
        auto s = crm::ticket_status_from_string(new_status);
        if (!s)
            return set_error(CRM_EINVALID,
                             std::string("new_status: '") + new_status +
                                 "' is not one of new, open, pending, on_hold, resolved, closed",
                             "new_status");
        return fail_or_ok(db->state->db.tickets().transition(id, *s));
    });
}

CRM_API int crm_ticket_transition_at(crm_db* db, int64_t id, const char* new_status, int64_t at_ms) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(new_status, "new_status")) return rc;
        auto s = crm::ticket_status_from_string(new_status);
        if (!s)
            return set_error(CRM_EINVALID,
                             std::string("new_status: '") + new_status +
                                 "' is not one of new, open, pending, on_hold, resolved, closed",
                             "new_status");
        return fail_or_ok(db->state->db.tickets().transition(
            id, *s, at_ms ? std::optional<crm::Timestamp>(at_ms) : std::nullopt));
    });
}

CRM_API int crm_ticket_status_history(crm_db* db, int64_t id, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        return give_array(out_json_array, db->state->db.tickets().status_history(id));
    });
}

CRM_API int crm_ticket_record_response(crm_db* db, int64_t id, int64_t at_ms, int64_t* out_first_response_at) {
    return guard([&] {
        if (out_first_response_at) *out_first_response_at = 0;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.tickets().record_response(id, at_ms ? std::optional<crm::Timestamp>(at_ms) : std::nullopt);
        if (!r) return set_error(r.error());
        if (out_first_response_at) *out_first_response_at = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_ticket_sla(crm_db* db, int64_t id, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.tickets().sla(id);
        return r ? give(out_json, crm::to_json(r.value())) : set_error(r.error());
    });
}

CRM_API int crm_ticket_breaching(crm_db* db, int64_t within_minutes, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        return give_array(out_json, db->state->db.tickets().breaching(within_minutes));
    });
}

CRM_API int crm_calendar_define(crm_db* db, const char* json, int64_t* out_id) {
    return guard([&] {
        if (int rc = check_ptr(out_id, "out_id")) return rc;
        *out_id = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(json, "json")) return rc;
        auto cal = crm::calendar_from_json(json);
        if (!cal) return set_error(cal.error());
        auto id = db->state->db.tickets().define_calendar(cal.value());
        if (!id) return set_error(id.error());
        *out_id = id.value();
        return CRM_OK;
    });
}

CRM_API int crm_calendar_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        return give_array(out_json_array, db->state->db.tickets().calendars());
    });
}

CRM_API int crm_sla_policy_define(crm_db* db, const char* json, int64_t* out_id) {
    return guard([&] {
        if (int rc = check_ptr(out_id, "out_id")) return rc;
        *out_id = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(json, "json")) return rc;
        auto p = crm::sla_policy_from_json(json);
        if (!p) return set_error(p.error());
        auto id = db->state->db.tickets().define_sla_policy(p.value());
        if (!id) return set_error(id.error());
        *out_id = id.value();
        return CRM_OK;
    });
}

CRM_API int crm_sla_policy_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        return give_array(out_json_array, db->state->db.tickets().sla_policies());
    });
}

CRM_API int crm_ticket_sla_at(crm_db* db, int64_t id, int64_t now_ms, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.tickets().sla(id, now_ms ? std::optional<crm::Timestamp>(now_ms) : std::nullopt);
        return r ? give(out_json, crm::to_json(r.value())) : set_error(r.error());
    });
}

CRM_API int crm_ticket_breaching_at(crm_db* db, int64_t within_minutes, int64_t now_ms, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        return give_array(out_json, db->state->db.tickets().breaching(
                                        within_minutes, now_ms ? std::optional<crm::Timestamp>(now_ms) : std::nullopt));
    });
}

CRM_API int crm_calendar_get(crm_db* db, int64_t id, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.tickets().calendar(id);
        return r ? give(out_json, crm::to_json(r.value())) : set_error(r.error());
    });
}

CRM_API int crm_sla_policy_get(crm_db* db, int64_t id, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.tickets().sla_policy(id);
        return r ? give(out_json, crm::to_json(r.value())) : set_error(r.error());
    });
}

}  // extern "C"
