// SQL for tags, custom-field definitions and custom values.
#include <nlohmann/json.hpp>

#include "store/bind.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

Tags load_tags(DbImpl& db, Entity e, Id id) {
    auto& s = db.stmt(
        "SELECT t.name FROM record_tags r JOIN tags t ON t.id = r.tag_id "
        "WHERE r.entity=? AND r.record_id=? ORDER BY t.name");
    s.bind(1, entity_name(e));
    s.bind(2, static_cast<std::int64_t>(id));
    Tags out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getString());
    return out;
}

void save_tags(DbImpl& db, Entity e, Id id, const Tags& tags, bool fresh) {
    if (!fresh) {
        auto& d = db.stmt("DELETE FROM record_tags WHERE entity=? AND record_id=?");
        d.bind(1, entity_name(e));
        d.bind(2, static_cast<std::int64_t>(id));
        d.exec();
    }
    for (const auto& t : tags) {
        auto& ins = db.stmt("INSERT INTO tags(name) VALUES(?) ON CONFLICT(name) DO NOTHING");
        ins.bindNoCopy(1, t);
        ins.exec();
        auto& link = db.stmt(
            "INSERT INTO record_tags(entity,record_id,tag_id) SELECT ?,?,id FROM tags WHERE name=?");
        link.bindNoCopy(1, entity_name(e));
        link.bind(2, static_cast<std::int64_t>(id));
        link.bindNoCopy(3, t);
        link.exec();
    }
}

namespace {
CustomFieldDef read_def(SQLite::Statement& s) {
    CustomFieldDef d;
    d.id = s.getColumn(0).getInt64();
    d.entity = entity_from_name(s.getColumn(1).getString()).value_or(Entity::contact);
    d.name = s.getColumn(2).getString();
    d.label = s.getColumn(3).getString();
    d.type = field_type_from_string(s.getColumn(4).getString()).value_or(FieldType::text);
    auto opts = nlohmann::json::parse(s.getColumn(5).getString(), nullptr, false);
    if (opts.is_array())
        for (const auto& o : opts)
            if (o.is_string()) d.options.push_back(o.get<std::string>());
    d.required = s.getColumn(6).getInt() != 0;
    d.created_at = s.getColumn(7).getInt64();
    return d;
}
}  // namespace

const std::vector<CustomFieldDef>& cached_defs(DbImpl& db, Entity e) {
    auto it = db.defs_cache.find(static_cast<int>(e));
    if (it != db.defs_cache.end()) return it->second;
    auto& s = db.stmt(
        "SELECT id,entity,name,label,type,options,required,created_at FROM custom_field_defs WHERE entity=? "
        "ORDER BY name");
    s.bind(1, entity_name(e));
    std::vector<CustomFieldDef> out;
    while (s.executeStep()) out.push_back(read_def(s));
    return db.defs_cache.emplace(static_cast<int>(e), std::move(out)).first->second;
}

std::optional<CustomFieldDef> load_def(DbImpl& db, Entity e, const std::string& name) {
    auto& s = db.stmt(
        "SELECT id,entity,name,label,type,options,required,created_at FROM custom_field_defs "
        "WHERE entity=? AND name=?");
    s.bind(1, entity_name(e));
    s.bind(2, name);
    if (!s.executeStep()) return std::nullopt;
    auto d = read_def(s);
    s.reset();
    return d;
}

Id insert_def(DbImpl& db, const CustomFieldDef& d) {
    auto& s = db.stmt(
        "INSERT INTO custom_field_defs(entity,name,label,type,options,required,created_at) VALUES(?,?,?,?,?,?,?)");
    s.bind(1, entity_name(d.entity));
    s.bind(2, d.name);
    s.bind(3, d.label);
    s.bind(4, to_string(d.type));
    s.bind(5, nlohmann::json(d.options).dump());
    s.bind(6, d.required ? 1 : 0);
    s.bind(7, static_cast<std::int64_t>(d.created_at));
    s.exec();
    db.defs_cache.erase(static_cast<int>(d.entity));
    return db.conn->getLastInsertRowid();
}

void erase_def(DbImpl& db, const CustomFieldDef& d) {
    auto& s = db.stmt("DELETE FROM custom_field_defs WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(d.id));
    s.exec();
    db.defs_cache.erase(static_cast<int>(d.entity));
}

std::int64_t count_values(DbImpl& db, Id def_id) {
    auto& s = db.stmt("SELECT count(*) FROM custom_values WHERE field_id=?");
    s.bind(1, static_cast<std::int64_t>(def_id));
    s.executeStep();
    auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

namespace {
// Stores column `col` of the current row as the value of the field whose id is `fid`.
void read_value(SQLite::Statement& s, Id fid, int col, const std::vector<CustomFieldDef>& defs, CustomFields& out) {
    for (const auto& d : defs) {
        if (d.id != fid) continue;
        auto c = s.getColumn(col);
        switch (d.type) {
            case FieldType::integer: out[d.name] = static_cast<std::int64_t>(c.getInt64()); break;
            case FieldType::boolean: out[d.name] = c.getInt() != 0; break;
            default: out[d.name] = c.getString(); break;
        }
        return;
    }
}
}  // namespace

CustomFields load_custom(DbImpl& db, Entity e, Id id, const std::vector<CustomFieldDef>& defs) {
    CustomFields out;
    if (defs.empty()) return out;
    auto& s = db.stmt("SELECT field_id, value FROM custom_values WHERE entity=? AND record_id=?");
    s.bind(1, entity_name(e));
    s.bind(2, static_cast<std::int64_t>(id));
    while (s.executeStep()) read_value(s, s.getColumn(0).getInt64(), 1, defs, out);
    return out;
}

std::unordered_map<Id, Tags> load_tags_many(DbImpl& db, Entity e, const std::vector<Id>& ids) {
    std::unordered_map<Id, Tags> out;
    if (ids.empty()) return out;
    auto& s = db.stmt(
        "SELECT r.record_id, t.name FROM record_tags r JOIN tags t ON t.id = r.tag_id "
        "WHERE r.entity=? AND r.record_id IN (SELECT value FROM json_each(?)) ORDER BY r.record_id, t.name");
    s.bind(1, entity_name(e));
    s.bind(2, id_array_json(ids));
    while (s.executeStep()) out[s.getColumn(0).getInt64()].push_back(s.getColumn(1).getString());
    return out;
}

std::unordered_map<Id, CustomFields> load_custom_many(DbImpl& db, Entity e, const std::vector<Id>& ids,
                                                      const std::vector<CustomFieldDef>& defs) {
    std::unordered_map<Id, CustomFields> out;
    if (defs.empty() || ids.empty()) return out;
    auto& s = db.stmt(
        "SELECT record_id, field_id, value FROM custom_values "
        "WHERE entity=? AND record_id IN (SELECT value FROM json_each(?))");
    s.bind(1, entity_name(e));
    s.bind(2, id_array_json(ids));
    while (s.executeStep()) read_value(s, s.getColumn(1).getInt64(), 2, defs, out[s.getColumn(0).getInt64()]);
    return out;
}

void save_custom(DbImpl& db, Entity e, Id id, const CustomFields& values, const std::vector<CustomFieldDef>& defs) {
    for (const auto& d : defs) {
        auto it = values.find(d.name);
        const bool unset = it == values.end() || std::holds_alternative<std::monostate>(it->second);
        if (unset) {
            auto& del = db.stmt("DELETE FROM custom_values WHERE entity=? AND record_id=? AND field_id=?");
            del.bind(1, entity_name(e));
            del.bind(2, static_cast<std::int64_t>(id));
            del.bind(3, static_cast<std::int64_t>(d.id));
            del.exec();
            continue;
        }
        auto& s = db.stmt("INSERT OR REPLACE INTO custom_values(entity,record_id,field_id,value) VALUES(?,?,?,?)");
        s.bind(1, entity_name(e));
        s.bind(2, static_cast<std::int64_t>(id));
        s.bind(3, static_cast<std::int64_t>(d.id));
        std::visit(
            [&](const auto& x) {
                using X = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<X, std::string>) s.bind(4, x);
                else if constexpr (std::is_same_v<X, std::int64_t>) s.bind(4, static_cast<std::int64_t>(x));
                else if constexpr (std::is_same_v<X, bool>) s.bind(4, x ? 1 : 0);
            },
            it->second);
        s.exec();
    }
}

void erase_extras(DbImpl& db, Entity e, Id id) {
    auto& t = db.stmt("DELETE FROM record_tags WHERE entity=? AND record_id=?");
    t.bind(1, entity_name(e));
    t.bind(2, static_cast<std::int64_t>(id));
    t.exec();
    auto& c = db.stmt("DELETE FROM custom_values WHERE entity=? AND record_id=?");
    c.bind(1, entity_name(e));
    c.bind(2, static_cast<std::int64_t>(id));
    c.exec();
}

}  // namespace crm::store
