// C ABI: document content (streamed) and sends (metadata is crm_record_* with CRM_DOCUMENT).
#include "capi_internal.hpp"
#include "crm/documents.hpp"

using namespace crm::capi;

struct crm_doc_writer {
    std::shared_ptr<DbState> state;  // declared first: destroyed after the writer
    std::optional<crm::DocumentWriter> writer;
};

struct crm_doc_reader {
    std::shared_ptr<DbState> state;
    std::optional<crm::DocumentReader> reader;
};

namespace crm::capi {
void release_documents(DbState& state) noexcept {
    for (auto* w : state.writers) w->writer.reset();
    for (auto* r : state.readers) r->reader.reset();
}
}  // namespace crm::capi

namespace {
template <class H>
void forget(std::vector<H*>& live, H* h) noexcept {
    for (auto it = live.begin(); it != live.end(); ++it)
        if (*it == h) {
            live.erase(it);
            return;
        }
}
}  // namespace

CRM_API int crm_document_write(crm_db* db, const char* meta_json, const void* data, size_t size, int64_t* out_id) {
    if (out_id) *out_id = 0;
    return guard([&] {
        if (out_id) *out_id = 0;  // cleared on every failure (found by fuzz_options)
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(meta_json, "meta_json")) return rc;
        if (size > 0)
            if (int rc = check_ptr(data, "data")) return rc;
        auto meta = crm::from_json<crm::Document>(meta_json);
        if (!meta) return set_error(meta.error());
        auto r = db->state->db.documents().create_with_content(meta.value(), data, size);
        if (!r) return set_error(r.error());
        if (out_id) *out_id = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_document_set_max_size(crm_db* db, int64_t bytes) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        return fail_or_ok(db->state->db.documents().set_max_size(bytes));
    });
}

CRM_API int crm_doc_writer_open(crm_db* db, const char* meta_json, int64_t size, crm_doc_writer** out) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_text(meta_json, "meta_json")) return rc;
        auto meta = crm::from_json<crm::Document>(meta_json);
        if (!meta) return set_error(meta.error());
        auto w = db->state->db.documents().open_writer(meta.value(), size);
        if (!w) return set_error(w.error());
        auto h = std::make_unique<crm_doc_writer>();
        h->state = db->state;
        h->state->writers.reserve(h->state->writers.size() + 1);  // no throw after the writer is made
        h->writer.emplace(std::move(w).value());
        h->state->writers.push_back(h.get());
        *out = h.release();
        return CRM_OK;
    });
}

CRM_API int crm_doc_writer_write(crm_doc_writer* w, const void* data, size_t size) {
    return guard([&] {
        if (int rc = check_ptr(w, "w")) return rc;
        if (!w->writer || !w->state->db.is_open()) return set_error(CRM_ECLOSED, "document writer is finished");
        return fail_or_ok(w->writer->write(data, size));
    });
}

CRM_API int crm_doc_writer_commit(crm_doc_writer* w, int64_t* out_id) {
    if (out_id) *out_id = 0;
    return guard([&] {
        if (int rc = check_ptr(w, "w")) return rc;
        if (!w->writer || !w->state->db.is_open()) return set_error(CRM_ECLOSED, "document writer is finished");
        auto r = w->writer->commit();
        w->writer.reset();  // committed or rolled back: finished either way
        if (!r) return set_error(r.error());
        if (out_id) *out_id = r.value();
        return CRM_OK;
    });
}

CRM_API void crm_doc_writer_free(crm_doc_writer* w) {
    if (!w) return;
    try {
        forget(w->state->writers, w);
        delete w;  // rolls back when not committed
    } catch (...) {
    }
}

CRM_API int crm_doc_reader_open(crm_db* db, int64_t document_id, int verify, crm_doc_reader** out, int64_t* out_size) {
    if (out_size) *out_size = 0;
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.documents().open_reader(document_id, verify != 0);
        if (!r) return set_error(r.error());
        auto h = std::make_unique<crm_doc_reader>();
        h->state = db->state;
        h->state->readers.reserve(h->state->readers.size() + 1);  // no throw after the reader is made
        h->reader.emplace(std::move(r).value());
        h->state->readers.push_back(h.get());
        if (out_size) *out_size = h->reader->size();
        *out = h.release();
        return CRM_OK;
    });
}

CRM_API int crm_doc_reader_read(crm_doc_reader* r, void* buf, size_t cap, size_t* out_n) {
    if (out_n) *out_n = 0;
    return guard([&] {
        if (int rc = check_ptr(r, "r")) return rc;
        if (int rc = check_ptr(out_n, "out_n")) return rc;
        if (!r->reader || !r->state->db.is_open()) return set_error(CRM_ECLOSED, "document reader is finished");
        auto n = r->reader->read(buf, cap);
        if (!n) return set_error(n.error());
        *out_n = n.value();
        return CRM_OK;
    });
}

CRM_API void crm_doc_reader_free(crm_doc_reader* r) {
    if (!r) return;
    try {
        forget(r->state->readers, r);
        delete r;
    } catch (...) {
    }
}

CRM_API int crm_document_record_sent(crm_db* db, int64_t document_id, int64_t contact_id, int64_t at_ms,
                                     int64_t interaction_id, int64_t* out_id) {
    if (out_id) *out_id = 0;
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        std::optional<crm::Id> iid;
        if (interaction_id) iid = interaction_id;
        auto r = db->state->db.documents().record_sent(document_id, contact_id, at_ms, iid);
        if (!r) return set_error(r.error());
        if (out_id) *out_id = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_document_sends(crm_db* db, int64_t document_id, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.documents().sends(document_id);
        if (!r) return set_error(r.error());
        return give(out_json, json_array(r.value()));
    });
}

// ---- added with issue 8 (parity with the C++ API) ----------------------------------
CRM_API int crm_document_max_size(crm_db* db, int64_t* out_bytes) {
    return guard([&] {
        if (int rc = check_ptr(out_bytes, "out_bytes")) return rc;
        *out_bytes = 0;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.documents().max_size();
        if (!r) return set_error(r.error());
        *out_bytes = r.value();
        return CRM_OK;
    });
}

CRM_API int crm_document_sends_to_contact(crm_db* db, int64_t contact_id, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.documents().sends_to_contact(contact_id);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_document_for_record(crm_db* db, crm_entity entity, int64_t id, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_entity(entity)) return rc;
        auto r = db->state->db.documents().for_record(to_entity(entity), id);
        if (!r) return set_error(r.error());
        return give(out_json_array, json_array(r.value()));
    });
}

CRM_API int crm_doc_writer_written(crm_doc_writer* w, int64_t* out_bytes) {
    return guard([&] {
        if (int rc = check_ptr(out_bytes, "out_bytes")) return rc;
        *out_bytes = 0;
        if (int rc = check_ptr(w, "w")) return rc;
        if (!w->writer || !w->state->db.is_open()) return set_error(CRM_ECLOSED, "document writer is finished");
        *out_bytes = w->writer->written();
        return CRM_OK;
    });
}
