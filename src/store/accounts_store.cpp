// SQL for accounts (companies).
#include "store/bind.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

namespace {
void bind_account(SQLite::Statement& s, const Account& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, v.name_reading);
    s.bind(4, v.industry);
    bind_opt(s, 5, v.employee_count);
    if (v.annual_revenue) {
        s.bind(6, static_cast<std::int64_t>(v.annual_revenue->amount));
        s.bind(7, v.annual_revenue->currency);
    } else {
        s.bind(6);
        s.bind(7);
    }
    s.bind(8, v.address.postal_code);
    s.bind(9, v.address.country);
    s.bind(10, v.address.region);
    s.bind(11, v.address.city);
    s.bind(12, v.address.street);
    s.bind(13, v.address.building);
    s.bind(14, v.phone);
    s.bind(15, v.website);
    bind_opt(s, 16, v.parent_id);
    bind_opt(s, 17, v.owner_id);
    s.bind(18, to_string(v.contract_status));
    s.bind(19, static_cast<std::int64_t>(v.created_at));
    s.bind(20, static_cast<std::int64_t>(v.updated_at));
}
}  // namespace

Id insert(DbImpl& db, const Account& v) {
    auto& s = db.stmt(
        "INSERT INTO accounts(external_id,name,name_reading,industry,employee_count,revenue_amount,"
        "revenue_currency,postal_code,country,region,city,street,building,phone,website,parent_id,owner_id,"
        "contract_status,created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_account(s, v);
    s.exec();
    return db.conn->getLastInsertRowid();
}

void update(DbImpl& db, const Account&, const Account& v) {
    auto& s = db.stmt(
        "UPDATE accounts SET external_id=?,name=?,name_reading=?,industry=?,employee_count=?,revenue_amount=?,"
        "revenue_currency=?,postal_code=?,country=?,region=?,city=?,street=?,building=?,phone=?,website=?,"
        "parent_id=?,owner_id=?,contract_status=?,created_at=?,updated_at=? WHERE id=?");
    bind_account(s, v);
    s.bind(21, static_cast<std::int64_t>(v.id));
    s.exec();
}

bool load(DbImpl& db, Id id, Account& v) {
    auto& s = db.stmt(
        "SELECT id,external_id,name,name_reading,industry,employee_count,revenue_amount,revenue_currency,"
        "postal_code,country,region,city,street,building,phone,website,parent_id,owner_id,contract_status,"
        "created_at,updated_at FROM accounts WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return false;
    v.id = s.getColumn(0).getInt64();
    v.external_id = text(s.getColumn(1));
    v.name = s.getColumn(2).getString();
    v.name_reading = s.getColumn(3).getString();
    v.industry = s.getColumn(4).getString();
    v.employee_count = opt_int(s.getColumn(5));
    if (!s.getColumn(6).isNull()) v.annual_revenue = Money{s.getColumn(6).getInt64(), text(s.getColumn(7))};
    else v.annual_revenue.reset();
    v.address = {s.getColumn(8).getString(),  s.getColumn(9).getString(),  s.getColumn(10).getString(),
                 s.getColumn(11).getString(), s.getColumn(12).getString(), s.getColumn(13).getString()};
    v.phone = s.getColumn(14).getString();
    v.website = s.getColumn(15).getString();
    v.parent_id = opt_int(s.getColumn(16));
    v.owner_id = opt_int(s.getColumn(17));
    v.contract_status = contract_status_from_string(s.getColumn(18).getString()).value_or(ContractStatus::none);
    v.created_at = s.getColumn(19).getInt64();
    v.updated_at = s.getColumn(20).getInt64();
    s.reset();
    return true;
}

std::optional<Id> account_parent(DbImpl& db, Id account_id) {
    auto& s = db.stmt("SELECT parent_id FROM accounts WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(account_id));
    if (!s.executeStep()) return std::nullopt;
    auto p = opt_int(s.getColumn(0));
    s.reset();
    return p;
}

}  // namespace crm::store
