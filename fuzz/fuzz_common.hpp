// Shared helpers of the fuzz targets. The targets are outside callers: they use
// only the public C ABI (crm.h) and parse what comes back with nlohmann::json,
// as a binding would. Every check that fails prints what broke and aborts, so
// libFuzzer (or fuzz/replay_main.cpp under ctest) reports it as a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crm.h"

namespace fuzz {

// The fixed clock of every fuzz database (2026-04-01T00:00:00Z), so a crash
// replays the same way on any day.
inline constexpr int64_t kNowMs = 1775001600000;

[[noreturn]] void fail(const char* file, int line, const std::string& what);

#define FUZZ_CHECK(cond, detail)                                                             \
    do {                                                                                     \
        if (!(cond)) ::fuzz::fail(__FILE__, __LINE__, std::string(#cond) + ": " + (detail)); \
    } while (0)

// The input as text, cut at its first NUL (what a C caller's string would be).
std::string text_of(const uint8_t* data, size_t size);

// Text for a failure message: at most 400 bytes of it, then how long it was.
std::string shown(const std::string& text);

// Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool valid_utf8(const std::string& s);

// What the library promises about the thread-local status after a call that
// returned rc: rc is a documented code, crm_errcode() repeats it, the message
// is "" after CRM_OK and a sentence otherwise. CRM_EINTERNAL (a bug by its own
// definition) and codes that an in-memory database cannot produce (CRM_EIO,
// CRM_ECORRUPT, CRM_EBUSY, ...) fail the run. Returns rc. With CRM_FUZZ_VERBOSE
// set in the environment, prints every call's status (to see what seeds reach).
int check_status(int rc, const char* call);

// "what the last call said", for failure messages.
std::string last_error();

// A document the library handed out: must be JSON (nlohmann::json, strict
// UTF-8) with no key twice in one object.
nlohmann::json parse_out(const char* text, const char* what);

// The harness's own reading of caller text: nlohmann::json plus a duplicate-key
// check. Returns false if the text is not JSON the library should accept.
bool strict_parse(const std::string& text, nlohmann::json& out);

// What `api` may accept: valid UTF-8 and strict_parse, except for the known
// findings below, which are tolerated until the library is fixed.
bool acceptable(const char* api, const std::string& text, nlohmann::json& out);

// No open findings are tolerated: every API that takes caller JSON reads it with
// the library's strict parser, so what one accepts is strict JSON (a finding to be
// tolerated for a while would be listed here and in docs/fuzzing.md).

// The process-wide in-memory database of a target, opened on first use with
// the fixed clock, and the records seeded into it (committed; each input rolls
// its own changes back).
crm_db* db();

struct Seeded {
    // ids[kind][0..]: records of each kind (index = crm_entity value).
    std::vector<int64_t> ids[13];
    std::vector<std::string> custom_fields;  // contact custom fields, one of each type
};
const Seeded& seeded();

// Number of records of a kind (crm_record_count with no query); must succeed.
int64_t count(crm_entity kind);
// The record's document, or "" if it is not found (anything else fails the run).
std::string get(crm_entity kind, int64_t id);
// A document with the fields the library manages itself removed.
nlohmann::json without_managed(nlohmann::json doc);

// One transaction per input, rolled back at the end: the database is the same
// before every input, however many there are.
class Txn {
public:
    Txn();
    ~Txn();
    Txn(const Txn&) = delete;
    Txn& operator=(const Txn&) = delete;

private:
    crm_txn* txn_ = nullptr;
};

// The kind an input's first byte selects: CRM_USER .. CRM_DOCUMENT.
inline crm_entity kind_of(uint8_t b) { return static_cast<crm_entity>(1 + b % 12); }
const char* kind_name(crm_entity kind);

}  // namespace fuzz
