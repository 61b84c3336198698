// Private: SQL for interactions, their links and email events (interactions_store.cpp).
#pragma once

#include <span>

#include "crm/interactions.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

// interaction_links (contact_ids, account_ids, deal_ids, ticket_ids, with a copy of
// occurred_at for the timeline index): the descriptor's save_children / load_children.
void save_interaction_children(DbImpl& db, const Interaction& v, const Interaction* old);
void load_interaction_children(DbImpl& db, std::span<Interaction> items);
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
