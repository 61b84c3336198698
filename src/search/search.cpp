// Full-text search (crm/search.hpp, docs/search.md): the folding of indexed text and
// queries, the MATCH expressions built from the user's terms (each quoted as an FTS5
// string: the user's text is never FTS5 syntax), the write-path hooks and rebuild.
// SQL is in store/search_store.cpp.
#include "crm/search.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "crm/normalize.hpp"
#include "records/registry.hpp"
#include "search/hooks.hpp"
#include "store/db_impl.hpp"
#include "store/search_store.hpp"
#include "util/text.hpp"

namespace crm {

namespace search {

namespace {

// Decodes one code point of valid UTF-8 at s[i], advancing i.
std::uint32_t next_cp(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    std::uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1Fu) : n == 2 ? (c & 0x0Fu) : (c & 0x07u);
    ++i;
    for (; n > 0 && i < s.size(); --n, ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3Fu);
    return cp;
}

// A character the unigram index (search_uni) gets as a word of its own.
bool cjk(std::uint32_t cp) { return cp >= 0x2E80; }

// Roughly what FTS5's unicode61 tokenizer keeps as word characters: ASCII letters and
// digits, and non-ASCII characters outside the punctuation and symbol blocks.
bool word_char(std::uint32_t cp) {
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;                       // punctuation, symbols, arrows
    if (cp >= 0x3000 && cp <= 0x303F && cp != 0x3005) return false;       // CJK punctuation (々 is a letter)
    if (cp == 0x30FB) return false;                                       // ・
    if (cp >= 0xFE10 && cp <= 0xFE6F) return false;                       // vertical and small forms
    if (cp >= 0xFF00 && cp <= 0xFF0F) return false;                       // full-width punctuation
    if (cp >= 0x1F000) return false;                                      // emoji and other symbols
    return true;
}

std::size_t length(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        next_cp(s, i);
        ++n;
    }
    return n;
}

// An FTS5 string: the text between double quotes, each double quote doubled.
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

constexpr std::size_t kLabelBytes = 200;

// At most `max` bytes of s, cut at a character boundary.
std::string cut(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0u) == 0x80u) --n;
    return std::string(s.substr(0, n)) + "…";
}

store::SearchDoc make_doc(const std::vector<std::string>& values) {
    store::SearchDoc d;
    for (const auto& v : values) {
        const std::string t = text::trim(v);
        if (!t.empty()) {
            d.label = cut(t, kLabelBytes);
            break;
        }
    }
    if (!values.empty()) d.title = fold(values[0]);
    for (std::size_t i = 1; i < values.size(); ++i) {
        std::string f = fold(values[i]);
        if (f.empty()) continue;
        if (!d.body.empty()) d.body += '\n';
        d.body += f;
    }
    return d;
}

void index_values(detail::DbImpl& db, Entity e, Id id, const std::vector<std::string>& values, bool fresh) {
    auto doc = make_doc(values);
    if (doc.title.empty() && doc.body.empty()) {
        if (!fresh) store::drop_search_doc(db, e, id, &spaced);
    } else {
        store::put_search_doc(db, e, id, doc, &spaced, fresh);
    }
}

std::int64_t rebuild_all(detail::DbImpl& db) {
    store::clear_search(db);
    std::int64_t n = 0;
    for (const auto* k : records::kinds()) {
        if (store::search_columns(*k).empty()) continue;
        store::each_search_values(db, *k, [&](Id id, std::vector<std::string>& values) {
            index_values(db, k->info.entity, id, values, /*fresh=*/true);
            ++n;
        });
    }
    store::optimize_search(db);
    return n;
}

}  // namespace

std::string fold(std::string_view s) {
    std::string t = normalize::text(s);
    std::string out;
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size();) {
        std::uint32_t cp = next_cp(t, i);
        if ((cp >= 0x3041 && cp <= 0x3096) || cp == 0x309D || cp == 0x309E) cp += 0x60;  // hiragana → katakana
        else if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
        text::append_utf8(out, cp);
    }
    return out;
}

std::string spaced(std::string_view folded) {
    std::string out;
    out.reserve(folded.size() * 2);
    for (std::size_t i = 0; i < folded.size();) {
        const std::size_t start = i;
        const std::uint32_t cp = next_cp(folded, i);
        if (cjk(cp)) {
            out += ' ';
            out.append(folded.substr(start, i - start));
            out += ' ';
        } else {
            out.append(folded.substr(start, i - start));
        }
    }
    return out;
}

void reindex(detail::DbImpl& db, Entity e, Id id, bool fresh) {
    const auto* k = records::find(e);
    if (!k || store::search_columns(*k).empty()) return;
    auto values = store::search_values(db, *k, id);
    if (!values) store::drop_search_doc(db, e, id, &spaced);
    else index_values(db, e, id, *values, fresh);
}

void unindex(detail::DbImpl& db, Entity e, Id id) {
    const auto* k = records::find(e);
    if (!k || store::search_columns(*k).empty()) return;
    store::drop_search_doc(db, e, id, &spaced);
}

bool searched_field(Entity e, std::string_view key) noexcept {
    const auto* k = records::find(e);
    if (!k) return false;
    for (const auto& f : k->fields)
        if ((f.info->caps & cap_search) && f.info->key == key) return true;
    return false;
}

void upgraded(detail::DbImpl& db, int from_version) {
    if (from_version > 0 && from_version < store::search_schema_version()) rebuild_all(db);
}

}  // namespace search

// ---- the query -----------------------------------------------------------------------

namespace {

struct Parsed {
    std::string tri, uni;             // MATCH expressions (empty: none)
    std::vector<std::string> terms;   // folded, for snippets
};

result<Parsed> parse_query(std::string_view text) {
    if (auto r = text::check("query", text, Search::max_query_bytes, false); !r) return r.error();
    const std::string folded = search::fold(text);
    Parsed p;
    std::size_t start = 0;
    while (start < folded.size()) {
        std::size_t end = folded.find(' ', start);
        if (end == std::string::npos) end = folded.size();
        if (end > start) p.terms.push_back(folded.substr(start, end - start));
        start = end + 1;
    }
    if (p.terms.empty()) return invalid("query", "is empty: give at least one word to search for");
    if (p.terms.size() > Search::max_terms)
        return invalid("query", fmt::format("has {} terms; at most {} are allowed", p.terms.size(), Search::max_terms));
    for (const auto& t : p.terms) {
        if (search::length(t) >= 3) {
            if (!p.tri.empty()) p.tri += ' ';
            p.tri += search::quoted(t);
            continue;
        }
        bool word = false;
        for (std::size_t i = 0; i < t.size();)
            if (search::word_char(search::next_cp(t, i))) word = true;
        if (!word)
            return invalid("query", fmt::format("term '{}' has no letter or digit: a term of one or two characters "
                                                "must have one (longer terms are searched as written)",
                                                t));
        if (!p.uni.empty()) p.uni += ' ';
        p.uni += search::quoted(search::spaced(t)) + "*";  // a word prefix; CJK characters are words of one
    }
    return p;
}

// A window of the folded text around the first match, the match in [ ].
std::string snippet(const store::SearchRow& row, const std::vector<std::string>& terms) {
    constexpr std::size_t before = 20, after = 40;
    for (const std::string* text : {&row.body, &row.title}) {
        for (const auto& t : terms) {
            const auto at = text->find(t);
            if (at == std::string::npos) continue;
            // Back up `before` characters, forward `after` past the match.
            std::size_t from = at, n = 0;
            while (from > 0 && n < before) {
                --from;
                if ((static_cast<unsigned char>((*text)[from]) & 0xC0u) != 0x80u) ++n;
            }
            std::size_t to = at + t.size();
            for (n = 0; to < text->size() && n < after; ++n) search::next_cp(*text, to);
            std::string out = from > 0 ? "…" : "";
            out += text->substr(from, at - from) + "[" + t + "]" + text->substr(at + t.size(), to - at - t.size());
            if (to < text->size()) out += "…";
            return out;
        }
    }
    std::size_t to = 0;
    for (std::size_t n = 0; to < row.body.size() && n < before + after; ++n) search::next_cp(row.body, to);
    return row.body.substr(0, to) + (to < row.body.size() ? "…" : "");
}

}  // namespace

std::vector<Entity> searchable_kinds() noexcept {
    std::vector<Entity> out;
    for (const auto* k : records::kinds())
        if (!store::search_columns(*k).empty()) out.push_back(k->info.entity);
    return out;
}

result<std::vector<SearchHit>> Search::query(std::string_view text, const SearchOptions& options) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    try {
        if (options.limit < 1 || options.limit > max_limit)
            return invalid("limit", fmt::format("must be from 1 to {}", max_limit));
        const auto searchable = searchable_kinds();
        store::SearchQuery q;
        for (Entity e : options.kinds) {
            if (std::find(searchable.begin(), searchable.end(), e) == searchable.end()) {
                const auto* k = records::find(e);
                return invalid("kinds", k ? fmt::format("{} has no searchable fields", k->info.name)
                                          : fmt::format("{} is not an entity kind", static_cast<int>(e)));
            }
            if (std::find(q.kinds.begin(), q.kinds.end(), e) == q.kinds.end()) q.kinds.push_back(e);
        }
        if (!options.where.empty()) {
            if (q.kinds.size() != 1)
                return invalid("where", "filters name the fields of one kind: give exactly one kind with them");
            q.filter_kind = records::find(q.kinds.front());
            q.where = options.where;
        }
        CRM_TRY(auto parsed, parse_query(text));
        q.tri_match = std::move(parsed.tri);
        q.uni_match = std::move(parsed.uni);
        q.limit = static_cast<std::int64_t>(options.limit);
        return db_->read([&]() -> result<std::vector<SearchHit>> {
            CRM_TRY(auto rows, store::search_rows(*db_, q));
            std::vector<SearchHit> out;
            out.reserve(rows.size());
            for (const auto& r : rows)
                out.push_back(SearchHit{r.kind, r.id, r.label, snippet(r, parsed.terms), r.rank});
            return out;
        });
    } catch (...) {
        return detail::error_from_exception(std::current_exception());
    }
}

result<std::int64_t> Search::rebuild() noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<std::int64_t> { return search::rebuild_all(*db_); });
}

Search Db::search() noexcept { return Search(impl_.get()); }

}  // namespace crm
