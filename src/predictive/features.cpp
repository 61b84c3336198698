// A contact's features (observe), a column's input, and a prediction from a trained
// version (predictive_internal.hpp). Fields come from the shadow scoring model's
// fit slots; behaviour counts from its behaviour rules computed at the cut-off time.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "predictive/logistic.hpp"
#include "predictive/predictive_internal.hpp"
#include "scoring/model.hpp"

namespace crm::predictive {

namespace {
std::string number_text(double x) {
    if (x == std::floor(x) && std::fabs(x) < 1e15) return fmt::format("{}", static_cast<std::int64_t>(x));
    return fmt::format("{}", x);
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : "; ") + s;
    return out;
}
}  // namespace

std::optional<std::size_t> feature_index(const Definition& d, const std::string& key) {
    for (std::size_t i = 0; i < d.features.size(); ++i)
        if (d.features[i].key == key) return i;
    return std::nullopt;
}

Observed observe(const Definition& d, const scoring::Prepared::Entry& e, const scoring::ContactInputs& in, Timestamp t) {
    Observed out(d.features.size());
    const bool any_count =
        std::any_of(d.features.begin(), d.features.end(), [](const Feature& f) { return f.kind == Kind::count; });
    Explanation x;
    if (any_count) x = scoring::compute(*e.model, in.fit.front(), in.rows, &e.imap, t, true);
    for (std::size_t i = 0; i < d.features.size(); ++i) {
        const Feature& f = d.features[i];
        Raw& r = out[i];
        if (f.kind == Kind::count) {
            std::int64_t n = 0;
            for (const auto& c : x.contributions)
                if (c.rule == f.rule) n = static_cast<std::int64_t>(c.occurrences.size());
            r.set = true;
            r.num = std::log1p(static_cast<double>(n));
            r.display = fmt::format("{}", n);
            continue;
        }
        const scoring::Value& v = in.fit.front()[static_cast<std::size_t>(f.slot)];
        switch (f.kind) {
            case Kind::present:
                r.set = true;
                r.num = v.set ? 1 : 0;
                r.display = v.set ? "true" : "false";
                break;
            case Kind::boolean:
                r.set = true;
                r.num = v.set && v.b ? 1 : 0;
                r.display = v.set ? (v.b ? "true" : "false") : "";
                break;
            case Kind::numeric:
                if (!v.set) break;
                if (f.decimal) {
                    char* end = nullptr;
                    const double n = std::strtod(v.s.c_str(), &end);
                    if (end == v.s.c_str() || *end != '\0' || !std::isfinite(n)) break;
                    r.num = n;
                } else {
                    r.num = static_cast<double>(v.i);
                }
                r.set = true;
                r.display = f.decimal ? v.s : number_text(r.num);
                break;
            case Kind::levels:
                if (!v.set) break;
                r.set = true;
                if (v.ss.empty()) r.texts.push_back(v.s);
                else r.texts = v.ss;
                r.display = join(r.texts);
                break;
            default: break;
        }
    }
    return out;
}

std::string level_of(const PredictiveCoefficient& c) {
    return c.name.size() > c.feature.size() ? c.name.substr(c.feature.size() + 1) : std::string();
}

double column_x(const Definition& d, const PredictiveCoefficient& c, const Observed& o) {
    const auto i = feature_index(d, c.feature);
    if (!i) return c.mean;
    const Raw& r = o[*i];
    if (d.features[*i].kind == Kind::levels) {
        const std::string level = level_of(c);
        return std::find(r.texts.begin(), r.texts.end(), level) != r.texts.end() ? 1.0 : 0.0;
    }
    return r.set ? r.num : c.mean;  // a missing number counts as the mean: no contribution
}

int score_of(double p) noexcept {
    const long s = std::lround(99.0 * p);
    return static_cast<int>(std::clamp(s, 1L, 99L));
}

Prediction predict(const Definition& d, const TrainingReport& r, const Observed& o, std::size_t top_k) {
    Prediction p;
    p.intercept = r.intercept;
    double logit = r.intercept;
    std::vector<PredictiveFactor> all;
    for (const auto& c : r.coefficients) {
        if (c.constant) continue;
        const double x = column_x(d, c, o);
        const double contribution = c.weight * ((x - c.mean) / c.sd);
        logit += contribution;
        const auto i = feature_index(d, c.feature);
        all.push_back(PredictiveFactor{c.name, c.feature, i ? o[*i].display : std::string(), x, contribution});
    }
    p.logit = logit;
    p.probability = sigmoid(logit);
    p.score = score_of(p.probability);
    // Largest first; equal contributions by column order (stable).
    std::stable_sort(all.begin(), all.end(),
                     [](const PredictiveFactor& a, const PredictiveFactor& b) { return a.contribution > b.contribution; });
    for (const auto& f : all)
        if (f.contribution > 0 && p.positive.size() < top_k) p.positive.push_back(f);
    std::stable_sort(all.begin(), all.end(),
                     [](const PredictiveFactor& a, const PredictiveFactor& b) { return a.contribution < b.contribution; });
    for (const auto& f : all)
        if (f.contribution < 0 && p.negative.size() < top_k) p.negative.push_back(f);
    return p;
}

}  // namespace crm::predictive
