// bench_scoring — lead scoring against a hand-written expert baseline.
//
//   bench_scoring [N]   (default 100,000 contacts; 20 x N interactions)
//
// 1. Full rescore: N contacts (1 account per 100, titles and industries varied) and
//    20 x N interactions (web visits, some to the pricing page, emails, seminar
//    attendance, calls) over the last 120 days, scored under 3 models
//    (Scoring::rescore, stored), vs one hand-written pass: a SQL scan of the same
//    interactions ordered by contact (newest first) with every rule predicate as a
//    SQL CASE bit, and the caps, windows and decay done in one loop over that
//    ordered scan, plus one SQL query for the fit predicates (contacts joined to
//    accounts), the totals written to a table. Target: within 3x. The two must give
//    the same total for every contact and model (exit 1 otherwise).
// 2. Ingest with incremental scoring: 2 x N interactions ingested in batches of
//    10,000 into a database with the 3 models active vs the same into one without
//    models. Target: within 1.5x.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "crm/crm.hpp"

namespace {
using Clock = std::chrono::steady_clock;
double secs(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
constexpr crm::Timestamp kNow = 1'780'000'000'000;  // the benchmark's fixed clock
constexpr crm::Timestamp kDay = 86400000;
constexpr std::size_t kBatch = 10000;

const char* kModels[] = {
    R"({"name":"製品A","limits":{"min":0,"max":100},
        "fit":[{"id":"manager","when":{"field":"title","op":"contains","value":"部長"},"points":20},
               {"id":"maker","when":{"field":"account.industry","op":"in","value":["製造","IT"]},"points":15}],
        "behaviour":[{"id":"pricing","kind":"web_visit","when":{"field":"url","op":"pattern","value":"*/pricing*"},
                      "points":10,"cap_per_day":1,"window_days":30},
                     {"id":"seminar","kind":"event_attendance","points":30,"half_life_days":30}]})",
    R"({"name":"web","limits":{"min":0,"max":100},
        "behaviour":[{"id":"visit","kind":"web_visit","points":1,"cap_total":50,"window_days":90},
                     {"id":"mail","kind":"email","points":2,"half_life_days":14,"cap_per_day":2}]})",
    R"({"name":"seminar","limits":{"min":-20,"max":100},
        "fit":[{"id":"mgr","when":{"field":"title","op":"contains","value":"マネージャー"},"points":10}],
        "behaviour":[{"id":"seminar","kind":"event_attendance","when":{"field":"subject","op":"contains","value":"セミナー"},
                      "points":25,"repeat":false},
                     {"id":"call","kind":"call","points":-3,"window_days":60,"cap_total":3}]})",
};
constexpr int kModelCount = 3;

const char* kTitles[] = {"営業部長", "マネージャー", "担当", "課長", "エンジニア"};
const char* kIndustries[] = {"製造", "IT", "小売", "金融"};

struct World {
    std::vector<crm::Id> contacts;
};

World make_contacts(crm::Db& db, std::size_t n) {
    World w;
    auto txn = db.begin().value();
    std::vector<crm::Id> accounts;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, n / 100); ++i) {
        crm::Account a;
        a.name = "株式会社" + std::to_string(i);
        a.industry = kIndustries[i % 4];
        accounts.push_back(db.accounts().create(a).value());
    }
    for (std::size_t i = 0; i < n; ++i) {
        crm::Contact c;
        c.name = "顧客 " + std::to_string(i);
        c.title = kTitles[i % 5];
        if (i % 7) c.account_id = accounts[i % accounts.size()];
        w.contacts.push_back(db.contacts().create(c).value());
    }
    txn.commit().value();
    return w;
}

crm::Interaction item(const World& w, std::mt19937_64& rng, std::size_t k) {
    crm::Interaction i;
    const auto r = rng() % 100;
    i.kind = r < 60 ? "web_visit" : r < 80 ? "email" : r < 90 ? "event_attendance" : "call";
    i.occurred_at = kNow - static_cast<crm::Timestamp>(rng() % static_cast<std::uint64_t>(120 * kDay));
    i.direction = crm::Direction::inbound;
    i.url = rng() % 3 == 0 ? "https://example.jp/pricing/plan" : "https://example.jp/products/" + std::to_string(k % 50);
    i.subject = rng() % 2 ? "6月セミナー" : "製品説明会";
    i.contact_ids = {w.contacts[static_cast<std::size_t>(rng() % w.contacts.size())]};
    return i;
}

void ingest_all(crm::Db& db, const World& w, std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<crm::Interaction> batch;
    for (std::size_t k = 0; k < count; ++k) {
        batch.push_back(item(w, rng, k));
        if (batch.size() == kBatch || k + 1 == count) {
            db.interactions().ingest(batch).value();
            batch.clear();
        }
    }
}

// ---- the expert baseline ------------------------------------------------------------
void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "sqlite: %s\n", err ? err : "?");
        std::exit(1);
    }
}
sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
        std::exit(1);
    }
    return s;
}

std::int64_t factor(std::int64_t age, std::int64_t hl) {
    if (age <= 0) return 1000000;
    if (age / hl >= 64) return 0;
    return static_cast<std::int64_t>(std::llround(std::exp2(-static_cast<double>(age) / static_cast<double>(hl)) * 1e6));
}
std::int64_t scale(std::int64_t raw, std::int64_t f) {
    const std::int64_t p = raw * f, a = p < 0 ? -p : p, q = (a + 500000) / 1000000;
    return p < 0 ? -q : q;
}
std::int64_t day_of(std::int64_t at) { return (at + 540 * 60000) / kDay; }

// The per-contact state of the one pass (rows arrive newest first).
struct Acc {
    std::int64_t pricing = 0, pricing_last_day = -1;                   // 製品A: 1 per day, 30 days
    std::int64_t seminar_a = 0;                                         // 製品A: decay 30 days
    std::int64_t visits = 0, visit_n = 0;                               // web: cap_total 50, 90 days
    std::int64_t mail = 0, mail_day = -1, mail_day_n = 0;               // web: decay 14 days, 2 per day
    bool seminar_once = false;                                          // seminar: once
    std::int64_t calls = 0, call_n = 0;                                 // seminar: window 60, cap 3
    void add(std::int64_t at, int bits) {
        const std::int64_t age = kNow - at;
        if ((bits & 1) && age < 30 * kDay) {
            const auto d = day_of(at);
            if (d != pricing_last_day) {
                pricing_last_day = d;
                pricing += 10000;
            }
        }
        if (bits & 2) seminar_a += scale(30000, factor(age, 30 * kDay));
        if ((bits & 4) && age < 90 * kDay && visit_n < 50) {
            ++visit_n;
            visits += 1000;
        }
        if (bits & 8) {
            const auto d = day_of(at);
            if (d != mail_day) {
                mail_day = d;
                mail_day_n = 0;
            }
            if (mail_day_n < 2) {
                ++mail_day_n;
                mail += scale(2000, factor(age, 14 * kDay));
            }
        }
        if (bits & 16) seminar_once = true;
        if ((bits & 32) && age < 60 * kDay && call_n < 3) {
            ++call_n;
            calls -= 3000;
        }
    }
};

std::int64_t clamp(std::int64_t v, std::int64_t lo, std::int64_t hi) { return std::min(hi, std::max(lo, v)); }

// Returns the totals (contact, model) -> thousandths, after writing them to a table.
std::map<std::pair<std::int64_t, int>, std::int64_t> baseline(const std::string& path, double& seconds) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    exec(db, "PRAGMA temp_store=MEMORY");
    exec(db, "CREATE TEMP TABLE bl_scores(model INTEGER, contact_id INTEGER, total INTEGER, PRIMARY KEY(model, contact_id)) WITHOUT ROWID");
    const auto t0 = Clock::now();
    exec(db, "BEGIN");
    sqlite3_stmt* fit = prepare(db,
        "SELECT c.id, instr(c.title,'部長')>0, coalesce(a.industry IN ('製造','IT'),0), instr(c.title,'マネージャー')>0 "
        "FROM contacts c LEFT JOIN accounts a ON a.id=c.account_id ORDER BY c.id");
    sqlite3_stmt* scan = prepare(db,
        "SELECT l.record_id, i.occurred_at, "
        " (CASE WHEN i.kind='web_visit' AND instr(lower(i.url),'/pricing')>0 THEN 1 ELSE 0 END)"
        "|(CASE WHEN i.kind='event_attendance' THEN 2 ELSE 0 END)"
        "|(CASE WHEN i.kind='web_visit' THEN 4 ELSE 0 END)"
        "|(CASE WHEN i.kind='email' THEN 8 ELSE 0 END)"
        "|(CASE WHEN i.kind='event_attendance' AND instr(i.subject,'セミナー')>0 THEN 16 ELSE 0 END)"
        "|(CASE WHEN i.kind='call' THEN 32 ELSE 0 END) "
        "FROM interaction_links l JOIN interactions i ON i.id=l.interaction_id "
        "WHERE l.entity='contact' AND i.occurred_at<=?1 ORDER BY l.record_id, i.occurred_at DESC, i.id DESC");
    sqlite3_bind_int64(scan, 1, kNow);
    sqlite3_stmt* ins = prepare(db, "INSERT INTO bl_scores(model, contact_id, total) VALUES(?,?,?)");
    std::map<std::pair<std::int64_t, int>, std::int64_t> out;
    int scan_rc = sqlite3_step(scan);
    while (sqlite3_step(fit) == SQLITE_ROW) {
        const std::int64_t id = sqlite3_column_int64(fit, 0);
        Acc acc;
        while (scan_rc == SQLITE_ROW && sqlite3_column_int64(scan, 0) <= id) {
            if (sqlite3_column_int64(scan, 0) == id)
                acc.add(sqlite3_column_int64(scan, 1), sqlite3_column_int(scan, 2));
            scan_rc = sqlite3_step(scan);
        }
        const std::int64_t totals[kModelCount] = {
            clamp((sqlite3_column_int(fit, 1) ? 20000 : 0) + (sqlite3_column_int(fit, 2) ? 15000 : 0) + acc.pricing +
                      acc.seminar_a, 0, 100000),
            clamp(acc.visits + acc.mail, 0, 100000),
            clamp((sqlite3_column_int(fit, 3) ? 10000 : 0) + (acc.seminar_once ? 25000 : 0) + acc.calls, -20000, 100000),
        };
        for (int m = 0; m < kModelCount; ++m) {
            sqlite3_bind_int(ins, 1, m);
            sqlite3_bind_int64(ins, 2, id);
            sqlite3_bind_int64(ins, 3, totals[m]);
            sqlite3_step(ins);
            sqlite3_reset(ins);
            out[{id, m}] = totals[m];
        }
    }
    exec(db, "COMMIT");
    seconds = secs(t0, Clock::now());
    sqlite3_finalize(fit);
    sqlite3_finalize(scan);
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return out;
}
}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 100000;
    if (argc > 1) n = static_cast<std::size_t>(std::stoull(argv[1]));
    if (n < 10) n = 10;
    const auto dir = std::filesystem::temp_directory_path() / ("bench_scoring_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "full.crm").string();
    int failures = 0;

    // ---- 1. full rescore vs the one-pass baseline
    double crm_seconds = 0, define_seconds = 0, base_seconds = 0;
    std::map<std::pair<std::int64_t, int>, std::int64_t> crm_totals;
    {
        auto db = crm::Db::open(path).value();
        db.set_clock([] { return kNow; });
        auto w = make_contacts(db, n);
        ingest_all(db, w, 20 * n, 42);
        auto t0 = Clock::now();
        for (const char* m : kModels) db.scoring().define(m).value();
        define_seconds = secs(t0, Clock::now());
        t0 = Clock::now();
        const auto written = db.scoring().rescore().value();
        crm_seconds = secs(t0, Clock::now());
        if (written != static_cast<std::int64_t>(kModelCount * n)) {
            std::fprintf(stderr, "FAIL: rescore wrote %lld scores, expected %zu\n", static_cast<long long>(written),
                         kModelCount * n);
            ++failures;
        }
        const char* names[] = {"製品A", "web", "seminar"};
        for (int m = 0; m < kModelCount; ++m) {
            crm::TopQuery q;
            q.limit = 1000;
            for (;;) {
                auto page = db.scoring().top(names[m], q).value();
                for (const auto& s : page.items) crm_totals[{s.contact_id, m}] = s.total;
                if (page.next.empty()) break;
                q.after = page.next;
            }
        }
    }
    auto base = baseline(path, base_seconds);
    std::size_t mismatches = 0;
    if (base.size() != crm_totals.size()) ++mismatches;
    for (const auto& [k, v] : base) {
        auto it = crm_totals.find(k);
        if (it == crm_totals.end() || it->second != v) {
            if (mismatches < 5)
                std::fprintf(stderr, "mismatch: contact %lld model %d: crm %lld, baseline %lld\n",
                             static_cast<long long>(k.first), k.second,
                             it == crm_totals.end() ? -1LL : static_cast<long long>(it->second), static_cast<long long>(v));
            ++mismatches;
        }
    }
    if (mismatches) {
        std::fprintf(stderr, "FAIL: %zu totals differ between crm and the baseline\n", mismatches);
        ++failures;
    }
    const double ratio = crm_seconds / base_seconds;
    std::printf("full rescore: %zu contacts, %zu interactions, %d models\n", n, 20 * n, kModelCount);
    std::printf("  crm rescore        %8.3f s   (define of the 3 models, each a full pass: %.3f s)\n", crm_seconds,
                define_seconds);
    std::printf("  expert one pass    %8.3f s\n", base_seconds);
    std::printf("  ratio              %8.2fx   (target <= 3x)%s\n", ratio, ratio <= 3 ? "" : "  MISSED");
    std::printf("  totals compared    %zu, all equal: %s\n", base.size(), mismatches ? "NO" : "yes");

    // ---- 2. ingest with incremental scoring vs ingest alone
    double with = 0, without = 0;
    const std::size_t m = 2 * n;
    for (int on = 0; on < 2; ++on) {
        const std::string p = (dir / (on ? "on.crm" : "off.crm")).string();
        auto db = crm::Db::open(p).value();
        db.set_clock([] { return kNow; });
        auto w = make_contacts(db, n);
        if (on)
            for (const char* def : kModels) db.scoring().define(def).value();
        const auto t0 = Clock::now();
        ingest_all(db, w, m, 7);
        (on ? with : without) = secs(t0, Clock::now());
        if (on) {  // the incremental state equals a fresh rescore
            const char* names[] = {"製品A", "web", "seminar"};
            std::vector<crm::Score> before;
            for (std::size_t i = 0; i < w.contacts.size(); i += std::max<std::size_t>(1, n / 500))
                for (const char* name : names) before.push_back(db.scoring().stored(w.contacts[i], name).value());
            db.scoring().rescore().value();
            std::size_t k = 0;
            for (std::size_t i = 0; i < w.contacts.size(); i += std::max<std::size_t>(1, n / 500))
                for (const char* name : names) {
                    auto after = db.scoring().stored(w.contacts[i], name).value();
                    if (crm::to_json(after) != crm::to_json(before[k++])) {
                        std::fprintf(stderr, "FAIL: incremental and full rescore differ for contact %lld (%s)\n",
                                     static_cast<long long>(w.contacts[i]), name);
                        ++failures;
                    }
                }
        }
    }
    const double iratio = with / without;
    std::printf("ingest: %zu interactions in batches of %zu over %zu contacts\n", m, kBatch, n);
    std::printf("  ingest alone             %8.3f s  (%.0f/s)\n", without, static_cast<double>(m) / without);
    std::printf("  ingest + 3 models        %8.3f s  (%.0f/s)\n", with, static_cast<double>(m) / with);
    std::printf("  ratio                    %8.2fx   (target <= 1.5x)%s\n", iratio, iratio <= 1.5 ? "" : "  MISSED");

    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return failures ? 1 : 0;
}
