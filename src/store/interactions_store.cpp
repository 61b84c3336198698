// SQL for interactions, their links (the timeline index) and email tracking events.
#include "store/interactions_store.hpp"

#include "store/bind.hpp"
#include "store/customers_store.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace crm::store {

namespace {
void insert_links(DbImpl& db, Id id, const Interaction& v) {
    if (v.contact_ids.empty() && v.account_ids.empty() && v.deal_ids.empty() && v.ticket_ids.empty()) return;
    auto& s = db.stmt("INSERT OR IGNORE INTO interaction_links(interaction_id,entity,record_id,occurred_at) VALUES(?,?,?,?)");
    auto put = [&](const char* entity, const std::vector<Id>& ids) {
        for (Id r : ids) {
            s.bind(1, static_cast<std::int64_t>(id));
            s.bind(2, entity);
            s.bind(3, static_cast<std::int64_t>(r));
            s.bind(4, static_cast<std::int64_t>(v.occurred_at));
            s.exec();
            s.reset();
        }
    };
    put("contact", v.contact_ids);
    put("account", v.account_ids);
    put("deal", v.deal_ids);
    put("ticket", v.ticket_ids);
}
}  // namespace

void save_interaction_children(DbImpl& db, const Interaction& v, const Interaction* old) {
    if (!old) {
        insert_links(db, v.id, v);
        return;
    }
    if (old->occurred_at != v.occurred_at || old->contact_ids != v.contact_ids || old->account_ids != v.account_ids ||
        old->deal_ids != v.deal_ids || old->ticket_ids != v.ticket_ids) {
        auto& d = db.stmt("DELETE FROM interaction_links WHERE interaction_id=?");
        d.bind(1, static_cast<std::int64_t>(v.id));
        d.exec();
        insert_links(db, v.id, v);
    }
}

// One statement for every link of every record, whatever their number: ids travel
// as one bound JSON array (json_each), never as SQL text.
void load_interaction_children(DbImpl& db, std::span<Interaction> items) {
    std::unordered_map<Id, Interaction*> at;
    std::vector<Id> ids;
    at.reserve(items.size());
    for (auto& v : items) {
        v.contact_ids.clear();
        v.account_ids.clear();
        v.deal_ids.clear();
        v.ticket_ids.clear();
        at.emplace(v.id, &v);
        ids.push_back(v.id);
    }
    auto add = [&](SQLite::Statement& s) {
        auto it = at.find(s.getColumn(0).getInt64());
        if (it == at.end()) return;
        const std::string e = s.getColumn(1).getString();
        const Id r = s.getColumn(2).getInt64();
        auto& v = *it->second;
        if (e == "contact") v.contact_ids.push_back(r);
        else if (e == "account") v.account_ids.push_back(r);
        else if (e == "deal") v.deal_ids.push_back(r);
        else if (e == "ticket") v.ticket_ids.push_back(r);
    };
    if (ids.size() == 1) {
        auto& s = db.stmt(
            "SELECT interaction_id,entity,record_id FROM interaction_links WHERE interaction_id=? "
            "ORDER BY entity,record_id");
        s.bind(1, static_cast<std::int64_t>(ids[0]));
        while (s.executeStep()) add(s);
        return;
    }
    auto& s = db.stmt(
        "SELECT interaction_id,entity,record_id FROM interaction_links "
        "WHERE interaction_id IN (SELECT value FROM json_each(?)) ORDER BY interaction_id,entity,record_id");
    s.bind(1, id_array_json(ids));
    while (s.executeStep()) add(s);
}

std::optional<std::string> interaction_kind(DbImpl& db, Id id) {
    auto& s = db.stmt("SELECT kind FROM interactions WHERE id=?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    std::string k = s.getColumn(0).getString();
    s.reset();
    return k;
}

namespace {
// ?1 entity, ?2 record id, ?3 since, ?4 until, ?5/?6 keyset (at, id), ?7 kinds (JSON array or NULL), ?8 limit.
// The keyset is (occurred_at, interaction_id) < (?5, ?6); the first page passes (until, INT64_MAX).
// One backwards walk of interaction_links_timeline, stopping after ?8 rows.
constexpr const char* kOneTimeline =
    "SELECT l.occurred_at, l.interaction_id FROM interaction_links l "
    "WHERE l.entity=?1 AND l.record_id=?2 AND l.occurred_at>=?3 AND l.occurred_at<?4 "
    "AND (l.occurred_at<?5 OR (l.occurred_at=?5 AND l.interaction_id<?6)) "
    "AND (?7 IS NULL OR (SELECT i.kind FROM interactions i WHERE i.id=l.interaction_id) IN "
    "(SELECT value FROM json_each(?7))) "
    "ORDER BY l.occurred_at DESC, l.interaction_id DESC LIMIT ?8";

bool newer(const TimelineKey& a, const TimelineKey& b) { return a.at != b.at ? a.at > b.at : a.id > b.id; }

// The page of one record's own links in [since, until), appended to out.
void one_timeline(DbImpl& db, const char* entity, Id id, Timestamp since, Timestamp until, const TimelineBounds& b,
                  std::vector<TimelineKey>& out) {
    auto& s = db.stmt(kOneTimeline);
    s.bind(1, entity);
    s.bind(2, static_cast<std::int64_t>(id));
    s.bind(3, static_cast<std::int64_t>(since));
    s.bind(4, static_cast<std::int64_t>(until));
    if (b.after) {
        s.bind(5, static_cast<std::int64_t>(b.after->at));
        s.bind(6, static_cast<std::int64_t>(b.after->id));
    } else {
        s.bind(5, static_cast<std::int64_t>(until));
        s.bind(6, static_cast<std::int64_t>(INT64_MAX));
    }
    if (b.kinds_json.empty()) s.bind(7); else s.bind(7, b.kinds_json);
    s.bind(8, static_cast<std::int64_t>(b.limit));
    while (s.executeStep()) out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64()});
}
}  // namespace

std::vector<TimelineKey> timeline_ids(DbImpl& db, Entity e, Id id, const TimelineBounds& b) {
    std::vector<TimelineKey> out;
    if (e != Entity::account) {
        one_timeline(db, entity_name(e), id, b.since, b.until, b, out);
        return out;
    }
    // An account: its own links, and those of each contact made while the contact
    // worked there (contact_employments). The page is the newest `limit` of their
    // union, so it is among the newest `limit` of each source: walk each source's
    // index backwards for at most that many rows and merge — the cost follows the
    // number of sources times the page size, not the account's whole history (one
    // sorted scan of every link of every contact, as a single UNION query does).
    // Once `limit` keys are held, later sources stop at the oldest time still on
    // the page.
    const auto periods = employments_at(db, id, b.since, b.until);
    Timestamp floor = b.since;  // the oldest time on a full page: older rows cannot enter it
    auto keep_page = [&] {
        std::sort(out.begin(), out.end(), newer);
        out.erase(std::unique(out.begin(), out.end(), [](const TimelineKey& x, const TimelineKey& y) { return x.id == y.id; }),
                  out.end());
        if (out.size() > b.limit) out.resize(b.limit);
        if (out.size() == b.limit) floor = std::max(floor, out.back().at);
    };
    one_timeline(db, "account", id, floor, b.until, b, out);
    for (const auto& p : periods) {
        const Timestamp until = std::min(b.until, p.until);
        if (until <= floor) continue;
        one_timeline(db, "contact", p.contact_id, std::max(floor, p.since), until, b, out);
        if (out.size() >= b.limit) keep_page();
    }
    keep_page();
    return out;
}

Id insert_email_event(DbImpl& db, Id interaction_id, const EmailEvent& ev, Timestamp created_at) {
    auto& s = db.stmt(
        "INSERT INTO email_events(interaction_id,event,occurred_at,url,created_at,address,soft) VALUES(?,?,?,?,?,?,?)");
    s.bind(1, static_cast<std::int64_t>(interaction_id));
    s.bind(2, to_string(ev.type));
    s.bind(3, static_cast<std::int64_t>(ev.at));
    s.bind(4, ev.url);
    s.bind(5, static_cast<std::int64_t>(created_at));
    s.bind(6, ev.address);
    s.bind(7, ev.soft ? 1 : 0);
    s.exec();
    return db.conn->getLastInsertRowid();
}

std::vector<EmailEvent> load_email_events(DbImpl& db, Id interaction_id) {
    auto& s = db.stmt(
        "SELECT id,event,occurred_at,url,address,soft FROM email_events WHERE interaction_id=? ORDER BY occurred_at,id");
    s.bind(1, static_cast<std::int64_t>(interaction_id));
    std::vector<EmailEvent> out;
    while (s.executeStep()) {
        EmailEvent ev;
        ev.id = s.getColumn(0).getInt64();
        ev.type = email_event_from_string(s.getColumn(1).getString()).value_or(EmailEventType::sent);
        ev.at = s.getColumn(2).getInt64();
        ev.url = s.getColumn(3).getString();
        ev.address = s.getColumn(4).getString();
        ev.soft = s.getColumn(5).getInt() != 0;
        out.push_back(std::move(ev));
    }
    return out;
}

}  // namespace crm::store
