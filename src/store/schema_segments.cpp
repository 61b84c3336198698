// Schema migration for saved segments (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
//
// A segment is a record kind (Entity::segment): its history, tags and custom values
// live in the shared tables. `definition` is the expression's text as the caller
// wrote it (docs/segments.md); it was checked when written.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kSegmentsSchema;
const char* const kSegmentsSchema = R"sql(
CREATE TABLE segments (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT UNIQUE,
  name        TEXT NOT NULL UNIQUE,
  definition  TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
)sql";

}  // namespace crm::detail
