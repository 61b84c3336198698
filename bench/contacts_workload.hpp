// The workload of bench_contacts, shared by the library and raw-SQLite phases:
// its configuration, which records are written, and which contacts are read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "crm/crm.hpp"
#include "crm/sample.hpp"

namespace bench::contacts {

struct Config {
    long long contacts = 100000;
    long long accounts = -1;  // default: contacts / 10
    long long users = 10;
    long long gets = -1;      // default: contacts
    std::uint64_t seed = 42;
    std::string dir;
    std::string only;
    // The raw get baselines read each contact in one read transaction (BEGIN … COMMIT), as an
    // expert would and as the library does; --raw-autocommit reads each query on its own instead.
    bool raw_read_txn = true;
};

constexpr std::uint64_t mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// The workload, identical for every path: users, then accounts owned by them,
// then contacts working at a pseudo-random account.
struct Workload {
    const Config& cfg;
    crm::sample::Generator gen{cfg.seed};

    crm::User user(long long i) { return gen.user(static_cast<std::size_t>(i)); }
    crm::Account account(long long i, const std::vector<crm::Id>& users) {
        auto a = gen.account(static_cast<std::size_t>(i));
        a.owner_id = users[static_cast<std::size_t>(i) % users.size()];
        return a;
    }
    crm::Contact contact(long long i, const std::vector<crm::Id>& users, const std::vector<crm::Id>& accounts) {
        auto c = gen.contact(static_cast<std::size_t>(i));
        c.account_id = accounts[mix(static_cast<std::uint64_t>(i)) % accounts.size()];
        c.owner_id = users[static_cast<std::size_t>(i) % users.size()];
        return c;
    }
    // Contact ids are 1..contacts in every file; reads visit them in a fixed pseudo-random order.
    crm::Id random_contact(long long k) const {
        return static_cast<crm::Id>(mix(cfg.seed ^ (static_cast<std::uint64_t>(k) << 1)) %
                                    static_cast<std::uint64_t>(cfg.contacts)) + 1;
    }
};

inline bench::PhaseResult done(const bench::Stopwatch& sw, long long records, double aux = 0) {
    bench::PhaseResult r;
    r.ok = 1;
    r.seconds = sw.seconds();
    r.aux_seconds = aux;
    r.records = records;
    return r;
}

// A checksum over what was read proves the paths read the same rows.
inline std::int64_t checksum(const crm::Contact& c) {
    std::int64_t s = c.id + static_cast<std::int64_t>(c.name.size()) + c.account_id.value_or(0);
    for (const auto& e : c.emails) s += static_cast<std::int64_t>(e.address.size()) * 3;
    for (const auto& p : c.phones) s += static_cast<std::int64_t>(p.number.size()) * 5;
    for (const auto& t : c.tags) s += static_cast<std::int64_t>(t.size()) * 7;
    return s + static_cast<std::int64_t>(c.custom.size()) * 11 + c.created_at % 1000;
}

}  // namespace bench::contacts
