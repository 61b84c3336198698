// Private: small binding/reading helpers over SQLiteCpp.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

namespace crm::store {

inline void bind_opt(SQLite::Statement& s, int i, const std::optional<std::int64_t>& v) {
    if (v) s.bind(i, static_cast<std::int64_t>(*v)); else s.bind(i);
}
// Binds without a copy: v must live until the statement has run.
inline void bind_text_or_null(SQLite::Statement& s, int i, const std::string& v) {
    if (v.empty()) s.bind(i); else s.bindNoCopy(i, v);
}
inline std::optional<std::int64_t> opt_int(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}
inline std::string text(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

// A list of ids as one JSON array text ("[3,1,2]"), bound as a single parameter and
// read back in SQL with json_each(?): a set of values without building SQL text.
inline std::string id_array_json(const std::vector<std::int64_t>& ids) {
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    out += ']';
    return out;
}

}  // namespace crm::store
