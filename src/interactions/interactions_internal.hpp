// Private: what interactions.cpp and ingest.cpp share — validation with a cache
// of linked ids already checked, JSON documents, Traits<Interaction>.
#pragma once

#include <unordered_set>

#include "crm/interactions.hpp"
#include "records/engine.hpp"
#include "store/interactions_store.hpp"

namespace crm::domain {

// Existence checks for linked records, remembering ids already found (a batch
// usually links many interactions to the same contacts).
struct LinkChecker {
    explicit LinkChecker(DbImpl& d) : db(d) {}
    DbImpl& db;
    std::unordered_set<Id> known[16];
    bool exists(Entity e, Id id);
};

result<void> check_kind(const std::string& field, const std::string& kind);
// Checks and normalizes one interaction (sorted, de-duplicated links; occurred_at 0 = now).
result<void> validate_interaction(LinkChecker& lc, Interaction& v);
result<void> get_time(const json::json& j, const char* key, Timestamp& out);
json::json interaction_doc(const Interaction& v);
result<Interaction> parse_interaction(const json::json& j) noexcept;

struct InteractionTraits {
    static constexpr Entity kind = Entity::interaction;
    static Id insert(DbImpl& db, const Interaction& v) { return store::insert(db, v); }
    static void update(DbImpl& db, const Interaction& old, const Interaction& v) { store::update(db, old, v); }
    static bool load(DbImpl& db, Id id, Interaction& out) { return store::load(db, id, out); }
    static result<void> validate(DbImpl& db, Interaction& v, const Interaction* old);
    // Links and email events go with the row (ON DELETE CASCADE).
    static result<void> before_remove(DbImpl&, const Interaction&) { return ok(); }
    static json::json doc(const Interaction& v) { return interaction_doc(v); }
    static result<Interaction> parse(const json::json& j) { return parse_interaction(j); }
};

template <>
struct Traits<Interaction> : InteractionTraits {};

}  // namespace crm::domain
