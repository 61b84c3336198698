// cmd_records.cpp — `crm contact|account|user|team <sub-command>`:
// add, get, list, update, delete, history, as-of, and the relations of each kind
// (contact jobs, account contacts / subsidiaries, team members).
#include <fmt/format.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {

template <class T>
std::vector<std::string> docs_of(const std::vector<T>& items) {
    std::vector<std::string> docs;
    docs.reserve(items.size());
    for (const auto& x : items) docs.push_back(crm::to_json(x));
    return docs;
}

json parse_document(const std::string& what, const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded()) invalid_input(fmt::format("{}: not valid JSON", what));
    return j;
}

constexpr bool has_email_lookup(crm::Entity e) { return e == crm::Entity::contact || e == crm::Entity::user; }

template <class T>
int add(Context& ctx, const std::vector<std::string>& tokens) {
    constexpr crm::Entity E = Kind<T>::entity;
    Args a = parse_args(ctx, tokens, field_option_specs(E));
    a.expect_positional(0, 0);
    json base = json::object();
    if (auto f = a.get("from-json")) base = parse_document(*f, read_file_or_stdin(*f));
    if (!base.is_object() && !base.is_array()) invalid_input("--from-json: expected a JSON object or an array of them");
    auto& db = ctx.open();
    json patch = build_patch(db, E, a, json::parse(crm::to_json(T{})));
    if (!a.has("from-json") && patch.empty())
        usage_error(fmt::format("nothing to add: give fields (--name …, --set F=V) or --from-json FILE"));
    auto svc = Kind<T>::service(db);
    auto make = [&](json doc) {
        if (!doc.is_object()) invalid_input("--from-json: every element must be a JSON object");
        doc.merge_patch(patch);  // options given on the command line win over the file
        return must(crm::from_json<T>(doc.dump()));
    };
    if (base.is_object()) {
        crm::Id id = must(svc.create(make(base)));
        print_record(ctx, record_doc<T>(db, id));
        return exit_ok;
    }
    // An array: every record or none, in one transaction.
    auto tx = must(db.begin());
    std::vector<crm::Id> ids;
    for (std::size_t i = 0; i < base.size(); ++i) {
        auto r = svc.create(make(base[i]));
        if (!r) {
            auto e = r.error();
            e.message = fmt::format("record {} of {}: {}", i + 1, base.size(), e.message);
            raise(e);
        }
        ids.push_back(r.value());
    }
    must(tx.commit());
    std::vector<std::string> docs;
    for (crm::Id id : ids) docs.push_back(record_doc<T>(db, id));
    print_list(ctx, E, docs);
    return exit_ok;
}

template <class T>
int get(Context& ctx, const std::vector<std::string>& tokens) {
    constexpr crm::Entity E = Kind<T>::entity;
    std::vector<OptSpec> spec = {{"external-id", true}};
    if constexpr (has_email_lookup(E)) spec.push_back({"email", true});
    Args a = parse_args(ctx, tokens, spec);
    auto& db = ctx.open();
    auto svc = Kind<T>::service(db);
    T rec;
    if (auto x = a.get("external-id")) {
        a.expect_positional(0, 0);
        rec = must(svc.get_by_external_id(*x));
    } else if (auto m = a.get("email")) {
        a.expect_positional(0, 0);
        if constexpr (has_email_lookup(E)) rec = must(svc.get_by_email(*m));
    } else {
        a.expect_positional(1, 1);
        rec = must(svc.get(parse_id(a.positional[0])));
    }
    print_record(ctx, crm::to_json(rec));
    return exit_ok;
}

template <class T>
int list(Context& ctx, const std::vector<std::string>& tokens) {
    constexpr crm::Entity E = Kind<T>::entity;
    Args a = parse_args(ctx, tokens, {{"where", true}, {"sort", true}, {"desc", false}, {"limit", true},
                                      {"after", true}, {"all", false}});
    a.expect_positional(0, 0);
    crm::ListOptions o;
    for (const auto& w : a.all("where")) o.where.push_back(must(crm::parse_filter(w)));
    if (auto s = a.get("sort")) o.order_by = *s;
    o.descending = a.has("desc");
    if (auto l = a.get("limit")) {
        auto n = parse_int(*l, "--limit");
        if (n < 1 || n > 10000) invalid_input(fmt::format("--limit: {} is not between 1 and 10000", n));
        o.limit = static_cast<std::size_t>(n);
    } else if (a.has("all")) {
        o.limit = 1000;
    }
    if (auto c = a.get("after")) o.after = *c;
    auto svc = Kind<T>::service(ctx.open());
    std::vector<std::string> docs;
    std::string next;
    do {
        auto page = must(svc.list(o));
        for (const auto& x : page.items) docs.push_back(crm::to_json(x));
        next = page.next;
        o.after = next;
    } while (a.has("all") && !next.empty());
    print_list(ctx, E, docs);
    if (!next.empty()) note(fmt::format("next: {}", next));
    return exit_ok;
}

template <class T>
int update(Context& ctx, const std::vector<std::string>& tokens) {
    constexpr crm::Entity E = Kind<T>::entity;
    Args a = parse_args(ctx, tokens, field_option_specs(E));
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto& db = ctx.open();
    auto svc = Kind<T>::service(db);
    T rec = must(svc.get(id));
    json patch = build_patch(db, E, a, json::parse(crm::to_json(rec)));
    if (auto f = a.get("from-json")) {
        json p = parse_document(*f, read_file_or_stdin(*f));
        if (!p.is_object()) invalid_input("--from-json: a merge patch must be a JSON object");
        p.merge_patch(patch);  // command-line options win
        patch = std::move(p);
    }
    if (patch.empty()) usage_error("nothing to update: give fields (--title …, --set F=V), --patch or --from-json");
    must(svc.update(must(crm::merge_patch<T>(rec, patch.dump()))));
    print_record(ctx, record_doc<T>(db, id));
    return exit_ok;
}

template <class T>
int remove(Context& ctx, const std::vector<std::string>& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    must(Kind<T>::service(ctx.open()).remove(id));
    if (ctx.format == Format::as_json) print_json_doc(json{{"entity", Kind<T>::name}, {"id", id}, {"deleted", true}}.dump());
    else if (ctx.format == Format::as_csv) print_csv({{"entity", "id", "deleted"}, {{Kind<T>::name, std::to_string(id), "true"}}});
    else fmt::print("deleted {} {}\n", Kind<T>::name, id);
    return exit_ok;
}

template <class T>
int history(Context& ctx, const std::vector<std::string>& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    print_changes(ctx, must(Kind<T>::service(ctx.open()).history(parse_id(a.positional[0]))));
    return exit_ok;
}

template <class T>
int as_of(Context& ctx, const std::vector<std::string>& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(2, 2);
    const crm::Id id = parse_id(a.positional[0]);
    auto at = crm::parse_iso8601(a.positional[1]);
    if (!at) invalid_input(fmt::format("time: '{}' is not an ISO-8601 date or time", a.positional[1]));
    print_record(ctx, crm::to_json(must(Kind<T>::service(ctx.open()).get_as_of(id, *at))));
    return exit_ok;
}

// One relation: `crm <kind> <sub> ID` printing a list of records or changes.
template <class T, class F>
int relation(Context& ctx, const std::vector<std::string>& tokens, F&& fn) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    auto svc = Kind<T>::service(ctx.open());
    fn(svc, parse_id(a.positional[0]));
    return exit_ok;
}

template <class T>
int records_main(Context& ctx, const std::vector<std::string>& args) {
    if (args.empty()) usage_error(fmt::format("'crm {}' needs a sub-command", Kind<T>::name));
    const std::string& sub = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (sub == "add") return add<T>(ctx, rest);
    if (sub == "get") return get<T>(ctx, rest);
    if (sub == "list") return list<T>(ctx, rest);
    if (sub == "update") return update<T>(ctx, rest);
    if (sub == "delete") return remove<T>(ctx, rest);
    if (sub == "history") return history<T>(ctx, rest);
    if (sub == "as-of") return as_of<T>(ctx, rest);
    if constexpr (std::is_same_v<T, crm::Contact>) {
        if (sub == "jobs")
            return relation<T>(ctx, rest, [&](auto& s, crm::Id id) { print_changes(ctx, must(s.employment_history(id))); });
    }
    if constexpr (std::is_same_v<T, crm::Account>) {
        if (sub == "contacts")
            return relation<T>(ctx, rest, [&](auto& s, crm::Id id) {
                print_list(ctx, crm::Entity::contact, docs_of(must(s.contacts(id))));
            });
        if (sub == "subsidiaries")
            return relation<T>(ctx, rest, [&](auto& s, crm::Id id) {
                print_list(ctx, crm::Entity::account, docs_of(must(s.subsidiaries(id))));
            });
    }
    if constexpr (std::is_same_v<T, crm::Team>) {
        if (sub == "members")
            return relation<T>(ctx, rest, [&](auto& s, crm::Id id) {
                must(s.get(id));  // an unknown team is an error, not an empty list
                print_list(ctx, crm::Entity::user, docs_of(must(s.members(id))));
            });
    }
    usage_error(fmt::format("'{}' is not a sub-command of 'crm {}'", sub, Kind<T>::name));
}

}  // namespace

int cmd_contact(Context& ctx, const std::vector<std::string>& args) { return records_main<crm::Contact>(ctx, args); }
int cmd_account(Context& ctx, const std::vector<std::string>& args) { return records_main<crm::Account>(ctx, args); }
int cmd_user(Context& ctx, const std::vector<std::string>& args) { return records_main<crm::User>(ctx, args); }
int cmd_team(Context& ctx, const std::vector<std::string>& args) { return records_main<crm::Team>(ctx, args); }

std::string records_usage(crm::Entity e) {
    const std::string n = crm::entity_name(e);
    std::string u = fmt::format("usage: crm {} <sub-command> [options]\n\n", n);
    auto line = [&](const std::string& cmd, const char* what) { u += fmt::format("  {:<58} {}\n", cmd, what); };
    line("add [FIELD OPTIONS] [--set F=V]... [--from-json FILE|-]", "create; prints the record");
    line(has_email_lookup(e) ? "get ID | --external-id X | --email ADDRESS" : "get ID | --external-id X", "show one record");
    line("list [--where EXPR]... [--sort F] [--desc] [--limit N]", "list records; the next page's");
    line("     [--after CURSOR] [--all]", "cursor is printed on stderr");
    line("update ID [FIELD OPTIONS] [--set F=V]... [--patch JSON]", "change fields (merge patch)");
    line("delete ID", "delete the record");
    line("history ID", "every change: at, actor, op, field, old, new");
    line("as-of ID TIME", "the record as it was at TIME (ISO-8601)");
    if (e == crm::Entity::contact) line("jobs ID", "employment history (employer, department, title)");
    if (e == crm::Entity::account) {
        line("contacts ID", "the contacts who work there");
        line("subsidiaries ID", "direct child companies");
    }
    if (e == crm::Entity::team) line("members ID", "the users of the team");
    u += "\nfield options (add / update):\n";
    auto opt = [&](const std::string& o, const std::string& what) { u += fmt::format("  --{:<15} {}\n", o, what); };
    for (const auto& f : field_flags(e)) opt(std::string(f.option) + " X", f.help);
    opt("set F=V", "any field: --set address.city=渋谷区 --set custom.rank=A --set account_id=null");
    opt("patch JSON", "a JSON merge patch: --patch '{\"title\":\"部長\"}'");
    opt("from-json F", "the record as JSON (a file, or - for stdin); add accepts an array");
    u += "\nfilters (--where): field=value != < <= > >= ~ (contains) ^= (prefix), field? (set), !field (unset);\n"
         "fields include tag and custom.<name>: --where 'tag=vip' --where 'employee_count>=100'\n";
    return u;
}

}  // namespace cli
