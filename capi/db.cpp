// Opening and closing databases, actor and clock, and explicit transactions.
#include "capi_internal.hpp"

using namespace crm::capi;

namespace {

// Reads the fields that existed in the caller's version of the struct.
int to_options(const crm_open_options* in, crm::OpenOptions& out) {
    if (in->version < 1 || in->version > CRM_OPEN_OPTIONS_VERSION)
        return set_error(CRM_EINVALID,
                         "opts.version " + std::to_string(in->version) + " is not supported (this library knows 1.." +
                             std::to_string(CRM_OPEN_OPTIONS_VERSION) + ")",
                         "opts.version");
    // version 1
    out.create = in->create != 0;
    out.read_only = in->read_only != 0;
    if (in->busy_timeout_ms < 0)
        return set_error(CRM_EINVALID, "opts.busy_timeout_ms must not be negative", "opts.busy_timeout_ms");
    out.busy_timeout_ms = in->busy_timeout_ms;
    switch (in->durability) {
        case CRM_DURABILITY_NORMAL: out.durability = crm::Durability::normal; break;
        case CRM_DURABILITY_FULL: out.durability = crm::Durability::full; break;
        case CRM_DURABILITY_OFF: out.durability = crm::Durability::off; break;
        default:
            return set_error(CRM_EINVALID, "opts.durability is not a crm_durability", "opts.durability");
    }
    if (in->max_text_bytes == 0)
        return set_error(CRM_EINVALID, "opts.max_text_bytes must be at least 1", "opts.max_text_bytes");
    out.max_text_bytes = in->max_text_bytes;
    // version 2 fields go here, read only when in->version >= 2.
    return CRM_OK;
}

int check_txn(const crm_txn* t) noexcept {
    if (int rc = check_ptr(t, "txn")) return rc;
    if (!t->txn) return set_error(CRM_ECLOSED, "transaction is already committed or rolled back");
    if (!t->state || !t->state->db.is_open()) return set_error(CRM_ECLOSED, "transaction's database handle is closed");
    return CRM_OK;
}

}  // namespace

extern "C" {

CRM_API int crm_open_options_init(crm_open_options* opts, unsigned version) {
    return guard([&] {
        if (int rc = check_ptr(opts, "opts")) return rc;
        if (version < 1 || version > CRM_OPEN_OPTIONS_VERSION)
            return set_error(CRM_EINVALID, "version " + std::to_string(version) + " is not supported", "version");
        const crm_open_options defaults = CRM_OPEN_OPTIONS_INIT;
        *opts = defaults;
        opts->version = version;
        return CRM_OK;
    });
}

CRM_API int crm_db_open(crm_db** out, const char* path, const crm_open_options* opts) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_text(path, "path")) return rc;
        crm::OpenOptions o;
        if (opts) {
            if (int rc = to_options(opts, o)) return rc;
        }
        auto r = crm::Db::open(path, o);
        if (!r) return set_error(r.error());
        auto handle = std::make_unique<crm_db>();
        handle->state = std::make_shared<DbState>(std::move(r).value());
        *out = handle.release();
        return CRM_OK;
    });
}

CRM_API void crm_db_close(crm_db* db) {
    if (!db) return;
    try {
        if (db->state) {
            release_documents(*db->state);       // their blob handles would keep the connection open
            (void)db->state->db.close();         // rolls back an open transaction
        }
    } catch (...) {
    }
    delete db;  // the shared state lives on while a txn / cursor refers to it
}

CRM_API int crm_db_schema_version(crm_db* db, int* out_version) {
    return guard([&] {
        if (int rc = check_ptr(out_version, "out_version")) return rc;
        *out_version = 0;
        if (int rc = check_db(db)) return rc;
        *out_version = db->state->db.schema_version();
        return CRM_OK;
    });
}

CRM_API int crm_db_opened_schema_version(crm_db* db, int* out_version) {
    return guard([&] {
        if (int rc = check_ptr(out_version, "out_version")) return rc;
        *out_version = 0;
        if (int rc = check_db(db)) return rc;
        *out_version = db->state->db.opened_schema_version();
        return CRM_OK;
    });
}

CRM_API int crm_db_set_actor(crm_db* db, int64_t user_id) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (user_id < 0) return set_error(CRM_EINVALID, "user_id must be a user id or 0", "user_id");
        if (user_id > 0) {
            auto u = db->state->db.users().get(user_id);
            if (!u && u.error().code == crm::errc::not_found)
                return set_error(CRM_EINVALID, "user_id " + std::to_string(user_id) + " is not a user", "user_id");
            if (!u) return set_error(u.error());
        }
        db->state->db.set_actor(user_id ? std::optional<crm::Id>(user_id) : std::nullopt);
        return CRM_OK;
    });
}

CRM_API int crm_db_set_clock(crm_db* db, crm_clock_fn clock, void* payload) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        if (clock) db->state->db.set_clock([clock, payload]() -> crm::Timestamp { return clock(payload); });
        else db->state->db.set_clock({});
        return CRM_OK;
    });
}

CRM_API int crm_txn_begin(crm_txn** out, crm_db* db) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_db(db)) return rc;
        auto handle = std::make_unique<crm_txn>();
        handle->state = db->state;
        auto r = db->state->db.begin();
        if (!r) return set_error(r.error());
        handle->txn.emplace(std::move(r).value());
        db->state->in_txn = true;
        *out = handle.release();
        return CRM_OK;
    });
}

CRM_API int crm_txn_commit(crm_txn* txn) {
    return guard([&] {
        if (int rc = check_txn(txn)) return rc;
        auto r = txn->txn->commit();
        if (!r) return set_error(r.error());  // still open: the caller may retry or roll back
        txn->txn.reset();
        txn->state->in_txn = false;
        return CRM_OK;
    });
}

CRM_API int crm_txn_rollback(crm_txn* txn) {
    return guard([&] {
        if (int rc = check_txn(txn)) return rc;
        auto r = txn->txn->rollback();
        txn->txn.reset();
        txn->state->in_txn = false;
        return fail_or_ok(r);
    });
}

CRM_API void crm_txn_free(crm_txn* txn) {
    if (!txn) return;
    try {
        if (txn->txn && txn->state) txn->state->in_txn = false;
        txn->txn.reset();  // rolls back if still open
    } catch (...) {
    }
    delete txn;
}

}  // extern "C"

// ---- added with issue 8 (parity with the C++ API) ----------------------------------
extern "C" {

CRM_API int crm_db_latest_schema_version(void) { return crm::Db::latest_schema_version(); }

CRM_API int crm_db_actor(crm_db* db, int64_t* out_user_id) {
    return guard([&] {
        if (int rc = check_ptr(out_user_id, "out_user_id")) return rc;
        *out_user_id = 0;
        if (int rc = check_db(db)) return rc;
        *out_user_id = db->state->db.actor().value_or(0);
        return CRM_OK;
    });
}

CRM_API int crm_db_in_transaction(crm_db* db, int* out_in_transaction) {
    return guard([&] {
        if (int rc = check_ptr(out_in_transaction, "out_in_transaction")) return rc;
        *out_in_transaction = 0;
        if (int rc = check_db(db)) return rc;
        *out_in_transaction = db->state->db.in_transaction() ? 1 : 0;
        return CRM_OK;
    });
}

CRM_API int crm_txn_active(crm_txn* txn, int* out_active) {
    return guard([&] {
        if (int rc = check_ptr(out_active, "out_active")) return rc;
        *out_active = 0;
        if (int rc = check_ptr(txn, "txn")) return rc;
        *out_active = txn->txn && txn->state && txn->state->db.is_open() && txn->txn->active() ? 1 : 0;
        return CRM_OK;
    });
}

CRM_API int crm_db_set_reminder_hook(crm_db* db, crm_reminder_fn hook, void* payload) {
    return guard([&] {
        if (int rc = check_db(db)) return rc;
        db->state->reminder_hook = hook;
        db->state->reminder_payload = hook ? payload : nullptr;
        return CRM_OK;
    });
}

}  // extern "C"
