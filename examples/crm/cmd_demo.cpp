// cmd_demo.cpp — `crm demo`: a deterministic sample company in a fresh database
// (crm::sample::populate: months of deals, interactions, tickets, tasks and
// documents), then a short tour of it, each part with the command that shows it.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <map>

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

std::string points(std::int64_t milli) { return crm::scoring_points_text(milli); }

// What one contribution is made of: "2 visits, decayed ×0.71", "3 of 5 (cap_total skipped 2)".
std::string contribution_detail(const crm::Contribution& c) {
    if (c.occurrences.empty()) return c.part == "gate" ? "disqualifies" : "";
    std::size_t counted = 0;
    std::map<std::string, std::size_t> skipped;
    std::int64_t lowest = 1000000;
    for (const auto& o : c.occurrences) {
        if (o.skipped.empty()) {
            ++counted;
            lowest = std::min(lowest, o.factor);
        } else {
            ++skipped[o.skipped];
        }
    }
    std::string out = counted == c.occurrences.size()
                          ? fmt::format("{} occurrence{}", counted, counted == 1 ? "" : "s")
                          : fmt::format("{} of {} occurrences", counted, c.occurrences.size());
    for (const auto& [cap, n] : skipped) out += fmt::format(", {} skipped by {}", n, cap);
    if (lowest < 1000000) out += fmt::format(", decay down to ×{:.2f}", static_cast<double>(lowest) / 1e6);
    if (!c.cap.empty()) out += fmt::format(", cut by {}", c.cap);
    return out;
}

void print_leads(const tour::Leads& l) {
    heading(fmt::format("lead scoring: {} models, the hottest leads", l.models.size()),
            fmt::format("crm score top --model {}", l.models.empty() ? "M" : l.models.front().model));
    Table top{{"model", "version", "contact", "account", "total", "grade", "trend"}, {}};
    for (const auto& m : l.models)
        for (std::size_t i = 0; i < m.top.size(); ++i) {
            const auto& h = m.top[i];
            top.rows.push_back({i == 0 ? m.model : "", i == 0 ? std::to_string(m.version) : "", h.name, h.account,
                                points(h.score.total), h.score.grade, crm::to_string(h.score.trend)});
        }
    align_right(top, 4);
    print_table(top, 30);

    if (l.explained) {
        const auto& e = *l.explained;
        heading(fmt::format("why {} scores {} on {}", l.explained_name, points(e.score.total), e.score.model),
                fmt::format("crm score explain {} --model {}", e.score.contact_id, e.score.model));
        Table ex{{"rule", "part", "points", "made of"}, {}};
        for (const auto& c : e.contributions) ex.rows.push_back({c.rule, c.part, points(c.points), contribution_detail(c)});
        if (e.adjustment != 0) ex.rows.push_back({e.adjustment_reason, "limit", points(e.adjustment), "the model's limits"});
        ex.rows.push_back({"= total", "", points(e.score.total),
                           fmt::format("fit {} + engagement {}, grade {}", points(e.score.fit), points(e.score.engagement),
                                       e.score.grade)});
        align_right(ex, 2);
        print_table(ex, 60);
    }

    std::string crossed;
    for (const auto& [name, n] : l.crossed) crossed += fmt::format("{}{}: {} entered", crossed.empty() ? "" : " · ", name, n);
    if (!crossed.empty())
        heading(fmt::format("thresholds (enter 60, leave below 50, move to mql): {}", crossed),
                fmt::format("crm threshold crossings \"{}\"", l.crossed.front().first));

    if (!l.handoffs.empty()) {
        heading(fmt::format("hand-offs by {}: {} leads routed", l.setup.routing, l.handoffs.size()),
                fmt::format("crm routing handoffs {}", l.handoffs.front().handoff.contact_id));
        Table ho{{"contact", "owner", "why", "follow-up due (JST)", "on"}, {}};
        for (const auto& h : l.handoffs) {
            const auto& x = h.handoff;
            ho.rows.push_back({h.contact, x.status == "routed" ? h.owner : "failed: " + x.error,
                               x.rule.empty() ? x.reason : fmt::format("{} ({})", x.rule, x.reason),
                               x.due_at ? tour::jst(x.due_at) : "", x.trigger});
        }
        print_table(ho, 40);
    }

    if (!l.dry.model.empty()) {
        std::size_t crossing = 0;
        for (const auto& c : l.dry.changes) crossing += c.crossed.empty() ? 0 : 1;
        heading(fmt::format("dry run on {}, {}: {} of {} totals would change, {} cross 60 (nothing written)",
                            l.dry.model, l.dry_change, l.dry.changed, l.dry.contacts, crossing),
                "crm score dry-run --from-json FILE --threshold 60");
        Table dr{{"contact", "id", "total now", "would be", "crossing"}, {}};
        for (const auto& c : l.dry.changes) {
            if (c.crossed.empty()) continue;
            if (dr.rows.size() == 5) break;
            std::string cr;
            for (const auto& x : c.crossed) cr += (cr.empty() ? "" : ", ") + x;
            auto it = l.dry_names.find(c.contact_id);
            dr.rows.push_back({it == l.dry_names.end() ? "" : it->second, std::to_string(c.contact_id),
                               points(c.old_total), points(c.new_total), cr});
        }
        align_right(dr, 2);
        align_right(dr, 3);
        if (!dr.rows.empty()) print_table(dr, 30);
    }

    const auto& f = l.form;
    if (f.contact_id != 0) {
        heading(fmt::format("a document request through the form {}", f.title),
                fmt::format("crm form submit {} --field email=… · crm form touches {}", f.form, f.contact_id));
        std::string changed, kept;
        for (const auto& x : f.changed) changed += (changed.empty() ? "" : ", ") + x;
        for (const auto& x : f.kept) kept += (kept.empty() ? "" : ", ") + x;
        fmt::print("  {} (contact {}) sent it again: added or changed {}", f.name, f.contact_id,
                   changed.empty() ? "nothing" : changed);
        if (!kept.empty()) fmt::print("; kept the known {} (the form keeps known values)", kept);
        fmt::print("\n  {} score {} → {}\n", f.model, points(f.before), points(f.after));
    }

    if (!l.segments.empty()) {
        heading("saved segments", "crm segment count NAME");
        Table sg{{"segment", "contacts", "definition"}, {}};
        for (const auto& s : l.segments) sg.rows.push_back({s.name, std::to_string(s.contacts), s.definition});
        print_table(sg, 70);
    }
}

std::string relations_text(const crm::Merge& m) {
    std::string out;
    for (const auto& r : m.relations)
        if (r.count > 0) out += fmt::format("{}{} {}.{}", out.empty() ? "" : ", ", r.count, r.kind, r.field);
    return out.empty() ? "none (the card's record had no history yet)" : out;
}

void print_quality(const tour::Quality& q) {
    const auto& r = q.report;
    heading(fmt::format("business cards (名刺) imported: {} rows, {} created, {} updated, {} compan{} created", r.rows,
                        r.created, r.updated, r.references_created, r.references_created == 1 ? "y" : "ies"),
            fmt::format("crm import list · crm import show {}", r.batch_id));
    Table cards{{"name", "company (as on the card)", "email", "result"}, {}};
    for (const auto& c : q.cards) cards.rows.push_back({c.name, c.company, c.email, c.outcome});
    print_table(cards, 48);
    fmt::print("\n  batch {} from {}: matched on e-mail and phone, on duplicate update\n  undo: crm import undo {}{}\n",
               r.batch_id, q.source, r.batch_id,
               q.merge ? fmt::format(" (once the merge below is undone: crm dedup undo {})", q.merge->id) : "");

    heading(fmt::format("duplicates: {} candidate pair{} at score {} or more", q.pairs, q.pairs == 1 ? "" : "s",
                        q.min_score),
            fmt::format("crm dedup find contact --min-score {}", q.min_score));
    if (q.pair && q.merge) {
        std::string reasons;
        for (const auto& x : q.pair->reasons) reasons += (reasons.empty() ? "" : ", ") + x;
        Table pt{{"a", "b", "score", "reasons", "who"}, {}};
        pt.rows.push_back({std::to_string(q.pair->a), std::to_string(q.pair->b), std::to_string(q.pair->score), reasons,
                           q.person});
        print_table(pt, 50);
        const auto& m = *q.merge;
        std::string fields;
        for (const auto& f : m.fields) fields += fmt::format("{}{} ({})", fields.empty() ? "" : ", ", f.field, f.source);
        heading(fmt::format("merged contact {} into {} (the older record), merge {}", m.merged_id, m.survivor_id, m.id),
                "crm dedup merges");
        fmt::print("  fields: {}\n  re-pointed: {}\n", fields.empty() ? "none" : fields, relations_text(m));
        fmt::print("  crm contact get {} → {}; undo: crm dedup undo {}\n", m.merged_id, q.read_merged, m.id);
    } else {
        fmt::print("  the cards made no duplicate pair at this score\n");
    }

    heading("search in Japanese", fmt::format("crm search {}", q.searches.empty() ? "田中" : q.searches.front().query));
    Table st{{"query", "kind", "id", "title", "snippet"}, {}};
    for (const auto& s : q.searches) {
        if (s.hits.empty()) st.rows.push_back({s.query, "", "", "(no hits)", ""});
        for (std::size_t i = 0; i < s.hits.size(); ++i)
            st.rows.push_back({i == 0 ? s.query : "", crm::entity_name(s.hits[i].kind), std::to_string(s.hits[i].id),
                               s.hits[i].title, s.hits[i].snippet});
    }
    print_table(st, 40);
    fmt::print("\n");
    for (const auto& s : q.searches) fmt::print("  {}: {}\n", s.query, s.what);
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

    if (t.leads) print_leads(*t.leads);
    if (t.quality) print_quality(*t.quality);

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
    if (t.leads) {
        const auto& l = *t.leads;
        json models = json::array();
        for (const auto& m : l.models) {
            json top = json::array();
            for (const auto& h : m.top) {
                json sc = json::parse(crm::to_json(h.score));
                sc["name"] = h.name;
                sc["account"] = h.account;
                top.push_back(sc);
            }
            models.push_back({{"model", m.model}, {"version", m.version}, {"top", top}});
        }
        json crossed = json::object();
        for (const auto& [name, n] : l.crossed) crossed[name] = n;
        json segments = json::array();
        for (const auto& sg : l.segments)
            segments.push_back({{"name", sg.name}, {"definition", sg.definition}, {"contacts", sg.contacts}});
        json handoffs = json::array();
        for (const auto& h : l.handoffs)
            handoffs.push_back({{"id", h.handoff.id}, {"contact_id", h.handoff.contact_id}, {"owner_id", h.handoff.owner_id},
                                {"rule", h.handoff.rule}, {"reason", h.handoff.reason}, {"status", h.handoff.status},
                                {"due_at", crm::format_iso8601(h.handoff.due_at)}, {"trigger", h.handoff.trigger}});
        json leads = {{"models", models}, {"entered", crossed}, {"segments", segments}, {"form", l.setup.form},
                      {"routing", l.setup.routing}, {"handoffs", handoffs},
                      {"dry_run_change", l.dry_change}};
        if (l.explained) leads["explained"] = json::parse(crm::to_json(*l.explained));
        if (!l.dry.model.empty()) leads["dry_run"] = json::parse(crm::to_json(l.dry));
        if (l.form.contact_id != 0)
            leads["form_submission"] = {{"contact_id", l.form.contact_id}, {"changed", l.form.changed},
                                        {"kept", l.form.kept}, {"model", l.form.model},
                                        {"before", crm::scoring_points_text(l.form.before)},
                                        {"after", crm::scoring_points_text(l.form.after)}};
        j["leads"] = leads;
    }
    if (t.quality) {
        const auto& q = *t.quality;
        const auto& r = q.report;
        json cards = json::array();
        for (const auto& c : q.cards)
            cards.push_back({{"name", c.name}, {"reading", c.reading}, {"company", c.company}, {"title", c.title},
                             {"email", c.email}, {"phone", c.phone}, {"note", c.note}, {"contact_id", c.contact_id},
                             {"result", c.outcome}});
        json quality = {
            {"import", {{"batch_id", r.batch_id}, {"source", q.source}, {"rows", r.rows}, {"created", r.created},
                        {"updated", r.updated}, {"unchanged", r.unchanged}, {"skipped", r.skipped},
                        {"rejected", r.rejected}, {"references_created", r.references_created},
                        {"source_sha256", r.source_sha256}, {"cards", cards}}},
            {"duplicates", {{"min_score", q.min_score}, {"pairs", q.pairs}}}};
        if (q.pair) quality["duplicates"]["pair"] = json::parse(crm::to_json(*q.pair));
        if (q.merge) {
            json m = json::parse(crm::to_json(*q.merge));
            m.erase("survivor");  // the whole document: `crm dedup show ID` has it
            m["read_merged"] = q.read_merged;
            m["merged_into"] = q.merged_into ? json(*q.merged_into) : json(nullptr);
            quality["merge"] = m;
        }
        json searches = json::array();
        for (const auto& sr : q.searches) {
            json hits = json::array();
            for (const auto& h : sr.hits)
                hits.push_back({{"kind", crm::entity_name(h.kind)}, {"id", h.id}, {"title", h.title},
                                {"snippet", h.snippet}});
            searches.push_back({{"query", sr.query}, {"what", sr.what}, {"hits", hits}});
        }
        quality["searches"] = searches;
        j["quality"] = quality;
    }
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
    if (t.leads) {
        for (const auto& m : t.leads->models)
            for (const auto& h : m.top)
                out.rows.push_back({"hot_lead", fmt::format("{}/{}", m.model, h.score.contact_id),
                                    crm::scoring_points_text(h.score.total)});
        for (const auto& [name, n] : t.leads->crossed) out.rows.push_back({"threshold_entered", name, std::to_string(n)});
        for (const auto& sg : t.leads->segments) out.rows.push_back({"segment", sg.name, std::to_string(sg.contacts)});
    }
    if (t.quality) {
        const auto& q = *t.quality;
        const auto& r = q.report;
        for (const auto& [k, v] : std::initializer_list<std::pair<const char*, std::uint64_t>>{
                 {"batch_id", static_cast<std::uint64_t>(r.batch_id)}, {"rows", r.rows}, {"created", r.created},
                 {"updated", r.updated}, {"rejected", r.rejected}, {"references_created", r.references_created}})
            out.rows.push_back({"import", k, std::to_string(v)});
        out.rows.push_back({"duplicates", "pairs", std::to_string(q.pairs)});
        if (q.pair) out.rows.push_back({"duplicates", fmt::format("{}/{}", q.pair->a, q.pair->b), std::to_string(q.pair->score)});
        if (q.merge) {
            out.rows.push_back({"merge", "id", std::to_string(q.merge->id)});
            out.rows.push_back({"merge", "survivor", std::to_string(q.merge->survivor_id)});
            out.rows.push_back({"merge", "merged", std::to_string(q.merge->merged_id)});
        }
        for (const auto& s : q.searches)
            for (const auto& h : s.hits)
                out.rows.push_back({"search", s.query, fmt::format("{} {}", crm::entity_name(h.kind), h.id)});
    }
    print_csv(out);
}
}  // namespace

int cmd_demo(Context& ctx, const Tokens& args) {
    Args a = parse_args(ctx, args, {{"size", true}, {"seed", true}, {"now", true}, {"force", false}, {"quiet", false},
                                    {"maven", true}});
    a.expect_positional(0, 0);
    if (auto dir = a.get("maven")) {
        if (a.has("size") || a.has("seed") || a.has("now")) bad_argument("--maven: the sample comes from its files (no --size, --seed, --now)");
        prepare_file(ctx.db_path, a.has("force"));
        return demo_maven(ctx, *dir);
    }
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

    // Lead management on top (crm::sample::setup_leads), and one document request
    // through its form, both at the end of the history.
    auto setup = crm::sample::setup_leads(db, summary.value().now);
    if (!setup) raise(setup.error());
    // The tour reads at the end of the history too, so --now gives the same tour.
    const crm::Timestamp end = summary.value().now;
    db.set_clock([end] { return end; });
    const tour::FormStory form = tour::submit_sample_form(db, setup.value(), end);
    // Data quality: business cards imported, the duplicate they made merged, a search.
    auto quality = tour::run_quality(db, form.contact_id);
    tour::Tour t = tour::gather(db, summary.value());
    t.leads = tour::gather_leads(db, setup.value());
    t.leads->form = form;
    t.quality = std::move(quality);
    db.set_clock({});
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
           "stderr (a live line on a terminal); --quiet turns it off.\n\n"
           "  --maven DIR  start instead from the Maven Analytics CRM sample (DIR holds its CSV\n"
           "               files, e.g. ../shared/data/maven-crm) brought in through crm import with\n"
           "               the mappings of examples/maven/: 85 accounts, 7 products, 41 users, 6\n"
           "               teams, 8,800 deals; the tour shows each import step and the figures.\n\n"
           "At the end of its history the tour also writes, as a user would: a document request\n"
           "through the sample's web form, then a stack of business cards (名刺) imported as\n"
           "one batch (one card a known contact's e-mail in capitals: updated; one the same\n"
           "person with a new address: created, found as a duplicate and merged into the older\n"
           "record), and it searches in Japanese. The commands to see or undo each are shown.\n";
}

}  // namespace cli
