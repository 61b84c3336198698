// crm/signals.hpp — re-engagement and churn signals (MISSION C6).
//
//   db.signals().define_json(R"({"name":"解約ページ閲覧","kind":"url_visit","pattern":"*/cancel*",
//                               "task":{"title":"解約検討のフォロー","due_hours":24}})");
//   db.signals().on_signal([](const crm::SignalFlag& f) { ... });   // after commit only
//   db.signals().scan();                                             // dormant customers, now
//
// A rule flags a contact once per episode (a lost deal, a stay in recycled or
// disqualified, a dormancy period, a visit day): the flag is recorded in the
// transaction of the interaction that triggered it (scan() for dormancy), the
// callbacks run once that transaction has committed, and the rule may create a task
// for the contact's owner. Rules, episodes and limits: docs/signals.md.
#pragma once

#include <functional>

#include "crm/contacts.hpp"
#include "crm/db.hpp"

namespace crm {

enum class SignalKind {
    reactivated_lost_deal,  // a contact whose deal was lost shows new inbound activity
    reactivated_lead,       // a recycled or disqualified contact shows new inbound activity
    dormant_customer,       // a customer with no inbound activity for `days` (scan())
    url_visit,              // a web visit whose URL matches `pattern`
};
const char* to_string(SignalKind k) noexcept;  // "reactivated_lost_deal", …
std::optional<SignalKind> signal_kind_from_string(const std::string& s) noexcept;

struct SignalRule {
    Id id = 0;                        // set by define
    std::string name;                 // unique; UTF-8, 1..128 bytes
    SignalKind kind = SignalKind::url_visit;
    // Interaction kinds that count as activity (reactivation, dormancy) or whose URL is
    // matched (url_visit: default {"web_visit"}); empty = every kind. At most 32.
    std::vector<std::string> kinds;
    // reactivated_lost_deal: false = deals whose primary contact is the contact; true =
    // also deals of the contact's account (or of an account the interaction is linked to).
    bool via_account = false;
    std::int64_t within_days = 0;     // reactivated_lost_deal: only deals lost in the N days before (0 = any); ≤ 3650
    // reactivated_lead: {recycled, disqualified} (default both); dormant_customer:
    // {customer, evangelist} (default {customer}).
    std::vector<LifecycleStage> stages;
    std::int64_t days = 0;            // dormant_customer: 1..3650, required
    std::string pattern;              // url_visit: a glob as scoring's (`*`, `?`), 1..256 bytes, ≤ 16 '*'
    int day_offset_minutes = 540;     // url_visit: visit days begin at 00:00 in UTC+this (-720..840)
    std::string task_title;           // non-empty: each new flag creates a task with this title (≤ 500 bytes)
    std::int64_t task_due_hours = 0;  // the task is due this long after the flag (0 = no due time); ≤ 8760
    Timestamp created_at = 0;
};

struct SignalFlag {
    Id id = 0;
    Id rule_id = 0;
    std::string rule;                    // the rule's name
    SignalKind kind = SignalKind::url_visit;
    Id contact_id = 0;
    // What makes it once: "deal:12", "recycled:1767225600000", "since:1767225600000",
    // "day:2026-04-01" (docs/signals.md).
    std::string episode;
    Timestamp at = 0;                    // the triggering interaction's time, or the scan's as_of
    std::optional<Id> interaction_id;    // the triggering interaction
    std::optional<Id> deal_id;           // reactivated_lost_deal: the lost deal
    std::optional<Id> task_id;           // the task created for the owner
    std::string detail;                  // a short sentence: the URL, the stage, the quiet time …
    Timestamp recorded_at = 0;
    std::optional<Timestamp> acknowledged_at;
    std::optional<Id> acknowledged_by;   // the actor who acknowledged it
};

struct SignalQuery {
    std::string rule;                 // "" = every rule
    Id contact_id = 0;                // 0 = every contact
    bool unacknowledged_only = false;
    std::size_t limit = 100;          // 1 … 10000
    Id after = 0;                     // flags with a greater id (the last id of the previous page)
};

// JSON documents (docs/signals.md).
std::string to_json(const SignalRule& r);
std::string to_json(const SignalFlag& f);

class Signals {
public:
    explicit Signals(detail::DbImpl* db) noexcept : db_(db) {}

    // Stores a rule. errc::invalid_argument (field named) for anything out of bounds
    // or not meant for the rule's kind; errc::already_exists for a taken name.
    // Event rules apply to interactions created from then on; nothing is back-filled.
    result<SignalRule> define(const SignalRule& rule) noexcept;
    // The same from a JSON document; unknown keys are refused.
    result<SignalRule> define_json(std::string_view rule_json) noexcept;
    result<std::vector<SignalRule>> list() noexcept;  // by name
    result<SignalRule> get(const std::string& name) noexcept;
    // Drops the rule and its flags (tasks it created stay).
    result<void> remove(const std::string& name) noexcept;

    // Flags by id, oldest first.
    result<std::vector<SignalFlag>> flags(const SignalQuery& query = {}) noexcept;
    // Marks a flag acknowledged (now, by the actor). errc::not_found for no such flag,
    // errc::invalid_argument if it already is.
    result<SignalFlag> acknowledge(Id flag_id) noexcept;
    // Evaluates the dormant_customer rules with activity up to as_of (default now) and
    // records the new flags, in one transaction. Returns how many were new: a second
    // scan finds nothing new until a new dormancy period begins.
    result<std::int64_t> scan(std::optional<Timestamp> as_of = {}) noexcept;

    // Called (in registration order) for each new flag after its transaction commits,
    // never for a write that rolled back. Kept for the life of the Db handle; a
    // callback may use the Db; what it throws is swallowed.
    void on_signal(std::function<void(const SignalFlag&)> fn) noexcept;

private:
    detail::DbImpl* db_;
};

}  // namespace crm
