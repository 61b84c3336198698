// cmd_records.cpp — the record commands every kind shares (record_command):
//   crm <kind> add | get | list | update | delete | history | as-of …
// for contact, account, user, team, product, campaign, pipeline, deal,
// interaction, ticket, task and doc; and `crm contact|account|user|team`
// with the relations of the customer graph (contact jobs, account contacts /
// subsidiaries, team members). The other areas' own sub-commands live in
// cmd_sales.cpp, cmd_interactions.cpp, cmd_tickets.cpp and cmd_work.cpp.
#include <algorithm>
#include <iterator>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {

constexpr bool has_email_lookup(crm::Entity e) { return e == crm::Entity::contact || e == crm::Entity::user; }

// Field options, --set, --patch or --from-json given at all (global options are not in `options`).
bool has_any_field_option(const Args& a) { return !a.options.empty(); }

std::string nothing_to_add(crm::Entity e) {
    return fmt::format("nothing to add: give fields (--{} …, --set F=V) or --from-json FILE", option_name(main_field(e)));
}

std::string nothing_to_update(crm::Entity e) {
    return fmt::format("nothing to update: give fields (--{} …, --set F=V), --patch or --from-json",
                       option_name(main_field(e)));
}

std::string usage_line(const UsageLine& l) {
    return l.what.empty() ? fmt::format("  {}\n", l.cmd) : fmt::format("  {:<58} {}\n", l.cmd, l.what);
}

// An empty record's document: what --set values are typed against on add.
json empty_document(crm::Db& db, crm::Entity e) {
    // The library gives no empty record through AnyRecords; its field list says what each key holds.
    (void)db;
    json doc = json::object();
    for (const auto& f : crm::entity_info(e)->fields) {
        json v;
        switch (f.type) {
            case crm::ValueType::text: v = ""; break;
            case crm::ValueType::integer: v = 0; break;
            case crm::ValueType::boolean: v = false; break;
            case crm::ValueType::references:
            case crm::ValueType::list:
            case crm::ValueType::links:
            case crm::ValueType::tags: v = json::array(); break;
            case crm::ValueType::custom: v = json::object(); break;
            case crm::ValueType::enumeration: v = f.values.empty() ? json("") : json(f.values[0]); break;
            default: v = nullptr;
        }
        const std::string key(f.key);
        const auto dot = key.find('.');
        if (dot == std::string::npos) doc[key] = v;
        else doc[key.substr(0, dot)][key.substr(dot + 1)] = v;
    }
    return doc;
}

// A kind whose field option is named like the global --actor (an interaction's
// actor_id): --actor on the command line sets that field too, unless the patch
// sets it itself (--set actor_id=…).
const crm::FieldInfo* actor_field(crm::Entity e) {
    for (const auto* f : option_fields(e))
        if (option_name(*f) == "actor" && f->type == crm::ValueType::reference) return f;
    return nullptr;
}

void apply_actor_option(const Context& ctx, crm::Entity e, json& patch) {
    const auto* f = actor_field(e);
    if (!ctx.actor_option || !ctx.actor || !f) return;
    if (!patch.contains(std::string(f->key))) patch[std::string(f->key)] = *ctx.actor;
}

int add(Context& ctx, crm::Entity e, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, field_option_specs(e));
    a.expect_positional(0, 0);
    if (!has_any_field_option(a)) usage_error(nothing_to_add(e));
    json base = json::object();
    if (auto f = a.get("from-json")) base = parse_document(*f, read_file_or_stdin(*f));
    if (!base.is_object() && !base.is_array()) invalid_input("--from-json: expected a JSON object or an array of them");
    auto& db = ctx.open();
    json current = empty_document(db, e);
    if (base.is_object()) current.merge_patch(base);
    json patch = build_patch(db, e, a, current);
    if (!a.has("from-json") && patch.empty()) usage_error(nothing_to_add(e));
    apply_actor_option(ctx, e, patch);
    auto records = db.records(e);
    auto make = [&](json doc) {
        if (!doc.is_object()) invalid_input("--from-json: every element must be a JSON object");
        doc.merge_patch(patch);  // options given on the command line win over the file
        check_references(db, e, doc);
        return doc.dump();
    };
    if (base.is_object()) {
        crm::Id id = must(records.create(make(base)));
        print_record(ctx, must(records.get(id)));
        return exit_ok;
    }
    // An array: every record or none, in one transaction.
    auto tx = must(db.begin());
    std::vector<crm::Id> ids;
    for (std::size_t i = 0; i < base.size(); ++i) {
        std::string doc;
        try {
            doc = make(base[i]);
        } catch (Failure& f) {
            f.message = fmt::format("record {} of {}: {}", i + 1, base.size(), f.message);
            throw;
        }
        auto r = records.create(doc);
        if (!r) {
            auto err = r.error();
            err.message = fmt::format("record {} of {}: {}", i + 1, base.size(), err.message);
            raise(err);
        }
        ids.push_back(r.value());
    }
    must(tx.commit());
    std::vector<std::string> docs;
    for (crm::Id id : ids) docs.push_back(must(records.get(id)));
    print_list(ctx, e, docs);
    return exit_ok;
}

int get(Context& ctx, crm::Entity e, const Args& a) {
    auto& db = ctx.open();
    auto records = db.records(e);
    std::string doc;
    if (auto x = a.get("external-id")) {
        a.expect_positional(0, 0);
        doc = must(records.get_by_external_id(*x));
    } else if (auto m = a.get("email")) {
        a.expect_positional(0, 0);
        if (e == crm::Entity::contact) doc = crm::to_json(must(db.contacts().get_by_email(*m)));
        else if (e == crm::Entity::user) doc = crm::to_json(must(db.users().get_by_email(*m)));
    } else if (auto t = a.get("as-of")) {
        a.expect_positional(1, 1);
        auto at = crm::parse_iso8601(*t);
        if (!at) bad_argument(fmt::format("--as-of: '{}' is not an ISO-8601 time", *t));
        doc = must(records.get_as_of(parse_id(a.positional[0]), *at));
    } else {
        a.expect_positional(1, 1);
        doc = must(records.get(parse_id(a.positional[0])));
    }
    print_record(ctx, doc);
    return exit_ok;
}

int list(Context& ctx, crm::Entity e, const Args& a, crm::ListOptions o) {
    std::string next;
    print_list(ctx, e, list_docs(ctx, e, a, std::move(o), next));
    if (!next.empty()) note(fmt::format("next: {}", next));
    return exit_ok;
}

int update(Context& ctx, crm::Entity e, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, field_option_specs(e));
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    if (!has_any_field_option(a) && !(ctx.actor_option && actor_field(e))) usage_error(nothing_to_update(e));
    auto& db = ctx.open();
    auto records = db.records(e);
    json patch = build_patch(db, e, a, json::parse(must(records.get(id))));
    if (auto f = a.get("from-json")) {
        json p = parse_document(*f, read_file_or_stdin(*f));
        if (!p.is_object()) invalid_input("--from-json: a merge patch must be a JSON object");
        p.merge_patch(patch);  // command-line options win
        patch = std::move(p);
    }
    apply_actor_option(ctx, e, patch);
    if (patch.empty()) usage_error(nothing_to_update(e));
    check_references(db, e, patch);
    print_record(ctx, must(records.patch(id, patch.dump())));
    return exit_ok;
}

int remove(Context& ctx, crm::Entity e, const Tokens& tokens) {
    const char* name = crm::entity_name(e);
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    must(ctx.open().records(e).remove(id));
    if (ctx.format == Format::as_json) print_json_doc(json{{"entity", name}, {"id", id}, {"deleted", true}}.dump());
    else if (ctx.format == Format::as_csv) print_csv({{"entity", "id", "deleted"}, {{name, std::to_string(id), "true"}}});
    else fmt::print("deleted {} {}\n", name, id);
    return exit_ok;
}

int as_of(Context& ctx, crm::Entity e, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(2, 2);
    const crm::Id id = parse_id(a.positional[0]);
    auto at = crm::parse_iso8601(a.positional[1]);
    if (!at) bad_argument(fmt::format("time: '{}' is not an ISO-8601 date or time", a.positional[1]));
    print_record(ctx, must(ctx.open().records(e).get_as_of(id, *at)));
    return exit_ok;
}

// The generic sub-commands; -1 when `sub` is none of them.
int generic(Context& ctx, crm::Entity e, const std::string& sub, const Tokens& rest) {
    if (sub == "add") return add(ctx, e, rest);
    if (sub == "get") return get(ctx, e, parse_args(ctx, rest, get_option_specs(e)));
    if (sub == "list") {
        Args a = parse_args(ctx, rest, list_option_specs());
        a.expect_positional(0, 0);
        return list(ctx, e, a, list_options(a));
    }
    if (sub == "update") return update(ctx, e, rest);
    if (sub == "delete") return remove(ctx, e, rest);
    if (sub == "history") {
        Args a = parse_args(ctx, rest, {});
        a.expect_positional(1, 1);
        return history_record(ctx, e, parse_id(a.positional[0]));
    }
    if (sub == "as-of") return as_of(ctx, e, rest);
    if (sub == "count") {
        Args a = parse_args(ctx, rest, {{"where", true}});
        a.expect_positional(0, 0);
        const crm::Id n = must(ctx.open().records(e).count(list_options(a).where));
        if (ctx.format == Format::as_table) fmt::print("{}\n", n);
        else print_object(ctx, json{{"entity", crm::entity_name(e)}, {"count", n}});
        return exit_ok;
    }
    return -1;
}

// The generic sub-commands, in the order of the usage text.
constexpr const char* kGeneric[] = {"add", "get", "list", "count", "update", "delete", "history", "as-of"};

// ---- the customer graph's relations: `crm <kind> <relation> ID` ----------------------
crm::Id relation_id(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    return parse_id(a.positional[0]);
}

int contact_jobs(Context& ctx, const Tokens& tokens) {
    const crm::Id id = relation_id(ctx, tokens);
    print_changes(ctx, must(ctx.open().contacts().employment_history(id)));
    return exit_ok;
}

int account_contacts(Context& ctx, const Tokens& tokens) {
    const crm::Id id = relation_id(ctx, tokens);
    print_list(ctx, crm::Entity::contact, docs_of(must(ctx.open().accounts().contacts(id))));
    return exit_ok;
}

int account_subsidiaries(Context& ctx, const Tokens& tokens) {
    const crm::Id id = relation_id(ctx, tokens);
    print_list(ctx, crm::Entity::account, docs_of(must(ctx.open().accounts().subsidiaries(id))));
    return exit_ok;
}

int team_members(Context& ctx, const Tokens& tokens) {
    const crm::Id id = relation_id(ctx, tokens);
    auto teams = ctx.open().teams();
    must(teams.get(id));  // an unknown team is an error, not an empty list
    print_list(ctx, crm::Entity::user, docs_of(must(teams.members(id))));
    return exit_ok;
}

}  // namespace

// ---- the generic layer ------------------------------------------------------------------
std::vector<OptSpec> get_option_specs(crm::Entity e) {
    std::vector<OptSpec> spec = {{"external-id", true}, {"as-of", true, "the record as it was at this time"}};
    if (has_email_lookup(e)) spec.push_back({"email", true});
    return spec;
}

int get_record(Context& ctx, crm::Entity e, const Args& a) { return get(ctx, e, a); }

std::vector<OptSpec> list_option_specs() {
    return {{"where", true}, {"sort", true}, {"desc", false}, {"limit", true}, {"after", true}, {"all", false}};
}

std::size_t parse_limit(const Args& a) {
    if (auto l = a.get("limit")) {
        auto n = parse_int(*l, "--limit");
        if (n < 1 || n > 10000) invalid_input(fmt::format("--limit: {} is not between 1 and 10000", n));
        return static_cast<std::size_t>(n);
    }
    return 100;
}

crm::ListOptions list_options(const Args& a) {
    crm::ListOptions o;
    for (const auto& w : a.all("where")) {
        auto f = crm::parse_filter(w);  // its syntax; the fields are checked by the list itself
        if (!f) bad_argument(fmt::format("--where: {}", f.error().message));
        o.where.push_back(std::move(f).value());
    }
    if (auto s = a.get("sort")) o.order_by = *s;
    o.descending = a.has("desc");
    o.limit = parse_limit(a);
    if (!a.has("limit") && a.has("all")) o.limit = 1000;
    if (auto c = a.get("after")) o.after = *c;
    return o;
}

int list_records(Context& ctx, crm::Entity e, const Args& a, crm::ListOptions o) { return list(ctx, e, a, std::move(o)); }

std::vector<std::string> list_docs(Context& ctx, crm::Entity e, const Args& a, crm::ListOptions o, std::string& next) {
    auto records = ctx.open().records(e);
    std::vector<std::string> docs;
    do {
        auto page = must(records.list(o));
        for (auto& x : page.items) docs.push_back(std::move(x));
        next = page.next;
        o.after = next;
    } while (a.has("all") && !next.empty());
    return docs;
}

int update_record(Context& ctx, crm::Entity e, const Tokens& tokens) { return update(ctx, e, tokens); }

int history_record(Context& ctx, crm::Entity e, crm::Id id) {
    print_changes(ctx, must(ctx.open().records(e).history(id)));
    return exit_ok;
}

int record_command(Context& ctx, crm::Entity e, const Tokens& args, const std::vector<SubCommand>& own) {
    std::vector<std::string> names(std::begin(kGeneric), std::end(kGeneric));
    for (const auto& c : own)
        if (std::find(names.begin(), names.end(), c.name) == names.end()) names.push_back(c.name);
    const std::string all = fmt::format("{}", fmt::join(names, ", "));
    const std::size_t at = skip_globals(ctx, args);  // crm contact --json list
    if (at >= args.size()) usage_error(fmt::format("'crm {}' needs a sub-command ({})", ctx.command, all));
    const std::string& sub = args[at];
    const Tokens rest(args.begin() + static_cast<std::ptrdiff_t>(at) + 1, args.end());
    if (std::find(names.begin(), names.end(), sub) == names.end()) {
        check_utf8("the sub-command", sub);
        usage_error(fmt::format("'{}' is not a sub-command of 'crm {}' ({})", sub, ctx.command, all));
    }
    if (ctx.help) {  // crm deal move --help: the sub-command exists
        fmt::print("{}", ctx.usage ? ctx.usage() : records_usage(e));
        return exit_ok;
    }
    for (const auto& c : own)
        if (sub == c.name) return c.run(ctx, rest);
    return generic(ctx, e, sub, rest);
}

std::string records_usage(crm::Entity e, const std::vector<UsageLine>& own, const std::string& footer) {
    const std::string command = e == crm::Entity::document ? "doc" : crm::entity_name(e);
    std::string u = fmt::format("usage: crm {} <sub-command> [options]\n\n", command);
    // `own` in groups: a sub-command's line and the continuation lines after it.
    auto first_word = [](const std::string& cmd) { return cmd.substr(0, cmd.find(' ')); };
    auto starts_group = [](const std::string& cmd) { return !cmd.empty() && cmd[0] != ' '; };
    std::vector<std::pair<std::string, std::string>> groups;  // sub-command, its lines
    for (const auto& l : own) {
        if (starts_group(l.cmd) || groups.empty()) groups.emplace_back(first_word(l.cmd), "");
        groups.back().second += usage_line(l);
    }
    auto take_group = [&](const std::string& sub) {
        std::string lines;
        for (auto& g : groups)
            if (g.first == sub) lines += std::exchange(g.second, std::string());
        return lines;
    };
    const std::vector<UsageLine> generic_lines = {
        {"add [FIELD OPTIONS] [--set F=V]... [--from-json FILE|-]", "create; prints the record"},
        {has_email_lookup(e) ? "get ID [--as-of TIME] | --external-id X | --email ADDRESS"
                             : "get ID [--as-of TIME] | --external-id X",
         "show one record"},
        {"list [--where EXPR]... [--sort F] [--desc] [--limit N]", "list records; the next page's"},
        {"     [--after CURSOR] [--all]", "cursor is printed on stderr"},
        {"count [--where EXPR]...", "how many records match"},
        {"update ID [FIELD OPTIONS] [--set F=V]... [--patch JSON]", "change fields (merge patch)"},
        {"delete ID", "delete the record"},
        {"history ID", "every change: at, actor, op, field, old, new"},
        {"as-of ID TIME", "the record as it was at TIME (ISO-8601)"},
    };
    // A generic sub-command that the area replaces is shown as the area's, in its place.
    std::string replacement;
    for (const auto& l : generic_lines) {
        if (starts_group(l.cmd)) {
            replacement = take_group(first_word(l.cmd));
            u += replacement;
        }
        if (replacement.empty()) u += usage_line(l);
    }
    for (const auto& g : groups) u += g.second;
    u += "\nfield options (add / update):\n";
    auto opt = [&](const std::string& o, const std::string& what) { u += fmt::format("  --{:<15} {}\n", o, what); };
    for (const auto* f : option_fields(e)) opt(option_name(*f) + " X", std::string(f->help));
    opt("set F=V", "any field: --set address.city=渋谷区 --set custom.rank=A --set account_id=null");
    opt("patch JSON", "a JSON merge patch: --patch '{\"title\":\"部長\"}'");
    opt("from-json F", "the record as JSON (a file, or - for stdin); add accepts an array");
    u += "\nfilters (--where): field=value != < <= > >= ~ (contains) ^= (prefix), field? (set), !field (unset);\n"
         "fields include tag and custom.<name>: --where 'tag=vip' --where 'employee_count>=100'\n";
    return u + footer;
}

int cmd_contact(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::contact, args,
                          {{"jobs", contact_jobs}, {"lifecycle", contact_lifecycle}, {"recycle", contact_recycle}});
}
int cmd_account(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::account, args,
                          {{"contacts", account_contacts}, {"subsidiaries", account_subsidiaries}});
}
int cmd_user(Context& ctx, const Tokens& args) { return record_command(ctx, crm::Entity::user, args); }
int cmd_team(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::team, args, {{"members", team_members}});
}

std::string contact_usage() {
    return records_usage(crm::Entity::contact, {{"jobs ID", "employment history (employer, department, title)"},
                                                {"lifecycle ID", "lifecycle stage changes (time, from, to, actor)"},
                                                {"recycle ID --reason R", "set the stage to recycled, with the reason"}});
}
std::string account_usage() {
    return records_usage(crm::Entity::account,
                         {{"contacts ID", "the contacts who work there"}, {"subsidiaries ID", "direct child companies"}});
}
std::string user_usage() { return records_usage(crm::Entity::user); }
std::string team_usage() { return records_usage(crm::Entity::team, {{"members ID", "the users of the team"}}); }

}  // namespace cli
