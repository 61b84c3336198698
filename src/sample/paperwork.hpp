// Private: the sample company's documents as small, self-contained UTF-8 HTML
// pages (a browser shows the Japanese text as is): 御見積書, ご提案書, 請求書,
// or their English versions for Western customers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crm/types.hpp"

namespace crm::sample {

struct PaperLine {
    std::string product;
    std::int64_t quantity = 1;
    std::int64_t unit_price = 0;  // JPY
    std::int64_t discount = 0;    // JPY off the line
};

struct Paper {
    bool ja = true;
    std::string number;           // Q-2026-00012 / INV-202607-00012
    Timestamp issued = 0;
    std::string customer;         // the account's name
    std::string person;           // the contact's name, may be empty
    std::string rep;              // the sales rep's name
    std::string title;            // the deal's name
    std::vector<PaperLine> lines;
    std::string competitor;       // for proposals: what they use today
};

std::string quote_html(const Paper& p);
std::string proposal_html(const Paper& p);
std::string invoice_html(const Paper& p);

}  // namespace crm::sample
