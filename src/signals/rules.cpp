// Signal rules: the checks every rule passes before it is stored (bounds, what each
// kind takes, patterns as scoring's), the rule's JSON document (strict: unknown keys
// and wrong types refused) and the JSON documents of rules and flags.
#include <fmt/format.h>

#include <algorithm>

#include "crm/signals.hpp"
#include "interactions/interactions_internal.hpp"
#include "json/parse.hpp"
#include "json/writer.hpp"
#include "scoring/model.hpp"
#include "util/text.hpp"
#include "util/try.hpp"

namespace crm::signals {

namespace {
constexpr std::size_t kMaxName = 128;
constexpr std::size_t kMaxKinds = 32;
constexpr std::size_t kMaxTaskTitle = 500;
constexpr std::int64_t kMaxDays = 3650;
constexpr std::int64_t kMaxDueHours = 8760;
constexpr std::size_t kMaxDocument = 64 * 1024;

bool has(const std::vector<LifecycleStage>& v, LifecycleStage s) { return std::find(v.begin(), v.end(), s) != v.end(); }

const char* allowed_stages(SignalKind k) {
    return k == SignalKind::reactivated_lead ? "recycled or disqualified" : "customer or evangelist";
}

bool stage_fits(SignalKind k, LifecycleStage s) {
    if (k == SignalKind::reactivated_lead) return s == LifecycleStage::recycled || s == LifecycleStage::disqualified;
    return s == LifecycleStage::customer || s == LifecycleStage::evangelist;
}
}  // namespace

result<SignalRule> check_rule(const SignalRule& in) {
    SignalRule r = in;
    const char* kind = to_string(r.kind);
    if (!signal_kind_from_string(kind) || to_string(r.kind) != std::string(kind))
        return invalid("kind", "kind must be reactivated_lost_deal, reactivated_lead, dormant_customer or url_visit");
    CRM_TRYV(text::check("name", r.name, kMaxName, true));
    r.name = text::trim(r.name);
    if (r.kinds.size() > kMaxKinds) return invalid("kinds", fmt::format("at most {} interaction kinds", kMaxKinds));
    for (std::size_t i = 0; i < r.kinds.size(); ++i)
        CRM_TRYV(interactions::check_kind(fmt::format("kinds[{}]", i), r.kinds[i]));
    std::sort(r.kinds.begin(), r.kinds.end());
    r.kinds.erase(std::unique(r.kinds.begin(), r.kinds.end()), r.kinds.end());

    const bool lost = r.kind == SignalKind::reactivated_lost_deal;
    const bool lead = r.kind == SignalKind::reactivated_lead;
    const bool dormant = r.kind == SignalKind::dormant_customer;
    const bool url = r.kind == SignalKind::url_visit;
    auto not_for = [&](const char* field) {
        return invalid(field, fmt::format("a {} rule takes no {}", kind, field));
    };
    if (r.via_account && !lost) return not_for("via");
    if (r.within_days != 0 && !lost) return not_for("within_days");
    if (r.within_days < 0 || r.within_days > kMaxDays)
        return invalid("within_days", fmt::format("within_days must be 1 to {} (0: deals lost at any time)", kMaxDays));
    if (!r.stages.empty() && !(lead || dormant)) return not_for("stages");
    if (r.stages.size() > 10) return invalid("stages", "at most 10 stages");
    for (std::size_t i = 0; i < r.stages.size(); ++i)
        if (!stage_fits(r.kind, r.stages[i]))
            return invalid(fmt::format("stages[{}]", i), fmt::format("a {} rule watches stages {}, not {}", kind,
                                                                     allowed_stages(r.kind), to_string(r.stages[i])));
    std::vector<LifecycleStage> stages;
    for (auto s : r.stages)
        if (!has(stages, s)) stages.push_back(s);
    r.stages = stages;
    if (lead && r.stages.empty()) r.stages = {LifecycleStage::recycled, LifecycleStage::disqualified};
    if (dormant && r.stages.empty()) r.stages = {LifecycleStage::customer};
    if (dormant) {
        if (r.days < 1 || r.days > kMaxDays)
            return invalid("days", fmt::format("a dormant_customer rule needs days, 1 to {}", kMaxDays));
    } else if (r.days != 0) {
        return not_for("days");
    }
    if (url) {
        if (auto why = scoring::pattern_problem(r.pattern); !why.empty()) return invalid("pattern", why);
        if (r.day_offset_minutes < -720 || r.day_offset_minutes > 840)
            return invalid("day_offset_minutes", "day_offset_minutes must be -720 to 840 (UTC-12:00 to UTC+14:00)");
        if (r.kinds.empty()) r.kinds = {"web_visit"};
    } else {
        if (!r.pattern.empty()) return not_for("pattern");
        if (r.day_offset_minutes != 540) return not_for("day_offset_minutes");
    }
    CRM_TRYV(text::check("task.title", r.task_title, kMaxTaskTitle, false));
    if (!r.task_title.empty() && text::trim(r.task_title).empty())
        return invalid("task.title", "a task title may not be blank");
    r.task_title = text::trim(r.task_title);
    if (r.task_due_hours < 0 || r.task_due_hours > kMaxDueHours)
        return invalid("task.due_hours", fmt::format("due_hours must be 0 to {} (a year)", kMaxDueHours));
    if (r.task_due_hours != 0 && r.task_title.empty())
        return invalid("task.due_hours", "due_hours needs a task title");
    return r;
}

namespace {
using Json = nlohmann::json;

result<void> only_keys(const Json& j, const std::string& at, std::initializer_list<const char*> keys,
                       const char* kind) {
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (std::find_if(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; }) != keys.end())
            continue;
        std::string list;
        for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
        return invalid(at + it.key(), fmt::format("'{}' is not a key of {} ({})", it.key(),
                                                  kind ? fmt::format("a {} rule", kind) : std::string("task"), list));
    }
    return ok();
}

result<std::string> text_of(const Json& j, const std::string& key) {
    if (!j.is_string()) return invalid(key, fmt::format("{} must be a string", key));
    return j.get<std::string>();
}

result<std::int64_t> int_of(const Json& j, const std::string& key) {
    if (!j.is_number_integer()) return invalid(key, fmt::format("{} must be an integer", key));
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        return invalid(key, fmt::format("{} is out of range", key));
    return j.get<std::int64_t>();
}

result<std::vector<std::string>> texts_of(const Json& j, const std::string& key) {
    if (!j.is_array()) return invalid(key, fmt::format("{} must be an array of strings", key));
    if (j.size() > kMaxKinds) return invalid(key, fmt::format("{} has at most {} elements", key, kMaxKinds));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        CRM_TRY(auto s, text_of(j[i], fmt::format("{}[{}]", key, i)));
        out.push_back(std::move(s));
    }
    return out;
}
}  // namespace

result<SignalRule> rule_of_json(std::string_view text) {
    if (text.size() > kMaxDocument) return invalid("rule", fmt::format("a rule document has at most {} bytes", kMaxDocument));
    CRM_TRY(Json j, crm::json::parse_object(text, "rule"));
    SignalRule r;
    if (!j.contains("kind"))
        return invalid("kind", "kind is required (reactivated_lost_deal, reactivated_lead, dormant_customer, url_visit)");
    CRM_TRY(auto kind, text_of(j["kind"], "kind"));
    auto k = signal_kind_from_string(kind);
    if (!k)
        return invalid("kind", fmt::format("'{}' is not a signal kind (reactivated_lost_deal, reactivated_lead, "
                                           "dormant_customer, url_visit)",
                                           kind));
    r.kind = *k;
    switch (r.kind) {
        case SignalKind::reactivated_lost_deal:
            CRM_TRYV(only_keys(j, "", {"name", "kind", "kinds", "via", "within_days", "task"}, kind.c_str()));
            break;
        case SignalKind::reactivated_lead:
            CRM_TRYV(only_keys(j, "", {"name", "kind", "kinds", "stages", "task"}, kind.c_str()));
            break;
        case SignalKind::dormant_customer:
            CRM_TRYV(only_keys(j, "", {"name", "kind", "kinds", "stages", "days", "task"}, kind.c_str()));
            break;
        case SignalKind::url_visit:
            CRM_TRYV(only_keys(j, "", {"name", "kind", "kinds", "pattern", "day_offset_minutes", "task"}, kind.c_str()));
            break;
    }
    if (!j.contains("name")) return invalid("name", "name is required");
    CRM_TRY(r.name, text_of(j["name"], "name"));
    if (j.contains("kinds")) {
        CRM_TRY(r.kinds, texts_of(j["kinds"], "kinds"));
    }
    if (j.contains("via")) {
        CRM_TRY(auto via, text_of(j["via"], "via"));
        if (via != "contact" && via != "account")
            return invalid("via", fmt::format("via must be contact or account, not '{}'", via));
        r.via_account = via == "account";
    }
    if (j.contains("within_days")) {
        CRM_TRY(r.within_days, int_of(j["within_days"], "within_days"));
        if (r.within_days < 1 || r.within_days > kMaxDays)
            return invalid("within_days", fmt::format("within_days must be 1 to {}", kMaxDays));
    }
    if (j.contains("stages")) {
        CRM_TRY(auto stages, texts_of(j["stages"], "stages"));
        for (std::size_t i = 0; i < stages.size(); ++i) {
            auto s = lifecycle_stage_from_string(stages[i]);
            if (!s) return invalid(fmt::format("stages[{}]", i), fmt::format("'{}' is not a lifecycle stage", stages[i]));
            r.stages.push_back(*s);
        }
    }
    if (j.contains("days")) {
        CRM_TRY(r.days, int_of(j["days"], "days"));
    }
    if (j.contains("pattern")) {
        CRM_TRY(r.pattern, text_of(j["pattern"], "pattern"));
    } else if (r.kind == SignalKind::url_visit) {
        return invalid("pattern", "a url_visit rule needs a pattern");
    }
    if (j.contains("day_offset_minutes")) {
        CRM_TRY(auto m, int_of(j["day_offset_minutes"], "day_offset_minutes"));
        if (m < -720 || m > 840)
            return invalid("day_offset_minutes", "day_offset_minutes must be -720 to 840 (UTC-12:00 to UTC+14:00)");
        r.day_offset_minutes = static_cast<int>(m);
    }
    if (j.contains("task")) {
        const Json& t = j["task"];
        if (!t.is_object()) return invalid("task", "task must be an object {\"title\": …, \"due_hours\": …}");
        CRM_TRYV(only_keys(t, "task.", {"title", "due_hours"}, nullptr));
        if (!t.contains("title")) return invalid("task.title", "a task needs a title");
        CRM_TRY(r.task_title, text_of(t["title"], "task.title"));
        if (r.task_title.empty()) return invalid("task.title", "a task title may not be empty");
        if (t.contains("due_hours")) {
        CRM_TRY(r.task_due_hours, int_of(t["due_hours"], "task.due_hours"));
    }
    }
    return check_rule(r);
}

}  // namespace crm::signals

namespace crm {

namespace {
void time_value(json::Writer& w, Timestamp t) { w.string(format_iso8601(t)); }
void opt_id(json::Writer& w, const std::optional<Id>& v) {
    if (v) w.integer(*v);
    else w.null();
}
}  // namespace

std::string to_json(const SignalRule& r) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("id"); w.integer(r.id);
    w.key("name"); w.string(r.name);
    w.key("kind"); w.string(to_string(r.kind));
    w.key("kinds");
    w.begin_array();
    for (const auto& k : r.kinds) w.string(k);
    w.end_array();
    switch (r.kind) {
        case SignalKind::reactivated_lost_deal:
            w.key("via"); w.string(r.via_account ? "account" : "contact");
            w.key("within_days"); if (r.within_days) w.integer(r.within_days); else w.null();
            break;
        case SignalKind::dormant_customer:
            w.key("days"); w.integer(r.days);
            [[fallthrough]];
        case SignalKind::reactivated_lead:
            w.key("stages");
            w.begin_array();
            for (auto s : r.stages) w.string(to_string(s));
            w.end_array();
            break;
        case SignalKind::url_visit:
            w.key("pattern"); w.string(r.pattern);
            w.key("day_offset_minutes"); w.integer(r.day_offset_minutes);
            break;
    }
    w.key("task");
    if (r.task_title.empty()) {
        w.null();
    } else {
        w.begin_object();
        w.key("title"); w.string(r.task_title);
        w.key("due_hours"); if (r.task_due_hours) w.integer(r.task_due_hours); else w.null();
        w.end_object();
    }
    w.key("created_at"); time_value(w, r.created_at);
    w.end_object();
    return out;
}

std::string to_json(const SignalFlag& f) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("id"); w.integer(f.id);
    w.key("rule"); w.string(f.rule);
    w.key("rule_id"); w.integer(f.rule_id);
    w.key("kind"); w.string(to_string(f.kind));
    w.key("contact_id"); w.integer(f.contact_id);
    w.key("episode"); w.string(f.episode);
    w.key("at"); time_value(w, f.at);
    w.key("interaction_id"); opt_id(w, f.interaction_id);
    w.key("deal_id"); opt_id(w, f.deal_id);
    w.key("task_id"); opt_id(w, f.task_id);
    w.key("detail"); w.string(f.detail);
    w.key("recorded_at"); time_value(w, f.recorded_at);
    w.key("acknowledged_at"); if (f.acknowledged_at) time_value(w, *f.acknowledged_at); else w.null();
    w.key("acknowledged_by"); opt_id(w, f.acknowledged_by);
    w.end_object();
    return out;
}

}  // namespace crm
