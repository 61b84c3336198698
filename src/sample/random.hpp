// Private: counter-based randomness for the sample generator. Every record gets
// its own small stream seeded by hashing (seed, kind, index), so record i never
// depends on how many other records were generated before it, or in what order.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace crm::sample {

// splitmix64's finalizer: a bijection on 64-bit integers with good avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Salts keep the streams of different record kinds apart.
enum class Stream : std::uint64_t {
    user = 1, account = 2, contact = 3, populate_account = 4, populate_contact = 5,
    // the planners of the company's history (world.hpp)
    setup = 6, campaign = 7, lead = 8, mail = 9, visit = 10, deal = 11, ticket = 12, account_work = 13,
};

class Rng {
public:
    Rng(std::uint64_t seed, Stream kind, std::uint64_t index) noexcept
        : state_(mix64(mix64(seed ^ (static_cast<std::uint64_t>(kind) * 0x9e3779b97f4a7c15ULL)) ^ index)) {}

    std::uint64_t next() noexcept {  // splitmix64
        state_ += 0x9e3779b97f4a7c15ULL;
        return mix64(state_);
    }
    // Uniform in [0, n). The modulo bias (< n / 2^64) is irrelevant for sample data.
    std::uint64_t below(std::uint64_t n) noexcept { return n ? next() % n : 0; }
    int between(int lo, int hi) noexcept { return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
    // True with probability percent/100 (integer maths: identical on every platform).
    bool percent(unsigned p) noexcept { return below(100) < p; }
    // True with probability p, p in [0,1]; exact, from 53 random bits.
    bool chance(double p) noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

    template <class T>
    const T& pick(std::span<const T> items) noexcept { return items[below(items.size())]; }

    // Index by weight: weights {10, 30, 60} gives 0 with 10%, 1 with 30%, 2 with 60%.
    std::size_t weighted(std::span<const unsigned> weights) noexcept {
        unsigned total = 0;
        for (unsigned w : weights) total += w;
        auto r = static_cast<unsigned>(below(total));
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (r < weights[i]) return i;
            r -= weights[i];
        }
        return weights.size() - 1;
    }

    // Replaces each '#' with a random digit and each '@' with a random capital letter.
    // Other bytes (including UTF-8 such as 〒) are copied unchanged.
    std::string fill(std::string_view pattern) {
        std::string out(pattern);
        for (auto& c : out) {
            if (c == '#') c = static_cast<char>('0' + below(10));
            else if (c == '@') c = static_cast<char>('A' + below(26));
        }
        return out;
    }

private:
    std::uint64_t state_;
};

}  // namespace crm::sample
