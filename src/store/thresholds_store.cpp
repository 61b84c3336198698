// SQL of score thresholds (store/thresholds_store.hpp).
#include "store/thresholds_store.hpp"

namespace crm::store {

namespace {
constexpr const char* kCols =
    "SELECT t.id,t.name,t.model_id,m.name,t.output,t.enter_level,t.leave_level,t.stage,t.created_at "
    "FROM score_thresholds t JOIN scoring_models m ON m.id=t.model_id ";

ThresholdRow row_of(SQLite::Statement& s) {
    ThresholdRow r;
    r.def.id = s.getColumn(0).getInt64();
    r.def.name = s.getColumn(1).getString();
    r.model_id = s.getColumn(2).getInt64();
    r.def.model = s.getColumn(3).getString();
    r.def.output = score_output_from_string(s.getColumn(4).getString()).value_or(ScoreOutput::total);
    r.def.enter = s.getColumn(5).getInt64();
    r.def.leave = s.getColumn(6).getInt64();
    const std::string stage = s.getColumn(7).getString();
    if (!stage.empty()) r.def.stage = lifecycle_stage_from_string(stage);
    r.def.created_at = s.getColumn(8).getInt64();
    return r;
}
}  // namespace

std::optional<ThresholdRow> threshold_by_name(detail::DbImpl& db, const std::string& name) {
    static const std::string sql = std::string(kCols) + "WHERE t.name=?";
    auto& s = db.stmt(sql);
    s.bind(1, name);
    if (!s.executeStep()) return std::nullopt;
    return row_of(s);
}

std::vector<ThresholdRow> thresholds_all(detail::DbImpl& db) {
    static const std::string sql = std::string(kCols) + "ORDER BY t.name";
    auto& s = db.stmt(sql);
    std::vector<ThresholdRow> out;
    while (s.executeStep()) out.push_back(row_of(s));
    return out;
}

std::vector<ThresholdRow> thresholds_of_model(detail::DbImpl& db, Id model_id) {
    static const std::string sql = std::string(kCols) + "WHERE t.model_id=? ORDER BY t.id";
    auto& s = db.stmt(sql);
    s.bind(1, model_id);
    std::vector<ThresholdRow> out;
    while (s.executeStep()) out.push_back(row_of(s));
    return out;
}

Id insert_threshold(detail::DbImpl& db, const ThresholdDef& d, Id model_id) {
    auto& s = db.stmt(
        "INSERT INTO score_thresholds(name,model_id,output,enter_level,leave_level,stage,created_at) "
        "VALUES(?,?,?,?,?,?,?)");
    s.bind(1, d.name);
    s.bind(2, model_id);
    s.bind(3, to_string(d.output));
    s.bind(4, d.enter);
    s.bind(5, d.leave);
    s.bind(6, d.stage ? to_string(*d.stage) : "");
    s.bind(7, d.created_at);
    s.exec();
    return db.conn->getLastInsertRowid();
}

void delete_threshold(detail::DbImpl& db, Id id) {
    auto& a = db.stmt("DELETE FROM threshold_crossings WHERE threshold_id=?");
    a.bind(1, id);
    a.exec();
    auto& b = db.stmt("DELETE FROM threshold_state WHERE threshold_id=?");
    b.bind(1, id);
    b.exec();
    auto& c = db.stmt("DELETE FROM score_thresholds WHERE id=?");
    c.bind(1, id);
    c.exec();
}

std::optional<ThresholdState> threshold_state(detail::DbImpl& db, Id threshold_id, Id contact_id) {
    auto& s = db.stmt("SELECT inside,since FROM threshold_state WHERE threshold_id=? AND contact_id=?");
    s.bind(1, threshold_id);
    s.bind(2, contact_id);
    if (!s.executeStep()) return std::nullopt;
    return ThresholdState{contact_id, s.getColumn(0).getInt() != 0, s.getColumn(1).getInt64()};
}

std::vector<ThresholdState> threshold_inside(detail::DbImpl& db, Id threshold_id) {
    auto& s = db.stmt("SELECT contact_id,since FROM threshold_state WHERE threshold_id=? AND inside=1 ORDER BY contact_id");
    s.bind(1, threshold_id);
    std::vector<ThresholdState> out;
    while (s.executeStep()) out.push_back(ThresholdState{s.getColumn(0).getInt64(), true, s.getColumn(1).getInt64()});
    return out;
}

void set_threshold_state(detail::DbImpl& db, Id threshold_id, Id contact_id, bool inside, Timestamp since) {
    auto& s = db.stmt(
        "INSERT INTO threshold_state(threshold_id,contact_id,inside,since) VALUES(?,?,?,?) "
        "ON CONFLICT(threshold_id,contact_id) DO UPDATE SET inside=excluded.inside, since=excluded.since");
    s.bind(1, threshold_id);
    s.bind(2, contact_id);
    s.bind(3, inside ? 1 : 0);
    s.bind(4, since);
    s.exec();
}

Id insert_crossing(detail::DbImpl& db, const Crossing& c) {
    auto& s = db.stmt("INSERT INTO threshold_crossings(threshold_id,contact_id,at,entered,score) VALUES(?,?,?,?,?)");
    s.bind(1, c.threshold_id);
    s.bind(2, c.contact_id);
    s.bind(3, c.at);
    s.bind(4, c.entered ? 1 : 0);
    s.bind(5, c.score);
    s.exec();
    return db.conn->getLastInsertRowid();
}

std::vector<Crossing> crossings(detail::DbImpl& db, Id threshold_id, const std::string& name, Id contact_id) {
    auto& s = db.stmt(
        "SELECT id,contact_id,at,entered,score FROM threshold_crossings "
        "WHERE threshold_id=? AND (?=0 OR contact_id=?) ORDER BY id");
    s.bind(1, threshold_id);
    s.bind(2, contact_id);
    s.bind(3, contact_id);
    std::vector<Crossing> out;
    while (s.executeStep()) {
        Crossing c;
        c.id = s.getColumn(0).getInt64();
        c.threshold = name;
        c.threshold_id = threshold_id;
        c.contact_id = s.getColumn(1).getInt64();
        c.at = s.getColumn(2).getInt64();
        c.entered = s.getColumn(3).getInt() != 0;
        c.score = s.getColumn(4).getInt64();
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace crm::store
