// crm/routing.hpp — routing of hot leads to sales reps (MISSION C4).
//
//   db.routing().define(R"({"name":"国内","calendar":"日本営業日","fallback":7,
//       "territories":[{"name":"関東","field":"address.region","values":["東京都","神奈川県"]}],
//       "rules":[{"id":"kanto","territory":"関東","pool":[3,4,5]}],
//       "follow_up":{"title":"初回フォロー: {contact}","due_hours":4}})");
//   crm::Handoff h = db.routing().route("国内", contact_id).value();
//
// A routing is data: a JSON document stored in the database and versioned (every
// define or update stores a new version). route() walks its rules in order — each a
// predicate on contact, account and custom fields (the scoring fit-rule predicates),
// optionally limited to a territory — and the first matching rule with an owner who
// has room takes the contact: one owner, or a pool in round robin (the position is
// stored). Nothing matches, or nobody has room: the fallback owner. In one
// transaction it sets the contact's owner, creates a follow-up task due N business
// hours later on a business calendar, and stores a hand-off carrying why (every rule
// tried, every owner skipped), the contact's score explanations and recent timeline.
// Rules and limits: docs/routing.md.
#pragma once

#include "crm/db.hpp"

namespace crm {

// One stored version of a routing.
struct RoutingDef {
    Id id = 0;                 // the routing (all its versions share it)
    std::string name;          // unique; UTF-8, 1..128 bytes
    int version = 0;           // 1, 2, …: a new one on every define/update
    int latest_version = 0;
    std::string definition;    // this version's JSON document, normalized (docs/routing.md)
    Timestamp created_at = 0;  // when this version was stored
};

// One comparison of a rule's predicate, as evaluated for the contact.
struct RoutingCheck {
    std::string field;   // "address.region", "account.industry", "custom.rank", "territory:関東"
    std::string op;      // equals, in, range, contains, pattern, exists
    std::string actual;  // the contact's value as JSON ("null" when unset)
    bool holds = false;
};

// An owner passed over while choosing.
struct RoutingSkip {
    Id user_id = 0;
    std::string reason;       // "capacity" (open routed tasks >= capacity) or "inactive"
    std::int64_t open = 0;    // open routed follow-up tasks of the user
    std::int64_t capacity = 0;
};

// One rule as tried, in order. Rules after the one that took the contact are not tried.
struct RoutingTrial {
    std::string rule;                 // the rule's id
    bool matched = false;             // its predicate (and territory) held
    std::vector<RoutingCheck> checks; // each comparison evaluated (all / any stop early)
    std::vector<RoutingSkip> skipped; // matched: owners passed over
    bool taken = false;               // matched and an owner had room
};

struct Handoff {
    Id id = 0;                       // 0 in a dry run
    std::string routing;
    int version = 0;
    Id contact_id = 0;
    std::string status;              // "routed"; "failed" (a threshold's routing that failed: see error)
    std::string error;               // failed: the message; the contact was left as it was
    Id owner_id = 0;                 // the owner chosen (0 when failed)
    std::optional<Id> previous_owner_id;
    std::string rule;                // the rule that took the contact; "" for the fallback
    // "rule" (a one-owner rule), "round_robin", "fallback_no_match" (no rule matched),
    // "fallback_capacity" (rules matched, nobody had room).
    std::string reason;
    int position = -1;               // round robin: the pool index chosen (-1 otherwise)
    std::vector<RoutingTrial> trials;
    Id task_id = 0;                  // the follow-up task (0 in a dry run)
    Timestamp due_at = 0;            // its due time (business hours on the routing's calendar)
    std::string calendar;            // the calendar's name ("" = 24×7 UTC)
    // Snapshots taken at hand-off time (frozen: later changes do not alter them):
    std::string scores_json;         // JSON array: the Explanation of every active scoring model
    std::string timeline_json;       // JSON array: the contact's newest interactions, newest first
    std::string trigger;             // "" (called), or the threshold whose entry ran it
    Timestamp at = 0;
    bool dry_run = false;
};

struct RouteOptions {
    bool dry_run = false;  // decide and report, write nothing (the rotation does not move)
};

class Routing {
public:
    explicit Routing(detail::DbImpl* db) noexcept : db_(db) {}

    // Stores a new routing (version 1) from its JSON document. errc::already_exists if
    // the name is taken; errc::invalid_argument naming the key for any bad definition
    // (no fallback, an unknown or inactive user, an unknown calendar or field …):
    // a refused definition stores nothing.
    result<RoutingDef> define(std::string_view definition) noexcept;
    // A new version of the routing named in the document (errc::not_found if none).
    // Round-robin positions are kept per rule id.
    result<RoutingDef> update(std::string_view definition) noexcept;
    result<RoutingDef> get(const std::string& name, int version = 0) noexcept;  // 0 = latest
    result<std::vector<RoutingDef>> list() noexcept;                           // latest versions, by name
    result<std::vector<RoutingDef>> versions(const std::string& name) noexcept; // oldest first

    // Routes the contact with the routing's latest version, in one write transaction
    // (or, dry run, writing nothing). errc::not_found for an unknown routing or contact.
    result<Handoff> route(const std::string& routing, Id contact_id, const RouteOptions& options = {}) noexcept;
    result<Handoff> handoff(Id handoff_id) noexcept;
    // A contact's hand-offs, oldest first.
    result<std::vector<Handoff>> handoffs(Id contact_id) noexcept;

    // Runs the routing, in the write that moved the score, for each contact that
    // enters the threshold (one routing per threshold; attach again replaces it).
    // A routing that fails there rolls back only its own writes and leaves a
    // "failed" hand-off: the score write goes on.
    result<void> attach(const std::string& threshold, const std::string& routing) noexcept;
    result<void> detach(const std::string& threshold) noexcept;

private:
    detail::DbImpl* db_;
};

// JSON documents (docs/routing.md): times as ISO 8601 UTC.
std::string to_json(const RoutingDef& d);
std::string to_json(const Handoff& h);

}  // namespace crm
