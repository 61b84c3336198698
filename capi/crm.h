/*
 * crm.h — the C ABI of crm, an embeddable CRM core over SQLite.
 *
 * One header, C99, usable from any language with a C FFI (Python ctypes,
 * Go cgo, Rust, C#, ...). Full guide: docs/c-api.md.
 *
 *   crm_db *db = NULL;
 *   int64_t id = 0;
 *   char *doc = NULL;
 *   if (crm_db_open(&db, "company.crm", NULL) != CRM_OK) { puts(crm_errmsg()); return 1; }
 *   crm_record_create(db, CRM_CONTACT, "{\"name\":\"山田 太郎\"}", &id);
 *   crm_record_get(db, CRM_CONTACT, id, &doc);   puts(doc);   crm_free(doc);
 *   crm_db_close(db);
 *
 * Conventions
 * - Every function that can fail returns int: CRM_OK (0) or a negative CRM_E*
 *   code.
 * - Out-parameters are the pointer arguments named out or out_* (out_id,
 *   out_json, ...) through which a function hands back its results. They come
 *   last, after every input; new functions follow this rule. Three functions
 *   that make a handle are the exceptions, kept for ABI compatibility:
 *   crm_db_open(&out, path, opts), crm_txn_begin(&out, db) and
 *   crm_appender_open(&out, db) take out first. Not out-parameters:
 *   crm_open_options_init's opts (a struct it fills, passed first) and
 *   crm_doc_reader_read's buf (a buffer you lend for the call).
 * - An out-parameter is required (NULL is CRM_EINVALID) unless its function
 *   says it may be NULL. On failure (any status but CRM_OK, CRM_ITEROVER
 *   included) every out-parameter is cleared: pointers to NULL, integers to
 *   0, so clean-up code may free unconditionally. The one exception is
 *   crm_appender_flush, whose totals are also written when a flush fails.
 * - The last status of each thread is kept thread-locally: crm_errcode(),
 *   crm_errmsg(), crm_errfield(), crm_sqlite_errcode(). Every function that
 *   returns a status sets it (CRM_OK clears it); the accessors, crm_free,
 *   crm_version, crm_abi_version, crm_strerror, crm_db_close and the *_free
 *   functions (which return void) leave it alone. The strings are valid until the next status-returning
 *   crm call on the same thread.
 * - Text is UTF-8 and NUL-terminated. Input that is not valid UTF-8 is
 *   refused with CRM_EINVALID. NULL where a pointer is required is
 *   CRM_EINVALID with a message naming the argument.
 * - Memory: every declaration says who owns what it returns, in these words:
 *     "owned by the caller: release it with crm_free()" — a `char **` result
 *       (never free(): the library may use another allocator);
 *     "owned by the caller: release it with crm_X_free / crm_db_close" — a
 *       handle; crm_db_close and every *_free function accept NULL;
 *     "borrowed: valid until ..." — the library keeps ownership; copy the
 *       text to keep it beyond the stated point; never free it;
 *     "static" — lives as long as the library is loaded; never free it;
 *     "nothing to release" — only a status and integers come back.
 *   Inputs: "read during the call only" means the library keeps no pointer to
 *   the argument after it returns (it copies what it needs). The only inputs
 *   kept are crm_db_set_clock's and crm_db_set_reminder_hook's
 *   callback and payload. Handles you pass are
 *   borrowed for the call; only their *_free / *_close function releases them.
 *   Objects made from a crm_db (crm_txn, crm_cursor, crm_appender,
 *   crm_doc_writer, crm_doc_reader) may outlive crm_db_close: they then
 *   answer CRM_ECLOSED until you free them.
 *
 * Why records cross as JSON documents
 *   Records (users, contacts, deals, tickets, ...) go in and out as JSON text,
 *   exactly the documents of the C++ codec (crm/json.hpp), not as C structs.
 *   Adding a field to an entity therefore never changes the ABI: no struct
 *   layout, no new getter per field, old callers keep working. Bindings
 *   (Python, JavaScript, Go, ...) parse JSON natively, so one family of
 *   crm_record_* functions serves every entity kind, selected by crm_entity.
 *   Parsing is strict: an unknown key or a wrong type is CRM_EINVALID naming
 *   the key, so typos are never silently dropped.
 *
 * Threads
 *   A crm_db (and the crm_txn / crm_cursor made from it) may be used by one
 *   thread at a time; it may move between threads. Use one crm_db per thread
 *   for parallel work: each is its own SQLite connection, and several
 *   connections or processes may open one file (WAL: readers run beside one
 *   writer; a writer waits up to busy_timeout_ms, then CRM_EBUSY).
 */
#ifndef CRM_H
#define CRM_H

#include <stddef.h>
#include <stdint.h>

/* CRM_VERSION_MAJOR/MINOR/PATCH/STRING and CRM_ABI_VERSION (see "versions"). */
#include "crm_version.h"
#if !defined(CRM_VERSION_STRING) || !defined(CRM_ABI_VERSION)
#  error "crm_version.h (installed beside crm.h) does not define the crm version macros"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(CRM_BUILDING_LIBRARY)
#    define CRM_API __declspec(dllexport)
#  else
#    define CRM_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define CRM_API __attribute__((visibility("default")))
#else
#  define CRM_API
#endif

/* ---- versions ------------------------------------------------------------- */

/* The version macros live in crm_version.h, generated from the build files
 * (the project's one version) and installed beside this header:
 *   CRM_VERSION_MAJOR, CRM_VERSION_MINOR, CRM_VERSION_PATCH  integers
 *   CRM_VERSION_STRING  "MAJOR.MINOR.PATCH"
 *   CRM_ABI_VERSION     the ABI revision this header describes. Additions
 *     (functions, enum values, appended option fields, new JSON keys) keep
 *     it; an incompatible change bumps it. Check
 *     crm_abi_version() == CRM_ABI_VERSION at start-up. */

/* The loaded library's version, e.g. "0.1.0" (its CRM_VERSION_STRING).
 * The returned string is static: never free it. */
CRM_API const char *crm_version(void);
/* The loaded library's CRM_ABI_VERSION. Nothing to release. */
CRM_API int crm_abi_version(void);

/* ---- status codes (mapped 1:1 from crm::errc) ----------------------------- */

#define CRM_OK          0
#define CRM_ENOTFOUND  (-1)  /* no record with that id / key */
#define CRM_EEXISTS    (-2)  /* a unique key is taken (external id, email, name) */
#define CRM_EINVALID   (-3)  /* bad input; crm_errfield() names the field */
#define CRM_ECONSTRAINT (-4) /* refused by a rule of the data (cycle, still referenced) */
#define CRM_EBUSY      (-5)  /* locked by another connection past the busy timeout */
#define CRM_EIO        (-6)  /* cannot open / read / write the file */
#define CRM_ECORRUPT   (-7)  /* not a crm/SQLite database, or a damaged one */
#define CRM_ESCHEMA    (-8)  /* file written by a newer crm than this library */
#define CRM_EREADONLY  (-9)  /* write on a read-only database */
#define CRM_ECLOSED    (-10) /* the handle's database is closed / the handle is finished */
#define CRM_EINTERNAL  (-11) /* a bug: please report it with crm_errmsg() */
#define CRM_ENOMEM     (-12) /* out of memory */
#define CRM_ITEROVER   (-31) /* not an error: a cursor has no more items */

/* The last status on this thread. Nothing to release. */
CRM_API int crm_errcode(void);
/* Its message; "" after CRM_OK; never NULL. Borrowed: valid until the next
 * status-returning crm call on this thread. */
CRM_API const char *crm_errmsg(void);
/* The field it concerns, e.g. "emails[0].address"; "" if none; never NULL.
 * Borrowed: valid until the next status-returning crm call on this thread. */
CRM_API const char *crm_errfield(void);
/* The SQLite extended result code, 0 if SQLite was not involved. Nothing to release. */
CRM_API int crm_sqlite_errcode(void);
/* The name of a code, "CRM_ENOTFOUND" ("CRM_UNKNOWN" for other values).
 * The returned string is static: never free it. */
CRM_API const char *crm_strerror(int code);

/* Releases a string returned through a `char **` out-parameter; NULL is fine.
 * Pass nothing else (no borrowed string, no memory from your allocator). */
CRM_API void crm_free(void *p);

/* ---- handles and enums ---------------------------------------------------- */

typedef struct crm_db crm_db;         /* one database connection */
typedef struct crm_txn crm_txn;       /* an explicit transaction on a crm_db */
typedef struct crm_cursor crm_cursor; /* one page of a list result */

/* The record kinds served by crm_record_*. Zero is deliberately not a kind. */
typedef enum crm_entity {
    CRM_USER = 1,
    CRM_TEAM = 2,
    CRM_ACCOUNT = 3,
    CRM_CONTACT = 4,
    CRM_PRODUCT = 5, CRM_CAMPAIGN = 6, CRM_PIPELINE = 7, CRM_DEAL = 8,  /* crm/sales.hpp (docs/sales.md) */
    CRM_INTERACTION = 9,  /* crm/interactions.hpp (docs/interactions.md) */
    CRM_TICKET = 10,  /* crm/tickets.hpp: tickets (docs/tickets.md) */
    CRM_TASK = 11,      /* crm/tasks.hpp: tasks (docs/tasks.md) */
    CRM_DOCUMENT = 12,  /* crm/documents.hpp: document metadata (docs/documents.md) */
    CRM_SEGMENT = 13,   /* crm/segments.hpp: saved segments (docs/segments.md) */
} crm_entity;

typedef enum crm_durability {
    CRM_DURABILITY_NORMAL = 0, /* synchronous=NORMAL: a power loss may drop the last commits, never corrupts */
    CRM_DURABILITY_FULL = 1,   /* synchronous=FULL: every commit is on disk before it returns */
    CRM_DURABILITY_OFF = 2     /* synchronous=OFF: throw-away bulk loads only */
} crm_durability;

/* ---- opening and closing -------------------------------------------------- */

/* Options for crm_db_open. The first field is the struct version; fields are
 * only ever appended, and the library reads only the fields that existed in
 * the version you pass, so a program built against an older header keeps
 * working with a newer library. Initialise with CRM_OPEN_OPTIONS_INIT or
 * crm_open_options_init(). */
typedef struct crm_open_options {
    unsigned version;       /* CRM_OPEN_OPTIONS_VERSION */
    int create;             /* non-zero: create the file if missing (default 1) */
    int read_only;          /* non-zero: open read-only; writes fail with CRM_EREADONLY (default 0) */
    int busy_timeout_ms;    /* how long a write waits for another connection's lock (default 5000) */
    int durability;         /* a crm_durability (default CRM_DURABILITY_NORMAL) */
    size_t max_text_bytes;  /* longest text accepted in one field (default 65536) */
} crm_open_options;

#define CRM_OPEN_OPTIONS_VERSION 1
#define CRM_OPEN_OPTIONS_INIT { CRM_OPEN_OPTIONS_VERSION, 1, 0, 5000, CRM_DURABILITY_NORMAL, 65536 }

/* Fills *opts with the defaults of `version` (CRM_OPEN_OPTIONS_VERSION).
 * CRM_EINVALID for an unknown version (*opts is then left as it was).
 * opts is your struct, written during the call only; nothing to release. */
CRM_API int crm_open_options_init(crm_open_options *opts, unsigned version);

/* Opens (creating and migrating as needed) the database at `path` (UTF-8;
 * ":memory:" for a private in-memory one). opts may be NULL for defaults.
 * A file that is not a database: CRM_ECORRUPT, and the file is not written.
 * A file from a newer crm: CRM_ESCHEMA. *out is owned by the caller: release
 * it with crm_db_close (NULL is fine). path and opts are read during the call only. */
CRM_API int crm_db_open(crm_db **out, const char *path, const crm_open_options *opts);

/* Rolls back an open transaction, closes the connection and frees db.
 * NULL is fine. db must not be used afterwards. Transactions, cursors,
 * appenders, document writers and readers made from it stay valid objects
 * that answer CRM_ECLOSED until you free them; strings you own stay yours. */
CRM_API void crm_db_close(crm_db *db);

/* The schema version (PRAGMA user_version) of the open file, in
 * *out_version. Nothing to release. */
CRM_API int crm_db_schema_version(crm_db *db, int *out_version);

/* The schema version the file had when crm_db_open found it: 0 for a file it
 * created, less than crm_db_schema_version when opening upgraded it.
 * Nothing to release. */
CRM_API int crm_db_opened_schema_version(crm_db *db, int *out_version);

/* Who makes the following changes: stored as actor_id in every history row.
 * 0 means unknown (the default). A user_id that is not a user's is refused
 * (CRM_EINVALID, field "user_id") and the actor stays as it was; if the actor's
 * user is deleted later, every write fails with CRM_EINVALID (field "actor")
 * until another actor is set. Nothing to release. */
CRM_API int crm_db_set_actor(crm_db *db, int64_t user_id);

/* A clock for crm_db_set_clock: UTC milliseconds since the epoch. */
typedef int64_t (*crm_clock_fn)(void *payload);
/* Time source for created_at / updated_at / history times; for tests and
 * replays. NULL restores the system clock. The callback must not fail;
 * payload is passed through. Kept: db stores clock and payload and calls
 * clock(payload) on the thread using db until the clock is replaced or db is
 * closed; payload must stay valid that long (the library never frees it). */
CRM_API int crm_db_set_clock(crm_db *db, crm_clock_fn clock, void *payload);

/* The schema version this library writes (what crm_db_schema_version reaches
 * after an upgrade). Nothing to release. */
CRM_API int crm_db_latest_schema_version(void);
/* The actor set with crm_db_set_actor, in *out_user_id (0: unknown).
 * Nothing to release. */
CRM_API int crm_db_actor(crm_db *db, int64_t *out_user_id);
/* 1 in *out_in_transaction while a crm_txn is open on db, else 0.
 * Nothing to release. */
CRM_API int crm_db_in_transaction(crm_db *db, int *out_in_transaction);

/* ---- transactions --------------------------------------------------------- */

/* Starts a transaction (BEGIN IMMEDIATE): every operation on db joins it until
 * it is committed or rolled back. One at a time per crm_db (CRM_EINVALID if
 * one is open). *out is owned by the caller: release it with crm_txn_free
 * (NULL is fine), also after commit or rollback. */
CRM_API int crm_txn_begin(crm_txn **out, crm_db *db);
/* Commits. A failed commit (e.g. CRM_EBUSY) leaves the transaction open:
 * retry or roll back. After a commit the handle is finished (CRM_ECLOSED)
 * but still owned by the caller: free it with crm_txn_free. */
CRM_API int crm_txn_commit(crm_txn *txn);
/* Rolls back; afterwards the handle is finished (CRM_ECLOSED) but still owned
 * by the caller: free it with crm_txn_free. */
CRM_API int crm_txn_rollback(crm_txn *txn);
/* Frees txn, rolling back if it is still open. NULL is fine. */
CRM_API void crm_txn_free(crm_txn *txn);
/* 1 in *out_active while txn is open (neither committed nor rolled back, its
 * database open), else 0; CRM_OK either way (CRM_EINVALID for NULL).
 * Nothing to release. */
CRM_API int crm_txn_active(crm_txn *txn, int *out_active);

/* ---- records: one family for every crm_entity ----------------------------- */

/* Creates a record from a JSON document (id, created_at, updated_at ignored).
 * Example contact: {"name":"山田 太郎","name_reading":"ヤマダ タロウ",
 *   "emails":["taro@example.jp"],"account_id":1,"tags":["vip"]}
 * json is read during the call only; the new id goes to *out_id. */
CRM_API int crm_record_create(crm_db *db, crm_entity entity, const char *json, int64_t *out_id);

/* The record as a JSON document. CRM_ENOTFOUND if absent.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_record_get(crm_db *db, crm_entity entity, int64_t id, char **out_json);
/* The record whose external_id matches, as crm_record_get. external_id is read
 * during the call only; *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_record_get_by_external_id(crm_db *db, crm_entity entity, const char *external_id,
                                          char **out_json);

/* Applies an RFC 7386 JSON merge patch: keys present are set, null clears,
 * absent keys are kept; e.g. {"title":"部長","address":{"city":"大阪市"}}.
 * Read, patch and write form one atomic unit. A failed update changes nothing.
 * json_merge_patch is read during the call only. */
CRM_API int crm_record_update(crm_db *db, crm_entity entity, int64_t id, const char *json_merge_patch);

/* Deletes the record (references to it are cleared, each with its history).
 * Nothing to release. */
CRM_API int crm_record_delete(crm_db *db, crm_entity entity, int64_t id);

/* Lists one page of records. query_json is NULL (first 100 by id) or
 *   {"where":["employee_count>=100","tag=vip","name~山田"], "order_by":"name",
 *    "desc":false, "limit":50, "after":"<token from crm_cursor_next_page_token>"}
 * Filter operators: = != < <= > >= ~ (contains) ^= (prefix); "field?" (set),
 * "!field" (unset); fields are those of the entity, "tag", "custom.<name>".
 * limit is 1..10000 (default 100). The page is read when the call returns.
 * query_json is read during the call only. *out is owned by the caller:
 * release it with crm_cursor_free (NULL is fine). */
CRM_API int crm_record_list(crm_db *db, crm_entity entity, const char *query_json, crm_cursor **out);

/* The number of records matching query_json's "where" (NULL: all records).
 * The other keys of a list query are accepted and do not change the count.
 * query_json is read during the call only; nothing to release. */
CRM_API int crm_record_count(crm_db *db, crm_entity entity, const char *query_json, int64_t *out_count);

/* The record's change history, oldest first, as a JSON array of
 * {"id","entity","record_id","at","actor_id","op","field","old","new"}.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_record_history(crm_db *db, crm_entity entity, int64_t id, char **out_json_array);

/* The record as it was at at_ms (UTC ms since the epoch); works for deleted
 * records too. CRM_ENOTFOUND if it did not exist then.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_record_get_as_of(crm_db *db, crm_entity entity, int64_t id, int64_t at_ms, char **out_json);

/* Adds a tag to the record (with a history row). tag is read during the call only. */
CRM_API int crm_record_add_tag(crm_db *db, crm_entity entity, int64_t id, const char *tag);
/* Removes a tag from the record (with a history row). tag is read during the call only. */
CRM_API int crm_record_remove_tag(crm_db *db, crm_entity entity, int64_t id, const char *tag);

/* Sets one custom field (defined with crm_custom_field_define) to a JSON
 * value: "text", 42, true, "12.50", "2026-04-01", or null to clear it.
 * field and value_json are read during the call only. */
CRM_API int crm_record_set_custom(crm_db *db, crm_entity entity, int64_t id, const char *field,
                                  const char *value_json);

/* ---- cursors -------------------------------------------------------------- */

/* The next record of the page as a JSON document. *out_json is borrowed: it
 * stays valid until the next crm_cursor_next or crm_cursor_free on this
 * cursor; copy it to keep it, never free it. Returns CRM_ITEROVER (and
 * *out_json = NULL) after the last one, and CRM_ECLOSED once the database is closed. */
CRM_API int crm_cursor_next(crm_cursor *cursor, const char **out_json);

/* The "after" token for the next page: an opaque base64url string that goes
 * into the next query's JSON as it is. CRM_ITEROVER (and *out = NULL) when
 * this page is the last. *out is owned by the caller: release it with crm_free(). */
CRM_API int crm_cursor_next_page_token(crm_cursor *cursor, char **out);

/* Frees the cursor and with it every string crm_cursor_next handed out.
 * NULL is fine. */
CRM_API void crm_cursor_free(crm_cursor *cursor);

/* ---- entity-specific lookups ---------------------------------------------- */

/* The contact with this email address (case-insensitive). email is read during
 * the call only; *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_contact_get_by_email(crm_db *db, const char *email, char **out_json);
/* The user with this email address (case-insensitive). email is read during
 * the call only; *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_user_get_by_email(crm_db *db, const char *email, char **out_json);
/* Changes of employer (account_id), department and title, oldest first: a
 * JSON array of history entries (the first position appears as "create").
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_contact_employment_history(crm_db *db, int64_t contact_id, char **out_json_array);
/* The account's contacts, a JSON array of contact documents.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_account_contacts(crm_db *db, int64_t account_id, char **out_json_array);
/* The accounts whose parent is this account, a JSON array of account documents.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_account_subsidiaries(crm_db *db, int64_t account_id, char **out_json_array);
/* The team's members, a JSON array of user documents.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_team_members(crm_db *db, int64_t team_id, char **out_json_array);

/* ---- custom field definitions --------------------------------------------- */

/* def_json: {"entity":"contact","name":"rank","label":"顧客ランク",
 *            "type":"enum","options":["A","B","C"]}
 * type is text, integer, decimal, date, bool or enum.
 * def_json is read during the call only; the new id goes to *out_id. */
CRM_API int crm_custom_field_define(crm_db *db, const char *def_json, int64_t *out_id);
/* The definition of the entity's field `name`, as a JSON document. name is read
 * during the call only; *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_custom_field_get(crm_db *db, crm_entity entity, const char *name, char **out_json);
/* The entity's custom field definitions, a JSON array.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_custom_field_list(crm_db *db, crm_entity entity, char **out_json_array);
/* Refused with CRM_ECONSTRAINT while any record still has a value for it.
 * name is read during the call only. */
CRM_API int crm_custom_field_remove(crm_db *db, crm_entity entity, const char *name);

/* ---- the change feed ------------------------------------------------------ */

/* Every change with id > after_id, oldest first, at most limit (1..100000),
 * as a JSON array of history entries: a feed for other systems.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_history_since(crm_db *db, int64_t after_id, size_t limit, char **out_json_array);
/* The number of history rows, in *out_count. Nothing to release. */
CRM_API int crm_history_count(crm_db *db, int64_t *out_count);
/* The id of the newest change (0 if none), in *out_id: where a feed that wants
 * only future changes starts (crm_history_since(db, id, ...)). Nothing to release. */
CRM_API int crm_history_latest_id(crm_db *db, int64_t *out_id);

/* ---- sales: products, campaigns, pipelines, deals ------------------------- */
/* Products, campaigns, pipelines (with their "stages" array) and deals are
 * records (CRM_PRODUCT, CRM_CAMPAIGN, CRM_PIPELINE, CRM_DEAL); docs/sales.md. */

/* Moves a deal to another stage of its pipeline and records the change; a lost
 * stage needs a reason defined with crm_lost_reason_define (else NULL).
 * lost_reason_or_null is read during the call only. */
CRM_API int crm_deal_move(crm_db *db, int64_t deal_id, int64_t stage_id, const char *lost_reason_or_null);
/* crm_deal_move dated at_ms (UTC ms; 0 = now), for history brought from
 * elsewhere: never in the future, never before the deal's latest stage change
 * (CRM_EINVALID, field "at"). A won or lost stage's closed_at is at_ms.
 * lost_reason_or_null is read during the call only. Nothing to release. */
CRM_API int crm_deal_move_at(crm_db *db, int64_t deal_id, int64_t stage_id, const char *lost_reason_or_null,
                             int64_t at_ms);
/* JSON array of {"id","deal_id","from_stage_id","to_stage_id","at","actor_id",
 * "time_in_stage_ms"}, oldest first; the current stage's time runs to now.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_deal_stage_history(crm_db *db, int64_t deal_id, char **out_json_array);
/* The deal's amount weighted by its probability: {"amount":..,"currency":".."}.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_deal_weighted(crm_db *db, int64_t deal_id, char **out_json);
/* Adds a reason to the lost-reason catalogue; its id goes to *out_id.
 * name is read during the call only. */
CRM_API int crm_lost_reason_define(crm_db *db, const char *name, int64_t *out_id);
/* The lost-reason catalogue, a JSON array of {"id","name","created_at"}.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_lost_reason_list(crm_db *db, char **out_json_array);
/* JSON array of the pipeline's stages in order: {"id","name","probability","kind"}.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_pipeline_stages(crm_db *db, int64_t pipeline_id, char **out_json_array);
/* JSON array of the deals whose campaign_id is this campaign.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_campaign_deals(crm_db *db, int64_t campaign_id, char **out_json_array);
/* JSON array of the contacts whose lead_source is the campaign's name.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_campaign_contacts(crm_db *db, int64_t campaign_id, char **out_json_array);

/* ---- interactions and timelines -------------------------------------------- */
/* Interactions are records (CRM_INTERACTION in crm_record_*); docs/interactions.md
 * has the document: {"kind":"call","occurred_at":"2026-04-01T10:00:00+09:00",
 * "direction":"outbound","subject":"..","contact_ids":[1],"account_ids":[2],
 * "external_id":"evt-1",...}. */
typedef struct crm_appender crm_appender; /* buffers interactions for bulk ingest */
/* Items buffered per automatic flush (crm_appender_append flushes when full). */
#define CRM_APPENDER_BATCH 10000
/* Makes an appender on db. *out is owned by the caller: release it with
 * crm_appender_free (NULL is fine), also after crm_appender_close. */
CRM_API int crm_appender_open(crm_appender **out, crm_db *db);
/* Parses one interaction document and buffers it (CRM_EINVALID at once for a bad
 * document; nothing is buffered then). Flushes when CRM_APPENDER_BATCH are buffered.
 * interaction_json is read during the call only (the appender keeps a parsed copy). */
CRM_API int crm_appender_append(crm_appender *appender, const char *interaction_json);
/* Writes the buffered items as one ingest (one transaction, all or nothing,
 * duplicates of stored external_ids skipped). On failure the buffer is dropped
 * and nothing of it is stored. The out-parameters (may be NULL) receive the
 * totals since crm_appender_open, also when the flush fails or the appender is
 * closed (0 for a NULL appender). Nothing to release. */
CRM_API int crm_appender_flush(crm_appender *appender, int64_t *out_inserted, int64_t *out_duplicates);
/* Flushes what is buffered; the appender is finished afterwards but still
 * owned by the caller: free it with crm_appender_free. */
CRM_API int crm_appender_close(crm_appender *appender);
/* Frees the appender (NULL ok); anything still buffered is discarded. */
CRM_API void crm_appender_free(crm_appender *appender);
/* One ingest from a JSON array of interaction documents. per_item = 0: all or
 * nothing; 1: valid items are stored. source (may be NULL) names where they
 * came from. *out_json receives
 * {"inserted","duplicates","failed","first_id","last_id",
 *  "items":[{"status":"ok|duplicate|error","id","message","field"},...]}.
 * json_array and source are read during the call only; *out_json is owned by
 * the caller: release it with crm_free(). */
CRM_API int crm_interaction_ingest(crm_db *db, const char *json_array, int per_item, const char *source,
                                   char **out_json);
/* Email tracking: event is "sent", "delivered", "opened", "clicked", "bounced" or
 * "unsubscribed"; at_ms 0 = now; url only for "clicked" (else NULL). CRM_EINVALID
 * on an interaction whose kind is not "email". out_event_id may be NULL.
 * event and url are read during the call only. */
CRM_API int crm_interaction_track(crm_db *db, int64_t interaction_id, const char *event, int64_t at_ms,
                                  const char *url, int64_t *out_event_id);
/* Email tracking with the whole event as a JSON object:
 * {"event":"bounced","at":"2026-05-01T09:00:00Z","address":"taro@example.jp","soft":false}
 * ("event" required; "at" ISO-8601 or UTC ms, absent = now; "url" for clicked).
 * An event dated before the email's occurred_at is refused (CRM_EINVALID, "at").
 * "unsubscribed" withdraws the recipient's consent.email; a "bounced" that is not
 * "soft" marks the recipient's address undeliverable (both through the contact's
 * update path, with history). The recipient is the linked contact with "address",
 * or the email's only linked contact. out_event_id may be NULL.
 * event_json is read during the call only. Nothing to release. */
CRM_API int crm_interaction_track_event(crm_db *db, int64_t interaction_id, const char *event_json,
                                        int64_t *out_event_id);
/* [{"id","event","at","url"}, ...] oldest first.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_interaction_email_events(crm_db *db, int64_t interaction_id, char **out_json_array);
/* The timeline of a CRM_CONTACT, CRM_ACCOUNT (with its contacts'), CRM_DEAL or
 * CRM_TICKET, newest first, one page as a cursor of interaction documents.
 * query_json (may be NULL): {"kinds":["email"],"since":"2026-01-01","until":..,
 * "limit":50,"after":"<crm_cursor_next_page_token>"}. query_json is read during
 * the call only; *out is owned by the caller: release it with crm_cursor_free. */
CRM_API int crm_timeline(crm_db *db, crm_entity entity, int64_t id, const char *query_json, crm_cursor **out);

/* ---- service: tickets and SLAs ---------------------------------------------- */
/* Tickets are records (CRM_TICKET in crm_record_*); docs/tickets.md has the
 * document and the status workflow:
 *   new -> open|pending|on_hold|resolved; open -> pending|on_hold|resolved;
 *   pending|on_hold -> open|resolved; resolved -> open|closed; closed: final.
 * crm_record_update cannot change status, resolved_at, closed_at or
 * first_response_at (CRM_ECONSTRAINT): use the functions below. */

/* Moves a ticket to new_status ("open", "pending", "on_hold", "resolved",
 * "closed"); CRM_ECONSTRAINT for a transition the workflow does not allow.
 * new_status is read during the call only. */
CRM_API int crm_ticket_transition(crm_db *db, int64_t id, const char *new_status);
/* crm_ticket_transition dated at_ms (UTC ms; 0 = now): never in the future, never
 * before the ticket's latest status change or opened_at (CRM_EINVALID, field
 * "at"); resolved_at / closed_at take this time. new_status is read during the
 * call only. Nothing to release. */
CRM_API int crm_ticket_transition_at(crm_db *db, int64_t id, const char *new_status, int64_t at_ms);
/* [{"id","ticket_id","from","to","at","actor_id"}, ...] oldest first.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_ticket_status_history(crm_db *db, int64_t id, char **out_json_array);
/* Marks the first outbound reply at at_ms (0: now); later calls keep the first.
 * *out_first_response_at (may be NULL) receives the stored time. Nothing to release. */
CRM_API int crm_ticket_record_response(crm_db *db, int64_t id, int64_t at_ms, int64_t *out_first_response_at);
/* {"ticket_id","sla_policy_id","now","first_response":{"state","due_at","done_at",
 * "elapsed_business_minutes",...},"resolution":{...}}; state: none|pending|met|breached.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_ticket_sla(crm_db *db, int64_t id, char **out_json);
/* Unresolved tickets breached or due within within_minutes, by due time:
 * [{"ticket_id","target","due_at","breached","priority","subject"}, ...].
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_ticket_breaching(crm_db *db, int64_t within_minutes, char **out_json);
/* {"name","utc_offset":"+09:00","hours":{"mon":[["09:00","12:00"],["13:00","18:00"]],...},
 * "holidays":["2026-01-01",...]}; an existing name is replaced.
 * json is read during the call only; the calendar's id goes to *out_id. */
CRM_API int crm_calendar_define(crm_db *db, const char *json, int64_t *out_id);
/* The business calendars, a JSON array of calendar documents (with their ids).
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_calendar_list(crm_db *db, char **out_json_array);
/* {"name","calendar_id":1|null,"targets":{"high":{"first_response_minutes":60,
 * "resolution_minutes":480},...}}; an existing name is replaced.
 * json is read during the call only; the policy's id goes to *out_id. */
CRM_API int crm_sla_policy_define(crm_db *db, const char *json, int64_t *out_id);
/* The SLA policies, a JSON array of policy documents (with their ids).
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_sla_policy_list(crm_db *db, char **out_json_array);
/* crm_ticket_sla evaluated at now_ms (UTC ms; 0: the database clock's now).
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_ticket_sla_at(crm_db *db, int64_t id, int64_t now_ms, char **out_json);
/* crm_ticket_breaching evaluated at now_ms (UTC ms; 0: the database clock's now).
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_ticket_breaching_at(crm_db *db, int64_t within_minutes, int64_t now_ms, char **out_json);
/* One business calendar by id, as a calendar document (CRM_ENOTFOUND if none).
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_calendar_get(crm_db *db, int64_t id, char **out_json);
/* One SLA policy by id, as a policy document (CRM_ENOTFOUND if none).
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_sla_policy_get(crm_db *db, int64_t id, char **out_json);

/* ---- work: tasks, reminders, documents --------------------------------------- */
/* Tasks (CRM_TASK) and document metadata (CRM_DOCUMENT) are records: crm_record_*.
 * docs/tasks.md and docs/documents.md describe their documents. */

/* Atomically claims up to limit (1..10000) reminders due at now_ms (0: now) and
 * returns them as a JSON array [{"task_id","title","remind_at","due_at",
 * "assignee_id","priority","links","claimed_at","claimed_by"}, ...].
 * A reminder is returned once, across every process and connection, until its
 * remind_at changes or crm_task_release_reminder is called.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_task_claim_due_reminders(crm_db *db, int64_t now_ms, size_t limit, char **out_json);
/* Makes the task's claimed reminder due again (it will be claimed once more).
 * Nothing to release. */
CRM_API int crm_task_release_reminder(crm_db *db, int64_t task_id);
/* Open/in-progress tasks by due time. query_json (NULL: due today in UTC):
 *   {"window":"today"|"overdue"|"range", "now":ms|"ISO-8601", "tz":"+09:00",
 *    "from":..., "to":..., "assignee_id":1, "limit":100, "after":"<next>"}
 * *out_json: {"items":[<task>...], "next":"<cursor or empty>"}. query_json is
 * read during the call only; *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_task_due(crm_db *db, const char *query_json, char **out_json);
/* The tasks linked to that record (any crm_entity), by id, as a JSON array of
 * task documents. *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_task_for_record(crm_db *db, crm_entity entity, int64_t id, char **out_json_array);
/* When the task's reminder was claimed (UTC ms) in *out_at_ms; 0 while it has
 * not been. CRM_ENOTFOUND if there is no such task. Nothing to release. */
CRM_API int crm_task_reminder_delivered_at(crm_db *db, int64_t task_id, int64_t *out_at_ms);

/* The reminder notification hook (crm::Tasks::dispatch_reminders in C++).
 * Called with one reminder's JSON document (the shape crm_task_claim_due_reminders
 * returns; borrowed: valid during the call only) and the payload given to
 * crm_db_set_reminder_hook. Return 0 when the reminder was delivered; any other
 * value reports its task id under "failed" (it stays claimed: at most once;
 * crm_task_release_reminder makes it due again). The hook may call crm functions
 * on the same db (no lock is held while it runs) but must not close it. */
typedef int (*crm_reminder_fn)(const char *reminder_json, void *payload);
/* Registers db's reminder hook (NULL removes it). Kept: db stores hook and
 * payload and calls hook(json, payload) from crm_task_dispatch_reminders, on
 * the thread that calls it, until the hook is replaced or db is closed;
 * payload must stay valid that long (the library never frees it). */
CRM_API int crm_db_set_reminder_hook(crm_db *db, crm_reminder_fn hook, void *payload);
/* Claims up to limit (1..10000) reminders due at now_ms (0: now), as
 * crm_task_claim_due_reminders does, commits the claim, then calls db's hook
 * for each, in order. CRM_EINVALID without a hook, or inside an open
 * transaction (the claim must be committed before anyone is notified).
 * *out_json: {"delivered":[task ids],"failed":[task ids]}; it is owned by the
 * caller: release it with crm_free(). */
CRM_API int crm_task_dispatch_reminders(crm_db *db, int64_t now_ms, size_t limit, char **out_json);

/* Documents with content. meta_json is a document without size/sha256
 * ({"kind":"quote","name":"見積書.pdf","mime_type":"application/pdf",
 * "links":[{"entity":"account","id":1}]}); the SHA-256 is computed here.
 * Content over the database's limit (crm_document_set_max_size) is
 * CRM_EINVALID with field "content", and nothing is stored. out_id may be NULL.
 * meta_json and data (size bytes) are read during the call only. */
CRM_API int crm_document_write(crm_db *db, const char *meta_json, const void *data, size_t size, int64_t *out_id);
/* The largest content accepted from now on, in bytes (0 … 1000000000), stored
 * in the database. Nothing to release. */
CRM_API int crm_document_set_max_size(crm_db *db, int64_t bytes);
/* Streaming: open with the exact size, write chunks, commit. The writer holds
 * the database's write lock until commit or free; free without commit stores nothing. */
typedef struct crm_doc_writer crm_doc_writer;
/* meta_json is read during the call only. *out is owned by the caller: release
 * it with crm_doc_writer_free (NULL is fine), also after commit. */
CRM_API int crm_doc_writer_open(crm_db *db, const char *meta_json, int64_t size, crm_doc_writer **out);
/* Writes the next size bytes of content; data is read during the call only
 * (written to the database before it returns). */
CRM_API int crm_doc_writer_write(crm_doc_writer *w, const void *data, size_t size);
/* Stores the document once all declared bytes are written; out_id may be NULL.
 * The writer is finished either way but still owned by the caller: free it
 * with crm_doc_writer_free. */
CRM_API int crm_doc_writer_commit(crm_doc_writer *w, int64_t *out_id);
/* Frees the writer (NULL is fine); an uncommitted document is not stored. */
CRM_API void crm_doc_writer_free(crm_doc_writer *w);
/* Chunked reading; *out_n is 0 at the end. With verify != 0 the SHA-256 is
 * checked when the end is reached (CRM_ECORRUPT on mismatch). */
typedef struct crm_doc_reader crm_doc_reader;
/* *out is owned by the caller: release it with crm_doc_reader_free (NULL is
 * fine); until the end is read or it is freed it keeps a read open on the
 * database. out_size (may be NULL) receives the content's size in bytes. */
CRM_API int crm_doc_reader_open(crm_db *db, int64_t document_id, int verify, crm_doc_reader **out, int64_t *out_size);
/* Reads up to cap bytes into buf and sets *out_n to the count. buf is yours:
 * written during the call only, never kept; nothing to release. */
CRM_API int crm_doc_reader_read(crm_doc_reader *r, void *buf, size_t cap, size_t *out_n);
/* Frees the reader; NULL is fine. */
CRM_API void crm_doc_reader_free(crm_doc_reader *r);
/* Records that a document was sent to a contact at at_ms (0: now);
 * interaction_id 0 = none (stored as given, no foreign key). out_id may be
 * NULL. Nothing to release. */
CRM_API int crm_document_record_sent(crm_db *db, int64_t document_id, int64_t contact_id, int64_t at_ms,
                                     int64_t interaction_id, int64_t *out_id);
/* [{"id","document_id","contact_id","sent_at","interaction_id","actor_id"}, ...] oldest first.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_document_sends(crm_db *db, int64_t document_id, char **out_json);
/* The sends to one contact, oldest first, shaped as crm_document_sends' items.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_document_sends_to_contact(crm_db *db, int64_t contact_id, char **out_json_array);
/* The documents linked to that record (an account, contact or deal), as a JSON
 * array of document metadata. *out_json_array is owned by the caller: release
 * it with crm_free(). */
CRM_API int crm_document_for_record(crm_db *db, crm_entity entity, int64_t id, char **out_json_array);
/* The content limit in bytes (crm_document_set_max_size), in *out_bytes.
 * Nothing to release. */
CRM_API int crm_document_max_size(crm_db *db, int64_t *out_bytes);
/* The bytes written so far through w, in *out_bytes (CRM_ECLOSED once it is
 * finished). Nothing to release. */
CRM_API int crm_doc_writer_written(crm_doc_writer *w, int64_t *out_bytes);

/* ---- saved segments (docs/segments.md) --------------------------------------- */
/* Segments are records (CRM_SEGMENT in crm_record_*: get, patch, delete, list,
 * history, as-of). A definition is an expression of the segment language; a bad
 * one is refused (CRM_EINVALID, crm_errfield() "definition", the message
 * "line:column: what was expected") and nothing is stored.
 * Strings passed in are read during the call only. */

/* Saves a segment; its id goes to *out_id (0 on failure). description may be
 * NULL. Nothing to release. */
CRM_API int crm_segment_define(crm_db *db, const char *name, const char *definition, const char *description,
                               int64_t *out_id);
/* The segment named name as a JSON document; CRM_ENOTFOUND if none.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_segment_get_by_name(crm_db *db, const char *name, char **out_json);
/* Deletes the segment named name (history kept). Nothing to release. */
CRM_API int crm_segment_remove_by_name(crm_db *db, const char *name);
/* The problems of an expression as a JSON array of {"offset","line","column",
 * "message"}; "[]" when it is valid (the call itself still returns CRM_OK).
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_segment_validate(crm_db *db, const char *expr, char **out_json_array);
/* How many contacts are in the saved segment segment_id (> 0, expr NULL) or
 * match expr (segment_id 0). as_of_ms 0: now; otherwise membership at that
 * time. *out_count is 0 on failure. Nothing to release. */
CRM_API int crm_segment_count(crm_db *db, int64_t segment_id, const char *expr, int64_t as_of_ms,
                              int64_t *out_count);
/* One page of the members, by id ascending: {"items":[...],"next":"CURSOR"}
 * ("next" empty on the last page). items are contact documents, or ids when
 * ids_only is non-zero. limit 1..10000; after NULL or "" for the first page,
 * else the previous page's "next". segment_id / expr / as_of_ms as in
 * crm_segment_count. *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_segment_contacts(crm_db *db, int64_t segment_id, const char *expr, size_t limit, const char *after,
                                 int64_t as_of_ms, int ids_only, char **out_json);

/* ---- lead scoring (crm/scoring.hpp; docs/scoring.md) -------------------------- */
/* Models are JSON documents (docs/scoring.md, "The rule language"); scores and
 * explanations come back as JSON documents with points as numbers with three
 * decimals. Every const char * argument is read during the call only. */

/* Stores a new model (version 1) and scores every contact under it, in one
 * transaction. CRM_EEXISTS if the name is taken; CRM_EINVALID naming the rule and
 * key (crm_errfield(): "fit[2].when.op") for a bad definition, nothing stored.
 * *out_json (the model document) is owned by the caller: release it with crm_free(). */
CRM_API int crm_scoring_define(crm_db *db, const char *definition_json, char **out_json);
/* A new version of the model named in the document; every contact rescored.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_scoring_update(crm_db *db, const char *definition_json, char **out_json);
/* One version of a model (version 0: the latest). *out_json is owned by the
 * caller: release it with crm_free(). */
CRM_API int crm_scoring_get(crm_db *db, const char *model, int version, char **out_json);
/* Every model's latest version (include_inactive 0: active ones only), by name, as
 * a JSON array. *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_scoring_list(crm_db *db, int include_inactive, char **out_json_array);
/* Every version of a model, oldest first, as a JSON array. *out_json_array is
 * owned by the caller: release it with crm_free(). */
CRM_API int crm_scoring_versions(crm_db *db, const char *model, char **out_json_array);
/* Stops keeping the model current and drops its stored scores. Nothing to release. */
CRM_API int crm_scoring_deactivate(crm_db *db, const char *model);
/* The contact's score computed now (as_of_ms NULL) or as of *as_of_ms (UTC ms;
 * read during the call only). *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_scoring_score(crm_db *db, int64_t contact_id, const char *model, const int64_t *as_of_ms,
                              char **out_json);
/* The same with every contribution (rules, occurrences, decay factors, caps).
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_scoring_explain(crm_db *db, int64_t contact_id, const char *model, const int64_t *as_of_ms,
                                char **out_json);
/* The stored (incrementally kept) score; CRM_ENOTFOUND if none. *out_json is owned
 * by the caller: release it with crm_free(). */
CRM_API int crm_scoring_stored(crm_db *db, int64_t contact_id, const char *model, char **out_json);
/* Rescores every contact now under model (NULL: every active model); the number
 * of scores written in *out_count. Nothing to release. */
CRM_API int crm_scoring_rescore(crm_db *db, const char *model, int64_t *out_count);
/* A page of stored scores, highest total first: {"items":[<score>...],"next":"<token>"}
 * (next "" on the last page). limit 1..1000; after: NULL/"" or a previous next.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_scoring_top(crm_db *db, const char *model, size_t limit, const char *after, char **out_json);
/* What storing definition_json would do, writing nothing: every contact whose total
 * would change, with the thresholds (thresholds_json: a JSON array of whole points,
 * or NULL) it would cross up or down. *out_json is owned by the caller: release it
 * with crm_free(). */
CRM_API int crm_scoring_dry_run(crm_db *db, const char *definition_json, const char *thresholds_json,
                                char **out_json);
/* ---- forms and lead capture (docs/forms.md) ------------------------------------ */
/* A form's definition is a JSON document:
 *   {"name":"contact-us","title":"…","source":"web","campaign_id":null,"on_conflict":"keep",
 *    "fields":[{"name":"email","label":"メール","type":"email","required":true,"max_length":null,
 *               "choices":[],"maps_to":"contact.emails","on_conflict":"inherit"}, …]}
 * Defines a new form (version 1); its id in *out_id (may be NULL). Nothing to
 * release. A target that is no contact/account field or defined custom field is
 * CRM_EINVALID naming "fields[i].maps_to"; a taken name CRM_EEXISTS. */
CRM_API int crm_form_define(crm_db *db, const char *form_json, int64_t *out_id);
/* Replaces the definition of form_id (the whole document; its id, version and
 * times are ignored); the version goes up by one when anything changed.
 * Nothing to release. */
CRM_API int crm_form_update(crm_db *db, int64_t form_id, const char *form_json);
/* The form's document (with id, version, created_at, updated_at).
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_form_get(crm_db *db, int64_t form_id, char **out_json);
/* The form with that name, as crm_form_get gives it.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_form_get_by_name(crm_db *db, const char *name, char **out_json);
/* Every form, by name, as a JSON array of documents.
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_form_list(crm_db *db, char **out_json_array);
/* Removes the form; its submissions stay (form_id null). Nothing to release. */
CRM_API int crm_form_remove(crm_db *db, int64_t form_id);
/* The form's versions, oldest first: [{"form_id","version","op","at","actor_id","definition"}, …]
 * (kept after a remove). *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_form_versions(crm_db *db, int64_t form_id, char **out_json_array);
/* Checks values ({"email":"a@b.jp","employees":120,"agree":true}) against the form
 * without storing anything: *out_errors_json is a JSON array of every error,
 * [{"field":"email","message":"is required"}, …], "[]" when the values would be
 * accepted. *out_errors_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_form_check(crm_db *db, int64_t form_id, const char *values_json, char **out_errors_json);
/* Submits values to the form, in one transaction. meta_json may be NULL or
 * {"at":"2026-05-01T09:00:00Z","utm_source":…,"utm_medium":…,"utm_campaign":…,
 *  "utm_term":…,"utm_content":…,"url":…,"referrer":…} ("ip" is refused: not kept).
 * *out_result_json: {"contact_id","created","account_id","account_created","changed":[…],
 * "kept":[…],"interaction_id"}. Bad values: CRM_EINVALID, nothing stored;
 * crm_errmsg() lists every field error, crm_errfield() names the first, and
 * crm_form_check gives them as a JSON array.
 * *out_result_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_form_submit(crm_db *db, int64_t form_id, const char *values_json, const char *meta_json,
                            char **out_result_json);
/* The contact's first and latest attributed touch:
 * {"first":{"interaction_id","form_id","at","source","medium","campaign","campaign_id"}|null,
 *  "latest":{…}|null,"count":N}. *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_form_touches(crm_db *db, int64_t contact_id, char **out_json);

/* ---- score thresholds with hysteresis, lifecycle (docs/scoring.md, "Thresholds") ----
 * Levels are in thousandths of a point (60 points = 60000). */
/* Defines a threshold on a scoring model's output ("total", "fit" or "engagement"):
 * a contact enters when the output goes >= enter_milli while outside and leaves when
 * it goes < leave_milli while inside. leave_milli < enter_milli, both within
 * ±1,000,000 points. stage (NULL: none) is the lifecycle stage contacts move to on
 * entering, forward only ("subscriber", "lead", "mql", "sql", "opportunity",
 * "customer"). CRM_EINVALID (field named) or CRM_ENOTFOUND (model), nothing stored.
 * *out_json {"id","name","model","output","enter","leave","stage","created_at"} is
 * owned by the caller: release it with crm_free(). */
CRM_API int crm_threshold_define(crm_db *db, const char *name, const char *model, const char *output,
                                 int64_t enter_milli, int64_t leave_milli, const char *stage, char **out_json);
/* Every threshold by name, a JSON array. *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_threshold_list(crm_db *db, char **out_json_array);
/* One threshold by name. *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_threshold_get(crm_db *db, const char *name, char **out_json);
/* The contacts inside, by id: [{"contact_id","inside":true,"since"}, …].
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_threshold_inside(crm_db *db, const char *name, char **out_json_array);
/* Removes the threshold with its state and crossings. Nothing to release. */
CRM_API int crm_threshold_remove(crm_db *db, const char *name);
/* {"contact_id","inside","since"}. *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_threshold_state(crm_db *db, const char *name, int64_t contact_id, char **out_json);
/* Crossings oldest first, [{"id","threshold","contact_id","direction":"enter"|"leave","score","at"}, …];
 * contact_id 0 = every contact. *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_threshold_crossings(crm_db *db, const char *name, int64_t contact_id, char **out_json_array);
/* Called once per crossing, after the transaction that made it commits (never for
 * one rolled back), with the crossing's JSON (valid only during the call). */
typedef void (*crm_threshold_fn)(const char *crossing_json, void *payload);
/* Registers db's threshold hook (NULL removes it). Kept: db stores hook and payload
 * until replaced or db is closed; payload must stay valid that long. The hook runs
 * on the thread that committed; it may call crm functions on db but not close it.
 * payload is borrowed, never freed by the library. Nothing to release. */
CRM_API int crm_threshold_set_hook(crm_db *db, crm_threshold_fn hook, void *payload);
/* The contact's lifecycle stage changes oldest first,
 * [{"at","from"|null,"to","actor_id"|null,"reason"|null}, …].
 * *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_contact_lifecycle(crm_db *db, int64_t contact_id, char **out_json_array);
/* Sets the contact's stage to "recycled", recording reason (1..1000 bytes) in its
 * history. Nothing to release. */
CRM_API int crm_contact_recycle(crm_db *db, int64_t contact_id, const char *reason);

/* ---- normalisation (docs/normalize.md) ----------------------------------------
 * What people type, made comparable; no database needed. `what` is one of
 *   "email"    an address as a matching key (trimmed, NFKC, case folded, the domain by
 *              UTS #46): CRM_EINVALID when it is not one address;
 *   "phone"    E.164 ("+81312345678"), numbers without a country code read in `region`
 *              (ISO 3166 alpha-2; NULL or "" = "JP"): CRM_EINVALID when not a possible number;
 *   "text"     NFKC, trimmed, white space runs as one space;
 *   "fold"     a name's matching key (NFKC case folded, kana folded, no spaces/punctuation);
 *   "kana"     a reading's key (hiragana and half-width as katakana, no spaces or ・);
 *   "company"  a company name's key, its legal form (株式会社, (株), Co., Ltd., Inc. …) left out.
 * value is UTF-8 (at most the library's text limit); region is borrowed. On success
 * *out is owned by the caller: release it with crm_free(). */
CRM_API int crm_normalize(const char *what, const char *value, const char *region, char **out);
/* ---- re-engagement and churn signals (docs/signals.md) ----
 * Rules flag a contact once per episode: reactivated_lost_deal, reactivated_lead and
 * url_visit when an interaction is stored, dormant_customer on crm_signal_scan. */
/* Defines a rule from its JSON document, e.g.
 * {"name":"解約ページ","kind":"url_visit","pattern":"*cancel*","task":{"title":"フォロー","due_hours":24}}.
 * Unknown keys, keys not meant for the kind, out-of-range numbers and bad patterns
 * are refused with CRM_EINVALID (field named); a taken name with CRM_EEXISTS; nothing
 * is stored. *out_json (the stored rule) is owned by the caller: release it with crm_free(). */
CRM_API int crm_signal_define(crm_db *db, const char *rule_json, char **out_json);
/* Every rule by name, a JSON array. *out_json_array is owned by the caller: release it with crm_free(). */
CRM_API int crm_signal_list(crm_db *db, char **out_json_array);
/* One rule by name. *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_signal_get(crm_db *db, const char *name, char **out_json);
/* Removes the rule and its flags (tasks it created stay). Nothing to release. */
CRM_API int crm_signal_remove(crm_db *db, const char *name);
/* Flags by id, oldest first: rule (NULL or "" = every rule), contact_id (0 = every
 * contact), unacknowledged_only (non-zero: only those not acknowledged), limit
 * 1..10000, after_id (0 = from the first). [{"id","rule","rule_id","kind","contact_id",
 * "episode","at","interaction_id","deal_id","task_id","detail","recorded_at",
 * "acknowledged_at","acknowledged_by"}, …]. *out_json_array is owned by the caller:
 * release it with crm_free(). */
CRM_API int crm_signal_flags(crm_db *db, const char *rule, int64_t contact_id, int unacknowledged_only,
                             int64_t limit, int64_t after_id, char **out_json_array);
/* Marks a flag acknowledged now by the actor; CRM_ENOTFOUND for no such flag,
 * CRM_EINVALID if it already is. *out_json (the flag) is owned by the caller:
 * release it with crm_free(). */
CRM_API int crm_signal_ack(crm_db *db, int64_t flag_id, char **out_json);
/* Evaluates the dormant_customer rules with activity up to as_of_ms (0 = now) and
 * records the new flags in one transaction; *out_new is how many were new (an
 * integer written by the library: nothing to release). */
CRM_API int crm_signal_scan(crm_db *db, int64_t as_of_ms, int64_t *out_new);
/* Called once per new flag, after the transaction that recorded it commits (never
 * for one rolled back), with the flag's JSON (valid only during the call). */
typedef void (*crm_signal_fn)(const char *flag_json, void *payload);
/* Registers db's signal hook (NULL removes it). Kept: db stores hook and payload
 * until replaced or db is closed; payload must stay valid that long. The hook runs
 * on the thread that committed; it may call crm functions on db but not close it.
 * payload is borrowed, never freed by the library. Nothing to release. */
CRM_API int crm_signal_set_hook(crm_db *db, crm_signal_fn hook, void *payload);
/* ---- predictive scoring (crm/predictive.hpp; docs/predictive.md) ----------------
 * A logistic-regression model trained from the database's own outcomes (contacts
 * that converted to a lifecycle stage, or that have a won deal). Definitions go in
 * and models, reports and predictions come back as JSON documents
 * (docs/predictive.md). Every const char * argument is read during the call only. */

/* Trains a model from definition_json and stores it as a new version (1 for a new
 * name) with its report, then stores every contact's prediction under it, in one
 * transaction. CRM_EINVALID naming the key (crm_errfield(): "features[2].window_days",
 * "outcome", "holdout") for a bad definition or data that cannot train a model;
 * nothing is stored. *out_json {"id","name","version","latest_version","created_at",
 * "definition","report"} is owned by the caller: release it with crm_free(). */
CRM_API int crm_predictive_train(crm_db *db, const char *definition_json, char **out_json);
/* One version of a model (version 0: the latest) with its report. *out_json is
 * owned by the caller: release it with crm_free(). */
CRM_API int crm_predictive_get(crm_db *db, const char *model, int version, char **out_json);
/* Every model's latest version, by name, as a JSON array. *out_json_array is owned
 * by the caller: release it with crm_free(). */
CRM_API int crm_predictive_list(crm_db *db, char **out_json_array);
/* Every version of a model, oldest first, as a JSON array. *out_json_array is owned
 * by the caller: release it with crm_free(). */
CRM_API int crm_predictive_versions(crm_db *db, const char *model, char **out_json_array);
/* The contact's prediction under the latest version, from its data now (as_of_ms
 * NULL) or as of *as_of_ms (UTC ms; read during the call only), with the top_k
 * (1..1000) positive and negative factors: {"contact_id","model","version","as_of",
 * "score","probability","logit","intercept","positive":[…],"negative":[…]}.
 * *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_predictive_score(crm_db *db, int64_t contact_id, const char *model, const int64_t *as_of_ms,
                                 size_t top_k, char **out_json);
/* The stored prediction {"contact_id","model","version","as_of","score","probability"};
 * CRM_ENOTFOUND if none. *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_predictive_stored(crm_db *db, int64_t contact_id, const char *model, char **out_json);
/* Recomputes every contact's stored prediction now; the number written in
 * *out_count. Nothing to release. */
CRM_API int crm_predictive_rescore(crm_db *db, const char *model, int64_t *out_count);
/* A page of stored predictions, highest probability first:
 * {"items":[<stored prediction>...],"next":"<token>"} (next "" on the last page).
 * limit 1..1000; after: NULL/"" or a previous next. *out_json is owned by the
 * caller: release it with crm_free(). */
CRM_API int crm_predictive_top(crm_db *db, const char *model, size_t limit, const char *after, char **out_json);
/* ---- routing of hot leads (docs/routing.md) ----
 * A routing is a JSON document (docs/routing.md): ordered rules on contact, account
 * and custom fields, territories, one owner or a round-robin pool per rule, per-owner
 * capacity, a required fallback owner, the follow-up task and its business calendar. */
/* Stores a new routing (version 1). CRM_EINVALID (field named: no fallback, an unknown
 * or inactive user, an unknown field or calendar …) or CRM_EEXISTS, nothing stored.
 * *out_json {"id","name","version","latest_version","definition","created_at"} is
 * owned by the caller: release it with crm_free(). */
CRM_API int crm_routing_define(crm_db *db, const char *definition_json, char **out_json);
/* A new version of the routing the document names (CRM_ENOTFOUND if none). *out_json
 * as crm_routing_define, owned by the caller: release it with crm_free(). */
CRM_API int crm_routing_update(crm_db *db, const char *definition_json, char **out_json);
/* One version of a routing (version 0 = the latest). *out_json is owned by the caller:
 * release it with crm_free(). */
CRM_API int crm_routing_get(crm_db *db, const char *name, int version, char **out_json);
/* Every routing's latest version, by name, a JSON array. *out_json_array is owned by
 * the caller: release it with crm_free(). */
CRM_API int crm_routing_list(crm_db *db, char **out_json_array);
/* Every version of a routing, oldest first, a JSON array. *out_json_array is owned by
 * the caller: release it with crm_free(). */
CRM_API int crm_routing_versions(crm_db *db, const char *name, char **out_json_array);
/* Routes the contact with the routing, in one transaction: owner set, follow-up task
 * created, hand-off stored. dry_run non-zero: decides and reports, writes nothing.
 * *out_handoff_json {"id","routing","version","contact_id","status","owner_id","rule",
 * "reason","position","trials":[…],"task_id","due_at","scores":[…],"timeline":[…],…}
 * is owned by the caller: release it with crm_free(). */
CRM_API int crm_route(crm_db *db, const char *routing, int64_t contact_id, int dry_run, char **out_handoff_json);
/* One stored hand-off. *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_routing_handoff(crm_db *db, int64_t handoff_id, char **out_json);
/* A contact's hand-offs, oldest first, a JSON array. *out_json_array is owned by the
 * caller: release it with crm_free(). */
CRM_API int crm_routing_handoffs(crm_db *db, int64_t contact_id, char **out_json_array);
/* Runs the routing for each contact entering the threshold (replaces one attached
 * before). CRM_ENOTFOUND for an unknown threshold or routing. Nothing to release. */
CRM_API int crm_routing_attach(crm_db *db, const char *threshold, const char *routing);
/* Removes the threshold's routing (CRM_ENOTFOUND if none). Nothing to release. */
CRM_API int crm_routing_detach(crm_db *db, const char *threshold);

/* ---- import and export (docs/import.md) -----------------------------------------
 * mapping_json is the mapping language of docs/import.md: {"kind": "contact",
 * "fields": [{"column": "氏名", "field": "name"}, …], "match": ["email"], …}.
 * options_json (NULL for the defaults) is an object of:
 *   "format": "csv" | "jsonl"; "dry_run": bool; "rejects": a path for the reject file;
 *   "source_name": recorded with the batch (default: the path); "rows_per_commit": 1 … 1000000.
 * A mapping or options that cannot be used, or input that cannot be read on, is an
 * error (CRM_EINVALID / CRM_ENOTFOUND / CRM_EIO) with its line; refused rows are not:
 * they are in the report ("rejected", "rejects": [{"line","column","reason"}], the first
 * 1000) and in the reject file. On success *out_report_json {"batch","dry_run","rows",
 * "created","updated","unchanged","skipped","rejected","references_created",
 * "unmapped_columns","sha256","seconds","rejects"} is owned by the caller: release it
 * with crm_free(). */
CRM_API int crm_import_file(crm_db *db, const char *mapping_json, const char *path, const char *options_json,
                            char **out_report_json);
/* The same over `size` bytes in memory (borrowed; options' source_name names them). */
CRM_API int crm_import_buffer(crm_db *db, const char *mapping_json, const char *data, size_t size,
                              const char *options_json, char **out_report_json);
/* Undoes a whole batch in one transaction (records it created removed, those it
 * updated restored). CRM_ECONSTRAINT, nothing changed, when a field it wrote was
 * changed since (force != 0 puts the old values back anyway) or it was undone already.
 * *out_json {"removed","restored"} is owned by the caller: release it with crm_free(). */
CRM_API int crm_import_undo(crm_db *db, int64_t batch_id, int force, char **out_json);
/* One batch: {"id","kind","source","sha256","mapping","started_at","finished_at" (null:
 * interrupted),"actor_id","rows","created","updated","skipped","rejected",
 * "references_created","undone_at"}. *out_json is owned by the caller: crm_free(). */
CRM_API int crm_import_get(crm_db *db, int64_t batch_id, char **out_json);
/* Every batch, newest first, a JSON array. *out_json_array is owned by the caller: crm_free(). */
CRM_API int crm_import_list(crm_db *db, char **out_json_array);
/* Checks a mapping without a database: CRM_EINVALID naming the key at fault, or
 * *out_json the mapping with every default filled in (owned by the caller: crm_free()). */
CRM_API int crm_mapping_check(const char *mapping_json, char **out_json);
/* Writes the records of the mapping's kind to the file at path (replaced only when the
 * whole export succeeded). options_json (NULL: defaults) is an object of "format":
 * "csv"|"jsonl", "where": ["field=value", …], "encoding": "utf-8"|"cp932", "bom": bool,
 * "neutralize_formulas": bool (for spreadsheets; not for re-import). *out_count (may be
 * NULL) receives the number of records written. Nothing to release. */
CRM_API int crm_export_file(crm_db *db, const char *mapping_json, const char *path, const char *options_json,
                            int64_t *out_count);

/* ---- CSV files (docs/csv.md) ------------------------------------------------------
 * A streaming reader: one record at a time, memory flat in the file's size. options_json
 * (NULL: defaults) is an object of "encoding": "auto"|"utf-8"|"cp932", "delimiter":
 * "auto"|","|";"|"|"|"tab", "header": bool (default true), "lenient_quotes": bool,
 * "ragged": "error"|"pad"|"keep", "max_cell_bytes". */
typedef struct crm_csv_reader crm_csv_reader;
/* *out is owned by the caller: release it with crm_csv_reader_free (NULL is fine). */
CRM_API int crm_csv_reader_open(const char *path, const char *options_json, crm_csv_reader **out);
/* The header's fields, a JSON array of strings. *out_json_array is owned by the caller: crm_free(). */
CRM_API int crm_csv_reader_header(crm_csv_reader *r, char **out_json_array);
/* The next record as a JSON array of strings (UTF-8) and the line it starts on; at the
 * end CRM_OK with *out_json_array NULL. Bad input: CRM_EINVALID whose message names the
 * line and column (crm_last_error_field is empty); every later call gives it again.
 * *out_json_array is owned by the caller: crm_free(). out_line may be NULL. */
CRM_API int crm_csv_reader_next(crm_csv_reader *r, char **out_json_array, int64_t *out_line);
/* {"encoding","delimiter","bom","records","ragged"} so far. *out_json is owned by the caller: crm_free(). */
CRM_API int crm_csv_reader_info(crm_csv_reader *r, char **out_json);
/* Closes the file and frees r (NULL is fine). Nothing to release. */
CRM_API void crm_csv_reader_free(crm_csv_reader *r);
typedef struct crm_csv_writer crm_csv_writer;
/* A writer to a new file: options_json (NULL: defaults) of "encoding": "utf-8"|"cp932",
 * "delimiter", "bom", "crlf" (default true), "neutralize_formulas", "replace_unmappable",
 * "quote_all". *out is owned by the caller: crm_csv_writer_close writes the rest and frees it. */
CRM_API int crm_csv_writer_open(const char *path, const char *options_json, crm_csv_writer **out);
/* One record from a JSON array of strings (borrowed). CRM_EINVALID names the cell that
 * cannot be written (not UTF-8, not in CP932); nothing of the record is written then. */
CRM_API int crm_csv_writer_write(crm_csv_writer *w, const char *fields_json_array);
/* Flushes, closes and frees w (NULL is fine: CRM_OK); CRM_EIO when the file could not be written. */
CRM_API int crm_csv_writer_close(crm_csv_writer *w);
/* ---- full-text search (docs/search.md) ------------------------------------------
 * Contacts, accounts, interactions, tickets, documents and every other kind's
 * searchable fields, matched as folded substrings (NFKC, hiragana as katakana, case):
 * terms of three characters or more through a trigram index, of one or two (林, 顧客,
 * an English word prefix) through a second index; every term must match; ranked by
 * bm25. The query is the user's text, searched as text: FTS5 operators, quotes and
 * parentheses in it are characters, never syntax. */
/* query: UTF-8, at most 1024 bytes and 16 terms; read during the call only.
 * options_json: NULL or {"kinds":["contact",…],"where":["lifecycle_stage=mql",…],
 * "limit":20} ("where" needs exactly one kind; limit 1..1000), read during the call only.
 * *out_json_array [{"id":1,"kind":"contact","rank":-1.2,"snippet":"…","title":"…"},…],
 * best first, is owned by the caller: release it with crm_free(). */
CRM_API int crm_search(crm_db *db, const char *query, const char *options_json, char **out_json_array);
/* Recreates the search index from the records, in one transaction; the number of
 * records indexed goes to *out_count. Nothing to release. */
CRM_API int crm_search_rebuild(crm_db *db, int64_t *out_count);
/* ---- duplicate detection and undoable merge (crm/dedup.hpp; docs/dedup.md) ----
 * kind is CRM_CONTACT or CRM_ACCOUNT (anything else: CRM_EINVALID, field "kind"). */
/* Candidate duplicate pairs with min_score (0..100) or more, at most limit (1..10000),
 * by score then ids: a JSON array of {"a","b","score","reasons":[…]}. *out_json_array
 * is owned by the caller: release it with crm_free(). */
CRM_API int crm_dedup_find(crm_db *db, crm_entity kind, int min_score, int64_t limit, char **out_json_array);
/* Merges record merged_id into survivor_id in one transaction. options_json NULL or
 * {"take_merged":["title","custom.rank",…],"dry_run":true}. *out_json, the merge
 * {"id" (null for a dry run),"kind","survivor_id","merged_id","dry_run","at","fields":[…],
 * "relations":[{"kind","field","count"}],"survivor":{…}}, is owned by the caller:
 * release it with crm_free(). CRM_ENOTFOUND for a missing record (the message says
 * where a merged-away one went); CRM_EINVALID for the same id twice, an unknown field,
 * an account its own parent. Nothing changes on failure. */
CRM_API int crm_dedup_merge(crm_db *db, crm_entity kind, int64_t survivor_id, int64_t merged_id,
                            const char *options_json, char **out_json);
/* Undoes a merge: the merged record returns under its id with its relations.
 * *out_json (the merge, "undone_at" set) is owned by the caller: release it with
 * crm_free(). CRM_ENOTFOUND: no such merge; CRM_EINVALID: undone already, or a later
 * merge of either record is not undone. */
CRM_API int crm_dedup_undo(crm_db *db, int64_t merge_id, char **out_json);
/* One merge. *out_json is owned by the caller: release it with crm_free(). */
CRM_API int crm_dedup_get(crm_db *db, int64_t merge_id, char **out_json);
/* Merges, newest first; kind NULL = every kind. *out_json_array is owned by the
 * caller: release it with crm_free(). */
CRM_API int crm_dedup_merges(crm_db *db, const crm_entity *kind, int64_t limit, char **out_json_array);
/* Where a merged-away record went: *out_id = the live record it was merged into
 * (following later merges), 0 if it was never merged away. Nothing to release. */
CRM_API int crm_merged_into(crm_db *db, crm_entity kind, int64_t id, int64_t *out_id);

#ifdef __cplusplus
}
#endif

#endif /* CRM_H */
