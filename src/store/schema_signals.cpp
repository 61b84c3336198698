// Schema migration for re-engagement and churn signals (see migrations.cpp for its
// version number). Never edit once released: append a new migration instead.
//
// signal_rules: one row per rule (its name, kind and settings; list settings as
// comma-separated text: interaction kinds are [a-z][a-z0-9_]*, stages are names).
// signal_flags: every flag, recorded once per (rule, contact, episode) — the UNIQUE
// key is what makes a flag fire once; derived data (no history rows), dropped with its
// rule or contact. interaction_id, deal_id and task_id have no foreign key: a flag
// keeps saying what triggered it after that record is deleted.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kSignalsSchema;
const char* const kSignalsSchema = R"sql(
CREATE TABLE signal_rules (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  name               TEXT NOT NULL UNIQUE,
  kind               TEXT NOT NULL,
  kinds              TEXT NOT NULL DEFAULT '',
  via_account        INTEGER NOT NULL DEFAULT 0,
  within_days        INTEGER NOT NULL DEFAULT 0,
  stages             TEXT NOT NULL DEFAULT '',
  days               INTEGER NOT NULL DEFAULT 0,
  pattern            TEXT NOT NULL DEFAULT '',
  day_offset_minutes INTEGER NOT NULL DEFAULT 540,
  task_title         TEXT NOT NULL DEFAULT '',
  task_due_hours     INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL
);
CREATE INDEX signal_rules_kind ON signal_rules(kind);
CREATE TABLE signal_flags (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  rule_id         INTEGER NOT NULL REFERENCES signal_rules(id) ON DELETE CASCADE,
  contact_id      INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  episode         TEXT NOT NULL,
  at              INTEGER NOT NULL,
  interaction_id  INTEGER,
  deal_id         INTEGER,
  task_id         INTEGER,
  detail          TEXT NOT NULL DEFAULT '',
  recorded_at     INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by INTEGER,
  UNIQUE (rule_id, contact_id, episode)
);
CREATE INDEX signal_flags_contact ON signal_flags(contact_id, id);
)sql";

}  // namespace crm::detail
