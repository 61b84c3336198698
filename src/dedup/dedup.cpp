// Duplicate detection and undoable merge of contacts and accounts (crm/dedup.hpp).
//
// find: every record's matching keys (dedup/keys.hpp) go into one hash map per
// reason; records sharing a key are candidate pairs (a key shared by more than
// kMaxBucket records is no evidence and is skipped); a pair's score combines its
// reasons' weights as independent evidence. No all-pairs comparison.
//
// merge: in one write scope — the side rows of both records are kept for undo, every
// reference other records hold to the merged record is re-pointed to the survivor
// through the normal update path (the registry's references and its child-table
// link fields, so a new kind is covered), the side rows move, the merged record is
// deleted and the survivor updated (history rows for both), and a merges row holds
// what undo needs. A dry run does all of it and rolls back.
#include "crm/dedup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "crm/accounts.hpp"
#include "crm/contacts.hpp"
#include "crm/normalize.hpp"
#include "dedup/keys.hpp"
#include "json/writer.hpp"
#include "records/engine.hpp"
#include "records/registry.hpp"
#include "store/dedup_store.hpp"

namespace crm {

namespace {

using records::Json;

// ---- finding pairs ------------------------------------------------------------------

struct ReasonDef {
    const char* name;
    int weight;  // the score of this reason alone
};
// In order of strength; a pair's reasons are listed in this order.
constexpr ReasonDef kReasons[] = {
    {"external_id", 95}, {"email", 90},  {"company", 85},  {"name_company", 80}, {"phone", 70},
    {"reading_company", 60}, {"website", 60}, {"reading", 50}, {"name", 40},
};
enum Reason : unsigned {
    r_external_id, r_email, r_company, r_name_company, r_phone, r_reading_company, r_website, r_reading, r_name, r_count
};

// A key held by more records than this says nothing about any two of them (a
// switchboard number, a shared info@ address): it makes no pairs.
constexpr std::size_t kMaxBucket = 100;

struct Blocks {
    std::unordered_map<std::string, std::vector<Id>> by[r_count];
    void add(Reason r, const std::string& key, Id id) {
        if (!key.empty()) by[r][key].push_back(id);
    }
};

using PairKey = std::pair<Id, Id>;

std::map<PairKey, unsigned> pairs_of(const Blocks& b) {
    std::map<PairKey, unsigned> out;
    for (unsigned r = 0; r < r_count; ++r) {
        for (const auto& [key, ids0] : b.by[r]) {
            if (ids0.size() < 2 || ids0.size() > kMaxBucket) continue;
            auto ids = ids0;
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
            for (std::size_t i = 0; i < ids.size(); ++i)
                for (std::size_t j = i + 1; j < ids.size(); ++j) out[{ids[i], ids[j]}] |= 1u << r;
        }
    }
    return out;
}

int score_of(unsigned mask) {
    double miss = 1.0;
    for (unsigned r = 0; r < r_count; ++r)
        if (mask & (1u << r)) miss *= (100.0 - kReasons[r].weight) / 100.0;
    return std::clamp(static_cast<int>(std::lround(100.0 * (1.0 - miss))), 0, 100);
}

std::string joined(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return {};
    return a + '\x1f' + b;
}

// Contacts: blocks, and for each record whether its company is known (the name
// alone is evidence only when one of the two has no company: the same name at two
// companies is two people, at one company name_company says it already).
Blocks contact_blocks(detail::DbImpl& db, std::unordered_map<Id, bool>& has_company) {
    Blocks b;
    dedup::CompanyKeys companies;
    for (const auto& row : store::contact_key_rows(db)) {
        Contact c;
        c.name = row.name;
        c.name_reading = row.reading;
        c.external_id = row.external_id;
        for (const auto& e : row.emails) c.emails.push_back(EmailAddress{e, {}, false, false});
        for (const auto& p : row.phones) c.phones.push_back(PhoneNumber{p, {}, false});
        const auto k = dedup::contact_keys(c, row.company, companies);
        b.add(r_external_id, k.external_id, row.id);
        for (const auto& e : k.emails) b.add(r_email, e, row.id);
        for (const auto& p : k.phones) b.add(r_phone, p, row.id);
        b.add(r_name_company, joined(k.name, k.company), row.id);
        b.add(r_reading_company, joined(k.reading, k.company), row.id);
        b.add(r_name, k.name, row.id);
        has_company[row.id] = !k.company.empty();
    }
    return b;
}

Blocks account_blocks(detail::DbImpl& db) {
    Blocks b;
    for (const auto& row : store::account_key_rows(db)) {
        Account a;
        a.name = row.name;
        a.name_reading = row.reading;
        a.external_id = row.external_id;
        a.phone = row.phone;
        a.website = row.website;
        const auto k = dedup::account_keys(a);
        b.add(r_external_id, k.external_id, row.id);
        b.add(r_company, k.company, row.id);
        b.add(r_phone, k.phone, row.id);
        b.add(r_website, k.domain, row.id);
        b.add(r_reading, k.reading, row.id);
    }
    return b;
}

}  // namespace

Dedup Db::dedup() noexcept { return Dedup(impl_.get()); }

result<std::vector<DuplicatePair>> Dedup::find(const DuplicateQuery& q) noexcept {
    if (!db_) return records::closed();
    if (q.kind != Entity::contact && q.kind != Entity::account)
        return invalid("kind", "duplicates are found among contacts or accounts");
    if (q.min_score < 0 || q.min_score > 100) return invalid("min_score", "must be between 0 and 100");
    if (q.limit < 1 || q.limit > 10000) return invalid("limit", "must be between 1 and 10000");
    return db_->read([&]() -> result<std::vector<DuplicatePair>> {
        std::unordered_map<Id, bool> has_company;
        const Blocks b = q.kind == Entity::contact ? contact_blocks(*db_, has_company) : account_blocks(*db_);
        std::vector<DuplicatePair> out;
        for (auto [ab, mask] : pairs_of(b)) {
            if (mask & (1u << r_name)) {
                if (has_company[ab.first] && has_company[ab.second]) mask &= ~(1u << r_name);
            }
            if (!mask) continue;
            const int score = score_of(mask);
            if (score < q.min_score || score == 0) continue;
            DuplicatePair p;
            p.a = ab.first;
            p.b = ab.second;
            p.score = score;
            for (unsigned r = 0; r < r_count; ++r)
                if (mask & (1u << r)) p.reasons.emplace_back(kReasons[r].name);
            out.push_back(std::move(p));
        }
        std::sort(out.begin(), out.end(), [](const DuplicatePair& x, const DuplicatePair& y) {
            if (x.score != y.score) return x.score > y.score;
            if (x.a != y.a) return x.a < y.a;
            return x.b < y.b;
        });
        if (out.size() > q.limit) out.resize(q.limit);
        return out;
    });
}

}  // namespace crm
