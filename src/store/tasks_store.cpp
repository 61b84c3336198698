// SQL for tasks, their links and their reminders.
#include "store/tasks_store.hpp"

#include <algorithm>

#include "store/bind.hpp"

namespace crm::store {

namespace {
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

}  // namespace

void save_task_children(DbImpl& db, const Task& v, const Task* old) {
    if (old && old->remind_at != v.remind_at) {  // a new reminder time: due again
        auto& r = db.stmt("UPDATE tasks SET reminder_claimed_at=NULL, reminder_claimed_by=NULL WHERE id=?");
        r.bind(1, static_cast<std::int64_t>(v.id));
        r.exec();
    }
    if (old ? old->links != v.links : !v.links.empty())
        save_links(db, "DELETE FROM task_links WHERE task_id=?",
                   "INSERT INTO task_links(task_id,entity,record_id) VALUES(?,?,?)", v.id, v.links);
}

void load_task_children(DbImpl& db, std::span<Task> tasks) {
    for (auto& t : tasks) t.links = load_links(db, "SELECT entity, record_id FROM task_links WHERE task_id=?", t.id);
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

// ---- documents: links and whether content is stored (content and sends in documents_store.cpp)

void save_document_children(DbImpl& db, const Document& v, const Document* old) {
    if (old ? old->links != v.links : !v.links.empty())
        save_links(db, "DELETE FROM document_links WHERE document_id=?",
                   "INSERT INTO document_links(document_id,entity,record_id) VALUES(?,?,?)", v.id, v.links);
}

void load_document_children(DbImpl& db, std::span<Document> docs) {
    for (auto& d : docs) {
        d.links = load_links(db, "SELECT entity, record_id FROM document_links WHERE document_id=?", d.id);
        auto& s = db.stmt("SELECT EXISTS(SELECT 1 FROM document_contents WHERE document_id=?)");
        s.bind(1, static_cast<std::int64_t>(d.id));
        s.executeStep();
        d.has_content = s.getColumn(0).getInt() != 0;
        s.reset();
    }
}

}  // namespace crm::store
