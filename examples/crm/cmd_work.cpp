// cmd_work.cpp — `crm task …` and `crm doc …` (MISSION B6, B3): the own
// sub-commands of tasks (a list by assignee, due and overdue lists in the user's
// time zone, reminders) and of documents (add FILE with streamed content,
// get --out, sends). Their other record sub-commands are the generic ones
// (cmd_records.cpp).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <cstdlib>
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
                                      {"from", true, "due at or after this time (with --to: a range)"},
                                      {"to", true, "due before this time"},
                                      {"assignee", true, "only this user's tasks"},
                                      {"tz", true, "UTC offset of the user, e.g. +09:00 (default +00:00)"},
                                      {"now", true, "ISO-8601 time to evaluate at (default: now)"},
                                      {"limit", true},
                                      {"after", true}});
    a.expect_positional(0, 0);
    const bool range = a.has("from") || a.has("to");
    if (int(a.has("today")) + int(a.has("overdue")) + int(range) > 1)
        usage_error("give one of --today, --overdue or --from/--to", "see 'crm help task'");
    crm::DueQuery q;
    q.window = a.has("overdue") ? crm::DueWindow::overdue : range ? crm::DueWindow::range : crm::DueWindow::today;
    if (auto v = a.get("from")) q.from = parse_time(*v, "--from");
    if (auto v = a.get("to")) q.to = parse_time(*v, "--to");
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

// `task remind --exec CMD`: the notification hook of the library
// (Tasks::dispatch_reminders) as a shell command run once per reminder, with the
// reminder's JSON document in $CRM_REMINDER; exit status 0 means delivered.
int task_dispatch(Context& ctx, crm::Timestamp now, std::size_t limit, const std::string& claimer,
                  const std::string& command) {
    auto notify = [&](const crm::Reminder& r) {
        std::fflush(stdout);
        if (::setenv("CRM_REMINDER", crm::to_json(r).c_str(), 1) != 0) return false;
        const int status = std::system(command.c_str());
        ::unsetenv("CRM_REMINDER");
        return status == 0;
    };
    auto result = must(ctx.open().tasks().dispatch_reminders(now, notify, limit, claimer));
    if (ctx.format == Format::as_table) {
        fmt::print("delivered: {}\nfailed: {}\n", fmt::join(result.delivered, " "), fmt::join(result.failed, " "));
        if (!result.failed.empty())
            note("the failed reminders stay claimed: 'crm task release ID' makes one due again");
    } else {
        print_object(ctx, json{{"delivered", result.delivered}, {"failed", result.failed}});
    }
    return result.failed.empty() ? exit_ok : exit_other;
}

int task_remind(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"now", true, "claim reminders due at this time (default: now)"},
                                      {"limit", true},
                                      {"claimer", true, "name recorded as the claimer (default: crm-cli)"},
                                      {"exec", true, "run this shell command per reminder ($CRM_REMINDER)"}});
    a.expect_positional(0, 0);
    crm::Timestamp now = crm::now_ms();
    if (auto v = a.get("now")) now = parse_time(*v, "--now");
    std::string claimer = a.get("claimer").value_or("crm-cli");
    check_utf8("--claimer", claimer);
    if (auto cmd = a.get("exec")) return task_dispatch(ctx, now, parse_limit(a), claimer, *cmd);
    auto claimed = must(ctx.open().tasks().claim_due_reminders(now, parse_limit(a), claimer));
    std::vector<std::string> docs;
    for (const auto& r : claimed) docs.push_back(crm::to_json(r));
    print_records(ctx, docs, {"task=task_id", "title", "remind_at", "due_at", "assignee=assignee_id", "priority"});
    return exit_ok;
}

int task_release(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto tasks = ctx.open().tasks();
    must(tasks.release_reminder(id));
    print_record(ctx, crm::to_json(must(tasks.get(id))));
    return exit_ok;
}

// `task reminder ID`: the task's reminder time and when it was claimed (delivered).
int task_reminder(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto tasks = ctx.open().tasks();
    const auto task = must(tasks.get(id));
    const auto delivered = must(tasks.reminder_delivered_at(id));
    auto time = [](const std::optional<crm::Timestamp>& t) { return t ? json(crm::format_iso8601(*t)) : json(nullptr); };
    print_object(ctx, json{{"task_id", id}, {"remind_at", time(task.remind_at)}, {"delivered_at", time(delivered)}});
    return exit_ok;
}

// `task for ENTITY ID` / `doc for ENTITY ID`: what is linked to a record.
int task_for(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(2, 2);
    const crm::Entity e = parse_entity(a.positional[0]);
    const crm::Id id = parse_id(a.positional[1]);
    auto& db = ctx.open();
    check_exists(db, e, id, crm::entity_name(e));
    print_list(ctx, crm::Entity::task, docs_of(must(db.tasks().for_record(e, id))));
    return exit_ok;
}

// ---- documents -----------------------------------------------------------------

int doc_for(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(2, 2);
    const crm::Entity e = parse_entity(a.positional[0]);
    const crm::Id id = parse_id(a.positional[1]);
    auto& db = ctx.open();
    check_exists(db, e, id, crm::entity_name(e));
    print_list(ctx, crm::Entity::document, docs_of(must(db.documents().for_record(e, id))));
    return exit_ok;
}

// `doc max-size [BYTES]`: the content limit, read or set.
int doc_max_size(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(0, 1);
    auto docs = ctx.open().documents();
    if (!a.positional.empty()) must(docs.set_max_size(parse_int(a.positional[0], "BYTES")));
    const auto bytes = must(docs.max_size());
    if (ctx.format == Format::as_table) fmt::print("{}\n", bytes);
    else print_object(ctx, json{{"max_size", bytes}});
    return exit_ok;
}

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
    check_references(db, crm::Entity::document, doc);
    crm::Id id = 0;
    if (file.empty()) {
        id = must(db.documents().create(meta));
    } else {
        std::ifstream in(file, std::ios::binary);
        if (!in) cannot_read(file);
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
    if (*out == "-" && ctx.format != Format::as_table)
        usage_error("--out - writes the content itself: --json and --csv do not apply");
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
    if (ctx.format == Format::as_table) note(fmt::format("wrote {} bytes to {}", n, *out));
    else print_object(ctx, json{{"id", id}, {"bytes", n}, {"path", *out}});
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
    const crm::Id contact = parse_id(*c, "--contact");
    auto& db = ctx.open();
    auto docs = db.documents();
    must(docs.get(id));  // the document first: 'no document with id …'
    check_exists(db, crm::Entity::contact, contact, "--contact");
    must(docs.record_sent(id, contact, at, interaction));
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
        const crm::Id contact = parse_id(*c, "--contact");
        check_exists(ctx.open(), crm::Entity::contact, contact, "--contact");
        sends = must(docs.sends_to_contact(contact));
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
         {"due [--today|--overdue|--from T --to T] [--assignee USER]", "open and in-progress tasks due today"},
         {"    [--tz +09:00] [--now TIME] [--limit N] [--after CURSOR]", "in the zone --tz, overdue, or in [from, to)"},
         {"for ENTITY ID", "the tasks linked to a record"},
         {"remind [--now TIME] [--limit N] [--claimer NAME]", "claim and print the reminders that are due;"},
         {"", "each is printed once, even with several pollers at once"},
         {"remind --exec CMD [--now TIME] [--limit N]", "claim, then run CMD once per reminder with its"},
         {"", "JSON in $CRM_REMINDER (exit 0 = delivered)"},
         {"reminder ID", "the task's remind_at and when it was claimed"},
         {"release ID", "make a claimed reminder due again"}});
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
         {"sends ID | sends --contact ID", "the sends of a document, or to a contact"},
         {"for ENTITY ID", "the documents linked to an account, contact or deal"},
         {"max-size [BYTES]", "the largest content accepted (set it with BYTES)"}},
        "\nkinds (--kind): quote, invoice, proposal, contract, other.\n");
}

int cmd_task(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::task, args,
                          {{"list", task_list}, {"due", task_due}, {"for", task_for}, {"remind", task_remind},
                           {"reminder", task_reminder}, {"release", task_release}});
}

int cmd_doc(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::document, args,
                          {{"add", doc_add}, {"get", doc_get}, {"send", doc_send}, {"sends", doc_sends},
                           {"for", doc_for}, {"max-size", doc_max_size}});
}

}  // namespace cli
