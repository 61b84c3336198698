/* The C ABI test: a pure C99 program that exercises libcrm.so through crm.h
 * only. Exit status is non-zero when any CHECK fails. */
#include "capi_test.h"

#include <dirent.h>
#include <unistd.h>

int g_failures = 0;
int64_t g_now = 1767225600000; /* 2026-01-01T00:00:00Z */

static char g_dir[512];

static int64_t fake_clock(void *payload) { return *(const int64_t *)payload; }

void tmp_path(char *buf, size_t size, const char *name) {
    int n = snprintf(buf, size, "%s/%s", g_dir, name);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "temp path too long\n");
        exit(2);
    }
}

crm_db *open_fresh(const char *name) {
    char path[600];
    crm_db *db = NULL;
    tmp_path(path, sizeof path, name);
    remove(path);
    if (crm_db_open(&db, path, NULL) != CRM_OK || !db) {
        fprintf(stderr, "cannot open %s: %s\n", path, crm_errmsg());
        exit(2);
    }
    CHECK_OK(crm_db_set_clock(db, fake_clock, &g_now));
    return db;
}

int has(const char *doc, const char *needle) { return doc && strstr(doc, needle) != NULL; }

int count_of(const char *doc, const char *needle) {
    int n = 0;
    const char *p = doc;
    if (!doc) return 0;
    while ((p = strstr(p, needle)) != NULL) {
        ++n;
        p += strlen(needle);
    }
    return n;
}

int64_t json_int(const char *doc, const char *key) {
    char pat[128];
    const char *p;
    snprintf(pat, sizeof pat, "\"%s\":", key);
    if (!doc || !(p = strstr(doc, pat))) return INT64_MIN;
    p += strlen(pat);
    if (*p != '-' && (*p < '0' || *p > '9')) return INT64_MIN;
    return (int64_t)strtoll(p, NULL, 10);
}

char *get_doc(crm_db *db, crm_entity e, int64_t id) {
    char *doc = NULL;
    CHECK_OK(crm_record_get(db, e, id, &doc));
    return doc;
}

int64_t create_ok(crm_db *db, crm_entity e, const char *json) {
    int64_t id = 0;
    CHECK_OK(crm_record_create(db, e, json, &id));
    CHECK(id > 0);
    return id;
}

void check_unchanged(crm_db *db, crm_entity e, int64_t id, const char *before, int line) {
    char *after = NULL;
    int rc = crm_record_get(db, e, id, &after);
    if (rc != CRM_OK || !before || !after || strcmp(before, after) != 0) {
        fprintf(stderr, "line %d: stored record changed after a failed write\n  before: %s\n  after:  %s\n", line,
                before ? before : "(null)", after ? after : "(null)");
        ++g_failures;
    }
    crm_free(after);
}

static void test_versions(void) {
    CHECK(strcmp(crm_version(), CRM_VERSION_STRING) == 0);
    CHECK(strcmp(crm_version(), CRM_TEST_PROJECT_VERSION) == 0); /* header macros match the project */
    CHECK(crm_abi_version() == CRM_ABI_VERSION);
    CHECK(strcmp(crm_strerror(CRM_ENOTFOUND), "CRM_ENOTFOUND") == 0);
    CHECK(strcmp(crm_strerror(CRM_ITEROVER), "CRM_ITEROVER") == 0);
    CHECK(strcmp(crm_strerror(12345), "CRM_UNKNOWN") == 0);
}

static void test_open(void) {
    crm_open_options opts = CRM_OPEN_OPTIONS_INIT;
    crm_open_options init;
    crm_db *db = (crm_db *)&opts; /* junk: must be reset to NULL on failure */
    char path[600];
    int version = 0;
    char *doc = NULL;
    int64_t id = 0;

    /* crm_open_options_init gives the same defaults as the macro. */
    memset(&init, 0x5a, sizeof init);
    CHECK_OK(crm_open_options_init(&init, CRM_OPEN_OPTIONS_VERSION));
    CHECK(init.version == CRM_OPEN_OPTIONS_VERSION && init.create == 1 && init.read_only == 0);
    CHECK(init.busy_timeout_ms == 5000 && init.durability == CRM_DURABILITY_NORMAL && init.max_text_bytes == 65536);
    CHECK_RC(crm_open_options_init(&init, 0), CRM_EINVALID);
    CHECK_RC(crm_open_options_init(&init, CRM_OPEN_OPTIONS_VERSION + 1), CRM_EINVALID);
    CHECK_RC(crm_open_options_init(NULL, 1), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "opts") == 0);

    /* create = 0 on a missing file: not found, and no file is made. */
    tmp_path(path, sizeof path, "opts.crm");
    opts.create = 0;
    CHECK_RC(crm_db_open(&db, path, &opts), CRM_ENOTFOUND);
    CHECK(db == NULL);
    CHECK(access(path, F_OK) != 0);

    /* Unknown option versions and values are refused. */
    opts = init;
    opts.version = 99;
    CHECK_RC(crm_db_open(&db, path, &opts), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "opts.version") == 0);
    opts = init;
    opts.durability = 7;
    CHECK_RC(crm_db_open(&db, path, &opts), CRM_EINVALID);

    /* Create with explicit options, write, close; the file persists. */
    opts = init;
    opts.durability = CRM_DURABILITY_FULL;
    CHECK_OK(crm_db_open(&db, path, &opts));
    CHECK(crm_errcode() == CRM_OK && strcmp(crm_errmsg(), "") == 0 && strcmp(crm_errfield(), "") == 0);
    CHECK_OK(crm_db_schema_version(db, &version));
    CHECK(version >= 1);
    {
        int opened = -1;
        CHECK_OK(crm_db_opened_schema_version(db, &opened));
        CHECK(opened == 0); /* the file was created by this open */
        CHECK_RC(crm_db_opened_schema_version(db, NULL), CRM_EINVALID);
    }
    CHECK_OK(crm_record_create(db, CRM_ACCOUNT, "{\"name\":\"株式会社テスト\"}", &id));
    crm_db_close(db);
    crm_db_close(NULL); /* accepted */

    /* Read-only: reads work, writes are CRM_EREADONLY. */
    opts.read_only = 1;
    CHECK_OK(crm_db_open(&db, path, &opts));
    CHECK_OK(crm_record_get(db, CRM_ACCOUNT, id, &doc));
    CHECK(has(doc, "\"name\":\"株式会社テスト\""));
    crm_free(doc);
    CHECK_RC(crm_record_create(db, CRM_ACCOUNT, "{\"name\":\"x\"}", &id), CRM_EREADONLY);
    CHECK(id == 0);
    CHECK_RC(crm_record_update(db, CRM_ACCOUNT, 1, "{\"name\":\"y\"}"), CRM_EREADONLY);
    crm_db_close(db);

    /* In-memory databases. */
    CHECK_OK(crm_db_open(&db, ":memory:", NULL));
    CHECK_OK(crm_record_create(db, CRM_TEAM, "{\"name\":\"メモリ\"}", &id));
    CHECK(id == 1);
    crm_db_close(db);
}

static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024];
    if (!d) return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        remove(path);
    }
    closedir(d);
    rmdir(dir);
}

int main(void) {
    const char *base = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/crm_capi_XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 2;
    }
    test_versions();
    test_open();
    test_records();
    test_lookups_and_history();
    test_query();
    test_custom_fields_and_tags();
    test_transactions();
    test_errors();
    test_closed_handles();
    test_threads();
    test_deep_documents();
    test_sales(); /* [sales] */
    test_service(); /* [service] */
    test_interactions(); /* [interactions] */
    test_work(); /* [work] */
    test_dated();
    test_forms();
    test_parity();
    test_segments(); /* [segments] */
    test_scoring(); /* [scoring] */
    test_thresholds(); /* score thresholds, lifecycle */
    test_normalize();  /* crm_normalize */
    test_import();     /* crm_import_*, crm_export_file */
    test_csv();        /* crm_csv_reader_*, crm_csv_writer_* */
    test_signals(); /* re-engagement and churn signals */
    test_predictive(); /* predictive scoring */
    test_routing(); /* routing of hot leads */
    test_search(); /* full-text search */
    test_dedup(); /* duplicate detection and merge */
    remove_tree(g_dir);
    if (g_failures) {
        fprintf(stderr, "capi_test: %d check(s) failed\n", g_failures);
        return 1;
    }
    printf("capi_test: all checks passed\n");
    return 0;
}
