/* Shared helpers of the pure-C ABI test (C99). */
#ifndef CRM_CAPI_TEST_H
#define CRM_CAPI_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"

extern int g_failures;
extern int64_t g_now; /* the fake clock every test database uses (UTC ms) */

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: CHECK(%s) failed [last: %s %s]\n", __FILE__, __LINE__, \
                    #cond, crm_strerror(crm_errcode()), crm_errmsg());                      \
            ++g_failures;                                                                   \
        }                                                                                   \
    } while (0)

/* Runs a crm call and checks its status code. */
#define CHECK_RC(expr, want)                                                                  \
    do {                                                                                      \
        int check_rc_ = (expr);                                                               \
        if (check_rc_ != (want)) {                                                            \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s (%s)\n", __FILE__, __LINE__, \
                    #expr, crm_strerror(check_rc_), crm_strerror(want), crm_errmsg());       \
            ++g_failures;                                                                     \
        }                                                                                     \
    } while (0)

#define CHECK_OK(expr) CHECK_RC((expr), CRM_OK)

/* Temp files: every path lives in one directory made by mkdtemp and removed at exit. */
void tmp_path(char *buf, size_t size, const char *name);
/* A fresh database file `name` in the temp dir, on the fake clock. Aborts on failure. */
crm_db *open_fresh(const char *name);

/* JSON inspection without a parser: the library writes compact documents
 * ("key":value, no spaces) with keys in alphabetical order. */
int has(const char *doc, const char *needle);          /* strstr != NULL */
int64_t json_int(const char *doc, const char *key);   /* first "key":<int>; INT64_MIN if absent */
int count_of(const char *doc, const char *needle);    /* occurrences */
char *get_doc(crm_db *db, crm_entity e, int64_t id);  /* owned (crm_free) or NULL */
int64_t create_ok(crm_db *db, crm_entity e, const char *json); /* checks CRM_OK; id or 0 */
/* Checks the record's stored document equals `before` (a failed write changed nothing). */
void check_unchanged(crm_db *db, crm_entity e, int64_t id, const char *before, int line);
#define CHECK_UNCHANGED(db, e, id, before) check_unchanged((db), (e), (id), (before), __LINE__)

/* The test groups. */
void test_records(void);
void test_lookups_and_history(void);
void test_query(void);
void test_custom_fields_and_tags(void);
void test_transactions(void);
void test_errors(void);
void test_closed_handles(void);
void test_service(void); /* [service] capi_test_service.c */
void test_interactions(void); /* [interactions] capi_test_interactions.c */
void test_work(void); /* [work] capi_test_work.c */
void test_threads(void);
void test_deep_documents(void); /* capi_test_threads.c: nesting limits on a 1 MiB stack */
void test_dated(void); /* capi_test_dated.c */
void test_sales(void); /* [sales] */
void test_parity(void); /* capi_test_parity.c: what issue 8 added */
void test_segments(void); /* [segments] capi_test_segments.c */
void test_scoring(void); /* [scoring] capi_test_scoring.c */
void test_forms(void); /* capi_test_forms.c */
void test_thresholds(void); /* capi_test_thresholds.c */
void test_normalize(void);
void test_import(void); /* capi_test_import.c: import, export */
void test_csv(void);    /* capi_test_import.c: the CSV reader and writer */
void test_signals(void);    /* capi_test_signals.c */
void test_predictive(void); /* capi_test_predictive.c */
void test_routing(void); /* capi_test_routing.c */
void test_search(void); /* capi_test_search.c */
void test_dedup(void); /* capi_test_dedup.c */

#endif
