// cmd_custom.cpp — tags and custom fields on any record:
//   crm tag add|remove ENTITY ID TAG
//   crm field define|list|remove …
//   crm custom set|unset ENTITY ID FIELD [VALUE]
#include <fmt/format.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {
crm::FieldType parse_field_type(const std::string& s) {
    std::string t = s == "boolean" ? "bool" : s == "enumeration" ? "enum" : s == "int" ? "integer" : s;
    auto ft = crm::field_type_from_string(t);
    if (!ft) invalid_input(fmt::format("type: '{}' is not one of text, integer, decimal, date, bool, enum", s));
    return *ft;
}

// The value of a custom field in the type its definition asks for.
crm::FieldValue custom_value(const crm::CustomFieldDef& def, const std::string& raw) {
    switch (def.type) {
        case crm::FieldType::integer: return parse_int(raw, def.name.c_str());
        case crm::FieldType::boolean:
            if (raw == "true" || raw == "yes" || raw == "1") return true;
            if (raw == "false" || raw == "no" || raw == "0") return false;
            bad_argument(fmt::format("{}: '{}' is not true or false", def.name, raw));
        default: return raw;
    }
}

void print_defs(const Context& ctx, const std::vector<crm::CustomFieldDef>& defs) {
    std::vector<std::string> docs;
    for (const auto& d : defs) docs.push_back(crm::to_json(d));
    print_records(ctx, docs, {"id", "entity", "name", "label", "type", "options", "required"});
}
}  // namespace

namespace {
// crm tag add|remove ENTITY ID TAG
int tag_change(Context& ctx, const Tokens& args, bool add) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(3, 3);
    const crm::Entity e = parse_entity(a.positional[0]);
    const crm::Id id = parse_id(a.positional[1]);
    const std::string& tag = a.positional[2];
    auto records = ctx.open().records(e);
    must(add ? records.add_tag(id, tag) : records.remove_tag(id, tag));
    print_record(ctx, must(records.get(id)));
    return exit_ok;
}
int tag_add(Context& ctx, const Tokens& args) { return tag_change(ctx, args, true); }
int tag_remove(Context& ctx, const Tokens& args) { return tag_change(ctx, args, false); }

int field_define(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"label", true}, {"option", true}, {"required", false}});
    a.expect_positional(3, 3);
    crm::CustomFieldDef def;
    def.entity = parse_entity(a.positional[0]);
    def.name = a.positional[1];
    def.type = parse_field_type(a.positional[2]);
    def.label = a.get("label").value_or("");
    def.options = a.all("option");
    def.required = a.has("required");
    auto& db = ctx.open();
    must(db.custom_fields().define(def));
    print_record(ctx, crm::to_json(must(db.custom_fields().get(def.entity, def.name))));
    return exit_ok;
}

int field_get(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(2, 2);
    const crm::Entity e = parse_entity(a.positional[0]);
    print_record(ctx, crm::to_json(must(ctx.open().custom_fields().get(e, a.positional[1]))));
    return exit_ok;
}

int field_list(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(0, 1);
    auto& db = ctx.open();
    std::vector<crm::CustomFieldDef> defs;
    if (a.positional.empty()) {  // every kind
        for (const auto* k : crm::entity_kinds()) {
            auto some = must(db.custom_fields().list(k->entity));
            defs.insert(defs.end(), some.begin(), some.end());
        }
    } else {
        defs = must(db.custom_fields().list(parse_entity(a.positional[0])));
    }
    print_defs(ctx, defs);
    return exit_ok;
}

int field_remove(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(2, 2);
    const crm::Entity e = parse_entity(a.positional[0]);
    must(ctx.open().custom_fields().remove(e, a.positional[1]));
    if (ctx.format == Format::as_table) fmt::print("removed custom field {}.{}\n", crm::entity_name(e), a.positional[1]);
    else print_object(ctx, json{{"entity", crm::entity_name(e)}, {"name", a.positional[1]}, {"removed", true}});
    return exit_ok;
}

// crm custom set ENTITY ID FIELD VALUE | crm custom unset ENTITY ID FIELD
int custom_change(Context& ctx, const Tokens& args, bool set) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(set ? 4 : 3, set ? 4 : 3);
    const crm::Entity e = parse_entity(a.positional[0]);
    const crm::Id id = parse_id(a.positional[1]);
    const std::string& field = a.positional[2];
    auto& db = ctx.open();
    auto def = must(db.custom_fields().get(e, field));
    crm::FieldValue value = set ? custom_value(def, a.positional[3]) : crm::FieldValue{};
    auto records = db.records(e);
    must(records.set_custom(id, field, value));
    print_record(ctx, must(records.get(id)));
    return exit_ok;
}
int custom_set(Context& ctx, const Tokens& args) { return custom_change(ctx, args, true); }
int custom_unset(Context& ctx, const Tokens& args) { return custom_change(ctx, args, false); }
}  // namespace

int cmd_tag(Context& ctx, const Tokens& args) { return run_sub(ctx, args, {{"add", tag_add}, {"remove", tag_remove}}); }

int cmd_field(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"define", field_define}, {"get", field_get}, {"list", field_list}, {"remove", field_remove}});
}

int cmd_custom(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args, {{"set", custom_set}, {"unset", custom_unset}});
}

std::string tag_usage() {
    return "usage: crm tag add|remove ENTITY ID TAG\n\n"
           "Adds or removes one tag on a record of any kind and prints the record.\n"
           "  crm tag add contact 12 展示会2025\n"
           "List records with a tag: crm contact list --where tag=展示会2025\n";
}

std::string field_usage() {
    return "usage: crm field define ENTITY NAME TYPE [--label L] [--option O]... [--required]\n"
           "       crm field get ENTITY NAME\n"
           "       crm field list [ENTITY]            (no ENTITY: every kind)\n"
           "       crm field remove ENTITY NAME\n\n"
           "TYPE is text, integer, decimal, date, bool or enum (enum takes its values from --option).\n"
           "NAME is [a-z][a-z0-9_]*; the label may be any text.\n"
           "  crm field define contact rank enum --label 顧客ランク --option A --option B --option C\n"
           "A field still holding values cannot be removed (exit code 3).\n";
}

std::string custom_usage() {
    return "usage: crm custom set ENTITY ID FIELD VALUE\n"
           "       crm custom unset ENTITY ID FIELD\n\n"
           "Sets (or clears) a custom field value; VALUE is converted to the field's type.\n"
           "  crm custom set contact 12 rank A\n"
           "Filter on it: crm contact list --where custom.rank=A\n";
}

}  // namespace cli
