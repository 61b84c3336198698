// fuzz_query: list queries and filters (crm_record_list, crm_record_count,
// crm_cursor_next, crm_cursor_next_page_token) over the seeded records.
//
// Input: byte 0 picks the kind (CRM_USER + b % 12), the rest is query_json
// ({"where":[...],"order_by":..,"desc":..,"limit":..,"after":..}); an input of
// one byte passes NULL. Nothing is written. Checks:
// - the status contract (fuzz_common); a refused list clears *out;
// - whatever list accepts, count accepts too; accepted text was UTF-8 JSON;
// - a page holds at most limit records, each a JSON object with an id, no id
//   twice; without "order_by" ids ascend (descend with "desc":true);
// - a first page (no "after") holds min(count, limit) records, and following
//   the page tokens visits exactly count records, none twice.
#include <set>

#include "fuzz_common.hpp"

using fuzz::last_error;

namespace {

// One page: the ids it holds, and the token of the next page ("" on the last).
struct Page {
    int rc;
    std::vector<int64_t> ids;
    std::string next;
};

Page list(crm_entity kind, const char* query, const std::string& what) {
    crm_cursor* cur = reinterpret_cast<crm_cursor*>(1);
    Page page{fuzz::check_status(crm_record_list(fuzz::db(), kind, query, &cur), "crm_record_list"), {}, ""};
    if (page.rc != CRM_OK) {
        FUZZ_CHECK(cur == nullptr, what + ": cursor not cleared on failure");
        return page;
    }
    const char* doc = nullptr;
    int rc;
    while ((rc = crm_cursor_next(cur, &doc)) == CRM_OK) {
        const nlohmann::json j = fuzz::parse_out(doc, "crm_cursor_next");
        FUZZ_CHECK(j.is_object() && j["id"].is_number_integer(), what + ": listed " + j.dump());
        page.ids.push_back(j["id"].get<int64_t>());
    }
    FUZZ_CHECK(rc == CRM_ITEROVER && doc == nullptr, what + ": crm_cursor_next ended with " + last_error());
    FUZZ_CHECK(crm_cursor_next(cur, &doc) == CRM_ITEROVER, what + ": CRM_ITEROVER does not repeat");
    char* token = nullptr;
    rc = crm_cursor_next_page_token(cur, &token);
    FUZZ_CHECK(rc == CRM_OK || rc == CRM_ITEROVER, what + ": crm_cursor_next_page_token: " + last_error());
    if (rc == CRM_OK) {
        FUZZ_CHECK(token && *token, what + ": empty page token");
        page.next = token;
        FUZZ_CHECK(page.next.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=") ==
                       std::string::npos,
                   what + ": the page token is not base64url: " + page.next);
    } else {
        FUZZ_CHECK(token == nullptr, what + ": token not cleared on CRM_ITEROVER");
    }
    crm_free(token);
    crm_cursor_free(cur);
    return page;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const crm_entity kind = fuzz::kind_of(data[0]);
    const std::string q = fuzz::text_of(data + 1, size - 1);
    const char* query = size == 1 ? nullptr : q.c_str();
    const std::string what = std::string("list ") + fuzz::kind_name(kind) + " " + (query ? fuzz::shown(q) : "NULL");

    int64_t n = -1;
    const int crc = fuzz::check_status(crm_record_count(fuzz::db(), kind, query, &n), "crm_record_count");
    if (crc != CRM_OK) FUZZ_CHECK(n == 0, what + ": out_count not cleared on failure");
    const Page first = list(kind, query, what);
    if (first.rc != CRM_OK) return 0;
    FUZZ_CHECK(crc == CRM_OK, what + ": list accepts what count refuses");
    FUZZ_CHECK(n >= 0 && n <= fuzz::count(kind), what + ": count " + std::to_string(n));

    nlohmann::json j = nlohmann::json::object();
    if (query) {
        FUZZ_CHECK(fuzz::acceptable("crm_record_list", q, j) && j.is_object(),
                   what + ": accepted a query that is not a UTF-8 JSON object without duplicate keys");
    }
    const size_t limit = j.contains("limit") ? j["limit"].get<size_t>() : 100;
    const bool ordered_by_id = !j.contains("order_by") || j["order_by"] == "id";
    const bool desc = j.contains("desc") && j["desc"] == true;
    const bool from_start = !j.contains("after") || j["after"].is_null();

    std::set<int64_t> seen;
    Page page = first;
    for (int pages = 1;; ++pages) {
        FUZZ_CHECK(page.ids.size() <= limit, what + ": a page of " + std::to_string(page.ids.size()));
        for (size_t i = 0; i < page.ids.size(); ++i) {
            FUZZ_CHECK(seen.insert(page.ids[i]).second, what + ": id " + std::to_string(page.ids[i]) + " twice");
            if (ordered_by_id && i > 0)
                FUZZ_CHECK(desc ? page.ids[i] < page.ids[i - 1] : page.ids[i] > page.ids[i - 1],
                           what + ": ids out of order");
        }
        if (!from_start) return 0;  // a fuzzed token: any place to start from is fine
        if (pages == 1) {
            FUZZ_CHECK(page.ids.size() == std::min<size_t>(static_cast<size_t>(n), limit),
                       what + ": first page of " + std::to_string(page.ids.size()) + ", count " + std::to_string(n));
        }
        if (page.next.empty()) break;
        FUZZ_CHECK(pages < 100, what + ": more than 100 pages");
        j["after"] = page.next;
        const std::string next = j.dump();
        page = list(kind, next.c_str(), what + " (page " + std::to_string(pages + 1) + ")");
        FUZZ_CHECK(page.rc == CRM_OK, what + ": the next page " + next + " was refused: " + last_error());
    }
    FUZZ_CHECK(seen.size() == static_cast<size_t>(n),
               what + ": the pages hold " + std::to_string(seen.size()) + " records, count says " + std::to_string(n));
    return 0;
}
