// crm/money.hpp — amounts as people type and read them. The library stores
// money as integer minor units plus an ISO-4217 code (crm::Money); a person
// writes "199.99 USD" or "50000" yen. These helpers convert between the two with
// the currency's exponent (JPY 0, USD 2, BHD 3 …).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crm {

// Digits after the decimal point of the currency's minor unit (ISO 4217):
// 0 for JPY, KRW, VND …; 3 for BHD, KWD, OMR …; 4 for CLF, UYW; 2 otherwise.
int currency_exponent(std::string_view code) noexcept;

// "199.99" with exponent 2 → 19999; "50000" with 0 → 50000; "-1.5" with 2 → -150.
// Refused (nullopt, *why set): anything but [-]digits[.digits], more decimals
// than the exponent allows, beyond 64 bits.
std::optional<std::int64_t> parse_decimal_amount(std::string_view text, int exponent, std::string* why = nullptr);

// 19999 with exponent 2 → "199.99"; 50000 with 0 → "50000"; -5 with 2 → "-0.05".
std::string format_amount(std::int64_t minor, int exponent);

}  // namespace crm
