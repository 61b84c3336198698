// Private: the SQL condition of one list filter (list_store.cpp), for other
// queries built from the descriptors (segments_store.cpp). Only the descriptors'
// fixed column names reach the SQL text; every value is appended to `binds`.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "crm/query.hpp"
#include "records/registry.hpp"
#include "store/db_impl.hpp"

namespace crm::store {

using detail::DbImpl;

// A value bound later: text, integer or null.
using Bound = std::variant<std::monostate, std::string, std::int64_t>;

// Appends the condition of `f` on a row of k's table to `sql`. Columns of k's own
// table appear unqualified (they resolve to the innermost FROM naming k.table);
// child rows, tags and custom values are subqueries on `<k.table>.id`.
result<void> filter_sql(DbImpl& db, const records::KindEntry& k, const Filter& f, std::string& sql,
                        std::vector<Bound>& binds);

// Binds values 1..n in order.
void bind_values(SQLite::Statement& s, const std::vector<Bound>& binds);

}  // namespace crm::store
