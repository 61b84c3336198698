// Saved segments (docs/segments.md): define, look up and remove by name, validate an
// expression, count members and page through them. Segments are records too
// (CRM_SEGMENT in crm_record_*: get, patch, list, history, as-of).
#include "capi_internal.hpp"

#include <nlohmann/json.hpp>

#include "crm/segments.hpp"

using namespace crm::capi;

namespace {

int start(char** out, const char* out_name, const crm_db* db) noexcept {
    if (int rc = check_ptr(out, out_name)) return rc;
    *out = nullptr;
    return check_db(db);
}

// Exactly one of segment_id (> 0) and expr (non-NULL).
int check_target(int64_t segment_id, const char* expr) noexcept {
    if ((segment_id > 0) == (expr != nullptr))
        return set_error(CRM_EINVALID, "give either a segment id (> 0) or an expression (not both)", "segment_id");
    if (expr) return check_text(expr, "expr");
    return CRM_OK;
}

}  // namespace

extern "C" {

CRM_API int crm_segment_define(crm_db* db, const char* name, const char* definition, const char* description,
                               int64_t* out_id) {
    return guard([&] {
        if (int rc = check_ptr(out_id, "out_id")) return rc;
        *out_id = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        if (int rc = check_text(definition, "definition")) return rc;
        if (description)
            if (int rc = check_text(description, "description")) return rc;
        crm::Segment s;
        s.name = name;
        s.definition = definition;
        if (description) s.description = description;
        auto r = db->state->db.segments().define(s);
        if (!r) return set_error(r.error());
        *out_id = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_segment_get_by_name(crm_db* db, const char* name, char** out_json) {
    return guard([&] {
        if (int rc = start(out_json, "out_json", db)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.segments().get_by_name(name);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_segment_remove_by_name(crm_db* db, const char* name) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        return fail_or_ok(db->state->db.segments().remove_by_name(name));
    });
}

CRM_API int crm_segment_validate(crm_db* db, const char* expr, char** out_json_array) {
    return guard([&] {
        if (int rc = start(out_json_array, "out_json_array", db)) return rc;
        if (int rc = check_text(expr, "expr")) return rc;
        auto r = db->state->db.segments().validate(expr);
        if (!r) return set_error(r.error());
        nlohmann::json a = nlohmann::json::array();
        for (const auto& i : r.value())
            a.push_back({{"offset", i.offset}, {"line", i.line}, {"column", i.column}, {"message", i.message}});
        return give(out_json_array, a.dump());
    });
}

CRM_API int crm_segment_count(crm_db* db, int64_t segment_id, const char* expr, int64_t as_of_ms,
                              int64_t* out_count) {
    return guard([&] {
        if (int rc = check_ptr(out_count, "out_count")) return rc;
        *out_count = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_target(segment_id, expr)) return rc;
        auto seg = db->state->db.segments();
        auto r = expr ? seg.count_expr(expr, {as_of_ms}) : seg.count(segment_id, {as_of_ms});
        if (!r) return set_error(r.error());
        *out_count = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_segment_contacts(crm_db* db, int64_t segment_id, const char* expr, size_t limit, const char* after,
                                 int64_t as_of_ms, int ids_only, char** out_json) {
    return guard([&] {
        if (int rc = start(out_json, "out_json", db)) return rc;
        if (int rc = check_target(segment_id, expr)) return rc;
        if (after)
            if (int rc = check_text(after, "after")) return rc;
        crm::ListOptions o;
        o.limit = limit;
        if (after) o.after = after;
        auto seg = db->state->db.segments();
        nlohmann::json page = nlohmann::json::object();
        if (ids_only) {
            auto r = expr ? seg.contact_ids_expr(expr, o, {as_of_ms}) : seg.contact_ids(segment_id, o, {as_of_ms});
            if (!r) return set_error(r.error());
            page["items"] = r.value().items;
            page["next"] = r.value().next;
        } else {
            auto r = expr ? seg.contacts_expr(expr, o, {as_of_ms}) : seg.contacts(segment_id, o, {as_of_ms});
            if (!r) return set_error(r.error());
            nlohmann::json items = nlohmann::json::array();
            for (const auto& c : r.value().items) items.push_back(nlohmann::json::parse(crm::to_json(c)));
            page["items"] = std::move(items);
            page["next"] = r.value().next;
        }
        return give(out_json, page.dump());
    });
}

}  // extern "C"
