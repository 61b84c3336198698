// records.hpp — what the record commands know about each entity kind: its
// service, its field options (--name, --email …), its table columns, and how
// a set of options becomes a JSON merge patch.
#pragma once

#include <string>
#include <vector>

#include "cli.hpp"

namespace cli {

// A field option of `add` / `update`: --email X sets "emails", --city X sets "address.city".
struct FieldFlag {
    enum Kind { text, id, integer, boolean, list, revenue };
    const char* option;  // "email"
    const char* key;     // dotted document key: "emails", "address.city"
    Kind kind;
    const char* help;
};

template <class T> struct Kind;

template <> struct Kind<crm::Contact> {
    static constexpr crm::Entity entity = crm::Entity::contact;
    static constexpr const char* name = "contact";
    static crm::Contacts service(crm::Db& db) { return db.contacts(); }
};
template <> struct Kind<crm::Account> {
    static constexpr crm::Entity entity = crm::Entity::account;
    static constexpr const char* name = "account";
    static crm::Accounts service(crm::Db& db) { return db.accounts(); }
};
template <> struct Kind<crm::User> {
    static constexpr crm::Entity entity = crm::Entity::user;
    static constexpr const char* name = "user";
    static crm::Users service(crm::Db& db) { return db.users(); }
};
template <> struct Kind<crm::Team> {
    static constexpr crm::Entity entity = crm::Entity::team;
    static constexpr const char* name = "team";
    static crm::Teams service(crm::Db& db) { return db.teams(); }
};

const std::vector<FieldFlag>& field_flags(crm::Entity e);
// Table columns of a list ("header=dotted.key"); decorated keys such as
// "account" (the employer's name) are added by decorate_for_table().
const std::vector<std::string>& table_columns(crm::Entity e);
std::vector<OptSpec> field_option_specs(crm::Entity e);  // field flags + --set/--patch/--from-json

// Builds the merge patch that the field options, --set k=v and --patch JSON
// of `args` describe. `current` is the record's document (or an empty
// record's for add): it decides how --set values are typed.
json build_patch(crm::Db& db, crm::Entity e, const Args& args, const json& current);

// Typed value of "--set key=raw": see docs/cli.md ("Values of --set").
json typed_value(crm::Db& db, crm::Entity e, const std::string& key, const std::string& raw, const json& current);

// Adds display-only keys used by table_columns() ("account", "team", "manager").
// Only ever used for table output; JSON and CSV show documents as they are.
std::vector<std::string> decorate_for_table(crm::Db& db, crm::Entity e, const std::vector<std::string>& docs);

// Prints records of any kind in the context's format with the kind's columns.
void print_list(Context& ctx, crm::Entity e, const std::vector<std::string>& docs);

// Runs fn.template operator()<T>() with T the record type of the entity.
template <class F>
decltype(auto) with_entity(crm::Entity e, F&& fn) {
    switch (e) {
        case crm::Entity::contact: return fn.template operator()<crm::Contact>();
        case crm::Entity::account: return fn.template operator()<crm::Account>();
        case crm::Entity::user: return fn.template operator()<crm::User>();
        default: break;  // team; the CLI handles the customer-graph kinds only
    }
    return fn.template operator()<crm::Team>();
}

// The record's current document, as crm::to_json gives it.
template <class T>
std::string record_doc(crm::Db& db, crm::Id id) {
    return crm::to_json(must(Kind<T>::service(db).get(id)));
}

}  // namespace cli
