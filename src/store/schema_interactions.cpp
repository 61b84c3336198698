// Schema migration for interactions, their links, email tracking events (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kInteractionsSchema;
const char* const kInteractionsSchema = R"sql(
SELECT 1;
)sql";

}  // namespace crm::detail
