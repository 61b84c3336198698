// Private: the sample company while it is being written. populate() first writes
// what exists before the history starts (teams, users, the catalogue, accounts,
// older contacts), then each planner (plan_sales.cpp, plan_service.cpp,
// plan_marketing.cpp, plan_work.cpp) adds timed events — closures over plan
// indexes — to one plan, and the plan is replayed in time order with the Db's
// clock set to each event's time. Records made during the replay are found
// through their plan index (deals[i], tickets[i] …), filled in when their
// creating event runs.
//
// Drafts: an Interaction, Task or Document handed to World carries plan indexes
// where the record will carry ids (contact_ids holds contact indexes, links hold
// {entity, index}, actor_id / assignee_id a user index); World resolves them to
// ids when the event runs.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crm/documents.hpp"
#include "crm/interactions.hpp"
#include "crm/sales.hpp"
#include "crm/sample.hpp"
#include "crm/tasks.hpp"
#include "crm/tickets.hpp"
#include "sample/catalog.hpp"
#include "sample/japan.hpp"
#include "sample/random.hpp"

namespace crm::sample {

inline result<void> ok() { return boost::outcome_v2::success(); }

struct AccountFact {
    Id id = 0;
    bool ja = true;
    std::size_t owner = 0;            // index into World::users
    ContractStatus status = ContractStatus::none;
    std::string name, domain;
    std::int64_t employees = 0;
    bool premium = false;             // custom field support_plan = プレミアム
    std::vector<std::size_t> contacts;  // contact indexes, ascending = by creation time
};

struct ContactFact {
    Id id = 0;
    std::optional<std::size_t> account;
    std::size_t owner = 0;
    Timestamp created = 0;
    bool ja = true;
    bool email_ok = false, tracking_ok = false;
    std::string name;
    std::string lead_source;          // set by the marketing planner for new leads
};

struct CampaignFact {
    Id id = 0;
    std::string name;
    CampaignChannel channel = CampaignChannel::other;
    Timestamp start = 0, end = 0;     // JST midnights: [start, end)
    std::string path;
};

struct PipelineFact {
    Id id = 0;
    std::vector<Id> stages;           // in catalogue order
};

struct Event {
    Timestamp at = 0;
    std::size_t seq = 0;
    std::function<result<void>()> run;
};

class World {
public:
    World(Db& db, const Options& o, Timestamp now);

    Db& db;
    const Options& o;
    const Timestamp now, since;       // the history's span
    const Timestamp setup;            // when the company set up its CRM (before since)
    japan::Calendar cal;

    std::vector<Id> users;            // by generator index
    std::vector<std::string> user_names;
    std::vector<std::size_t> reps, agents;  // user indexes by what they do
    std::vector<AccountFact> accounts;
    std::vector<ContactFact> contacts;
    std::vector<Id> products;         // by catalogue index
    std::vector<PipelineFact> pipelines;
    std::vector<CampaignFact> campaigns;
    Id sla_standard = 0, sla_premium = 0;

    // Records made by the replay, by plan index.
    std::vector<Id> deals, tickets, interactions, tasks, documents;
    std::vector<Timestamp> reminders;  // remind_at of every task with one, for the reminder service
    Summary sum;

    // Adds an event to the plan. Events run in (at, order added) order.
    void at(Timestamp t, std::function<result<void>()> fn);
    std::vector<Event>& plan() { return plan_; }

    std::size_t new_deal() { deals.push_back(0); return deals.size() - 1; }
    std::size_t new_ticket() { tickets.push_back(0); return tickets.size() - 1; }

    // The actor of the next writes: a user by index, or nobody (a system).
    void act(std::optional<std::size_t> user);

    // Times. A working moment is within the company's hours (平日 9:00–18:00 JST).
    Timestamp work_time(Rng& r, std::int64_t jst_day) const;             // on that day
    Timestamp work_between(Rng& r, Timestamp lo, Timestamp hi) const;    // in [lo, hi), working if possible
    Timestamp work_after(Rng& r, Timestamp t, int min_days, int max_days) const;  // min_days >= 1
    // About `gap` before t, in working hours: the same working day if that fits, else an earlier one.
    Timestamp work_before(Rng& r, Timestamp t, Timestamp gap) const;
    static Timestamp any_between(Rng& r, Timestamp lo, Timestamp hi);

    // The contacts of an account made before t.
    std::vector<std::size_t> contacts_before(std::size_t account, Timestamp t) const;
    // The newest campaign running at t (start <= t < end + 14 days); nullopt if none.
    std::optional<std::size_t> campaign_at(Timestamp t) const;

    // Plan index of an interaction logged at `draft.occurred_at`, done by `actor`.
    std::size_t log(Interaction draft, std::optional<std::size_t> actor);
    // An outbound e-mail at draft.occurred_at with its tracking events (sent, delivered
    // or bounced, opened by open_percent %, clicked on click_url by a third of those).
    std::size_t email(Rng& r, Interaction draft, std::optional<std::size_t> actor, unsigned open_percent,
                      const std::string& click_url = {});
    // A tracking event of a planned interaction, recorded at `recorded` (default: at);
    // nothing if at >= now.
    void track(std::size_t interaction, Timestamp at, EmailEventType type, std::string url = {},
               std::optional<Timestamp> recorded = std::nullopt);
    // A batch of interactions from another system (MA tool, web analytics) loaded
    // with Interactions::ingest at t; returns their plan indexes.
    std::vector<std::size_t> ingest(Timestamp t, std::vector<Interaction> drafts, std::string source);

    // A document created at t: with content (made when the event runs) or, with meta.uri, without.
    std::size_t document(Timestamp t, std::optional<std::size_t> actor, Document draft,
                         std::function<std::string()> content);
    void send(std::size_t document, std::size_t contact, Timestamp t, std::optional<std::size_t> interaction,
              std::optional<std::size_t> actor);

    // A task created at `created`; done (or cancelled) at `finished` if that is before now.
    std::size_t task(Timestamp created, Task draft, std::optional<Timestamp> finished, bool cancelled = false);

    // Ids of planned records (valid once their creating event ran).
    Id id_of(Entity e, std::size_t index) const;

private:
    std::vector<Event> plan_;
};

// The planners, each adding its part of the history.
void plan_marketing(World& w);  // campaigns, new leads, seminars, newsletters, web visits, job changes
void plan_sales(World& w);      // deals through both pipelines with calls, meetings, mails, documents, tasks
void plan_service(World& w);    // tickets under the SLAs, their replies, tasks
void plan_accounts(World& w);   // customers' regular meetings and account tasks
void plan_reminders(World& w);  // the reminder service claiming reminders as they come due

// Text helpers.
std::string yen(std::int64_t amount);  // "¥1,234,000"
std::string html_escape(std::string_view s);

}  // namespace crm::sample
