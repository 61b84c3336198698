// cmd_work.cpp — `crm task …` and `crm doc …` (MISSION B6, B3): tasks, due and
// overdue lists in the user's time zone, reminders, documents with streamed content.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"

namespace cli {

namespace {

const std::vector<std::string> kTaskColumns = {"id", "title", "status", "priority", "due_at",
                                               "assignee=assignee_id", "remind_at"};
const std::vector<std::string> kDocColumns = {"id", "kind", "name", "mime_type", "size", "sha256", "uri"};

const std::vector<OptSpec> kTaskFields = {
    {"title", true, "title (required for add)"},
    {"notes", true, "notes"},
    {"due", true, "ISO-8601 due time (empty clears)"},
    {"remind", true, "ISO-8601 reminder time (empty clears)"},
    {"assignee", true, "user id (empty clears)"},
    {"status", true, "open, in_progress, done, cancelled"},
    {"priority", true, "low, normal, high"},
    {"link", true, "ENTITY:ID, e.g. contact:3 (repeatable; replaces the links)"},
    {"external-id", true, "id in another system"},
    {"tag", true, "a tag (repeatable)"},
    {"from-json", true, "a task document (file, - for stdin)"},
    {"patch", true, "a JSON merge patch (update)"},
};

json parse_document(const std::string& what, const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded()) invalid_input(fmt::format("{}: not valid JSON", what));
    return j;
}

crm::Timestamp parse_time(const std::string& text, const char* what) {
    auto t = crm::parse_iso8601(text);
    if (!t) invalid_input(fmt::format("{}: '{}' is not an ISO-8601 time (2026-01-13T09:00:00+09:00)", what, text));
    return *t;
}

json link_doc(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos) invalid_input(fmt::format("--link: '{}' is not ENTITY:ID (contact:3)", text));
    return {{"entity", crm::entity_name(parse_entity(text.substr(0, colon)))},
            {"id", parse_id(text.substr(colon + 1), "--link")}};
}

json task_patch(const Args& a) {
    json p = json::object();
    auto text = [&](const char* opt, const char* key) {
        if (auto v = a.get(opt)) {
            check_utf8(std::string("--") + opt, *v);
            p[key] = *v;
        }
    };
    auto time = [&](const char* opt, const char* key) {
        if (auto v = a.get(opt))
            p[key] = v->empty() ? json(nullptr) : json(crm::format_iso8601(parse_time(*v, opt)));
    };
    text("title", "title");
    text("notes", "notes");
    text("status", "status");
    text("priority", "priority");
    text("external-id", "external_id");
    time("due", "due_at");
    time("remind", "remind_at");
    if (auto v = a.get("assignee")) p["assignee_id"] = v->empty() ? json(nullptr) : json(parse_id(*v, "--assignee"));
    auto links = a.all("link");
    if (!links.empty()) {
        json arr = json::array();
        for (const auto& l : links) arr.push_back(link_doc(l));
        p["links"] = arr;
    }
    auto tags = a.all("tag");
    if (!tags.empty()) p["tags"] = tags;
    if (auto v = a.get("patch")) {
        json x = parse_document("--patch", *v);
        if (!x.is_object()) invalid_input("--patch: a merge patch must be a JSON object");
        x.merge_patch(p);
        p = std::move(x);
    }
    return p;
}

int task_add(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, kTaskFields);
    a.expect_positional(0, 0);
    json doc = json::object();
    if (auto f = a.get("from-json")) doc = parse_document(*f, read_file_or_stdin(*f));
    if (!doc.is_object()) invalid_input("--from-json: expected a JSON object");
    doc.merge_patch(task_patch(a));
    if (doc.empty()) usage_error("nothing to add: give --title … or --from-json FILE", "see 'crm help task'");
    auto& db = ctx.open();
    auto t = must(crm::from_json<crm::Task>(doc.dump()));
    crm::Id id = must(db.tasks().create(t));
    print_record(ctx, crm::to_json(must(db.tasks().get(id))));
    return exit_ok;
}

int task_get(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"external-id", true}});
    auto t = ctx.open().tasks();
    if (auto x = a.get("external-id")) {
        a.expect_positional(0, 0);
        print_record(ctx, crm::to_json(must(t.get_by_external_id(*x))));
    } else {
        a.expect_positional(1, 1);
        print_record(ctx, crm::to_json(must(t.get(parse_id(a.positional[0])))));
    }
    return exit_ok;
}

std::size_t parse_limit(const Args& a) {
    if (auto l = a.get("limit")) {
        auto n = parse_int(*l, "--limit");
        if (n < 1 || n > 10000) invalid_input(fmt::format("--limit: {} is not between 1 and 10000", n));
        return static_cast<std::size_t>(n);
    }
    return 100;
}

int task_list(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"where", true}, {"sort", true}, {"desc", false}, {"limit", true}, {"after", true},
                                      {"assignee", true}});
    a.expect_positional(0, 0);
    crm::ListOptions o;
    for (const auto& w : a.all("where")) o.where.push_back(must(crm::parse_filter(w)));
    if (auto v = a.get("assignee")) o.where.push_back({"assignee_id", crm::Op::eq, std::to_string(parse_id(*v, "--assignee"))});
    if (auto s = a.get("sort")) o.order_by = *s;
    o.descending = a.has("desc");
    o.limit = parse_limit(a);
    if (auto c = a.get("after")) o.after = *c;
    auto page = must(ctx.open().tasks().list(o));
    std::vector<std::string> docs;
    for (const auto& x : page.items) docs.push_back(crm::to_json(x));
    print_records(ctx, docs, kTaskColumns);
    if (!page.next.empty()) note(fmt::format("next: {}", page.next));
    return exit_ok;
}

int task_update(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, kTaskFields);
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    json patch = json::object();
    if (auto f = a.get("from-json")) patch = parse_document(*f, read_file_or_stdin(*f));
    if (!patch.is_object()) invalid_input("--from-json: a merge patch must be a JSON object");
    patch.merge_patch(task_patch(a));
    if (patch.empty()) usage_error("nothing to update: give fields (--title …), --patch JSON or --from-json FILE");
    print_record(ctx, crm::to_json(must(ctx.open().tasks().patch(id, patch.dump()))));
    return exit_ok;
}

int task_delete(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    must(ctx.open().tasks().remove(id));
    note(fmt::format("deleted task {}", id));
    return exit_ok;
}

int task_history(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(1, 1);
    print_changes(ctx, must(ctx.open().tasks().history(parse_id(a.positional[0]))));
    return exit_ok;
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
    std::vector<std::string> docs;
    for (const auto& x : page.items) docs.push_back(crm::to_json(x));
    print_records(ctx, docs, kTaskColumns);
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

int doc_get(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"out", true, "write the content to this file (- for stdout)"},
                                      {"no-verify", false, "skip the SHA-256 check"}});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.positional[0]);
    auto docs = ctx.open().documents();
    auto out = a.get("out");
    if (!out) {
        print_record(ctx, crm::to_json(must(docs.get(id))));
        return exit_ok;
    }
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

int doc_list(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"where", true}, {"sort", true}, {"desc", false}, {"limit", true}, {"after", true}});
    a.expect_positional(0, 0);
    crm::ListOptions o;
    for (const auto& w : a.all("where")) o.where.push_back(must(crm::parse_filter(w)));
    if (auto s = a.get("sort")) o.order_by = *s;
    o.descending = a.has("desc");
    o.limit = parse_limit(a);
    if (auto c = a.get("after")) o.after = *c;
    auto page = must(ctx.open().documents().list(o));
    std::vector<std::string> docs;
    for (const auto& x : page.items) docs.push_back(crm::to_json(x));
    print_records(ctx, docs, kDocColumns);
    if (!page.next.empty()) note(fmt::format("next: {}", page.next));
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
    return "usage: crm task <sub-command> [arguments]\n\n"
           "  add --title T [--notes N] [--due TIME] [--remind TIME] [--assignee USER]\n"
           "      [--status open|in_progress|done|cancelled] [--priority low|normal|high]\n"
           "      [--link ENTITY:ID]… [--external-id X] [--tag T]… [--from-json FILE]\n"
           "  get ID | get --external-id X\n"
           "  list [--assignee USER] [--where FIELD=VALUE]… [--sort FIELD] [--desc] [--limit N] [--after CURSOR]\n"
           "  update ID [field options] [--patch JSON] [--from-json FILE]\n"
           "  delete ID\n"
           "  history ID\n"
           "  due [--today|--overdue] [--assignee USER] [--tz +09:00] [--now TIME] [--limit N] [--after CURSOR]\n"
           "                 open and in-progress tasks due today in the zone --tz, or overdue\n"
           "  remind [--now TIME] [--limit N] [--claimer NAME]\n"
           "                 claim and print the reminders that are due; each is printed once,\n"
           "                 even with several pollers at once\n";
}

std::string doc_usage() {
    return "usage: crm doc <sub-command> [arguments]\n\n"
           "  add FILE [--kind quote|invoice|proposal|contract|other] [--name NAME] [--mime TYPE]\n"
           "      [--account ID]… [--contact ID]… [--deal ID]… [--tag T]…   store FILE (streamed; SHA-256 computed)\n"
           "  add --uri URI --name NAME [--kind …]                          an external document\n"
           "  get ID [--out FILE|-] [--no-verify]     metadata, or the content written to FILE\n"
           "  list [--where FIELD=VALUE]… [--sort FIELD] [--desc] [--limit N] [--after CURSOR]\n"
           "  send ID --contact ID [--at TIME] [--interaction ID]   record that it was sent\n"
           "  sends ID | sends --contact ID\n"
           "Other record operations: crm doc update/delete/history are not provided; use the C++ or C API.\n";
}

int cmd_task(Context& ctx, const Tokens& args) {
    if (args.empty()) usage_error("missing sub-command", "see 'crm help task'");
    const std::string sub = args[0];
    const Tokens rest(args.begin() + 1, args.end());
    if (sub == "add") return task_add(ctx, rest);
    if (sub == "get") return task_get(ctx, rest);
    if (sub == "list") return task_list(ctx, rest);
    if (sub == "update") return task_update(ctx, rest);
    if (sub == "delete") return task_delete(ctx, rest);
    if (sub == "history") return task_history(ctx, rest);
    if (sub == "due") return task_due(ctx, rest);
    if (sub == "remind") return task_remind(ctx, rest);
    usage_error(fmt::format("unknown sub-command '{}'", sub), "see 'crm help task'");
}

int cmd_doc(Context& ctx, const Tokens& args) {
    if (args.empty()) usage_error("missing sub-command", "see 'crm help doc'");
    const std::string sub = args[0];
    const Tokens rest(args.begin() + 1, args.end());
    if (sub == "add") return doc_add(ctx, rest);
    if (sub == "get") return doc_get(ctx, rest);
    if (sub == "list") return doc_list(ctx, rest);
    if (sub == "send") return doc_send(ctx, rest);
    if (sub == "sends") return doc_sends(ctx, rest);
    usage_error(fmt::format("unknown sub-command '{}'", sub), "see 'crm help doc'");
}

}  // namespace cli
