// SQL of the customer graph beyond the kinds' own rows: contacts' emails and
// phones (child tables, one row per element, in order), and email lookups.
#include "store/customers_store.hpp"

#include <sqlite3.h>

#include <unordered_map>

#include "store/bind.hpp"
#include "util/text.hpp"

namespace crm::store {

namespace {
std::int64_t i64(Id v) { return static_cast<std::int64_t>(v); }

void replace_emails(DbImpl& db, Id id, const std::vector<EmailAddress>& emails) {
    auto& d = db.stmt("DELETE FROM contact_emails WHERE contact_id=?");
    d.bind(1, i64(id));
    d.exec();
    int pos = 0;
    for (const auto& e : emails) {
        auto& s = db.stmt(
            "INSERT INTO contact_emails(contact_id,position,address,address_norm,label,is_primary,undeliverable) "
            "VALUES(?,?,?,?,?,?,?)");
        s.bind(1, i64(id));
        s.bind(2, pos++);
        s.bindNoCopy(3, e.address);
        s.bind(4, text::ascii_lower(e.address));
        s.bindNoCopy(5, e.label);
        s.bind(6, e.primary ? 1 : 0);
        s.bind(7, e.undeliverable ? 1 : 0);
        s.exec();
    }
}

void replace_phones(DbImpl& db, Id id, const std::vector<PhoneNumber>& phones) {
    auto& d = db.stmt("DELETE FROM contact_phones WHERE contact_id=?");
    d.bind(1, i64(id));
    d.exec();
    int pos = 0;
    for (const auto& p : phones) {
        auto& s = db.stmt("INSERT INTO contact_phones(contact_id,position,number,label,is_primary) VALUES(?,?,?,?,?)");
        s.bind(1, i64(id));
        s.bind(2, pos++);
        s.bindNoCopy(3, p.number);
        s.bindNoCopy(4, p.label);
        s.bind(5, p.primary ? 1 : 0);
        s.exec();
    }
}

// Runs `sql_one` (contact_id=?) for one contact, `sql_many` (json_each) for several,
// calling add(contact, statement) for each row.
template <class Add>
void each_child(DbImpl& db, std::span<Contact> contacts, const char* sql_one, const char* sql_many, Add add) {
    if (contacts.size() == 1) {
        auto& s = db.stmt(sql_one);
        s.bind(1, i64(contacts[0].id));
        while (s.executeStep()) add(contacts[0], s);
        return;
    }
    std::unordered_map<Id, Contact*> by_id;
    std::vector<Id> ids;
    for (auto& c : contacts) {
        by_id.emplace(c.id, &c);
        ids.push_back(c.id);
    }
    auto& s = db.stmt(sql_many);
    s.bind(1, id_array_json(ids));
    while (s.executeStep())
        if (auto it = by_id.find(s.getColumn(0).getInt64()); it != by_id.end()) add(*it->second, s);
}
}  // namespace

void save_contact_children(DbImpl& db, const Contact& v, const Contact* old) {
    if (!old || old->emails != v.emails) {
        if (old || !v.emails.empty()) replace_emails(db, v.id, v.emails);
    }
    if (!old || old->phones != v.phones) {
        if (old || !v.phones.empty()) replace_phones(db, v.id, v.phones);
    }
}

void load_contact_children(DbImpl& db, std::span<Contact> contacts) {
    for (auto& c : contacts) {
        c.emails.clear();
        c.phones.clear();
    }
    each_child(db, contacts,
               "SELECT contact_id,address,label,is_primary,undeliverable FROM contact_emails WHERE contact_id=? "
               "ORDER BY position",
               "SELECT contact_id,address,label,is_primary,undeliverable FROM contact_emails WHERE contact_id IN "
               "(SELECT value FROM json_each(?)) ORDER BY contact_id,position",
               [](Contact& c, SQLite::Statement& s) {
                   c.emails.push_back({s.getColumn(1).getString(), s.getColumn(2).getString(),
                                       s.getColumn(3).getInt() != 0, s.getColumn(4).getInt() != 0});
               });
    each_child(db, contacts,
               "SELECT contact_id,number,label,is_primary FROM contact_phones WHERE contact_id=? ORDER BY position",
               "SELECT contact_id,number,label,is_primary FROM contact_phones WHERE contact_id IN "
               "(SELECT value FROM json_each(?)) ORDER BY contact_id,position",
               [](Contact& c, SQLite::Statement& s) {
                   c.phones.push_back({s.getColumn(1).getString(), s.getColumn(2).getString(), s.getColumn(3).getInt() != 0});
               });
}

namespace {
std::optional<Id> one_id(DbImpl& db, const char* sql, const std::string& key) {
    auto& s = db.stmt(sql);
    s.bind(1, key);
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}
}  // namespace

std::optional<Id> user_by_email(DbImpl& db, const std::string& email_norm) {
    return one_id(db, "SELECT id FROM users WHERE email_norm=?", email_norm);
}

std::optional<Id> contact_by_email(DbImpl& db, const std::string& email_norm) {
    return one_id(db, "SELECT contact_id FROM contact_emails WHERE address_norm=?", email_norm);
}

std::optional<error> email_taken(DbImpl& db, const std::string& email_norm, Id self) {
    auto owner = contact_by_email(db, email_norm);
    if (!owner || *owner == self) return std::nullopt;
    error e = detail::error_from_sqlite(SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: contact_emails.address_norm");
    e.field = "emails";
    e.message = "emails: another contact already has this email address";
    return e;
}

std::optional<Id> account_parent(DbImpl& db, Id account_id) {
    auto& s = db.stmt("SELECT parent_id FROM accounts WHERE id=?");
    s.bind(1, i64(account_id));
    if (!s.executeStep()) return std::nullopt;
    auto p = opt_int(s.getColumn(0));
    s.reset();
    return p;
}

// ---- employment periods (contact_employments)

void change_employer(DbImpl& db, Id contact_id, std::optional<Id> account_id, Timestamp at) {
    auto& close = db.stmt("UPDATE contact_employments SET until=? WHERE contact_id=? AND until IS NULL");
    close.bind(1, static_cast<std::int64_t>(at));
    close.bind(2, i64(contact_id));
    close.exec();
    if (!account_id) return;
    // The first employer on record covers all earlier time as well.
    auto& any = db.stmt("SELECT 1 FROM contact_employments WHERE contact_id=? LIMIT 1");
    any.bind(1, i64(contact_id));
    const bool earlier = any.executeStep();
    any.reset();
    auto& open = db.stmt("INSERT INTO contact_employments(contact_id,account_id,since,until) VALUES(?,?,?,NULL)");
    open.bind(1, i64(contact_id));
    open.bind(2, i64(*account_id));
    if (earlier) open.bind(3, static_cast<std::int64_t>(at));
    else open.bind(3);
    open.exec();
}

std::vector<Employment> employments_at(DbImpl& db, Id account_id, Timestamp since, Timestamp until) {
    auto& s = db.stmt(
        "SELECT contact_id,since,until FROM contact_employments WHERE account_id=?1 "
        "AND (until IS NULL OR until>?2) AND (since IS NULL OR since<?3) ORDER BY contact_id,since");
    s.bind(1, i64(account_id));
    s.bind(2, static_cast<std::int64_t>(since));
    s.bind(3, static_cast<std::int64_t>(until));
    std::vector<Employment> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).isNull() ? INT64_MIN : s.getColumn(1).getInt64(),
                       s.getColumn(2).isNull() ? INT64_MAX : s.getColumn(2).getInt64()});
    return out;
}

void derive_employments(DbImpl& db) {
    db.conn->exec("DELETE FROM contact_employments");
    // Each contact's employer over time, from its history: the create snapshot, then
    // every change of account_id, in order.
    SQLite::Statement s(*db.conn,
                        "SELECT h.record_id, h.at, CASE WHEN h.field='*' THEN json_extract(h.new_value,'$.account_id') "
                        "ELSE json_extract(h.new_value,'$') END FROM history h JOIN contacts c ON c.id=h.record_id "
                        "WHERE h.entity='contact' AND ((h.op='create' AND h.field='*') OR "
                        "(h.op='update' AND h.field='account_id')) ORDER BY h.record_id, h.id");
    Id current = 0, employer = 0;  // 0: none (ids start at 1)
    while (s.executeStep()) {
        const Id contact = s.getColumn(0).getInt64();
        const Id account = s.getColumn(2).isNull() ? 0 : s.getColumn(2).getInt64();
        if (contact != current) {
            current = contact;
            employer = 0;
        }
        if (account == employer) continue;
        employer = account;
        change_employer(db, contact, account ? std::optional<Id>(account) : std::nullopt, s.getColumn(1).getInt64());
    }
    // A contact whose history does not end at its stored employer (a file written by
    // hand): the stored one holds from its last change.
    SQLite::Statement odd(*db.conn,
                          "SELECT c.id, c.account_id, c.updated_at FROM contacts c WHERE c.account_id IS NOT "
                          "(SELECT e.account_id FROM contact_employments e WHERE e.contact_id=c.id AND e.until IS NULL)");
    std::vector<std::tuple<Id, std::optional<Id>, Timestamp>> fix;
    while (odd.executeStep()) fix.emplace_back(odd.getColumn(0).getInt64(), opt_int(odd.getColumn(1)), odd.getColumn(2).getInt64());
    for (const auto& [contact, account, at] : fix) change_employer(db, contact, account, at);
}

}  // namespace crm::store
