// Lists: filters, sorting and keyset paging over an allow-list of fields.
// Only fixed SQL fragments from field_specs.cpp reach the SQL text; every
// value from the caller is bound as a parameter.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "store/bind.hpp"
#include "store/entity_store.hpp"
#include "util/text.hpp"

namespace crm::store {

namespace {

// A value bound later: text, integer or null.
using Bound = std::variant<std::monostate, std::string, std::int64_t>;

result<Bound> convert(const std::string& field, FieldKind kind, const std::string& v) {
    switch (kind) {
        case FieldKind::text: return Bound(v);
        case FieldKind::integer: {
            try {
                std::size_t used = 0;
                long long n = std::stoll(v, &used);
                if (used != v.size()) throw std::invalid_argument("x");
                return Bound(static_cast<std::int64_t>(n));
            } catch (...) {
                return invalid(field, fmt::format("'{}' is not an integer", v));
            }
        }
        case FieldKind::boolean:
            if (v == "true" || v == "1" || v == "yes") return Bound(std::int64_t{1});
            if (v == "false" || v == "0" || v == "no") return Bound(std::int64_t{0});
            return invalid(field, fmt::format("'{}' is not true or false", v));
        case FieldKind::time: {
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

// Appends "<expr> <op> ?" for one filter and records its bound values.
result<void> add_condition(std::string& sql, std::vector<Bound>& binds, const std::string& expr, FieldKind kind,
                           const Filter& f) {
    const char* cmp = nullptr;
    switch (f.op) {
        case Op::is_null: sql += "(" + expr + " IS NULL OR " + expr + " = '')"; return ok();
        case Op::not_null: sql += "(" + expr + " IS NOT NULL AND " + expr + " <> '')"; return ok();
        case Op::contains:
        case Op::prefix: {
            if (kind != FieldKind::text) return invalid(f.field, "contains/prefix work on text fields only");
            sql += expr + " LIKE ? ESCAPE '\\'";
            binds.emplace_back((f.op == Op::contains ? "%" : "") + like_escape(f.value) + "%");
            return ok();
        }
        case Op::eq: cmp = " = "; break;
        case Op::ne: cmp = " IS NOT "; break;
        case Op::lt: cmp = " < "; break;
        case Op::le: cmp = " <= "; break;
        case Op::gt: cmp = " > "; break;
        case Op::ge: cmp = " >= "; break;
    }
    CRM_TRY(auto b, convert(f.field, kind, f.value));
    sql += expr + cmp + "?";
    binds.push_back(std::move(b));
    return ok();
}

struct Where {
    std::string sql;  // " WHERE …" or empty
    std::vector<Bound> binds;
};

result<Where> build_where(DbImpl& db, Entity e, const std::vector<Filter>& where) {
    Where w;
    for (const auto& f : where) {
        w.sql += w.sql.empty() ? " WHERE " : " AND ";
        if (f.field == "tag") {
            if (f.op != Op::eq && f.op != Op::ne) return invalid("tag", "tags can be filtered with = or != only");
            w.sql += f.op == Op::eq ? "EXISTS" : "NOT EXISTS";
            w.sql += fmt::format(
                " (SELECT 1 FROM record_tags r JOIN tags t ON t.id = r.tag_id WHERE r.entity = ? "
                "AND r.record_id = {}.id AND t.name = ?)", table_name(e));
            w.binds.emplace_back(std::string(entity_name(e)));
            w.binds.emplace_back(text::trim(f.value));
            continue;
        }
        if (f.field.rfind("custom.", 0) == 0) {
            const std::string name = f.field.substr(7);
            auto def = load_def(db, e, name);
            if (!def) return invalid(f.field, fmt::format("no custom field '{}' is defined for {}", name, entity_name(e)));
            FieldKind kind = FieldKind::text;
            std::string expr = "v.value";
            if (def->type == FieldType::integer) kind = FieldKind::integer;
            else if (def->type == FieldType::boolean) kind = FieldKind::boolean;
            else if (def->type == FieldType::decimal) expr = "CAST(v.value AS REAL)";
            if (f.op == Op::is_null || f.op == Op::not_null) {
                w.sql += f.op == Op::is_null ? "NOT EXISTS" : "EXISTS";
                w.sql += fmt::format(" (SELECT 1 FROM custom_values v WHERE v.entity = ? AND v.record_id = {}.id "
                                     "AND v.field_id = ?)", table_name(e));
                w.binds.emplace_back(std::string(entity_name(e)));
                w.binds.emplace_back(static_cast<std::int64_t>(def->id));
                continue;
            }
            w.sql += fmt::format("EXISTS (SELECT 1 FROM custom_values v WHERE v.entity = ? AND v.record_id = {}.id "
                                 "AND v.field_id = ? AND ", table_name(e));
            w.binds.emplace_back(std::string(entity_name(e)));
            w.binds.emplace_back(static_cast<std::int64_t>(def->id));
            if (def->type == FieldType::decimal && f.op != Op::contains && f.op != Op::prefix) {
                if (!text::valid_decimal(f.value)) return invalid(f.field, fmt::format("'{}' is not a decimal", f.value));
                // Compare as REAL: bind the number itself.
                const char* cmp = f.op == Op::eq ? " = " : f.op == Op::ne ? " <> " : f.op == Op::lt ? " < "
                                : f.op == Op::le ? " <= " : f.op == Op::gt ? " > " : " >= ";
                w.sql += expr + cmp + "CAST(? AS REAL))";
                w.binds.emplace_back(f.value);
                continue;
            }
            CRM_TRYV(add_condition(w.sql, w.binds, expr, kind, f));
            w.sql += ")";
            continue;
        }
        const FieldSpec* spec = find_field(e, f.field);
        if (!spec) return invalid(f.field, fmt::format("{} has no field '{}' to filter on", entity_name(e), f.field));
        CRM_TRYV(add_condition(w.sql, w.binds, spec->sql, spec->kind, f));
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

}  // namespace

result<IdPage> list_ids(DbImpl& db, Entity e, const ListOptions& o) {
    if (o.limit == 0 || o.limit > 10000) return invalid("limit", "must be between 1 and 10000");
    const FieldSpec* sort = find_field(e, o.order_by.empty() ? "id" : o.order_by);
    if (!sort || !sort->sortable)
        return invalid("order_by", fmt::format("{} cannot be sorted by '{}'", entity_name(e), o.order_by));
    CRM_TRY(auto w, build_where(db, e, o.where));
    // NULLs sort as the smallest value; the key is (sort expression, id).
    const std::string key = sort->kind == FieldKind::text ? fmt::format("coalesce({}, '')", sort->sql)
                                                     : fmt::format("coalesce({}, -9223372036854775807)", sort->sql);
    std::string sql = fmt::format("SELECT id, {} FROM {}{}", key, table_name(e), w.sql);
    if (!o.after.empty()) {
        auto c = nlohmann::json::parse(o.after, nullptr, false);
        if (!c.is_array() || c.size() != 2 || !c[1].is_number_integer() || !(c[0].is_string() || c[0].is_number_integer()))
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
            {sort->kind == FieldKind::text ? nlohmann::json(col.getString()) : nlohmann::json(col.getInt64()),
             page.ids.back()});
    }
    s.reset();
    return page;
}

result<std::int64_t> count_ids(DbImpl& db, Entity e, const std::vector<Filter>& where) {
    CRM_TRY(auto w, build_where(db, e, where));
    auto& s = db.stmt(fmt::format("SELECT count(*) FROM {}{}", table_name(e), w.sql));
    bind_all(s, w.binds);
    s.executeStep();
    std::int64_t n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

}  // namespace crm::store
