// SQL for the change history (one row per changed field; "*" rows hold whole snapshots).
#include "store/bind.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

namespace {
constexpr const char* kOps[] = {"create", "update", "delete"};
ChangeOp op_from(const std::string& s) {
    if (s == "create") return ChangeOp::create;
    if (s == "delete") return ChangeOp::remove;
    return ChangeOp::update;
}
Change read_change(SQLite::Statement& s) {
    Change c;
    c.id = s.getColumn(0).getInt64();
    c.entity = entity_from_name(s.getColumn(1).getString()).value_or(Entity::contact);
    c.record_id = s.getColumn(2).getInt64();
    c.at = s.getColumn(3).getInt64();
    c.actor_id = opt_int(s.getColumn(4));
    c.op = op_from(s.getColumn(5).getString());
    c.field = s.getColumn(6).getString();
    c.old_value = text(s.getColumn(7));
    c.new_value = text(s.getColumn(8));
    return c;
}
}  // namespace

void append_change(DbImpl& db, const Change& c) {
    auto& s = db.stmt(
        "INSERT INTO history(entity,record_id,at,actor_id,op,field,old_value,new_value) VALUES(?,?,?,?,?,?,?,?)");
    s.bindNoCopy(1, entity_name(c.entity));
    s.bind(2, static_cast<std::int64_t>(c.record_id));
    s.bind(3, static_cast<std::int64_t>(c.at));
    bind_opt(s, 4, c.actor_id);
    s.bindNoCopy(5, kOps[static_cast<int>(c.op)]);
    s.bindNoCopy(6, c.field);
    bind_text_or_null(s, 7, c.old_value);
    bind_text_or_null(s, 8, c.new_value);
    s.exec();
}

std::vector<Change> changes_for(DbImpl& db, Entity e, Id id) {
    auto& s = db.stmt(
        "SELECT id,entity,record_id,at,actor_id,op,field,old_value,new_value FROM history "
        "WHERE entity=? AND record_id=? ORDER BY id");
    s.bind(1, entity_name(e));
    s.bind(2, static_cast<std::int64_t>(id));
    std::vector<Change> out;
    while (s.executeStep()) out.push_back(read_change(s));
    return out;
}

std::vector<Change> changes_since(DbImpl& db, Id after, std::size_t limit) {
    auto& s = db.stmt(
        "SELECT id,entity,record_id,at,actor_id,op,field,old_value,new_value FROM history "
        "WHERE id>? ORDER BY id LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(after));
    s.bind(2, static_cast<std::int64_t>(limit));
    std::vector<Change> out;
    while (s.executeStep()) out.push_back(read_change(s));
    return out;
}

std::int64_t count_changes(DbImpl& db) {
    auto& s = db.stmt("SELECT count(*) FROM history");
    s.executeStep();
    auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

Id latest_change_id(DbImpl& db) {
    auto& s = db.stmt("SELECT coalesce(max(id), 0) FROM history");
    s.executeStep();
    auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

}  // namespace crm::store
