// Private: SQL of score thresholds (thresholds_store.cpp): definitions, per-contact
// state and crossings. Every value is bound.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crm/thresholds.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

struct ThresholdRow {
    ThresholdDef def;
    Id model_id = 0;
};

std::optional<ThresholdRow> threshold_by_name(detail::DbImpl& db, const std::string& name);
std::vector<ThresholdRow> thresholds_all(detail::DbImpl& db);
std::vector<ThresholdRow> thresholds_of_model(detail::DbImpl& db, Id model_id);
Id insert_threshold(detail::DbImpl& db, const ThresholdDef& d, Id model_id);
void delete_threshold(detail::DbImpl& db, Id id);
// nullopt: no state row (outside, never evaluated to inside).
std::optional<ThresholdState> threshold_state(detail::DbImpl& db, Id threshold_id, Id contact_id);
std::vector<ThresholdState> threshold_inside(detail::DbImpl& db, Id threshold_id);
void set_threshold_state(detail::DbImpl& db, Id threshold_id, Id contact_id, bool inside, Timestamp since);
Id insert_crossing(detail::DbImpl& db, const Crossing& c);
std::vector<Crossing> crossings(detail::DbImpl& db, Id threshold_id, const std::string& name, Id contact_id);

}  // namespace crm::store
