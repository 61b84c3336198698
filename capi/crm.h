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
 *   code. Out-parameters come first after the handle; on failure pointer
 *   outputs are set to NULL and integer outputs to 0.
 * - The last status of each thread is kept thread-locally: crm_errcode(),
 *   crm_errmsg(), crm_errfield(), crm_sqlite_errcode(). Every function that
 *   returns a status sets it (CRM_OK clears it); the accessors, crm_free,
 *   crm_version, crm_abi_version, crm_strerror and the *_free and *_close functions
 *   leave it alone. The strings are valid until the next status-returning
 *   crm call on the same thread.
 * - Text is UTF-8 and NUL-terminated. Input that is not valid UTF-8 is
 *   refused with CRM_EINVALID. NULL where a pointer is required is
 *   CRM_EINVALID with a message naming the argument.
 * - Memory: a `char **out` result is owned by the caller and must be released
 *   with crm_free() (never free(): the library may use another allocator).
 *   A `const char **out` result is borrowed; its lifetime is stated per
 *   function. Handles are released with their *_free / *_close function, all
 *   of which accept NULL.
 *
 * Why records cross as JSON documents
 *   Users, teams, accounts and contacts are passed in and out as JSON text,
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

#define CRM_VERSION_MAJOR 0
#define CRM_VERSION_MINOR 1
#define CRM_VERSION_PATCH 0
#define CRM_VERSION_STRING "0.1.0"
/* The ABI revision this header describes. Additions (functions, enum values,
 * appended option fields, new JSON keys) keep it; an incompatible change
 * bumps it. Check crm_abi_version() == CRM_ABI_VERSION at start-up. */
#define CRM_ABI_VERSION 1

CRM_API const char *crm_version(void); /* runtime library version, "0.1.0"; static */
CRM_API int crm_abi_version(void);     /* CRM_ABI_VERSION of the loaded library */

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

CRM_API int crm_errcode(void);              /* last status on this thread */
CRM_API const char *crm_errmsg(void);       /* its message; "" after CRM_OK; never NULL */
CRM_API const char *crm_errfield(void);     /* field it concerns, e.g. "emails[0].address"; "" if none */
CRM_API int crm_sqlite_errcode(void);       /* SQLite extended result code, 0 if SQLite was not involved */
CRM_API const char *crm_strerror(int code); /* static name of a code: "CRM_ENOTFOUND" */

/* Releases a string returned through a `char **` out-parameter. NULL is fine. */
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
    CRM_CONTACT = 4
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
 * CRM_EINVALID for an unknown version. */
CRM_API int crm_open_options_init(crm_open_options *opts, unsigned version);

/* Opens (creating and migrating as needed) the database at `path` (UTF-8;
 * ":memory:" for a private in-memory one). opts may be NULL for defaults.
 * A file that is not a database: CRM_ECORRUPT, and the file is not written.
 * A file from a newer crm: CRM_ESCHEMA. */
CRM_API int crm_db_open(crm_db **out, const char *path, const crm_open_options *opts);

/* Rolls back an open transaction, closes the connection and frees db.
 * NULL is fine. db must not be used afterwards. Transactions and cursors made
 * from it stay valid objects that answer CRM_ECLOSED until you free them. */
CRM_API void crm_db_close(crm_db *db);

/* The schema version (PRAGMA user_version) of the open file. */
CRM_API int crm_db_schema_version(crm_db *db, int *out_version);

/* Who makes the following changes: stored as actor_id in every history row.
 * 0 means unknown (the default). */
CRM_API int crm_db_set_actor(crm_db *db, int64_t user_id);

/* Time source for created_at / updated_at / history times, in UTC
 * milliseconds since the epoch; for tests and replays. NULL restores the
 * system clock. The callback must not fail; payload is passed through. */
typedef int64_t (*crm_clock_fn)(void *payload);
CRM_API int crm_db_set_clock(crm_db *db, crm_clock_fn clock, void *payload);

/* ---- transactions --------------------------------------------------------- */

/* Starts a transaction (BEGIN IMMEDIATE): every operation on db joins it until
 * it is committed or rolled back. One at a time per crm_db (CRM_EINVALID if
 * one is open). A failed commit (e.g. CRM_EBUSY) leaves it open: retry or
 * roll back. After commit or rollback the handle is finished: both return
 * CRM_ECLOSED; free it with crm_txn_free (which rolls back if still open). */
CRM_API int crm_txn_begin(crm_txn **out, crm_db *db);
CRM_API int crm_txn_commit(crm_txn *txn);
CRM_API int crm_txn_rollback(crm_txn *txn);
CRM_API void crm_txn_free(crm_txn *txn);

/* ---- records: one family for every crm_entity ----------------------------- */

/* Creates a record from a JSON document (id, created_at, updated_at ignored).
 * Example contact: {"name":"山田 太郎","name_reading":"ヤマダ タロウ",
 *   "emails":["taro@example.jp"],"account_id":1,"tags":["vip"]} */
CRM_API int crm_record_create(crm_db *db, crm_entity entity, const char *json, int64_t *out_id);

/* The record as a JSON document (owned: crm_free). CRM_ENOTFOUND if absent. */
CRM_API int crm_record_get(crm_db *db, crm_entity entity, int64_t id, char **out_json);
CRM_API int crm_record_get_by_external_id(crm_db *db, crm_entity entity, const char *external_id,
                                          char **out_json);

/* Applies an RFC 7386 JSON merge patch: keys present are set, null clears,
 * absent keys are kept; e.g. {"title":"部長","address":{"city":"大阪市"}}.
 * Read, patch and write form one atomic unit. A failed update changes nothing. */
CRM_API int crm_record_update(crm_db *db, crm_entity entity, int64_t id, const char *json_merge_patch);

/* Deletes the record (references to it are cleared, each with its history). */
CRM_API int crm_record_delete(crm_db *db, crm_entity entity, int64_t id);

/* Lists one page of records. query_json is NULL (first 100 by id) or
 *   {"where":["employee_count>=100","tag=vip","name~山田"], "order_by":"name",
 *    "desc":false, "limit":50, "after":"<token from crm_cursor_next_page_token>"}
 * Filter operators: = != < <= > >= ~ (contains) ^= (prefix); "field?" (set),
 * "!field" (unset); fields are those of the entity, "tag", "custom.<name>".
 * limit is 1..10000 (default 100). The page is read when the call returns. */
CRM_API int crm_record_list(crm_db *db, crm_entity entity, const char *query_json, crm_cursor **out);

/* The number of records matching query_json's "where" (NULL: all records).
 * The other keys of a list query are accepted and do not change the count. */
CRM_API int crm_record_count(crm_db *db, crm_entity entity, const char *query_json, int64_t *out_count);

/* The record's change history, oldest first, as a JSON array of
 * {"id","entity","record_id","at","actor_id","op","field","old","new"}. */
CRM_API int crm_record_history(crm_db *db, crm_entity entity, int64_t id, char **out_json_array);

/* The record as it was at at_ms (UTC ms since the epoch); works for deleted
 * records too. CRM_ENOTFOUND if it did not exist then. */
CRM_API int crm_record_get_as_of(crm_db *db, crm_entity entity, int64_t id, int64_t at_ms, char **out_json);

CRM_API int crm_record_add_tag(crm_db *db, crm_entity entity, int64_t id, const char *tag);
CRM_API int crm_record_remove_tag(crm_db *db, crm_entity entity, int64_t id, const char *tag);

/* Sets one custom field (defined with crm_custom_field_define) to a JSON
 * value: "text", 42, true, "12.50", "2026-04-01", or null to clear it. */
CRM_API int crm_record_set_custom(crm_db *db, crm_entity entity, int64_t id, const char *field,
                                  const char *value_json);

/* ---- cursors -------------------------------------------------------------- */

/* The next record of the page as a JSON document. *out_json is borrowed: it
 * stays valid until the next crm_cursor_next or crm_cursor_free on this
 * cursor; copy it to keep it. Returns CRM_ITEROVER (and *out_json = NULL)
 * after the last one, and CRM_ECLOSED once the database is closed. */
CRM_API int crm_cursor_next(crm_cursor *cursor, const char **out_json);

/* The "after" token for the next page (owned: crm_free): an opaque base64url
 * string that goes into the next query's JSON as it is. CRM_ITEROVER (and
 * *out = NULL) when this page is the last. */
CRM_API int crm_cursor_next_page_token(crm_cursor *cursor, char **out);

CRM_API void crm_cursor_free(crm_cursor *cursor);

/* ---- entity-specific lookups (results owned: crm_free) -------------------- */

CRM_API int crm_contact_get_by_email(crm_db *db, const char *email, char **out_json);
CRM_API int crm_user_get_by_email(crm_db *db, const char *email, char **out_json);
/* Changes of employer (account_id), department and title, oldest first: a
 * JSON array of history entries (the first position appears as "create"). */
CRM_API int crm_contact_employment_history(crm_db *db, int64_t contact_id, char **out_json_array);
CRM_API int crm_account_contacts(crm_db *db, int64_t account_id, char **out_json_array);
CRM_API int crm_account_subsidiaries(crm_db *db, int64_t account_id, char **out_json_array);
CRM_API int crm_team_members(crm_db *db, int64_t team_id, char **out_json_array);

/* ---- custom field definitions --------------------------------------------- */

/* def_json: {"entity":"contact","name":"rank","label":"顧客ランク",
 *            "type":"enum","options":["A","B","C"]}
 * type is text, integer, decimal, date, bool or enum. */
CRM_API int crm_custom_field_define(crm_db *db, const char *def_json, int64_t *out_id);
CRM_API int crm_custom_field_get(crm_db *db, crm_entity entity, const char *name, char **out_json);
CRM_API int crm_custom_field_list(crm_db *db, crm_entity entity, char **out_json_array);
/* Refused with CRM_ECONSTRAINT while any record still has a value for it. */
CRM_API int crm_custom_field_remove(crm_db *db, crm_entity entity, const char *name);

/* ---- the change feed ------------------------------------------------------ */

/* Every change with id > after_id, oldest first, at most limit (1..100000),
 * as a JSON array of history entries: a feed for other systems. */
CRM_API int crm_history_since(crm_db *db, int64_t after_id, size_t limit, char **out_json_array);

/* ---- sales: products, campaigns, pipelines, deals ------------------------- */

/* ---- interactions and timelines -------------------------------------------- */

/* ---- service: tickets and SLAs ---------------------------------------------- */

/* ---- work: tasks, reminders, documents --------------------------------------- */

#ifdef __cplusplus
}
#endif

#endif /* CRM_H */
