// Routing definitions: a JSON document parsed and checked into a Def. Predicates are
// the scoring fit-rule predicates (scoring::parse_predicate: fields through the entity
// registry, custom fields by their definitions); territories compile to an "in"
// predicate on their field. Every user named must exist and be active, the calendar
// must exist, and every number is range-checked: any error names the key, and the
// service stores nothing.
#include <fmt/format.h>

#include <set>

#include "json/parse.hpp"
#include "records/engine.hpp"
#include "routing/routing_internal.hpp"
#include "scoring/inputs.hpp"
#include "store/tickets_store.hpp"
#include "util/text.hpp"

namespace crm::routing {

namespace {
using Json = nlohmann::json;

error bad(const std::string& key, const std::string& why) {
    return make_error(errc::invalid_argument, fmt::format("{}: {}", key, why), key);
}

result<void> only_keys(const std::string& at, const Json& o, std::initializer_list<const char*> allowed) {
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool known = false;
        for (const char* a : allowed) known = known || it.key() == a;
        if (!known) {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            return bad(at.empty() ? it.key() : at + "." + it.key(), fmt::format("unknown key (known: {})", list));
        }
    }
    return ok();
}

result<std::int64_t> integer_in(const std::string& key, const Json& v, std::int64_t lo, std::int64_t hi) {
    if (!v.is_number_integer()) return bad(key, v.is_number() ? "must be a whole number" : "must be a number");
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
        return bad(key, fmt::format("must be between {} and {}", lo, hi));
    const std::int64_t x = v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>()) : v.get<std::int64_t>();
    if (x < lo || x > hi) return bad(key, fmt::format("must be between {} and {}", lo, hi));
    return x;
}

result<std::string> text_in(const std::string& key, const Json& v, std::size_t max) {
    if (!v.is_string()) return bad(key, "must be a string");
    const auto& s = v.get_ref<const std::string&>();
    if (auto r = text::check(key, s, max, true); !r) return bad(key, r.error().message);
    return s;
}

// A user id that names an active user (check_users) or any id (stored definitions).
result<Id> user_in(detail::DbImpl* db, const std::string& key, const Json& v) {
    CRM_TRY(std::int64_t id, integer_in(key, v, 1, INT64_MAX));
    if (!db) return id;
    auto u = records::load_full<User>(*db, id);
    if (!u) return bad(key, fmt::format("no user with id {}", id));
    if (!u.value().active) return bad(key, fmt::format("user {} ({}) is inactive", id, u.value().name));
    return id;
}

result<std::string> rule_id(const std::string& key, const Json& v, std::set<std::string>& seen) {
    CRM_TRY(std::string id, text_in(key, v, 64));
    for (char ch : id)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return bad(key, fmt::format("'{}' must use only a-z, 0-9, '_' and '-'", id));
    if (!seen.insert(id).second) return bad(key, fmt::format("'{}' is used by another rule", id));
    return id;
}

result<Def> parse_def(detail::DbImpl& impl, std::string_view text, bool check_refs) {
    if (text.size() > kMaxDefinitionBytes)
        return invalid("definition", fmt::format("is larger than {} bytes", kMaxDefinitionBytes));
    CRM_TRY(Json j, json::parse_object(text, "definition"));
    detail::DbImpl* users = check_refs ? &impl : nullptr;
    Def d;
    // Fields are always resolved (a stored definition whose custom field was removed
    // since cannot be read: route() reports it); users and the calendar only when
    // defining (one deactivated since is handled by route()).
    auto defs = &scoring::custom_defs;
    CRM_TRYV(only_keys("", j,
                       {"name", "description", "calendar", "territories", "rules", "fallback", "capacity", "capacities",
                        "follow_up", "timeline_items"}));
    if (!j.contains("name")) return bad("name", "is required");
    CRM_TRY(d.name, text_in("name", j.at("name"), 128));
    if (text::trim(d.name) != d.name) return bad("name", "must not begin or end with white space");
    if (j.contains("description")) {
        if (!j.at("description").is_string()) return bad("description", "must be a string");
        if (auto r = text::check("description", j.at("description").get<std::string>(), 4096, false); !r) return r.error();
        d.description = j.at("description").get<std::string>();
    }
    if (!j.contains("fallback"))
        return bad("fallback", "is required: the user who takes a contact no rule routes (a user id)");
    CRM_TRY(d.fallback, user_in(users, "fallback", j.at("fallback")));
    if (j.contains("calendar")) {
        CRM_TRY(d.calendar, text_in("calendar", j.at("calendar"), 128));
        if (check_refs && !store::calendar_id_by_name(impl, d.calendar))
            return bad("calendar", fmt::format("no business calendar named '{}'", d.calendar));
    }
    if (j.contains("capacity")) { CRM_TRY(d.capacity, integer_in("capacity", j.at("capacity"), 1, kMaxCapacity)); }
    if (j.contains("capacities")) {
        const auto& a = j.at("capacities");
        if (!a.is_array()) return bad("capacities", "must be an array of {\"user\":3,\"max\":5}");
        if (a.size() > kMaxCapacities) return bad("capacities", fmt::format("has more than {} entries", kMaxCapacities));
        for (std::size_t i = 0; i < a.size(); ++i) {
            const std::string at = fmt::format("capacities[{}]", i);
            if (!a[i].is_object()) return bad(at, "must be an object {\"user\":3,\"max\":5}");
            CRM_TRYV(only_keys(at, a[i], {"user", "max"}));
            if (!a[i].contains("user")) return bad(at + ".user", "is required");
            if (!a[i].contains("max")) return bad(at + ".max", "is required");
            CRM_TRY(Id u, user_in(users, at + ".user", a[i].at("user")));
            CRM_TRY(std::int64_t m, integer_in(at + ".max", a[i].at("max"), 1, kMaxCapacity));
            if (!d.capacities.emplace(u, m).second) return bad(at + ".user", fmt::format("user {} is listed twice", u));
        }
    }
    if (j.contains("follow_up")) {
        const auto& f = j.at("follow_up");
        if (!f.is_object()) return bad("follow_up", "must be an object {\"title\":…,\"due_hours\":4,\"priority\":\"high\"}");
        CRM_TRYV(only_keys("follow_up", f, {"title", "due_hours", "due_minutes", "priority"}));
        if (f.contains("title")) {
            CRM_TRY(d.title, text_in("follow_up.title", f.at("title"), kMaxTitle));
            if (text::trim(d.title).empty()) return bad("follow_up.title", "must not be blank");
        }
        if (f.contains("due_hours") && f.contains("due_minutes"))
            return bad("follow_up.due_hours", "give due_hours or due_minutes, not both");
        if (f.contains("due_hours")) {
            CRM_TRY(auto h, integer_in("follow_up.due_hours", f.at("due_hours"), 1, kMaxDueMinutes / 60));
            d.due_minutes = h * 60;
        }
        if (f.contains("due_minutes")) {
            CRM_TRY(d.due_minutes, integer_in("follow_up.due_minutes", f.at("due_minutes"), 1, kMaxDueMinutes));
        }
        if (f.contains("priority")) {
            CRM_TRY(auto p, text_in("follow_up.priority", f.at("priority"), 16));
            auto pr = task_priority_from_string(p);
            if (!pr) return bad("follow_up.priority", fmt::format("'{}' is not a priority (low, normal, high)", p));
            d.priority = *pr;
        }
    }
    if (j.contains("timeline_items")) {
        CRM_TRY(d.timeline_items, integer_in("timeline_items", j.at("timeline_items"), 0, kMaxTimeline));
    }
    if (j.contains("territories")) {
        const auto& a = j.at("territories");
        if (!a.is_array()) return bad("territories", "must be an array of {\"name\",\"field\",\"values\"}");
        if (a.size() > kMaxTerritories) return bad("territories", fmt::format("has more than {} territories", kMaxTerritories));
        std::set<std::string> names;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const std::string at = fmt::format("territories[{}]", i);
            if (!a[i].is_object()) return bad(at, "must be an object {\"name\",\"field\",\"values\"}");
            CRM_TRYV(only_keys(at, a[i], {"name", "field", "values"}));
            for (const char* k : {"name", "field", "values"})
                if (!a[i].contains(k)) return bad(at + "." + k, "is required");
            Territory t;
            CRM_TRY(t.name, text_in(at + ".name", a[i].at("name"), 128));
            if (!names.insert(t.name).second) return bad(at + ".name", fmt::format("'{}' is defined twice", t.name));
            CRM_TRY(t.field, text_in(at + ".field", a[i].at("field"), 200));
            // {"field": F, "op": "in", "value": values}: the field resolved and the values
            // checked against its type by the scoring predicate parser.
            Json p = {{"field", t.field}, {"op", "in"}, {"value", a[i].at("values")}};
            auto w = scoring::parse_predicate(p, at, d.slots, &impl, defs);
            if (!w) {
                // Name the territory's own keys ("values[2]", "field"), not the predicate's.
                error e = w.error();
                for (auto* s : {&e.field, &e.message}) {
                    for (auto [from, to] : {std::pair<std::string, std::string>{"when.value", "values"},
                                            std::pair<std::string, std::string>{"when.field", "field"}})
                        for (auto k = s->find(from); k != std::string::npos; k = s->find(from, k + to.size()))
                            s->replace(k, from.size(), to);
                }
                return e;
            }
            t.when = std::move(w).value();
            d.territories.push_back(std::move(t));
        }
    }
    if (!j.contains("rules")) return bad("rules", "is required (an array; it may be empty: the fallback takes all)");
    const auto& rules = j.at("rules");
    if (!rules.is_array()) return bad("rules", "must be an array of rules");
    if (rules.size() > kMaxRules) return bad("rules", fmt::format("a routing has at most {} rules", kMaxRules));
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const std::string at = fmt::format("rules[{}]", i);
        const auto& r = rules[i];
        if (!r.is_object()) return bad(at, "must be an object");
        CRM_TRYV(only_keys(at, r, {"id", "when", "territory", "owner", "pool"}));
        Rule rule;
        if (!r.contains("id")) return bad(at + ".id", "is required ([a-z0-9_-], 1–64 bytes)");
        CRM_TRY(rule.id, rule_id(at + ".id", r.at("id"), seen));
        if (r.contains("when")) {
            CRM_TRY(rule.when, scoring::parse_predicate(r.at("when"), at, d.slots, &impl, defs));
            rule.has_when = true;
        }
        if (r.contains("territory")) {
            CRM_TRY(auto name, text_in(at + ".territory", r.at("territory"), 128));
            for (std::size_t k = 0; k < d.territories.size(); ++k)
                if (d.territories[k].name == name) rule.territory = static_cast<int>(k);
            if (rule.territory < 0) return bad(at + ".territory", fmt::format("no territory named '{}'", name));
        }
        if (r.contains("owner") == r.contains("pool"))
            return bad(at + ".owner", "a rule names one owner (\"owner\": user id) or a pool (\"pool\": [user ids])");
        if (r.contains("owner")) {
            CRM_TRY(Id u, user_in(users, at + ".owner", r.at("owner")));
            rule.owners.push_back(u);
        } else {
            const auto& p = r.at("pool");
            if (!p.is_array() || p.empty()) return bad(at + ".pool", "must be a non-empty array of user ids");
            if (p.size() > kMaxPool) return bad(at + ".pool", fmt::format("has more than {} users", kMaxPool));
            for (std::size_t k = 0; k < p.size(); ++k) {
                CRM_TRY(Id u, user_in(users, fmt::format("{}.pool[{}]", at, k), p[k]));
                if (std::find(rule.owners.begin(), rule.owners.end(), u) != rule.owners.end())
                    return bad(fmt::format("{}.pool[{}]", at, k), fmt::format("user {} is in the pool twice", u));
                rule.owners.push_back(u);
            }
            rule.pool = true;
        }
        d.rules.push_back(std::move(rule));
    }
    d.document = j.dump();
    return d;
}
}  // namespace

result<Def> parse(detail::DbImpl& db, std::string_view text) { return parse_def(db, text, true); }

result<Def> parse_stored(detail::DbImpl& db, const std::string& text) {
    if (auto d = parse_def(db, text, true)) return d;
    // A user deactivated or a custom field removed since: read it without those checks
    // (route() then skips an inactive owner, and refuses an inactive fallback).
    return parse_def(db, text, false);
}

std::optional<std::int64_t> capacity_of(const Def& d, Id user) {
    if (auto it = d.capacities.find(user); it != d.capacities.end()) return it->second;
    return d.capacity;
}

}  // namespace crm::routing
