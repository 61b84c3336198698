// Private: the embedded tables the sample generator draws from — Japanese and
// Western names, companies, places, titles and departments. All invented;
// every domain is under a reserved example name (example.jp, example.com, .example).
#pragma once

#include <span>

namespace crm::sample::data {

struct JaName {           // 山田 / ヤマダ / yamada
    const char* kanji;
    const char* kana;     // katakana reading
    const char* romaji;   // ASCII letters only (used in e-mail addresses)
};

struct WestName {         // Müller / mueller
    const char* name;
    const char* ascii;    // ASCII letters only
};

struct JaBusiness {       // 商事 / ショウジ / shoji / 商社
    const char* kanji;
    const char* kana;
    const char* romaji;
    const char* industry;
};

struct WestBusiness {     // Logistics / logistics / Transportation
    const char* name;
    const char* ascii;
    const char* industry;
};

// A place to live or work. Patterns: '#' = a random digit, '@' = a random capital letter.
struct Place {
    const char* country;       // ISO-3166 alpha-2
    const char* region;        // prefecture / state
    const char* city;
    const char* street;        // Japanese town (丸の内) or Western street name
    const char* postal;        // 〒100-#### / 941## / EC1V #@@
    const char* phone;         // 03-####-#### / +1 415-555-01##
    const char* mobile;        // 090-####-#### / +1 917-555-01##
    const char* sales_region;  // 関東 / EMEA …
    bool number_first;         // "12 Market Street" vs "Friedrichstraße 12"
};

struct TeamSeed {
    const char* name;
    const char* region;
};

std::span<const JaName> ja_family();
std::span<const JaName> ja_given_male();
std::span<const JaName> ja_given_female();
std::span<const JaName> ja_company_stem();
std::span<const JaBusiness> ja_business();
std::span<const Place> ja_places();
std::span<const char* const> ja_titles();
std::span<const char* const> ja_departments();
std::span<const char* const> ja_tags();

std::span<const WestName> west_given();
std::span<const WestName> west_family();
std::span<const WestName> west_company_stem();
std::span<const WestBusiness> west_business();
std::span<const Place> west_places();
std::span<const char* const> west_titles();
std::span<const char* const> west_departments();
std::span<const char* const> west_tags();

std::span<const char* const> lead_sources();
std::span<const TeamSeed> teams();

}  // namespace crm::sample::data
