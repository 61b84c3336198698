// C ABI for interactions: the appender (bulk ingest), one-call ingest, email
// tracking and timelines. Records themselves go through crm_record_* (CRM_INTERACTION).
#include <nlohmann/json.hpp>

#include "capi_internal.hpp"
#include "crm/interactions.hpp"

struct crm_appender {
    std::shared_ptr<crm::capi::DbState> state;
    std::vector<crm::Interaction> buffer;
    std::int64_t inserted = 0, duplicates = 0;
    bool closed = false;
};

using namespace crm::capi;

namespace {
int check_appender(const crm_appender* a) noexcept {
    if (int rc = check_ptr(a, "appender")) return rc;
    if (a->closed) return set_error(CRM_ECLOSED, "appender is closed");
    if (!a->state || !a->state->db.is_open()) return set_error(CRM_ECLOSED, "appender's database handle is closed");
    return CRM_OK;
}

int flush_buffer(crm_appender* a) {
    if (a->buffer.empty()) return CRM_OK;
    std::vector<crm::Interaction> items;
    items.swap(a->buffer);  // dropped whatever happens
    auto r = a->state->db.interactions().ingest(items);
    if (!r) return set_error(r.error());
    a->inserted += static_cast<std::int64_t>(r.value().inserted);
    a->duplicates += static_cast<std::int64_t>(r.value().duplicates);
    return CRM_OK;
}

std::string result_json(const crm::IngestResult& r) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& it : r.items) {
        nlohmann::json j = {{"status", crm::to_string(it.status)}};
        if (it.id) j["id"] = it.id;
        if (!it.message.empty()) j["message"] = it.message;
        if (!it.field.empty()) j["field"] = it.field;
        items.push_back(std::move(j));
    }
    return nlohmann::json{{"inserted", r.inserted}, {"duplicates", r.duplicates}, {"failed", r.failed},
                          {"first_id", r.first_id}, {"last_id", r.last_id}, {"items", std::move(items)}}
        .dump();
}
}  // namespace

extern "C" {

CRM_API int crm_appender_open(crm_appender** out, crm_db* db) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_db(db)) return rc;
        auto a = std::make_unique<crm_appender>();
        a->state = db->state;
        a->buffer.reserve(1024);
        *out = a.release();
        return CRM_OK;
    });
}

CRM_API int crm_appender_append(crm_appender* a, const char* interaction_json) {
    return guard([&] {
        if (int rc = check_appender(a)) return rc;
        if (int rc = check_text(interaction_json, "interaction_json")) return rc;
        auto v = crm::interaction_from_json(interaction_json);
        if (!v) return set_error(v.error());
        a->buffer.push_back(std::move(v.value()));
        if (a->buffer.size() >= CRM_APPENDER_BATCH) return flush_buffer(a);
        return CRM_OK;
    });
}

CRM_API int crm_appender_flush(crm_appender* a, int64_t* out_inserted, int64_t* out_duplicates) {
    // The totals since crm_appender_open are written whatever happens (0 without an appender).
    if (out_inserted) *out_inserted = 0;
    if (out_duplicates) *out_duplicates = 0;
    return guard([&] {
        int rc = check_appender(a);
        if (rc == CRM_OK) rc = flush_buffer(a);
        if (a) {
            if (out_inserted) *out_inserted = a->inserted;
            if (out_duplicates) *out_duplicates = a->duplicates;
        }
        return rc;
    });
}

CRM_API int crm_appender_close(crm_appender* a) {
    return guard([&] {
        if (int rc = check_appender(a)) return rc;
        int rc = flush_buffer(a);
        a->closed = true;
        return rc;
    });
}

CRM_API void crm_appender_free(crm_appender* a) { delete a; }

CRM_API int crm_interaction_ingest(crm_db* db, const char* json_array, int per_item, const char* source,
                                   char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(json_array, "json_array")) return rc;
        if (source) {
            if (int rc = check_text(source, "source")) return rc;
        }
        nlohmann::json j;
        if (int rc = parse_json(json_array, "json_array", j)) return rc;
        if (!j.is_array())
            return set_error(CRM_EINVALID, "json_array: must be a JSON array of interaction documents", "json_array");
        std::vector<crm::Interaction> items;
        items.reserve(j.size());
        for (std::size_t i = 0; i < j.size(); ++i) {
            auto v = crm::interaction_from_json(j[i].dump());
            if (!v) {
                auto e = v.error();
                e.message = "items[" + std::to_string(i) + "]: " + e.message;
                e.field = "items[" + std::to_string(i) + "]." + e.field;
                return set_error(e);
            }
            items.push_back(std::move(v.value()));
        }
        crm::IngestOptions o;
        o.per_item = per_item != 0;
        if (source) o.source = source;
        auto r = db->state->db.interactions().ingest(items, o);
        if (!r) return set_error(r.error());
        return give(out_json, result_json(r.value()));
    });
}

CRM_API int crm_interaction_track(crm_db* db, int64_t interaction_id, const char* event, int64_t at_ms,
                                  const char* url, int64_t* out_event_id) {
    return guard([&] {
        if (out_event_id) *out_event_id = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(event, "event")) return rc;
        if (url) {
            if (int rc = check_text(url, "url")) return rc;
        }
        auto type = crm::email_event_from_string(event);
        if (!type)
            return set_error(CRM_EINVALID,
                             "event: not one of sent, delivered, opened, clicked, bounced, unsubscribed", "event");
        crm::EmailEvent ev;
        ev.type = *type;
        ev.at = at_ms;
        if (url) ev.url = url;
        auto r = db->state->db.interactions().track(interaction_id, ev);
        if (!r) return set_error(r.error());
        if (out_event_id) *out_event_id = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_interaction_track_event(crm_db* db, int64_t interaction_id, const char* event_json,
                                        int64_t* out_event_id) {
    return guard([&] {
        if (out_event_id) *out_event_id = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(event_json, "event_json")) return rc;
        auto ev = crm::email_event_from_json(event_json);
        if (!ev) return set_error(ev.error());
        auto r = db->state->db.interactions().track(interaction_id, ev.value());
        if (!r) return set_error(r.error());
        if (out_event_id) *out_event_id = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_interaction_email_events(crm_db* db, int64_t interaction_id, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.interactions().email_events(interaction_id);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_timeline(crm_db* db, crm_entity entity, int64_t id, const char* query_json, crm_cursor** out) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_entity(entity)) return rc;
        crm::TimelineQuery q;
        if (query_json) {
            if (int rc = check_text(query_json, "query_json")) return rc;
            auto parsed = crm::timeline_query_from_json(query_json);
            if (!parsed) return set_error(parsed.error());
            q = std::move(parsed.value());
            if (!q.after.empty()) {
                auto after = decode_page_token(q.after);
                if (!after) return set_error(CRM_EINVALID, "after: is not a token from crm_cursor_next_page_token", "after");
                q.after = std::move(*after);
            }
        }
        auto page = db->state->db.interactions().timeline(to_entity(entity), id, q);
        if (!page) return set_error(page.error());
        auto cursor = std::make_unique<crm_cursor>();
        cursor->state = db->state;
        cursor->items.reserve(page.value().items.size());
        for (const auto& item : page.value().items) cursor->items.push_back(crm::to_json(item));
        cursor->next = std::move(page.value().next);
        *out = cursor.release();
        return CRM_OK;
    });
}

}  // extern "C"
