// crm::sample::Generator — the i-th user, account or contact of a seeded sequence.
//
// Each record draws from its own stream Rng(seed, kind, i), so it depends only on
// (seed, share, i). Draws are always taken one statement at a time, never as two
// calls in one expression, whose evaluation order C++ leaves unspecified.
#include <array>

#include <fmt/format.h>

#include "crm/sample.hpp"
#include "sample/names.hpp"
#include "sample/random.hpp"

namespace crm::sample {

namespace {

struct Person {
    std::string name, reading;       // 山田 太郎 / ヤマダ タロウ (reading empty for Western names)
    std::string given_ascii, family_ascii;
    const data::Place* place = nullptr;  // where they live and work
};

struct Company {
    std::string name, reading, domain, industry;
    const data::Place* place = nullptr;
};

Person person(Rng& r, bool ja) {
    Person p;
    if (ja) {
        const auto& family = r.pick(data::ja_family());
        const bool female = r.percent(50);
        const auto& given = r.pick(female ? data::ja_given_female() : data::ja_given_male());
        p.name = fmt::format("{} {}", family.kanji, given.kanji);
        p.reading = fmt::format("{} {}", family.kana, given.kana);
        p.given_ascii = given.romaji;
        p.family_ascii = family.romaji;
        p.place = &r.pick(data::ja_places());
    } else {
        const auto& given = r.pick(data::west_given());
        const auto& family = r.pick(data::west_family());
        p.name = fmt::format("{} {}", given.name, family.name);
        p.given_ascii = given.ascii;
        p.family_ascii = family.ascii;
        p.place = &r.pick(data::west_places());
    }
    return p;
}

const char* west_legal_form(Rng& r, std::string_view country) {
    static constexpr const char* us[] = {"Inc.", "LLC", "Corp."};
    static constexpr const char* gb[] = {"Ltd", "plc"};
    static constexpr const char* de[] = {"GmbH", "AG"};
    static constexpr const char* nl[] = {"B.V.", "N.V."};
    static constexpr const char* fr[] = {"SAS", "S.A."};
    if (country == "GB") return r.pick(std::span<const char* const>(gb));
    if (country == "DE") return r.pick(std::span<const char* const>(de));
    if (country == "NL") return r.pick(std::span<const char* const>(nl));
    if (country == "FR") return r.pick(std::span<const char* const>(fr));
    return r.pick(std::span<const char* const>(us));
}

Company company(Rng& r, bool ja) {
    Company c;
    if (ja) {
        const auto& stem = r.pick(data::ja_company_stem());
        const auto& biz = r.pick(data::ja_business());
        static constexpr unsigned form_weights[] = {45, 45, 7, 3};
        const std::size_t form = r.weighted(form_weights);
        const std::string core = fmt::format("{}{}", stem.kanji, biz.kanji);
        const std::string core_kana = fmt::format("{}{}", stem.kana, biz.kana);
        switch (form) {
            case 0: c.name = "株式会社" + core; c.reading = "カブシキガイシャ" + core_kana; break;
            case 1: c.name = core + "株式会社"; c.reading = core_kana + "カブシキガイシャ"; break;
            case 2: c.name = "合同会社" + core; c.reading = "ゴウドウガイシャ" + core_kana; break;
            default: c.name = "有限会社" + core; c.reading = "ユウゲンガイシャ" + core_kana; break;
        }
        c.domain = fmt::format("{}-{}.example.jp", stem.romaji, biz.romaji);
        c.industry = biz.industry;
        c.place = &r.pick(data::ja_places());
    } else {
        const auto& stem = r.pick(data::west_company_stem());
        const auto& biz = r.pick(data::west_business());
        c.place = &r.pick(data::west_places());
        const char* legal = west_legal_form(r, c.place->country);
        c.name = fmt::format("{} {} {}", stem.name, biz.name, legal);
        c.domain = fmt::format("{}-{}.example.com", stem.ascii, biz.ascii);
        c.industry = biz.industry;
    }
    return c;
}

PostalAddress address(Rng& r, const data::Place& p) {
    PostalAddress a;
    a.country = p.country;
    a.region = p.region;
    a.city = p.city;
    a.postal_code = r.fill(p.postal);
    if (a.country == "JP") {
        const int chome = r.between(1, 9);
        const int banchi = r.between(1, 30);
        const int go = r.between(1, 20);
        a.street = fmt::format("{}{}-{}-{}", p.street, chome, banchi, go);
        if (r.percent(40)) {
            const auto& stem = r.pick(data::ja_company_stem());
            const int floor = r.between(2, 30);
            a.building = fmt::format("{}ビル {}F", stem.kanji, floor);
        }
    } else {
        const int number = r.between(1, 250);
        a.street = p.number_first ? fmt::format("{} {}", number, p.street) : fmt::format("{} {}", p.street, number);
        if (r.percent(30)) {
            const int suite = r.between(1, 40) * 10;
            a.building = fmt::format("Suite {}", suite);
        }
    }
    return a;
}

}  // namespace

Generator::Generator(std::uint64_t seed, double japanese_share) noexcept : seed_(seed), ja_(japanese_share) {}

User Generator::user(std::size_t i) {
    Rng r(seed_, Stream::user, i);
    const bool ja = r.chance(ja_);
    const Person p = person(r, ja);
    User u;
    u.name = p.name;
    u.name_reading = p.reading;
    u.email = fmt::format("{}.{}.{}@mirai-cloud.example", p.given_ascii, p.family_ascii, i);
    static constexpr unsigned role_weights[] = {70, 25, 5};
    static constexpr UserRole roles[] = {UserRole::rep, UserRole::agent, UserRole::admin};
    u.role = roles[r.weighted(role_weights)];
    u.region = p.place->sales_region;
    u.active = r.percent(95);
    return u;
}

Account Generator::account(std::size_t i) {
    Rng r(seed_, Stream::account, i);
    const bool ja = r.chance(ja_);
    const Company c = company(r, ja);
    Account a;
    a.name = c.name;
    a.name_reading = c.reading;
    a.industry = c.industry;
    static constexpr int size_lo[] = {3, 50, 300, 1000, 5000};
    static constexpr int size_hi[] = {49, 299, 999, 4999, 50000};
    static constexpr unsigned size_weights[] = {35, 30, 18, 12, 5};
    const std::size_t bucket = r.weighted(size_weights);
    const std::int64_t employees = r.between(size_lo[bucket], size_hi[bucket]);
    a.employee_count = employees;
    if (r.percent(80)) {
        const std::string_view country = c.place->country;
        // Revenue per employee: ¥10–40 million, or 150–400 thousand in USD/GBP/EUR (in cents).
        if (country == "JP") {
            const std::int64_t per_head = r.between(10, 40) * std::int64_t{1'000'000};
            a.annual_revenue = Money{employees * per_head, "JPY"};
        } else {
            const std::int64_t per_head = r.between(150, 400) * std::int64_t{100'000};
            const char* currency = country == "US" ? "USD" : country == "GB" ? "GBP" : "EUR";
            a.annual_revenue = Money{employees * per_head, currency};
        }
    }
    a.address = address(r, *c.place);
    a.phone = r.fill(c.place->phone);
    a.website = "https://www." + c.domain + "/";
    static constexpr unsigned status_weights[] = {20, 30, 10, 30, 3, 7};
    static constexpr ContractStatus statuses[] = {ContractStatus::none,   ContractStatus::prospect,
                                                  ContractStatus::trial,  ContractStatus::active,
                                                  ContractStatus::suspended, ContractStatus::churned};
    a.contract_status = statuses[r.weighted(status_weights)];
    if (r.percent(20)) {
        static constexpr const char* ja_tags[] = {"上場企業", "重点顧客", "パートナー", "官公庁取引あり"};
        static constexpr const char* west_tags[] = {"key-account", "partner", "enterprise", "public-sector"};
        a.tags.push_back(r.pick(std::span<const char* const>(ja ? ja_tags : west_tags)));
    }
    return a;
}

Contact Generator::contact(std::size_t i) {
    Rng r(seed_, Stream::contact, i);
    const bool ja = r.chance(ja_);
    const Person p = person(r, ja);
    // A plausible employer for the work address's domain; populate() replaces it with the real one.
    const Company employer = company(r, ja);
    Contact c;
    c.name = p.name;
    c.name_reading = p.reading;
    // Unique at any scale: i is in every address, and the two patterns cannot meet
    // ("given.family.i" has no '-', "family.given-i" does; names are letters only).
    c.emails.push_back({fmt::format("{}.{}.{}@{}", p.given_ascii, p.family_ascii, i, employer.domain), "work", true});
    if (r.percent(40)) {
        static constexpr const char* ja_mail[] = {"mail.example.jp", "post.example.jp"};
        static constexpr const char* west_mail[] = {"mail.example.com", "example.net"};
        const char* host = r.pick(std::span<const char* const>(ja ? ja_mail : west_mail));
        c.emails.push_back({fmt::format("{}.{}-{}@{}", p.family_ascii, p.given_ascii, i, host), "home", false});
    }
    if (r.percent(85)) c.phones.push_back({r.fill(p.place->phone), "work", true});
    if (r.percent(50)) c.phones.push_back({r.fill(p.place->mobile), "mobile", c.phones.empty()});
    if (r.percent(70)) c.address = address(r, *p.place);
    if (r.percent(75)) c.title = r.pick(ja ? data::ja_titles() : data::west_titles());
    if (r.percent(85)) c.department = r.pick(ja ? data::ja_departments() : data::west_departments());
    static constexpr unsigned stage_weights[] = {10, 30, 15, 10, 10, 15, 3, 4, 3, 0};
    c.lifecycle_stage = static_cast<LifecycleStage>(r.weighted(stage_weights));
    if (r.percent(85)) c.lead_source = r.pick(data::lead_sources());
    if (r.percent(50)) {
        static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const int year = r.between(1955, 2003);
        const int month = r.between(1, 12);
        const int day = r.between(1, month_days[month - 1]);
        c.birthday = fmt::format("{:04}-{:02}-{:02}", year, month, day);
    }
    c.consent.email = r.percent(60);
    c.consent.phone = r.percent(35);
    c.consent.sms = r.percent(20);
    c.consent.postal = r.percent(30);
    c.consent.tracking = r.percent(45);
    const auto tags = ja ? data::ja_tags() : data::west_tags();
    if (r.percent(25)) c.tags.push_back(r.pick(tags));
    if (r.percent(8)) {
        const char* second = r.pick(tags);
        if (c.tags.empty() || c.tags.front() != second) c.tags.push_back(second);
    }
    return c;
}

}  // namespace crm::sample
