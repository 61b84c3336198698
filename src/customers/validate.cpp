// Validation and normalization of users, teams, accounts, contacts, tags and custom values.
#include "customers/validate.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/text.hpp"

namespace crm::domain {

namespace {

constexpr std::size_t kMaxExternalId = 256;
constexpr std::size_t kMaxTag = 100;

result<void> txt(DbImpl& db, const char* field, std::string& v, bool required = false) {
    CRM_TRYV(text::check(field, v, db.options.max_text_bytes, required));
    if (required) v = text::trim(v);
    return ok();
}

result<void> external_id(std::string& v) {
    CRM_TRYV(text::check("external_id", v, kMaxExternalId, false));
    v = text::trim(v);
    return ok();
}

result<void> reference(DbImpl& db, const char* field, const std::optional<Id>& id, Entity target) {
    if (id && !store::exists(db, target, *id))
        return invalid(field, fmt::format("no {} with id {}", entity_name(target), *id));
    return ok();
}

result<void> address(DbImpl& db, PostalAddress& a) {
    CRM_TRYV(txt(db, "address.postal_code", a.postal_code));
    CRM_TRYV(txt(db, "address.country", a.country));
    CRM_TRYV(txt(db, "address.region", a.region));
    CRM_TRYV(txt(db, "address.city", a.city));
    CRM_TRYV(txt(db, "address.street", a.street));
    CRM_TRYV(txt(db, "address.building", a.building));
    return ok();
}

bool is_digit_at(const std::string& s, std::size_t i, std::size_t& len) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= '0' && c <= '9') { len = 1; return true; }
    // Full-width digits U+FF10..U+FF19: EF BC 90..99
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
        static_cast<unsigned char>(s[i + 2]) >= 0x90 && static_cast<unsigned char>(s[i + 2]) <= 0x99) {
        len = 3;
        return true;
    }
    len = 1;
    return false;
}

result<void> phone(const std::string& field, std::string& number) {
    CRM_TRYV(text::check(field, number, 64, true));
    number = text::trim(number);
    int digits = 0;
    for (std::size_t i = 0, len = 1; i < number.size(); i += len)
        if (is_digit_at(number, i, len)) ++digits;
    if (digits < 3) return invalid(field, fmt::format("'{}' is not a phone number (needs digits)", number));
    return ok();
}

template <class Item>
result<void> one_primary(const char* field, std::vector<Item>& items) {
    const auto n = std::count_if(items.begin(), items.end(), [](const Item& i) { return i.primary; });
    if (n > 1) return invalid(field, "more than one is marked primary");
    if (n == 0 && !items.empty()) items.front().primary = true;
    return ok();
}

}  // namespace

result<void> validate_tag(DbImpl&, std::string& tag) {
    CRM_TRYV(text::check("tags", tag, kMaxTag, true));
    tag = text::trim(tag);
    return ok();
}

result<void> validate_tags(DbImpl& db, Tags& tags) {
    for (auto& t : tags) CRM_TRYV(validate_tag(db, t));
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    return ok();
}

result<void> validate_def(CustomFieldDef& d) {
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
        auto def = std::find_if(defs.begin(), defs.end(), [&](const CustomFieldDef& d) { return d.name == name; });
        if (def == defs.end())
            return invalid(field, fmt::format("no custom field '{}' is defined for {}", name, entity_name(e)));
        if (std::holds_alternative<std::monostate>(value)) continue;
        switch (def->type) {
            case FieldType::integer:
                if (auto* s = std::get_if<std::string>(&value)) {  // accept "42" from text edges
                    try {
                        std::size_t used = 0;
                        long long n = std::stoll(*s, &used);
                        if (used != s->size()) throw std::invalid_argument("x");
                        value = static_cast<std::int64_t>(n);
                    } catch (...) {
                        return invalid(field, fmt::format("'{}' is not an integer", *s));
                    }
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

result<void> validate(DbImpl& db, User& v, const User*) {
    CRM_TRYV(external_id(v.external_id));
    CRM_TRYV(txt(db, "name", v.name, true));
    CRM_TRYV(txt(db, "name_reading", v.name_reading));
    CRM_TRY(auto norm, text::normalize_email("email", v.email));
    (void)norm;
    v.email = text::trim(v.email);
    CRM_TRYV(txt(db, "region", v.region));
    CRM_TRYV(reference(db, "team_id", v.team_id, Entity::team));
    return ok();
}

result<void> validate(DbImpl& db, Team& v, const Team*) {
    CRM_TRYV(external_id(v.external_id));
    CRM_TRYV(txt(db, "name", v.name, true));
    CRM_TRYV(txt(db, "region", v.region));
    CRM_TRYV(reference(db, "manager_id", v.manager_id, Entity::user));
    return ok();
}

result<void> validate(DbImpl& db, Account& v, const Account* old) {
    CRM_TRYV(external_id(v.external_id));
    CRM_TRYV(txt(db, "name", v.name, true));
    CRM_TRYV(txt(db, "name_reading", v.name_reading));
    CRM_TRYV(txt(db, "industry", v.industry));
    if (v.employee_count && *v.employee_count < 0) return invalid("employee_count", "must not be negative");
    if (v.annual_revenue) {
        auto& c = v.annual_revenue->currency;
        if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
            return invalid("annual_revenue.currency", fmt::format("'{}' is not an ISO-4217 code like JPY", c));
        if (v.annual_revenue->amount < 0) return invalid("annual_revenue.amount", "must not be negative");
    }
    CRM_TRYV(address(db, v.address));
    CRM_TRYV(txt(db, "phone", v.phone));
    CRM_TRYV(txt(db, "website", v.website));
    CRM_TRYV(reference(db, "owner_id", v.owner_id, Entity::user));
    if (v.parent_id) {
        CRM_TRYV(reference(db, "parent_id", v.parent_id, Entity::account));
        if (old) {
            // Walk up from the new parent: meeting this account again would close a cycle.
            std::optional<Id> at = v.parent_id;
            for (int depth = 0; at; ++depth) {
                if (*at == old->id || depth > 10000)
                    return make_error(errc::constraint_violation,
                                      fmt::format("parent_id: account {} cannot be its own ancestor", old->id),
                                      "parent_id");
                at = store::account_parent(db, *at);
            }
        }
    }
    return ok();
}

result<void> validate(DbImpl& db, Contact& v, const Contact*) {
    CRM_TRYV(external_id(v.external_id));
    CRM_TRYV(txt(db, "name", v.name, true));
    CRM_TRYV(txt(db, "name_reading", v.name_reading));
    for (std::size_t i = 0; i < v.emails.size(); ++i) {
        const std::string f = fmt::format("emails[{}]", i);
        CRM_TRY(auto norm, text::normalize_email(f + ".address", v.emails[i].address));
        v.emails[i].address = text::trim(v.emails[i].address);
        CRM_TRYV(text::check(f + ".label", v.emails[i].label, 64, false));
        for (std::size_t j = 0; j < i; ++j)
            if (text::ascii_lower(v.emails[j].address) == norm)
                return invalid(f + ".address", fmt::format("'{}' is listed twice", v.emails[i].address));
    }
    CRM_TRYV(one_primary("emails", v.emails));
    for (std::size_t i = 0; i < v.phones.size(); ++i) {
        const std::string f = fmt::format("phones[{}]", i);
        CRM_TRYV(phone(f + ".number", v.phones[i].number));
        CRM_TRYV(text::check(f + ".label", v.phones[i].label, 64, false));
    }
    CRM_TRYV(one_primary("phones", v.phones));
    CRM_TRYV(address(db, v.address));
    CRM_TRYV(txt(db, "title", v.title));
    CRM_TRYV(txt(db, "department", v.department));
    CRM_TRYV(txt(db, "lead_source", v.lead_source));
    v.birthday = text::trim(v.birthday);
    if (!v.birthday.empty() && !text::valid_date(v.birthday))
        return invalid("birthday", fmt::format("'{}' is not a date YYYY-MM-DD", v.birthday));
    CRM_TRYV(reference(db, "account_id", v.account_id, Entity::account));
    CRM_TRYV(reference(db, "owner_id", v.owner_id, Entity::user));
    return ok();
}

}  // namespace crm::domain
