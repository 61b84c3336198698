// cmd_forms.cpp — crm form: define, update, get, list, remove, versions, check,
// submit and touches (docs/forms.md). Uses only the public API.
#include <fmt/format.h>

#include <iostream>

#include "commands.hpp"
#include "crm/forms.hpp"

namespace cli {

namespace {

// FORM on the command line: an id, or a form's name.
crm::Form find_form(crm::Db& db, const std::string& text) {
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return must(db.forms().get(parse_id(text, "FORM")));
    check_utf8("FORM", text);
    return must(db.forms().get_by_name(text));
}

// A JSON file the command line names: text that is not JSON is a usage error.
std::string json_file(const std::string& path) {
    std::string text = read_file_or_stdin(path);
    if (!json::accept(text)) bad_argument(fmt::format("{}: is not JSON text", path));
    return text;
}

crm::Form form_from_file(const Args& a) {
    auto path = a.get("from-json");
    if (!path && !a.positional.empty()) path = a.positional.back();
    if (!path) usage_error("the definition is needed: --from-json FILE (a JSON document, see docs/forms.md)");
    return must(crm::form_from_json(json_file(*path)));
}

// The values of check / submit: --field NAME=VALUE (repeatable) or --from-json FILE.
crm::FormValues values_of(const Args& a) {
    const auto fields = a.all("field");
    if (auto path = a.get("from-json")) {
        if (!fields.empty()) usage_error("give the values with --field or --from-json, not both");
        return must(crm::form_values_from_json(json_file(*path)));
    }
    crm::FormValues out;
    for (const auto& f : fields) {
        check_utf8("field", f);
        const auto eq = f.find('=');
        if (eq == std::string::npos || eq == 0) bad_argument(fmt::format("--field '{}': must be NAME=VALUE", f));
        if (!out.emplace(f.substr(0, eq), f.substr(eq + 1)).second)
            bad_argument(fmt::format("--field {}: given twice", f.substr(0, eq)));
    }
    return out;
}

void print_form(const Context& ctx, const crm::Form& f) {
    if (ctx.format != Format::as_table) return print_record(ctx, crm::to_json(f));
    json doc = json::parse(crm::to_json(f));
    doc.erase("fields");
    print_record(ctx, doc.dump());
    Table t;
    t.headers = {"field", "type", "required", "max_length", "pattern", "maps_to", "on_conflict", "choices"};
    for (const auto& x : f.fields) {
        std::string choices;
        for (const auto& c : x.choices) choices += (choices.empty() ? "" : "; ") + c;
        t.rows.push_back({x.name, crm::to_string(x.type), x.required ? "yes" : "", x.max_length ? std::to_string(*x.max_length) : "",
                          x.pattern, x.maps_to, x.on_conflict == crm::OnConflict::inherit ? "" : crm::to_string(x.on_conflict),
                          choices});
    }
    fmt::print("\n");
    print_table(t);
}

void print_errors(const Context& ctx, const std::vector<crm::FormFieldError>& errors) {
    if (ctx.format == Format::as_json) return print_json_doc(crm::to_json(errors));
    Table t;
    t.headers = {"field", "message"};
    for (const auto& e : errors) t.rows.push_back({e.field, e.message});
    if (ctx.format == Format::as_csv) return print_csv(t);
    if (errors.empty()) return fmt::print("ok: the values would be accepted\n");
    print_table(t, 80);
}

int form_define(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"from-json", true}});
    a.expect_positional(0, 1);
    crm::Form f = form_from_file(a);
    auto& db = ctx.open();
    const crm::Id id = must(db.forms().define(f));
    print_form(ctx, must(db.forms().get(id)));
    return exit_ok;
}

int form_update(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"from-json", true}});
    a.expect_positional(1, 2);
    auto& db = ctx.open();
    const crm::Form old = find_form(db, a.pos(0, "FORM"));
    if (!a.get("from-json") && a.positional.size() < 2) usage_error("the definition is needed: --from-json FILE");
    crm::Form f = form_from_file(a);
    f.id = old.id;
    must(db.forms().update(f));
    print_form(ctx, must(db.forms().get(old.id)));
    return exit_ok;
}

int form_get(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(1, 1);
    print_form(ctx, find_form(ctx.open(), a.pos(0, "FORM")));
    return exit_ok;
}

int form_list(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(0, 0);
    std::vector<std::string> docs;
    for (const auto& f : must(ctx.open().forms().list())) {
        json d = json::parse(crm::to_json(f));
        if (ctx.format != Format::as_json) d["fields"] = f.fields.size();
        docs.push_back(d.dump());
    }
    print_records(ctx, docs, {"id", "name", "title", "source", "version", "fields", "updated_at"});
    return exit_ok;
}

int form_remove(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(1, 1);
    auto& db = ctx.open();
    const crm::Form f = find_form(db, a.pos(0, "FORM"));
    must(db.forms().remove(f.id));
    print_object(ctx, json{{"id", f.id}, {"name", f.name}, {"deleted", true}});
    return exit_ok;
}

int form_versions(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(1, 1);
    auto& db = ctx.open();
    const std::string& ref = a.pos(0, "FORM");
    crm::Id id = 0;
    if (std::all_of(ref.begin(), ref.end(), [](char c) { return c >= '0' && c <= '9'; })) id = parse_id(ref, "FORM");
    else id = find_form(db, ref).id;
    std::vector<std::string> docs;
    for (const auto& v : must(db.forms().versions(id))) {
        json d = json::parse(crm::to_json(v));
        if (ctx.format != Format::as_json && d["definition"].is_object())
            d["title"] = d["definition"]["title"], d["fields"] = d["definition"]["fields"].size();
        if (ctx.format != Format::as_json) d.erase("definition");
        docs.push_back(d.dump());
    }
    print_records(ctx, docs, {"version", "op", "at", "actor_id", "title", "fields"});
    return exit_ok;
}

int form_check(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"field", true}, {"from-json", true}});
    a.expect_positional(1, 1);
    auto& db = ctx.open();
    const crm::Form f = find_form(db, a.pos(0, "FORM"));
    print_errors(ctx, must(db.forms().check(f.id, values_of(a))));  // a report: exit 0 either way
    return exit_ok;
}

int form_submit(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args,
                        {{"field", true}, {"from-json", true}, {"at", true}, {"utm-source", true},
                         {"utm-medium", true}, {"utm-campaign", true}, {"utm-term", true}, {"utm-content", true},
                         {"url", true}, {"referrer", true}});
    a.expect_positional(1, 1);
    auto& db = ctx.open();
    const crm::Form f = find_form(db, a.pos(0, "FORM"));
    const crm::FormValues values = values_of(a);
    crm::SubmitMeta m;
    if (auto t = a.get("at")) {
        auto at = crm::parse_iso8601(*t);
        if (!at) bad_argument(fmt::format("at: '{}' is not an ISO-8601 date or time", *t));
        m.at = *at;
    }
    const std::pair<const char*, std::string*> texts[] = {
        {"utm-source", &m.utm_source}, {"utm-medium", &m.utm_medium}, {"utm-campaign", &m.utm_campaign},
        {"utm-term", &m.utm_term},     {"utm-content", &m.utm_content}, {"url", &m.url},
        {"referrer", &m.referrer}};
    for (const auto& [name, out] : texts)
        if (auto v = a.get(name)) {
            check_utf8(name, *v);
            *out = *v;
        }
    // Bad values: the error lists every field error ("form 'x': 2 fields refused: email: is
    // required; plan: …"), exit 3, nothing stored; 'crm form check' gives them one per row.
    auto r = db.forms().submit(f.id, values, m);
    if (!r) raise(r.error());
    print_object(ctx, json::parse(crm::to_json(r.value())));
    return exit_ok;
}

int form_touches(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.pos(0, "CONTACT_ID"), "CONTACT_ID");
    const auto t = must(ctx.open().forms().touches(id));
    if (ctx.format == Format::as_json) {
        print_json_doc(crm::to_json(t));
        return exit_ok;
    }
    json doc = json::parse(crm::to_json(t));
    Table table;
    table.headers = {"touch", "at", "source", "medium", "campaign", "campaign_id", "form_id", "interaction_id"};
    for (const char* which : {"first", "latest"}) {
        const json& x = doc[which];
        if (x.is_null()) continue;
        table.rows.push_back({which, cell_text(x["at"]), cell_text(x["source"]), cell_text(x["medium"]),
                              cell_text(x["campaign"]), cell_text(x["campaign_id"]), cell_text(x["form_id"]),
                              cell_text(x["interaction_id"])});
    }
    if (ctx.format == Format::as_csv) print_csv(table);
    else if (table.rows.empty()) fmt::print("no attributed touch\n");
    else print_table(table);
    return exit_ok;
}

}  // namespace

std::string form_usage() {
    return "usage: crm form define --from-json FILE\n"
           "       crm form update FORM --from-json FILE\n"
           "       crm form get FORM\n"
           "       crm form list\n"
           "       crm form remove FORM\n"
           "       crm form versions FORM\n"
           "       crm form check FORM (--field NAME=VALUE ... | --from-json FILE)\n"
           "       crm form submit FORM (--field NAME=VALUE ... | --from-json FILE) [--at TIME]\n"
           "                [--utm-source S] [--utm-medium M] [--utm-campaign C] [--utm-term T]\n"
           "                [--utm-content X] [--url URL] [--referrer URL]\n"
           "       crm form touches CONTACT_ID\n\n"
           "FORM is a form's id or name. A definition is a JSON document (docs/forms.md): name, title,\n"
           "source, campaign_id, on_conflict (overwrite|keep) and fields, each with name, label, type\n"
           "(text|email|phone|number|date|choice|consent|checkbox), required, max_length, choices,\n"
           "maps_to (contact.<field>, contact.custom.<name>, account.name, account.<field> …) and\n"
           "on_conflict. A submission finds the contact by email or creates it and adds only what is\n"
           "new. Bad values: the error lists every field error, nothing is stored (exit 3). 'check'\n"
           "lists the errors one per row without storing anything (exit 0). 'touches' shows a\n"
           "contact's first and latest attributed touch.\n";
}

int cmd_form(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"define", form_define}, {"update", form_update}, {"get", form_get}, {"list", form_list},
                    {"remove", form_remove}, {"versions", form_versions}, {"check", form_check},
                    {"submit", form_submit}, {"touches", form_touches}});
}

}  // namespace cli
