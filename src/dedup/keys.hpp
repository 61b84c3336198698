// Private: the matching keys of a contact or an account — what duplicate detection
// (src/dedup/dedup.cpp) blocks on, and what an importer uses to find the record a
// row is about ("dedup on import"). All keys come from crm::normalize; an empty key
// means "nothing to match on" and is never compared.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "crm/accounts.hpp"
#include "crm/contacts.hpp"

namespace crm::dedup {

struct ContactKeys {
    std::vector<std::string> emails;  // normalize::email of each address that is one
    std::vector<std::string> phones;  // normalize::phone (JP default) of each number that parses
    std::string external_id;          // normalize::fold of the external id
    std::string name;                 // normalize::fold of the name
    std::string reading;              // normalize::kana of the reading
    std::string company;              // normalize::company of the employer's name
};
// `company`: the name of the contact's account (or a company column of imported data).
ContactKeys contact_keys(const Contact& c, std::string_view company);
// The same, with the company keys of names seen before kept in `cache` (many contacts
// share an employer: an import or a scan computes each company key once).
using CompanyKeys = std::unordered_map<std::string, std::string>;
ContactKeys contact_keys(const Contact& c, std::string_view company, CompanyKeys& cache);

struct AccountKeys {
    std::string company;      // normalize::company of the name
    std::string reading;      // normalize::kana of the reading
    std::string phone;        // normalize::phone
    std::string domain;       // the website's host, lower case, without "www."
    std::string external_id;  // normalize::fold of the external id
};
AccountKeys account_keys(const Account& a);

// The host of a website: "https://WWW.Example.co.jp/about" → "example.co.jp"; "" if none.
std::string website_domain(std::string_view url);

}  // namespace crm::dedup
