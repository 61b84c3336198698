// SQL shared by every kind: existence, external ids, deletion, references.
// Table and column names come from the kinds' descriptors (fixed identifiers,
// never input); values are bound.
#include "store/bind.hpp"
#include "store/entity_store.hpp"

#include <fmt/format.h>

#include <stdexcept>

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
}  // namespace

bool exists(DbImpl& db, Entity e, Id id) {
    if (!records::find(e)) return false;
    auto& s = db.stmt(fmt::format("SELECT 1 FROM {} WHERE id=?", table(e)));
    s.bind(1, static_cast<std::int64_t>(id));
    bool found = s.executeStep();
    s.reset();
    return found;
}

std::optional<Id> id_by_external_id(DbImpl& db, Entity e, const std::string& external_id) {
    auto& s = db.stmt(fmt::format("SELECT id FROM {} WHERE external_id=?", table(e)));
    s.bind(1, external_id);
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

void erase(DbImpl& db, Entity e, Id id) {
    erase_extras(db, e, id);
    auto& s = db.stmt(fmt::format("DELETE FROM {} WHERE id=?", table(e)));
    s.bind(1, static_cast<std::int64_t>(id));
    s.exec();
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
