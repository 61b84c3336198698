// Private: products, campaigns, pipelines, deals as JSON documents and back (strict).
#pragma once
#include <nlohmann/json.hpp>

#include "crm/sales.hpp"

namespace crm::sales_json {

using nlohmann::json;

json doc(const Product& v);
json doc(const Campaign& v);
json doc(const Pipeline& v);
json doc(const Deal& v);
json doc(const StageChange& v);
json doc(const LostReason& v);

result<Product> parse_product(const json& j) noexcept;
result<Campaign> parse_campaign(const json& j) noexcept;
result<Pipeline> parse_pipeline(const json& j) noexcept;
result<Deal> parse_deal(const json& j) noexcept;

}  // namespace crm::sales_json
