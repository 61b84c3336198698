// records.hpp — the generic record commands (cmd_records.cpp) and what they take
// from the library's description of each kind (entities.cpp): its field options
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

// The field options of `add` / `update` and the table columns of a list come from
// the library's description of each kind (crm/entities.hpp): every field a caller
// can set (FieldCap cap_import, not cap_computed) is an option named after the
// field's short name (--reading, --email, --postal-code …); the fields marked
// cap_summary are the columns.
std::vector<const crm::FieldInfo*> option_fields(crm::Entity e);
std::string option_name(const crm::FieldInfo& f);  // "postal-code"
// The field that names a record of the kind (the first required one): "name", "subject" …
const crm::FieldInfo& main_field(crm::Entity e);
std::vector<OptSpec> field_option_specs(crm::Entity e);  // field options + --set/--patch/--from-json

// Builds the merge patch that the field options, --set k=v and --patch JSON
// of `args` describe, in command-line order (a later option wins). `current`
// is the record's document (or an empty record's for add): it decides how
// --set values are typed.
json build_patch(crm::Db& db, crm::Entity e, const Args& args, const json& current);

// Typed value of "--set key=raw": see docs/cli.md ("Values of --set").
json typed_value(crm::Db& db, crm::Entity e, const std::string& key, const std::string& raw, const json& current);

// Prints records of any kind in the context's format; a table shows the kind's
// summary fields, references shown by the name of the record they point to.
void print_list(Context& ctx, crm::Entity e, const std::vector<std::string>& docs);

// References named in a record's document (account_id, contact_ids[0], links[1],
// line_items[0].product_id …) that point at no record: exit 2, not_found, naming
// the field. Checked before a write, so every command answers a missing
// reference the same way (the library may call it not_found or invalid).
void check_references(crm::Db& db, crm::Entity e, const json& doc);
void check_exists(crm::Db& db, crm::Entity kind, crm::Id id, const std::string& what);

crm::Timestamp parse_time(const std::string& text, const char* what);  // ISO-8601, else exit_usage
json parse_document(const std::string& what, const std::string& text);  // JSON, else exit_invalid

// ---- the generic record commands (cmd_records.cpp) ---------------------------------
// An area's own sub-commands (SubCommand, cli.hpp) are tried before the generic
// ones, so an area may also replace one (doc add FILE, ticket history --status).

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
// The documents `list` would print (every page with --all); `next` is the cursor after them.
std::vector<std::string> list_docs(Context& ctx, crm::Entity e, const Args& a, crm::ListOptions o, std::string& next);
int update_record(Context& ctx, crm::Entity e, const Tokens& tokens);  // `update` with its arguments

// A deal's stage is a stage of its pipeline, not a record of its own kind: found
// (and shown by name) through the pipeline's stages, read once per pipeline.
class StageLookup {
public:
    explicit StageLookup(crm::Db& db) : db_(db) {}
    const crm::Stage* find(crm::Id pipeline_id, crm::Id stage_id);
    std::string name(crm::Id pipeline_id, crm::Id stage_id);  // "#ID" when unknown

private:
    crm::Db& db_;
    std::map<crm::Id, std::vector<crm::Stage>> stages_;
};
int history_record(Context& ctx, crm::Entity e, crm::Id id);

template <class T>
std::vector<std::string> docs_of(const std::vector<T>& items) {
    std::vector<std::string> docs;
    docs.reserve(items.size());
    for (const auto& x : items) docs.push_back(crm::to_json(x));
    return docs;
}

}  // namespace cli
