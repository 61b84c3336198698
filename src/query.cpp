// Parsing of filter expressions ("employee_count>=100", "tag=vip", "name~山田").
#include <fmt/format.h>

#include "crm/query.hpp"
#include "util/text.hpp"

namespace crm {

result<Filter> parse_filter(const std::string& s) {
    if (!text::valid_utf8(s)) return invalid("filter", "is not valid UTF-8");
    Filter f;
    if (!s.empty() && s.front() == '!') {
        f.field = text::trim(s.substr(1));
        f.op = Op::is_null;
    } else if (!s.empty() && s.back() == '?') {
        f.field = text::trim(s.substr(0, s.size() - 1));
        f.op = Op::not_null;
    } else {
        // Longest operators first.
        struct { const char* tok; Op op; } ops[] = {{"!=", Op::ne}, {"<=", Op::le}, {">=", Op::ge}, {"^=", Op::prefix},
                                                    {"=", Op::eq},  {"<", Op::lt},  {">", Op::gt},  {"~", Op::contains}};
        std::size_t best = std::string::npos, len = 0;
        Op op = Op::eq;
        for (auto& o : ops) {
            auto p = s.find(o.tok);
            if (p != std::string::npos && (p < best || (p == best && std::char_traits<char>::length(o.tok) > len))) {
                best = p;
                len = std::char_traits<char>::length(o.tok);
                op = o.op;
            }
        }
        if (best == std::string::npos)
            return invalid("filter", fmt::format("'{}' has no operator (= != < <= > >= ~ ^=)", s));
        f.field = text::trim(s.substr(0, best));
        f.op = op;
        f.value = text::trim(s.substr(best + len));
    }
    if (f.field.empty()) return invalid("filter", fmt::format("'{}' names no field", s));
    return f;
}

}  // namespace crm
