// bench_dedup: finding duplicate contacts (docs/dedup.md) among N contacts, about 5%
// of them a second record of an earlier person (the e-mail typed in another case or
// its domain in ASCII, the phone in another format, the same name at the same company), against
// what an expert would write by hand for the same answer in the same run: read the
// columns with plain SQLite, compute the same crm::normalize keys, hash-join them.
// The pairs with score >= 50 must be equal (exit 1 otherwise).
//
//   build/bench/bench_dedup [N] [DIR]      (N default 100000; 200 for a smoke run)
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_util.hpp"
#include "crm/crm.hpp"
#include "crm/normalize.hpp"

namespace {

[[noreturn]] void die(const std::string& why) {
    std::fprintf(stderr, "bench_dedup: %s\n", why.c_str());
    std::exit(1);
}

template <class T>
T must(crm::result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().message);
    return std::move(r).value();
}

const char* kFamily[] = {"山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"};
const char* kGiven[] = {"太郎", "花子", "一郎", "次郎", "美咲", "健太", "陽菜", "大輔", "さくら", "翔"};

void populate(const std::string& path, int n) {
    auto db = must(crm::Db::open(path), "open");
    auto tx = must(db.begin(), "begin");
    const int n_accounts = std::max(2, n / 20);
    std::vector<crm::Id> accounts;
    for (int i = 0; i < n_accounts; ++i) {
        crm::Account a;
        a.name = "株式会社サンプル" + std::to_string(i);
        accounts.push_back(must(db.accounts().create(a), "account"));
    }
    for (int i = 0; i < n; ++i) {
        crm::Contact c;
        const int person = i % 20 == 19 ? i - 7 : i;  // every 20th: a second record of an earlier person
        const bool dup = person != i;
        // Names unique per person within a company: the index spelt out in the name.
        c.name = std::string(kFamily[person % 10]) + " " + kGiven[(person / 10) % 10] + std::to_string(person);
        c.account_id = accounts[static_cast<std::size_t>(person) % accounts.size()];
        // The second record has the address with its domain in ASCII (IDN) and upper case.
        const std::string local = "p" + std::to_string(person);
        if (!dup) c.emails.push_back({local + "@例え.jp", "work", true});
        else if (person % 3 == 0) c.emails.push_back({"P" + local.substr(1) + "@XN--R8JZ45G.JP", "work", true});
        char phone[32];
        std::snprintf(phone, sizeof phone, "090-%04d-%04d", (person / 10000) % 10000, person % 10000);
        if (!dup) c.phones.push_back({phone, "mobile", true});
        else if (person % 3 == 1)
            c.phones.push_back({"+81 90 " + std::string(phone + 4, 4) + " " + std::string(phone + 9), "mobile", true});
        must(db.contacts().create(c), "contact");
    }
    must(tx.commit(), "commit");
}

// ---- the expert's version: the same keys from crm::normalize, one hash map per reason.
struct Row {
    std::string name, company;
    std::vector<std::string> emails, phones;
};

std::set<std::pair<crm::Id, crm::Id>> expert(sqlite3* db) {
    std::unordered_map<crm::Id, Row> rows;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT c.id, c.name, a.name FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id", -1,
                       &s, nullptr);
    auto text = [](sqlite3_stmt* st, int i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
    };
    while (sqlite3_step(s) == SQLITE_ROW) rows[sqlite3_column_int64(s, 0)] = Row{text(s, 1), text(s, 2), {}, {}};
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "SELECT contact_id, address FROM contact_emails", -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) rows[sqlite3_column_int64(s, 0)].emails.push_back(text(s, 1));
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "SELECT contact_id, number FROM contact_phones", -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) rows[sqlite3_column_int64(s, 0)].phones.push_back(text(s, 1));
    sqlite3_finalize(s);

    std::unordered_map<std::string, std::vector<crm::Id>> keys;  // reason-prefixed key -> ids
    for (const auto& [id, r] : rows) {
        for (const auto& e : r.emails)
            if (auto k = crm::normalize::email(e)) keys["e" + k.value()].push_back(id);
        for (const auto& p : r.phones)
            if (auto k = crm::normalize::phone(p)) keys["p" + k.value()].push_back(id);
        if (!r.company.empty())
            keys["n" + crm::normalize::fold(r.name) + '\x1f' + crm::normalize::company(r.company)].push_back(id);
    }
    std::set<std::pair<crm::Id, crm::Id>> out;
    for (auto& [k, ids] : keys) {
        if (ids.size() < 2 || ids.size() > 100) continue;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (std::size_t j = i + 1; j < ids.size(); ++j) out.insert({ids[i], ids[j]});
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
    if (n < 20 || n > 10'000'000) die("N must be between 20 and 10000000");
    bench::ScratchDir dir(argc > 2 ? argv[2] : "");
    const std::string path = dir.file("dedup.crm");
    populate(path, n);

    auto db = must(crm::Db::open(path), "open");
    sqlite3* raw = nullptr;
    sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    const int reps = n <= 1000 ? 10 : 3;
    bench::Stopwatch crm_sw, raw_sw;
    std::set<std::pair<crm::Id, crm::Id>> got, want;
    for (int k = 0; k < reps; ++k) {
        auto pairs = crm_sw.time([&] { return must(db.dedup().find({crm::Entity::contact, 50, 10000}), "find"); });
        got.clear();
        for (const auto& p : pairs) got.insert({p.a, p.b});
        want = raw_sw.time([&] { return expert(raw); });
    }
    sqlite3_close(raw);
    const double crm_s = crm_sw.seconds() / reps, raw_s = raw_sw.seconds() / reps;
    std::printf("contacts %d, pairs crm %zu, expert %zu\n", n, got.size(), want.size());
    std::printf("%-24s %10s %10s %8s\n", "", "crm s", "expert s", "ratio");
    std::printf("%-24s %10.4f %10.4f %8.2f\n", "find contact pairs", crm_s, raw_s, raw_s > 0 ? crm_s / raw_s : 0.0);
    if (got != want) {
        std::fprintf(stderr, "bench_dedup: the pairs differ from the expert's\n");
        return 1;
    }
    if (got.empty()) {
        std::fprintf(stderr, "bench_dedup: no pairs found: the population is wrong\n");
        return 1;
    }
    return 0;
}
