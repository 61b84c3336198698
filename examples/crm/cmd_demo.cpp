// cmd_demo.cpp — `crm demo`: a deterministic sample company in a fresh database
// (crm::sample::populate: months of deals, interactions, tickets, tasks and
// documents), then a short tour of it, each part with the command that shows it.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "commands.hpp"
#include "crm/sample.hpp"
#include "demo_tour.hpp"
#include "records.hpp"

namespace cli {

namespace {
struct Size {
    std::string name;
    crm::sample::Options options;
};

Size parse_size(const std::string& s) {
    if (auto o = crm::sample::preset(s)) return {s, *o};
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size())
        bad_argument(fmt::format("--size: '{}' is not small, medium, large or a number of contacts (1 … 10000000)", s));
    if (n < 1 || n > 10000000)
        invalid_input(fmt::format("--size: '{}' is not small, medium, large or a number of contacts (1 … 10000000)", s));
    return {s, crm::sample::for_contacts(n)};
}

// Refuses to replace a non-empty file unless --force; with it, removes the
// file and its WAL / shared-memory / journal companions.
void prepare_file(const std::string& path, bool force) {
    namespace fs = std::filesystem;
    if (path == ":memory:") return;
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    if (fs::is_directory(path, ec)) invalid_input(fmt::format("{}: is a directory", path));
    if (fs::file_size(path, ec) == 0 && !ec) return;
    if (!force)
        throw Failure{exit_invalid, fmt::format("{}: file exists and is not empty; the demo needs a fresh database", path),
                      crm::errc_name(crm::errc::already_exists), "use --force to replace it, or --db to choose another file"};
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::remove(path + suffix, ec);
        if (ec) throw Failure{exit_other, fmt::format("{}{}: cannot remove: {}", path, suffix, ec.message()), "io_error", {}};
    }
}

// A section title with the command that shows the same, aligned at column 50.
void heading(const std::string& title, const std::string& hint) {
    const std::size_t w = display_width(title);
    fmt::print("\n{}{}→ {}\n", title, std::string(w < 48 ? 50 - w : 2, ' '), hint);
}

// Right-aligns the texts of one column (tables align only plain numbers so).
void align_right(Table& t, std::size_t column) {
    std::size_t w = 0;
    for (const auto& r : t.rows) w = std::max(w, display_width(r[column]));
    for (auto& r : t.rows) r[column] = std::string(w - display_width(r[column]), ' ') + r[column];
}

void print_timeline(const tour::Timeline& t) {
    Table tab{{"when (JST)", "kind", "direction", "subject", "tracking"}, {}};
    for (const auto& r : t.rows) tab.rows.push_back({tour::jst(r.at), r.kind, r.direction, r.subject, r.tracking});
    print_table(tab, 34);
}

void print_tour(const Context& ctx, const Size& size, const tour::Tour& t) {
    using tour::thousands;
    const auto& s = t.summary;
    fmt::print("sample company {} created in {} (size {}, seed {})\n", crm::sample::company_name(), ctx.db_path,
               size.name, size.options.seed);
    fmt::print("{} months of work, {} … {} (times in JST); add --db {} to the commands below\n", size.options.months,
               tour::jst(s.since).substr(0, 10), tour::jst(s.now).substr(0, 10), ctx.db_path);

    heading("what is in it", "crm <kind> list · crm <kind> get ID");
    std::string line = " ";
    std::size_t width = 1;
    auto item = [&](const std::string& text) {
        if (width + display_width(text) + 3 > 96) {
            fmt::print("{}\n", line);
            line = " ";
            width = 1;
        }
        line += (width > 1 ? " · " : " ") + text;
        width += display_width(text) + 3;
    };
    for (const auto& c : t.counts)
        item(c.note.empty() ? fmt::format("{} {}", thousands(c.n), c.kind)
                            : fmt::format("{} {} ({})", thousands(c.n), c.kind, c.note));
    item(fmt::format("{} history rows", thousands(t.history)));
    fmt::print("{}\n", line);

    heading("pipelines by stage", "crm deal list --where stage_id=ID");
    Table st{{"pipeline", "stage", "id", "kind", "deals", "amount", "weighted"}, {}};
    std::string last;
    for (const auto& r : t.stages) {
        st.rows.push_back({r.pipeline == last ? "" : r.pipeline, r.stage, std::to_string(r.stage_id), r.kind,
                           std::to_string(r.deals), tour::yen(r.amount), tour::yen(r.weighted)});
        last = r.pipeline;
    }
    align_right(st, 5);
    align_right(st, 6);
    print_table(st);
    std::string reasons;
    for (const auto& [k, v] : t.lost_reasons) reasons += fmt::format("{}{} {}", reasons.empty() ? "" : " · ", k, v);
    if (!reasons.empty()) fmt::print("lost because: {}\n", reasons);

    if (t.deal) {
        const auto& d = *t.deal;
        heading(fmt::format("how deal {} was won", d.deal.id), fmt::format("crm deal stages {}", d.deal.id));
        fmt::print("  {} · {} · {}\n  ", d.deal.name, d.account, tour::yen(d.deal.amount.amount));
        for (std::size_t i = 0; i < d.path.size(); ++i)
            fmt::print("{}{}", d.path[i].first,
                       i + 1 < d.path.size() ? fmt::format(" {}d → ", d.path[i].second) : std::string("\n"));
    }
    if (t.contact) {
        heading(fmt::format("timeline of {} ({})", t.contact->name, t.contact->detail),
                fmt::format("crm timeline contact {}", t.contact->id));
        print_timeline(*t.contact);
    }
    if (t.account) {
        heading(fmt::format("timeline of {} ({})", t.account->name, t.account->detail),
                fmt::format("crm timeline account {}", t.account->id));
        print_timeline(*t.account);
    }

    const auto& sla = t.sla;
    std::string policies;
    for (const auto& p : sla.policies) policies += (policies.empty() ? "" : ", ") + p;
    heading(fmt::format("support under SLA: {}", policies), "crm sla list · crm calendar list");
    fmt::print("  {} tickets: {} open, {} resolved ({} within the resolution target, {} late)\n", sla.tickets, sla.open,
               sla.done, sla.met, sla.breached);
    fmt::print("  on the business calendar {} (平日 9:00–18:00, {} weekday holidays in {})\n", sla.calendar, sla.holidays,
               tour::jst(s.now).substr(0, 4));
    Table al{{"ticket", "target", "due (JST)", "state", "priority", "subject"}, {}};
    for (const auto& a : sla.alerts) {
        if (al.rows.size() == 4) break;
        al.rows.push_back({std::to_string(a.ticket_id), a.target, tour::jst(a.due_at),
                           a.breached ? "breached" : fmt::format("due in {}h", (a.due_at - s.now + 3'599'999) / 3'600'000),
                           crm::to_string(a.priority), a.subject});
    }
    fmt::print("breaching, or due within 8 hours{}→ crm ticket breaching --within 480\n", std::string(18, ' '));
    print_table(al, 36);

    const auto& tk = t.tasks;
    heading(fmt::format("tasks: {} due today, {} overdue; reminders due now: {}", tk.today, tk.overdue, tk.reminders_now),
            "crm task due --tz +09:00 [--overdue]");
    Table ta{{"id", "due (JST)", "title", "assignee", "about"}, {}};
    for (const auto& r : tk.rows)
        ta.rows.push_back({std::to_string(r.task.id), r.task.due_at ? tour::jst(*r.task.due_at) : "", r.task.title,
                           r.assignee, r.about});
    print_table(ta, 30);
    std::string next;
    for (const auto& r : tk.upcoming)
        next += fmt::format("{}{} {}", next.empty() ? "" : " · ", tour::jst(*r.task.remind_at).substr(5), r.task.title);
    if (!next.empty()) fmt::print("next reminders: {}   → crm task remind\n", next);

    heading("documents sent lately", "crm doc sends ID · crm doc get ID --out FILE");
    Table dt{{"sent (JST)", "id", "kind", "document", "to"}, {}};
    for (const auto& x : t.sent)
        dt.rows.push_back({tour::jst(x.at), std::to_string(x.doc.id), crm::to_string(x.doc.kind), x.doc.name, x.to});
    print_table(dt, 44);

    heading("the newest history rows (the change feed)", "crm <kind> history ID");
    Table ch{{"when (JST)", "record", "change", "by"}, {}};
    for (const auto& c : t.changes)
        ch.rows.push_back({tour::jst(c.change.at), fmt::format("{} {}", crm::entity_name(c.change.entity), c.change.record_id),
                           c.what, c.by});
    print_table(ch, 48);
}

json tour_json(const Context& ctx, const Size& size, const tour::Tour& t) {
    json counts = json::object();
    for (const auto& c : t.counts) counts[c.kind] = c.n;
    const auto& s = t.summary;
    counts["email_events"] = s.email_events;
    counts["document_sends"] = s.document_sends;
    counts["reminders_delivered"] = s.reminders_delivered;
    json j = {{"db", ctx.db_path}, {"seed", size.options.seed}, {"size", size.name},
              {"since", crm::format_iso8601(s.since)}, {"now", crm::format_iso8601(s.now)},
              {"counts", counts}, {"history", t.history}};
    json st = json::object();
    for (const auto& [k, v] : t.contacts_by_stage) st[k] = v;
    j["contacts_by_stage"] = st;
    json stages = json::array();
    for (const auto& r : t.stages)
        stages.push_back({{"pipeline", r.pipeline}, {"stage", r.stage}, {"stage_id", r.stage_id}, {"kind", r.kind},
                          {"deals", r.deals}, {"amount", r.amount}, {"weighted", r.weighted}});
    j["stages"] = stages;
    json reasons = json::object();
    for (const auto& [k, v] : t.lost_reasons) reasons[k] = v;
    j["lost_reasons"] = reasons;
    if (t.deal) {
        json path = json::array();
        for (const auto& [name, days] : t.deal->path) path.push_back({{"stage", name}, {"days", days}});
        j["won_deal"] = {{"id", t.deal->deal.id}, {"name", t.deal->deal.name}, {"path", path}};
    }
    auto timeline = [](const tour::Timeline& tl) {
        json rows = json::array();
        for (const auto& r : tl.rows)
            rows.push_back({{"id", r.id}, {"at", crm::format_iso8601(r.at)}, {"kind", r.kind}, {"direction", r.direction},
                            {"subject", r.subject}, {"tracking", r.tracking}});
        return json{{"entity", crm::entity_name(tl.entity)}, {"id", tl.id}, {"name", tl.name}, {"items", rows}};
    };
    if (t.contact) j["contact_timeline"] = timeline(*t.contact);
    if (t.account) j["account_timeline"] = timeline(*t.account);
    json alerts = json::array();
    for (const auto& a : t.sla.alerts) alerts.push_back(json::parse(crm::to_json(a)));
    j["sla"] = {{"policies", t.sla.policies}, {"calendar", t.sla.calendar}, {"tickets", t.sla.tickets},
                {"open", t.sla.open}, {"resolved", t.sla.done}, {"resolution_met", t.sla.met},
                {"resolution_breached", t.sla.breached}, {"alerts", alerts}};
    j["tasks"] = {{"due_today", t.tasks.today}, {"overdue", t.tasks.overdue}, {"reminders_due", t.tasks.reminders_now}};
    json sent = json::array();
    for (const auto& x : t.sent)
        sent.push_back({{"at", crm::format_iso8601(x.at)}, {"document_id", x.doc.id}, {"name", x.doc.name},
                        {"kind", crm::to_string(x.doc.kind)}, {"to", x.to}});
    j["documents_sent"] = sent;
    json changes = json::array();
    for (const auto& c : t.changes) changes.push_back(json::parse(crm::to_json(c.change)));
    j["recent_changes"] = changes;
    return j;
}

void print_tour_csv(const tour::Tour& t) {
    Table out{{"section", "key", "value"}, {}};
    for (const auto& c : t.counts) out.rows.push_back({"count", c.kind, std::to_string(c.n)});
    out.rows.push_back({"count", "history", std::to_string(t.history)});
    for (const auto& [k, v] : t.contacts_by_stage) out.rows.push_back({"contact_stage", k, std::to_string(v)});
    for (const auto& r : t.stages)
        out.rows.push_back({"deal_stage", fmt::format("{}/{}", r.pipeline, r.stage), std::to_string(r.deals)});
    for (const auto& [k, v] : t.lost_reasons) out.rows.push_back({"lost_reason", k, std::to_string(v)});
    out.rows.push_back({"sla", "open", std::to_string(t.sla.open)});
    out.rows.push_back({"sla", "resolution_met", std::to_string(t.sla.met)});
    out.rows.push_back({"sla", "resolution_breached", std::to_string(t.sla.breached)});
    out.rows.push_back({"sla", "alerts", std::to_string(t.sla.alerts.size())});
    out.rows.push_back({"tasks", "due_today", std::to_string(t.tasks.today)});
    out.rows.push_back({"tasks", "overdue", std::to_string(t.tasks.overdue)});
    out.rows.push_back({"tasks", "reminders_due", std::to_string(t.tasks.reminders_now)});
    print_csv(out);
}
}  // namespace

int cmd_demo(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"size", true}, {"seed", true}, {"now", true}, {"force", false}, {"quiet", false}});
    a.expect_positional(0, 0);
    Size size = parse_size(a.get("size").value_or("small"));
    if (auto s = a.get("seed")) {
        auto v = parse_int(*s, "--seed");
        if (v < 0) invalid_input("--seed: must not be negative");
        size.options.seed = static_cast<std::uint64_t>(v);
    }
    if (auto v = a.get("now")) size.options.now = parse_time(*v, "--now");
    prepare_file(ctx.db_path, a.has("force"));
    auto& db = ctx.open(/*create=*/true);

    // Progress on stderr: a live line on a terminal, else a line per 10% for big runs.
    const bool tty = isatty(STDERR_FILENO) != 0 && !a.has("quiet");
    const bool lines = !tty && !a.has("quiet") && size.options.contacts >= 20000;
    int last_step = -1;
    auto progress = [&](std::size_t done, std::size_t total) {
        if (total == 0) return;
        const int pct = static_cast<int>(done * 100 / total);
        if (tty) {
            fmt::print(stderr, "\rcreating sample company: {:3}% ({}/{})", pct, done, total);
            std::fflush(stderr);
        } else if (lines && pct / 10 != last_step) {
            last_step = pct / 10;
            fmt::print(stderr, "creating sample company: {}% ({}/{})\n", pct, done, total);
        }
    };
    auto summary = crm::sample::populate(db, size.options, progress);
    if (tty) fmt::print(stderr, "\r\033[K");
    if (!summary) raise(summary.error());

    const tour::Tour t = tour::gather(db, summary.value());
    if (ctx.format == Format::as_json) {
        print_json_doc(tour_json(ctx, size, t).dump());
    } else if (ctx.format == Format::as_csv) {
        print_tour_csv(t);
    } else {
        print_tour(ctx, size, t);
    }
    return exit_ok;
}

std::string demo_usage() {
    return "usage: crm demo [--size small|medium|large|N] [--seed S] [--now TIME] [--force] [--quiet] [--db FILE]\n\n"
           "Creates a deterministic sample company in a fresh database — people and companies\n"
           "(Japanese with readings, and Western), products, campaigns, two pipelines with deals\n"
           "in every stage, months of calls, meetings, e-mails with tracking and web visits,\n"
           "tickets under SLAs on a Japanese business calendar, tasks with reminders, documents\n"
           "sent — and prints a short tour of it. Its history ends now, or at --now TIME\n"
           "(ISO-8601); the same seed, size and --now always give the same database.\n\n"
           "  small   5 users, 20 accounts, 200 contacts, 40 deals, 30 tickets (default)\n"
           "  medium  20 users, 200 accounts, 5,000 contacts, 600 deals, 400 tickets\n"
           "  large   100 users, 2,000 accounts, 100,000 contacts, 8,000 deals, 5,000 tickets\n"
           "  N       N contacts, N/25 accounts, N/50 users (at most 500), 11 + N/8 deals, 4 + N/12 tickets\n\n"
           "An existing non-empty file is never replaced without --force. Progress goes to\n"
           "stderr (a live line on a terminal); --quiet turns it off.\n";
}

}  // namespace cli
