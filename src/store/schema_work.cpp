// Schema migration for tasks, reminders, documents (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kWorkSchema;
const char* const kWorkSchema = R"sql(
CREATE TABLE tasks (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id         TEXT UNIQUE,
  title               TEXT NOT NULL,
  notes               TEXT NOT NULL DEFAULT '',
  due_at              INTEGER,
  remind_at           INTEGER,
  reminder_claimed_at INTEGER,
  reminder_claimed_by TEXT,
  assignee_id         INTEGER REFERENCES users(id),
  status              TEXT NOT NULL,
  priority            TEXT NOT NULL,
  completed_at        INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX tasks_due ON tasks(due_at, id);
CREATE INDEX tasks_assignee ON tasks(assignee_id, due_at);
CREATE INDEX tasks_reminder_pending ON tasks(remind_at, id) WHERE reminder_claimed_at IS NULL AND remind_at IS NOT NULL;
CREATE TABLE task_links (
  task_id   INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  entity    TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  PRIMARY KEY (task_id, entity, record_id)
) WITHOUT ROWID;
CREATE INDEX task_links_target ON task_links(entity, record_id);
CREATE TABLE documents (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT UNIQUE,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  mime_type   TEXT NOT NULL DEFAULT '',
  uri         TEXT NOT NULL DEFAULT '',
  size        INTEGER NOT NULL DEFAULT 0,
  sha256      TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX documents_name ON documents(name);
CREATE TABLE document_contents (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id INTEGER UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
  data        BLOB NOT NULL
);
CREATE TABLE document_links (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  entity      TEXT NOT NULL,
  record_id   INTEGER NOT NULL,
  PRIMARY KEY (document_id, entity, record_id)
) WITHOUT ROWID;
CREATE INDEX document_links_target ON document_links(entity, record_id);
CREATE TABLE document_sends (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  contact_id     INTEGER NOT NULL,
  sent_at        INTEGER NOT NULL,
  interaction_id INTEGER,
  actor_id       INTEGER
);
CREATE INDEX document_sends_document ON document_sends(document_id, sent_at);
CREATE INDEX document_sends_contact ON document_sends(contact_id, sent_at);
CREATE TABLE work_settings (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

}  // namespace crm::detail
