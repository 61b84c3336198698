// SQL of lead scoring: models, versions, stored scores, and the interaction scans a
// model reads (store/scoring_store.hpp).
#include "store/scoring_store.hpp"

#include <fmt/format.h>

#include "store/bind.hpp"

namespace crm::store {

namespace {
ModelRow model_row(SQLite::Statement& s) {
    return ModelRow{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt() != 0,
                    s.getColumn(3).getInt()};
}
VersionRow version_row(SQLite::Statement& s) {
    return VersionRow{s.getColumn(0).getInt(), s.getColumn(1).getString(), s.getColumn(2).getInt64()};
}
Score score_row(SQLite::Statement& s) {
    Score x;
    x.contact_id = s.getColumn(0).getInt64();
    x.version = s.getColumn(1).getInt();
    x.as_of = s.getColumn(2).getInt64();
    x.fit = s.getColumn(3).getInt64();
    x.engagement = s.getColumn(4).getInt64();
    x.total = s.getColumn(5).getInt64();
    x.disqualified = s.getColumn(6).getInt() != 0;
    x.grade = s.getColumn(7).getString();
    const std::string t = s.getColumn(8).getString();
    x.trend = t == "rising" ? Trend::rising : t == "falling" ? Trend::falling : Trend::steady;
    x.trend_delta = s.getColumn(9).getInt64();
    return x;
}
constexpr const char* kScoreColumns = "contact_id,version,as_of,fit,engagement,total,disqualified,grade,trend,trend_delta";
}  // namespace

std::optional<ModelRow> model_by_name(DbImpl& db, const std::string& name) {
    auto& s = db.stmt("SELECT id,name,active,latest_version FROM scoring_models WHERE name=?");
    s.bind(1, name);
    if (!s.executeStep()) return std::nullopt;
    return model_row(s);
}

std::vector<ModelRow> models(DbImpl& db, bool only_active) {
    auto& s = db.stmt("SELECT id,name,active,latest_version FROM scoring_models WHERE active>=? ORDER BY name");
    s.bind(1, only_active ? 1 : 0);
    std::vector<ModelRow> out;
    while (s.executeStep()) out.push_back(model_row(s));
    return out;
}

Id insert_model(DbImpl& db, const std::string& name, Timestamp at) {
    auto& s = db.stmt("INSERT INTO scoring_models(name,active,latest_version,created_at,updated_at) VALUES(?,1,0,?,?)");
    s.bind(1, name);
    s.bind(2, static_cast<std::int64_t>(at));
    s.bind(3, static_cast<std::int64_t>(at));
    s.exec();
    return db.conn->getLastInsertRowid();
}

void set_model_state(DbImpl& db, Id model_id, int latest_version, bool active, Timestamp at) {
    auto& s = db.stmt("UPDATE scoring_models SET latest_version=?, active=?, updated_at=? WHERE id=?");
    s.bind(1, latest_version);
    s.bind(2, active ? 1 : 0);
    s.bind(3, static_cast<std::int64_t>(at));
    s.bind(4, static_cast<std::int64_t>(model_id));
    s.exec();
}

void insert_version(DbImpl& db, Id model_id, int version, const std::string& definition, Timestamp at,
                    std::optional<Id> actor) {
    auto& s = db.stmt(
        "INSERT INTO scoring_model_versions(model_id,version,definition,created_at,actor_id) VALUES(?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.bind(2, version);
    s.bind(3, definition);
    s.bind(4, static_cast<std::int64_t>(at));
    bind_opt(s, 5, actor);
    s.exec();
}

std::optional<VersionRow> model_version(DbImpl& db, Id model_id, int version) {
    auto& s = db.stmt("SELECT version,definition,created_at FROM scoring_model_versions WHERE model_id=? AND version=?");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.bind(2, version);
    if (!s.executeStep()) return std::nullopt;
    return version_row(s);
}

std::optional<VersionRow> version_at(DbImpl& db, Id model_id, Timestamp at) {
    auto& s = db.stmt(
        "SELECT version,definition,created_at FROM scoring_model_versions WHERE model_id=? AND created_at<=? "
        "ORDER BY version DESC LIMIT 1");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.bind(2, static_cast<std::int64_t>(at));
    if (!s.executeStep()) return std::nullopt;
    return version_row(s);
}

std::vector<VersionRow> versions(DbImpl& db, Id model_id) {
    auto& s = db.stmt("SELECT version,definition,created_at FROM scoring_model_versions WHERE model_id=? ORDER BY version");
    s.bind(1, static_cast<std::int64_t>(model_id));
    std::vector<VersionRow> out;
    while (s.executeStep()) out.push_back(version_row(s));
    return out;
}

std::optional<std::int64_t> upsert_score(DbImpl& db, Id model_id, const Score& x, bool want_before) {
    std::optional<std::int64_t> before;
    if (want_before) {
        auto& q = db.stmt("SELECT total FROM scores WHERE model_id=? AND contact_id=?");
        q.bind(1, static_cast<std::int64_t>(model_id));
        q.bind(2, static_cast<std::int64_t>(x.contact_id));
        if (q.executeStep()) before = q.getColumn(0).getInt64();
        q.reset();
    }
    auto& s = db.stmt(
        "INSERT INTO scores(model_id,contact_id,version,as_of,fit,engagement,total,disqualified,grade,trend,trend_delta) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(contact_id,model_id) DO UPDATE SET version=excluded.version,"
        "as_of=excluded.as_of,fit=excluded.fit,engagement=excluded.engagement,total=excluded.total,"
        "disqualified=excluded.disqualified,grade=excluded.grade,trend=excluded.trend,trend_delta=excluded.trend_delta");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.bind(2, static_cast<std::int64_t>(x.contact_id));
    s.bind(3, x.version);
    s.bind(4, static_cast<std::int64_t>(x.as_of));
    s.bind(5, static_cast<std::int64_t>(x.fit));
    s.bind(6, static_cast<std::int64_t>(x.engagement));
    s.bind(7, static_cast<std::int64_t>(x.total));
    s.bind(8, x.disqualified ? 1 : 0);
    s.bindNoCopy(9, x.grade);
    s.bind(10, to_string(x.trend));
    s.bind(11, static_cast<std::int64_t>(x.trend_delta));
    s.exec();
    return before;
}

std::optional<Score> load_score(DbImpl& db, Id model_id, Id contact_id) {
    static const std::string sql = fmt::format("SELECT {} FROM scores WHERE model_id=? AND contact_id=?", kScoreColumns);
    auto& s = db.stmt(sql);
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.bind(2, static_cast<std::int64_t>(contact_id));
    if (!s.executeStep()) return std::nullopt;
    return score_row(s);
}

void delete_scores(DbImpl& db, Id model_id) {
    auto& s = db.stmt("DELETE FROM scores WHERE model_id=?");
    s.bind(1, static_cast<std::int64_t>(model_id));
    s.exec();
}

std::vector<Score> top_scores(DbImpl& db, Id model_id, std::size_t limit, const std::optional<TopKey>& after) {
    static const std::string first =
        fmt::format("SELECT {} FROM scores WHERE model_id=? ORDER BY total DESC, contact_id LIMIT ?", kScoreColumns);
    static const std::string next = fmt::format(
        "SELECT {} FROM scores WHERE model_id=? AND (total<? OR (total=? AND contact_id>?)) "
        "ORDER BY total DESC, contact_id LIMIT ?",
        kScoreColumns);
    auto& s = db.stmt(after ? next : first);
    int i = 1;
    s.bind(i++, static_cast<std::int64_t>(model_id));
    if (after) {
        s.bind(i++, static_cast<std::int64_t>(after->total));
        s.bind(i++, static_cast<std::int64_t>(after->total));
        s.bind(i++, static_cast<std::int64_t>(after->contact_id));
    }
    s.bind(i, static_cast<std::int64_t>(limit));
    std::vector<Score> out;
    while (s.executeStep()) out.push_back(score_row(s));
    return out;
}

std::vector<StoredFit> stored_fits(DbImpl& db, const std::string& ids_json) {
    auto& s = db.stmt(
        "SELECT contact_id, model_id, version, fit, disqualified FROM scores "
        "WHERE contact_id IN (SELECT value FROM json_each(?))");
    s.bind(1, ids_json);
    std::vector<StoredFit> out;
    while (s.executeStep())
        out.push_back(StoredFit{s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getInt(),
                                s.getColumn(3).getInt64(), s.getColumn(4).getInt() != 0});
    return out;
}

std::vector<std::pair<Id, std::int64_t>> stored_totals(DbImpl& db, Id model_id) {
    auto& s = db.stmt("SELECT contact_id,total FROM scores WHERE model_id=? ORDER BY contact_id");
    s.bind(1, static_cast<std::int64_t>(model_id));
    std::vector<std::pair<Id, std::int64_t>> out;
    while (s.executeStep()) out.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getInt64());
    return out;
}

std::vector<Id> contact_ids_after(DbImpl& db, Id after, std::size_t limit) {
    auto& s = db.stmt("SELECT id FROM contacts WHERE id>? ORDER BY id LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(after));
    s.bind(2, static_cast<std::int64_t>(limit));
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    return out;
}

std::vector<Id> contacts_of_account(DbImpl& db, Id account_id) {
    auto& s = db.stmt("SELECT id FROM contacts WHERE account_id=? ORDER BY id");
    s.bind(1, static_cast<std::int64_t>(account_id));
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    return out;
}

namespace {
std::string column_list(const std::vector<const char*>& columns) {
    std::string out;
    for (const char* c : columns) out += fmt::format(",i.{}", c);  // descriptor column names only
    return out;
}
}  // namespace

namespace {
const char* who_sql(const ContactSet& who) {
    return who.one ? "AND l.record_id=?" : who.ids_json ? "AND l.record_id IN (SELECT value FROM json_each(?))" : "";
}
int bind_who(SQLite::Statement& s, const ContactSet& who) {
    if (who.one) s.bind(1, static_cast<std::int64_t>(*who.one));
    else if (who.ids_json) s.bind(1, *who.ids_json);
    else return 1;
    return 2;
}
}  // namespace

void scan_interactions(DbImpl& db, const std::vector<const char*>& columns, const std::string& kinds_json,
                       const ContactSet& who, const std::function<void(SQLite::Statement&)>& fn) {
    // Walks interaction_links_timeline (entity, record_id, occurred_at, interaction_id):
    // already in contact order, no sort.
    const std::string sql = fmt::format(
        "SELECT l.record_id, i.occurred_at, i.id, i.kind, ''{} FROM interaction_links l "
        "JOIN interactions i ON i.id = l.interaction_id "
        "WHERE l.entity='contact' {} AND i.kind IN (SELECT value FROM json_each(?)) "
        "ORDER BY l.record_id",
        column_list(columns), who_sql(who));
    auto& s = db.stmt(sql);
    s.bind(bind_who(s, who), kinds_json);
    while (s.executeStep()) fn(s);
}

void scan_email_events(DbImpl& db, const std::vector<const char*>& columns, const ContactSet& who,
                       const std::function<void(SQLite::Statement&)>& fn) {
    const std::string sql = fmt::format(
        "SELECT l.record_id, e.occurred_at, i.id, i.kind, e.event{} FROM interaction_links l "
        "JOIN interactions i ON i.id = l.interaction_id JOIN email_events e ON e.interaction_id = i.id "
        "WHERE l.entity='contact' {} AND i.kind='email' ORDER BY l.record_id",
        column_list(columns), who_sql(who));
    auto& s = db.stmt(sql);
    bind_who(s, who);
    while (s.executeStep()) fn(s);
}

std::vector<Id> interaction_contacts(DbImpl& db, Id interaction_id) {
    auto& s = db.stmt("SELECT record_id FROM interaction_links WHERE interaction_id=? AND entity='contact'");
    s.bind(1, static_cast<std::int64_t>(interaction_id));
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    return out;
}

}  // namespace crm::store
