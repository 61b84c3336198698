// Scoring's JSON documents (docs/scoring.md): models, scores, explanations and dry
// runs. Points are JSON numbers with exactly three decimals (thousandths, exact).
#include "json/writer.hpp"
#include "scoring/model.hpp"

namespace crm {

namespace {
using scoring::points_text;

void time_value(json::Writer& w, Timestamp t) { w.string(format_iso8601(t)); }

void score_fields(json::Writer& w, const Score& s) {
    w.key("contact_id"); w.integer(s.contact_id);
    w.key("model"); w.string(s.model);
    w.key("version"); w.integer(s.version);
    w.key("as_of"); time_value(w, s.as_of);
    w.key("fit"); w.raw(points_text(s.fit));
    w.key("engagement"); w.raw(points_text(s.engagement));
    w.key("total"); w.raw(points_text(s.total));
    w.key("disqualified"); w.boolean(s.disqualified);
    w.key("grade"); w.string(s.grade);
    w.key("trend"); w.string(to_string(s.trend));
    w.key("trend_delta"); w.raw(points_text(s.trend_delta));
}
}  // namespace

std::string scoring_points_text(std::int64_t milli) { return points_text(milli); }

std::string to_json(const ScoringModel& m) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("id"); w.integer(m.id);
    w.key("name"); w.string(m.name);
    w.key("version"); w.integer(m.version);
    w.key("latest_version"); w.integer(m.latest_version);
    w.key("active"); w.boolean(m.active);
    w.key("created_at"); time_value(w, m.created_at);
    w.key("definition"); w.raw(m.definition.empty() ? "null" : m.definition);
    w.end_object();
    return out;
}

std::string to_json(const Score& s) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    score_fields(w, s);
    w.end_object();
    return out;
}

std::string to_json(const Explanation& e) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    score_fields(w, e.score);
    w.key("contributions");
    w.begin_array();
    for (const auto& c : e.contributions) {
        w.begin_object();
        w.key("rule"); w.string(c.rule);
        w.key("part"); w.string(c.part);
        w.key("raw"); w.raw(points_text(c.raw));
        w.key("points"); w.raw(points_text(c.points));
        w.key("cap"); if (c.cap.empty()) w.null(); else w.string(c.cap);
        if (c.part == "behaviour") {
            w.key("occurrences");
            w.begin_array();
            for (const auto& o : c.occurrences) {
                w.begin_object();
                w.key("interaction_id"); w.integer(o.interaction_id);
                w.key("event"); if (o.event.empty()) w.null(); else w.string(o.event);
                w.key("at"); time_value(w, o.at);
                w.key("raw"); w.raw(points_text(o.raw));
                w.key("factor"); w.integer(o.factor);
                w.key("points"); w.raw(points_text(o.points));
                w.key("skipped"); if (o.skipped.empty()) w.null(); else w.string(o.skipped);
                w.end_object();
            }
            w.end_array();
        }
        w.end_object();
    }
    w.end_array();
    w.key("adjustment"); w.raw(points_text(e.adjustment));
    w.key("adjustment_reason"); if (e.adjustment_reason.empty()) w.null(); else w.string(e.adjustment_reason);
    w.end_object();
    return out;
}

std::string to_json(const DryRunResult& r) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("model"); w.string(r.model);
    w.key("current_version"); w.integer(r.current_version);
    w.key("contacts"); w.integer(r.contacts);
    w.key("changed"); w.integer(r.changed);
    w.key("truncated"); w.boolean(r.truncated);
    w.key("changes");
    w.begin_array();
    for (const auto& c : r.changes) {
        w.begin_object();
        w.key("contact_id"); w.integer(c.contact_id);
        w.key("old_total"); w.raw(points_text(c.old_total));
        w.key("new_total"); w.raw(points_text(c.new_total));
        w.key("change"); w.raw(points_text(c.new_total - c.old_total));
        w.key("crossed");
        w.begin_array();
        for (const auto& x : c.crossed) w.string(x);
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return out;
}

}  // namespace crm
