// crm/sample.hpp — a deterministic sample company, at any scale.
//
// The same seed, sizes and `now` always produce the same records (Japanese and
// Western names, readings, companies, emails, phones) and the same history: a
// Tokyo software vendor (みらいクラウド株式会社) with its products and price list,
// campaigns, two sales pipelines with deals at every stage (won, and lost with
// reasons), months of calls, meetings, e-mails with tracking events, web visits and
// seminar attendance, support tickets under SLAs on a Japanese business calendar,
// tasks with reminders, and quotes, proposals, contracts and invoices sent.
// Used by the demo, tests and benchmarks; built only on the public API.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crm/db.hpp"
#include "crm/import.hpp"

namespace crm::sample {

struct Options {
    std::uint64_t seed = 42;
    std::size_t users = 10;
    std::size_t teams = 3;
    std::size_t accounts = 50;
    std::size_t contacts = 500;
    double japanese_share = 0.7;  // fraction of Japanese people and companies

    // The company's history over the `months` before `now`. Interactions, tasks and
    // documents follow from the deals, tickets, contacts and campaigns.
    std::size_t deals = 100;      // the first 11 cover every stage of both pipelines
    std::size_t tickets = 60;     // the last 4: two breaching their SLA now, two just opened
    int months = 6;               // 1 … 36
    Timestamp now = 0;            // where the history ends (UTC ms); 0 = the system clock
};

struct Summary {
    std::size_t users = 0, teams = 0, accounts = 0, contacts = 0;
    std::size_t products = 0, campaigns = 0, pipelines = 0, deals = 0;
    std::size_t interactions = 0, email_events = 0, tickets = 0, tasks = 0;
    std::size_t documents = 0, document_sends = 0, reminders_delivered = 0;
    Timestamp since = 0, now = 0;  // the history's span: activity happened in [since, now]
};

// The sample company's own name: みらいクラウド株式会社.
const char* company_name() noexcept;

// The sizes of `crm demo --size`: "small", "medium" and "large"; nullopt for another name.
std::optional<Options> preset(std::string_view size);
// A company with `contacts` contacts and everything else in proportion.
Options for_contacts(std::size_t contacts);

// Pure generators (no database): the i-th record of a seeded sequence.
class Generator {
public:
    explicit Generator(std::uint64_t seed, double japanese_share = 0.7) noexcept;
    User user(std::size_t i);
    Account account(std::size_t i);
    Contact contact(std::size_t i);  // account_id/owner_id left unset
private:
    std::uint64_t seed_;
    double ja_;
};

// Creates a whole company in one transaction; on failure nothing is stored.
// progress(done, total) is called now and then. The records are written as they
// happened: populate sets the Db's clock (Db::set_clock) to the time of each step
// so created_at, updated_at, stage and status changes and history rows carry those
// times, and leaves the system clock installed when it returns. The actor
// (Db::set_actor) is the user who did each step, and is restored at the end.
result<Summary> populate(Db& db, const Options& options,
                         const std::function<void(std::size_t, std::size_t)>& progress = {}) noexcept;

// Lead management on a populated company (the demo's second step), defined through
// the public API as a customer would: two scoring models, one per product line
// (勤怠管理 and 経費精算), a threshold "<model> MQL" on each (enter at 60, leave below
// 50, moving the contact forward to mql), the document-request form "shiryo-seikyu",
// two saved segments, and the routing "インサイドセールス振り分け" attached to both
// thresholds (large companies to the first manager; Kanto, Kansai and abroad to the
// reps in round robin; the rest to the manager; a follow-up due in 4 business hours). Each model is defined
// empty first and its rules added by an update once its threshold exists, so the
// contacts that reach 60 cross then, and are routed.
// In one transaction: on failure nothing is stored (errc::already_exists if any of
// them is defined already). With `at` (UTC ms) everything is written at that time
// and the system clock is installed afterwards, as populate does; 0: the Db's clock.
struct LeadSetup {
    std::vector<std::string> models, thresholds, segments;
    std::string form, routing;
    std::int64_t crossings = 0;  // threshold crossings when the models' rules took effect
};
result<LeadSetup> setup_leads(Db& db, Timestamp at = 0) noexcept;

// The Maven Analytics CRM sample (../shared/data/maven-crm: accounts.csv, products.csv,
// sales_teams.csv, sales_pipeline.csv) brought in through crm::import with the mappings
// of examples/maven/ (compiled in from those files): the pipeline "Maven" with its four
// stages and the lost reason "Not recorded" are created first when missing, then each
// mapping runs over its file, in order. examples/maven/README.md says how each flaw of
// the data is handled. Stops at the first step that fails (the steps before it stay).
struct MavenStep {
    std::string mapping;  // "accounts", "products", "managers", "teams", "agents", "deals"
    std::string file;     // "accounts.csv" …
    import::Report report;
};
result<std::vector<MavenStep>> import_maven(Db& db, const std::string& data_dir) noexcept;
// The mapping of one step, as examples/maven/<name>.json has it; empty for no such step.
std::string maven_mapping(const std::string& name);

}  // namespace crm::sample
