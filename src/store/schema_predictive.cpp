// Schema migration for predictive scoring (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
//
// predictive_models: one row per model name and its newest version.
// predictive_model_versions: every trained version — its definition and its report
// (columns, means, standard deviations, weights, AUC …) as JSON — never changed or
// deleted. predictive_scores: each contact's stored prediction under a model (the
// version that computed it), written by training and rescoring; derived data, so no
// history rows. rank = round(probability × 1e15), the key of the "hottest" pages.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kPredictiveSchema;
const char* const kPredictiveSchema = R"sql(
CREATE TABLE predictive_models (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  name           TEXT NOT NULL UNIQUE,
  latest_version INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE TABLE predictive_model_versions (
  model_id   INTEGER NOT NULL REFERENCES predictive_models(id),
  version    INTEGER NOT NULL,
  definition TEXT NOT NULL,
  report     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  actor_id   INTEGER,
  PRIMARY KEY (model_id, version)
) WITHOUT ROWID;
CREATE TABLE predictive_scores (
  model_id    INTEGER NOT NULL REFERENCES predictive_models(id),
  contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  as_of       INTEGER NOT NULL,
  probability REAL NOT NULL,
  score       INTEGER NOT NULL,
  rank        INTEGER NOT NULL,
  PRIMARY KEY (contact_id, model_id)
) WITHOUT ROWID;
CREATE INDEX predictive_scores_top ON predictive_scores(model_id, rank DESC, contact_id);
)sql";

}  // namespace crm::detail
