// Private: SQL of predictive scoring (predictive_store.cpp): models, their trained
// versions, stored predictions, and the outcome the won_deal models learn from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crm/predictive.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

struct PredictiveRow {
    Id id = 0;
    std::string name;
    int latest_version = 0;
};
struct PredictiveVersionRow {
    int version = 0;
    std::string definition;
    std::string report;
    Timestamp created_at = 0;
};

std::optional<PredictiveRow> predictive_by_name(DbImpl& db, const std::string& name);
std::vector<PredictiveRow> predictive_models(DbImpl& db);  // by name
Id insert_predictive(DbImpl& db, const std::string& name, Timestamp at);
void set_predictive_latest(DbImpl& db, Id model_id, int latest_version, Timestamp at);
void insert_predictive_version(DbImpl& db, Id model_id, const PredictiveVersionRow& v, std::optional<Id> actor);
std::optional<PredictiveVersionRow> predictive_version(DbImpl& db, Id model_id, int version);
std::vector<PredictiveVersionRow> predictive_versions(DbImpl& db, Id model_id);  // oldest first

// Stored predictions; rank = round(probability × 1e15).
void upsert_prediction(DbImpl& db, Id model_id, const PredictiveScore& s);
void delete_predictions(DbImpl& db, Id model_id);
std::optional<PredictiveScore> load_prediction(DbImpl& db, Id model_id, Id contact_id);
struct RankKey {
    std::int64_t rank = 0;
    Id contact_id = 0;
};
std::int64_t prediction_rank(double probability) noexcept;
// Highest rank first, then lower contact id; after: the last row of the previous page.
std::vector<PredictiveScore> top_predictions(DbImpl& db, Id model_id, std::size_t limit,
                                             const std::optional<RankKey>& after);

// For each contact that is the primary contact of a deal now won: the earliest
// closed_at of those deals, by contact id.
std::vector<std::pair<Id, Timestamp>> won_deal_times(DbImpl& db);

}  // namespace crm::store
