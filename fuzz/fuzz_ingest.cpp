// fuzz_ingest: interaction ingest (crm_interaction_ingest) and the appender
// (crm_appender_append / crm_appender_flush).
//
// Input: byte 0 picks the mode, the rest is the payload:
//   b % 4 == 0  crm_interaction_ingest(payload, per_item = 0, source = NULL)
//   b % 4 == 1  crm_interaction_ingest(payload, per_item = 1, source = "web")
//   b % 4 == 2  the payload's lines, one crm_appender_append each, then a flush
//   b % 4 == 3  crm_interaction_ingest(payload, per_item = 1) twice: idempotence
// Checks, inside a transaction rolled back after each input:
// - the status contract (fuzz_common); a refused call stores nothing and
//   clears *out_json;
// - an accepted array was UTF-8 JSON; the result document has one item per
//   element, inserted + duplicates + failed = items, the interaction count
//   grew by inserted, all or nothing stores nothing partial, every "ok" item
//   names a stored interaction, first_id/last_id bound the new ids;
// - a second ingest of the same array inserts none of the items that carry an
//   external_id (they are duplicates now);
// - the appender's totals match what it accepted and what was stored.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "fuzz_common.hpp"

using fuzz::last_error;

namespace {

struct Ingested {
    int rc;
    nlohmann::json result;
};

Ingested ingest(const std::string& payload, int per_item, const char* source, const std::string& what) {
    crm_db* db = fuzz::db();
    const int64_t before = fuzz::count(CRM_INTERACTION);
    char* out = reinterpret_cast<char*>(1);
    const int rc = fuzz::check_status(crm_interaction_ingest(db, payload.c_str(), per_item, source, &out),
                                      "crm_interaction_ingest");
    if (rc != CRM_OK) {
        FUZZ_CHECK(out == nullptr, what + ": out_json not cleared on failure");
        FUZZ_CHECK(fuzz::count(CRM_INTERACTION) == before, what + ": a refused ingest stored something");
        return {rc, nullptr};
    }
    nlohmann::json arr;
    FUZZ_CHECK(fuzz::acceptable("crm_interaction_ingest", payload, arr) && arr.is_array(),
               what + ": accepted text that is not a UTF-8 JSON array without duplicate keys");
    const nlohmann::json r = fuzz::parse_out(out, "ingest result");
    crm_free(out);
    const std::string rs = r.dump();
    FUZZ_CHECK(r.is_object() && r["items"].is_array() && r["inserted"].is_number_integer() &&
                   r["duplicates"].is_number_integer() && r["failed"].is_number_integer() &&
                   r["first_id"].is_number_integer() && r["last_id"].is_number_integer(),
               what + ": result " + rs);
    const int64_t inserted = r["inserted"], duplicates = r["duplicates"], failed = r["failed"];
    const auto& items = r["items"];
    FUZZ_CHECK(items.size() == arr.size(), what + ": " + std::to_string(arr.size()) + " elements, result " + rs);
    FUZZ_CHECK(inserted >= 0 && duplicates >= 0 && failed >= 0 &&
                   static_cast<size_t>(inserted + duplicates + failed) == items.size(),
               what + ": totals do not add up: " + rs);
    FUZZ_CHECK(per_item || failed == 0, what + ": all-or-nothing ingest succeeded with failures: " + rs);
    FUZZ_CHECK(fuzz::count(CRM_INTERACTION) == before + inserted, what + ": count does not match inserted: " + rs);
    int64_t ok = 0, dup = 0, bad = 0, lo = INT64_MAX, hi = 0;
    for (const auto& it : items) {
        const std::string st = it.value("status", "");
        if (st == "ok") {
            ++ok;
            const int64_t id = it.value("id", int64_t{0});
            FUZZ_CHECK(id > 0 && !fuzz::get(CRM_INTERACTION, id).empty(), what + ": an ok item is not stored: " + rs);
            lo = std::min(lo, id);
            hi = std::max(hi, id);
        } else if (st == "duplicate") {
            ++dup;
        } else {
            FUZZ_CHECK(st == "error" && !it.value("message", "").empty(), what + ": item " + it.dump());
            ++bad;
        }
    }
    FUZZ_CHECK(ok == inserted && dup == duplicates && bad == failed, what + ": statuses vs totals: " + rs);
    if (inserted > 0)
        FUZZ_CHECK(r["first_id"] == lo && r["last_id"] == hi, what + ": first_id/last_id: " + rs);
    return {rc, r};
}

// An external id that is not blank once trimmed as the library trims text
// (ASCII white space and U+3000 IDEOGRAPHIC SPACE).
bool has_external_id(const nlohmann::json& item) {
    if (!item.is_object()) return false;
    auto it = item.find("external_id");
    if (it == item.end() || !it->is_string()) return false;
    const std::string s = it->get<std::string>();
    for (size_t i = 0; i < s.size();) {
        if (std::strchr(" \t\n\v\f\r", s[i]) && s[i] != '\0') ++i;
        else if (s.compare(i, 3, "\xE3\x80\x80") == 0) i += 3;
        else return true;
    }
    return false;
}

void appender(const std::string& payload, const std::string& what) {
    crm_db* db = fuzz::db();
    const int64_t before = fuzz::count(CRM_INTERACTION);
    crm_appender* a = nullptr;
    FUZZ_CHECK(crm_appender_open(&a, db) == CRM_OK, "crm_appender_open: " + last_error());
    int64_t accepted = 0;
    size_t start = 0;
    while (start <= payload.size()) {
        size_t end = payload.find('\n', start);
        if (end == std::string::npos) end = payload.size();
        const std::string line = payload.substr(start, end - start);
        const int rc = fuzz::check_status(crm_appender_append(a, line.c_str()), "crm_appender_append");
        if (rc == CRM_OK) {
            nlohmann::json j;
            FUZZ_CHECK(fuzz::acceptable("crm_appender_append", line, j) && j.is_object(),
                       what + ": appended text that is not a UTF-8 JSON object without duplicate keys: " +
                           fuzz::shown(line));
            ++accepted;
        }
        start = end + 1;
    }
    int64_t ins = -1, dup = -1;
    const int rc = fuzz::check_status(crm_appender_flush(a, &ins, &dup), "crm_appender_flush");
    crm_appender_free(a);
    const int64_t stored = fuzz::count(CRM_INTERACTION) - before;
    if (rc != CRM_OK) {
        FUZZ_CHECK(stored == 0 && ins == 0 && dup == 0, what + ": a failed flush stored something");
        return;
    }
    FUZZ_CHECK(ins + dup == accepted && stored == ins,
               what + ": accepted " + std::to_string(accepted) + ", inserted " + std::to_string(ins) +
                   ", duplicates " + std::to_string(dup) + ", stored " + std::to_string(stored));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const int mode = data[0] % 4;
    const std::string payload = fuzz::text_of(data + 1, size - 1);
    const std::string what = "ingest mode " + std::to_string(mode) + " " + fuzz::shown(payload);
    fuzz::db();
    fuzz::Txn txn;
    switch (mode) {
    case 0: ingest(payload, 0, nullptr, what); break;
    case 1: ingest(payload, 1, "web", what); break;
    case 2: appender(payload, what); break;
    default: {
        const Ingested first = ingest(payload, 1, nullptr, what);
        if (first.rc != CRM_OK) break;
        const Ingested second = ingest(payload, 1, nullptr, what + " (again)");
        FUZZ_CHECK(second.rc == CRM_OK, what + ": the second ingest failed: " + last_error());
        const auto arr = nlohmann::json::parse(payload);
        for (size_t i = 0; i < arr.size(); ++i) {
            const std::string st1 = first.result["items"][i]["status"], st2 = second.result["items"][i]["status"];
            if (st1 != "error" && has_external_id(arr[i]))
                FUZZ_CHECK(st2 == "duplicate", what + ": item " + std::to_string(i) + " with an external_id was " +
                                                   st1 + ", then " + st2);
        }
    }
    }
    return 0;
}
