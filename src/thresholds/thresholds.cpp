// Score thresholds with hysteresis (crm/thresholds.hpp): definitions, their evaluation
// in the scoring change hook (inside the write that moved the score), post-commit
// callbacks, forward-only lifecycle moves, lifecycle history and recycling.
#include "crm/thresholds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "json/parse.hpp"
#include "records/codec.hpp"
#include "records/engine.hpp"
#include "scoring/scoring_internal.hpp"
#include "store/scoring_store.hpp"
#include "store/thresholds_store.hpp"
#include "thresholds/thresholds_internal.hpp"
#include "util/text.hpp"

namespace crm {

const char* to_string(ScoreOutput o) noexcept {
    switch (o) {
        case ScoreOutput::total: return "total";
        case ScoreOutput::fit: return "fit";
        case ScoreOutput::engagement: return "engagement";
    }
    return "total";
}

std::optional<ScoreOutput> score_output_from_string(const std::string& s) noexcept {
    if (s == "total") return ScoreOutput::total;
    if (s == "fit") return ScoreOutput::fit;
    if (s == "engagement") return ScoreOutput::engagement;
    return std::nullopt;
}

namespace {
using detail::DbImpl;

constexpr std::int64_t kMaxLevel = 1000000LL * 1000;  // 1,000,000 points in thousandths
constexpr std::size_t kMaxName = 128;
constexpr std::size_t kMaxReason = 1000;
constexpr int kMaxDepth = 8;  // nested stage moves re-entering the hook (each moves a stage forward)

// Rank of a stage on the forward path; -1 for stages off it (recycled, disqualified, …).
int forward_rank(LifecycleStage s) {
    switch (s) {
        case LifecycleStage::subscriber: return 0;
        case LifecycleStage::lead: return 1;
        case LifecycleStage::mql: return 2;
        case LifecycleStage::sql: return 3;
        case LifecycleStage::opportunity: return 4;
        case LifecycleStage::customer: return 5;
        default: return -1;
    }
}

error no_threshold(const std::string& name) {
    return make_error(errc::not_found, fmt::format("no threshold named '{}'", name), "name");
}

thread_local int g_depth = 0;

std::vector<thresholds::CrossingHook>& crossing_hooks() {
    static std::vector<thresholds::CrossingHook> h;
    return h;
}

// Moves the contact forward to `to` if it is on the forward path and behind it.
result<void> move_forward(records::Write& w, Id contact_id, LifecycleStage to) {
    auto old = records::load_full<Contact>(w.db, contact_id);
    if (!old) return ok();  // deleted in this same write
    const int from = forward_rank(old.value().lifecycle_stage);
    if (from < 0 || from >= forward_rank(to)) return ok();
    Contact c = old.value();
    c.lifecycle_stage = to;
    return records::update<Contact>(w, std::move(c), old.value());
}

result<void> on_score_change(records::Write& w, const scoring::ScoreChange& ch) {
    auto& db = w.db;
    auto rows = store::thresholds_of_model(db, ch.model_id);
    if (rows.empty()) return ok();
    if (g_depth >= kMaxDepth)
        return make_error(errc::constraint_violation, "threshold lifecycle moves nested too deeply", "stage");
    ++g_depth;
    struct Leave {
        ~Leave() { --g_depth; }
    } leave_guard;
    for (auto& r : rows) {
        const auto& d = r.def;
        const std::int64_t v = d.output == ScoreOutput::fit          ? ch.new_fit
                               : d.output == ScoreOutput::engagement ? ch.new_engagement
                                                                     : ch.new_total;
        auto st = store::threshold_state(db, d.id, ch.contact_id);
        const bool inside = st && st->inside;
        const bool enters = !inside && v >= d.enter;
        const bool leaves = inside && v < d.leave;
        if (!enters && !leaves) continue;
        Crossing c;
        c.threshold = d.name;
        c.threshold_id = d.id;
        c.contact_id = ch.contact_id;
        c.entered = enters;
        c.score = v;
        c.at = ch.at;
        // State first: a stage move below re-enters this hook and must see it inside.
        store::set_threshold_state(db, d.id, ch.contact_id, enters, ch.at);
        c.id = store::insert_crossing(db, c);
        store::WriteScope::after_commit(db, [&db, c] {
            const auto fns = db.on_cross;  // a callback may register another
            for (const auto& fn : fns) {
                try {
                    fn(c);
                } catch (...) {
                }
            }
        });
        if (enters && d.stage) CRM_TRYV(move_forward(w, ch.contact_id, *d.stage));
        for (auto h : crossing_hooks()) CRM_TRYV(h(w, c));
    }
    return ok();
}

result<void> check_def(const ThresholdDef& d) {
    if (d.name.empty() || d.name.size() > kMaxName || !text::valid_utf8(d.name))
        return invalid("name", "a threshold name must be 1 to 128 bytes of UTF-8");
    if (d.model.empty()) return invalid("model", "a scoring model must be named");
    if (d.enter < -kMaxLevel || d.enter > kMaxLevel)
        return invalid("enter", "enter must be within -1,000,000 to 1,000,000 points");
    if (d.leave < -kMaxLevel || d.leave > kMaxLevel)
        return invalid("leave", "leave must be within -1,000,000 to 1,000,000 points");
    if (d.leave >= d.enter) return invalid("leave", "leave must be lower than enter (the hysteresis band)");
    if (d.output != ScoreOutput::total && d.output != ScoreOutput::fit && d.output != ScoreOutput::engagement)
        return invalid("output", "output must be total, fit or engagement");
    if (d.stage && forward_rank(*d.stage) < 0)
        return invalid("stage", "a threshold can only move contacts to subscriber, lead, mql, sql, opportunity or customer");
    return ok();
}

// "\"mql\"" → mql.
std::optional<LifecycleStage> stage_of_json(const std::string& text) {
    auto j = json::parse_text(text, "history value");
    if (!j || !j.value().is_string()) return std::nullopt;
    return lifecycle_stage_from_string(j.value().get<std::string>());
}

}  // namespace

namespace thresholds {
void add_crossing_hook(CrossingHook hook) {
    auto& h = crossing_hooks();
    if (std::find(h.begin(), h.end(), hook) == h.end()) h.push_back(hook);
}

void install() noexcept {
    static std::once_flag once;
    std::call_once(once, [] { scoring::add_change_hook(&on_score_change); });
}
}  // namespace thresholds

Thresholds Db::thresholds() noexcept { return Thresholds(impl_.get()); }

result<ThresholdDef> Thresholds::define(const ThresholdDef& def) noexcept {
    if (!db_) return records::closed();
    CRM_TRYV(check_def(def));
    return db_->write([&]() -> result<ThresholdDef> {
        auto model = store::model_by_name(*db_, def.model);
        if (!model) return make_error(errc::not_found, fmt::format("no scoring model named '{}'", def.model), "model");
        if (store::threshold_by_name(*db_, def.name))
            return make_error(errc::already_exists, fmt::format("a threshold named '{}' exists", def.name), "name");
        ThresholdDef d = def;
        d.created_at = db_->now();
        d.id = store::insert_threshold(*db_, d, model->id);
        return d;
    });
}

result<std::vector<ThresholdDef>> Thresholds::list() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<ThresholdDef>> {
        std::vector<ThresholdDef> out;
        for (auto& r : store::thresholds_all(*db_)) out.push_back(std::move(r.def));
        return out;
    });
}

result<ThresholdDef> Thresholds::get(const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<ThresholdDef> {
        auto r = store::threshold_by_name(*db_, name);
        if (!r) return no_threshold(name);
        return r->def;
    });
}

result<void> Thresholds::remove(const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        auto r = store::threshold_by_name(*db_, name);
        if (!r) return no_threshold(name);
        store::delete_threshold(*db_, r->def.id);
        return ok();
    });
}

result<ThresholdState> Thresholds::state(const std::string& name, Id contact_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<ThresholdState> {
        auto r = store::threshold_by_name(*db_, name);
        if (!r) return no_threshold(name);
        if (!records::load_full<Contact>(*db_, contact_id)) return records::not_found<Contact>(contact_id);
        auto st = store::threshold_state(*db_, r->def.id, contact_id);
        return st ? *st : ThresholdState{contact_id, false, 0};
    });
}

result<std::vector<ThresholdState>> Thresholds::inside(const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<ThresholdState>> {
        auto r = store::threshold_by_name(*db_, name);
        if (!r) return no_threshold(name);
        return store::threshold_inside(*db_, r->def.id);
    });
}

result<std::vector<Crossing>> Thresholds::crossings(const std::string& name, Id contact_id) noexcept {
    if (!db_) return records::closed();
    if (contact_id < 0) return invalid("contact_id", "a contact id is positive (0 = every contact)");
    return db_->read([&]() -> result<std::vector<Crossing>> {
        auto r = store::threshold_by_name(*db_, name);
        if (!r) return no_threshold(name);
        return store::crossings(*db_, r->def.id, r->def.name, contact_id);
    });
}

void Thresholds::on_cross(std::function<void(const Crossing&)> fn) noexcept {
    if (!db_ || !fn) return;
    try {
        db_->on_cross.push_back(std::move(fn));
    } catch (...) {
    }
}

result<std::vector<LifecycleChange>> Thresholds::lifecycle_history(Id contact_id) noexcept {
    if (!db_) return records::closed();
    CRM_TRY(auto all, Contacts(db_).history(contact_id));
    std::vector<LifecycleChange> out;
    for (auto& c : all) {
        if (c.op == ChangeOp::create) {
            auto snap = records::from_text<Contact>(c.new_value);
            if (!snap) continue;
            out.push_back(LifecycleChange{c.at, std::nullopt, snap.value().lifecycle_stage, c.actor_id, {}});
        } else if (c.op == ChangeOp::update && c.field == "lifecycle_stage") {
            auto to = stage_of_json(c.new_value);
            if (!to) continue;
            out.push_back(LifecycleChange{c.at, stage_of_json(c.old_value), *to, c.actor_id, {}});
        } else if (c.op == ChangeOp::update && c.field == "lifecycle_reason" && !out.empty()) {
            auto j = json::parse_text(c.new_value, "history value");
            if (j && j.value().is_string()) out.back().reason = j.value().get<std::string>();
        }
    }
    return out;
}

result<void> Thresholds::recycle(Id contact_id, const std::string& reason) noexcept {
    if (!db_) return records::closed();
    if (reason.empty() || reason.size() > kMaxReason || !text::valid_utf8(reason))
        return invalid("reason", "a reason must be 1 to 1000 bytes of UTF-8");
    return db_->write([&]() -> result<void> {
        CRM_TRY(Contact old, records::load_full<Contact>(*db_, contact_id));
        if (old.lifecycle_stage == LifecycleStage::recycled)
            return make_error(errc::invalid_argument, fmt::format("contact {} is already recycled", contact_id),
                              "lifecycle_stage");
        Contact c = old;
        c.lifecycle_stage = LifecycleStage::recycled;
        records::Write w{*db_};
        CRM_TRYV(records::update<Contact>(w, std::move(c), old));
        records::append(*db_, Entity::contact, contact_id, db_->now(), ChangeOp::update, "lifecycle_reason", "null",
                        records::value_text(FieldValue(reason)));
        return ok();
    });
}

}  // namespace crm
