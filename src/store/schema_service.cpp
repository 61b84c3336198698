// Schema migration for tickets, status history, SLA policies, business calendars (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kServiceSchema;
const char* const kServiceSchema = R"sql(
CREATE TABLE business_calendars (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  name               TEXT NOT NULL UNIQUE,
  utc_offset_minutes INTEGER NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE TABLE business_calendar_hours (
  calendar_id  INTEGER NOT NULL REFERENCES business_calendars(id) ON DELETE CASCADE,
  weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
  end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
  PRIMARY KEY (calendar_id, weekday, start_minute)
) WITHOUT ROWID;
CREATE TABLE business_calendar_holidays (
  calendar_id INTEGER NOT NULL REFERENCES business_calendars(id) ON DELETE CASCADE,
  date        TEXT NOT NULL,
  PRIMARY KEY (calendar_id, date)
) WITHOUT ROWID;
CREATE TABLE sla_policies (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL UNIQUE,
  calendar_id INTEGER REFERENCES business_calendars(id),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE sla_targets (
  policy_id              INTEGER NOT NULL REFERENCES sla_policies(id) ON DELETE CASCADE,
  priority               TEXT NOT NULL,
  first_response_minutes INTEGER NOT NULL,
  resolution_minutes     INTEGER NOT NULL,
  PRIMARY KEY (policy_id, priority)
) WITHOUT ROWID;
CREATE TABLE tickets (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id       TEXT UNIQUE,
  subject           TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL,
  priority          TEXT NOT NULL,
  channel           TEXT NOT NULL,
  requester_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  account_id        INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  assignee_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  opened_at         INTEGER NOT NULL,
  first_response_at INTEGER,
  resolved_at       INTEGER,
  closed_at         INTEGER,
  sla_policy_id     INTEGER REFERENCES sla_policies(id),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX tickets_status ON tickets(status, opened_at);
CREATE INDEX tickets_requester ON tickets(requester_id);
CREATE INDEX tickets_account ON tickets(account_id);
CREATE INDEX tickets_assignee ON tickets(assignee_id, status);
CREATE TABLE ticket_status_history (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  at          INTEGER NOT NULL,
  actor_id    INTEGER
);
CREATE INDEX ticket_status_history_ticket ON ticket_status_history(ticket_id, id);
)sql";

}  // namespace crm::detail
