// SQL for document content (incremental blob I/O), document sends and the work settings.
#include <sqlite3.h>

#include "store/bind.hpp"
#include "store/tasks_store.hpp"

namespace crm::store {

std::optional<std::int64_t> setting(DbImpl& db, const char* name) {
    auto& s = db.stmt("SELECT value FROM work_settings WHERE name=?");
    s.bind(1, name);
    if (!s.executeStep()) return std::nullopt;
    auto v = s.getColumn(0).getInt64();
    s.reset();
    return v;
}

void set_setting(DbImpl& db, const char* name, std::int64_t value) {
    auto& s = db.stmt("INSERT INTO work_settings(name,value) VALUES(?,?) ON CONFLICT(name) DO UPDATE SET value=excluded.value");
    s.bind(1, name);
    s.bind(2, static_cast<std::int64_t>(value));
    s.exec();
}

Id insert_content(DbImpl& db, std::int64_t size) {
    auto& s = db.stmt("INSERT INTO document_contents(document_id,data) VALUES(NULL,zeroblob(?))");
    s.bind(1, static_cast<std::int64_t>(size));
    s.exec();
    return db.conn->getLastInsertRowid();
}

void attach_content(DbImpl& db, Id content_id, Id document_id) {
    auto& s = db.stmt("UPDATE document_contents SET document_id=? WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(document_id));
    s.bind(2, static_cast<std::int64_t>(content_id));
    s.exec();
}

std::optional<Id> content_id_of(DbImpl& db, Id document_id) {
    auto& s = db.stmt("SELECT id FROM document_contents WHERE document_id=?");
    s.bind(1, static_cast<std::int64_t>(document_id));
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

Id insert_send(DbImpl& db, const DocumentSend& v) {
    auto& s = db.stmt(
        "INSERT INTO document_sends(document_id,contact_id,sent_at,interaction_id,actor_id) VALUES(?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(v.document_id));
    s.bind(2, static_cast<std::int64_t>(v.contact_id));
    s.bind(3, static_cast<std::int64_t>(v.sent_at));
    bind_opt(s, 4, v.interaction_id);
    bind_opt(s, 5, v.actor_id);
    s.exec();
    return db.conn->getLastInsertRowid();
}

std::vector<DocumentSend> sends_where(DbImpl& db, bool by_contact, Id id) {
    auto& s = db.stmt(by_contact
                          ? "SELECT id,document_id,contact_id,sent_at,interaction_id,actor_id FROM document_sends"
                            " WHERE contact_id=? ORDER BY sent_at, id"
                          : "SELECT id,document_id,contact_id,sent_at,interaction_id,actor_id FROM document_sends"
                            " WHERE document_id=? ORDER BY sent_at, id");
    s.bind(1, static_cast<std::int64_t>(id));
    std::vector<DocumentSend> out;
    while (s.executeStep()) {
        DocumentSend d;
        d.id = s.getColumn(0).getInt64();
        d.document_id = s.getColumn(1).getInt64();
        d.contact_id = s.getColumn(2).getInt64();
        d.sent_at = s.getColumn(3).getInt64();
        d.interaction_id = opt_int(s.getColumn(4));
        d.actor_id = opt_int(s.getColumn(5));
        out.push_back(d);
    }
    return out;
}

// ---- ContentBlob ---------------------------------------------------------------

namespace {
[[noreturn]] void fail(DbImpl& db, int rc) {
    throw SQLite::Exception(db.conn->getHandle(), rc);
}
}  // namespace

ContentBlob::ContentBlob(DbImpl& db, Id content_id, bool write) : db_(&db) {
    int rc = sqlite3_blob_open(db.conn->getHandle(), "main", "document_contents", "data", content_id, write ? 1 : 0,
                               &blob_);
    if (rc != SQLITE_OK) {
        sqlite3_blob_close(blob_);
        blob_ = nullptr;
        fail(db, rc);
    }
    db.open_blobs.insert(this);
}
ContentBlob::ContentBlob(ContentBlob&& o) noexcept : db_(o.db_), blob_(o.blob_) {
    o.blob_ = nullptr;
    if (blob_) {
        db_->open_blobs.erase(&o);
        db_->open_blobs.insert(this);
    }
}
ContentBlob::~ContentBlob() { close(); }
void ContentBlob::close() noexcept {
    if (!blob_) return;
    sqlite3_blob_close(blob_);
    blob_ = nullptr;
    db_->open_blobs.erase(this);
}
std::int64_t ContentBlob::size() const { return blob_ ? sqlite3_blob_bytes(blob_) : 0; }
namespace {
[[noreturn]] void closed_blob() {
    throw SQLite::Exception("the database was closed while the document was open", SQLITE_MISUSE);
}
}  // namespace
void ContentBlob::read(void* out, int n, std::int64_t offset) {
    if (!blob_) closed_blob();
    int rc = sqlite3_blob_read(blob_, out, n, static_cast<int>(offset));
    if (rc != SQLITE_OK) fail(*db_, rc);
}
void ContentBlob::write(const void* data, int n, std::int64_t offset) {
    if (!blob_) closed_blob();
    int rc = sqlite3_blob_write(blob_, data, n, static_cast<int>(offset));
    if (rc != SQLITE_OK) fail(*db_, rc);
}

}  // namespace crm::store
