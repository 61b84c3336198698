// The checks every kind shares: external ids, tags, custom values, custom-field
// definitions, and the helpers the kinds' own rules are written with.
#include "records/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "records/codec.hpp"
#include "records/registry.hpp"
#include "store/entity_store.hpp"
#include "util/text.hpp"

namespace crm::records {

namespace {
constexpr std::size_t kMaxExternalId = 256;
constexpr std::size_t kMaxTag = 100;
constexpr std::size_t kMaxLinks = 1000;
}  // namespace

result<void> validate_external_id(std::string& v) {
    CRM_TRYV(text::check("external_id", v, kMaxExternalId, false));
    v = text::trim(v);
    return ok();
}

result<void> validate_tag(std::string& tag) {
    CRM_TRYV(text::check("tags", tag, kMaxTag, true));
    tag = text::trim(tag);
    return ok();
}

result<void> validate_tags(Tags& tags) {
    for (auto& t : tags) CRM_TRYV(validate_tag(t));
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    return ok();
}

result<void> validate_def(CustomFieldDef& d) {
    if (!find(d.entity)) return invalid("entity", "is not an entity kind");
    if (d.name.empty() || d.name.size() > 64 || d.name[0] < 'a' || d.name[0] > 'z' ||
        !std::all_of(d.name.begin(), d.name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }))
        return invalid("name", fmt::format("'{}' must match [a-z][a-z0-9_]* and be at most 64 bytes", d.name));
    CRM_TRYV(text::check("label", d.label, 256, false));
    if (d.type == FieldType::enumeration) {
        if (d.options.empty()) return invalid("options", "an enum field needs at least one option");
        for (auto& o : d.options) {
            CRM_TRYV(text::check("options", o, 256, true));
            o = text::trim(o);
        }
        auto sorted = d.options;
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
            return invalid("options", "has the same option twice");
    } else if (!d.options.empty()) {
        return invalid("options", "only enum fields take options");
    }
    return ok();
}

result<void> validate_custom(Entity e, CustomFields& values, const std::vector<CustomFieldDef>& defs,
                             std::size_t max_bytes) {
    for (auto& [name, value] : values) {
        const std::string field = "custom." + name;
        // [&n = name]: clang before 16 cannot capture a structured binding itself.
        auto def = std::find_if(defs.begin(), defs.end(), [&n = name](const CustomFieldDef& d) { return d.name == n; });
        if (def == defs.end())
            return invalid(field, fmt::format("no custom field '{}' is defined for {}", name, entity_name(e)));
        if (std::holds_alternative<std::monostate>(value)) continue;
        switch (def->type) {
            case FieldType::integer:
                if (auto* s = std::get_if<std::string>(&value)) {  // accept "42" from text edges
                    std::int64_t n = 0;
                    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
                    if (ec != std::errc() || end != s->data() + s->size() || s->empty())
                        return invalid(field, fmt::format("'{}' is not a 64-bit integer", *s));
                    value = n;
                }
                if (!std::holds_alternative<std::int64_t>(value)) return invalid(field, "must be an integer");
                break;
            case FieldType::boolean:
                if (auto* s = std::get_if<std::string>(&value)) {
                    if (*s == "true") value = true;
                    else if (*s == "false") value = false;
                }
                if (!std::holds_alternative<bool>(value)) return invalid(field, "must be true or false");
                break;
            case FieldType::decimal: {
                if (auto* n = std::get_if<std::int64_t>(&value)) value = std::to_string(*n);
                auto* s = std::get_if<std::string>(&value);
                if (!s || !text::valid_decimal(*s)) return invalid(field, "must be a decimal number like 12.50");
                break;
            }
            case FieldType::date: {
                auto* s = std::get_if<std::string>(&value);
                if (!s || !text::valid_date(*s)) return invalid(field, "must be a date YYYY-MM-DD");
                break;
            }
            case FieldType::enumeration: {
                auto* s = std::get_if<std::string>(&value);
                if (!s || std::find(def->options.begin(), def->options.end(), *s) == def->options.end())
                    return invalid(field, fmt::format("must be one of: {}", fmt::join(def->options, ", ")));
                break;
            }
            case FieldType::text: {
                auto* s = std::get_if<std::string>(&value);
                if (!s) return invalid(field, "must be text");
                CRM_TRYV(text::check(field, *s, max_bytes, false));
                break;
            }
        }
    }
    for (const auto& d : defs) {
        auto it = values.find(d.name);
        if (d.required && (it == values.end() || std::holds_alternative<std::monostate>(it->second)))
            return invalid("custom." + d.name, "is a required custom field");
    }
    // Unset values are not stored.
    for (auto it = values.begin(); it != values.end();)
        it = std::holds_alternative<std::monostate>(it->second) ? values.erase(it) : std::next(it);
    return ok();
}

result<void> check_text(Write& w, const std::string& field, std::string& v, bool required, std::size_t max) {
    CRM_TRYV(text::check(field, v, max ? max : w.db.options.max_text_bytes, required));
    if (required) v = text::trim(v);
    return ok();
}

result<void> check_address(Write& w, PostalAddress& a) {
    CRM_TRYV(check_text(w, "address.postal_code", a.postal_code));
    CRM_TRYV(check_text(w, "address.country", a.country));
    CRM_TRYV(check_text(w, "address.region", a.region));
    CRM_TRYV(check_text(w, "address.city", a.city));
    CRM_TRYV(check_text(w, "address.street", a.street));
    CRM_TRYV(check_text(w, "address.building", a.building));
    return ok();
}

result<void> check_currency(const std::string& field, const std::string& c) {
    if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
        return invalid(field, fmt::format("'{}' is not an ISO-4217 code like JPY", c));
    return ok();
}

result<void> check_money(const std::string& field, const Money& m) {
    CRM_TRYV(check_currency(field + ".currency", m.currency));
    if (m.amount < 0) return invalid(field + ".amount", "must not be negative");
    return ok();
}

result<void> check_reference(Write& w, const char* field, const std::optional<Id>& id, Entity target) {
    if (id && !store::exists(w.db, target, *id))
        return invalid(field, fmt::format("no {} with id {}", entity_name(target), *id));
    return ok();
}

result<void> check_links(Write& w, std::vector<RecordLink>& links, std::initializer_list<Entity> allowed) {
    std::sort(links.begin(), links.end());
    links.erase(std::unique(links.begin(), links.end()), links.end());
    if (links.size() > kMaxLinks) return invalid("links", fmt::format("at most {} links", kMaxLinks));
    for (std::size_t i = 0; i < links.size(); ++i) {
        const auto& l = links[i];
        const auto field = fmt::format("links[{}]", i);
        if (allowed.size() && std::find(allowed.begin(), allowed.end(), l.entity) == allowed.end()) {
            std::string names;
            for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(entity_name(a));
            return invalid(field, fmt::format("cannot link to a {}: only {}", entity_name(l.entity), names));
        }
        if (!store::exists(w.db, l.entity, l.id))
            return invalid(field, fmt::format("no {} with id {}", entity_name(l.entity), l.id));
    }
    return ok();
}

result<Timestamp> event_time(const std::string& field, std::optional<Timestamp> at, Timestamp now,
                             Timestamp not_before, std::string_view latest_event) {
    if (!at) return std::max(now, not_before);
    if (auto r = check_time(field, *at); !r) return r.error();
    if (*at > now) return invalid(field, fmt::format("{} is in the future: only what has happened can be recorded",
                                                     format_iso8601(*at)));
    if (*at < not_before)
        return invalid(field, fmt::format("{} is before the {} ({}): events are recorded in order", format_iso8601(*at),
                                          latest_event, format_iso8601(not_before)));
    return *at;
}

}  // namespace crm::records
