// The matching keys of contacts and accounts (dedup/keys.hpp).
#include "dedup/keys.hpp"

#include <algorithm>

#include "crm/normalize.hpp"

namespace crm::dedup {

namespace {
void add_unique(std::vector<std::string>& v, std::string k) {
    if (!k.empty() && std::find(v.begin(), v.end(), k) == v.end()) v.push_back(std::move(k));
}
}  // namespace

ContactKeys contact_keys(const Contact& c, std::string_view company) {
    ContactKeys k;
    for (const auto& e : c.emails)
        if (auto n = normalize::email(e.address)) add_unique(k.emails, std::move(n).value());
    for (const auto& p : c.phones)
        if (auto n = normalize::phone(p.number)) add_unique(k.phones, std::move(n).value());
    if (!c.external_id.empty()) k.external_id = normalize::fold(c.external_id);
    if (!c.name.empty()) k.name = normalize::fold(c.name);
    if (!c.name_reading.empty()) k.reading = normalize::kana(c.name_reading);
    if (!company.empty()) k.company = normalize::company(company);
    return k;
}

ContactKeys contact_keys(const Contact& c, std::string_view company, CompanyKeys& cache) {
    ContactKeys k = contact_keys(c, std::string_view());
    if (!company.empty()) {
        auto it = cache.find(std::string(company));
        if (it == cache.end()) it = cache.emplace(std::string(company), normalize::company(company)).first;
        k.company = it->second;
    }
    return k;
}

std::string website_domain(std::string_view url) {
    std::string s = normalize::text(url);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) {
        return ch < 0x80 ? static_cast<char>(std::tolower(ch)) : static_cast<char>(ch);
    });
    if (auto p = s.find("://"); p != std::string::npos) s.erase(0, p + 3);
    if (auto p = s.find_first_of("/?#"); p != std::string::npos) s.erase(p);
    if (auto p = s.rfind('@'); p != std::string::npos) s.erase(0, p + 1);
    if (auto p = s.find(':'); p != std::string::npos) s.erase(p);
    while (!s.empty() && s.back() == '.') s.pop_back();
    if (s.rfind("www.", 0) == 0) s.erase(0, 4);
    if (s.find('.') == std::string::npos || s.find(' ') != std::string::npos) return {};
    return s;
}

AccountKeys account_keys(const Account& a) {
    AccountKeys k;
    k.company = normalize::company(a.name);
    if (!a.name_reading.empty()) k.reading = normalize::kana(a.name_reading);
    if (!a.phone.empty())
        if (auto n = normalize::phone(a.phone)) k.phone = std::move(n).value();
    k.domain = website_domain(a.website);
    if (!a.external_id.empty()) k.external_id = normalize::fold(a.external_id);
    return k;
}

}  // namespace crm::dedup
