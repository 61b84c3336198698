// The non-template pieces of the record codec: times, integers, money, tags,
// custom values and links as JSON.
#include "records/codec.hpp"

#include <charconv>
#include <limits>

namespace crm::records {

result<Timestamp> check_time(const std::string& field, Timestamp t) {
    if (t < kMinTime || t > kMaxTime)
        return invalid(field, fmt::format("{} ms is outside the years 0001–9999", t));
    return t;
}

result<Timestamp> read_time(const std::string& field, json::Pull& p) {
    if (p.peek() == json::Pull::Kind::number) {
        CRM_TRY(auto t, p.integer(field));
        return check_time(field, t);
    }
    if (p.peek() == json::Pull::Kind::string) {
        std::string s;
        CRM_TRYV(p.string(field, s));
        if (auto t = parse_iso8601(s)) return check_time(field, *t);
        return invalid(field, fmt::format("'{}' is not an ISO-8601 time", s));
    }
    return invalid(field, "must be an ISO-8601 time or UTC milliseconds");
}

result<Timestamp> read_time(const std::string& field, const Json& x) {
    if (x.is_number_unsigned() &&
        x.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return invalid(field, fmt::format("{} is out of the 64-bit integer range", x.dump()));
    if (x.is_number_integer()) return check_time(field, x.get<std::int64_t>());
    if (x.is_string()) {
        const auto& s = x.get_ref<const std::string&>();
        if (auto t = parse_iso8601(s)) return check_time(field, *t);
        return invalid(field, fmt::format("'{}' is not an ISO-8601 time", s));
    }
    return invalid(field, "must be an ISO-8601 time or UTC milliseconds");
}

void write_time(crm::json::Writer& w, Timestamp t) {
    if (t == 0) w.null();
    else w.string(format_iso8601(t));
}

std::string value_text(const FieldValue& v) {
    std::string out;
    crm::json::Writer w(out);
    std::visit(
        [&](const auto& x) {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, std::monostate>) w.null();
            else if constexpr (std::is_same_v<X, std::string>) w.string(x);
            else if constexpr (std::is_same_v<X, bool>) w.boolean(x);
            else w.integer(x);
        },
        v);
    return out;
}

void write_custom(crm::json::Writer& w, const CustomFields& c) {
    w.begin_object();
    for (const auto& [k, v] : c) {
        w.key(k);
        w.raw(value_text(v));
    }
    w.end_object();
}

result<void> read_custom(const std::string& field, json::Pull& p, CustomFields& out) {
    out.clear();
    if (p.null()) return ok();
    CRM_TRYV(p.begin_object(field));
    std::string k;
    for (;;) {
        CRM_TRY(bool more, p.next_key(k));
        if (!more) return ok();
        const std::string name = field + "." + k;
        switch (p.peek()) {
            case json::Pull::Kind::null: p.null(); out[k] = std::monostate{}; break;
            case json::Pull::Kind::string: {
                std::string text;
                CRM_TRYV(p.string(name, text));
                out[k] = std::move(text);
                break;
            }
            case json::Pull::Kind::boolean: {
                CRM_TRY(bool b, p.boolean(name));
                out[k] = b;
                break;
            }
            case json::Pull::Kind::number: {
                CRM_TRY(auto text, p.number_text(name));
                if (text.find_first_of(".eE") != std::string::npos) {
                    out[k] = std::move(text);  // a decimal written as a number: kept as written
                } else {
                    std::int64_t n = 0;
                    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
                    if (ec != std::errc() || end != text.data() + text.size())
                        return invalid(name, fmt::format("{} is out of the 64-bit integer range", text));
                    out[k] = n;
                }
                break;
            }
            default: return invalid(name, "must be a string, number, bool or null");
        }
    }
}

result<void> read_tags(const std::string& field, json::Pull& p, Tags& out) {
    out.clear();
    if (p.null()) return ok();
    if (p.peek() != json::Pull::Kind::array) return invalid(field, "must be an array of strings");
    CRM_TRYV(p.begin_array(field));
    for (std::size_t i = 0;; ++i) {
        CRM_TRY(bool more, p.next_element());
        if (!more) return ok();
        std::string t;
        CRM_TRYV(p.string(fmt::format("{}[{}]", field, i), t));
        out.push_back(std::move(t));
    }
}

result<void> read_ids(const std::string& field, json::Pull& p, std::vector<Id>& out) {
    out.clear();
    if (p.null()) return ok();
    if (p.peek() == json::Pull::Kind::number) {
        CRM_TRY(auto id, p.integer(field));
        out.push_back(id);
        return ok();
    }
    if (p.peek() != json::Pull::Kind::array) return invalid(field, "must be an array of ids");
    CRM_TRYV(p.begin_array(field));
    for (std::size_t i = 0;; ++i) {
        CRM_TRY(bool more, p.next_element());
        if (!more) return ok();
        CRM_TRY(auto id, p.integer(fmt::format("{}[{}]", field, i)));
        out.push_back(id);
    }
}

result<void> read_money(const std::string& field, json::Pull& p, Money& out) {
    if (p.peek() != json::Pull::Kind::object) return invalid(field, "must be an object {\"amount\": …, \"currency\": …}");
    CRM_TRYV(p.begin_object(field));
    std::string k;
    for (;;) {
        CRM_TRY(bool more, p.next_key(k));
        if (!more) return ok();
        if (k == "amount") {
            CRM_TRY(out.amount, p.integer(field + ".amount"));
        } else if (k == "currency") {
            if (p.null()) out.currency.clear();
            else CRM_TRYV(p.string(field + ".currency", out.currency));
        } else {
            return invalid(field + "." + k, "is not a field of an amount (amount, currency)");
        }
    }
}

result<void> read_links(const std::string& field, json::Pull& p, std::vector<RecordLink>& out) {
    out.clear();
    if (p.null()) return ok();
    if (p.peek() != json::Pull::Kind::array) return invalid(field, "must be an array of {\"entity\":…,\"id\":…}");
    CRM_TRYV(p.begin_array(field));
    for (std::size_t i = 0;; ++i) {
        CRM_TRY(bool more, p.next_element());
        if (!more) return ok();
        const std::string path = fmt::format("{}[{}]", field, i);
        if (p.peek() != json::Pull::Kind::object) return invalid(path, "must be an object {\"entity\":…,\"id\":…}");
        CRM_TRYV(p.begin_object(path));
        RecordLink l;
        bool has_entity = false;
        std::string k;
        for (;;) {
            CRM_TRY(bool more_keys, p.next_key(k));
            if (!more_keys) break;
            if (k == "entity") {
                std::string name;
                CRM_TRYV(p.string(path + ".entity", name));
                auto e = entity_from_name(name);
                if (!e) return invalid(path + ".entity", fmt::format("'{}' is not an entity kind", name));
                l.entity = *e;
                has_entity = true;
            } else if (k == "id") {
                CRM_TRY(l.id, p.integer(path + ".id"));
            } else {
                return invalid(path + "." + k, "is not a field of a link (entity, id)");
            }
        }
        if (!has_entity) return invalid(path + ".entity", "is required");
        out.push_back(l);
    }
}

}  // namespace crm::records
