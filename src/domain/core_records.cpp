// The customer graph's entity kinds (users, teams, accounts, contacts) plugged
// into the generic record operations, and what deleting each of them means.
#include "domain/core_traits.hpp"

namespace crm {
namespace domain {

result<void> core_before_remove(DbImpl& db, const Contact&) { (void)db; return ok(); }

result<void> core_before_remove(DbImpl& db, const Account& a) {
    CRM_TRYV(detach<Contact>(db, "account_id", a.id, &Contact::account_id));
    CRM_TRYV(detach<Account>(db, "parent_id", a.id, &Account::parent_id));
    return ok();
}

result<void> core_before_remove(DbImpl& db, const Team& t) {
    return detach<User>(db, "team_id", t.id, &User::team_id);
}

result<void> core_before_remove(DbImpl& db, const User& u) {
    const auto contacts = store::ids_where_equals(db, Entity::contact, "owner_id", u.id).size();
    const auto accounts = store::ids_where_equals(db, Entity::account, "owner_id", u.id).size();
    const auto teams = store::ids_where_equals(db, Entity::team, "manager_id", u.id).size();
    if (contacts + accounts + teams > 0)
        return make_error(errc::constraint_violation,
                          fmt::format("user {} still owns {} contacts and {} accounts and manages {} teams: "
                                      "reassign them first, or set the user inactive", u.id, contacts, accounts, teams));
    return ok();
}

}  // namespace domain

template class Records<User>;
template class Records<Team>;
template class Records<Account>;
template class Records<Contact>;

}  // namespace crm
