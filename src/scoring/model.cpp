// Scoring models: a definition (JSON) parsed and checked into a Model. Every field a
// predicate names is resolved through the entity registry's descriptors (and the
// custom-field definitions); every number is range-checked; any error names the
// rule and the key, and nothing is stored (the service stores only a parsed model).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "crm/interactions.hpp"
#include "json/parse.hpp"
#include "records/registry.hpp"
#include "scoring/model.hpp"
#include "util/text.hpp"
#include "util/try.hpp"

namespace crm::scoring {

namespace {
using Json = nlohmann::json;

struct Ctx {
    void* db;
    CustomDefs defs;
    Model* m;
    std::string where;  // "fit[2] 'manager'": the rule, for messages
    std::string path;   // "fit[2]": the rule's path, for error::field
    std::size_t nodes = 0;
};

error bad(const Ctx& c, const std::string& key, const std::string& why) {
    const std::string field = c.path.empty() ? key : (key.empty() ? c.path : c.path + "." + key);
    return make_error(errc::invalid_argument,
                      c.where.empty() ? fmt::format("{}: {}", field, why) : fmt::format("{}: {}: {}", c.where, key, why),
                      field);
}

result<void> only_keys(const Ctx& c, const std::string& at, const Json& o, std::initializer_list<const char*> allowed) {
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool ok_key = false;
        for (const char* a : allowed) ok_key = ok_key || it.key() == a;
        if (!ok_key) {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            return bad(c, at.empty() ? it.key() : at + "." + it.key(), fmt::format("unknown key (known: {})", list));
        }
    }
    return ok();
}

result<std::int64_t> integer_in(const Ctx& c, const std::string& key, const Json& v, std::int64_t lo, std::int64_t hi) {
    if (!v.is_number_integer())
        return bad(c, key, v.is_number() ? "must be a whole number" : "must be a number");
    std::int64_t x = 0;
    if (v.is_number_unsigned()) {
        if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) return bad(c, key, fmt::format("must be between {} and {}", lo, hi));
        x = static_cast<std::int64_t>(v.get<std::uint64_t>());
    } else {
        x = v.get<std::int64_t>();
    }
    if (x < lo || x > hi) return bad(c, key, fmt::format("must be between {} and {}", lo, hi));
    return x;
}

result<std::string> text_in(const Ctx& c, const std::string& key, const Json& v, std::size_t max, bool allow_empty = false) {
    if (!v.is_string()) return bad(c, key, "must be a string");
    const auto& s = v.get_ref<const std::string&>();
    if (auto r = text::check(key, s, max, false); !r) return bad(c, key, r.error().message);
    if (!allow_empty && s.empty()) return bad(c, key, "must not be empty");
    return s;
}

bool is_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    const int y = std::stoi(s.substr(0, 4)), mo = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

// ---- fields ---------------------------------------------------------------------------
std::optional<VK> vk_of(ValueType t) {
    switch (t) {
        case ValueType::text:
        case ValueType::date:
        case ValueType::enumeration: return VK::text;
        case ValueType::integer:
        case ValueType::time:
        case ValueType::reference:
        case ValueType::money: return VK::integer;
        case ValueType::boolean: return VK::boolean;
        case ValueType::tags:
        case ValueType::list: return VK::texts;
        case ValueType::references: return VK::integers;
        default: return std::nullopt;
    }
}

std::string known_fields(Entity e) {
    std::string out;
    const auto* k = records::find(e);
    if (!k) return out;
    for (const auto& f : k->info.fields) {
        if (!vk_of(f.type)) continue;
        if (out.size() > 300) return out + ", …";
        out += (out.empty() ? "" : ", ") + std::string(f.key);
    }
    return out + ", custom.<name>";
}

result<int> resolve(Ctx& c, const std::string& key, bool interaction) {
    FieldRef f;
    f.key = key;
    if (interaction) {
        f.source = Source::interaction;
        f.field = key;
        const auto* k = records::find(Entity::interaction);
        const records::FieldView* v = k ? k->field(key) : nullptr;
        if (!v || v->info->key != key)
            return bad(c, "when.field", fmt::format("'{}' is not a field of interactions", key));
        using records::Shape;
        switch (v->shape) {
            case Shape::text:
            case Shape::enumeration: f.vk = VK::text; break;
            case Shape::integer:
            case Shape::opt_integer:
            case Shape::time:
            case Shape::opt_time: f.vk = VK::integer; break;
            case Shape::boolean: f.vk = VK::boolean; break;
            default:
                return bad(c, "when.field",
                           fmt::format("'{}' cannot be used in a behaviour rule (use kind, event or a column field: "
                                       "url, channel, source, subject, direction, referrer …)", key));
        }
        if (!v->column) return bad(c, "when.field", fmt::format("'{}' cannot be used in a behaviour rule", key));
        f.column = v->column;
        f.type = v->info->type;
        f.values = v->info->values;
    } else {
        std::string rest = key;
        f.source = Source::contact;
        if (key.rfind("account.", 0) == 0) {
            f.source = Source::account;
            rest = key.substr(8);
        }
        const Entity e = f.source == Source::account ? Entity::account : Entity::contact;
        f.field = rest;
        if (rest.rfind("custom.", 0) == 0) {
            f.custom = rest.substr(7);
            const auto defs = c.defs(c.db, e);
            auto it = std::find_if(defs.begin(), defs.end(), [&](const CustomFieldDef& d) { return d.name == f.custom; });
            if (it == defs.end())
                return bad(c, "when.field", fmt::format("'{}': {} has no custom field '{}'", key, entity_name(e), f.custom));
            f.custom_type = it->type;
            switch (it->type) {
                case FieldType::integer: f.vk = VK::integer; f.type = ValueType::integer; break;
                case FieldType::boolean: f.vk = VK::boolean; f.type = ValueType::boolean; break;
                case FieldType::date: f.vk = VK::text; f.type = ValueType::date; break;
                default: f.vk = VK::text; f.type = ValueType::text; break;
            }
        } else {
            const auto* info = entity_info(e);
            const FieldInfo* fi = info ? info->field(rest) : nullptr;
            if (!fi || fi->key != rest)
                return bad(c, "when.field",
                           fmt::format("'{}' is not a field of {} (fields: {})", key, entity_name(e), known_fields(e)));
            auto vk = vk_of(fi->type);
            if (!vk) return bad(c, "when.field", fmt::format("'{}' ({}) cannot be used in a rule", key, to_string(fi->type)));
            f.vk = *vk;
            f.type = fi->type;
            f.values = fi->values;
        }
        if (f.source == Source::account) c.m->uses_account = true;
    }
    auto& slots = interaction ? c.m->interaction_slots : c.m->fit_slots;
    for (std::size_t i = 0; i < slots.size(); ++i)
        if (slots[i] == f) return static_cast<int>(i);
    slots.push_back(std::move(f));
    return static_cast<int>(slots.size() - 1);
}

// ---- predicates -----------------------------------------------------------------------
result<std::string> text_value(Ctx& c, const std::string& key, const FieldRef& f, const Json& v) {
    CRM_TRY(std::string s, text_in(c, key, v, kMaxValueBytes, true));
    if (f.type == ValueType::date && !is_date(s)) return bad(c, key, fmt::format("'{}' is not a date (YYYY-MM-DD)", s));
    if (f.type == ValueType::enumeration && !f.values.empty() &&
        std::none_of(f.values.begin(), f.values.end(), [&](const char* x) { return s == x; })) {
        std::string list;
        for (const char* x : f.values) list += (list.empty() ? "" : ", ") + std::string(x);
        return bad(c, key, fmt::format("'{}' is not a value of {} ({})", s, f.key, list));
    }
    return s;
}

result<std::int64_t> int_value(Ctx& c, const std::string& key, const FieldRef& f, const Json& v) {
    if (f.type == ValueType::time && v.is_string()) {
        auto t = parse_iso8601(v.get<std::string>());
        if (!t) return bad(c, key, "is not an ISO-8601 time");
        return *t;
    }
    return integer_in(c, key, v, -(std::int64_t{1} << 53), std::int64_t{1} << 53);
}

const char* vk_name(const FieldRef& f) { return to_string(f.type); }

result<Node> predicate(Ctx& c, const std::string& at, const Json& j, bool interaction, int depth) {
    if (depth > kMaxPredicateDepth) return bad(c, at, fmt::format("predicates nest deeper than {}", kMaxPredicateDepth));
    if (++c.nodes > kMaxNodes) return bad(c, at, fmt::format("more than {} predicate nodes in one rule", kMaxNodes));
    if (!j.is_object()) return bad(c, at, "must be an object: {\"field\":…,\"op\":…} or {\"all\"|\"any\":[…]} or {\"not\":{…}}");
    Node n;
    for (const char* comb : {"all", "any"}) {
        if (!j.contains(comb)) continue;
        if (j.size() != 1) return bad(c, at, fmt::format("'{}' stands alone in its object", comb));
        const auto& arr = j.at(comb);
        if (!arr.is_array() || arr.empty()) return bad(c, at + "." + comb, "must be a non-empty array");
        n.op = std::string(comb) == "all" ? Op::all : Op::any;
        for (std::size_t i = 0; i < arr.size(); ++i) {
            CRM_TRY(Node ch, predicate(c, fmt::format("{}.{}[{}]", at, comb, i), arr[i], interaction, depth + 1));
            n.children.push_back(std::move(ch));
        }
        return n;
    }
    if (j.contains("not")) {
        if (j.size() != 1) return bad(c, at, "'not' stands alone in its object");
        n.op = Op::not_;
        CRM_TRY(Node ch, predicate(c, at + ".not", j.at("not"), interaction, depth + 1));
        n.children.push_back(std::move(ch));
        return n;
    }
    CRM_TRYV(only_keys(c, at, j, {"field", "op", "value", "min", "max"}));
    if (!j.contains("field")) return bad(c, at + ".field", "is required");
    if (!j.contains("op")) return bad(c, at + ".op", "is required (equals, in, range, contains, pattern, exists)");
    CRM_TRY(std::string field, text_in(c, at + ".field", j.at("field"), 200));
    CRM_TRY(std::string op, text_in(c, at + ".op", j.at("op"), 20));
    CRM_TRY(int slot, resolve(c, field, interaction));
    n.slot = slot;
    const FieldRef f = (interaction ? c.m->interaction_slots : c.m->fit_slots)[static_cast<std::size_t>(slot)];
    n.vk = f.vk;
    auto need = [&](const char* k) -> result<const Json*> {
        if (!j.contains(k)) return bad(c, at + "." + k, fmt::format("is required for '{}'", op));
        return &j.at(k);
    };
    auto refuse_extra = [&](std::initializer_list<const char*> ks) -> result<void> {
        for (const char* k : ks)
            if (j.contains(k)) return bad(c, at + "." + k, fmt::format("is not used by '{}'", op));
        return ok();
    };
    const std::string vkey = at + ".value";
    if (op == "equals" || op == "in") {
        n.op = op == "equals" ? Op::equals : Op::in;
        CRM_TRYV(refuse_extra({"min", "max"}));
        CRM_TRY(const Json* v, need("value"));
        if (f.vk == VK::texts || f.vk == VK::integers)
            return bad(c, vkey, fmt::format("'{}' holds several values ({}): use contains", field, vk_name(f)));
        std::vector<const Json*> items;
        if (n.op == Op::in) {
            if (!v->is_array() || v->empty()) return bad(c, vkey, "must be a non-empty array for 'in'");
            if (v->size() > kMaxInValues) return bad(c, vkey, fmt::format("has more than {} values", kMaxInValues));
            for (const auto& x : *v) items.push_back(&x);
        } else {
            items.push_back(v);
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string k = n.op == Op::in ? fmt::format("{}[{}]", vkey, i) : vkey;
            const Json& x = *items[i];
            switch (f.vk) {
                case VK::text: {
                    if (!x.is_string()) return bad(c, k, fmt::format("'{}' is {}: the value must be a string", field, vk_name(f)));
                    CRM_TRY(auto s, text_value(c, k, f, x));
                    n.texts.push_back(std::move(s));
                    break;
                }
                case VK::integer: {
                    CRM_TRY(auto i2, int_value(c, k, f, x));
                    n.ints.push_back(i2);
                    break;
                }
                case VK::boolean:
                    if (!x.is_boolean()) return bad(c, k, fmt::format("'{}' is boolean: the value must be true or false", field));
                    if (n.op == Op::in) return bad(c, k, "use equals for a boolean field");
                    n.flag = x.get<bool>();
                    break;
                default: break;
            }
        }
        return n;
    }
    if (op == "range") {
        n.op = Op::range;
        CRM_TRYV(refuse_extra({"value"}));
        if (!j.contains("min") && !j.contains("max")) return bad(c, at + ".min", "range needs min, max or both");
        const bool date = f.type == ValueType::date;
        if (f.vk != VK::integer && !date)
            return bad(c, at + ".op", fmt::format("range needs a number, money, time or date field; '{}' is {}", field, vk_name(f)));
        for (const char* k : {"min", "max"}) {
            if (!j.contains(k)) continue;
            if (date) {
                if (!j.at(k).is_string()) return bad(c, at + "." + k, "must be a date (YYYY-MM-DD)");
                CRM_TRY(auto s, text_value(c, at + "." + k, f, j.at(k)));
                (std::string(k) == "min" ? n.smin : n.smax) = s;
            } else {
                CRM_TRY(auto x, int_value(c, at + "." + k, f, j.at(k)));
                (std::string(k) == "min" ? n.min : n.max) = x;
            }
        }
        if ((n.min && n.max && *n.min > *n.max) || (n.smin && n.smax && *n.smin > *n.smax))
            return bad(c, at + ".min", "is greater than max");
        return n;
    }
    if (op == "contains") {
        n.op = Op::contains;
        CRM_TRYV(refuse_extra({"min", "max"}));
        CRM_TRY(const Json* v, need("value"));
        if (f.vk == VK::integers) {
            CRM_TRY(auto x, integer_in(c, vkey, *v, 1, INT64_MAX));
            n.ints.push_back(x);
        } else if (f.vk == VK::text || f.vk == VK::texts) {
            CRM_TRY(auto s, text_in(c, vkey, *v, kMaxValueBytes));
            n.texts.push_back(std::move(s));
        } else {
            return bad(c, at + ".op", fmt::format("contains needs a text or list field; '{}' is {}", field, vk_name(f)));
        }
        return n;
    }
    if (op == "pattern") {
        n.op = Op::pattern;
        CRM_TRYV(refuse_extra({"min", "max"}));
        CRM_TRY(const Json* v, need("value"));
        if (f.vk != VK::text && f.vk != VK::texts)
            return bad(c, at + ".op", fmt::format("pattern needs a text field; '{}' is {}", field, vk_name(f)));
        CRM_TRY(auto s, text_in(c, vkey, *v, kMaxPatternBytes));
        if (auto why = pattern_problem(s); !why.empty()) return bad(c, vkey, why);
        n.texts.push_back(std::move(s));
        return n;
    }
    if (op == "exists") {
        n.op = Op::exists;
        CRM_TRYV(refuse_extra({"value", "min", "max"}));
        return n;
    }
    return bad(c, at + ".op", fmt::format("'{}' is not an operator (equals, in, range, contains, pattern, exists)", op));
}

result<Node> when_of(Ctx& c, const Json& rule, bool interaction, bool required) {
    c.nodes = 0;
    if (!rule.contains("when")) {
        if (required) return bad(c, "when", "is required");
        return Node{};
    }
    return predicate(c, "when", rule.at("when"), interaction, 1);
}

result<std::string> rule_id(Ctx& c, const Json& rule, std::set<std::string>& seen) {
    if (!rule.contains("id")) return bad(c, "id", "is required ([a-z0-9_-], 1–64 bytes)");
    CRM_TRY(std::string id, text_in(c, "id", rule.at("id"), 64));
    for (char ch : id)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return bad(c, "id", fmt::format("'{}' must use only a-z, 0-9, '_' and '-'", id));
    if (!seen.insert(id).second) return bad(c, "id", fmt::format("'{}' is used by another rule of this model", id));
    c.where = fmt::format("rule '{}' ({})", id, c.path);
    return id;
}

result<std::vector<Band>> bands(Ctx& c, const Json& j, const char* key, std::vector<Band> fallback) {
    if (!j.contains(key)) return fallback;
    const auto& a = j.at(key);
    if (!a.is_array() || a.empty()) return bad(c, key, "must be a non-empty array of {\"band\":\"A\",\"min\":50}");
    if (a.size() > static_cast<std::size_t>(kMaxBands)) return bad(c, key, fmt::format("has more than {} bands", kMaxBands));
    std::vector<Band> out;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string at = fmt::format("{}[{}]", key, i);
        if (!a[i].is_object()) return bad(c, at, "must be an object");
        CRM_TRYV(only_keys(c, at, a[i], {"band", "min"}));
        if (!a[i].contains("band")) return bad(c, at + ".band", "is required");
        Band b;
        CRM_TRY(b.name, text_in(c, at + ".band", a[i].at("band"), 8));
        const bool last = i + 1 == a.size();
        if (a[i].contains("min")) {
            if (last) return bad(c, at + ".min", "the last band takes every score below the others: it has no min");
            CRM_TRY(auto x, integer_in(c, at + ".min", a[i].at("min"), -kMaxLimit, kMaxLimit));
            b.min = x * kMilli;
            if (!out.empty() && b.min >= out.back().min) return bad(c, at + ".min", "must be below the band before");
        } else if (!last) {
            return bad(c, at + ".min", "is required (all bands but the last)");
        }
        out.push_back(std::move(b));
    }
    return out;
}

std::vector<CustomFieldDef> no_defs(void*, Entity) { return {}; }
}  // namespace

result<Node> parse_predicate(const nlohmann::json& when, const std::string& path, Model& into, void* db,
                             CustomDefs defs) {
    Ctx c{db, defs ? defs : &no_defs, &into, path, path, 0};
    return predicate(c, "when", when, false, 1);
}

result<Model> parse_model(std::string_view text, void* db, CustomDefs defs) {
    if (text.size() > kMaxDefinitionBytes)
        return invalid("definition", fmt::format("is larger than {} bytes", kMaxDefinitionBytes));
    CRM_TRY(Json j, json::parse_object(text, "definition"));
    Model m;
    Ctx c{db, defs ? defs : &no_defs, &m, "", "", 0};
    CRM_TRYV(only_keys(c, "", j,
                       {"name", "description", "limits", "fit_bands", "engagement_bands", "trend", "day_offset_minutes",
                        "fit", "behaviour"}));
    if (!j.contains("name")) return bad(c, "name", "is required");
    CRM_TRY(m.name, text_in(c, "name", j.at("name"), 128));
    if (text::trim(m.name) != m.name) return bad(c, "name", "must not begin or end with white space");
    if (j.contains("description")) { CRM_TRY(m.description, text_in(c, "description", j.at("description"), 4096, true)); }
    if (j.contains("limits")) {
        const auto& l = j.at("limits");
        if (!l.is_object()) return bad(c, "limits", "must be an object {\"min\":0,\"max\":100}");
        CRM_TRYV(only_keys(c, "limits", l, {"min", "max"}));
        m.min_total = 0;
        m.max_total = 100;
        if (l.contains("min")) { CRM_TRY(m.min_total, integer_in(c, "limits.min", l.at("min"), -kMaxLimit, kMaxLimit)); }
        if (l.contains("max")) { CRM_TRY(m.max_total, integer_in(c, "limits.max", l.at("max"), -kMaxLimit, kMaxLimit)); }
        if (m.min_total >= m.max_total) return bad(c, "limits.min", "must be below limits.max");
        m.min_total *= kMilli;
        m.max_total *= kMilli;
    }
    CRM_TRY(m.fit_bands, bands(c, j, "fit_bands", {{"A", 50 * kMilli}, {"B", 25 * kMilli}, {"C", 0}, {"D", 0}}));
    CRM_TRY(m.engagement_bands,
            bands(c, j, "engagement_bands", {{"1", 50 * kMilli}, {"2", 25 * kMilli}, {"3", 10 * kMilli}, {"4", 0}}));
    if (j.contains("trend")) {
        const auto& t = j.at("trend");
        if (!t.is_object()) return bad(c, "trend", "must be an object {\"days\":7,\"threshold\":5}");
        CRM_TRYV(only_keys(c, "trend", t, {"days", "threshold"}));
        if (t.contains("days")) { CRM_TRY(m.trend_days, integer_in(c, "trend.days", t.at("days"), 1, kMaxDays)); }
        if (t.contains("threshold")) {
            CRM_TRY(auto x, integer_in(c, "trend.threshold", t.at("threshold"), 1, kMaxLimit));
            m.trend_threshold = x * kMilli;
        }
    }
    if (j.contains("day_offset_minutes")) {
        CRM_TRY(m.day_offset_minutes, integer_in(c, "day_offset_minutes", j.at("day_offset_minutes"), -720, 840));
    }

    std::set<std::string> seen;
    std::set<std::string> kinds;
    std::size_t count = 0;
    for (const char* part : {"fit", "behaviour"}) {
        if (!j.contains(part)) continue;
        const auto& rules = j.at(part);
        const bool fit = std::string(part) == "fit";
        if (!rules.is_array()) return bad(c, part, "must be an array of rules");
        count += rules.size();
        if (count > kMaxRules) return bad(c, part, fmt::format("a model has at most {} rules", kMaxRules));
        for (std::size_t i = 0; i < rules.size(); ++i) {
            c.path = fmt::format("{}[{}]", part, i);
            c.where = c.path;
            const auto& r = rules[i];
            if (!r.is_object()) return bad(c, "", "must be an object");
            if (fit) {
                CRM_TRYV(only_keys(c, "", r, {"id", "when", "points", "gate"}));
                FitRule fr;
                CRM_TRY(fr.id, rule_id(c, r, seen));
                if (r.contains("gate")) {
                    if (!r.at("gate").is_boolean()) return bad(c, "gate", "must be true or false");
                    fr.gate = r.at("gate").get<bool>();
                }
                if (fr.gate) {
                    if (r.contains("points")) return bad(c, "points", "a gate rule disqualifies: it has no points");
                } else {
                    if (!r.contains("points")) return bad(c, "points", "is required (whole points, -1000 … 1000)");
                    CRM_TRY(auto p, integer_in(c, "points", r.at("points"), -kMaxRulePoints, kMaxRulePoints));
                    fr.points = p * kMilli;
                }
                CRM_TRY(fr.when, when_of(c, r, false, true));
                m.fit.push_back(std::move(fr));
            } else {
                CRM_TRYV(only_keys(c, "", r,
                                   {"id", "kind", "event", "when", "points", "repeat", "cap_per_day", "cap_total",
                                    "cap_points", "window_days", "half_life_days"}));
                BehaviourRule br;
                CRM_TRY(br.id, rule_id(c, r, seen));
                if (!r.contains("kind")) return bad(c, "kind", "is required (email, web_visit, event_attendance, …)");
                CRM_TRY(br.kind, text_in(c, "kind", r.at("kind"), 64));
                if (auto k = [&]() -> result<void> {
                        for (char ch : br.kind)
                            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
                                return bad(c, "kind", fmt::format("'{}' must match [a-z][a-z0-9_]*", br.kind));
                        if (br.kind[0] < 'a' || br.kind[0] > 'z')
                            return bad(c, "kind", fmt::format("'{}' must match [a-z][a-z0-9_]*", br.kind));
                        return ok();
                    }();
                    !k)
                    return k.error();
                if (r.contains("event")) {
                    CRM_TRY(br.event, text_in(c, "event", r.at("event"), 20));
                    if (br.kind != "email") return bad(c, "event", "email events need kind \"email\"");
                    if (!email_event_from_string(br.event))
                        return bad(c, "event", fmt::format("'{}' is not an email event (sent, delivered, opened, "
                                                           "clicked, bounced, unsubscribed)", br.event));
                    m.uses_events = true;
                }
                if (!r.contains("points")) return bad(c, "points", "is required (whole points, -1000 … 1000)");
                CRM_TRY(auto p, integer_in(c, "points", r.at("points"), -kMaxRulePoints, kMaxRulePoints));
                if (p == 0) return bad(c, "points", "must not be 0");
                br.points = p * kMilli;
                if (r.contains("repeat")) {
                    if (!r.at("repeat").is_boolean()) return bad(c, "repeat", "must be true or false");
                    br.repeat = r.at("repeat").get<bool>();
                }
                if (r.contains("cap_per_day")) { CRM_TRY(br.cap_per_day, integer_in(c, "cap_per_day", r.at("cap_per_day"), 1, kMaxCapCount)); }
                if (r.contains("cap_total")) { CRM_TRY(br.cap_total, integer_in(c, "cap_total", r.at("cap_total"), 1, kMaxCapCount)); }
                if (!br.repeat) {
                    if (r.contains("cap_total") || r.contains("cap_per_day"))
                        return bad(c, "repeat", "a rule that counts once takes no cap_per_day or cap_total");
                    br.cap_total = 1;
                }
                if (r.contains("cap_points")) {
                    CRM_TRY(auto x, integer_in(c, "cap_points", r.at("cap_points"), 1, kMaxCapPoints));
                    br.cap_points = x * kMilli;
                }
                if (r.contains("window_days") && r.contains("half_life_days"))
                    return bad(c, "window_days", "give window_days or half_life_days, not both");
                if (r.contains("window_days")) {
                    CRM_TRY(auto d, integer_in(c, "window_days", r.at("window_days"), 1, kMaxDays));
                    br.window_ms = d * kDayMs;
                }
                if (r.contains("half_life_days")) {
                    CRM_TRY(auto d, integer_in(c, "half_life_days", r.at("half_life_days"), 1, kMaxDays));
                    br.half_life_ms = d * kDayMs;
                }
                CRM_TRY(br.when, when_of(c, r, true, false));
                kinds.insert(br.kind);
                m.behaviour.push_back(std::move(br));
            }
        }
    }
    m.kinds.assign(kinds.begin(), kinds.end());
    m.document = j.dump();
    return m;
}

}  // namespace crm::scoring
