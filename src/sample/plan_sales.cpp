// The sales planner: deals through the two pipelines (新規開拓, 既存顧客 更新・拡販),
// each moving stage by stage over weeks, with what moved it — calls, meetings,
// proposal and quote e-mails with their documents and tracking, contracts and
// invoices after a win, a last call after a loss — and the reps' tasks.
#include <algorithm>

#include <fmt/format.h>

#include "sample/paperwork.hpp"
#include "sample/world.hpp"

namespace crm::sample {

using japan::kDay;
using japan::kHour;
using japan::kMinute;

namespace {

struct Line {
    std::size_t product;  // catalogue index
    std::int64_t quantity;
    std::int64_t discount;
};

struct DealPlan {
    std::size_t index = 0;          // plan index of the deal
    std::size_t seq = 0;            // the d of the loop: document numbers
    std::size_t pipeline = 0;
    std::vector<std::size_t> path;  // stage indexes, first = the stage it is created in
    std::vector<Timestamp> times;   // when it entered each
    std::size_t account = 0;
    std::optional<std::size_t> contact, owner, campaign;
    bool ja = true;
    std::string name, competitor, lost_reason;
    std::int64_t seats = 10;
    std::vector<Line> lines;
    std::int64_t amount = 0;
};

std::int64_t round_to(std::int64_t v, std::int64_t unit) { return (v + unit / 2) / unit * unit; }

// A file name part: "Maple Retail Inc." -> "Maple_Retail_Inc" (Japanese names stay as they are).
std::string file_part(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == ' ') out += '_';
        else if (c != '.' && c != ',' && c != '/') out += c;
    }
    return out;
}

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

Paper paper(const World& w, const DealPlan& d, Timestamp issued, std::string number) {
    Paper p;
    p.ja = d.ja;
    p.number = std::move(number);
    p.issued = issued;
    p.customer = w.accounts[d.account].name;
    if (d.contact) p.person = w.contacts[*d.contact].name;
    if (d.owner) p.rep = w.user_names[*d.owner];
    p.title = d.name;
    p.competitor = d.competitor;
    const auto products = catalog::products();
    for (const auto& l : d.lines)
        p.lines.push_back({products[l.product].name, l.quantity, products[l.product].price, l.discount});
    return p;
}

// Nothing about a deal happens before it exists.
Timestamp after_create(const DealPlan& d, Timestamp t) { return std::max(t, d.times[0] + kMinute); }

Interaction draft(const DealPlan& d, Timestamp t, const char* kind, Direction dir, std::string subject,
                  std::string body = {}) {
    Interaction i;
    i.kind = kind;
    i.occurred_at = after_create(d, t);
    i.direction = dir;
    i.subject = std::move(subject);
    i.body = std::move(body);
    i.source = "crm";
    if (d.contact) i.contact_ids = {static_cast<Id>(*d.contact)};
    i.account_ids = {static_cast<Id>(d.account)};
    i.deal_ids = {static_cast<Id>(d.index)};
    return i;
}

std::vector<RecordLink> links(const DealPlan& d) {
    std::vector<RecordLink> out{{Entity::account, static_cast<Id>(d.account)}, {Entity::deal, static_cast<Id>(d.index)}};
    if (d.contact) out.push_back({Entity::contact, static_cast<Id>(*d.contact)});
    return out;
}

// A document made at t and e-mailed (with tracking) to the deal's contact at `mailed`.
void mail_document(World& w, Rng& r, const DealPlan& d, Timestamp t, Timestamp mailed, DocumentKind kind,
                   std::string name, std::function<std::string()> content, std::string uri, std::string subject,
                   std::string body) {
    Document doc;
    doc.kind = kind;
    doc.name = std::move(name);
    doc.mime_type = uri.empty() ? "text/html" : "application/pdf";
    doc.uri = std::move(uri);
    doc.links = links(d);
    t = after_create(d, t);
    mailed = std::max(after_create(d, mailed), t + kMinute);
    const std::size_t di = w.document(t, d.owner, std::move(doc), std::move(content));
    if (!d.contact) return;
    const std::string click = fmt::format("{}/share/{}-{}", catalog::kSite, to_string(kind), d.seq + 1);
    const std::size_t mail = w.email(r, draft(d, mailed, "email", Direction::outbound, std::move(subject), std::move(body)),
                                     d.owner, 75, click);
    w.send(di, *d.contact, mailed + 1000, mail, d.owner);
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

// What happens around entering stage path[k] at times[k].
void plan_activity(World& w, Rng& r, const DealPlan& d, std::size_t k) {
    const auto& seed = catalog::pipelines()[d.pipeline].stages[d.path[k]];
    const Timestamp t = d.times[k];
    const std::string subject = seed.activity.pick(d.ja);
    const std::string who = d.contact ? w.contacts[*d.contact].name : w.accounts[d.account].name;
    const std::string year = japan::jst_date(t).substr(0, 4);
    auto log = [&](Timestamp at, const char* kind, Direction dir, std::string body, std::string channel = {}) {
        Interaction i = draft(d, at, kind, dir, subject, std::move(body));
        i.channel = std::move(channel);
        w.log(std::move(i), d.owner);
    };
    const char* channel = r.pick(catalog::meeting_channels());
    if (d.pipeline == 0) {
        switch (d.path[k]) {
            case 0:
                log(t + r.between(10, 40) * kMinute, "call", Direction::outbound,
                    d.ja ? fmt::format("{}様にご挨拶。現状の運用と課題を伺う打ち合わせを打診。", who)
                         : fmt::format("Introduced ourselves to {}; proposed a discovery meeting.", who),
                    "電話");
                break;
            case 1:
                log(w.work_before(r, t, 90 * kMinute), "meeting", Direction::outbound,
                    d.ja ? fmt::format("現状：{}で運用。課題：月次締めに3営業日。利用予定 {}名。",
                                       d.competitor.empty() ? "Excel" : d.competitor, d.seats)
                         : fmt::format("Today: {}. Pain: closing takes three days. {} users.",
                                       d.competitor.empty() ? "spreadsheets" : d.competitor, d.seats),
                    channel);
                break;
            case 2: {
                const Timestamp made = w.work_before(r, t, 20 * kHour);
                const Paper p = paper(w, d, made, {});
                mail_document(w, r, d, made, t - 15 * kMinute, DocumentKind::proposal,
                              fmt::format("{}_{}.html", d.ja ? "ご提案書" : "Proposal", file_part(w.accounts[d.account].name)),
                              [p] { return proposal_html(p); }, {}, subject,
                              d.ja ? fmt::format("{}様\n\nご提案書をお送りいたします。ご査収のほどよろしくお願いいたします。", who)
                                   : fmt::format("Dear {},\n\nPlease find our proposal attached.", who));
                break;
            }
            case 3: {
                const std::string number = fmt::format("Q-{}-{:05}", year, d.seq + 1);
                const Timestamp made = w.work_before(r, t, 3 * kHour);
                const Paper p = paper(w, d, made, number);
                mail_document(w, r, d, made, t - 10 * kMinute, DocumentKind::quote,
                              fmt::format("{}_{}_{}.html", d.ja ? "御見積書" : "Quotation", file_part(w.accounts[d.account].name), number),
                              [p] { return quote_html(p); }, {}, subject,
                              d.ja ? fmt::format("{}様\n\nお見積書（{}）をお送りいたします。合計 {}（税抜）です。", who,
                                                 number, yen(d.amount))
                                   : fmt::format("Dear {},\n\nOur quotation {} totals {} before tax.", who, number,
                                                 yen(d.amount)));
                break;
            }
            case 4:
                log(w.work_before(r, t, 2 * kHour), "meeting", Direction::outbound,
                    d.ja ? fmt::format("決裁者同席。{}の条件で合意に向け調整中。", yen(d.amount))
                         : fmt::format("Decision maker present; working towards {}.", yen(d.amount)),
                    channel);
                break;
            case 5: {  // won: the contract through an e-signature service, a thank-you, the invoice
                const Timestamp signing = w.work_before(r, t, 25 * kHour);
                mail_document(w, r, d, signing - kHour, signing, DocumentKind::contract,
                              fmt::format("{}_{}.pdf", d.ja ? "ご契約書" : "Contract", file_part(w.accounts[d.account].name)), {},
                              fmt::format("https://sign.example.jp/envelopes/{:016x}", mix64(w.o.seed ^ d.seq)),
                              d.ja ? "【電子契約】ご契約書締結のお願い" : "Please sign the contract",
                              d.ja ? "電子契約サービスよりご契約書をお送りしました。ご確認のうえご署名ください。"
                                   : "The contract is waiting for your signature.");
                if (d.contact)
                    w.email(r, draft(d, t + 1 * kHour, "email", Direction::outbound, subject,
                                     d.ja ? "このたびはご発注いただき誠にありがとうございます。キックオフの日程をご相談させてください。"
                                          : "Thank you for your order. Let us schedule the kickoff."),
                            d.owner, 90);
                const Timestamp invoiced = w.work_after(r, t, 3, 10);
                if (invoiced < w.now - kHour) {
                    const std::string number = fmt::format("INV-{}-{:05}", japan::jst_date(invoiced).substr(0, 7), d.seq + 1);
                    const Paper p = paper(w, d, invoiced, number);
                    mail_document(w, r, d, invoiced - 30 * kMinute, invoiced, DocumentKind::invoice,
                                  fmt::format("{}_{}_{}.html", d.ja ? "請求書" : "Invoice", file_part(w.accounts[d.account].name), number),
                                  [p] { return invoice_html(p); }, {}, d.ja ? "請求書送付のご案内" : "Your invoice",
                                  d.ja ? fmt::format("請求書（{}）をお送りいたします。", number)
                                       : fmt::format("Please find invoice {} attached.", number));
                }
                break;
            }
            case 6:
                log(w.work_after(r, t, 1, 3), "call", Direction::outbound,
                    d.ja ? fmt::format("失注理由：{}。半年後に再アプローチ予定。", d.lost_reason)
                         : fmt::format("Lost: {}. Try again in six months.", d.lost_reason),
                    "電話");
                break;
            default: break;
        }
        return;
    }
    switch (d.path[k]) {
        case 0: {
            const std::string number = fmt::format("Q-{}-{:05}", year, d.seq + 1);
            const Paper p = paper(w, d, t + 5 * kMinute, number);
            mail_document(w, r, d, t + 5 * kMinute, t + 20 * kMinute, DocumentKind::quote,
                          fmt::format("{}_{}_{}.html", d.ja ? "御見積書（更新）" : "Renewal quotation",
                                      file_part(w.accounts[d.account].name), number),
                          [p] { return quote_html(p); }, {}, subject,
                          d.ja ? "現在のご契約の更新時期が近づいてまいりましたので、更新のお見積りをお送りします。"
                               : "Your contract is up for renewal; our quotation is attached.");
            break;
        }
        case 1:
            log(w.work_before(r, t, 60 * kMinute), "meeting", Direction::outbound,
                d.ja ? fmt::format("更新条件の確認。利用人数 {}名で調整。", d.seats)
                     : fmt::format("Renewal terms for {} users.", d.seats),
                channel);
            break;
        case 2:
            if (d.contact)
                w.email(r, draft(d, t + 30 * kMinute, "email", Direction::outbound, subject,
                                 d.ja ? "ご契約更新のお手続きが完了いたしました。引き続きよろしくお願いいたします。"
                                      : "Your renewal is complete. Thank you."),
                        d.owner, 80);
            break;
        case 3:
            log(t + 2 * kHour, "call", Direction::inbound,
                d.ja ? fmt::format("解約のご連絡。理由：{}。", d.lost_reason)
                     : fmt::format("Customer cancels: {}.", d.lost_reason),
                "電話");
            break;
        default: break;
    }
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
