// Tickets (MISSION B5): records, the status workflow and first response. SLA
// policies, calendars and breach detection are in sla.cpp; business-time
// arithmetic is in calendar.cpp.
#include <algorithm>

#include "json/reader.hpp"
#include <map>

#include "tickets/ticket_traits.hpp"
#include "util/text.hpp"

namespace crm {

const char* to_string(TicketStatus s) noexcept {
    switch (s) {
        case TicketStatus::new_: return "new";
        case TicketStatus::open: return "open";
        case TicketStatus::pending: return "pending";
        case TicketStatus::on_hold: return "on_hold";
        case TicketStatus::resolved: return "resolved";
        case TicketStatus::closed: return "closed";
    }
    return "new";
}
const char* to_string(TicketPriority p) noexcept {
    switch (p) {
        case TicketPriority::low: return "low";
        case TicketPriority::normal: return "normal";
        case TicketPriority::high: return "high";
        case TicketPriority::urgent: return "urgent";
    }
    return "normal";
}
const char* to_string(TicketChannel c) noexcept {
    switch (c) {
        case TicketChannel::email: return "email";
        case TicketChannel::phone: return "phone";
        case TicketChannel::web: return "web";
        case TicketChannel::chat: return "chat";
        case TicketChannel::line: return "line";
        case TicketChannel::other: return "other";
    }
    return "other";
}
const char* to_string(SlaState s) noexcept {
    switch (s) {
        case SlaState::none: return "none";
        case SlaState::pending: return "pending";
        case SlaState::met: return "met";
        case SlaState::breached: return "breached";
    }
    return "none";
}
std::optional<TicketStatus> ticket_status_from_string(const std::string& s) noexcept {
    for (auto v : {TicketStatus::new_, TicketStatus::open, TicketStatus::pending, TicketStatus::on_hold,
                   TicketStatus::resolved, TicketStatus::closed})
        if (s == to_string(v)) return v;
    return std::nullopt;
}
std::optional<TicketPriority> ticket_priority_from_string(const std::string& s) noexcept {
    for (auto v : {TicketPriority::low, TicketPriority::normal, TicketPriority::high, TicketPriority::urgent})
        if (s == to_string(v)) return v;
    return std::nullopt;
}
std::optional<TicketChannel> ticket_channel_from_string(const std::string& s) noexcept {
    for (auto v : {TicketChannel::email, TicketChannel::phone, TicketChannel::web, TicketChannel::chat,
                   TicketChannel::line, TicketChannel::other})
        if (s == to_string(v)) return v;
    return std::nullopt;
}

bool transition_allowed(TicketStatus from, TicketStatus to) noexcept {
    using S = TicketStatus;
    switch (from) {
        case S::new_: return to == S::open || to == S::pending || to == S::on_hold || to == S::resolved;
        case S::open: return to == S::pending || to == S::on_hold || to == S::resolved;
        case S::pending: return to == S::open || to == S::resolved;
        case S::on_hold: return to == S::open || to == S::resolved;
        case S::resolved: return to == S::open || to == S::closed;
        case S::closed: return false;
    }
    return false;
}

namespace service {
namespace {
using domain::DbImpl;

// Set while transition()/record_response() write: only then may the managed
// fields (status, resolved_at, closed_at, first_response_at) change.
thread_local bool tl_managed_write = false;
struct ManagedWrite {
    ManagedWrite() { tl_managed_write = true; }
    ~ManagedWrite() { tl_managed_write = false; }
    ManagedWrite(const ManagedWrite&) = delete;
    ManagedWrite& operator=(const ManagedWrite&) = delete;
};

json::json ts(std::optional<Timestamp> t) { return t ? json::json(format_iso8601(*t)) : json::json(nullptr); }
json::json opt_id(std::optional<Id> v) { return v ? json::json(*v) : json::json(nullptr); }

std::string allowed_list(TicketStatus from) {
    std::string out;
    for (auto v : {TicketStatus::new_, TicketStatus::open, TicketStatus::pending, TicketStatus::on_hold,
                   TicketStatus::resolved, TicketStatus::closed})
        if (transition_allowed(from, v)) out += (out.empty() ? "" : ", ") + std::string(to_string(v));
    return out.empty() ? "none: it is final" : out;
}

result<void> get_str(const json::json& j, const std::string& key, std::string& out) {
    if (j.is_null()) { out.clear(); return ok(); }
    if (!j.is_string()) return invalid(key, "must be a string");
    out = j.get<std::string>();
    return ok();
}
result<void> get_opt_id(const json::json& j, const std::string& key, std::optional<Id>& out) {
    if (j.is_null()) { out.reset(); return ok(); }
    if (!j.is_number_integer()) return invalid(key, "must be an integer id or null");
    out = j.get<Id>();
    return ok();
}
result<void> get_opt_time(const json::json& j, const std::string& key, std::optional<Timestamp>& out) {
    if (j.is_null()) { out.reset(); return ok(); }
    if (j.is_number_integer()) { out = j.get<Timestamp>(); return ok(); }
    if (j.is_string())
        if (auto t = parse_iso8601(j.get<std::string>())) { out = *t; return ok(); }
    return invalid(key, "must be an ISO-8601 time, UTC milliseconds or null");
}
}  // namespace

json::json ticket_doc(const Ticket& v) {
    json::json custom = json::json::object();
    for (const auto& [k, x] : v.custom) custom[k] = json::doc(x);
    return {{"id", v.id},
            {"external_id", v.external_id.empty() ? json::json(nullptr) : json::json(v.external_id)},
            {"subject", v.subject},
            {"description", v.description},
            {"status", to_string(v.status)},
            {"priority", to_string(v.priority)},
            {"channel", to_string(v.channel)},
            {"requester_id", opt_id(v.requester_id)},
            {"account_id", opt_id(v.account_id)},
            {"assignee_id", opt_id(v.assignee_id)},
            {"opened_at", v.opened_at ? ts(v.opened_at) : json::json(nullptr)},
            {"first_response_at", ts(v.first_response_at)},
            {"resolved_at", ts(v.resolved_at)},
            {"closed_at", ts(v.closed_at)},
            {"sla_policy_id", opt_id(v.sla_policy_id)},
            {"tags", v.tags},
            {"custom", custom},
            {"created_at", v.created_at ? ts(v.created_at) : json::json(nullptr)},
            {"updated_at", v.updated_at ? ts(v.updated_at) : json::json(nullptr)}};
}

result<Ticket> parse_ticket(const json::json& j) noexcept {
    try {
        if (!j.is_object()) return invalid("document", "must be a JSON object");
        Ticket v;
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string& k = it.key();
            const auto& x = it.value();
            if (k == "id") {
                if (!x.is_null() && !x.is_number_integer()) return invalid("id", "must be an integer");
                v.id = x.is_null() ? 0 : x.get<Id>();
            } else if (k == "external_id") CRM_TRYV(get_str(x, k, v.external_id));
            else if (k == "subject") CRM_TRYV(get_str(x, k, v.subject));
            else if (k == "description") CRM_TRYV(get_str(x, k, v.description));
            else if (k == "status") {
                std::string s;
                CRM_TRYV(get_str(x, k, s));
                auto e = ticket_status_from_string(s.empty() ? "new" : s);
                if (!e) return invalid(k, "'" + s + "' is not one of new, open, pending, on_hold, resolved, closed");
                v.status = *e;
            } else if (k == "priority") {
                std::string s;
                CRM_TRYV(get_str(x, k, s));
                auto e = ticket_priority_from_string(s.empty() ? "normal" : s);
                if (!e) return invalid(k, "'" + s + "' is not one of low, normal, high, urgent");
                v.priority = *e;
            } else if (k == "channel") {
                std::string s;
                CRM_TRYV(get_str(x, k, s));
                auto e = ticket_channel_from_string(s.empty() ? "email" : s);
                if (!e) return invalid(k, "'" + s + "' is not one of email, phone, web, chat, line, other");
                v.channel = *e;
            } else if (k == "requester_id") CRM_TRYV(get_opt_id(x, k, v.requester_id));
            else if (k == "account_id") CRM_TRYV(get_opt_id(x, k, v.account_id));
            else if (k == "assignee_id") CRM_TRYV(get_opt_id(x, k, v.assignee_id));
            else if (k == "sla_policy_id") CRM_TRYV(get_opt_id(x, k, v.sla_policy_id));
            else if (k == "opened_at") {
                std::optional<Timestamp> t;
                CRM_TRYV(get_opt_time(x, k, t));
                v.opened_at = t.value_or(0);
            } else if (k == "first_response_at") CRM_TRYV(get_opt_time(x, k, v.first_response_at));
            else if (k == "resolved_at") CRM_TRYV(get_opt_time(x, k, v.resolved_at));
            else if (k == "closed_at") CRM_TRYV(get_opt_time(x, k, v.closed_at));
            else if (k == "created_at" || k == "updated_at") {
                std::optional<Timestamp> t;
                CRM_TRYV(get_opt_time(x, k, t));
                (k == "created_at" ? v.created_at : v.updated_at) = t.value_or(0);
            } else if (k == "tags") {
                CRM_TRYV(crm::json::read_tags(x, "tags", v.tags));
            } else if (k == "custom") {
                CRM_TRYV(crm::json::read_custom(x, "custom", v.custom));
            } else return invalid(k, "is not a field of a ticket");
        }
        return v;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

result<void> validate_ticket(DbImpl& db, Ticket& v, const Ticket* old) {
    const auto max = db.options.max_text_bytes;
    CRM_TRYV(text::check("subject", v.subject, max, true));
    v.subject = text::trim(v.subject);
    if (v.subject.empty()) return invalid("subject", "is required");
    CRM_TRYV(text::check("description", v.description, max, false));
    CRM_TRYV(text::check("external_id", v.external_id, 256, false));
    v.external_id = text::trim(v.external_id);
    auto must_exist = [&](const std::optional<Id>& id, Entity e, const char* field) -> result<void> {
        if (id && !store::exists(db, e, *id))
            return make_error(errc::not_found, fmt::format("{}: no {} with id {}", field, entity_name(e), *id), field);
        return ok();
    };
    CRM_TRYV(must_exist(v.requester_id, Entity::contact, "requester_id"));
    CRM_TRYV(must_exist(v.account_id, Entity::account, "account_id"));
    CRM_TRYV(must_exist(v.assignee_id, Entity::user, "assignee_id"));
    if (v.sla_policy_id && !store::sla_policy_exists(db, *v.sla_policy_id)) {
        return make_error(errc::not_found, fmt::format("sla_policy_id: no SLA policy with id {}", *v.sla_policy_id),
                          "sla_policy_id");
    }
    if (old) {
        if (v.opened_at == 0) v.opened_at = old->opened_at;
        if (!tl_managed_write) {
            if (v.status != old->status)
                return make_error(errc::constraint_violation,
                                  fmt::format("status: changes only through a transition (from {} to: {})",
                                              to_string(old->status), allowed_list(old->status)),
                                  "status");
            if (v.resolved_at != old->resolved_at)
                return make_error(errc::constraint_violation, "resolved_at: set by the transition to resolved", "resolved_at");
            if (v.closed_at != old->closed_at)
                return make_error(errc::constraint_violation, "closed_at: set by the transition to closed", "closed_at");
            if (v.first_response_at != old->first_response_at)
                return make_error(errc::constraint_violation, "first_response_at: set by record_response", "first_response_at");
        }
    } else {
        if (v.opened_at == 0) v.opened_at = db.now();
        // A ticket may be created in any status (imports); the timestamps must fit it.
        const bool resolved = v.status == TicketStatus::resolved || v.status == TicketStatus::closed;
        if (!resolved && v.resolved_at) return invalid("resolved_at", fmt::format("is only set on a resolved or closed ticket, not a {} one", to_string(v.status)));
        if (v.status != TicketStatus::closed && v.closed_at) return invalid("closed_at", fmt::format("is only set on a closed ticket, not a {} one", to_string(v.status)));
        if (resolved && !v.resolved_at) v.resolved_at = v.closed_at.value_or(db.now());
        if (v.status == TicketStatus::closed && !v.closed_at) v.closed_at = db.now();
    }
    if (v.first_response_at && *v.first_response_at < v.opened_at)
        return invalid("first_response_at", "is before opened_at");
    if (v.resolved_at && *v.resolved_at < v.opened_at) return invalid("resolved_at", "is before opened_at");
    if (v.closed_at && v.resolved_at && *v.closed_at < *v.resolved_at) return invalid("closed_at", "is before resolved_at");
    return ok();
}

}  // namespace service

template class Records<Ticket>;

Tickets Db::tickets() noexcept { return Tickets(impl()); }

namespace {
using detail::DbImpl;

result<void> check(DbImpl* db) {
    if (!db) return make_error(errc::closed, "database handle is closed");
    return ok();
}
}  // namespace

result<Ticket> Tickets::transition(Id id, TicketStatus to) noexcept {
    CRM_TRYV(check(db_));
    return db_->write([&]() -> result<Ticket> {
        CRM_TRY(Ticket t, domain::load_full<Ticket>(*db_, id));
        const TicketStatus from = t.status;
        if (!transition_allowed(from, to))
            return make_error(errc::constraint_violation,
                              fmt::format("status: a {} ticket cannot become {} (allowed: {})", to_string(from),
                                          to_string(to), service::allowed_list(from)),
                              "status");
        const Timestamp now = db_->now();
        t.status = to;
        if (to == TicketStatus::resolved) t.resolved_at = now;
        else if (to == TicketStatus::closed) {
            t.closed_at = now;
            if (!t.resolved_at) t.resolved_at = now;
        } else {
            t.resolved_at.reset();  // reopened
            t.closed_at.reset();
        }
        {
            service::ManagedWrite guard;
            CRM_TRYV(domain::update_in_scope<Ticket>(*db_, t));
        }
        TicketStatusChange c;
        c.ticket_id = id;
        c.from = from;
        c.to = to;
        c.at = now;
        c.actor_id = db_->actor;
        store::insert_status_change(*db_, c);
        return domain::load_full<Ticket>(*db_, id);
    });
}

result<std::vector<TicketStatusChange>> Tickets::status_history(Id id) noexcept {
    CRM_TRYV(check(db_));
    return db_->read([&]() -> result<std::vector<TicketStatusChange>> {
        if (!store::exists(*db_, Entity::ticket, id))
            return make_error(errc::not_found, fmt::format("no ticket with id {}", id));
        return store::status_changes(*db_, id);
    });
}

result<Timestamp> Tickets::record_response(Id id, std::optional<Timestamp> at) noexcept {
    CRM_TRYV(check(db_));
    return db_->write([&]() -> result<Timestamp> {
        CRM_TRY(Ticket t, domain::load_full<Ticket>(*db_, id));
        if (t.first_response_at) return *t.first_response_at;
        const Timestamp when = at.value_or(db_->now());
        if (when < t.opened_at) return invalid("at", "is before the ticket was opened");
        t.first_response_at = when;
        {
            service::ManagedWrite guard;
            CRM_TRYV(domain::update_in_scope<Ticket>(*db_, t));
        }
        return when;
    });
}

}  // namespace crm
