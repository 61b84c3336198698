// cmd_history.cpp — `crm history …`: the change feed of the whole database
// (crm::HistoryLog), for other systems to follow:
//   crm history since ID [--limit N] [--all] [--follow [--interval MS]]
//   crm history count | crm history latest
// One record's history is `crm <kind> history ID` (cmd_records.cpp).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "records.hpp"

namespace cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void stop_following(int) { g_stop = 1; }

const std::vector<std::string> kFeedColumns = {"id", "at", "entity", "record", "actor", "op", "field", "old", "new"};

std::vector<std::string> feed_row(const crm::Change& c, bool exact) {
    auto value = [&](const std::string& text) -> std::string {
        if (exact) return text;  // CSV: the JSON text, exact
        auto j = json::parse(text, nullptr, false);
        if (j.is_discarded()) return text;
        return j.is_object() || j.is_array() ? j.dump() : cell_text(j);
    };
    return {std::to_string(c.id),
            crm::format_iso8601(c.at),
            crm::entity_name(c.entity),
            std::to_string(c.record_id),
            c.actor_id ? std::to_string(*c.actor_id) : std::string(),
            crm::to_string(c.op),
            c.field,
            value(c.old_value),
            value(c.new_value)};
}

void print_feed(const Context& ctx, const std::vector<crm::Change>& changes) {
    if (ctx.format == Format::as_json) {
        std::vector<std::string> docs;
        for (const auto& c : changes) docs.push_back(crm::to_json(c));
        return print_json_docs(docs);
    }
    Table t;
    t.headers = kFeedColumns;
    for (const auto& c : changes) t.rows.push_back(feed_row(c, ctx.format == Format::as_csv));
    if (ctx.format == Format::as_csv) return print_csv(t);
    print_table(t);
}

// --follow: one line per change as it comes (JSON Lines with --json, CSV rows
// under one header with --csv, tab-separated fields otherwise), until
// interrupted (SIGINT / SIGTERM) or stdout closes.
int follow(Context& ctx, crm::Id after, std::size_t limit, int interval_ms) {
    std::signal(SIGINT, stop_following);
    std::signal(SIGTERM, stop_following);
    auto history = ctx.open().history();
    if (ctx.format == Format::as_csv) print_csv(Table{kFeedColumns, {}});
    while (!g_stop) {
        auto batch = must(history.since(after, limit));
        for (const auto& c : batch) {
            if (ctx.format == Format::as_json) {
                fmt::print("{}\n", crm::to_json(c));
            } else if (ctx.format == Format::as_csv) {
                std::string line = crm::tools::render_csv(Table{{}, {feed_row(c, true)}});
                fmt::print("{}", line);
            } else {
                fmt::print("{}\n", fmt::join(feed_row(c, false), "\t"));
            }
            after = c.id;
        }
        if (std::fflush(stdout) != 0 || std::ferror(stdout)) break;  // the reader went away
        if (batch.size() == limit) continue;                      // more waiting: no pause
        for (int waited = 0; waited < interval_ms && !g_stop; waited += 50)
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, interval_ms - waited)));
    }
    return exit_ok;
}

int history_since(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {{"limit", true, "changes per read (1 … 100000, default 1000)"},
                                      {"all", false, "every change after ID, not one page"},
                                      {"follow", false, "keep printing new changes as they are made"},
                                      {"interval", true, "with --follow: milliseconds between polls (default 1000)"}});
    a.expect_positional(1, 1);
    const std::int64_t after = parse_int(a.positional[0], "ID");
    if (after < 0) invalid_input(fmt::format("ID: {} is not a change id (0 for the first change)", after));
    std::size_t limit = 1000;
    if (auto v = a.get("limit")) {
        const auto n = parse_int(*v, "--limit");
        if (n < 1 || n > 100000) invalid_input(fmt::format("--limit: {} is not between 1 and 100000", n));
        limit = static_cast<std::size_t>(n);
    }
    if (a.has("follow")) {
        int interval = 1000;
        if (auto v = a.get("interval")) {
            const auto n = parse_int(*v, "--interval");
            if (n < 10 || n > 3600000) invalid_input(fmt::format("--interval: {} is not between 10 and 3600000", n));
            interval = static_cast<int>(n);
        }
        return follow(ctx, after, limit, interval);
    }
    if (a.has("interval")) usage_error("--interval goes with --follow");
    auto history = ctx.open().history();
    std::vector<crm::Change> all;
    crm::Id from = after;
    bool more = false;
    do {
        auto batch = must(history.since(from, limit));
        more = batch.size() == limit;
        if (!batch.empty()) from = batch.back().id;
        all.insert(all.end(), batch.begin(), batch.end());
    } while (more && a.has("all"));
    print_feed(ctx, all);
    if (more) note(fmt::format("next: {}", from));
    return exit_ok;
}

int history_count(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(0, 0);
    const auto n = must(ctx.open().history().count());
    if (ctx.format == Format::as_table) fmt::print("{}\n", n);
    else print_object(ctx, json{{"count", n}});
    return exit_ok;
}

int history_latest(Context& ctx, const Tokens& tokens) {
    Args a = parse_args(ctx, tokens, {});
    a.expect_positional(0, 0);
    const auto id = must(ctx.open().history().latest_id());
    if (ctx.format == Format::as_table) fmt::print("{}\n", id);
    else print_object(ctx, json{{"id", id}});
    return exit_ok;
}

}  // namespace

int cmd_history(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args, {{"since", history_since}, {"count", history_count}, {"latest", history_latest}});
}

std::string history_usage() {
    return "usage: crm history since ID [--limit N] [--all] [--follow [--interval MS]]\n"
           "       crm history count\n"
           "       crm history latest\n\n"
           "The change feed: every change of every record (field, old, new, actor, time), oldest\n"
           "first, with increasing ids. 'since ID' prints the changes after ID (0: from the first);\n"
           "when more follow, 'next: ID' is printed on stderr. With --follow it keeps printing new\n"
           "changes as they are made, one per line (JSON Lines with --json), until interrupted.\n"
           "'latest' prints the newest change id (0 if none): start a feed there for only new\n"
           "changes. 'count' prints the number of changes. One record's history: crm KIND history ID.\n";
}

}  // namespace cli
