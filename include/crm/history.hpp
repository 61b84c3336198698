// crm/history.hpp — the change history of every record.
//
// Every create, update and delete writes history rows in the same transaction
// as the change itself. A create or delete writes one row whose field is "*"
// and whose value is the whole record as a JSON document; an update writes one
// row per changed field. Values are JSON texts ("null" for unset).
#pragma once

#include "crm/types.hpp"

namespace crm {

enum class ChangeOp { create, update, remove };
const char* to_string(ChangeOp op) noexcept;  // "create", "update", "delete"

struct Change {
    Id id = 0;                   // history row id (increasing)
    Entity entity = Entity::contact;
    Id record_id = 0;
    Timestamp at = 0;
    std::optional<Id> actor_id;  // the user who made the change, if known
    ChangeOp op = ChangeOp::update;
    std::string field;           // "title", "emails", "custom.rank", "tags", or "*"
    std::string old_value;       // JSON text
    std::string new_value;       // JSON text
};

}  // namespace crm
