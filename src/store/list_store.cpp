// Lists: filters, sorting and keyset paging over the fields a kind's descriptor
// allows (FieldCap cap_filter / cap_sort). Only the descriptors' fixed column
// names reach the SQL text; every value from the caller is bound.
//
// A comparison (= != < <= > >= ~ ^=) never matches a field that is unset (NULL,
// empty text, no elements): "field?" and "!field" ask for presence. A filter on a
// multi-valued field (a contact's emails and phones, an interaction's contacts)
// matches when any element does, and != when the field has elements and none
// equals the value; emails compare case-insensitively, as their unique index
// does. Tags are membership: "tag=x" has the tag, "tag!=x" has not (untagged
// records included).
#include <nlohmann/json.hpp>

#include <charconv>

#include <fmt/format.h>

#include "json/parse.hpp"
#include "records/registry.hpp"
#include "store/bind.hpp"
#include "store/entity_store.hpp"
#include "store/filter_sql.hpp"
#include "util/text.hpp"

namespace crm::store {

namespace {

using records::FieldView;
using records::Shape;

enum class Kind { text, integer, boolean, time };

result<Bound> convert(const std::string& field, Kind kind, const std::string& v) {
    switch (kind) {
        case Kind::text: return Bound(v);
        case Kind::integer: {
            std::int64_t n = 0;
            auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (v.empty() || ec != std::errc() || end != v.data() + v.size())
                return invalid(field, fmt::format("'{}' is not a 64-bit integer", v));
            return Bound(n);
        }
        case Kind::boolean:
            if (v == "true" || v == "1" || v == "yes") return Bound(std::int64_t{1});
            if (v == "false" || v == "0" || v == "no") return Bound(std::int64_t{0});
            return invalid(field, fmt::format("'{}' is not true or false", v));
        case Kind::time: {
            auto t = parse_iso8601(v);
            if (!t) return invalid(field, fmt::format("'{}' is not an ISO-8601 date or time", v));
            return Bound(static_cast<std::int64_t>(*t));
        }
    }
    return invalid(field, "unsupported");
}

std::string like_escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

const char* compare_op(Op op) {
    switch (op) {
        case Op::eq: return " = ";
        case Op::ne: return " <> ";
        case Op::lt: return " < ";
        case Op::le: return " <= ";
        case Op::gt: return " > ";
        case Op::ge: return " >= ";
        default: return nullptr;
    }
}

// What a filter or sort key refers to: a column (or a lower-cased copy), or the
// rows of a child table.
struct Target {
    std::string expr;   // SQL expression over the kind's table, or over child rows "c.<column>"
    Kind kind = Kind::text;
    bool text_unset_is_empty = false;  // a text column where '' means unset
    const records::ChildColumn* child = nullptr;
    bool lower = false;                // compare with the lower-cased value
};

Kind kind_of(const FieldView& f) {
    switch (f.shape) {
        case Shape::integer: case Shape::opt_integer: case Shape::money: case Shape::opt_money: return Kind::integer;
        case Shape::boolean: return Kind::boolean;
        case Shape::time: case Shape::opt_time: return Kind::time;
        case Shape::ids: return Kind::integer;
        default: return Kind::text;
    }
}

// Resolves a filter / sort name: a field's key or short name; "<money>.currency"
// (or "currency" where the kind has one amount); "<money>.amount".
std::optional<Target> resolve(const records::KindEntry& k, const std::string& name) {
    const FieldView* f = k.field(name);
    bool currency = false;
    if (!f) {
        const auto dot = name.rfind('.');
        if (dot != std::string::npos) {
            const std::string base = name.substr(0, dot), part = name.substr(dot + 1);
            const FieldView* m = k.field(base);
            if (m && (m->shape == Shape::money || m->shape == Shape::opt_money) && (part == "amount" || part == "currency")) {
                f = m;
                currency = part == "currency";
            }
        }
        if (!f && name == "currency") {
            for (const auto& x : k.fields)
                if ((x.shape == Shape::money || x.shape == Shape::opt_money) && x.column) {
                    if (f) return std::nullopt;  // two amounts: say which
                    f = &x;
                }
            currency = f != nullptr;
        }
    }
    if (!f) return std::nullopt;
    Target t;
    t.kind = currency ? Kind::text : kind_of(*f);
    if (f->child) {
        t.child = f->child;
        t.expr = std::string("c.") + f->child->column;
        t.lower = f->child->lower;
        t.text_unset_is_empty = t.kind == Kind::text;
        return t;
    }
    if (!f->column) return std::nullopt;
    if (currency) t.expr = f->column2;
    else if (f->shape == Shape::text && (f->opts & records::lower_copy) && f->column2) {
        t.expr = f->column2;
        t.lower = true;
    } else t.expr = f->column;
    t.text_unset_is_empty = t.kind == Kind::text;
    return t;
}

// Appends the condition of one filter on a resolved target and records its bound values.
result<void> add_condition(std::string& sql, std::vector<Bound>& binds, const Target& t, const Filter& f) {
    std::string value = t.lower ? text::ascii_lower(text::trim(f.value)) : f.value;
    const std::string& e = t.expr;
    std::string cond;
    switch (f.op) {
        case Op::is_null:
        case Op::not_null:
            cond = t.text_unset_is_empty ? "(" + e + " IS NOT NULL AND " + e + " <> '')" : e + " IS NOT NULL";
            break;
        case Op::contains:
        case Op::prefix:
            if (t.kind != Kind::text) return invalid(f.field, "contains/prefix work on text fields only");
            cond = e + " LIKE ? ESCAPE '\\'";
            binds.emplace_back((f.op == Op::contains ? "%" : "") + like_escape(value) + "%");
            break;
        default: {
            CRM_TRY(auto b, convert(f.field, t.kind, value));
            cond = e + compare_op(f.op) + "?";
            if (t.text_unset_is_empty) cond = "(" + e + " <> '' AND " + cond + ")";
            binds.push_back(std::move(b));
        }
    }
    if (!t.child) {
        if (f.op == Op::is_null) cond = "NOT " + cond;
        sql += cond;
        return ok();
    }
    // Multi-valued: any element matches; != means no element equals; !field means none.
    const bool negate = f.op == Op::is_null || f.op == Op::ne;
    if (f.op == Op::ne) {  // rebuild as an equality under NOT EXISTS
        cond = e + " = ?";
    }
    std::string sub = fmt::format("EXISTS (SELECT 1 FROM {} c WHERE c.{} = {{table}}.id", t.child->table, t.child->owner);
    std::string where;
    if (t.child->kind_column) where = fmt::format(" AND c.{} = '{}'", t.child->kind_column, t.child->kind_value);
    if (f.op == Op::ne) {  // set (some element), and no element equals the value
        sql += "(" + sub + where + ") AND NOT " + sub + where + " AND " + cond + "))";
        return ok();
    }
    sql += (negate ? "NOT " : "") + sub + where + " AND " + cond + ")";
    return ok();
}

struct Where {
    std::string sql;  // " WHERE …" or empty
    std::vector<Bound> binds;
};

result<Where> build_where(DbImpl& db, const records::KindEntry& k, const std::vector<Filter>& where) {
    Where w;
    for (const auto& f : where) {
        w.sql += w.sql.empty() ? " WHERE " : " AND ";
        CRM_TRYV(filter_sql(db, k, f, w.sql, w.binds));
    }
    return w;
}

void bind_all(SQLite::Statement& s, const std::vector<Bound>& binds) {
    int i = 1;
    for (const auto& b : binds) {
        if (auto* t = std::get_if<std::string>(&b)) s.bind(i, *t);
        else if (auto* n = std::get_if<std::int64_t>(&b)) s.bind(i, static_cast<std::int64_t>(*n));
        else s.bind(i);
        ++i;
    }
}

const records::KindEntry& kind(Entity e) {
    const auto* k = records::find(e);
    if (!k) throw std::logic_error("not an entity kind");
    return *k;
}

}  // namespace

result<void> filter_sql(DbImpl& db, const records::KindEntry& k, const Filter& f, std::string& sql,
                        std::vector<Bound>& binds) {
    const std::string table = k.table;
    if (f.field == "tag" || f.field == "tags") {
        if (f.op != Op::eq && f.op != Op::ne) return invalid("tag", "tags can be filtered with = or != only");
        sql += f.op == Op::eq ? "EXISTS" : "NOT EXISTS";
        sql += fmt::format(
            " (SELECT 1 FROM record_tags r JOIN tags t ON t.id = r.tag_id WHERE r.entity = ? "
            "AND r.record_id = {}.id AND t.name = ?)", table);
        binds.emplace_back(std::string(k.info.name));
        binds.emplace_back(text::trim(f.value));
        return ok();
    }
    if (f.field.rfind("custom.", 0) == 0) {
        const std::string name = f.field.substr(7);
        auto def = load_def(db, k.info.entity, name);
        if (!def)
            return invalid(f.field, fmt::format("no custom field '{}' is defined for {}", name, k.info.name));
        const std::string exists = fmt::format(
            "EXISTS (SELECT 1 FROM custom_values v WHERE v.entity = ? AND v.record_id = {}.id AND v.field_id = ?",
            table);
        binds.emplace_back(std::string(k.info.name));
        binds.emplace_back(static_cast<std::int64_t>(def->id));
        if (f.op == Op::is_null || f.op == Op::not_null) {
            sql += (f.op == Op::is_null ? "NOT " : "") + exists + ")";
            return ok();
        }
        sql += exists + " AND ";
        if (def->type == FieldType::decimal && f.op != Op::contains && f.op != Op::prefix) {
            if (!text::valid_decimal(f.value)) return invalid(f.field, fmt::format("'{}' is not a decimal", f.value));
            sql += std::string("CAST(v.value AS REAL)") + compare_op(f.op) + "CAST(? AS REAL))";
            binds.emplace_back(f.value);
            return ok();
        }
        Target t;
        t.expr = "v.value";
        t.kind = def->type == FieldType::integer ? Kind::integer
               : def->type == FieldType::boolean ? Kind::boolean : Kind::text;
        CRM_TRYV(add_condition(sql, binds, t, f));
        sql += ")";
        return ok();
    }
    auto t = resolve(k, f.field);
    const FieldView* fv = k.field(f.field);
    if (!t || (fv && !fv->info->has(cap_filter)))
        return invalid(f.field, fmt::format("{} has no field '{}' to filter on", k.info.name, f.field));
    std::string cond;
    CRM_TRYV(add_condition(cond, binds, *t, f));
    // The child subquery names the kind's table: put it in now that it is known.
    for (auto p = cond.find("{table}"); p != std::string::npos; p = cond.find("{table}")) cond.replace(p, 7, table);
    sql += cond;
    return ok();
}

void bind_values(SQLite::Statement& s, const std::vector<Bound>& binds) { bind_all(s, binds); }

result<IdPage> list_ids(DbImpl& db, Entity e, const ListOptions& o) {
    const auto& k = kind(e);
    if (o.limit == 0 || o.limit > 10000) return invalid("limit", "must be between 1 and 10000");
    const std::string order = o.order_by.empty() ? "id" : o.order_by;
    const FieldView* fv = k.field(order);
    auto sort = resolve(k, order);
    if (!sort || sort->child || (fv && !fv->info->has(cap_sort)))
        return invalid("order_by", fmt::format("{} cannot be sorted by '{}'", k.info.name, o.order_by));
    CRM_TRY(auto w, build_where(db, k, o.where));
    // NULLs sort as the smallest value; the key is (sort expression, id).
    const bool text_key = sort->kind == Kind::text;
    const std::string key = text_key ? fmt::format("coalesce({}, '')", sort->expr)
                                     : fmt::format("coalesce({}, -9223372036854775807)", sort->expr);
    std::string sql = fmt::format("SELECT id, {} FROM {}{}", key, k.table, w.sql);
    if (!o.after.empty()) {
        // Caller text: the strict reader (depth, duplicate keys) like every other input.
        auto parsed = json::parse_text(o.after, "after");
        const nlohmann::json c = parsed ? std::move(parsed).value() : nlohmann::json();
        if (!c.is_array() || c.size() != 2 || !c[1].is_number_integer() ||
            !(text_key ? c[0].is_string() : c[0].is_number_integer()))
            return invalid("after", "is not a cursor returned by a previous page");
        sql += w.sql.empty() ? " WHERE " : " AND ";
        sql += fmt::format("({}, id) {} (?, ?)", key, o.descending ? "<" : ">");
        if (c[0].is_string()) w.binds.emplace_back(c[0].get<std::string>());
        else w.binds.emplace_back(c[0].get<std::int64_t>());
        w.binds.emplace_back(c[1].get<std::int64_t>());
    }
    const char* dir = o.descending ? "DESC" : "ASC";
    sql += fmt::format(" ORDER BY {} {}, id {} LIMIT ?", key, dir, dir);
    w.binds.emplace_back(static_cast<std::int64_t>(o.limit + 1));

    auto& s = db.stmt(sql);
    bind_all(s, w.binds);
    IdPage page;
    nlohmann::json last;
    while (s.executeStep()) {
        if (page.ids.size() == o.limit) {
            page.next = last.dump();
            break;
        }
        page.ids.push_back(s.getColumn(0).getInt64());
        auto col = s.getColumn(1);
        last = nlohmann::json::array(
            {text_key ? nlohmann::json(col.getString()) : nlohmann::json(col.getInt64()), page.ids.back()});
    }
    s.reset();
    return page;
}

result<std::int64_t> count_ids(DbImpl& db, Entity e, const std::vector<Filter>& where) {
    const auto& k = kind(e);
    CRM_TRY(auto w, build_where(db, k, where));
    auto& s = db.stmt(fmt::format("SELECT count(*) FROM {}{}", k.table, w.sql));
    bind_all(s, w.binds);
    s.executeStep();
    std::int64_t n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

}  // namespace crm::store
