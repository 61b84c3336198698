// bench_segments: evaluating segments (docs/segments.md) over N contacts with about
// ten interactions each, against the SQL an expert would write by hand for the same
// answer, in the same run on the same file. Three segments: attribute-only,
// behaviour count in a window, and both combined. Each is counted and its members
// listed (every page of 10,000 ids); the answers must be equal (exit 1 otherwise).
//
//   build/bench/bench_segments [N] [DIR]      (N default 100000; 200 for a smoke run)
//
// Population (not timed): accounts and contacts through the library in one
// transaction, interactions through Interactions::ingest, and email "opened" events
// written with plain SQL (tracking each through the API would take minutes and is
// not what is measured).
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "crm/crm.hpp"

namespace {

constexpr std::int64_t kDay = 86'400'000;

struct Case {
    const char* name;
    const char* expr;
    const char* count_sql;  // the expert's query; ?1 = now
    const char* ids_sql;
};

const Case kCases[] = {
    {"attribute-only", "lifecycle_stage = 'mql' and account.industry in ('製造業', '小売')",
     "SELECT count(*) FROM contacts c JOIN accounts a ON a.id = c.account_id "
     "WHERE c.lifecycle_stage = 'mql' AND a.industry IN ('製造業', '小売') AND ?1 IS NOT NULL",
     "SELECT c.id FROM contacts c JOIN accounts a ON a.id = c.account_id "
     "WHERE c.lifecycle_stage = 'mql' AND a.industry IN ('製造業', '小売') AND ?1 IS NOT NULL ORDER BY c.id"},
    {"behaviour count in window", "count(web_visit, last 30d) >= 3",
     "SELECT count(*) FROM contacts c WHERE (SELECT count(*) FROM interaction_links l JOIN interactions i ON i.id = "
     "l.interaction_id WHERE l.entity = 'contact' AND l.record_id = c.id AND l.occurred_at > ?1 - 30 * 86400000 AND "
     "l.occurred_at <= ?1 AND i.kind = 'web_visit') >= 3",
     "SELECT c.id FROM contacts c WHERE (SELECT count(*) FROM interaction_links l JOIN interactions i ON i.id = "
     "l.interaction_id WHERE l.entity = 'contact' AND l.record_id = c.id AND l.occurred_at > ?1 - 30 * 86400000 AND "
     "l.occurred_at <= ?1 AND i.kind = 'web_visit') >= 3 ORDER BY c.id"},
    {"combined", "lifecycle_stage in ('mql', 'sql') and count(email opened, last 30d) >= 2",
     "SELECT count(*) FROM contacts c WHERE c.lifecycle_stage IN ('mql', 'sql') AND (SELECT count(*) FROM "
     "interaction_links l JOIN email_events e ON e.interaction_id = l.interaction_id WHERE l.entity = 'contact' AND "
     "l.record_id = c.id AND l.occurred_at <= ?1 AND e.event = 'opened' AND e.occurred_at > ?1 - 30 * 86400000 AND "
     "e.occurred_at <= ?1 AND (lower(e.address) IN (SELECT address_norm FROM contact_emails ce WHERE ce.contact_id = "
     "c.id) OR NOT EXISTS (SELECT 1 FROM interaction_links o WHERE o.interaction_id = l.interaction_id AND o.entity = "
     "'contact' AND o.record_id <> c.id))) >= 2",
     "SELECT c.id FROM contacts c WHERE c.lifecycle_stage IN ('mql', 'sql') AND (SELECT count(*) FROM "
     "interaction_links l JOIN email_events e ON e.interaction_id = l.interaction_id WHERE l.entity = 'contact' AND "
     "l.record_id = c.id AND l.occurred_at <= ?1 AND e.event = 'opened' AND e.occurred_at > ?1 - 30 * 86400000 AND "
     "e.occurred_at <= ?1 AND (lower(e.address) IN (SELECT address_norm FROM contact_emails ce WHERE ce.contact_id = "
     "c.id) OR NOT EXISTS (SELECT 1 FROM interaction_links o WHERE o.interaction_id = l.interaction_id AND o.entity = "
     "'contact' AND o.record_id <> c.id))) >= 2 ORDER BY c.id"},
};

[[noreturn]] void die(const std::string& why) {
    std::fprintf(stderr, "bench_segments: %s\n", why.c_str());
    std::exit(1);
}

template <class T>
T must(crm::result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().message);
    return std::move(r).value();
}

void populate(const std::string& path, int n, crm::Timestamp now) {
    auto db = must(crm::Db::open(path), "open");
    db.set_clock([now] { return now; });
    std::mt19937_64 r(42);
    auto pick = [&](int k) { return static_cast<int>(r() % static_cast<unsigned>(k)); };
    const char* industries[] = {"製造業", "小売", "IT", "金融", ""};
    const char* stages[] = {"lead", "mql", "sql", "customer"};
    std::vector<crm::Id> accounts, contacts;
    {
        auto tx = must(db.begin(), "begin");
        for (int i = 0; i < std::max(1, n / 20); ++i) {
            crm::Account a;
            a.name = "株式会社" + std::to_string(i);
            a.industry = industries[pick(5)];
            accounts.push_back(must(db.accounts().create(a), "account"));
        }
        for (int i = 0; i < n; ++i) {
            crm::Contact c;
            c.name = "顧客 " + std::to_string(i);
            c.lifecycle_stage = *crm::lifecycle_stage_from_string(stages[pick(4)]);
            if (pick(10) < 8) c.account_id = accounts[static_cast<std::size_t>(pick(static_cast<int>(accounts.size())))];
            c.emails.push_back({"user" + std::to_string(i) + "@example.jp", "work", true});
            contacts.push_back(must(db.contacts().create(c), "contact"));
        }
        must(tx.commit(), "commit");
    }
    const char* kinds[] = {"web_visit", "web_visit", "email", "email", "call"};
    std::vector<crm::Interaction> batch;
    crm::IngestOptions o;
    o.source = "bench";
    long long made = 0;
    for (int i = 0; i < n * 10; ++i) {
        crm::Interaction x;
        x.kind = kinds[pick(5)];
        x.occurred_at = now - static_cast<std::int64_t>(r() % static_cast<std::uint64_t>(90 * kDay));
        x.external_id = "b-" + std::to_string(i);
        x.contact_ids = {contacts[static_cast<std::size_t>(pick(n))]};
        batch.push_back(std::move(x));
        if (batch.size() == 10000 || i == n * 10 - 1) {
            made += must(db.interactions().ingest(batch, o), "ingest").inserted;
            batch.clear();
        }
    }
    must(db.close(), "close");
    // Email events: half of the emails opened, some twice, by their recipient.
    sqlite3* raw = nullptr;
    sqlite3_open(path.c_str(), &raw);
    sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_exec(raw,
                 "INSERT INTO email_events(interaction_id, event, occurred_at, url, created_at, address, soft) "
                 "SELECT i.id, 'opened', i.occurred_at + 3600000, '', i.occurred_at, ce.address, 0 "
                 "FROM interactions i JOIN interaction_links l ON l.interaction_id = i.id AND l.entity = 'contact' "
                 "JOIN contact_emails ce ON ce.contact_id = l.record_id WHERE i.kind = 'email' AND i.id % 2 = 0;"
                 "INSERT INTO email_events(interaction_id, event, occurred_at, url, created_at, address, soft) "
                 "SELECT interaction_id, 'opened', occurred_at + 60000, '', created_at, address, 0 FROM email_events "
                 "WHERE interaction_id % 3 = 0",
                 nullptr, nullptr, nullptr);
    sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    std::printf("populated: %d contacts, %zu accounts, %lld interactions\n", n, accounts.size(), made);
}

std::vector<crm::Id> raw_ids(sqlite3* raw, const char* sql, crm::Timestamp now) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(raw, sql, -1, &s, nullptr) != SQLITE_OK) die(sqlite3_errmsg(raw));
    sqlite3_bind_int64(s, 1, now);
    std::vector<crm::Id> out;
    while (sqlite3_step(s) == SQLITE_ROW) out.push_back(sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
    if (n < 10 || n > 10'000'000) die("N must be between 10 and 10000000");
    bench::ScratchDir dir(argc > 2 ? argv[2] : "");
    const std::string path = dir.file("segments.crm");
    const crm::Timestamp now = *crm::parse_iso8601("2026-06-01T00:00:00Z");
    populate(path, n, now);

    auto db = must(crm::Db::open(path), "open");
    db.set_clock([now] { return now; });
    auto seg = db.segments();
    sqlite3* raw = nullptr;
    sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    const int reps = n <= 1000 ? 20 : 3;
    bool all_equal = true;
    double worst = 0;
    std::printf("%-28s %9s %12s %12s %8s %12s %12s %8s\n", "segment", "members", "crm count", "raw count", "ratio",
                "crm ids", "raw ids", "ratio");
    for (const auto& c : kCases) {
        bench::Stopwatch crm_count, raw_count, crm_ids, raw_ids_sw;
        std::int64_t got = 0, want = 0;
        std::vector<crm::Id> got_ids, want_ids;
        for (int k = 0; k < reps; ++k) {
            got = crm_count.time([&] { return must(seg.count_expr(c.expr), c.name); });
            want = raw_count.time([&] {
                auto v = raw_ids(raw, c.count_sql, now);
                return v.empty() ? std::int64_t{0} : static_cast<std::int64_t>(v.front());
            });
            got_ids = crm_ids.time([&] {
                std::vector<crm::Id> out;
                crm::ListOptions o;
                o.limit = 10000;
                for (;;) {
                    auto page = must(seg.contact_ids_expr(c.expr, o), c.name);
                    out.insert(out.end(), page.items.begin(), page.items.end());
                    if (page.next.empty()) break;
                    o.after = page.next;
                }
                return out;
            });
            want_ids = raw_ids_sw.time([&] { return raw_ids(raw, c.ids_sql, now); });
        }
        const bool equal = got == want && got_ids == want_ids && static_cast<std::int64_t>(got_ids.size()) == got;
        all_equal = all_equal && equal;
        const double r1 = crm_count.seconds() / raw_count.seconds(), r2 = crm_ids.seconds() / raw_ids_sw.seconds();
        worst = std::max({worst, r1, r2});
        std::printf("%-28s %9lld %10.2fms %10.2fms %7.2fx %10.2fms %10.2fms %7.2fx%s\n", c.name,
                    static_cast<long long>(got), 1000 * crm_count.seconds() / reps,
                    1000 * raw_count.seconds() / reps, r1, 1000 * crm_ids.seconds() / reps,
                    1000 * raw_ids_sw.seconds() / reps, r2, equal ? "" : "  RESULTS DIFFER");
    }
    sqlite3_close(raw);
    std::printf("worst ratio %.2fx (target 1.5x)\n", worst);
    if (!all_equal) {
        std::fprintf(stderr, "bench_segments: crm and the hand-written SQL disagree\n");
        return 1;
    }
    return 0;
}
