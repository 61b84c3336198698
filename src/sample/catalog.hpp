// Private: what the sample company sells and says — its products and price list,
// pipelines, lost reasons, campaigns, web pages, and the curated Japanese (and
// English, for Western customers) phrases of its deals, calls, e-mails, tickets
// and tasks. All invented; every domain is under a reserved example name.
//
// The company: みらいクラウド株式会社 (mirai-cloud.example), a Tokyo vendor of
// cloud software for attendance, expenses and workflow (勤怠管理・経費精算・ワークフロー).
// As in names.cpp, order matters: entries feed the seeded generator.
#pragma once

#include <cstdint>
#include <span>

#include "crm/sales.hpp"
#include "crm/tickets.hpp"

namespace crm::sample::catalog {

inline constexpr const char* kCompany = "みらいクラウド株式会社";
inline constexpr const char* kSite = "https://www.mirai-cloud.example";

// A phrase in Japanese and in English (for Western contacts and companies).
struct Text {
    const char* ja;
    const char* en;
    const char* pick(bool japanese) const noexcept { return japanese ? ja : en; }
};

struct ProductSeed {
    const char* name;
    const char* series;
    std::int64_t price;   // JPY, excluding consumption tax
    bool active;
    bool per_seat;        // licences per 10 users: the quantity follows the customer's size
    Text topic;           // what a deal about it is called: 勤怠管理システム
};

struct StageSeed {
    const char* name;
    std::int64_t probability;
    StageKind kind;
    Text activity;        // the subject of what brings a deal into this stage
};

struct PipelineSeed {
    const char* name;
    std::span<const StageSeed> stages;
};

struct CampaignSeed {
    const char* name;     // "{}" = 2026年7月
    CampaignChannel channel;
    std::int64_t cost;    // JPY
    const char* path;     // landing page under kSite
};

struct PageSeed {
    const char* path;     // under kSite
    const char* title;
    unsigned weight;
};

struct TicketSeed {
    Text subject;
    Text description;
    const char* category;            // custom field "category" of tickets
    TicketPriority priority;
};

std::span<const ProductSeed> products();
std::span<const PipelineSeed> pipelines();  // [0] new business, [1] renewals of existing customers
std::span<const char* const> lost_reasons();
std::span<const CampaignSeed> campaigns();
std::span<const char* const> competitors();
std::span<const PageSeed> pages();
std::span<const char* const> referrers();
std::span<const TicketSeed> tickets();
std::span<const Text> deal_names();          // "{}" = the main product's topic
std::span<const Text> follow_up_calls();
std::span<const Text> newsletter_subjects(); // "{}" = the month: 7月 / July
std::span<const Text> deal_tasks();
std::span<const Text> ticket_tasks();
std::span<const Text> account_tasks();
std::span<const Text> ticket_replies();
std::span<const char* const> meeting_channels();
std::span<const char* const> ticket_categories();  // the options of the "category" field
// The support desk's SLA policies (their calendar left unset): 標準 and プレミアム.
SlaPolicy sla_policy(bool premium);

}  // namespace crm::sample::catalog
