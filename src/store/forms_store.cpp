// SQL for forms, their versions (the forms' history) and form submissions.
#include "store/forms_store.hpp"

#include "store/bind.hpp"

namespace crm::store {

namespace {
std::int64_t i64(Id v) { return static_cast<std::int64_t>(v); }

FormRow read_form(SQLite::Statement& s) {
    FormRow r;
    r.id = s.getColumn(0).getInt64();
    r.name = s.getColumn(1).getString();
    r.version = s.getColumn(2).getInt64();
    r.campaign_id = opt_int(s.getColumn(3));
    r.definition = s.getColumn(4).getString();
    r.created_at = s.getColumn(5).getInt64();
    r.updated_at = s.getColumn(6).getInt64();
    return r;
}
constexpr const char* kFormColumns = "id,name,version,campaign_id,definition,created_at,updated_at";
}  // namespace

Id insert_form(DbImpl& db, const FormRow& row) {
    auto& s = db.stmt(
        "INSERT INTO forms(name,version,campaign_id,definition,created_at,updated_at) VALUES(?,?,?,?,?,?)");
    s.bindNoCopy(1, row.name);
    s.bind(2, row.version);
    bind_opt(s, 3, row.campaign_id);
    s.bindNoCopy(4, row.definition);
    s.bind(5, row.created_at);
    s.bind(6, row.updated_at);
    s.exec();
    return db.conn->getLastInsertRowid();
}

void update_form(DbImpl& db, const FormRow& row) {
    auto& s = db.stmt("UPDATE forms SET name=?,version=?,campaign_id=?,definition=?,updated_at=? WHERE id=?");
    s.bindNoCopy(1, row.name);
    s.bind(2, row.version);
    bind_opt(s, 3, row.campaign_id);
    s.bindNoCopy(4, row.definition);
    s.bind(5, row.updated_at);
    s.bind(6, i64(row.id));
    s.exec();
}

void delete_form(DbImpl& db, Id id) {
    auto& s = db.stmt("DELETE FROM forms WHERE id=?");
    s.bind(1, i64(id));
    s.exec();
}

std::optional<FormRow> form_row(DbImpl& db, Id id) {
    static const std::string sql = std::string("SELECT ") + kFormColumns + " FROM forms WHERE id=?";
    auto& s = db.stmt(sql);
    s.bind(1, i64(id));
    if (!s.executeStep()) return std::nullopt;
    auto r = read_form(s);
    s.reset();
    return r;
}

std::optional<Id> form_id_by_name(DbImpl& db, const std::string& name) {
    auto& s = db.stmt("SELECT id FROM forms WHERE name=?");
    s.bindNoCopy(1, name);
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

std::vector<FormRow> form_rows(DbImpl& db) {
    static const std::string sql = std::string("SELECT ") + kFormColumns + " FROM forms ORDER BY name";
    auto& s = db.stmt(sql);
    std::vector<FormRow> out;
    while (s.executeStep()) out.push_back(read_form(s));
    return out;
}

void append_form_version(DbImpl& db, const FormVersion& v) {
    auto& s = db.stmt("INSERT INTO form_versions(form_id,version,op,at,actor_id,definition) VALUES(?,?,?,?,?,?)");
    s.bind(1, i64(v.form_id));
    s.bind(2, v.version);
    s.bindNoCopy(3, v.op);
    s.bind(4, v.at);
    bind_opt(s, 5, v.actor_id);
    s.bindNoCopy(6, v.definition);
    s.exec();
}

std::vector<FormVersion> form_versions(DbImpl& db, Id form_id) {
    auto& s = db.stmt(
        "SELECT form_id,version,op,at,actor_id,definition FROM form_versions WHERE form_id=? "
        "ORDER BY version, op='remove'");
    s.bind(1, i64(form_id));
    std::vector<FormVersion> out;
    while (s.executeStep()) {
        FormVersion v;
        v.form_id = s.getColumn(0).getInt64();
        v.version = s.getColumn(1).getInt64();
        v.op = s.getColumn(2).getString();
        v.at = s.getColumn(3).getInt64();
        v.actor_id = opt_int(s.getColumn(4));
        v.definition = s.getColumn(5).getString();
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<std::pair<Id, std::string>> account_names(DbImpl& db) {
    auto& s = db.stmt("SELECT id,name FROM accounts ORDER BY id");
    std::vector<std::pair<Id, std::string>> out;
    while (s.executeStep()) out.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getString());
    return out;
}

std::optional<std::string> campaign_name(DbImpl& db, Id id) {
    auto& s = db.stmt("SELECT name FROM campaigns WHERE id=?");
    s.bind(1, i64(id));
    if (!s.executeStep()) return std::nullopt;
    auto name = s.getColumn(0).getString();
    s.reset();
    return name;
}

void insert_submission(DbImpl& db, const SubmissionRow& r) {
    auto& s = db.stmt(
        "INSERT INTO form_submissions(interaction_id,form_id,form_version,source,campaign,campaign_id,"
        "utm_source,utm_medium,utm_campaign,utm_term,utm_content,submitted) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, i64(r.interaction_id));
    bind_opt(s, 2, r.form_id);
    s.bind(3, r.form_version);
    s.bindNoCopy(4, r.source);
    s.bindNoCopy(5, r.campaign);
    bind_opt(s, 6, r.campaign_id);
    s.bindNoCopy(7, r.utm_source);
    s.bindNoCopy(8, r.utm_medium);
    s.bindNoCopy(9, r.utm_campaign);
    s.bindNoCopy(10, r.utm_term);
    s.bindNoCopy(11, r.utm_content);
    s.bindNoCopy(12, r.submitted);
    s.exec();
}

// Walks the contact's timeline index (entity, record_id, occurred_at, interaction_id)
// in time order and meets each link's submission row by its primary key.
std::optional<Touch> contact_touch(DbImpl& db, Id contact_id, bool first) {
    static const char* const kFirst =
        "SELECT l.interaction_id,f.form_id,l.occurred_at,f.source,f.utm_medium,f.campaign,f.campaign_id "
        "FROM interaction_links l JOIN form_submissions f ON f.interaction_id=l.interaction_id "
        "WHERE l.entity='contact' AND l.record_id=? AND (f.source<>'' OR f.campaign<>'' OR f.campaign_id IS NOT NULL) "
        "ORDER BY l.occurred_at, l.interaction_id LIMIT 1";
    static const char* const kLatest =
        "SELECT l.interaction_id,f.form_id,l.occurred_at,f.source,f.utm_medium,f.campaign,f.campaign_id "
        "FROM interaction_links l JOIN form_submissions f ON f.interaction_id=l.interaction_id "
        "WHERE l.entity='contact' AND l.record_id=? AND (f.source<>'' OR f.campaign<>'' OR f.campaign_id IS NOT NULL) "
        "ORDER BY l.occurred_at DESC, l.interaction_id DESC LIMIT 1";
    auto& s = db.stmt(first ? kFirst : kLatest);
    s.bind(1, i64(contact_id));
    if (!s.executeStep()) return std::nullopt;
    Touch t;
    t.interaction_id = s.getColumn(0).getInt64();
    t.form_id = opt_int(s.getColumn(1));
    t.at = s.getColumn(2).getInt64();
    t.source = s.getColumn(3).getString();
    t.medium = s.getColumn(4).getString();
    t.campaign = s.getColumn(5).getString();
    t.campaign_id = opt_int(s.getColumn(6));
    s.reset();
    return t;
}

std::int64_t contact_touch_count(DbImpl& db, Id contact_id) {
    auto& s = db.stmt(
        "SELECT count(*) FROM interaction_links l JOIN form_submissions f ON f.interaction_id=l.interaction_id "
        "WHERE l.entity='contact' AND l.record_id=? AND (f.source<>'' OR f.campaign<>'' OR f.campaign_id IS NOT NULL)");
    s.bind(1, i64(contact_id));
    s.executeStep();
    auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

}  // namespace crm::store
