// The thread-local last status, argument checks, owned strings and versions.
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "capi_internal.hpp"
#include "json/parse.hpp"

// The version macros come from one generated header, crm_version.h (its source is
// CMakeLists.txt), which crm.h and crm/version.hpp both include: the two cannot
// disagree. What is left to check is that the generated string spells the numbers.
#define CRM_CAPI_STR_(x) #x
#define CRM_CAPI_STR(x) CRM_CAPI_STR_(x)
namespace {
constexpr const char* kString = CRM_VERSION_STRING;  // what crm_version() returns
}  // namespace
static_assert(std::string_view(kString) ==
                  CRM_CAPI_STR(CRM_VERSION_MAJOR) "." CRM_CAPI_STR(CRM_VERSION_MINOR) "." CRM_CAPI_STR(CRM_VERSION_PATCH),
              "crm_version.h: CRM_VERSION_STRING does not match CRM_VERSION_MAJOR.MINOR.PATCH");
#undef CRM_CAPI_STR
#undef CRM_CAPI_STR_

namespace crm::capi {
namespace {

struct LastError {
    int code = CRM_OK;
    std::string message;
    std::string field;
    int sqlite_code = 0;
};

LastError& last() noexcept {
    thread_local LastError e;
    return e;
}

// Messages and fields may quote caller text, and a JSON key or string may hold
// a NUL ("\u0000"); C reads them only up to the first NUL, so a NUL is spelled
// out as \u0000 (else a message could even read as ""; found by fuzz_query).
void assign_c_text(std::string& out, std::string_view s) {
    out.clear();
    for (char c : s) {
        if (c == '\0') out += "\\u0000";
        else out += c;
    }
}

}  // namespace

void clear_error() noexcept {
    auto& e = last();
    e.code = CRM_OK;
    e.message.clear();
    e.field.clear();
    e.sqlite_code = 0;
}

int set_error(int code, std::string_view message, std::string_view field, int sqlite_code) noexcept {
    auto& e = last();
    e.code = code;
    e.sqlite_code = sqlite_code;
    try {
        assign_c_text(e.message, message);
        assign_c_text(e.field, field);
    } catch (...) {
        e.message.clear();  // crm_errmsg() then falls back to a static text
        e.field.clear();
    }
    return code;
}

int set_internal_error(const char* what) noexcept {
    std::string msg;
    try {
        msg = std::string("internal error: ") + (what ? what : "unknown");
    } catch (...) {
        return set_error(CRM_ENOMEM, "out of memory");
    }
    return set_error(CRM_EINTERNAL, msg);
}

int to_code(crm::errc e) noexcept {
    switch (e) {
        case crm::errc::ok: return CRM_OK;
        case crm::errc::not_found: return CRM_ENOTFOUND;
        case crm::errc::already_exists: return CRM_EEXISTS;
        case crm::errc::invalid_argument: return CRM_EINVALID;
        case crm::errc::constraint_violation: return CRM_ECONSTRAINT;
        case crm::errc::busy: return CRM_EBUSY;
        case crm::errc::io_error: return CRM_EIO;
        case crm::errc::corrupt: return CRM_ECORRUPT;
        case crm::errc::schema_too_new: return CRM_ESCHEMA;
        case crm::errc::read_only: return CRM_EREADONLY;
        case crm::errc::closed: return CRM_ECLOSED;
        case crm::errc::internal: return CRM_EINTERNAL;
        case crm::errc::out_of_memory: return CRM_ENOMEM;
    }
    return CRM_EINTERNAL;
}

int set_error(const crm::error& err) noexcept {
    int code = to_code(err.code);
    if (code == CRM_OK) code = CRM_EINTERNAL;  // a failure that claims success is a bug
    return set_error(code, err.message, err.field, err.sqlite_code);
}

bool valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        if (c < 0x80) { ++i; continue; }
        std::size_t len = 0;
        unsigned cp = 0;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1Fu; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0Fu; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07u; }
        else return false;  // continuation byte, overlong lead (C0/C1) or > U+10FFFF (F5..FF)
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return false;  // overlong
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // UTF-16 surrogates are not characters
        i += len;
    }
    return true;
}

int check_ptr(const void* p, const char* name) noexcept {
    if (p) return CRM_OK;
    std::string msg;
    try {
        msg = std::string(name) + " must not be NULL";
    } catch (...) {
    }
    return set_error(CRM_EINVALID, msg, name);
}

int check_text(const char* s, const char* name) noexcept {
    if (int rc = check_ptr(s, name)) return rc;
    if (valid_utf8(s)) return CRM_OK;
    std::string msg;
    try {
        msg = std::string(name) + " is not valid UTF-8";
    } catch (...) {
    }
    return set_error(CRM_EINVALID, msg, name);
}

int parse_json(const char* text, const char* name, nlohmann::json& out) noexcept {
    if (int rc = check_text(text, name)) return rc;
    try {
        auto j = crm::json::parse_text(text, name);
        if (!j) return set_error(j.error());
        out = std::move(j).value();
        return CRM_OK;
    } catch (const std::bad_alloc&) {
        return set_error(CRM_ENOMEM, "out of memory reading JSON", name);
    } catch (...) {
        return set_internal_error("reading JSON");
    }
}

// The crm_entity values are the kinds' c_code in the registry (crm/entities.hpp).
int check_entity(const crm_entity& entity) noexcept {
    const int e = entity_code(entity);
    if (crm::entity_info_by_c_code(e)) return CRM_OK;
    std::string known;
    for (const auto* k : crm::entity_kinds()) {
        std::string name = "CRM_";
        for (char c : k->name) name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        known += fmt::format("{}{} = {}", known.empty() ? "" : ", ", name, k->c_code);
    }
    return set_error(CRM_EINVALID, fmt::format("entity {} is not a crm_entity value ({})", e, known), "entity");
}

int check_db(const crm_db* db) noexcept {
    if (int rc = check_ptr(db, "db")) return rc;
    if (db->state && db->state->db.is_open()) return CRM_OK;
    return set_error(CRM_ECLOSED, "database handle is closed");
}

crm::Entity to_entity(const crm_entity& e) noexcept {
    const auto* k = crm::entity_info_by_c_code(entity_code(e));
    return k ? k->entity : crm::Entity::contact;  // check_entity has refused anything else
}

crm::AnyRecords records_of(crm_db* db, const crm_entity& entity) noexcept {
    return db->state->db.records(to_entity(entity));
}

char* dup(std::string_view s) {
    auto* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

int give(char** out, std::string_view s) {
    *out = dup(s);
    return CRM_OK;
}

}  // namespace crm::capi

using namespace crm::capi;

extern "C" {

CRM_API const char* crm_version(void) { return kString; }
static_assert(CRM_ABI_VERSION == CRM_ABI_VERSION_BUILD, "CRM_ABI_VERSION in crm.h and CMakeLists.txt differ");
CRM_API int crm_abi_version(void) { return CRM_ABI_VERSION; }

CRM_API int crm_errcode(void) { return last().code; }

CRM_API const char* crm_errmsg(void) {
    const auto& e = last();
    if (e.message.empty() && e.code == CRM_ENOMEM) return "out of memory";
    if (e.message.empty() && e.code != CRM_OK) return crm_strerror(e.code);
    return e.message.c_str();
}

CRM_API const char* crm_errfield(void) { return last().field.c_str(); }
CRM_API int crm_sqlite_errcode(void) { return last().sqlite_code; }

CRM_API const char* crm_strerror(int code) {
    switch (code) {
        case CRM_OK: return "CRM_OK";
        case CRM_ENOTFOUND: return "CRM_ENOTFOUND";
        case CRM_EEXISTS: return "CRM_EEXISTS";
        case CRM_EINVALID: return "CRM_EINVALID";
        case CRM_ECONSTRAINT: return "CRM_ECONSTRAINT";
        case CRM_EBUSY: return "CRM_EBUSY";
        case CRM_EIO: return "CRM_EIO";
        case CRM_ECORRUPT: return "CRM_ECORRUPT";
        case CRM_ESCHEMA: return "CRM_ESCHEMA";
        case CRM_EREADONLY: return "CRM_EREADONLY";
        case CRM_ECLOSED: return "CRM_ECLOSED";
        case CRM_EINTERNAL: return "CRM_EINTERNAL";
        case CRM_ENOMEM: return "CRM_ENOMEM";
        case CRM_ITEROVER: return "CRM_ITEROVER";
    }
    return "CRM_UNKNOWN";
}

CRM_API void crm_free(void* p) { std::free(p); }

}  // extern "C"
