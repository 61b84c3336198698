// Schema migration for lead scoring (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
//
// scoring_models: one row per model (its name, whether it is kept current, its newest
// version). scoring_model_versions: every version's definition, never changed or
// deleted: old versions stay readable. scores: the stored score of each contact under
// each active model, kept current in the transaction of every write that moves it;
// derived data (recomputed by a rescore), so it has no history rows. Keyed by contact
// first: a contact's rows under every model sit together (one write touches them all, a
// contact's delete cascades through the key); scores_top serves each model's pages.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kScoringSchema;
const char* const kScoringSchema = R"sql(
CREATE TABLE scoring_models (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  name           TEXT NOT NULL UNIQUE,
  active         INTEGER NOT NULL DEFAULT 1,
  latest_version INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE TABLE scoring_model_versions (
  model_id   INTEGER NOT NULL REFERENCES scoring_models(id),
  version    INTEGER NOT NULL,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  actor_id   INTEGER,
  PRIMARY KEY (model_id, version)
) WITHOUT ROWID;
CREATE TABLE scores (
  model_id     INTEGER NOT NULL REFERENCES scoring_models(id),
  contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  as_of        INTEGER NOT NULL,
  fit          INTEGER NOT NULL,
  engagement   INTEGER NOT NULL,
  total        INTEGER NOT NULL,
  disqualified INTEGER NOT NULL,
  grade        TEXT NOT NULL,
  trend        TEXT NOT NULL,
  trend_delta  INTEGER NOT NULL,
  PRIMARY KEY (contact_id, model_id)
) WITHOUT ROWID;
CREATE INDEX scores_top ON scores(model_id, total DESC, contact_id);
)sql";

}  // namespace crm::detail
