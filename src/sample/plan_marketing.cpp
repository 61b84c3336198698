// The marketing planner: a campaign a month (seminars, webinars, ads, referrals,
// an expo, white papers) with its cost; the new leads they bring (their lead
// source and first touch — a form, a download, a business card); seminar
// attendance; the monthly newsletter sent by the MA tool and loaded in bulk
// (Interactions::ingest) with its delivery, open, click and unsubscribe events;
// web visits of people who allowed tracking, loaded each night from web
// analytics; and now and then someone's promotion (a title change).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "sample/names.hpp"
#include "sample/world.hpp"

namespace crm::sample {

using japan::kDay;
using japan::kHour;
using japan::kMinute;

namespace {

void plan_campaigns(World& w) {
    const auto seeds = catalog::campaigns();
    Rng r(w.o.seed, Stream::campaign, 0);
    const std::size_t offset = r.below(seeds.size());
    const std::int64_t first_day = japan::jst_day(w.since);
    for (int m = 0; m < w.o.months; ++m) {
        const auto& s = seeds[(offset + static_cast<std::size_t>(m)) % seeds.size()];
        const std::int64_t start = first_day + m * 30 + r.between(0, 10);
        const std::int64_t end = start + r.between(14, 30);
        const auto date = japan::civil_from_days(start);
        CampaignFact f;
        f.name = fmt::format(fmt::runtime(s.name), fmt::format("{}年{}月", date.year, date.month));
        f.channel = s.channel;
        f.start = japan::jst_midnight_of_day(start);
        f.end = japan::jst_midnight_of_day(end);
        f.path = s.path;
        const std::int64_t cost = s.cost * r.between(80, 120) / 100 / 10'000 * 10'000;
        const std::size_t idx = w.campaigns.size();
        w.campaigns.push_back(f);
        w.at(f.start - 21 * kDay, [&w, idx, cost]() -> result<void> {
            w.act(std::nullopt);
            const CampaignFact& fact = w.campaigns[idx];
            Campaign c;
            c.name = fact.name;
            c.channel = fact.channel;
            c.start_date = japan::jst_date(fact.start);
            c.end_date = japan::jst_date(fact.end - kDay);
            c.cost = {cost, "JPY"};
            auto id = w.db.campaigns().create(c);
            if (!id) return id.error();
            w.campaigns[idx].id = id.value();
            ++w.sum.campaigns;
            return ok();
        });
    }
}

Interaction touch(std::size_t contact, Timestamp at, const char* kind, Direction dir, std::string subject,
                  std::string channel, std::string url = {}) {
    Interaction i;
    i.kind = kind;
    i.occurred_at = at;
    i.direction = dir;
    i.subject = std::move(subject);
    i.channel = std::move(channel);
    i.url = std::move(url);
    i.source = "web";
    i.contact_ids = {static_cast<Id>(contact)};
    return i;
}

// Leads of the history: where each came from, and how they first got in touch.
// Returns, per campaign, its leads.
std::vector<std::vector<std::size_t>> plan_leads(World& w) {
    std::vector<std::vector<std::size_t>> leads(w.campaigns.size());
    for (std::size_t i = 0; i < w.contacts.size(); ++i) {
        ContactFact& c = w.contacts[i];
        if (c.created < w.since) continue;
        Rng r(w.o.seed, Stream::lead, i);
        const auto campaign = w.campaign_at(c.created);
        const Timestamp t = c.created + 1000;
        if (!campaign || r.percent(25)) {
            c.lead_source = r.percent(70) ? "website" : "inbound_call";
            if (c.lead_source == "website")
                w.log(touch(i, t, "form_submission", Direction::inbound, "お問い合わせ・デモのご依頼", "Webフォーム",
                            fmt::format("{}/contact", catalog::kSite)),
                      std::nullopt);
            else
                w.log(touch(i, t, "call", Direction::inbound, c.ja ? "製品についてのお問い合わせ" : "Product inquiry", "電話"),
                      c.owner);
            continue;
        }
        const CampaignFact& f = w.campaigns[*campaign];
        c.lead_source = f.name;
        leads[*campaign].push_back(i);
        const std::string url = fmt::format("{}{}", catalog::kSite, f.path);
        switch (f.channel) {
            case CampaignChannel::seminar:
            case CampaignChannel::web:
                w.log(touch(i, t, "form_submission", Direction::inbound, fmt::format("お申込み：{}", f.name), "Webフォーム",
                            url + "/entry"),
                      std::nullopt);
                break;
            case CampaignChannel::ads:
                w.log(touch(i, t, "form_submission", Direction::inbound, "資料請求フォーム", "Webフォーム", url), std::nullopt);
                break;
            case CampaignChannel::email:
                w.log(touch(i, t, "document_download", Direction::inbound, "ホワイトペーパー：電子帳簿保存法 完全ガイド",
                            "Webサイト", url + ".pdf"),
                      std::nullopt);
                break;
            case CampaignChannel::referral: {
                Interaction n = touch(i, t, "note", Direction::internal, "パートナー経由のご紹介", "パートナー");
                n.body = "販売パートナーより、勤怠管理の見直しを検討中とのことでご紹介いただいた。";
                n.source = "crm";
                w.log(std::move(n), c.owner);
                break;
            }
            default:
                w.log(touch(i, t, "event_attendance", Direction::inbound, fmt::format("名刺交換：{}", f.name), "展示会ブース"),
                      c.owner);
                break;
        }
    }
    return leads;
}

// Seminars and webinars are held on the last day of their campaign, at 14:00.
void plan_seminars(World& w, const std::vector<std::vector<std::size_t>>& leads) {
    for (std::size_t k = 0; k < w.campaigns.size(); ++k) {
        const CampaignFact& f = w.campaigns[k];
        if (f.channel != CampaignChannel::seminar && f.channel != CampaignChannel::web) continue;
        const Timestamp held = f.end - kDay + 14 * kHour;
        if (held >= w.now) continue;
        Rng r(w.o.seed, Stream::campaign, 1000 + k);
        std::vector<std::size_t> people;
        for (auto i : leads[k])
            if (w.contacts[i].created < held && r.percent(70)) people.push_back(i);
        for (std::size_t i = 0; i < w.contacts.size(); ++i)  // and some of the people already known
            if (w.contacts[i].created < w.since && w.contacts[i].email_ok && r.percent(4)) people.push_back(i);
        for (auto i : people) {
            Interaction a = touch(i, held + r.between(0, 10) * kMinute, "event_attendance", Direction::inbound, f.name,
                                  f.channel == CampaignChannel::seminar ? "会場（東京・丸の内）" : "Zoomウェビナー",
                                  fmt::format("{}{}", catalog::kSite, f.path));
            w.log(std::move(a), std::nullopt);
            // Attending makes a lead marketing-qualified (MQL).
            w.at(held + 2 * kHour, [&w, i]() -> result<void> {
                auto c = w.db.contacts().get(w.contacts[i].id);
                if (!c) return c.error();
                const auto s = c.value().lifecycle_stage;
                if (s != LifecycleStage::subscriber && s != LifecycleStage::lead) return ok();
                auto p = w.db.contacts().patch(c.value().id, R"({"lifecycle_stage":"mql"})");
                if (!p) return p.error();
                return ok();
            });
        }
    }
}

// The web pages people looked at; the newsletter's clicks come back as visits too.
using Visits = std::map<std::int64_t, std::vector<Interaction>>;  // by JST day

void add_visit(Visits& v, std::size_t contact, Timestamp at, const catalog::PageSeed& page, std::string referrer,
               std::string external_id) {
    Interaction i = touch(contact, at, "web_visit", Direction::inbound, page.title, "Webサイト",
                          fmt::format("{}{}", catalog::kSite, page.path));
    i.referrer = std::move(referrer);
    i.source = "web-analytics";
    i.external_id = std::move(external_id);
    v[japan::jst_day(at)].push_back(std::move(i));
}

void plan_newsletters(World& w, Visits& visits) {
    const auto subjects = catalog::newsletter_subjects();
    const auto pages = catalog::pages();
    static constexpr const char* months_en[] = {"January", "February", "March",     "April",   "May",      "June",
                                                "July",    "August",   "September", "October", "November", "December"};
    for (int m = 0; m < w.o.months; ++m) {
        const std::int64_t day = w.cal.next_working_day(japan::jst_day(w.since) + m * 30 + 5);
        const Timestamp sent = japan::jst_midnight_of_day(day) + 10 * kHour;
        if (sent >= w.now - kDay) continue;
        const auto date = japan::civil_from_days(day);
        const auto& subject = subjects[static_cast<std::size_t>(m) % subjects.size()];
        Rng r(w.o.seed, Stream::mail, static_cast<std::uint64_t>(m));
        std::vector<Interaction> drafts;
        std::vector<std::size_t> to;
        for (std::size_t i = 0; i < w.contacts.size(); ++i) {
            const ContactFact& c = w.contacts[i];
            if (!c.email_ok || c.created >= sent || !r.percent(30)) continue;  // this month's segment
            Interaction mail = touch(i, sent + static_cast<Timestamp>(drafts.size() % 600) * 1000, "email",
                                     Direction::outbound,
                                     fmt::format(fmt::runtime(subject.pick(c.ja)),
                                                 c.ja ? fmt::format("{}月", date.month) : months_en[date.month - 1]),
                                     "メール配信");
            mail.source = "ma-tool";
            mail.external_id = fmt::format("mail-{:04}{:02}{:02}-{}", date.year, date.month, date.day, i);
            drafts.push_back(std::move(mail));
            to.push_back(i);
        }
        const Timestamp loaded = sent + 15 * kMinute;  // the MA tool's batch, once the sending is done
        std::vector<Timestamp> times;
        for (const auto& d : drafts) times.push_back(d.occurred_at);
        const auto idx = w.ingest(loaded, std::move(drafts), "ma-tool");
        for (std::size_t j = 0; j < idx.size(); ++j) {
            const Timestamp t = times[j];
            const std::size_t i = to[j];
            w.track(idx[j], t, EmailEventType::sent, {}, loaded + 1000);
            const Timestamp delivered = t + r.between(2, 60) * 1000;
            if (r.percent(3)) {
                w.track(idx[j], delivered, EmailEventType::bounced, {}, loaded + 1000);
                continue;
            }
            w.track(idx[j], delivered, EmailEventType::delivered, {}, loaded + 1000);
            if (!r.percent(35)) continue;
            const Timestamp opened = std::max(delivered + r.between(3, 72 * 60) * kMinute, loaded + 2000);
            w.track(idx[j], opened, EmailEventType::opened);
            if (r.percent(2)) {
                w.track(idx[j], opened + kMinute, EmailEventType::unsubscribed);
                continue;
            }
            if (!r.percent(25)) continue;
            const auto& page = pages[1 + r.below(pages.size() - 2)];  // not the home or cancel pages
            const Timestamp clicked = opened + r.between(5, 120) * 1000;
            const std::string url = fmt::format("{}{}?utm_source=newsletter&utm_medium=email", catalog::kSite, page.path);
            w.track(idx[j], clicked, EmailEventType::clicked, url);
            if (clicked + 2000 < w.now)
                add_visit(visits, i, clicked + 2000, page, "newsletter", fmt::format("ga-mail-{}-{}", m, i));
        }
    }
}

void plan_web_visits(World& w, Visits& visits) {
    const auto pages = catalog::pages();
    std::vector<unsigned> weights;
    for (const auto& p : pages) weights.push_back(p.weight);
    static constexpr unsigned count_weights[] = {30, 25, 18, 12, 8, 5, 2};
    static constexpr int counts[] = {0, 1, 2, 3, 4, 6, 10};
    for (std::size_t i = 0; i < w.contacts.size(); ++i) {
        const ContactFact& c = w.contacts[i];
        if (!c.tracking_ok) continue;
        Rng r(w.o.seed, Stream::visit, i);
        const int n = counts[r.weighted(count_weights)];
        const Timestamp from = std::max(c.created + kHour, w.since);
        for (int k = 0; k < n; ++k) {
            // Any day; mostly in office hours, some evenings, a few at night.
            static constexpr unsigned hour_weights[] = {1, 1, 1, 1, 1, 1, 2, 3, 5, 8, 8, 8, 6, 8, 8, 8, 8, 7, 5, 4, 4, 3, 2, 1};
            Timestamp t = World::any_between(r, from, w.now - kHour);
            const Timestamp local = japan::jst_midnight_of_day(japan::jst_day(t)) +
                                    static_cast<Timestamp>(r.weighted(hour_weights)) * kHour +
                                    static_cast<Timestamp>(r.below(static_cast<std::uint64_t>(kHour)));
            if (local >= from && local < w.now - kHour) t = local;
            const auto& page = pages[r.weighted(weights)];
            add_visit(visits, i, t, page, r.pick(catalog::referrers()), fmt::format("ga-{}-{}", i, k));
            if (std::string_view(page.path) == "/download/whitepaper" && r.percent(40)) {
                Interaction d = touch(i, t + 30'000, "document_download", Direction::inbound,
                                      "ホワイトペーパー：電子帳簿保存法 完全ガイド", "Webサイト",
                                      fmt::format("{}/download/whitepaper.pdf", catalog::kSite));
                d.source = "web-analytics";
                d.external_id = fmt::format("ga-{}-{}-dl", i, k);
                visits[japan::jst_day(t + 30'000)].push_back(std::move(d));
            }
        }
    }
}

// Web analytics exports each day's visits the night after, at 02:00.
void plan_visit_batches(World& w, Visits& visits) {
    for (auto& [day, items] : visits) {
        const Timestamp loaded = japan::jst_midnight_of_day(day + 1) + 2 * kHour;
        if (loaded >= w.now) continue;  // today's visits are not in yet
        std::stable_sort(items.begin(), items.end(),
                         [](const Interaction& a, const Interaction& b) { return a.occurred_at < b.occurred_at; });
        w.ingest(loaded, std::move(items), "web-analytics");
    }
}

// About one in thirty people known before the history changes title during it.
void plan_promotions(World& w) {
    for (std::size_t i = 0; i < w.contacts.size(); ++i) {
        const ContactFact& c = w.contacts[i];
        if (c.created >= w.since) continue;
        Rng r(w.o.seed, Stream::lead, 1'000'000'000 + i);
        if (!r.percent(3)) continue;
        const char* title = r.pick(c.ja ? data::ja_titles() : data::west_titles());
        const Timestamp t = w.work_between(r, w.since, w.now - kDay);
        w.at(t, [&w, i, title]() -> result<void> {
            w.act(w.contacts[i].owner);
            auto got = w.db.contacts().get(w.contacts[i].id);
            if (!got) return got.error();
            if (got.value().title == title) return ok();
            Contact updated = std::move(got).value();
            updated.title = title;
            return w.db.contacts().update(updated);
        });
    }
}

}  // namespace

void plan_marketing(World& w) {
    plan_campaigns(w);
    const auto leads = plan_leads(w);
    plan_seminars(w, leads);
    Visits visits;
    plan_newsletters(w, visits);
    plan_web_visits(w, visits);
    plan_visit_batches(w, visits);
    plan_promotions(w);
}

}  // namespace crm::sample
