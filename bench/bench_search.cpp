// bench_search — full-text search latency against a hand-written FTS5 query on the
// same index (docs/search.md, docs/benchmarks.md).
//
//   bench_search [N] [REPS]   (default N = 1,000,000 interactions, N/10 contacts; REPS = 30)
//
// The database: N/10 contacts (Japanese names with hiragana readings, some English
// names, job titles, departments), N/1000 + 1 accounts (株式会社…, … Co., Ltd.), and N
// interactions through Interactions::ingest (batches of 10,000), each with a subject
// and a body made of Japanese business phrases and English words; all indexed by the
// library on the way in. Then each query of a fixed set (short and long Japanese terms,
// readings in the other kana, full-width Latin, English prefixes, several terms, one
// with a structured filter) runs REPS times through db.search().query(…, limit 20)
// and through an expert's hand-written SQL on the same tables (its MATCH expression
// written by hand, bm25 with the same weights, the same tie-break), alternating. It
// reports the median and 99th percentile latency of each and their ratio; the exit
// status is 1 when any query's hits (kind, id, order) differ from the baseline's, or
// when a query finds nothing (the data is made so that each one finds something).
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_util.hpp"
#include "crm/crm.hpp"

namespace {

using bench::Clock;

const char* const kSurnames[] = {"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
                                 "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "森"};
const char* const kSurnameReadings[] = {"さとう", "すずき", "たかはし", "たなか", "いとう", "わたなべ", "やまもと",
                                        "なかむら", "こばやし", "かとう", "よしだ", "やまだ", "ささき", "やまぐち",
                                        "まつもと", "いのうえ", "きむら", "はやし", "しみず", "もり"};
const char* const kGiven[] = {"太郎", "花子", "一郎", "健", "美咲", "翔太", "陽子", "大輔", "由美", "誠"};
const char* const kEnglish[] = {"John Smith", "Emily Brown", "Michael Johnson", "Sarah Davis", "David Wilson"};
const char* const kTitles[] = {"営業部長", "課長", "Account Manager", "主任", "CTO", "マネージャー", ""};
const char* const kDepartments[] = {"営業部", "情報システム部", "総務部", "Marketing", "経理部", ""};
const char* const kSubjects[] = {"定例会議", "見積書の送付", "製品デモ", "Follow-up call", "お問い合わせ対応",
                                 "契約更新のご案内", "Quarterly review", "導入支援", "請求書について", "Webinar"};
const char* const kPhrases[] = {"顧客管理システムの提案を行った。", "見積書を送付しました。", "来期の予算について相談。",
                                "担当者が変更になる予定。", "サポート窓口の利用方法を説明。", "契約書の確認をお願いします。",
                                "デモ環境のアカウントを発行。", "導入スケジュールを調整中。", "価格改定のお知らせ。",
                                "the customer asked about pricing", "sent the proposal and invoice",
                                "account setup completed", "meeting rescheduled to next week",
                                "integration with the accounting system"};

struct Case {
    const char* query;  // what the user types
    const char* kind;   // SearchOptions::kinds (one) or nullptr
    const char* where;  // a filter or nullptr
    const char* index;  // the baseline's table
    const char* match;  // the baseline's MATCH expression, written by hand
    const char* uni;    // a second MATCH on search_uni (mixed short and long terms) or nullptr
};
const Case kCases[] = {
    {"林", nullptr, nullptr, "search_uni", "\"林\"*", nullptr},
    {"顧客", nullptr, nullptr, "search_uni", "\"顧 客\"*", nullptr},
    {"田中", "contact", nullptr, "search_uni", "\"田 中\"*", nullptr},
    {"田中", "contact", "lifecycle_stage=mql", "search_uni", "\"田 中\"*", nullptr},
    {"株式会社", nullptr, nullptr, "search_tri", "\"株式会社\"", nullptr},
    {"見積書", nullptr, nullptr, "search_tri", "\"見積書\"", nullptr},
    {"コバヤシ", nullptr, nullptr, "search_tri", "\"コバヤシ\"", nullptr},
    {"ＡＣＣ", nullptr, nullptr, "search_tri", "\"acc\"", nullptr},
    {"invoice", nullptr, nullptr, "search_tri", "\"invoice\"", nullptr},
    {"契約 確認", nullptr, nullptr, "search_uni", "\"契 約\"* \"確 認\"*", nullptr},
    {"提案 システム", nullptr, nullptr, "search_tri", "\"システム\"", "\"提 案\"*"},
    {"pricing customer", nullptr, nullptr, "search_tri", "\"pricing\" \"customer\"", nullptr},
};

struct Key {
    std::string kind;
    long long id;
    bool operator==(const Key& o) const { return kind == o.kind && id == o.id; }
};

std::vector<Key> baseline(sqlite3* db, const Case& c, int limit) {
    std::string sql = fmt::format(
        "SELECT d.entity,d.record_id,bm25({0},2.0,1.0) AS r FROM {0} CROSS JOIN search_docs d ON d.id={0}.rowid "
        "WHERE {0} MATCH ?1",
        c.index);
    if (c.uni) sql += " AND d.id IN (SELECT rowid FROM search_uni WHERE search_uni MATCH ?2)";
    if (c.kind) sql += " AND d.entity='contact'";
    if (c.where) sql += " AND d.record_id IN (SELECT id FROM contacts WHERE lifecycle_stage='mql')";
    sql += fmt::format(" ORDER BY r,d.entity,d.record_id LIMIT {}", limit);
    static std::map<std::string, sqlite3_stmt*> cache;
    sqlite3_stmt*& st = cache[sql];
    if (!st && sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "baseline: %s\n", sqlite3_errmsg(db));
        std::exit(1);
    }
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, c.match, -1, SQLITE_STATIC);
    if (c.uni) sqlite3_bind_text(st, 2, c.uni, -1, SQLITE_STATIC);
    std::vector<Key> out;
    while (sqlite3_step(st) == SQLITE_ROW)
        out.push_back({reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), sqlite3_column_int64(st, 1)});
    return out;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    const long long n = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    const int reps = argc > 2 ? std::atoi(argv[2]) : 30;
    if (n < 100 || reps < 1) {
        std::fprintf(stderr, "usage: bench_search [N >= 100] [REPS >= 1]\n");
        return 2;
    }
    const long long n_contacts = n / 10, n_accounts = n / 1000 + 1;
    bench::ScratchDir dir("");
    const std::string path = dir.file("search.db");
    std::mt19937 rng(42);
    auto pick = [&](auto& arr) -> decltype(arr[0]) {
        return arr[std::uniform_int_distribution<std::size_t>(0, std::size(arr) - 1)(rng)];
    };

    // ---- the data, through the library (indexed as it is written) ----
    const auto t_load = Clock::now();
    auto db = crm::Db::open(path, crm::OpenOptions{}).value();
    std::vector<crm::Id> contacts;
    {
        auto txn = db.begin().value();
        std::vector<crm::Id> accounts;
        for (long long i = 0; i < n_accounts; ++i) {
            crm::Account a;
            a.name = i % 3 == 2 ? fmt::format("{} Trading Co., Ltd. {}", pick(kEnglish), i)
                                : fmt::format("株式会社{}{}", pick(kSurnames), i);
            accounts.push_back(db.accounts().create(a).value());
        }
        for (long long i = 0; i < n_contacts; ++i) {
            crm::Contact c;
            if (i % 10 == 9) {
                c.name = pick(kEnglish);
            } else {
                const std::size_t s = static_cast<std::size_t>(i) % std::size(kSurnames);
                c.name = fmt::format("{} {}", kSurnames[s], pick(kGiven));
                c.name_reading = kSurnameReadings[s];
            }
            c.title = pick(kTitles);
            c.department = pick(kDepartments);
            c.lifecycle_stage = i % 4 == 3 ? crm::LifecycleStage::mql : crm::LifecycleStage::lead;
            c.account_id = accounts[static_cast<std::size_t>(i) % accounts.size()];
            contacts.push_back(db.contacts().create(c).value());
        }
        txn.commit().value();
    }
    std::vector<crm::Interaction> batch;
    for (long long k = 0; k < n; ++k) {
        crm::Interaction i;
        i.kind = "note";
        i.occurred_at = 1'700'000'000'000 + k * 1000;
        i.subject = pick(kSubjects);
        i.body = fmt::format("{}{} {}", pick(kPhrases), pick(kPhrases), pick(kPhrases));
        i.contact_ids = {contacts[static_cast<std::size_t>(k) % contacts.size()]};
        batch.push_back(std::move(i));
        if (batch.size() == 10000 || k + 1 == n) {
            db.interactions().ingest(batch).value();
            batch.clear();
        }
    }
    const double load_s = bench::seconds(Clock::now() - t_load);
    std::printf("bench_search: %lld interactions, %lld contacts, %lld accounts loaded and indexed in %.1f s\n", n,
                n_contacts, n_accounts, load_s);

    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;

    // ---- the queries ----
    int failures = 0;
    std::vector<double> all_lib, all_base;
    std::printf("%-22s %7s %10s %10s %10s %10s %7s\n", "query", "hits", "lib p50", "lib p99", "base p50", "base p99",
                "ratio");
    for (const auto& c : kCases) {
        crm::SearchOptions o;
        o.limit = 20;
        if (c.kind) o.kinds = {crm::entity_from_name(c.kind).value()};
        if (c.where) o.where = {crm::parse_filter(c.where).value()};
        std::vector<double> lib, base;
        std::vector<Key> lib_hits, base_hits;
        for (int r = 0; r < reps; ++r) {
            auto t0 = Clock::now();
            auto hits = db.search().query(c.query, o);
            auto t1 = Clock::now();
            auto b = baseline(raw, c, 20);
            auto t2 = Clock::now();
            if (!hits) {
                std::fprintf(stderr, "%s: %s\n", c.query, hits.error().message.c_str());
                return 1;
            }
            lib.push_back(bench::seconds(t1 - t0) * 1e3);
            base.push_back(bench::seconds(t2 - t1) * 1e3);
            if (r == 0) {
                for (const auto& h : hits.value()) lib_hits.push_back({crm::entity_name(h.kind), h.id});
                base_hits = std::move(b);
            }
        }
        const std::string label = fmt::format("{}{}{}", c.query, c.where ? " +" : "", c.where ? c.where : "");
        const double lp50 = percentile(lib, 0.5), lp99 = percentile(lib, 0.99);
        const double bp50 = percentile(base, 0.5), bp99 = percentile(base, 0.99);
        std::printf("%-22s %7zu %8.3fms %8.3fms %8.3fms %8.3fms %6.2fx\n", label.c_str(), lib_hits.size(), lp50, lp99,
                    bp50, bp99, bp50 > 0 ? lp50 / bp50 : 0.0);
        if (lib_hits != base_hits) {
            std::fprintf(stderr, "MISMATCH: '%s': the library found %zu hits, the baseline %zu (or another order)\n",
                         c.query, lib_hits.size(), base_hits.size());
            ++failures;
        }
        if (lib_hits.empty()) {
            std::fprintf(stderr, "NOTHING FOUND: '%s' (the data is made to hold it)\n", c.query);
            ++failures;
        }
        all_lib.insert(all_lib.end(), lib.begin(), lib.end());
        all_base.insert(all_base.end(), base.begin(), base.end());
    }
    const double lp50 = percentile(all_lib, 0.5), bp50 = percentile(all_base, 0.5);
    std::printf("all queries: library p50 %.3f ms p99 %.3f ms; baseline p50 %.3f ms p99 %.3f ms; ratio p50 %.2fx\n",
                lp50, percentile(all_lib, 0.99), bp50, percentile(all_base, 0.99), bp50 > 0 ? lp50 / bp50 : 0.0);
    sqlite3_close(raw);
    if (failures) std::fprintf(stderr, "bench_search: %d queries disagree with the baseline\n", failures);
    return failures ? 1 : 0;
}
