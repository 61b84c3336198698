// demo_tour.cpp — the facts `crm demo` shows, read back from the database with
// the public API (as any application could): counts, the pipelines by stage, one
// deal's way to a win, a contact's and an account's timelines, the SLA view, due
// tasks and reminders, documents sent and the newest history rows.
#include "demo_tour.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "cli.hpp"

namespace cli::tour {

namespace {

constexpr crm::Timestamp kHour = 3'600'000, kDay = 24 * kHour, kJst = 9 * kHour;

template <class T, class Fn>
void each(crm::Records<T> records, std::vector<crm::Filter> where, Fn fn) {
    crm::ListOptions o;
    o.where = std::move(where);
    o.limit = 1000;
    for (;;) {
        auto page = must(records.list(o));
        for (auto& x : page.items) fn(x);
        if (page.next.empty()) return;
        o.after = page.next;
    }
}

class Names {
public:
    explicit Names(crm::Db& db) : db_(db) {}
    std::string user(std::optional<crm::Id> id) {
        if (!id) return {};
        auto it = users_.find(*id);
        if (it == users_.end()) {
            auto u = db_.users().get(*id);
            it = users_.emplace(*id, u ? u.value().name : fmt::format("user {}", *id)).first;
        }
        return it->second;
    }
    std::string contact(crm::Id id) {
        auto c = db_.contacts().get(id);
        return c ? c.value().name : fmt::format("contact {}", id);
    }

private:
    crm::Db& db_;
    std::map<crm::Id, std::string> users_;
};

std::string tracking_of(crm::Db& db, crm::Id interaction) {
    auto events = db.interactions().email_events(interaction);
    if (!events) return {};
    std::vector<std::string> seen;
    for (const auto& e : events.value()) {
        std::string t = crm::to_string(e.type);
        if (t != "sent" && std::find(seen.begin(), seen.end(), t) == seen.end()) seen.push_back(t);
    }
    std::string out;
    for (const auto& s : seen) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// The newest interactions, each subject once (a newsletter reaches many people of an account).
Timeline timeline(crm::Db& db, crm::Entity e, crm::Id id, std::size_t rows) {
    Timeline t;
    t.entity = e;
    t.id = id;
    crm::TimelineQuery q;
    q.limit = 50;
    std::vector<std::string> seen;
    for (const auto& i : must(db.interactions().timeline(e, id, q)).items) {
        if (t.rows.size() == rows) break;
        if (std::find(seen.begin(), seen.end(), i.subject) != seen.end()) continue;
        seen.push_back(i.subject);
        TimelineRow r{i.id, i.occurred_at, i.kind, crm::to_string(i.direction), i.subject, {}};
        if (i.kind == "email") r.tracking = tracking_of(db, i.id);
        t.rows.push_back(std::move(r));
    }
    return t;
}

void gather_stages(crm::Db& db, Tour& t) {
    std::map<std::string, std::int64_t> reasons;
    std::vector<crm::Deal> won;
    crm::Id first = 0;
    each(db.pipelines(), {}, [&](const crm::Pipeline& p) {
        if (first == 0) first = p.id;
        for (const auto& s : must(db.pipelines().stages(p.id))) {
            StageRow row{p.name, s.name, crm::to_string(s.kind), p.id, s.id, 0, 0, 0};
            each(db.deals(), {{"stage_id", crm::Op::eq, std::to_string(s.id)}}, [&](const crm::Deal& d) {
                ++row.deals;
                if (d.amount.currency != "JPY") return;
                row.amount += d.amount.amount;
                row.weighted += crm::weighted_amount(d.amount.amount, d.probability.value_or(s.probability));
                if (d.status == crm::DealStatus::lost) ++reasons[d.lost_reason];
                if (d.status == crm::DealStatus::won && d.contact_id && won.size() < 200 && p.id == first)
                    won.push_back(d);
            });
            t.stages.push_back(std::move(row));
        }
    });
    for (const auto& [k, v] : reasons) t.lost_reasons.emplace_back(k, v);
    std::stable_sort(t.lost_reasons.begin(), t.lost_reasons.end(), [](auto& a, auto& b) { return a.second > b.second; });

    // The story of one win: the longest way through the first pipeline, a Japanese customer's if any.
    auto japanese = [](const std::string& s) {
        return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    };
    std::tuple<bool, std::size_t, std::int64_t> best{false, 0, 0};
    for (const auto& d : won) {
        auto history = must(db.deals().stage_history(d.id));
        const std::tuple<bool, std::size_t, std::int64_t> score{japanese(d.name), history.size(), d.amount.amount};
        if (t.deal && score <= best) continue;
        DealStory story{d, {}, {}};
        if (d.account_id) story.account = must(db.accounts().get(*d.account_id)).name;
        std::map<crm::Id, std::string> stage_names;
        for (const auto& s : must(db.pipelines().stages(d.pipeline_id))) stage_names[s.id] = s.name;
        for (const auto& h : history)
            story.path.emplace_back(stage_names[h.to_stage_id], (h.time_in_stage_ms + kDay / 2) / kDay);
        best = score;
        t.deal = std::move(story);
    }
}

void gather_sla(crm::Db& db, Tour& t, crm::Timestamp now) {
    for (const auto& p : must(db.tickets().sla_policies())) t.sla.policies.push_back(p.name);
    const auto calendars = must(db.tickets().calendars());
    if (!calendars.empty()) {
        t.sla.calendar = calendars.front().name;
        const std::string year = crm::format_iso8601(now + kJst).substr(0, 4);
        for (const auto& h : calendars.front().holidays) t.sla.holidays += h.starts_with(year);
    }
    each(db.tickets(), {}, [&](const crm::Ticket& x) {
        ++t.sla.tickets;
        if (x.status != crm::TicketStatus::resolved && x.status != crm::TicketStatus::closed) {
            ++t.sla.open;
            return;
        }
        ++t.sla.done;
        const auto s = must(db.tickets().sla(x.id, now));
        if (s.resolution.state == crm::SlaState::met) ++t.sla.met;
        if (s.resolution.state == crm::SlaState::breached) ++t.sla.breached;
    });
    t.sla.alerts = must(db.tickets().breaching(8 * 60, now));
}

std::string about(const crm::Task& task) {
    for (crm::Entity e : {crm::Entity::deal, crm::Entity::ticket, crm::Entity::account, crm::Entity::contact})
        for (const auto& l : task.links)
            if (l.entity == e) return fmt::format("{} {}", crm::entity_name(e), l.id);
    return {};
}

void gather_tasks(crm::Db& db, Tour& t, Names& names, crm::Timestamp now) {
    auto due = [&](crm::DueWindow window) {
        crm::DueQuery q;
        q.window = window;
        q.now = now;
        q.utc_offset_minutes = 540;
        q.limit = 10000;
        return must(db.tasks().due(q)).items;
    };
    auto row = [&](const crm::Task& x) { return TaskRow{x, names.user(x.assignee_id), about(x)}; };
    const auto overdue = due(crm::DueWindow::overdue);
    const auto today = due(crm::DueWindow::today);
    t.tasks.overdue = static_cast<std::int64_t>(overdue.size());
    t.tasks.today = static_cast<std::int64_t>(today.size());
    for (std::size_t i = overdue.size(); i-- > 0 && t.tasks.rows.size() < 3;) t.tasks.rows.push_back(row(overdue[i]));
    std::reverse(t.tasks.rows.begin(), t.tasks.rows.end());
    for (const auto& x : today)
        if (t.tasks.rows.size() < 6 && x.due_at >= now) t.tasks.rows.push_back(row(x));
    // Reminders due now that nobody has handed out yet (`crm task remind` would).
    const std::string at = crm::format_iso8601(now);
    for (const char* status : {"open", "in_progress"})
        each(db.tasks(), {{"remind_at", crm::Op::le, at}, {"status", crm::Op::eq, status}}, [&](const crm::Task& x) {
            if (!must(db.tasks().reminder_delivered_at(x.id))) ++t.tasks.reminders_now;
        });
    crm::ListOptions o;
    o.where = {{"remind_at", crm::Op::gt, at}};
    o.order_by = "remind_at";
    o.limit = 50;
    for (const auto& x : must(db.tasks().list(o)).items)
        if (t.tasks.upcoming.size() < 3 && (x.status == crm::TaskStatus::open || x.status == crm::TaskStatus::in_progress))
            t.tasks.upcoming.push_back(row(x));
}

void gather_sent(crm::Db& db, Tour& t, Names& names) {
    crm::ListOptions o;
    o.order_by = "created_at";
    o.descending = true;
    o.limit = 20;
    for (const auto& d : must(db.documents().list(o)).items)
        for (const auto& s : must(db.documents().sends(d.id))) t.sent.push_back({s.sent_at, d, {}});
    std::stable_sort(t.sent.begin(), t.sent.end(), [](const Sent& a, const Sent& b) { return a.at > b.at; });
    if (t.sent.size() > 4) t.sent.resize(4);
    for (auto& s : t.sent)
        for (const auto& x : must(db.documents().sends(s.doc.id)))
            if (x.sent_at == s.at) s.to = names.contact(x.contact_id);
}

std::string plain(const std::string& json_text) {
    auto v = json::parse(json_text, nullptr, false);
    if (v.is_discarded()) return json_text;
    if (v.is_null()) return "—";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

std::string what(const crm::Change& c) {
    if (c.op == crm::ChangeOp::remove) return "deleted";
    if (c.field == "*batch") {
        auto v = json::parse(c.new_value, nullptr, false);
        if (v.is_object()) return fmt::format("batch of {} from {}", v.value("count", 0), v.value("source", "?"));
    }
    if (c.field == "*") {
        auto v = json::parse(c.new_value, nullptr, false);
        if (v.is_object())
            for (const char* k : {"name", "subject", "title"})
                if (v.contains(k) && v[k].is_string()) return "created: " + v[k].get<std::string>();
        return "created";
    }
    if (c.field == "email_events") {
        auto v = json::parse(c.new_value, nullptr, false);
        if (v.is_object()) return "e-mail " + v.value("type", std::string("event"));
    }
    return fmt::format("{}: {} → {}", c.field, crm::tools::truncate_to_width(plain(c.old_value), 20),
                       crm::tools::truncate_to_width(plain(c.new_value), 20));
}

}  // namespace

std::string thousands(std::int64_t n) {
    const std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        out += digits[i];
        if ((digits.size() - i - 1) % 3 == 0 && i + 1 < digits.size()) out += ',';
    }
    return n < 0 ? "-" + out : out;
}

std::string yen(std::int64_t amount) { return "¥" + thousands(amount); }

std::string jst(crm::Timestamp t) {
    const std::string s = crm::format_iso8601(t + kJst);  // 2026-11-24T07:08:16.000Z
    return s.substr(0, 10) + " " + s.substr(11, 5);
}

Tour gather(crm::Db& db, const crm::sample::Summary& summary) {
    Tour t;
    t.summary = summary;
    const crm::Timestamp now = summary.now;
    auto add = [&](const char* kind, std::int64_t n, std::string note = {}) { t.counts.push_back({kind, n, std::move(note)}); };
    add("users", must(db.users().count()));
    add("teams", must(db.teams().count()));
    add("accounts", must(db.accounts().count()));
    add("contacts", must(db.contacts().count()));
    add("products", must(db.products().count()));
    add("campaigns", must(db.campaigns().count()));
    add("pipelines", must(db.pipelines().count()));
    add("deals", must(db.deals().count()));
    add("interactions", must(db.interactions().count()),
        fmt::format("{} e-mail events", thousands(static_cast<std::int64_t>(summary.email_events))));
    add("tickets", must(db.tickets().count()));
    add("tasks", must(db.tasks().count()),
        fmt::format("{} reminders sent", thousands(static_cast<std::int64_t>(summary.reminders_delivered))));
    add("documents", must(db.documents().count()),
        fmt::format("{} sends", thousands(static_cast<std::int64_t>(summary.document_sends))));
    t.history = must(db.history().count());
    for (int i = 0; i <= static_cast<int>(crm::LifecycleStage::other); ++i) {
        const char* st = crm::to_string(static_cast<crm::LifecycleStage>(i));
        auto n = must(db.contacts().count({crm::Filter{"lifecycle_stage", crm::Op::eq, st}}));
        if (n > 0) t.contacts_by_stage.emplace_back(st, n);
    }

    gather_stages(db, t);
    Names names(db);
    if (t.deal && t.deal->deal.contact_id) {
        t.contact = timeline(db, crm::Entity::contact, *t.deal->deal.contact_id, 5);
        const auto c = must(db.contacts().get(*t.deal->deal.contact_id));
        t.contact->name = c.name;
        if (c.account_id) t.contact->detail = must(db.accounts().get(*c.account_id)).name;
    }
    gather_sla(db, t, now);
    // An account with support work going on: the requester's company of a breaching ticket.
    std::optional<crm::Id> account;
    for (const auto& a : t.sla.alerts)
        if (!account) account = must(db.tickets().get(a.ticket_id)).account_id;
    if (!account && t.deal) account = t.deal->deal.account_id;
    if (account) {
        t.account = timeline(db, crm::Entity::account, *account, 4);
        t.account->name = must(db.accounts().get(*account)).name;
        t.account->detail = fmt::format("{} contacts", must(db.accounts().contacts(*account)).size());
    }
    gather_tasks(db, t, names, now);
    gather_sent(db, t, names);
    const crm::Id latest = must(db.history().latest_id());
    for (const auto& c : must(db.history().since(std::max<crm::Id>(0, latest - 5), 5)))
        t.changes.push_back({c, c.actor_id ? names.user(c.actor_id) : "(system)", what(c)});
    return t;
}

}  // namespace cli::tour
