// Private: a routing definition parsed and checked (definition.cpp), and the hook
// that runs a threshold's routing when a contact enters it (routing.cpp).
#pragma once

#include <map>

#include "crm/routing.hpp"
#include "crm/tasks.hpp"
#include "scoring/model.hpp"

namespace crm::routing {

// ---- limits (docs/routing.md, "Limits") ---------------------------------------------
inline constexpr std::size_t kMaxDefinitionBytes = 1 << 20;
inline constexpr std::size_t kMaxRules = 100;
inline constexpr std::size_t kMaxPool = 100;          // users in one pool
inline constexpr std::size_t kMaxTerritories = 100;
inline constexpr std::size_t kMaxCapacities = 1000;   // per-user capacity entries
inline constexpr std::int64_t kMaxCapacity = 100000;
inline constexpr std::int64_t kMaxDueMinutes = 60 * 24 * 365;  // a year of business minutes
inline constexpr std::int64_t kMaxTimeline = 100;
inline constexpr std::size_t kMaxTitle = 500;

struct Territory {
    std::string name;
    std::string field;
    scoring::Node when;  // field in values
};

struct Rule {
    std::string id;
    scoring::Node when;          // Op::always when the rule has no "when"
    bool has_when = false;
    int territory = -1;          // index into Def::territories
    std::vector<Id> owners;      // one owner, or the pool in order
    bool pool = false;           // round robin over owners
};

struct Def {
    std::string name, description;
    std::string calendar;        // "" = 24×7 UTC
    std::vector<Territory> territories;
    std::vector<Rule> rules;
    Id fallback = 0;
    std::optional<std::int64_t> capacity;        // every owner's, unless capacities names it
    std::map<Id, std::int64_t> capacities;
    std::string title = "フォローアップ: {contact}";
    std::int64_t due_minutes = 240;
    TaskPriority priority = TaskPriority::high;
    std::int64_t timeline_items = 10;
    scoring::Model slots;        // the contact and account fields the predicates read
    std::string document;        // normalized
};

// Parses and checks a definition: every field through the registry, every user
// exists and is active, the calendar exists. errc::invalid_argument naming the key.
result<Def> parse(detail::DbImpl& db, std::string_view text);
// A stored definition (users may have been deactivated since: not checked here).
result<Def> parse_stored(detail::DbImpl& db, const std::string& text);

// The capacity of a user under a definition (nullopt: unlimited).
std::optional<std::int64_t> capacity_of(const Def& d, Id user);

// Hand-offs as stored: the document holds everything but id, scores and timeline.
std::string handoff_document(const Handoff& h);
result<Handoff> handoff_from_document(Id id, const std::string& document, std::string scores, std::string timeline);

// Installs the thresholds' crossing hook that runs attached routings (once per process).
void install() noexcept;

}  // namespace crm::routing
