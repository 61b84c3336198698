// bench_ingest — bulk ingest of interactions and timeline reads against raw SQLite.
//
//   bench_ingest [N]   (default 1,000,000)
//
// 1. Ingest: N interactions (each linked to one of 100 contacts of one account,
//    with an external event id) through Interactions::ingest in batches of 10,000,
//    vs raw SQLite inserting the same interaction rows and link rows, with the
//    same schema, indexes and pragmas (WAL, synchronous=NORMAL), in the same
//    batches. Reports throughput ratio (target >= 60% of raw) and peak RSS
//    after the crm phase (target < 100 MB).
// 2. Timeline: first page (50) of one contact (N/100 interactions) and of the
//    account (100 contacts) vs hand-written SQL returning the same rows and
//    links (target within 2x). The account's hand-written SQL is the natural
//    single query (a UNION of the account's and its contacts' links, sorted,
//    LIMIT 50), which sorts every link of every contact; crm merges each
//    source's newest 50 instead, so its ratio falls as the history grows.
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "crm/crm.hpp"

namespace {
using Clock = std::chrono::steady_clock;
double secs(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
long peak_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}
constexpr int kContacts = 100;
constexpr std::size_t kBatch = 10000;
constexpr crm::Timestamp kT0 = 1'700'000'000'000;

struct Setup {
    crm::Id account = 0;
    std::vector<crm::Id> contacts;
};

Setup make_db(const std::string& path) {
    auto db = crm::Db::open(path).value();
    Setup s;
    crm::Account a;
    a.name = "株式会社ベンチ";
    s.account = db.accounts().create(a).value();
    for (int i = 0; i < kContacts; ++i) {
        crm::Contact c;
        c.name = "顧客 " + std::to_string(i);
        c.account_id = s.account;
        s.contacts.push_back(db.contacts().create(c).value());
    }
    return s;
}

crm::Interaction item(const Setup& s, std::size_t k) {
    crm::Interaction i;
    i.kind = k % 4 ? "web_visit" : "email";
    i.occurred_at = kT0 + static_cast<crm::Timestamp>(k) * 1000;
    i.direction = crm::Direction::inbound;
    i.subject = "製品ページ閲覧";
    i.url = "https://example.jp/products/" + std::to_string(k % 500);
    i.external_id = "evt-" + std::to_string(k);
    i.contact_ids = {s.contacts[k % kContacts]};
    return i;
}

void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "sqlite: %s\n", err ? err : "?");
        std::exit(1);
    }
}

const char* kOneSql =
    "SELECT i.id,i.external_id,i.kind,i.occurred_at,i.direction,i.channel,i.subject,i.body,i.actor_id,i.url,"
    "i.referrer,i.source,i.created_at,i.updated_at FROM interaction_links l JOIN interactions i ON i.id=l.interaction_id "
    "WHERE l.entity='contact' AND l.record_id=?1 ORDER BY l.occurred_at DESC, l.interaction_id DESC LIMIT 50";
const char* kAccountSql =
    "SELECT i.id,i.external_id,i.kind,i.occurred_at,i.direction,i.channel,i.subject,i.body,i.actor_id,i.url,"
    "i.referrer,i.source,i.created_at,i.updated_at FROM interactions i JOIN ("
    "SELECT l.occurred_at AS at, l.interaction_id AS iid FROM interaction_links l WHERE l.entity='account' AND l.record_id=?1 "
    "UNION SELECT l.occurred_at, l.interaction_id FROM contacts c CROSS JOIN interaction_links l ON l.entity='contact' AND "
    "l.record_id=c.id WHERE c.account_id=?1 ORDER BY 1 DESC, 2 DESC LIMIT 50) p ON i.id=p.iid ORDER BY p.at DESC, p.iid DESC";

// Reads a page the hand-written way: the rows in one query, then each row's links.
std::size_t raw_page(sqlite3* db, sqlite3_stmt* page, sqlite3_stmt* links, crm::Id id) {
    sqlite3_bind_int64(page, 1, id);
    std::size_t n = 0;
    std::string sink;
    while (sqlite3_step(page) == SQLITE_ROW) {
        for (int c = 0; c < 14; ++c)
            if (auto* t = sqlite3_column_text(page, c)) sink.assign(reinterpret_cast<const char*>(t));
        sqlite3_bind_int64(links, 1, sqlite3_column_int64(page, 0));
        while (sqlite3_step(links) == SQLITE_ROW) sink.assign(reinterpret_cast<const char*>(sqlite3_column_text(links, 0)));
        sqlite3_reset(links);
        ++n;
    }
    sqlite3_reset(page);
    (void)db;
    return n;
}
}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
    const auto dir = std::filesystem::temp_directory_path() / ("bench-ingest-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string crm_path = (dir / "crm.db").string(), raw_path = (dir / "raw.db").string();
    const Setup s = make_db(crm_path);
    make_db(raw_path);  // same schema, indexes and contacts

    // ---- crm ingest
    double crm_s = 0;
    long rss_kb = 0;
    {
        auto db = crm::Db::open(crm_path).value();
        auto t0 = Clock::now();
        std::vector<crm::Interaction> batch;
        batch.reserve(kBatch);
        for (std::size_t k = 0; k < n;) {
            batch.clear();
            for (; k < n && batch.size() < kBatch; ++k) batch.push_back(item(s, k));
            auto r = db.interactions().ingest(batch, {false, "bench"});
            if (!r || r.value().inserted != batch.size()) {
                std::fprintf(stderr, "ingest failed: %s\n", r ? "count" : r.error().message.c_str());
                return 1;
            }
        }
        crm_s = secs(t0, Clock::now());
        rss_kb = peak_rss_kb();
    }

    // ---- raw SQLite ingest: the same rows and links
    double raw_s = 0;
    {
        sqlite3* db = nullptr;
        sqlite3_open(raw_path.c_str(), &db);
        exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        sqlite3_stmt *ins = nullptr, *link = nullptr;
        sqlite3_prepare_v2(db,
                           "INSERT INTO interactions(external_id,kind,occurred_at,direction,channel,subject,body,actor_id,"
                           "url,referrer,source,created_at,updated_at) VALUES(?,?,?,?,'',?,'',NULL,?,'','bench',?,?)",
                           -1, &ins, nullptr);
        sqlite3_prepare_v2(db, "INSERT INTO interaction_links(interaction_id,entity,record_id,occurred_at) VALUES(?,'contact',?,?)",
                           -1, &link, nullptr);
        auto t0 = Clock::now();
        std::vector<crm::Interaction> batch;
        for (std::size_t k = 0; k < n;) {
            batch.clear();
            for (; k < n && batch.size() < kBatch; ++k) batch.push_back(item(s, k));
            exec(db, "BEGIN IMMEDIATE");
            const auto now = crm::now_ms();
            for (const auto& i : batch) {
                sqlite3_bind_text(ins, 1, i.external_id.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(ins, 2, i.kind.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(ins, 3, i.occurred_at);
                sqlite3_bind_text(ins, 4, "inbound", -1, SQLITE_STATIC);
                sqlite3_bind_text(ins, 5, i.subject.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(ins, 6, i.url.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(ins, 7, now);
                sqlite3_bind_int64(ins, 8, now);
                if (sqlite3_step(ins) != SQLITE_DONE) return 1;
                sqlite3_reset(ins);
                const auto id = sqlite3_last_insert_rowid(db);
                sqlite3_bind_int64(link, 1, id);
                sqlite3_bind_int64(link, 2, i.contact_ids[0]);
                sqlite3_bind_int64(link, 3, i.occurred_at);
                if (sqlite3_step(link) != SQLITE_DONE) return 1;
                sqlite3_reset(link);
            }
            exec(db, "COMMIT");
        }
        raw_s = secs(t0, Clock::now());
        sqlite3_finalize(ins);
        sqlite3_finalize(link);
        sqlite3_close(db);
    }
    std::printf("ingest of %zu interactions (batches of %zu):\n", n, kBatch);
    std::printf("  crm   %8.2f s  %10.0f /s\n", crm_s, double(n) / crm_s);
    std::printf("  raw   %8.2f s  %10.0f /s\n", raw_s, double(n) / raw_s);
    std::printf("  ratio %.0f%% of raw (target >= 60%%)\n", 100.0 * raw_s / crm_s);
    std::printf("  peak RSS after crm ingest: %.1f MB (target < 100 MB)\n", double(rss_kb) / 1024.0);

    // ---- timeline first pages
    const int reps = 200;
    auto db = crm::Db::open(crm_path).value();
    auto ix = db.interactions();
    sqlite3* raw = nullptr;
    sqlite3_open_v2(crm_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *one = nullptr, *acc = nullptr, *links = nullptr;
    sqlite3_prepare_v2(raw, kOneSql, -1, &one, nullptr);
    sqlite3_prepare_v2(raw, kAccountSql, -1, &acc, nullptr);
    sqlite3_prepare_v2(raw, "SELECT entity, record_id FROM interaction_links WHERE interaction_id=?", -1, &links, nullptr);
    auto time_it = [&](auto&& fn) {
        fn();  // warm
        auto t0 = Clock::now();
        for (int r = 0; r < reps; ++r) fn();
        return secs(t0, Clock::now()) / reps * 1e3;
    };
    std::size_t got = 0;
    const double crm_one = time_it([&] { got = ix.timeline(crm::Entity::contact, s.contacts[0]).value().items.size(); });
    const double raw_one = time_it([&] { raw_page(raw, one, links, s.contacts[0]); });
    const double crm_acc = time_it([&] { got += ix.timeline(crm::Entity::account, s.account).value().items.size(); });
    const double raw_acc = time_it([&] { raw_page(raw, acc, links, s.account); });
    std::printf("timeline first page (50), mean of %d:\n", reps);
    std::printf("  contact (%zu interactions): crm %.3f ms, raw %.3f ms, ratio %.2fx (target <= 2x)\n",
                n / kContacts, crm_one, raw_one, crm_one / raw_one);
    std::printf("  account (%d contacts, %zu interactions): crm %.3f ms, raw %.3f ms, ratio %.3fx (target <= 2x)\n",
                kContacts, n, crm_acc, raw_acc, crm_acc / raw_acc);
    sqlite3_finalize(one);
    sqlite3_finalize(acc);
    sqlite3_finalize(links);
    sqlite3_close(raw);
    (void)got;
    (void)db.close();
    std::filesystem::remove_all(dir);
    return 0;
}
