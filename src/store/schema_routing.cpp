// Schema migration for routing of hot leads (see migrations.cpp for its version
// number). Never edit once released: append a new migration instead.
//
// routings: one row per routing (name, newest version). routing_versions: every
// version's definition (normalized JSON), never changed or deleted. routing_rotation:
// the round-robin position of each pool rule, keyed by rule id so it survives new
// versions and restarts. routing_handoffs: every hand-off, append-only: the owner
// chosen, the follow-up task, and the hand-off as it was at that time: document (why:
// the rules tried, the owners skipped), scores and timeline (JSON arrays of the
// library's own documents). owner_id and task_id are not foreign keys: a hand-off is a
// record of what happened, kept when the user or the task is deleted later.
// routing_triggers: the routing run when a contact enters a threshold.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kRoutingSchema;
const char* const kRoutingSchema = R"sql(
CREATE TABLE routings (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  name           TEXT NOT NULL UNIQUE,
  latest_version INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE TABLE routing_versions (
  routing_id INTEGER NOT NULL REFERENCES routings(id),
  version    INTEGER NOT NULL,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  actor_id   INTEGER,
  PRIMARY KEY (routing_id, version)
) WITHOUT ROWID;
CREATE TABLE routing_rotation (
  routing_id INTEGER NOT NULL REFERENCES routings(id),
  rule       TEXT NOT NULL,
  position   INTEGER NOT NULL,
  PRIMARY KEY (routing_id, rule)
) WITHOUT ROWID;
CREATE TABLE routing_handoffs (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  routing_id INTEGER NOT NULL REFERENCES routings(id),
  version    INTEGER NOT NULL,
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  status     TEXT NOT NULL,
  owner_id   INTEGER,
  task_id    INTEGER,
  at         INTEGER NOT NULL,
  actor_id   INTEGER,
  document   TEXT NOT NULL,
  scores     TEXT NOT NULL,
  timeline   TEXT NOT NULL
);
CREATE INDEX routing_handoffs_contact ON routing_handoffs(contact_id, id);
CREATE INDEX routing_handoffs_owner ON routing_handoffs(owner_id, task_id);
CREATE TABLE routing_triggers (
  threshold_id INTEGER PRIMARY KEY REFERENCES score_thresholds(id) ON DELETE CASCADE,
  routing_id   INTEGER NOT NULL REFERENCES routings(id)
);
)sql";

}  // namespace crm::detail
