// Forward-only schema migrations. Ids use AUTOINCREMENT: an id is never reused after a
// delete, so history and external references never mix two records.
// (SQLite 3.40 plans `op IN (...)` CHECKs with a temporary index on every insert;
// the OR form below costs nothing.)
// Migration N (1-based) takes a file from
// user_version N-1 to N. Never edit a released migration: append a new one.
// docs/schema.md describes every table.
#include "store/migrations.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace crm::detail {
namespace {

// v1: the customer graph — users, teams, accounts, contacts, history.
constexpr const char* kV1 = R"sql(
CREATE TABLE teams (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT UNIQUE,
  name        TEXT NOT NULL UNIQUE,
  region      TEXT NOT NULL DEFAULT '',
  manager_id  INTEGER REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE users (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id  TEXT UNIQUE,
  name         TEXT NOT NULL,
  name_reading TEXT NOT NULL DEFAULT '',
  email        TEXT NOT NULL,
  email_norm   TEXT NOT NULL UNIQUE,
  role         TEXT NOT NULL,
  team_id      INTEGER REFERENCES teams(id),
  region       TEXT NOT NULL DEFAULT '',
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX users_team ON users(team_id);
CREATE INDEX teams_manager ON teams(manager_id);
CREATE TABLE accounts (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id      TEXT UNIQUE,
  name             TEXT NOT NULL,
  name_reading     TEXT NOT NULL DEFAULT '',
  industry         TEXT NOT NULL DEFAULT '',
  employee_count   INTEGER,
  revenue_amount   INTEGER,
  revenue_currency TEXT,
  postal_code      TEXT NOT NULL DEFAULT '',
  country          TEXT NOT NULL DEFAULT '',
  region           TEXT NOT NULL DEFAULT '',
  city             TEXT NOT NULL DEFAULT '',
  street           TEXT NOT NULL DEFAULT '',
  building         TEXT NOT NULL DEFAULT '',
  phone            TEXT NOT NULL DEFAULT '',
  website          TEXT NOT NULL DEFAULT '',
  parent_id        INTEGER REFERENCES accounts(id),
  owner_id         INTEGER REFERENCES users(id),
  contract_status  TEXT NOT NULL DEFAULT 'none',
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX accounts_name ON accounts(name);
CREATE INDEX accounts_parent ON accounts(parent_id);
CREATE INDEX accounts_owner ON accounts(owner_id);
CREATE TABLE contacts (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id      TEXT UNIQUE,
  name             TEXT NOT NULL,
  name_reading     TEXT NOT NULL DEFAULT '',
  postal_code      TEXT NOT NULL DEFAULT '',
  country          TEXT NOT NULL DEFAULT '',
  region           TEXT NOT NULL DEFAULT '',
  city             TEXT NOT NULL DEFAULT '',
  street           TEXT NOT NULL DEFAULT '',
  building         TEXT NOT NULL DEFAULT '',
  title            TEXT NOT NULL DEFAULT '',
  department       TEXT NOT NULL DEFAULT '',
  account_id       INTEGER REFERENCES accounts(id),
  owner_id         INTEGER REFERENCES users(id),
  lifecycle_stage  TEXT NOT NULL,
  lead_source      TEXT NOT NULL DEFAULT '',
  birthday         TEXT NOT NULL DEFAULT '',
  consent_email    INTEGER NOT NULL DEFAULT 0,
  consent_phone    INTEGER NOT NULL DEFAULT 0,
  consent_sms      INTEGER NOT NULL DEFAULT 0,
  consent_postal   INTEGER NOT NULL DEFAULT 0,
  consent_tracking INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX contacts_name ON contacts(name);
CREATE INDEX contacts_account ON contacts(account_id);
CREATE INDEX contacts_owner ON contacts(owner_id);
CREATE TABLE contact_emails (
  contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  address      TEXT NOT NULL,
  address_norm TEXT NOT NULL UNIQUE,
  label        TEXT NOT NULL DEFAULT '',
  is_primary   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE TABLE contact_phones (
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  number     TEXT NOT NULL,
  label      TEXT NOT NULL DEFAULT '',
  is_primary INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE TABLE history (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity    TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  at        INTEGER NOT NULL,
  actor_id  INTEGER,
  op        TEXT NOT NULL CHECK (op = 'create' OR op = 'update' OR op = 'delete'),
  field     TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT
);
CREATE INDEX history_record ON history(entity, record_id, id);
)sql";

// v2: typed custom fields and tags on every entity.
constexpr const char* kV2 = R"sql(
CREATE TABLE custom_field_defs (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  entity     TEXT NOT NULL,
  name       TEXT NOT NULL,
  label      TEXT NOT NULL DEFAULT '',
  type       TEXT NOT NULL,
  options    TEXT NOT NULL DEFAULT '[]',
  required   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (entity, name)
);
CREATE TABLE custom_values (
  entity    TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  field_id  INTEGER NOT NULL REFERENCES custom_field_defs(id),
  value,                -- no declared type: values keep the storage class they were bound with
  PRIMARY KEY (entity, record_id, field_id)
) WITHOUT ROWID;
CREATE INDEX custom_values_lookup ON custom_values(field_id, value);
CREATE TABLE tags (
  id   INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE record_tags (
  entity    TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  tag_id    INTEGER NOT NULL REFERENCES tags(id),
  PRIMARY KEY (entity, record_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX record_tags_by_tag ON record_tags(tag_id, entity, record_id);
)sql";

}  // namespace

// One migration per area, each defined beside its area's SQL. A migration is
// frozen SQL: it never calls code that may change later. Values the domain derives
// from the data (a ticket's SLA due times) are computed by the domain after the
// migrations, in the same transaction (KindEntry::upgraded, records/registry.hpp).
extern const char* const kSalesSchema;         // v3: products, campaigns, pipelines, deals (schema_sales.cpp)
extern const char* const kInteractionsSchema;  // v4: interactions, timeline, email events (schema_interactions.cpp)
extern const char* const kServiceSchema;       // v5: tickets, SLA policies, business calendars (schema_service.cpp)
extern const char* const kWorkSchema;          // v6: tasks, reminders, documents (schema_work.cpp)
extern const char* const kServiceDueSchema;    // v7: stored SLA due times on tickets (schema_service_due.cpp)
extern const char* const kContactReachSchema;  // v8: undeliverable emails, employment periods (schema_contact_reach.cpp)
extern const char* const kSegmentsSchema;      // v9: saved segments (schema_segments.cpp)
extern const char* const kScoringSchema;       // v10: lead scoring: models, versions, stored scores (schema_scoring.cpp)
extern const char* const kFormsSchema;         // v11: forms, their versions, form submissions (schema_forms.cpp)
extern const char* const kThresholdsSchema;    // v12: score thresholds, their state, crossings (schema_thresholds.cpp)
extern const char* const kSignalsSchema;       // v13: signal rules and flags (schema_signals.cpp)
extern const char* const kPredictiveSchema;    // v14: predictive scoring: models, versions, stored predictions (schema_predictive.cpp)
extern const char* const kRoutingSchema;       // v15: routing of hot leads, hand-offs (schema_routing.cpp)
extern const char* const kImportSchema;        // v16: import batches and their items, for undo (schema_import.cpp)
extern const char* const kSearchSchema;        // v17: full-text search index (schema_search.cpp)
extern const char* const kDedupSchema;         // v18: duplicate merges and what undoing them needs (schema_dedup.cpp)

namespace {
const char* const kMigrations[] = {kV1, kV2, kSalesSchema, kInteractionsSchema, kServiceSchema, kWorkSchema,
                                   kServiceDueSchema, kContactReachSchema, kSegmentsSchema, kScoringSchema,
                                   kFormsSchema, kThresholdsSchema, kSignalsSchema, kPredictiveSchema,
                                   kRoutingSchema, kImportSchema, kSearchSchema, kDedupSchema};
constexpr int kLatest = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
}  // namespace

int latest_schema_version() noexcept { return kLatest; }

int migration_number(const char* const migration) noexcept {
    for (int i = 0; i < kLatest; ++i)
        if (kMigrations[i] == migration) return i + 1;
    return 0;
}

const std::vector<std::string>& schema_names() {
    static const std::vector<std::string> names = [] {
        SQLite::Database mem(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const char* m : kMigrations) mem.exec(m);
        std::vector<std::string> out;
        SQLite::Statement s(mem, "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name");
        while (s.executeStep()) out.push_back(s.getColumn(0).getString());
        return out;
    }();
    return names;
}

std::vector<std::string> conflicting_names(DbImpl& db) {
    std::vector<std::string> out;
    const auto& ours = schema_names();
    SQLite::Statement s(*db.conn, "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name");
    while (s.executeStep()) {
        auto name = s.getColumn(0).getString();
        if (std::find(ours.begin(), ours.end(), name) != ours.end()) out.push_back(std::move(name));
    }
    return out;
}

int stored_schema_version(DbImpl& db) { return db.conn->execAndGet("PRAGMA user_version").getInt(); }

int apply_migrations(DbImpl& db, int target) {
    if (target < 0 || target > kLatest) target = kLatest;
    // Read under the write lock: another process may have migrated meanwhile.
    const int current = db.conn->execAndGet("PRAGMA user_version").getInt();
    for (int v = current; v < target; ++v) db.conn->exec(kMigrations[v]);
    if (current < target) {
        // PRAGMA cannot take a bound parameter; target is our own integer, never user input.
        db.conn->exec(fmt::format("PRAGMA user_version = {}", target));
    }
    db.schema_version = std::max(current, target);
    return current;
}

result<void> migrate(DbImpl& db, int target) noexcept {
    try {
        const int current = db.conn->execAndGet("PRAGMA user_version").getInt();
        if (current > kLatest)
            return make_error(errc::schema_too_new,
                              fmt::format("{}: schema version {} is newer than this library supports ({}); "
                                          "upgrade crm to open it",
                                          db.path, current, kLatest));
        store::WriteScope scope(db);
        apply_migrations(db, target);
        scope.commit();
        return ok();
    } catch (...) {
        return error_from_exception(std::current_exception());
    }
}

}  // namespace crm::detail
