// The score arithmetic: a pure function of a model, a contact's field values, its
// interactions and the as-of time. Integer thousandths throughout; the one
// non-integer step, the decay factor, is rounded to a whole millionth before use
// (docs/scoring.md, "The fixed-point rule").
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "scoring/model.hpp"
#include "util/text.hpp"

namespace crm::scoring {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool contains_ci(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && lower(hay[i + k]) == lower(needle[k])) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

bool equal_ci(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

// Length of the UTF-8 character starting at s[i] (1 for a stray byte).
std::size_t char_len(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    return std::min(n, s.size() - i);
}

bool eval(const Node& n, const std::vector<Value>& values, const std::vector<int>* imap) {
    switch (n.op) {
        case Op::always: return true;
        case Op::all:
            for (const auto& c : n.children)
                if (!eval(c, values, imap)) return false;
            return true;
        case Op::any:
            for (const auto& c : n.children)
                if (eval(c, values, imap)) return true;
            return false;
        case Op::not_: return !eval(n.children.front(), values, imap);
        default: break;
    }
    const Value& v = values[static_cast<std::size_t>(imap ? (*imap)[static_cast<std::size_t>(n.slot)] : n.slot)];
    if (n.op == Op::exists) return v.set;
    if (!v.set) return false;  // an unset field satisfies no comparison
    switch (n.op) {
        case Op::equals:
        case Op::in:
            if (!n.texts.empty()) return std::find(n.texts.begin(), n.texts.end(), v.s) != n.texts.end();
            if (!n.ints.empty()) return std::find(n.ints.begin(), n.ints.end(), v.i) != n.ints.end();
            return v.b == n.flag;
        case Op::range:
            if (n.smin || n.smax) return (!n.smin || v.s >= *n.smin) && (!n.smax || v.s <= *n.smax);
            return (!n.min || v.i >= *n.min) && (!n.max || v.i <= *n.max);
        case Op::contains:
            if (!n.ints.empty()) return std::find(v.is.begin(), v.is.end(), n.ints[0]) != v.is.end();
            if (n.vk == VK::texts) {
                for (const auto& s : v.ss)
                    if (equal_ci(s, n.texts[0])) return true;
                return false;
            }
            return contains_ci(v.s, n.texts[0]);
        case Op::pattern:
            if (n.vk == VK::texts) {
                for (const auto& s : v.ss)
                    if (glob_match(n.texts[0], s)) return true;
                return false;
            }
            return glob_match(n.texts[0], v.s);
        default: return false;
    }
}

struct Engagement {
    std::int64_t total = 0;
    std::vector<Contribution> parts;
};

Engagement engagement(const Model& m, const std::vector<Row>& rows, const std::vector<int>* imap, Timestamp as_of,
                      bool explain) {
    Engagement out;
    const std::int64_t offset = m.day_offset_minutes * 60000;
    std::vector<const Row*> picked;
    for (const auto& r : m.behaviour) {
        picked.clear();
        // Newest first: caps keep the most recent occurrences.
        for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
            const Row& row = *it;
            if (row.at > as_of) continue;
            if (r.window_ms && row.at <= as_of - r.window_ms) break;
            if (row.kind != r.kind || row.event != r.event) continue;
            if (!eval(r.when, row.values, imap)) continue;
            picked.push_back(&row);
        }
        if (picked.empty()) continue;
        Contribution c;
        c.rule = r.id;
        c.part = "behaviour";
        std::map<std::int64_t, std::int64_t> per_day;
        std::int64_t counted = 0, sum = 0;
        for (const Row* row : picked) {
            Occurrence o;
            o.interaction_id = row->interaction_id;
            o.event = row->event;
            o.at = row->at;
            o.raw = r.points;
            const std::int64_t t = row->at + offset;
            const std::int64_t day = t >= 0 ? t / kDayMs : -((-t + kDayMs - 1) / kDayMs);
            if (r.cap_total && counted >= r.cap_total) {
                o.skipped = "cap_total";
            } else if (r.cap_per_day && per_day[day] >= r.cap_per_day) {
                o.skipped = "cap_per_day";
            } else {
                ++counted;
                ++per_day[day];
                o.factor = r.half_life_ms ? decay_factor(as_of - row->at, r.half_life_ms) : kFactorOne;
                o.points = scale(r.points, o.factor);
                sum += o.points;
            }
            if (explain) c.occurrences.push_back(std::move(o));
            else if (r.cap_total && counted >= r.cap_total && !r.cap_per_day) break;
        }
        c.raw = sum;
        c.points = sum;
        if (r.cap_points && (sum > r.cap_points || sum < -r.cap_points)) {
            c.points = sum > 0 ? r.cap_points : -r.cap_points;
            c.cap = "cap_points";
        }
        out.total += c.points;
        if (explain) out.parts.push_back(std::move(c));
    }
    return out;
}

}  // namespace

std::string band_of(const std::vector<Band>& bands, std::int64_t x) {
    for (std::size_t i = 0; i + 1 < bands.size(); ++i)
        if (x >= bands[i].min) return bands[i].name;
    return bands.back().name;
}

// The engagement, total, grade and trend of a score whose fit part is set.
void finish_score(const Model& m, Explanation& e, const std::vector<Row>& rows, const std::vector<int>* imap,
                  Timestamp as_of, bool explain);

bool holds(const Node& n, const std::vector<Value>& values) { return eval(n, values, nullptr); }

std::int64_t scale(std::int64_t raw, std::int64_t factor) noexcept {
    const std::int64_t p = raw * factor;  // |raw| <= 1e6, factor <= 1e6: fits
    const std::int64_t a = p < 0 ? -p : p;
    const std::int64_t q = (a + kFactorOne / 2) / kFactorOne;
    return p < 0 ? -q : q;
}

std::int64_t decay_factor(std::int64_t age_ms, std::int64_t half_life_ms) noexcept {
    if (age_ms <= 0) return kFactorOne;
    if (age_ms / half_life_ms >= 64) return 0;
    const double f = std::exp2(-static_cast<double>(age_ms) / static_cast<double>(half_life_ms));
    return static_cast<std::int64_t>(std::llround(f * static_cast<double>(kFactorOne)));
}

bool glob_match(std::string_view p, std::string_view s) noexcept {
    // The classic two-pointer algorithm: on a mismatch, go back to just after the
    // last '*' and let it swallow one more character. No recursion, no allocation.
    std::size_t pi = 0, si = 0;
    std::size_t star = std::string_view::npos, mark = 0;
    while (si < s.size()) {
        if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (pi < p.size() && p[pi] == '?') {
            ++pi;
            si += char_len(s, si);
        } else if (pi < p.size() && lower(p[pi]) == lower(s[si])) {
            ++pi;
            ++si;
        } else if (star != std::string_view::npos) {
            pi = star + 1;
            mark += char_len(s, mark);
            si = mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*') ++pi;
    return pi == p.size();
}

std::string pattern_problem(std::string_view p) {
    if (p.empty()) return "a pattern may not be empty";
    if (p.size() > kMaxPatternBytes) return fmt::format("a pattern has at most {} bytes", kMaxPatternBytes);
    if (static_cast<std::size_t>(std::count(p.begin(), p.end(), '*')) > kMaxPatternStars)
        return fmt::format("has more than {} '*'", kMaxPatternStars);
    if (!text::valid_utf8(p)) return "a pattern must be UTF-8";
    return {};
}

std::string points_text(std::int64_t milli) {
    const bool neg = milli < 0;
    const std::uint64_t a = neg ? static_cast<std::uint64_t>(-(milli + 1)) + 1 : static_cast<std::uint64_t>(milli);
    return fmt::format("{}{}.{:03}", neg ? "-" : "", a / 1000, a % 1000);
}

Explanation compute(const Model& m, const std::vector<Value>& fit_values, const std::vector<Row>& rows,
                    const std::vector<int>* imap, Timestamp as_of, bool explain) {
    Explanation e;
    Score& s = e.score;
    s.as_of = as_of;
    for (const auto& r : m.fit) {
        if (!eval(r.when, fit_values, nullptr)) continue;
        if (r.gate) s.disqualified = true;
        else s.fit += r.points;
        if (explain) {
            Contribution c;
            c.rule = r.id;
            c.part = r.gate ? "gate" : "fit";
            c.raw = c.points = r.gate ? 0 : r.points;
            e.contributions.push_back(std::move(c));
        }
    }
    finish_score(m, e, rows, imap, as_of, explain);
    return e;
}

void finish_score(const Model& m, Explanation& e, const std::vector<Row>& rows, const std::vector<int>* imap,
                  Timestamp as_of, bool explain) {
    Score& s = e.score;
    auto now = engagement(m, rows, imap, as_of, explain);
    s.engagement = now.total;
    if (explain)
        for (auto& c : now.parts) e.contributions.push_back(std::move(c));
    const std::int64_t then = engagement(m, rows, imap, as_of - m.trend_days * kDayMs, false).total;
    s.trend_delta = s.engagement - then;
    s.trend = s.trend_delta >= m.trend_threshold ? Trend::rising
              : s.trend_delta <= -m.trend_threshold ? Trend::falling
                                                    : Trend::steady;
    const std::int64_t sum = s.fit + s.engagement;
    if (s.disqualified) {
        s.total = m.min_total;
        e.adjustment_reason = "gate";
    } else if (sum < m.min_total) {
        s.total = m.min_total;
        e.adjustment_reason = "clamp_min";
    } else if (sum > m.max_total) {
        s.total = m.max_total;
        e.adjustment_reason = "clamp_max";
    } else {
        s.total = sum;
    }
    e.adjustment = s.total - sum;
    if (e.adjustment == 0) e.adjustment_reason.clear();
    s.grade = (s.disqualified ? std::string("X") : band_of(m.fit_bands, s.fit)) + band_of(m.engagement_bands, s.engagement);
}

Score compute_known_fit(const Model& m, KnownFit fit, const std::vector<Row>& rows, const std::vector<int>* imap,
                        Timestamp as_of) {
    Explanation e;
    e.score.as_of = as_of;
    e.score.fit = fit.fit;
    e.score.disqualified = fit.disqualified;
    finish_score(m, e, rows, imap, as_of, false);
    return std::move(e.score);
}

}  // namespace crm::scoring
