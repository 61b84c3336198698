// The non-template pieces of the record codec: times, integers, money, tags,
// custom values and links as JSON.
#include "records/codec.hpp"

#include <limits>

namespace crm::records {

result<Timestamp> check_time(const std::string& field, Timestamp t) {
    if (t < kMinTime || t > kMaxTime)
        return invalid(field, fmt::format("{} ms is outside the years 0001–9999", t));
    return t;
}

result<std::int64_t> read_integer(const std::string& field, const Json& x) {
    if (x.is_number_unsigned()) {
        if (x.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return invalid(field, fmt::format("{} is out of the 64-bit integer range", x.dump()));
        return static_cast<std::int64_t>(x.get<std::uint64_t>());
    }
    if (x.is_number_integer()) return x.get<std::int64_t>();
    return invalid(field, "must be an integer");
}

result<Timestamp> read_time(const std::string& field, const Json& x) {
    if (x.is_number_integer()) {
        CRM_TRY(auto t, read_integer(field, x));
        return check_time(field, t);
    }
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

result<void> read_custom(const std::string& field, const Json& v, CustomFields& out) {
    out.clear();
    if (v.is_null()) return ok();
    if (!v.is_object()) return invalid(field, "must be an object");
    for (auto it = v.begin(); it != v.end(); ++it) {
        const auto& x = it.value();
        const std::string name = field + "." + it.key();
        if (x.is_null()) out[it.key()] = std::monostate{};
        else if (x.is_string()) out[it.key()] = x.get<std::string>();
        else if (x.is_boolean()) out[it.key()] = x.get<bool>();
        else if (x.is_number_integer()) {
            CRM_TRY(auto n, read_integer(name, x));
            out[it.key()] = n;
        } else if (x.is_number_float()) out[it.key()] = x.dump();  // a decimal written as a number
        else return invalid(name, "must be a string, number, bool or null");
    }
    return ok();
}

result<void> read_tags(const std::string& field, const Json& v, Tags& out) {
    out.clear();
    if (v.is_null()) return ok();
    if (!v.is_array()) return invalid(field, "must be an array of strings");
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) return invalid(fmt::format("{}[{}]", field, i), "must be a string");
        out.push_back(v[i].get<std::string>());
    }
    return ok();
}

result<void> read_money(const std::string& field, const Json& x, Money& out) {
    if (!x.is_object()) return invalid(field, "must be an object {\"amount\": …, \"currency\": …}");
    for (auto it = x.begin(); it != x.end(); ++it) {
        if (it.key() == "amount") {
            CRM_TRY(out.amount, read_integer(field + ".amount", it.value()));
        } else if (it.key() == "currency") {
            if (it.value().is_null()) out.currency.clear();
            else if (!it.value().is_string()) return invalid(field + ".currency", "must be a string");
            else out.currency = it.value().get<std::string>();
        } else {
            return invalid(field + "." + it.key(), "is not a field of an amount (amount, currency)");
        }
    }
    return ok();
}

result<void> read_links(const std::string& field, const Json& v, std::vector<RecordLink>& out) {
    out.clear();
    if (v.is_null()) return ok();
    if (!v.is_array()) return invalid(field, "must be an array of {\"entity\":…,\"id\":…}");
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string path = fmt::format("{}[{}]", field, i);
        const auto& x = v[i];
        if (!x.is_object()) return invalid(path, "must be an object {\"entity\":…,\"id\":…}");
        RecordLink l;
        bool has_entity = false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            if (it.key() == "entity") {
                if (!it.value().is_string()) return invalid(path + ".entity", "must be a string");
                const auto& name = it.value().get_ref<const std::string&>();
                auto e = entity_from_name(name);
                if (!e) return invalid(path + ".entity", fmt::format("'{}' is not an entity kind", name));
                l.entity = *e;
                has_entity = true;
            } else if (it.key() == "id") {
                CRM_TRY(l.id, read_integer(path + ".id", it.value()));
            } else {
                return invalid(path + "." + it.key(), "is not a field of a link (entity, id)");
            }
        }
        if (!has_entity) return invalid(path + ".entity", "is required");
        out.push_back(l);
    }
    return ok();
}

}  // namespace crm::records
