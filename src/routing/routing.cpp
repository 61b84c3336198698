// Routing of hot leads (crm/routing.hpp): definitions and versions, the decision
// (rules in order, territories, round robin with capacity, the fallback), and the
// hand-off written in one transaction through the existing write paths: the
// contact's owner through the contact update path (history row), the follow-up task
// through the task create path, then the hand-off row. Also the thresholds' crossing
// hook that runs a threshold's attached routing.
#include "crm/routing.hpp"

#include <fmt/format.h>

#include <mutex>

#include "crm/interactions.hpp"
#include "crm/scoring.hpp"
#include "crm/tasks.hpp"
#include "crm/thresholds.hpp"
#include "json/writer.hpp"
#include "records/engine.hpp"
#include "routing/routing_internal.hpp"
#include "scoring/inputs.hpp"
#include "store/routing_store.hpp"
#include "store/thresholds_store.hpp"
#include "store/tickets_store.hpp"
#include "thresholds/thresholds_internal.hpp"

namespace crm {

namespace {
using detail::DbImpl;
using scoring::Node;
using scoring::Op;

struct Loaded {
    store::RoutingRow row;
    store::RoutingVersionRow version;
    routing::Def def;
};

error no_routing(const std::string& name) {
    return make_error(errc::not_found, fmt::format("no routing named '{}'", name), "routing");
}

result<Loaded> load(DbImpl& db, const store::RoutingRow& row) {
    auto v = store::routing_version(db, row.id, row.latest_version);
    if (!v) return make_error(errc::corrupt, fmt::format("routing '{}' has no version {}", row.name, row.latest_version));
    auto d = routing::parse_stored(db, v->definition);
    if (!d) return make_error(errc::corrupt, fmt::format("routing '{}' version {} cannot be read: {}", row.name,
                                                         v->version, d.error().message));
    return Loaded{row, std::move(*v), std::move(d).value()};
}

result<Loaded> load(DbImpl& db, const std::string& name) {
    auto row = store::routing_by_name(db, name);
    if (!row) return no_routing(name);
    return load(db, *row);
}

const char* op_name(Op op) {
    switch (op) {
        case Op::equals: return "equals";
        case Op::in: return "in";
        case Op::range: return "range";
        case Op::contains: return "contains";
        case Op::pattern: return "pattern";
        case Op::exists: return "exists";
        default: return "always";
    }
}

std::string value_json(const scoring::Value& v, scoring::VK vk) {
    if (!v.set) return "null";
    std::string out;
    json::Writer w(out);
    switch (vk) {
        case scoring::VK::text: w.string(v.s); break;
        case scoring::VK::integer: w.integer(v.i); break;
        case scoring::VK::boolean: w.boolean(v.b); break;
        case scoring::VK::texts:
            w.begin_array();
            for (const auto& s : v.ss) w.string(s);
            w.end_array();
            break;
        case scoring::VK::integers:
            w.begin_array();
            for (auto i : v.is) w.integer(i);
            w.end_array();
            break;
    }
    return out;
}

// Evaluates a predicate as scoring does (all / any stop at the first deciding
// child), recording each comparison made.
bool trace(const Node& n, const scoring::Model& m, const std::vector<scoring::Value>& values,
           std::vector<RoutingCheck>& out, const std::string& op_label) {
    switch (n.op) {
        case Op::always: return true;
        case Op::all:
            for (const auto& c : n.children)
                if (!trace(c, m, values, out, op_label)) return false;
            return true;
        case Op::any:
            for (const auto& c : n.children)
                if (trace(c, m, values, out, op_label)) return true;
            return false;
        case Op::not_: return !trace(n.children.front(), m, values, out, op_label);
        default: break;
    }
    const auto slot = static_cast<std::size_t>(n.slot);
    const bool h = scoring::holds(n, values);
    out.push_back(RoutingCheck{m.fit_slots[slot].key, op_label.empty() ? op_name(n.op) : op_label,
                               value_json(values[slot], m.fit_slots[slot].vk), h});
    return h;
}

struct Decision {
    Handoff h;
    std::optional<std::pair<std::string, int>> rotation;  // rule id, the next position
    Contact contact;
};

result<BusinessCalendar> calendar_of(DbImpl& db, const routing::Def& d) {
    if (d.calendar.empty()) return always_open_calendar();
    auto id = store::calendar_id_by_name(db, d.calendar);
    BusinessCalendar cal;
    if (!id || !store::load_calendar(db, *id, cal))
        return make_error(errc::not_found, fmt::format("no business calendar named '{}'", d.calendar), "calendar");
    return cal;
}

result<Decision> decide(DbImpl& db, const Loaded& l, Id contact_id) {
    const auto& d = l.def;
    Decision out;
    CRM_TRY(out.contact, records::load_full<Contact>(db, contact_id));
    const Contact& c = out.contact;
    std::optional<Account> account;
    if (c.account_id && d.slots.uses_account)
        if (auto a = records::load_full<Account>(db, *c.account_id)) account = std::move(a).value();
    const auto values = scoring::fit_values(d.slots, c, account ? &*account : nullptr);

    Handoff& h = out.h;
    h.routing = l.row.name;
    h.version = l.version.version;
    h.contact_id = contact_id;
    h.status = "routed";
    h.previous_owner_id = c.owner_id;
    h.calendar = d.calendar;
    h.at = db.now();

    std::map<Id, std::int64_t> open;
    auto room = [&](Id u, RoutingTrial& t) -> bool {
        auto user = records::load_full<User>(db, u);
        if (!user || !user.value().active) {
            t.skipped.push_back(RoutingSkip{u, "inactive", 0, 0});
            return false;
        }
        const auto cap = routing::capacity_of(d, u);
        if (!cap) return true;
        auto it = open.find(u);
        if (it == open.end()) it = open.emplace(u, store::open_routed_tasks(db, u)).first;
        if (it->second >= *cap) {
            t.skipped.push_back(RoutingSkip{u, "capacity", it->second, *cap});
            return false;
        }
        return true;
    };

    bool any_matched = false;
    for (const auto& r : d.rules) {
        RoutingTrial t;
        t.rule = r.id;
        bool m = true;
        if (r.territory >= 0) {
            const auto& ter = d.territories[static_cast<std::size_t>(r.territory)];
            m = trace(ter.when, d.slots, values, t.checks, "territory:" + ter.name);
        }
        if (m && r.has_when) m = trace(r.when, d.slots, values, t.checks, "");
        t.matched = m;
        if (m) {
            any_matched = true;
            if (!r.pool) {
                if (room(r.owners.front(), t)) {
                    t.taken = true;
                    h.owner_id = r.owners.front();
                    h.reason = "rule";
                }
            } else {
                const int n = static_cast<int>(r.owners.size());
                const int start = ((store::rotation_position(db, l.row.id, r.id) % n) + n) % n;
                for (int k = 0; k < n && !t.taken; ++k) {
                    const int i = (start + k) % n;
                    if (!room(r.owners[static_cast<std::size_t>(i)], t)) continue;
                    t.taken = true;
                    h.owner_id = r.owners[static_cast<std::size_t>(i)];
                    h.reason = "round_robin";
                    h.position = i;
                    out.rotation = std::make_pair(r.id, (i + 1) % n);
                }
            }
        }
        const bool taken = t.taken;
        if (taken) h.rule = r.id;
        h.trials.push_back(std::move(t));
        if (taken) break;
    }
    if (!h.owner_id) {
        auto user = records::load_full<User>(db, d.fallback);
        if (!user || !user.value().active)
            return make_error(errc::invalid_argument,
                              fmt::format("routing '{}': the fallback user {} is {}: update the routing", l.row.name,
                                          d.fallback, user ? "inactive" : "deleted"),
                              "fallback");
        h.owner_id = d.fallback;
        h.reason = any_matched ? "fallback_capacity" : "fallback_no_match";
    }
    CRM_TRY(auto cal, calendar_of(db, d));
    CRM_TRY(h.due_at, add_business_ms(cal, h.at, d.due_minutes * 60000));
    return out;
}

// The contact's score explanations under every active model, and its newest
// interactions: the snapshots a hand-off carries.
result<void> snapshots(DbImpl& db, const routing::Def& d, Handoff& h) {
    Scoring scoring(&db);
    CRM_TRY(auto models, scoring.list(false));
    h.scores_json = "[";
    bool first = true;
    for (const auto& m : models) {
        CRM_TRY(auto x, scoring.explain(h.contact_id, m.name));
        h.scores_json += (first ? "" : ",") + to_json(x);
        first = false;
    }
    h.scores_json += "]";
    h.timeline_json = "[";
    if (d.timeline_items > 0) {
        TimelineQuery q;
        q.limit = static_cast<std::size_t>(d.timeline_items);
        CRM_TRY(auto page, Interactions(&db).timeline(Entity::contact, h.contact_id, q));
        for (std::size_t i = 0; i < page.items.size(); ++i) h.timeline_json += (i ? "," : "") + to_json(page.items[i]);
    }
    h.timeline_json += "]";
    return ok();
}

std::string title_of(const std::string& tmpl, const Contact& c) {
    std::string out;
    const std::string_view key = "{contact}";
    std::size_t from = 0;
    for (;;) {
        const auto at = tmpl.find(key, from);
        if (at == std::string::npos) break;
        out.append(tmpl, from, at - from);
        out += c.name;
        from = at + key.size();
    }
    out.append(tmpl, from, std::string::npos);
    return out;
}

// Decides and writes, inside the caller's write scope.
result<Handoff> apply(DbImpl& db, const Loaded& l, Id contact_id, const std::string& trigger) {
    CRM_TRY(Decision dec, decide(db, l, contact_id));
    Handoff& h = dec.h;
    h.trigger = trigger;
    records::Write w{db};
    if (dec.contact.owner_id != h.owner_id) {
        Contact c = dec.contact;
        c.owner_id = h.owner_id;
        CRM_TRYV(records::update<Contact>(w, std::move(c), dec.contact));
    }
    Task t;
    t.title = title_of(l.def.title, dec.contact);
    t.notes = h.rule.empty() ? fmt::format("routing '{}' v{}: {}", h.routing, h.version, h.reason)
                             : fmt::format("routing '{}' v{}: rule '{}' ({})", h.routing, h.version, h.rule, h.reason);
    t.due_at = h.due_at;
    t.assignee_id = h.owner_id;
    t.priority = l.def.priority;
    t.links = {RecordLink{Entity::contact, contact_id}};
    CRM_TRY(h.task_id, records::create<Task>(w, std::move(t)));
    if (dec.rotation) store::set_rotation_position(db, l.row.id, dec.rotation->first, dec.rotation->second);
    CRM_TRYV(snapshots(db, l.def, h));
    h.id = store::insert_handoff(db, l.row.id, h.version, contact_id, h.status, h.owner_id, h.task_id, h.at,
                                 {0, routing::handoff_document(h), h.scores_json, h.timeline_json});
    return h;
}

RoutingDef def_of(const store::RoutingRow& row, const store::RoutingVersionRow& v) {
    return RoutingDef{row.id, row.name, v.version, row.latest_version, v.definition, v.created_at};
}

result<RoutingDef> store_def(DbImpl& db, const routing::Def& d, bool create) {
    auto row = store::routing_by_name(db, d.name);
    if (create && row)
        return make_error(errc::already_exists, fmt::format("a routing named '{}' exists (use update)", d.name), "name");
    if (!create && !row) return no_routing(d.name);
    const Timestamp now = db.now();
    store::RoutingRow r = row ? *row : store::RoutingRow{store::insert_routing(db, d.name, now), d.name, 0};
    r.latest_version += 1;
    store::insert_routing_version(db, r.id, r.latest_version, d.document, now);
    return def_of(r, store::RoutingVersionRow{r.latest_version, d.document, now});
}

// The thresholds' crossing hook: a contact entering a threshold with an attached
// routing is routed inside the same write; a routing that fails rolls back only
// itself (a savepoint) and leaves a "failed" hand-off.
result<void> on_crossing(records::Write& w, const Crossing& c) {
    if (!c.entered) return ok();
    auto& db = w.db;
    auto rid = store::trigger_routing(db, c.threshold_id);
    if (!rid) return ok();
    auto row = store::routing_by_id(db, *rid);
    if (!row) return ok();
    auto r = db.write([&]() -> result<Handoff> {
        CRM_TRY(Loaded l, load(db, *row));
        return apply(db, l, c.contact_id, c.threshold);
    });
    if (r) return ok();
    Handoff h;
    h.routing = row->name;
    h.version = row->latest_version;
    h.contact_id = c.contact_id;
    h.status = "failed";
    h.error = r.error().message;
    h.trigger = c.threshold;
    h.at = db.now();
    store::insert_handoff(db, row->id, h.version, c.contact_id, h.status, 0, 0, h.at,
                          {0, routing::handoff_document(h), "[]", "[]"});
    return ok();
}

result<Handoff> read_handoff(const store::HandoffRow& r) {
    return routing::handoff_from_document(r.id, r.document, r.scores, r.timeline);
}
}  // namespace

namespace routing {
void install() noexcept {
    static std::once_flag once;
    std::call_once(once, [] { thresholds::add_crossing_hook(&on_crossing); });
}
}  // namespace routing

Routing Db::routing() noexcept { return Routing(impl_.get()); }

result<RoutingDef> Routing::define(std::string_view definition) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<RoutingDef> {
        CRM_TRY(auto d, routing::parse(*db_, definition));
        return store_def(*db_, d, true);
    });
}

result<RoutingDef> Routing::update(std::string_view definition) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<RoutingDef> {
        CRM_TRY(auto d, routing::parse(*db_, definition));
        return store_def(*db_, d, false);
    });
}

result<RoutingDef> Routing::get(const std::string& name, int version) noexcept {
    if (!db_) return records::closed();
    if (version < 0) return invalid("version", "is 1 or more (0 = the latest)");
    return db_->read([&]() -> result<RoutingDef> {
        auto row = store::routing_by_name(*db_, name);
        if (!row) return no_routing(name);
        auto v = store::routing_version(*db_, row->id, version == 0 ? row->latest_version : version);
        if (!v)
            return make_error(errc::not_found, fmt::format("routing '{}' has no version {}", name, version), "version");
        return def_of(*row, *v);
    });
}

result<std::vector<RoutingDef>> Routing::list() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<RoutingDef>> {
        std::vector<RoutingDef> out;
        for (const auto& row : store::routings(*db_))
            if (auto v = store::routing_version(*db_, row.id, row.latest_version)) out.push_back(def_of(row, *v));
        return out;
    });
}

result<std::vector<RoutingDef>> Routing::versions(const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<RoutingDef>> {
        auto row = store::routing_by_name(*db_, name);
        if (!row) return no_routing(name);
        std::vector<RoutingDef> out;
        for (const auto& v : store::routing_versions(*db_, row->id)) out.push_back(def_of(*row, v));
        return out;
    });
}

result<Handoff> Routing::route(const std::string& routing, Id contact_id, const RouteOptions& options) noexcept {
    if (!db_) return records::closed();
    if (contact_id <= 0) return invalid("contact_id", "a contact id is positive");
    if (options.dry_run) {
        return db_->read([&]() -> result<Handoff> {
            CRM_TRY(Loaded l, load(*db_, routing));
            CRM_TRY(Decision dec, decide(*db_, l, contact_id));
            dec.h.dry_run = true;
            CRM_TRYV(snapshots(*db_, l.def, dec.h));
            return dec.h;
        });
    }
    return db_->write([&]() -> result<Handoff> {
        CRM_TRY(Loaded l, load(*db_, routing));
        return apply(*db_, l, contact_id, "");
    });
}

result<Handoff> Routing::handoff(Id handoff_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Handoff> {
        auto r = store::handoff(*db_, handoff_id);
        if (!r) return make_error(errc::not_found, fmt::format("no hand-off with id {}", handoff_id), "id");
        return read_handoff(*r);
    });
}

result<std::vector<Handoff>> Routing::handoffs(Id contact_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Handoff>> {
        if (!records::load_full<Contact>(*db_, contact_id)) return records::not_found<Contact>(contact_id);
        std::vector<Handoff> out;
        for (const auto& r : store::handoffs_of_contact(*db_, contact_id)) {
            CRM_TRY(auto h, read_handoff(r));
            out.push_back(std::move(h));
        }
        return out;
    });
}

result<void> Routing::attach(const std::string& threshold, const std::string& routing) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        auto t = store::threshold_by_name(*db_, threshold);
        if (!t) return make_error(errc::not_found, fmt::format("no threshold named '{}'", threshold), "threshold");
        auto r = store::routing_by_name(*db_, routing);
        if (!r) return no_routing(routing);
        store::set_trigger(*db_, t->def.id, r->id);
        return ok();
    });
}

result<void> Routing::detach(const std::string& threshold) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        auto t = store::threshold_by_name(*db_, threshold);
        if (!t) return make_error(errc::not_found, fmt::format("no threshold named '{}'", threshold), "threshold");
        if (!store::delete_trigger(*db_, t->def.id))
            return make_error(errc::not_found, fmt::format("threshold '{}' has no routing attached", threshold),
                              "threshold");
        return ok();
    });
}

}  // namespace crm
