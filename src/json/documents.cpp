// History entries and custom-field definitions as JSON documents and back (strict).
#include "json/documents.hpp"

#include <fmt/format.h>

#include "crm/entities.hpp"
#include "json/parse.hpp"
#include "json/reader.hpp"
#include "util/try.hpp"

namespace crm::json {

json doc(const FieldValue& v) {
    return std::visit(
        [](const auto& x) -> json {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, std::monostate>) return nullptr;
            else return x;
        },
        v);
}

json doc(const Change& v) {
    auto parse_or_text = [](const std::string& s) -> json {
        if (s.empty()) return nullptr;
        auto j = json::parse(s, nullptr, false);
        return j.is_discarded() ? json(s) : j;
    };
    return {{"id", v.id}, {"entity", entity_name(v.entity)}, {"record_id", v.record_id},
            {"at", format_iso8601(v.at)}, {"actor_id", opt_id(v.actor_id)}, {"op", to_string(v.op)},
            {"field", v.field}, {"old", parse_or_text(v.old_value)}, {"new", parse_or_text(v.new_value)}};
}

json doc(const CustomFieldDef& v) {
    return {{"id", v.id}, {"entity", entity_name(v.entity)}, {"name", v.name}, {"label", v.label},
            {"type", to_string(v.type)}, {"options", v.options}, {"required", v.required},
            {"created_at", ts(v.created_at)}};
}

namespace {
result<CustomFieldDef> parse_def(const json& j) {
    CustomFieldDef v;
    Reader r(j, "");
    CRM_TRYV(r.object());
    Timestamp unused = 0;
    CRM_TRYV(r.record_meta(v.id, v.created_at, unused));
    std::string entity;
    CRM_TRYV(r.str("entity", entity));
    if (auto e = entity_from_name(entity)) v.entity = *e;
    else {
        std::string names;
        for (const auto* k : entity_kinds()) names += (names.empty() ? "" : ", ") + std::string(k->name);
        return invalid("entity", fmt::format("'{}' is not one of {}", entity, names));
    }
    CRM_TRYV(r.str("name", v.name));
    CRM_TRYV(r.str("label", v.label));
    CRM_TRYV(r.enumeration("type", v.type, field_type_from_string, "text, integer, decimal, date, bool, enum"));
    if (auto* o = r.find("options"); o && !o->is_null()) {
        if (!o->is_array()) return invalid("options", "must be an array of strings");
        for (const auto& x : *o) {
            if (!x.is_string()) return invalid("options", "must be an array of strings");
            v.options.push_back(x.get<std::string>());
        }
    }
    CRM_TRYV(r.boolean("required", v.required));
    CRM_TRYV(r.done());
    return v;
}
}  // namespace

}  // namespace crm::json

// ---- public crm/json.hpp ----------------------------------------------------
namespace crm {

std::string to_json(const Change& v) { return json::doc(v).dump(); }
std::string to_json(const CustomFieldDef& v) { return json::doc(v).dump(); }

template <>
result<CustomFieldDef> from_json<CustomFieldDef>(std::string_view text) noexcept {
    try {
        CRM_TRY(auto j, json::parse_text(text));
        return json::parse_def(j);
    } catch (const std::exception& e) {
        return invalid("document", e.what());
    }
}

}  // namespace crm
