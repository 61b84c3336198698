// Schema migration for tickets, status history, SLA policies, business calendars (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kServiceSchema;
const char* const kServiceSchema = R"sql(
SELECT 1;
)sql";

}  // namespace crm::detail
