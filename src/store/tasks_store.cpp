// SQL for tasks, their links and their reminders.
#include "store/tasks_store.hpp"

#include <algorithm>

#include "store/bind.hpp"

namespace crm::store {

namespace {
const FieldSpec kTaskFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"title", "title", FieldKind::text, true},
    {"notes", "notes", FieldKind::text, false},
    {"due_at", "due_at", FieldKind::time, true},
    {"remind_at", "remind_at", FieldKind::time, true},
    {"assignee_id", "assignee_id", FieldKind::integer, true},
    {"status", "status", FieldKind::text, true},
    {"priority", "priority", FieldKind::text, true},
    {"completed_at", "completed_at", FieldKind::time, true},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};
const FieldSpec kDocumentFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"kind", "kind", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},
    {"mime_type", "mime_type", FieldKind::text, true},
    {"uri", "uri", FieldKind::text, false},
    {"size", "size", FieldKind::integer, true},
    {"sha256", "sha256", FieldKind::text, false},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};

void save_links(DbImpl& db, const char* del_sql, const char* ins_sql, Id owner, const std::vector<RecordLink>& links) {
    auto& d = db.stmt(del_sql);
    d.bind(1, static_cast<std::int64_t>(owner));
    d.exec();
    for (const auto& l : links) {
        auto& s = db.stmt(ins_sql);
        s.bind(1, static_cast<std::int64_t>(owner));
        s.bind(2, entity_name(l.entity));
        s.bind(3, static_cast<std::int64_t>(l.id));
        s.exec();
    }
}

std::vector<RecordLink> load_links(DbImpl& db, const char* sql, Id owner) {
    auto& s = db.stmt(sql);
    s.bind(1, static_cast<std::int64_t>(owner));
    std::vector<RecordLink> out;
    while (s.executeStep()) {
        auto e = entity_from_name(s.getColumn(0).getString());
        if (e) out.push_back({*e, s.getColumn(1).getInt64()});
    }
    std::sort(out.begin(), out.end());
    return out;
}

void bind_opt_time(SQLite::Statement& s, int i, const std::optional<Timestamp>& t) {
    if (t) s.bind(i, static_cast<std::int64_t>(*t)); else s.bind(i);
}

void bind_task(SQLite::Statement& s, const Task& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.title);
    s.bind(3, v.notes);
    bind_opt_time(s, 4, v.due_at);
    bind_opt_time(s, 5, v.remind_at);
    bind_opt(s, 6, v.assignee_id);
    s.bind(7, to_string(v.status));
    s.bind(8, to_string(v.priority));
    bind_opt_time(s, 9, v.completed_at);
    s.bind(10, static_cast<std::int64_t>(v.created_at));
    s.bind(11, static_cast<std::int64_t>(v.updated_at));
}
}  // namespace

std::span<const FieldSpec> work_field_specs(Entity e) noexcept {
    if (e == Entity::task) return kTaskFields;
    if (e == Entity::document) return kDocumentFields;
    return {};
}

bool table_exists(DbImpl& db, const char* table) {
    auto& s = db.stmt("SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?");
    s.bind(1, table);
    bool found = s.executeStep();
    s.reset();
    return found;
}

Id insert(DbImpl& db, const Task& v) {
    auto& s = db.stmt(
        "INSERT INTO tasks(external_id,title,notes,due_at,remind_at,assignee_id,status,priority,completed_at,"
        "created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    bind_task(s, v);
    s.exec();
    Id id = db.conn->getLastInsertRowid();
    save_links(db, "DELETE FROM task_links WHERE task_id=?",
               "INSERT INTO task_links(task_id,entity,record_id) VALUES(?,?,?)", id, v.links);
    return id;
}

void update(DbImpl& db, const Task& old, const Task& v) {
    auto& s = db.stmt(
        "UPDATE tasks SET external_id=?,title=?,notes=?,due_at=?,remind_at=?,assignee_id=?,status=?,priority=?,"
        "completed_at=?,created_at=?,updated_at=? WHERE id=?");
    bind_task(s, v);
    s.bind(12, static_cast<std::int64_t>(v.id));
    s.exec();
    if (old.remind_at != v.remind_at) {
        auto& r = db.stmt("UPDATE tasks SET reminder_claimed_at=NULL, reminder_claimed_by=NULL WHERE id=?");
        r.bind(1, static_cast<std::int64_t>(v.id));
        r.exec();
    }
    if (old.links != v.links)
        save_links(db, "DELETE FROM task_links WHERE task_id=?",
                   "INSERT INTO task_links(task_id,entity,record_id) VALUES(?,?,?)", v.id, v.links);
}

bool load(DbImpl& db, Id id, Task& v) {
    {
        auto& s = db.stmt(
            "SELECT id,external_id,title,notes,due_at,remind_at,assignee_id,status,priority,completed_at,"
            "created_at,updated_at FROM tasks WHERE id=?");
        s.bind(1, static_cast<std::int64_t>(id));
        if (!s.executeStep()) return false;
        v.id = s.getColumn(0).getInt64();
        v.external_id = text(s.getColumn(1));
        v.title = s.getColumn(2).getString();
        v.notes = s.getColumn(3).getString();
        v.due_at = opt_int(s.getColumn(4));
        v.remind_at = opt_int(s.getColumn(5));
        v.assignee_id = opt_int(s.getColumn(6));
        v.status = task_status_from_string(s.getColumn(7).getString()).value_or(TaskStatus::open);
        v.priority = task_priority_from_string(s.getColumn(8).getString()).value_or(TaskPriority::normal);
        v.completed_at = opt_int(s.getColumn(9));
        v.created_at = s.getColumn(10).getInt64();
        v.updated_at = s.getColumn(11).getInt64();
        s.reset();
    }
    v.links = load_links(db, "SELECT entity, record_id FROM task_links WHERE task_id=?", id);
    return true;
}

std::vector<Id> due_task_ids(DbImpl& db, const DueBounds& b) {
    auto& s = db.stmt(
        "SELECT id FROM tasks WHERE due_at IS NOT NULL AND (status='open' OR status='in_progress')"
        " AND (?1 IS NULL OR due_at >= ?1) AND (?2 IS NULL OR due_at < ?2)"
        " AND (?3 IS NULL OR assignee_id = ?3)"
        " AND (?4 IS NULL OR due_at > ?4 OR (due_at = ?4 AND id > ?5))"
        " ORDER BY due_at, id LIMIT ?6");
    bind_opt_time(s, 1, b.from);
    bind_opt_time(s, 2, b.to);
    bind_opt(s, 3, b.assignee_id);
    bind_opt_time(s, 4, b.after_due);
    s.bind(5, static_cast<std::int64_t>(b.after_id));
    s.bind(6, static_cast<std::int64_t>(b.limit + 1));
    std::vector<Id> ids;
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
}

std::vector<Id> linked_ids(DbImpl& db, const char* link_table, Entity e, Id id) {
    const std::string t = link_table;
    const char* sql = t == "task_links"
                          ? "SELECT task_id FROM task_links WHERE entity=? AND record_id=? ORDER BY task_id"
                          : "SELECT document_id FROM document_links WHERE entity=? AND record_id=? ORDER BY document_id";
    auto& s = db.stmt(sql);
    s.bind(1, entity_name(e));
    s.bind(2, static_cast<std::int64_t>(id));
    std::vector<Id> ids;
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
}

// One statement: the rows are chosen and marked under the write lock of the
// caller's BEGIN IMMEDIATE scope, so no two connections can both mark a row.
std::vector<Reminder> claim_reminders(DbImpl& db, Timestamp now, std::size_t limit, const std::string& claimer) {
    auto& s = db.stmt(
        "UPDATE tasks SET reminder_claimed_at=?1, reminder_claimed_by=?2 WHERE id IN ("
        " SELECT id FROM tasks WHERE remind_at IS NOT NULL AND reminder_claimed_at IS NULL AND remind_at <= ?1"
        " AND (status='open' OR status='in_progress') ORDER BY remind_at, id LIMIT ?3)"
        " RETURNING id, title, remind_at, due_at, assignee_id, priority");
    s.bind(1, static_cast<std::int64_t>(now));
    s.bind(2, claimer);
    s.bind(3, static_cast<std::int64_t>(limit));
    std::vector<Reminder> out;
    while (s.executeStep()) {
        Reminder r;
        r.task_id = s.getColumn(0).getInt64();
        r.title = s.getColumn(1).getString();
        r.remind_at = s.getColumn(2).getInt64();
        r.due_at = opt_int(s.getColumn(3));
        r.assignee_id = opt_int(s.getColumn(4));
        r.priority = task_priority_from_string(s.getColumn(5).getString()).value_or(TaskPriority::normal);
        r.claimed_at = now;
        r.claimed_by = claimer;
        out.push_back(std::move(r));
    }
    s.reset();
    std::sort(out.begin(), out.end(), [](const Reminder& a, const Reminder& b) {
        return a.remind_at != b.remind_at ? a.remind_at < b.remind_at : a.task_id < b.task_id;
    });
    for (auto& r : out) r.links = load_links(db, "SELECT entity, record_id FROM task_links WHERE task_id=?", r.task_id);
    return out;
}

bool release_reminder(DbImpl& db, Id task_id) {
    auto& s = db.stmt("UPDATE tasks SET reminder_claimed_at=NULL, reminder_claimed_by=NULL WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(task_id));
    return s.exec() > 0;
}

std::optional<std::optional<Timestamp>> reminder_claimed_at(DbImpl& db, Id task_id) {
    auto& s = db.stmt("SELECT reminder_claimed_at FROM tasks WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(task_id));
    if (!s.executeStep()) return std::nullopt;
    auto v = opt_int(s.getColumn(0));
    s.reset();
    return std::optional<std::optional<Timestamp>>(v);
}

// ---- documents: rows and links (content and sends in documents_store.cpp)

namespace {
void bind_document(SQLite::Statement& s, const Document& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, to_string(v.kind));
    s.bind(3, v.name);
    s.bind(4, v.mime_type);
    s.bind(5, v.uri);
    s.bind(6, static_cast<std::int64_t>(v.size));
    s.bind(7, v.sha256);
    s.bind(8, static_cast<std::int64_t>(v.created_at));
    s.bind(9, static_cast<std::int64_t>(v.updated_at));
}
}  // namespace

Id insert(DbImpl& db, const Document& v) {
    auto& s = db.stmt(
        "INSERT INTO documents(external_id,kind,name,mime_type,uri,size,sha256,created_at,updated_at)"
        " VALUES(?,?,?,?,?,?,?,?,?)");
    bind_document(s, v);
    s.exec();
    Id id = db.conn->getLastInsertRowid();
    save_links(db, "DELETE FROM document_links WHERE document_id=?",
               "INSERT INTO document_links(document_id,entity,record_id) VALUES(?,?,?)", id, v.links);
    return id;
}

void update(DbImpl& db, const Document& old, const Document& v) {
    auto& s = db.stmt(
        "UPDATE documents SET external_id=?,kind=?,name=?,mime_type=?,uri=?,size=?,sha256=?,created_at=?,"
        "updated_at=? WHERE id=?");
    bind_document(s, v);
    s.bind(10, static_cast<std::int64_t>(v.id));
    s.exec();
    if (old.links != v.links)
        save_links(db, "DELETE FROM document_links WHERE document_id=?",
                   "INSERT INTO document_links(document_id,entity,record_id) VALUES(?,?,?)", v.id, v.links);
}

bool load(DbImpl& db, Id id, Document& v) {
    {
        auto& s = db.stmt(
            "SELECT id,external_id,kind,name,mime_type,uri,size,sha256,created_at,updated_at,"
            "EXISTS(SELECT 1 FROM document_contents c WHERE c.document_id=documents.id) FROM documents WHERE id=?");
        s.bind(1, static_cast<std::int64_t>(id));
        if (!s.executeStep()) return false;
        v.id = s.getColumn(0).getInt64();
        v.external_id = text(s.getColumn(1));
        v.kind = document_kind_from_string(s.getColumn(2).getString()).value_or(DocumentKind::other);
        v.name = s.getColumn(3).getString();
        v.mime_type = s.getColumn(4).getString();
        v.uri = s.getColumn(5).getString();
        v.size = s.getColumn(6).getInt64();
        v.sha256 = s.getColumn(7).getString();
        v.created_at = s.getColumn(8).getInt64();
        v.updated_at = s.getColumn(9).getInt64();
        v.has_content = s.getColumn(10).getInt() != 0;
        s.reset();
    }
    v.links = load_links(db, "SELECT entity, record_id FROM document_links WHERE document_id=?", id);
    return true;
}

}  // namespace crm::store
