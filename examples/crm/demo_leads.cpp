// demo_leads.cpp — the lead-management part of `crm demo`: a document request through
// the sample's web form (the one write of the tour), then what the scoring models,
// thresholds and segments of crm::sample::setup_leads say about the company, read
// back with the public API.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "demo_tour.hpp"

namespace cli::tour {

namespace {

std::string account_name(crm::Db& db, const std::optional<crm::Id>& id) {
    if (!id) return {};
    auto a = db.accounts().get(*id);
    return a ? a.value().name : std::string();
}

// The contact the tour's form story is about: the hottest lead of the first model who
// has an address and an employer, preferably no phone yet (the submission adds one).
std::optional<crm::Contact> form_visitor(crm::Db& db, const std::string& model) {
    crm::TopQuery q;
    q.limit = 200;
    auto top = db.scoring().top(model, q);
    if (!top) return std::nullopt;
    std::optional<crm::Contact> any;
    for (const auto& s : top.value().items) {
        auto c = db.contacts().get(s.contact_id);
        if (!c || c.value().emails.empty() || !c.value().account_id) continue;
        if (c.value().phones.empty()) return c.value();
        if (!any) any = c.value();
    }
    return any;
}

}  // namespace

FormStory submit_sample_form(crm::Db& db, const crm::sample::LeadSetup& setup, crm::Timestamp at) {
    FormStory story;
    auto form = must(db.forms().get_by_name(setup.form));
    story.form = form.name;
    story.title = form.title;
    const std::string model = setup.models.front();
    auto visitor = form_visitor(db, model);
    if (!visitor) return story;
    story.contact_id = visitor->id;
    story.name = visitor->name;
    story.before = must(db.scoring().stored(visitor->id, model)).total;
    // Someone who knows the contact fills the form in again: the same address and name,
    // a new title (this field overwrites), a department that differs from the one on
    // file (kept: the form's rule), and a phone number the CRM did not have.
    crm::FormValues v{{"email", visitor->emails.front().address},
                      {"name", visitor->name},
                      {"title", visitor->title == "部長" ? "執行役員" : "部長"},
                      {"department", visitor->department.empty() ? "人事部" : visitor->department + "（兼務）"},
                      {"tel", "03-6555-0142"},
                      {"company", account_name(db, visitor->account_id)}};
    crm::SubmitMeta meta;
    meta.at = at;
    meta.utm_source = "google";
    meta.utm_medium = "cpc";
    meta.utm_campaign = "勤怠DX";
    meta.url = "https://www.mirai-cloud.example/download/attendance-guide";
    auto r = must(db.forms().submit(form.id, v, meta));
    story.changed = r.changed;
    story.kept = r.kept;
    story.after = must(db.scoring().stored(visitor->id, model)).total;
    story.model = model;
    return story;
}

Leads gather_leads(crm::Db& db, const crm::sample::LeadSetup& setup) {
    Leads out;
    out.setup = setup;
    for (const auto& name : setup.models) {
        ModelLeads m;
        m.model = name;
        m.version = must(db.scoring().get(name)).version;
        crm::TopQuery q;
        q.limit = 3;
        for (const auto& s : must(db.scoring().top(name, q)).items) {
            auto c = must(db.contacts().get(s.contact_id));
            m.top.push_back({s, c.name, account_name(db, c.account_id)});
        }
        out.models.push_back(std::move(m));
    }
    // The hottest lead of the first model, explained rule by rule.
    if (!out.models.empty() && !out.models.front().top.empty()) {
        const auto& hot = out.models.front().top.front();
        out.explained_name = hot.name;
        out.explained = must(db.scoring().explain(hot.score.contact_id, out.models.front().model));
    }
    for (const auto& t : setup.thresholds) {
        std::int64_t entered = 0;
        for (const auto& c : must(db.thresholds().crossings(t)))
            if (c.entered) ++entered;
        out.crossed.emplace_back(t, entered);
    }
    // A model change tried first: the DX seminar worth 40 points instead of 30.
    if (!setup.models.empty()) {
        const std::string& name = setup.models.front();
        auto doc = nlohmann::json::parse(must(db.scoring().get(name)).definition);
        for (auto& rule : doc["behaviour"])
            if (rule.value("id", "") == "dx_seminar") rule["points"] = 40;
        out.dry_change = "the DX seminar at 40 points, not 30";
        out.dry = must(db.scoring().dry_run(doc.dump(), {60}, 1000));
        std::sort(out.dry.changes.begin(), out.dry.changes.end(),
                  [](const crm::DryRunChange& a, const crm::DryRunChange& b) {
                      return std::tie(b.new_total, a.contact_id) < std::tie(a.new_total, b.contact_id);
                  });
        for (const auto& c : out.dry.changes)
            if (!c.crossed.empty()) out.dry_names.emplace(c.contact_id, must(db.contacts().get(c.contact_id)).name);
    }
    // The hand-offs of the contacts who entered a threshold (the routing is attached to both).
    if (!setup.routing.empty()) {
        std::set<crm::Id> seen;
        for (const auto& t : setup.thresholds)
            for (const auto& c : must(db.thresholds().crossings(t))) {
                if (!c.entered || !seen.insert(c.contact_id).second) continue;
                for (auto& h : must(db.routing().handoffs(c.contact_id))) {
                    std::string owner;
                    if (h.owner_id != 0) {
                        auto u = db.users().get(h.owner_id);
                        owner = u ? u.value().name : fmt::format("user {}", h.owner_id);
                    }
                    out.handoffs.push_back({std::move(h), must(db.contacts().get(c.contact_id)).name, owner});
                }
            }
        std::sort(out.handoffs.begin(), out.handoffs.end(),
                  [](const HandoffRow& a, const HandoffRow& b) { return a.handoff.id < b.handoff.id; });
    }
    for (const auto& s : setup.segments) {
        auto seg = must(db.segments().get_by_name(s));
        out.segments.push_back({s, seg.definition, must(db.segments().count(seg.id))});
    }
    return out;
}

}  // namespace cli::tour
