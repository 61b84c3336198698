// crm::sample::populate — a whole sample company written through the public API
// in one transaction, as it happened: the base (teams, users — one manager per
// team —, custom fields, products and price list, pipelines, lost reasons, the
// business calendar and SLA policies, accounts with some parent companies,
// contacts with employer, owner and a work address at the employer's domain),
// then the planners' history, all replayed in time order (world.hpp).
#include <algorithm>
#include <exception>
#include <vector>

#include <fmt/format.h>

#include "sample/names.hpp"
#include "sample/world.hpp"

namespace crm::sample {

using japan::kDay;
using japan::kHour;
using japan::kMinute;

const char* company_name() noexcept { return catalog::kCompany; }

std::optional<Options> preset(std::string_view size) {
    Options o;
    auto set = [&](std::size_t users, std::size_t teams, std::size_t accounts, std::size_t contacts, std::size_t deals,
                   std::size_t tickets) {
        o.users = users;
        o.teams = teams;
        o.accounts = accounts;
        o.contacts = contacts;
        o.deals = deals;
        o.tickets = tickets;
        return o;
    };
    if (size == "small") return set(5, 2, 20, 200, 40, 30);
    if (size == "medium") return set(20, 4, 200, 5000, 600, 400);
    if (size == "large") return set(100, 10, 2000, 100000, 8000, 5000);
    return std::nullopt;
}

Options for_contacts(std::size_t n) {
    Options o;
    o.contacts = n;
    o.accounts = std::max<std::size_t>(1, n / 25);
    o.users = std::clamp<std::size_t>(n / 50, 1, 500);
    o.teams = std::max<std::size_t>(1, o.users / 5);
    o.deals = 11 + n / 8;
    o.tickets = 4 + n / 12;
    return o;
}

namespace {

// "https://www.fuji-shoji.example.jp/" -> "fuji-shoji.example.jp" (websites made by Generator::account).
std::string domain_of(const std::string& website) {
    std::string d = website;
    if (auto p = d.find("://"); p != std::string::npos) d.erase(0, p + 3);
    if (d.starts_with("www.")) d.erase(0, 4);
    if (auto slash = d.find('/'); slash != std::string::npos) d.erase(slash);
    return d;
}

error in_step(const error& e, const std::string& what) {
    error out = e;
    out.message = fmt::format("sample {}: {}", what, e.message);
    return out;
}

// Everything known before anything is written: who the users, accounts and
// contacts are, who owns and employs whom, and when each was entered.
struct Base {
    std::vector<Team> teams;
    std::vector<User> users;
    std::vector<Account> accounts;           // parent_id / owner_id hold indexes until written
    std::vector<std::optional<std::size_t>> parent;
};

void plan_people(World& w, Base& b, Generator& gen) {
    const Options& o = w.o;
    const auto seeds = data::teams();
    for (std::size_t t = 0; t < o.teams; ++t) {
        Team team;
        const auto& s = seeds[t % seeds.size()];
        team.name = t < seeds.size() ? std::string(s.name) : fmt::format("{} {}", s.name, t / seeds.size() + 1);
        team.region = s.region;
        b.teams.push_back(std::move(team));
    }
    for (std::size_t u = 0; u < o.users; ++u) {
        User user = gen.user(u);
        if (!b.teams.empty() && u < b.teams.size()) {  // the first member of each team manages it
            user.role = UserRole::manager;
            user.active = true;
        }
        (user.role == UserRole::agent ? w.agents : w.reps).push_back(u);
        w.user_names.push_back(user.name);
        b.users.push_back(std::move(user));
    }
    if (w.reps.empty()) w.reps = w.agents;
    if (w.agents.empty()) w.agents = w.reps;
    w.users.assign(o.users, 0);

    // Accounts, entered one after another over the years before the history.
    std::vector<std::size_t> ja_accounts, west_accounts;
    const Timestamp a_from = w.setup + kDay, a_to = w.since - 60 * kDay;
    for (std::size_t a = 0; a < o.accounts; ++a) {
        Account acc = gen.account(a);
        Rng r(o.seed, Stream::populate_account, a);
        AccountFact f;
        if (!w.users.empty()) f.owner = static_cast<std::size_t>(r.below(w.users.size()));
        f.ja = acc.address.country == "JP";
        auto& same_kind = f.ja ? ja_accounts : west_accounts;
        // About one in ten is a subsidiary of an earlier company of the same kind.
        std::optional<std::size_t> parent;
        if (!same_kind.empty() && r.percent(10)) parent = same_kind[r.below(same_kind.size())];
        f.status = acc.contract_status;
        f.name = acc.name;
        f.domain = domain_of(acc.website);
        f.employees = acc.employee_count.value_or(10);
        Rng s(o.seed, Stream::setup, a);
        f.premium = (f.status == ContractStatus::active || f.status == ContractStatus::trial) && s.percent(30);
        static constexpr const char* ranks[] = {"S", "A", "B", "C"};
        static constexpr unsigned rank_weights[] = {5, 20, 40, 35};
        acc.custom["rank"] = std::string(ranks[s.weighted(rank_weights)]);
        acc.custom["support_plan"] = std::string(f.premium ? "プレミアム" : "スタンダード");
        acc.created_at = a_from + static_cast<Timestamp>(a) * (a_to - a_from) / static_cast<Timestamp>(o.accounts);
        same_kind.push_back(a);
        w.accounts.push_back(std::move(f));
        b.accounts.push_back(std::move(acc));
        b.parent.push_back(parent);
    }

    // Contacts: entered from a month after the setup until three days ago; the
    // newest are the leads of the history's campaigns (plan_marketing).
    const Timestamp c_from = w.setup + 30 * kDay, c_to = w.now - 3 * kDay;
    for (std::size_t i = 0; i < o.contacts; ++i) {
        const Contact c = gen.contact(i);
        Rng r(o.seed, Stream::populate_contact, i);
        ContactFact f;
        f.ja = !c.name_reading.empty();  // Japanese names always come with a reading
        const auto& pool = f.ja ? (ja_accounts.empty() ? west_accounts : ja_accounts)
                                : (west_accounts.empty() ? ja_accounts : west_accounts);
        if (!pool.empty() && r.percent(95)) f.account = pool[r.below(pool.size())];  // a few freelancers
        if (!w.users.empty()) {
            // Usually the account owner looks after the people there too.
            const bool account_owner_too = f.account && r.percent(80);
            f.owner = account_owner_too ? w.accounts[*f.account].owner : static_cast<std::size_t>(r.below(w.users.size()));
        }
        f.created = c_from + static_cast<Timestamp>(i) * (c_to - c_from) / static_cast<Timestamp>(o.contacts);
        if (f.account) f.created = std::max(f.created, b.accounts[*f.account].created_at + kDay);
        f.email_ok = c.consent.email;
        f.tracking_ok = c.consent.tracking;
        f.name = c.name;
        w.contacts.push_back(std::move(f));
    }
    for (std::size_t i = 0; i < w.contacts.size(); ++i)
        if (w.contacts[i].account) w.accounts[*w.contacts[i].account].contacts.push_back(i);
    for (auto& a : w.accounts)
        std::stable_sort(a.contacts.begin(), a.contacts.end(),
                         [&](std::size_t x, std::size_t y) { return w.contacts[x].created < w.contacts[y].created; });
}

// The catalogue the company set up with its CRM: custom fields, products, pipelines,
// lost reasons; and, a month before the history, the support desk's calendar and SLAs.
void plan_catalogue(World& w) {
    Timestamp t = w.setup + 2 * kHour;
    w.at(t, [&w]() -> result<void> {
        w.act(std::nullopt);
        auto fields = w.db.custom_fields();
        CustomFieldDef rank{0, Entity::account, "rank", "顧客ランク", FieldType::enumeration, {"S", "A", "B", "C"}, false, 0};
        CustomFieldDef plan{0, Entity::account, "support_plan", "サポートプラン", FieldType::enumeration,
                            {"スタンダード", "プレミアム"}, false, 0};
        CustomFieldDef competitor{0, Entity::deal, "competitor", "競合", FieldType::text, {}, false, 0};
        CustomFieldDef users{0, Entity::deal, "seats", "利用予定人数", FieldType::integer, {}, false, 0};
        for (const auto& d : {rank, plan, competitor, users})
            if (auto r = fields.define(d); !r) return in_step(r.error(), "custom field " + d.name);
        for (const auto& p : catalog::products()) {
            Product product;
            product.name = p.name;
            product.series = p.series;
            product.list_price = {p.price, "JPY"};
            product.active = p.active;
            auto id = w.db.products().create(product);
            if (!id) return in_step(id.error(), fmt::format("product {}", p.name));
            w.products.push_back(id.value());
            ++w.sum.products;
        }
        for (const auto& seed : catalog::pipelines()) {
            Pipeline p;
            p.name = seed.name;
            for (const auto& s : seed.stages) p.stages.push_back({0, s.name, s.probability, s.kind});
            auto id = w.db.pipelines().create(p);
            if (!id) return in_step(id.error(), fmt::format("pipeline {}", seed.name));
            auto stages = w.db.pipelines().stages(id.value());
            if (!stages) return stages.error();
            PipelineFact f{id.value(), {}};
            for (const auto& s : stages.value()) f.stages.push_back(s.id);
            w.pipelines.push_back(std::move(f));
            ++w.sum.pipelines;
        }
        for (const char* reason : catalog::lost_reasons())
            if (auto r = w.db.deals().define_lost_reason(reason); !r) return in_step(r.error(), "lost reason");
        return ok();
    });
    t = w.since - 30 * kDay;
    w.at(t, [&w]() -> result<void> {
        w.act(std::nullopt);
        CustomFieldDef category{0, Entity::ticket, "category", "問い合わせ分類", FieldType::enumeration, {}, false, 0};
        for (const char* c : catalog::ticket_categories()) category.options.push_back(c);
        if (auto r = w.db.custom_fields().define(category); !r) return in_step(r.error(), "custom field category");
        auto cal = w.db.tickets().define_calendar(w.cal.business());
        if (!cal) return in_step(cal.error(), "business calendar");
        SlaPolicy standard = catalog::sla_policy(false), premium = catalog::sla_policy(true);
        standard.calendar_id = premium.calendar_id = cal.value();
        auto s = w.db.tickets().define_sla_policy(standard);
        if (!s) return in_step(s.error(), "SLA policy");
        auto p = w.db.tickets().define_sla_policy(premium);
        if (!p) return in_step(p.error(), "SLA policy");
        w.sla_standard = s.value();
        w.sla_premium = p.value();
        return ok();
    });
}

void plan_base(World& w, Base& b, Generator& gen) {
    for (std::size_t t = 0; t < b.teams.size(); ++t)
        w.at(w.setup + static_cast<Timestamp>(t) * kMinute, [&w, &b, t]() -> result<void> {
            w.act(std::nullopt);
            auto id = w.db.teams().create(b.teams[t]);
            if (!id) return in_step(id.error(), fmt::format("team #{}", t));
            b.teams[t].id = id.value();
            ++w.sum.teams;
            return ok();
        });
    for (std::size_t u = 0; u < b.users.size(); ++u)
        w.at(w.setup + kHour + static_cast<Timestamp>(u) * kMinute, [&w, &b, u]() -> result<void> {
            w.act(std::nullopt);
            if (!b.teams.empty()) b.users[u].team_id = b.teams[u % b.teams.size()].id;
            auto id = w.db.users().create(b.users[u]);
            if (!id) return in_step(id.error(), fmt::format("user #{}", u));
            w.users[u] = id.value();
            ++w.sum.users;
            return ok();
        });
    w.at(w.setup + kHour + static_cast<Timestamp>(b.users.size()) * kMinute, [&w, &b]() -> result<void> {
        for (std::size_t t = 0; t < b.teams.size() && t < w.users.size(); ++t) {
            b.teams[t].manager_id = w.users[t];
            if (auto r = w.db.teams().update(b.teams[t]); !r) return in_step(r.error(), fmt::format("team #{}", t));
        }
        return ok();
    });
    plan_catalogue(w);
    for (std::size_t a = 0; a < b.accounts.size(); ++a)
        w.at(b.accounts[a].created_at, [&w, &b, a]() -> result<void> {
            Account acc = std::move(b.accounts[a]);
            const std::size_t owner = w.accounts[a].owner;
            w.act(owner);
            if (!w.users.empty()) acc.owner_id = w.users[owner];
            if (b.parent[a]) acc.parent_id = w.accounts[*b.parent[a]].id;
            acc.created_at = 0;
            auto id = w.db.accounts().create(acc);
            if (!id) return in_step(id.error(), fmt::format("account #{}", a));
            w.accounts[a].id = id.value();
            ++w.sum.accounts;
            return ok();
        });
    for (std::size_t i = 0; i < w.contacts.size(); ++i)
        w.at(w.contacts[i].created, [&w, &gen, i]() -> result<void> {
            const ContactFact& f = w.contacts[i];
            Contact c = gen.contact(i);
            if (f.account) {
                c.account_id = w.accounts[*f.account].id;
                auto& work = c.emails.front().address;
                work = work.substr(0, work.find('@') + 1) + w.accounts[*f.account].domain;
            }
            if (!w.users.empty()) c.owner_id = w.users[f.owner];
            if (!f.lead_source.empty()) {  // a lead of one of the history's campaigns
                c.lead_source = f.lead_source;
                c.lifecycle_stage = LifecycleStage::lead;
            }
            w.act(std::nullopt);
            auto id = w.db.contacts().create(c);
            if (!id) return in_step(id.error(), fmt::format("contact #{}", i));
            w.contacts[i].id = id.value();
            ++w.sum.contacts;
            return ok();
        });
}

class Progress {
public:
    Progress(const std::function<void(std::size_t, std::size_t)>& fn, std::size_t total) : fn_(fn), total_(total) {}
    void step() {
        ++done_;
        if (fn_ && (done_ % 1000 == 0 || done_ == total_)) fn_(done_, total_);
    }

private:
    const std::function<void(std::size_t, std::size_t)>& fn_;
    std::size_t total_;
    std::size_t done_ = 0;
};

// Installs a clock that reads `now`, and the system clock again when it ends.
class ClockScope {
public:
    explicit ClockScope(Db& db, const Timestamp& now) : db_(db) {
        db_.set_clock([&now] { return now; });
    }
    ~ClockScope() { db_.set_clock({}); }
    ClockScope(const ClockScope&) = delete;
    ClockScope& operator=(const ClockScope&) = delete;

private:
    Db& db_;
};

result<Summary> populate_in(Db& db, const Options& o, Timestamp now,
                            const std::function<void(std::size_t, std::size_t)>& progress) {
    Generator gen(o.seed, o.japanese_share);
    World w(db, o, now);
    Base base;
    plan_people(w, base, gen);
    plan_base(w, base, gen);
    plan_marketing(w);
    plan_sales(w);
    plan_service(w);
    plan_accounts(w);
    plan_reminders(w);

    auto& plan = w.plan();
    std::sort(plan.begin(), plan.end(), [](const Event& a, const Event& b) {
        return a.at != b.at ? a.at < b.at : a.seq < b.seq;
    });
    Timestamp clock = w.setup;
    ClockScope scope(db, clock);
    Progress p(progress, plan.size());
    for (auto& e : plan) {
        clock = e.at;
        if (auto r = e.run(); !r) return r.error();
        e.run = nullptr;  // free what it captured
        p.step();
    }
    return w.sum;
}

}  // namespace

result<Summary> populate(Db& db, const Options& options, const std::function<void(std::size_t, std::size_t)>& progress) noexcept {
    const auto actor = db.actor();
    try {
        if (!db.is_open()) return make_error(errc::closed, "database handle is closed");
        if (!(options.japanese_share >= 0.0 && options.japanese_share <= 1.0))
            return invalid("japanese_share", "must be between 0 and 1");
        if (options.months < 1 || options.months > 36) return invalid("months", "must be 1 … 36");
        const Timestamp now = options.now != 0 ? options.now : now_ms();
        auto tx = db.begin();
        if (!tx) return tx.error();
        auto sum = populate_in(db, options, now, progress);
        db.set_actor(actor);
        if (!sum) return sum;  // tx's destructor rolls everything back
        if (auto c = tx.value().commit(); !c) return c.error();
        return sum;
    } catch (...) {
        db.set_actor(actor);
        // Allocation failure, or an exception thrown by the progress callback.
        try {
            std::rethrow_exception(std::current_exception());
        } catch (const std::exception& e) {
            return make_error(errc::internal, fmt::format("sample data: {}", e.what()));
        } catch (...) {
            return make_error(errc::internal, "sample data: unknown exception");
        }
    }
}

}  // namespace crm::sample
