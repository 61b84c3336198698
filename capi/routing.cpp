// C ABI: routing of hot leads (crm/routing.hpp).
#include "capi_internal.hpp"
#include "crm/routing.hpp"

using namespace crm::capi;

namespace {
int start(crm_db* db, char** out) {
    if (int rc = check_ptr(out, "out_json")) return rc;
    *out = nullptr;
    return check_db(db);
}
}  // namespace

extern "C" {

CRM_API int crm_routing_define(crm_db* db, const char* definition_json, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(definition_json, "definition")) return rc;
        auto r = db->state->db.routing().define(definition_json);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_routing_update(crm_db* db, const char* definition_json, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(definition_json, "definition")) return rc;
        auto r = db->state->db.routing().update(definition_json);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_routing_get(crm_db* db, const char* name, int version, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.routing().get(name, version);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_routing_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        auto r = db->state->db.routing().list();
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_routing_versions(crm_db* db, const char* name, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.routing().versions(name);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_route(crm_db* db, const char* routing, int64_t contact_id, int dry_run, char** out_handoff_json) {
    return guard([&] {
        if (int rc = start(db, out_handoff_json)) return rc;
        if (int rc = check_text(routing, "routing")) return rc;
        crm::RouteOptions o;
        o.dry_run = dry_run != 0;
        auto r = db->state->db.routing().route(routing, contact_id, o);
        if (!r) return set_error(r.error());
        return give(out_handoff_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_routing_handoff(crm_db* db, int64_t handoff_id, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        auto r = db->state->db.routing().handoff(handoff_id);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_routing_handoffs(crm_db* db, int64_t contact_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        auto r = db->state->db.routing().handoffs(contact_id);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_routing_attach(crm_db* db, const char* threshold, const char* routing) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(threshold, "threshold")) return rc;
        if (int rc = check_text(routing, "routing")) return rc;
        return fail_or_ok(db->state->db.routing().attach(threshold, routing));
    });
}

CRM_API int crm_routing_detach(crm_db* db, const char* threshold) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(threshold, "threshold")) return rc;
        return fail_or_ok(db->state->db.routing().detach(threshold));
    });
}

}  // extern "C"
