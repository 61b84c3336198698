// The mapping language (crm/import.hpp, docs/import.md): reading it from JSON, writing
// it back, and checking each rule against the kind's fields in the registry.
#include <fmt/format.h>

#include <set>

#include "import/import_internal.hpp"
#include "json/parse.hpp"
#include "records/registry.hpp"

namespace crm::import {

namespace {

using impl::json;

constexpr std::size_t kMaxRules = 512;
constexpr std::size_t kMaxText = 4096;

const char* const kMatchNames[] = {"external_id", "email", "phone", "name", "name_company"};
const char* const kPolicyNames[] = {"create", "skip", "update", "merge"};
const char* const kMissingNames[] = {"reject", "create", "empty"};

template <class E, std::size_t N>
std::optional<E> from_name(const char* const (&names)[N], const std::string& s) {
    for (std::size_t i = 0; i < N; ++i)
        if (s == names[i]) return static_cast<E>(i);
    return std::nullopt;
}

template <std::size_t N>
std::string choices(const char* const (&names)[N]) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(names[i]);
    return out;
}

result<std::string> text_of(const json& v, const std::string& key) {
    if (!v.is_string()) return invalid(key, "must be a string");
    auto s = v.get<std::string>();
    if (s.size() > kMaxText) return invalid(key, fmt::format("is longer than {} bytes", kMaxText));
    return s;
}

result<FieldRule> rule_of(const json& r, const std::string& where) {
    if (!r.is_object()) return invalid(where, "must be an object like {\"column\": \"会社名\", \"field\": \"name\"}");
    FieldRule out;
    for (const auto& [k, v] : r.items()) {
        const std::string key = where + "." + k;
        if (k == "field") { CRM_TRY(out.field, text_of(v, key)); }
        else if (k == "column") { CRM_TRY(out.column, text_of(v, key)); }
        else if (k == "value") {
            if (v.is_string()) { CRM_TRY(out.value, text_of(v, key)); }
            else if (v.is_number_integer() || v.is_boolean()) out.value = v.dump();
            else return invalid(key, "must be a string, an integer or a boolean");
        }
        else if (k == "template") { CRM_TRY(out.template_text, text_of(v, key)); }
        else if (k == "values") {
            if (!v.is_object()) return invalid(key, "must be an object of cell value → stored value");
            if (v.size() > 10000) return invalid(key, "has more than 10000 entries");
            for (const auto& [from, to] : v.items()) {
                CRM_TRY(auto t, text_of(to, key + "." + from));
                out.values[from] = std::move(t);
            }
        }
        else if (k == "by") {
            CRM_TRY(out.by, text_of(v, key));
            if (out.by != "id" && out.by != "name" && out.by != "email" && out.by != "external_id")
                return invalid(key, "must be one of id, name, email, external_id");
        }
        else if (k == "missing") {
            CRM_TRY(auto s, text_of(v, key));
            auto m = from_name<Missing>(kMissingNames, s);
            if (!m) return invalid(key, "must be one of " + choices(kMissingNames));
            out.missing = *m;
        }
        else if (k == "split") {
            CRM_TRY(out.split, text_of(v, key));
            if (out.split.empty() || out.split.size() > 8) return invalid(key, "must be 1 to 8 bytes");
        }
        else if (k == "label") { CRM_TRY(out.label, text_of(v, key)); }
        else if (k == "currency") {
            CRM_TRY(out.currency, text_of(v, key));
            if (out.currency.size() != 3 || !std::all_of(out.currency.begin(), out.currency.end(),
                                                         [](char c) { return c >= 'A' && c <= 'Z'; }))
                return invalid(key, "must be an ISO 4217 code like USD");
        }
        else if (k == "at") { CRM_TRY(out.at, text_of(v, key)); }
        else if (k == "from") { CRM_TRY(out.from, text_of(v, key)); }
        else return invalid(key, "is not a rule key (field, column, value, template, values, by, missing, split, "
                                 "label, currency, at, from)");
    }
    if (out.field.empty()) return invalid(where + ".field", "is required: the field the value goes to");
    const int sources = (!out.column.empty()) + out.value.has_value() + (!out.template_text.empty());
    if (sources != 1)
        return invalid(where, "needs exactly one of column, value and template");
    return out;
}

result<int> parse_offset(const std::string& s) {
    // "+09:00", "-05:30", "Z"
    if (s == "Z" || s == "+00:00") return 0;
    if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return invalid("utc_offset", "must be like +09:00");
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!digit(s[1]) || !digit(s[2]) || !digit(s[4]) || !digit(s[5])) return invalid("utc_offset", "must be like +09:00");
    const int h = (s[1] - '0') * 10 + (s[2] - '0'), m = (s[4] - '0') * 10 + (s[5] - '0');
    if (h > 14 || m > 59) return invalid("utc_offset", "must be between -14:00 and +14:00");
    return (s[0] == '-' ? -1 : 1) * (h * 60 + m);
}

std::string offset_text(int minutes) {
    const int a = minutes < 0 ? -minutes : minutes;
    return fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

result<void> read_csv_options(const json& v, csv::ReadOptions& o) {
    if (!v.is_object()) return invalid("csv", "must be an object");
    for (const auto& [k, x] : v.items()) {
        const std::string key = "csv." + k;
        if (k == "encoding") {
            CRM_TRY(auto s, text_of(x, key));
            CRM_TRY(o.encoding, csv::parse_encoding(s));
        } else if (k == "delimiter") {
            CRM_TRY(auto s, text_of(x, key));
            if (s == "auto") o.delimiter = 0;
            else if (s == "," || s == ";" || s == "|" || s == "\t" || s == "tab") o.delimiter = s == "tab" ? '\t' : s[0];
            else return invalid(key, "must be one of , ; | tab auto");
        } else if (k == "header") {
            if (!x.is_boolean()) return invalid(key, "must be true or false");
            o.header = x.get<bool>();
        } else if (k == "lenient_quotes") {
            if (!x.is_boolean()) return invalid(key, "must be true or false");
            o.lenient_quotes = x.get<bool>();
        } else if (k == "ragged") {
            CRM_TRY(auto s, text_of(x, key));
            if (s == "error") o.ragged = csv::Ragged::error;
            else if (s == "pad") o.ragged = csv::Ragged::pad;
            else return invalid(key, "must be error or pad");
        } else if (k == "max_cell_bytes") {
            if (!x.is_number_integer() || x.get<std::int64_t>() < 1 || x.get<std::int64_t>() > (256 << 20))
                return invalid(key, "must be 1 … 268435456");
            o.max_cell_bytes = x.get<std::size_t>();
        } else {
            return invalid(key, "is not a csv option (encoding, delimiter, header, lenient_quotes, ragged, max_cell_bytes)");
        }
    }
    return ok();
}

}  // namespace

const char* to_string(MatchKey k) noexcept { return kMatchNames[static_cast<int>(k)]; }
const char* to_string(OnDuplicate p) noexcept { return kPolicyNames[static_cast<int>(p)]; }
const char* to_string(Missing m) noexcept { return kMissingNames[static_cast<int>(m)]; }

result<Mapping> parse_mapping(std::string_view text) {
    CRM_TRY(json doc, crm::json::parse_object(text, "mapping"));
    Mapping m;
    bool kind_seen = false, policy_seen = false;
    for (const auto& [k, v] : doc.items()) {
        if (k == "kind") {
            CRM_TRY(auto s, text_of(v, k));
            auto e = entity_from_name(s);
            if (!e || !records::find(*e)) return invalid("kind", fmt::format("'{}' is not a kind of record", s));
            m.kind = *e;
            kind_seen = true;
        } else if (k == "fields") {
            if (!v.is_array()) return invalid("fields", "must be an array of rules");
            if (v.size() > kMaxRules) return invalid("fields", fmt::format("has more than {} rules", kMaxRules));
            for (std::size_t i = 0; i < v.size(); ++i) {
                CRM_TRY(auto r, rule_of(v[i], fmt::format("fields[{}]", i)));
                m.fields.push_back(std::move(r));
            }
        } else if (k == "match") {
            if (!v.is_array()) return invalid("match", "must be an array like [\"email\", \"phone\"]");
            for (const auto& x : v) {
                CRM_TRY(auto s, text_of(x, "match"));
                auto key = from_name<MatchKey>(kMatchNames, s);
                if (!key) return invalid("match", fmt::format("'{}' is not one of {}", s, choices(kMatchNames)));
                if (std::find(m.match.begin(), m.match.end(), *key) != m.match.end())
                    return invalid("match", fmt::format("'{}' is listed twice", s));
                m.match.push_back(*key);
            }
        } else if (k == "on_duplicate") {
            CRM_TRY(auto s, text_of(v, k));
            auto p = from_name<OnDuplicate>(kPolicyNames, s);
            if (!p) return invalid(k, "must be one of " + choices(kPolicyNames));
            m.on_duplicate = *p;
            policy_seen = true;
        } else if (k == "missing") {
            CRM_TRY(auto s, text_of(v, k));
            auto x = from_name<Missing>(kMissingNames, s);
            if (!x) return invalid(k, "must be one of " + choices(kMissingNames));
            m.missing = *x;
        } else if (k == "currency") {
            CRM_TRY(m.currency, text_of(v, k));
            if (m.currency.size() != 3 || !std::all_of(m.currency.begin(), m.currency.end(),
                                                       [](char c) { return c >= 'A' && c <= 'Z'; }))
                return invalid(k, "must be an ISO 4217 code like JPY");
        } else if (k == "utc_offset") {
            CRM_TRY(auto s, text_of(v, k));
            CRM_TRY(m.utc_offset_minutes, parse_offset(s));
        } else if (k == "default_region") {
            CRM_TRY(m.default_region, text_of(v, k));
            if (m.default_region.size() != 2) return invalid(k, "must be a two-letter region like JP");
        } else if (k == "define") {
            if (!v.is_array()) return invalid(k, "must be an array of custom fields");
            for (std::size_t i = 0; i < v.size() && i < 256; ++i) {
                const auto& d = v[i];
                const std::string where = fmt::format("define[{}]", i);
                if (!d.is_object()) return invalid(where, "must be an object {\"name\", \"type\", \"label\", \"options\"}");
                CustomFieldSpec spec;
                for (const auto& [dk, dv] : d.items()) {
                    if (dk == "name") { CRM_TRY(spec.name, text_of(dv, where + ".name")); }
                    else if (dk == "type") { CRM_TRY(spec.type, text_of(dv, where + ".type")); }
                    else if (dk == "label") { CRM_TRY(spec.label, text_of(dv, where + ".label")); }
                    else if (dk == "options") {
                        if (!dv.is_array()) return invalid(where + ".options", "must be an array of strings");
                        for (const auto& o : dv) {
                            CRM_TRY(auto s, text_of(o, where + ".options"));
                            spec.options.push_back(std::move(s));
                        }
                    } else return invalid(where + "." + dk, "is not a key of a custom field (name, type, label, options)");
                }
                if (spec.name.empty()) return invalid(where + ".name", "is required");
                if (!field_type_from_string(spec.type)) return invalid(where + ".type", "must be text, integer, decimal, date, bool or enum");
                m.define.push_back(std::move(spec));
            }
            if (v.size() > 256) return invalid(k, "has more than 256 fields");
        } else if (k == "csv") {
            CRM_TRYV(read_csv_options(v, m.csv));
        } else if (k == "auto_columns") {
            if (!v.is_boolean()) return invalid(k, "must be true or false");
            m.auto_columns = v.get<bool>();
        } else {
            return invalid(k, "is not a mapping key (kind, fields, match, on_duplicate, missing, currency, utc_offset, "
                              "default_region, define, csv, auto_columns)");
        }
    }
    if (!kind_seen) return invalid("kind", "is required: the kind of record each row becomes (contact, account, deal …)");
    if (!m.match.empty() && !policy_seen) m.on_duplicate = OnDuplicate::skip;
    if (m.match.empty() && m.on_duplicate != OnDuplicate::create)
        return invalid("on_duplicate", "needs match keys: say how a row and a record are the same (\"match\": [\"email\"])");
    if (m.fields.empty() && !m.auto_columns)
        return invalid("fields", "is empty: map at least one column, or set auto_columns");
    CRM_TRYV(impl::targets_of(m));
    return m;
}

std::string to_json(const Mapping& m) {
    json out = json::object();
    out["kind"] = entity_name(m.kind);
    json fields = json::array();
    for (const auto& r : m.fields) {
        json x = json::object();
        x["field"] = r.field;
        if (!r.column.empty()) x["column"] = r.column;
        if (r.value) x["value"] = *r.value;
        if (!r.template_text.empty()) x["template"] = r.template_text;
        if (!r.values.empty()) x["values"] = r.values;
        if (!r.by.empty()) x["by"] = r.by;
        if (r.missing) x["missing"] = to_string(*r.missing);
        if (!r.split.empty()) x["split"] = r.split;
        if (!r.label.empty()) x["label"] = r.label;
        if (!r.currency.empty()) x["currency"] = r.currency;
        if (!r.at.empty()) x["at"] = r.at;
        if (!r.from.empty()) x["from"] = r.from;
        fields.push_back(std::move(x));
    }
    out["fields"] = std::move(fields);
    if (!m.match.empty()) {
        json match = json::array();
        for (auto k : m.match) match.push_back(to_string(k));
        out["match"] = std::move(match);
    }
    out["on_duplicate"] = to_string(m.on_duplicate);
    out["missing"] = to_string(m.missing);
    out["currency"] = m.currency;
    out["utc_offset"] = offset_text(m.utc_offset_minutes);
    out["default_region"] = m.default_region;
    if (!m.define.empty()) {
        json d = json::array();
        for (const auto& s : m.define) d.push_back({{"name", s.name}, {"type", s.type}, {"label", s.label}, {"options", s.options}});
        out["define"] = std::move(d);
    }
    out["csv"] = {{"encoding", csv::encoding_name(m.csv.encoding)},
                  {"delimiter", m.csv.delimiter == 0 ? std::string("auto") : m.csv.delimiter == '\t' ? std::string("tab")
                                                                                                 : std::string(1, m.csv.delimiter)},
                  {"header", m.csv.header},
                  {"lenient_quotes", m.csv.lenient_quotes},
                  {"ragged", m.csv.ragged == csv::Ragged::pad ? "pad" : "error"}};
    if (m.auto_columns) out["auto_columns"] = true;
    return out.dump();
}

namespace impl {

result<std::vector<Piece>> parse_template(const std::string& text, const std::string& where) {
    std::vector<Piece> out;
    std::string lit;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') { lit += '{'; ++i; continue; }
        if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') { lit += '}'; ++i; continue; }
        if (c == '}') return invalid(where, fmt::format("has a '}}' without its '{{' at byte {} (write }}}} for one)", i + 1));
        if (c != '{') { lit += c; continue; }
        const auto end = text.find('}', i + 1);
        if (end == std::string::npos) return invalid(where, fmt::format("has a '{{' without its '}}' at byte {}", i + 1));
        if (!lit.empty()) out.push_back(Piece{false, std::move(lit), {}}), lit.clear();
        Piece p;
        p.column = true;
        std::string inner = text.substr(i + 1, end - i - 1);
        std::size_t bar = inner.find('|');
        p.text = inner.substr(0, bar);
        if (p.text.empty()) return invalid(where, fmt::format("has an empty column name at byte {}", i + 1));
        while (bar != std::string::npos) {
            const auto next = inner.find('|', bar + 1);
            auto f = inner.substr(bar + 1, next == std::string::npos ? std::string::npos : next - bar - 1);
            if (f != "slug" && f != "lower" && f != "upper" && f != "trim")
                return invalid(where, fmt::format("'{}' is not a filter (slug, lower, upper, trim)", f));
            p.filters.push_back(std::move(f));
            bar = next;
        }
        out.push_back(std::move(p));
        i = end;
    }
    if (!lit.empty()) out.push_back(Piece{false, std::move(lit), {}});
    return out;
}

const FieldInfo* importable_field(const EntityInfo& kind, const std::string& name, std::string* why) {
    const FieldInfo* f = kind.field(name);
    if (!f) {
        *why = fmt::format("{} has no field '{}'", kind.name, name);
        return nullptr;
    }
    if (!f->has(cap_import) || f->has(cap_computed)) {
        *why = fmt::format("{}.{} is not set from imported data", kind.name, f->key);
        return nullptr;
    }
    return f;
}

result<std::vector<Target>> targets_of(const Mapping& m) {
    const EntityInfo* kind = entity_info(m.kind);
    if (!kind) return invalid("kind", "is not a kind of record");
    std::vector<Target> out;
    std::set<std::string> seen;  // fields (and list parts) fed by a single-valued rule
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
        const FieldRule& r = m.fields[i];
        const std::string where = fmt::format("fields[{}]", i);
        Target t;
        t.rule = &r;
        t.missing = r.missing.value_or(m.missing);
        std::string why;
        std::string name = r.field;
        if (name == "tag") name = "tags";
        if (name.rfind("custom.", 0) == 0) {
            t.slot = Slot::custom;
            t.custom_name = name.substr(7);
            if (t.custom_name.empty()) return invalid(where + ".field", "names no custom field: custom.<name>");
        } else if (name == "tags") {
            t.slot = Slot::tags;
            t.info = kind->field("tags");
            t.multi = true;
        } else if (const FieldInfo* f = kind->field(name)) {
            if (!importable_field(*kind, name, &why)) return invalid(where + ".field", why);
            t.info = f;
            if (f->type == ValueType::list) {
                t.slot = Slot::list;
                t.multi = true;
                if (!f->parts.empty()) t.part = &f->parts.front();
            } else if (f->type == ValueType::links || f->type == ValueType::custom) {
                return invalid(where + ".field", fmt::format("{}.{} cannot be read from one column", kind->name, f->key));
            } else {
                t.slot = Slot::plain;
                t.multi = f->type == ValueType::references;
                std::string key(f->key);
                for (std::size_t s = 0, d; s <= key.size(); s = d + 1) {
                    d = key.find('.', s);
                    if (d == std::string::npos) d = key.size();
                    t.path.push_back(key.substr(s, d - s));
                }
            }
        } else if (const auto dot = name.find('.'); dot != std::string::npos && kind->field(name.substr(0, dot)) &&
                                                     kind->field(name.substr(0, dot))->type == ValueType::list) {
            const FieldInfo* lf = kind->field(name.substr(0, dot));
            if (!importable_field(*kind, std::string(lf->key), &why)) return invalid(where + ".field", why);
            const auto part_name = name.substr(dot + 1);
            const ElementPart* part = nullptr;
            for (const auto& p : lf->parts)
                if (p.key == part_name) part = &p;
            if (!part) return invalid(where + ".field", fmt::format("{}.{} has no part '{}'", kind->name, lf->key, part_name));
            t.info = lf;
            t.part = part;
            t.slot = (lf->key == "emails" || lf->key == "phones") && part == &lf->parts.front() ? Slot::list : Slot::list_part;
            t.multi = t.slot == Slot::list;
        } else {
            return invalid(where + ".field", fmt::format("{} has no field '{}'", kind->name, r.field));
        }
        // What a rule's options apply to.
        const bool is_ref = t.info && (t.info->type == ValueType::reference || t.info->type == ValueType::references ||
                                       (t.part && t.part->type == ValueType::reference));
        const bool is_stage = m.kind == Entity::deal && t.info && t.info->key == "stage_id";
        if (is_stage && !r.by.empty() && r.by != "id") {
            if (r.by != "name") return invalid(where + ".by", "a stage is found by name (in the deal's pipeline) or id");
            t.slot = Slot::stage;
        } else if (!r.by.empty() && !is_ref) {
            return invalid(where + ".by", fmt::format("{} is not a reference", r.field));
        }
        if ((!r.at.empty() || !r.from.empty()) && t.slot != Slot::stage)
            return invalid(where + ".at", "at and from are for a deal's stage_id found by name");
        if (!r.at.empty() && r.from.empty())
            return invalid(where + ".from", "is required with at: the stage the deal is in before it moves");
        if (!r.split.empty() && !t.multi) return invalid(where + ".split", fmt::format("{} holds one value", r.field));
        if (!r.label.empty() && !(t.info && (t.info->key == "emails" || t.info->key == "phones")))
            return invalid(where + ".label", "is for emails and phones");
        if (!r.currency.empty() && !(t.info && t.info->type == ValueType::money) &&
            !(t.part && t.part->type == ValueType::money))
            return invalid(where + ".currency", fmt::format("{} is not an amount of money", r.field));
        if (!r.template_text.empty()) {
            CRM_TRY(t.pieces, parse_template(r.template_text, where + ".template"));
        }
        // Each single-valued field from one rule only.
        const std::string id = t.slot == Slot::custom ? "custom." + t.custom_name
                               : t.part && t.slot == Slot::list_part ? std::string(t.info->key) + "." + std::string(t.part->key)
                               : t.info ? std::string(t.info->key) : name;
        if (!t.multi && !seen.insert(id).second)
            return invalid(where + ".field", fmt::format("{} is mapped twice", id));
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace impl
}  // namespace crm::import
