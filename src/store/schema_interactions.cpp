// Schema migration for interactions, their links, email tracking events (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
//
// interaction_links repeats occurred_at so that a timeline page is one ordered
// walk of interaction_links_timeline (entity, record_id, occurred_at, id) with a
// keyset bound, without touching interactions rows that are not on the page.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kInteractionsSchema;
const char* const kInteractionsSchema = R"sql(
CREATE TABLE interactions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT UNIQUE,
  kind        TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  direction   TEXT NOT NULL DEFAULT 'internal',
  channel     TEXT NOT NULL DEFAULT '',
  subject     TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL DEFAULT '',
  actor_id    INTEGER REFERENCES users(id),
  url         TEXT NOT NULL DEFAULT '',
  referrer    TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX interactions_occurred ON interactions(occurred_at, id);
CREATE INDEX interactions_actor ON interactions(actor_id);
CREATE TABLE interaction_links (
  interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  entity         TEXT NOT NULL,
  record_id      INTEGER NOT NULL,
  occurred_at    INTEGER NOT NULL,
  PRIMARY KEY (interaction_id, entity, record_id)
) WITHOUT ROWID;
CREATE INDEX interaction_links_timeline ON interaction_links(entity, record_id, occurred_at, interaction_id);
CREATE TABLE email_events (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  event          TEXT NOT NULL,
  occurred_at    INTEGER NOT NULL,
  url            TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL
);
CREATE INDEX email_events_interaction ON email_events(interaction_id, occurred_at, id);
)sql";

}  // namespace crm::detail
