// cmd_dedup.cpp — `crm dedup …` (duplicate detection and undoable merge, crm/dedup.hpp).
//   crm dedup find contact|account [--min-score N] [--limit N]
//   crm dedup merge contact|account SURVIVOR MERGED [--take FIELD=merged]... [--dry-run]
//   crm dedup undo MERGE_ID          crm dedup merges [contact|account] [--limit N]
//   crm dedup show MERGE_ID
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/dedup.hpp"
#include "records.hpp"

namespace cli {

namespace {
const std::vector<std::string> kPairColumns = {"a", "b", "score", "reasons"};
const std::vector<std::string> kMergeColumns = {"id", "kind", "survivor_id", "merged_id", "dry_run", "at",
                                                "undone_at"};

crm::Entity dedup_kind(const std::string& s) {
    if (s == "contact") return crm::Entity::contact;
    if (s == "account") return crm::Entity::account;
    usage_error(fmt::format("'{}': duplicates are found among contacts or accounts (contact|account)", s));
}

std::size_t limit_of(const Args& a) {
    if (auto l = a.get("limit")) {
        const auto n = parse_int(*l, "--limit");
        if (n < 1 || n > 10000) invalid_input(fmt::format("--limit: {} is not between 1 and 10000", n));
        return static_cast<std::size_t>(n);
    }
    return 100;
}

int dedup_find(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"min-score", true, "only pairs scoring at least N (0 … 100, default 50)"},
                                 {"limit", true, "at most N pairs (1 … 10000, default 100)"}});
    a.expect_positional(1, 1);
    crm::DuplicateQuery q;
    q.kind = dedup_kind(a.positional[0]);
    if (auto s = a.get("min-score")) {
        const auto n = parse_int(*s, "--min-score");
        if (n < 0 || n > 100) invalid_input(fmt::format("--min-score: {} is not between 0 and 100", n));
        q.min_score = static_cast<int>(n);
    }
    q.limit = limit_of(a);
    std::vector<std::string> docs;
    for (const auto& p : must(ctx.open().dedup().find(q))) docs.push_back(crm::to_json(p));
    print_records(ctx, docs, kPairColumns);
    return exit_ok;
}

// A merge as a table: its summary, then what changes.
void print_merge(Context& ctx, const crm::Merge& m) {
    if (ctx.format != Format::as_table) {
        print_record(ctx, crm::to_json(m));
        return;
    }
    const json d = json::parse(crm::to_json(m));
    Table t;
    t.headers = {"field", "value"};
    for (const char* k : {"id", "kind", "survivor_id", "merged_id", "dry_run", "at", "undone_at"})
        t.rows.push_back({k, cell_text(d[k])});
    print_table(t);
    if (!m.fields.empty()) {
        std::printf("\n");
        Table f;
        f.headers = {"field", "source", "before", "after"};
        for (const auto& x : m.fields) f.rows.push_back({x.field, x.source, x.before, x.after});
        print_table(f);
    }
    if (!m.relations.empty()) {
        std::printf("\n");
        Table r;
        r.headers = {"re-pointed", "field", "count"};
        for (const auto& x : m.relations) r.rows.push_back({x.kind, x.field, std::to_string(x.count)});
        print_table(r);
    }
}

int dedup_merge(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"take", true, "FIELD=merged: keep the merged record's value of FIELD (repeatable)"},
                                 {"dry-run", false, "show what would change; write nothing"}});
    a.expect_positional(3, 3);
    const crm::Entity kind = dedup_kind(a.positional[0]);
    const crm::Id survivor = parse_id(a.positional[1], "SURVIVOR");
    const crm::Id merged = parse_id(a.positional[2], "MERGED");
    crm::MergeOptions o;
    o.dry_run = a.has("dry-run");
    for (const auto& take : a.all("take")) {
        check_utf8("--take", take);
        const auto eq = take.find('=');
        const std::string field = take.substr(0, eq);
        const std::string side = eq == std::string::npos ? "merged" : take.substr(eq + 1);
        if (field.empty()) usage_error("--take needs FIELD=merged (or FIELD=survivor)");
        if (side == "merged") o.take_merged.push_back(field);
        else if (side != "survivor") usage_error(fmt::format("--take {}: the side is 'merged' or 'survivor'", take));
    }
    print_merge(ctx, must(ctx.open().dedup().merge(kind, survivor, merged, o)));
    return exit_ok;
}

int dedup_undo(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    print_merge(ctx, must(ctx.open().dedup().undo(parse_id(a.positional[0], "MERGE_ID"))));
    return exit_ok;
}

int dedup_show(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {});
    a.expect_positional(1, 1);
    print_merge(ctx, must(ctx.open().dedup().get(parse_id(a.positional[0], "MERGE_ID"))));
    return exit_ok;
}

int dedup_merges(Context& ctx, const Tokens& t) {
    Args a = parse_args(ctx, t, {{"limit", true, "at most N merges (1 … 10000, default 100)"}});
    a.expect_positional(0, 1);
    std::optional<crm::Entity> kind;
    if (!a.positional.empty()) kind = dedup_kind(a.positional[0]);
    std::vector<std::string> docs;
    for (const auto& m : must(ctx.open().dedup().list(kind, limit_of(a)))) docs.push_back(crm::to_json(m));
    print_records(ctx, docs, kMergeColumns);
    return exit_ok;
}
}  // namespace

int cmd_dedup(Context& ctx, const Tokens& args) {
    return run_sub(ctx, args,
                   {{"find", dedup_find},
                    {"merge", dedup_merge},
                    {"undo", dedup_undo},
                    {"show", dedup_show},
                    {"merges", dedup_merges}});
}

std::string dedup_usage() {
    return "usage: crm dedup find contact|account [--min-score N] [--limit N]\n"
           "       crm dedup merge contact|account SURVIVOR MERGED [--take FIELD=merged]... [--dry-run]\n"
           "       crm dedup undo MERGE_ID\n"
           "       crm dedup show MERGE_ID\n"
           "       crm dedup merges [contact|account] [--limit N]\n\n"
           "Duplicate detection and undoable merge (docs/dedup.md). find lists candidate pairs\n"
           "with a score (0-100) and the reasons (email, phone, external_id, name_company,\n"
           "reading_company, name; accounts: company, phone, website, reading). merge keeps\n"
           "SURVIVOR, fills its empty fields from MERGED (--take FIELD=merged takes MERGED's value),\n"
           "unites emails, phones and tags, re-points every relation and deletes MERGED;\n"
           "reading MERGED afterwards says where it went (exit 2). undo brings it back.\n";
}

}  // namespace cli
