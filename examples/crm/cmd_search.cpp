// cmd_search.cpp — `crm search QUERY…` and `crm search rebuild`: full-text search
// over crm::Search (docs/search.md). The words typed are the query, searched as text.
//   crm search 田中 --kind contact --where lifecycle_stage=mql
//   crm search 株式会社 acc --limit 50 --json
//   crm search rebuild
#include <fmt/format.h>

#include "commands.hpp"
#include "crm/search.hpp"
#include "records.hpp"

namespace cli {

namespace {

int search_rebuild(Context& ctx) {
    const std::int64_t n = must(ctx.open().search().rebuild());
    if (ctx.format == Format::as_table) {
        fmt::print("search index rebuilt: {} records\n", n);
        return exit_ok;
    }
    print_object(ctx, json{{"indexed", n}});
    return exit_ok;
}

}  // namespace

int cmd_search(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"kind", true}, {"where", true}, {"limit", true}, {"query", true}});
    if (ctx.help) {
        fmt::print("{}", search_usage());
        return exit_ok;
    }
    const bool options = a.has("kind") || a.has("where") || a.has("limit") || a.has("query");
    if (a.positional.size() == 1 && a.positional[0] == "rebuild" && !options) return search_rebuild(ctx);
    std::string query;
    for (const auto& p : a.positional) {
        check_utf8("QUERY", p);
        query += (query.empty() ? "" : " ") + p;
    }
    for (const auto& q : a.all("query")) {
        check_utf8("--query", q);
        query += (query.empty() ? "" : " ") + q;
    }
    if (query.empty()) usage_error("give the words to search for: crm search QUERY…", "see 'crm help search'");
    crm::SearchOptions o;
    for (const auto& list : a.all("kind")) {
        std::size_t start = 0;
        while (start <= list.size()) {
            std::size_t end = list.find(',', start);
            if (end == std::string::npos) end = list.size();
            const std::string name = list.substr(start, end - start);
            if (!name.empty()) o.kinds.push_back(parse_entity(name));
            start = end + 1;
        }
    }
    for (const auto& w : a.all("where")) {
        check_utf8("--where", w);
        auto f = crm::parse_filter(w);
        if (!f) bad_argument(fmt::format("--where: {}", f.error().message));
        o.where.push_back(std::move(f).value());
    }
    if (auto l = a.get("limit")) {
        const std::int64_t n = parse_int(*l, "--limit");
        if (n < 1 || n > static_cast<std::int64_t>(crm::Search::max_limit))
            invalid_input(fmt::format("--limit: {} is not from 1 to {}", n, crm::Search::max_limit));
        o.limit = static_cast<std::size_t>(n);
    }
    const auto hits = must(ctx.open().search().query(query, o));
    Table t{{"kind", "id", "title", "snippet", "rank"}, {}};
    json docs = json::array();
    for (const auto& h : hits) {
        const std::string rank = fmt::format("{:.4f}", h.rank);
        t.rows.push_back({crm::entity_name(h.kind), std::to_string(h.id), h.title, h.snippet, rank});
        docs.push_back({{"kind", crm::entity_name(h.kind)},
                        {"id", h.id},
                        {"title", h.title},
                        {"snippet", h.snippet},
                        {"rank", h.rank}});
    }
    if (ctx.format == Format::as_json) print_json_doc(docs.dump());
    else if (ctx.format == Format::as_csv) print_csv(t);
    else print_table(t, 50);
    return exit_ok;
}

std::string search_usage() {
    return "usage: crm search QUERY... [--kind KIND[,KIND…]]... [--where EXPR]... [--limit N]\n"
           "       crm search --query TEXT ...\n"
           "       crm search rebuild\n\n"
           "Full-text search over the searchable fields of every kind (contacts, accounts,\n"
           "interactions, tickets, documents, deals, tasks …; docs/search.md). Every word must\n"
           "match, as a substring, after folding width, case and kana (ｶﾅ = カナ = かな): words of\n"
           "three characters or more anywhere, of one or two (林, 顧客, an English prefix) as\n"
           "characters or word starts. Best first (bm25). What you type is searched as text:\n"
           "quotes, AND/OR/NOT, *, ( ) are characters, not operators. At most 16 words, 1024 bytes.\n"
           "  --kind     the kinds to search (default: all); --where needs exactly one\n"
           "  --where    a filter as list takes (lifecycle_stage=mql, tag=vip, …), repeatable\n"
           "  --limit    1 … 1000 (default 20)\n"
           "  --query    text to search for, e.g. the word 'rebuild' itself\n"
           "rebuild recreates the whole index from the records, in one transaction.\n"
           "Exit 1: an argument does not parse; 3: the query or a value is refused.\n";
}

}  // namespace cli
