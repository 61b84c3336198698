// fuzz_record_create: crm_record_create for every kind.
//
// Input: byte 0 picks the kind (CRM_USER + b % 12), the rest is the document.
// Checks, inside a transaction rolled back after each input:
// - the status contract (fuzz_common: code, message, no CRM_EINTERNAL);
// - text that is not UTF-8, not JSON, or has a key twice is refused;
// - a refused create leaves *out_id 0 and the record count as it was;
// - an accepted create adds exactly one record, which crm_record_get returns as
//   a JSON object with that id;
// - that document goes back in: patching the record with its own document
//   changes nothing, and deleting it then creating from the document gives the
//   same document again (apart from id and times; a pipeline's stages get
//   new ids).
#include "fuzz_common.hpp"

using fuzz::last_error;

namespace {

// A document as create takes it back: a pipeline's stage ids name stages of
// the stored pipeline (0 or absent = a new stage), so a copy leaves them out.
nlohmann::json for_create(crm_entity kind, nlohmann::json doc) {
    if (kind == CRM_PIPELINE && doc.contains("stages") && doc["stages"].is_array())
        for (auto& st : doc["stages"])
            if (st.is_object()) st.erase("id");
    return fuzz::without_managed(std::move(doc));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const crm_entity kind = fuzz::kind_of(data[0]);
    const std::string json = fuzz::text_of(data + 1, size - 1);
    const std::string what = std::string("create ") + fuzz::kind_name(kind) + " " + fuzz::shown(json);
    crm_db* db = fuzz::db();
    fuzz::Txn txn;

    const int64_t before = fuzz::count(kind);
    int64_t id = -1;
    const int rc = fuzz::check_status(crm_record_create(db, kind, json.c_str(), &id), "crm_record_create");
    nlohmann::json input;
    const bool input_ok = fuzz::acceptable("crm_record_create", json, input);
    if (rc != CRM_OK) {
        FUZZ_CHECK(id == 0, what + ": out_id not cleared on failure");
        FUZZ_CHECK(fuzz::count(kind) == before, what + ": a refused create changed the count");
        return 0;
    }
    FUZZ_CHECK(input_ok, what + ": accepted text that is not UTF-8 JSON without duplicate keys");
    FUZZ_CHECK(input.is_object(), what + ": accepted a document that is not an object");
    FUZZ_CHECK(id > 0, what + ": CRM_OK with id " + std::to_string(id));
    FUZZ_CHECK(fuzz::count(kind) == before + 1, what + ": count did not grow by one");

    const std::string doc = fuzz::get(kind, id);
    FUZZ_CHECK(!doc.empty(), what + ": the new record is not found");
    const nlohmann::json j = fuzz::parse_out(doc.c_str(), "crm_record_get");
    FUZZ_CHECK(j.is_object() && j.value("id", int64_t{0}) == id, what + ": got " + doc);

    // Its own document as a merge patch: a no-op.
    int prc = fuzz::check_status(crm_record_update(db, kind, id, doc.c_str()), "crm_record_update");
    FUZZ_CHECK(prc == CRM_OK, what + ": patching with its own document " + doc + " failed: " + last_error());
    const std::string again = fuzz::get(kind, id);
    FUZZ_CHECK(fuzz::without_managed(fuzz::parse_out(again.c_str(), "get")) == fuzz::without_managed(j),
               what + ": patching with its own document changed it:\n  " + doc + "\n  " + again);

    // Delete, then create from the document: the same record again.
    prc = fuzz::check_status(crm_record_delete(db, kind, id), "crm_record_delete");
    FUZZ_CHECK(prc == CRM_OK, what + ": delete failed: " + last_error());
    FUZZ_CHECK(fuzz::count(kind) == before, what + ": delete did not restore the count");
    const std::string copy = for_create(kind, j).dump();
    int64_t id2 = 0;
    prc = fuzz::check_status(crm_record_create(db, kind, copy.c_str(), &id2), "crm_record_create");
    FUZZ_CHECK(prc == CRM_OK, what + ": its own document " + copy + " was refused: " + last_error());
    const std::string doc2 = fuzz::get(kind, id2);
    FUZZ_CHECK(for_create(kind, fuzz::parse_out(doc2.c_str(), "get")) == for_create(kind, j),
               what + ": create from its own document differs:\n  " + doc + "\n  " + doc2);
    return 0;
}
