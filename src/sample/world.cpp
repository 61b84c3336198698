// World: the plan of the sample company's history and the helpers the planners share.
#include "sample/world.hpp"

#include <fmt/format.h>

namespace crm::sample {

using namespace japan;

namespace {
constexpr Timestamp kYear = 365 * kDay;
int year_of(Timestamp t) { return civil_from_days(jst_day(t)).year; }
}  // namespace

World::World(Db& d, const Options& opts, Timestamp n)
    : db(d),
      o(opts),
      now(n),
      since(jst_midnight_of_day(jst_day(n - opts.months * 30 * kDay))),
      setup(since - 3 * kYear),
      cal(year_of(since), year_of(n) + 1) {
    sum.since = since;
    sum.now = now;
}

void World::at(Timestamp t, std::function<result<void>()> fn) {
    plan_.push_back({t, plan_.size(), std::move(fn)});
}

void World::act(std::optional<std::size_t> user) {
    db.set_actor(user && *user < users.size() ? std::optional<Id>(users[*user]) : std::nullopt);
}

Timestamp World::work_time(Rng& r, std::int64_t day) const {
    const auto minute = static_cast<Timestamp>(r.below(8 * 60));  // 9:00–12:00, 13:00–18:00
    const Timestamp local = minute < 180 ? 9 * kHour + minute * kMinute : 13 * kHour + (minute - 180) * kMinute;
    return jst_midnight_of_day(day) + local + static_cast<Timestamp>(r.below(60)) * 1000;
}

Timestamp World::any_between(Rng& r, Timestamp lo, Timestamp hi) {
    return hi <= lo ? lo : lo + static_cast<Timestamp>(r.below(static_cast<std::uint64_t>(hi - lo)));
}

Timestamp World::work_between(Rng& r, Timestamp lo, Timestamp hi) const {
    if (hi <= lo) return lo;
    const std::int64_t first = jst_day(lo), last = jst_day(hi - 1);
    for (int attempt = 0; attempt < 8; ++attempt) {
        std::int64_t d = first + static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(last - first + 1)));
        d = cal.next_working_day(d);
        if (d > last) d = cal.previous_working_day(last);
        const Timestamp t = work_time(r, d);
        if (t >= lo && t < hi) return t;
    }
    return any_between(r, lo, hi);
}

Timestamp World::work_after(Rng& r, Timestamp t, int min_days, int max_days) const {
    const std::int64_t d = cal.next_working_day(jst_day(t) + r.between(min_days, max_days));
    return work_time(r, d);
}

Timestamp World::work_before(Rng& r, Timestamp t, Timestamp gap) const {
    const Timestamp c = t - gap;
    const std::int64_t day = jst_day(c);
    const Timestamp local = c - jst_midnight_of_day(day);
    if (cal.working_day(day) && local >= 9 * kHour && local < 18 * kHour) return c;
    const std::int64_t before = cal.previous_working_day(local < 9 * kHour ? day - 1 : (cal.working_day(day) ? day : day - 1));
    const Timestamp w = work_time(r, before);
    return w < t ? w : c;
}

std::vector<std::size_t> World::contacts_before(std::size_t account, Timestamp t) const {
    std::vector<std::size_t> out;
    for (auto c : accounts[account].contacts) {
        if (contacts[c].created >= t) break;
        out.push_back(c);
    }
    return out;
}

std::optional<std::size_t> World::campaign_at(Timestamp t) const {
    for (std::size_t i = campaigns.size(); i-- > 0;)
        if (campaigns[i].start <= t && t < campaigns[i].end + 14 * kDay) return i;
    return std::nullopt;
}

Id World::id_of(Entity e, std::size_t index) const {
    switch (e) {
        case Entity::contact: return index < contacts.size() ? contacts[index].id : 0;
        case Entity::account: return index < accounts.size() ? accounts[index].id : 0;
        case Entity::user: return index < users.size() ? users[index] : 0;
        case Entity::deal: return index < deals.size() ? deals[index] : 0;
        case Entity::ticket: return index < tickets.size() ? tickets[index] : 0;
        case Entity::interaction: return index < interactions.size() ? interactions[index] : 0;
        case Entity::document: return index < documents.size() ? documents[index] : 0;
        case Entity::task: return index < tasks.size() ? tasks[index] : 0;
        default: return 0;
    }
}

namespace {

// Plan indexes to ids; an index whose record does not exist yet is a planner's bug.
result<void> resolve(const World& w, Entity e, std::vector<Id>& ids) {
    for (auto& x : ids) {
        const Id id = w.id_of(e, static_cast<std::size_t>(x));
        if (id == 0)
            return make_error(errc::internal, fmt::format("sample plan: {} #{} used before it exists", entity_name(e), x));
        x = id;
    }
    return ok();
}

result<void> resolve(const World& w, std::vector<RecordLink>& links) {
    for (auto& l : links) {
        const Id id = w.id_of(l.entity, static_cast<std::size_t>(l.id));
        if (id == 0)
            return make_error(errc::internal,
                              fmt::format("sample plan: {} #{} linked before it exists", entity_name(l.entity), l.id));
        l.id = id;
    }
    return ok();
}

}  // namespace

std::size_t World::log(Interaction draft, std::optional<std::size_t> actor) {
    interactions.push_back(0);
    const std::size_t idx = interactions.size() - 1;
    const Timestamp t = draft.occurred_at;
    at(t, [this, idx, actor, draft = std::move(draft)]() mutable -> result<void> {
        act(actor);
        if (actor) draft.actor_id = users[*actor];
        for (auto [e, ids] : {std::pair{Entity::contact, &draft.contact_ids}, {Entity::account, &draft.account_ids},
                              {Entity::deal, &draft.deal_ids}, {Entity::ticket, &draft.ticket_ids}})
            if (auto r = resolve(*this, e, *ids); !r) return r;
        auto id = db.interactions().create(draft);
        if (!id) return id.error();
        interactions[idx] = id.value();
        ++sum.interactions;
        return ok();
    });
    return idx;
}

void World::track(std::size_t interaction, Timestamp t, EmailEventType type, std::string url,
                  std::optional<Timestamp> recorded) {
    if (t >= now) return;
    at(recorded.value_or(t), [this, interaction, t, type, url = std::move(url)]() -> result<void> {
        act(std::nullopt);  // the mail system reports it
        EmailEvent ev;
        ev.type = type;
        ev.at = t;
        ev.url = url;
        auto id = db.interactions().track(interactions[interaction], ev);
        if (!id) return id.error();
        ++sum.email_events;
        return ok();
    });
}

std::vector<std::size_t> World::ingest(Timestamp t, std::vector<Interaction> drafts, std::string source) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        interactions.push_back(0);
        idx.push_back(interactions.size() - 1);
    }
    if (drafts.empty()) return idx;
    at(t, [this, idx, drafts = std::move(drafts), source = std::move(source)]() mutable -> result<void> {
        act(std::nullopt);
        for (auto& d : drafts)
            for (auto [e, ids] : {std::pair{Entity::contact, &d.contact_ids}, {Entity::account, &d.account_ids},
                                  {Entity::deal, &d.deal_ids}, {Entity::ticket, &d.ticket_ids}})
                if (auto r = resolve(*this, e, *ids); !r) return r;
        IngestOptions options;
        options.source = source;
        auto r = db.interactions().ingest(drafts, options);
        if (!r) return r.error();
        if (r.value().inserted != drafts.size())
            return make_error(errc::internal, fmt::format("sample {} batch: {} of {} stored", source,
                                                          r.value().inserted, drafts.size()));
        for (std::size_t i = 0; i < idx.size(); ++i) interactions[idx[i]] = r.value().items[i].id;
        sum.interactions += r.value().inserted;
        return ok();
    });
    return idx;
}

std::size_t World::email(Rng& r, Interaction draft, std::optional<std::size_t> actor, unsigned open_percent,
                         const std::string& click_url) {
    draft.kind = "email";
    draft.direction = Direction::outbound;
    if (draft.channel.empty()) draft.channel = "メール";
    const Timestamp t = draft.occurred_at;
    const std::size_t idx = log(std::move(draft), actor);
    track(idx, t, EmailEventType::sent);
    const Timestamp delivered = t + r.between(2, 40) * 1000;
    if (r.percent(2)) {
        track(idx, delivered, EmailEventType::bounced);
        return idx;
    }
    track(idx, delivered, EmailEventType::delivered);
    if (!r.percent(open_percent)) return idx;
    const Timestamp opened = delivered + r.between(5, 48 * 60) * kMinute;
    track(idx, opened, EmailEventType::opened);
    if (!click_url.empty() && r.percent(35)) track(idx, opened + r.between(10, 300) * 1000, EmailEventType::clicked, click_url);
    return idx;
}

std::size_t World::document(Timestamp t, std::optional<std::size_t> actor, Document draft,
                            std::function<std::string()> content) {
    documents.push_back(0);
    const std::size_t idx = documents.size() - 1;
    at(t, [this, idx, actor, draft = std::move(draft), content = std::move(content)]() mutable -> result<void> {
        act(actor);
        if (auto r = resolve(*this, draft.links); !r) return r;
        result<Id> id = Id{0};
        if (draft.uri.empty()) {
            const std::string body = content();
            id = db.documents().create_with_content(draft, body.data(), body.size());
        } else {
            id = db.documents().create(draft);
        }
        if (!id) return id.error();
        documents[idx] = id.value();
        ++sum.documents;
        return ok();
    });
    return idx;
}

void World::send(std::size_t document, std::size_t contact, Timestamp t, std::optional<std::size_t> interaction,
                 std::optional<std::size_t> actor) {
    at(t, [this, document, contact, t, interaction, actor]() -> result<void> {
        act(actor);
        std::optional<Id> via;
        if (interaction) via = interactions[*interaction];
        auto id = db.documents().record_sent(documents[document], contacts[contact].id, t, via);
        if (!id) return id.error();
        ++sum.document_sends;
        return ok();
    });
}

std::size_t World::task(Timestamp created, Task draft, std::optional<Timestamp> finished, bool cancelled) {
    tasks.push_back(0);
    const std::size_t idx = tasks.size() - 1;
    if (draft.remind_at) reminders.push_back(*draft.remind_at);
    const std::optional<std::size_t> assignee =
        draft.assignee_id ? std::optional<std::size_t>(static_cast<std::size_t>(*draft.assignee_id)) : std::nullopt;
    at(created, [this, idx, assignee, draft = std::move(draft)]() mutable -> result<void> {
        act(assignee);
        if (assignee) draft.assignee_id = users[*assignee];
        if (auto r = resolve(*this, draft.links); !r) return r;
        auto id = db.tasks().create(draft);
        if (!id) return id.error();
        tasks[idx] = id.value();
        ++sum.tasks;
        return ok();
    });
    if (finished && *finished < now) {
        at(*finished, [this, idx, assignee, cancelled]() -> result<void> {
            act(assignee);
            auto t = db.tasks().patch(tasks[idx], cancelled ? R"({"status":"cancelled"})" : R"({"status":"done"})");
            if (!t) return t.error();
            return ok();
        });
    }
    return idx;
}

std::string yen(std::int64_t amount) {
    std::string digits = std::to_string(amount < 0 ? -amount : amount);
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
    }
    return (amount < 0 ? "-¥" : "¥") + out;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace crm::sample
