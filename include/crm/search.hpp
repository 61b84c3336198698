// crm/search.hpp — full-text search over every kind's searchable fields (MISSION D4).
//
//   auto hits = db.search().query("田中").value();                      // best first
//   crm::SearchOptions o; o.kinds = {crm::Entity::contact};
//   o.where = {crm::parse_filter("lifecycle_stage=mql").value()};
//   auto mql = db.search().query("株式会社 acc", o).value();
//   db.search().rebuild();                                              // recreate the index
//
// What is searched: the fields a kind's descriptor marks searchable (cap_search in
// crm::entity_info(): a contact's name, reading, title and department; an account's
// name and reading; an interaction's subject and body; a ticket's subject and
// description; a document's name; deals, tasks, products … likewise). Text is folded
// on both sides — NFKC (full-width ＡＢＣ is abc, half-width ｶﾅ is カナ), hiragana as
// katakana (やまだ finds ヤマダ), case — and matched as substrings: each term of three
// characters or more through a trigram index, each of one or two characters (林, 顧客,
// "ab" as a word prefix) through a second index of words and single CJK characters.
// Every term must match (AND); results are ranked by bm25, the record's title counting
// double. What the user types is only ever searched as text: quotes, AND/OR/NOT/NEAR,
// *, ^, :, parentheses are characters to find, never FTS5 query syntax.
// The index is written in the transaction of every write. Rules and limits: docs/search.md.
#pragma once

#include "crm/db.hpp"
#include "crm/query.hpp"

namespace crm {

struct SearchOptions {
    std::vector<Entity> kinds;  // the kinds to search; empty = every searchable kind
    // Structured filters (crm/query.hpp, the same as lists take) on the records found;
    // they name fields of one kind, so `kinds` must then hold exactly one.
    std::vector<Filter> where;
    std::size_t limit = 20;  // 1 … 1000
};

struct SearchHit {
    Entity kind = Entity::contact;
    Id id = 0;
    std::string title;    // the record's title as stored (a contact's name, a ticket's subject …)
    std::string snippet;  // a window of the folded text around the first match, the match in [ ]
    double rank = 0;      // bm25: lower is better
};

// The kinds that have searchable fields (cap_search in crm::entity_info()), in Entity order.
std::vector<Entity> searchable_kinds() noexcept;

class Search {
public:
    static constexpr std::size_t max_query_bytes = 1024;  // UTF-8 bytes of the query
    static constexpr std::size_t max_terms = 16;          // white-space separated terms
    static constexpr std::size_t max_limit = 1000;

    explicit Search(detail::DbImpl* db) noexcept : db_(db) {}

    // The records matching every term of `text`, best first (bm25, then kind, then id).
    // errc::invalid_argument (field "query", "kinds", "where" or "limit") for an empty or
    // over-long query, too many terms, a 1–2 character term with no letter or digit, a
    // kind that has no searchable fields, filters without exactly one kind, or a bad filter.
    result<std::vector<SearchHit>> query(std::string_view text, const SearchOptions& options = {}) noexcept;

    // Recreates the whole index from the records, in one transaction; returns the
    // number of records indexed.
    result<std::int64_t> rebuild() noexcept;

private:
    detail::DbImpl* db_;
};

}  // namespace crm
