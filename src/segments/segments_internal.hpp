// Private: the segments area's pieces — checking a parsed expression against the
// descriptors (check.cpp), evaluating attribute predicates on as-of documents
// (as_of.cpp) — and the store's compiler (store/segments_store.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include "scoring/scoring_internal.hpp"
#include "segments/ast.hpp"
#include "store/filter_sql.hpp"

namespace crm::segments {

using detail::DbImpl;

// Every problem of a parsed expression, ordered by position.
std::vector<SegmentIssue> check(DbImpl& db, const Node& root);

// The attribute predicate `n` on documents (the contact's, and its account's or
// null) as they were at some time: what the compiled SQL answers for the stored rows.
bool eval_attr(DbImpl& db, const Node& n, const nlohmann::json& contact, const nlohmann::json* account);

// Score predicates (scores.cpp): the check against the model (issues appended), the
// resolution of a checked tree's score nodes (model id, band ranges), and the
// predicate on a score computed as of a past time.
void check_score(DbImpl& db, const Node& n, std::vector<SegmentIssue>& issues);
result<void> resolve_scores(DbImpl& db, Node& root);
bool score_matches(const Node& n, const scoring::ScoreAt& s);

}  // namespace crm::segments

namespace crm::store {

// A compiled expression: a condition on a row of `contacts` and its bound values.
struct SegmentSql {
    std::string where;
    std::vector<Bound> binds;
};

// Compiles the tree, evaluated at time `at` (behaviour up to `at`, windows ending
// there). behaviour_only: attribute predicates are left out (the caller answers
// them from as-of documents): used for one behaviour leaf at a time.
result<SegmentSql> compile_segment(DbImpl& db, const segments::Node& root, Timestamp at, bool behaviour_only = false);

std::int64_t segment_count(DbImpl& db, const SegmentSql& q);
// Up to `limit` member ids greater than `after`, ascending.
std::vector<Id> segment_ids(DbImpl& db, const SegmentSql& q, Id after, std::size_t limit);
// Which of `candidates` satisfy q (a behaviour condition: it reads only contacts.id).
std::vector<Id> segment_filter_ids(DbImpl& db, const SegmentSql& q, const std::vector<Id>& candidates);
// Every contact id that exists or was deleted (has a delete row in history), ascending.
std::vector<Id> contact_ids_ever(DbImpl& db, Id after);

}  // namespace crm::store
