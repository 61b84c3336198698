// crm/money.hpp implementation: decimal amounts and ISO-4217 exponents.
#include "crm/money.hpp"

#include <limits>

namespace crm {

int currency_exponent(std::string_view code) noexcept {
    // ISO 4217 minor units that are not 2 (the list of active codes, 2024).
    static constexpr std::string_view zero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                                "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
    static constexpr std::string_view three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    static constexpr std::string_view four[] = {"CLF", "UYW"};
    for (auto c : zero)
        if (c == code) return 0;
    for (auto c : three)
        if (c == code) return 3;
    for (auto c : four)
        if (c == code) return 4;
    return 2;
}

std::optional<std::int64_t> parse_decimal_amount(std::string_view text, int exponent, std::string* why) {
    auto fail = [&](std::string reason) -> std::optional<std::int64_t> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    std::size_t i = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (negative || (!text.empty() && text[0] == '+')) ++i;
    std::size_t int_digits = 0, frac_digits = 0;
    bool point = false;
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::uint64_t value = 0;
    auto push = [&](unsigned digit) {  // value = value * 10 + digit; false past int64
        if (value > (kMax - digit) / 10) return false;
        value = value * 10 + digit;
        return true;
    };
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9') return fail("is not an amount (digits, with an optional decimal point)");
        (point ? frac_digits : int_digits) += 1;
        if (point && static_cast<int>(frac_digits) > exponent)
            return fail(exponent == 0 ? "has decimals, but the currency has no minor unit"
                                      : "has more than " + std::to_string(exponent) + " decimal places");
        if (!push(static_cast<unsigned>(c - '0'))) return fail("is too large");
    }
    if (int_digits + frac_digits == 0) return fail("is not an amount (digits, with an optional decimal point)");
    for (auto k = static_cast<int>(frac_digits); k < exponent; ++k)
        if (!push(0)) return fail("is too large");
    const auto v = static_cast<std::int64_t>(value);
    return negative ? -v : v;
}

std::string format_amount(std::int64_t minor, int exponent) {
    const bool negative = minor < 0;
    // Through unsigned: -INT64_MIN does not fit an int64.
    const unsigned long long mag =
        negative ? 0ULL - static_cast<unsigned long long>(minor) : static_cast<unsigned long long>(minor);
    const std::string digits = std::to_string(mag);
    const auto exp = static_cast<std::size_t>(exponent > 0 ? exponent : 0);
    std::string out = negative ? "-" : "";
    if (exp == 0) return out + digits;
    // At least one digit before the point: 5 with exponent 2 is 0.05.
    const std::string padded = digits.size() <= exp ? std::string(exp + 1 - digits.size(), '0') + digits : digits;
    out += std::string_view(padded).substr(0, padded.size() - exp);
    out += '.';
    out += std::string_view(padded).substr(padded.size() - exp);
    return out;
}

}  // namespace crm
