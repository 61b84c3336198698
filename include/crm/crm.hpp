// crm/crm.hpp — the whole public C++ API of crm.
#pragma once

#include "crm/accounts.hpp"
#include "crm/contacts.hpp"
#include "crm/csv.hpp"
#include "crm/custom_fields.hpp"
#include "crm/db.hpp"
#include "crm/documents.hpp"
#include "crm/error.hpp"
#include "crm/forms.hpp"
#include "crm/history.hpp"
#include "crm/interactions.hpp"
#include "crm/json.hpp"
#include "crm/predictive.hpp"
#include "crm/query.hpp"
#include "crm/sales.hpp"
#include "crm/segments.hpp"
#include "crm/signals.hpp"
#include "crm/scoring.hpp"
#include "crm/routing.hpp"
#include "crm/thresholds.hpp"
#include "crm/tasks.hpp"
#include "crm/tickets.hpp"
#include "crm/dedup.hpp"
#include "crm/types.hpp"
#include "crm/users.hpp"
#include "crm/version.hpp"

namespace crm {
const char* version() noexcept;  // runtime version, e.g. "0.1.0"
}
