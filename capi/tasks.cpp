// C ABI: task reminders and due queries (tasks themselves are crm_record_* with CRM_TASK).
#include <nlohmann/json.hpp>

#include "capi_internal.hpp"
#include "crm/tasks.hpp"

using namespace crm::capi;

namespace {
// Accepts integer UTC ms or an ISO-8601 string.
int read_time(const nlohmann::json& j, const char* key, std::optional<crm::Timestamp>& out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return CRM_OK;
    if (it->is_number_integer()) { out = it->get<crm::Timestamp>(); return CRM_OK; }
    if (it->is_string()) {
        if (auto t = crm::parse_iso8601(it->get<std::string>())) { out = *t; return CRM_OK; }
    }
    return set_error(CRM_EINVALID, std::string(key) + ": must be UTC milliseconds or an ISO-8601 time", key);
}
}  // namespace

CRM_API int crm_task_claim_due_reminders(crm_db* db, int64_t now_ms, size_t limit, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.tasks().claim_due_reminders(now_ms ? now_ms : crm::now_ms(), limit, "c-api");
        if (!r) return set_error(r.error());
        return give(out_json, json_array(r.value()));
    });
}

CRM_API int crm_task_release_reminder(crm_db* db, int64_t task_id) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        return fail_or_ok(db->state->db.tasks().release_reminder(task_id));
    });
}

CRM_API int crm_task_due(crm_db* db, const char* query_json, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;  // cleared on every failure (found by fuzz_options)
        if (int rc = check_db(db)) return rc;
        crm::DueQuery q;
        q.now = crm::now_ms();
        if (query_json) {
            if (int rc = check_text(query_json, "query_json")) return rc;
            nlohmann::json j;
            if (int rc = parse_json(query_json, "query_json", j)) return rc;
            if (!j.is_object()) return set_error(CRM_EINVALID, "query_json: must be a JSON object", "query_json");
            for (auto it = j.begin(); it != j.end(); ++it) {
                static const char* const known[] = {"window", "now", "tz", "from", "to", "assignee_id", "limit", "after"};
                bool ok = false;
                for (auto* k : known) ok = ok || it.key() == k;
                if (!ok) return set_error(CRM_EINVALID, it.key() + ": is not a known key", it.key());
            }
            if (auto it = j.find("window"); it != j.end()) {
                const std::string w = it->is_string() ? it->get<std::string>() : "";
                if (w == "today") q.window = crm::DueWindow::today;
                else if (w == "overdue") q.window = crm::DueWindow::overdue;
                else if (w == "range") q.window = crm::DueWindow::range;
                else return set_error(CRM_EINVALID, "window: must be \"today\", \"overdue\" or \"range\"", "window");
            }
            std::optional<crm::Timestamp> now;
            if (int rc = read_time(j, "now", now)) return rc;
            if (now) q.now = *now;
            if (int rc = read_time(j, "from", q.from)) return rc;
            if (int rc = read_time(j, "to", q.to)) return rc;
            if (auto it = j.find("tz"); it != j.end()) {
                if (!it->is_string()) return set_error(CRM_EINVALID, "tz: must be a UTC offset like \"+09:00\"", "tz");
                auto off = crm::parse_utc_offset(it->get<std::string>());
                if (!off) return set_error(off.error());
                q.utc_offset_minutes = off.value();
            }
            if (auto it = j.find("assignee_id"); it != j.end() && !it->is_null()) {
                if (!it->is_number_integer()) return set_error(CRM_EINVALID, "assignee_id: must be an integer", "assignee_id");
                q.assignee_id = it->get<int64_t>();
            }
            if (auto it = j.find("limit"); it != j.end()) {
                if (!it->is_number_unsigned()) return set_error(CRM_EINVALID, "limit: must be 1..10000", "limit");
                q.limit = it->get<std::size_t>();
            }
            if (auto it = j.find("after"); it != j.end() && !it->is_null()) {
                if (!it->is_string()) return set_error(CRM_EINVALID, "after: must be a string", "after");
                q.after = it->get<std::string>();
            }
        }
        auto r = db->state->db.tasks().due(q);
        if (!r) return set_error(r.error());
        std::string out = "{\"items\":" + json_array(r.value().items) + ",\"next\":" + nlohmann::json(r.value().next).dump() + "}";
        return give(out_json, out);
    });
}

// ---- added with issue 8 (parity with the C++ API) ----------------------------------
extern "C" {

CRM_API int crm_task_for_record(crm_db* db, crm_entity entity, int64_t id, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_entity(entity)) return rc;
        auto r = db->state->db.tasks().for_record(to_entity(entity), id);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_task_dispatch_reminders(crm_db* db, int64_t now_ms, size_t limit, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        // Copied now: the hook may replace itself (or its payload) while it runs.
        const crm_reminder_fn hook = db->state->reminder_hook;
        void* const payload = db->state->reminder_payload;
        if (!hook)
            return set_error(CRM_EINVALID, "no reminder hook: register one with crm_db_set_reminder_hook", "hook");
        auto state = db->state;  // kept alive while the hook runs
        auto r = state->db.tasks().dispatch_reminders(
            now_ms ? now_ms : crm::now_ms(),
            [&](const crm::Reminder& rem) { return hook(crm::to_json(rem).c_str(), payload) == 0; }, limit, "c-api");
        if (!r) return set_error(r.error());
        nlohmann::json j = {{"delivered", r.value().delivered}, {"failed", r.value().failed}};
        return give(out_json, j.dump());
    });
}

CRM_API int crm_task_reminder_delivered_at(crm_db* db, int64_t task_id, int64_t* out_at_ms) {
    return guard([&] {
        if (int rc = check_ptr(out_at_ms, "out_at_ms")) return rc;
        *out_at_ms = 0;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.tasks().reminder_delivered_at(task_id);
        if (!r) return set_error(r.error());
        *out_at_ms = r.value().value_or(0);
        return CRM_OK;
    });
}

}  // extern "C"
