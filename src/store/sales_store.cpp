// SQL for products, campaigns, pipelines and stages, deals and line items,
// deal stage history and the lost-reason catalogue.
#include "store/sales_store.hpp"

#include <algorithm>

#include "store/bind.hpp"

namespace crm::store {

namespace {
std::int64_t i64(Id v) { return static_cast<std::int64_t>(v); }
std::int64_t count(DbImpl& db, const char* sql, Id v) {
    auto& s = db.stmt(sql);
    s.bind(1, i64(v));
    s.executeStep();
    auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}
}  // namespace

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
// ---- deals
namespace {
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

void save_pipeline_children(DbImpl& db, const Pipeline& v, const Pipeline* old) {
    if (!old || old->stages != v.stages) save_stages(db, v.id, v.stages);
}
void load_pipeline_children(DbImpl& db, std::span<Pipeline> pipelines) {
    for (auto& p : pipelines) p.stages = load_stages(db, p.id);
}

void save_deal_children(DbImpl& db, const Deal& v, const Deal* old) {
    if (old ? old->line_items != v.line_items : !v.line_items.empty()) save_line_items(db, v.id, v.line_items);
}
void load_deal_children(DbImpl& db, std::span<Deal> deals) {
    for (auto& d : deals) {
        auto& l = db.stmt("SELECT product_id,quantity,unit_price,currency,discount,note FROM deal_line_items "
                          "WHERE deal_id=? ORDER BY position,id");
        l.bind(1, i64(d.id));
        d.line_items.clear();
        while (l.executeStep()) {
            LineItem li;
            li.product_id = l.getColumn(0).getInt64();
            li.quantity = l.getColumn(1).getInt64();
            li.unit_price = {l.getColumn(2).getInt64(), l.getColumn(3).getString()};
            li.discount = l.getColumn(4).getInt64();
            li.note = l.getColumn(5).getString();
            d.line_items.push_back(std::move(li));
        }
    }
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
std::optional<Timestamp> last_stage_change_at(DbImpl& db, Id deal_id) {
    auto& s = db.stmt("SELECT max(at) FROM deal_stage_history WHERE deal_id=?");
    s.bind(1, i64(deal_id));
    s.executeStep();
    auto t = opt_int(s.getColumn(0));
    s.reset();
    return t;
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

}  // namespace crm::store
