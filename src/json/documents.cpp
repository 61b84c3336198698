// Entities as JSON documents and back (strict: unknown keys and wrong types are errors).
#include "json/documents.hpp"
#include "json/reader.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/try.hpp"

namespace crm::json {
namespace {

const char* kStages = "subscriber, lead, mql, sql, opportunity, customer, evangelist, recycled, disqualified, other";
const char* kRoles = "rep, agent, manager, admin, other";
const char* kContract = "none, prospect, trial, active, suspended, churned";
const char* kTypes = "text, integer, decimal, date, bool, enum";

}  // namespace

json doc(const FieldValue& v) {
    return std::visit(
        [](const auto& x) -> json {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, std::monostate>) return nullptr;
            else return x;
        },
        v);
}

json doc(const User& v) {
    return {{"id", v.id}, {"external_id", text_or_null(v.external_id)}, {"name", v.name},
            {"name_reading", v.name_reading}, {"email", v.email}, {"role", to_string(v.role)},
            {"team_id", opt_id(v.team_id)}, {"region", v.region}, {"active", v.active},
            {"tags", v.tags}, {"custom", custom(v.custom)},
            {"created_at", ts(v.created_at)}, {"updated_at", ts(v.updated_at)}};
}

json doc(const Team& v) {
    return {{"id", v.id}, {"external_id", text_or_null(v.external_id)}, {"name", v.name},
            {"region", v.region}, {"manager_id", opt_id(v.manager_id)},
            {"tags", v.tags}, {"custom", custom(v.custom)},
            {"created_at", ts(v.created_at)}, {"updated_at", ts(v.updated_at)}};
}

json doc(const Account& v) {
    json revenue = nullptr;
    if (v.annual_revenue) revenue = {{"amount", v.annual_revenue->amount}, {"currency", v.annual_revenue->currency}};
    return {{"id", v.id}, {"external_id", text_or_null(v.external_id)}, {"name", v.name},
            {"name_reading", v.name_reading}, {"industry", v.industry},
            {"employee_count", v.employee_count ? json(*v.employee_count) : json(nullptr)},
            {"annual_revenue", revenue}, {"address", address(v.address)}, {"phone", v.phone},
            {"website", v.website}, {"parent_id", opt_id(v.parent_id)}, {"owner_id", opt_id(v.owner_id)},
            {"contract_status", to_string(v.contract_status)},
            {"tags", v.tags}, {"custom", custom(v.custom)},
            {"created_at", ts(v.created_at)}, {"updated_at", ts(v.updated_at)}};
}

json doc(const Contact& v) {
    json emails = json::array(), phones = json::array();
    for (const auto& e : v.emails) emails.push_back({{"address", e.address}, {"label", e.label}, {"primary", e.primary}});
    for (const auto& p : v.phones) phones.push_back({{"number", p.number}, {"label", p.label}, {"primary", p.primary}});
    return {{"id", v.id}, {"external_id", text_or_null(v.external_id)}, {"name", v.name},
            {"name_reading", v.name_reading}, {"emails", emails}, {"phones", phones},
            {"address", address(v.address)}, {"title", v.title}, {"department", v.department},
            {"account_id", opt_id(v.account_id)}, {"owner_id", opt_id(v.owner_id)},
            {"lifecycle_stage", to_string(v.lifecycle_stage)}, {"lead_source", v.lead_source},
            {"birthday", text_or_null(v.birthday)},
            {"consent", {{"email", v.consent.email}, {"phone", v.consent.phone}, {"sms", v.consent.sms},
                         {"postal", v.consent.postal}, {"tracking", v.consent.tracking}}},
            {"tags", v.tags}, {"custom", custom(v.custom)},
            {"created_at", ts(v.created_at)}, {"updated_at", ts(v.updated_at)}};
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

template <>
result<User> parse<User>(const json& j) noexcept {
    try {
        User v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("name", v.name));
        CRM_TRYV(r.str("name_reading", v.name_reading));
        CRM_TRYV(r.str("email", v.email));
        CRM_TRYV(r.enumeration("role", v.role, user_role_from_string, kRoles));
        CRM_TRYV(r.opt_integer("team_id", v.team_id));
        CRM_TRYV(r.str("region", v.region));
        CRM_TRYV(r.boolean("active", v.active));
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

template <>
result<Team> parse<Team>(const json& j) noexcept {
    try {
        Team v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("name", v.name));
        CRM_TRYV(r.str("region", v.region));
        CRM_TRYV(r.opt_integer("manager_id", v.manager_id));
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

template <>
result<Account> parse<Account>(const json& j) noexcept {
    try {
        Account v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("name", v.name));
        CRM_TRYV(r.str("name_reading", v.name_reading));
        CRM_TRYV(r.str("industry", v.industry));
        CRM_TRYV(r.opt_integer("employee_count", v.employee_count));
        if (auto* rev = r.find("annual_revenue"); rev && !rev->is_null()) {
            Reader m(*rev, "annual_revenue");
            Money money;
            CRM_TRYV(m.object());
            CRM_TRYV(m.integer("amount", money.amount));
            CRM_TRYV(m.str("currency", money.currency));
            CRM_TRYV(m.done());
            v.annual_revenue = money;
        }
        CRM_TRYV(r.address("address", v.address));
        CRM_TRYV(r.str("phone", v.phone));
        CRM_TRYV(r.str("website", v.website));
        CRM_TRYV(r.opt_integer("parent_id", v.parent_id));
        CRM_TRYV(r.opt_integer("owner_id", v.owner_id));
        CRM_TRYV(r.enumeration("contract_status", v.contract_status, contract_status_from_string, kContract));
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

template <>
result<Contact> parse<Contact>(const json& j) noexcept {
    try {
        Contact v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("name", v.name));
        CRM_TRYV(r.str("name_reading", v.name_reading));
        if (auto* arr = r.find("emails"); arr && !arr->is_null()) {
            if (!arr->is_array()) return invalid("emails", "must be an array");
            for (std::size_t i = 0; i < arr->size(); ++i) {
                const auto& x = (*arr)[i];
                EmailAddress e;
                if (x.is_string()) {
                    e.address = x.get<std::string>();
                } else {
                    Reader m(x, fmt::format("emails[{}]", i));
                    CRM_TRYV(m.object());
                    CRM_TRYV(m.str("address", e.address));
                    CRM_TRYV(m.str("label", e.label));
                    CRM_TRYV(m.boolean("primary", e.primary));
                    CRM_TRYV(m.done());
                }
                v.emails.push_back(std::move(e));
            }
        }
        if (auto* arr = r.find("phones"); arr && !arr->is_null()) {
            if (!arr->is_array()) return invalid("phones", "must be an array");
            for (std::size_t i = 0; i < arr->size(); ++i) {
                const auto& x = (*arr)[i];
                PhoneNumber p;
                if (x.is_string()) {
                    p.number = x.get<std::string>();
                } else {
                    Reader m(x, fmt::format("phones[{}]", i));
                    CRM_TRYV(m.object());
                    CRM_TRYV(m.str("number", p.number));
                    CRM_TRYV(m.str("label", p.label));
                    CRM_TRYV(m.boolean("primary", p.primary));
                    CRM_TRYV(m.done());
                }
                v.phones.push_back(std::move(p));
            }
        }
        CRM_TRYV(r.address("address", v.address));
        CRM_TRYV(r.str("title", v.title));
        CRM_TRYV(r.str("department", v.department));
        CRM_TRYV(r.opt_integer("account_id", v.account_id));
        CRM_TRYV(r.opt_integer("owner_id", v.owner_id));
        CRM_TRYV(r.enumeration("lifecycle_stage", v.lifecycle_stage, lifecycle_stage_from_string, kStages));
        CRM_TRYV(r.str("lead_source", v.lead_source));
        CRM_TRYV(r.str("birthday", v.birthday));
        if (auto* c = r.find("consent"); c && !c->is_null()) {
            Reader m(*c, "consent");
            CRM_TRYV(m.object());
            CRM_TRYV(m.boolean("email", v.consent.email));
            CRM_TRYV(m.boolean("phone", v.consent.phone));
            CRM_TRYV(m.boolean("sms", v.consent.sms));
            CRM_TRYV(m.boolean("postal", v.consent.postal));
            CRM_TRYV(m.boolean("tracking", v.consent.tracking));
            CRM_TRYV(m.done());
        }
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

template <>
result<CustomFieldDef> parse<CustomFieldDef>(const json& j) noexcept {
    try {
        CustomFieldDef v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        Timestamp unused = 0;
        CRM_TRYV(r.record_meta(v.id, v.created_at, unused));
        CRM_TRYV(r.enumeration("entity", v.entity, entity_from_name, "user, team, account, contact"));
        CRM_TRYV(r.str("name", v.name));
        CRM_TRYV(r.str("label", v.label));
        CRM_TRYV(r.enumeration("type", v.type, field_type_from_string, kTypes));
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
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

}  // namespace crm::json

// ---- public crm/json.hpp ----------------------------------------------------
namespace crm {

std::string to_json(const User& v) { return json::doc(v).dump(); }
std::string to_json(const Team& v) { return json::doc(v).dump(); }
std::string to_json(const Account& v) { return json::doc(v).dump(); }
std::string to_json(const Contact& v) { return json::doc(v).dump(); }
std::string to_json(const Change& v) { return json::doc(v).dump(); }
std::string to_json(const CustomFieldDef& v) { return json::doc(v).dump(); }

template <class T>
result<T> from_json(std::string_view text) noexcept {
    try {
        auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
        if (j.is_discarded()) return invalid("document", "is not valid JSON");
        return json::parse<T>(j);
    } catch (const std::exception& e) {
        return invalid("document", e.what());
    }
}

template <class T>
result<T> merge_patch(const T& record, std::string_view patch_text) noexcept {
    try {
        auto patch = nlohmann::json::parse(patch_text.begin(), patch_text.end(), nullptr, false);
        if (patch.is_discarded()) return invalid("patch", "is not valid JSON");
        if (!patch.is_object()) return invalid("patch", "must be a JSON object");
        auto d = json::doc(record);
        d.merge_patch(patch);
        d["id"] = record.id;  // the id cannot be patched
        return json::parse<T>(d);
    } catch (const std::exception& e) {
        return invalid("patch", e.what());
    }
}

template result<User> from_json<User>(std::string_view) noexcept;
template result<Team> from_json<Team>(std::string_view) noexcept;
template result<Account> from_json<Account>(std::string_view) noexcept;
template result<Contact> from_json<Contact>(std::string_view) noexcept;
template result<CustomFieldDef> from_json<CustomFieldDef>(std::string_view) noexcept;
template result<User> merge_patch<User>(const User&, std::string_view) noexcept;
template result<Team> merge_patch<Team>(const Team&, std::string_view) noexcept;
template result<Account> merge_patch<Account>(const Account&, std::string_view) noexcept;
template result<Contact> merge_patch<Contact>(const Contact&, std::string_view) noexcept;

}  // namespace crm
