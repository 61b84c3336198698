// Score predicates of the segment language: score(MODEL).output … — checked against
// the scoring model (it exists; grades and bands are its own), resolved to the
// model's id and, for fit_grade / engagement_grade, to ranges of the stored fit or
// engagement (a band is a range of values: the first band whose min a value reaches);
// evaluated now on the stored scores (the SQL in store/segments_store.cpp), as of a
// past time on scores computed by the scoring engine (score_matches).
#include <algorithm>

#include <fmt/format.h>

#include "scoring/inputs.hpp"
#include "segments/segments_internal.hpp"

namespace crm::segments {

namespace {

struct ModelInfo {
    Id id = 0;
    std::shared_ptr<const scoring::Model> model;
};

std::optional<ModelInfo> latest(DbImpl& db, const std::string& name) {
    auto row = store::model_by_name(db, name);
    if (!row) return std::nullopt;
    auto v = store::model_version(db, row->id, row->latest_version);
    if (!v) return std::nullopt;
    auto m = scoring::parsed(db, v->definition);
    if (!m) return std::nullopt;
    return ModelInfo{row->id, std::move(m)};
}

std::string names(const std::vector<scoring::Band>& bands, const char* extra = nullptr) {
    std::string out;
    for (const auto& b : bands) out += (out.empty() ? "" : ", ") + b.name;
    if (extra) out += std::string(", ") + extra;
    return out;
}

bool has_band(const std::vector<scoring::Band>& bands, const std::string& v) {
    return std::any_of(bands.begin(), bands.end(), [&](const scoring::Band& b) { return b.name == v; });
}

// The values of the band named `name`, as inclusive ranges (a name may be given to
// several bands).
void band_ranges(const std::vector<scoring::Band>& bands, const std::string& name, int disqualified,
                 std::vector<Node::Range>& out) {
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (bands[i].name != name) continue;
        Node::Range r;
        r.disqualified = disqualified;
        const bool last = i + 1 == bands.size();
        if (!last) r.lo = bands[i].min;
        if (i > 0) r.hi = bands[i - 1].min - 1;
        out.push_back(r);
    }
}

}  // namespace

void check_score(DbImpl& db, const Node& n, std::vector<SegmentIssue>& issues) {
    auto issue = [&](const Pos& p, std::string m) { issues.push_back(SegmentIssue{p.offset, p.line, p.column, std::move(m)}); };
    auto info = latest(db, n.model);
    if (!info) {
        std::string known;
        for (const auto& m : store::models(db, false)) known += (known.empty() ? "" : ", ") + m.name;
        issue(n.pos, fmt::format("no scoring model named '{}' ({})", n.model,
                                 known.empty() ? "none is defined" : "the models are: " + known));
        return;
    }
    const auto& m = *info->model;
    for (const auto& v : n.values) {
        if (n.output == "fit_grade" && !(v.text == "X" || has_band(m.fit_bands, v.text)))
            issue(v.pos, fmt::format("'{}' is not a fit band of '{}' ({})", v.text, n.model, names(m.fit_bands, "X")));
        if (n.output == "engagement_grade" && !has_band(m.engagement_bands, v.text))
            issue(v.pos, fmt::format("'{}' is not an engagement band of '{}' ({})", v.text, n.model,
                                     names(m.engagement_bands)));
        if (n.output == "trend" && v.text != "rising" && v.text != "steady" && v.text != "falling")
            issue(v.pos, fmt::format("'{}' is not a trend (rising, steady, falling)", v.text));
        if (n.output == "grade") {
            bool found = false;
            for (const auto& e : m.engagement_bands) {
                if (v.text == "X" + e.name) found = true;
                for (const auto& f : m.fit_bands)
                    if (v.text == f.name + e.name) found = true;
            }
            if (!found)
                issue(v.pos, fmt::format("'{}' is not a grade of '{}' (a fit band of {} followed by an engagement "
                                         "band of {})",
                                         v.text, n.model, names(m.fit_bands, "X"), names(m.engagement_bands)));
        }
    }
}

result<void> resolve_scores(DbImpl& db, Node& n) {
    for (auto& k : n.kids) CRM_TRYV(resolve_scores(db, k));
    if (n.type != Node::Type::score) return ok();
    auto info = latest(db, n.model);
    if (!info) return make_error(errc::not_found, fmt::format("no scoring model named '{}'", n.model), "model");
    n.model_id = info->id;
    n.ranges.clear();
    for (const auto& v : n.values) {
        if (n.output == "fit_grade") {
            if (v.text == "X") n.ranges.push_back(Node::Range{INT64_MIN, INT64_MAX, 1});
            else band_ranges(info->model->fit_bands, v.text, 0, n.ranges);
        } else if (n.output == "engagement_grade") {
            band_ranges(info->model->engagement_bands, v.text, -1, n.ranges);
        }
    }
    return ok();
}

bool score_matches(const Node& n, const scoring::ScoreAt& s) {
    if (score_number_output(n.output)) {
        const std::int64_t x = n.output == "fit" ? s.score.fit : n.output == "engagement" ? s.score.engagement : s.score.total;
        return compare(n.cmp, x, n.milli);
    }
    const std::string x = n.output == "grade"       ? s.score.grade
                          : n.output == "fit_grade" ? s.fit_band
                          : n.output == "trend"     ? std::string(to_string(s.score.trend))
                                                    : s.engagement_band;
    const bool any = std::any_of(n.values.begin(), n.values.end(), [&](const Value& v) { return v.text == x; });
    return n.op == AttrOp::cmp && n.cmp == Cmp::ne ? !any : any;
}

}  // namespace crm::segments
