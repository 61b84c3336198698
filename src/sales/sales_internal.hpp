// Private: what the sales area's files share — its kinds' descriptors and the
// checks its rules are written with.
#pragma once

#include "crm/sales.hpp"
#include "customers/customers.hpp"
#include "records/descriptor.hpp"

namespace crm::records {
template <> const KindDef<Product>& kind_def<Product>() noexcept;
template <> const KindDef<Campaign>& kind_def<Campaign>() noexcept;
template <> const KindDef<Pipeline>& kind_def<Pipeline>() noexcept;
template <> const KindDef<Deal>& kind_def<Deal>() noexcept;
}  // namespace crm::records

namespace crm::sales {
// A date "YYYY-MM-DD" or empty.
result<void> check_date(const char* field, const std::string& d);
// A percentage 0..100.
result<void> check_percent(const std::string& field, std::int64_t p);
}  // namespace crm::sales
