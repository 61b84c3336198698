// bench_import — crm::import of a contact CSV (normalisation, dedup, references, history,
// batch) against the sqlite3 shell's `.import` of the same file into a bare table.
//
//   bench_import [N]   (default 100,000 rows)
//
// A generated list of N business cards (氏名, フリガナ, メール, 電話, 会社, 役職; 200
// companies; every 20th row repeats an earlier person's e-mail in upper case, with a new
// title) is imported:
//   baseline   `sqlite3 FILE ".mode csv" ".import list.csv cards"`: every row into one bare
//              table, no checks, no indexes (the floor: what writing the bytes costs);
//   crm        db.imports().run_file with match [email, phone] and on_duplicate update, the
//              company by name created when missing: every row validated, e-mails and
//              phones normalised, the duplicates found and merged into their record,
//              history rows and the batch's items written;
//   crm N/4    the same over a quarter of the rows: peak RSS must not follow the file's size.
// The baseline must hold N rows; crm must read N rows, create N - N/20 contacts and 200
// accounts, update N/20; otherwise the run exits 1. Target (issue 10): crm within 4x the
// baseline's time.
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <set>
#include <unordered_map>
#include <sqlite3.h>
#include <string>

#include <fmt/format.h>

#include "bench_util.hpp"
#include "crm/crm.hpp"

namespace {

const char* kFamily[] = {"山田", "佐藤", "鈴木", "高橋", "田中", "髙木", "渡辺", "伊藤", "中村", "小林"};
const char* kFamilyKana[] = {"やまだ", "さとう", "すずき", "たかはし", "たなか", "たかぎ", "わたなべ", "いとう", "なかむら", "こばやし"};
const char* kGiven[] = {"太郎", "花子", "一郎", "幸子", "健", "美咲", "翔太", "陽菜"};
const char* kTitles[] = {"部長", "課長", "係長", "主任", "担当"};

void make_file(const std::string& path, std::size_t n) {
    std::ofstream out(path, std::ios::binary);
    crm::csv::Writer w(out);
    (void)w.write_row(std::vector<std::string>{"氏名", "フリガナ", "メール", "電話", "会社", "役職"});
    std::vector<std::string> row(6);
    for (std::size_t i = 0; i < n; ++i) {
        // Every 20th row is the person of row i/2 again (an upper-case e-mail, a new title).
        const bool dup = i % 20 == 19;
        const std::size_t p = dup ? i / 2 : i;
        row[0] = std::string(kFamily[p % 10]) + " " + kGiven[(p / 10) % 8];
        row[1] = std::string(kFamilyKana[p % 10]) + " " + std::to_string(p % 97);
        row[2] = dup ? "USER" + std::to_string(p) + "@EXAMPLE.CO.JP" : "user" + std::to_string(p) + "@example.co.jp";
        row[3] = fmt::format("03-{:04}-{:04}", 1000 + p / 10000, p % 10000);
        row[4] = fmt::format("株式会社サンプル{}", p % 200);
        row[5] = kTitles[(i / 7) % 5];
        if (!w.write_row(row)) {
            std::fprintf(stderr, "cannot write the input file\n");
            std::exit(2);
        }
    }
}

// What the import must do, worked out from the rows: a row whose person came before is an
// update; the companies are those of the people.
struct Expected {
    std::size_t created = 0, updated = 0, companies = 0;
};
Expected expected(std::size_t n) {
    Expected e;
    std::set<std::size_t> people, companies;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t p = i % 20 == 19 ? i / 2 : i;
        if (people.insert(p).second) {
            ++e.created;
            companies.insert(p % 200);
        } else {
            ++e.updated;
        }
    }
    e.companies = companies.size();
    return e;
}

bench::PhaseResult baseline(const std::string& db, const std::string& csv) {
    bench::Stopwatch sw;
    int rc = 0;
    sw.time([&] {
        // Paths are the benchmark's own scratch files (no user input in the command).
        const std::string cmd = "sqlite3 '" + db + "' '.mode csv' '.import " + csv + " cards'";
        rc = std::system(cmd.c_str());
    });
    if (rc != 0) return bench::failed("the sqlite3 shell failed (is the sqlite3 package installed?)");
    bench::PhaseResult r;
    r.seconds = sw.seconds();
    sqlite3* h = nullptr;
    sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "SELECT count(*) FROM cards", -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW) r.records = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    r.ok = 1;
    return r;
}

bench::PhaseResult with_crm(const std::string& db_path, const std::string& csv) {
    auto db = crm::Db::open(db_path);
    if (!db) return bench::failed(db.error().message);
    auto m = crm::import::parse_mapping(R"({"kind": "contact", "match": ["email", "phone"], "on_duplicate": "update",
        "fields": [{"column": "氏名", "field": "name"}, {"column": "フリガナ", "field": "name_reading"},
                   {"column": "メール", "field": "emails"}, {"column": "電話", "field": "phones"},
                   {"column": "会社", "field": "account_id", "by": "name", "missing": "create"},
                   {"column": "役職", "field": "title"}]})");
    if (!m) return bench::failed(m.error().message);
    bench::Stopwatch sw;
    crm::result<crm::import::Report> r = crm::make_error(crm::errc::internal, "not run");
    sw.time([&] { r = db.value().imports().run_file(m.value(), csv); });
    if (!r) return bench::failed(r.error().message);
    bench::PhaseResult out;
    out.seconds = sw.seconds();
    out.records = static_cast<long long>(r.value().rows);
    // A repeated person is updated, or unchanged when the row's title is the one already stored.
    std::snprintf(out.message, sizeof out.message, "created %" PRIu64 " matched %" PRIu64 " rejected %" PRIu64
                  " accounts %" PRIu64, r.value().created, r.value().updated + r.value().unchanged, r.value().rejected,
                  r.value().references_created);
    out.ok = 1;
    return out;
}

// The same rows created through the C++ API in one transaction, without dedup (every
// row a new contact; accounts found in a map): what the library's own write path costs,
// so the import's overhead can be told from it. Reported, not targeted.
bench::PhaseResult with_api(const std::string& db_path, const std::string& csv) {
    auto db = crm::Db::open(db_path);
    if (!db) return bench::failed(db.error().message);
    auto reader = crm::csv::Reader::open(csv);
    if (!reader) return bench::failed(reader.error().message);
    bench::Stopwatch sw;
    long long rows = 0;
    std::string why;
    sw.time([&] {
        auto txn = db.value().begin();
        if (!txn) { why = txn.error().message; return; }
        std::unordered_map<std::string, crm::Id> accounts;
        crm::csv::Record rec;
        while (true) {
            auto more = reader.value().next(rec);
            if (!more) { why = more.error().message; return; }
            if (!more.value()) break;
            crm::Contact c;
            c.name = rec.fields[0];
            c.name_reading = rec.fields[1];
            c.emails.push_back({rec.fields[2] + std::to_string(rows), "", true, false});  // distinct: no dedup here
            c.phones.push_back({rec.fields[3], "", true});
            c.title = rec.fields[5];
            auto a = accounts.find(rec.fields[4]);
            if (a == accounts.end()) {
                crm::Account acc;
                acc.name = rec.fields[4];
                auto id = db.value().accounts().create(acc);
                if (!id) { why = id.error().message; return; }
                a = accounts.emplace(rec.fields[4], id.value()).first;
            }
            c.account_id = a->second;
            if (auto id = db.value().contacts().create(c); !id) { why = id.error().message; return; }
            ++rows;
        }
        if (auto r = txn.value().commit(); !r) why = r.error().message;
    });
    if (!why.empty()) return bench::failed(why);
    bench::PhaseResult out;
    out.seconds = sw.seconds();
    out.records = rows;
    out.ok = 1;
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 100'000;
    bench::ScratchDir dir("");
    const std::string csv = dir.file("cards.csv"), quarter = dir.file("cards-quarter.csv");
    make_file(csv, n);
    make_file(quarter, std::max<std::size_t>(1, n / 4));
    const auto size_mb = static_cast<double>(std::filesystem::file_size(csv)) / 1e6;

    const auto base = bench::run_phase([&] { return baseline(dir.file("bare.db"), csv); }, true);
    const auto ours = bench::run_phase([&] { return with_crm(dir.file("crm.db"), csv); }, true);
    const auto api = bench::run_phase([&] { return with_api(dir.file("api.db"), csv); }, true);
    const auto small = bench::run_phase([&] { return with_crm(dir.file("crm-quarter.db"), quarter); }, true);
    for (const auto* p : {&base, &ours, &api, &small})
        if (!p->ok) {
            std::fprintf(stderr, "a phase failed: %s\n", p->message);
            return 1;
        }
    const auto e = expected(n);
    char want[256];
    std::snprintf(want, sizeof want, "created %zu matched %zu rejected 0 accounts %zu", e.created, e.updated, e.companies);
    std::printf("bench_import: %zu rows (%zu repeat a person), %.1f MB\n", n, e.updated, size_mb);
    std::printf("  %-26s %10s %12s %12s %s\n", "phase", "seconds", "rows/s", "peak RSS", "result");
    auto line = [&](const char* name, const bench::PhaseResult& r) {
        std::printf("  %-26s %10.3f %12.0f %9ld KB %s\n", name, r.seconds,
                    r.seconds > 0 ? static_cast<double>(r.records) / r.seconds : 0.0, r.max_rss_kb, r.message);
    };
    line("sqlite3 .import (bare)", base);
    line("crm import (dedup)", ours);
    line("crm import, N/4", small);
    line("C++ API create, no dedup", api);
    const double ratio = base.seconds > 0 ? ours.seconds / base.seconds : 0.0;
    std::printf("  ratio crm / sqlite3 .import: %.2fx (target <= 4x)%s\n", ratio, ratio <= 4.0 ? "" : "  MISSED");
    std::printf("  import / C++ API create: %.2fx (the import's own work: mapping, normalised keys, dedup, savepoints, batch items)\n",
                api.seconds > 0 ? ours.seconds / api.seconds : 0.0);
    std::printf("  peak RSS at N vs N/4: %ld KB vs %ld KB\n", ours.max_rss_kb, small.max_rss_kb);
    if (base.records != static_cast<long long>(n) || ours.records != static_cast<long long>(n) ||
        std::string(ours.message) != want) {
        std::fprintf(stderr, "results disagree: sqlite3 %lld rows, crm %lld rows '%s', expected '%s'\n", base.records,
                     ours.records, ours.message, want);
        return 1;
    }
    return 0;
}
