// demo_tour.hpp — what `crm demo` shows of the company it built: gathered from
// the database through the public API only (demo_tour.cpp), then printed as a
// short tour, one JSON document or CSV rows (cmd_demo.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crm/crm.hpp"
#include "crm/sample.hpp"

namespace cli::tour {

struct Count {
    std::string kind;        // "deals"
    std::int64_t n = 0;
    std::string note;        // "1,548 e-mail events"
};

struct StageRow {
    std::string pipeline, stage, kind;
    crm::Id pipeline_id = 0, stage_id = 0;
    std::int64_t deals = 0, amount = 0, weighted = 0;  // JPY
};

struct DealStory {
    crm::Deal deal;
    std::string account;
    std::vector<std::pair<std::string, std::int64_t>> path;  // stage name, days in it
};

struct TimelineRow {
    crm::Id id = 0;
    crm::Timestamp at = 0;
    std::string kind, direction, subject, tracking;  // tracking: "delivered, opened, clicked"
};

struct Timeline {
    crm::Entity entity = crm::Entity::contact;
    crm::Id id = 0;
    std::string name, detail;  // 山田 太郎, 株式会社… / 株式会社…, 8 contacts
    std::vector<TimelineRow> rows;
};

struct Sla {
    std::vector<std::string> policies;
    std::string calendar;
    std::size_t holidays = 0;        // days off on weekdays in the calendar's current year
    std::int64_t tickets = 0, open = 0, done = 0, met = 0, breached = 0;  // resolution clocks of done tickets
    std::vector<crm::SlaAlert> alerts;  // breached or due within 8 hours
};

struct TaskRow {
    crm::Task task;
    std::string assignee, about;  // about: "deal 12", "ticket 3"
};

struct Tasks {
    std::int64_t today = 0, overdue = 0, reminders_now = 0;
    std::vector<TaskRow> rows;     // overdue first, then today's
    std::vector<TaskRow> upcoming;  // the next reminders
};

struct Sent {
    crm::Timestamp at = 0;
    crm::Document doc;
    std::string to;
};

struct ChangeRow {
    crm::Change change;
    std::string by, what;  // what: "created: 請求書の再発行依頼", "status: open → pending"
};

struct HotLead {
    crm::Score score;
    std::string name, account;
};

struct ModelLeads {
    std::string model;
    int version = 0;
    std::vector<HotLead> top;  // the three hottest
};

struct FormStory {
    std::string form, title, model, name;
    crm::Id contact_id = 0;  // 0: no contact to tell the story with
    std::vector<std::string> changed, kept;
    std::int64_t before = 0, after = 0;  // the model's stored total around the submission
};

struct SegmentCount {
    std::string name, definition;
    std::int64_t contacts = 0;
};

struct HandoffRow {
    crm::Handoff handoff;
    std::string contact, owner;
};

struct Leads {
    crm::sample::LeadSetup setup;
    std::vector<ModelLeads> models;
    std::string explained_name;
    std::optional<crm::Explanation> explained;  // the first model's hottest lead
    std::vector<std::pair<std::string, std::int64_t>> crossed;  // threshold, contacts that entered
    std::string dry_change;
    crm::DryRunResult dry;  // at 60 points; changes sorted by new total, highest first
    std::map<crm::Id, std::string> dry_names;  // contacts that would cross
    std::vector<SegmentCount> segments;
    std::vector<HandoffRow> handoffs;  // the routing's hand-offs, oldest first
    FormStory form;
};

// demo_quality.cpp: business cards imported, the duplicate they made found and merged,
// a Japanese search.
struct Card {
    std::string name, reading, company, title, email, phone;  // as on the card
    std::string note;      // why this card is in the stack: "the e-mail of contact 12 in capitals"
    std::string outcome;   // after the import: "updated contact 12", "created contact 205"
    crm::Id contact_id = 0;
};

struct QualitySearch {
    std::string query, what;  // what: "a family name (2 characters: the short-query index)"
    std::vector<crm::SearchHit> hits;  // the top 3
};

struct Quality {
    std::string source;       // the batch's source name
    std::string mapping;      // the mapping's JSON
    std::vector<Card> cards;
    crm::import::Report report;
    crm::Id existing_id = 0;  // the sample contact the card duplicates (the survivor)
    crm::Id card_id = 0;      // the record the card created (merged away)
    std::string person;       // their name
    int min_score = 60;
    std::size_t pairs = 0;    // candidate pairs at min_score, before the merge
    std::optional<crm::DuplicatePair> pair;
    std::optional<crm::Merge> merge;
    std::string read_merged;  // what reading the merged-away id says
    std::optional<crm::Id> merged_into;
    std::vector<QualitySearch> searches;
};

struct Tour {
    crm::sample::Summary summary;
    std::vector<Count> counts;
    std::int64_t history = 0;
    std::vector<std::pair<std::string, std::int64_t>> contacts_by_stage;
    std::vector<StageRow> stages;
    std::vector<std::pair<std::string, std::int64_t>> lost_reasons;
    std::optional<DealStory> deal;
    std::optional<Timeline> contact, account;
    Sla sla;
    Tasks tasks;
    std::vector<Sent> sent;
    std::vector<ChangeRow> changes;
    std::optional<Leads> leads;
    std::optional<Quality> quality;
};

Tour gather(crm::Db& db, const crm::sample::Summary& summary);

// demo_leads.cpp: a document request through the sample's form, at `at` (writes);
// then the models', thresholds' and segments' view of the company (reads only).
FormStory submit_sample_form(crm::Db& db, const crm::sample::LeadSetup& setup, crm::Timestamp at);
Leads gather_leads(crm::Db& db, const crm::sample::LeadSetup& setup);

// demo_quality.cpp: imports a stack of business cards made from the sample's own
// people (one of them already known by e-mail, one the same person with a new
// address), finds the duplicate that made and merges it into the older record, then
// searches in Japanese (writes, at the clock set by the caller). std::nullopt, with
// nothing written, when the sample has too few Japanese contacts at companies.
std::optional<Quality> run_quality(crm::Db& db, crm::Id avoid_contact);

// "2026-11-24 10:05" in JST (the sample company's zone).
std::string jst(crm::Timestamp t);
std::string yen(std::int64_t amount);  // "¥1,234,000"
std::string thousands(std::int64_t n);  // "12,345"

}  // namespace cli::tour
