// Private: SQL for products, campaigns, pipelines/stages, deals, line items,
// stage history and lost reasons (sales_store.cpp).
#pragma once

#include <span>

#include "crm/sales.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

extern const FieldSpec kProductFields[];
extern const FieldSpec kCampaignFields[];
extern const FieldSpec kPipelineFields[];
extern const FieldSpec kDealFields[];
std::span<const FieldSpec> sales_field_specs(Entity e) noexcept;

Id insert(DbImpl& db, const Product& v);
Id insert(DbImpl& db, const Campaign& v);
Id insert(DbImpl& db, const Pipeline& v);  // stages must already carry their ids
Id insert(DbImpl& db, const Deal& v);      // also its line items
void update(DbImpl& db, const Product& old, const Product& v);
void update(DbImpl& db, const Campaign& old, const Campaign& v);
void update(DbImpl& db, const Pipeline& old, const Pipeline& v);
void update(DbImpl& db, const Deal& old, const Deal& v);
bool load(DbImpl& db, Id id, Product& out);
bool load(DbImpl& db, Id id, Campaign& out);
bool load(DbImpl& db, Id id, Pipeline& out);
bool load(DbImpl& db, Id id, Deal& out);

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
std::int64_t count_deals_in_pipeline(DbImpl& db, Id pipeline_id);
std::int64_t count_line_items_with_product(DbImpl& db, Id product_id);

void append_stage_change(DbImpl& db, const StageChange& c);
std::vector<StageChange> stage_changes(DbImpl& db, Id deal_id);  // oldest first, time_in_stage not set

Id insert_lost_reason(DbImpl& db, const std::string& name, Timestamp at);
bool lost_reason_exists(DbImpl& db, const std::string& name);
std::vector<LostReason> load_lost_reasons(DbImpl& db);

std::vector<Id> contacts_with_lead_source(DbImpl& db, const std::string& source);

}  // namespace crm::store
