// Schema migration for imports (see migrations.cpp for its version number). Never
// edit once released: append a new migration instead.
//
// import_batches: one row per import run that was not a dry run: its source (name and
// SHA-256 of the bytes), the mapping's JSON, its counts, and when it was undone.
// finished_at stays NULL for a run that was interrupted; what it wrote is still listed.
// import_items: every record a batch created or updated, in order, with the range of
// history rows the batch wrote for it (history.id > history_from and <= history_to):
// undo puts back the old values of exactly those rows, and refuses when a later history
// row touched the same field. Derived bookkeeping: no history rows of its own.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kImportSchema;
const char* const kImportSchema = R"sql(
CREATE TABLE import_batches (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  entity             TEXT NOT NULL,
  source_name        TEXT NOT NULL DEFAULT '',
  source_sha256      TEXT NOT NULL DEFAULT '',
  mapping            TEXT NOT NULL,
  started_at         INTEGER NOT NULL,
  finished_at        INTEGER,
  actor_id           INTEGER,
  rows               INTEGER NOT NULL DEFAULT 0,
  created            INTEGER NOT NULL DEFAULT 0,
  updated            INTEGER NOT NULL DEFAULT 0,
  skipped            INTEGER NOT NULL DEFAULT 0,
  rejected           INTEGER NOT NULL DEFAULT 0,
  references_created INTEGER NOT NULL DEFAULT 0,
  undone_at          INTEGER
);
CREATE TABLE import_items (
  batch_id     INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  entity       TEXT NOT NULL,
  record_id    INTEGER NOT NULL,
  action       TEXT NOT NULL CHECK (action = 'created' OR action = 'updated'),
  line         INTEGER NOT NULL,
  history_from INTEGER NOT NULL,
  history_to   INTEGER NOT NULL,
  PRIMARY KEY (batch_id, seq)
) WITHOUT ROWID;
CREATE INDEX import_items_record ON import_items(entity, record_id);
)sql";

}  // namespace crm::detail
