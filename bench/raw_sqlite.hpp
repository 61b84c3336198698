// The raw-SQLite baseline of bench_contacts: what a careful hand-written
// program would do with the plain sqlite3 C API on the same schema — prepared
// statements reused, one transaction, the same rows (record, emails, phones,
// tags, one history row with a JSON snapshot per record), and reads of the
// same rows back. No validation, no statement cache lookups, no error mapping.
#pragma once

#include <sqlite3.h>

#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "contacts_workload.hpp"
#include "crm/crm.hpp"

namespace bench::raw {

class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st_, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db) + ": " + sql);
    }
    ~Stmt() { sqlite3_finalize(st_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& text(int i, const std::string& v) { sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); return *this; }
    Stmt& text(int i, const char* v) { sqlite3_bind_text(st_, i, v, -1, SQLITE_STATIC); return *this; }
    Stmt& text_or_null(int i, const std::string& v) { return v.empty() ? null(i) : text(i, v); }
    Stmt& integer(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); return *this; }
    Stmt& opt(int i, const std::optional<std::int64_t>& v) { return v ? integer(i, *v) : null(i); }
    Stmt& null(int i) { sqlite3_bind_null(st_, i); return *this; }

    // Runs a statement that returns no rows.
    void run() {
        const int rc = sqlite3_step(st_);
        sqlite3_reset(st_);
        if (rc != SQLITE_DONE) throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(sqlite3_db_handle(st_)));
    }
    bool row() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        sqlite3_reset(st_);
        if (rc != SQLITE_DONE) throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(sqlite3_db_handle(st_)));
        return false;
    }
    void reset() { sqlite3_reset(st_); }
    sqlite3_stmt* handle() const { return st_; }
    std::string str(int c) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, c))) : std::string();
    }
    std::int64_t i64(int c) const { return sqlite3_column_int64(st_, c); }
    std::optional<std::int64_t> opt_i64(int c) const {
        if (sqlite3_column_type(st_, c) == SQLITE_NULL) return std::nullopt;
        return i64(c);
    }

private:
    sqlite3_stmt* st_ = nullptr;
};

// Opens a file made by crm::Db with the same settings the library uses.
inline sqlite3* open(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
        throw std::runtime_error("cannot open " + path);
    sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                     "PRAGMA temp_store=MEMORY", nullptr, nullptr, nullptr);
    return db;
}

inline nlohmann::json address(const crm::PostalAddress& a) {
    return {{"postal_code", a.postal_code}, {"country", a.country}, {"region", a.region},
            {"city", a.city},               {"street", a.street},   {"building", a.building}};
}
inline nlohmann::json id_or_null(const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

// History snapshots with the same keys and values as the library's documents.
inline std::string snapshot(const crm::Contact& c, std::int64_t id, const std::string& at) {
    nlohmann::json emails = nlohmann::json::array(), phones = nlohmann::json::array();
    for (const auto& e : c.emails) emails.push_back({{"address", e.address}, {"label", e.label}, {"primary", e.primary}, {"undeliverable", e.undeliverable}});
    for (const auto& p : c.phones) phones.push_back({{"number", p.number}, {"label", p.label}, {"primary", p.primary}});
    nlohmann::json d = {
        {"id", id}, {"external_id", nullptr}, {"name", c.name}, {"name_reading", c.name_reading},
        {"emails", emails}, {"phones", phones}, {"address", address(c.address)}, {"title", c.title},
        {"department", c.department}, {"account_id", id_or_null(c.account_id)}, {"owner_id", id_or_null(c.owner_id)},
        {"lifecycle_stage", crm::to_string(c.lifecycle_stage)}, {"lead_source", c.lead_source},
        {"birthday", c.birthday.empty() ? nlohmann::json() : nlohmann::json(c.birthday)},
        {"consent", {{"email", c.consent.email}, {"phone", c.consent.phone}, {"sms", c.consent.sms},
                     {"postal", c.consent.postal}, {"tracking", c.consent.tracking}}},
        {"tags", c.tags}, {"custom", nlohmann::json::object()}, {"created_at", at}, {"updated_at", at}};
    return d.dump();
}

inline std::string snapshot(const crm::Account& a, std::int64_t id, const std::string& at) {
    nlohmann::json d = {
        {"id", id}, {"external_id", nullptr}, {"name", a.name}, {"name_reading", a.name_reading},
        {"industry", a.industry}, {"employee_count", id_or_null(a.employee_count)},
        {"annual_revenue", a.annual_revenue ? nlohmann::json{{"amount", a.annual_revenue->amount},
                                                             {"currency", a.annual_revenue->currency}}
                                            : nlohmann::json()},
        {"address", address(a.address)}, {"phone", a.phone}, {"website", a.website},
        {"parent_id", id_or_null(a.parent_id)}, {"owner_id", id_or_null(a.owner_id)},
        {"contract_status", crm::to_string(a.contract_status)}, {"tags", a.tags},
        {"custom", nlohmann::json::object()}, {"created_at", at}, {"updated_at", at}};
    return d.dump();
}

inline std::string snapshot(const crm::User& u, std::int64_t id, const std::string& at) {
    nlohmann::json d = {{"id", id}, {"external_id", nullptr}, {"name", u.name}, {"name_reading", u.name_reading},
                        {"email", u.email}, {"role", crm::to_string(u.role)}, {"team_id", id_or_null(u.team_id)},
                        {"region", u.region}, {"active", u.active}, {"tags", u.tags},
                        {"custom", nlohmann::json::object()}, {"created_at", at}, {"updated_at", at}};
    return d.dump();
}

inline std::string lower(std::string s) {
    for (auto& ch : s)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

// ---- the baseline phases of bench_contacts -------------------------------------------

using contacts::Config;
using contacts::Workload;
using contacts::checksum;
using contacts::done;

// The baseline writes exactly the rows the library writes (the schema comes from crm::Db::open).
inline bench::PhaseResult create_raw(const Config& cfg, const std::string& path) {
    crm::Db::open(path).value().close().value();
    sqlite3* db = bench::raw::open(path);
    using bench::raw::Stmt;
    Stmt user(db, "INSERT INTO users(external_id,name,name_reading,email,email_norm,role,team_id,region,active,"
                  "created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    Stmt account(db, "INSERT INTO accounts(external_id,name,name_reading,industry,employee_count,revenue_amount,"
                     "revenue_currency,postal_code,country,region,city,street,building,phone,website,parent_id,"
                     "owner_id,contract_status,created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Stmt contact(db, "INSERT INTO contacts(external_id,name,name_reading,postal_code,country,region,city,street,"
                     "building,title,department,account_id,owner_id,lifecycle_stage,lead_source,birthday,"
                     "consent_email,consent_phone,consent_sms,consent_postal,consent_tracking,created_at,updated_at) "
                     "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Stmt email(db, "INSERT INTO contact_emails(contact_id,position,address,address_norm,label,is_primary) "
                   "VALUES(?,?,?,?,?,?)");
    Stmt phone(db, "INSERT INTO contact_phones(contact_id,position,number,label,is_primary) VALUES(?,?,?,?,?)");
    Stmt employment(db, "INSERT INTO contact_employments(contact_id,account_id,since,until) VALUES(?,?,NULL,NULL)");
    Stmt tag(db, "INSERT INTO tags(name) VALUES(?) ON CONFLICT(name) DO NOTHING");
    Stmt tag_link(db, "INSERT INTO record_tags(entity,record_id,tag_id) SELECT ?,?,id FROM tags WHERE name=?");
    Stmt history(db, "INSERT INTO history(entity,record_id,at,actor_id,op,field,old_value,new_value) "
                     "VALUES(?,?,?,NULL,'create','*',NULL,?)");
    // The full-text index (docs/search.md): a search_docs row per record of its searchable
    // fields (the first as title, the others as body), and both FTS5 rows of the folded text.
    Stmt search_doc(db, "INSERT INTO search_docs(entity,record_id,label,title,body) VALUES(?,?,?,?,?)");
    Stmt search_tri(db, "INSERT INTO search_tri(rowid,title,body) VALUES(?,?,?)");
    Stmt search_uni(db, "INSERT INTO search_uni(rowid,title,body) VALUES(?,?,?)");
    std::string title, title_spaced, body, body_spaced, f, fs;
    auto add_search = [&](const char* entity, crm::Id id, std::initializer_list<const std::string*> values) {
        title.clear();
        body.clear();
        body_spaced.clear();
        bool first = true;
        for (const std::string* v : values) {
            if (first) {
                bench::search_fold(*v, title, title_spaced);
                first = false;
                continue;
            }
            bench::search_fold(*v, f, fs);
            if (f.empty()) continue;
            if (!body.empty()) body += '\n', body_spaced += '\n';
            body += f;
            body_spaced += fs;
        }
        search_doc.text(1, entity).integer(2, id).text(3, **values.begin()).text(4, title).text(5, body).run();
        const crm::Id row = sqlite3_last_insert_rowid(db);
        search_tri.integer(1, row).text(2, title).text(3, body).run();
        search_uni.integer(1, row).text(2, title_spaced).text(3, body_spaced).run();
    };
    Workload w{cfg};
    bench::Stopwatch sw, json_sw;
    std::vector<crm::Id> users, accounts;
    auto add_tags = [&](const char* entity, crm::Id id, const crm::Tags& tags) {
        for (const auto& t : tags) {
            tag.text(1, t).run();
            tag_link.text(1, entity).integer(2, id).text(3, t).run();
        }
    };
    auto add_history = [&](const char* entity, crm::Id id, crm::Timestamp now, const auto& record) {
        const std::string snap =
            json_sw.time([&] { return bench::raw::snapshot(record, id, crm::format_iso8601(now)); });
        history.text(1, entity).integer(2, id).integer(3, now).text(4, snap).run();
    };
    try {
        sw.time([&] { sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); });
        for (long long i = 0; i < cfg.users; ++i) {
            const auto u = w.user(i);
            sw.time([&] {
                const crm::Timestamp now = crm::now_ms();
                const std::string norm = bench::raw::lower(u.email);
                user.null(1).text(2, u.name).text(3, u.name_reading).text(4, u.email).text(5, norm)
                    .text(6, crm::to_string(u.role)).opt(7, u.team_id).text(8, u.region).integer(9, u.active)
                    .integer(10, now).integer(11, now).run();
                const crm::Id id = sqlite3_last_insert_rowid(db);
                add_search("user", id, {&u.name, &u.name_reading});
                add_history("user", id, now, u);
                users.push_back(id);
            });
        }
        for (long long i = 0; i < cfg.accounts; ++i) {
            const auto a = w.account(i, users);
            sw.time([&] {
                const crm::Timestamp now = crm::now_ms();
                account.null(1).text(2, a.name).text(3, a.name_reading).text(4, a.industry).opt(5, a.employee_count);
                if (a.annual_revenue) account.integer(6, a.annual_revenue->amount).text(7, a.annual_revenue->currency);
                else account.null(6).null(7);
                account.text(8, a.address.postal_code).text(9, a.address.country).text(10, a.address.region)
                    .text(11, a.address.city).text(12, a.address.street).text(13, a.address.building)
                    .text(14, a.phone).text(15, a.website).opt(16, a.parent_id).opt(17, a.owner_id)
                    .text(18, crm::to_string(a.contract_status)).integer(19, now).integer(20, now).run();
                const crm::Id id = sqlite3_last_insert_rowid(db);
                add_search("account", id, {&a.name, &a.name_reading});
                add_tags("account", id, a.tags);
                add_history("account", id, now, a);
                accounts.push_back(id);
            });
        }
        for (long long i = 0; i < cfg.contacts; ++i) {
            const auto c = w.contact(i, users, accounts);
            sw.time([&] {
                const crm::Timestamp now = crm::now_ms();
                contact.null(1).text(2, c.name).text(3, c.name_reading).text(4, c.address.postal_code)
                    .text(5, c.address.country).text(6, c.address.region).text(7, c.address.city)
                    .text(8, c.address.street).text(9, c.address.building).text(10, c.title)
                    .text(11, c.department).opt(12, c.account_id).opt(13, c.owner_id)
                    .text(14, crm::to_string(c.lifecycle_stage)).text(15, c.lead_source).text(16, c.birthday)
                    .integer(17, c.consent.email).integer(18, c.consent.phone).integer(19, c.consent.sms)
                    .integer(20, c.consent.postal).integer(21, c.consent.tracking).integer(22, now)
                    .integer(23, now).run();
                const crm::Id id = sqlite3_last_insert_rowid(db);
                if (c.account_id) employment.integer(1, id).integer(2, *c.account_id).run();
                int pos = 0;
                for (const auto& e : c.emails) {
                    const std::string norm = bench::raw::lower(e.address);
                    email.integer(1, id).integer(2, pos++).text(3, e.address).text(4, norm).text(5, e.label)
                        .integer(6, e.primary).run();
                }
                pos = 0;
                for (const auto& p : c.phones)
                    phone.integer(1, id).integer(2, pos++).text(3, p.number).text(4, p.label).integer(5, p.primary).run();
                add_search("contact", id, {&c.name, &c.name_reading, &c.title, &c.department});
                add_tags("contact", id, c.tags);
                add_history("contact", id, now, c);
            });
        }
        if (sw.time([&] { return sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); }) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db));
    } catch (const std::exception& e) {
        sqlite3_close_v2(db);
        return bench::failed(e.what());
    }
    sqlite3_close_v2(db);
    return done(sw, cfg.users + cfg.accounts + cfg.contacts, json_sw.seconds());
}

// Reads the same rows as Contacts::get: the contact row, emails, phones, tags and custom values,
// each query an autocommit read of its own like the library's (one autocommit read per query with --raw-autocommit).
inline bench::PhaseResult get_raw(const Config& cfg, const std::string& path) {
    sqlite3* db = bench::raw::open(path);
    using bench::raw::Stmt;
    Stmt row(db, "SELECT id,external_id,name,name_reading,postal_code,country,region,city,street,building,title,"
                 "department,account_id,owner_id,lifecycle_stage,lead_source,birthday,consent_email,consent_phone,"
                 "consent_sms,consent_postal,consent_tracking,created_at,updated_at FROM contacts WHERE id=?");
    Stmt emails(db, "SELECT address,label,is_primary,undeliverable FROM contact_emails WHERE contact_id=? ORDER BY position");
    Stmt phones(db, "SELECT number,label,is_primary FROM contact_phones WHERE contact_id=? ORDER BY position");
    Stmt tags(db, "SELECT t.name FROM record_tags r JOIN tags t ON t.id = r.tag_id "
                  "WHERE r.entity='contact' AND r.record_id=? ORDER BY t.name");
    Stmt custom(db, "SELECT field_id, value FROM custom_values WHERE entity='contact' AND record_id=?");
    Stmt begin(db, "BEGIN"), commit(db, "COMMIT");  // not with --raw-autocommit
    Workload w{cfg};
    bench::Stopwatch sw;
    std::int64_t sum = 0;
    try {
        sw.time([&] {
            for (long long k = 0; k < cfg.gets; ++k) {
                const crm::Id id = w.random_contact(k);
                if (cfg.raw_read_txn) begin.run();
                crm::Contact c;
                if (!row.integer(1, id).row()) throw std::runtime_error("contact not found");
                c.id = row.i64(0);
                c.external_id = row.str(1);
                c.name = row.str(2);
                c.name_reading = row.str(3);
                c.address = {row.str(4), row.str(5), row.str(6), row.str(7), row.str(8), row.str(9)};
                c.title = row.str(10);
                c.department = row.str(11);
                c.account_id = row.opt_i64(12);
                c.owner_id = row.opt_i64(13);
                c.lifecycle_stage = crm::lifecycle_stage_from_string(row.str(14)).value_or(crm::LifecycleStage::other);
                c.lead_source = row.str(15);
                c.birthday = row.str(16);
                c.consent = {row.i64(17) != 0, row.i64(18) != 0, row.i64(19) != 0, row.i64(20) != 0, row.i64(21) != 0};
                c.created_at = row.i64(22);
                c.updated_at = row.i64(23);
                row.reset();
                emails.integer(1, id);
                while (emails.row()) c.emails.push_back({emails.str(0), emails.str(1), emails.i64(2) != 0, emails.i64(3) != 0});
                phones.integer(1, id);
                while (phones.row()) c.phones.push_back({phones.str(0), phones.str(1), phones.i64(2) != 0});
                tags.integer(1, id);
                while (tags.row()) c.tags.push_back(tags.str(0));
                custom.integer(1, id);
                while (custom.row()) c.custom[std::to_string(custom.i64(0))] = custom.str(1);
                sum += checksum(c);
                if (cfg.raw_read_txn) commit.run();
            }
        });
    } catch (const std::exception& e) {
        sqlite3_close_v2(db);
        return bench::failed(e.what());
    }
    sqlite3_close_v2(db);
    auto r = done(sw, cfg.gets);
    std::snprintf(r.message, sizeof r.message, "checksum %" PRId64, sum);
    return r;
}

}  // namespace bench::raw
