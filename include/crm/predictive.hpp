// crm/predictive.hpp — predictive lead scoring: a logistic-regression model trained
// from the database's own outcomes (contacts that converted, or that have a won
// deal), deterministic and explainable: a 1–99 score and the factors behind it.
//
//   auto m = db.predictive().train(R"({"name":"受注予測","outcome":{"type":"won_deal"},
//                                      "features":[{"field":"account.employee_count"},
//                                                  {"field":"title","max_levels":5},
//                                                  {"id":"visits","kind":"web_visit","window_days":30}]})").value();
//   std::printf("AUC %.3f\n", m.report.auc_holdout);
//   crm::Prediction p = db.predictive().predict(contact_id, "受注予測").value();  // p.score 1..99
//   auto hot = db.predictive().top("受注予測").value();                           // stored, hottest first
//
// The definition language, the outcome-time rule (no leakage), the training
// algorithm, the score mapping and the limits are in docs/predictive.md.
#pragma once

#include "crm/db.hpp"
#include "crm/scoring.hpp"  // TopQuery

namespace crm {

// One column of the fitted model: a numeric field, a boolean, a presence flag, one
// level of a text/enumeration/tags field, or a behaviour count.
struct PredictiveCoefficient {
    std::string name;       // "account.employee_count", "title=部長", "custom.budget:present", "visits"
    std::string feature;    // the definition's feature it comes from: its field key or behaviour id
    double mean = 0;        // of the column's raw value over the training rows
    double sd = 0;          // population standard deviation over the training rows
    double weight = 0;      // per standard deviation (0 for a constant column)
    bool constant = false;  // sd was 0 in training: the column takes no part
};

// What training found, stored with the version.
struct TrainingReport {
    Timestamp trained_at = 0;        // "now" of the training: negatives' features are read as of it
    std::int64_t contacts = 0;       // contacts read
    std::int64_t excluded = 0;       // positives whose outcome came at their creation (no "before")
    std::int64_t train_rows = 0, train_positives = 0;
    std::int64_t holdout_rows = 0, holdout_positives = 0;
    double auc_train = 0, auc_holdout = 0;   // Mann–Whitney, ties counted as one half
    double log_loss_train = 0, log_loss_holdout = 0;
    int iterations = 0;              // Newton steps taken
    bool converged = false;          // the step fell below the tolerance before max_iterations
    double intercept = 0;
    std::vector<PredictiveCoefficient> coefficients;  // in column order
};

// One stored version of a predictive model.
struct PredictiveModel {
    Id id = 0;
    std::string name;          // 1..128 bytes of UTF-8, unique
    int version = 0;           // 1, 2, …: every train() of the name stores a new one
    int latest_version = 0;
    std::string definition;    // the normalized definition (JSON)
    TrainingReport report;
    Timestamp created_at = 0;
};

// One column's part in a contact's prediction: weight × (x − mean) / sd.
struct PredictiveFactor {
    std::string name;          // the column ("title=部長")
    std::string feature;       // its feature (field key or behaviour id)
    std::string value;         // the contact's value as text: the field's value, the count, "" if unset
    double x = 0;              // the column's raw input (log1p of a count, 0/1 of a level)
    double contribution = 0;   // to the log-odds
};

struct Prediction {
    Id contact_id = 0;
    std::string model;
    int version = 0;
    Timestamp as_of = 0;
    double logit = 0;          // intercept + Σ contributions
    double probability = 0;    // 1 / (1 + e^−logit)
    int score = 1;             // round(99 × probability) clamped to 1..99
    double intercept = 0;
    std::vector<PredictiveFactor> positive;  // the top k contributions > 0, largest first
    std::vector<PredictiveFactor> negative;  // the top k contributions < 0, most negative first
};

// A stored (batch) prediction: computed now by train() and rescore().
struct PredictiveScore {
    Id contact_id = 0;
    std::string model;
    int version = 0;
    Timestamp as_of = 0;
    double probability = 0;
    int score = 1;
};

class Predictive {
public:
    explicit Predictive(detail::DbImpl* db) noexcept : db_(db) {}

    // Trains a model from its JSON definition and stores it as a new version (version 1
    // for a new name), with its report, then stores every contact's prediction under
    // it, in one transaction. errc::invalid_argument naming the key for a bad
    // definition or data that cannot train a model (no positives or negatives, too few
    // rows, a hold-out without both classes, too many columns); nothing is stored.
    result<PredictiveModel> train(std::string_view definition) noexcept;
    // version 0 = the latest.
    result<PredictiveModel> get(const std::string& model, int version = 0) noexcept;
    result<std::vector<PredictiveModel>> list() noexcept;                            // latest versions, by name
    result<std::vector<PredictiveModel>> versions(const std::string& model) noexcept;  // oldest first

    // The contact's prediction under the latest version, from its fields and
    // interactions now (as_of absent) or as of a time; top_k (1..1000) factors each way.
    result<Prediction> predict(Id contact_id, const std::string& model, std::optional<Timestamp> as_of = {},
                               std::size_t top_k = 3) noexcept;
    // The stored prediction; errc::not_found if there is none.
    result<PredictiveScore> stored(Id contact_id, const std::string& model) noexcept;
    // Recomputes every contact's stored prediction now under the latest version.
    result<std::int64_t> rescore(const std::string& model) noexcept;
    // Stored predictions, highest probability first (ties: lower contact id first).
    result<Page<PredictiveScore>> top(const std::string& model, const TopQuery& query = {}) noexcept;

private:
    detail::DbImpl* db_;
};

// JSON documents (docs/predictive.md).
std::string to_json(const PredictiveModel& m);
std::string to_json(const TrainingReport& r);
std::string to_json(const Prediction& p);
std::string to_json(const PredictiveScore& s);

}  // namespace crm
