// Predictive scoring (crm/predictive.hpp) against a known answer: contacts generated
// from a logistic model whose coefficients the test sets; the fit must find the
// signs and the ranking, a hold-out AUC close to the true model's on the same
// hold-out, bit-identical coefficients when trained twice, no weight on features
// that appear only after the outcome; factors that add up; refusals that store nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "helpers.hpp"
#include "predictive/logistic.hpp"

using namespace crm;

namespace {

constexpr double kIntercept = -0.5;
constexpr double kBudget = 0.012;    // per unit of custom.budget (≈ 100 per standard deviation)
constexpr double kBucho = 0.8;       // title 部長
constexpr double kTanto = -0.8;      // title 担当 (課長: 0)
constexpr double kVisits = 0.9;      // per unit of log1p(web visits in the window)
constexpr std::uint64_t kSeed = 7;
constexpr double kHoldout = 0.25;

struct Truth {
    Id id = 0;
    double eta = 0;
    bool positive = false;
};

const char* kTitles[] = {"部長", "課長", "担当"};

std::string definition(const std::string& name = "受注予測") {
    return R"({"name":")" + name + R"(","outcome":{"type":"converted","stage":"customer"},
      "features":[{"field":"custom.budget"},{"field":"title","max_levels":5},
                  {"id":"visits","kind":"web_visit","when":{"field":"url","op":"contains","value":"/product"},"window_days":365},
                  {"field":"custom.newsletter"},
                  {"field":"custom.contract","transform":"present"},
                  {"id":"meetings","kind":"meeting","window_days":365}],
      "holdout":0.25,"seed":7,"l2":1.0})";
}

// 3,000 contacts drawn from the true model: budget ~ N(0, 100), a title, 0–6 visits
// to a product page (plus 0–3 to the careers page, which no feature counts), a
// noise flag; converted (lifecycle → customer) with probability sigmoid(η). After
// converting, each customer gets a contract number and a meeting: leakage bait.
struct World {
    testing::TempDir dir;
    testing::FakeClock clock;
    Db db;
    std::vector<Truth> truth;
    explicit World(int n = 3000) : db(Db::open(dir.file("p.crm")).value()) {
        clock.install(db);
        for (auto [name, type] : {std::pair{"budget", FieldType::integer}, std::pair{"newsletter", FieldType::boolean},
                                  std::pair{"contract", FieldType::text}}) {
            CustomFieldDef d;
            d.entity = Entity::contact;
            d.name = name;
            d.type = type;
            db.custom_fields().define(d).value();
        }
        std::mt19937_64 rng(20261130);
        std::normal_distribution<double> normal(0.0, 100.0);
        std::uniform_int_distribution<int> title(0, 2), visits(0, 6), noise(0, 3), coin(0, 1);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        const Timestamp t0 = *clock.now;
        {
            auto tx = db.begin().value();
            for (int i = 0; i < n; ++i) {
                Contact c = testing::contact(fmt_name(i));
                c.lifecycle_stage = LifecycleStage::lead;
                const auto budget = static_cast<std::int64_t>(std::llround(normal(rng)));
                const int ti = title(rng);
                c.title = kTitles[ti];
                c.custom["budget"] = budget;
                c.custom["newsletter"] = coin(rng) == 1;
                const Id id = db.contacts().create(c).value();
                const int k = visits(rng);
                for (int v = 0; v < k; ++v) log(id, "web_visit", "https://example.jp/product/" + std::to_string(v), t0 - (v + 1) * 86400000LL);
                for (int v = noise(rng); v > 0; --v) log(id, "web_visit", "https://example.jp/careers", t0 - v * 3600000LL);
                const double eta = kIntercept + kBudget * static_cast<double>(budget) + (ti == 0 ? kBucho : ti == 2 ? kTanto : 0.0) +
                                   kVisits * std::log1p(static_cast<double>(k));
                truth.push_back(Truth{id, eta, u(rng) < predictive::sigmoid(eta)});
            }
            tx.commit().value();
        }
        clock.advance(86400000);  // a day later: the conversions
        {
            auto tx = db.begin().value();
            for (const auto& t : truth) {
                if (!t.positive) continue;
                clock.advance(1000);
                Contact c = db.contacts().get(t.id).value();
                c.lifecycle_stage = LifecycleStage::customer;
                db.contacts().update(c).value();
            }
            tx.commit().value();
        }
        clock.advance(3600000);  // after converting: a contract and a meeting (must get no weight)
        {
            auto tx = db.begin().value();
            for (const auto& t : truth) {
                if (!t.positive) continue;
                Contact c = db.contacts().get(t.id).value();
                c.custom["contract"] = std::string("C-") + std::to_string(t.id);
                db.contacts().update(c).value();
                log(t.id, "meeting", "", *clock.now);
            }
            tx.commit().value();
        }
        clock.advance(86400000);
    }
    static std::string fmt_name(int i) { return "顧客 " + std::to_string(i); }
    void log(Id contact, const std::string& kind, const std::string& url, Timestamp at) {
        Interaction x;
        x.kind = kind;
        x.occurred_at = at;
        x.url = url;
        x.subject = kind;
        x.contact_ids = {contact};
        db.interactions().create(x).value();
    }
    const PredictiveCoefficient& column(const PredictiveModel& m, const std::string& name) {
        for (const auto& c : m.report.coefficients)
            if (c.name == name) return c;
        FAIL("no column " << name);
        return m.report.coefficients.front();
    }
};

World& world() {
    static World w;
    return w;
}

const PredictiveModel& trained() {
    static PredictiveModel m = world().db.predictive().train(definition()).value();
    return m;
}

}  // namespace

TEST_CASE("predictive: the fit finds the true model's signs, sizes and ranking", "[predictive]") {
    auto& w = world();
    const auto& m = trained();
    const auto& r = m.report;
    INFO(to_json(r));
    CHECK(m.version == 1);
    CHECK(r.contacts == 3000);
    CHECK(r.excluded == 0);
    CHECK(r.train_rows + r.holdout_rows == 3000);
    CHECK(r.converged);
    // The split is the hash of (id, seed): the hold-out is exactly those contacts.
    std::int64_t holdout = 0, positives = 0;
    for (const auto& t : w.truth) {
        holdout += predictive::in_holdout(t.id, kSeed, kHoldout) ? 1 : 0;
        positives += t.positive ? 1 : 0;
    }
    CHECK(r.holdout_rows == holdout);
    CHECK(r.train_positives + r.holdout_positives == positives);

    // Fitted weights are per standard deviation; the truth per raw unit: weight = β · sd.
    struct Want {
        const char* column;
        double raw;
    };
    const Want wants[] = {{"custom.budget", kBudget}, {"visits", kVisits}, {"title=部長", kBucho}, {"title=担当", kTanto},
                          {"title=課長", 0.0}, {"custom.newsletter", 0.0}};
    for (const auto& want : wants) {
        const auto& c = w.column(m, want.column);
        const double truth = want.raw * c.sd;
        INFO(want.column << ": fitted " << c.weight << " per sd, true " << truth);
        CHECK_FALSE(c.constant);
        CHECK(std::fabs(c.weight - truth) < 0.2);
        if (want.raw > 0) CHECK(c.weight > 0);
        if (want.raw < 0) CHECK(c.weight < 0);
    }
    // Ranking by size: budget > visits > the titles > noise.
    const double budget = std::fabs(w.column(m, "custom.budget").weight);
    const double visits = std::fabs(w.column(m, "visits").weight);
    const double titles = std::min(std::fabs(w.column(m, "title=部長").weight), std::fabs(w.column(m, "title=担当").weight));
    const double noise = std::fabs(w.column(m, "custom.newsletter").weight);
    CHECK(budget > visits);
    CHECK(visits > titles);
    CHECK(titles > noise);
    // The intercept is the log-odds at the training means: the true η there.
    const double at_mean = kIntercept + kBudget * w.column(m, "custom.budget").mean + kBucho * w.column(m, "title=部長").mean +
                           kTanto * w.column(m, "title=担当").mean + kVisits * w.column(m, "visits").mean;
    INFO("intercept " << r.intercept << ", true η at the means " << at_mean);
    CHECK(std::fabs(r.intercept - at_mean) < 0.2);
}

TEST_CASE("predictive: hold-out AUC is close to the true model's AUC on the same hold-out", "[predictive]") {
    auto& w = world();
    const auto& r = trained().report;
    std::vector<double> eta;
    std::vector<std::uint8_t> y;
    for (const auto& t : w.truth)
        if (predictive::in_holdout(t.id, kSeed, kHoldout)) {
            eta.push_back(t.eta);
            y.push_back(t.positive ? 1 : 0);
        }
    const double true_auc = predictive::auc(eta, y);
    INFO("fitted " << r.auc_holdout << ", true " << true_auc);
    CHECK(true_auc > 0.75);  // the generated data carry signal
    CHECK(std::fabs(r.auc_holdout - true_auc) < 0.02);
    CHECK(r.log_loss_holdout > 0);
    CHECK(r.log_loss_holdout < std::log(2.0));
}

TEST_CASE("predictive: training twice gives bit-identical coefficients", "[predictive]") {
    auto& w = world();
    const auto& a = trained();
    auto b = w.db.predictive().train(definition()).value();
    CHECK(b.version == a.version + 1);
    REQUIRE(a.report.coefficients.size() == b.report.coefficients.size());
    CHECK(std::memcmp(&a.report.intercept, &b.report.intercept, sizeof(double)) == 0);
    for (std::size_t i = 0; i < a.report.coefficients.size(); ++i) {
        const auto& x = a.report.coefficients[i];
        const auto& z = b.report.coefficients[i];
        CHECK(x.name == z.name);
        CHECK(std::memcmp(&x.weight, &z.weight, sizeof(double)) == 0);
        CHECK(std::memcmp(&x.mean, &z.mean, sizeof(double)) == 0);
        CHECK(std::memcmp(&x.sd, &z.sd, sizeof(double)) == 0);
    }
    CHECK(a.report.auc_holdout == b.report.auc_holdout);
    // What get() reads back from the database is the same to the bit.
    auto stored = w.db.predictive().get("受注予測", 1).value();
    for (std::size_t i = 0; i < a.report.coefficients.size(); ++i)
        CHECK(std::memcmp(&stored.report.coefficients[i].weight, &a.report.coefficients[i].weight, sizeof(double)) == 0);
    CHECK(w.db.predictive().versions("受注予測").value().size() == 2);
}

TEST_CASE("predictive: features that appear only after the outcome get no weight", "[predictive]") {
    auto& w = world();
    const auto& m = trained();
    // Every customer has a contract number and a meeting *now*, yet as of just before
    // converting neither existed: the columns are constant in training.
    for (const char* name : {"custom.contract:present", "meetings"}) {
        const auto& c = w.column(m, name);
        INFO(name);
        CHECK(c.constant);
        CHECK(c.weight == 0.0);
    }
    // Now they are there: a prediction ignores them (constant columns take no part).
    const Id customer = std::find_if(w.truth.begin(), w.truth.end(), [](const Truth& t) { return t.positive; })->id;
    auto p = w.db.predictive().predict(customer, "受注予測", std::nullopt, 1000).value();
    for (const auto& f : p.positive) CHECK((f.name != "meetings" && f.name != "custom.contract:present"));
    for (const auto& f : p.negative) CHECK((f.name != "meetings" && f.name != "custom.contract:present"));
}

TEST_CASE("predictive: factors add up to the log-odds and are ordered", "[predictive]") {
    auto& w = world();
    trained();
    for (std::size_t i = 0; i < 40; ++i) {
        const Id id = w.truth[i * 50].id;
        auto all = w.db.predictive().predict(id, "受注予測", std::nullopt, 1000).value();
        double sum = all.intercept;
        for (const auto& f : all.positive) sum += f.contribution;
        for (const auto& f : all.negative) sum += f.contribution;
        CHECK(std::fabs(sum - all.logit) < 1e-9);
        CHECK(all.probability == predictive::sigmoid(all.logit));
        CHECK(all.score == std::clamp(static_cast<int>(std::lround(99 * all.probability)), 1, 99));
        for (std::size_t k = 0; k < all.positive.size(); ++k) {
            CHECK(all.positive[k].contribution > 0);
            if (k) CHECK(all.positive[k - 1].contribution >= all.positive[k].contribution);
        }
        for (std::size_t k = 0; k < all.negative.size(); ++k) {
            CHECK(all.negative[k].contribution < 0);
            if (k) CHECK(all.negative[k - 1].contribution <= all.negative[k].contribution);
        }
        // The top 2 are the first two of the full lists; values shown are the contact's.
        auto top = w.db.predictive().predict(id, "受注予測", std::nullopt, 2).value();
        CHECK(top.positive.size() == std::min<std::size_t>(2, all.positive.size()));
        for (std::size_t k = 0; k < top.positive.size(); ++k) CHECK(top.positive[k].name == all.positive[k].name);
        for (std::size_t k = 0; k < top.negative.size(); ++k) CHECK(top.negative[k].name == all.negative[k].name);
        const Contact c = w.db.contacts().get(id).value();
        for (const auto& f : all.positive)
            if (f.feature == "title") CHECK(f.value == c.title);
    }
}

TEST_CASE("predictive: stored predictions, hottest first, match predict()", "[predictive]") {
    auto& w = world();
    trained();
    auto pr = w.db.predictive();
    TopQuery q;
    q.limit = 700;
    std::vector<PredictiveScore> seen;
    for (int guard = 0; guard < 10; ++guard) {
        auto page = pr.top("受注予測", q).value();
        seen.insert(seen.end(), page.items.begin(), page.items.end());
        if (page.next.empty()) break;
        q.after = page.next;
    }
    REQUIRE(seen.size() == 3000);
    for (std::size_t i = 1; i < seen.size(); ++i) {
        CHECK(seen[i - 1].probability >= seen[i].probability);
        if (seen[i - 1].probability == seen[i].probability) CHECK(seen[i - 1].contact_id < seen[i].contact_id);
    }
    const auto latest = pr.get("受注予測").value().version;
    for (std::size_t i = 0; i < seen.size(); i += 300) {
        CHECK(seen[i].version == latest);
        auto p = pr.predict(seen[i].contact_id, "受注予測").value();
        CHECK(p.probability == seen[i].probability);
        CHECK(p.score == seen[i].score);
        CHECK(pr.stored(seen[i].contact_id, "受注予測").value().probability == seen[i].probability);
    }
    CHECK(pr.rescore("受注予測").value() == 3000);
    CHECK(pr.top("受注予測", TopQuery{1, "x"}).error().code == errc::invalid_argument);
    CHECK(pr.top("nobody").error().code == errc::not_found);
}

TEST_CASE("predictive: as of a time before converting, the features are those of then", "[predictive]") {
    auto& w = world();
    trained();
    const Truth& t = *std::find_if(w.truth.begin(), w.truth.end(), [](const Truth& x) { return x.positive; });
    // Before anything was logged for it the contact did not exist.
    CHECK(w.db.predictive().predict(t.id, "受注予測", Timestamp{1'600'000'000'000}).error().code == errc::not_found);
    auto then = w.db.predictive().predict(t.id, "受注予測", Timestamp{1'700'000'000'000 + 1000}, 1000).value();
    auto now = w.db.predictive().predict(t.id, "受注予測", std::nullopt, 1000).value();
    CHECK(then.as_of == 1'700'000'000'000 + 1000);
    CHECK(then.probability == now.probability);  // the leakage columns take no part: same features
}

TEST_CASE("predictive: refused definitions and data store nothing", "[predictive]") {
    testing::TempDir dir;
    testing::FakeClock clock;
    const std::string path = dir.file("r.crm");
    auto db = Db::open(path).value();
    clock.install(db);
    for (int i = 0; i < 20; ++i) {
        Contact c = testing::contact("見込み " + std::to_string(i));
        c.title = i % 2 ? "部長" : "担当";
        c.lifecycle_stage = LifecycleStage::lead;
        db.contacts().create(c).value();
    }
    auto refused = [&](const std::string& def, const char* field) {
        const std::string before = testing::dump(path);
        auto r = db.predictive().train(def);
        REQUIRE_FALSE(r);
        INFO(def << " -> " << r.error().message);
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().field == field);
        CHECK(testing::dump(path) == before);
    };
    const std::string ok_features = R"("features":[{"field":"title"}])";
    // No contact converted: no positives.
    refused(R"({"name":"m","outcome":{"type":"converted"},)" + ok_features + "}", "outcome");
    refused(R"({"name":"m","outcome":{"type":"won_deal"},)" + ok_features + "}", "outcome");
    refused(R"({"name":"m","outcome":{"type":"bought"},)" + ok_features + "}", "outcome.type");
    refused(R"({"name":"m","outcome":{"type":"converted","stage":"subscriber"},)" + ok_features + "}", "outcome.stage");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"field":"shoe_size"}]})", "features[0].field");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"field":"title"},{"field":"custom.nope"}]})",
            "features[1].field");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"field":"lifecycle_stage"}]})", "features[0].field");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"field":"birthday"}]})", "features[0].field");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"id":"v","kind":"web_visit","window_days":0}]})",
            "features[0].window_days");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"id":"v","kind":"web_visit"}]})",
            "features[0].window_days");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"id":"v","kind":"web_visit","window_days":9999}]})",
            "features[0].window_days");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"id":"v","kind":"web_visit","window_days":7,
              "when":{"field":"url","op":"sounds_like","value":"x"}}]})", "features[0].when.op");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"field":"title"},{"field":"title"}]})", "features[1]");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[{"field":"title","max_levels":0}]})",
            "features[0].max_levels");
    refused(R"({"name":"m","outcome":{"type":"converted"},"features":[]})", "features");
    refused(R"({"name":"m","outcome":{"type":"converted"},)" + ok_features + R"(,"holdout":0.9})", "holdout");
    refused(R"({"name":"m","outcome":{"type":"converted"},)" + ok_features + R"(,"l2":-1})", "l2");
    refused(R"({"name":"m","outcome":{"type":"converted"},)" + ok_features + R"(,"seed":1.5})", "seed");
    refused(R"({"name":"m","outcome":{"type":"converted"},)" + ok_features + R"(,"colour":"red"})", "colour");
    refused(R"({"name":" m","outcome":{"type":"converted"},)" + ok_features + "}", "name");
    std::string many = R"({"name":"m","outcome":{"type":"converted"},"features":[)";
    for (int i = 0; i < 51; ++i) many += (i ? "," : "") + std::string(R"({"id":"v)") + std::to_string(i) + R"(","kind":"web_visit","window_days":7})";
    refused(many + "]}", "features");
    {
        const std::string before = testing::dump(path);
        CHECK(db.predictive().train("{oops").error().code == errc::invalid_argument);
        CHECK(db.predictive().train(R"({"name":"m","outcome":{"type":"converted"},"features":[{"field":"title"}],"x":1,"x":2})")
                  .error().code == errc::invalid_argument);
        CHECK(testing::dump(path) == before);
    }
    // Converted contacts, but too few rows to train on.
    for (Id id = 1; id <= 10; ++id) {
        clock.advance(1000);
        Contact c = db.contacts().get(id).value();
        c.lifecycle_stage = LifecycleStage::customer;
        db.contacts().update(c).value();
    }
    refused(R"({"name":"m","outcome":{"type":"converted"},)" + ok_features + "}", "contacts");
    CHECK(db.predictive().list().value().empty());
    CHECK(db.predictive().get("m").error().code == errc::not_found);
    CHECK(db.predictive().predict(1, "m").error().code == errc::not_found);
    CHECK(db.predictive().stored(1, "m").error().code == errc::not_found);
    CHECK(db.predictive().rescore("m").error().code == errc::not_found);
}

TEST_CASE("predictive: the arithmetic — AUC with ties, log-loss, hold-out hash", "[predictive]") {
    using predictive::auc;
    CHECK(auc({0.1, 0.2, 0.3, 0.4}, {0, 0, 1, 1}) == 1.0);
    CHECK(auc({0.4, 0.3, 0.2, 0.1}, {0, 0, 1, 1}) == 0.0);
    CHECK(auc({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}) == 0.5);          // all tied: one half each
    CHECK(auc({0.1, 0.5, 0.5, 0.9}, {0, 1, 0, 1}) == 0.875);        // (1 + 1 + 0.5 + 1) / 4 … 3.5/4
    CHECK(auc({0.3}, {1}) == 0.5);                                  // one class only
    CHECK(std::fabs(predictive::log_loss({0.5, 0.5}, {0, 1}) - std::log(2.0)) < 1e-15);
    int in = 0;
    for (Id id = 1; id <= 100000; ++id) in += predictive::in_holdout(id, 1, 0.25) ? 1 : 0;
    CHECK(std::abs(in - 25000) < 600);
    CHECK(predictive::in_holdout(42, 9, 0.3) == predictive::in_holdout(42, 9, 0.3));
}

TEST_CASE("predictive: contacts created with their outcome are left out and counted", "[predictive]") {
    testing::TempDir dir;
    testing::FakeClock clock;
    auto db = Db::open(dir.file("x.crm")).value();
    clock.install(db);
    std::vector<Id> leads;
    for (int i = 0; i < 100; ++i) {
        Contact c = testing::contact("見込み " + std::to_string(i));
        c.title = i % 2 ? "部長" : "担当";
        c.lifecycle_stage = LifecycleStage::lead;
        leads.push_back(db.contacts().create(c).value());
    }
    for (int i = 0; i < 5; ++i) {  // imported as customers: no "before"
        Contact c = testing::contact("既存顧客 " + std::to_string(i));
        c.title = "部長";
        c.lifecycle_stage = LifecycleStage::customer;
        db.contacts().create(c).value();
    }
    for (std::size_t i = 0; i < leads.size(); ++i) {
        if (!((i % 2 == 1 && i % 5 != 0) || (i % 2 == 0 && i % 7 == 0))) continue;
        clock.advance(1000);
        Contact c = db.contacts().get(leads[i]).value();
        c.lifecycle_stage = i % 3 ? LifecycleStage::opportunity : LifecycleStage::customer;  // beyond sql either way
        db.contacts().update(c).value();
    }
    clock.advance(60000);
    auto m = db.predictive().train(R"({"name":"SQL到達","outcome":{"type":"converted","stage":"sql"},
                                       "features":[{"field":"title"}],"seed":5})").value();
    CHECK(m.report.contacts == 105);
    CHECK(m.report.excluded == 5);
    CHECK(m.report.train_rows + m.report.holdout_rows == 100);
    CHECK(m.report.train_positives + m.report.holdout_positives == 48);
    // Reaching opportunity or customer counts as reaching sql (forward order).
    const auto& r = m.report;
    auto weight = [&](const std::string& name) {
        for (const auto& c : r.coefficients)
            if (c.name == name) return c.weight;
        return 0.0;
    };
    CHECK(weight("title=部長") > 0);
    CHECK(weight("title=担当") < 0);
    CHECK(r.auc_holdout > 0.7);
    // Every contact has a stored prediction, the excluded ones too (they are scored now).
    CHECK(db.predictive().top("SQL到達", TopQuery{1000, ""}).value().items.size() == 105);
}
