// Private: SQL of the customer graph beyond the kinds' own rows (store/rows.hpp):
// contacts' emails and phones, and the lookups the customer services need.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

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

// Employment periods (contact_employments): when a contact's employer changes at
// `at`, the open period ends and one at the new account begins (from the beginning
// of time if it is the contact's first employer).
void change_employer(DbImpl& db, Id contact_id, std::optional<Id> account_id, Timestamp at);
struct Employment {
    Id contact_id;
    Timestamp since;  // INT64_MIN: from the beginning
    Timestamp until;  // INT64_MAX: still there
};
// The periods at an account that overlap [since, until).
std::vector<Employment> employments_at(DbImpl& db, Id account_id, Timestamp since, Timestamp until);
// Rebuilds every period from the contacts' history (after the upgrade to v8).
void derive_employments(DbImpl& db);

}  // namespace crm::store
