// Private: SQL of sales beyond the kinds' own rows (store/rows.hpp): pipeline
// stages, deal line items, deal stage history and the lost-reason catalogue.
#pragma once

#include <span>

#include "crm/sales.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

// Pipelines' stages and deals' line items: the descriptors' save_children / load_children.
void save_pipeline_children(DbImpl& db, const Pipeline& v, const Pipeline* old);  // stages carry their ids
void load_pipeline_children(DbImpl& db, std::span<Pipeline> pipelines);
void save_deal_children(DbImpl& db, const Deal& v, const Deal* old);
void load_deal_children(DbImpl& db, std::span<Deal> deals);

struct StageInfo {
    Id pipeline_id = 0;
    StageKind kind = StageKind::open;
    std::int64_t probability = 0;
    std::string name;
};
std::optional<StageInfo> stage_info(DbImpl& db, Id stage_id);
std::vector<Stage> load_stages(DbImpl& db, Id pipeline_id);
Id next_stage_id(DbImpl& db);  // the next id AUTOINCREMENT would hand out
std::int64_t count_deals_in_stage(DbImpl& db, Id stage_id);

void append_stage_change(DbImpl& db, const StageChange& c);
std::vector<StageChange> stage_changes(DbImpl& db, Id deal_id);  // oldest first, time_in_stage not set
std::optional<Timestamp> last_stage_change_at(DbImpl& db, Id deal_id);

Id insert_lost_reason(DbImpl& db, const std::string& name, Timestamp at);
bool lost_reason_exists(DbImpl& db, const std::string& name);
std::vector<LostReason> load_lost_reasons(DbImpl& db);

}  // namespace crm::store
