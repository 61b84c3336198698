// Custom field definitions: define, get, list, remove.
#include "capi_internal.hpp"

using namespace crm::capi;

extern "C" {

CRM_API int crm_custom_field_define(crm_db* db, const char* def_json, int64_t* out_id) {
    return guard([&] {
        if (int rc = check_ptr(out_id, "out_id")) return rc;
        *out_id = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(def_json, "def_json")) return rc;
        auto def = crm::from_json<crm::CustomFieldDef>(def_json);
        if (!def) return set_error(def.error());
        auto id = db->state->db.custom_fields().define(def.value());
        if (!id) return set_error(id.error());
        *out_id = id.value();
        return CRM_OK;
    });
}

CRM_API int crm_custom_field_get(crm_db* db, crm_entity entity, const char* name, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_entity(entity)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto def = db->state->db.custom_fields().get(to_entity(entity), name);
        return def ? give(out_json, crm::to_json(def.value())) : set_error(def.error());
    });
}

CRM_API int crm_custom_field_list(crm_db* db, crm_entity entity, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_entity(entity)) return rc;
        auto defs = db->state->db.custom_fields().list(to_entity(entity));
        return defs ? give(out_json_array, json_array(defs.value())) : set_error(defs.error());
    });
}

CRM_API int crm_custom_field_remove(crm_db* db, crm_entity entity, const char* name) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_entity(entity)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        return fail_or_ok(db->state->db.custom_fields().remove(to_entity(entity), name));
    });
}

}  // extern "C"
