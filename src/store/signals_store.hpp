// Private: SQL of re-engagement and churn signals (signals_store.cpp): rules, flags
// and the reads the rules are evaluated on. Every value is bound.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crm/signals.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

std::optional<SignalRule> signal_rule_by_name(detail::DbImpl& db, const std::string& name);
std::vector<SignalRule> signal_rules_all(detail::DbImpl& db);
// The rules that an interaction write may trigger (every kind but dormant_customer),
// by id; or those of one kind.
std::vector<SignalRule> signal_rules_event(detail::DbImpl& db);
std::vector<SignalRule> signal_rules_of_kind(detail::DbImpl& db, SignalKind kind);
Id insert_signal_rule(detail::DbImpl& db, const SignalRule& r);
void delete_signal_rule(detail::DbImpl& db, Id id);

// Records a flag; nullopt when (rule, contact, episode) is flagged already.
std::optional<Id> insert_signal_flag(detail::DbImpl& db, const SignalFlag& f);
void set_signal_flag_task(detail::DbImpl& db, Id flag_id, Id task_id);
std::optional<SignalFlag> signal_flag(detail::DbImpl& db, Id id);
// rule_id 0 = every rule.
std::vector<SignalFlag> signal_flags(detail::DbImpl& db, Id rule_id, const SignalQuery& q);
void acknowledge_signal_flag(detail::DbImpl& db, Id id, Timestamp at, std::optional<Id> by);

// When the contact's lifecycle stage last changed (or it was created): the latest
// history row of its creation or of a lifecycle_stage update. nullopt: no history.
std::optional<Timestamp> stage_entered_at(detail::DbImpl& db, Id contact_id);

struct LostDeal {
    Id id = 0;
    std::string name;
    Timestamp closed_at = 0;
};
// Lost deals closed in [from, before): of the contact (primary contact), or, with
// account ids, of any of those accounts too. By id.
std::vector<LostDeal> lost_deals(detail::DbImpl& db, Id contact_id, const std::vector<Id>& account_ids,
                                 Timestamp from, Timestamp before);

struct DormantRow {
    Id contact_id = 0;
    std::optional<Timestamp> last_activity;  // latest inbound interaction by as_of (of `kinds`)
    std::optional<Timestamp> entered;        // stage_entered_at
};
// Contacts in one of `stages` now, with their last inbound activity up to as_of.
// kinds empty: every interaction kind.
std::vector<DormantRow> dormant_rows(detail::DbImpl& db, const std::vector<std::string>& stages,
                                     const std::vector<std::string>& kinds, Timestamp as_of);

}  // namespace crm::store
