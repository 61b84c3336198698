// crm::sample::populate — a whole sample company written through the public API
// in one transaction: teams, users (one manager per team), accounts (some with a
// parent company), contacts (employer, owner, and a work address at the employer's domain).
#include <exception>
#include <vector>

#include <fmt/format.h>

#include "crm/sample.hpp"
#include "sample/names.hpp"
#include "sample/random.hpp"

namespace crm::sample {

namespace {

// "https://www.fuji-shoji.example.jp/" -> "fuji-shoji.example.jp" (websites made by Generator::account).
std::string domain_of(const std::string& website) {
    std::string d = website;
    if (auto p = d.find("://"); p != std::string::npos) d.erase(0, p + 3);
    if (d.starts_with("www.")) d.erase(0, 4);
    if (auto slash = d.find('/'); slash != std::string::npos) d.erase(slash);
    return d;
}

error in_step(const error& e, const char* what, std::size_t i) {
    error out = e;
    out.message = fmt::format("sample {} #{}: {}", what, i, e.message);
    return out;
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

result<Summary> populate_in(Db& db, const Options& o, Progress& progress) {
    Generator gen(o.seed, o.japanese_share);
    Summary sum;

    std::vector<Team> teams;
    teams.reserve(o.teams);
    const auto seeds = data::teams();
    for (std::size_t t = 0; t < o.teams; ++t) {
        Team team;
        const auto& s = seeds[t % seeds.size()];
        team.name = t < seeds.size() ? std::string(s.name) : fmt::format("{} {}", s.name, t / seeds.size() + 1);
        team.region = s.region;
        auto id = db.teams().create(team);
        if (!id) return in_step(id.error(), "team", t);
        team.id = id.value();
        teams.push_back(std::move(team));
        ++sum.teams;
        progress.step();
    }

    std::vector<Id> users;
    users.reserve(o.users);
    for (std::size_t u = 0; u < o.users; ++u) {
        User user = gen.user(u);
        if (!teams.empty()) {
            user.team_id = teams[u % teams.size()].id;
            if (u < teams.size()) {  // the first member of each team manages it
                user.role = UserRole::manager;
                user.active = true;
            }
        }
        auto id = db.users().create(user);
        if (!id) return in_step(id.error(), "user", u);
        users.push_back(id.value());
        ++sum.users;
        progress.step();
    }
    for (std::size_t t = 0; t < teams.size() && t < users.size(); ++t) {
        teams[t].manager_id = users[t];
        if (auto r = db.teams().update(teams[t]); !r) return in_step(r.error(), "team", t);
    }

    // Accounts; remember who owns each, where it is, and its web domain for contacts' addresses.
    std::vector<Id> accounts;
    std::vector<std::optional<Id>> account_owner;
    std::vector<std::string> account_domain;
    std::vector<std::size_t> ja_accounts, west_accounts;
    accounts.reserve(o.accounts);
    account_owner.reserve(o.accounts);
    account_domain.reserve(o.accounts);
    for (std::size_t a = 0; a < o.accounts; ++a) {
        Account acc = gen.account(a);
        Rng r(o.seed, Stream::populate_account, a);
        if (!users.empty()) acc.owner_id = users[r.below(users.size())];
        const bool ja = acc.address.country == "JP";
        auto& same_kind = ja ? ja_accounts : west_accounts;
        // About one in ten is a subsidiary of an earlier company of the same kind.
        if (!same_kind.empty() && r.percent(10)) acc.parent_id = accounts[same_kind[r.below(same_kind.size())]];
        auto id = db.accounts().create(acc);
        if (!id) return in_step(id.error(), "account", a);
        accounts.push_back(id.value());
        account_owner.push_back(acc.owner_id);
        account_domain.push_back(domain_of(acc.website));
        same_kind.push_back(a);
        ++sum.accounts;
        progress.step();
    }

    for (std::size_t i = 0; i < o.contacts; ++i) {
        Contact c = gen.contact(i);
        Rng r(o.seed, Stream::populate_contact, i);
        const bool ja = !c.name_reading.empty();  // Japanese names always come with a reading
        const auto& pool = ja ? (ja_accounts.empty() ? west_accounts : ja_accounts)
                              : (west_accounts.empty() ? ja_accounts : west_accounts);
        std::optional<std::size_t> employer;
        if (!pool.empty() && r.percent(95)) employer = pool[r.below(pool.size())];  // a few freelancers
        if (employer) {
            c.account_id = accounts[*employer];
            auto& work = c.emails.front().address;
            work = work.substr(0, work.find('@') + 1) + account_domain[*employer];
        }
        if (!users.empty()) {
            // Usually the account owner looks after the people there too.
            const bool account_owner_too = employer && account_owner[*employer] && r.percent(80);
            c.owner_id = account_owner_too ? *account_owner[*employer] : users[r.below(users.size())];
        }
        auto id = db.contacts().create(c);
        if (!id) return in_step(id.error(), "contact", i);
        ++sum.contacts;
        progress.step();
    }
    return sum;
}

}  // namespace

result<Summary> populate(Db& db, const Options& options, const std::function<void(std::size_t, std::size_t)>& progress) noexcept {
    try {
        if (!db.is_open()) return make_error(errc::closed, "database handle is closed");
        if (!(options.japanese_share >= 0.0 && options.japanese_share <= 1.0))
            return invalid("japanese_share", "must be between 0 and 1");
        auto tx = db.begin();
        if (!tx) return tx.error();
        Progress p(progress, options.teams + options.users + options.accounts + options.contacts);
        auto sum = populate_in(db, options, p);
        if (!sum) return sum;  // tx's destructor rolls everything back
        if (auto c = tx.value().commit(); !c) return c.error();
        return sum;
    } catch (...) {
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
