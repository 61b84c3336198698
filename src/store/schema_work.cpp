// Schema migration for tasks, reminders, documents (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kWorkSchema;
const char* const kWorkSchema = R"sql(
SELECT 1;
)sql";

}  // namespace crm::detail
