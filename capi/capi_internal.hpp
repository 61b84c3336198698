// Private to the C ABI: the handle structs, the thread-local last error, and
// the guard every entry point runs its body in (no C++ exception crosses).
#pragma once

#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "crm.h"
#include "crm/crm.hpp"

// ---- handles -------------------------------------------------------------------
namespace crm::capi {

// What a crm_db and everything made from it share. It outlives crm_db_close
// while a crm_txn or crm_cursor still points at it, so those can answer
// CRM_ECLOSED instead of touching freed memory.
struct DbState {
    crm::Db db;
    bool in_txn = false;  // a crm_txn is open on this connection
    // crm_db_set_reminder_hook: called by crm_task_dispatch_reminders.
    crm_reminder_fn reminder_hook = nullptr;
    void* reminder_payload = nullptr;
    // crm_threshold_set_hook: called after a commit for each threshold crossing.
    crm_threshold_fn threshold_hook = nullptr;
    void* threshold_payload = nullptr;
    bool threshold_registered = false;  // the Db's on_cross callback that calls it is in place
    // crm_signal_set_hook: called after a commit for each new signal flag.
    crm_signal_fn signal_hook = nullptr;
    void* signal_payload = nullptr;
    bool signal_registered = false;  // the Db's on_signal callback that calls it is in place
    // Live document writers and readers: they hold SQLite blob handles, which
    // crm_db_close finishes first (release_documents) so the connection can close.
    std::vector<crm_doc_writer*> writers;
    std::vector<crm_doc_reader*> readers;
    explicit DbState(crm::Db d) noexcept : db(std::move(d)) {}
};

// Finishes every live document writer (uncommitted: nothing stored) and reader
// of the connection; they answer CRM_ECLOSED afterwards. documents.cpp.
void release_documents(DbState& state) noexcept;

}  // namespace crm::capi

struct crm_db {
    std::shared_ptr<crm::capi::DbState> state;
};

struct crm_txn {
    std::shared_ptr<crm::capi::DbState> state;  // declared first: destroyed after txn
    std::optional<crm::Transaction> txn;         // empty once committed / rolled back
};

struct crm_cursor {
    std::shared_ptr<crm::capi::DbState> state;
    std::vector<std::string> items;  // the page's documents
    std::size_t pos = 0;             // next item to hand out
    std::string next;                // token of the next page; empty on the last page
};

namespace crm::capi {

// ---- the thread-local last status ------------------------------------------------
void clear_error() noexcept;
int set_error(int code, std::string_view message, std::string_view field = {}, int sqlite_code = 0) noexcept;
int set_error(const crm::error& e) noexcept;  // maps errc 1:1 to CRM_E*
int to_code(crm::errc e) noexcept;
int set_internal_error(const char* what) noexcept;  // CRM_EINTERNAL "internal error: <what>"

// ---- argument checks: CRM_OK, or the error code after setting the error -------
//   if (int rc = check_db(db)) return rc;
bool valid_utf8(std::string_view s) noexcept;
int check_ptr(const void* p, const char* name) noexcept;
int check_text(const char* s, const char* name) noexcept;  // non-NULL and valid UTF-8
// Caller JSON, read by the library's strict parser (src/json/parse.hpp): text that is
// not JSON, a key twice in one object or nesting deeper than 64 levels is CRM_EINVALID
// naming `name`. What it gives back is safe to walk or dump() recursively.
int parse_json(const char* text, const char* name, nlohmann::json& out) noexcept;
// A crm_entity comes from C, where any int is a valid value of an enum; in C++
// loading an out-of-range value is undefined. So entities are only passed by
// reference and read as the int they are.
static_assert(sizeof(crm_entity) == sizeof(int), "crm_entity is an int-sized enum");
inline int entity_code(const crm_entity& e) noexcept {
    int v = 0;
    std::memcpy(&v, &e, sizeof v);
    return v;
}
int check_entity(const crm_entity& e) noexcept;
int check_db(const crm_db* db) noexcept;                    // non-NULL and open

// ---- results -----------------------------------------------------------------
char* dup(std::string_view s);  // malloc'd copy; throws std::bad_alloc
int give(char** out, std::string_view s);  // *out = dup(s); CRM_OK

template <class T>
std::string json_array(const std::vector<T>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += crm::to_json(items[i]);
    }
    out += ']';
    return out;
}

// Reports a failed result and returns its code, or returns CRM_OK.
template <class R>
int fail_or_ok(const R& r) noexcept {
    return r ? CRM_OK : set_error(r.error());
}

// Runs an entry point's body: clears the last error first and turns any
// exception into a status, so nothing propagates into C.
template <class F>
int guard(F&& body) noexcept {
    clear_error();
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return set_error(CRM_ENOMEM, "out of memory");
    } catch (const std::exception& e) {
        return set_internal_error(e.what());
    } catch (...) {
        return set_error(CRM_EINTERNAL, "internal error: unknown exception");
    }
}

// The kind's records as JSON documents (crm::AnyRecords); check_entity first.
crm::AnyRecords records_of(crm_db* db, const crm_entity& entity) noexcept;

// Page tokens cross the ABI as base64url (no padding) of the C++ cursor text:
// opaque, and safe to paste into a JSON string without escaping.
std::string encode_page_token(const std::string& cursor);
std::optional<std::string> decode_page_token(const std::string& token);

crm::Entity to_entity(const crm_entity& e) noexcept;

}  // namespace crm::capi
