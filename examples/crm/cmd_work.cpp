// cmd_work.cpp — `crm task …` and `crm doc …` (MISSION B6, B3): the own
// sub-commands of tasks (a list by assignee, due and overdue lists in the user's
// time zone, reminders) and of documents (add FILE with streamed content,
// get --out, sends). Their other record sub-commands are the generic ones
// (cmd_records.cpp).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {

// `task list` also takes --assignee USER, a shortcut for --where assignee_id=USER.
int task_list(Context& ctx, const Tokens& tokens) {
    auto spec = list_option_specs();
    spec.push_back({"assignee", true, "only this user's tasks"});
    Args a = parse_args(ctx, tokens, spec);
    a.expect_positional(0, 0);
    crm::ListOptions o = list_options(a);
    if (auto v = a.get("assignee")) o.where.push_back({"assignee_id", crm::Op::eq, std::to_string(parse_id(*v, "--assignee"))});
    return list_records(ctx, crm::Entity::task, a, std::move(o));
}

int task_due(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"today", false, "due today in --tz (default)"},
                                      {"overdue", false, "due before now"},
                                      {"assignee", true, "only this user's tasks"},
                                      {"tz", true, "UTC offset of the user, e.g. +09:00 (default +00:00)"},
                                      {"now", true, "ISO-8601 time to evaluate at (default: now)"},
                                      {"limit", true},
                                      {"after", true}});
    a.expect_positional(0, 0);
    if (a.has("today") && a.has("overdue")) usage_error("give --today or --overdue, not both", "see 'crm help task'");
    crm::DueQuery q;
    q.window = a.has("overdue") ? crm::DueWindow::overdue : crm::DueWindow::today;
    q.now = crm::now_ms();
    if (auto v = a.get("now")) q.now = parse_time(*v, "--now");
    if (auto v = a.get("tz")) q.utc_offset_minutes = must(crm::parse_utc_offset(*v));
    if (auto v = a.get("assignee")) q.assignee_id = parse_id(*v, "--assignee");
    q.limit = parse_limit(a);
    if (auto c = a.get("after")) q.after = *c;
    auto page = must(ctx.open().tasks().due(q));
    print_list(ctx, crm::Entity::task, docs_of(page.items));
    if (!page.next.empty()) note(fmt::format("next: {}", page.next));
    return exit_ok;
}

int task_remind(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"now", true, "claim reminders due at this time (default: now)"},
                                      {"limit", true},
                                      {"claimer", true, "name recorded as the claimer (default: crm-cli)"}});
    a.expect_positional(0, 0);
    crm::Timestamp now = crm::now_ms();
    if (auto v = a.get("now")) now = parse_time(*v, "--now");
    std::string claimer = a.get("claimer").value_or("crm-cli");
    check_utf8("--claimer", claimer);
    auto claimed = must(ctx.open().tasks().claim_due_reminders(now, parse_limit(a), claimer));
    std::vector<std::string> docs;
    for (const auto& r : claimed) docs.push_back(crm::to_json(r));
    print_records(ctx, docs, {"task=task_id", "title", "remind_at", "due_at", "assignee=assignee_id", "priority"});
    return exit_ok;
}

// ---- documents -----------------------------------------------------------------

int doc_add(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"kind", true, "quote, invoice, proposal, contract, other"},
                                      {"name", true, "document name (default: the file name)"},
                                      {"mime", true, "MIME type"},
                                      {"uri", true, "external location instead of a FILE"},
                                      {"account", true}, {"contact", true}, {"deal", true},
                                      {"external-id", true}, {"tag", true}});
    a.expect_positional(0, 1);
    if (a.positional.empty() == !a.has("uri")) usage_error("give a FILE to store or --uri URI", "see 'crm help doc'");
    json doc = {{"kind", a.get("kind").value_or("other")}};
    std::string file = a.positional.empty() ? std::string() : a.positional[0];
    std::string name = a.get("name").value_or(file.empty() ? std::string() : std::filesystem::path(file).filename().string());
    if (name.empty() && a.has("uri")) name = *a.get("uri");
    check_utf8("--name", name);
    doc["name"] = name;
    if (auto v = a.get("mime")) doc["mime_type"] = *v;
    if (auto v = a.get("uri")) { check_utf8("--uri", *v); doc["uri"] = *v; }
    if (auto v = a.get("external-id")) doc["external_id"] = *v;
    json links = json::array();
    for (const char* k : {"account", "contact", "deal"})
        for (const auto& v : a.all(k)) links.push_back({{"entity", k}, {"id", parse_id(v, k)}});
    if (!links.empty()) doc["links"] = links;
    auto tags = a.all("tag");
    if (!tags.empty()) doc["tags"] = tags;
    auto meta = must(crm::from_json<crm::Document>(doc.dump()));
    auto& db = ctx.open();
    crm::Id id = 0;
    if (file.empty()) {
        id = must(db.documents().create(meta));
    } else {
        std::ifstream in(file, std::ios::binary);
        if (!in) throw Failure{exit_other, fmt::format("cannot open '{}'", file), "io_error", {}};
        id = must(db.documents().create_with_content(meta, in));
    }
    print_record(ctx, crm::to_json(must(db.documents().get(id))));
    return exit_ok;
}

// `doc get` is the generic get, and with --out writes the content instead.
int doc_get(Context& ctx, const Tokens& tokens) {
    auto spec = get_option_specs(crm::Entity::document);
    spec.push_back({"out", true, "write the content to this file (- for stdout)"});
    spec.push_back({"no-verify", false, "skip the SHA-256 check"});
    Args a = parse_args(ctx, tokens, spec);
    auto out = a.get("out");
    if (!out) return get_record(ctx, crm::Entity::document, a);
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto docs = ctx.open().documents();
    if (*out == "-") {
        must(docs.read_content(id, std::cout, !a.has("no-verify")));
        std::cout.flush();
        return exit_ok;
    }
    const std::string tmp = *out + ".part";
    std::int64_t n = 0;
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw Failure{exit_other, fmt::format("cannot write '{}'", *out), "io_error", {}};
        auto r = docs.read_content(id, f, !a.has("no-verify"));
        if (!r) {
            f.close();
            std::remove(tmp.c_str());
            raise(r.error());
        }
        n = r.value();
    }
    if (std::rename(tmp.c_str(), out->c_str()) != 0)
        throw Failure{exit_other, fmt::format("cannot write '{}'", *out), "io_error", {}};
    note(fmt::format("wrote {} bytes to {}", n, *out));
    return exit_ok;
}

int doc_send(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"contact", true, "contact id (required)"},
                                      {"at", true, "when it was sent (default: now)"},
                                      {"interaction", true, "interaction id to tie it to"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto c = a.get("contact");
    if (!c) usage_error("missing --contact ID", "see 'crm help doc'");
    crm::Timestamp at = 0;
    if (auto v = a.get("at")) at = parse_time(*v, "--at");
    std::optional<crm::Id> interaction;
    if (auto v = a.get("interaction")) interaction = parse_id(*v, "--interaction");
    auto docs = ctx.open().documents();
    must(docs.record_sent(id, parse_id(*c, "--contact"), at, interaction));
    std::vector<std::string> out;
    for (const auto& s : must(docs.sends(id))) out.push_back(crm::to_json(s));
    print_records(ctx, out, {"id", "document=document_id", "contact=contact_id", "sent_at", "interaction=interaction_id"});
    return exit_ok;
}

int doc_sends(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"contact", true, "sends to this contact instead"}});
    auto docs = ctx.open().documents();
    std::vector<crm::DocumentSend> sends;
    if (auto c = a.get("contact")) {
        a.expect_positional(0, 0);
        sends = must(docs.sends_to_contact(parse_id(*c, "--contact")));
    } else {
        a.expect_positional(1, 1);
        sends = must(docs.sends(parse_id(a.positional[0])));
    }
    std::vector<std::string> out;
    for (const auto& s : sends) out.push_back(crm::to_json(s));
    print_records(ctx, out, {"id", "document=document_id", "contact=contact_id", "sent_at", "interaction=interaction_id"});
    return exit_ok;
}

}  // namespace

std::string task_usage() {
    return records_usage(
        crm::Entity::task,
        {{"list [--assignee USER] [--where EXPR]... [--sort F]", "list tasks; the next page's"},
         {"     [--desc] [--limit N] [--after CURSOR] [--all]", "cursor is printed on stderr"},
         {"due [--today|--overdue] [--assignee USER] [--tz +09:00]", "open and in-progress tasks due today"},
         {"    [--now TIME] [--limit N] [--after CURSOR]", "in the zone --tz, or overdue"},
         {"remind [--now TIME] [--limit N] [--claimer NAME]", "claim and print the reminders that are due;"},
         {"", "each is printed once, even with several pollers at once"}});
}

std::string doc_usage() {
    return records_usage(
        crm::Entity::document,
        {{"add FILE [--kind K] [--name NAME] [--mime TYPE]", "store FILE (streamed,"},
         {"    [--account ID]... [--contact ID]... [--deal ID]...", "SHA-256 computed)"},
         {"    [--external-id X] [--tag T]...", ""},
         {"add --uri URI --name NAME [--kind …]", "an external document"},
         {"get ID [--as-of TIME] | --external-id X", "show the metadata"},
         {"get ID --out FILE|- [--no-verify]", "write the content to FILE"},
         {"send ID --contact ID [--at TIME] [--interaction ID]", "record that it was sent"},
         {"sends ID | sends --contact ID", "the sends of a document, or to a contact"}},
        "\nkinds (--kind): quote, invoice, proposal, contract, other.\n");
}

int cmd_task(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::task, args,
                          {{"list", task_list}, {"due", task_due}, {"remind", task_remind}});
}

int cmd_doc(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::document, args,
                          {{"add", doc_add}, {"get", doc_get}, {"send", doc_send}, {"sends", doc_sends}});
}

}  // namespace cli
