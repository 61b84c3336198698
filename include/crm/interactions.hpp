// crm/interactions.hpp — the activity timeline, email tracking
// and bulk ingest of behaviour data from other systems.
//
//   crm::Interaction i; i.kind = "call"; i.occurred_at = t; i.subject = "初回ヒアリング";
//   i.contact_ids = {taro};
//   crm::Id id = db.interactions().create(i).value();
//   auto page = db.interactions().timeline(crm::Entity::account, acme, {}).value();
//
// See docs/interactions.md.
#pragma once

#include "crm/db.hpp"
#include "crm/json.hpp"

namespace crm {

// The built-in kinds. Any other text matching [a-z][a-z0-9_]* (at most 64 bytes)
// is accepted as a host-defined kind.
//   email, call, meeting, note, sms, line, web_visit, form_submission,
//   event_attendance, document_download
bool is_builtin_interaction_kind(const std::string& kind) noexcept;

enum class Direction { inbound, outbound, internal };
const char* to_string(Direction d) noexcept;
std::optional<Direction> direction_from_string(const std::string& s) noexcept;

struct Interaction {
    Id id = 0;
    std::string external_id;       // the source system's event id: unique, makes ingest idempotent
    std::string kind;              // "email", "call", … or a host-defined kind
    Timestamp occurred_at = 0;     // required (UTC ms)
    Direction direction = Direction::internal;
    std::string channel;           // "phone", "zoom", "LINE公式アカウント", …
    std::string subject;
    std::string body;
    std::optional<Id> actor_id;    // the user who did it
    std::string url;               // web_visit / clicked link / downloaded document
    std::string referrer;
    std::string source;            // which system it came from ("web", "ma-tool", …)
    // Links: contacts and accounts (and users for actor) must exist; deals and
    // tickets must exist in their tables (refused while those tables are absent).
    std::vector<Id> contact_ids, account_ids, deal_ids, ticket_ids;
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

enum class EmailEventType { sent, delivered, opened, clicked, bounced, unsubscribed };
const char* to_string(EmailEventType t) noexcept;
std::optional<EmailEventType> email_event_from_string(const std::string& s) noexcept;

struct EmailEvent {
    Id id = 0;                 // assigned when stored
    EmailEventType type = EmailEventType::sent;
    Timestamp at = 0;          // when it happened; 0 = now; never before the email's occurred_at
    std::string url;           // for clicked
    // The recipient the event is about. Empty: the email's one linked contact's
    // primary address (an email linked to several contacts needs it for bounced and
    // unsubscribed). Stored as resolved.
    std::string address;
    bool soft = false;         // bounced only: a temporary failure (the address stays deliverable)
};

struct TimelineQuery {
    std::vector<std::string> kinds;        // empty = every kind
    std::optional<Timestamp> since;        // occurred_at >= since
    std::optional<Timestamp> until;        // occurred_at <  until
    std::size_t limit = 50;                // 1 … 1000
    std::string after;                     // Page::next of the previous page
};

struct IngestOptions {
    bool per_item = false;  // false: all or nothing; true: store the valid items, report each
    std::string source;     // set on the items that have no source
};

enum class IngestStatus { ok, duplicate, error };
const char* to_string(IngestStatus s) noexcept;

struct IngestItemResult {
    IngestStatus status = IngestStatus::ok;
    Id id = 0;              // the stored id (ok), or the existing one (duplicate)
    std::string message;    // why it failed (error)
    std::string field;
};

struct IngestResult {
    std::size_t inserted = 0, duplicates = 0, failed = 0;
    Id first_id = 0, last_id = 0;          // ids of the inserted items (0 if none)
    std::vector<IngestItemResult> items;   // one per input item, in order
};

class Interactions : public Records<Interaction> {
public:
    using Records::Records;

    // Newest first. entity is contact, account, deal or ticket. An account's
    // timeline holds its own links and those of the contacts who worked there when
    // the interaction happened (a contact's first employer on record covers all
    // earlier time; a change of account_id starts the next period). Contacts who
    // moved on keep their old dealings on the old account's timeline.
    result<Page<Interaction>> timeline(Entity entity, Id id, const TimelineQuery& query = {}) noexcept;

    // Many interactions in one transaction, each with its own history row (as a
    // single create writes). Items whose external_id is already stored are duplicates
    // and add nothing; two items with the same external_id in one batch are an error.
    result<IngestResult> ingest(const std::vector<Interaction>& items, const IngestOptions& options = {}) noexcept;

    // Email tracking: refused (errc::invalid_argument) unless the interaction's kind
    // is "email", and for an event dated before the email (occurred_at). What an
    // event changes, in the same transaction, through the contacts' update path
    // (with history):
    //   unsubscribed         the recipient's consent.email becomes false
    //   bounced (not soft)   the recipient's address becomes undeliverable
    // The recipient is the linked contact with event.address, or the email's only
    // linked contact; an address no linked contact has is refused.
    result<Id> track(Id interaction_id, const EmailEvent& event) noexcept;
    result<std::vector<EmailEvent>> email_events(Id interaction_id) noexcept;  // oldest first
};

std::string to_json(const EmailEvent& v);
// {"event":"bounced","at":"2026-05-01T09:00:00Z","address":"taro@example.jp","soft":false,"url":null}:
// event is required; the rest as in EmailEvent (at: ISO-8601 or UTC ms; absent = now).
result<EmailEvent> email_event_from_json(std::string_view json) noexcept;
result<Interaction> interaction_from_json(std::string_view json) noexcept;
// {"kinds":["email","call"],"since":"2026-01-01","until":..,"limit":50,"after":"<Page::next>"}
result<TimelineQuery> timeline_query_from_json(std::string_view json) noexcept;

extern template class Records<Interaction>;

}  // namespace crm
