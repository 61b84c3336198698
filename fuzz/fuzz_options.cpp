// fuzz_options: the other documents and strings callers pass.
//
// Input: byte 0 picks the parser, byte 1 a variant, the rest is the text:
//   b % 8 == 0  crm_custom_field_define(def_json)
//   b % 8 == 1  crm_calendar_define(json)
//   b % 8 == 2  crm_sla_policy_define(json)
//   b % 8 == 3  crm_timeline(kind, id, query_json) on a seeded contact, account, deal or ticket
//   b % 8 == 4  crm_task_due(query_json)
//   b % 8 == 5  crm_record_set_custom(contact, <seeded field>, value_json)
//   b % 8 == 6  crm_document_write(meta_json, content): the text up to the first
//               newline is the metadata, the bytes after it the content
//   b % 8 == 7  string arguments: ticket status, email event + url, tags,
//               lookups by email and external id
// Checks, inside a transaction rolled back after each input: the status
// contract (fuzz_common); a refused call changes nothing that the matching
// list or get shows; an accepted definition is listed under its id and
// defining it again is idempotent; documents handed back parse; pages hold
// at most their limit, a timeline newest first; content written is read back
// byte for byte.
#include <algorithm>
#include <cstring>

#include "fuzz_common.hpp"

using fuzz::last_error;

namespace {

std::string take(int rc, char* s) {
    std::string out = rc == CRM_OK && s ? s : "";
    crm_free(s);
    return out;
}

std::string all_custom_fields() {
    std::string all;
    for (int k = 1; k <= 12; ++k) {
        char* s = nullptr;
        int rc = crm_custom_field_list(fuzz::db(), static_cast<crm_entity>(k), &s);
        FUZZ_CHECK(rc == CRM_OK, "crm_custom_field_list: " + last_error());
        all += take(rc, s) + "\n";
    }
    return all;
}

void custom_field_define(const std::string& text, const std::string& what) {
    const std::string before = all_custom_fields();
    int64_t id = -1;
    const int rc =
        fuzz::check_status(crm_custom_field_define(fuzz::db(), text.c_str(), &id), "crm_custom_field_define");
    if (rc != CRM_OK) {
        FUZZ_CHECK(id == 0 && all_custom_fields() == before, what + ": a refused definition changed something");
        return;
    }
    nlohmann::json def;
    FUZZ_CHECK(fuzz::acceptable("crm_custom_field_define", text, def) && def.is_object(),
               what + ": accepted text that is not a UTF-8 JSON object without duplicate keys");
    FUZZ_CHECK(id > 0, what + ": id " + std::to_string(id));
    const std::string after = all_custom_fields();
    FUZZ_CHECK(after != before && after.find("\"id\":" + std::to_string(id) + ",") != std::string::npos,
               what + ": the new definition is not listed: " + after);
    // Found again by its entity and name, as it is listed.
    for (int k = 1; k <= 12; ++k) {
        char* s = nullptr;
        FUZZ_CHECK(crm_custom_field_list(fuzz::db(), static_cast<crm_entity>(k), &s) == CRM_OK, last_error());
        const auto list = fuzz::parse_out(s, "crm_custom_field_list");
        crm_free(s);
        for (const auto& d : list) {
            if (d.value("id", int64_t{0}) != id) continue;
            const std::string name = d.value("name", "");
            char* got = nullptr;
            const auto kind = static_cast<crm_entity>(k);
            int grc = fuzz::check_status(crm_custom_field_get(fuzz::db(), kind, name.c_str(), &got),
                                         "crm_custom_field_get");
            FUZZ_CHECK(grc == CRM_OK, what + ": listed as " + d.dump() + " but not found by name: " + last_error());
            FUZZ_CHECK(fuzz::parse_out(got, "crm_custom_field_get") == d, what + ": get and list differ");
            crm_free(got);
            grc = fuzz::check_status(crm_custom_field_remove(fuzz::db(), kind, name.c_str()),
                                     "crm_custom_field_remove");
            FUZZ_CHECK(grc == CRM_OK, what + ": an unused field cannot be removed: " + last_error());
            FUZZ_CHECK(all_custom_fields() == before, what + ": removing it does not restore the list");
            return;
        }
    }
    FUZZ_CHECK(false, what + ": id " + std::to_string(id) + " is in no entity's list");
}

// Calendars and SLA policies: define, list; an existing name is replaced.
using DefineFn = int (*)(crm_db*, const char*, int64_t*);
using ListFn = int (*)(crm_db*, char**);

void named_define(DefineFn define, ListFn list, const char* name, const std::string& text, const std::string& what) {
    auto listed = [&] {
        char* s = nullptr;
        const int rc = list(fuzz::db(), &s);
        FUZZ_CHECK(rc == CRM_OK, std::string(name) + " list: " + last_error());
        const auto j = fuzz::parse_out(s, name);
        crm_free(s);
        FUZZ_CHECK(j.is_array(), what + ": the list is not an array");
        return j;
    };
    const auto before = listed();
    int64_t id = -1;
    const int rc = fuzz::check_status(define(fuzz::db(), text.c_str(), &id), name);
    if (rc != CRM_OK) {
        FUZZ_CHECK(id == 0 && listed() == before, what + ": a refused definition changed the list");
        return;
    }
    nlohmann::json def;
    FUZZ_CHECK(fuzz::acceptable(name, text, def) && def.is_object(),
               what + ": accepted text that is not a UTF-8 JSON object without duplicate keys");
    const auto after = listed();
    FUZZ_CHECK(after.size() == before.size() || after.size() == before.size() + 1, what + ": list size");
    const auto it =
        std::find_if(after.begin(), after.end(), [&](const auto& d) { return d.value("id", int64_t{0}) == id; });
    FUZZ_CHECK(it != after.end(), what + ": id " + std::to_string(id) + " is not listed: " + after.dump());
    int64_t id2 = -1;
    const int rc2 = fuzz::check_status(define(fuzz::db(), text.c_str(), &id2), name);
    FUZZ_CHECK(rc2 == CRM_OK && id2 == id,
               what + ": defining it again gave " + std::to_string(id2) + ": " + last_error());
    FUZZ_CHECK(listed() == after, what + ": defining it again changed the list");
    // What was listed goes back in as it is (the id is ignored or the same).
    const std::string listed_doc = it->dump();
    const int rc3 = fuzz::check_status(define(fuzz::db(), listed_doc.c_str(), &id2), name);
    FUZZ_CHECK(rc3 == CRM_OK && id2 == id,
               what + ": its listed document " + listed_doc + " was refused: " + last_error());
    FUZZ_CHECK(listed() == after, what + ": defining its listed document changed the list");
}

void timeline(uint8_t variant, const std::string& text, const std::string& what) {
    static const crm_entity kinds[] = {CRM_CONTACT, CRM_ACCOUNT, CRM_DEAL, CRM_TICKET};
    const crm_entity kind = kinds[variant % 4];
    const int64_t id = fuzz::seeded().ids[kind][0];
    crm_cursor* cur = reinterpret_cast<crm_cursor*>(1);
    const int rc = fuzz::check_status(crm_timeline(fuzz::db(), kind, id, text.c_str(), &cur), "crm_timeline");
    if (rc != CRM_OK) {
        FUZZ_CHECK(cur == nullptr, what + ": cursor not cleared on failure");
        return;
    }
    // "" and null mean no query (crm::timeline_query_from_json), as NULL does.
    nlohmann::json q = nlohmann::json::object();
    FUZZ_CHECK(text.empty() || (fuzz::acceptable("crm_timeline", text, q) && (q.is_object() || q.is_null())),
               what + ": accepted a query that is not a UTF-8 JSON object without duplicate keys");
    if (q.is_null()) q = nlohmann::json::object();
    const char* doc = nullptr;
    size_t n = 0;
    std::string newer;  // newest first: ISO-8601 UTC texts of one length compare as times
    while (crm_cursor_next(cur, &doc) == CRM_OK) {
        const auto j = fuzz::parse_out(doc, "timeline item");
        FUZZ_CHECK(j.is_object() && j["occurred_at"].is_string(), what + ": item " + j.dump());
        const std::string at = j["occurred_at"];
        FUZZ_CHECK(n == 0 || at.size() != newer.size() || at <= newer, what + ": " + at + " listed after " + newer);
        newer = at;
        ++n;
    }
    const size_t limit = q.contains("limit") && q["limit"].is_number_unsigned() ? q["limit"].get<size_t>() : 50;
    FUZZ_CHECK(n <= limit, what + ": " + std::to_string(n) + " items over the limit");
    crm_cursor_free(cur);
}

void task_due(const std::string& text, const std::string& what) {
    char* out = reinterpret_cast<char*>(1);
    const int rc = fuzz::check_status(crm_task_due(fuzz::db(), text.c_str(), &out), "crm_task_due");
    if (rc != CRM_OK) {
        FUZZ_CHECK(out == nullptr, what + ": out_json not cleared on failure");
        return;
    }
    nlohmann::json q;
    FUZZ_CHECK(fuzz::acceptable("crm_task_due", text, q) && q.is_object(),
               what + ": accepted a query that is not a UTF-8 JSON object without duplicate keys");
    const auto r = fuzz::parse_out(out, "crm_task_due");
    crm_free(out);
    FUZZ_CHECK(r.is_object() && r["items"].is_array() && r["next"].is_string(), what + ": result " + r.dump());
    if (q.contains("limit")) FUZZ_CHECK(r["items"].size() <= q["limit"].get<size_t>(), what + ": over the limit");
}

void set_custom(uint8_t variant, const std::string& text, const std::string& what) {
    const auto& fields = fuzz::seeded().custom_fields;
    const std::string field = fields[variant % fields.size()];
    const int64_t id = fuzz::seeded().ids[CRM_CONTACT][variant / fields.size() % 2];
    const std::string before = fuzz::get(CRM_CONTACT, id);
    const int rc = fuzz::check_status(crm_record_set_custom(fuzz::db(), CRM_CONTACT, id, field.c_str(), text.c_str()),
                                      "crm_record_set_custom");
    const std::string after = fuzz::get(CRM_CONTACT, id);
    if (rc != CRM_OK) {
        FUZZ_CHECK(after == before, what + ": a refused value changed the record");
        return;
    }
    nlohmann::json v;
    FUZZ_CHECK(fuzz::acceptable("crm_record_set_custom", text, v), what + ": accepted text that is not JSON");
    const auto a = fuzz::parse_out(after.c_str(), "get");
    const auto& custom = a["custom"];
    if (v.is_null())
        FUZZ_CHECK(!custom.is_object() || !custom.contains(field) || custom[field].is_null(),
                   what + ": null did not clear " + field + ": " + after);
    else
        FUZZ_CHECK(custom.is_object() && custom.contains(field) && !custom[field].is_null(),
                   what + ": " + field + " is not set: " + after);
    // The value as the record shows it goes back in and changes nothing.
    const std::string shown = custom.is_object() && custom.contains(field) ? custom[field].dump() : "null";
    const int rc2 = fuzz::check_status(crm_record_set_custom(fuzz::db(), CRM_CONTACT, id, field.c_str(), shown.c_str()),
                                       "crm_record_set_custom");
    FUZZ_CHECK(rc2 == CRM_OK, what + ": the stored value " + shown + " was refused: " + last_error());
    FUZZ_CHECK(fuzz::without_managed(fuzz::parse_out(fuzz::get(CRM_CONTACT, id).c_str(), "get")) ==
                   fuzz::without_managed(a),
               what + ": setting the stored value " + shown + " again changed the record");
}

void document_write(const uint8_t* data, size_t size, const std::string& what) {
    const uint8_t* nl = static_cast<const uint8_t*>(std::memchr(data, '\n', size));
    const size_t meta_len = nl ? static_cast<size_t>(nl - data) : size;
    const std::string meta = fuzz::text_of(data, meta_len);
    const uint8_t* content = nl ? nl + 1 : data + size;
    const size_t content_len = static_cast<size_t>(data + size - content);
    const int64_t before = fuzz::count(CRM_DOCUMENT);
    int64_t id = -1;
    const int rc = fuzz::check_status(crm_document_write(fuzz::db(), meta.c_str(), content, content_len, &id),
                                      "crm_document_write");
    if (rc != CRM_OK) {
        FUZZ_CHECK(id == 0 && fuzz::count(CRM_DOCUMENT) == before, what + ": a refused write stored something");
        return;
    }
    nlohmann::json m;
    FUZZ_CHECK(fuzz::acceptable("crm_document_write", meta, m) && m.is_object(),
               what + ": accepted metadata that is not a UTF-8 JSON object without duplicate keys");
    FUZZ_CHECK(fuzz::count(CRM_DOCUMENT) == before + 1, what + ": count did not grow by one");
    const auto doc = fuzz::parse_out(fuzz::get(CRM_DOCUMENT, id).c_str(), "get");
    FUZZ_CHECK(doc.value("size", int64_t{-1}) == static_cast<int64_t>(content_len) && doc.value("has_content", false) &&
                   doc.value("sha256", "").size() == 64,
               what + ": stored " + doc.dump());
    crm_doc_reader* r = nullptr;
    int64_t n = -1;
    FUZZ_CHECK(crm_doc_reader_open(fuzz::db(), id, 1, &r, &n) == CRM_OK && n == static_cast<int64_t>(content_len),
               what + ": crm_doc_reader_open: " + last_error());
    std::string back;
    char buf[997];
    size_t got = 0;
    int rrc;
    while ((rrc = crm_doc_reader_read(r, buf, sizeof buf, &got)) == CRM_OK && got > 0) back.append(buf, got);
    FUZZ_CHECK(rrc == CRM_OK, what + ": crm_doc_reader_read: " + last_error());
    crm_doc_reader_free(r);
    FUZZ_CHECK(back == std::string(reinterpret_cast<const char*>(content), content_len), what + ": content differs");
}

void strings(uint8_t variant, const std::string& text, const std::string& what) {
    crm_db* db = fuzz::db();
    const auto& s = fuzz::seeded();
    const char* t = text.c_str();
    switch (variant % 6) {
    case 0: {
        const int64_t id = s.ids[CRM_TICKET][0];
        const std::string before = fuzz::get(CRM_TICKET, id);
        if (fuzz::check_status(crm_ticket_transition(db, id, t), "crm_ticket_transition") != CRM_OK)
            FUZZ_CHECK(fuzz::get(CRM_TICKET, id) == before, what + ": a refused transition changed the ticket");
        break;
    }
    case 1: {
        // The seeded email interaction (the second), an event name and a url.
        const int64_t id = s.ids[CRM_INTERACTION][1];
        const size_t nl = text.find('\n');
        const std::string event = text.substr(0, nl), url = nl == std::string::npos ? "" : text.substr(nl + 1);
        int64_t ev = -1;
        const int rc = fuzz::check_status(
            crm_interaction_track(db, id, event.c_str(), 0, nl == std::string::npos ? nullptr : url.c_str(), &ev),
            "crm_interaction_track");
        FUZZ_CHECK(rc == CRM_OK ? ev > 0 : ev == 0, what + ": event id " + std::to_string(ev));
        char* out = nullptr;
        FUZZ_CHECK(crm_interaction_email_events(db, id, &out) == CRM_OK, last_error());
        fuzz::parse_out(out, "crm_interaction_email_events");
        crm_free(out);
        break;
    }
    case 2:
    case 3: {
        const crm_entity kind = fuzz::kind_of(variant / 6);
        const int64_t id = s.ids[kind][0];
        const std::string before = fuzz::get(kind, id);
        const int rc = fuzz::check_status(variant % 6 == 2 ? crm_record_add_tag(db, kind, id, t)
                                                           : crm_record_remove_tag(db, kind, id, t),
                                          "crm_record_add_tag/remove_tag");
        const std::string after = fuzz::get(kind, id);
        if (rc != CRM_OK) FUZZ_CHECK(after == before, what + ": a refused tag change changed the record");
        else FUZZ_CHECK(fuzz::valid_utf8(text), what + ": accepted a tag that is not UTF-8");
        fuzz::parse_out(after.c_str(), "get");
        break;
    }
    case 4: {
        char* out = reinterpret_cast<char*>(1);
        int rc = fuzz::check_status(crm_contact_get_by_email(db, t, &out), "crm_contact_get_by_email");
        if (rc == CRM_OK) fuzz::parse_out(out, "contact");
        else FUZZ_CHECK(out == nullptr, what + ": out_json not cleared");
        crm_free(out);
        out = reinterpret_cast<char*>(1);
        rc = fuzz::check_status(crm_user_get_by_email(db, t, &out), "crm_user_get_by_email");
        if (rc == CRM_OK) fuzz::parse_out(out, "user");
        else FUZZ_CHECK(out == nullptr, what + ": out_json not cleared");
        crm_free(out);
        break;
    }
    default: {
        const crm_entity kind = fuzz::kind_of(variant / 6);
        char* out = reinterpret_cast<char*>(1);
        int rc = fuzz::check_status(crm_record_get_by_external_id(db, kind, t, &out), "crm_record_get_by_external_id");
        if (rc == CRM_OK) {
            const auto j = fuzz::parse_out(out, "get_by_external_id");
            FUZZ_CHECK(j.value("external_id", "") == text, what + ": found " + j.dump());
        } else {
            FUZZ_CHECK(out == nullptr, what + ": out_json not cleared");
        }
        crm_free(out);
        break;
    }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const int mode = data[0] % 8;
    const uint8_t variant = data[1];
    const std::string text = fuzz::text_of(data + 2, size - 2);
    const std::string what =
        "options mode " + std::to_string(mode) + " variant " + std::to_string(variant) + " " + fuzz::shown(text);
    fuzz::db();
    fuzz::Txn txn;
    switch (mode) {
    case 0: custom_field_define(text, what); break;
    case 1: named_define(crm_calendar_define, crm_calendar_list, "crm_calendar_define", text, what); break;
    case 2: named_define(crm_sla_policy_define, crm_sla_policy_list, "crm_sla_policy_define", text, what); break;
    case 3: timeline(variant, text, what); break;
    case 4: task_due(text, what); break;
    case 5: set_custom(variant, text, what); break;
    case 6: document_write(data + 2, size - 2, what); break;
    default: strings(variant, text, what); break;
    }
    return 0;
}
