// A predictive model's definition: parsed, range-checked, its fields resolved
// through the entity registry (by compiling to a shadow scoring model: the same
// field resolution and predicate language as lead scoring). Every error is
// errc::invalid_argument naming the key ("features[2].window_days"); nothing is stored.
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "json/parse.hpp"
#include "predictive/predictive_internal.hpp"
#include "util/text.hpp"
#include "util/try.hpp"

namespace crm::predictive {

namespace {
using Json = nlohmann::json;

result<void> only_keys(const std::string& at, const Json& o, std::initializer_list<const char*> allowed) {
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool known = false;
        for (const char* a : allowed) known = known || it.key() == a;
        if (!known) {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            return invalid(at.empty() ? it.key() : at + "." + it.key(), fmt::format("unknown key (known: {})", list));
        }
    }
    return ok();
}

result<std::int64_t> integer_in(const std::string& key, const Json& v, std::int64_t lo, std::int64_t hi) {
    if (!v.is_number_integer()) return invalid(key, v.is_number() ? "must be a whole number" : "must be a number");
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
        return invalid(key, fmt::format("must be between {} and {}", lo, hi));
    const std::int64_t x = v.get<std::int64_t>();
    if (x < lo || x > hi) return invalid(key, fmt::format("must be between {} and {}", lo, hi));
    return x;
}

result<double> number_in(const std::string& key, const Json& v, double lo, double hi) {
    if (!v.is_number()) return invalid(key, "must be a number");
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi) return invalid(key, fmt::format("must be between {} and {}", lo, hi));
    return x;
}

result<std::string> text_in(const std::string& key, const Json& v, std::size_t max) {
    if (!v.is_string()) return invalid(key, "must be a string");
    const auto& s = v.get_ref<const std::string&>();
    CRM_TRYV(text::check(key, s, max, false));
    return s;
}

bool is_id(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char ch : s)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')) return false;
    return true;
}

// An error of the shadow model, said in terms of the definition: "fit[2].when.field"
// -> "features[5].field", "behaviour[0].when.op" -> "features[3].when.op".
error remap(const error& e, const std::vector<std::size_t>& fit_at, const std::vector<std::size_t>& beh_at) {
    std::string field = e.field, rest;
    std::size_t index = 0;
    bool found = false;
    for (auto [prefix, table] : {std::pair{std::string("fit["), &fit_at}, std::pair{std::string("behaviour["), &beh_at}}) {
        if (field.rfind(prefix, 0) != 0) continue;
        const auto close = field.find(']');
        if (close == std::string::npos) break;
        const std::size_t k = std::stoul(field.substr(prefix.size(), close - prefix.size()));
        if (k >= table->size()) break;
        index = (*table)[k];
        rest = field.substr(close + 1);
        if (prefix == "fit[" && rest.rfind(".when.field", 0) == 0) rest = ".field" + rest.substr(11);
        found = true;
        break;
    }
    if (!found) return e;
    std::string why = e.message;
    if (auto p = why.find("): "); why.rfind("rule '", 0) == 0 && p != std::string::npos) why = why.substr(p + 3);
    if (auto colon = why.find(": "); colon != std::string::npos) why = why.substr(colon + 2);
    return invalid(fmt::format("features[{}]{}", index, rest), why);
}
}  // namespace

result<Definition> parse_definition(detail::DbImpl& db, std::string_view text) {
    if (text.size() > (1u << 20)) return invalid("definition", "is larger than 1048576 bytes");
    CRM_TRY(Json j, json::parse_object(text, "definition"));
    CRM_TRYV(only_keys("", j, {"name", "description", "outcome", "features", "holdout", "l2", "seed", "max_iterations"}));
    Definition d;
    if (!j.contains("name")) return invalid("name", "is required");
    CRM_TRY(d.name, text_in("name", j.at("name"), 128));
    if (d.name.empty() || text::trim(d.name) != d.name)
        return invalid("name", "must be 1 to 128 bytes with no white space around it");
    if (j.contains("description")) { CRM_TRYV(text_in("description", j.at("description"), 4096)); }

    if (!j.contains("outcome"))
        return invalid("outcome", "is required: {\"type\":\"converted\",\"stage\":\"customer\"} or {\"type\":\"won_deal\"}");
    const Json& o = j.at("outcome");
    if (!o.is_object()) return invalid("outcome", "must be an object {\"type\":…}");
    CRM_TRYV(only_keys("outcome", o, {"type", "stage"}));
    if (!o.contains("type")) return invalid("outcome.type", "is required (converted or won_deal)");
    CRM_TRY(std::string type, text_in("outcome.type", o.at("type"), 32));
    if (type == "won_deal") {
        d.won_deal = true;
        if (o.contains("stage")) return invalid("outcome.stage", "is only for the outcome converted");
    } else if (type == "converted") {
        if (o.contains("stage")) {
            CRM_TRY(std::string s, text_in("outcome.stage", o.at("stage"), 32));
            auto st = lifecycle_stage_from_string(s);
            if (!st || *st == LifecycleStage::subscriber || *st > LifecycleStage::customer)
                return invalid("outcome.stage", fmt::format("'{}' is not one of lead, mql, sql, opportunity, customer", s));
            d.stage = *st;
        }
    } else {
        return invalid("outcome.type", fmt::format("'{}' is not converted or won_deal", type));
    }

    if (j.contains("holdout")) { CRM_TRY(d.holdout, number_in("holdout", j.at("holdout"), 0.05, 0.5)); }
    if (j.contains("l2")) { CRM_TRY(d.l2, number_in("l2", j.at("l2"), 1e-6, 10000.0)); }
    if (j.contains("seed")) {
        CRM_TRY(auto s, integer_in("seed", j.at("seed"), 0, std::int64_t{1} << 53));
        d.seed = static_cast<std::uint64_t>(s);
    }
    if (j.contains("max_iterations")) {
        CRM_TRY(auto n, integer_in("max_iterations", j.at("max_iterations"), 1, 500));
        d.max_iterations = static_cast<int>(n);
    }

    if (!j.contains("features")) return invalid("features", "is required: an array of features");
    const Json& fs = j.at("features");
    if (!fs.is_array() || fs.empty()) return invalid("features", "must be a non-empty array");
    if (fs.size() > kMaxFeatures) return invalid("features", fmt::format("has more than {} features", kMaxFeatures));

    Json shadow = {{"name", "predictive"}, {"fit", Json::array()}, {"behaviour", Json::array()}};
    std::vector<std::size_t> fit_at, beh_at;
    std::set<std::string> keys;
    for (std::size_t i = 0; i < fs.size(); ++i) {
        const std::string at = fmt::format("features[{}]", i);
        const Json& f = fs[i];
        if (!f.is_object()) return invalid(at, "must be an object: {\"field\":…} or {\"id\":…,\"kind\":…,\"window_days\":…}");
        Feature feat;
        if (f.contains("field")) {
            CRM_TRYV(only_keys(at, f, {"field", "transform", "max_levels"}));
            CRM_TRY(feat.key, text_in(at + ".field", f.at("field"), 200));
            if (feat.key.empty()) return invalid(at + ".field", "must not be empty");
            if (!d.won_deal && feat.key == "lifecycle_stage")
                return invalid(at + ".field", "lifecycle_stage is the outcome of a converted model: it cannot be a feature");
            if (f.contains("transform")) {
                CRM_TRY(std::string t, text_in(at + ".transform", f.at("transform"), 32));
                if (t != "present") return invalid(at + ".transform", fmt::format("'{}' is not a transform (present)", t));
                feat.kind = Kind::present;
            }
            if (f.contains("max_levels")) { CRM_TRY(feat.max_levels, integer_in(at + ".max_levels", f.at("max_levels"), 1, kMaxLevels)); }
            fit_at.push_back(i);
            shadow["fit"].push_back({{"id", fmt::format("f{}", i)},
                                     {"when", {{"field", feat.key}, {"op", "exists"}}},
                                     {"points", 1}});
        } else if (f.contains("kind")) {
            CRM_TRYV(only_keys(at, f, {"id", "kind", "event", "when", "window_days"}));
            if (!f.contains("id")) return invalid(at + ".id", "is required ([a-z0-9_-], 1–64 bytes)");
            CRM_TRY(feat.key, text_in(at + ".id", f.at("id"), 64));
            if (!is_id(feat.key)) return invalid(at + ".id", fmt::format("'{}' must use only a-z, 0-9, '_' and '-'", feat.key));
            if (!f.contains("window_days"))
                return invalid(at + ".window_days", fmt::format("is required (1 … {} days before the outcome or as-of time)", kMaxWindowDays));
            CRM_TRY(auto days, integer_in(at + ".window_days", f.at("window_days"), 1, kMaxWindowDays));
            feat.kind = Kind::count;
            feat.rule = fmt::format("b{}", i);
            Json rule = {{"id", feat.rule}, {"kind", f.at("kind")}, {"points", 1}, {"window_days", days}};
            if (f.contains("event")) rule["event"] = f.at("event");
            if (f.contains("when")) rule["when"] = f.at("when");
            beh_at.push_back(i);
            shadow["behaviour"].push_back(std::move(rule));
        } else {
            return invalid(at, "needs \"field\" (a contact or account field) or \"kind\" (an interaction count)");
        }
        if (!keys.insert(feat.key).second) return invalid(at, fmt::format("'{}' is a feature twice", feat.key));
        d.features.push_back(std::move(feat));
    }

    auto m = scoring::parse(db, shadow.dump());
    if (!m) return remap(m.error(), fit_at, beh_at);
    auto model = std::make_shared<scoring::Model>(std::move(m).value());
    // Each field feature: how its value is read and turned into columns.
    for (std::size_t k = 0; k < fit_at.size(); ++k) {
        Feature& feat = d.features[fit_at[k]];
        const std::string at = fmt::format("features[{}]", fit_at[k]);
        feat.slot = model->fit[k].when.slot;
        const scoring::FieldRef& ref = model->fit_slots[static_cast<std::size_t>(feat.slot)];
        if (feat.kind == Kind::present) continue;
        const bool custom_decimal = ref.custom_type && *ref.custom_type == FieldType::decimal;
        if (custom_decimal) {
            feat.kind = Kind::numeric;
            feat.decimal = true;
        } else if (ref.vk == scoring::VK::boolean) {
            feat.kind = Kind::boolean;
        } else if (ref.vk == scoring::VK::integer && (ref.type == ValueType::integer || ref.type == ValueType::money)) {
            feat.kind = Kind::numeric;
        } else if ((ref.vk == scoring::VK::text && (ref.type == ValueType::text || ref.type == ValueType::enumeration)) ||
                   (ref.vk == scoring::VK::texts && ref.type == ValueType::tags)) {
            feat.kind = Kind::levels;
        } else {
            return invalid(at + ".field", fmt::format("'{}' ({}) is not a number, boolean, text, enumeration or tags: "
                                                      "use \"transform\":\"present\"", feat.key, to_string(ref.type)));
        }
    }
    for (std::size_t i = 0; i < d.features.size(); ++i)
        if (fs[i].contains("max_levels") && d.features[i].kind != Kind::levels)
            return invalid(fmt::format("features[{}].max_levels", i), "is only for text, enumeration and tags fields");
    d.shadow = std::move(model);
    d.document = j.dump();
    return d;
}

}  // namespace crm::predictive
