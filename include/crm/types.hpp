// crm/types.hpp — value types shared by every entity.
//
// Conventions (docs/architecture.md): ids are 64-bit integers; times are UTC
// milliseconds since the Unix epoch; money is integer minor units plus an
// ISO-4217 currency code (JPY has no minor unit); all text is UTF-8.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace crm {

using Id = std::int64_t;
using Timestamp = std::int64_t;  // UTC milliseconds since 1970-01-01T00:00:00Z

// The kinds of record. Each carries history, tags and custom fields; crm/entities.hpp
// describes each kind's fields and references.
enum class Entity {
    user, team, account, contact,          // the customer graph: crm/users.hpp, accounts.hpp, contacts.hpp
    product, campaign, pipeline, deal,     // sales: crm/sales.hpp
    interaction, ticket, task, document,   // crm/interactions.hpp, tickets.hpp, tasks.hpp, documents.hpp
    segment,                               // crm/segments.hpp
};
// "user", "team", "account", "contact", "deal", …; "" for a value that is not a kind.
// The string is static.
const char* entity_name(Entity e) noexcept;
// The kind with exactly that name; nullopt if none.
std::optional<Entity> entity_from_name(const std::string& name) noexcept;

// A reference from one record to any other ("entity" + id): task and document links.
struct RecordLink {
    Entity entity = Entity::contact;
    Id id = 0;
    friend bool operator==(const RecordLink&, const RecordLink&) = default;
    friend auto operator<=>(const RecordLink& a, const RecordLink& b) noexcept {
        if (a.entity != b.entity) return static_cast<int>(a.entity) <=> static_cast<int>(b.entity);
        return a.id <=> b.id;
    }
};

struct Money {
    std::int64_t amount = 0;   // minor units (cents, or yen for JPY)
    std::string currency;      // ISO-4217, e.g. "JPY", "USD"
    friend bool operator==(const Money&, const Money&) = default;
};

struct PostalAddress {
    std::string postal_code;   // 〒100-0001
    std::string country;       // ISO-3166 alpha-2, e.g. "JP"
    std::string region;        // prefecture / state: 東京都
    std::string city;          // 千代田区
    std::string street;        // 千代田1-1
    std::string building;      // building / room
    bool empty() const noexcept {
        return postal_code.empty() && country.empty() && region.empty() && city.empty() &&
               street.empty() && building.empty();
    }
    friend bool operator==(const PostalAddress&, const PostalAddress&) = default;
};

// A custom-field value. Which alternative is used follows the field's type:
//   text, decimal ("12.50"), date ("2026-04-01"), enum  -> std::string
//   integer -> std::int64_t;  bool -> bool;  std::monostate = unset.
using FieldValue = std::variant<std::monostate, std::string, std::int64_t, bool>;
using CustomFields = std::map<std::string, FieldValue>;
using Tags = std::vector<std::string>;

// ISO-8601 helpers used at every edge (CLI, JSON, C ABI).
std::string format_iso8601(Timestamp ms);                 // "2026-11-24T07:08:16.000Z"
std::optional<Timestamp> parse_iso8601(const std::string& text);  // accepts date or date-time (Z or ±hh:mm)
Timestamp now_ms() noexcept;

}  // namespace crm
