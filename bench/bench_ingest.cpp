// bench_ingest — bulk ingest of interactions and timeline reads against raw SQLite.
//
//   bench_ingest [N]   (default 1,000,000)
//
// 1. Ingest: N interactions (each linked to one of 100 contacts of one account,
//    with an external event id) through Interactions::ingest in batches of 10,000,
//    vs raw SQLite doing the same work by hand: the interaction row, its link row,
//    its history row (the item's JSON document, written with snprintf) and its
//    full-text index rows (search_docs, the trigram and per-character FTS5 rows of the
//    folded subject, as docs/search.md describes them), with
//    the same schema, indexes and pragmas (WAL, synchronous=NORMAL), in the same
//    batches. Reports throughput ratio (target >= 60% of raw) and peak RSS after
//    the crm phase (target < 100 MB).
// 2. Timeline: first page (50) of one contact (N/100 interactions) and of the
//    account vs hand-written SQL returning the same rows and links (target
//    within 2x). Ten of the account's 100 contacts moved to another company half
//    way through, so the account's page holds their interactions from before the
//    move only. The hand-written account page is what an expert writes for it:
//    the newest 50 of each source (the account's own links; each employment
//    period's links, one prepared statement per period, each read only down to
//    the oldest time on the page once 50 are held), merged and cut to 50, then
//    the page's rows and links.
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "crm/crm.hpp"
#include "crm/normalize.hpp"

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

constexpr int kMoved = 10;  // contacts that change employer half way through the history

Setup make_db(const std::string& path, std::size_t n) {
    auto db = crm::Db::open(path).value();
    crm::Timestamp clock = kT0 - 1000;
    db.set_clock([&clock] { return clock; });
    Setup s;
    crm::Account a;
    a.name = "株式会社ベンチ";
    s.account = db.accounts().create(a).value();
    a.name = "転職先 株式会社";
    const crm::Id next = db.accounts().create(a).value();
    for (int i = 0; i < kContacts; ++i) {
        crm::Contact c;
        c.name = "顧客 " + std::to_string(i);
        c.account_id = s.account;
        s.contacts.push_back(db.contacts().create(c).value());
    }
    clock = kT0 + static_cast<crm::Timestamp>(n / 2) * 1000;
    for (int i = 0; i < kMoved; ++i) {
        auto c = db.contacts().get(s.contacts[static_cast<std::size_t>(i)]).value();
        c.account_id = next;
        db.contacts().update(c).value();
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

// An ISO-8601 UTC time with milliseconds, as the documents hold it.
void iso(std::string& out, crm::Timestamp ms) {
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    out += buf;
}
// A JSON string: the bench's texts need only quotes and backslashes escaped.
void str(std::string& out, const std::string& v) {
    out += '"';
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}
// The history row's document of an ingested item, written by hand (the fields
// Interaction documents hold, in their order).
void document(std::string& out, crm::Id id, const crm::Interaction& i, crm::Timestamp now) {
    out.clear();
    out += "{\"id\":" + std::to_string(id) + ",\"external_id\":";
    str(out, i.external_id);
    out += ",\"kind\":";
    str(out, i.kind);
    out += ",\"occurred_at\":";
    iso(out, i.occurred_at);
    out += ",\"direction\":\"inbound\",\"channel\":\"\",\"subject\":";
    str(out, i.subject);
    out += ",\"body\":\"\",\"actor_id\":null,\"url\":";
    str(out, i.url);
    out += ",\"referrer\":\"\",\"source\":\"bench\",\"contact_ids\":[" + std::to_string(i.contact_ids[0]) +
           "],\"account_ids\":[],\"deal_ids\":[],\"ticket_ids\":[],\"tags\":[],\"custom\":{},\"created_at\":";
    iso(out, now);
    out += ",\"updated_at\":";
    iso(out, now);
    out += '}';
}

const char* kOneSql =
    "SELECT i.id,i.external_id,i.kind,i.occurred_at,i.direction,i.channel,i.subject,i.body,i.actor_id,i.url,"
    "i.referrer,i.source,i.created_at,i.updated_at FROM interaction_links l JOIN interactions i ON i.id=l.interaction_id "
    "WHERE l.entity='contact' AND l.record_id=?1 ORDER BY l.occurred_at DESC, l.interaction_id DESC LIMIT 50";
const char* kRowSql =
    "SELECT i.id,i.external_id,i.kind,i.occurred_at,i.direction,i.channel,i.subject,i.body,i.actor_id,i.url,"
    "i.referrer,i.source,i.created_at,i.updated_at FROM interactions i WHERE i.id=?";
const char* kPeriodsSql = "SELECT contact_id, since, until FROM contact_employments WHERE account_id=?";
const char* kSourceSql =
    "SELECT occurred_at, interaction_id FROM interaction_links WHERE entity=?1 AND record_id=?2 "
    "AND occurred_at>=?3 AND occurred_at<?4 ORDER BY occurred_at DESC, interaction_id DESC LIMIT 50";

// The account's first page the hand-written way: the newest 50 of each source,
// merged, cut to 50 — once 50 are held, a source is read only down to the oldest
// time still on the page — then each row and its links.
struct AccountPage {
    sqlite3_stmt *periods, *source, *row, *links;
};
std::size_t raw_account_page(const AccountPage& q, crm::Id account) {
    struct Key {
        std::int64_t at, id;
    };
    std::vector<Key> keys;
    std::int64_t floor = INT64_MIN;
    auto newest = [](const Key& a, const Key& b) { return a.at != b.at ? a.at > b.at : a.id > b.id; };
    auto walk = [&](const char* entity, std::int64_t id, std::int64_t since, std::int64_t until) {
        sqlite3_bind_text(q.source, 1, entity, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q.source, 2, id);
        sqlite3_bind_int64(q.source, 3, std::max(since, floor));
        sqlite3_bind_int64(q.source, 4, until);
        while (sqlite3_step(q.source) == SQLITE_ROW)
            keys.push_back({sqlite3_column_int64(q.source, 0), sqlite3_column_int64(q.source, 1)});
        sqlite3_reset(q.source);
        if (keys.size() >= 50) {
            std::partial_sort(keys.begin(), keys.begin() + 50, keys.end(), newest);
            keys.resize(50);
            floor = keys.back().at;
        }
    };
    walk("account", account, INT64_MIN, INT64_MAX);
    sqlite3_bind_int64(q.periods, 1, account);
    while (sqlite3_step(q.periods) == SQLITE_ROW)
        walk("contact", sqlite3_column_int64(q.periods, 0),
             sqlite3_column_type(q.periods, 1) == SQLITE_NULL ? INT64_MIN : sqlite3_column_int64(q.periods, 1),
             sqlite3_column_type(q.periods, 2) == SQLITE_NULL ? INT64_MAX : sqlite3_column_int64(q.periods, 2));
    sqlite3_reset(q.periods);
    std::sort(keys.begin(), keys.end(), newest);
    keys.erase(std::unique(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.id == b.id; }), keys.end());
    if (keys.size() > 50) keys.resize(50);
    std::string sink;
    for (const auto& k : keys) {
        sqlite3_bind_int64(q.row, 1, k.id);
        if (sqlite3_step(q.row) == SQLITE_ROW)
            for (int c = 0; c < 14; ++c)
                if (auto* t = sqlite3_column_text(q.row, c)) sink.assign(reinterpret_cast<const char*>(t));
        sqlite3_reset(q.row);
        sqlite3_bind_int64(q.links, 1, k.id);
        while (sqlite3_step(q.links) == SQLITE_ROW) sink.assign(reinterpret_cast<const char*>(sqlite3_column_text(q.links, 0)));
        sqlite3_reset(q.links);
    }
    return keys.size();
}

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
    const Setup s = make_db(crm_path, n);
    make_db(raw_path, n);  // same schema, indexes and contacts

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
        sqlite3_stmt* hist = nullptr;
        sqlite3_prepare_v2(db,
                           "INSERT INTO history(entity,record_id,at,actor_id,op,field,old_value,new_value) "
                           "VALUES('interaction',?,?,NULL,'create','*',NULL,?)",
                           -1, &hist, nullptr);
        // The full-text index an expert keeps by hand too (docs/search.md): the row of
        // search_docs, the trigram index, the per-character index of the folded text.
        sqlite3_stmt *doc_row = nullptr, *tri = nullptr, *uni = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO search_docs(entity,record_id,label,title,body) VALUES('interaction',?,?,?,'')",
                           -1, &doc_row, nullptr);
        sqlite3_prepare_v2(db, "INSERT INTO search_tri(rowid,title,body) VALUES(?,?,'')", -1, &tri, nullptr);
        sqlite3_prepare_v2(db, "INSERT INTO search_uni(rowid,title,body) VALUES(?,?,'')", -1, &uni, nullptr);
        std::string folded, spaced;
        std::string doc;
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
                document(doc, id, i, now);
                sqlite3_bind_int64(hist, 1, id);
                sqlite3_bind_int64(hist, 2, now);
                sqlite3_bind_text(hist, 3, doc.data(), static_cast<int>(doc.size()), SQLITE_STATIC);
                if (sqlite3_step(hist) != SQLITE_DONE) return 1;
                sqlite3_reset(hist);
                bench::search_fold(i.subject, folded, spaced);
                sqlite3_bind_int64(doc_row, 1, id);
                sqlite3_bind_text(doc_row, 2, i.subject.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(doc_row, 3, folded.c_str(), -1, SQLITE_TRANSIENT);
                if (sqlite3_step(doc_row) != SQLITE_DONE) return 1;
                sqlite3_reset(doc_row);
                const auto row = sqlite3_last_insert_rowid(db);
                sqlite3_bind_int64(tri, 1, row);
                sqlite3_bind_text(tri, 2, folded.c_str(), -1, SQLITE_TRANSIENT);
                if (sqlite3_step(tri) != SQLITE_DONE) return 1;
                sqlite3_reset(tri);
                sqlite3_bind_int64(uni, 1, row);
                sqlite3_bind_text(uni, 2, spaced.c_str(), -1, SQLITE_TRANSIENT);
                if (sqlite3_step(uni) != SQLITE_DONE) return 1;
                sqlite3_reset(uni);
            }
            exec(db, "COMMIT");
        }
        raw_s = secs(t0, Clock::now());
        sqlite3_finalize(ins);
        sqlite3_finalize(link);
        sqlite3_finalize(hist);
        sqlite3_finalize(doc_row);
        sqlite3_finalize(tri);
        sqlite3_finalize(uni);
        sqlite3_close(db);
    }
    // Both wrote the same index: the same folded titles, in the same number.
    auto index_sum = [](const std::string& path) {
        sqlite3* h = nullptr;
        sqlite3_open_v2(path.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(h, "SELECT count(*), total(length(title)) FROM search_docs WHERE entity='interaction'", -1, &st, nullptr);
        std::string out = "?";
        if (sqlite3_step(st) == SQLITE_ROW)
            out = std::to_string(sqlite3_column_int64(st, 0)) + "/" + std::to_string(sqlite3_column_int64(st, 1));
        sqlite3_finalize(st);
        sqlite3_close(h);
        return out;
    };
    if (index_sum(crm_path) != index_sum(raw_path)) {
        std::fprintf(stderr, "the search index differs: crm %s, raw %s (rows/bytes)\n", index_sum(crm_path).c_str(),
                     index_sum(raw_path).c_str());
        return 1;
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
    sqlite3_stmt *one = nullptr, *links = nullptr;
    sqlite3_prepare_v2(raw, kOneSql, -1, &one, nullptr);
    sqlite3_prepare_v2(raw, "SELECT entity, record_id FROM interaction_links WHERE interaction_id=?", -1, &links, nullptr);
    AccountPage acc{};
    sqlite3_prepare_v2(raw, kPeriodsSql, -1, &acc.periods, nullptr);
    sqlite3_prepare_v2(raw, kSourceSql, -1, &acc.source, nullptr);
    sqlite3_prepare_v2(raw, kRowSql, -1, &acc.row, nullptr);
    acc.links = links;
    auto time_it = [&](auto&& fn) {
        fn();  // warm
        auto t0 = Clock::now();
        for (int r = 0; r < reps; ++r) fn();
        return secs(t0, Clock::now()) / reps * 1e3;
    };
    std::size_t got = 0;
    const double crm_one = time_it([&] { got = ix.timeline(crm::Entity::contact, s.contacts[0]).value().items.size(); });
    const double raw_one = time_it([&] { raw_page(raw, one, links, s.contacts[0]); });
    // Both read the same page: checked once before timing.
    {
        auto page = ix.timeline(crm::Entity::account, s.account).value();
        if (page.items.size() != raw_account_page(acc, s.account)) {
            std::fprintf(stderr, "account pages differ in size\n");
            return 1;
        }
    }
    const double crm_acc = time_it([&] { got += ix.timeline(crm::Entity::account, s.account).value().items.size(); });
    const double raw_acc = time_it([&] { raw_account_page(acc, s.account); });
    std::printf("timeline first page (50), mean of %d:\n", reps);
    std::printf("  contact (%zu interactions): crm %.3f ms, raw %.3f ms, ratio %.2fx (target <= 2x)\n",
                n / kContacts, crm_one, raw_one, crm_one / raw_one);
    std::printf("  account (%d contacts, %d of them moved on; %zu interactions): crm %.3f ms, raw %.3f ms, ratio %.2fx "
                "(target <= 2x)\n",
                kContacts, kMoved, n, crm_acc, raw_acc, crm_acc / raw_acc);
    sqlite3_finalize(one);
    sqlite3_finalize(acc.periods);
    sqlite3_finalize(acc.source);
    sqlite3_finalize(acc.row);
    sqlite3_finalize(links);
    sqlite3_close(raw);
    (void)got;
    (void)db.close();
    std::filesystem::remove_all(dir);
    return 0;
}
