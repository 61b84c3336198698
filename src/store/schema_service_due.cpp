// Schema migration: stored SLA deadlines on tickets, so that Tickets::breaching() is
// an index range scan instead of computing every open ticket's due times per call
// (see migrations.cpp for its version number; docs/tickets.md, "SLA policies").
// Never edit once released: append a new migration instead.
//
// sla_first_response_due_at / sla_resolution_due_at hold the clock's due time while an
// alert can come from it and are NULL otherwise (store::TicketDue in service_store.hpp).
// The partial indexes hold only the tickets that have one.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kServiceDueSchema;
const char* const kServiceDueSchema = R"sql(
ALTER TABLE tickets ADD COLUMN sla_first_response_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_resolution_due_at INTEGER;
CREATE INDEX tickets_sla_first_response_due ON tickets(sla_first_response_due_at)
  WHERE sla_first_response_due_at IS NOT NULL;
CREATE INDEX tickets_sla_resolution_due ON tickets(sla_resolution_due_at)
  WHERE sla_resolution_due_at IS NOT NULL;
)sql";

// The data step of the same migration, in its transaction: business-calendar
// arithmetic cannot be written in SQL, so the deadlines of the existing unresolved
// tickets are computed here, with the same code every later write uses.
}  // namespace crm::detail
