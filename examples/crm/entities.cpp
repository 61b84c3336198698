// entities.cpp — what the record commands know of each kind: field options, table
// columns, and how the options become a merge patch (see records.hpp).
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
    {"revenue", "annual_revenue", F::money, "annual revenue: AMOUNT [CURRENCY] in minor units (default JPY)"},
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

const std::vector<FieldFlag> kProduct = {
    {"name", "name", F::opt_text, "product name (勤怠管理クラウド)"},
    {"series", "series", F::opt_text, "series / category"},
    {"price", "list_price", F::money, "list price: AMOUNT [CURRENCY] in minor units (default JPY)"},
    {"active", "active", F::boolean, "true|false"},
    {"external-id", "external_id", F::opt_text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kCampaign = {
    {"name", "name", F::opt_text, "campaign name (秋の DX セミナー)"},
    {"channel", "channel", F::opt_text, "seminar|web|ads|email|referral|other"},
    {"start", "start_date", F::opt_text, "YYYY-MM-DD"},
    {"end", "end_date", F::opt_text, "YYYY-MM-DD"},
    {"cost", "cost", F::money, "cost: AMOUNT [CURRENCY] in minor units (default JPY)"},
    {"external-id", "external_id", F::opt_text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kPipeline = {
    {"name", "name", F::opt_text, "pipeline name (新規営業)"},
    {"stage", "stages", F::stages,
     "NAME:PROBABILITY[:open|won|lost] (repeatable, in order; replaces the stages — use update --patch to keep ids)"},
    {"external-id", "external_id", F::opt_text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kDeal = {
    {"name", "name", F::opt_text, "deal name (基幹システム刷新)"},
    {"pipeline", "pipeline_id", F::id, "pipeline id"},
    {"stage", "stage_id", F::id, "stage id (of that pipeline)"},
    {"amount", "amount", F::money, "AMOUNT [CURRENCY] in minor units (default JPY)"},
    {"close-date", "expected_close_date", F::opt_text, "expected close date YYYY-MM-DD"},
    {"owner", "owner_id", F::id, "owning user id"},
    {"account", "account_id", F::id, "account id"},
    {"contact", "contact_id", F::id, "primary contact id"},
    {"campaign", "campaign_id", F::id, "campaign id"},
    {"probability", "probability", F::integer, "probability override 0..100 (empty to clear)"},
    {"item", "line_items", F::items,
     "PRODUCT_ID:QUANTITY:UNIT_PRICE[:DISCOUNT] in the deal's currency (repeatable; replaces the items)"},
    {"lost-reason", "lost_reason", F::opt_text, "lost reason (for a lost stage)"},
    {"external-id", "external_id", F::opt_text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kInteraction = {
    {"subject", "subject", F::text, "subject"},
    {"body", "body", F::text, "body"},
    {"direction", "direction", F::text, "inbound|outbound|internal"},
    {"channel", "channel", F::text, "channel (phone, zoom …)"},
    {"at", "occurred_at", F::time, "ISO-8601 time it happened"},
    {"url", "url", F::text, "URL (web_visit, clicked link …)"},
    {"referrer", "referrer", F::text, "referrer"},
    {"source", "source", F::text, "the system it came from"},
    {"contact", "contact_ids", F::ids, "contact id (repeatable; replaces the contacts)"},
    {"account", "account_ids", F::ids, "account id (repeatable; replaces the accounts)"},
    {"deal", "deal_ids", F::ids, "deal id (repeatable; replaces the deals)"},
    {"ticket", "ticket_ids", F::ids, "ticket id (repeatable; replaces the tickets)"},
    {"external-id", "external_id", F::text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kTicket = {
    {"subject", "subject", F::text, "subject (required for add)"},
    {"description", "description", F::text, "description"},
    {"priority", "priority", F::text, "low|normal|high|urgent"},
    {"channel", "channel", F::text, "email|phone|web|chat|line|other"},
    {"requester", "requester_id", F::id, "contact id of the requester"},
    {"account", "account_id", F::id, "account id"},
    {"assignee", "assignee_id", F::id, "user id of the assignee"},
    {"sla-policy", "sla_policy_id", F::id, "SLA policy id"},
    {"external-id", "external_id", F::text, "id in another system"},
    {"opened-at", "opened_at", F::time, "ISO-8601 time the ticket was opened (default: now)"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kTask = {
    {"title", "title", F::text, "title (required for add)"},
    {"notes", "notes", F::text, "notes"},
    {"due", "due_at", F::time, "ISO-8601 due time (empty clears)"},
    {"remind", "remind_at", F::time, "ISO-8601 reminder time (empty clears)"},
    {"assignee", "assignee_id", F::id, "user id (empty clears)"},
    {"status", "status", F::text, "open|in_progress|done|cancelled"},
    {"priority", "priority", F::text, "low|normal|high"},
    {"link", "links", F::links, "ENTITY:ID, e.g. contact:3 (repeatable; replaces the links)"},
    {"external-id", "external_id", F::text, "id in another system"},
    {"tag", "tags", F::list, "tag (repeatable; replaces the tags)"},
};
const std::vector<FieldFlag> kDocument = {
    {"name", "name", F::text, "document name"},
    {"kind", "kind", F::text, "quote|invoice|proposal|contract|other"},
    {"mime", "mime_type", F::text, "MIME type"},
    {"uri", "uri", F::text, "external location"},
    {"link", "links", F::links, "ENTITY:ID of an account, contact or deal (repeatable; replaces the links)"},
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

// AMOUNT [CURRENCY] in minor units: "50000", "1200 USD"; empty or null clears.
json money_value(const std::string& raw, const std::string& what) {
    if (raw.empty() || raw == "null") return nullptr;
    std::size_t end = 0;
    while (end < raw.size() && (std::isdigit(static_cast<unsigned char>(raw[end])) || (end == 0 && raw[0] == '-'))) ++end;
    std::string amount = raw.substr(0, end), currency = raw.substr(end);
    while (!currency.empty() && currency.front() == ' ') currency.erase(0, 1);
    if (currency.empty()) currency = "JPY";
    return json{{"amount", parse_int(amount, what.c_str())}, {"currency", currency}};
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (auto p = s.find(sep); p != std::string::npos; p = s.find(sep, start)) {
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
    out.push_back(s.substr(start));
    return out;
}

// One pipeline stage: NAME:PROBABILITY[:open|won|lost].
json stage_value(const std::string& raw, const std::string& what) {
    auto parts = split(raw, ':');
    if (parts.size() < 2 || parts.size() > 3)
        invalid_input(fmt::format("{}: '{}' is not NAME:PROBABILITY[:open|won|lost]", what, raw));
    json st = {{"name", parts[0]}, {"probability", parse_int(parts[1], "--stage probability")}};
    if (parts.size() == 3) st["kind"] = parts[2];
    return st;
}

// One deal line item: PRODUCT_ID:QUANTITY:UNIT_PRICE[:DISCOUNT], priced in `currency`.
json item_value(const std::string& raw, const std::string& what, const std::string& currency) {
    auto parts = split(raw, ':');
    if (parts.size() < 3 || parts.size() > 4)
        invalid_input(fmt::format("{}: '{}' is not PRODUCT_ID:QUANTITY:UNIT_PRICE[:DISCOUNT]", what, raw));
    json li = {{"product_id", parse_id(parts[0], "--item product")},
               {"quantity", parse_int(parts[1], "--item quantity")},
               {"unit_price", {{"amount", parse_int(parts[2], "--item unit price")}, {"currency", currency}}}};
    if (parts.size() == 4) li["discount"] = parse_int(parts[3], "--item discount");
    return li;
}

// A link to another record: ENTITY:ID (contact:3).
json link_value(const std::string& raw, const std::string& what) {
    auto colon = raw.find(':');
    if (colon == std::string::npos) invalid_input(fmt::format("{}: '{}' is not ENTITY:ID (contact:3)", what, raw));
    return {{"entity", crm::entity_name(parse_entity(raw.substr(0, colon)))},
            {"id", parse_id(raw.substr(colon + 1), what.c_str())}};
}

// The currency of deal line items: the last --amount's, else the deal's, else JPY.
std::string items_currency(const Args& args, const json& current) {
    std::string currency = "JPY";
    if (current.contains("amount") && current["amount"].is_object())
        currency = current["amount"].value("currency", "JPY");
    if (auto amount = args.get("amount")) {
        json m = money_value(*amount, "--amount");
        if (m.is_object()) currency = m["currency"];
    }
    return currency;
}

const RecordKind kKinds[] = {
    {crm::Entity::contact, kContact,
     {"id", "name", "reading=name_reading", "email=emails.primary", "title", "account", "stage=lifecycle_stage", "tags"}},
    {crm::Entity::account, kAccount,
     {"id", "name", "reading=name_reading", "industry", "employees=employee_count", "status=contract_status",
      "region=address.region", "tags"}},
    {crm::Entity::user, kUser, {"id", "name", "reading=name_reading", "email", "role", "team", "region", "active"}},
    {crm::Entity::team, kTeam, {"id", "name", "region", "manager", "tags"}},
    {crm::Entity::product, kProduct,
     {"id", "name", "series", "price=list_price.amount", "currency=list_price.currency", "active", "tags"}},
    {crm::Entity::campaign, kCampaign,
     {"id", "name", "channel", "start=start_date", "end=end_date", "cost=cost.amount", "currency=cost.currency"}},
    {crm::Entity::pipeline, kPipeline, {"id", "name", "tags"}},
    {crm::Entity::deal, kDeal,
     {"id", "name", "pipeline=pipeline_id", "stage=stage_id", "status", "amount=amount.amount",
      "currency=amount.currency", "close=expected_close_date"}},
    {crm::Entity::interaction, kInteraction,
     {"id", "occurred_at", "kind", "direction", "subject", "contact_ids", "account_ids"}},
    {crm::Entity::ticket, kTicket,
     {"id", "subject", "status", "priority", "channel", "requester=requester_id", "assignee=assignee_id", "opened_at"}},
    {crm::Entity::task, kTask,
     {"id", "title", "status", "priority", "due_at", "assignee=assignee_id", "remind_at"}},
    {crm::Entity::document, kDocument, {"id", "kind", "name", "mime_type", "size", "sha256", "uri"}},
};
}  // namespace

crm::Timestamp parse_time(const std::string& text, const char* what) {
    auto t = crm::parse_iso8601(text);
    if (!t) invalid_input(fmt::format("{}: '{}' is not an ISO-8601 time (2026-01-13T09:00:00+09:00)", what, text));
    return *t;
}

json parse_document(const std::string& what, const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded()) invalid_input(fmt::format("{}: not valid JSON", what));
    return j;
}

const RecordKind& record_kind(crm::Entity e) {
    for (const auto& k : kKinds)
        if (k.entity == e) return k;
    return kKinds[0];  // not reached: every entity has a row
}

const std::vector<FieldFlag>& field_flags(crm::Entity e) { return record_kind(e).flags; }
const std::vector<std::string>& table_columns(crm::Entity e) { return record_kind(e).columns; }

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
        auto clears = [&] { return value.empty() || value == "null"; };
        // Repeatable options: each occurrence adds one element, the whole array replaces the field.
        auto add_element = [&](json element) {
            auto& arr = lists[flag->key];
            if (!arr.is_array()) arr = json::array();
            if (!element.is_null()) arr.push_back(std::move(element));
            set_path(patch, flag->key, arr);
        };
        switch (flag->kind) {
            case F::text: set_path(patch, flag->key, value); break;
            case F::opt_text: set_path(patch, flag->key, value.empty() ? json(nullptr) : json(value)); break;
            case F::id: set_path(patch, flag->key, clears() ? json(nullptr) : json(parse_id(value, what.c_str()))); break;
            case F::integer:
                set_path(patch, flag->key, clears() ? json(nullptr) : json(parse_int(value, what.c_str())));
                break;
            case F::boolean: {
                auto b = parse_bool(value);
                if (!b) invalid_input(fmt::format("{}: '{}' is not true or false", what, value));
                set_path(patch, flag->key, *b);
                break;
            }
            case F::money: set_path(patch, flag->key, money_value(value, what)); break;
            case F::time:
                set_path(patch, flag->key,
                         value.empty() ? json(nullptr) : json(crm::format_iso8601(parse_time(value, what.c_str()))));
                break;
            case F::list: add_element(value.empty() ? json(nullptr) : json(value)); break;
            case F::ids: add_element(parse_id(value, what.c_str())); break;
            case F::stages: add_element(stage_value(value, what)); break;
            case F::items: add_element(item_value(value, what, items_currency(args, current))); break;
            case F::links: add_element(link_value(value, what)); break;
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
            if constexpr (requires(const T& t) { t.name; }) {
                auto r = Kind<T>::service(db).get(id);
                if (r) return r.value().name;
            }
            return fmt::format("#{}", id);
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
