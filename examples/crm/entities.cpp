// entities.cpp — what the record commands take from the library's description of
// each kind (crm/entities.hpp): field options, table columns, and how options
// become a merge patch (see records.hpp). Nothing here lists the kinds.
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "records.hpp"
#include "crm/money.hpp"

namespace cli {

namespace {
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
    if (j.is_discarded()) bad_argument(fmt::format("{}: '{}' is not valid JSON", what, text));
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

// AMOUNT [CURRENCY] in the currency's own unit, decimals per its ISO-4217 exponent:
// "50000" (yen), "199.99 USD", "12.345 BHD"; empty or null clears. Without a
// currency, `default_currency` (JPY unless the record says otherwise).
json money_value(const std::string& raw, const std::string& what, const std::string& default_currency = "JPY") {
    if (raw.empty() || raw == "null") return nullptr;
    std::size_t end = 0;
    while (end < raw.size() && (std::isdigit(static_cast<unsigned char>(raw[end])) || raw[end] == '.' ||
                                (end == 0 && (raw[0] == '-' || raw[0] == '+'))))
        ++end;
    std::string amount = raw.substr(0, end), currency = raw.substr(end);
    while (!currency.empty() && currency.front() == ' ') currency.erase(0, 1);
    for (auto& c : currency)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (currency.empty()) currency = default_currency.empty() ? "JPY" : default_currency;
    std::string why;
    auto minor = crm::parse_decimal_amount(amount, crm::currency_exponent(currency), &why);
    if (amount.empty())
        bad_argument(fmt::format("{}: '{}' is not an amount: give AMOUNT [CURRENCY], e.g. 50000 (yen) or 199.99 USD",
                                 what, raw));
    if (!minor) bad_argument(fmt::format("{}: '{}' {} ({})", what, amount, why, currency));
    return json{{"amount", *minor}, {"currency", currency}};
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

// A link to another record: ENTITY:ID (contact:3).
json link_value(const std::string& raw, const std::string& what) {
    auto colon = raw.find(':');
    if (colon == std::string::npos) bad_argument(fmt::format("{}: '{}' is not ENTITY:ID (contact:3)", what, raw));
    return {{"entity", crm::entity_name(parse_entity(raw.substr(0, colon)))},
            {"id", parse_id(raw.substr(colon + 1), what.c_str())}};
}

// One element of a list field from its command-line form: the positional parts
// colon-separated in order (NAME:PROBABILITY[:KIND]), or the whole text when the
// element has one positional part (an email address).
json element_value(const crm::FieldInfo& f, const std::string& raw, const std::string& what,
                   const std::string& currency) {
    std::vector<const crm::ElementPart*> pos;
    for (const auto& p : f.parts)
        if (p.positional) pos.push_back(&p);
    if (pos.empty()) return raw;
    std::vector<std::string> values = pos.size() == 1 ? std::vector<std::string>{raw} : split(raw, ':');
    std::size_t required = 0;
    std::string syntax;
    for (const auto* p : pos) {
        std::string name(p->key);
        for (auto& c : name) c = c == '_' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        syntax += p->optional ? "[:" + name + "]" : (syntax.empty() ? "" : ":") + name;
        if (!p->optional) ++required;
    }
    if (values.size() < required || values.size() > pos.size())
        bad_argument(fmt::format("{}: '{}' is not {}", what, raw, syntax));
    json e = json::object();
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto& p = *pos[i];
        const std::string part = what + " " + std::string(p.key);
        switch (p.type) {
            case crm::ValueType::integer: e[std::string(p.key)] = parse_int(values[i], part.c_str()); break;
            case crm::ValueType::reference: e[std::string(p.key)] = parse_id(values[i], part.c_str()); break;
            case crm::ValueType::money: {  // an amount in the record's currency (the library fills it in)
                json m = money_value(values[i], part, currency);
                if (values[i].find(' ') == std::string::npos && m.is_object()) m.erase("currency");
                e[std::string(p.key)] = m;
                break;
            }
            case crm::ValueType::boolean: {
                auto b = parse_bool(values[i]);
                if (!b) bad_argument(fmt::format("{}: '{}' is not true or false", part, values[i]));
                e[std::string(p.key)] = *b;
                break;
            }
            default: e[std::string(p.key)] = values[i];
        }
    }
    return e;
}

const crm::EntityInfo& info(crm::Entity e) {
    const auto* k = crm::entity_info(e);
    if (!k) usage_error("not an entity kind");
    return *k;
}
}  // namespace

std::string option_name(const crm::FieldInfo& f) {
    std::string n(f.name);
    for (auto& c : n)
        if (c == '_' || c == '.') c = '-';
    return n;
}

std::vector<const crm::FieldInfo*> option_fields(crm::Entity e) {
    std::vector<const crm::FieldInfo*> out;
    for (const auto& f : info(e).fields)
        if (f.has(crm::cap_import) && !f.has(crm::cap_computed) && f.type != crm::ValueType::custom) out.push_back(&f);
    return out;
}

const crm::FieldInfo& main_field(crm::Entity e) {
    const auto& k = info(e);
    for (const auto& f : k.fields)
        if (f.has(crm::cap_required)) return f;
    return k.fields.front();
}

crm::Timestamp parse_time(const std::string& text, const char* what) {
    auto t = crm::parse_iso8601(text);
    if (!t) bad_argument(fmt::format("{}: '{}' is not an ISO-8601 time (2026-01-13T09:00:00+09:00)", what, text));
    return *t;
}

json parse_document(const std::string& what, const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded()) invalid_input(fmt::format("{}: not valid JSON", what));
    return j;
}

std::vector<OptSpec> field_option_specs(crm::Entity e) {
    std::vector<OptSpec> s;
    for (const auto* f : option_fields(e)) s.push_back({option_name(*f), true, std::string(f->help)});
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
                    if (!b) bad_argument(fmt::format("{}: '{}' is not true or false", key, raw));
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

// The record's currency: what the amounts of its list elements (a deal's line
// items) are in: its money field's option on this command line, else the stored one.
std::string record_currency(crm::Entity e, const Args& args, const json& current) {
    for (const auto& f : info(e).fields) {
        if (f.type != crm::ValueType::money || f.key.find('.') != std::string_view::npos) continue;
        std::string currency;
        if (const json* m = at_path(current, f.key); m && m->is_object() && m->value("currency", json()).is_string())
            currency = (*m)["currency"].get<std::string>();
        for (const auto& [name, value] : args.options) {
            if (name != option_name(f)) continue;
            json m = money_value(value, "--" + name);
            if (m.is_object()) currency = m["currency"].get<std::string>();
        }
        return currency;
    }
    return {};
}

// A list element typed on the command line that names an element already stored
// (a pipeline's stage, by name) keeps that element's id: `pipeline update 1
// --stage 提案:30 …` changes the stage's probability instead of replacing the stage.
void keep_element_id(json& element, const json& current, const std::string& key) {
    if (!element.is_object() || element.contains("id") || !element.contains("name")) return;
    const json* stored = at_path(current, key);
    if (!stored || !stored->is_array()) return;
    for (const auto& old : *stored)
        if (old.is_object() && old.contains("id") && old.value("name", json()) == element["name"]) {
            element["id"] = old["id"];
            return;
        }
}

json build_patch(crm::Db& db, crm::Entity e, const Args& args, const json& current) {
    json patch = json::object();
    std::map<std::string, json> lists;  // repeatable options, collected in order
    const std::string currency = record_currency(e, args, current);
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
            if (!p.is_object()) bad_argument("--patch: must be a JSON object");
            compose(patch, p);
            continue;
        }
        const crm::FieldInfo* field = nullptr;
        for (const auto* f : option_fields(e))
            if (name == option_name(*f)) field = f;
        if (!field) continue;  // not a field option (--from-json …)
        const std::string what = "--" + name;
        const std::string key(field->key);
        auto clears = [&v = value] { return v.empty() || v == "null"; };  // init-capture: clang 14
        // Repeatable options: each occurrence adds one element, the whole array replaces the field.
        auto add_element = [&](json element) {
            auto& arr = lists[key];
            if (!arr.is_array()) arr = json::array();
            if (!element.is_null()) arr.push_back(std::move(element));
            set_path(patch, key, arr);
        };
        switch (field->type) {
            case crm::ValueType::text: set_path(patch, key, value); break;
            case crm::ValueType::date:
            case crm::ValueType::enumeration: set_path(patch, key, clears() ? json(nullptr) : json(value)); break;
            case crm::ValueType::reference:
                set_path(patch, key, clears() ? json(nullptr) : json(parse_id(value, what.c_str())));
                break;
            case crm::ValueType::integer:
                set_path(patch, key, clears() ? json(nullptr) : json(parse_int(value, what.c_str())));
                break;
            case crm::ValueType::boolean: {
                auto b = parse_bool(value);
                if (!b) bad_argument(fmt::format("{}: '{}' is not true or false", what, value));
                set_path(patch, key, *b);
                break;
            }
            case crm::ValueType::money: set_path(patch, key, money_value(value, what)); break;
            case crm::ValueType::time:
                set_path(patch, key,
                         value.empty() ? json(nullptr) : json(crm::format_iso8601(parse_time(value, what.c_str()))));
                break;
            case crm::ValueType::tags: add_element(value.empty() ? json(nullptr) : json(value)); break;
            case crm::ValueType::references: add_element(parse_id(value, what.c_str())); break;
            case crm::ValueType::list: {
                if (value.empty()) {
                    add_element(nullptr);
                    break;
                }
                json element = element_value(*field, value, what, currency);
                keep_element_id(element, current, key);
                add_element(std::move(element));
                break;
            }
            case crm::ValueType::links: add_element(link_value(value, what)); break;
            case crm::ValueType::custom: break;
        }
    }
    return patch;
}

void check_exists(crm::Db& db, crm::Entity kind, crm::Id id, const std::string& what) {
    auto r = db.records(kind).get(id);
    if (r) return;
    if (r.error().code != crm::errc::not_found) raise(r.error());
    not_found(fmt::format("{}: no {} with id {}", what, crm::entity_name(kind), id));
}

void check_references(crm::Db& db, crm::Entity e, const json& doc) {
    if (!doc.is_object()) return;
    auto id_at = [](const json& v) -> std::optional<crm::Id> {
        if (v.is_number_integer() && v.get<crm::Id>() > 0) return v.get<crm::Id>();
        return std::nullopt;
    };
    for (const auto& f : info(e).fields) {
        const json* v = at_path(doc, f.key);
        if (!v || v->is_null()) continue;
        const std::string key(f.key);
        switch (f.type) {
            case crm::ValueType::reference:
                if (auto id = id_at(*v)) check_exists(db, f.target, *id, key);
                break;
            case crm::ValueType::references:
                if (v->is_array())
                    for (std::size_t i = 0; i < v->size(); ++i)
                        if (auto id = id_at((*v)[i])) check_exists(db, f.target, *id, fmt::format("{}[{}]", key, i));
                break;
            case crm::ValueType::links:
                if (v->is_array())
                    for (std::size_t i = 0; i < v->size(); ++i) {
                        const json& l = (*v)[i];
                        if (!l.is_object() || !l.value("entity", json()).is_string()) continue;
                        auto kind = crm::entity_from_name(l["entity"].get<std::string>());
                        auto id = id_at(l.value("id", json()));
                        if (kind && id) check_exists(db, *kind, *id, fmt::format("{}[{}]", key, i));
                    }
                break;
            case crm::ValueType::list:
                if (v->is_array())
                    for (std::size_t i = 0; i < v->size(); ++i)
                        for (const auto& p : f.parts) {
                            if (p.type != crm::ValueType::reference || !(*v)[i].is_object()) continue;
                            if (auto id = id_at((*v)[i].value(std::string(p.key), json())))
                                check_exists(db, p.target, *id, fmt::format("{}[{}].{}", key, i, p.key));
                        }
                break;
            default: break;
        }
    }
}

void print_list(Context& ctx, crm::Entity e, const std::vector<std::string>& docs) {
    if (ctx.format != Format::as_table) return print_records(ctx, docs, {});
    // The kind's summary fields; a reference shows the name of the record it points to.
    auto& db = ctx.open();
    std::map<std::pair<int, crm::Id>, std::string> names;
    auto name_of = [&](crm::Entity kind, crm::Id id) -> std::string {
        auto [it, fresh] = names.try_emplace({static_cast<int>(kind), id});
        if (!fresh) return it->second;
        it->second = fmt::format("#{}", id);
        const auto& target = info(kind);
        if (const auto* main = target.field("name"); main && main->type == crm::ValueType::text) {
            if (auto doc = db.records(kind).get(id)) {
                auto j = json::parse(doc.value(), nullptr, false);
                if (j.is_object() && j.contains("name") && j["name"].is_string()) it->second = j["name"];
            }
        }
        return it->second;
    };
    std::vector<std::string> columns;
    std::vector<const crm::FieldInfo*> refs, money;
    for (const auto& f : info(e).fields) {
        if (!f.has(crm::cap_summary) && f.key != "id") continue;
        std::string header(f.name);
        if (f.type == crm::ValueType::reference) {
            columns.push_back(header + "=@" + std::string(f.key));
            refs.push_back(&f);
        } else if (f.type == crm::ValueType::list && !f.parts.empty()) {
            columns.push_back(header + "=" + std::string(f.key) + ".primary." + std::string(f.parts[0].key));
        } else if (f.type == crm::ValueType::money) {  // in the currency's own unit: 199.99
            columns.push_back(header + "=@" + std::string(f.key));
            columns.push_back(header == "amount" ? "currency=" + std::string(f.key) + ".currency"
                                                 : header + "_currency=" + std::string(f.key) + ".currency");
            money.push_back(&f);
        } else if (e == crm::Entity::deal && f.key == "stage_id") {  // a stage of the deal's pipeline, by name
            columns.push_back(header + "=@stage_id");
        } else {
            columns.push_back(header + "=" + std::string(f.key));
        }
    }
    StageLookup stages(db);
    std::vector<std::string> shown;
    shown.reserve(docs.size());
    for (const auto& d : docs) {
        auto j = json::parse(d);
        for (const auto* f : refs) {
            const std::string key(f->key);
            if (j.contains(key) && j[key].is_number_integer())
                j["@" + key] = name_of(f->target, j[key].get<crm::Id>());
        }
        for (const auto* f : money) {
            const std::string key(f->key);
            if (j.contains(key) && j[key].is_object() && j[key].value("amount", json()).is_number_integer())
                j["@" + key] = money_text(j[key]["amount"].get<std::int64_t>(), j[key].value("currency", ""));
        }
        if (e == crm::Entity::deal && j.value("stage_id", json()).is_number_integer() &&
            j.value("pipeline_id", json()).is_number_integer())
            j["@stage_id"] = stages.name(j["pipeline_id"].get<crm::Id>(), j["stage_id"].get<crm::Id>());
        shown.push_back(j.dump());
    }
    print_records(ctx, shown, columns);
}

}  // namespace cli
