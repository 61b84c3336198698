// Segments: a checked expression (segments/ast.hpp) compiled to one SQL condition on
// a row of `contacts`. Attribute predicates are the list filters' conditions
// (filter_sql, built from the descriptors); an account's are under an EXISTS on the
// contact's account; behaviour predicates are EXISTS / bounded COUNT subqueries on
// interaction_links, interactions, email_events and deals. Only fixed column
// names reach the SQL text: every value from the expression is a bound parameter.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "records/registry.hpp"
#include "segments/segments_internal.hpp"
#include "store/bind.hpp"

namespace crm::store {

namespace {

using segments::AttrOp;
using segments::Cmp;
using segments::Node;
using segments::Window;

Op op_of(Cmp c) {
    switch (c) {
        case Cmp::eq: return Op::eq;
        case Cmp::ne: return Op::ne;
        case Cmp::lt: return Op::lt;
        case Cmp::le: return Op::le;
        case Cmp::gt: return Op::gt;
        case Cmp::ge: return Op::ge;
    }
    return Op::eq;
}

// The glob of a clause as a LIKE pattern: '*' -> '%', '?' -> '_', LIKE's own characters escaped.
std::string like_of_glob(const std::string& g) {
    std::string out;
    for (char c : g) {
        if (c == '*') out += '%';
        else if (c == '?') out += '_';
        else {
            if (c == '%' || c == '_' || c == '\\') out += '\\';
            out += c;
        }
    }
    return out;
}

struct Range {
    std::int64_t lo, hi;  // inclusive
};

// The times a window covers, evaluated at `at`.
Range range_of(const Window& w, Timestamp at) {
    Range r{std::numeric_limits<std::int64_t>::min(), at};
    if (w.kind == Window::Kind::last) r.lo = at - w.last_ms + 1;
    if (w.kind == Window::Kind::between) {
        r.lo = w.from;
        r.hi = std::min<std::int64_t>(at, w.to - 1);
    }
    return r;
}

struct Compiler {
    DbImpl& db;
    Timestamp at;
    bool behaviour_only;
    SegmentSql out;

    void bind(std::int64_t v) { out.binds.emplace_back(v); }
    void bind(std::string v) { out.binds.emplace_back(std::move(v)); }

    result<void> attr(const Node& n, std::string& sql) {
        if (behaviour_only) {
            sql += "1";
            return ok();
        }
        const auto& k = *records::find(n.on_account ? Entity::account : Entity::contact);
        std::string cond;
        const bool tags = n.field == "tags" || n.field == "tag";
        if (tags && n.op == AttrOp::exists) {
            cond = fmt::format("EXISTS (SELECT 1 FROM record_tags r WHERE r.entity = ? AND r.record_id = {}.id)", k.table);
            bind(std::string(k.info.name));
        } else {
            std::vector<Filter> filters;
            for (const auto& v : n.values) {
                Filter f{tags ? "tag" : n.field, Op::eq, v.text};
                switch (n.op) {
                    case AttrOp::cmp: f.op = op_of(n.cmp); break;
                    case AttrOp::contains: f.op = Op::contains; break;
                    case AttrOp::starts_with: f.op = Op::prefix; break;
                    default: break;  // in, has: equality
                }
                filters.push_back(std::move(f));
            }
            if (n.op == AttrOp::exists) filters.push_back(Filter{n.field, Op::not_null, ""});
            if (filters.size() > 1) cond += "(";
            for (std::size_t i = 0; i < filters.size(); ++i) {
                if (i) cond += " OR ";
                CRM_TRYV(filter_sql(db, k, filters[i], cond, out.binds));
            }
            if (filters.size() > 1) cond += ")";
        }
        if (n.on_account)
            sql += "EXISTS (SELECT 1 FROM accounts WHERE accounts.id = contacts.account_id AND " + cond + ")";
        else
            sql += cond;
        return ok();
    }

    void count(const Node& n, std::string& sql) {
        const Range r = range_of(n.window, at);
        const bool events = !n.event.empty();
        // Email events exist only on emails (Interactions::track refuses other kinds): counting
        // them needs the interaction row only for clauses on it.
        const bool join_i = (!events && n.kind != "any") || n.direction || n.subject_glob ||
                            (n.url_glob && !events) || n.campaign || n.source;
        std::string q = "(SELECT count(*) FROM (SELECT 1 FROM interaction_links l";
        if (join_i) q += " JOIN interactions i ON i.id = l.interaction_id";
        if (events) q += " JOIN email_events e ON e.interaction_id = l.interaction_id";
        q += " WHERE l.entity = 'contact' AND l.record_id = contacts.id";
        if (events) {
            q += " AND l.occurred_at <= ? AND e.event = ? AND e.occurred_at >= ? AND e.occurred_at <= ?"
                 // The event's recipient: the contact holding its address, or the email's only contact.
                 " AND (lower(e.address) IN (SELECT ce.address_norm FROM contact_emails ce WHERE ce.contact_id = contacts.id)"
                 " OR NOT EXISTS (SELECT 1 FROM interaction_links o WHERE o.interaction_id = l.interaction_id"
                 " AND o.entity = 'contact' AND o.record_id <> contacts.id))";
            bind(r.hi);
            bind(n.event);
            bind(r.lo);
            bind(r.hi);
        } else {
            q += " AND l.occurred_at >= ? AND l.occurred_at <= ?";
            bind(r.lo);
            bind(r.hi);
        }
        if (n.kind != "any" && !events) {
            q += " AND i.kind = ?";
            bind(n.kind);
        }
        if (n.direction) {
            q += " AND i.direction = ?";
            bind(*n.direction);
        }
        if (n.subject_glob) {
            q += " AND i.subject LIKE ? ESCAPE '\\'";
            bind(like_of_glob(*n.subject_glob));
        }
        if (n.url_glob) {
            q += events ? " AND e.url LIKE ? ESCAPE '\\'" : " AND i.url LIKE ? ESCAPE '\\'";
            bind(like_of_glob(*n.url_glob));
        }
        if (n.campaign) {
            q += " AND i.subject = ?";
            bind(*n.campaign);
        }
        if (n.source) {
            q += " AND i.source = ?";
            bind(*n.source);
        }
        // Counting stops one past the number compared with: every comparison keeps its answer.
        q += " LIMIT ?))";
        bind(n.number + 1);
        sql += q + " " + segments::to_string(n.cmp) + " ?";
        bind(n.number);
    }

    void came_from(const Node& n, std::string& sql) {
        const std::string& name = n.values.front().text;
        sql += "(";
        if (!behaviour_only) {
            sql += "contacts.lead_source = ? OR ";
            bind(name);
        }
        sql += "EXISTS (SELECT 1 FROM deals d JOIN campaigns cp ON cp.id = d.campaign_id WHERE d.contact_id = contacts.id"
               " AND cp.name = ? AND d.created_at <= ?)"
               " OR EXISTS (SELECT 1 FROM interaction_links l JOIN interactions i ON i.id = l.interaction_id"
               " WHERE l.entity = 'contact' AND l.record_id = contacts.id AND l.occurred_at <= ?"
               " AND i.kind = 'event_attendance' AND i.subject = ?))";
        bind(name);
        bind(at);
        bind(at);
        bind(name);
    }

    void deal(const Node& n, std::string& sql) {
        const Range r = range_of(n.window, at);
        std::string q = "EXISTS (SELECT 1 FROM deals d WHERE d.contact_id = contacts.id AND d.created_at <= ?";
        bind(at);
        if (n.status == "open") {
            // Open at `at`: made by then, and not closed by then.
            q += " AND (d.status = 'open' OR coalesce(d.closed_at, 0) > ?) AND d.created_at >= ? AND d.created_at <= ?";
            bind(at);
            bind(r.lo);
            bind(r.hi);
        } else if (n.status == "any") {
            q += " AND d.created_at >= ? AND d.created_at <= ?";
            bind(r.lo);
            bind(r.hi);
        } else {
            q += " AND d.status = ? AND d.closed_at >= ? AND d.closed_at <= ?";
            bind(n.status);
            bind(r.lo);
            bind(r.hi);
        }
        sql += q + ")";
    }

    // score(MODEL).output …: the contact's stored score under the model (scores, kept
    // current by every write that moves it). No stored score: false, as an unset field.
    void score(const Node& n, std::string& sql) {
        std::string q = "EXISTS (SELECT 1 FROM scores s WHERE s.contact_id = contacts.id AND s.model_id = ? AND ";
        bind(static_cast<std::int64_t>(n.model_id));
        const bool ne = n.op == AttrOp::cmp && n.cmp == Cmp::ne;
        if (segments::score_number_output(n.output)) {
            // The column name is one of three fixed names chosen here, never the input.
            const char* col = n.output == "fit" ? "s.fit" : n.output == "engagement" ? "s.engagement" : "s.total";
            q += fmt::format("{} {} ?", col, segments::to_string(n.cmp));
            bind(n.milli);
        } else if (n.output == "grade" || n.output == "trend") {
            q += n.output == "grade" ? "s.grade" : "s.trend";
            q += ne ? " NOT IN (" : " IN (";
            for (std::size_t i = 0; i < n.values.size(); ++i) {
                q += i ? ",?" : "?";
                bind(n.values[i].text);
            }
            q += ")";
        } else {
            // fit_grade / engagement_grade: the bands as ranges of the stored value.
            const char* col = n.output == "fit_grade" ? "s.fit" : "s.engagement";
            std::string any = "(";
            for (std::size_t i = 0; i < n.ranges.size(); ++i) {
                const auto& r = n.ranges[i];
                if (i) any += " OR ";
                any += fmt::format("({} BETWEEN ? AND ?", col);
                bind(r.lo);
                bind(r.hi);
                if (r.disqualified >= 0) {
                    any += " AND s.disqualified = ?";
                    bind(static_cast<std::int64_t>(r.disqualified));
                }
                any += ")";
            }
            if (n.ranges.empty()) any += "0";
            any += ")";
            q += ne ? "NOT " + any : any;
        }
        sql += q + ")";
    }

    result<void> node(const Node& n, std::string& sql) {
        switch (n.type) {
            case Node::Type::and_:
            case Node::Type::or_: {
                sql += "(";
                for (std::size_t i = 0; i < n.kids.size(); ++i) {
                    if (i) sql += n.type == Node::Type::and_ ? " AND " : " OR ";
                    CRM_TRYV(node(n.kids[i], sql));
                }
                sql += ")";
                return ok();
            }
            case Node::Type::not_:
                sql += "NOT (";
                CRM_TRYV(node(n.kids.front(), sql));
                sql += ")";
                return ok();
            case Node::Type::attr: return attr(n, sql);
            case Node::Type::count: count(n, sql); return ok();
            case Node::Type::came_from: came_from(n, sql); return ok();
            case Node::Type::deal: deal(n, sql); return ok();
            case Node::Type::score:
                if (behaviour_only) sql += "1";
                else score(n, sql);
                return ok();
        }
        return ok();
    }
};

}  // namespace

result<SegmentSql> compile_segment(DbImpl& db, const Node& root, Timestamp at, bool behaviour_only) {
    Compiler c{db, at, behaviour_only, {}};
    CRM_TRYV(c.node(root, c.out.where));
    return std::move(c.out);
}

// Segment queries are not kept in the statement cache: each expression is its own text.
std::int64_t segment_count(DbImpl& db, const SegmentSql& q) {
    SQLite::Statement s(*db.conn, "SELECT count(*) FROM contacts WHERE " + q.where);
    bind_values(s, q.binds);
    s.executeStep();
    return s.getColumn(0).getInt64();
}

std::vector<Id> segment_ids(DbImpl& db, const SegmentSql& q, Id after, std::size_t limit) {
    SQLite::Statement s(*db.conn, "SELECT id FROM contacts WHERE id > ? AND (" + q.where + ") ORDER BY id LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(after));
    int i = 2;
    for (const auto& b : q.binds) {
        if (auto* t = std::get_if<std::string>(&b)) s.bind(i, *t);
        else if (auto* n = std::get_if<std::int64_t>(&b)) s.bind(i, static_cast<std::int64_t>(*n));
        else s.bind(i);
        ++i;
    }
    s.bind(i, static_cast<std::int64_t>(limit));
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    return out;
}

std::vector<Id> segment_filter_ids(DbImpl& db, const SegmentSql& q, const std::vector<Id>& candidates) {
    SQLite::Statement s(*db.conn, "SELECT contacts.id FROM (SELECT value AS id FROM json_each(?)) AS contacts WHERE " +
                                      q.where + " ORDER BY contacts.id");
    const std::string ids = id_array_json(candidates);
    s.bind(1, ids);
    int i = 2;
    for (const auto& b : q.binds) {
        if (auto* t = std::get_if<std::string>(&b)) s.bind(i, *t);
        else if (auto* n = std::get_if<std::int64_t>(&b)) s.bind(i, static_cast<std::int64_t>(*n));
        else s.bind(i);
        ++i;
    }
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    return out;
}

std::vector<Id> contact_ids_ever(DbImpl& db, Id after) {
    auto& s = db.stmt(
        "SELECT id FROM contacts WHERE id > ?1 UNION SELECT record_id FROM history WHERE entity = 'contact' AND "
        "op = 'delete' AND record_id > ?1 ORDER BY 1");
    s.bind(1, static_cast<std::int64_t>(after));
    std::vector<Id> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
    s.reset();
    return out;
}

}  // namespace crm::store
