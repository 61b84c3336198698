// crm/users.hpp — the company's own people and teams.
#pragma once

#include "crm/types.hpp"

namespace crm {

enum class UserRole { rep, agent, manager, admin, other };
const char* to_string(UserRole r) noexcept;
std::optional<UserRole> user_role_from_string(const std::string& s) noexcept;

struct Team {
    Id id = 0;
    std::string external_id;   // optional, unique
    std::string name;          // required, unique
    std::string region;        // territory / region (関東, EMEA …)
    std::optional<Id> manager_id;  // a user
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

struct User {
    Id id = 0;
    std::string external_id;   // optional, unique
    std::string name;          // required
    std::string name_reading;  // furigana
    std::string email;         // required, unique (case-insensitive)
    UserRole role = UserRole::rep;
    std::optional<Id> team_id;
    std::string region;
    bool active = true;
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

}  // namespace crm
