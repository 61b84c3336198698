// crm/contacts.hpp — individuals.
#pragma once

#include "crm/types.hpp"

namespace crm {

enum class LifecycleStage { subscriber, lead, mql, sql, opportunity, customer, evangelist, recycled, disqualified, other };
const char* to_string(LifecycleStage s) noexcept;
std::optional<LifecycleStage> lifecycle_stage_from_string(const std::string& s) noexcept;

struct EmailAddress {
    std::string address;   // validated; unique across contacts (case-insensitive)
    std::string label;     // "work", "home", …
    bool primary = false;  // exactly one primary when any are given (first one if none marked)
    // Mail to it does not arrive: set by a hard bounce (Interactions::track); clear
    // it when the address is known to work again.
    bool undeliverable = false;
    friend bool operator==(const EmailAddress&, const EmailAddress&) = default;
};

struct PhoneNumber {
    std::string number;    // as entered: "03-1234-5678", "+81 3 1234 5678"
    std::string label;     // "work", "mobile", …
    bool primary = false;
    friend bool operator==(const PhoneNumber&, const PhoneNumber&) = default;
};

// Consent flags per channel. False = not given.
struct Consent {
    bool email = false;
    bool phone = false;
    bool sms = false;
    bool postal = false;
    bool tracking = false;  // web / behaviour tracking
    friend bool operator==(const Consent&, const Consent&) = default;
};

struct Contact {
    Id id = 0;
    std::string external_id;     // optional, unique
    std::string name;            // required: 山田 太郎
    std::string name_reading;    // furigana: ヤマダ タロウ
    std::vector<EmailAddress> emails;
    std::vector<PhoneNumber> phones;
    PostalAddress address;
    std::string title;           // 営業部長
    std::string department;      // 営業部
    std::optional<Id> account_id;  // employer
    std::optional<Id> owner_id;    // a user
    LifecycleStage lifecycle_stage = LifecycleStage::lead;
    std::string lead_source;
    std::string birthday;        // "YYYY-MM-DD" or empty
    Consent consent;
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;

    const EmailAddress* primary_email() const noexcept;
};

}  // namespace crm
