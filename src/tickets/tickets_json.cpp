// Tickets, SLA policies and SLA results as JSON documents (the C ABI and the CLI speak these).
#include <algorithm>
#include <map>
#include "json/parse.hpp"
#include "json/reader.hpp"
#include "tickets/tickets_internal.hpp"
#include "store/tickets_store.hpp"
#include "util/text.hpp"

namespace crm {

// ---- JSON
namespace {
json::json clock_doc(const SlaClock& c) {
    return {{"state", to_string(c.state)},
            {"due_at", c.due_at ? json::json(format_iso8601(*c.due_at)) : json::json(nullptr)},
            {"done_at", c.done_at ? json::json(format_iso8601(*c.done_at)) : json::json(nullptr)},
            {"elapsed_business_minutes", c.elapsed_business_ms / 60'000},
            {"elapsed_business_ms", c.elapsed_business_ms},
            {"target_business_minutes", c.target_business_ms / 60'000}};
}
}  // namespace

std::string to_json(const TicketStatusChange& v) {
    json::json j = {{"id", v.id},
                    {"ticket_id", v.ticket_id},
                    {"from", v.from ? json::json(to_string(*v.from)) : json::json(nullptr)},
                    {"to", to_string(v.to)},
                    {"at", format_iso8601(v.at)},
                    {"actor_id", v.actor_id ? json::json(*v.actor_id) : json::json(nullptr)}};
    return j.dump();
}

std::string to_json(const SlaPolicy& p) {
    json::json targets = json::json::object();
    for (const auto& t : p.targets)
        targets[to_string(t.priority)] = {{"first_response_minutes", t.first_response_minutes},
                                          {"resolution_minutes", t.resolution_minutes}};
    json::json j = {{"id", p.id},
                    {"name", p.name},
                    {"calendar_id", p.calendar_id ? json::json(*p.calendar_id) : json::json(nullptr)},
                    {"targets", targets}};
    return j.dump();
}

std::string to_json(const TicketSla& s) {
    json::json j = {{"ticket_id", s.ticket_id},
                    {"sla_policy_id", s.sla_policy_id ? json::json(*s.sla_policy_id) : json::json(nullptr)},
                    {"now", format_iso8601(s.now)},
                    {"first_response", clock_doc(s.first_response)},
                    {"resolution", clock_doc(s.resolution)}};
    return j.dump();
}

std::string to_json(const SlaAlert& a) {
    json::json j = {{"ticket_id", a.ticket_id}, {"target", a.target},           {"due_at", format_iso8601(a.due_at)},
                    {"breached", a.breached},   {"priority", to_string(a.priority)}, {"subject", a.subject}};
    return j.dump();
}

result<SlaPolicy> sla_policy_from_json(std::string_view text) noexcept {
    try {
        CRM_TRY(auto j, json::parse_object(text));
        SlaPolicy p;
        json::Reader r(j, "");
        CRM_TRYV(r.record_meta(p.id, p.created_at, p.updated_at));
        CRM_TRYV(r.str("name", p.name));
        CRM_TRYV(r.opt_integer("calendar_id", p.calendar_id));
        if (const auto* x = r.find("targets"); x && !x->is_null()) {
            if (!x->is_object()) return invalid("targets", "must be an object keyed by priority (low, normal, high, urgent)");
            for (auto t = x->begin(); t != x->end(); ++t) {
                const std::string field = "targets." + t.key();
                auto pr = ticket_priority_from_string(t.key());
                if (!pr) return invalid(field, "is not a priority (low, normal, high, urgent)");
                SlaTarget st;
                st.priority = *pr;
                json::Reader minutes(t.value(), field);
                CRM_TRYV(minutes.object());
                CRM_TRYV(minutes.integer("first_response_minutes", st.first_response_minutes));
                CRM_TRYV(minutes.integer("resolution_minutes", st.resolution_minutes));
                CRM_TRYV(minutes.done());
                p.targets.push_back(st);
            }
        }
        CRM_TRYV(r.done());
        return p;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

}  // namespace crm
