// cmd_demo.cpp — `crm demo`: a deterministic sample company in a fresh database,
// then a summary of what is in it.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "commands.hpp"
#include "crm/sample.hpp"
#include "records.hpp"

namespace cli {

namespace {
struct Size {
    std::string name;
    crm::sample::Options options;
};

Size parse_size(const std::string& s) {
    Size z{s, {}};
    auto& o = z.options;
    if (s == "small") { o.users = 5; o.teams = 2; o.accounts = 20; o.contacts = 200; return z; }
    if (s == "medium") { o.users = 20; o.teams = 4; o.accounts = 200; o.contacts = 5000; return z; }
    if (s == "large") { o.users = 100; o.teams = 10; o.accounts = 2000; o.contacts = 100000; return z; }
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || n < 1 || n > 10000000)
        invalid_input(fmt::format("--size: '{}' is not small, medium, large or a number of contacts (1 … 10000000)", s));
    o.contacts = n;
    o.accounts = std::max<std::size_t>(1, n / 25);
    o.users = std::clamp<std::size_t>(n / 50, 1, 500);
    o.teams = std::max<std::size_t>(1, o.users / 5);
    return z;
}

// Refuses to replace a non-empty file unless --force; with it, removes the
// file and its WAL / shared-memory / journal companions.
void prepare_file(const std::string& path, bool force) {
    namespace fs = std::filesystem;
    if (path == ":memory:") return;
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    if (fs::is_directory(path, ec)) invalid_input(fmt::format("{}: is a directory", path));
    if (fs::file_size(path, ec) == 0 && !ec) return;
    if (!force)
        throw Failure{exit_invalid, fmt::format("{}: file exists and is not empty; the demo needs a fresh database", path),
                      crm::errc_name(crm::errc::already_exists), "use --force to replace it, or --db to choose another file"};
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::remove(path + suffix, ec);
        if (ec) throw Failure{exit_other, fmt::format("{}{}: cannot remove: {}", path, suffix, ec.message()), "io_error", {}};
    }
}

bool has_non_ascii(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::int64_t count_history(crm::Db& db) {
    std::int64_t n = 0;
    crm::Id after = 0;
    for (;;) {
        auto page = must(db.history().since(after, 10000));
        if (page.empty()) return n;
        n += static_cast<std::int64_t>(page.size());
        after = page.back().id;
    }
}

struct TopAccount {
    crm::Account account;
    std::int64_t contacts = 0;
};
}  // namespace

int cmd_demo(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"size", true}, {"seed", true}, {"force", false}, {"quiet", false}});
    a.expect_positional(0, 0);
    Size size = parse_size(a.get("size").value_or("small"));
    if (auto s = a.get("seed")) {
        auto v = parse_int(*s, "--seed");
        if (v < 0) invalid_input("--seed: must not be negative");
        size.options.seed = static_cast<std::uint64_t>(v);
    }
    prepare_file(ctx.db_path, a.has("force"));
    auto& db = ctx.open(/*create=*/true);

    // Progress on stderr: a live line on a terminal, else a line per 10% for big runs.
    const bool tty = isatty(STDERR_FILENO) != 0 && !a.has("quiet");
    const bool lines = !tty && !a.has("quiet") && size.options.contacts >= 20000;
    int last_step = -1;
    auto progress = [&](std::size_t done, std::size_t total) {
        if (total == 0) return;
        const int pct = static_cast<int>(done * 100 / total);
        if (tty) {
            fmt::print(stderr, "\rcreating sample company: {:3}% ({}/{})", pct, done, total);
            std::fflush(stderr);
        } else if (lines && pct / 10 != last_step) {
            last_step = pct / 10;
            fmt::print(stderr, "creating sample company: {}% ({}/{})\n", pct, done, total);
        }
    };
    auto summary = crm::sample::populate(db, size.options, progress);
    if (tty) fmt::print(stderr, "\r\033[K");
    if (!summary) raise(summary.error());

    // What is in it.
    const std::int64_t users = must(db.users().count()), teams = must(db.teams().count());
    const std::int64_t accounts = must(db.accounts().count()), contacts = must(db.contacts().count());
    const std::int64_t changes = count_history(db);
    std::vector<std::pair<std::string, std::int64_t>> stages;
    for (int i = 0; i <= static_cast<int>(crm::LifecycleStage::other); ++i) {
        const char* st = crm::to_string(static_cast<crm::LifecycleStage>(i));
        auto n = must(db.contacts().count({crm::Filter{"lifecycle_stage", crm::Op::eq, st}}));
        if (n > 0) stages.emplace_back(st, n);
    }
    std::vector<TopAccount> top;
    crm::ListOptions lo;
    lo.limit = 1000;
    do {
        auto page = must(db.accounts().list(lo));
        for (auto& acc : page.items) {
            auto n = must(db.contacts().count({crm::Filter{"account_id", crm::Op::eq, std::to_string(acc.id)}}));
            top.push_back({std::move(acc), n});
        }
        lo.after = page.next;
    } while (!lo.after.empty());
    std::stable_sort(top.begin(), top.end(), [](const auto& x, const auto& y) { return x.contacts > y.contacts; });
    if (top.size() > 5) top.resize(5);
    std::vector<std::string> samples;
    crm::ListOptions co;
    co.limit = 200;
    for (const auto& c : must(db.contacts().list(co)).items) {
        if (samples.size() == 5) break;
        if (has_non_ascii(c.name) && !c.name_reading.empty()) samples.push_back(crm::to_json(c));
    }

    if (ctx.format == Format::as_json) {
        json j = {{"db", ctx.db_path}, {"seed", size.options.seed}, {"size", size.name},
                  {"counts", {{"users", users}, {"teams", teams}, {"accounts", accounts}, {"contacts", contacts}}},
                  {"history", changes}};
        json st = json::object();
        for (const auto& [k, v] : stages) st[k] = v;
        j["contacts_by_stage"] = st;
        json ta = json::array();
        for (const auto& t : top)
            ta.push_back({{"id", t.account.id}, {"name", t.account.name}, {"name_reading", t.account.name_reading},
                          {"contacts", t.contacts}});
        j["top_accounts"] = ta;
        json sc = json::array();
        for (const auto& s : samples) sc.push_back(json::parse(s));
        j["sample_contacts"] = sc;
        print_json_doc(j.dump());
        return exit_ok;
    }
    if (ctx.format == Format::as_csv) {
        Table t{{"section", "key", "value"}, {}};
        for (auto [k, v] : {std::pair{"users", users}, {"teams", teams}, {"accounts", accounts}, {"contacts", contacts},
                            {"history", changes}})
            t.rows.push_back({"count", k, std::to_string(v)});
        for (const auto& [k, v] : stages) t.rows.push_back({"stage", k, std::to_string(v)});
        for (const auto& x : top) t.rows.push_back({"top_account", x.account.name, std::to_string(x.contacts)});
        for (const auto& s : samples) {
            auto c = json::parse(s);
            t.rows.push_back({"sample_contact", c["name"].get<std::string>(), c["name_reading"].get<std::string>()});
        }
        print_csv(t);
        return exit_ok;
    }
    fmt::print("sample company created in {} (size {}, seed {})\n\n", ctx.db_path, size.name, size.options.seed);
    Table counts{{"entity", "count"}, {}};
    for (auto [k, v] : {std::pair{"users", users}, {"teams", teams}, {"accounts", accounts}, {"contacts", contacts},
                        {"history rows", changes}})
        counts.rows.push_back({k, std::to_string(v)});
    print_table(counts);
    fmt::print("\ncontacts by lifecycle stage\n");
    Table st{{"stage", "contacts"}, {}};
    for (const auto& [k, v] : stages) st.rows.push_back({k, std::to_string(v)});
    print_table(st);
    fmt::print("\ntop accounts by contacts\n");
    Table ta{{"id", "name", "reading", "contacts"}, {}};
    for (const auto& x : top)
        ta.rows.push_back({std::to_string(x.account.id), x.account.name, x.account.name_reading, std::to_string(x.contacts)});
    print_table(ta);
    fmt::print("\nsample contacts\n");
    print_list(ctx, crm::Entity::contact, samples);
    fmt::print("\ntry: crm --db {} contact list --where lifecycle_stage=customer --limit 10\n", ctx.db_path);
    return exit_ok;
}

std::string demo_usage() {
    return "usage: crm demo [--size small|medium|large|N] [--seed S] [--force] [--quiet] [--db FILE]\n\n"
           "Creates a deterministic sample company (Japanese and Western people and companies,\n"
           "with readings) in a fresh database and prints a summary. The same seed and size\n"
           "always give the same data.\n\n"
           "  small   5 users, 2 teams, 20 accounts, 200 contacts (default)\n"
           "  medium  20 users, 4 teams, 200 accounts, 5,000 contacts\n"
           "  large   100 users, 10 teams, 2,000 accounts, 100,000 contacts\n"
           "  N       N contacts, N/25 accounts, N/50 users (at most 500), users/5 teams\n\n"
           "An existing non-empty file is never replaced without --force. Progress goes to\n"
           "stderr (a live line on a terminal); --quiet turns it off.\n";
}

}  // namespace cli
