// SQL of routing (store/routing_store.hpp).
#include "store/routing_store.hpp"

#include "store/bind.hpp"

namespace crm::store {

namespace {
RoutingRow routing_row(SQLite::Statement& s) {
    return RoutingRow{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt()};
}
RoutingVersionRow version_row(SQLite::Statement& s) {
    return RoutingVersionRow{s.getColumn(0).getInt(), s.getColumn(1).getString(), s.getColumn(2).getInt64()};
}
}  // namespace

std::optional<RoutingRow> routing_by_name(detail::DbImpl& db, const std::string& name) {
    auto& s = db.stmt("SELECT id,name,latest_version FROM routings WHERE name=?");
    s.bind(1, name);
    if (!s.executeStep()) return std::nullopt;
    auto r = routing_row(s);
    s.reset();
    return r;
}

std::optional<RoutingRow> routing_by_id(detail::DbImpl& db, Id id) {
    auto& s = db.stmt("SELECT id,name,latest_version FROM routings WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    auto r = routing_row(s);
    s.reset();
    return r;
}

std::vector<RoutingRow> routings(detail::DbImpl& db) {
    auto& s = db.stmt("SELECT id,name,latest_version FROM routings ORDER BY name");
    std::vector<RoutingRow> out;
    while (s.executeStep()) out.push_back(routing_row(s));
    return out;
}

Id insert_routing(detail::DbImpl& db, const std::string& name, Timestamp at) {
    auto& s = db.stmt("INSERT INTO routings(name,latest_version,created_at,updated_at) VALUES(?,0,?,?)");
    s.bind(1, name);
    s.bind(2, static_cast<std::int64_t>(at));
    s.bind(3, static_cast<std::int64_t>(at));
    s.exec();
    return db.conn->getLastInsertRowid();
}

void insert_routing_version(detail::DbImpl& db, Id routing_id, int version, const std::string& definition,
                            Timestamp at) {
    auto& s = db.stmt(
        "INSERT INTO routing_versions(routing_id,version,definition,created_at,actor_id) VALUES(?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(routing_id));
    s.bind(2, version);
    s.bind(3, definition);
    s.bind(4, static_cast<std::int64_t>(at));
    bind_opt(s, 5, db.actor);
    s.exec();
    auto& u = db.stmt("UPDATE routings SET latest_version=?, updated_at=? WHERE id=?");
    u.bind(1, version);
    u.bind(2, static_cast<std::int64_t>(at));
    u.bind(3, static_cast<std::int64_t>(routing_id));
    u.exec();
}

std::optional<RoutingVersionRow> routing_version(detail::DbImpl& db, Id routing_id, int version) {
    auto& s = db.stmt("SELECT version,definition,created_at FROM routing_versions WHERE routing_id=? AND version=?");
    s.bind(1, static_cast<std::int64_t>(routing_id));
    s.bind(2, version);
    if (!s.executeStep()) return std::nullopt;
    auto r = version_row(s);
    s.reset();
    return r;
}

std::vector<RoutingVersionRow> routing_versions(detail::DbImpl& db, Id routing_id) {
    auto& s = db.stmt("SELECT version,definition,created_at FROM routing_versions WHERE routing_id=? ORDER BY version");
    s.bind(1, static_cast<std::int64_t>(routing_id));
    std::vector<RoutingVersionRow> out;
    while (s.executeStep()) out.push_back(version_row(s));
    return out;
}

int rotation_position(detail::DbImpl& db, Id routing_id, const std::string& rule) {
    auto& s = db.stmt("SELECT position FROM routing_rotation WHERE routing_id=? AND rule=?");
    s.bind(1, static_cast<std::int64_t>(routing_id));
    s.bind(2, rule);
    if (!s.executeStep()) return 0;
    const int p = s.getColumn(0).getInt();
    s.reset();
    return p;
}

void set_rotation_position(detail::DbImpl& db, Id routing_id, const std::string& rule, int position) {
    auto& s = db.stmt(
        "INSERT INTO routing_rotation(routing_id,rule,position) VALUES(?,?,?) "
        "ON CONFLICT(routing_id,rule) DO UPDATE SET position=excluded.position");
    s.bind(1, static_cast<std::int64_t>(routing_id));
    s.bind(2, rule);
    s.bind(3, position);
    s.exec();
}

std::int64_t open_routed_tasks(detail::DbImpl& db, Id user_id) {
    auto& s = db.stmt(
        "SELECT count(DISTINCT t.id) FROM routing_handoffs h JOIN tasks t ON t.id=h.task_id "
        "WHERE h.owner_id=?1 AND t.assignee_id=?1 AND (t.status='open' OR t.status='in_progress')");
    s.bind(1, static_cast<std::int64_t>(user_id));
    s.executeStep();
    const std::int64_t n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

Id insert_handoff(detail::DbImpl& db, Id routing_id, int version, Id contact_id, const std::string& status,
                  Id owner_id, Id task_id, Timestamp at, const HandoffRow& docs) {
    auto& s = db.stmt(
        "INSERT INTO routing_handoffs(routing_id,version,contact_id,status,owner_id,task_id,at,actor_id,document,scores,timeline) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(routing_id));
    s.bind(2, version);
    s.bind(3, static_cast<std::int64_t>(contact_id));
    s.bind(4, status);
    bind_opt(s, 5, owner_id ? std::optional<std::int64_t>(owner_id) : std::nullopt);
    bind_opt(s, 6, task_id ? std::optional<std::int64_t>(task_id) : std::nullopt);
    s.bind(7, static_cast<std::int64_t>(at));
    bind_opt(s, 8, db.actor);
    s.bind(9, docs.document);
    s.bind(10, docs.scores);
    s.bind(11, docs.timeline);
    s.exec();
    return db.conn->getLastInsertRowid();
}

std::optional<HandoffRow> handoff(detail::DbImpl& db, Id id) {
    auto& s = db.stmt("SELECT id,document,scores,timeline FROM routing_handoffs WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    HandoffRow r{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                 s.getColumn(3).getString()};
    s.reset();
    return r;
}

std::vector<HandoffRow> handoffs_of_contact(detail::DbImpl& db, Id contact_id) {
    auto& s = db.stmt("SELECT id,document,scores,timeline FROM routing_handoffs WHERE contact_id=? ORDER BY id");
    s.bind(1, static_cast<std::int64_t>(contact_id));
    std::vector<HandoffRow> out;
    while (s.executeStep())
        out.push_back(HandoffRow{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                                 s.getColumn(3).getString()});
    return out;
}

void set_trigger(detail::DbImpl& db, Id threshold_id, Id routing_id) {
    auto& s = db.stmt(
        "INSERT INTO routing_triggers(threshold_id,routing_id) VALUES(?,?) "
        "ON CONFLICT(threshold_id) DO UPDATE SET routing_id=excluded.routing_id");
    s.bind(1, static_cast<std::int64_t>(threshold_id));
    s.bind(2, static_cast<std::int64_t>(routing_id));
    s.exec();
}

bool delete_trigger(detail::DbImpl& db, Id threshold_id) {
    auto& s = db.stmt("DELETE FROM routing_triggers WHERE threshold_id=?");
    s.bind(1, static_cast<std::int64_t>(threshold_id));
    return s.exec() > 0;
}

std::optional<Id> trigger_routing(detail::DbImpl& db, Id threshold_id) {
    auto& s = db.stmt("SELECT routing_id FROM routing_triggers WHERE threshold_id=?");
    s.bind(1, static_cast<std::int64_t>(threshold_id));
    if (!s.executeStep()) return std::nullopt;
    const Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

}  // namespace crm::store
