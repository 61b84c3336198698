// crm_record_list / crm_record_count and the cursor over a page of documents.
#include <cstring>
#include <optional>

#include <nlohmann/json.hpp>

#include "capi_internal.hpp"

using namespace crm::capi;

namespace crm::capi {
namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}  // namespace

std::string encode_page_token(const std::string& in) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    unsigned bits = 0;
    int nbits = 0;
    for (unsigned char c : in) {
        bits = (bits << 8) | c;
        nbits += 8;
        while (nbits >= 6) {
            nbits -= 6;
            out += kB64[(bits >> nbits) & 0x3Fu];
        }
    }
    if (nbits > 0) out += kB64[(bits << (6 - nbits)) & 0x3Fu];
    return out;
}

std::optional<std::string> decode_page_token(const std::string& in) {
    std::string out;
    unsigned bits = 0;
    int nbits = 0;
    for (char ch : in) {
        const char* p = ch ? std::strchr(kB64, ch) : nullptr;
        if (!p) return std::nullopt;
        bits = (bits << 6) | static_cast<unsigned>(p - kB64);
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            out += static_cast<char>((bits >> nbits) & 0xFFu);
        }
    }
    if (nbits >= 6 || (bits & ((1u << nbits) - 1u)) != 0) return std::nullopt;  // not a canonical encoding
    return out;
}
}  // namespace crm::capi

namespace {

// Parses a list query document into ListOptions. Strict: unknown keys and
// wrong types are CRM_EINVALID naming "query.<key>".
int parse_query(const char* text, crm::ListOptions& o) {
    if (!text) return CRM_OK;
    nlohmann::json j;
    if (int rc = parse_json(text, "query_json", j)) return rc;
    if (!j.is_object()) return set_error(CRM_EINVALID, "query_json must be a JSON object", "query_json");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const auto& v = it.value();
        const std::string field = "query." + key;
        if (key == "where") {
            if (v.is_null()) continue;
            if (!v.is_array()) return set_error(CRM_EINVALID, field + " must be an array of filter strings", field);
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string item = field + "[" + std::to_string(i) + "]";
                if (!v[i].is_string())
                    return set_error(CRM_EINVALID, item + " must be a filter string like \"tag=vip\"", item);
                auto f = crm::parse_filter(v[i].get<std::string>());
                if (!f) return set_error(CRM_EINVALID, item + ": " + f.error().message, item);
                o.where.push_back(std::move(f).value());
            }
        } else if (key == "order_by") {
            if (!v.is_string()) return set_error(CRM_EINVALID, field + " must be a field name", field);
            o.order_by = v.get<std::string>();
        } else if (key == "desc") {
            if (!v.is_boolean()) return set_error(CRM_EINVALID, field + " must be true or false", field);
            o.descending = v.get<bool>();
        } else if (key == "limit") {
            if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > 10000)
                return set_error(CRM_EINVALID, field + " must be an integer from 1 to 10000", field);
            o.limit = static_cast<std::size_t>(v.get<std::int64_t>());
        } else if (key == "after") {
            if (v.is_null()) continue;
            auto token = v.is_string() ? decode_page_token(v.get<std::string>()) : std::nullopt;
            if (!token || token->empty())
                return set_error(CRM_EINVALID, field + " is not a token from crm_cursor_next_page_token", field);
            o.after = std::move(*token);
        } else {
            return set_error(CRM_EINVALID,
                             field + " is not a known key (where, order_by, desc, limit, after)", field);
        }
    }
    return CRM_OK;
}

int check_cursor(const crm_cursor* c) noexcept {
    if (int rc = check_ptr(c, "cursor")) return rc;
    if (!c->state || !c->state->db.is_open()) return set_error(CRM_ECLOSED, "cursor's database handle is closed");
    return CRM_OK;
}

// The checks list and count share: the handle, the kind, the query.
int start_query(const crm_db* db, const crm_entity& entity, const char* query_json, crm::ListOptions& options) {
    if (int rc = check_db(db)) return rc;
    if (int rc = check_entity(entity)) return rc;
    if (query_json) {
        if (int rc = check_text(query_json, "query_json")) return rc;
    }
    return parse_query(query_json, options);
}

}  // namespace

extern "C" {

CRM_API int crm_record_list(crm_db* db, crm_entity entity, const char* query_json, crm_cursor** out) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        crm::ListOptions options;
        if (int rc = start_query(db, entity, query_json, options)) return rc;
        auto cursor = std::make_unique<crm_cursor>();
        cursor->state = db->state;
        auto page = records_of(db, entity).list(options);
        if (!page) return set_error(page.error());
        cursor->items = std::move(page.value().items);
        cursor->next = std::move(page.value().next);
        *out = cursor.release();
        return CRM_OK;
    });
}

CRM_API int crm_record_count(crm_db* db, crm_entity entity, const char* query_json, int64_t* out_count) {
    return guard([&] {
        if (int rc = check_ptr(out_count, "out_count")) return rc;
        *out_count = 0;
        crm::ListOptions options;
        if (int rc = start_query(db, entity, query_json, options)) return rc;
        auto n = records_of(db, entity).count(options.where);
        if (!n) return set_error(n.error());
        *out_count = n.value();
        return CRM_OK;
    });
}

CRM_API int crm_cursor_next(crm_cursor* cursor, const char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_cursor(cursor)) return rc;
        if (cursor->pos >= cursor->items.size()) return set_error(CRM_ITEROVER, "no more items");
        *out_json = cursor->items[cursor->pos++].c_str();
        if (cursor->pos >= 2) {
            std::string().swap(cursor->items[cursor->pos - 2]);  // handed out and no longer borrowed
        }
        return CRM_OK;
    });
}

CRM_API int crm_cursor_next_page_token(crm_cursor* cursor, char** out) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_cursor(cursor)) return rc;
        if (cursor->next.empty()) return set_error(CRM_ITEROVER, "this page is the last one");
        return give(out, encode_page_token(cursor->next));
    });
}

CRM_API void crm_cursor_free(crm_cursor* cursor) { delete cursor; }

}  // extern "C"
