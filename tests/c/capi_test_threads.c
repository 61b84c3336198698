/* The thread rules of crm.h: the last error is per thread, and one crm_db per
 * thread on the same file lets threads write at the same time. */
#include "capi_test.h"

#include <pthread.h>

struct worker {
    char path[600];
    int index;
    int failures;     /* counted here, not in g_failures: CHECK is not thread-safe */
    int errcode_seen; /* the thread's own crm_errcode() after its failed call */
};

enum { kThreads = 4, kPerThread = 25 };

static void *write_contacts(void *arg) {
    struct worker *w = (struct worker *)arg;
    crm_db *db = NULL;
    char json[200], *doc = NULL;
    int64_t id = 0;
    int i;
    if (crm_db_open(&db, w->path, NULL) != CRM_OK) {
        ++w->failures;
        return NULL;
    }
    for (i = 0; i < kPerThread; ++i) {
        snprintf(json, sizeof json, "{\"name\":\"スレッド%d 連絡先%d\",\"emails\":[\"t%d.c%d@example.jp\"]}", w->index, i,
                 w->index, i);
        if (crm_record_create(db, CRM_CONTACT, json, &id) != CRM_OK) ++w->failures;
    }
    /* This thread's failure does not disturb the main thread's last error. */
    if (crm_record_get(db, CRM_ACCOUNT, 424242, &doc) != CRM_ENOTFOUND) ++w->failures;
    w->errcode_seen = crm_errcode();
    crm_db_close(db);
    return NULL;
}

void test_threads(void) {
    struct worker workers[kThreads];
    pthread_t threads[kThreads];
    crm_db *db = open_fresh("threads.crm");
    char *doc = NULL;
    int64_t n = 0;
    int i;

    /* A failure on the main thread, kept while other threads fail and succeed. */
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"nmae\":\"x\"}", &n), CRM_EINVALID);

    for (i = 0; i < kThreads; ++i) {
        memset(&workers[i], 0, sizeof workers[i]);
        tmp_path(workers[i].path, sizeof workers[i].path, "threads.crm");
        workers[i].index = i;
        CHECK(pthread_create(&threads[i], NULL, write_contacts, &workers[i]) == 0);
    }
    for (i = 0; i < kThreads; ++i) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(workers[i].failures == 0);
        CHECK(workers[i].errcode_seen == CRM_ENOTFOUND);
    }
    CHECK(crm_errcode() == CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "nmae") == 0);

    /* Every write of every thread landed. */
    CHECK_OK(crm_record_count(db, CRM_CONTACT, NULL, &n));
    CHECK(n == kThreads * kPerThread);
    CHECK_OK(crm_contact_get_by_email(db, "t3.c24@example.jp", &doc));
    CHECK(has(doc, "\"name\":\"スレッド3 連絡先24\""));
    crm_free(doc);
    crm_db_close(db);
}
