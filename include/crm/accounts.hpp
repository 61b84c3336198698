// crm/accounts.hpp — companies.
#pragma once

#include "crm/types.hpp"

namespace crm {

enum class ContractStatus { none, prospect, trial, active, suspended, churned };
const char* to_string(ContractStatus s) noexcept;
std::optional<ContractStatus> contract_status_from_string(const std::string& s) noexcept;

struct Account {
    Id id = 0;
    std::string external_id;      // optional, unique
    std::string name;             // required: 株式会社サンプル
    std::string name_reading;     // カブシキガイシャサンプル
    std::string industry;
    std::optional<std::int64_t> employee_count;
    std::optional<Money> annual_revenue;
    PostalAddress address;
    std::string phone;
    std::string website;
    std::optional<Id> parent_id;  // parent company; cycles are refused
    std::optional<Id> owner_id;   // a user
    ContractStatus contract_status = ContractStatus::none;
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

}  // namespace crm
