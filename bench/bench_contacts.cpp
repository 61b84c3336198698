// bench_contacts — bulk create and get-by-id of contacts with their accounts,
// through the C++ API, the C ABI and raw-SQLite baselines in the same run.
//
//   bench_contacts [CONTACTS] [--repeats N] [--accounts N] [--users N] [--gets N]
//                  [--seed S] [--dir DIR] [--only PHASE] [--raw-autocommit]
//
// Each phase runs in its own process (peak RSS is per phase) on its own file in
// a scratch directory, with the library's settings: WAL, synchronous=NORMAL,
// foreign_keys=ON. Timed: BEGIN … COMMIT of the writes, and the reads; the
// sample generator's work is not timed. The phases run --repeats times, library
// and raw runs interleaved; every ratio is taken between a library run and the
// raw run next to it, and reported as the median over the repeats with its
// spread. docs/benchmarks.md explains the output.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_util.hpp"
#include "contacts_checks.hpp"  // defines BENCH_HAVE_CAPI when crm.h is there
#include "contacts_workload.hpp"
#include "crm/crm.hpp"
#include "raw_json.hpp"
#include "raw_sqlite.hpp"

namespace {

using bench::contacts::Config;
using bench::contacts::Workload;
using bench::contacts::checksum;
using bench::contacts::done;
using bench::raw::create_raw;
using bench::raw::get_raw;
using bench::raw::get_raw_json;
#ifdef BENCH_HAVE_CAPI
using bench::contacts::check_json;
using bench::contacts::check_json_edge_cases;
#endif
using bench::contacts::check_rows;

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
    std::vector<bench::PhaseResult> runs{};  // one per repeat; ok == 0 if it failed or did not run
};

constexpr int kDefaultRepeats = 5;

[[noreturn]] void usage(int code) {
    std::fputs("usage: bench_contacts [CONTACTS=100000] [--repeats N (5)] [--accounts N (default CONTACTS/10)]\n"
               "                      [--users N (10)] [--gets N (default CONTACTS)] [--seed S] [--dir DIR (kept)]\n"
               "                      [--only PHASE] [--raw-autocommit]\n"
               "  --repeats runs every phase N times, library and raw runs interleaved; ratios are medians.\n"
               "  --only runs the phases whose name contains PHASE in this process (for profilers; --repeats\n"
               "  defaults to 1); get-* phases read DIR/cpp.crm, so create it first with --dir DIR --only create-cpp.\n"
               "  --raw-autocommit: get-raw and get-raw-json read each query as its own autocommit read\n"
               "  (default: each contact in one read transaction, as the library reads a record).\n",
               code ? stderr : stdout);
    std::exit(code);
}

struct Options {
    Config cfg;
    int repeats = -1;
};

Options parse(int argc, char** argv) {
    Options o;
    Config& c = o.cfg;
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
        else if (a == "--repeats") o.repeats = static_cast<int>(std::clamp(number(i), 0LL, 1000LL));
        else if (a == "--raw-autocommit") c.raw_read_txn = false;
        else if (a == "--dir" && i + 1 < argc) c.dir = argv[++i];
        else if (a == "--only" && i + 1 < argc) c.only = argv[++i];
        else if (!a.empty() && a[0] != '-') c.contacts = to_number(argv[i]);
        else usage(2);
    }
    if (c.accounts < 0) c.accounts = std::max(1LL, c.contacts / 10);
    if (c.gets < 0) c.gets = c.contacts;
    if (o.repeats < 0) o.repeats = c.only.empty() ? kDefaultRepeats : 1;
    if (c.contacts < 1 || c.accounts < 1 || c.users < 1 || c.gets < 0 || o.repeats < 1) usage(2);
    return o;
}

// The q-quantile of v, interpolated linearly between order statistics (numpy's default).
double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double at = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(at);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (at - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double median(const std::vector<double>& v) { return quantile(v, 0.5); }

// The interquartile range relative to the median: how far apart the middle half of the
// per-repeat values are. Unlike (max - min) it does not grow with the number of repeats, and
// one disturbed repeat out of five does not move it much. With 3 repeats it is half the range.
double spread(const std::vector<double>& v) { return (quantile(v, 0.75) - quantile(v, 0.25)) / median(v); }

}  // namespace

int main(int argc, char** argv) {
    const Options opt = parse(argc, argv);
    const Config& cfg = opt.cfg;
    const int repeats = opt.repeats;
    bench::ScratchDir dir(cfg.dir);
    std::vector<Phase> phases = {
        {"create-raw", create_raw, "raw.crm"},
        {"create-cpp", create_cpp, "cpp.crm"},
#ifdef BENCH_HAVE_CAPI
        {"create-capi", create_capi, "capi.crm"},
#endif
        {"get-raw", get_raw, "cpp.crm"},
        {"get-cpp", get_cpp, "cpp.crm"},
        {"get-raw-json", get_raw_json, "cpp.crm"},
#ifdef BENCH_HAVE_CAPI
        {"get-capi", get_capi, "cpp.crm"},
#endif
    };
    auto phase = [&](std::string_view name) -> Phase* {
        for (auto& p : phases)
            if (p.name == name) return &p;
        return nullptr;
    };
    auto selected = [&](const Phase& p) {
        return cfg.only.empty() || std::string(p.name).find(cfg.only) != std::string::npos;
    };
    // The order within a repeat: every library run sits next to the raw run it is divided by.
    // Odd repeats reverse it, so neither side of a pair is always first.
    const std::vector<const char*> order = {"create-cpp", "create-raw", "create-capi",
                                            "get-raw",    "get-cpp",    "get-raw-json", "get-capi"};
    fmt::print("bench_contacts: {} contacts, {} accounts, {} users; {} gets; seed {}; {} repeats; SQLite {}; crm {}\n"
               "raw gets: {}\nfiles in {}\n\n",
               cfg.contacts, cfg.accounts, cfg.users, cfg.gets, cfg.seed, repeats, sqlite3_libversion(),
               crm::version(),
               cfg.raw_read_txn ? "one read transaction per contact" : "one autocommit read per query (--raw-autocommit)",
               dir.path.string());
    for (auto& p : phases) p.runs.resize(static_cast<std::size_t>(repeats));
    const bool isolate = cfg.only.empty();
    int failures = 0;
    auto fail = [&](const std::string& what) {
        fmt::print(stderr, "FAILED: {}\n", what);
        ++failures;
    };

#ifdef BENCH_HAVE_CAPI
    if (isolate) {
        const std::string file = dir.file("json-check.crm");
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
        const auto r = bench::run_phase([&] { return check_json_edge_cases(file); }, true);
        if (!r.ok) fail(fmt::format("get-raw-json on edge cases: {}", r.message));
        else fmt::print("checked: get-raw-json's documents = crm_record_get's on {} edge-case contacts\n", r.records);
    }
#endif
    std::string rows_written;
    long long rows_per_create = 0;
    for (int rep = 0; rep < repeats && !failures; ++rep) {
        std::vector<const char*> this_order = order;
        if (rep % 2) {  // cpp raw capi | raw cpp json capi  ->  capi raw cpp | cpp raw capi json
            std::reverse(this_order.begin(), this_order.begin() + 3);
            std::swap(this_order[3], this_order[4]);
            std::swap(this_order[5], this_order[6]);
        }
        std::string progress = fmt::format("repeat {}/{}:", rep + 1, repeats);
        for (const char* name : this_order) {
            Phase* p = phase(name);
            if (!p) continue;  // no C ABI
            if (!selected(*p)) continue;
            if (std::string(p->name).starts_with("create"))
                for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(dir.file(p->file) + suffix);
            const std::string file = dir.file(p->file);
            auto& r = p->runs[static_cast<std::size_t>(rep)];
            r = bench::run_phase([&] {
                try {
                    return p->run(cfg, file);
                } catch (const std::exception& e) {
                    return bench::failed(e.what());
                }
            }, isolate);
            if (!r.ok) fail(fmt::format("{} (repeat {}): {}", p->name, rep + 1, r.message));
            else progress += fmt::format(" {} {:.3f}s", p->name, r.seconds);
        }
        fmt::print("{}\n", progress);
        std::fflush(stdout);
        if (!isolate || failures) continue;
        auto ok_in = [&](const char* name) {
            const Phase* p = phase(name);
            return p && p->runs[static_cast<std::size_t>(rep)].ok;
        };
        // Same rows written by every create path.
        std::vector<std::string> created;
        for (const char* name : {"create-raw", "create-cpp", "create-capi"})
            if (ok_in(name)) created.push_back(dir.file(phase(name)->file));
        if (created.size() > 1) {
            const auto r = bench::run_phase([&] { return check_rows(created); }, true);
            if (!r.ok) fail(r.message);
            rows_per_create = r.records;
            rows_written = r.message;
        }
        // get-raw and get-cpp read the same data.
        if (ok_in("get-raw") && ok_in("get-cpp") &&
            std::string(phase("get-raw")->runs[static_cast<std::size_t>(rep)].message) !=
                phase("get-cpp")->runs[static_cast<std::size_t>(rep)].message)
            fail(fmt::format("get-raw and get-cpp read different data ({} vs {})",
                             phase("get-raw")->runs[static_cast<std::size_t>(rep)].message,
                             phase("get-cpp")->runs[static_cast<std::size_t>(rep)].message));
#ifdef BENCH_HAVE_CAPI
        // get-raw-json builds the documents crm_record_get returns, on a sample of the ids read.
        if (ok_in("get-raw-json")) {
            Workload w{cfg};
            std::vector<crm::Id> ids;
            for (long long k = 0; k < std::min(cfg.gets, 1000LL); ++k) ids.push_back(w.random_contact(k));
            const auto r = bench::run_phase([&] { return check_json(dir.file("cpp.crm"), ids); }, true);
            if (!r.ok) fail(fmt::format("get-raw-json (repeat {}): {}", rep + 1, r.message));
            else if (rep == 0)
                fmt::print("checked: get-raw-json's documents = crm_record_get's on {} of the contacts read "
                           "(every repeat)\n", r.records);
        }
#endif
    }

    // ---- per-phase figures: median over the repeats, and their range
    auto times = [&](const Phase& p, bool sql_only = false) {
        std::vector<double> v;
        for (const auto& r : p.runs)
            if (r.ok) v.push_back(sql_only ? r.seconds - r.aux_seconds : r.seconds);
        return v;
    };
    fmt::print("\n{:<24} {:>10} {:>17} {:>10} {:>10} {:>10}\n", "phase (median of runs)", "time (s)", "min-max (s)",
               "records/s", "rows/s", "peak RSS");
    auto line = [&](const std::string& label, const Phase& p, bool sql_only) {
        const auto v = times(p, sql_only);
        if (v.empty()) return;
        const double secs = median(v);
        long long records = 0;
        long rss = 0;
        for (const auto& r : p.runs)
            if (r.ok) records = r.records, rss = std::max(rss, r.max_rss_kb);
        const bool create = label.starts_with("create");
        const std::string rows_s =
            create && rows_per_create ? fmt::format("{:.0f}", static_cast<double>(rows_per_create) / secs) : "-";
        fmt::print("{:<24} {:>10.3f} {:>17} {:>10.0f} {:>10} {:>7.1f} MB\n", label, secs,
                   fmt::format("{:.3f}-{:.3f}", *std::min_element(v.begin(), v.end()),
                               *std::max_element(v.begin(), v.end())),
                   static_cast<double>(records) / secs, rows_s, static_cast<double>(rss) / 1024.0);
    };
    for (const auto& p : phases) {
        if (std::string(p.name) == "create-raw") {
            line("create-raw (SQL only)", p, true);
            line("create-raw (SQL + JSON)", p, false);
        } else {
            line(p.name, p, false);
        }
    }
    if (!rows_written.empty())
        fmt::print("\nrows written by each create phase ({} in all): {}\n", rows_per_create, rows_written);

    // ---- ratios: each library run divided by the raw run next to it in the same repeat
    struct Ratio {
        const char* label;
        const char* lib;
        const char* base;
        bool sql_only;  // divide by the baseline's time without building its JSON
        std::optional<double> target;
        std::vector<double> values{};
    };
    std::vector<Ratio> ratios = {
        {"create C++ / raw SQL-only", "create-cpp", "create-raw", true, 1.5},
        {"create C ABI / raw SQL-only", "create-capi", "create-raw", true, 1.8},
        {"get C ABI / raw-with-JSON", "get-capi", "get-raw-json", false, 1.3},
        {"get C++ / raw", "get-cpp", "get-raw", false, 1.5},
        {"create C++ / raw SQL+JSON", "create-cpp", "create-raw", false, std::nullopt},
        {"create C ABI / raw SQL+JSON", "create-capi", "create-raw", false, std::nullopt},
        {"get C ABI / raw (no JSON)", "get-capi", "get-raw", false, std::nullopt},
    };
    for (auto& q : ratios) {
        const Phase* lib = phase(q.lib);
        const Phase* base = phase(q.base);
        if (!lib || !base) continue;
        for (int rep = 0; rep < repeats; ++rep) {
            const auto& l = lib->runs[static_cast<std::size_t>(rep)];
            const auto& b = base->runs[static_cast<std::size_t>(rep)];
            if (l.ok && b.ok) q.values.push_back(l.seconds / (q.sql_only ? b.seconds - b.aux_seconds : b.seconds));
        }
    }
    const bool any_ratio = std::any_of(ratios.begin(), ratios.end(), [](const Ratio& q) { return !q.values.empty(); });
    if (!any_ratio) return failures ? 1 : 0;
    fmt::print("\n{:<29} {:>7} {:>7} {:>12}  {}\n", "ratio (library / raw)", "median", "spread", "min-max",
               "per repeat");
    for (const auto& q : ratios) {
        if (q.values.empty()) continue;
        std::string each;
        for (double x : q.values) each += fmt::format("{}{:.2f}", each.empty() ? "" : " ", x);
        const auto [lo, hi] = std::minmax_element(q.values.begin(), q.values.end());
        const std::string s = q.values.size() >= 3 ? fmt::format("{:.0f}%", 100 * spread(q.values)) : "-";
        fmt::print("{:<29} {:>6.2f}x {:>7} {:>12}  {}\n", q.label, median(q.values), s,
                   fmt::format("{:.2f}-{:.2f}", *lo, *hi), each);
    }
    fmt::print("(each library run is divided by the raw run next to it in the same repeat; median and spread are "
               "over those per-repeat ratios;\n spread = interquartile range / median, quartiles interpolated "
               "linearly; with 3 repeats that is half the range)\n\n");
    bool wide = false, few = false;
    for (const auto& q : ratios) {
        if (!q.target || q.values.empty()) continue;
        const double m = median(q.values);
        const std::size_t n = q.values.size();
        std::string s = "spread n/a";
        if (n >= 3) {
            s = fmt::format("spread {:.0f}%", 100 * spread(q.values));
            wide = wide || spread(q.values) > 0.10;
        } else {
            few = true;
        }
        const std::string label = q.label;
        const std::string what = label.substr(0, label.find(" / ")), base = label.substr(label.find(" / ") + 3);
        fmt::print("target {} <= {:.1f}x {}: median {:.2f}x ({}, {} repeat{}) {}\n", what, *q.target, base, m, s, n,
                   n == 1 ? "" : "s", m <= *q.target ? "met" : "MISSED");
    }
    if (few)
        fmt::print("note: fewer than 3 repeats give no spread; a single run cannot tell a steady ratio from noise.\n");
    if (wide)
        fmt::print("note: a spread above 10% means the machine was not steady enough for the median to decide a "
                   "target; run again when it is quieter, or with more --repeats (and runs under about 10,000 contacts "
                   "are too short to time at all).\n");
    return failures ? 1 : 0;
}
