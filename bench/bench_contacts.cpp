// bench_contacts — bulk create and get-by-id of contacts with their accounts,
// through the C++ API, the C ABI and a raw-SQLite baseline in the same run.
//
//   bench_contacts [CONTACTS] [--accounts N] [--users N] [--gets N] [--seed S]
//                  [--dir DIR] [--only PHASE]
//
// Each phase runs in its own process (peak RSS is per phase) on its own file in
// a scratch directory, with the library's settings: WAL, synchronous=NORMAL,
// foreign_keys=ON. Timed: BEGIN … COMMIT of the writes, and the reads; the
// sample generator's work is not timed. docs/benchmarks.md explains the output.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_util.hpp"
#include "contacts_workload.hpp"
#include "crm/crm.hpp"
#include "raw_sqlite.hpp"

#if __has_include(<crm.h>)
#include <crm.h>
#define BENCH_HAVE_CAPI 1
#endif

namespace {

using bench::contacts::Config;
using bench::contacts::Workload;
using bench::contacts::checksum;
using bench::contacts::done;
using bench::raw::create_raw;
using bench::raw::get_raw;

// ---- create ---------------------------------------------------------------------

bench::PhaseResult create_cpp(const Config& cfg, const std::string& path) {
    auto db = crm::Db::open(path).value();
    Workload w{cfg};
    bench::Stopwatch sw;
    std::vector<crm::Id> users, accounts;
    auto tx = sw.time([&] { return db.begin(); }).value();
    for (long long i = 0; i < cfg.users; ++i) {
        auto u = w.user(i);
        users.push_back(sw.time([&] { return db.users().create(u); }).value());
    }
    for (long long i = 0; i < cfg.accounts; ++i) {
        auto a = w.account(i, users);
        accounts.push_back(sw.time([&] { return db.accounts().create(a); }).value());
    }
    for (long long i = 0; i < cfg.contacts; ++i) {
        auto c = w.contact(i, users, accounts);
        sw.time([&] { return db.contacts().create(c); }).value();
    }
    sw.time([&] { return tx.commit(); }).value();
    return done(sw, cfg.users + cfg.accounts + cfg.contacts);
}

#ifdef BENCH_HAVE_CAPI
bench::PhaseResult create_capi(const Config& cfg, const std::string& path) {
    crm_db* db = nullptr;
    if (crm_db_open(&db, path.c_str(), nullptr) != CRM_OK) return bench::failed(crm_errmsg());
    Workload w{cfg};
    bench::Stopwatch sw;
    std::vector<crm::Id> users, accounts;
    auto create = [&](crm_entity kind, const std::string& json) -> crm::Id {
        int64_t id = 0;
        if (sw.time([&] { return crm_record_create(db, kind, json.c_str(), &id); }) != CRM_OK)
            throw std::runtime_error(crm_errmsg());
        return id;
    };
    crm_txn* tx = nullptr;
    if (sw.time([&] { return crm_txn_begin(&tx, db); }) != CRM_OK) return bench::failed(crm_errmsg());
    try {
        for (long long i = 0; i < cfg.users; ++i) users.push_back(create(CRM_USER, crm::to_json(w.user(i))));
        for (long long i = 0; i < cfg.accounts; ++i)
            accounts.push_back(create(CRM_ACCOUNT, crm::to_json(w.account(i, users))));
        for (long long i = 0; i < cfg.contacts; ++i) create(CRM_CONTACT, crm::to_json(w.contact(i, users, accounts)));
    } catch (const std::exception& e) {
        return bench::failed(e.what());
    }
    if (sw.time([&] { return crm_txn_commit(tx); }) != CRM_OK) return bench::failed(crm_errmsg());
    crm_txn_free(tx);
    crm_db_close(db);
    return done(sw, cfg.users + cfg.accounts + cfg.contacts);
}
#endif

// ---- get by id ------------------------------------------------------------------
bench::PhaseResult get_cpp(const Config& cfg, const std::string& path) {
    auto db = crm::Db::open(path).value();
    Workload w{cfg};
    bench::Stopwatch sw;
    std::int64_t sum = 0;
    sw.time([&] {
        for (long long k = 0; k < cfg.gets; ++k) sum += checksum(db.contacts().get(w.random_contact(k)).value());
    });
    auto r = done(sw, cfg.gets);
    std::snprintf(r.message, sizeof r.message, "checksum %" PRId64, sum);
    return r;
}

#ifdef BENCH_HAVE_CAPI
bench::PhaseResult get_capi(const Config& cfg, const std::string& path) {
    crm_db* db = nullptr;
    if (crm_db_open(&db, path.c_str(), nullptr) != CRM_OK) return bench::failed(crm_errmsg());
    Workload w{cfg};
    bench::Stopwatch sw;
    std::size_t bytes = 0;
    const int rc = sw.time([&] {
        for (long long k = 0; k < cfg.gets; ++k) {
            char* json = nullptr;
            if (int e = crm_record_get(db, CRM_CONTACT, w.random_contact(k), &json); e != CRM_OK) return e;
            bytes += std::strlen(json);
            crm_free(json);
        }
        return CRM_OK;
    });
    if (rc != CRM_OK) return bench::failed(crm_errmsg());
    crm_db_close(db);
    auto r = done(sw, cfg.gets);
    std::snprintf(r.message, sizeof r.message, "%zu bytes of JSON", bytes);
    return r;
}
#endif

// ---- driver ---------------------------------------------------------------------

struct Phase {
    const char* name;
    bench::PhaseResult (*run)(const Config&, const std::string&);
    const char* file;
    bench::PhaseResult result{};
};

[[noreturn]] void usage(int code) {
    std::fputs("usage: bench_contacts [CONTACTS=100000] [--accounts N (default CONTACTS/10)] [--users N (10)]\n"
               "                      [--gets N (default CONTACTS)] [--seed S] [--dir DIR (kept)] [--only PHASE]\n"
               "  --only runs the phases whose name contains PHASE in this process (for profilers);\n"
               "  get-* phases read DIR/cpp.crm, so create it first with --dir DIR --only create-cpp.\n",
               code ? stderr : stdout);
    std::exit(code);
}

Config parse(int argc, char** argv) {
    Config c;
    auto to_number = [](const char* text) {
        char* end = nullptr;
        const long long n = std::strtoll(text, &end, 10);
        if (end == text || *end != '\0') usage(2);
        return n;
    };
    auto number = [&](int& i) {
        if (i + 1 >= argc) usage(2);
        return to_number(argv[++i]);
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") usage(0);
        else if (a == "--accounts") c.accounts = number(i);
        else if (a == "--users") c.users = number(i);
        else if (a == "--gets") c.gets = number(i);
        else if (a == "--seed") c.seed = static_cast<std::uint64_t>(number(i));
        else if (a == "--dir" && i + 1 < argc) c.dir = argv[++i];
        else if (a == "--only" && i + 1 < argc) c.only = argv[++i];
        else if (!a.empty() && a[0] != '-') c.contacts = to_number(argv[i]);
        else usage(2);
    }
    if (c.accounts < 0) c.accounts = std::max(1LL, c.contacts / 10);
    if (c.gets < 0) c.gets = c.contacts;
    if (c.contacts < 1 || c.accounts < 1 || c.users < 1 || c.gets < 0) usage(2);
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    const Config cfg = parse(argc, argv);
    bench::ScratchDir dir(cfg.dir);
    std::vector<Phase> phases = {
        {"create-raw", create_raw, "raw.crm"},
        {"create-cpp", create_cpp, "cpp.crm"},
#ifdef BENCH_HAVE_CAPI
        {"create-capi", create_capi, "capi.crm"},
#endif
        {"get-raw", get_raw, "cpp.crm"},
        {"get-cpp", get_cpp, "cpp.crm"},
#ifdef BENCH_HAVE_CAPI
        {"get-capi", get_capi, "cpp.crm"},
#endif
    };
    fmt::print("bench_contacts: {} contacts, {} accounts, {} users; {} gets; seed {}; SQLite {}; crm {}\n"
               "files in {}\n\n",
               cfg.contacts, cfg.accounts, cfg.users, cfg.gets, cfg.seed, sqlite3_libversion(), crm::version(),
               dir.path.string());
    int failures = 0;
    for (auto& p : phases) {
        if (!cfg.only.empty() && std::string(p.name).find(cfg.only) == std::string::npos) continue;
        if (std::string(p.name).starts_with("create"))
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(dir.file(p.file) + suffix);
        const std::string file = dir.file(p.file);
        p.result = bench::run_phase([&] {
            try {
                return p.run(cfg, file);
            } catch (const std::exception& e) {
                return bench::failed(e.what());
            }
        }, cfg.only.empty());
        if (!p.result.ok) {
            fmt::print(stderr, "{}: FAILED: {}\n", p.name, p.result.message);
            ++failures;
        }
    }

    auto find = [&](const char* name) -> const bench::PhaseResult* {
        for (const auto& p : phases)
            if (std::string(p.name) == name && p.result.ok) return &p.result;
        return nullptr;
    };
    // Rows written per create phase (the same for every path, or the comparison is void).
    std::map<std::string, long long> rows_by_file;
    std::map<std::string, std::map<std::string, long long>> tables;
    for (const auto& p : phases)
        if (p.result.ok && std::string(p.name).starts_with("create")) {
            tables[p.name] = bench::row_counts(dir.file(p.file));
            long long n = 0;
            for (const auto& [t, c] : tables[p.name]) n += c;
            rows_by_file[p.name] = n;
        }
    if (tables.size() > 1)
        for (const auto& [name, t] : tables)
            if (t != tables.begin()->second) {
                fmt::print(stderr, "{} wrote different rows from {}\n", name, tables.begin()->first);
                ++failures;
            }

    fmt::print("{:<26} {:>9} {:>12} {:>12} {:>8} {:>10}\n", "phase", "time (s)", "records/s", "rows/s", "vs raw",
               "peak RSS");
    const auto* raw_create = find("create-raw");
    const auto* raw_get = find("get-raw");
    auto line = [&](const char* label, double secs, long long records, long long rows, const bench::PhaseResult* base,
                    double base_secs, long rss_kb) {
        const std::string ratio = base ? fmt::format("{:.2f}x", secs / base_secs) : "-";
        const std::string rows_s = rows ? fmt::format("{:.0f}", static_cast<double>(rows) / secs) : "-";
        fmt::print("{:<26} {:>9.3f} {:>12.0f} {:>12} {:>8} {:>7.1f} MB\n", label, secs,
                   static_cast<double>(records) / secs, rows_s, ratio, static_cast<double>(rss_kb) / 1024.0);
    };
    for (const auto& p : phases) {
        if (!p.result.ok) continue;
        const auto& r = p.result;
        const bool create = std::string(p.name).starts_with("create");
        const long long rows = create ? rows_by_file[p.name] : 0;
        const auto* base = create ? raw_create : raw_get;
        if (std::string(p.name) == "create-raw") {
            line("create-raw (SQL only)", r.seconds - r.aux_seconds, r.records, rows, nullptr, 0, r.max_rss_kb);
            line("create-raw (SQL + JSON)", r.seconds, r.records, rows, base, base ? base->seconds : 0, r.max_rss_kb);
            continue;
        }
        line(p.name, r.seconds, r.records, rows, base, base ? base->seconds : 0, r.max_rss_kb);
    }
    if (raw_get && find("get-cpp") && std::string(raw_get->message) != find("get-cpp")->message) {
        fmt::print(stderr, "get-raw and get-cpp read different data ({} vs {})\n", raw_get->message,
                   find("get-cpp")->message);
        ++failures;
    }
    if (!tables.empty()) {
        fmt::print("\nrows written per create phase:");
        for (const auto& [t, c] : tables.begin()->second) fmt::print(" {} {}", t, c);
        fmt::print("\n");
    }
    if (const auto* cpp = find("create-cpp"); cpp && raw_create)
        fmt::print("target create C++ <= 2.0x raw (SQL + JSON): {:.2f}x; vs raw SQL only: {:.2f}x\n",
                   cpp->seconds / raw_create->seconds, cpp->seconds / (raw_create->seconds - raw_create->aux_seconds));
    if (const auto* cpp = find("get-cpp"); cpp && raw_get)
        fmt::print("target get C++ <= 1.5x raw: {:.2f}x\n", cpp->seconds / raw_get->seconds);
    return failures ? 1 : 0;
}
