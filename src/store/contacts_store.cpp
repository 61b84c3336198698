// SQL for contacts with their emails and phones.
#include "store/bind.hpp"
#include "store/entity_store.hpp"
#include "util/text.hpp"

namespace crm::store {

namespace {
void bind_contact(SQLite::Statement& s, const Contact& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.name);
    s.bind(3, v.name_reading);
    s.bind(4, v.address.postal_code);
    s.bind(5, v.address.country);
    s.bind(6, v.address.region);
    s.bind(7, v.address.city);
    s.bind(8, v.address.street);
    s.bind(9, v.address.building);
    s.bind(10, v.title);
    s.bind(11, v.department);
    bind_opt(s, 12, v.account_id);
    bind_opt(s, 13, v.owner_id);
    s.bind(14, to_string(v.lifecycle_stage));
    s.bind(15, v.lead_source);
    s.bind(16, v.birthday);
    s.bind(17, v.consent.email ? 1 : 0);
    s.bind(18, v.consent.phone ? 1 : 0);
    s.bind(19, v.consent.sms ? 1 : 0);
    s.bind(20, v.consent.postal ? 1 : 0);
    s.bind(21, v.consent.tracking ? 1 : 0);
    s.bind(22, static_cast<std::int64_t>(v.created_at));
    s.bind(23, static_cast<std::int64_t>(v.updated_at));
}

void insert_emails(DbImpl& db, Id id, const std::vector<EmailAddress>& emails) {
    int pos = 0;
    for (const auto& e : emails) {
        auto& s = db.stmt(
            "INSERT INTO contact_emails(contact_id,position,address,address_norm,label,is_primary) VALUES(?,?,?,?,?,?)");
        s.bind(1, static_cast<std::int64_t>(id));
        s.bind(2, pos++);
        s.bind(3, e.address);
        s.bind(4, text::ascii_lower(e.address));
        s.bind(5, e.label);
        s.bind(6, e.primary ? 1 : 0);
        s.exec();
    }
}

void insert_phones(DbImpl& db, Id id, const std::vector<PhoneNumber>& phones) {
    int pos = 0;
    for (const auto& p : phones) {
        auto& s = db.stmt("INSERT INTO contact_phones(contact_id,position,number,label,is_primary) VALUES(?,?,?,?,?)");
        s.bind(1, static_cast<std::int64_t>(id));
        s.bind(2, pos++);
        s.bind(3, p.number);
        s.bind(4, p.label);
        s.bind(5, p.primary ? 1 : 0);
        s.exec();
    }
}
}  // namespace

Id insert(DbImpl& db, const Contact& v) {
    auto& s = db.stmt(
        "INSERT INTO contacts(external_id,name,name_reading,postal_code,country,region,city,street,building,title,"
        "department,account_id,owner_id,lifecycle_stage,lead_source,birthday,consent_email,consent_phone,"
        "consent_sms,consent_postal,consent_tracking,created_at,updated_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_contact(s, v);
    s.exec();
    Id id = db.conn->getLastInsertRowid();
    insert_emails(db, id, v.emails);
    insert_phones(db, id, v.phones);
    return id;
}

void update(DbImpl& db, const Contact& old, const Contact& v) {
    auto& s = db.stmt(
        "UPDATE contacts SET external_id=?,name=?,name_reading=?,postal_code=?,country=?,region=?,city=?,street=?,"
        "building=?,title=?,department=?,account_id=?,owner_id=?,lifecycle_stage=?,lead_source=?,birthday=?,"
        "consent_email=?,consent_phone=?,consent_sms=?,consent_postal=?,consent_tracking=?,created_at=?,"
        "updated_at=? WHERE id=?");
    bind_contact(s, v);
    s.bind(24, static_cast<std::int64_t>(v.id));
    s.exec();
    if (old.emails != v.emails) {
        auto& d = db.stmt("DELETE FROM contact_emails WHERE contact_id=?");
        d.bind(1, static_cast<std::int64_t>(v.id));
        d.exec();
        insert_emails(db, v.id, v.emails);
    }
    if (old.phones != v.phones) {
        auto& d = db.stmt("DELETE FROM contact_phones WHERE contact_id=?");
        d.bind(1, static_cast<std::int64_t>(v.id));
        d.exec();
        insert_phones(db, v.id, v.phones);
    }
}

bool load(DbImpl& db, Id id, Contact& v) {
    {
        auto& s = db.stmt(
            "SELECT id,external_id,name,name_reading,postal_code,country,region,city,street,building,title,"
            "department,account_id,owner_id,lifecycle_stage,lead_source,birthday,consent_email,consent_phone,"
            "consent_sms,consent_postal,consent_tracking,created_at,updated_at FROM contacts WHERE id=?");
        s.bind(1, static_cast<std::int64_t>(id));
        if (!s.executeStep()) return false;
        v.id = s.getColumn(0).getInt64();
        v.external_id = text(s.getColumn(1));
        v.name = s.getColumn(2).getString();
        v.name_reading = s.getColumn(3).getString();
        v.address = {s.getColumn(4).getString(), s.getColumn(5).getString(), s.getColumn(6).getString(),
                     s.getColumn(7).getString(), s.getColumn(8).getString(), s.getColumn(9).getString()};
        v.title = s.getColumn(10).getString();
        v.department = s.getColumn(11).getString();
        v.account_id = opt_int(s.getColumn(12));
        v.owner_id = opt_int(s.getColumn(13));
        v.lifecycle_stage = lifecycle_stage_from_string(s.getColumn(14).getString()).value_or(LifecycleStage::other);
        v.lead_source = s.getColumn(15).getString();
        v.birthday = s.getColumn(16).getString();
        v.consent = {s.getColumn(17).getInt() != 0, s.getColumn(18).getInt() != 0, s.getColumn(19).getInt() != 0,
                     s.getColumn(20).getInt() != 0, s.getColumn(21).getInt() != 0};
        v.created_at = s.getColumn(22).getInt64();
        v.updated_at = s.getColumn(23).getInt64();
        s.reset();
    }
    v.emails.clear();
    {
        auto& s = db.stmt("SELECT address,label,is_primary FROM contact_emails WHERE contact_id=? ORDER BY position");
        s.bind(1, static_cast<std::int64_t>(id));
        while (s.executeStep())
            v.emails.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt() != 0});
    }
    v.phones.clear();
    {
        auto& s = db.stmt("SELECT number,label,is_primary FROM contact_phones WHERE contact_id=? ORDER BY position");
        s.bind(1, static_cast<std::int64_t>(id));
        while (s.executeStep())
            v.phones.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt() != 0});
    }
    return true;
}

std::optional<Id> email_owner(DbImpl& db, const std::string& email_norm) {
    auto& s = db.stmt("SELECT contact_id FROM contact_emails WHERE address_norm=?");
    s.bind(1, email_norm);
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}

std::optional<Id> contact_by_email(DbImpl& db, const std::string& email_norm) { return email_owner(db, email_norm); }

}  // namespace crm::store
