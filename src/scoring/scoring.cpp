// Lead scoring's public operations (crm/scoring.hpp): models and their versions,
// scores now and as of a time, explanations, full rescores, the page of top
// contacts and dry runs. The arithmetic is compute.cpp's; the inputs inputs.cpp's.
#include <fmt/format.h>

#include "records/engine.hpp"
#include "scoring/inputs.hpp"

namespace crm {

namespace {
using detail::DbImpl;
using scoring::Prepared;

error no_model(const std::string& name) {
    return make_error(errc::not_found, fmt::format("no scoring model named '{}'", name), "model");
}

ScoringModel model_of(const store::ModelRow& row, const store::VersionRow& v) {
    ScoringModel m;
    m.id = row.id;
    m.name = row.name;
    m.version = v.version;
    m.active = row.active;
    m.latest_version = row.latest_version;
    m.definition = v.definition;
    m.created_at = v.created_at;
    return m;
}

result<store::ModelRow> find_model(DbImpl& db, const std::string& name) {
    auto row = store::model_by_name(db, name);
    if (!row) return no_model(name);
    return *row;
}

// Stores a new version of a parsed model and rescores every contact under it.
result<ScoringModel> store_version(DbImpl& db, const scoring::Model& m, bool create) {
    const Timestamp now = db.now();
    auto row = store::model_by_name(db, m.name);
    if (create && row)
        return make_error(errc::already_exists, fmt::format("a scoring model named '{}' exists: update it", m.name), "name");
    if (!create && !row) return no_model(m.name);
    if (!row) {
        const Id id = store::insert_model(db, m.name, now);
        row = store::ModelRow{id, m.name, true, 0};
    }
    const int version = row->latest_version + 1;
    store::insert_version(db, row->id, version, m.document, now, db.actor);
    store::set_model_state(db, row->id, version, true, now);
    row->latest_version = version;
    row->active = true;
    Prepared p;
    p.add(*row, version, std::make_shared<const scoring::Model>(m));
    records::Write w{db};
    CRM_TRYV(scoring::full_pass(w, p, now));
    return model_of(*row, store::VersionRow{version, m.document, now});
}

// One model version, prepared alone: the latest, or the one current at `as_of`.
result<Prepared> prepare_one(DbImpl& db, const std::string& name, std::optional<Timestamp> as_of) {
    CRM_TRY(auto row, find_model(db, name));
    auto v = as_of ? store::version_at(db, row.id, *as_of) : store::model_version(db, row.id, row.latest_version);
    if (!v)
        return make_error(errc::not_found,
                          fmt::format("scoring model '{}' had no version at {}", name, format_iso8601(as_of.value_or(0))),
                          "as_of");
    auto m = scoring::parsed(db, v->definition);
    if (!m) return make_error(errc::corrupt, fmt::format("scoring model '{}' version {} cannot be read", name, v->version));
    Prepared p;
    p.add(row, v->version, std::move(m));
    return p;
}

result<Explanation> explain_at(DbImpl& db, Id contact, const std::string& name, std::optional<Timestamp> as_of) {
    if (as_of)
        if (auto t = records::check_time("as_of", *as_of); !t) return t.error();
    CRM_TRY(Prepared p, prepare_one(db, name, as_of));
    CRM_TRY(auto in, scoring::read_inputs(db, p, contact, as_of));
    const auto& e = p.models.front();
    auto x = scoring::compute(*e.model, in.fit.front(), in.rows, &e.imap, as_of.value_or(db.now()), true);
    x.score.contact_id = contact;
    x.score.model = e.row.name;
    x.score.version = e.version;
    return x;
}

result<TopQuery> check_top(const TopQuery& q) {
    if (q.limit < 1 || q.limit > 1000) return invalid("limit", "must be between 1 and 1000");
    return q;
}
}  // namespace

namespace scoring {
result<ScorerAt> scorer_at(DbImpl& db, const std::string& model, Timestamp as_of) {
    CRM_TRYV(records::check_time("as_of", as_of));
    CRM_TRY(auto row, find_model(db, model));
    auto v = store::version_at(db, row.id, as_of);
    if (!v) return ScorerAt([](Id) -> result<std::optional<ScoreAt>> { return std::optional<ScoreAt>{}; });
    CRM_TRY(Prepared p, prepare_one(db, model, as_of));
    auto shared = std::make_shared<Prepared>(std::move(p));
    return ScorerAt([&db, shared, as_of](Id contact) -> result<std::optional<ScoreAt>> {
        auto in = scoring::read_inputs(db, *shared, contact, as_of);
        if (!in) {
            if (in.error().code == errc::not_found) return std::optional<ScoreAt>{};
            return in.error();
        }
        const auto& e = shared->models.front();
        auto x = scoring::compute(*e.model, in.value().fit.front(), in.value().rows, &e.imap, as_of, false);
        ScoreAt out;
        out.score = std::move(x.score);
        out.score.contact_id = contact;
        out.score.model = e.row.name;
        out.score.version = e.version;
        out.fit_band = out.score.disqualified ? std::string("X") : band_of(e.model->fit_bands, out.score.fit);
        out.engagement_band = band_of(e.model->engagement_bands, out.score.engagement);
        return std::optional<ScoreAt>(std::move(out));
    });
}
}  // namespace scoring

const char* to_string(Trend t) noexcept {
    switch (t) {
        case Trend::rising: return "rising";
        case Trend::falling: return "falling";
        default: return "steady";
    }
}

Scoring Db::scoring() noexcept { return Scoring(impl_.get()); }

result<ScoringModel> Scoring::define(std::string_view definition) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<ScoringModel> {
        CRM_TRY(auto m, scoring::parse(*db_, definition));
        return store_version(*db_, m, true);
    });
}

result<ScoringModel> Scoring::update(std::string_view definition) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<ScoringModel> {
        CRM_TRY(auto m, scoring::parse(*db_, definition));
        return store_version(*db_, m, false);
    });
}

result<ScoringModel> Scoring::get(const std::string& model, int version) noexcept {
    if (!db_) return records::closed();
    if (version < 0) return invalid("version", "must be 0 (the latest) or a version number");
    return db_->read([&]() -> result<ScoringModel> {
        CRM_TRY(auto row, find_model(*db_, model));
        auto v = store::model_version(*db_, row.id, version == 0 ? row.latest_version : version);
        if (!v)
            return make_error(errc::not_found, fmt::format("scoring model '{}' has no version {}", model, version), "version");
        return model_of(row, *v);
    });
}

result<std::vector<ScoringModel>> Scoring::list(bool include_inactive) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<ScoringModel>> {
        std::vector<ScoringModel> out;
        for (const auto& row : store::models(*db_, !include_inactive))
            if (auto v = store::model_version(*db_, row.id, row.latest_version)) out.push_back(model_of(row, *v));
        return out;
    });
}

result<std::vector<ScoringModel>> Scoring::versions(const std::string& model) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<ScoringModel>> {
        CRM_TRY(auto row, find_model(*db_, model));
        std::vector<ScoringModel> out;
        for (const auto& v : store::versions(*db_, row.id)) out.push_back(model_of(row, v));
        return out;
    });
}

result<void> Scoring::deactivate(const std::string& model) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        CRM_TRY(auto row, find_model(*db_, model));
        store::set_model_state(*db_, row.id, row.latest_version, false, db_->now());
        store::delete_scores(*db_, row.id);
        return ok();
    });
}

result<Score> Scoring::score(Id contact_id, const std::string& model, std::optional<Timestamp> as_of) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Score> {
        CRM_TRY(auto x, explain_at(*db_, contact_id, model, as_of));
        return x.score;
    });
}

result<Explanation> Scoring::explain(Id contact_id, const std::string& model, std::optional<Timestamp> as_of) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Explanation> { return explain_at(*db_, contact_id, model, as_of); });
}

result<Score> Scoring::stored(Id contact_id, const std::string& model) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Score> {
        CRM_TRY(auto row, find_model(*db_, model));
        auto s = store::load_score(*db_, row.id, contact_id);
        if (!s)
            return make_error(errc::not_found,
                              fmt::format("no stored score for contact {} under '{}'", contact_id, model), "contact_id");
        s->model = row.name;
        return *s;
    });
}

result<std::int64_t> Scoring::rescore(const std::string& model) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<std::int64_t> {
        Prepared p;
        if (model.empty()) {
            p = scoring::prepare_active(*db_);
        } else {
            CRM_TRY(p, prepare_one(*db_, model, std::nullopt));
            if (!p.models.front().row.active)
                return invalid("model", fmt::format("scoring model '{}' is not active: update it to bring it back", model));
        }
        records::Write w{*db_};
        return scoring::full_pass(w, p, db_->now());
    });
}

result<Page<Score>> Scoring::top(const std::string& model, const TopQuery& q) noexcept {
    if (!db_) return records::closed();
    CRM_TRYV(check_top(q));
    std::optional<store::TopKey> after;
    if (!q.after.empty()) {
        store::TopKey k;
        const auto colon = q.after.find(':');
        try {
            std::size_t n1 = 0, n2 = 0;
            if (colon == std::string::npos) throw std::invalid_argument("no colon");
            k.total = std::stoll(q.after.substr(0, colon), &n1);
            k.contact_id = std::stoll(q.after.substr(colon + 1), &n2);
            if (n1 != colon || n2 != q.after.size() - colon - 1) throw std::invalid_argument("junk");
        } catch (const std::exception&) {
            return invalid("after", "is not a cursor from a previous page");
        }
        after = k;
    }
    return db_->read([&]() -> result<Page<Score>> {
        CRM_TRY(auto row, find_model(*db_, model));
        if (!row.active) return invalid("model", fmt::format("scoring model '{}' is not active", model));
        Page<Score> page;
        page.items = store::top_scores(*db_, row.id, q.limit + 1, after);
        if (page.items.size() > q.limit) {
            page.items.resize(q.limit);
            page.next = fmt::format("{}:{}", page.items.back().total, page.items.back().contact_id);
        }
        for (auto& s : page.items) s.model = row.name;
        return page;
    });
}

result<DryRunResult> Scoring::dry_run(std::string_view definition, const std::vector<std::int64_t>& thresholds,
                                      std::size_t limit) noexcept {
    if (!db_) return records::closed();
    if (thresholds.size() > 20) return invalid("thresholds", "at most 20 thresholds");
    for (auto t : thresholds)
        if (t < -scoring::kMaxLimit || t > scoring::kMaxLimit)
            return invalid("thresholds", fmt::format("{} is out of range (-1000000 … 1000000)", t));
    if (limit < 1 || limit > 100000) return invalid("limit", "must be between 1 and 100000");
    // A read: the pass hands each score to `out` and stores nothing.
    DryRunResult res;
    auto r = db_->read([&]() -> result<void> {
        CRM_TRY(auto m, scoring::parse(*db_, definition));
        res.model = m.name;
        std::unordered_map<Id, std::int64_t> old;
        store::ModelRow row{0, m.name, true, 0};
        if (auto existing = store::model_by_name(*db_, m.name)) {
            row = *existing;
            res.current_version = existing->latest_version;
            for (auto [id, total] : store::stored_totals(*db_, existing->id)) old.emplace(id, total);
        }
        Prepared p;
        p.add(row, row.latest_version + 1, std::make_shared<const scoring::Model>(std::move(m)));
        std::function<void(std::size_t, const Score&)> out = [&](std::size_t, const Score& s) {
            ++res.contacts;
            auto it = old.find(s.contact_id);
            const std::int64_t before = it == old.end() ? 0 : it->second;
            if (before == s.total) return;
            ++res.changed;
            if (res.changes.size() >= limit) {
                res.truncated = true;
                return;
            }
            DryRunChange c{s.contact_id, before, s.total, {}};
            for (auto t : thresholds) {
                const std::int64_t tm = t * scoring::kMilli;
                if (before < tm && s.total >= tm) c.crossed.push_back(fmt::format("up:{}", t));
                if (before >= tm && s.total < tm) c.crossed.push_back(fmt::format("down:{}", t));
            }
            res.changes.push_back(std::move(c));
        };
        records::Write w{*db_};
        CRM_TRYV(scoring::full_pass(w, p, db_->now(), &out));
        return ok();
    });
    if (!r) return r.error();
    return res;
}

}  // namespace crm
