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

/* ---- documents nested far too deep, on a thread with a small stack ----------------
 * A JVM or Windows thread often has 1 MiB of stack; a parser that recursed once per
 * level would overflow it within ten thousand levels. Every JSON input of the C ABI
 * refuses such a document with CRM_EINVALID and writes nothing: "nested more than N
 * levels deep", or the first value of the wrong type where the reader meets it first
 * (a custom value must be a scalar). */
enum { kDeep = 100000 };

struct deep_run {
    crm_db *db;
    int64_t contact;
    int failures;
};

/* prefix + kDeep copies of open + kDeep copies of close + suffix; caller frees. */
static char *nested(const char *prefix, const char *open, const char *close, const char *suffix) {
    size_t lp = strlen(prefix), lo = strlen(open), lc = strlen(close), ls = strlen(suffix), i;
    char *s = (char *)malloc(lp + kDeep * (lo + lc) + ls + 1), *p;
    if (!s) return NULL;
    p = s;
    memcpy(p, prefix, lp);
    p += lp;
    for (i = 0; i < kDeep; ++i, p += lo) memcpy(p, open, lo);
    for (i = 0; i < kDeep; ++i, p += lc) memcpy(p, close, lc);
    memcpy(p, suffix, ls + 1);
    return s;
}

#define DEEP_CHECK(w, call)                                                                   \
    do {                                                                                      \
        int rc_ = (call);                                                                     \
        if (rc_ != CRM_EINVALID ||                                                            \
            !(has(crm_errmsg(), "levels deep") || has(crm_errmsg(), "must be a string"))) {   \
            fprintf(stderr, "capi_test: %s -> %d (%s)\n", #call, rc_, crm_errmsg());          \
            ++(w)->failures;                                                                  \
        }                                                                                     \
    } while (0)

static void *deep_documents(void *arg) {
    struct deep_run *w = (struct deep_run *)arg;
    char *arrays = nested("{\"name\":\"深い\",\"custom\":{\"v\":", "[", "]", "}}");
    char *objects = nested("{\"name\":\"深い\",\"custom\":{\"v\":", "{\"a\":", "}", "}}");
    char *patch = nested("{\"title\":\"x\",\"address\":", "{\"city\":", "}", "}");
    char *items = nested("[{\"kind\":\"call\",\"subject\":\"深い\",\"links\":", "[", "]", "}]");
    char *query = nested("{\"where\":", "[", "]", "}");
    char *options = nested("{\"limit\":10,\"kind\":", "{\"k\":", "}", "}");
    char *out = NULL;
    int64_t id = 0;
    crm_cursor *cur = NULL;
    if (!arrays || !objects || !patch || !items || !query || !options) {
        ++w->failures;
    } else {
        DEEP_CHECK(w, crm_record_create(w->db, CRM_CONTACT, arrays, &id));
        DEEP_CHECK(w, crm_record_create(w->db, CRM_CONTACT, objects, &id));
        DEEP_CHECK(w, crm_record_create(w->db, CRM_DEAL, objects, &id));
        DEEP_CHECK(w, crm_record_update(w->db, CRM_CONTACT, w->contact, patch));
        DEEP_CHECK(w, crm_record_update(w->db, CRM_CONTACT, w->contact, arrays));
        DEEP_CHECK(w, crm_interaction_ingest(w->db, items, 0, "deep", &out));
        DEEP_CHECK(w, crm_record_list(w->db, CRM_CONTACT, query, &cur));
        DEEP_CHECK(w, crm_record_count(w->db, CRM_TICKET, query, &id));
        DEEP_CHECK(w, crm_timeline(w->db, CRM_CONTACT, w->contact, options, &cur));
        DEEP_CHECK(w, crm_task_due(w->db, options, &out));
        if (id != 0 || out != NULL || cur != NULL) ++w->failures; /* out-parameters cleared */
    }
    free(arrays);
    free(objects);
    free(patch);
    free(items);
    free(query);
    free(options);
    return NULL;
}

void test_deep_documents(void) {
    crm_db *db = open_fresh("deep.crm");
    struct deep_run run;
    pthread_attr_t attr;
    pthread_t thread;
    int64_t n = 0;
    char *before = NULL, *after = NULL;

    memset(&run, 0, sizeof run);
    run.db = db;
    CHECK_OK(crm_record_create(db, CRM_CONTACT, "{\"name\":\"浅い\"}", &run.contact));
    CHECK_OK(crm_record_get(db, CRM_CONTACT, run.contact, &before));

    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstacksize(&attr, 1024 * 1024) == 0);
    CHECK(pthread_create(&thread, &attr, deep_documents, &run) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    pthread_attr_destroy(&attr);
    CHECK(run.failures == 0);

    /* Nothing was written. */
    CHECK_OK(crm_record_count(db, CRM_CONTACT, NULL, &n));
    CHECK(n == 1);
    CHECK_OK(crm_record_count(db, CRM_INTERACTION, NULL, &n));
    CHECK(n == 0);
    CHECK_OK(crm_record_get(db, CRM_CONTACT, run.contact, &after));
    CHECK(before && after && strcmp(before, after) == 0);
    crm_free(before);
    crm_free(after);
    crm_db_close(db);
}
