// Private: SQL for interactions, their links and email events (interactions_store.cpp).
#pragma once

#include <span>

#include "crm/interactions.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

std::span<const FieldSpec> interaction_field_specs() noexcept;

Id insert(DbImpl& db, const Interaction& v);
void update(DbImpl& db, const Interaction& old, const Interaction& v);
bool load(DbImpl& db, Id id, Interaction& out);  // row and links
// Rows and links of these interactions in the order given (two statements in all);
// ids that do not exist are left out. Tags and custom values are not loaded.
std::vector<Interaction> load_many(DbImpl& db, const std::vector<Id>& ids);
std::optional<std::string> interaction_kind(DbImpl& db, Id id);

// Timeline: ids newest first, at most limit, after the keyset (at, id) when given.
struct TimelineKey {
    Timestamp at = 0;
    Id id = 0;
};
struct TimelineBounds {
    std::string kinds_json;      // JSON array of kinds, empty = any
    Timestamp since, until;      // [since, until)
    std::optional<TimelineKey> after;
    std::size_t limit;
};
std::vector<TimelineKey> timeline_ids(DbImpl& db, Entity e, Id id, const TimelineBounds& b);

Id insert_email_event(DbImpl& db, Id interaction_id, const EmailEvent& ev, Timestamp created_at);
std::vector<EmailEvent> load_email_events(DbImpl& db, Id interaction_id);

}  // namespace crm::store
