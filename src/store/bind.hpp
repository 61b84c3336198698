// Private: small binding/reading helpers over SQLiteCpp.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

namespace crm::store {

inline void bind_opt(SQLite::Statement& s, int i, const std::optional<std::int64_t>& v) {
    if (v) s.bind(i, static_cast<std::int64_t>(*v)); else s.bind(i);
}
inline void bind_text_or_null(SQLite::Statement& s, int i, const std::string& v) {
    if (v.empty()) s.bind(i); else s.bind(i, v);
}
inline std::optional<std::int64_t> opt_int(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}
inline std::string text(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

}  // namespace crm::store
