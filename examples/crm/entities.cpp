// entities.cpp — field options, table columns and merge patches per entity kind.
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "records.hpp"

namespace cli {

namespace {
using F = FieldFlag;

const std::vector<FieldFlag> kContact = {
    {"name", "name", F::text, "full name (山田 太郎)"},
    {"reading", "name_reading", F::text, "reading / furigana (ヤマダ タロウ)"},
    {"email", "emails", F::list, "email address (repeatable; the first is primary)"},
    {"phone", "phones", F::list, "phone number (repeatable)"},
    {"title", "title", F::text, "job title"},
    {"department", "department", F::text, "department"},
    {"account", "account_id", F::id, "employer account id (null to clear)"},
    {"owner", "owner_id", F::id, "owning user id"},
    {"stage", "lifecycle_stage", F::text, "subscriber|lead|mql|sql|opportunity|customer|evangelist|recycled|disqualified|other"},
    {"source", "lead_source", F::text, "lead source"},
    {"birthday", "birthday", F::text, "YYYY-MM-DD"},
    {"postal-code", "address.postal_code", F::text, "postal code"},
    {"country", "address.country", F::text, "ISO country code (JP)"},
    {"region", "address.region", F::text, "prefecture / state"},
    {"city", "address.city", F::text, "city"},
    {"street", "address.street", F::text, "street"},
    {"building", "address.building", F::text, "building"},
    {"external-id", "external_id", F::text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kAccount = {
    {"name", "name", F::text, "company name (株式会社サンプル)"},
    {"reading", "name_reading", F::text, "reading / furigana"},
    {"industry", "industry", F::text, "industry"},
    {"employees", "employee_count", F::integer, "number of employees"},
    {"revenue", "annual_revenue", F::revenue, "annual revenue: AMOUNT [CURRENCY] in minor units (default JPY)"},
    {"phone", "phone", F::text, "phone number"},
    {"website", "website", F::text, "web site"},
    {"parent", "parent_id", F::id, "parent company id"},
    {"owner", "owner_id", F::id, "owning user id"},
    {"status", "contract_status", F::text, "none|prospect|trial|active|suspended|churned"},
    {"postal-code", "address.postal_code", F::text, "postal code"},
    {"country", "address.country", F::text, "ISO country code (JP)"},
    {"region", "address.region", F::text, "prefecture / state"},
    {"city", "address.city", F::text, "city"},
    {"street", "address.street", F::text, "street"},
    {"building", "address.building", F::text, "building"},
    {"external-id", "external_id", F::text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kUser = {
    {"name", "name", F::text, "full name"},
    {"reading", "name_reading", F::text, "reading / furigana"},
    {"email", "email", F::text, "email address (unique)"},
    {"role", "role", F::text, "rep|agent|manager|admin|other"},
    {"team", "team_id", F::id, "team id"},
    {"region", "region", F::text, "region / territory"},
    {"active", "active", F::boolean, "true|false"},
    {"external-id", "external_id", F::text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kTeam = {
    {"name", "name", F::text, "team name (unique)"},
    {"region", "region", F::text, "region / territory (関東)"},
    {"manager", "manager_id", F::id, "manager's user id"},
    {"external-id", "external_id", F::text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};

// Keys whose unset value is null in a document but which hold text.
bool text_key(const std::string& key) {
    return key == "external_id" || key == "birthday" || key.ends_with("currency");
}

std::optional<bool> parse_bool(const std::string& s) {
    if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
    if (s == "false" || s == "no" || s == "off" || s == "0") return false;
    return std::nullopt;
}

bool is_integer(const std::string& s) {
    std::size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i == s.size() || s.size() > 19) return false;
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

json parse_json_arg(const std::string& what, const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded()) invalid_input(fmt::format("{}: '{}' is not valid JSON", what, text));
    return j;
}

// Sets patch["address"]["city"] for "address.city".
void set_path(json& patch, const std::string& key, json value) {
    json* cur = &patch;
    std::size_t start = 0;
    for (auto dot = key.find('.'); dot != std::string::npos; dot = key.find('.', start)) {
        json& next = (*cur)[key.substr(start, dot - start)];
        if (!next.is_object()) next = json::object();
        cur = &next;
        start = dot + 1;
    }
    (*cur)[key.substr(start)] = std::move(value);
}

// Composes patch b after patch a (a later option wins; nested objects merge).
void compose(json& a, const json& b) {
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (it.value().is_object() && a.contains(it.key()) && a[it.key()].is_object()) compose(a[it.key()], it.value());
        else a[it.key()] = it.value();
    }
}

json revenue_value(const std::string& raw) {
    if (raw.empty() || raw == "null") return nullptr;
    std::size_t end = 0;
    while (end < raw.size() && (std::isdigit(static_cast<unsigned char>(raw[end])) || (end == 0 && raw[0] == '-'))) ++end;
    std::string amount = raw.substr(0, end), currency = raw.substr(end);
    while (!currency.empty() && currency.front() == ' ') currency.erase(0, 1);
    if (currency.empty()) currency = "JPY";
    return json{{"amount", parse_int(amount, "--revenue")}, {"currency", currency}};
}
}  // namespace

const std::vector<FieldFlag>& field_flags(crm::Entity e) {
    switch (e) {
        case crm::Entity::contact: return kContact;
        case crm::Entity::account: return kAccount;
        case crm::Entity::user: return kUser;
        default: break;  // team; the CLI handles the customer-graph kinds only
    }
    return kTeam;
}

const std::vector<std::string>& table_columns(crm::Entity e) {
    static const std::vector<std::string> contact = {"id", "name", "reading=name_reading", "email=emails.primary",
                                                     "title", "account", "stage=lifecycle_stage", "tags"};
    static const std::vector<std::string> account = {"id", "name", "reading=name_reading", "industry",
                                                     "employees=employee_count", "status=contract_status",
                                                     "region=address.region", "tags"};
    static const std::vector<std::string> user = {"id", "name", "reading=name_reading", "email", "role", "team",
                                                  "region", "active"};
    static const std::vector<std::string> team = {"id", "name", "region", "manager", "tags"};
    switch (e) {
        case crm::Entity::contact: return contact;
        case crm::Entity::account: return account;
        case crm::Entity::user: return user;
        default: break;  // team; the CLI handles the customer-graph kinds only
    }
    return team;
}

std::vector<OptSpec> field_option_specs(crm::Entity e) {
    std::vector<OptSpec> s;
    for (const auto& f : field_flags(e)) s.push_back({f.option, true, f.help});
    s.push_back({"set", true, "FIELD=VALUE: any field of the document (address.city, custom.rank …)"});
    s.push_back({"patch", true, "a JSON merge patch (RFC 7386)"});
    s.push_back({"from-json", true, "FILE|-: the record as a JSON document"});
    return s;
}

json typed_value(crm::Db& db, crm::Entity e, const std::string& key, const std::string& raw, const json& current) {
    if (key.starts_with("custom.")) {
        auto def = db.custom_fields().get(e, key.substr(7));
        if (def) {
            if (raw == "null") return nullptr;
            switch (def.value().type) {
                case crm::FieldType::integer: return parse_int(raw, key.c_str());
                case crm::FieldType::boolean: {
                    auto b = parse_bool(raw);
                    if (!b) invalid_input(fmt::format("{}: '{}' is not true or false", key, raw));
                    return *b;
                }
                default: return raw;
            }
        }
    }
    if (raw == "null") return nullptr;
    const json* cur = at_path(current, key);
    if (cur && cur->is_string()) return raw;
    if (cur && cur->is_boolean()) {
        auto b = parse_bool(raw);
        return b ? json(*b) : json(raw);  // the library names the field in its error
    }
    if (cur && cur->is_number()) return is_integer(raw) ? json(parse_int(raw, key.c_str())) : json(raw);
    if (cur && cur->is_array()) {
        if (raw.starts_with("[")) return parse_json_arg(key, raw);
        json arr = json::array();
        std::size_t start = 0;
        while (!raw.empty() && start <= raw.size()) {
            auto comma = raw.find(',', start);
            auto item = raw.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            while (!item.empty() && item.front() == ' ') item.erase(0, 1);
            while (!item.empty() && item.back() == ' ') item.pop_back();
            if (!item.empty()) arr.push_back(item);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        return arr;
    }
    if (cur && cur->is_object()) return raw.starts_with("{") ? parse_json_arg(key, raw) : json(raw);
    // Unset (null) or unknown: sniff, unless the key is known to hold text.
    if (text_key(key)) return raw;
    if (is_integer(raw)) return parse_int(raw, key.c_str());
    if (raw == "true" || raw == "false") return raw == "true";
    if (raw.starts_with("{") || raw.starts_with("[")) {
        auto j = json::parse(raw, nullptr, false);
        if (!j.is_discarded()) return j;
    }
    return raw;
}

json build_patch(crm::Db& db, crm::Entity e, const Args& args, const json& current) {
    json patch = json::object();
    std::map<std::string, json> lists;  // repeatable options, collected in order
    for (const auto& [name, value] : args.options) {
        if (name == "set") {
            auto eq = value.find('=');
            if (eq == std::string::npos || eq == 0) usage_error(fmt::format("--set '{}': expected FIELD=VALUE", value));
            const std::string key = value.substr(0, eq);
            set_path(patch, key, typed_value(db, e, key, value.substr(eq + 1), current));
            continue;
        }
        if (name == "patch") {
            json p = parse_json_arg("--patch", value);
            if (!p.is_object()) invalid_input("--patch: must be a JSON object");
            compose(patch, p);
            continue;
        }
        const FieldFlag* flag = nullptr;
        for (const auto& f : field_flags(e))
            if (name == f.option) flag = &f;
        if (!flag) continue;  // not a field option (--from-json …)
        const std::string what = "--" + name;
        switch (flag->kind) {
            case F::text: set_path(patch, flag->key, value); break;
            case F::id:
                set_path(patch, flag->key, value.empty() || value == "null" ? json(nullptr) : json(parse_id(value, what.c_str())));
                break;
            case F::integer:
                set_path(patch, flag->key, value.empty() || value == "null" ? json(nullptr) : json(parse_int(value, what.c_str())));
                break;
            case F::boolean: {
                auto b = parse_bool(value);
                if (!b) invalid_input(fmt::format("{}: '{}' is not true or false", what, value));
                set_path(patch, flag->key, *b);
                break;
            }
            case F::list: {
                auto& arr = lists[flag->key];
                if (!arr.is_array()) arr = json::array();
                if (!value.empty()) arr.push_back(value);
                set_path(patch, flag->key, arr);
                break;
            }
            case F::revenue: set_path(patch, flag->key, revenue_value(value)); break;
        }
    }
    return patch;
}

std::vector<std::string> decorate_for_table(crm::Db& db, crm::Entity e, const std::vector<std::string>& docs) {
    std::map<crm::Id, std::string> names;
    auto lookup = [&](crm::Entity kind, crm::Id id) -> std::string {
        auto it = names.find(id);
        if (it != names.end()) return it->second;
        std::string n = with_entity(kind, [&]<class T>() -> std::string {
            auto r = Kind<T>::service(db).get(id);
            return r ? r.value().name : fmt::format("#{}", id);
        });
        return names[id] = n;
    };
    const char* id_key = e == crm::Entity::contact ? "account_id" : e == crm::Entity::user ? "team_id"
                       : e == crm::Entity::team ? "manager_id" : nullptr;
    const char* name_key = e == crm::Entity::contact ? "account" : e == crm::Entity::user ? "team" : "manager";
    const crm::Entity target = e == crm::Entity::contact ? crm::Entity::account
                             : e == crm::Entity::user ? crm::Entity::team : crm::Entity::user;
    if (!id_key) return docs;
    std::vector<std::string> out;
    out.reserve(docs.size());
    for (const auto& d : docs) {
        auto j = json::parse(d);
        if (j.contains(id_key) && j[id_key].is_number_integer()) j[name_key] = lookup(target, j[id_key].get<crm::Id>());
        out.push_back(j.dump());
    }
    return out;
}

void print_list(Context& ctx, crm::Entity e, const std::vector<std::string>& docs) {
    if (ctx.format != Format::as_table) return print_records(ctx, docs, {});
    print_records(ctx, decorate_for_table(ctx.open(), e, docs), table_columns(e));
}

}  // namespace cli
