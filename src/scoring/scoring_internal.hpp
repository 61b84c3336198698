// Private: what other areas call to keep stored scores current, in the scope of
// their own write (interactions, contacts, accounts), and the seam for what is built
// on stored scores (thresholds, lifecycle moves, routing): the change hooks.
#pragma once

#include <functional>
#include <vector>

#include "crm/scoring.hpp"
#include "records/descriptor.hpp"

namespace crm::scoring {

// Recomputes, now, the stored score of each of these contacts under every active
// model, inside the caller's write scope. Contacts that no longer exist are skipped.
// With `kinds` (interactions of these kinds were written), only the models that
// read one of those kinds: the others' inputs did not change.
result<void> refresh_contacts(records::Write& w, std::vector<Id> contacts,
                              const std::vector<std::string>* kinds = nullptr);
// The same for every contact currently at the account, when an active model reads
// account fields (otherwise nothing to do).
result<void> refresh_account(records::Write& w, Id account_id);

// A stored total that moved: called inside the write scope that moved it, after the
// new row is stored. A hook's error rolls back the whole write. This is the seam for
// thresholds with hysteresis and callbacks, lifecycle moves and routing (docs/scoring.md).
struct ScoreChange {
    Id contact_id = 0;
    Id model_id = 0;
    std::string model;
    int version = 0;
    std::optional<std::int64_t> old_total;  // thousandths; nullopt: no score was stored
    std::int64_t new_total = 0;
    Timestamp at = 0;
    std::int64_t new_fit = 0;         // the new score's fit and engagement parts (thousandths)
    std::int64_t new_engagement = 0;
};
using ChangeHook = result<void> (*)(records::Write& w, const ScoreChange& change);
// Process-wide list of hooks, for start-up and tests (not thread-safe against writes).
void add_change_hook(ChangeHook hook);
void remove_change_hook(ChangeHook hook);

// Scores as of a past time under one model, for many contacts (segments' as-of
// evaluation of score predicates): the model version current at `as_of`, each
// contact's fields as of then and its interactions up to then — what
// Scoring::score(contact, model, as_of) gives. A contact that did not exist then, or
// a model with no version then, has no score (nullopt).
struct ScoreAt {
    Score score;
    std::string fit_band;         // "X" when disqualified
    std::string engagement_band;
};
using ScorerAt = std::function<result<std::optional<ScoreAt>>(Id contact_id)>;
result<ScorerAt> scorer_at(detail::DbImpl& db, const std::string& model, Timestamp as_of);

}  // namespace crm::scoring
