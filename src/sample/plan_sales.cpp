// The sales planner: deals through the two pipelines (新規開拓, 既存顧客 更新・拡販),
// each moving stage by stage over weeks, with what moved it — calls, meetings,
// proposal and quote e-mails with their documents and tracking, contracts and
// invoices after a win, a last call after a loss — and the reps' tasks.
#include <algorithm>

#include <fmt/format.h>

#include "sample/sales_plan.hpp"

namespace crm::sample {

using japan::kDay;
using japan::kHour;
using japan::kMinute;

namespace {

using namespace sales;

std::int64_t round_to(std::int64_t v, std::int64_t unit) { return (v + unit / 2) / unit * unit; }

// Catalogue indexes (catalog.cpp): licences, options, services.
enum : std::size_t {
    kAttendanceStd = 0, kAttendanceEnt = 1, kExpense = 2, kInvoiceOption = 3, kWorkflow = 4, kPayroll = 5,
    kPremium = 6, kOnboarding = 7, kMigration = 8, kTraining = 9, kApi = 10,
};

void choose_lines(Rng& r, DealPlan& d, std::int64_t employees) {
    static constexpr std::size_t mains[] = {kAttendanceStd, kAttendanceEnt, kExpense, kWorkflow};
    static constexpr unsigned weights[] = {35, 15, 30, 20};
    const std::size_t main = mains[r.weighted(weights)];
    const std::int64_t share = r.between(30, 100);
    d.seats = std::clamp<std::int64_t>((employees * share / 100 + 9) / 10 * 10, 10, 5000);
    d.lines.push_back({main, d.seats / 10, 0});
    if ((main == kAttendanceStd || main == kAttendanceEnt) && r.percent(30)) d.lines.push_back({kPayroll, 1, 0});
    if (main == kExpense && r.percent(40)) d.lines.push_back({kInvoiceOption, 1, 0});
    if (d.pipeline == 0) {
        if (r.percent(60)) d.lines.push_back({kOnboarding, 1, 0});
        if (r.percent(20)) d.lines.push_back({kMigration, 1, 0});
        if (r.percent(15)) d.lines.push_back({kTraining, r.between(1, 3), 0});
        if (r.percent(10)) d.lines.push_back({kApi, r.between(3, 15), 0});
    }
    if (r.percent(25)) d.lines.push_back({kPremium, 1, 0});
    const auto products = catalog::products();
    if (r.percent(30)) {  // a discount on the licences, in round thousands of yen
        const std::int64_t gross = d.lines[0].quantity * products[main].price;
        d.lines[0].discount = std::min(gross, round_to(gross * r.between(5, 15) / 100, 1000));
    }
    d.amount = 0;
    for (const auto& l : d.lines) d.amount += l.quantity * products[l.product].price - l.discount;
}


// Lifecycle and contract status follow the deal: opportunity when it opens, customer when won.
result<void> promote_contact(World& w, std::size_t contact, LifecycleStage to) {
    auto c = w.db.contacts().get(w.contacts[contact].id);
    if (!c) return c.error();
    const LifecycleStage now = c.value().lifecycle_stage;
    if ((now >= to && now <= LifecycleStage::customer) || now == LifecycleStage::evangelist) return ok();
    auto p = w.db.contacts().patch(c.value().id, fmt::format(R"({{"lifecycle_stage":"{}"}})", to_string(to)));
    if (!p) return p.error();
    return ok();
}

result<void> set_contract(World& w, std::size_t account, ContractStatus to) {
    auto a = w.db.accounts().get(w.accounts[account].id);
    if (!a) return a.error();
    if (a.value().contract_status == to) return ok();
    auto p = w.db.accounts().patch(a.value().id, fmt::format(R"({{"contract_status":"{}"}})", to_string(to)));
    if (!p) return p.error();
    return ok();
}

void plan_create(World& w, const DealPlan& d, const std::string& close_date) {
    w.at(d.times[0], [&w, d, close_date]() -> result<void> {
        w.act(d.owner);
        Deal deal;
        deal.name = d.name;
        deal.pipeline_id = w.pipelines[d.pipeline].id;
        deal.stage_id = w.pipelines[d.pipeline].stages[d.path[0]];
        deal.amount = {0, "JPY"};  // the sum of the lines
        deal.expected_close_date = close_date;
        if (d.owner) deal.owner_id = w.users[*d.owner];
        deal.account_id = w.accounts[d.account].id;
        if (d.contact) deal.contact_id = w.contacts[*d.contact].id;
        if (d.campaign) deal.campaign_id = w.campaigns[*d.campaign].id;
        const auto products = catalog::products();
        for (const auto& l : d.lines)
            deal.line_items.push_back({w.products[l.product], l.quantity, {products[l.product].price, "JPY"}, l.discount, ""});
        if (!d.competitor.empty()) deal.custom["competitor"] = d.competitor;
        deal.custom["seats"] = d.seats;
        if (d.amount >= 10'000'000) deal.tags.push_back("大型案件");
        auto id = w.db.deals().create(deal);
        if (!id) return id.error();
        w.deals[d.index] = id.value();
        ++w.sum.deals;
        if (d.contact && d.pipeline == 0) return promote_contact(w, *d.contact, LifecycleStage::opportunity);
        return ok();
    });
}

void plan_move(World& w, const DealPlan& d, std::size_t k, std::optional<std::int64_t> probability) {
    const std::size_t stage = d.path[k];
    const StageKind kind = catalog::pipelines()[d.pipeline].stages[stage].kind;
    const bool last = k + 1 == d.path.size();
    w.at(d.times[k], [&w, d, stage, kind, last, probability]() -> result<void> {
        w.act(d.owner);
        std::optional<std::string> reason;
        if (kind == StageKind::lost) reason = d.lost_reason;
        if (auto m = w.db.deals().move(w.deals[d.index], w.pipelines[d.pipeline].stages[stage], reason); !m) return m;
        if (last && probability) {
            auto p = w.db.deals().patch(w.deals[d.index], fmt::format(R"({{"probability":{}}})", *probability));
            if (!p) return p.error();
        }
        if (kind == StageKind::won) {
            if (auto r = set_contract(w, d.account, ContractStatus::active); !r) return r;
            if (d.contact) return promote_contact(w, *d.contact, LifecycleStage::customer);
        }
        if (kind == StageKind::lost && d.pipeline == 1) return set_contract(w, d.account, ContractStatus::churned);
        return ok();
    });
}


// A rep's task for the step after `k`, due before it happens (and done then).
void plan_step_task(World& w, Rng& r, const DealPlan& d, std::size_t k) {
    const auto tasks = catalog::deal_tasks();
    static constexpr std::size_t for_next_stage[] = {0, 2, 1, 0, 3, 5, 0};  // new business, by the next stage
    const std::size_t next = d.path[k + 1];
    const std::size_t which = d.pipeline == 0 ? for_next_stage[next] : r.below(tasks.size());
    const Timestamp created = d.times[k] + 30 * kMinute;
    const std::int64_t due_day = w.cal.previous_working_day(japan::jst_day(d.times[k + 1]) - 1);
    Timestamp due = japan::jst_midnight_of_day(due_day) + 17 * kHour;
    if (due <= created + kHour) due = d.times[k + 1] - kHour;
    if (due <= created) return;
    Task t;
    t.title = tasks[which].pick(d.ja);
    t.notes = fmt::format("{} / {}", w.accounts[d.account].name, d.name);
    t.due_at = due;
    const Timestamp remind = japan::jst_midnight_of_day(japan::jst_day(due)) + 9 * kHour;
    if (remind > created) t.remind_at = remind;
    if (d.owner) t.assignee_id = static_cast<Id>(*d.owner);
    t.priority = d.amount >= 10'000'000 ? TaskPriority::high : TaskPriority::normal;
    t.links = links(d);
    const Timestamp done = std::max(created + kMinute, std::min(due, d.times[k + 1]) - r.between(1, 20) * kHour);
    w.task(created, std::move(t), done, r.percent(8));
}

// The next action on an open deal: due recently (overdue), today, or in the coming weeks.
void plan_next_action(World& w, Rng& r, const DealPlan& d) {
    const Timestamp created = d.times.back() + 30 * kMinute;
    Timestamp due;
    static constexpr unsigned when_weights[] = {30, 25, 45};
    switch (r.weighted(when_weights)) {
        case 0: due = w.work_between(r, w.now - 5 * kDay, w.now - kHour); break;
        case 1:
            due = w.now + r.between(30, 300) * kMinute;
            if (japan::jst_day(due) != japan::jst_day(w.now)) due = w.now - r.between(30, 120) * kMinute;
            break;
        default: due = w.work_after(r, w.now, 1, 14); break;
    }
    if (due <= created + kHour) due = w.work_after(r, created, 1, 5);
    Task t;
    const auto tasks = catalog::deal_tasks();
    t.title = tasks[r.below(tasks.size())].pick(d.ja);
    t.notes = fmt::format("{} / {}", w.accounts[d.account].name, d.name);
    t.due_at = due;
    t.remind_at = due - kHour;
    if (*t.remind_at <= created) t.remind_at.reset();
    if (d.owner) t.assignee_id = static_cast<Id>(*d.owner);
    t.status = r.percent(25) ? TaskStatus::in_progress : TaskStatus::open;
    t.priority = d.amount >= 10'000'000 ? TaskPriority::high : TaskPriority::normal;
    t.links = links(d);
    w.task(created, std::move(t), std::nullopt);
}

void plan_deal(World& w, std::size_t n, const std::vector<std::size_t>& customers) {
    Rng r(w.o.seed, Stream::deal, n);
    const auto pipes = catalog::pipelines();
    DealPlan d;
    d.seq = n;
    std::size_t last;
    if (n < pipes[0].stages.size() + pipes[1].stages.size()) {  // the first ones: one in every stage
        d.pipeline = n < pipes[0].stages.size() ? 0 : 1;
        last = d.pipeline == 0 ? n : n - pipes[0].stages.size();
    } else {
        d.pipeline = !customers.empty() && r.percent(25) ? 1 : 0;
        static constexpr unsigned fresh[] = {12, 10, 10, 8, 6, 30, 24};
        static constexpr unsigned renewal[] = {20, 15, 50, 15};
        last = d.pipeline == 0 ? r.weighted(fresh) : r.weighted(renewal);
    }
    const auto stages = pipes[d.pipeline].stages;
    std::size_t open_stages = 0;
    while (open_stages < stages.size() && stages[open_stages].kind == StageKind::open) ++open_stages;
    d.account = d.pipeline == 1 && !customers.empty() ? customers[r.below(customers.size())]
                                                     : static_cast<std::size_t>(r.below(w.accounts.size()));
    const AccountFact& acc = w.accounts[d.account];
    d.ja = acc.ja;
    if (!w.users.empty()) d.owner = acc.owner;

    // The path: every open stage up to the last one (a won deal may skip some), then won or lost.
    d.path = {0};
    const StageKind kind = stages[last].kind;
    if (kind == StageKind::open) {
        for (std::size_t s = 1; s <= last; ++s) d.path.push_back(s);
    } else {
        const std::size_t reached = kind == StageKind::won ? open_stages - 1 : r.below(open_stages);
        for (std::size_t s = 1; s <= reached; ++s)
            if (kind != StageKind::won || !r.percent(15)) d.path.push_back(s);
        d.path.push_back(last);
        if (kind == StageKind::lost) {
            const auto reasons = catalog::lost_reasons();
            static constexpr unsigned fresh_reasons[] = {30, 25, 15, 15, 10, 5, 0};
            static constexpr unsigned cancel_reasons[] = {25, 10, 0, 0, 15, 0, 50};
            d.lost_reason = reasons[r.weighted(d.pipeline == 0 ? fresh_reasons : cancel_reasons)];
        }
    }

    // The times: a few days to a few weeks per step, all inside the history.
    std::vector<std::int64_t> gaps;
    std::int64_t total = 0;
    for (std::size_t k = 1; k < d.path.size(); ++k) {
        gaps.push_back(d.pipeline == 0 ? r.between(4, 25) : r.between(5, 20));
        total += gaps.back();
    }
    const std::int64_t window = std::max<std::int64_t>(1, (w.now - w.since) / kDay - 3);
    if (total > window) {
        for (auto& g : gaps) g = std::max<std::int64_t>(1, g * window / total);
        total = 0;
        for (auto g : gaps) total += g;
    }
    const Timestamp latest = std::max(w.since + kDay, w.now - (total + 2) * kDay);
    d.times.push_back(w.work_between(r, w.since + kDay, latest + 1));
    const Timestamp limit = w.now - 2 * kHour;
    for (auto g : gaps) {
        const Timestamp prev = d.times.back();
        Timestamp t = w.work_after(r, prev, static_cast<int>(g), static_cast<int>(g));
        if (t >= limit) t = prev + (limit - prev) / 2;
        d.times.push_back(t);
    }

    const auto contacts = w.contacts_before(d.account, d.times[0]);
    if (!contacts.empty()) d.contact = contacts[r.below(contacts.size())];
    if (auto c = w.campaign_at(d.times[0]);
        c && ((d.contact && w.contacts[*d.contact].lead_source == w.campaigns[*c].name) || r.percent(40)))
        d.campaign = c;
    choose_lines(r, d, acc.employees);
    if (r.percent(40)) d.competitor = r.pick(catalog::competitors());
    const std::string topic = catalog::products()[d.lines[0].product].topic.pick(d.ja);
    if (d.pipeline == 0) {
        std::string what = fmt::format(fmt::runtime(r.pick(catalog::deal_names()).pick(d.ja)), topic);
        if (!d.ja && !what.empty() && what[0] >= 'a' && what[0] <= 'z') what[0] = static_cast<char>(what[0] - 'a' + 'A');
        d.name = d.ja ? fmt::format("{}（{}名）", what, d.seats) : fmt::format("{} ({} users)", what, d.seats);
    } else {
        const auto date = japan::civil_from_days(japan::jst_day(d.times.back()));
        const int fiscal = date.month >= 4 ? date.year + 1 : date.year;  // the year renewed into (April start)
        d.name = d.ja ? fmt::format("{}年度 契約更新（{}名）", fiscal, d.seats)
                      : fmt::format("FY{} renewal ({} users)", fiscal, d.seats);
    }
    std::optional<std::int64_t> probability;
    if (kind == StageKind::open && r.percent(10))
        probability = std::clamp<std::int64_t>(stages[last].probability + r.between(-10, 10), 0, 100);
    const std::string close_date =
        kind == StageKind::open ? japan::jst_date(std::max(d.times.back() + 14 * kDay, w.now + r.between(7, 90) * kDay))
                                : japan::jst_date(d.times.back());
    d.index = w.new_deal();

    plan_create(w, d, close_date);
    for (std::size_t k = 0; k < d.path.size(); ++k) {
        if (k > 0) plan_move(w, d, k, probability);
        plan_activity(w, r, d, k);
        if (k + 1 < d.path.size()) {
            if (r.percent(55)) plan_step_task(w, r, d, k);
            const Timestamp lo = d.times[k] + 3 * kHour, hi = d.times[k + 1] - 3 * kHour;
            if (hi > lo && r.percent(40))
                w.log(draft(d, w.work_between(r, lo, hi), "call", Direction::outbound,
                            r.pick(catalog::follow_up_calls()).pick(d.ja)),
                      d.owner);
        }
    }
    if (kind == StageKind::open) plan_next_action(w, r, d);
}

}  // namespace

void plan_sales(World& w) {
    if (w.accounts.empty()) return;
    std::vector<std::size_t> customers;  // renewals are for accounts that have a contract
    for (std::size_t a = 0; a < w.accounts.size(); ++a)
        if (w.accounts[a].status == ContractStatus::active || w.accounts[a].status == ContractStatus::suspended)
            customers.push_back(a);
    for (std::size_t n = 0; n < w.o.deals; ++n) plan_deal(w, n, customers);
}

}  // namespace crm::sample
