// SQL for tickets, ticket_status_history, business calendars and SLA policies.
#include "store/tickets_store.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "store/bind.hpp"

namespace crm::store {

namespace {
const FieldSpec kTicketFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"subject", "subject", FieldKind::text, true},
    {"description", "description", FieldKind::text, false},
    {"status", "status", FieldKind::text, true},
    {"priority", "priority", FieldKind::text, true},
    {"channel", "channel", FieldKind::text, true},
    {"requester_id", "requester_id", FieldKind::integer, true},
    {"account_id", "account_id", FieldKind::integer, true},
    {"assignee_id", "assignee_id", FieldKind::integer, true},
    {"opened_at", "opened_at", FieldKind::time, true},
    {"first_response_at", "first_response_at", FieldKind::time, true},
    {"resolved_at", "resolved_at", FieldKind::time, true},
    {"closed_at", "closed_at", FieldKind::time, true},
    {"sla_policy_id", "sla_policy_id", FieldKind::integer, true},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};

void bind_ticket(SQLite::Statement& s, const Ticket& v) {
    bind_text_or_null(s, 1, v.external_id);
    s.bind(2, v.subject);
    s.bind(3, v.description);
    s.bind(4, to_string(v.status));
    s.bind(5, to_string(v.priority));
    s.bind(6, to_string(v.channel));
    bind_opt(s, 7, v.requester_id);
    bind_opt(s, 8, v.account_id);
    bind_opt(s, 9, v.assignee_id);
    s.bind(10, static_cast<std::int64_t>(v.opened_at));
    bind_opt(s, 11, v.first_response_at);
    bind_opt(s, 12, v.resolved_at);
    bind_opt(s, 13, v.closed_at);
    bind_opt(s, 14, v.sla_policy_id);
    s.bind(15, static_cast<std::int64_t>(v.created_at));
    s.bind(16, static_cast<std::int64_t>(v.updated_at));
}

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

std::span<const FieldSpec> ticket_field_specs() noexcept { return kTicketFields; }

Id insert(DbImpl& db, const Ticket& v, const TicketDue& due) {
    auto& s = db.stmt(
        "INSERT INTO tickets(external_id,subject,description,status,priority,channel,requester_id,account_id,"
        "assignee_id,opened_at,first_response_at,resolved_at,closed_at,sla_policy_id,created_at,updated_at,"
        "sla_first_response_due_at,sla_resolution_due_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_ticket(s, v);
    bind_opt(s, 17, due.first_response);
    bind_opt(s, 18, due.resolution);
    s.exec();
    return db.conn->getLastInsertRowid();
}

void update(DbImpl& db, const Ticket&, const Ticket& v) {
    auto& s = db.stmt(
        "UPDATE tickets SET external_id=?,subject=?,description=?,status=?,priority=?,channel=?,requester_id=?,"
        "account_id=?,assignee_id=?,opened_at=?,first_response_at=?,resolved_at=?,closed_at=?,sla_policy_id=?,"
        "created_at=?,updated_at=? WHERE id=?");
    bind_ticket(s, v);
    s.bind(17, static_cast<std::int64_t>(v.id));
    s.exec();
}

bool load(DbImpl& db, Id id, Ticket& v) {
    auto& s = db.stmt(
        "SELECT id,external_id,subject,description,status,priority,channel,requester_id,account_id,assignee_id,"
        "opened_at,first_response_at,resolved_at,closed_at,sla_policy_id,created_at,updated_at FROM tickets WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return false;
    v.id = s.getColumn(0).getInt64();
    v.external_id = text(s.getColumn(1));
    v.subject = s.getColumn(2).getString();
    v.description = s.getColumn(3).getString();
    v.status = ticket_status_from_string(s.getColumn(4).getString()).value_or(TicketStatus::new_);
    v.priority = ticket_priority_from_string(s.getColumn(5).getString()).value_or(TicketPriority::normal);
    v.channel = ticket_channel_from_string(s.getColumn(6).getString()).value_or(TicketChannel::other);
    v.requester_id = opt_int(s.getColumn(7));
    v.account_id = opt_int(s.getColumn(8));
    v.assignee_id = opt_int(s.getColumn(9));
    v.opened_at = s.getColumn(10).getInt64();
    v.first_response_at = opt_int(s.getColumn(11));
    v.resolved_at = opt_int(s.getColumn(12));
    v.closed_at = opt_int(s.getColumn(13));
    v.sla_policy_id = opt_int(s.getColumn(14));
    v.created_at = s.getColumn(15).getInt64();
    v.updated_at = s.getColumn(16).getInt64();
    s.reset();
    return true;
}

void insert_status_change(DbImpl& db, const TicketStatusChange& c) {
    auto& s = db.stmt("INSERT INTO ticket_status_history(ticket_id,from_status,to_status,at,actor_id) VALUES(?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(c.ticket_id));
    if (c.from) s.bind(2, to_string(*c.from)); else s.bind(2);
    s.bind(3, to_string(c.to));
    s.bind(4, static_cast<std::int64_t>(c.at));
    bind_opt(s, 5, c.actor_id);
    s.exec();
}

std::vector<TicketStatusChange> status_changes(DbImpl& db, Id ticket_id) {
    auto& s = db.stmt("SELECT id,from_status,to_status,at,actor_id FROM ticket_status_history WHERE ticket_id=? ORDER BY id");
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

namespace {
bool unresolved(TicketStatus s) { return s != TicketStatus::resolved && s != TicketStatus::closed; }

// The clock's due time as Tickets::sla() computes it; none for a 0-minute target or a
// calendar in which the target cannot be reached.
std::optional<Timestamp> due_after(const BusinessCalendar& cal, Timestamp opened, std::int64_t minutes) {
    if (minutes <= 0) return std::nullopt;
    auto due = add_business_ms(cal, opened, minutes * 60'000);
    if (!due) return std::nullopt;
    return due.value();
}

bool load_policy_calendar(DbImpl& db, Id policy_id, SlaPolicy& p, BusinessCalendar& cal) {
    if (!load_sla_policy(db, policy_id, p)) return false;
    if (!p.calendar_id) {
        cal = always_open_calendar();
        return true;
    }
    return load_calendar(db, *p.calendar_id, cal);
}

TicketDue due_with(const Ticket& t, const SlaPolicy& p, const BusinessCalendar& cal) {
    TicketDue d;
    if (!unresolved(t.status)) return d;
    auto target = std::find_if(p.targets.begin(), p.targets.end(), [&](const SlaTarget& x) { return x.priority == t.priority; });
    if (target == p.targets.end()) return d;
    if (!t.first_response_at) d.first_response = due_after(cal, t.opened_at, target->first_response_minutes);
    if (!t.resolved_at && !t.closed_at) d.resolution = due_after(cal, t.opened_at, target->resolution_minutes);
    return d;
}

// The SLA inputs of the unresolved tickets with a policy chosen by `sql_text` (fixed
// text; `key` is bound as its one parameter when given), recomputed and stored.
void refresh_due_where(DbImpl& db, const std::string& sql_text, std::optional<Id> key) {
    std::vector<Ticket> rows;
    {
        auto& s = db.stmt(sql_text);
        if (key) s.bind(1, static_cast<std::int64_t>(*key));
        while (s.executeStep()) {
            Ticket t;
            t.id = s.getColumn(0).getInt64();
            t.status = ticket_status_from_string(s.getColumn(1).getString()).value_or(TicketStatus::new_);
            t.priority = ticket_priority_from_string(s.getColumn(2).getString()).value_or(TicketPriority::normal);
            t.opened_at = s.getColumn(3).getInt64();
            t.first_response_at = opt_int(s.getColumn(4));
            t.resolved_at = opt_int(s.getColumn(5));
            t.closed_at = opt_int(s.getColumn(6));
            t.sla_policy_id = opt_int(s.getColumn(7));
            rows.push_back(std::move(t));
        }
    }
    std::map<Id, std::optional<std::pair<SlaPolicy, BusinessCalendar>>> loaded;
    for (const auto& t : rows) {
        auto it = loaded.find(*t.sla_policy_id);
        if (it == loaded.end()) {
            SlaPolicy p;
            BusinessCalendar cal;
            std::optional<std::pair<SlaPolicy, BusinessCalendar>> v;
            if (load_policy_calendar(db, *t.sla_policy_id, p, cal)) v.emplace(std::move(p), std::move(cal));
            it = loaded.emplace(*t.sla_policy_id, std::move(v)).first;
        }
        set_ticket_due(db, t.id, it->second ? due_with(t, it->second->first, it->second->second) : TicketDue{});
    }
}

constexpr const char* kDueInputs =
    "SELECT id,status,priority,opened_at,first_response_at,resolved_at,closed_at,sla_policy_id FROM tickets "
    "WHERE status NOT IN ('resolved','closed') AND sla_policy_id IS NOT NULL";
}  // namespace

TicketDue compute_ticket_due(DbImpl& db, const Ticket& t) {
    if (!t.sla_policy_id || !unresolved(t.status)) return {};
    SlaPolicy p;
    BusinessCalendar cal;
    if (!load_policy_calendar(db, *t.sla_policy_id, p, cal)) return {};
    return due_with(t, p, cal);
}

void set_ticket_due(DbImpl& db, Id ticket_id, const TicketDue& due) {
    auto& s = db.stmt("UPDATE tickets SET sla_first_response_due_at=?, sla_resolution_due_at=? WHERE id=?");
    bind_opt(s, 1, due.first_response);
    bind_opt(s, 2, due.resolution);
    s.bind(3, static_cast<std::int64_t>(ticket_id));
    s.exec();
}

void refresh_ticket_due(DbImpl& db) { refresh_due_where(db, kDueInputs, std::nullopt); }

void refresh_ticket_due_for_policy(DbImpl& db, Id policy_id) {
    refresh_due_where(db, std::string(kDueInputs) + " AND sla_policy_id=?", policy_id);
}

void refresh_ticket_due_for_calendar(DbImpl& db, Id calendar_id) {
    refresh_due_where(db, std::string(kDueInputs) + " AND sla_policy_id IN (SELECT id FROM sla_policies WHERE calendar_id=?)",
                      calendar_id);
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

std::vector<Id> open_ticket_ids_assigned_to(DbImpl& db, Id user_id) {
    auto& s = db.stmt("SELECT id FROM tickets WHERE assignee_id=? AND status NOT IN ('resolved','closed') ORDER BY id");
    s.bind(1, static_cast<std::int64_t>(user_id));
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
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
