// Private: SQL for tasks, reminders and documents beyond their own rows (tasks_store.cpp, documents_store.cpp).
#pragma once

#include "crm/documents.hpp"
#include "crm/tasks.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

// ---- tasks: links, and a changed remind_at makes the reminder pending again
// (the descriptor's save_children / load_children)
void save_task_children(DbImpl& db, const Task& v, const Task* old);
void load_task_children(DbImpl& db, std::span<Task> tasks);
struct DueBounds {
    std::optional<Timestamp> from, to;  // [from, to)
    std::optional<Id> assignee_id;
    std::optional<Timestamp> after_due;
    Id after_id = 0;
    std::size_t limit = 100;
};
std::vector<Id> due_task_ids(DbImpl& db, const DueBounds& b);  // limit+1 rows to detect a next page
std::vector<Id> linked_ids(DbImpl& db, const char* link_table, Entity e, Id id);
std::vector<Reminder> claim_reminders(DbImpl& db, Timestamp now, std::size_t limit, const std::string& claimer);
bool release_reminder(DbImpl& db, Id task_id);
std::optional<std::optional<Timestamp>> reminder_claimed_at(DbImpl& db, Id task_id);

// ---- documents: links and has_content (the descriptor's save_children / load_children)
void save_document_children(DbImpl& db, const Document& v, const Document* old);
void load_document_children(DbImpl& db, std::span<Document> docs);
std::optional<std::int64_t> setting(DbImpl& db, const char* name);
void set_setting(DbImpl& db, const char* name, std::int64_t value);
Id insert_content(DbImpl& db, std::int64_t size);      // zero-filled row, not yet owned by a document
void attach_content(DbImpl& db, Id content_id, Id document_id);
std::optional<Id> content_id_of(DbImpl& db, Id document_id);
Id insert_send(DbImpl& db, const DocumentSend& s);
std::vector<DocumentSend> sends_where(DbImpl& db, bool by_contact, Id id);

// Incremental blob I/O on document_contents.data (sqlite3_blob_*). Throws SQLite::Exception.
class ContentBlob {
public:
    ContentBlob(DbImpl& db, Id content_id, bool write);
    ContentBlob(ContentBlob&&) noexcept;
    ContentBlob& operator=(ContentBlob&&) = delete;
    ~ContentBlob();
    std::int64_t size() const;
    void read(void* out, int n, std::int64_t offset);
    void write(const void* data, int n, std::int64_t offset);
    void close() noexcept;
private:
    DbImpl* db_;
    struct sqlite3_blob* blob_ = nullptr;
};

}  // namespace crm::store
