// Schema migration for full-text search (MISSION D4; see migrations.cpp for its
// version number). Never edit once released: append a new migration instead.
//
// search_docs holds one row per searchable record (any kind with cap_search fields):
// `label` is the record's title as stored, `title` and `body` its searchable text
// folded for matching (NFKC, white space collapsed, hiragana as katakana, ASCII lower
// case; src/search/search.cpp). Two FTS5 indexes cover it:
// - search_tri: trigram tokens over search_docs (external content) — substrings of
//   three characters or more, in any script;
// - search_uni: words, with every CJK / kana character a word of its own (the text is
//   written to it with spaces around such characters; contentless) — terms of one or
//   two characters, and English prefixes.
// The library keeps all three in step with the records in the transaction of every
// write. A file upgraded to this version is indexed by the library right after the
// migrations, in their transaction (the folding is C++, not SQL).
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kSearchSchema;
const char* const kSearchSchema = R"sql(
CREATE TABLE search_docs (
  id        INTEGER PRIMARY KEY,
  entity    TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  label     TEXT NOT NULL,
  title     TEXT NOT NULL,
  body      TEXT NOT NULL,
  UNIQUE (entity, record_id)
);
CREATE VIRTUAL TABLE search_tri USING fts5(title, body, content='search_docs', content_rowid='id',
  tokenize='trigram case_sensitive 0');
CREATE VIRTUAL TABLE search_uni USING fts5(title, body, content='', tokenize='unicode61 remove_diacritics 0');
)sql";

}  // namespace crm::detail
