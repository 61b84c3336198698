// SQL of duplicate detection and merges (store/dedup_store.hpp).
#include "store/dedup_store.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace crm::store {

namespace {
using Json = nlohmann::json;
std::int64_t i64(Id v) { return static_cast<std::int64_t>(v); }

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

// The side tables, per kind: (table, column). Decided per table (docs/dedup.md):
// stored scores, predictions and threshold state are one row per contact and key —
// the survivor keeps its own where it has one, else it takes the merged record's;
// event rows (hand-offs, flags, crossings, sends, employment periods) all move.
struct Side {
    Entity entity;
    const char* table;
    const char* column;
};
constexpr Side kSides[] = {
    {Entity::contact, "contact_employments", "contact_id"},
    {Entity::contact, "scores", "contact_id"},
    {Entity::contact, "predictive_scores", "contact_id"},
    {Entity::contact, "threshold_state", "contact_id"},
    {Entity::contact, "threshold_crossings", "contact_id"},
    {Entity::contact, "signal_flags", "contact_id"},
    {Entity::contact, "routing_handoffs", "contact_id"},
    {Entity::contact, "document_sends", "contact_id"},
    {Entity::account, "contact_employments", "account_id"},
};

const Side* side_of(Entity e, const std::string& table) {
    for (const auto& s : kSides)
        if (s.entity == e && table == s.table) return &s;
    return nullptr;
}

// The columns of one of our tables (identifiers from the schema itself).
std::vector<std::string> table_columns(DbImpl& db, const char* table) {
    SQLite::Statement s(*db.conn, fmt::format("PRAGMA table_info({})", table));
    std::vector<std::string> out;
    while (s.executeStep()) out.push_back(s.getColumn(1).getString());
    return out;
}

MergeRow merge_from(SQLite::Statement& s) {
    MergeRow m;
    m.id = s.getColumn(0).getInt64();
    m.entity = s.getColumn(1).getString();
    m.survivor_id = s.getColumn(2).getInt64();
    m.merged_id = s.getColumn(3).getInt64();
    m.merged_at = s.getColumn(4).getInt64();
    if (!s.getColumn(5).isNull()) m.actor_id = s.getColumn(5).getInt64();
    m.survivor_before = s.getColumn(6).getString();
    m.survivor_after = s.getColumn(7).getString();
    m.merged_document = s.getColumn(8).getString();
    m.fields = s.getColumn(9).getString();
    m.relations = s.getColumn(10).getString();
    m.side_rows = s.getColumn(11).getString();
    if (!s.getColumn(12).isNull()) m.undone_at = s.getColumn(12).getInt64();
    if (!s.getColumn(13).isNull()) m.undone_by = s.getColumn(13).getInt64();
    return m;
}
constexpr const char* kMergeCols =
    "id,entity,survivor_id,merged_id,merged_at,actor_id,survivor_before,survivor_after,merged_document,fields,"
    "relations,side_rows,undone_at,undone_by";
}  // namespace

std::vector<ContactKeyRow> contact_key_rows(DbImpl& db) {
    std::vector<ContactKeyRow> out;
    std::unordered_map<Id, std::size_t> at;
    {
        auto& s = db.stmt(
            "SELECT c.id,c.name,c.name_reading,c.external_id,a.name FROM contacts c "
            "LEFT JOIN accounts a ON a.id=c.account_id ORDER BY c.id");
        while (s.executeStep()) {
            ContactKeyRow r;
            r.id = s.getColumn(0).getInt64();
            r.name = text_or_empty(s.getColumn(1));
            r.reading = text_or_empty(s.getColumn(2));
            r.external_id = text_or_empty(s.getColumn(3));
            r.company = text_or_empty(s.getColumn(4));
            at.emplace(r.id, out.size());
            out.push_back(std::move(r));
        }
        s.reset();
    }
    {
        auto& s = db.stmt("SELECT contact_id,address FROM contact_emails ORDER BY contact_id,position");
        while (s.executeStep())
            if (auto it = at.find(s.getColumn(0).getInt64()); it != at.end())
                out[it->second].emails.push_back(s.getColumn(1).getString());
        s.reset();
    }
    {
        auto& s = db.stmt("SELECT contact_id,number FROM contact_phones ORDER BY contact_id,position");
        while (s.executeStep())
            if (auto it = at.find(s.getColumn(0).getInt64()); it != at.end())
                out[it->second].phones.push_back(s.getColumn(1).getString());
        s.reset();
    }
    return out;
}

std::vector<AccountKeyRow> account_key_rows(DbImpl& db) {
    std::vector<AccountKeyRow> out;
    auto& s = db.stmt("SELECT id,name,name_reading,external_id,phone,website FROM accounts ORDER BY id");
    while (s.executeStep()) {
        AccountKeyRow r;
        r.id = s.getColumn(0).getInt64();
        r.name = text_or_empty(s.getColumn(1));
        r.reading = text_or_empty(s.getColumn(2));
        r.external_id = text_or_empty(s.getColumn(3));
        r.phone = text_or_empty(s.getColumn(4));
        r.website = text_or_empty(s.getColumn(5));
        out.push_back(std::move(r));
    }
    s.reset();
    return out;
}

Id insert_merge(DbImpl& db, const MergeRow& m) {
    auto& s = db.stmt(
        "INSERT INTO merges(entity,survivor_id,merged_id,merged_at,actor_id,survivor_before,survivor_after,"
        "merged_document,fields,relations,side_rows) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, m.entity);
    s.bind(2, i64(m.survivor_id));
    s.bind(3, i64(m.merged_id));
    s.bind(4, static_cast<std::int64_t>(m.merged_at));
    if (m.actor_id) s.bind(5, i64(*m.actor_id));
    else s.bind(5);
    s.bind(6, m.survivor_before);
    s.bind(7, m.survivor_after);
    s.bind(8, m.merged_document);
    s.bind(9, m.fields);
    s.bind(10, m.relations);
    s.bind(11, m.side_rows);
    s.exec();
    return db.conn->getLastInsertRowid();
}

std::optional<MergeRow> load_merge(DbImpl& db, Id id) {
    SQLite::Statement s(*db.conn, fmt::format("SELECT {} FROM merges WHERE id=?", kMergeCols));
    s.bind(1, i64(id));
    if (!s.executeStep()) return std::nullopt;
    return merge_from(s);
}

std::vector<MergeRow> list_merges(DbImpl& db, const std::string& entity, Id before, std::size_t limit) {
    SQLite::Statement s(*db.conn, fmt::format("SELECT {} FROM merges WHERE (?1='' OR entity=?1) AND (?2=0 OR id<?2) "
                                              "ORDER BY id DESC LIMIT ?3",
                                              kMergeCols));
    s.bind(1, entity);
    s.bind(2, i64(before));
    s.bind(3, static_cast<std::int64_t>(limit));
    std::vector<MergeRow> out;
    while (s.executeStep()) out.push_back(merge_from(s));
    return out;
}

void mark_undone(DbImpl& db, Id id, Timestamp at, std::optional<Id> by) {
    auto& s = db.stmt("UPDATE merges SET undone_at=?,undone_by=? WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(at));
    if (by) s.bind(2, i64(*by));
    else s.bind(2);
    s.bind(3, i64(id));
    s.exec();
}

std::optional<Id> merged_into(DbImpl& db, Entity e, Id id) {
    auto& s = db.stmt(
        "SELECT survivor_id FROM merges WHERE entity=? AND merged_id=? AND undone_at IS NULL ORDER BY id DESC LIMIT 1");
    s.bind(1, entity_name(e));
    s.bind(2, i64(id));
    std::optional<Id> out;
    if (s.executeStep()) out = s.getColumn(0).getInt64();
    s.reset();
    return out;
}

Id final_survivor(DbImpl& db, Entity e, Id id) noexcept {
    try {
        Id into = 0;
        for (int hops = 0; hops < 64; ++hops) {
            auto next = merged_into(db, e, into ? into : id);
            if (!next) break;
            into = *next;
        }
        return into;
    } catch (...) {
        return 0;
    }
}

std::optional<Id> later_merge(DbImpl& db, const std::string& entity, Id merge_id, Id a, Id b) {
    auto& s = db.stmt(
        "SELECT id FROM merges WHERE entity=?1 AND id>?2 AND undone_at IS NULL AND "
        "(survivor_id IN (?3,?4) OR merged_id IN (?3,?4)) ORDER BY id LIMIT 1");
    s.bind(1, entity);
    s.bind(2, i64(merge_id));
    s.bind(3, i64(a));
    s.bind(4, i64(b));
    std::optional<Id> out;
    if (s.executeStep()) out = s.getColumn(0).getInt64();
    s.reset();
    return out;
}

std::string snapshot_side_rows(DbImpl& db, Entity e, Id a, Id b) {
    Json out = Json::array();
    for (const auto& side : kSides) {
        if (side.entity != e) continue;
        SQLite::Statement s(*db.conn, fmt::format("SELECT * FROM {} WHERE {} IN (?,?)", side.table, side.column));
        s.bind(1, i64(a));
        s.bind(2, i64(b));
        Json t = {{"table", side.table}, {"columns", Json::array()}, {"rows", Json::array()}};
        bool named = false;
        while (s.executeStep()) {
            const int n = s.getColumnCount();
            if (!named) {
                for (int i = 0; i < n; ++i) t["columns"].push_back(s.getColumnName(i));
                named = true;
            }
            Json row = Json::array();
            for (int i = 0; i < n; ++i) {
                const auto c = s.getColumn(i);
                switch (c.getType()) {
                    case SQLITE_INTEGER: row.push_back(c.getInt64()); break;
                    case SQLITE_FLOAT: row.push_back(c.getDouble()); break;
                    case SQLITE_TEXT: row.push_back(c.getString()); break;
                    case SQLITE_NULL: row.push_back(nullptr); break;
                    default: throw std::logic_error(fmt::format("dedup: a blob in side table {}", side.table));
                }
            }
            t["rows"].push_back(std::move(row));
        }
        if (!t["rows"].empty()) out.push_back(std::move(t));
    }
    return out.dump();
}

std::vector<std::pair<std::string, std::int64_t>> repoint_side_rows(DbImpl& db, Entity e, Id from, Id to) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& side : kSides) {
        if (side.entity != e) continue;
        SQLite::Statement c(*db.conn, fmt::format("SELECT count(*) FROM {} WHERE {}=?", side.table, side.column));
        c.bind(1, i64(from));
        c.executeStep();
        const std::int64_t n = c.getColumn(0).getInt64();
        if (n == 0) continue;
        SQLite::Statement u(*db.conn, fmt::format("UPDATE OR IGNORE {} SET {}=? WHERE {}=?", side.table, side.column,
                                                  side.column));
        u.bind(1, i64(to));
        u.bind(2, i64(from));
        u.exec();
        SQLite::Statement d(*db.conn, fmt::format("DELETE FROM {} WHERE {}=?", side.table, side.column));
        d.bind(1, i64(from));
        d.exec();
        out.emplace_back(side.table, n);
    }
    return out;
}

void restore_side_rows(DbImpl& db, Entity e, Id a, Id b, const std::string& snapshot) {
    for (const auto& side : kSides) {
        if (side.entity != e) continue;
        SQLite::Statement d(*db.conn, fmt::format("DELETE FROM {} WHERE {} IN (?,?)", side.table, side.column));
        d.bind(1, i64(a));
        d.bind(2, i64(b));
        d.exec();
    }
    const Json snap = Json::parse(snapshot);
    for (const auto& t : snap) {
        const Side* side = side_of(e, t.at("table").get<std::string>());
        if (!side) throw std::logic_error("dedup: a merge names a table that is not a side table");
        const auto known = table_columns(db, side->table);
        std::vector<std::string> cols;
        for (const auto& c : t.at("columns")) {
            auto name = c.get<std::string>();
            if (std::find(known.begin(), known.end(), name) == known.end())
                throw std::logic_error("dedup: a merge names a column its side table does not have");
            cols.push_back(std::move(name));
        }
        std::string marks;
        for (std::size_t i = 0; i < cols.size(); ++i) marks += i ? ",?" : "?";
        SQLite::Statement ins(*db.conn,
                              fmt::format("INSERT INTO {}({}) VALUES({})", side->table, fmt::join(cols, ","), marks));
        for (const auto& row : t.at("rows")) {
            ins.reset();
            ins.clearBindings();
            for (std::size_t i = 0; i < cols.size() && i < row.size(); ++i) {
                const auto& v = row[i];
                const int at = static_cast<int>(i + 1);
                if (v.is_null()) ins.bind(at);
                else if (v.is_number_integer()) ins.bind(at, v.get<std::int64_t>());
                else if (v.is_number()) ins.bind(at, v.get<double>());
                else ins.bind(at, v.get<std::string>());
            }
            ins.exec();
        }
    }
}

std::vector<Id> child_owners(DbImpl& db, const records::ChildColumn& c, const std::string& kind_name, Id id) {
    std::string sql;
    if (c.kind_column)
        sql = fmt::format("SELECT DISTINCT {} FROM {} WHERE {}=? AND {}=? ORDER BY 1", c.owner, c.table, c.kind_column,
                          c.column);
    else
        sql = fmt::format("SELECT DISTINCT {} FROM {} WHERE {}=? ORDER BY 1", c.owner, c.table, c.column);
    SQLite::Statement s(*db.conn, sql);
    int i = 1;
    if (c.kind_column) s.bind(i++, c.kind_value ? std::string(c.kind_value) : kind_name);
    s.bind(i, i64(id));
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    return out;
}

}  // namespace crm::store
