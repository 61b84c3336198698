// Private: a scoring model compiled from its JSON document (model.cpp), and the
// pure arithmetic that scores one contact (compute.cpp). Nothing here touches
// the database: the service (scoring.cpp) reads the inputs and stores the outputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crm/custom_fields.hpp"
#include "crm/entities.hpp"
#include "crm/scoring.hpp"

#include <nlohmann/json.hpp>

namespace crm::scoring {

// ---- limits (docs/scoring.md, "Limits") -------------------------------------------
inline constexpr std::size_t kMaxRules = 100;          // fit + behaviour rules per model
inline constexpr std::size_t kMaxNodes = 64;           // predicate nodes per rule
inline constexpr int kMaxPredicateDepth = 8;           // all/any/not nesting
inline constexpr std::size_t kMaxInValues = 100;       // values of one "in"
inline constexpr std::size_t kMaxValueBytes = 1024;    // one text value
inline constexpr std::size_t kMaxPatternBytes = 256;   // one pattern
inline constexpr std::size_t kMaxPatternStars = 16;    // '*' in one pattern
inline constexpr std::size_t kMaxDefinitionBytes = 1 << 20;
inline constexpr std::int64_t kMaxRulePoints = 1000;   // |points| of a rule, whole points
inline constexpr std::int64_t kMaxLimit = 1000000;     // |limits.min|, |limits.max|, |band min|
inline constexpr std::int64_t kMaxCapCount = 100000;   // cap_per_day, cap_total
inline constexpr std::int64_t kMaxCapPoints = 1000000; // cap_points
inline constexpr std::int64_t kMaxDays = 3650;         // window_days, half_life_days, trend.days
inline constexpr std::int64_t kMaxBands = 10;
inline constexpr std::int64_t kMilli = 1000;           // points are held in thousandths
inline constexpr std::int64_t kFactorOne = 1000000;    // decay factors in millionths
inline constexpr std::int64_t kDayMs = 86400000;

// Where a predicate's field lives.
enum class Source : std::uint8_t { contact, account, interaction };
// How its value is compared.
enum class VK : std::uint8_t { text, integer, boolean, texts, integers };

// A field a predicate reads, resolved through the entity registry at definition time.
struct FieldRef {
    Source source = Source::contact;
    std::string key;         // as written: "title", "account.industry", "custom.rank", "url"
    std::string field;       // the kind's own key ("industry", "custom.rank")
    VK vk = VK::text;
    ValueType type = ValueType::text;          // the descriptor's type (custom: mapped)
    std::string custom;                        // custom field name, or ""
    std::optional<FieldType> custom_type;
    const char* column = nullptr;              // interaction fields: the descriptor's column
    std::span<const char* const> values;       // enumeration values
    bool operator==(const FieldRef& o) const { return source == o.source && field == o.field; }
};

// A value read for a predicate.
struct Value {
    bool set = false;  // false: unset / null / empty
    std::string s;
    std::int64_t i = 0;
    bool b = false;
    std::vector<std::string> ss;
    std::vector<std::int64_t> is;
};

enum class Op : std::uint8_t { equals, in, range, contains, pattern, exists, all, any, not_, always };

struct Node {
    Op op = Op::always;
    int slot = -1;  // index into the model's slots of this rule's context
    VK vk = VK::text;
    std::vector<std::string> texts;
    std::vector<std::int64_t> ints;
    bool flag = false;
    std::optional<std::int64_t> min, max;        // range on integers
    std::optional<std::string> smin, smax;       // range on dates (text)
    std::vector<Node> children;
};

struct FitRule {
    std::string id;
    bool gate = false;
    std::int64_t points = 0;  // thousandths
    Node when;
};

struct BehaviourRule {
    std::string id;
    std::string kind;         // interaction kind
    std::string event;        // email event ("opened"); "" = the interaction itself
    Node when;
    std::int64_t points = 0;  // thousandths
    bool repeat = true;
    std::int64_t cap_per_day = 0, cap_total = 0;  // 0 = none
    std::int64_t cap_points = 0;                  // thousandths; 0 = none
    std::int64_t window_ms = 0;                   // 0 = none
    std::int64_t half_life_ms = 0;                // 0 = no decay
};

struct Band {
    std::string name;
    std::int64_t min = 0;  // thousandths; the last band has none
};

struct Model {
    std::string name, description;
    std::int64_t min_total = 0, max_total = 100 * kMilli;
    std::vector<Band> fit_bands, engagement_bands;
    std::int64_t trend_days = 7;
    std::int64_t trend_threshold = 5 * kMilli;
    std::int64_t day_offset_minutes = 540;  // days for cap_per_day begin at 00:00 in UTC+09:00
    std::vector<FitRule> fit;
    std::vector<BehaviourRule> behaviour;
    std::vector<FieldRef> fit_slots;          // contact and account fields read
    std::vector<FieldRef> interaction_slots;  // interaction columns read
    std::vector<std::string> kinds;           // interaction kinds the behaviour rules read (sorted)
    bool uses_account = false;
    bool uses_events = false;
    std::string document;                     // the normalized definition
};

// Parses and checks a definition. `defs` gives the custom fields of a kind (for
// custom.<name> keys). Every error is errc::invalid_argument naming the rule and key.
using CustomDefs = std::vector<CustomFieldDef> (*)(void* ctx, Entity e);
result<Model> parse_model(std::string_view text, void* ctx, CustomDefs defs);

// A predicate over contact and account fields (what a fit rule's "when" holds), for
// other areas that select contacts the same way (routing rules). Its fields resolve
// through the registry into `into.fit_slots` (several predicates may share one Model);
// every error is errc::invalid_argument naming `path` and the key.
result<Node> parse_predicate(const nlohmann::json& when, const std::string& path, Model& into, void* ctx,
                             CustomDefs defs);
// Whether a predicate holds for the values of its model's fit slots (see fit_values).
bool holds(const Node& n, const std::vector<Value>& values);

// One interaction (or email event) of a contact, with the values of the model's
// interaction slots.
struct Row {
    Timestamp at = 0;
    Id interaction_id = 0;
    std::string kind;
    std::string event;
    std::vector<Value> values;
};

// The score of one contact: fit values per fit slot, rows sorted by (at, id, event).
// With `explain`, the contributions are filled in; the numbers are the same either way.
// imap maps the model's interaction slots to indexes of Row::values (rows read for
// several models at once hold the union of their columns); nullptr: the same index.
Explanation compute(const Model& m, const std::vector<Value>& fit_values, const std::vector<Row>& rows,
                    const std::vector<int>* imap, Timestamp as_of, bool explain);
// The fit part as computed before (fit, disqualified): the same score when only
// interactions changed since (fit reads fields only, and does not depend on time).
struct KnownFit {
    std::int64_t fit = 0;
    bool disqualified = false;
};
Score compute_known_fit(const Model& m, KnownFit fit, const std::vector<Row>& rows, const std::vector<int>* imap,
                        Timestamp as_of);

// round(raw * factor / 1e6), halves away from zero.
std::int64_t scale(std::int64_t raw, std::int64_t factor) noexcept;
// The decay factor in millionths for an event `age_ms` old: round(1e6 * 2^(-age/half_life)).
std::int64_t decay_factor(std::int64_t age_ms, std::int64_t half_life_ms) noexcept;
// Glob match: '*' any run of characters, '?' one UTF-8 character, ASCII letters
// case-insensitive. Iterative (no recursion), O(|text| * |pattern|) at worst.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;
// Why a glob cannot be used as a pattern (empty, over kMaxPatternBytes, more than
// kMaxPatternStars '*', not UTF-8), or "" when it can: the one rule for patterns of
// scoring rules and of signal rules.
std::string pattern_problem(std::string_view pattern);

std::string points_text(std::int64_t milli);  // 12500 -> "12.500"
// The band a value falls in: the first whose min it reaches, else the last.
std::string band_of(const std::vector<Band>& bands, std::int64_t x);

}  // namespace crm::scoring
