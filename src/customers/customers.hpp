// Private: the descriptors of the customer graph's kinds (users.cpp, accounts.cpp,
// contacts.cpp), for the files of this area that load records of another of them.
#pragma once

#include "crm/accounts.hpp"
#include "crm/contacts.hpp"
#include "crm/users.hpp"
#include "records/descriptor.hpp"

namespace crm::records {
template <> const KindDef<User>& kind_def<User>() noexcept;
template <> const KindDef<Team>& kind_def<Team>() noexcept;
template <> const KindDef<Account>& kind_def<Account>() noexcept;
template <> const KindDef<Contact>& kind_def<Contact>() noexcept;
}  // namespace crm::records
