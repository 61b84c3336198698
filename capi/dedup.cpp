// C ABI: duplicate detection and undoable merge (crm/dedup.hpp; docs/dedup.md).
#include "capi_internal.hpp"
#include "crm/dedup.hpp"
#include "crm/entities.hpp"

using namespace crm::capi;

namespace {
int start(crm_db* db, char** out) {
    if (int rc = check_ptr(out, "out_json")) return rc;
    *out = nullptr;
    return check_db(db);
}
// A kind that can be deduplicated: CRM_CONTACT or CRM_ACCOUNT.
int kind_of(const crm_entity& e, crm::Entity& out) {
    if (int rc = check_entity(e)) return rc;
    const auto* info = crm::entity_info_by_c_code(entity_code(e));
    if (!info || (info->entity != crm::Entity::contact && info->entity != crm::Entity::account))
        return set_error(CRM_EINVALID, "kind: only contacts and accounts are deduplicated", "kind");
    out = info->entity;
    return CRM_OK;
}
}  // namespace

extern "C" {

CRM_API int crm_dedup_find(crm_db* db, crm_entity kind, int min_score, int64_t limit, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        crm::DuplicateQuery q;
        if (int rc = kind_of(kind, q.kind)) return rc;
        if (min_score < 0 || min_score > 100)
            return set_error(CRM_EINVALID, "min_score must be between 0 and 100", "min_score");
        if (limit < 1 || limit > 10000) return set_error(CRM_EINVALID, "limit must be between 1 and 10000", "limit");
        q.min_score = min_score;
        q.limit = static_cast<std::size_t>(limit);
        auto r = db->state->db.dedup().find(q);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_dedup_merge(crm_db* db, crm_entity kind, int64_t survivor_id, int64_t merged_id,
                            const char* options_json, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        crm::Entity k{};
        if (int rc = kind_of(kind, k)) return rc;
        crm::MergeOptions o;
        if (options_json) {
            nlohmann::json j;
            if (int rc = parse_json(options_json, "options_json", j)) return rc;
            if (!j.is_object()) return set_error(CRM_EINVALID, "options_json must be a JSON object", "options_json");
            for (auto it = j.begin(); it != j.end(); ++it) {
                if (it.key() == "dry_run") {
                    if (!it->is_boolean())
                        return set_error(CRM_EINVALID, "options_json: dry_run must be true or false", "dry_run");
                    o.dry_run = it->get<bool>();
                } else if (it.key() == "take_merged") {
                    if (!it->is_array())
                        return set_error(CRM_EINVALID, "options_json: take_merged must be an array of field names",
                                         "take_merged");
                    for (const auto& f : *it) {
                        if (!f.is_string())
                            return set_error(CRM_EINVALID, "options_json: take_merged must be an array of field names",
                                             "take_merged");
                        o.take_merged.push_back(f.get<std::string>());
                    }
                } else {
                    return set_error(CRM_EINVALID, "options_json: unknown key (dry_run, take_merged)", "options_json");
                }
            }
        }
        auto r = db->state->db.dedup().merge(k, survivor_id, merged_id, o);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_dedup_undo(crm_db* db, int64_t merge_id, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        auto r = db->state->db.dedup().undo(merge_id);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_dedup_get(crm_db* db, int64_t merge_id, char** out_json) {
    return guard([&] {
        if (int rc = start(db, out_json)) return rc;
        auto r = db->state->db.dedup().get(merge_id);
        if (!r) return set_error(r.error());
        return give(out_json, crm::to_json(r.value()));
    });
}

CRM_API int crm_dedup_merges(crm_db* db, const crm_entity* kind, int64_t limit, char** out_json_array) {
    return guard([&] {
        if (int rc = start(db, out_json_array)) return rc;
        std::optional<crm::Entity> k;
        if (kind) {
            crm::Entity e{};
            if (int rc = kind_of(*kind, e)) return rc;
            k = e;
        }
        if (limit < 1 || limit > 10000) return set_error(CRM_EINVALID, "limit must be between 1 and 10000", "limit");
        auto r = db->state->db.dedup().list(k, static_cast<std::size_t>(limit));
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_merged_into(crm_db* db, crm_entity kind, int64_t id, int64_t* out_id) {
    return guard([&] {
        if (int rc = check_ptr(out_id, "out_id")) return rc;
        *out_id = 0;
        if (int rc = check_db(db)) return rc;
        crm::Entity k{};
        if (int rc = kind_of(kind, k)) return rc;
        auto r = db->state->db.dedup().merged_into(k, id);
        if (!r) return set_error(r.error());
        *out_id = r.value().value_or(0);
        return CRM_OK;
    });
}

}  // extern "C"
