// SQL shared by every kind: existence, external ids, deletion, references.
// Table and column names come from the kinds' descriptors (fixed identifiers,
// never input); values are bound.
#include "store/bind.hpp"
#include "store/entity_store.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <unordered_map>

#include "records/registry.hpp"

namespace crm::store {

namespace {
// Identifiers reach SQL text only from descriptors; this guards against a descriptor typo.
const char* identifier(const char* s) {
    if (!s || !*s) throw std::logic_error("empty SQL identifier");
    for (const char* p = s; *p; ++p)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9')))
            throw std::logic_error(std::string("not a plain SQL identifier: ") + s);
    return s;
}
const char* table(Entity e) { return identifier(records::table_of(e)); }

// The statements every kind has, built once per kind: their text lives as long as
// the program, so the statement cache finds them by address.
struct KindSql {
    std::string exists, by_external_id, erase;
};
KindSql make_sql(Entity e) {
    const char* t = table(e);
    return {fmt::format("SELECT 1 FROM {} WHERE id=?", t), fmt::format("SELECT id FROM {} WHERE external_id=?", t),
            fmt::format("DELETE FROM {} WHERE id=?", t)};
}
const KindSql& sql_of(Entity e) {
    static const std::vector<KindSql> kinds = [] {
        std::vector<KindSql> v;
        for (const auto* k : records::kinds()) {
            const auto i = static_cast<std::size_t>(k->info.entity);
            if (i >= v.size()) v.resize(i + 1);
            v[i] = make_sql(k->info.entity);
        }
        return v;
    }();
    const auto i = static_cast<std::size_t>(e);
    if (i < kinds.size() && !kinds[i].exists.empty()) return kinds[i];
    // A kind added after the first use (a test's kind): built per thread, kept.
    thread_local std::unordered_map<int, KindSql> later;
    auto it = later.find(static_cast<int>(e));
    if (it == later.end()) it = later.emplace(static_cast<int>(e), make_sql(e)).first;
    return it->second;
}
}  // namespace

bool exists(DbImpl& db, Entity e, Id id) {
    if (!records::find(e)) return false;
    auto& s = db.stmt(sql_of(e).exists.c_str());
    s.bind(1, static_cast<std::int64_t>(id));
    bool found = s.executeStep();
    s.reset();
    return found;
}

std::optional<Id> id_by_external_id(DbImpl& db, Entity e, const std::string& external_id) {
    auto& s = db.stmt(sql_of(e).by_external_id.c_str());
    s.bind(1, external_id);
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

void erase(DbImpl& db, Entity e, Id id) {
    erase_extras(db, e, id);
    auto& s = db.stmt(sql_of(e).erase.c_str());
    s.bind(1, static_cast<std::int64_t>(id));
    s.exec();
    if (e == Entity::user) db.actor_known = false;  // writes check again that the actor is a user
}

std::vector<Id> ids_where(DbImpl& db, const char* tbl, const char* column, Id value) {
    auto& s = db.stmt(fmt::format("SELECT id FROM {} WHERE {}=? ORDER BY id", identifier(tbl), identifier(column)));
    s.bind(1, static_cast<std::int64_t>(value));
    std::vector<Id> ids;
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
}

std::int64_t count_where(DbImpl& db, const char* tbl, const char* column, Id value) {
    auto& s = db.stmt(fmt::format("SELECT count(*) FROM {} WHERE {}=?", identifier(tbl), identifier(column)));
    s.bind(1, static_cast<std::int64_t>(value));
    s.executeStep();
    auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

}  // namespace crm::store
