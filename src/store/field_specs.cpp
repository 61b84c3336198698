// The fields of each entity kind that lists may filter and sort on: name,
// SQL expression over the entity's table (fixed text, never user input), type.
#include "store/entity_store.hpp"
#include "store/interactions_store.hpp"
#include "store/sales_store.hpp"
#include "store/tickets_store.hpp"
#include "store/tasks_store.hpp"

namespace crm::store {

namespace {
const FieldSpec kUserFields[] = {
    {"id", "id", FieldKind::integer, true},           {"external_id", "external_id", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},          {"name_reading", "name_reading", FieldKind::text, true},
    {"email", "email_norm", FieldKind::text, true},   {"role", "role", FieldKind::text, true},
    {"team_id", "team_id", FieldKind::integer, true}, {"region", "region", FieldKind::text, true},
    {"active", "active", FieldKind::boolean, true},   {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};
const FieldSpec kTeamFields[] = {
    {"id", "id", FieldKind::integer, true},         {"external_id", "external_id", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},        {"region", "region", FieldKind::text, true},
    {"manager_id", "manager_id", FieldKind::integer, true}, {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};
const FieldSpec kAccountFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},
    {"name_reading", "name_reading", FieldKind::text, true},
    {"industry", "industry", FieldKind::text, true},
    {"employee_count", "employee_count", FieldKind::integer, true},
    {"annual_revenue", "revenue_amount", FieldKind::integer, true},
    {"currency", "revenue_currency", FieldKind::text, true},
    {"country", "country", FieldKind::text, true},
    {"region", "region", FieldKind::text, true},
    {"city", "city", FieldKind::text, true},
    {"phone", "phone", FieldKind::text, false},
    {"website", "website", FieldKind::text, false},
    {"parent_id", "parent_id", FieldKind::integer, true},
    {"owner_id", "owner_id", FieldKind::integer, true},
    {"contract_status", "contract_status", FieldKind::text, true},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};
const FieldSpec kContactFields[] = {
    {"id", "id", FieldKind::integer, true},
    {"external_id", "external_id", FieldKind::text, true},
    {"name", "name", FieldKind::text, true},
    {"name_reading", "name_reading", FieldKind::text, true},
    {"email", "(SELECT group_concat(address_norm, ' ') FROM contact_emails e WHERE e.contact_id = contacts.id)",
     FieldKind::text, false},
    {"phone", "(SELECT group_concat(number, ' ') FROM contact_phones p WHERE p.contact_id = contacts.id)",
     FieldKind::text, false},
    {"country", "country", FieldKind::text, true},
    {"region", "region", FieldKind::text, true},
    {"city", "city", FieldKind::text, true},
    {"title", "title", FieldKind::text, true},
    {"department", "department", FieldKind::text, true},
    {"account_id", "account_id", FieldKind::integer, true},
    {"owner_id", "owner_id", FieldKind::integer, true},
    {"lifecycle_stage", "lifecycle_stage", FieldKind::text, true},
    {"lead_source", "lead_source", FieldKind::text, true},
    {"birthday", "birthday", FieldKind::text, true},
    {"consent.email", "consent_email", FieldKind::boolean, true},
    {"consent.phone", "consent_phone", FieldKind::boolean, true},
    {"consent.sms", "consent_sms", FieldKind::boolean, true},
    {"consent.postal", "consent_postal", FieldKind::boolean, true},
    {"consent.tracking", "consent_tracking", FieldKind::boolean, true},
    {"created_at", "created_at", FieldKind::time, true},
    {"updated_at", "updated_at", FieldKind::time, true},
};

}  // namespace

std::span<const FieldSpec> field_specs(Entity e) noexcept {
    switch (e) {
        case Entity::user: return kUserFields;
        case Entity::team: return kTeamFields;
        case Entity::account: return kAccountFields;
        case Entity::contact: return kContactFields;
        case Entity::product:
        case Entity::campaign:
        case Entity::pipeline:
        case Entity::deal: return sales_field_specs(e);
        case Entity::interaction: return interaction_field_specs();
        case Entity::ticket: return ticket_field_specs();
        case Entity::task:
        case Entity::document: return work_field_specs(e);
        default: return {};
    }
}

const FieldSpec* find_field(Entity e, const std::string& name) noexcept {
    for (const auto& f : field_specs(e))
        if (name == f.name) return &f;
    return nullptr;
}

}  // namespace crm::store
