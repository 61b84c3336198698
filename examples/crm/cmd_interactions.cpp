// cmd_interactions.cpp — the activity timeline:
//   crm log KIND [--contact ID]… [--account ID]… [--subject S] [--body B] …
//   crm interaction add KIND … (= crm log); get, list, update, delete, history and
//     as-of are the generic record commands (cmd_records.cpp)
//   crm timeline contact|account|deal|ticket ID [--kind K]… [--since T] [--until T] [--limit N] [--after CURSOR]
//   crm ingest FILE.jsonl [--per-item] [--source S] [--batch N]
//   crm email track ID EVENT [--url U] [--at T] | crm email events ID
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {

// An interaction time; its error says "at: 'x' is not an ISO-8601 date or time".
crm::Timestamp parse_at(const std::string& text, const char* what) {
    auto t = crm::parse_iso8601(text);
    if (!t) bad_argument(fmt::format("{}: '{}' is not an ISO-8601 date or time", what, text));
    return *t;
}

std::vector<crm::Id> ids(const Args& a, const char* name) {
    std::vector<crm::Id> out;
    for (const auto& v : a.all(name)) out.push_back(parse_id(v, name));
    return out;
}
}  // namespace

std::string log_usage() {
    return "usage: crm log KIND [--contact ID]... [--account ID]... [--deal ID]... [--ticket ID]...\n"
           "                [--subject S] [--body B] [--direction inbound|outbound|internal] [--channel C]\n"
           "                [--at TIME] [--url U] [--referrer R] [--external-id X] [--source S]\n\n"
           "Records an interaction and prints its id (the whole document with --json or --csv).\n"
           "KIND is email, call, meeting, note, sms, line, web_visit, form_submission,\n"
           "event_attendance, document_download or your own [a-z][a-z0-9_]*. --at defaults to now.\n"
           "The global --actor USER_ID (else $CRM_ACTOR) is the interaction's actor: who did it.\n";
}

std::string timeline_usage() {
    return "usage: crm timeline contact|account|deal|ticket ID [--kind K]... [--since TIME] [--until TIME]\n"
           "                   [--limit N] [--after CURSOR]\n\n"
           "Interactions newest first. An account's timeline includes its contacts' interactions.\n"
           "The cursor of the next page is printed on stderr as 'next: CURSOR'.\n";
}

std::string ingest_usage() {
    return "usage: crm ingest FILE.jsonl [--per-item] [--source S] [--batch N]\n\n"
           "Loads one interaction document per line ('-' = stdin) in batches of N (default 10000),\n"
           "each batch one transaction. Items whose external_id is already stored are skipped as\n"
           "duplicates. Without --per-item a bad line stops the load (earlier batches stay); with it,\n"
           "valid items are stored and each bad one is reported. Progress goes to stderr.\n";
}

std::string email_usage() {
    return "usage: crm email track ID EVENT [--url U] [--at TIME] [--address A] [--soft]\n"
           "       crm email events ID\n\n"
           "EVENT is sent, delivered, opened, clicked, bounced or unsubscribed (--url for clicked).\n"
           "--address names the recipient (needed when the email is linked to several contacts).\n"
           "unsubscribed withdraws the recipient's email consent; bounced (without --soft) marks the\n"
           "address undeliverable. An event before the email's time is refused.\n"
           "'track' prints the stored event (its id, event, at, url, interaction_id).\n";
}

std::string interaction_usage() {
    return records_usage(crm::Entity::interaction, {{"add KIND [options of 'crm log']", "same as 'crm log'"}});
}

int cmd_log(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args,
                        {{"contact", true}, {"account", true}, {"deal", true}, {"ticket", true}, {"subject", true},
                         {"body", true}, {"direction", true}, {"channel", true}, {"at", true}, {"url", true},
                         {"referrer", true}, {"external-id", true}, {"source", true}});
    a.expect_positional(1, 1);
    crm::Interaction i;
    i.kind = a.pos(0, "KIND");
    i.contact_ids = ids(a, "contact");
    i.account_ids = ids(a, "account");
    i.deal_ids = ids(a, "deal");
    i.ticket_ids = ids(a, "ticket");
    auto text = [&](const char* name, std::string& out) {
        if (auto v = a.get(name)) {
            check_utf8(name, *v);
            out = *v;
        }
    };
    text("subject", i.subject);
    text("body", i.body);
    text("channel", i.channel);
    text("url", i.url);
    text("referrer", i.referrer);
    text("external-id", i.external_id);
    text("source", i.source);
    if (auto d = a.get("direction")) {
        auto dir = crm::direction_from_string(*d);
        if (!dir) invalid_input(fmt::format("direction: '{}' is not one of inbound, outbound, internal", *d));
        i.direction = *dir;
    }
    if (auto t = a.get("at")) i.occurred_at = parse_at(*t, "at");
    i.actor_id = ctx.actor;  // who logs it did it: --actor, else $CRM_ACTOR
    auto& db = ctx.open();
    check_references(db, crm::Entity::interaction, json::parse(crm::to_json(i)));
    auto id = must(db.interactions().create(i));
    if (ctx.format == Format::as_table) fmt::print("{}\n", id);
    else print_record(ctx, crm::to_json(must(db.interactions().get(id))));
    return exit_ok;
}

int cmd_interaction(Context& ctx, const Tokens& args) {
    return record_command(ctx, crm::Entity::interaction, args, {{"add", cmd_log}});
}

int cmd_timeline(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"kind", true}, {"since", true}, {"until", true}, {"limit", true}, {"after", true}});
    a.expect_positional(2, 2);
    const crm::Entity e = parse_entity(a.pos(0, "ENTITY"));
    const crm::Id id = parse_id(a.pos(1, "ID"));
    crm::TimelineQuery q;
    q.kinds = a.all("kind");
    if (auto v = a.get("since")) q.since = parse_at(*v, "since");
    if (auto v = a.get("until")) q.until = parse_at(*v, "until");
    if (auto v = a.get("limit")) {
        auto n = parse_int(*v, "limit");
        if (n < 1) invalid_input("limit: must be between 1 and 1000");
        q.limit = static_cast<std::size_t>(n);
    }
    if (auto v = a.get("after")) q.after = *v;
    auto& db = ctx.open();
    auto page = must(db.interactions().timeline(e, id, q));
    std::vector<std::string> docs;
    for (const auto& i : page.items) docs.push_back(crm::to_json(i));
    print_list(ctx, crm::Entity::interaction, docs);
    if (!page.next.empty()) note(fmt::format("next: {}", page.next));
    return exit_ok;
}

int cmd_ingest(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"per-item", false}, {"source", true}, {"batch", true}});
    a.expect_positional(1, 1);
    const std::string path = a.pos(0, "FILE");
    std::size_t batch = 10000;
    if (auto v = a.get("batch")) {
        auto n = parse_int(*v, "batch");
        if (n < 1 || n > 1000000) invalid_input("batch: must be between 1 and 1000000");
        batch = static_cast<std::size_t>(n);
    }
    crm::IngestOptions o;
    o.per_item = a.has("per-item");
    if (auto s = a.get("source")) {
        check_utf8("source", *s);
        o.source = *s;
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) cannot_read(path);
        in = &file;
    }
    auto& db = ctx.open();
    std::vector<crm::Interaction> items;
    std::vector<std::size_t> line_of;
    std::size_t inserted = 0, duplicates = 0, failed = 0, line_no = 0, read = 0;
    json errors = json::array();
    auto flush = [&] {
        if (items.empty()) return;
        auto r = db.interactions().ingest(items, o);
        if (!r) {
            auto e = r.error();
            // items[K] inside this batch -> the line of the file
            auto k = e.field.find("items[") == 0 ? std::stoul(e.field.substr(6)) : 0;
            e.message = fmt::format("line {}: {}", line_of.at(k), e.message);
            note(fmt::format("stopped: {} stored, {} duplicates before line {}", inserted, duplicates, line_of.at(k)));
            raise(e);
        }
        inserted += r.value().inserted;
        duplicates += r.value().duplicates;
        failed += r.value().failed;
        for (std::size_t k = 0; k < r.value().items.size(); ++k) {
            const auto& it = r.value().items[k];
            if (it.status == crm::IngestStatus::error) {
                errors.push_back({{"line", line_of[k]}, {"message", it.message}});
                note(fmt::format("line {}: {}", line_of[k], it.message));
            }
        }
        items.clear();
        line_of.clear();
        note(fmt::format("{} lines: {} stored, {} duplicates, {} failed", read, inserted, duplicates, failed));
    };
    std::string line;
    while (std::getline(*in, line)) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        ++read;
        auto v = crm::interaction_from_json(line);
        if (!v) {
            if (!o.per_item) {
                auto e = v.error();
                e.message = fmt::format("line {}: {}", line_no, e.message);
                flush();
                raise(e);
            }
            ++failed;
            errors.push_back({{"line", line_no}, {"message", v.error().message}});
            note(fmt::format("line {}: {}", line_no, v.error().message));
            continue;
        }
        items.push_back(std::move(v.value()));
        line_of.push_back(line_no);
        if (items.size() >= batch) flush();
    }
    flush();
    if (ctx.format == Format::as_json) {
        json out = {{"inserted", inserted}, {"duplicates", duplicates}, {"failed", failed}, {"errors", errors}};
        fmt::print("{}\n", out.dump());
    } else if (ctx.format == Format::as_csv) {
        print_object(ctx, json{{"inserted", inserted}, {"duplicates", duplicates}, {"failed", failed}});
    } else {
        fmt::print("{} stored, {} duplicates, {} failed\n", inserted, duplicates, failed);
    }
    return failed ? exit_invalid : exit_ok;
}

namespace {
int email_track(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {{"url", true}, {"at", true}, {"address", true}, {"soft", false}});
    a.expect_positional(2, 2);
    const crm::Id id = parse_id(a.pos(0, "ID"));
    auto type = crm::email_event_from_string(a.pos(1, "EVENT"));
    if (!type)
        invalid_input(fmt::format("event: '{}' is not one of sent, delivered, opened, clicked, bounced, unsubscribed",
                                  a.pos(1, "EVENT")));
    crm::EmailEvent ev;
    ev.type = *type;
    if (auto u = a.get("url")) {
        check_utf8("url", *u);
        ev.url = *u;
    }
    if (auto t = a.get("at")) ev.at = parse_at(*t, "at");
    if (auto v = a.get("address")) {
        check_utf8("address", *v);
        ev.address = *v;
    }
    ev.soft = a.has("soft");
    auto interactions = ctx.open().interactions();
    const crm::Id event_id = must(interactions.track(id, ev));
    for (const auto& e : must(interactions.email_events(id))) {
        if (e.id != event_id) continue;
        json doc = json::parse(crm::to_json(e));
        doc["interaction_id"] = id;
        print_record(ctx, doc.dump());
        return exit_ok;
    }
    print_object(ctx, json{{"id", event_id}, {"interaction_id", id}});
    return exit_ok;
}

int email_events(Context& ctx, const Tokens& rest) {
    Args a = parse_args(ctx, rest, {});
    a.expect_positional(1, 1);
    const crm::Id id = parse_id(a.pos(0, "ID"));
    auto& db = ctx.open();
    std::vector<std::string> docs;
    for (const auto& e : must(db.interactions().email_events(id))) docs.push_back(crm::to_json(e));
    print_records(ctx, docs, {"id", "event", "at", "url"});
    return exit_ok;
}
}  // namespace

int cmd_email(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args, {{"track", email_track}, {"events", email_events}});
}

}  // namespace cli
