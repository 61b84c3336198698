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
            "INSERT INTO contact_emails(contact_id,position,address,address_norm,label,is_primary) VALUES(?,?,?,?,?,?)");
        s.bind(1, i64(id));
        s.bind(2, pos++);
        s.bindNoCopy(3, e.address);
        s.bind(4, text::ascii_lower(e.address));
        s.bindNoCopy(5, e.label);
        s.bind(6, e.primary ? 1 : 0);
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
               "SELECT contact_id,address,label,is_primary FROM contact_emails WHERE contact_id=? ORDER BY position",
               "SELECT contact_id,address,label,is_primary FROM contact_emails WHERE contact_id IN "
               "(SELECT value FROM json_each(?)) ORDER BY contact_id,position",
               [](Contact& c, SQLite::Statement& s) {
                   c.emails.push_back({s.getColumn(1).getString(), s.getColumn(2).getString(), s.getColumn(3).getInt() != 0});
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

}  // namespace crm::store
