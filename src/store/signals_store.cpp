// SQL of re-engagement and churn signals (store/signals_store.hpp).
#include "store/signals_store.hpp"

#include <nlohmann/json.hpp>

#include "store/bind.hpp"

namespace crm::store {

namespace {
constexpr const char* kRuleCols =
    "SELECT id,name,kind,kinds,via_account,within_days,stages,days,pattern,day_offset_minutes,task_title,"
    "task_due_hours,created_at FROM signal_rules ";

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        const auto comma = s.find(',', start);
        const auto end = comma == std::string::npos ? s.size() : comma;
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
    return out;
}

SignalRule rule_of(SQLite::Statement& s) {
    SignalRule r;
    r.id = s.getColumn(0).getInt64();
    r.name = s.getColumn(1).getString();
    r.kind = signal_kind_from_string(s.getColumn(2).getString()).value_or(SignalKind::url_visit);
    r.kinds = split(s.getColumn(3).getString());
    r.via_account = s.getColumn(4).getInt() != 0;
    r.within_days = s.getColumn(5).getInt64();
    for (const auto& st : split(s.getColumn(6).getString()))
        if (auto v = lifecycle_stage_from_string(st)) r.stages.push_back(*v);
    r.days = s.getColumn(7).getInt64();
    r.pattern = s.getColumn(8).getString();
    r.day_offset_minutes = s.getColumn(9).getInt();
    r.task_title = s.getColumn(10).getString();
    r.task_due_hours = s.getColumn(11).getInt64();
    r.created_at = s.getColumn(12).getInt64();
    return r;
}

constexpr const char* kFlagCols =
    "SELECT f.id,f.rule_id,r.name,r.kind,f.contact_id,f.episode,f.at,f.interaction_id,f.deal_id,f.task_id,f.detail,"
    "f.recorded_at,f.acknowledged_at,f.acknowledged_by FROM signal_flags f JOIN signal_rules r ON r.id=f.rule_id ";

SignalFlag flag_of(SQLite::Statement& s) {
    SignalFlag f;
    f.id = s.getColumn(0).getInt64();
    f.rule_id = s.getColumn(1).getInt64();
    f.rule = s.getColumn(2).getString();
    f.kind = signal_kind_from_string(s.getColumn(3).getString()).value_or(SignalKind::url_visit);
    f.contact_id = s.getColumn(4).getInt64();
    f.episode = s.getColumn(5).getString();
    f.at = s.getColumn(6).getInt64();
    f.interaction_id = opt_int(s.getColumn(7));
    f.deal_id = opt_int(s.getColumn(8));
    f.task_id = opt_int(s.getColumn(9));
    f.detail = s.getColumn(10).getString();
    f.recorded_at = s.getColumn(11).getInt64();
    f.acknowledged_at = opt_int(s.getColumn(12));
    f.acknowledged_by = opt_int(s.getColumn(13));
    return f;
}

std::vector<SignalRule> rules(SQLite::Statement& s) {
    std::vector<SignalRule> out;
    while (s.executeStep()) out.push_back(rule_of(s));
    return out;
}
}  // namespace

std::optional<SignalRule> signal_rule_by_name(detail::DbImpl& db, const std::string& name) {
    static const std::string sql = std::string(kRuleCols) + "WHERE name=?";
    auto& s = db.stmt(sql);
    s.bind(1, name);
    if (!s.executeStep()) return std::nullopt;
    return rule_of(s);
}

std::vector<SignalRule> signal_rules_all(detail::DbImpl& db) {
    static const std::string sql = std::string(kRuleCols) + "ORDER BY name";
    return rules(db.stmt(sql));
}

std::vector<SignalRule> signal_rules_event(detail::DbImpl& db) {
    static const std::string sql = std::string(kRuleCols) + "WHERE kind<>'dormant_customer' ORDER BY id";
    return rules(db.stmt(sql));
}

std::vector<SignalRule> signal_rules_of_kind(detail::DbImpl& db, SignalKind kind) {
    static const std::string sql = std::string(kRuleCols) + "WHERE kind=? ORDER BY id";
    auto& s = db.stmt(sql);
    s.bind(1, to_string(kind));
    return rules(s);
}

Id insert_signal_rule(detail::DbImpl& db, const SignalRule& r) {
    auto& s = db.stmt(
        "INSERT INTO signal_rules(name,kind,kinds,via_account,within_days,stages,days,pattern,day_offset_minutes,"
        "task_title,task_due_hours,created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    std::vector<std::string> stages;
    for (auto st : r.stages) stages.emplace_back(to_string(st));
    s.bind(1, r.name);
    s.bind(2, to_string(r.kind));
    s.bind(3, join(r.kinds));
    s.bind(4, r.via_account ? 1 : 0);
    s.bind(5, r.within_days);
    s.bind(6, join(stages));
    s.bind(7, r.days);
    s.bind(8, r.pattern);
    s.bind(9, r.day_offset_minutes);
    s.bind(10, r.task_title);
    s.bind(11, r.task_due_hours);
    s.bind(12, r.created_at);
    s.exec();
    return db.conn->getLastInsertRowid();
}

void delete_signal_rule(detail::DbImpl& db, Id id) {
    auto& a = db.stmt("DELETE FROM signal_flags WHERE rule_id=?");
    a.bind(1, id);
    a.exec();
    auto& b = db.stmt("DELETE FROM signal_rules WHERE id=?");
    b.bind(1, id);
    b.exec();
}

std::optional<Id> insert_signal_flag(detail::DbImpl& db, const SignalFlag& f) {
    auto& s = db.stmt(
        "INSERT INTO signal_flags(rule_id,contact_id,episode,at,interaction_id,deal_id,detail,recorded_at) "
        "VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(rule_id,contact_id,episode) DO NOTHING");
    s.bind(1, f.rule_id);
    s.bind(2, f.contact_id);
    s.bind(3, f.episode);
    s.bind(4, f.at);
    bind_opt(s, 5, f.interaction_id);
    bind_opt(s, 6, f.deal_id);
    s.bind(7, f.detail);
    s.bind(8, f.recorded_at);
    if (s.exec() == 0) return std::nullopt;
    return db.conn->getLastInsertRowid();
}

void set_signal_flag_task(detail::DbImpl& db, Id flag_id, Id task_id) {
    auto& s = db.stmt("UPDATE signal_flags SET task_id=? WHERE id=?");
    s.bind(1, task_id);
    s.bind(2, flag_id);
    s.exec();
}

std::optional<SignalFlag> signal_flag(detail::DbImpl& db, Id id) {
    static const std::string sql = std::string(kFlagCols) + "WHERE f.id=?";
    auto& s = db.stmt(sql);
    s.bind(1, id);
    if (!s.executeStep()) return std::nullopt;
    return flag_of(s);
}

std::vector<SignalFlag> signal_flags(detail::DbImpl& db, Id rule_id, const SignalQuery& q) {
    static const std::string sql = std::string(kFlagCols) +
                                   "WHERE f.id>? AND (?=0 OR f.rule_id=?) AND (?=0 OR f.contact_id=?) "
                                   "AND (?=0 OR f.acknowledged_at IS NULL) ORDER BY f.id LIMIT ?";
    auto& s = db.stmt(sql);
    s.bind(1, q.after);
    s.bind(2, rule_id);
    s.bind(3, rule_id);
    s.bind(4, q.contact_id);
    s.bind(5, q.contact_id);
    s.bind(6, q.unacknowledged_only ? 1 : 0);
    s.bind(7, static_cast<std::int64_t>(q.limit));
    std::vector<SignalFlag> out;
    while (s.executeStep()) out.push_back(flag_of(s));
    return out;
}

void acknowledge_signal_flag(detail::DbImpl& db, Id id, Timestamp at, std::optional<Id> by) {
    auto& s = db.stmt("UPDATE signal_flags SET acknowledged_at=?, acknowledged_by=? WHERE id=?");
    s.bind(1, at);
    bind_opt(s, 2, by);
    s.bind(3, id);
    s.exec();
}

std::optional<Timestamp> stage_entered_at(detail::DbImpl& db, Id contact_id) {
    auto& s = db.stmt(
        "SELECT max(at) FROM history WHERE entity='contact' AND record_id=? "
        "AND (op='create' OR (op='update' AND field='lifecycle_stage'))");
    s.bind(1, contact_id);
    if (!s.executeStep()) return std::nullopt;
    return opt_int(s.getColumn(0));
}

std::vector<LostDeal> lost_deals(detail::DbImpl& db, Id contact_id, const std::vector<Id>& account_ids,
                                 Timestamp from, Timestamp before) {
    auto& s = db.stmt(
        "SELECT id,name,closed_at FROM deals WHERE status='lost' AND closed_at>=? AND closed_at<? "
        "AND (contact_id=? OR account_id IN (SELECT value FROM json_each(?))) ORDER BY id");
    s.bind(1, from);
    s.bind(2, before);
    s.bind(3, contact_id);
    const std::string accounts = id_array_json(account_ids);
    s.bind(4, accounts);
    std::vector<LostDeal> out;
    while (s.executeStep())
        out.push_back(LostDeal{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64()});
    return out;
}

std::vector<DormantRow> dormant_rows(detail::DbImpl& db, const std::vector<std::string>& stages,
                                     const std::vector<std::string>& kinds, Timestamp as_of) {
    auto& s = db.stmt(
        "SELECT c.id,"
        " (SELECT max(l.occurred_at) FROM interaction_links l JOIN interactions i ON i.id=l.interaction_id"
        "  WHERE l.entity='contact' AND l.record_id=c.id AND l.occurred_at<=?1 AND i.direction='inbound'"
        "  AND (?2='[]' OR i.kind IN (SELECT value FROM json_each(?2)))),"
        " (SELECT max(h.at) FROM history h WHERE h.entity='contact' AND h.record_id=c.id"
        "  AND (h.op='create' OR (h.op='update' AND h.field='lifecycle_stage')))"
        " FROM contacts c WHERE c.lifecycle_stage IN (SELECT value FROM json_each(?3)) ORDER BY c.id");
    const std::string k = nlohmann::json(kinds).dump();
    const std::string st = nlohmann::json(stages).dump();
    s.bind(1, as_of);
    s.bind(2, k);
    s.bind(3, st);
    std::vector<DormantRow> out;
    while (s.executeStep())
        out.push_back(DormantRow{s.getColumn(0).getInt64(), opt_int(s.getColumn(1)), opt_int(s.getColumn(2))});
    return out;
}

}  // namespace crm::store
