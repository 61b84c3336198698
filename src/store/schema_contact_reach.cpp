// Schema migration v8: where a contact can be reached and where they worked (see
// migrations.cpp for its place in the list). Never edit once released: append a
// new migration instead.
//
// - contact_emails.undeliverable: a hard bounce was tracked for the address
//   (Interactions::track); mail to it does not arrive.
// - email_events.address / soft: the recipient an event is about, and whether a
//   bounce was temporary.
// - contact_employments: the periods a contact worked at an account, so that an
//   account's timeline holds what its people did while they worked there. since
//   NULL: from the beginning (the contact's first employer); until NULL: still
//   there. Rows are written by the contacts area on every change of account_id;
//   the periods of existing contacts are derived from their history after the
//   migration, in its transaction (customers area, KindEntry::upgraded).
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kContactReachSchema;
const char* const kContactReachSchema = R"sql(
ALTER TABLE contact_emails ADD COLUMN undeliverable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE email_events ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE email_events ADD COLUMN soft INTEGER NOT NULL DEFAULT 0;
CREATE TABLE contact_employments (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  since      INTEGER,
  until      INTEGER
);
CREATE INDEX contact_employments_account ON contact_employments(account_id, contact_id);
CREATE INDEX contact_employments_contact ON contact_employments(contact_id, until);
)sql";

}  // namespace crm::detail
