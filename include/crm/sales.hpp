// crm/sales.hpp — products, campaigns, pipelines with stages, deals.
//
//   auto p = db.pipelines().create({.name = "新規営業", .stages = {{.name = "初回訪問", .probability = 10}, …}});
//   crm::Deal d; d.name = "基幹システム刷新"; d.pipeline_id = …; d.stage_id = …;
//   d.amount = {12'000'000, "JPY"};
//   crm::Id id = db.deals().create(d).value();
//   db.deals().move(id, won_stage_id);          // closes the deal, records the stage change
//
// Money is integer minor units + ISO-4217 code (JPY has no minor unit: 1 = ¥1).
// See docs/sales.md for the rules (discounts, rounding, reopening, deletes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crm/db.hpp"
#include "crm/json.hpp"
#include "crm/types.hpp"

namespace crm {

// ---- products -------------------------------------------------------------
struct Product {
    Id id = 0;
    std::string external_id;   // optional, unique
    std::string name;          // required: 勤怠管理クラウド
    std::string series;        // series / category: クラウドシリーズ
    Money list_price{0, "JPY"};  // amount >= 0, currency required
    bool active = true;
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

// ---- campaigns / lead sources -----------------------------------------------
enum class CampaignChannel { seminar, web, ads, email, referral, other };
const char* to_string(CampaignChannel c) noexcept;
std::optional<CampaignChannel> campaign_channel_from_string(const std::string& s) noexcept;

struct Campaign {
    Id id = 0;
    std::string external_id;
    std::string name;                  // required: 秋の DX セミナー
    CampaignChannel channel = CampaignChannel::other;
    std::string start_date, end_date;  // "YYYY-MM-DD" or empty; end >= start
    Money cost{0, "JPY"};              // amount >= 0
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

// ---- pipelines and stages ----------------------------------------------------
enum class StageKind { open, won, lost };
const char* to_string(StageKind k) noexcept;
std::optional<StageKind> stage_kind_from_string(const std::string& s) noexcept;

struct Stage {
    Id id = 0;                 // 0 = new stage (an id is assigned when stored)
    std::string name;          // required, unique within the pipeline
    std::int64_t probability = 0;  // default win probability, 0..100
    StageKind kind = StageKind::open;
    friend bool operator==(const Stage&, const Stage&) = default;
};

struct Pipeline {
    Id id = 0;
    std::string external_id;
    std::string name;          // required
    std::vector<Stage> stages; // in order; at least one. On update, stages are matched by id;
                               // a stage left out is deleted (refused while a deal is in it).
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

// ---- deals ----------------------------------------------------------------
enum class DealStatus { open, won, lost };  // derived from the stage's kind
const char* to_string(DealStatus s) noexcept;

struct LineItem {
    Id product_id = 0;             // required, an existing product
    std::int64_t quantity = 1;     // > 0
    Money unit_price{0, ""};       // amount >= 0; currency must equal the deal's (empty = the deal's)
    std::int64_t discount = 0;     // an AMOUNT in minor units off this line, 0..quantity*unit_price
    std::string note;
    std::int64_t total() const noexcept { return quantity * unit_price.amount - discount; }
    friend bool operator==(const LineItem&, const LineItem&) = default;
};

struct Deal {
    Id id = 0;
    std::string external_id;
    std::string name;                       // required: 基幹システム刷新
    Id pipeline_id = 0;                     // required
    Id stage_id = 0;                        // required; must belong to pipeline_id
    Money amount{0, "JPY"};                 // >= 0; with line items always the sum of the line totals
    std::string expected_close_date;        // "YYYY-MM-DD" or empty
    std::optional<Id> owner_id;             // a user
    std::optional<Id> account_id;
    std::optional<Id> contact_id;           // primary contact
    std::optional<Id> campaign_id;          // the campaign that brought it
    std::vector<LineItem> line_items;
    std::optional<std::int64_t> probability;  // override 0..100; unset = the stage's default
    Timestamp closed_at = 0;                // set when moved to a won/lost stage; 0 while open
    std::string lost_reason;                // required in a lost stage; from the lost-reason catalogue
    DealStatus status = DealStatus::open;   // read-only: follows the stage's kind
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

struct StageChange {
    Id id = 0;
    Id deal_id = 0;
    std::optional<Id> from_stage_id;  // empty for the deal's first stage
    Id to_stage_id = 0;
    Timestamp at = 0;
    std::optional<Id> actor_id;
    std::int64_t time_in_stage_ms = 0;  // until the next change, or until now (Db clock) for the current one
};

struct LostReason {
    Id id = 0;
    std::string name;
    Timestamp created_at = 0;
};

// amount × probability / 100, rounded half away from zero, exact (128-bit intermediate).
std::int64_t weighted_amount(std::int64_t amount, std::int64_t probability_percent) noexcept;

class Products : public Records<Product> {
public:
    using Records::Records;
};

class Campaigns : public Records<Campaign> {
public:
    using Records::Records;
    result<std::vector<Deal>> deals(Id campaign_id) noexcept;      // deals with this campaign_id
    result<std::vector<Contact>> contacts(Id campaign_id) noexcept;  // contacts whose lead_source = its name
};

class Pipelines : public Records<Pipeline> {
public:
    using Records::Records;
    result<std::vector<Stage>> stages(Id pipeline_id) noexcept;
};

class Deals : public Records<Deal> {
public:
    using Records::Records;
    // Moves a deal to another stage of its pipeline: won/lost sets closed_at (lost needs a
    // catalogued reason), an open stage reopens (clears closed_at and lost_reason).
    // at: when the deal entered the stage, for history brought from elsewhere
    // (default now); never in the future, never before the deal's latest stage
    // change (errc::invalid_argument, field "at"). A won/lost stage's closed_at is at.
    result<void> move(Id deal_id, Id stage_id, const std::optional<std::string>& lost_reason = std::nullopt,
                      std::optional<Timestamp> at = std::nullopt) noexcept;
    result<std::vector<StageChange>> stage_history(Id deal_id) noexcept;  // oldest first
    // The deal's amount weighted by its probability (override, else the stage's default).
    result<Money> weighted(Id deal_id) noexcept;
    result<Id> define_lost_reason(const std::string& name) noexcept;
    result<std::vector<LostReason>> lost_reasons() noexcept;
};

std::string to_json(const StageChange& v);
std::string to_json(const LostReason& v);

extern template class Records<Product>;
extern template class Records<Campaign>;
extern template class Records<Pipeline>;
extern template class Records<Deal>;

}  // namespace crm
