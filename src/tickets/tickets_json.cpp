// Tickets, SLA policies and SLA results as JSON documents (the C ABI and the CLI speak these).
#include <algorithm>
#include <map>
#include "json/parse.hpp"
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
        for (auto it = j.begin(); it != j.end(); ++it) {
            const auto& k = it.key();
            const auto& x = it.value();
            if (k == "id" || k == "created_at" || k == "updated_at") continue;
            if (k == "name") {
                if (!x.is_string()) return invalid("name", "must be a string");
                p.name = x.get<std::string>();
            } else if (k == "calendar_id") {
                if (x.is_null()) p.calendar_id.reset();
                else if (x.is_number_integer()) p.calendar_id = x.get<Id>();
                else return invalid("calendar_id", "must be an integer id or null");
            } else if (k == "targets") {
                if (!x.is_object()) return invalid("targets", "must be an object keyed by priority (low, normal, high, urgent)");
                for (auto t = x.begin(); t != x.end(); ++t) {
                    auto pr = ticket_priority_from_string(t.key());
                    if (!pr) return invalid("targets." + t.key(), "is not a priority (low, normal, high, urgent)");
                    if (!t.value().is_object()) return invalid("targets." + t.key(), "must be an object");
                    SlaTarget st;
                    st.priority = *pr;
                    for (auto f = t.value().begin(); f != t.value().end(); ++f) {
                        const auto field = "targets." + t.key() + "." + f.key();
                        if (f.key() != "first_response_minutes" && f.key() != "resolution_minutes")
                            return invalid(field, "is not first_response_minutes or resolution_minutes");
                        if (!f.value().is_number_integer()) return invalid(field, "must be an integer number of minutes");
                        (f.key() == "first_response_minutes" ? st.first_response_minutes : st.resolution_minutes) =
                            f.value().get<std::int64_t>();
                    }
                    p.targets.push_back(st);
                }
            } else return invalid(k, "is not a field of an SLA policy (name, calendar_id, targets)");
        }
        return p;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

}  // namespace crm
