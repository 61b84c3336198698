// Re-engagement and churn signals (crm/signals.hpp, MISSION C6): rule definitions,
// their evaluation in the interactions' created hook (inside the write that stored
// the interaction) and in scan() (dormancy), flags recorded once per episode, tasks
// for the owner, post-commit callbacks, acknowledgement.
#include "crm/signals.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <mutex>

#include "crm/accounts.hpp"
#include "crm/interactions.hpp"
#include "crm/tasks.hpp"
#include "interactions/interactions_internal.hpp"
#include "records/codec.hpp"
#include "records/engine.hpp"
#include "scoring/model.hpp"
#include "signals/signals_internal.hpp"
#include "store/signals_store.hpp"
#include "util/text.hpp"

namespace crm {

namespace records {
template <> const KindDef<Task>& kind_def<Task>() noexcept;
}  // namespace records

namespace {
constexpr struct {
    SignalKind kind;
    const char* name;
} kKinds[] = {{SignalKind::reactivated_lost_deal, "reactivated_lost_deal"},
              {SignalKind::reactivated_lead, "reactivated_lead"},
              {SignalKind::dormant_customer, "dormant_customer"},
              {SignalKind::url_visit, "url_visit"}};
}  // namespace

const char* to_string(SignalKind k) noexcept {
    for (const auto& e : kKinds)
        if (e.kind == k) return e.name;
    return "url_visit";
}

std::optional<SignalKind> signal_kind_from_string(const std::string& s) noexcept {
    for (const auto& e : kKinds)
        if (s == e.name) return e.kind;
    return std::nullopt;
}

namespace signals {
// Checks a rule and fills in its defaults (rules.cpp).
result<SignalRule> check_rule(const SignalRule& in);
result<SignalRule> rule_of_json(std::string_view text);
}  // namespace signals

namespace {
using detail::DbImpl;

constexpr std::int64_t kDayMs = 86400000;
constexpr std::size_t kMaxDetail = 1000;
constexpr std::size_t kMaxPage = 10000;

error no_rule(const std::string& name) {
    return make_error(errc::not_found, fmt::format("no signal rule named '{}'", name), "name");
}

// At most `max` bytes of s, cut at a character boundary.
std::string clip(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
    return s + "…";
}

bool counts(const SignalRule& r, const std::string& kind) {
    return r.kinds.empty() || std::find(r.kinds.begin(), r.kinds.end(), kind) != r.kinds.end();
}

// "2026-04-01": the day of t in UTC+offset.
std::string local_day(Timestamp t, int offset_minutes) {
    return format_iso8601(t + static_cast<std::int64_t>(offset_minutes) * 60000).substr(0, 10);
}

// Records a flag unless its (rule, contact, episode) is flagged already; creates the
// owner's task and queues the callbacks. True when the flag is new.
result<bool> record(records::Write& w, const SignalRule& r, SignalFlag f) {
    auto& db = w.db;
    f.rule_id = r.id;
    f.rule = r.name;
    f.kind = r.kind;
    f.recorded_at = db.now();
    f.detail = clip(std::move(f.detail), kMaxDetail);
    auto id = store::insert_signal_flag(db, f);
    if (!id) return false;
    f.id = *id;
    if (!r.task_title.empty()) {
        CRM_TRY(Contact c, records::load_full<Contact>(db, f.contact_id));
        Task t;
        t.title = r.task_title;
        t.notes = fmt::format("{}: {} — {}", r.name, c.name, f.detail);
        // The contact's owner; else its account's owner; else nobody (docs/signals.md).
        t.assignee_id = c.owner_id;
        if (!t.assignee_id && c.account_id) {
            if (auto a = records::load_full<Account>(db, *c.account_id)) t.assignee_id = a.value().owner_id;
        }
        if (r.task_due_hours > 0) t.due_at = f.recorded_at + r.task_due_hours * 3600000;
        t.links.push_back(RecordLink{Entity::contact, f.contact_id});
        if (f.deal_id) t.links.push_back(RecordLink{Entity::deal, *f.deal_id});
        std::sort(t.links.begin(), t.links.end());
        CRM_TRY(const Id task, records::create<Task>(w, std::move(t)));
        store::set_signal_flag_task(db, f.id, task);
        f.task_id = task;
    }
    store::WriteScope::after_commit(db, [&db, f] {
        const auto fns = db.on_signal;  // a callback may register another
        for (const auto& fn : fns) {
            try {
                fn(f);
            } catch (...) {
            }
        }
    });
    return true;
}

std::vector<Id> unique_ids(std::vector<Id> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

result<void> url_visit(records::Write& w, const SignalRule& r, const Interaction& v) {
    if (!counts(r, v.kind) || v.url.empty() || !scoring::glob_match(r.pattern, v.url)) return ok();
    for (Id c : unique_ids(v.contact_ids)) {
        SignalFlag f;
        f.contact_id = c;
        f.episode = "day:" + local_day(v.occurred_at, r.day_offset_minutes);
        f.at = v.occurred_at;
        f.interaction_id = v.id;
        f.detail = fmt::format("visited {}", v.url);
        CRM_TRYV(record(w, r, std::move(f)));
    }
    return ok();
}

result<void> reactivated_lead(records::Write& w, const SignalRule& r, const Interaction& v) {
    if (v.direction != Direction::inbound || !counts(r, v.kind)) return ok();
    for (Id c : unique_ids(v.contact_ids)) {
        auto contact = records::load_full<Contact>(w.db, c);
        if (!contact) continue;
        const LifecycleStage stage = contact.value().lifecycle_stage;
        if (std::find(r.stages.begin(), r.stages.end(), stage) == r.stages.end()) continue;
        const Timestamp entered = store::stage_entered_at(w.db, c).value_or(0);
        if (v.occurred_at < entered) continue;  // activity from before the contact was put there
        SignalFlag f;
        f.contact_id = c;
        f.episode = fmt::format("{}:{}", to_string(stage), entered);
        f.at = v.occurred_at;
        f.interaction_id = v.id;
        f.detail = fmt::format("{} since {}, active again: {}{}{}", to_string(stage), format_iso8601(entered), v.kind,
                               v.subject.empty() ? "" : " ", v.subject);
        CRM_TRYV(record(w, r, std::move(f)));
    }
    return ok();
}

result<void> reactivated_lost_deal(records::Write& w, const SignalRule& r, const Interaction& v) {
    if (v.direction != Direction::inbound || !counts(r, v.kind)) return ok();
    const Timestamp from = r.within_days > 0 ? v.occurred_at - r.within_days * kDayMs : INT64_MIN;
    for (Id c : unique_ids(v.contact_ids)) {
        std::vector<Id> accounts;
        if (r.via_account) {
            accounts = v.account_ids;
            if (auto contact = records::load_full<Contact>(w.db, c); contact && contact.value().account_id)
                accounts.push_back(*contact.value().account_id);
        }
        for (const auto& d : store::lost_deals(w.db, c, unique_ids(accounts), from, v.occurred_at)) {
            SignalFlag f;
            f.contact_id = c;
            f.episode = fmt::format("deal:{}", d.id);
            f.at = v.occurred_at;
            f.interaction_id = v.id;
            f.deal_id = d.id;
            f.detail = fmt::format("deal '{}' lost on {}, active again: {}{}{}", d.name, format_iso8601(d.closed_at),
                                   v.kind, v.subject.empty() ? "" : " ", v.subject);
            CRM_TRYV(record(w, r, std::move(f)));
        }
    }
    return ok();
}

result<void> on_created(records::Write& w, const Interaction& v) {
    if (v.contact_ids.empty()) return ok();
    const auto rules = store::signal_rules_event(w.db);
    for (const auto& r : rules) {
        switch (r.kind) {
            case SignalKind::url_visit: CRM_TRYV(url_visit(w, r, v)); break;
            case SignalKind::reactivated_lead: CRM_TRYV(reactivated_lead(w, r, v)); break;
            case SignalKind::reactivated_lost_deal: CRM_TRYV(reactivated_lost_deal(w, r, v)); break;
            case SignalKind::dormant_customer: break;  // scan()
        }
    }
    return ok();
}

}  // namespace

namespace signals {
void install() noexcept {
    static std::once_flag once;
    std::call_once(once, [] { interactions::add_created_hook(&on_created); });
}
}  // namespace signals

Signals Db::signals() noexcept { return Signals(impl_.get()); }

result<SignalRule> Signals::define(const SignalRule& rule) noexcept {
    if (!db_) return records::closed();
    CRM_TRY(SignalRule r, signals::check_rule(rule));
    return db_->write([&]() -> result<SignalRule> {
        if (store::signal_rule_by_name(*db_, r.name))
            return make_error(errc::already_exists, fmt::format("a signal rule named '{}' exists", r.name), "name");
        r.created_at = db_->now();
        r.id = store::insert_signal_rule(*db_, r);
        return r;
    });
}

result<SignalRule> Signals::define_json(std::string_view rule_json) noexcept {
    if (!db_) return records::closed();
    try {
        CRM_TRY(SignalRule r, signals::rule_of_json(rule_json));
        return define(r);
    } catch (...) {
        return detail::error_from_exception(std::current_exception());
    }
}

result<std::vector<SignalRule>> Signals::list() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<SignalRule>> { return store::signal_rules_all(*db_); });
}

result<SignalRule> Signals::get(const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<SignalRule> {
        auto r = store::signal_rule_by_name(*db_, name);
        if (!r) return no_rule(name);
        return *r;
    });
}

result<void> Signals::remove(const std::string& name) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        auto r = store::signal_rule_by_name(*db_, name);
        if (!r) return no_rule(name);
        store::delete_signal_rule(*db_, r->id);
        return ok();
    });
}

result<std::vector<SignalFlag>> Signals::flags(const SignalQuery& q) noexcept {
    if (!db_) return records::closed();
    if (q.limit < 1 || q.limit > kMaxPage) return invalid("limit", "must be between 1 and 10000");
    if (q.contact_id < 0) return invalid("contact_id", "a contact id is positive (0 = every contact)");
    if (q.after < 0) return invalid("after", "a flag id is positive (0 = from the first)");
    return db_->read([&]() -> result<std::vector<SignalFlag>> {
        Id rule_id = 0;
        if (!q.rule.empty()) {
            auto r = store::signal_rule_by_name(*db_, q.rule);
            if (!r) return no_rule(q.rule);
            rule_id = r->id;
        }
        return store::signal_flags(*db_, rule_id, q);
    });
}

result<SignalFlag> Signals::acknowledge(Id flag_id) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<SignalFlag> {
        auto f = store::signal_flag(*db_, flag_id);
        if (!f) return make_error(errc::not_found, fmt::format("no signal flag with id {}", flag_id), "id");
        if (f->acknowledged_at)
            return make_error(errc::invalid_argument,
                              fmt::format("signal flag {} was acknowledged at {}", flag_id,
                                          format_iso8601(*f->acknowledged_at)),
                              "id");
        db_->check_actor();
        f->acknowledged_at = db_->now();
        f->acknowledged_by = db_->actor;
        store::acknowledge_signal_flag(*db_, flag_id, *f->acknowledged_at, f->acknowledged_by);
        return *f;
    });
}

result<std::int64_t> Signals::scan(std::optional<Timestamp> as_of) noexcept {
    if (!db_) return records::closed();
    if (as_of) CRM_TRYV(records::check_time("as_of", *as_of));
    return db_->write([&]() -> result<std::int64_t> {
        const Timestamp t = as_of.value_or(db_->now());
        std::int64_t fresh = 0;
        records::Write w{*db_};
        for (const auto& r : store::signal_rules_of_kind(*db_, SignalKind::dormant_customer)) {
            std::vector<std::string> stages;
            for (auto s : r.stages) stages.emplace_back(to_string(s));
            for (const auto& row : store::dormant_rows(*db_, stages, r.kinds, t)) {
                // Quiet since the later of its last inbound activity and its entry into the stage.
                const Timestamp since = std::max(row.last_activity.value_or(INT64_MIN), row.entered.value_or(INT64_MIN));
                if (since == INT64_MIN || since > t || t - since < r.days * kDayMs) continue;
                SignalFlag f;
                f.contact_id = row.contact_id;
                f.episode = fmt::format("since:{}", since);
                f.at = t;
                f.detail = fmt::format("no inbound activity for {} days (since {})", (t - since) / kDayMs,
                                       format_iso8601(since));
                CRM_TRY(bool added, record(w, r, std::move(f)));
                if (added) ++fresh;
            }
        }
        return fresh;
    });
}

void Signals::on_signal(std::function<void(const SignalFlag&)> fn) noexcept {
    if (!db_ || !fn) return;
    try {
        db_->on_signal.push_back(std::move(fn));
    } catch (...) {
    }
}

}  // namespace crm
