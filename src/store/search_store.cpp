// SQL of the full-text search index (store/search_store.hpp). Table and column names
// come from the descriptors (fixed identifiers, never input); the MATCH expressions
// are built by the search area from quoted terms and bound as values, like every
// other value here.
#include "store/search_store.hpp"

#include <fmt/format.h>

#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "store/bind.hpp"
#include "store/filter_sql.hpp"
#include "store/migrations.hpp"

namespace crm::store {

namespace {

const char* identifier(const char* s) {
    if (!s || !*s) throw std::logic_error("empty SQL identifier");
    for (const char* p = s; *p; ++p)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9')))
            throw std::logic_error(std::string("not a plain SQL identifier: ") + s);
    return s;
}

std::vector<const char*> columns_of(const records::KindEntry& k) {
    std::vector<const char*> out;
    for (const auto& f : k.fields)
        if ((f.info->caps & cap_search) && f.shape == records::Shape::text && f.column && !f.child)
            out.push_back(identifier(f.column));
    return out;
}

std::string select_sql(const records::KindEntry& k, bool one) {
    std::string sql = "SELECT id";
    for (const char* c : search_columns(k)) sql += fmt::format(",{}", c);
    sql += fmt::format(" FROM {}", identifier(k.table));
    sql += one ? " WHERE id=?" : " ORDER BY id";
    return sql;
}

std::vector<std::string> values_of(SQLite::Statement& s, std::size_t n) {
    std::vector<std::string> v;
    v.reserve(n);
    for (std::size_t i = 0; i < n; ++i) v.push_back(text(s.getColumn(static_cast<int>(i + 1))));
    return v;
}

void fts_insert(DbImpl& db, Id row, const SearchDoc& d, Spacer spaced) {
    auto& t = db.stmt("INSERT INTO search_tri(rowid,title,body) VALUES(?,?,?)");
    t.bind(1, static_cast<std::int64_t>(row));
    t.bindNoCopy(2, d.title);
    t.bindNoCopy(3, d.body);
    t.exec();
    const std::string ut = spaced(d.title), ub = spaced(d.body);
    auto& u = db.stmt("INSERT INTO search_uni(rowid,title,body) VALUES(?,?,?)");
    u.bind(1, static_cast<std::int64_t>(row));
    u.bindNoCopy(2, ut);
    u.bindNoCopy(3, ub);
    u.exec();
}

// FTS5 external-content and contentless tables forget a row by being told its values.
void fts_delete(DbImpl& db, Id row, const std::string& title, const std::string& body, Spacer spaced) {
    auto& t = db.stmt("INSERT INTO search_tri(search_tri,rowid,title,body) VALUES('delete',?,?,?)");
    t.bind(1, static_cast<std::int64_t>(row));
    t.bindNoCopy(2, title);
    t.bindNoCopy(3, body);
    t.exec();
    const std::string ut = spaced(title), ub = spaced(body);
    auto& u = db.stmt("INSERT INTO search_uni(search_uni,rowid,title,body) VALUES('delete',?,?,?)");
    u.bind(1, static_cast<std::int64_t>(row));
    u.bindNoCopy(2, ut);
    u.bindNoCopy(3, ub);
    u.exec();
}

struct Existing {
    Id row;
    std::string label, title, body;
};
std::optional<Existing> existing(DbImpl& db, Entity e, Id id) {
    auto& s = db.stmt("SELECT id,label,title,body FROM search_docs WHERE entity=? AND record_id=?");
    s.bind(1, entity_name(e));
    s.bind(2, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    Existing found{s.getColumn(0).getInt64(), text(s.getColumn(1)), text(s.getColumn(2)), text(s.getColumn(3))};
    s.reset();  // a statement left on a row would keep its snapshot open after the write
    return found;
}

}  // namespace

const std::vector<const char*>& search_columns(const records::KindEntry& k) {
    static std::mutex m;
    static std::unordered_map<const records::KindEntry*, std::vector<const char*>> cache;
    std::lock_guard lock(m);
    auto it = cache.find(&k);
    if (it == cache.end()) it = cache.emplace(&k, columns_of(k)).first;
    return it->second;
}

std::optional<std::vector<std::string>> search_values(DbImpl& db, const records::KindEntry& k, Id id) {
    const auto& cols = search_columns(k);
    if (cols.empty()) return std::vector<std::string>{};
    auto& s = db.stmt(select_sql(k, true));
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    auto v = values_of(s, cols.size());
    s.reset();  // a statement left on a row would keep its snapshot open after the write
    return v;
}

void each_search_values(DbImpl& db, const records::KindEntry& k,
                        const std::function<void(Id, std::vector<std::string>&)>& fn) {
    const auto& cols = search_columns(k);
    if (cols.empty()) return;
    SQLite::Statement s(*db.conn, select_sql(k, false));
    while (s.executeStep()) {
        auto v = values_of(s, cols.size());
        fn(s.getColumn(0).getInt64(), v);
    }
}

void put_search_doc(DbImpl& db, Entity e, Id id, const SearchDoc& doc, Spacer spaced, bool fresh) {
    if (auto old = fresh ? std::nullopt : existing(db, e, id)) {
        if (old->label == doc.label && old->title == doc.title && old->body == doc.body) return;
        fts_delete(db, old->row, old->title, old->body, spaced);
        auto& u = db.stmt("UPDATE search_docs SET label=?,title=?,body=? WHERE id=?");
        u.bindNoCopy(1, doc.label);
        u.bindNoCopy(2, doc.title);
        u.bindNoCopy(3, doc.body);
        u.bind(4, static_cast<std::int64_t>(old->row));
        u.exec();
        fts_insert(db, old->row, doc, spaced);
        return;
    }
    auto& i = db.stmt("INSERT INTO search_docs(entity,record_id,label,title,body) VALUES(?,?,?,?,?)");
    i.bind(1, entity_name(e));
    i.bind(2, static_cast<std::int64_t>(id));
    i.bindNoCopy(3, doc.label);
    i.bindNoCopy(4, doc.title);
    i.bindNoCopy(5, doc.body);
    i.exec();
    fts_insert(db, db.conn->getLastInsertRowid(), doc, spaced);
}

void drop_search_doc(DbImpl& db, Entity e, Id id, Spacer spaced) {
    auto old = existing(db, e, id);
    if (!old) return;
    fts_delete(db, old->row, old->title, old->body, spaced);
    auto& d = db.stmt("DELETE FROM search_docs WHERE id=?");
    d.bind(1, static_cast<std::int64_t>(old->row));
    d.exec();
}

void clear_search(DbImpl& db) {
    db.conn->exec("DELETE FROM search_docs");
    db.conn->exec("INSERT INTO search_tri(search_tri) VALUES('delete-all')");
    db.conn->exec("INSERT INTO search_uni(search_uni) VALUES('delete-all')");
}

void optimize_search(DbImpl& db) {
    db.conn->exec("INSERT INTO search_tri(search_tri) VALUES('optimize')");
    db.conn->exec("INSERT INTO search_uni(search_uni) VALUES('optimize')");
}

// The FTS5 table drives the query (CROSS JOIN fixes the loop order): it yields the
// matching rows, each joined to its search_docs row by primary key; without it the
// planner may walk every row of a kind through the (entity, record_id) index.
result<std::vector<SearchRow>> search_rows(DbImpl& db, const SearchQuery& q) {
    const bool tri = !q.tri_match.empty();
    const char* fts = tri ? "search_tri" : "search_uni";
    std::vector<Bound> binds;
    std::string sql = fmt::format(
        "SELECT d.entity,d.record_id,d.label,d.title,d.body,bm25({0},2.0,1.0) AS r "
        "FROM {0} CROSS JOIN search_docs d ON d.id={0}.rowid WHERE {0} MATCH ?",
        fts);
    binds.emplace_back(tri ? q.tri_match : q.uni_match);
    if (tri && !q.uni_match.empty()) {
        sql += " AND d.id IN (SELECT rowid FROM search_uni WHERE search_uni MATCH ?)";
        binds.emplace_back(q.uni_match);
    }
    if (!q.kinds.empty()) {
        sql += " AND d.entity IN (";
        for (std::size_t i = 0; i < q.kinds.size(); ++i) {
            sql += i ? ",?" : "?";
            binds.emplace_back(std::string(entity_name(q.kinds[i])));
        }
        sql += ")";
    }
    const bool filtered = q.filter_kind && !q.where.empty();
    if (filtered) {
        sql += fmt::format(" AND d.record_id IN (SELECT id FROM {} WHERE 1", identifier(q.filter_kind->table));
        for (const auto& f : q.where) {
            sql += " AND ";
            CRM_TRYV(filter_sql(db, *q.filter_kind, f, sql, binds));
        }
        sql += ")";
    }
    sql += " ORDER BY r, d.entity, d.record_id LIMIT ?";
    binds.emplace_back(q.limit);
    // Filters make the text vary without bound: those statements are not cached.
    std::optional<SQLite::Statement> own;
    SQLite::Statement* s = nullptr;
    if (filtered) s = &own.emplace(*db.conn, sql);
    else s = &db.stmt(sql);
    bind_values(*s, binds);
    std::vector<SearchRow> out;
    while (s->executeStep()) {
        SearchRow r;
        r.kind = entity_from_name(s->getColumn(0).getString()).value_or(Entity::contact);
        r.id = s->getColumn(1).getInt64();
        r.label = text(s->getColumn(2));
        r.title = text(s->getColumn(3));
        r.body = text(s->getColumn(4));
        r.rank = s->getColumn(5).getDouble();
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace crm::store

namespace crm::detail {
extern const char* const kSearchSchema;
}
namespace crm::store {
int search_schema_version() noexcept { return detail::migration_number(detail::kSearchSchema); }
}  // namespace crm::store
