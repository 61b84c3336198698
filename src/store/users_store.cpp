// SQL for users and teams.
#include "store/bind.hpp"
#include "store/entity_store.hpp"
#include "util/text.hpp"

namespace crm::store {

namespace {
void bind_user(SQLite::Statement& s, const User& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, v.name_reading);
    s.bind(4, v.email);
    s.bind(5, text::ascii_lower(v.email));
    s.bind(6, to_string(v.role));
    bind_opt(s, 7, v.team_id);
    s.bind(8, v.region);
    s.bind(9, v.active ? 1 : 0);
    s.bind(10, static_cast<std::int64_t>(v.created_at));
    s.bind(11, static_cast<std::int64_t>(v.updated_at));
}
void bind_team(SQLite::Statement& s, const Team& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, v.region);
    bind_opt(s, 4, v.manager_id);
    s.bind(5, static_cast<std::int64_t>(v.created_at));
    s.bind(6, static_cast<std::int64_t>(v.updated_at));
}
}  // namespace

Id insert(DbImpl& db, const User& v) {
    auto& s = db.stmt(
        "INSERT INTO users(external_id,name,name_reading,email,email_norm,role,team_id,region,active,"
        "created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    bind_user(s, v);
    s.exec();
    return db.conn->getLastInsertRowid();
}

void update(DbImpl& db, const User&, const User& v) {
    auto& s = db.stmt(
        "UPDATE users SET external_id=?,name=?,name_reading=?,email=?,email_norm=?,role=?,team_id=?,region=?,"
        "active=?,created_at=?,updated_at=? WHERE id=?");
    bind_user(s, v);
    s.bind(12, static_cast<std::int64_t>(v.id));
    s.exec();
}

bool load(DbImpl& db, Id id, User& v) {
    auto& s = db.stmt(
        "SELECT id,external_id,name,name_reading,email,role,team_id,region,active,created_at,updated_at "
        "FROM users WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return false;
    v.id = s.getColumn(0).getInt64();
    v.external_id = text(s.getColumn(1));
    v.name = s.getColumn(2).getString();
    v.name_reading = s.getColumn(3).getString();
    v.email = s.getColumn(4).getString();
    v.role = user_role_from_string(s.getColumn(5).getString()).value_or(UserRole::other);
    v.team_id = opt_int(s.getColumn(6));
    v.region = s.getColumn(7).getString();
    v.active = s.getColumn(8).getInt() != 0;
    v.created_at = s.getColumn(9).getInt64();
    v.updated_at = s.getColumn(10).getInt64();
    s.reset();
    return true;
}

Id insert(DbImpl& db, const Team& v) {
    auto& s = db.stmt("INSERT INTO teams(external_id,name,region,manager_id,created_at,updated_at) VALUES(?,?,?,?,?,?)");
    bind_team(s, v);
    s.exec();
    return db.conn->getLastInsertRowid();
}

void update(DbImpl& db, const Team&, const Team& v) {
    auto& s = db.stmt(
        "UPDATE teams SET external_id=?,name=?,region=?,manager_id=?,created_at=?,updated_at=? WHERE id=?");
    bind_team(s, v);
    s.bind(7, static_cast<std::int64_t>(v.id));
    s.exec();
}

bool load(DbImpl& db, Id id, Team& v) {
    auto& s = db.stmt("SELECT id,external_id,name,region,manager_id,created_at,updated_at FROM teams WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return false;
    v.id = s.getColumn(0).getInt64();
    v.external_id = text(s.getColumn(1));
    v.name = s.getColumn(2).getString();
    v.region = s.getColumn(3).getString();
    v.manager_id = opt_int(s.getColumn(4));
    v.created_at = s.getColumn(5).getInt64();
    v.updated_at = s.getColumn(6).getInt64();
    s.reset();
    return true;
}

std::optional<Id> user_by_email(DbImpl& db, const std::string& email_norm) {
    auto& s = db.stmt("SELECT id FROM users WHERE email_norm=?");
    s.bind(1, email_norm);
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

}  // namespace crm::store
