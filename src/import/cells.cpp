// Cells as values: the text of a CSV cell (or a JSON lines value) turned into the JSON
// value of the field it is mapped to, and back for export. docs/import.md lists the
// forms each type accepts.
#include <fmt/format.h>

#include <cctype>

#include "crm/money.hpp"
#include "crm/normalize.hpp"
#include "import/import_internal.hpp"
#include "json/parse.hpp"
#include "util/text.hpp"

namespace crm::import::impl {

namespace {

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string pad2(std::string_view s) { return s.size() == 1 ? "0" + std::string(s) : std::string(s); }

// "2017-03-01", "2017/3/1", "2017.03.01", "2017年3月1日" → "2017-03-01"; "" if not a date form.
std::string date_form(std::string_view s) {
    std::string t;
    for (std::size_t i = 0; i < s.size();) {
        if (s.compare(i, 3, "年") == 0 || s.compare(i, 3, "月") == 0) { t += '-'; i += 3; continue; }
        if (s.compare(i, 3, "日") == 0) { i += 3; continue; }
        t += (s[i] == '/' || s[i] == '.') ? '-' : s[i];
        ++i;
    }
    const auto a = t.find('-');
    const auto b = a == std::string::npos ? a : t.find('-', a + 1);
    if (b == std::string::npos || t.find('-', b + 1) != std::string::npos) return {};
    const auto y = t.substr(0, a), m = t.substr(a + 1, b - a - 1), d = t.substr(b + 1);
    if (y.size() != 4 || !digits(y) || m.empty() || m.size() > 2 || !digits(m) || d.empty() || d.size() > 2 || !digits(d))
        return {};
    auto out = y + "-" + pad2(m) + "-" + pad2(d);
    return text::valid_date(out) ? out : std::string();
}

std::string offset_text(int minutes) {
    const int a = minutes < 0 ? -minutes : minutes;
    return fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

// A time: ISO 8601 with a zone as it is; a date, or a date and a time without a zone, at
// the mapping's UTC offset.
std::optional<Timestamp> time_form(const std::string& s, int offset) {
    if (auto t = parse_iso8601(s); t && (s.find('T') != std::string::npos)) return t;
    std::string date_part = s, time_part;
    if (const auto sp = s.find_first_of(" T"); sp != std::string::npos) {
        date_part = s.substr(0, sp);
        time_part = text::trim(s.substr(sp + 1));
    }
    const auto d = date_form(date_part);
    if (d.empty()) return std::nullopt;
    std::string hms = "00:00:00";
    if (!time_part.empty()) {
        // H:MM or HH:MM[:SS]
        const auto c1 = time_part.find(':');
        if (c1 == std::string::npos) return std::nullopt;
        const auto c2 = time_part.find(':', c1 + 1);
        const auto h = time_part.substr(0, c1);
        const auto mi = time_part.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
        const auto se = c2 == std::string::npos ? std::string("00") : time_part.substr(c2 + 1);
        if (!digits(h) || h.size() > 2 || mi.size() != 2 || !digits(mi) || se.size() != 2 || !digits(se)) return std::nullopt;
        hms = pad2(h) + ":" + mi + ":" + se;
    }
    return parse_iso8601(d + "T" + hms + offset_text(offset));
}

std::optional<std::int64_t> integer_form(std::string s) {
    std::string t;
    for (char c : s)
        if (c != ',' && c != '_') t += c;
    if (t.empty()) return std::nullopt;
    const bool neg = t[0] == '-';
    const std::string_view body = std::string_view(t).substr(neg || t[0] == '+' ? 1 : 0);
    if (!digits(body) || body.size() > 19) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(t.c_str(), &end, 10);
    if (errno == ERANGE || *end) return std::nullopt;
    return v;
}

std::optional<bool> boolean_form(const std::string& s) {
    const auto l = text::ascii_lower(s);
    if (l == "true" || l == "yes" || l == "y" || l == "1" || l == "on" || s == "はい" || s == "有" || s == "○") return true;
    if (l == "false" || l == "no" || l == "n" || l == "0" || l == "off" || s == "いいえ" || s == "無" || s == "×") return false;
    return std::nullopt;
}

// "1,100.04", "199.99 USD", "USD 199.99", "$5", "¥1,200" → minor units and currency.
bool money_form(const std::string& s, const std::string& default_currency, json& out, std::string* why) {
    std::string t = s, currency = default_currency;
    auto strip_prefix = [&](std::string_view p, const char* code) {
        if (t.rfind(p, 0) == 0) {
            t = text::trim(t.substr(p.size()));
            currency = code;
        }
    };
    strip_prefix("¥", "JPY");
    strip_prefix("$", "USD");
    strip_prefix("€", "EUR");
    if (const auto sp = t.rfind(' '); sp != std::string::npos) {
        auto tail = t.substr(sp + 1), head = text::trim(t.substr(0, sp));
        auto is_code = [](const std::string& c) {
            return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char x) { return x >= 'A' && x <= 'Z'; });
        };
        if (is_code(tail)) currency = tail, t = head;
        else if (is_code(head)) currency = head, t = text::trim(tail);
    }
    std::string plain;
    for (char c : t)
        if (c != ',') plain += c;
    std::string reason;
    auto minor = parse_decimal_amount(plain, currency_exponent(currency), &reason);
    if (!minor) {
        *why = fmt::format("'{}' is not an amount in {} ({})", s, currency, reason);
        return false;
    }
    out = json{{"amount", *minor}, {"currency", currency}};
    return true;
}

std::vector<std::string> split_cell(const std::string& cell, const std::string& sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= cell.size()) {
        const auto end = cell.find(sep, start);
        auto part = text::trim(cell.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!part.empty()) out.push_back(std::move(part));
        if (end == std::string::npos) break;
        start = end + sep.size();
    }
    return out;
}

// One scalar of type `type` (target: references' kind).
bool scalar(const Mapping& m, const Target& t, ValueType type, const std::vector<const char*>* values,
            const std::string& s, json& out, std::string* why) {
    switch (type) {
        case ValueType::text:
            out = s;
            return true;
        case ValueType::integer: {
            auto v = integer_form(normalize::text(s));
            if (!v) return *why = fmt::format("'{}' is not an integer", s), false;
            out = *v;
            return true;
        }
        case ValueType::boolean: {
            auto v = boolean_form(normalize::text(s));
            if (!v) return *why = fmt::format("'{}' is not true or false (true/false, yes/no, 1/0)", s), false;
            out = *v;
            return true;
        }
        case ValueType::date: {
            auto d = date_form(normalize::text(s));
            if (d.empty()) return *why = fmt::format("'{}' is not a date (YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日)", s), false;
            out = d;
            return true;
        }
        case ValueType::time: {
            auto v = time_form(normalize::text(s), m.utc_offset_minutes);
            if (!v) return *why = fmt::format("'{}' is not a time (ISO 8601, or YYYY-MM-DD [HH:MM[:SS]])", s), false;
            out = format_iso8601(*v);
            return true;
        }
        case ValueType::money: {
            const std::string& cur = !t.rule->currency.empty() ? t.rule->currency : m.currency;
            return money_form(normalize::text(s), cur, out, why);
        }
        case ValueType::reference:
        case ValueType::references:
            if (t.rule->by.empty() || t.rule->by == "id") {
                auto v = integer_form(normalize::text(s));
                if (!v || *v <= 0) return *why = fmt::format("'{}' is not a record id", s), false;
                out = *v;
            } else {
                out = s;  // resolved by the run (resolve.cpp)
            }
            return true;
        case ValueType::enumeration: {
            if (values) {
                for (const char* v : *values)
                    if (text::ascii_lower(s) == text::ascii_lower(v)) return out = std::string(v), true;
                std::string all;
                for (const char* v : *values) all += (all.empty() ? "" : ", ") + std::string(v);
                return *why = fmt::format("'{}' is not one of {}", s, all), false;
            }
            out = s;
            return true;
        }
        default:
            out = s;
            return true;
    }
}

}  // namespace

void put(json& doc, const std::vector<std::string>& path, json v) {
    json* at = &doc;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        json& next = (*at)[path[i]];
        if (!next.is_object()) next = json::object();
        at = &next;
    }
    (*at)[path.back()] = std::move(v);
}

const json* at(const json& doc, const std::vector<std::string>& path) {
    const json* p = &doc;
    for (const auto& k : path) {
        if (!p->is_object()) return nullptr;
        auto it = p->find(k);
        if (it == p->end()) return nullptr;
        p = &*it;
    }
    return p;
}

bool convert(const Mapping& m, const Target& t, const std::string& raw, bool is_json, std::optional<json>& out,
             std::string* why) {
    out.reset();
    std::string cell = text::trim(raw);
    if (auto a = t.rule->values.find(cell); a != t.rule->values.end()) cell = a->second;
    if (cell.empty()) return true;
    // A JSON value: a list or an object as an export writes it, or a JSON lines value.
    const bool listish = t.multi || t.slot == Slot::list || t.slot == Slot::tags;
    if ((is_json && (cell[0] == '[' || cell[0] == '{')) || (listish && cell[0] == '[')) {
        auto v = crm::json::parse_text(cell, "cell");
        if (!v) return *why = "holds JSON that cannot be read: " + v.error().message, false;
        if (v.value().is_null()) return true;
        if (listish && !v.value().is_array()) return *why = "must be a JSON array", false;
        out = std::move(v).value();
        return true;
    }
    if (is_json && cell == "null") return true;
    json v;
    switch (t.slot) {
        case Slot::tags: {
            json arr = json::array();
            for (auto& x : split_cell(cell, t.rule->split.empty() ? ";" : t.rule->split)) arr.push_back(std::move(x));
            out = std::move(arr);
            return true;
        }
        case Slot::list: {
            json arr = json::array();
            const auto parts = split_cell(cell, t.rule->split.empty() ? ";" : t.rule->split);
            for (const auto& p : parts) {
                if (!t.part) { arr.push_back(p); continue; }
                json e = json::object();
                e[std::string(t.part->key)] = p;
                if (!t.rule->label.empty()) e["label"] = t.rule->label;
                arr.push_back(std::move(e));
            }
            out = std::move(arr);
            return true;
        }
        case Slot::stage:
            if (t.rule->by == "name") { out = cell; return true; }
            if (!scalar(m, t, ValueType::integer, nullptr, cell, v, why)) return false;
            out = std::move(v);
            return true;
        case Slot::custom: {
            if (!t.def) return *why = "custom field is not defined", false;
            ValueType type = ValueType::text;
            std::vector<const char*> opts;
            switch (t.def->type) {
                case FieldType::integer: type = ValueType::integer; break;
                case FieldType::boolean: type = ValueType::boolean; break;
                case FieldType::date: type = ValueType::date; break;
                case FieldType::enumeration:
                    type = ValueType::enumeration;
                    for (const auto& o : t.def->options) opts.push_back(o.c_str());
                    break;
                case FieldType::decimal: {
                    std::string d;
                    for (char c : normalize::text(cell))
                        if (c != ',') d += c;
                    if (!text::valid_decimal(d)) return *why = fmt::format("'{}' is not a decimal number", cell), false;
                    out = d;
                    return true;
                }
                case FieldType::text: break;
            }
            if (!scalar(m, t, type, type == ValueType::enumeration ? &opts : nullptr, cell, v, why)) return false;
            out = std::move(v);
            return true;
        }
        case Slot::list_part: {
            if (!scalar(m, t, t.part->type, nullptr, cell, v, why)) return false;
            out = std::move(v);
            return true;
        }
        case Slot::plain: {
            if (t.info->type == ValueType::references) {
                json arr = json::array();
                for (const auto& p : split_cell(cell, t.rule->split.empty() ? ";" : t.rule->split)) {
                    if (!scalar(m, t, ValueType::reference, nullptr, p, v, why)) return false;
                    arr.push_back(std::move(v));
                }
                out = std::move(arr);
                return true;
            }
            std::vector<const char*> values(t.info->values.begin(), t.info->values.end());
            if (!scalar(m, t, t.info->type, &values, cell, v, why)) return false;
            out = std::move(v);
            return true;
        }
    }
    return true;
}

std::string render(const std::vector<Piece>& pieces, const std::vector<std::string>& header, const Row& row) {
    std::string out;
    for (const auto& p : pieces) {
        if (!p.column) { out += p.text; continue; }
        std::string v;
        for (std::size_t i = 0; i < header.size() && i < row.cells.size(); ++i)
            if (header[i] == p.text) { v = row.cells[i]; break; }
        for (const auto& f : p.filters) {
            if (f == "trim") v = text::trim(v);
            else if (f == "lower") v = text::ascii_lower(v);
            else if (f == "upper") for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            else if (f == "slug") {
                std::string s;
                for (unsigned char c : text::trim(v)) {
                    if (std::isalnum(c)) s += static_cast<char>(std::tolower(c));
                    else if (c >= 0x80) s += static_cast<char>(c);
                    else if (!s.empty() && s.back() != '.') s += '.';
                }
                while (!s.empty() && s.back() == '.') s.pop_back();
                v = std::move(s);
            }
        }
        out += v;
    }
    return out;
}

std::string cell_text(const Mapping& m, const Target& t, const json& value) {
    (void)m;
    if (value.is_null()) return {};
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
    if (value.is_object() && value.contains("amount") && value.contains("currency") && value.size() == 2 &&
        value["amount"].is_number_integer() && value["currency"].is_string()) {
        const auto cur = value["currency"].get<std::string>();
        return format_amount(value["amount"].get<std::int64_t>(), currency_exponent(cur)) + " " + cur;
    }
    if (value.is_array() && !t.rule->split.empty() &&
        std::all_of(value.begin(), value.end(), [](const json& x) { return x.is_string(); })) {
        std::string out;
        for (const auto& x : value) out += (out.empty() ? "" : t.rule->split) + x.get<std::string>();
        return out;
    }
    return value.dump();
}

}  // namespace crm::import::impl
