// Routing's JSON documents (docs/routing.md): definitions and hand-offs. A stored
// hand-off is its document without id, scores and timeline (kept in their own
// columns as the library's own documents, byte for byte), read back with the strict
// reader.
#include <fmt/format.h>

#include "json/parse.hpp"
#include "json/writer.hpp"
#include "routing/routing_internal.hpp"

namespace crm {

namespace {
void time_value(json::Writer& w, Timestamp t) { w.string(format_iso8601(t)); }

void write_handoff(json::Writer& w, const Handoff& h, bool with_snapshots) {
    w.begin_object();
    if (with_snapshots) { w.key("id"); w.integer(h.id); }
    w.key("routing"); w.string(h.routing);
    w.key("version"); w.integer(h.version);
    w.key("contact_id"); w.integer(h.contact_id);
    w.key("status"); w.string(h.status);
    w.key("error"); w.string(h.error);
    w.key("owner_id"); if (h.owner_id) w.integer(h.owner_id); else w.null();
    w.key("previous_owner_id"); if (h.previous_owner_id) w.integer(*h.previous_owner_id); else w.null();
    w.key("rule"); w.string(h.rule);
    w.key("reason"); w.string(h.reason);
    w.key("position"); w.integer(h.position);
    w.key("trials");
    w.begin_array();
    for (const auto& t : h.trials) {
        w.begin_object();
        w.key("rule"); w.string(t.rule);
        w.key("matched"); w.boolean(t.matched);
        w.key("taken"); w.boolean(t.taken);
        w.key("checks");
        w.begin_array();
        for (const auto& c : t.checks) {
            w.begin_object();
            w.key("field"); w.string(c.field);
            w.key("op"); w.string(c.op);
            w.key("actual"); w.raw(c.actual.empty() ? "null" : c.actual);
            w.key("holds"); w.boolean(c.holds);
            w.end_object();
        }
        w.end_array();
        w.key("skipped");
        w.begin_array();
        for (const auto& s : t.skipped) {
            w.begin_object();
            w.key("user_id"); w.integer(s.user_id);
            w.key("reason"); w.string(s.reason);
            w.key("open"); w.integer(s.open);
            w.key("capacity"); w.integer(s.capacity);
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.key("task_id"); if (h.task_id) w.integer(h.task_id); else w.null();
    w.key("due_at"); if (h.due_at) time_value(w, h.due_at); else w.null();
    w.key("calendar"); w.string(h.calendar);
    if (with_snapshots) {
        w.key("scores"); w.raw(h.scores_json.empty() ? "[]" : h.scores_json);
        w.key("timeline"); w.raw(h.timeline_json.empty() ? "[]" : h.timeline_json);
    }
    w.key("trigger"); w.string(h.trigger);
    w.key("at"); time_value(w, h.at);
    w.key("dry_run"); w.boolean(h.dry_run);
    w.end_object();
}
}  // namespace

std::string to_json(const RoutingDef& d) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("id"); w.integer(d.id);
    w.key("name"); w.string(d.name);
    w.key("version"); w.integer(d.version);
    w.key("latest_version"); w.integer(d.latest_version);
    w.key("definition"); w.raw(d.definition.empty() ? "null" : d.definition);
    w.key("created_at"); time_value(w, d.created_at);
    w.end_object();
    return out;
}

std::string to_json(const Handoff& h) {
    std::string out;
    json::Writer w(out);
    write_handoff(w, h, true);
    return out;
}

namespace routing {

std::string handoff_document(const Handoff& h) {
    std::string out;
    json::Writer w(out);
    write_handoff(w, h, false);
    return out;
}

result<Handoff> handoff_from_document(Id id, const std::string& document, std::string scores, std::string timeline) {
    auto bad = [&] { return make_error(errc::corrupt, fmt::format("hand-off {} cannot be read", id)); };
    auto pj = json::parse_object(document, "hand-off");
    if (!pj) return bad();
    const auto& j = pj.value();
    try {
        Handoff h;
        h.id = id;
        h.routing = j.at("routing").get<std::string>();
        h.version = j.at("version").get<int>();
        h.contact_id = j.at("contact_id").get<Id>();
        h.status = j.at("status").get<std::string>();
        h.error = j.at("error").get<std::string>();
        if (!j.at("owner_id").is_null()) h.owner_id = j.at("owner_id").get<Id>();
        if (!j.at("previous_owner_id").is_null()) h.previous_owner_id = j.at("previous_owner_id").get<Id>();
        h.rule = j.at("rule").get<std::string>();
        h.reason = j.at("reason").get<std::string>();
        h.position = j.at("position").get<int>();
        for (const auto& t : j.at("trials")) {
            RoutingTrial tr;
            tr.rule = t.at("rule").get<std::string>();
            tr.matched = t.at("matched").get<bool>();
            tr.taken = t.at("taken").get<bool>();
            for (const auto& c : t.at("checks"))
                tr.checks.push_back(RoutingCheck{c.at("field").get<std::string>(), c.at("op").get<std::string>(),
                                                 c.at("actual").dump(), c.at("holds").get<bool>()});
            for (const auto& s : t.at("skipped"))
                tr.skipped.push_back(RoutingSkip{s.at("user_id").get<Id>(), s.at("reason").get<std::string>(),
                                                 s.at("open").get<std::int64_t>(), s.at("capacity").get<std::int64_t>()});
            h.trials.push_back(std::move(tr));
        }
        if (!j.at("task_id").is_null()) h.task_id = j.at("task_id").get<Id>();
        if (!j.at("due_at").is_null()) {
            auto t = parse_iso8601(j.at("due_at").get<std::string>());
            if (!t) return bad();
            h.due_at = *t;
        }
        h.calendar = j.at("calendar").get<std::string>();
        h.trigger = j.at("trigger").get<std::string>();
        auto at = parse_iso8601(j.at("at").get<std::string>());
        if (!at) return bad();
        h.at = *at;
        h.dry_run = j.at("dry_run").get<bool>();
        h.scores_json = std::move(scores);
        h.timeline_json = std::move(timeline);
        return h;
    } catch (const std::exception&) {
        return bad();
    }
}

}  // namespace routing
}  // namespace crm
