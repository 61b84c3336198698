// Saved segments (MISSION C5): the Segment kind's descriptor (a record kind, so
// CRUD, history, as-of, the C ABI's crm_record_* and the CLI's record commands come
// from the registry), the check of its definition on every write, and evaluation —
// now through one compiled SQL query, at a past time on as-of documents.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "records/kind_entry.hpp"
#include "segments/segments_internal.hpp"
#include "store/entity_store.hpp"
#include "util/text.hpp"

namespace crm {

using detail::DbImpl;

namespace segments {

std::string describe(const SegmentIssue& i) { return fmt::format("{}:{}: {}", i.line, i.column, i.message); }

// Parses and checks: the tree, or errc::invalid_argument naming every problem.
result<Parsed> prepare(DbImpl& db, std::string_view expr, const char* field) {
    auto r = parse(expr);
    if (!r.parsed) return invalid(field, describe(r.issue));
    auto issues = check(db, r.parsed->root);
    if (!issues.empty()) {
        std::string msg;
        for (const auto& i : issues) msg += (msg.empty() ? "" : "; ") + describe(i);
        return invalid(field, msg);
    }
    CRM_TRYV(resolve_scores(db, r.parsed->root));
    return std::move(*r.parsed);
}

}  // namespace segments

namespace records {
namespace {
using namespace caps;

constexpr FieldDef<Segment> kSegmentFields[] = {
    build::text<&Segment::name>("name", "name", F | S | Q | I | L | R, "segment name, unique (秋セミナー参加者)")
        .unique_as("name"),
    build::text<&Segment::definition>("definition", "definition", F | Q | I | L | R,
                                      "the expression (docs/segments.md)")
        .with(long_text)
        .named("expr"),
    build::text<&Segment::description>("description", "description", F | Q | I, "what the segment is for")
        .with(long_text),
};

result<void> validate_segment(Write& w, Segment& v, const Segment*) {
    CRM_TRYV(check_text(w, "name", v.name, true, std::min<std::size_t>(1000, w.db.options.max_text_bytes)));
    CRM_TRYV(check_text(w, "definition", v.definition, true,
                        std::min<std::size_t>(segments::kMaxText, w.db.options.max_text_bytes)));
    CRM_TRYV(check_text(w, "description", v.description));
    CRM_TRYV(segments::prepare(w.db, v.definition, "definition"));
    return ok();
}

const KindDef<Segment> kSegment{Entity::segment, "segment", "segments", "segments", 13, kSegmentFields, {},
                                &validate_segment};
}  // namespace

template <> const KindDef<Segment>& kind_def<Segment>() noexcept { return kSegment; }
const KindEntry& segment_kind() { return entry<Segment>(); }

}  // namespace records

CRM_RECORD_KIND(Segment);

Segments Db::segments() noexcept { return Segments(impl_.get()); }

namespace segments {
namespace {

using nlohmann::json;

struct Options {
    Id after = 0;
    std::size_t limit = 0;  // 0: count only
};

result<Options> page_options(const ListOptions& o) {
    if (!o.where.empty()) return invalid("where", "a segment's members are chosen by its expression, not by filters");
    if (!(o.order_by.empty() || o.order_by == "id") || o.descending)
        return invalid("order_by", "a segment's members come in ascending id order");
    if (o.limit == 0 || o.limit > 10000) return invalid("limit", "must be between 1 and 10000");
    Options r;
    r.limit = o.limit;
    if (!o.after.empty()) {
        std::int64_t v = 0;
        const bool digits = o.after.size() <= 18 &&
                            std::all_of(o.after.begin(), o.after.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) v = std::stoll(o.after);
        if (!digits || v <= 0) return invalid("after", "is not a cursor returned by a previous page");
        r.after = v;
    }
    return r;
}

void behaviour_leaves(const Node& n, std::vector<const Node*>& out) {
    if (n.type == Node::Type::count || n.type == Node::Type::deal || n.type == Node::Type::came_from) out.push_back(&n);
    for (const auto& k : n.kids) behaviour_leaves(k, out);
}

bool needs_account(const Node& n) {
    if (n.type == Node::Type::attr && n.on_account) return true;
    return std::any_of(n.kids.begin(), n.kids.end(), needs_account);
}

struct AsOf {
    DbImpl& db;
    std::unordered_map<const Node*, std::unordered_set<Id>> sets;
    Timestamp at = 0;
    // Score predicates: one scorer per node (the model version current at `at`).
    std::unordered_map<const Node*, scoring::ScorerAt> scorers;
    std::optional<error> failure;  // a score that could not be computed

    bool score(const Node& n, Id id) {
        if (failure) return false;
        auto it = scorers.find(&n);
        if (it == scorers.end()) {
            auto s = scoring::scorer_at(db, n.model, at);
            if (!s) {
                failure = s.error();
                return false;
            }
            it = scorers.emplace(&n, std::move(s.value())).first;
        }
        auto r = it->second(id);
        if (!r) {
            failure = r.error();
            return false;
        }
        return r.value() && score_matches(n, *r.value());
    }

    bool eval(const Node& n, Id id, const json& c, const json* a) {
        switch (n.type) {
            case Node::Type::and_:
                for (const auto& k : n.kids)
                    if (!eval(k, id, c, a)) return false;
                return true;
            case Node::Type::or_:
                for (const auto& k : n.kids)
                    if (eval(k, id, c, a)) return true;
                return false;
            case Node::Type::not_: return !eval(n.kids.front(), id, c, a);
            case Node::Type::attr: return eval_attr(db, n, c, a);
            case Node::Type::score: return score(n, id);
            case Node::Type::came_from: {
                const auto it = c.find("lead_source");
                if (it != c.end() && it->is_string() && it->get<std::string>() == n.values.front().text) return true;
                return sets[&n].count(id) > 0;
            }
            default: return sets[&n].count(id) > 0;
        }
    }
};

// The members (ids > opt.after, at most opt.limit + 1 of them; all when opt.limit
// is 0) and their number. as_of: at that time, on as-of documents.
result<std::vector<Id>> members(DbImpl& db, const Parsed& p, const Options& opt, Timestamp as_of,
                                std::int64_t* count, std::vector<std::string>* as_of_docs) {
    if (as_of == 0) {
        CRM_TRY(auto q, store::compile_segment(db, p.root, db.now()));
        if (count) *count = store::segment_count(db, q);
        if (opt.limit == 0) return std::vector<Id>{};
        return store::segment_ids(db, q, opt.after, opt.limit + 1);
    }
    CRM_TRYV(records::check_time("as_of", as_of));
    const auto candidates = store::contact_ids_ever(db, opt.after);
    AsOf ev{db, {}, as_of, {}, {}};
    std::vector<const Node*> leaves;
    behaviour_leaves(p.root, leaves);
    for (const Node* leaf : leaves) {
        CRM_TRY(auto q, store::compile_segment(db, *leaf, as_of, true));
        const auto ids = store::segment_filter_ids(db, q, candidates);
        ev.sets[leaf] = std::unordered_set<Id>(ids.begin(), ids.end());
    }
    const bool accounts = needs_account(p.root);
    const auto& contact_ops = records::find(Entity::contact)->ops;
    const auto& account_ops = records::find(Entity::account)->ops;
    std::unordered_map<Id, std::optional<json>> account_cache;
    std::vector<Id> out;
    std::int64_t n = 0;
    for (Id id : candidates) {
        auto doc = contact_ops.get_as_of(db, id, as_of);
        if (!doc) {
            if (doc.error().code == errc::not_found) continue;  // not yet made, or already deleted, at that time
            return doc.error();
        }
        const json c = json::parse(doc.value());
        const json* a = nullptr;
        if (accounts) {
            const auto it = c.find("account_id");
            if (it != c.end() && it->is_number_integer()) {
                const Id aid = it->get<Id>();
                auto cached = account_cache.find(aid);
                if (cached == account_cache.end()) {
                    auto ad = account_ops.get_as_of(db, aid, as_of);
                    if (!ad && ad.error().code != errc::not_found) return ad.error();
                    cached = account_cache.emplace(aid, ad ? std::optional<json>(json::parse(ad.value())) : std::nullopt).first;
                }
                if (cached->second) a = &*cached->second;
            }
        }
        const bool member = ev.eval(p.root, id, c, a);
        if (ev.failure) return *ev.failure;
        if (!member) continue;
        ++n;
        if (opt.limit) {
            out.push_back(id);
            if (as_of_docs) as_of_docs->push_back(doc.value());
            if (out.size() == opt.limit + 1) break;
        }
    }
    if (count) *count = n;
    return out;
}

template <class T>
Page<T> finish(std::vector<T> items, const std::vector<Id>& ids, std::size_t limit) {
    Page<T> page;
    if (ids.size() > limit) {
        items.resize(limit);
        page.next = std::to_string(ids[limit - 1]);
    }
    page.items = std::move(items);
    return page;
}

}  // namespace
}  // namespace segments

result<std::vector<SegmentIssue>> Segments::validate(std::string_view expr) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<SegmentIssue>> {
        auto r = segments::parse(expr);
        if (!r.parsed) return std::vector<SegmentIssue>{r.issue};
        return segments::check(*db_, r.parsed->root);
    });
}

result<Id> Segments::define(const Segment& s) noexcept { return create(s); }

result<Segment> Segments::get_by_name(const std::string& name) noexcept {
    if (!db_) return records::closed();
    ListOptions o;
    o.where = {Filter{"name", Op::eq, name}};
    o.limit = 1;
    CRM_TRY(auto page, list(o));
    if (page.items.empty()) return make_error(errc::not_found, fmt::format("no segment named '{}'", name), "name");
    return std::move(page.items.front());
}

result<void> Segments::remove_by_name(const std::string& name) noexcept {
    CRM_TRY(auto s, get_by_name(name));
    return remove(s.id);
}

namespace {
result<std::string> definition_of(DbImpl& db, Id segment_id) {
    CRM_TRY(Segment s, records::load_full<Segment>(db, segment_id));
    return s.definition;
}
}  // namespace

result<std::int64_t> Segments::count(Id segment_id, const SegmentEval& e) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::int64_t> {
        CRM_TRY(auto text, definition_of(*db_, segment_id));
        CRM_TRY(auto p, segments::prepare(*db_, text, "definition"));
        std::int64_t n = 0;
        CRM_TRYV(segments::members(*db_, p, {}, e.as_of, &n, nullptr));
        return n;
    });
}

result<std::int64_t> Segments::count_expr(std::string_view expr, const SegmentEval& e) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::int64_t> {
        CRM_TRY(auto p, segments::prepare(*db_, expr, "expr"));
        std::int64_t n = 0;
        CRM_TRYV(segments::members(*db_, p, {}, e.as_of, &n, nullptr));
        return n;
    });
}

namespace {
result<Page<Id>> ids_page(DbImpl& db, std::string_view expr, const char* field, const ListOptions& o,
                          const SegmentEval& e) {
    CRM_TRY(auto opt, segments::page_options(o));
    CRM_TRY(auto p, segments::prepare(db, expr, field));
    CRM_TRY(auto ids, segments::members(db, p, opt, e.as_of, nullptr, nullptr));
    return segments::finish(ids, ids, opt.limit);
}

result<Page<Contact>> contacts_page(DbImpl& db, std::string_view expr, const char* field, const ListOptions& o,
                                    const SegmentEval& e) {
    CRM_TRY(auto opt, segments::page_options(o));
    CRM_TRY(auto p, segments::prepare(db, expr, field));
    std::vector<std::string> docs;
    CRM_TRY(auto ids, segments::members(db, p, opt, e.as_of, nullptr, &docs));
    std::vector<Contact> items;
    if (e.as_of == 0) {
        std::vector<Id> shown(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), opt.limit)));
        items = records::load_all<Contact>(db, shown);
    } else {
        for (std::size_t i = 0; i < docs.size() && i < opt.limit; ++i) {
            CRM_TRY(Contact c, from_json<Contact>(docs[i]));
            items.push_back(std::move(c));
        }
    }
    return segments::finish(std::move(items), ids, opt.limit);
}
}  // namespace

result<Page<Id>> Segments::contact_ids(Id segment_id, const ListOptions& o, const SegmentEval& e) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Page<Id>> {
        CRM_TRY(auto text, definition_of(*db_, segment_id));
        return ids_page(*db_, text, "definition", o, e);
    });
}

result<Page<Id>> Segments::contact_ids_expr(std::string_view expr, const ListOptions& o, const SegmentEval& e) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Page<Id>> { return ids_page(*db_, expr, "expr", o, e); });
}

result<Page<Contact>> Segments::contacts(Id segment_id, const ListOptions& o, const SegmentEval& e) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Page<Contact>> {
        CRM_TRY(auto text, definition_of(*db_, segment_id));
        return contacts_page(*db_, text, "definition", o, e);
    });
}

result<Page<Contact>> Segments::contacts_expr(std::string_view expr, const ListOptions& o, const SegmentEval& e) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<Page<Contact>> { return contacts_page(*db_, expr, "expr", o, e); });
}

}  // namespace crm
