// crm/dedup.hpp — duplicate detection and undoable merge of contacts and accounts (MISSION D3).
//
//   auto pairs = db.dedup().find({crm::Entity::contact, /*min_score=*/60, /*limit=*/50}).value();
//   for (const auto& p : pairs) std::printf("%lld %lld %d\n", (long long)p.a, (long long)p.b, p.score);
//   auto m = db.dedup().merge(crm::Entity::contact, 7, 12, {.take_merged = {"title"}}).value();
//   db.contacts().get(12);              // errc::not_found: "contact 12 was merged into 7"
//   db.dedup().undo(m.id);              // contact 12 is back, with its relations
//
// Pairs are found by blocking on matching keys (crm::normalize: e-mail, E.164 phone,
// external id, folded name + company, kana reading + company; accounts: company key,
// phone, website domain) — never all pairs. A merge keeps the survivor's id, fills its
// empty fields from the merged record (or takes the fields you name), unites
// multi-valued fields, re-points every reference other records hold, deletes the
// merged record and records what undoing needs. Rules: docs/dedup.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crm/db.hpp"

namespace crm {

struct DuplicateQuery {
    Entity kind = Entity::contact;  // contact or account
    int min_score = 50;             // 0..100
    std::size_t limit = 100;        // 1..10000
};

// Two records that look like one. a < b.
struct DuplicatePair {
    Id a = 0, b = 0;
    int score = 0;  // 1..100
    // Why, strongest first: "email", "phone", "external_id", "name_company",
    // "reading_company", "name", "company", "website" (docs/dedup.md).
    std::vector<std::string> reasons;
};

struct MergeOptions {
    // Fields (key or short name: "title", "address.city", "custom.rank", "emails")
    // whose value is the merged record's instead of the survivor's.
    std::vector<std::string> take_merged;
    bool dry_run = false;  // compute and return everything; write nothing
};

// One field of the survivor that the merge changes. before/after: JSON values.
struct MergedField {
    std::string field;
    std::string source;  // "merged" (its value taken), "union" (both lists), "filled" (the survivor's was empty)
    std::string before, after;
};

// How many records (or rows) of a kind were re-pointed from the merged record to
// the survivor: {"deal", "contact_id", 3}; side tables: {"scores", "contact_id", 1}.
struct MovedRelation {
    std::string kind;
    std::string field;
    std::int64_t count = 0;
};

struct Merge {
    Id id = 0;  // 0 for a dry run
    Entity kind = Entity::contact;
    Id survivor_id = 0, merged_id = 0;
    bool dry_run = false;
    Timestamp at = 0;
    std::optional<Id> actor_id;
    std::optional<Timestamp> undone_at;
    std::vector<MergedField> fields;
    std::vector<MovedRelation> relations;
    std::string survivor;  // the survivor's document after the merge
};

class Dedup {
public:
    explicit Dedup(detail::DbImpl* db) noexcept : db_(db) {}

    // Candidate pairs, by score (highest first), then a, then b.
    result<std::vector<DuplicatePair>> find(const DuplicateQuery& query = {}) noexcept;

    // Merges record `merged_id` into `survivor_id` in one transaction (history rows
    // on both). errc::invalid_argument: a kind other than contact/account, the same
    // id twice, an unknown or computed field in take_merged, or an account merge that
    // would make an account its own parent; errc::not_found: either record missing
    // (the message says where a merged-away one went). Nothing changes on failure.
    result<Merge> merge(Entity kind, Id survivor_id, Id merged_id, const MergeOptions& options = {}) noexcept;
    // Undoes a merge: the merged record comes back under its id, the references and
    // side rows return, the survivor gets its fields back. errc::not_found for no such
    // merge; errc::invalid_argument if it is undone already or a later merge of
    // either record is not undone (undo that one first).
    result<Merge> undo(Id merge_id) noexcept;
    result<Merge> get(Id merge_id) noexcept;
    // Merges, newest first; kind std::nullopt = all. limit 1..10000.
    result<std::vector<Merge>> list(std::optional<Entity> kind = {}, std::size_t limit = 100) noexcept;
    // Where a merged-away record went (following later merges): the live record's id;
    // std::nullopt if `id` was never merged away (or the merge was undone).
    result<std::optional<Id>> merged_into(Entity kind, Id id) noexcept;

private:
    detail::DbImpl* db_;
};

std::string to_json(const DuplicatePair& p);
std::string to_json(const Merge& m);

}  // namespace crm
