// demo_tour.hpp — what `crm demo` shows of the company it built: gathered from
// the database through the public API only (demo_tour.cpp), then printed as a
// short tour, one JSON document or CSV rows (cmd_demo.cpp).
#pragma once

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
};

Tour gather(crm::Db& db, const crm::sample::Summary& summary);

// "2026-11-24 10:05" in JST (the sample company's zone).
std::string jst(crm::Timestamp t);
std::string yen(std::int64_t amount);  // "¥1,234,000"
std::string thousands(std::int64_t n);  // "12,345"

}  // namespace cli::tour
