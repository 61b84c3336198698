// crm/thresholds.hpp — score thresholds with hysteresis and lifecycle moves (MISSION C4).
//
//   crm::ThresholdDef d{.name = "MQL", .model = "製品A", .output = crm::ScoreOutput::total,
//                       .enter = 60000, .leave = 50000, .stage = crm::LifecycleStage::mql};
//   db.thresholds().define(d);
//   db.thresholds().on_cross([](const crm::Crossing& c) { ... });  // after commit only
//
// A contact enters when the score goes >= enter while outside, and leaves when it goes
// < leave while inside: moving between leave and enter fires nothing. State and
// crossings are written in the transaction of the write that moved the score; the
// callbacks run only once that transaction has committed. Levels are in thousandths
// of a point, like scores. Rules and limits: docs/scoring.md, "Thresholds".
#pragma once

#include <functional>

#include "crm/contacts.hpp"
#include "crm/db.hpp"
#include "crm/history.hpp"

namespace crm {

enum class ScoreOutput { total, fit, engagement };
const char* to_string(ScoreOutput o) noexcept;  // "total", "fit", "engagement"
std::optional<ScoreOutput> score_output_from_string(const std::string& s) noexcept;

struct ThresholdDef {
    Id id = 0;                              // set by define
    std::string name;                       // unique; UTF-8, 1..128 bytes
    std::string model;                      // an existing scoring model's name
    ScoreOutput output = ScoreOutput::total;
    std::int64_t enter = 0;                 // thousandths; |enter| <= 1,000,000 points
    std::int64_t leave = 0;                 // thousandths; must be < enter
    // Moved to on entering, forward only (subscriber → lead → mql → sql → opportunity →
    // customer); never from recycled, disqualified, evangelist or other.
    std::optional<LifecycleStage> stage;
    Timestamp created_at = 0;
};

struct Crossing {
    Id id = 0;
    std::string threshold;      // the threshold's name
    Id threshold_id = 0;
    Id contact_id = 0;
    bool entered = true;        // true: went >= enter; false: went < leave
    std::int64_t score = 0;     // the output's new value (thousandths)
    Timestamp at = 0;
};

struct ThresholdState {
    Id contact_id = 0;
    bool inside = false;        // false also when nothing was ever evaluated
    Timestamp since = 0;        // the last crossing (0: never crossed)
};

// One lifecycle stage change of a contact, from its history rows.
struct LifecycleChange {
    Timestamp at = 0;
    std::optional<LifecycleStage> from;  // nullopt: the contact was created with `to`
    LifecycleStage to = LifecycleStage::lead;
    std::optional<Id> actor_id;
    std::string reason;                  // recycle(): the reason given; else ""
};

// JSON documents (docs/scoring.md, "Thresholds"): levels and scores as numbers with
// three decimals (points), times as ISO 8601 UTC.
std::string to_json(const ThresholdDef& d);
std::string to_json(const Crossing& c);
std::string to_json(const ThresholdState& s);
std::string to_json(const LifecycleChange& c);

class Thresholds {
public:
    explicit Thresholds(detail::DbImpl* db) noexcept : db_(db) {}

    // Stores a threshold. errc::invalid_argument (field named) for a bad name, a level
    // out of range, leave >= enter, or a stage that is not a forward stage;
    // errc::not_found for an unknown model; errc::already_exists for a taken name.
    // Contacts start outside; they are evaluated at their next score change.
    result<ThresholdDef> define(const ThresholdDef& def) noexcept;
    result<std::vector<ThresholdDef>> list() noexcept;  // by name
    result<ThresholdDef> get(const std::string& name) noexcept;
    // Drops the threshold, its state and its crossings.
    result<void> remove(const std::string& name) noexcept;
    result<ThresholdState> state(const std::string& name, Id contact_id) noexcept;
    // Contacts inside, by contact id.
    result<std::vector<ThresholdState>> inside(const std::string& name) noexcept;
    // Crossings, oldest first; contact_id 0 = every contact.
    result<std::vector<Crossing>> crossings(const std::string& name, Id contact_id = 0) noexcept;

    // Called (in registration order) for each crossing after its transaction commits,
    // never for a write that rolled back. Kept for the life of the Db handle. A callback
    // may use the Db (the transaction is over); what it throws is swallowed.
    void on_cross(std::function<void(const Crossing&)> fn) noexcept;

    // Lifecycle stage changes of a contact, oldest first (its creation included).
    result<std::vector<LifecycleChange>> lifecycle_history(Id contact_id) noexcept;
    // Sets the contact's stage to recycled through the contact update path, with the
    // reason (1..1000 bytes) recorded as a history row (field "lifecycle_reason").
    result<void> recycle(Id contact_id, const std::string& reason) noexcept;

private:
    detail::DbImpl* db_;
};

}  // namespace crm
