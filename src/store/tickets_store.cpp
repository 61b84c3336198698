// SQL for tickets, ticket_status_history, business calendars and SLA policies.
#include "store/tickets_store.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "store/bind.hpp"

namespace crm::store {

namespace {
std::vector<Id> ids(DbImpl& db, const char* sql_text) {
    auto& s = db.stmt(sql_text);
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    return out;
}

std::optional<Id> id_by_name(DbImpl& db, const char* sql_text, const std::string& name) {
    auto& s = db.stmt(sql_text);
    s.bind(1, name);
    if (!s.executeStep()) return std::nullopt;
    Id id = s.getColumn(0).getInt64();
    s.reset();
    return id;
}
}  // namespace

void insert_status_change(DbImpl& db, const TicketStatusChange& c) {
    auto& s = db.stmt("INSERT INTO ticket_status_history(ticket_id,from_status,to_status,at,actor_id) VALUES(?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(c.ticket_id));
    if (c.from) s.bind(2, to_string(*c.from)); else s.bind(2);
    s.bind(3, to_string(c.to));
    s.bind(4, static_cast<std::int64_t>(c.at));
    bind_opt(s, 5, c.actor_id);
    s.exec();
}

std::optional<Timestamp> last_status_change_at(DbImpl& db, Id ticket_id) {
    auto& s = db.stmt("SELECT max(at) FROM ticket_status_history WHERE ticket_id=?");
    s.bind(1, static_cast<std::int64_t>(ticket_id));
    s.executeStep();
    auto t = opt_int(s.getColumn(0));
    s.reset();
    return t;
}

std::vector<TicketStatusChange> status_changes(DbImpl& db, Id ticket_id) {
    auto& s = db.stmt("SELECT id,from_status,to_status,at,actor_id FROM ticket_status_history WHERE ticket_id=? ORDER BY at,id");
    s.bind(1, static_cast<std::int64_t>(ticket_id));
    std::vector<TicketStatusChange> out;
    while (s.executeStep()) {
        TicketStatusChange c;
        c.id = s.getColumn(0).getInt64();
        c.ticket_id = ticket_id;
        if (!s.getColumn(1).isNull()) c.from = ticket_status_from_string(s.getColumn(1).getString());
        c.to = ticket_status_from_string(s.getColumn(2).getString()).value_or(TicketStatus::new_);
        c.at = s.getColumn(3).getInt64();
        c.actor_id = opt_int(s.getColumn(4));
        out.push_back(c);
    }
    return out;
}

std::vector<Id> tickets_with_sla(DbImpl& db, const std::string& open_statuses, std::optional<Id> policy_id,
                                 std::optional<Id> calendar_id) {
    auto& s = db.stmt(
        "SELECT id FROM tickets WHERE sla_policy_id IS NOT NULL AND status IN (SELECT value FROM json_each(?1))"
        " AND (?2 IS NULL OR sla_policy_id = ?2)"
        " AND (?3 IS NULL OR sla_policy_id IN (SELECT id FROM sla_policies WHERE calendar_id = ?3)) ORDER BY id");
    s.bind(1, open_statuses);
    bind_opt(s, 2, policy_id);
    bind_opt(s, 3, calendar_id);
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    return out;
}

void set_ticket_due(DbImpl& db, Id ticket_id, const TicketDue& due) {
    auto& s = db.stmt("UPDATE tickets SET sla_first_response_due_at=?, sla_resolution_due_at=? WHERE id=?");
    bind_opt(s, 1, due.first_response);
    bind_opt(s, 2, due.resolution);
    s.bind(3, static_cast<std::int64_t>(ticket_id));
    s.exec();
}

std::vector<SlaAlert> tickets_due_by(DbImpl& db, Timestamp horizon) {
    auto& s = db.stmt(
        "SELECT id,'first_response',sla_first_response_due_at,priority,subject FROM tickets "
        "WHERE sla_first_response_due_at<=?1 "
        "UNION ALL "
        "SELECT id,'resolution',sla_resolution_due_at,priority,subject FROM tickets "
        "WHERE sla_resolution_due_at<=?1 "
        "ORDER BY 3,1,2");
    s.bind(1, static_cast<std::int64_t>(horizon));
    std::vector<SlaAlert> out;
    while (s.executeStep()) {
        SlaAlert a;
        a.ticket_id = s.getColumn(0).getInt64();
        a.target = s.getColumn(1).getString();
        a.due_at = s.getColumn(2).getInt64();
        a.priority = ticket_priority_from_string(s.getColumn(3).getString()).value_or(TicketPriority::normal);
        a.subject = s.getColumn(4).getString();
        out.push_back(std::move(a));
    }
    return out;
}

std::optional<Id> calendar_id_by_name(DbImpl& db, const std::string& name) {
    return id_by_name(db, "SELECT id FROM business_calendars WHERE name=?", name);
}

Id save_calendar(DbImpl& db, const BusinessCalendar& cal, std::optional<Id> existing) {
    Id id = 0;
    if (existing) {
        id = *existing;
        auto& u = db.stmt("UPDATE business_calendars SET utc_offset_minutes=?, updated_at=? WHERE id=?");
        u.bind(1, cal.utc_offset_minutes);
        u.bind(2, static_cast<std::int64_t>(cal.updated_at));
        u.bind(3, static_cast<std::int64_t>(id));
        u.exec();
        auto& dh = db.stmt("DELETE FROM business_calendar_hours WHERE calendar_id=?");
        dh.bind(1, static_cast<std::int64_t>(id));
        dh.exec();
        auto& dd = db.stmt("DELETE FROM business_calendar_holidays WHERE calendar_id=?");
        dd.bind(1, static_cast<std::int64_t>(id));
        dd.exec();
    } else {
        auto& s = db.stmt("INSERT INTO business_calendars(name,utc_offset_minutes,created_at,updated_at) VALUES(?,?,?,?)");
        s.bind(1, cal.name);
        s.bind(2, cal.utc_offset_minutes);
        s.bind(3, static_cast<std::int64_t>(cal.created_at));
        s.bind(4, static_cast<std::int64_t>(cal.updated_at));
        s.exec();
        id = db.conn->getLastInsertRowid();
    }
    for (int d = 0; d < 7; ++d)
        for (const auto& iv : cal.hours[static_cast<std::size_t>(d)]) {
            auto& h = db.stmt("INSERT INTO business_calendar_hours(calendar_id,weekday,start_minute,end_minute) VALUES(?,?,?,?)");
            h.bind(1, static_cast<std::int64_t>(id));
            h.bind(2, d);
            h.bind(3, iv.start_minute);
            h.bind(4, iv.end_minute);
            h.exec();
        }
    for (const auto& date : cal.holidays) {
        auto& h = db.stmt("INSERT INTO business_calendar_holidays(calendar_id,date) VALUES(?,?)");
        h.bind(1, static_cast<std::int64_t>(id));
        h.bind(2, date);
        h.exec();
    }
    return id;
}

bool load_calendar(DbImpl& db, Id id, BusinessCalendar& c) {
    {
        auto& s = db.stmt("SELECT id,name,utc_offset_minutes,created_at,updated_at FROM business_calendars WHERE id=?");
        s.bind(1, static_cast<std::int64_t>(id));
        if (!s.executeStep()) return false;
        c.id = s.getColumn(0).getInt64();
        c.name = s.getColumn(1).getString();
        c.utc_offset_minutes = s.getColumn(2).getInt();
        c.created_at = s.getColumn(3).getInt64();
        c.updated_at = s.getColumn(4).getInt64();
        s.reset();
    }
    for (auto& d : c.hours) d.clear();
    c.holidays.clear();
    {
        auto& s = db.stmt("SELECT weekday,start_minute,end_minute FROM business_calendar_hours WHERE calendar_id=? ORDER BY weekday,start_minute");
        s.bind(1, static_cast<std::int64_t>(id));
        while (s.executeStep())
            c.hours[static_cast<std::size_t>(s.getColumn(0).getInt())].push_back({s.getColumn(1).getInt(), s.getColumn(2).getInt()});
    }
    {
        auto& s = db.stmt("SELECT date FROM business_calendar_holidays WHERE calendar_id=? ORDER BY date");
        s.bind(1, static_cast<std::int64_t>(id));
        while (s.executeStep()) c.holidays.push_back(s.getColumn(0).getString());
    }
    return true;
}

std::vector<Id> calendar_ids(DbImpl& db) { return ids(db, "SELECT id FROM business_calendars ORDER BY id"); }

std::optional<Id> sla_policy_id_by_name(DbImpl& db, const std::string& name) {
    return id_by_name(db, "SELECT id FROM sla_policies WHERE name=?", name);
}

Id save_sla_policy(DbImpl& db, const SlaPolicy& p, std::optional<Id> existing) {
    Id id = 0;
    if (existing) {
        id = *existing;
        auto& u = db.stmt("UPDATE sla_policies SET calendar_id=?, updated_at=? WHERE id=?");
        bind_opt(u, 1, p.calendar_id);
        u.bind(2, static_cast<std::int64_t>(p.updated_at));
        u.bind(3, static_cast<std::int64_t>(id));
        u.exec();
        auto& d = db.stmt("DELETE FROM sla_targets WHERE policy_id=?");
        d.bind(1, static_cast<std::int64_t>(id));
        d.exec();
    } else {
        auto& s = db.stmt("INSERT INTO sla_policies(name,calendar_id,created_at,updated_at) VALUES(?,?,?,?)");
        s.bind(1, p.name);
        bind_opt(s, 2, p.calendar_id);
        s.bind(3, static_cast<std::int64_t>(p.created_at));
        s.bind(4, static_cast<std::int64_t>(p.updated_at));
        s.exec();
        id = db.conn->getLastInsertRowid();
    }
    for (const auto& t : p.targets) {
        auto& s = db.stmt("INSERT INTO sla_targets(policy_id,priority,first_response_minutes,resolution_minutes) VALUES(?,?,?,?)");
        s.bind(1, static_cast<std::int64_t>(id));
        s.bind(2, to_string(t.priority));
        s.bind(3, static_cast<std::int64_t>(t.first_response_minutes));
        s.bind(4, static_cast<std::int64_t>(t.resolution_minutes));
        s.exec();
    }
    return id;
}

bool sla_policy_exists(DbImpl& db, Id id) {
    auto& s = db.stmt("SELECT 1 FROM sla_policies WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    const bool found = s.executeStep();
    s.reset();
    return found;
}

bool load_sla_policy(DbImpl& db, Id id, SlaPolicy& p) {
    {
        auto& s = db.stmt("SELECT id,name,calendar_id,created_at,updated_at FROM sla_policies WHERE id=?");
        s.bind(1, static_cast<std::int64_t>(id));
        if (!s.executeStep()) return false;
        p.id = s.getColumn(0).getInt64();
        p.name = s.getColumn(1).getString();
        p.calendar_id = opt_int(s.getColumn(2));
        p.created_at = s.getColumn(3).getInt64();
        p.updated_at = s.getColumn(4).getInt64();
        s.reset();
    }
    p.targets.clear();
    auto& s = db.stmt("SELECT priority,first_response_minutes,resolution_minutes FROM sla_targets WHERE policy_id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    while (s.executeStep()) {
        SlaTarget t;
        t.priority = ticket_priority_from_string(s.getColumn(0).getString()).value_or(TicketPriority::normal);
        t.first_response_minutes = s.getColumn(1).getInt64();
        t.resolution_minutes = s.getColumn(2).getInt64();
        p.targets.push_back(t);
    }
    std::sort(p.targets.begin(), p.targets.end(), [](const SlaTarget& a, const SlaTarget& b) { return a.priority < b.priority; });
    return true;
}

std::vector<Id> sla_policy_ids(DbImpl& db) { return ids(db, "SELECT id FROM sla_policies ORDER BY id"); }

}  // namespace crm::store
