// Checks a parsed segment expression against what the library knows: every field
// is a filterable field of the contact or the account (their descriptors,
// crm/entities.hpp) or a custom field defined for them; every value has the
// field's type; operators fit the field. All problems are reported, each with its
// position; an unknown field names the nearest existing ones.
#include <algorithm>

#include <fmt/format.h>

#include "segments/segments_internal.hpp"
#include "store/entity_store.hpp"
#include "util/text.hpp"

namespace crm::segments {

namespace {

std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t prev = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cur = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
            prev = cur;
        }
    }
    return row[b.size()];
}

struct Checker {
    DbImpl& db;
    std::vector<SegmentIssue> issues;

    void issue(const Pos& p, std::string message) {
        issues.push_back(SegmentIssue{p.offset, p.line, p.column, std::move(message)});
    }

    std::vector<std::string> field_names(const records::KindEntry& k, bool on_account) {
        std::vector<std::string> names;
        const std::string prefix = on_account ? "account." : "";
        for (const auto& f : k.fields)
            if (f.info->has(cap_filter)) names.push_back(prefix + std::string(f.info->key));
        names.push_back(prefix + "tags");
        for (const auto& d : store::cached_defs(db, k.info.entity)) names.push_back(prefix + "custom." + d.name);
        if (!on_account) names.push_back("account.…");
        return names;
    }

    void unknown_field(const Node& n, const records::KindEntry& k) {
        const std::string written = (n.on_account ? "account." : "") + n.field;
        auto names = field_names(k, n.on_account);
        std::vector<std::string> near;
        for (const auto& x : names)
            if (distance(x, written) <= std::max<std::size_t>(2, written.size() / 4)) near.push_back(x);
        std::string list;
        for (const auto& x : near.empty() ? names : near) list += (list.empty() ? "" : ", ") + x;
        issue(n.pos, fmt::format("{} has no field '{}' to filter on ({}: {})", k.info.name, n.field,
                                 near.empty() ? "the fields are" : "did you mean", list));
    }

    bool value_kind(const Node& n, Value::Kind want, const char* what) {
        bool ok = true;
        for (const auto& v : n.values)
            if (v.kind != want) {
                issue(v.pos, fmt::format("'{}' takes {}", n.field, what));
                ok = false;
            }
        return ok;
    }

    void check_integer(const Node& n) {
        if (!value_kind(n, Value::Kind::number, "an integer")) return;
        for (const auto& v : n.values)
            if (v.text.find('.') != std::string::npos) issue(v.pos, fmt::format("'{}' takes an integer, not {}", n.field, v.text));
    }

    void check_custom(const Node& n, const records::KindEntry& k) {
        const std::string name = n.field.substr(7);
        auto def = store::load_def(db, k.info.entity, name);
        if (!def) {
            unknown_field(n, k);
            return;
        }
        if (n.op == AttrOp::has) {
            issue(n.pos, fmt::format("'has' is for tags and fields with several values; use = on '{}'", n.field));
            return;
        }
        if (n.op == AttrOp::exists) return;
        const bool textual = def->type == FieldType::text || def->type == FieldType::enumeration ||
                             def->type == FieldType::date;
        if ((n.op == AttrOp::contains || n.op == AttrOp::starts_with) && !textual) {
            issue(n.pos, fmt::format("contains / starts_with work on text; '{}' is {}", n.field, to_string(def->type)));
            return;
        }
        switch (def->type) {
            case FieldType::integer: check_integer(n); break;
            case FieldType::decimal:
                if (value_kind(n, Value::Kind::number, "a number"))
                    for (const auto& v : n.values)
                        if (!text::valid_decimal(v.text)) issue(v.pos, fmt::format("'{}' is not a decimal", v.text));
                break;
            case FieldType::boolean:
                value_kind(n, Value::Kind::boolean, "true or false");
                if (n.op == AttrOp::cmp && n.cmp != Cmp::eq && n.cmp != Cmp::ne)
                    issue(n.pos, "true/false compare with = or != only");
                break;
            case FieldType::date:
                if (value_kind(n, Value::Kind::text, "a date 'YYYY-MM-DD'") && n.op != AttrOp::contains &&
                    n.op != AttrOp::starts_with)
                    for (const auto& v : n.values)
                        if (!text::valid_date(v.text)) issue(v.pos, fmt::format("'{}' is not a date YYYY-MM-DD", v.text));
                break;
            case FieldType::enumeration:
                if (value_kind(n, Value::Kind::text, "one of its options as a 'string'") &&
                    (n.op == AttrOp::cmp || n.op == AttrOp::in))
                    for (const auto& v : n.values)
                        if (std::find(def->options.begin(), def->options.end(), v.text) == def->options.end()) {
                            std::string opts;
                            for (const auto& o : def->options) opts += (opts.empty() ? "" : ", ") + o;
                            issue(v.pos, fmt::format("'{}' is not an option of {} ({})", v.text, n.field, opts));
                        }
                break;
            case FieldType::text: value_kind(n, Value::Kind::text, "a 'string'"); break;
        }
    }

    void attr(const Node& n) {
        if (n.op == AttrOp::contains || n.op == AttrOp::starts_with)
            for (const auto& v : n.values)
                if (v.text.empty()) issue(v.pos, "contains / starts_with need a non-empty 'string'");
        const auto& k = *records::find(n.on_account ? Entity::account : Entity::contact);
        if (n.field == "tags" || n.field == "tag") {
            if (n.op != AttrOp::has && n.op != AttrOp::exists)
                issue(n.pos, "tags are matched with 'has' (tags has 'セミナー') or 'tags?' (any tag)");
            else value_kind(n, Value::Kind::text, "a tag name as a 'string'");
            return;
        }
        if (n.field.rfind("custom.", 0) == 0) return check_custom(n, k);
        const records::FieldView* f = k.field(n.field);
        // money sub-fields: "annual_revenue.amount" / ".currency"
        bool currency = false;
        if (!f) {
            const auto dot = n.field.rfind('.');
            if (dot != std::string::npos) {
                const auto* m = k.field(n.field.substr(0, dot));
                const std::string part = n.field.substr(dot + 1);
                if (m && (m->shape == records::Shape::money || m->shape == records::Shape::opt_money) &&
                    (part == "amount" || part == "currency")) {
                    f = m;
                    currency = part == "currency";
                }
            }
        }
        if (!f || !f->info->has(cap_filter) || (!f->column && !f->child)) return unknown_field(n, k);
        const bool multi = f->child != nullptr;
        if (n.op == AttrOp::has && !multi) {
            issue(n.pos, fmt::format("'has' is for tags and fields with several values; use = on '{}'", n.field));
            return;
        }
        if (n.op == AttrOp::exists) return;
        using records::Shape;
        switch (f->shape) {
            case Shape::integer:
            case Shape::opt_integer:
            case Shape::money:
            case Shape::opt_money:
                if (currency) {
                    value_kind(n, Value::Kind::text, "a currency code as a 'string'");
                    break;
                }
                if (n.op == AttrOp::contains || n.op == AttrOp::starts_with) {
                    issue(n.pos, fmt::format("contains / starts_with work on text; '{}' is a number", n.field));
                    break;
                }
                check_integer(n);
                break;
            case Shape::boolean:
                if (n.op != AttrOp::cmp || (n.cmp != Cmp::eq && n.cmp != Cmp::ne)) {
                    issue(n.pos, fmt::format("'{}' is true or false: compare it with = or !=", n.field));
                    break;
                }
                value_kind(n, Value::Kind::boolean, "true or false");
                break;
            case Shape::time:
            case Shape::opt_time:
                if (n.op == AttrOp::contains || n.op == AttrOp::starts_with) {
                    issue(n.pos, fmt::format("contains / starts_with work on text; '{}' is a time", n.field));
                    break;
                }
                if (value_kind(n, Value::Kind::text, "an ISO-8601 time as a 'string'"))
                    for (const auto& v : n.values)
                        if (!parse_iso8601(v.text)) issue(v.pos, fmt::format("'{}' is not an ISO-8601 date or time", v.text));
                break;
            case Shape::enumeration:
                if (!value_kind(n, Value::Kind::text, "one of its values as a 'string'")) break;
                if (n.op == AttrOp::cmp || n.op == AttrOp::in)
                    for (const auto& v : n.values) {
                        const auto& vals = f->info->values;
                        if (std::find_if(vals.begin(), vals.end(), [&](const char* x) { return v.text == x; }) ==
                            vals.end()) {
                            std::string opts;
                            for (const char* x : vals) opts += (opts.empty() ? "" : ", ") + std::string(x);
                            issue(v.pos, fmt::format("'{}' is not a value of {} ({})", v.text, n.field, opts));
                        }
                    }
                break;
            case Shape::ids:
                if (n.op == AttrOp::contains || n.op == AttrOp::starts_with) {
                    issue(n.pos, fmt::format("contains / starts_with work on text; '{}' holds ids", n.field));
                    break;
                }
                check_integer(n);
                break;
            default:
                if (value_kind(n, Value::Kind::text, "a 'string'") && (f->opts & records::date_text) &&
                    n.op != AttrOp::contains && n.op != AttrOp::starts_with)
                    for (const auto& v : n.values)
                        if (!text::valid_date(v.text)) issue(v.pos, fmt::format("'{}' is not a date YYYY-MM-DD", v.text));
                break;
        }
    }

    void walk(const Node& n) {
        switch (n.type) {
            case Node::Type::and_:
            case Node::Type::or_:
            case Node::Type::not_:
                for (const auto& k : n.kids) walk(k);
                break;
            case Node::Type::attr: attr(n); break;
            case Node::Type::score: check_score(db, n, issues); break;
            default: break;  // behaviour predicates are fully checked by the parser
        }
    }
};

}  // namespace

std::vector<SegmentIssue> check(DbImpl& db, const Node& root) {
    Checker c{db, {}};
    c.walk(root);
    std::sort(c.issues.begin(), c.issues.end(),
              [](const SegmentIssue& a, const SegmentIssue& b) { return a.offset < b.offset; });
    return c.issues;
}

}  // namespace crm::segments
