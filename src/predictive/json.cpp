// Predictive scoring's JSON documents (docs/predictive.md). Doubles are written as
// the shortest text that reads back to the same double, so a stored report is read
// back bit for bit; times as ISO 8601 UTC.
#include <fmt/format.h>

#include <cmath>

#include "json/parse.hpp"
#include "json/writer.hpp"
#include "predictive/predictive_internal.hpp"

namespace crm {

namespace {
void number(json::Writer& w, double x) {
    if (std::isfinite(x)) w.raw(fmt::format("{}", x));
    else w.null();
}
void time_value(json::Writer& w, Timestamp t) { w.string(format_iso8601(t)); }

void report_fields(json::Writer& w, const TrainingReport& r) {
    w.key("trained_at"); time_value(w, r.trained_at);
    w.key("contacts"); w.integer(r.contacts);
    w.key("excluded"); w.integer(r.excluded);
    w.key("train_rows"); w.integer(r.train_rows);
    w.key("train_positives"); w.integer(r.train_positives);
    w.key("holdout_rows"); w.integer(r.holdout_rows);
    w.key("holdout_positives"); w.integer(r.holdout_positives);
    w.key("auc_train"); number(w, r.auc_train);
    w.key("auc_holdout"); number(w, r.auc_holdout);
    w.key("log_loss_train"); number(w, r.log_loss_train);
    w.key("log_loss_holdout"); number(w, r.log_loss_holdout);
    w.key("iterations"); w.integer(r.iterations);
    w.key("converged"); w.boolean(r.converged);
    w.key("intercept"); number(w, r.intercept);
    w.key("coefficients");
    w.begin_array();
    for (const auto& c : r.coefficients) {
        w.begin_object();
        w.key("name"); w.string(c.name);
        w.key("feature"); w.string(c.feature);
        w.key("mean"); number(w, c.mean);
        w.key("sd"); number(w, c.sd);
        w.key("weight"); number(w, c.weight);
        w.key("constant"); w.boolean(c.constant);
        w.end_object();
    }
    w.end_array();
}

void factors(json::Writer& w, const std::vector<PredictiveFactor>& fs) {
    w.begin_array();
    for (const auto& f : fs) {
        w.begin_object();
        w.key("name"); w.string(f.name);
        w.key("feature"); w.string(f.feature);
        w.key("value"); w.string(f.value);
        w.key("x"); number(w, f.x);
        w.key("contribution"); number(w, f.contribution);
        w.end_object();
    }
    w.end_array();
}
}  // namespace

std::string to_json(const TrainingReport& r) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    report_fields(w, r);
    w.end_object();
    return out;
}

std::string to_json(const PredictiveModel& m) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("id"); w.integer(m.id);
    w.key("name"); w.string(m.name);
    w.key("version"); w.integer(m.version);
    w.key("latest_version"); w.integer(m.latest_version);
    w.key("created_at"); time_value(w, m.created_at);
    w.key("definition"); w.raw(m.definition.empty() ? "null" : m.definition);
    w.key("report"); w.raw(to_json(m.report));
    w.end_object();
    return out;
}

std::string to_json(const Prediction& p) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("contact_id"); w.integer(p.contact_id);
    w.key("model"); w.string(p.model);
    w.key("version"); w.integer(p.version);
    w.key("as_of"); time_value(w, p.as_of);
    w.key("score"); w.integer(p.score);
    w.key("probability"); number(w, p.probability);
    w.key("logit"); number(w, p.logit);
    w.key("intercept"); number(w, p.intercept);
    w.key("positive"); factors(w, p.positive);
    w.key("negative"); factors(w, p.negative);
    w.end_object();
    return out;
}

std::string to_json(const PredictiveScore& s) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("contact_id"); w.integer(s.contact_id);
    w.key("model"); w.string(s.model);
    w.key("version"); w.integer(s.version);
    w.key("as_of"); time_value(w, s.as_of);
    w.key("score"); w.integer(s.score);
    w.key("probability"); number(w, s.probability);
    w.end_object();
    return out;
}

namespace predictive {

result<TrainingReport> report_from_json(const std::string& text) {
    auto bad = [] { return make_error(errc::corrupt, "a stored predictive report cannot be read", "report"); };
    auto parsed = json::parse_object(text, "report");
    if (!parsed) return bad();
    const auto& j = parsed.value();
    try {
        TrainingReport r;
        auto num = [&](const nlohmann::json& o, const char* k) { return o.at(k).is_null() ? 0.0 : o.at(k).get<double>(); };
        r.trained_at = parse_iso8601(j.at("trained_at").get<std::string>()).value_or(0);
        r.contacts = j.at("contacts").get<std::int64_t>();
        r.excluded = j.at("excluded").get<std::int64_t>();
        r.train_rows = j.at("train_rows").get<std::int64_t>();
        r.train_positives = j.at("train_positives").get<std::int64_t>();
        r.holdout_rows = j.at("holdout_rows").get<std::int64_t>();
        r.holdout_positives = j.at("holdout_positives").get<std::int64_t>();
        r.auc_train = num(j, "auc_train");
        r.auc_holdout = num(j, "auc_holdout");
        r.log_loss_train = num(j, "log_loss_train");
        r.log_loss_holdout = num(j, "log_loss_holdout");
        r.iterations = j.at("iterations").get<int>();
        r.converged = j.at("converged").get<bool>();
        r.intercept = num(j, "intercept");
        for (const auto& c : j.at("coefficients")) {
            PredictiveCoefficient k;
            k.name = c.at("name").get<std::string>();
            k.feature = c.at("feature").get<std::string>();
            k.mean = num(c, "mean");
            k.sd = num(c, "sd");
            k.weight = num(c, "weight");
            k.constant = c.at("constant").get<bool>();
            r.coefficients.push_back(std::move(k));
        }
        return r;
    } catch (const std::exception&) {
        return bad();
    }
}

}  // namespace predictive
}  // namespace crm
