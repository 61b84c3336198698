// SQL for products, campaigns, pipelines and stages, deals and line items,
// deal stage history and the lost-reason catalogue.
#include "store/sales_store.hpp"

#include <algorithm>

#include "store/bind.hpp"

namespace crm::store {

namespace {
std::int64_t i64(Id v) { return static_cast<std::int64_t>(v); }
void bind_text_or_null_date(SQLite::Statement& s, int i, const std::string& v) { bind_text_or_null(s, i, v); }
std::int64_t count(DbImpl& db, const char* sql, Id v) {
    auto& s = db.stmt(sql);
    s.bind(1, i64(v));
    s.executeStep();
    auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}
}  // namespace

const FieldSpec kProductFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},
    {"series", "series", FieldKind::text, true},
    {"price", "price_amount", FieldKind::integer, true},
    {"currency", "price_currency", FieldKind::text, true},
    {"active", "active", FieldKind::boolean, true},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};
const FieldSpec kCampaignFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},
    {"channel", "channel", FieldKind::text, true},
    {"start_date", "start_date", FieldKind::text, true},
    {"end_date", "end_date", FieldKind::text, true},
    {"cost", "cost_amount", FieldKind::integer, true},
    {"currency", "cost_currency", FieldKind::text, true},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};
const FieldSpec kPipelineFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};
const FieldSpec kDealFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},
    {"pipeline_id", "pipeline_id", FieldKind::integer, true},
    {"stage_id", "stage_id", FieldKind::integer, true},
    {"status", "status", FieldKind::text, true},
    {"amount", "amount", FieldKind::integer, true},
    {"currency", "currency", FieldKind::text, true},
    {"expected_close_date", "expected_close_date", FieldKind::text, true},
    {"owner_id", "owner_id", FieldKind::integer, true},
    {"account_id", "account_id", FieldKind::integer, true},
    {"contact_id", "contact_id", FieldKind::integer, true},
    {"campaign_id", "campaign_id", FieldKind::integer, true},
    {"probability", "probability", FieldKind::integer, true},
    {"closed_at", "closed_at", FieldKind::time, true},
    {"lost_reason", "lost_reason", FieldKind::text, true},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};

std::span<const FieldSpec> sales_field_specs(Entity e) noexcept {
    switch (e) {
        case Entity::product: return kProductFields;
        case Entity::campaign: return kCampaignFields;
        case Entity::pipeline: return kPipelineFields;
        case Entity::deal: return kDealFields;
        default: return {};
    }
}

// ---- products
namespace {
void bind_product(SQLite::Statement& s, const Product& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, v.series);
    s.bind(4, static_cast<std::int64_t>(v.list_price.amount));
    s.bind(5, v.list_price.currency);
    s.bind(6, v.active ? 1 : 0);
    s.bind(7, static_cast<std::int64_t>(v.created_at));
    s.bind(8, static_cast<std::int64_t>(v.updated_at));
}
}  // namespace

Id insert(DbImpl& db, const Product& v) {
    auto& s = db.stmt("INSERT INTO products(external_id,name,series,price_amount,price_currency,active,created_at,"
                      "updated_at) VALUES(?,?,?,?,?,?,?,?)");
    bind_product(s, v);
    s.exec();
    return db.conn->getLastInsertRowid();
}
void update(DbImpl& db, const Product&, const Product& v) {
    auto& s = db.stmt("UPDATE products SET external_id=?,name=?,series=?,price_amount=?,price_currency=?,active=?,"
                      "created_at=?,updated_at=? WHERE id=?");
    bind_product(s, v);
    s.bind(9, i64(v.id));
    s.exec();
}
bool load(DbImpl& db, Id id, Product& v) {
    auto& s = db.stmt("SELECT id,external_id,name,series,price_amount,price_currency,active,created_at,updated_at "
                      "FROM products WHERE id=?");
    s.bind(1, i64(id));
    if (!s.executeStep()) return false;
    v.id = s.getColumn(0).getInt64();
    v.external_id = text(s.getColumn(1));
    v.name = s.getColumn(2).getString();
    v.series = s.getColumn(3).getString();
    v.list_price = {s.getColumn(4).getInt64(), s.getColumn(5).getString()};
    v.active = s.getColumn(6).getInt() != 0;
    v.created_at = s.getColumn(7).getInt64();
    v.updated_at = s.getColumn(8).getInt64();
    s.reset();
    return true;
}

// ---- campaigns
namespace {
void bind_campaign(SQLite::Statement& s, const Campaign& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, to_string(v.channel));
    bind_text_or_null_date(s, 4, v.start_date);
    bind_text_or_null_date(s, 5, v.end_date);
    s.bind(6, static_cast<std::int64_t>(v.cost.amount));
    s.bind(7, v.cost.currency);
    s.bind(8, static_cast<std::int64_t>(v.created_at));
    s.bind(9, static_cast<std::int64_t>(v.updated_at));
}
}  // namespace

Id insert(DbImpl& db, const Campaign& v) {
    auto& s = db.stmt("INSERT INTO campaigns(external_id,name,channel,start_date,end_date,cost_amount,cost_currency,"
                      "created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?)");
    bind_campaign(s, v);
    s.exec();
    return db.conn->getLastInsertRowid();
}
void update(DbImpl& db, const Campaign&, const Campaign& v) {
    auto& s = db.stmt("UPDATE campaigns SET external_id=?,name=?,channel=?,start_date=?,end_date=?,cost_amount=?,"
                      "cost_currency=?,created_at=?,updated_at=? WHERE id=?");
    bind_campaign(s, v);
    s.bind(10, i64(v.id));
    s.exec();
}
bool load(DbImpl& db, Id id, Campaign& v) {
    auto& s = db.stmt("SELECT id,external_id,name,channel,start_date,end_date,cost_amount,cost_currency,created_at,"
                      "updated_at FROM campaigns WHERE id=?");
    s.bind(1, i64(id));
    if (!s.executeStep()) return false;
    v.id = s.getColumn(0).getInt64();
    v.external_id = text(s.getColumn(1));
    v.name = s.getColumn(2).getString();
    v.channel = campaign_channel_from_string(s.getColumn(3).getString()).value_or(CampaignChannel::other);
    v.start_date = text(s.getColumn(4));
    v.end_date = text(s.getColumn(5));
    v.cost = {s.getColumn(6).getInt64(), s.getColumn(7).getString()};
    v.created_at = s.getColumn(8).getInt64();
    v.updated_at = s.getColumn(9).getInt64();
    s.reset();
    return true;
}

// ---- pipelines and stages
namespace {
void save_stages(DbImpl& db, Id pipeline_id, const std::vector<Stage>& stages) {
    // Stages left out of the list go (validation has checked no deal uses them);
    // the others are upserted by id with their new position.
    std::vector<Id> keep;
    for (const auto& st : stages) keep.push_back(st.id);
    for (const auto& old : load_stages(db, pipeline_id)) {
        if (std::find(keep.begin(), keep.end(), old.id) != keep.end()) continue;
        auto& d = db.stmt("DELETE FROM pipeline_stages WHERE id=?");
        d.bind(1, i64(old.id));
        d.exec();
    }
    std::int64_t pos = 0;
    for (const auto& st : stages) {
        auto& s = db.stmt(
            "INSERT INTO pipeline_stages(id,pipeline_id,position,name,probability,kind) VALUES(?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET position=excluded.position,name=excluded.name,"
            "probability=excluded.probability,kind=excluded.kind");
        s.bind(1, i64(st.id));
        s.bind(2, i64(pipeline_id));
        s.bind(3, pos++);
        s.bind(4, st.name);
        s.bind(5, static_cast<std::int64_t>(st.probability));
        s.bind(6, to_string(st.kind));
        s.exec();
    }
}
}  // namespace

Id insert(DbImpl& db, const Pipeline& v) {
    auto& s = db.stmt("INSERT INTO pipelines(external_id,name,created_at,updated_at) VALUES(?,?,?,?)");
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, static_cast<std::int64_t>(v.created_at));
    s.bind(4, static_cast<std::int64_t>(v.updated_at));
    s.exec();
    Id id = db.conn->getLastInsertRowid();
    save_stages(db, id, v.stages);
    return id;
}
void update(DbImpl& db, const Pipeline&, const Pipeline& v) {
    auto& s = db.stmt("UPDATE pipelines SET external_id=?,name=?,created_at=?,updated_at=? WHERE id=?");
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, static_cast<std::int64_t>(v.created_at));
    s.bind(4, static_cast<std::int64_t>(v.updated_at));
    s.bind(5, i64(v.id));
    s.exec();
    save_stages(db, v.id, v.stages);
}
bool load(DbImpl& db, Id id, Pipeline& v) {
    auto& s = db.stmt("SELECT id,external_id,name,created_at,updated_at FROM pipelines WHERE id=?");
    s.bind(1, i64(id));
    if (!s.executeStep()) return false;
    v.id = s.getColumn(0).getInt64();
    v.external_id = text(s.getColumn(1));
    v.name = s.getColumn(2).getString();
    v.created_at = s.getColumn(3).getInt64();
    v.updated_at = s.getColumn(4).getInt64();
    s.reset();
    v.stages = load_stages(db, id);
    return true;
}

std::vector<Stage> load_stages(DbImpl& db, Id pipeline_id) {
    auto& s = db.stmt("SELECT id,name,probability,kind FROM pipeline_stages WHERE pipeline_id=? ORDER BY position,id");
    s.bind(1, i64(pipeline_id));
    std::vector<Stage> out;
    while (s.executeStep()) {
        Stage st;
        st.id = s.getColumn(0).getInt64();
        st.name = s.getColumn(1).getString();
        st.probability = s.getColumn(2).getInt64();
        st.kind = stage_kind_from_string(s.getColumn(3).getString()).value_or(StageKind::open);
        out.push_back(std::move(st));
    }
    s.reset();
    return out;
}

std::optional<StageInfo> stage_info(DbImpl& db, Id stage_id) {
    auto& s = db.stmt("SELECT pipeline_id,kind,probability,name FROM pipeline_stages WHERE id=?");
    s.bind(1, i64(stage_id));
    if (!s.executeStep()) return std::nullopt;
    StageInfo i;
    i.pipeline_id = s.getColumn(0).getInt64();
    i.kind = stage_kind_from_string(s.getColumn(1).getString()).value_or(StageKind::open);
    i.probability = s.getColumn(2).getInt64();
    i.name = s.getColumn(3).getString();
    s.reset();
    return i;
}

Id next_stage_id(DbImpl& db) {
    auto& s = db.stmt(
        "SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name='pipeline_stages'),0),"
        "COALESCE((SELECT max(id) FROM pipeline_stages),0)) + 1");
    s.executeStep();
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

std::int64_t count_deals_in_stage(DbImpl& db, Id stage_id) {
    return count(db, "SELECT count(*) FROM deals WHERE stage_id=?", stage_id);
}
std::int64_t count_deals_in_pipeline(DbImpl& db, Id pipeline_id) {
    return count(db, "SELECT count(*) FROM deals WHERE pipeline_id=?", pipeline_id);
}
std::int64_t count_line_items_with_product(DbImpl& db, Id product_id) {
    return count(db, "SELECT count(*) FROM deal_line_items WHERE product_id=?", product_id);
}

// ---- deals
namespace {
void bind_deal(SQLite::Statement& s, const Deal& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, i64(v.pipeline_id));
    s.bind(4, i64(v.stage_id));
    s.bind(5, to_string(v.status));
    s.bind(6, static_cast<std::int64_t>(v.amount.amount));
    s.bind(7, v.amount.currency);
    bind_text_or_null(s, 8, v.expected_close_date);
    bind_opt(s, 9, v.owner_id);
    bind_opt(s, 10, v.account_id);
    bind_opt(s, 11, v.contact_id);
    bind_opt(s, 12, v.campaign_id);
    bind_opt(s, 13, v.probability);
    if (v.closed_at) s.bind(14, static_cast<std::int64_t>(v.closed_at)); else s.bind(14);
    bind_text_or_null(s, 15, v.lost_reason);
    s.bind(16, static_cast<std::int64_t>(v.created_at));
    s.bind(17, static_cast<std::int64_t>(v.updated_at));
}
void save_line_items(DbImpl& db, Id deal_id, const std::vector<LineItem>& items) {
    auto& d = db.stmt("DELETE FROM deal_line_items WHERE deal_id=?");
    d.bind(1, i64(deal_id));
    d.exec();
    std::int64_t pos = 0;
    for (const auto& li : items) {
        auto& s = db.stmt("INSERT INTO deal_line_items(deal_id,position,product_id,quantity,unit_price,currency,"
                          "discount,note) VALUES(?,?,?,?,?,?,?,?)");
        s.bind(1, i64(deal_id));
        s.bind(2, pos++);
        s.bind(3, i64(li.product_id));
        s.bind(4, static_cast<std::int64_t>(li.quantity));
        s.bind(5, static_cast<std::int64_t>(li.unit_price.amount));
        s.bind(6, li.unit_price.currency);
        s.bind(7, static_cast<std::int64_t>(li.discount));
        s.bind(8, li.note);
        s.exec();
    }
}
}  // namespace

Id insert(DbImpl& db, const Deal& v) {
    auto& s = db.stmt(
        "INSERT INTO deals(external_id,name,pipeline_id,stage_id,status,amount,currency,expected_close_date,owner_id,"
        "account_id,contact_id,campaign_id,probability,closed_at,lost_reason,created_at,updated_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_deal(s, v);
    s.exec();
    Id id = db.conn->getLastInsertRowid();
    save_line_items(db, id, v.line_items);
    return id;
}
void update(DbImpl& db, const Deal& old, const Deal& v) {
    auto& s = db.stmt(
        "UPDATE deals SET external_id=?,name=?,pipeline_id=?,stage_id=?,status=?,amount=?,currency=?,"
        "expected_close_date=?,owner_id=?,account_id=?,contact_id=?,campaign_id=?,probability=?,closed_at=?,"
        "lost_reason=?,created_at=?,updated_at=? WHERE id=?");
    bind_deal(s, v);
    s.bind(18, i64(v.id));
    s.exec();
    if (old.line_items != v.line_items) save_line_items(db, v.id, v.line_items);
}
bool load(DbImpl& db, Id id, Deal& v) {
    auto& s = db.stmt(
        "SELECT id,external_id,name,pipeline_id,stage_id,status,amount,currency,expected_close_date,owner_id,"
        "account_id,contact_id,campaign_id,probability,closed_at,lost_reason,created_at,updated_at "
        "FROM deals WHERE id=?");
    s.bind(1, i64(id));
    if (!s.executeStep()) return false;
    v.id = s.getColumn(0).getInt64();
    v.external_id = text(s.getColumn(1));
    v.name = s.getColumn(2).getString();
    v.pipeline_id = s.getColumn(3).getInt64();
    v.stage_id = s.getColumn(4).getInt64();
    auto st = s.getColumn(5).getString();
    v.status = st == "won" ? DealStatus::won : st == "lost" ? DealStatus::lost : DealStatus::open;
    v.amount = {s.getColumn(6).getInt64(), s.getColumn(7).getString()};
    v.expected_close_date = text(s.getColumn(8));
    v.owner_id = opt_int(s.getColumn(9));
    v.account_id = opt_int(s.getColumn(10));
    v.contact_id = opt_int(s.getColumn(11));
    v.campaign_id = opt_int(s.getColumn(12));
    v.probability = opt_int(s.getColumn(13));
    v.closed_at = s.getColumn(14).isNull() ? 0 : s.getColumn(14).getInt64();
    v.lost_reason = text(s.getColumn(15));
    v.created_at = s.getColumn(16).getInt64();
    v.updated_at = s.getColumn(17).getInt64();
    s.reset();
    auto& l = db.stmt("SELECT product_id,quantity,unit_price,currency,discount,note FROM deal_line_items "
                      "WHERE deal_id=? ORDER BY position,id");
    l.bind(1, i64(id));
    v.line_items.clear();
    while (l.executeStep()) {
        LineItem li;
        li.product_id = l.getColumn(0).getInt64();
        li.quantity = l.getColumn(1).getInt64();
        li.unit_price = {l.getColumn(2).getInt64(), l.getColumn(3).getString()};
        li.discount = l.getColumn(4).getInt64();
        li.note = l.getColumn(5).getString();
        v.line_items.push_back(std::move(li));
    }
    l.reset();
    return true;
}

// ---- stage history
void append_stage_change(DbImpl& db, const StageChange& c) {
    auto& s = db.stmt("INSERT INTO deal_stage_history(deal_id,from_stage_id,to_stage_id,at,actor_id) VALUES(?,?,?,?,?)");
    s.bind(1, i64(c.deal_id));
    bind_opt(s, 2, c.from_stage_id);
    s.bind(3, i64(c.to_stage_id));
    s.bind(4, static_cast<std::int64_t>(c.at));
    bind_opt(s, 5, c.actor_id);
    s.exec();
}
std::vector<StageChange> stage_changes(DbImpl& db, Id deal_id) {
    auto& s = db.stmt("SELECT id,deal_id,from_stage_id,to_stage_id,at,actor_id FROM deal_stage_history "
                      "WHERE deal_id=? ORDER BY at,id");
    s.bind(1, i64(deal_id));
    std::vector<StageChange> out;
    while (s.executeStep()) {
        StageChange c;
        c.id = s.getColumn(0).getInt64();
        c.deal_id = s.getColumn(1).getInt64();
        c.from_stage_id = opt_int(s.getColumn(2));
        c.to_stage_id = s.getColumn(3).getInt64();
        c.at = s.getColumn(4).getInt64();
        c.actor_id = opt_int(s.getColumn(5));
        out.push_back(c);
    }
    s.reset();
    return out;
}

// ---- lost reasons
Id insert_lost_reason(DbImpl& db, const std::string& name, Timestamp at) {
    auto& s = db.stmt("INSERT INTO lost_reasons(name,created_at) VALUES(?,?)");
    s.bind(1, name);
    s.bind(2, static_cast<std::int64_t>(at));
    s.exec();
    return db.conn->getLastInsertRowid();
}
bool lost_reason_exists(DbImpl& db, const std::string& name) {
    auto& s = db.stmt("SELECT 1 FROM lost_reasons WHERE name=?");
    s.bind(1, name);
    bool found = s.executeStep();
    s.reset();
    return found;
}
std::vector<LostReason> load_lost_reasons(DbImpl& db) {
    auto& s = db.stmt("SELECT id,name,created_at FROM lost_reasons ORDER BY id");
    std::vector<LostReason> out;
    while (s.executeStep()) out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64()});
    s.reset();
    return out;
}

std::vector<Id> contacts_with_lead_source(DbImpl& db, const std::string& source) {
    auto& s = db.stmt("SELECT id FROM contacts WHERE lead_source=? ORDER BY id");
    s.bind(1, source);
    std::vector<Id> ids;
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    s.reset();
    return ids;
}

}  // namespace crm::store
