// crm/sample.hpp — a deterministic sample company, at any scale.
//
// The same seed and sizes always produce the same records (Japanese and Western
// names, readings, companies, emails, phones). Used by the demo, tests and benchmarks.
#pragma once

#include <functional>

#include "crm/db.hpp"

namespace crm::sample {

struct Options {
    std::uint64_t seed = 42;
    std::size_t users = 10;
    std::size_t teams = 3;
    std::size_t accounts = 50;
    std::size_t contacts = 500;
    double japanese_share = 0.7;  // fraction of Japanese people and companies
};

struct Summary {
    std::size_t users = 0, teams = 0, accounts = 0, contacts = 0;
};

// Pure generators (no database): the i-th record of a seeded sequence.
class Generator {
public:
    explicit Generator(std::uint64_t seed, double japanese_share = 0.7) noexcept;
    User user(std::size_t i);
    Account account(std::size_t i);
    Contact contact(std::size_t i);  // account_id/owner_id left unset
private:
    std::uint64_t seed_;
    double ja_;
};

// Creates a whole company in one transaction. progress(done, total) is called now and then.
result<Summary> populate(Db& db, const Options& options,
                         const std::function<void(std::size_t, std::size_t)>& progress = {}) noexcept;

}  // namespace crm::sample
