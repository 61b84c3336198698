// records.hpp — the generic record commands (cmd_records.cpp) and what they know
// about each record kind (entities.cpp): its service, its field options
// (--name, --email …), its table columns, and how options become a JSON merge patch.
//
// Every record kind — contact, account, user, team, product, campaign, pipeline,
// deal, interaction, ticket, task, document — gets the same sub-commands
// (add, get, list, update, delete, history, as-of) from record_command(); an
// area file (cmd_sales.cpp, cmd_tickets.cpp …) only adds or replaces the
// sub-commands that are really its own (deal move, ticket status, doc add FILE …).
#pragma once

#include <string>
#include <vector>

#include "cli.hpp"

namespace cli {

using Tokens = std::vector<std::string>;

// A field option of `add` / `update`: --email X sets "emails", --city X sets "address.city".
struct FieldFlag {
    enum Kind {
        text,      // the text as given
        opt_text,  // the text; empty clears the field (null)
        id,        // a record id; empty or null clears
        integer,   // an integer; empty or null clears
        boolean,   // true|false (yes/no, on/off, 1/0)
        list,      // repeatable: each occurrence adds an element (empty adds none)
        ids,       // repeatable: each occurrence adds a record id
        money,     // AMOUNT [CURRENCY] in minor units (default JPY); empty or null clears
        time,      // ISO-8601 time, stored as UTC text; empty clears
        stages,    // repeatable NAME:PROBABILITY[:open|won|lost] (pipelines)
        items,     // repeatable PRODUCT_ID:QUANTITY:UNIT_PRICE[:DISCOUNT] (deals)
        links,     // repeatable ENTITY:ID (tasks, documents)
    };
    const char* option;  // "email"
    const char* key;     // dotted document key: "emails", "address.city"
    Kind kind;
    const char* help;
};

// What the generic commands know of one record kind.
struct RecordKind {
    crm::Entity entity;
    std::vector<FieldFlag> flags;      // field options of add / update; the first names the kind's main field
    std::vector<std::string> columns;  // table columns of a list ("header=dotted.key")
};

const RecordKind& record_kind(crm::Entity e);
const std::vector<FieldFlag>& field_flags(crm::Entity e);
// Table columns of a list; decorated keys such as "account" (the employer's
// name) are added by decorate_for_table().
const std::vector<std::string>& table_columns(crm::Entity e);
std::vector<OptSpec> field_option_specs(crm::Entity e);  // field flags + --set/--patch/--from-json

// Builds the merge patch that the field options, --set k=v and --patch JSON
// of `args` describe, in command-line order (a later option wins). `current`
// is the record's document (or an empty record's for add): it decides how
// --set values are typed and the currency of deal --item prices.
json build_patch(crm::Db& db, crm::Entity e, const Args& args, const json& current);

// Typed value of "--set key=raw": see docs/cli.md ("Values of --set").
json typed_value(crm::Db& db, crm::Entity e, const std::string& key, const std::string& raw, const json& current);

// Adds display-only keys used by table_columns() ("account", "team", "manager").
// Only ever used for table output; JSON and CSV show documents as they are.
std::vector<std::string> decorate_for_table(crm::Db& db, crm::Entity e, const std::vector<std::string>& docs);

// Prints records of any kind in the context's format with the kind's columns.
void print_list(Context& ctx, crm::Entity e, const std::vector<std::string>& docs);

crm::Timestamp parse_time(const std::string& text, const char* what);  // ISO-8601, else exit_invalid
json parse_document(const std::string& what, const std::string& text);  // JSON, else exit_invalid

// ---- the generic record commands (cmd_records.cpp) ---------------------------------
// A sub-command of one area: `crm deal move …`. Tried before the generic ones,
// so an area may also replace one (doc add FILE, ticket history --status).
struct SubCommand {
    const char* name;
    int (*run)(Context& ctx, const Tokens& args);
};

// `crm <kind> <sub-command> …`: the area's own sub-commands, then add, get,
// list, update, delete, history, as-of.
int record_command(Context& ctx, crm::Entity e, const Tokens& args, const std::vector<SubCommand>& own = {});

// One line of a usage text: {"move ID STAGE_ID [--lost-reason R]", "change stage"}.
// A `cmd` that is empty or starts with a space continues the sub-command above.
struct UsageLine {
    std::string cmd, what;
};
// The usage text of `crm <kind>`: the generic sub-commands (one that `own`
// also names is replaced by it), then the area's own, the field options and
// the filters; `footer` ends it.
std::string records_usage(crm::Entity e, const std::vector<UsageLine>& own = {}, const std::string& footer = {});

// Pieces of the generic sub-commands, for an area that extends one of them:
std::vector<OptSpec> get_option_specs(crm::Entity e);  // --external-id, --as-of (and --email)
int get_record(Context& ctx, crm::Entity e, const Args& a);  // `get` with parsed arguments
std::vector<OptSpec> list_option_specs();                 // --where --sort --desc --limit --after --all
crm::ListOptions list_options(const Args& a);              // ListOptions from those options
std::size_t parse_limit(const Args& a);                    // --limit (1 … 10000), default 100
int list_records(Context& ctx, crm::Entity e, const Args& a, crm::ListOptions o);
int history_record(Context& ctx, crm::Entity e, crm::Id id);

// ---- record types --------------------------------------------------------------------
// Kind<T>: the entity of record type T and its service (a crm::Records<T>).
template <crm::Entity E, class Service, Service (crm::Db::*accessor)() noexcept>
struct KindOf {
    static constexpr crm::Entity entity = E;
    static Service service(crm::Db& db) { return (db.*accessor)(); }
};
template <class T> struct Kind;
template <> struct Kind<crm::Contact> : KindOf<crm::Entity::contact, crm::Contacts, &crm::Db::contacts> {};
template <> struct Kind<crm::Account> : KindOf<crm::Entity::account, crm::Accounts, &crm::Db::accounts> {};
template <> struct Kind<crm::User> : KindOf<crm::Entity::user, crm::Users, &crm::Db::users> {};
template <> struct Kind<crm::Team> : KindOf<crm::Entity::team, crm::Teams, &crm::Db::teams> {};
template <> struct Kind<crm::Product> : KindOf<crm::Entity::product, crm::Products, &crm::Db::products> {};
template <> struct Kind<crm::Campaign> : KindOf<crm::Entity::campaign, crm::Campaigns, &crm::Db::campaigns> {};
template <> struct Kind<crm::Pipeline> : KindOf<crm::Entity::pipeline, crm::Pipelines, &crm::Db::pipelines> {};
template <> struct Kind<crm::Deal> : KindOf<crm::Entity::deal, crm::Deals, &crm::Db::deals> {};
template <> struct Kind<crm::Interaction> : KindOf<crm::Entity::interaction, crm::Interactions, &crm::Db::interactions> {};
template <> struct Kind<crm::Ticket> : KindOf<crm::Entity::ticket, crm::Tickets, &crm::Db::tickets> {};
template <> struct Kind<crm::Task> : KindOf<crm::Entity::task, crm::Tasks, &crm::Db::tasks> {};
template <> struct Kind<crm::Document> : KindOf<crm::Entity::document, crm::Documents, &crm::Db::documents> {};

// Runs fn.template operator()<T>() with T the record type of the entity.
template <class F>
decltype(auto) with_entity(crm::Entity e, F&& fn) {
    switch (e) {
        case crm::Entity::contact: return fn.template operator()<crm::Contact>();
        case crm::Entity::account: return fn.template operator()<crm::Account>();
        case crm::Entity::user: return fn.template operator()<crm::User>();
        case crm::Entity::team: return fn.template operator()<crm::Team>();
        case crm::Entity::product: return fn.template operator()<crm::Product>();
        case crm::Entity::campaign: return fn.template operator()<crm::Campaign>();
        case crm::Entity::pipeline: return fn.template operator()<crm::Pipeline>();
        case crm::Entity::deal: return fn.template operator()<crm::Deal>();
        case crm::Entity::interaction: return fn.template operator()<crm::Interaction>();
        case crm::Entity::ticket: return fn.template operator()<crm::Ticket>();
        case crm::Entity::task: return fn.template operator()<crm::Task>();
        case crm::Entity::document: break;
    }
    return fn.template operator()<crm::Document>();
}

// The record's current document, as crm::to_json gives it.
template <class T>
std::string record_doc(crm::Db& db, crm::Id id) {
    return crm::to_json(must(Kind<T>::service(db).get(id)));
}

template <class T>
std::vector<std::string> docs_of(const std::vector<T>& items) {
    std::vector<std::string> docs;
    docs.reserve(items.size());
    for (const auto& x : items) docs.push_back(crm::to_json(x));
    return docs;
}

}  // namespace cli
