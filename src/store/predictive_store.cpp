// SQL of predictive scoring (store/predictive_store.hpp).
#include "store/predictive_store.hpp"

#include <cmath>

#include "store/bind.hpp"

namespace crm::store {

namespace {
PredictiveRow model_row(SQLite::Statement& s) {
    return PredictiveRow{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt()};
}
PredictiveVersionRow version_row(SQLite::Statement& s) {
    return PredictiveVersionRow{s.getColumn(0).getInt(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                                s.getColumn(3).getInt64()};
}
PredictiveScore score_row(SQLite::Statement& s) {
    PredictiveScore x;
    x.contact_id = s.getColumn(0).getInt64();
    x.version = s.getColumn(1).getInt();
    x.as_of = s.getColumn(2).getInt64();
    x.probability = s.getColumn(3).getDouble();
    x.score = s.getColumn(4).getInt();
    return x;
}
}  // namespace

std::optional<PredictiveRow> predictive_by_name(DbImpl& db, const std::string& name) {
    auto& s = db.stmt("SELECT id,name,latest_version FROM predictive_models WHERE name=?");
    s.bind(1, name);
    if (!s.executeStep()) return std::nullopt;
    return model_row(s);
}

std::vector<PredictiveRow> predictive_models(DbImpl& db) {
    auto& s = db.stmt("SELECT id,name,latest_version FROM predictive_models ORDER BY name");
    std::vector<PredictiveRow> out;
    while (s.executeStep()) out.push_back(model_row(s));
    return out;
}

Id insert_predictive(DbImpl& db, const std::string& name, Timestamp at) {
    auto& s = db.stmt("INSERT INTO predictive_models(name,latest_version,created_at,updated_at) VALUES(?,0,?,?)");
    s.bind(1, name);
    s.bind(2, static_cast<std::int64_t>(at));
    s.bind(3, static_cast<std::int64_t>(at));
    s.exec();
    return db.conn->getLastInsertRowid();
}

void set_predictive_latest(DbImpl& db, Id model_id, int latest_version, Timestamp at) {
    auto& s = db.stmt("UPDATE predictive_models SET latest_version=?, updated_at=? WHERE id=?");
    s.bind(1, latest_version);
    s.bind(2, static_cast<std::int64_t>(at));
    s.bind(3, static_cast<std::int64_t>(model_id));
    s.exec();
}

void insert_predictive_version(DbImpl& db, Id model_id, const PredictiveVersionRow& v, std::optional<Id> actor) {
    auto& s = db.stmt(
        "INSERT INTO predictive_model_versions(model_id,version,definition,report,created_at,actor_id) "
        "VALUES(?,?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.bind(2, v.version);
    s.bind(3, v.definition);
    s.bind(4, v.report);
    s.bind(5, static_cast<std::int64_t>(v.created_at));
    bind_opt(s, 6, actor);
    s.exec();
}

std::optional<PredictiveVersionRow> predictive_version(DbImpl& db, Id model_id, int version) {
    auto& s = db.stmt(
        "SELECT version,definition,report,created_at FROM predictive_model_versions WHERE model_id=? AND version=?");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.bind(2, version);
    if (!s.executeStep()) return std::nullopt;
    return version_row(s);
}

std::vector<PredictiveVersionRow> predictive_versions(DbImpl& db, Id model_id) {
    auto& s = db.stmt(
        "SELECT version,definition,report,created_at FROM predictive_model_versions WHERE model_id=? ORDER BY version");
    s.bind(1, static_cast<std::int64_t>(model_id));
    std::vector<PredictiveVersionRow> out;
    while (s.executeStep()) out.push_back(version_row(s));
    return out;
}

std::int64_t prediction_rank(double probability) noexcept {
    const double p = probability < 0 ? 0 : probability > 1 ? 1 : probability;
    return std::llround(p * 1e15);
}

void upsert_prediction(DbImpl& db, Id model_id, const PredictiveScore& x) {
    auto& s = db.stmt(
        "INSERT INTO predictive_scores(model_id,contact_id,version,as_of,probability,score,rank) VALUES(?,?,?,?,?,?,?) "
        "ON CONFLICT(contact_id,model_id) DO UPDATE SET version=excluded.version, as_of=excluded.as_of, "
        "probability=excluded.probability, score=excluded.score, rank=excluded.rank");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.bind(2, static_cast<std::int64_t>(x.contact_id));
    s.bind(3, x.version);
    s.bind(4, static_cast<std::int64_t>(x.as_of));
    s.bind(5, x.probability);
    s.bind(6, x.score);
    s.bind(7, prediction_rank(x.probability));
    s.exec();
}

void delete_predictions(DbImpl& db, Id model_id) {
    auto& s = db.stmt("DELETE FROM predictive_scores WHERE model_id=?");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.exec();
}

std::optional<PredictiveScore> load_prediction(DbImpl& db, Id model_id, Id contact_id) {
    auto& s = db.stmt(
        "SELECT contact_id,version,as_of,probability,score FROM predictive_scores WHERE contact_id=? AND model_id=?");
    s.bind(1, static_cast<std::int64_t>(contact_id));
    s.bind(2, static_cast<std::int64_t>(model_id));
    if (!s.executeStep()) return std::nullopt;
    return score_row(s);
}

std::vector<PredictiveScore> top_predictions(DbImpl& db, Id model_id, std::size_t limit,
                                             const std::optional<RankKey>& after) {
    auto& s = after ? db.stmt("SELECT contact_id,version,as_of,probability,score FROM predictive_scores "
                              "WHERE model_id=? AND (rank<? OR (rank=? AND contact_id>?)) "
                              "ORDER BY rank DESC, contact_id LIMIT ?")
                    : db.stmt("SELECT contact_id,version,as_of,probability,score FROM predictive_scores "
                              "WHERE model_id=? ORDER BY rank DESC, contact_id LIMIT ?");
    int i = 1;
    s.bind(i++, static_cast<std::int64_t>(model_id));
    if (after) {
        s.bind(i++, after->rank);
        s.bind(i++, after->rank);
        s.bind(i++, static_cast<std::int64_t>(after->contact_id));
    }
    s.bind(i, static_cast<std::int64_t>(limit));
    std::vector<PredictiveScore> out;
    while (s.executeStep()) out.push_back(score_row(s));
    return out;
}

std::vector<std::pair<Id, Timestamp>> won_deal_times(DbImpl& db) {
    auto& s = db.stmt(
        "SELECT contact_id, min(closed_at) FROM deals WHERE status='won' AND contact_id IS NOT NULL "
        "AND closed_at IS NOT NULL GROUP BY contact_id ORDER BY contact_id");
    std::vector<std::pair<Id, Timestamp>> out;
    while (s.executeStep()) out.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getInt64());
    return out;
}

}  // namespace crm::store
