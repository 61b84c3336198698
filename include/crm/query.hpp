// crm/query.hpp — structured filters, sorting and keyset pagination for lists.
//
// Filters name a field of the entity ("lifecycle_stage", "employee_count"),
// "tag" (has that tag), or "custom.<name>". Values are always bound as SQL
// parameters; only fixed column names from an allow-list reach SQL text.
#pragma once

#include "crm/error.hpp"
#include "crm/types.hpp"

namespace crm {

enum class Op { eq, ne, lt, le, gt, ge, contains, prefix, is_null, not_null };

struct Filter {
    std::string field;
    Op op = Op::eq;
    std::string value;  // text form; converted to the field's type ("100", "true", "2026-01-01")
};

// Parse "field<op>value": = != < <= > >= ~ (contains) ^= (prefix); "field?" (not null), "!field" (is null).
result<Filter> parse_filter(const std::string& text);

struct ListOptions {
    std::vector<Filter> where;   // all must hold (AND)
    std::string order_by = "id"; // a sortable field of the entity
    bool descending = false;
    std::size_t limit = 100;     // 1 … 10000
    std::string after;           // cursor from the previous Page::next; empty = first page
};

template <class T>
struct Page {
    std::vector<T> items;
    std::string next;  // cursor for the next page; empty when this is the last page
};

}  // namespace crm
