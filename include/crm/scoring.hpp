// crm/scoring.hpp — lead scoring (MISSION C3): rule-based models with fit rules
// (who the contact is) and behaviour rules (what the contact did), versioned in
// the database, several active at once, with an exact explanation of every score.
//
//   auto m = db.scoring().define(R"({"name":"製品A","fit":[...],"behaviour":[...]})").value();
//   crm::Score s = db.scoring().score(contact_id, "製品A").value();           // now
//   crm::Score then = db.scoring().score(contact_id, "製品A", t).value();     // as it was at t
//   crm::Explanation e = db.scoring().explain(contact_id, "製品A").value();
//
// Points are kept in thousandths of a point (std::int64_t): 12.5 points is 12500.
// The rule language, the fixed-point rule, decay, caps, grades, trends and limits
// are in docs/scoring.md.
#pragma once

#include "crm/db.hpp"

namespace crm {

// One stored version of a model.
struct ScoringModel {
    Id id = 0;                 // the model (all its versions share it)
    std::string name;          // unique; any UTF-8 text up to 128 bytes (製品A)
    int version = 0;           // 1, 2, …: a new one on every define/update
    bool active = true;        // the model is kept current (only the model, not a version)
    int latest_version = 0;    // the model's newest version
    std::string definition;    // this version's JSON document, normalized (docs/scoring.md)
    Timestamp created_at = 0;  // when this version was stored
};

enum class Trend { rising, steady, falling };
const char* to_string(Trend t) noexcept;  // "rising", "steady", "falling"

// A contact's score under one model version at one time. Points in thousandths.
struct Score {
    Id contact_id = 0;
    std::string model;
    int version = 0;
    Timestamp as_of = 0;
    std::int64_t fit = 0;          // sum of the fit contributions
    std::int64_t engagement = 0;   // sum of the behaviour contributions
    std::int64_t total = 0;        // fit + engagement clamped to the model's limits (limits.min if disqualified)
    bool disqualified = false;     // a gate rule matched
    std::string grade;             // fit band + engagement band ("A2"); "X" + engagement band when disqualified
    Trend trend = Trend::steady;   // engagement now vs trend.days earlier (docs/scoring.md)
    std::int64_t trend_delta = 0;  // engagement now minus engagement then
};

// One interaction (or email event) a behaviour rule counted or skipped.
struct Occurrence {
    Id interaction_id = 0;
    std::string event;               // the email event ("opened"), empty for the interaction itself
    Timestamp at = 0;
    std::int64_t raw = 0;            // the rule's points (thousandths)
    std::int64_t factor = 1000000;   // decay factor in millionths (1000000 = no decay)
    std::int64_t points = 0;         // round(raw * factor / 1e6): what it adds (0 when skipped)
    std::string skipped;             // "" counted; "cap_per_day", "cap_total" (skipped by a cap)
};

struct Contribution {
    std::string rule;                     // the rule's id
    std::string part;                     // "fit", "gate" or "behaviour"
    std::int64_t raw = 0;                 // before cap_points (thousandths)
    std::int64_t points = 0;              // what it adds to fit or engagement
    std::string cap;                      // "cap_points" when the rule's point cap cut raw, else ""
    std::vector<Occurrence> occurrences;  // behaviour rules: newest first
};

struct Explanation {
    Score score;
    std::vector<Contribution> contributions;  // the rules that matched, in model order
    // total - (fit + engagement): the clamp to the limits, or the gate's; 0 if none.
    std::int64_t adjustment = 0;
    std::string adjustment_reason;  // "", "clamp_min", "clamp_max", "gate"
};

// One contact whose score a model change would move.
struct DryRunChange {
    Id contact_id = 0;
    std::int64_t old_total = 0, new_total = 0;  // thousandths; old is the stored score (0 if none)
    // Thresholds (whole points) crossed: "up:60", "down:40". Crossing up means old < t <= new.
    std::vector<std::string> crossed;
};

struct DryRunResult {
    std::string model;
    int current_version = 0;      // 0 for a model not defined yet
    std::int64_t contacts = 0;    // contacts scored
    std::int64_t changed = 0;     // whose total would change
    std::vector<DryRunChange> changes;  // every changed contact, by id (at most `limit`)
    bool truncated = false;
};

struct TopQuery {
    std::size_t limit = 50;  // 1 … 1000
    std::string after;       // Page::next of the previous page
};

class Scoring {
public:
    explicit Scoring(detail::DbImpl* db) noexcept : db_(db) {}

    // Stores a new model (version 1) from its JSON document and scores every contact
    // under it, in one transaction. errc::already_exists if the name is taken;
    // errc::invalid_argument naming the rule and key for any bad definition.
    result<ScoringModel> define(std::string_view definition) noexcept;
    // A new version of an existing model (named in the document), active again,
    // every contact rescored under it; older versions stay readable.
    result<ScoringModel> update(std::string_view definition) noexcept;
    // version 0 = the latest.
    result<ScoringModel> get(const std::string& model, int version = 0) noexcept;
    result<std::vector<ScoringModel>> list(bool include_inactive = true) noexcept;  // latest versions, by name
    result<std::vector<ScoringModel>> versions(const std::string& model) noexcept;   // oldest first
    // Stops keeping the model current and drops its stored scores (update() brings it back).
    result<void> deactivate(const std::string& model) noexcept;

    // Computed from the stored data: as_of absent = now, with the latest version;
    // given = with the version current at that time, interactions up to it and the
    // contact's and account's fields as of it. errc::not_found for a contact that
    // did not exist then or a model with no version then.
    result<Score> score(Id contact_id, const std::string& model, std::optional<Timestamp> as_of = {}) noexcept;
    result<Explanation> explain(Id contact_id, const std::string& model,
                                std::optional<Timestamp> as_of = {}) noexcept;
    // The stored (incrementally kept) score; errc::not_found if there is none.
    result<Score> stored(Id contact_id, const std::string& model) noexcept;
    // Recomputes and stores every contact's score now, for one model or (empty) every
    // active model, in one transaction. Returns the number of scores written.
    result<std::int64_t> rescore(const std::string& model = {}) noexcept;
    // Stored scores of an active model, highest total first (ties: lower contact id first).
    result<Page<Score>> top(const std::string& model, const TopQuery& query = {}) noexcept;
    // What storing `definition` would do, writing nothing: every contact scored under
    // it now, compared with its stored score under the model of that name.
    result<DryRunResult> dry_run(std::string_view definition, const std::vector<std::int64_t>& thresholds,
                                 std::size_t limit = 1000) noexcept;

private:
    detail::DbImpl* db_;
};

// Thousandths of a point as text with three decimals: 12500 -> "12.500".
std::string scoring_points_text(std::int64_t milli);

// JSON documents (docs/scoring.md).
std::string to_json(const ScoringModel& m);
std::string to_json(const Score& s);
std::string to_json(const Explanation& e);
std::string to_json(const DryRunResult& r);

}  // namespace crm
