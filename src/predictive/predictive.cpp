// Predictive scoring's public operations (crm/predictive.hpp): training (outcomes,
// the cut-off time of each contact, columns, standardisation, the fit, the report),
// stored versions, predictions now or as of a time, stored batch predictions and
// their "hottest" pages. The arithmetic is logistic.cpp's; features features.cpp's.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "json/parse.hpp"
#include "predictive/logistic.hpp"
#include "predictive/predictive_internal.hpp"
#include "records/engine.hpp"
#include "store/predictive_store.hpp"

namespace crm {

namespace {
using detail::DbImpl;
using predictive::Definition;
using predictive::Kind;
using predictive::Observed;

error no_model(const std::string& name) {
    return make_error(errc::not_found, fmt::format("no predictive model named '{}'", name), "model");
}

// A stored version, ready to predict with.
struct Loaded {
    store::PredictiveRow row;
    store::PredictiveVersionRow version;
    Definition def;
    TrainingReport report;
    scoring::Prepared prep;
};

scoring::Prepared prepare(const Definition& d, int version) {
    scoring::Prepared p;
    p.add(store::ModelRow{0, d.name, true, 0}, version, d.shadow);
    return p;
}

result<Loaded> load(DbImpl& db, const std::string& name, int version) {
    auto row = store::predictive_by_name(db, name);
    if (!row) return no_model(name);
    auto v = store::predictive_version(db, row->id, version == 0 ? row->latest_version : version);
    if (!v) return make_error(errc::not_found, fmt::format("predictive model '{}' has no version {}", name, version), "version");
    auto def = predictive::parse_definition(db, v->definition);
    if (!def)
        return make_error(errc::corrupt, fmt::format("predictive model '{}' version {} cannot be read: {}", name,
                                                     v->version, def.error().message), "model");
    CRM_TRY(auto report, predictive::report_from_json(v->report));
    Loaded l{*row, *v, std::move(def).value(), std::move(report), {}};
    l.prep = prepare(l.def, v->version);
    return l;
}

PredictiveModel model_of(const store::PredictiveRow& row, const store::PredictiveVersionRow& v, TrainingReport r) {
    PredictiveModel m;
    m.id = row.id;
    m.name = row.name;
    m.version = v.version;
    m.latest_version = row.latest_version;
    m.definition = v.definition;
    m.report = std::move(r);
    m.created_at = v.created_at;
    return m;
}

std::vector<Id> all_contacts(DbImpl& db) {
    std::vector<Id> ids;
    Id last = 0;
    for (;;) {
        auto batch = store::contact_ids_after(db, last, 4096);
        if (batch.empty()) break;
        last = batch.back();
        ids.insert(ids.end(), batch.begin(), batch.end());
    }
    return ids;
}

// The forward order of the lifecycle; -1 for stages off it.
int stage_rank(LifecycleStage s) {
    switch (s) {
        case LifecycleStage::subscriber: return 0;
        case LifecycleStage::lead: return 1;
        case LifecycleStage::mql: return 2;
        case LifecycleStage::sql: return 3;
        case LifecycleStage::opportunity: return 4;
        case LifecycleStage::customer: return 5;
        case LifecycleStage::evangelist: return 6;
        default: return -1;
    }
}

std::optional<LifecycleStage> stage_in(const nlohmann::json& v) {
    if (!v.is_string()) return std::nullopt;
    return lifecycle_stage_from_string(v.get<std::string>());
}

struct Outcome {
    Timestamp at = 0;
    bool at_creation = false;  // the contact was created with the outcome: no "before"
};

// The outcome of each positive contact: the first time its lifecycle stage reached the
// target (or beyond, forward order) in its history; or the earliest close of a won deal.
std::map<Id, Outcome> outcomes(DbImpl& db, const Definition& d, const std::vector<Id>& ids) {
    std::map<Id, Outcome> out;
    if (d.won_deal) {
        for (auto [id, at] : store::won_deal_times(db)) out[id] = Outcome{at, false};
        return out;
    }
    const int target = stage_rank(d.stage);
    for (Id id : ids) {
        for (const auto& c : store::changes_for(db, Entity::contact, id)) {
            std::optional<LifecycleStage> to;
            if (c.op == ChangeOp::create) {
                auto j = json::parse_text(c.new_value, "history");
                if (j && j.value().is_object() && j.value().contains("lifecycle_stage")) to = stage_in(j.value().at("lifecycle_stage"));
            } else if (c.op == ChangeOp::update && c.field == "lifecycle_stage") {
                auto j = json::parse_text(c.new_value, "history");
                if (j) to = stage_in(j.value());
            }
            if (to && stage_rank(*to) >= target) {
                out[id] = Outcome{c.at, c.op == ChangeOp::create};
                break;
            }
        }
    }
    return out;
}

struct TrainRow {
    Id id = 0;
    bool positive = false;
    bool holdout = false;
    Observed obs;
};

// The columns: one per feature, one per level kept for text/enumeration/tags features
// (the max_levels most frequent in the training rows; ties by value).
std::vector<PredictiveCoefficient> columns(const Definition& d, const std::vector<TrainRow>& rows) {
    std::vector<PredictiveCoefficient> cols;
    for (std::size_t i = 0; i < d.features.size(); ++i) {
        const auto& f = d.features[i];
        if (f.kind == Kind::levels) {
            std::map<std::string, std::int64_t> counts;
            for (const auto& r : rows) {
                if (r.holdout) continue;
                std::set<std::string> seen(r.obs[i].texts.begin(), r.obs[i].texts.end());
                for (const auto& t : seen) ++counts[t];
            }
            std::vector<std::pair<std::string, std::int64_t>> levels(counts.begin(), counts.end());
            std::stable_sort(levels.begin(), levels.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
            if (levels.size() > static_cast<std::size_t>(f.max_levels)) levels.resize(static_cast<std::size_t>(f.max_levels));
            for (const auto& [level, n] : levels) cols.push_back(PredictiveCoefficient{f.key + "=" + level, f.key, 0, 0, 0, false});
        } else {
            cols.push_back(PredictiveCoefficient{f.kind == Kind::present ? f.key + ":present" : f.key, f.key, 0, 0, 0, false});
        }
    }
    return cols;
}

// Every contact's prediction now, stored under the version (the old rows replaced).
result<std::int64_t> store_all(DbImpl& db, const Loaded& l, Timestamp now) {
    store::delete_predictions(db, l.row.id);
    std::int64_t n = 0;
    const auto& e = l.prep.models.front();
    for (Id id : all_contacts(db)) {
        auto in = scoring::read_inputs(db, l.prep, id, std::nullopt);
        if (!in) continue;  // gone
        const Observed o = predictive::observe(l.def, e, in.value(), now);
        const Prediction p = predictive::predict(l.def, l.report, o, 0);
        store::upsert_prediction(db, l.row.id, PredictiveScore{id, l.row.name, l.version.version, now, p.probability, p.score});
        ++n;
    }
    return n;
}

result<PredictiveModel> train_in(DbImpl& db, std::string_view text) {
    CRM_TRY(Definition def, predictive::parse_definition(db, text));
    const Timestamp now = db.now();
    const scoring::Prepared prep = prepare(def, 0);
    const auto& entry = prep.models.front();
    const std::vector<Id> ids = all_contacts(db);
    const auto outcome = outcomes(db, def, ids);

    TrainingReport rep;
    rep.trained_at = now;
    rep.contacts = static_cast<std::int64_t>(ids.size());
    std::vector<TrainRow> rows;
    rows.reserve(ids.size());
    for (Id id : ids) {
        TrainRow r;
        r.id = id;
        r.holdout = predictive::in_holdout(id, def.seed, def.holdout);
        std::optional<Timestamp> cut;  // positives: just before the outcome
        if (auto it = outcome.find(id); it != outcome.end()) {
            if (it->second.at_creation) {
                ++rep.excluded;
                continue;
            }
            r.positive = true;
            cut = it->second.at - 1;
        }
        auto in = scoring::read_inputs(db, prep, id, cut);
        if (!in) {
            if (in.error().code == errc::not_found) {  // did not exist before its outcome
                ++rep.excluded;
                continue;
            }
            return in.error();
        }
        r.obs = predictive::observe(def, entry, in.value(), cut.value_or(now));
        rows.push_back(std::move(r));
    }
    for (const auto& r : rows) {
        (r.holdout ? rep.holdout_rows : rep.train_rows) += 1;
        if (r.positive) (r.holdout ? rep.holdout_positives : rep.train_positives) += 1;
    }
    const std::int64_t positives = rep.train_positives + rep.holdout_positives;
    const std::int64_t all = rep.train_rows + rep.holdout_rows;
    const std::string what = def.won_deal ? "a won deal" : fmt::format("reached {}", to_string(def.stage));
    if (positives == 0)
        return invalid("outcome", fmt::format("no contact has the outcome ({} before the training): nothing to learn from", what));
    if (positives == all)
        return invalid("outcome", fmt::format("every contact has the outcome ({}): nothing to learn from", what));
    if (rep.train_rows < predictive::kMinTrainRows)
        return invalid("contacts", fmt::format("{} contacts give {} training rows: at least {} are needed", all,
                                               rep.train_rows, predictive::kMinTrainRows));
    if (rep.train_positives < predictive::kMinClassRows || rep.train_rows - rep.train_positives < predictive::kMinClassRows)
        return invalid("outcome", fmt::format("the training rows hold {} positives and {} negatives: at least {} of each are needed",
                                              rep.train_positives, rep.train_rows - rep.train_positives, predictive::kMinClassRows));
    if (rep.holdout_positives == 0 || rep.holdout_positives == rep.holdout_rows)
        return invalid("holdout", fmt::format("the hold-out ({} rows, {} positives) needs positives and negatives: raise "
                                              "the fraction or change the seed", rep.holdout_rows, rep.holdout_positives));

    auto cols = columns(def, rows);
    if (cols.size() > predictive::kMaxColumns)
        return invalid("features", fmt::format("the features make {} columns (levels included): at most {}", cols.size(),
                                               predictive::kMaxColumns));
    if (static_cast<std::int64_t>(cols.size()) * rep.train_rows > predictive::kMaxCells)
        return invalid("features", fmt::format("{} rows × {} columns is more than {} values", rep.train_rows, cols.size(),
                                               predictive::kMaxCells));
    // Means (a missing number takes the mean of those present) and standard deviations.
    const double n = static_cast<double>(rep.train_rows);
    for (auto& c : cols) {
        const std::size_t fi = *predictive::feature_index(def, c.feature);
        if (def.features[fi].kind == Kind::numeric) {
            double sum = 0, count = 0;
            for (const auto& r : rows)
                if (!r.holdout && r.obs[fi].set) {
                    sum += r.obs[fi].num;
                    count += 1;
                }
            c.mean = count > 0 ? sum / count : 0;
        } else {
            double sum = 0;
            for (const auto& r : rows)
                if (!r.holdout) sum += predictive::column_x(def, c, r.obs);
            c.mean = sum / n;
        }
        double ss = 0;
        for (const auto& r : rows)
            if (!r.holdout) {
                const double dx = predictive::column_x(def, c, r.obs) - c.mean;
                ss += dx * dx;
            }
        c.sd = std::sqrt(ss / n);
        c.constant = !(c.sd > 1e-12 * std::max(1.0, std::fabs(c.mean)));
        if (c.constant) c.sd = 0;
    }
    predictive::Design design;
    std::vector<std::size_t> live;
    for (std::size_t k = 0; k < cols.size(); ++k)
        if (!cols[k].constant) live.push_back(k);
    design.cols = live.size();
    for (const auto& r : rows) {
        if (r.holdout) continue;
        ++design.rows;
        design.y.push_back(r.positive ? 1 : 0);
        for (std::size_t k : live) design.z.push_back((predictive::column_x(def, cols[k], r.obs) - cols[k].mean) / cols[k].sd);
    }
    const auto fit = predictive::fit_logistic(design, {def.l2, def.max_iterations, 1e-9});
    for (std::size_t m = 0; m < live.size(); ++m) cols[live[m]].weight = fit.weights[m];
    rep.intercept = fit.intercept;
    rep.iterations = fit.iterations;
    rep.converged = fit.converged;
    rep.coefficients = std::move(cols);
    {
        std::vector<double> ptr, pho;
        std::vector<std::uint8_t> ytr, yho;
        for (const auto& r : rows) {
            const double p = predictive::predict(def, rep, r.obs, 0).probability;
            (r.holdout ? pho : ptr).push_back(p);
            (r.holdout ? yho : ytr).push_back(r.positive ? 1 : 0);
        }
        rep.auc_train = predictive::auc(ptr, ytr);
        rep.auc_holdout = predictive::auc(pho, yho);
        rep.log_loss_train = predictive::log_loss(ptr, ytr);
        rep.log_loss_holdout = predictive::log_loss(pho, yho);
    }

    // Store the version, then every contact's prediction under it.
    auto row = store::predictive_by_name(db, def.name);
    if (!row) row = store::PredictiveRow{store::insert_predictive(db, def.name, now), def.name, 0};
    const int version = row->latest_version + 1;
    store::PredictiveVersionRow v{version, def.document, to_json(rep), now};
    store::insert_predictive_version(db, row->id, v, db.actor);
    store::set_predictive_latest(db, row->id, version, now);
    row->latest_version = version;
    // Read back what was stored: the stored report is the one every prediction uses.
    CRM_TRY(Loaded l, load(db, def.name, version));
    CRM_TRYV(store_all(db, l, now));
    return model_of(l.row, l.version, std::move(l.report));
}

result<Page<PredictiveScore>> top_in(DbImpl& db, const std::string& name, const TopQuery& q) {
    std::optional<store::RankKey> after;
    if (!q.after.empty()) {
        store::RankKey k;
        const auto colon = q.after.find(':');
        try {
            std::size_t n1 = 0, n2 = 0;
            if (colon == std::string::npos) throw std::invalid_argument("no colon");
            k.rank = std::stoll(q.after.substr(0, colon), &n1);
            k.contact_id = std::stoll(q.after.substr(colon + 1), &n2);
            if (n1 != colon || n2 != q.after.size() - colon - 1) throw std::invalid_argument("junk");
        } catch (const std::exception&) {
            return invalid("after", "is not a cursor from a previous page");
        }
        after = k;
    }
    auto row = store::predictive_by_name(db, name);
    if (!row) return no_model(name);
    Page<PredictiveScore> page;
    page.items = store::top_predictions(db, row->id, q.limit + 1, after);
    if (page.items.size() > q.limit) {
        page.items.resize(q.limit);
        const auto& last = page.items.back();
        page.next = fmt::format("{}:{}", store::prediction_rank(last.probability), last.contact_id);
    }
    for (auto& s : page.items) s.model = row->name;
    return page;
}
}  // namespace

Predictive Db::predictive() noexcept { return Predictive(impl_.get()); }

result<PredictiveModel> Predictive::train(std::string_view definition) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() { return train_in(*db_, definition); });
}

result<PredictiveModel> Predictive::get(const std::string& model, int version) noexcept {
    if (!db_) return records::closed();
    if (version < 0) return invalid("version", "must be 0 (the latest) or a version number");
    return db_->read([&]() -> result<PredictiveModel> {
        CRM_TRY(Loaded l, load(*db_, model, version));
        return model_of(l.row, l.version, std::move(l.report));
    });
}

result<std::vector<PredictiveModel>> Predictive::list() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<PredictiveModel>> {
        std::vector<PredictiveModel> out;
        for (const auto& row : store::predictive_models(*db_)) {
            auto v = store::predictive_version(*db_, row.id, row.latest_version);
            if (!v) continue;
            CRM_TRY(auto rep, predictive::report_from_json(v->report));
            out.push_back(model_of(row, *v, std::move(rep)));
        }
        return out;
    });
}

result<std::vector<PredictiveModel>> Predictive::versions(const std::string& model) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<PredictiveModel>> {
        auto row = store::predictive_by_name(*db_, model);
        if (!row) return no_model(model);
        std::vector<PredictiveModel> out;
        for (const auto& v : store::predictive_versions(*db_, row->id)) {
            CRM_TRY(auto rep, predictive::report_from_json(v.report));
            out.push_back(model_of(*row, v, std::move(rep)));
        }
        return out;
    });
}

result<Prediction> Predictive::predict(Id contact_id, const std::string& model, std::optional<Timestamp> as_of,
                                       std::size_t top_k) noexcept {
    if (!db_) return records::closed();
    if (top_k < 1 || top_k > predictive::kMaxTopK) return invalid("top_k", "must be between 1 and 1000");
    if (as_of)
        if (auto t = records::check_time("as_of", *as_of); !t) return t.error();
    return db_->read([&]() -> result<Prediction> {
        CRM_TRY(Loaded l, load(*db_, model, 0));
        CRM_TRY(auto in, scoring::read_inputs(*db_, l.prep, contact_id, as_of));
        const Timestamp t = as_of.value_or(db_->now());
        Prediction p = predictive::predict(l.def, l.report, predictive::observe(l.def, l.prep.models.front(), in, t), top_k);
        p.contact_id = contact_id;
        p.model = l.row.name;
        p.version = l.version.version;
        p.as_of = t;
        return p;
    });
}

result<PredictiveScore> Predictive::stored(Id contact_id, const std::string& model) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<PredictiveScore> {
        auto row = store::predictive_by_name(*db_, model);
        if (!row) return no_model(model);
        auto s = store::load_prediction(*db_, row->id, contact_id);
        if (!s)
            return make_error(errc::not_found,
                              fmt::format("no stored prediction for contact {} under '{}'", contact_id, model), "contact_id");
        s->model = row->name;
        return *s;
    });
}

result<std::int64_t> Predictive::rescore(const std::string& model) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<std::int64_t> {
        CRM_TRY(Loaded l, load(*db_, model, 0));
        return store_all(*db_, l, db_->now());
    });
}

result<Page<PredictiveScore>> Predictive::top(const std::string& model, const TopQuery& q) noexcept {
    if (!db_) return records::closed();
    if (q.limit < 1 || q.limit > 1000) return invalid("limit", "must be between 1 and 1000");
    return db_->read([&]() { return top_in(*db_, model, q); });
}

}  // namespace crm
