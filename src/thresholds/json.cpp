// Thresholds' JSON documents (docs/scoring.md, "Thresholds").
#include "crm/thresholds.hpp"
#include "json/writer.hpp"
#include "scoring/model.hpp"

namespace crm {

namespace {
using scoring::points_text;
void time_value(json::Writer& w, Timestamp t) { w.string(format_iso8601(t)); }
}  // namespace

std::string to_json(const ThresholdDef& d) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("id"); w.integer(d.id);
    w.key("name"); w.string(d.name);
    w.key("model"); w.string(d.model);
    w.key("output"); w.string(to_string(d.output));
    w.key("enter"); w.raw(points_text(d.enter));
    w.key("leave"); w.raw(points_text(d.leave));
    w.key("stage"); if (d.stage) w.string(to_string(*d.stage)); else w.null();
    w.key("created_at"); time_value(w, d.created_at);
    w.end_object();
    return out;
}

std::string to_json(const Crossing& c) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("id"); w.integer(c.id);
    w.key("threshold"); w.string(c.threshold);
    w.key("contact_id"); w.integer(c.contact_id);
    w.key("direction"); w.string(c.entered ? "enter" : "leave");
    w.key("score"); w.raw(points_text(c.score));
    w.key("at"); time_value(w, c.at);
    w.end_object();
    return out;
}

std::string to_json(const ThresholdState& s) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("contact_id"); w.integer(s.contact_id);
    w.key("inside"); w.boolean(s.inside);
    w.key("since"); if (s.since) time_value(w, s.since); else w.null();
    w.end_object();
    return out;
}

std::string to_json(const LifecycleChange& c) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("at"); time_value(w, c.at);
    w.key("from"); if (c.from) w.string(to_string(*c.from)); else w.null();
    w.key("to"); w.string(to_string(c.to));
    w.key("actor_id"); if (c.actor_id) w.integer(*c.actor_id); else w.null();
    w.key("reason"); if (c.reason.empty()) w.null(); else w.string(c.reason);
    w.end_object();
    return out;
}

}  // namespace crm
