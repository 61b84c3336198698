// Private: a predictive model's definition parsed and checked (definition.cpp), the
// features of one contact (observe), and how a trained version turns them into a
// prediction (predict). Fields and behaviour predicates are read through lead
// scoring's machinery: the definition compiles to a "shadow" scoring model whose fit
// rules name the fields (resolved through the entity registry) and whose behaviour
// rules (1 point per occurrence, a window) count the interactions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crm/predictive.hpp"
#include "scoring/inputs.hpp"

namespace crm::predictive {

// ---- limits (docs/predictive.md, "Limits") -------------------------------------------
inline constexpr std::size_t kMaxFeatures = 50;
inline constexpr std::size_t kMaxColumns = 200;
inline constexpr std::int64_t kMaxLevels = 50;
inline constexpr std::int64_t kDefaultLevels = 10;
inline constexpr std::int64_t kMaxWindowDays = 3650;
inline constexpr std::int64_t kMinTrainRows = 30;
inline constexpr std::int64_t kMinClassRows = 5;    // positives and negatives each, in training
inline constexpr std::int64_t kMaxCells = 50000000; // training rows × columns held in memory
inline constexpr std::size_t kMaxTopK = 1000;

enum class Kind : std::uint8_t { numeric, boolean, present, levels, count };

struct Feature {
    std::string key;       // field key ("account.employee_count") or behaviour id ("visits")
    Kind kind = Kind::numeric;
    int slot = -1;         // field features: the shadow model's fit slot
    bool decimal = false;  // a custom decimal field (text holding a number)
    std::int64_t max_levels = kDefaultLevels;
    std::string rule;      // count features: the shadow behaviour rule's id
};

struct Definition {
    std::string name;
    bool won_deal = false;                         // else converted
    LifecycleStage stage = LifecycleStage::customer;  // converted: reached this stage or beyond
    std::vector<Feature> features;
    double holdout = 0.25;
    double l2 = 1.0;
    std::uint64_t seed = 1;
    int max_iterations = 100;
    std::shared_ptr<const scoring::Model> shadow;
    std::string document;  // normalized
};

result<Definition> parse_definition(detail::DbImpl& db, std::string_view text);

// One feature's value for a contact.
struct Raw {
    bool set = false;
    double num = 0;                  // numeric / boolean / present: the value; count: log1p(count)
    std::vector<std::string> texts;  // levels: the values held
    std::string display;             // what a factor shows
};
using Observed = std::vector<Raw>;  // per feature

// The contact's features from its inputs (read for the shadow model) at time t.
Observed observe(const Definition& d, const scoring::Prepared::Entry& e, const scoring::ContactInputs& in, Timestamp t);

// A column's raw input x for a contact (missing numeric: the column's mean).
double column_x(const Definition& d, const PredictiveCoefficient& c, const Observed& o);
// The level a level column stands for ("title=部長" -> "部長").
std::string level_of(const PredictiveCoefficient& c);
std::optional<std::size_t> feature_index(const Definition& d, const std::string& key);

// Prediction from a trained report (intercept, coefficients) and features.
Prediction predict(const Definition& d, const TrainingReport& r, const Observed& o, std::size_t top_k);
int score_of(double probability) noexcept;  // round(99 p) clamped to 1..99

// The report as stored (and read back bit for bit: doubles as 17 significant digits).
result<TrainingReport> report_from_json(const std::string& text);

}  // namespace crm::predictive
