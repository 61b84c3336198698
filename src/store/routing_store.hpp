// Private: SQL of routing (routing_store.cpp): definitions and their versions,
// round-robin positions, hand-offs, threshold triggers, and the count of a user's
// open routed follow-up tasks. Every value is bound.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crm/routing.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

struct RoutingRow {
    Id id = 0;
    std::string name;
    int latest_version = 0;
};
struct RoutingVersionRow {
    int version = 0;
    std::string definition;
    Timestamp created_at = 0;
};

std::optional<RoutingRow> routing_by_name(detail::DbImpl& db, const std::string& name);
std::optional<RoutingRow> routing_by_id(detail::DbImpl& db, Id id);
std::vector<RoutingRow> routings(detail::DbImpl& db);  // by name
Id insert_routing(detail::DbImpl& db, const std::string& name, Timestamp at);
// Stores version `version` and makes it the latest.
void insert_routing_version(detail::DbImpl& db, Id routing_id, int version, const std::string& definition,
                            Timestamp at);
std::optional<RoutingVersionRow> routing_version(detail::DbImpl& db, Id routing_id, int version);
std::vector<RoutingVersionRow> routing_versions(detail::DbImpl& db, Id routing_id);  // oldest first

int rotation_position(detail::DbImpl& db, Id routing_id, const std::string& rule);  // 0 when none stored
void set_rotation_position(detail::DbImpl& db, Id routing_id, const std::string& rule, int position);

// Follow-up tasks of hand-offs to `user` that are still open or in progress and
// still assigned to that user.
std::int64_t open_routed_tasks(detail::DbImpl& db, Id user_id);

struct HandoffRow {
    Id id = 0;
    std::string document, scores, timeline;
};
Id insert_handoff(detail::DbImpl& db, Id routing_id, int version, Id contact_id, const std::string& status,
                  Id owner_id, Id task_id, Timestamp at, const HandoffRow& docs);
std::optional<HandoffRow> handoff(detail::DbImpl& db, Id id);
std::vector<HandoffRow> handoffs_of_contact(detail::DbImpl& db, Id contact_id);  // oldest first

void set_trigger(detail::DbImpl& db, Id threshold_id, Id routing_id);
bool delete_trigger(detail::DbImpl& db, Id threshold_id);  // false: there was none
std::optional<Id> trigger_routing(detail::DbImpl& db, Id threshold_id);

}  // namespace crm::store
