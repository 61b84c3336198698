// Sales entry points beyond crm_record_*: deal moves and stage history, the
// lost-reason catalogue, weighted amounts, pipeline stages, campaign deals.
#include <nlohmann/json.hpp>

#include "capi_internal.hpp"

using namespace crm::capi;

namespace {

int start_out(char** out, const char* out_name, const crm_db* db) noexcept {
    if (int rc = check_ptr(out, out_name)) return rc;
    *out = nullptr;
    return check_db(db);
}

template <class R>
int answer(char** out, const R& r) {
    if (!r) return set_error(r.error());
    return give(out, json_array(r.value()));
}

}  // namespace

extern "C" {

CRM_API int crm_deal_move(crm_db* db, int64_t deal_id, int64_t stage_id, const char* lost_reason_or_null) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        std::optional<std::string> reason;
        if (lost_reason_or_null) {
            if (int rc = check_text(lost_reason_or_null, "lost_reason")) return rc;
            reason = lost_reason_or_null;
        }
        return fail_or_ok(db->state->db.deals().move(deal_id, stage_id, reason));
    });
}

CRM_API int crm_deal_move_at(crm_db* db, int64_t deal_id, int64_t stage_id, const char* lost_reason_or_null,
                             int64_t at_ms) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        std::optional<std::string> reason;
        if (lost_reason_or_null) {
            if (int rc = check_text(lost_reason_or_null, "lost_reason")) return rc;
            reason = lost_reason_or_null;
        }
        return fail_or_ok(db->state->db.deals().move(deal_id, stage_id, reason,
                                                     at_ms ? std::optional<crm::Timestamp>(at_ms) : std::nullopt));
    });
}

CRM_API int crm_deal_stage_history(crm_db* db, int64_t deal_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start_out(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.deals().stage_history(deal_id));
    });
}

CRM_API int crm_deal_weighted(crm_db* db, int64_t deal_id, char** out_json) {
    return guard([&] {
        if (int rc = start_out(out_json, "out_json", db)) return rc;
        auto r = db->state->db.deals().weighted(deal_id);
        if (!r) return set_error(r.error());
        nlohmann::json j = {{"amount", r.value().amount}, {"currency", r.value().currency}};
        return give(out_json, j.dump());
    });
}

CRM_API int crm_lost_reason_define(crm_db* db, const char* name, int64_t* out_id) {
    return guard([&] {
        if (int rc = check_ptr(out_id, "out_id")) return rc;
        *out_id = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(name, "name")) return rc;
        auto r = db->state->db.deals().define_lost_reason(name);
        if (!r) return set_error(r.error());
        *out_id = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_lost_reason_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = start_out(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.deals().lost_reasons());
    });
}

CRM_API int crm_pipeline_stages(crm_db* db, int64_t pipeline_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start_out(out_json_array, "out_json_array", db)) return rc;
        auto r = db->state->db.pipelines().stages(pipeline_id);
        if (!r) return set_error(r.error());
        nlohmann::json a = nlohmann::json::array();
        for (const auto& s : r.value())
            a.push_back({{"id", s.id}, {"name", s.name}, {"probability", s.probability}, {"kind", crm::to_string(s.kind)}});
        return give(out_json_array, a.dump());
    });
}

CRM_API int crm_campaign_deals(crm_db* db, int64_t campaign_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start_out(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.campaigns().deals(campaign_id));
    });
}

CRM_API int crm_campaign_contacts(crm_db* db, int64_t campaign_id, char** out_json_array) {
    return guard([&] {
        if (int rc = start_out(out_json_array, "out_json_array", db)) return rc;
        return answer(out_json_array, db->state->db.campaigns().contacts(campaign_id));
    });
}

}  // extern "C"
