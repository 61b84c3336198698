// Strict JSON parsing: duplicate keys and excessive nesting are errors.
#include "json/parse.hpp"

#include <fmt/format.h>

#include <string>
#include <unordered_set>
#include <vector>

namespace crm::json {

result<nlohmann::json> parse_text(std::string_view text, const char* what) {
    using nlohmann::json;
    std::vector<std::unordered_set<std::string>> keys;  // one set per open object
    std::string duplicate;
    bool too_deep = false;
    auto check = [&](int depth, json::parse_event_t ev, json& parsed) -> bool {
        switch (ev) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                if (depth >= kMaxDepth) too_deep = true;
                if (ev == json::parse_event_t::object_start) keys.emplace_back();
                return !too_deep;
            case json::parse_event_t::object_end:
                if (!keys.empty()) keys.pop_back();
                return true;
            case json::parse_event_t::key:
                if (!keys.empty() && !keys.back().insert(parsed.get_ref<const std::string&>()).second &&
                    duplicate.empty())
                    duplicate = parsed.get<std::string>();
                return true;
            default:
                return true;
        }
    };
    try {
        json j = json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/false);
        if (too_deep)
            return invalid(what, fmt::format("is nested more than {} levels deep", kMaxDepth));
        if (j.is_discarded()) return invalid(what, "is not valid JSON");
        if (!duplicate.empty()) return invalid(what, fmt::format("has the key \"{}\" twice", duplicate));
        return j;
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, fmt::format("{}: out of memory parsing JSON", what), what);
    } catch (const std::exception& e) {
        return invalid(what, fmt::format("is not valid JSON ({})", e.what()));
    }
}

result<nlohmann::json> parse_object(std::string_view text, const char* what) {
    auto j = parse_text(text, what);
    if (j && !j.value().is_object()) return invalid(what, "must be a JSON object");
    return j;
}

}  // namespace crm::json
