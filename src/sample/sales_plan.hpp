// Private: a deal as the sales planner plans it (plan_sales.cpp), and what
// happens around each of its stage changes (plan_sales_steps.cpp).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sample/world.hpp"

namespace crm::sample::sales {

struct Line {
    std::size_t product;  // catalogue index
    std::int64_t quantity;
    std::int64_t discount;
};

struct DealPlan {
    std::size_t index = 0;          // plan index of the deal
    std::size_t seq = 0;            // the d of the loop: document numbers
    std::size_t pipeline = 0;
    std::vector<std::size_t> path;  // stage indexes, first = the stage it is created in
    std::vector<Timestamp> times;   // when it entered each
    std::size_t account = 0;
    std::optional<std::size_t> contact, owner, campaign;
    bool ja = true;
    std::string name, competitor, lost_reason;
    std::int64_t seats = 10;
    std::vector<Line> lines;
    std::int64_t amount = 0;
};

// Nothing about a deal happens before it exists.
inline Timestamp after_create(const DealPlan& d, Timestamp t) { return std::max(t, d.times[0] + japan::kMinute); }

// An interaction about the deal (links: its contact, account and the deal; drafts hold plan indexes).
Interaction draft(const DealPlan& d, Timestamp t, const char* kind, Direction dir, std::string subject,
                  std::string body = {});
std::vector<RecordLink> links(const DealPlan& d);  // of its documents and tasks
// The calls, meetings, e-mails and documents around entering stage path[k] at times[k].
void plan_activity(World& w, Rng& r, const DealPlan& d, std::size_t k);

}  // namespace crm::sample::sales
