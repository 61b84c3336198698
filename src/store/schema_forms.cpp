// Schema migration: forms and lead capture (see migrations.cpp for its place in
// the list). Never edit once released: append a new migration instead.
//
// - forms: one row per form, its definition as the canonical JSON document the
//   forms area writes (fields, mappings, rules), and its version. campaign_id is
//   also a column, so deleting the campaign clears it (the document's value is
//   read from the column).
// - form_versions: every define, update and remove of a form, with the whole
//   definition, its time and actor — the form's history. Kept after a remove.
// - form_submissions: what a submission adds to its interaction (kind
//   "form_submission"): the form and version it was made with, the attributed
//   source and campaign, the UTM parameters and the submitted values. Page URL and
//   referrer are the interaction's url and referrer. Goes with its interaction.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kFormsSchema;
const char* const kFormsSchema = R"sql(
CREATE TABLE forms (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL UNIQUE,
  version     INTEGER NOT NULL,
  campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
  definition  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE form_versions (
  form_id     INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  op          TEXT NOT NULL CHECK (op = 'define' OR op = 'update' OR op = 'remove'),
  at          INTEGER NOT NULL,
  actor_id    INTEGER,
  definition  TEXT NOT NULL,
  PRIMARY KEY (form_id, version, op)
) WITHOUT ROWID;
CREATE TABLE form_submissions (
  interaction_id INTEGER PRIMARY KEY REFERENCES interactions(id) ON DELETE CASCADE,
  form_id        INTEGER REFERENCES forms(id) ON DELETE SET NULL,
  form_version   INTEGER NOT NULL,
  source         TEXT NOT NULL DEFAULT '',
  campaign       TEXT NOT NULL DEFAULT '',
  campaign_id    INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
  utm_source     TEXT NOT NULL DEFAULT '',
  utm_medium     TEXT NOT NULL DEFAULT '',
  utm_campaign   TEXT NOT NULL DEFAULT '',
  utm_term       TEXT NOT NULL DEFAULT '',
  utm_content    TEXT NOT NULL DEFAULT '',
  submitted      TEXT NOT NULL
);
CREATE INDEX forms_campaign ON forms(campaign_id);
CREATE INDEX form_submissions_form ON form_submissions(form_id);
CREATE INDEX form_submissions_campaign ON form_submissions(campaign_id);
)sql";

}  // namespace crm::detail
