// Schema migration for duplicate merges (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
//
// merges: one row per merge of two records of a kind (contacts, accounts), with what
// undoing it needs: the survivor's document before and after, the merged-away
// record's document (it is restored under the same id), every reference that was
// re-pointed (kind, record, field, the value before) and the rows of the side tables
// (stored scores, hand-offs, flags, employment periods …) of both records as they
// were. undone_at is set when the merge is undone; a merged-away id whose merge is
// not undone answers "merged into" (src/dedup/dedup.cpp).
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kDedupSchema;
const char* const kDedupSchema = R"sql(
CREATE TABLE merges (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  entity           TEXT NOT NULL,
  survivor_id      INTEGER NOT NULL,
  merged_id        INTEGER NOT NULL,
  merged_at        INTEGER NOT NULL,
  actor_id         INTEGER,
  survivor_before  TEXT NOT NULL,
  survivor_after   TEXT NOT NULL,
  merged_document  TEXT NOT NULL,
  fields           TEXT NOT NULL,
  relations        TEXT NOT NULL,
  side_rows        TEXT NOT NULL,
  undone_at        INTEGER,
  undone_by        INTEGER
);
CREATE INDEX merges_merged ON merges(entity, merged_id, id);
CREATE INDEX merges_survivor ON merges(entity, survivor_id, id);
)sql";

}  // namespace crm::detail
