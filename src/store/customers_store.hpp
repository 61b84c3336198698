// Private: SQL of the customer graph beyond the kinds' own rows (store/rows.hpp):
// contacts' emails and phones, and the lookups the customer services need.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "crm/contacts.hpp"
#include "store/entity_store.hpp"

namespace crm::store {

// contact_emails and contact_phones: the descriptor's save_children / load_children.
void save_contact_children(DbImpl& db, const Contact& v, const Contact* old);
void load_contact_children(DbImpl& db, std::span<Contact> contacts);

// Lookups by a normalized (trimmed, lower-cased) email address.
std::optional<Id> user_by_email(DbImpl& db, const std::string& email_norm);
std::optional<Id> contact_by_email(DbImpl& db, const std::string& email_norm);
std::optional<Id> account_parent(DbImpl& db, Id account_id);
// The unique index on contact_emails.address_norm, checked ahead: the error it would
// give if another contact than `self` holds the address (as the index reports it).
std::optional<error> email_taken(DbImpl& db, const std::string& email_norm, Id self);

}  // namespace crm::store
