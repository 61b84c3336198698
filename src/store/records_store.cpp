// SQL shared by every entity kind: existence, external ids, deletion, references.
#include "store/bind.hpp"
#include "store/entity_store.hpp"

#include <stdexcept>
#include <string_view>

namespace crm::store {

// Table names are fixed identifiers chosen here, never user input.
const char* table_name(Entity e) noexcept {
    switch (e) {
        case Entity::user: return "users";
        case Entity::team: return "teams";
        case Entity::account: return "accounts";
        case Entity::contact: return "contacts";
        case Entity::product: return "products";
        case Entity::campaign: return "campaigns";
        case Entity::pipeline: return "pipelines";
        case Entity::deal: return "deals";
        case Entity::interaction: return "interactions";
        case Entity::ticket: return "tickets";
        case Entity::task: return "tasks";
        case Entity::document: return "documents";
    }
    return "contacts";
}

namespace {
std::string sql(const char* head, Entity e, const char* tail) { return std::string(head) + table_name(e) + tail; }
}  // namespace

bool exists(DbImpl& db, Entity e, Id id) {
    auto& s = db.stmt(sql("SELECT 1 FROM ", e, " WHERE id=?"));
    s.bind(1, static_cast<std::int64_t>(id));
    bool found = s.executeStep();
    s.reset();
    return found;
}

std::optional<Id> id_by_external_id(DbImpl& db, Entity e, const std::string& external_id) {
    auto& s = db.stmt(sql("SELECT id FROM ", e, " WHERE external_id=?"));
    s.bind(1, external_id);
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

void erase(DbImpl& db, Entity e, Id id) {
    erase_extras(db, e, id);
    auto& s = db.stmt(sql("DELETE FROM ", e, " WHERE id=?"));
    s.bind(1, static_cast<std::int64_t>(id));
    s.exec();
}

std::vector<Id> ids_where_equals(DbImpl& db, Entity e, const char* column, Id value) {
    static const char* const allowed[] = {"account_id", "owner_id", "parent_id", "team_id", "manager_id",
                                          "contact_id", "deal_id", "product_id", "campaign_id", "pipeline_id",
                                          "stage_id", "assignee_id", "requester_id", "ticket_id"};
    bool ok = false;
    for (auto* a : allowed) ok = ok || std::string_view(a) == column;
    if (!ok) throw std::logic_error("ids_where_equals: column not allowed");
    auto& s = db.stmt(sql("SELECT id FROM ", e, (std::string(" WHERE ") + column + "=? ORDER BY id").c_str()));
    s.bind(1, static_cast<std::int64_t>(value));
    std::vector<Id> ids;
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
}

}  // namespace crm::store
