// crm_record_*: create, read, update (merge patch), delete, history, as-of
// reads, tags and custom values, for every entity kind — through
// crm::AnyRecords, so no kind is listed here.
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

#include "capi_internal.hpp"

using namespace crm::capi;

namespace {

// Common prologue: out pointer cleared, handle open, entity known.
template <class Out>
int start(Out* out, const char* out_name, const crm_db* db, const crm_entity& entity) noexcept {
    if (int rc = check_ptr(out, out_name)) return rc;
    *out = Out{};
    if (int rc = check_db(db)) return rc;
    return check_entity(entity);
}

int start(const crm_db* db, const crm_entity& entity) noexcept {
    if (int rc = check_db(db)) return rc;
    return check_entity(entity);
}

// A custom value from its JSON text: null, string, integer, bool; a JSON
// number with a fraction is kept as its decimal text.
int parse_value(const char* text, crm::FieldValue& out) {
    nlohmann::json j;
    if (int rc = parse_json(text, "value_json", j)) return rc;
    if (j.is_null()) out = std::monostate{};
    else if (j.is_string()) out = j.get<std::string>();
    else if (j.is_boolean()) out = j.get<bool>();
    else if (j.is_number_unsigned() &&
             j.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return set_error(CRM_EINVALID, "value_json is out of the 64-bit integer range", "value_json");
    else if (j.is_number_integer()) out = j.get<std::int64_t>();
    else if (j.is_number_float()) out = j.dump();
    else return set_error(CRM_EINVALID, "value_json must be a string, number, true/false or null", "value_json");
    return CRM_OK;
}

// Hands a document result to *out, or reports the failure.
int give_doc(char** out, const crm::result<std::string>& r) {
    return r ? give(out, r.value()) : set_error(r.error());
}

}  // namespace

extern "C" {

CRM_API int crm_record_create(crm_db* db, crm_entity entity, const char* json, int64_t* out_id) {
    return guard([&] {
        if (int rc = start(out_id, "out_id", db, entity)) return rc;
        if (int rc = check_text(json, "json")) return rc;
        auto id = records_of(db, entity).create(json);
        if (!id) return set_error(id.error());
        *out_id = id.value();
        return CRM_OK;
    });
}

CRM_API int crm_record_get(crm_db* db, crm_entity entity, int64_t id, char** out_json) {
    return guard([&] {
        if (int rc = start(out_json, "out_json", db, entity)) return rc;
        return give_doc(out_json, records_of(db, entity).get(id));
    });
}

CRM_API int crm_record_get_by_external_id(crm_db* db, crm_entity entity, const char* external_id, char** out_json) {
    return guard([&] {
        if (int rc = start(out_json, "out_json", db, entity)) return rc;
        if (int rc = check_text(external_id, "external_id")) return rc;
        return give_doc(out_json, records_of(db, entity).get_by_external_id(external_id));
    });
}

CRM_API int crm_record_update(crm_db* db, crm_entity entity, int64_t id, const char* json_merge_patch) {
    return guard([&] {
        if (int rc = start(db, entity)) return rc;
        if (int rc = check_text(json_merge_patch, "json_merge_patch")) return rc;
        // Read, patch and write atomically (crm::Records<T>::patch).
        auto r = records_of(db, entity).patch(id, json_merge_patch);
        return r ? CRM_OK : set_error(r.error());
    });
}

CRM_API int crm_record_delete(crm_db* db, crm_entity entity, int64_t id) {
    return guard([&] {
        if (int rc = start(db, entity)) return rc;
        return fail_or_ok(records_of(db, entity).remove(id));
    });
}

CRM_API int crm_record_history(crm_db* db, crm_entity entity, int64_t id, char** out_json_array) {
    return guard([&] {
        if (int rc = start(out_json_array, "out_json_array", db, entity)) return rc;
        auto r = records_of(db, entity).history(id);
        return r ? give(out_json_array, json_array(r.value())) : set_error(r.error());
    });
}

CRM_API int crm_record_get_as_of(crm_db* db, crm_entity entity, int64_t id, int64_t at_ms, char** out_json) {
    return guard([&] {
        if (int rc = start(out_json, "out_json", db, entity)) return rc;
        return give_doc(out_json, records_of(db, entity).get_as_of(id, at_ms));
    });
}

CRM_API int crm_record_add_tag(crm_db* db, crm_entity entity, int64_t id, const char* tag) {
    return guard([&] {
        if (int rc = start(db, entity)) return rc;
        if (int rc = check_text(tag, "tag")) return rc;
        return fail_or_ok(records_of(db, entity).add_tag(id, tag));
    });
}

CRM_API int crm_record_remove_tag(crm_db* db, crm_entity entity, int64_t id, const char* tag) {
    return guard([&] {
        if (int rc = start(db, entity)) return rc;
        if (int rc = check_text(tag, "tag")) return rc;
        return fail_or_ok(records_of(db, entity).remove_tag(id, tag));
    });
}

CRM_API int crm_record_set_custom(crm_db* db, crm_entity entity, int64_t id, const char* field,
                                  const char* value_json) {
    return guard([&] {
        if (int rc = start(db, entity)) return rc;
        if (int rc = check_text(field, "field")) return rc;
        if (int rc = check_text(value_json, "value_json")) return rc;
        crm::FieldValue value;
        if (int rc = parse_value(value_json, value)) return rc;
        return fail_or_ok(records_of(db, entity).set_custom(id, field, value));
    });
}

}  // extern "C"
