// The customer graph's entity kinds (users, teams, accounts, contacts) plugged
// into the generic record operations, and what deleting each of them means.
#include "customers/customer_traits.hpp"
#include "sales/sales_traits.hpp"
#include "tickets/ticket_traits.hpp"

namespace crm {
namespace domain {

// Deals and tickets that point at a deleted contact or account lose that reference
// through the normal update path, so each gets its history row (same transaction).
// A detach changes no ticket status, so the ticket workflow guard lets it through.
result<void> core_before_remove(DbImpl& db, const Contact& c) {
    CRM_TRYV(detach<Deal>(db, "contact_id", c.id, &Deal::contact_id));
    CRM_TRYV(detach<Ticket>(db, "requester_id", c.id, &Ticket::requester_id));
    return ok();
}

result<void> core_before_remove(DbImpl& db, const Account& a) {
    CRM_TRYV(detach<Contact>(db, "account_id", a.id, &Contact::account_id));
    CRM_TRYV(detach<Account>(db, "parent_id", a.id, &Account::parent_id));
    CRM_TRYV(detach<Deal>(db, "account_id", a.id, &Deal::account_id));
    CRM_TRYV(detach<Ticket>(db, "account_id", a.id, &Ticket::account_id));
    return ok();
}

result<void> core_before_remove(DbImpl& db, const Team& t) {
    return detach<User>(db, "team_id", t.id, &User::team_id);
}

result<void> core_before_remove(DbImpl& db, const User& u) {
    const auto contacts = store::ids_where_equals(db, Entity::contact, "owner_id", u.id).size();
    const auto accounts = store::ids_where_equals(db, Entity::account, "owner_id", u.id).size();
    const auto teams = store::ids_where_equals(db, Entity::team, "manager_id", u.id).size();
    const auto deals = store::ids_where_equals(db, Entity::deal, "owner_id", u.id).size();
    // Open tickets (not resolved or closed) are live work, like owned deals: they block the
    // delete. Resolved and closed tickets lose their assignee through the update path.
    const auto tickets = store::open_ticket_ids_assigned_to(db, u.id).size();
    if (contacts + accounts + teams + deals + tickets > 0)
        return make_error(errc::constraint_violation,
                          fmt::format("user {} still owns {} contacts, {} accounts and {} deals, manages {} teams "
                                      "and is assigned {} open tickets: reassign them first, or set the user inactive",
                                      u.id, contacts, accounts, deals, teams, tickets));
    return detach<Ticket>(db, "assignee_id", u.id, &Ticket::assignee_id);
}

}  // namespace domain

template class Records<User>;
template class Records<Team>;
template class Records<Account>;
template class Records<Contact>;

}  // namespace crm
