// Schema migration for score thresholds with hysteresis (see migrations.cpp for its
// version number). Never edit once released: append a new migration instead.
//
// score_thresholds: one row per threshold (name, model, which output, enter and leave
// levels in thousandths of a point, the lifecycle stage to move a contact to on
// entering, "" for none). threshold_state: whether each contact is inside, kept in the
// transaction of the write that moved the score (derived: no history rows).
// threshold_crossings: every crossing, append-only.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kThresholdsSchema;
const char* const kThresholdsSchema = R"sql(
CREATE TABLE score_thresholds (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL UNIQUE,
  model_id    INTEGER NOT NULL REFERENCES scoring_models(id),
  output      TEXT NOT NULL,
  enter_level INTEGER NOT NULL,
  leave_level INTEGER NOT NULL,
  stage       TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE INDEX score_thresholds_model ON score_thresholds(model_id);
CREATE TABLE threshold_state (
  threshold_id INTEGER NOT NULL REFERENCES score_thresholds(id) ON DELETE CASCADE,
  contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  inside       INTEGER NOT NULL,
  since        INTEGER NOT NULL,
  PRIMARY KEY (threshold_id, contact_id)
) WITHOUT ROWID;
CREATE TABLE threshold_crossings (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  threshold_id INTEGER NOT NULL REFERENCES score_thresholds(id) ON DELETE CASCADE,
  contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  at           INTEGER NOT NULL,
  entered      INTEGER NOT NULL,
  score        INTEGER NOT NULL
);
CREATE INDEX threshold_crossings_contact ON threshold_crossings(threshold_id, contact_id, id);
)sql";

}  // namespace crm::detail
