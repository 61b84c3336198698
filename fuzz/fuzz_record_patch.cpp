// fuzz_record_patch: crm_record_update (RFC 7386 merge patches) on seeded records.
//
// Input: byte 0 picks the kind (CRM_USER + b % 12) and which seeded record of
// it (b / 12), the rest is the patch. Checks, inside a transaction rolled back
// after each input:
// - the status contract (fuzz_common);
// - a refused patch leaves the stored document byte for byte as it was;
// - an accepted patch was UTF-8 JSON, an object, with no key twice;
// - the id never changes, and the document still reads back as JSON;
// - a top-level key the patch does not name keeps its value (apart from
//   updated_at and the values the library derives, listed in derived());
// - merge patches are idempotent: applying the same patch again succeeds and
//   changes nothing.
#include <algorithm>

#include "fuzz_common.hpp"

using fuzz::last_error;

namespace {

// Keys whose value follows other keys, so a patch may change them without naming them.
bool derived(crm_entity kind, const std::string& key) {
    if (key == "updated_at") return true;
    switch (kind) {
    case CRM_DEAL:  // the stage decides probability/status; line items decide the amount
        return key == "probability" || key == "status" || key == "closed_at" || key == "amount";
    case CRM_TASK:  // completed_at follows status
        return key == "completed_at";
    default:
        return false;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const crm_entity kind = fuzz::kind_of(data[0]);
    const auto& ids = fuzz::seeded().ids[kind];
    const int64_t id = ids[(data[0] / 12) % ids.size()];
    const std::string patch = fuzz::text_of(data + 1, size - 1);
    const std::string what =
        std::string("patch ") + fuzz::kind_name(kind) + " " + std::to_string(id) + " with " + fuzz::shown(patch);
    crm_db* db = fuzz::db();
    fuzz::Txn txn;

    const std::string before = fuzz::get(kind, id);
    const int rc = fuzz::check_status(crm_record_update(db, kind, id, patch.c_str()), "crm_record_update");
    const std::string after = fuzz::get(kind, id);
    FUZZ_CHECK(!after.empty(), what + ": the record is gone");
    if (rc != CRM_OK) {
        FUZZ_CHECK(after == before, what + ": a refused patch changed the record:\n  " + before + "\n  " + after);
        return 0;
    }
    nlohmann::json p;
    FUZZ_CHECK(fuzz::acceptable("crm_record_update", patch, p),
               what + ": accepted text that is not UTF-8 JSON without duplicate keys");
    FUZZ_CHECK(p.is_object(), what + ": accepted a patch that is not an object");

    const nlohmann::json b = fuzz::parse_out(before.c_str(), "get"), a = fuzz::parse_out(after.c_str(), "get");
    FUZZ_CHECK(a.is_object() && a.value("id", int64_t{0}) == id, what + ": the id changed: " + after);
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (p.contains(it.key()) || derived(kind, it.key())) continue;
        FUZZ_CHECK(a.contains(it.key()) && a[it.key()] == it.value(),
                   what + ": the key \"" + it.key() + "\" changed though the patch does not name it:\n  " + before +
                       "\n  " + after);
    }

    const int rc2 = fuzz::check_status(crm_record_update(db, kind, id, patch.c_str()), "crm_record_update");
    FUZZ_CHECK(rc2 == CRM_OK, what + ": the same patch a second time failed: " + last_error());
    const std::string twice = fuzz::get(kind, id);
    FUZZ_CHECK(fuzz::without_managed(fuzz::parse_out(twice.c_str(), "get")) == fuzz::without_managed(a),
               what + ": the same patch a second time changed the record:\n  " + after + "\n  " + twice);
    return 0;
}
