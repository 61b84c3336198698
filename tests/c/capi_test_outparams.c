/* capi.out_params: crm.h's rule "on failure every out-parameter is cleared"
 * (pointers to NULL, integers to 0; crm_appender_flush writes its totals),
 * checked for every function that has out-parameters.
 *
 * The list of those functions is generated from crm.h at build time
 * (gen_outparams.cmake -> capi_outparams.h). Each has a row in k_cases below
 * that fills its out-parameters with garbage, makes it fail in the ways it can
 * (NULL or closed handle, unknown id, bad JSON, bad entity …) and checks what
 * it left. A function declared with out-parameters but without a row, or a
 * row for a function that has none, fails the test. Pure C99. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm.h"
#include "capi_outparams.h"

static int g_failures = 0;
static int g_checked = 0; /* failing calls checked by the current case */
static char g_dir[512];

static char g_junk_byte;
#define JUNK_PTR ((void *)&g_junk_byte)
#define JUNK_I64 ((int64_t)0x5A5A5A5A5A5A5A5ALL)
#define JUNK_INT 0x5A5A5A5A
#define JUNK_SIZE ((size_t)0x5A5A5A5Au)

static void verdict(int rc, int cleared, const char *call, int line) {
    ++g_checked;
    if (rc == CRM_OK) {
        fprintf(stderr, "line %d: %s succeeded; the case expects a failure\n", line, call);
        ++g_failures;
    } else if (!cleared) {
        fprintf(stderr, "line %d: %s failed with %s but left an out-parameter set\n", line, call, crm_strerror(rc));
        ++g_failures;
    }
}

/* FAILS(prepare; , call, cleared): run `prepare` (fill the out-parameters with
 * garbage), then `call`, which must fail and leave `cleared` true. */
#define FAILS(prepare, call, cleared)                   \
    do {                                                \
        int rc_;                                        \
        prepare;                                        \
        rc_ = (call);                                   \
        verdict(rc_, (cleared), #call, __LINE__);       \
    } while (0)
/* The common shapes. */
#define STR_FAILS(call) FAILS(s = (char *)JUNK_PTR, call, s == NULL)
#define I64_FAILS(call) FAILS(n = JUNK_I64, call, n == 0)
#define INT_FAILS(call) FAILS(i = JUNK_INT, call, i == 0)

#define REQUIRE_OK(expr)                                                                             \
    do {                                                                                             \
        int rq_ = (expr);                                                                            \
        if (rq_ != CRM_OK) {                                                                         \
            fprintf(stderr, "line %d: setup %s: %s %s\n", __LINE__, #expr, crm_strerror(rq_), crm_errmsg()); \
            exit(2);                                                                                 \
        }                                                                                            \
    } while (0)

/* ---- fixtures --------------------------------------------------------------------- */
static crm_db *g_db;         /* an open database with one record of each kind below */
static crm_entity g_bad_kind; /* a value that is not a crm_entity */
static int64_t g_contact, g_account, g_team, g_campaign, g_pipeline, g_deal, g_mail, g_ticket, g_task, g_doc;
static const int64_t k_missing = 424242;
static const char *k_bad_utf8 = "{\"name\":\"\xff\xfe\"}";

/* Handles whose database was closed: they answer CRM_ECLOSED. */
static crm_cursor *g_closed_cursor;
static crm_appender *g_closed_appender; /* one item inserted before the close */
static crm_doc_writer *g_closed_writer;
static crm_doc_reader *g_closed_reader;

static int64_t create(crm_db *db, crm_entity e, const char *json) {
    int64_t id = 0;
    REQUIRE_OK(crm_record_create(db, e, json, &id));
    return id;
}

static void setup(void) {
    char path[600], json[512];
    crm_db *other = NULL;
    int64_t ignored = 0;
    int bad = 99;
    memcpy(&g_bad_kind, &bad, sizeof bad);

    snprintf(path, sizeof path, "%s/outparams.crm", g_dir);
    REQUIRE_OK(crm_db_open(&g_db, path, NULL));
    g_account = create(g_db, CRM_ACCOUNT, "{\"name\":\"株式会社テスト\"}");
    snprintf(json, sizeof json, "{\"name\":\"山田 太郎\",\"emails\":[\"taro@example.jp\"],\"account_id\":%lld}",
             (long long)g_account);
    g_contact = create(g_db, CRM_CONTACT, json);
    g_team = create(g_db, CRM_TEAM, "{\"name\":\"営業部\"}");
    g_campaign = create(g_db, CRM_CAMPAIGN, "{\"name\":\"秋のセミナー\"}");
    g_pipeline = create(g_db, CRM_PIPELINE, "{\"name\":\"新規\",\"stages\":[{\"name\":\"提案\",\"probability\":40}]}");
    {
        char *stages = NULL;
        REQUIRE_OK(crm_pipeline_stages(g_db, g_pipeline, &stages));
        snprintf(json, sizeof json, "{\"name\":\"刷新\",\"pipeline_id\":%lld,\"stage_id\":%lld}", (long long)g_pipeline,
                 (long long)strtoll(strstr(stages, "\"id\":") + 5, NULL, 10));
        crm_free(stages);
        g_deal = create(g_db, CRM_DEAL, json);
    }
    snprintf(json, sizeof json,
             "{\"kind\":\"email\",\"occurred_at\":\"2026-04-01T10:00:00+09:00\",\"contact_ids\":[%lld]}",
             (long long)g_contact);
    g_mail = create(g_db, CRM_INTERACTION, json);
    g_ticket = create(g_db, CRM_TICKET, "{\"subject\":\"請求書が届かない\"}");
    g_task = create(g_db, CRM_TASK, "{\"title\":\"見積書を送る\",\"remind_at\":\"2026-01-01T00:00:00Z\"}");
    REQUIRE_OK(crm_document_write(g_db, "{\"kind\":\"quote\",\"name\":\"見積書.pdf\"}", "abc", 3, &g_doc));

    /* A second database, closed under live handles. */
    snprintf(path, sizeof path, "%s/closed.crm", g_dir);
    REQUIRE_OK(crm_db_open(&other, path, NULL));
    create(other, CRM_CONTACT, "{\"name\":\"閉じる\"}");
    REQUIRE_OK(crm_document_write(other, "{\"name\":\"x.bin\"}", "xyz", 3, &ignored));
    REQUIRE_OK(crm_appender_open(&g_closed_appender, other));
    REQUIRE_OK(crm_appender_append(g_closed_appender,
                                   "{\"kind\":\"note\",\"occurred_at\":\"2026-01-01T00:00:00Z\",\"external_id\":\"n-1\"}"));
    REQUIRE_OK(crm_appender_flush(g_closed_appender, NULL, NULL));
    REQUIRE_OK(crm_record_list(other, CRM_CONTACT, NULL, &g_closed_cursor));
    REQUIRE_OK(crm_doc_writer_open(other, "{\"name\":\"y.bin\"}", 10, &g_closed_writer));
    REQUIRE_OK(crm_doc_reader_open(other, ignored, 1, &g_closed_reader, NULL));
    crm_db_close(other);
}

static void teardown(void) {
    crm_cursor_free(g_closed_cursor);
    crm_appender_free(g_closed_appender);
    crm_doc_writer_free(g_closed_writer);
    crm_doc_reader_free(g_closed_reader);
    crm_db_close(g_db);
}

/* ---- the cases: one per function with out-parameters -------------------------------- */
static void c_db_open(void) {
    crm_db *d = NULL;
    crm_open_options o = CRM_OPEN_OPTIONS_INIT;
    char path[600];
    snprintf(path, sizeof path, "%s/no/such/dir/x.crm", g_dir);
    FAILS(d = (crm_db *)JUNK_PTR, crm_db_open(&d, NULL, NULL), d == NULL);
    FAILS(d = (crm_db *)JUNK_PTR, crm_db_open(&d, path, NULL), d == NULL);
    o.version = 99;
    FAILS(d = (crm_db *)JUNK_PTR, crm_db_open(&d, ":memory:", &o), d == NULL);
    o = (crm_open_options)CRM_OPEN_OPTIONS_INIT;
    o.create = 0;
    snprintf(path, sizeof path, "%s/missing.crm", g_dir);
    FAILS(d = (crm_db *)JUNK_PTR, crm_db_open(&d, path, &o), d == NULL);
}
static void c_db_schema_version(void) {
    int i;
    INT_FAILS(crm_db_schema_version(NULL, &i));
}
static void c_db_opened_schema_version(void) {
    int i;
    INT_FAILS(crm_db_opened_schema_version(NULL, &i));
}
static void c_db_actor(void) {
    int64_t n;
    I64_FAILS(crm_db_actor(NULL, &n));
}
static void c_db_in_transaction(void) {
    int i;
    INT_FAILS(crm_db_in_transaction(NULL, &i));
}
static void c_txn_begin(void) {
    crm_txn *t = NULL, *open_txn = NULL;
    FAILS(t = (crm_txn *)JUNK_PTR, crm_txn_begin(&t, NULL), t == NULL);
    REQUIRE_OK(crm_txn_begin(&open_txn, g_db));
    FAILS(t = (crm_txn *)JUNK_PTR, crm_txn_begin(&t, g_db), t == NULL); /* one at a time */
    crm_txn_free(open_txn);
}
static void c_txn_active(void) {
    int i;
    INT_FAILS(crm_txn_active(NULL, &i));
}
static void c_record_create(void) {
    int64_t n;
    I64_FAILS(crm_record_create(NULL, CRM_CONTACT, "{\"name\":\"x\"}", &n));
    I64_FAILS(crm_record_create(g_db, CRM_CONTACT, "{oops", &n));
    I64_FAILS(crm_record_create(g_db, CRM_CONTACT, "{\"name\":\"\"}", &n));
    I64_FAILS(crm_record_create(g_db, CRM_CONTACT, k_bad_utf8, &n));
    I64_FAILS(crm_record_create(g_db, g_bad_kind, "{\"name\":\"x\"}", &n));
}
static void c_record_get(void) {
    char *s;
    STR_FAILS(crm_record_get(NULL, CRM_CONTACT, g_contact, &s));
    STR_FAILS(crm_record_get(g_db, CRM_CONTACT, k_missing, &s));
    STR_FAILS(crm_record_get(g_db, g_bad_kind, g_contact, &s));
}
static void c_record_get_by_external_id(void) {
    char *s;
    STR_FAILS(crm_record_get_by_external_id(g_db, CRM_CONTACT, "nobody", &s));
    STR_FAILS(crm_record_get_by_external_id(g_db, CRM_CONTACT, NULL, &s));
    STR_FAILS(crm_record_get_by_external_id(NULL, CRM_CONTACT, "x", &s));
}
static void c_record_list(void) {
    crm_cursor *c;
    FAILS(c = (crm_cursor *)JUNK_PTR, crm_record_list(NULL, CRM_CONTACT, NULL, &c), c == NULL);
    FAILS(c = (crm_cursor *)JUNK_PTR, crm_record_list(g_db, CRM_CONTACT, "{oops", &c), c == NULL);
    FAILS(c = (crm_cursor *)JUNK_PTR, crm_record_list(g_db, CRM_CONTACT, "{\"where\":[\"nosuch=1\"]}", &c), c == NULL);
    FAILS(c = (crm_cursor *)JUNK_PTR, crm_record_list(g_db, g_bad_kind, NULL, &c), c == NULL);
}
static void c_record_count(void) {
    int64_t n;
    I64_FAILS(crm_record_count(NULL, CRM_CONTACT, NULL, &n));
    I64_FAILS(crm_record_count(g_db, CRM_CONTACT, "[]", &n));
    I64_FAILS(crm_record_count(g_db, g_bad_kind, NULL, &n));
}
static void c_record_history(void) {
    char *s;
    STR_FAILS(crm_record_history(NULL, CRM_CONTACT, g_contact, &s));
    STR_FAILS(crm_record_history(g_db, g_bad_kind, g_contact, &s));
}
static void c_record_get_as_of(void) {
    char *s;
    STR_FAILS(crm_record_get_as_of(g_db, CRM_CONTACT, k_missing, 1, &s));
    STR_FAILS(crm_record_get_as_of(g_db, CRM_CONTACT, g_contact, 1, &s)); /* before it existed */
    STR_FAILS(crm_record_get_as_of(NULL, CRM_CONTACT, g_contact, 1, &s));
}
static void c_cursor_next(void) {
    const char *s;
    crm_cursor *c = NULL;
    FAILS(s = (const char *)JUNK_PTR, crm_cursor_next(NULL, &s), s == NULL);
    FAILS(s = (const char *)JUNK_PTR, crm_cursor_next(g_closed_cursor, &s), s == NULL);
    REQUIRE_OK(crm_record_list(g_db, CRM_TEAM, NULL, &c));
    REQUIRE_OK(crm_cursor_next(c, &s));
    FAILS(s = (const char *)JUNK_PTR, crm_cursor_next(c, &s), s == NULL); /* CRM_ITEROVER */
    crm_cursor_free(c);
}
static void c_cursor_next_page_token(void) {
    char *s;
    crm_cursor *c = NULL;
    STR_FAILS(crm_cursor_next_page_token(NULL, &s));
    STR_FAILS(crm_cursor_next_page_token(g_closed_cursor, &s));
    REQUIRE_OK(crm_record_list(g_db, CRM_TEAM, NULL, &c));
    STR_FAILS(crm_cursor_next_page_token(c, &s)); /* the last page: CRM_ITEROVER */
    crm_cursor_free(c);
}
static void c_contact_get_by_email(void) {
    char *s;
    STR_FAILS(crm_contact_get_by_email(g_db, "nobody@example.jp", &s));
    STR_FAILS(crm_contact_get_by_email(g_db, NULL, &s));
    STR_FAILS(crm_contact_get_by_email(NULL, "taro@example.jp", &s));
}
static void c_user_get_by_email(void) {
    char *s;
    STR_FAILS(crm_user_get_by_email(g_db, "nobody@example.jp", &s));
    STR_FAILS(crm_user_get_by_email(NULL, "x@example.jp", &s));
}
static void c_contact_employment_history(void) {
    char *s;
    STR_FAILS(crm_contact_employment_history(NULL, g_contact, &s));
    STR_FAILS(crm_contact_employment_history(g_db, k_missing, &s));
}
static void c_account_contacts(void) {
    char *s;
    STR_FAILS(crm_account_contacts(NULL, g_account, &s));
    STR_FAILS(crm_account_contacts(g_db, k_missing, &s));
}
static void c_account_subsidiaries(void) {
    char *s;
    STR_FAILS(crm_account_subsidiaries(NULL, g_account, &s));
    STR_FAILS(crm_account_subsidiaries(g_db, k_missing, &s));
}
static void c_team_members(void) {
    char *s;
    STR_FAILS(crm_team_members(NULL, g_team, &s));
    STR_FAILS(crm_team_members(g_db, k_missing, &s));
}
static void c_custom_field_define(void) {
    int64_t n;
    I64_FAILS(crm_custom_field_define(NULL, "{\"entity\":\"contact\",\"name\":\"r\",\"type\":\"text\"}", &n));
    I64_FAILS(crm_custom_field_define(g_db, "{oops", &n));
    I64_FAILS(crm_custom_field_define(g_db, "{\"entity\":\"contact\",\"name\":\"Bad Name\",\"type\":\"text\"}", &n));
}
static void c_custom_field_get(void) {
    char *s;
    STR_FAILS(crm_custom_field_get(g_db, CRM_CONTACT, "nosuch", &s));
    STR_FAILS(crm_custom_field_get(g_db, g_bad_kind, "x", &s));
    STR_FAILS(crm_custom_field_get(NULL, CRM_CONTACT, "x", &s));
}
static void c_custom_field_list(void) {
    char *s;
    STR_FAILS(crm_custom_field_list(g_db, g_bad_kind, &s));
    STR_FAILS(crm_custom_field_list(NULL, CRM_CONTACT, &s));
}
static void c_history_since(void) {
    char *s;
    STR_FAILS(crm_history_since(NULL, 0, 10, &s));
    STR_FAILS(crm_history_since(g_db, 0, 0, &s)); /* limit out of range */
}
static void c_history_count(void) {
    int64_t n;
    I64_FAILS(crm_history_count(NULL, &n));
}
static void c_history_latest_id(void) {
    int64_t n;
    I64_FAILS(crm_history_latest_id(NULL, &n));
}
static void c_deal_stage_history(void) {
    char *s;
    STR_FAILS(crm_deal_stage_history(g_db, k_missing, &s));
    STR_FAILS(crm_deal_stage_history(NULL, g_deal, &s));
}
static void c_deal_weighted(void) {
    char *s;
    STR_FAILS(crm_deal_weighted(g_db, k_missing, &s));
    STR_FAILS(crm_deal_weighted(NULL, g_deal, &s));
}
static void c_lost_reason_define(void) {
    int64_t n;
    I64_FAILS(crm_lost_reason_define(g_db, NULL, &n));
    I64_FAILS(crm_lost_reason_define(g_db, "", &n));
    I64_FAILS(crm_lost_reason_define(NULL, "価格", &n));
}
static void c_lost_reason_list(void) {
    char *s;
    STR_FAILS(crm_lost_reason_list(NULL, &s));
}
static void c_pipeline_stages(void) {
    char *s;
    STR_FAILS(crm_pipeline_stages(g_db, k_missing, &s));
    STR_FAILS(crm_pipeline_stages(NULL, g_pipeline, &s));
}
static void c_campaign_deals(void) {
    char *s;
    STR_FAILS(crm_campaign_deals(g_db, k_missing, &s));
    STR_FAILS(crm_campaign_deals(NULL, g_campaign, &s));
}
static void c_campaign_contacts(void) {
    char *s;
    STR_FAILS(crm_campaign_contacts(g_db, k_missing, &s));
    STR_FAILS(crm_campaign_contacts(NULL, g_campaign, &s));
}
static void c_segment_define(void) {
    int64_t n;
    I64_FAILS(crm_segment_define(g_db, "bad", "lifecycle_stage = ", NULL, &n));
    I64_FAILS(crm_segment_define(NULL, "x", "name?", NULL, &n));
}
static void c_segment_get_by_name(void) {
    char *s;
    STR_FAILS(crm_segment_get_by_name(g_db, "no such segment", &s));
    STR_FAILS(crm_segment_get_by_name(NULL, "x", &s));
}
static void c_segment_validate(void) {
    char *s;
    STR_FAILS(crm_segment_validate(g_db, NULL, &s));
    STR_FAILS(crm_segment_validate(NULL, "name?", &s));
}
static void c_segment_count(void) {
    int64_t n;
    I64_FAILS(crm_segment_count(g_db, 0, "nope = 1", 0, &n));
    I64_FAILS(crm_segment_count(g_db, k_missing, NULL, 0, &n));
    I64_FAILS(crm_segment_count(NULL, 0, "name?", 0, &n));
}
static void c_segment_contacts(void) {
    char *s;
    STR_FAILS(crm_segment_contacts(g_db, 0, "nope = 1", 10, NULL, 0, 0, &s));
    STR_FAILS(crm_segment_contacts(g_db, 0, "name?", 0, NULL, 0, 0, &s));
    STR_FAILS(crm_segment_contacts(NULL, 0, "name?", 10, NULL, 0, 1, &s));
}
static void c_appender_open(void) {
    crm_appender *a;
    FAILS(a = (crm_appender *)JUNK_PTR, crm_appender_open(&a, NULL), a == NULL);
}
static void c_appender_flush(void) {
    /* The documented exception: the totals since crm_appender_open are written
     * whatever happens; 0 when there is no appender. */
    int64_t ins, dup;
    crm_appender *a = NULL;
    char json[256];
    FAILS((ins = JUNK_I64, dup = JUNK_I64), crm_appender_flush(NULL, &ins, &dup), ins == 0 && dup == 0);
    FAILS((ins = JUNK_I64, dup = JUNK_I64), crm_appender_flush(g_closed_appender, &ins, &dup), ins == 1 && dup == 0);
    REQUIRE_OK(crm_appender_open(&a, g_db));
    snprintf(json, sizeof json,
             "{\"kind\":\"note\",\"occurred_at\":\"2026-01-01T00:00:00Z\",\"external_id\":\"ok-1\",\"contact_ids\":[%lld]}",
             (long long)g_contact);
    REQUIRE_OK(crm_appender_append(a, json));
    REQUIRE_OK(crm_appender_flush(a, NULL, NULL));
    snprintf(json, sizeof json, "{\"kind\":\"note\",\"occurred_at\":\"2026-01-01T00:00:00Z\",\"contact_ids\":[%lld]}",
             (long long)k_missing);
    REQUIRE_OK(crm_appender_append(a, json));
    FAILS((ins = JUNK_I64, dup = JUNK_I64), crm_appender_flush(a, &ins, &dup), ins == 1 && dup == 0);
    REQUIRE_OK(crm_appender_close(a));
    FAILS((ins = JUNK_I64, dup = JUNK_I64), crm_appender_flush(a, &ins, &dup), ins == 1 && dup == 0);
    crm_appender_free(a);
}
static void c_interaction_ingest(void) {
    char *s;
    STR_FAILS(crm_interaction_ingest(g_db, "{oops", 0, NULL, &s));
    STR_FAILS(crm_interaction_ingest(g_db, "[{\"kind\":\"Bad Kind\"}]", 0, NULL, &s));
    STR_FAILS(crm_interaction_ingest(NULL, "[]", 0, NULL, &s));
}
static void c_interaction_track(void) {
    int64_t n;
    I64_FAILS(crm_interaction_track(g_db, g_mail, "exploded", 0, NULL, &n));
    I64_FAILS(crm_interaction_track(g_db, k_missing, "opened", 0, NULL, &n));
    I64_FAILS(crm_interaction_track(NULL, g_mail, "opened", 0, NULL, &n));
}
static void c_interaction_track_event(void) {
    int64_t n;
    I64_FAILS(crm_interaction_track_event(g_db, g_mail, "{oops", &n));
    I64_FAILS(crm_interaction_track_event(g_db, g_mail, "{\"event\":\"exploded\"}", &n));
    I64_FAILS(crm_interaction_track_event(g_db, k_missing, "{\"event\":\"opened\"}", &n));
    I64_FAILS(crm_interaction_track_event(NULL, g_mail, "{\"event\":\"opened\"}", &n));
}
static void c_interaction_email_events(void) {
    char *s;
    STR_FAILS(crm_interaction_email_events(g_db, k_missing, &s));
    STR_FAILS(crm_interaction_email_events(NULL, g_mail, &s));
}
/* score thresholds, lifecycle */
static void c_threshold_define(void) {
    char *s;
    STR_FAILS(crm_threshold_define(g_db, "t", "nobody", "total", 60000, 50000, NULL, &s));
    STR_FAILS(crm_threshold_define(g_db, "t", "m", "total", 50000, 60000, NULL, &s));
    STR_FAILS(crm_threshold_define(g_db, "t", "m", "sideways", 60000, 50000, NULL, &s));
    STR_FAILS(crm_threshold_define(NULL, "t", "m", "total", 60000, 50000, NULL, &s));
}
static void c_threshold_list(void) {
    char *s;
    STR_FAILS(crm_threshold_list(NULL, &s));
}
static void c_threshold_get(void) {
    char *s;
    STR_FAILS(crm_threshold_get(g_db, "nobody", &s));
    STR_FAILS(crm_threshold_get(NULL, "t", &s));
}
static void c_threshold_inside(void) {
    char *s;
    STR_FAILS(crm_threshold_inside(g_db, "nobody", &s));
    STR_FAILS(crm_threshold_inside(NULL, "t", &s));
}
static void c_threshold_state(void) {
    char *s;
    STR_FAILS(crm_threshold_state(g_db, "nobody", g_contact, &s));
    STR_FAILS(crm_threshold_state(NULL, "t", g_contact, &s));
}
static void c_threshold_crossings(void) {
    char *s;
    STR_FAILS(crm_threshold_crossings(g_db, "nobody", 0, &s));
    STR_FAILS(crm_threshold_crossings(g_db, NULL, 0, &s));
}
static void c_normalize(void) {
    char *s;
    STR_FAILS(crm_normalize("email", "not an address", NULL, &s));
    STR_FAILS(crm_normalize("phone", "03-1234-5678", "XX", &s));
    STR_FAILS(crm_normalize("colour", "x", NULL, &s));
    STR_FAILS(crm_normalize(NULL, "x", NULL, &s));
    STR_FAILS(crm_normalize("text", NULL, NULL, &s));
    STR_FAILS(crm_normalize("text", "\xff", NULL, &s));
}
static void c_contact_lifecycle(void) {
    char *s;
    STR_FAILS(crm_contact_lifecycle(g_db, k_missing, &s));
    STR_FAILS(crm_contact_lifecycle(NULL, g_contact, &s));
}
/* re-engagement and churn signals */
static void c_signal_define(void) {
    char *s;
    STR_FAILS(crm_signal_define(g_db, "{oops", &s));
    STR_FAILS(crm_signal_define(g_db, "{\"name\":\"x\",\"kind\":\"dormant_customer\",\"days\":0}", &s));
    STR_FAILS(crm_signal_define(NULL, "{}", &s));
}
static void c_signal_list(void) {
    char *s;
    STR_FAILS(crm_signal_list(NULL, &s));
}
static void c_signal_get(void) {
    char *s;
    STR_FAILS(crm_signal_get(g_db, "nobody", &s));
    STR_FAILS(crm_signal_get(NULL, "x", &s));
}
static void c_signal_flags(void) {
    char *s;
    STR_FAILS(crm_signal_flags(g_db, "nobody", 0, 0, 10, 0, &s));
    STR_FAILS(crm_signal_flags(g_db, NULL, 0, 0, 0, 0, &s));
    STR_FAILS(crm_signal_flags(NULL, NULL, 0, 0, 10, 0, &s));
}
static void c_signal_ack(void) {
    char *s;
    STR_FAILS(crm_signal_ack(g_db, k_missing, &s));
    STR_FAILS(crm_signal_ack(NULL, 1, &s));
}
static void c_signal_scan(void) {
    int64_t n;
    I64_FAILS(crm_signal_scan(g_db, -99999999999999LL, &n));
    I64_FAILS(crm_signal_scan(NULL, 0, &n));
}
/* routing of hot leads */
static void c_routing_define(void) {
    char *s;
    STR_FAILS(crm_routing_define(g_db, "{oops", &s));
    STR_FAILS(crm_routing_define(g_db, "{\"name\":\"r\",\"rules\":[]}", &s)); /* no fallback */
    STR_FAILS(crm_routing_define(NULL, "{}", &s));
}
static void c_routing_update(void) {
    char *s;
    STR_FAILS(crm_routing_update(g_db, "{\"name\":\"nobody\",\"fallback\":424242,\"rules\":[]}", &s));
    STR_FAILS(crm_routing_update(g_db, NULL, &s));
}
static void c_routing_get(void) {
    char *s;
    STR_FAILS(crm_routing_get(g_db, "nobody", 0, &s));
    STR_FAILS(crm_routing_get(g_db, "nobody", -1, &s));
    STR_FAILS(crm_routing_get(NULL, "r", 0, &s));
}
static void c_routing_list(void) {
    char *s;
    STR_FAILS(crm_routing_list(NULL, &s));
}
static void c_routing_versions(void) {
    char *s;
    STR_FAILS(crm_routing_versions(g_db, "nobody", &s));
    STR_FAILS(crm_routing_versions(g_db, NULL, &s));
}
static void c_route(void) {
    char *s;
    STR_FAILS(crm_route(g_db, "nobody", g_contact, 0, &s));
    STR_FAILS(crm_route(g_db, "nobody", g_contact, 1, &s));
    STR_FAILS(crm_route(NULL, "r", g_contact, 0, &s));
}
static void c_routing_handoff(void) {
    char *s;
    STR_FAILS(crm_routing_handoff(g_db, k_missing, &s));
    STR_FAILS(crm_routing_handoff(NULL, 1, &s));
}
static void c_routing_handoffs(void) {
    char *s;
    STR_FAILS(crm_routing_handoffs(g_db, k_missing, &s));
    STR_FAILS(crm_routing_handoffs(NULL, g_contact, &s));
}
/* full-text search */
static void c_search(void) {
    char *s;
    STR_FAILS(crm_search(NULL, "x", NULL, &s));
    STR_FAILS(crm_search(g_db, NULL, NULL, &s));
    STR_FAILS(crm_search(g_db, "", NULL, &s));
    STR_FAILS(crm_search(g_db, "*", NULL, &s));
    STR_FAILS(crm_search(g_db, "abc", "{oops", &s));
    STR_FAILS(crm_search(g_db, "abc", "{\"limit\":0}", &s));
    STR_FAILS(crm_search(g_db, "abc", "{\"kinds\":[\"nothing\"]}", &s));
}
static void c_search_rebuild(void) {
    int64_t n;
    I64_FAILS(crm_search_rebuild(NULL, &n));
}
/* duplicate detection and undoable merge */
static void c_dedup_find(void) {
    char *s;
    STR_FAILS(crm_dedup_find(g_db, CRM_DEAL, 50, 10, &s));
    STR_FAILS(crm_dedup_find(g_db, CRM_CONTACT, 101, 10, &s));
    STR_FAILS(crm_dedup_find(g_db, CRM_CONTACT, 50, 0, &s));
    STR_FAILS(crm_dedup_find(NULL, CRM_CONTACT, 50, 10, &s));
}
static void c_dedup_merge(void) {
    char *s;
    STR_FAILS(crm_dedup_merge(g_db, CRM_CONTACT, g_contact, k_missing, NULL, &s));
    STR_FAILS(crm_dedup_merge(g_db, CRM_CONTACT, g_contact, g_contact, NULL, &s));
    STR_FAILS(crm_dedup_merge(g_db, CRM_CONTACT, g_contact, k_missing, "{oops", &s));
    STR_FAILS(crm_dedup_merge(g_db, CRM_CONTACT, g_contact, k_missing, "{\"nope\":1}", &s));
    STR_FAILS(crm_dedup_merge(NULL, CRM_CONTACT, 1, 2, NULL, &s));
}
static void c_dedup_undo(void) {
    char *s;
    STR_FAILS(crm_dedup_undo(g_db, k_missing, &s));
    STR_FAILS(crm_dedup_undo(NULL, 1, &s));
}
static void c_dedup_get(void) {
    char *s;
    STR_FAILS(crm_dedup_get(g_db, k_missing, &s));
    STR_FAILS(crm_dedup_get(NULL, 1, &s));
}
static void c_dedup_merges(void) {
    char *s;
    crm_entity deal = CRM_DEAL;
    STR_FAILS(crm_dedup_merges(g_db, &deal, 10, &s));
    STR_FAILS(crm_dedup_merges(g_db, NULL, 0, &s));
    STR_FAILS(crm_dedup_merges(NULL, NULL, 10, &s));
}
static void c_merged_into(void) {
    int64_t n;
    I64_FAILS(crm_merged_into(g_db, CRM_DEAL, 1, &n));
    I64_FAILS(crm_merged_into(NULL, CRM_CONTACT, 1, &n));
}
/* lead scoring */
static const char *k_model_doc = "{\"name\":\"m\",\"fit\":[{\"id\":\"a\",\"when\":{\"field\":\"title\",\"op\":\"range\",\"min\":1},\"points\":1}]}";
static void c_scoring_define(void) {
    char *s;
    STR_FAILS(crm_scoring_define(g_db, "{oops", &s));
    STR_FAILS(crm_scoring_define(g_db, k_model_doc, &s));
    STR_FAILS(crm_scoring_define(NULL, k_model_doc, &s));
}
static void c_scoring_update(void) {
    char *s;
    STR_FAILS(crm_scoring_update(g_db, "{\"name\":\"nobody\"}", &s));
    STR_FAILS(crm_scoring_update(g_db, NULL, &s));
}
static void c_scoring_get(void) {
    char *s;
    STR_FAILS(crm_scoring_get(g_db, "nobody", 0, &s));
    STR_FAILS(crm_scoring_get(g_db, k_bad_utf8, 0, &s));
    STR_FAILS(crm_scoring_get(NULL, "m", 0, &s));
}
static void c_scoring_list(void) {
    char *s;
    STR_FAILS(crm_scoring_list(NULL, 1, &s));
}
static void c_scoring_versions(void) {
    char *s;
    STR_FAILS(crm_scoring_versions(g_db, "nobody", &s));
    STR_FAILS(crm_scoring_versions(NULL, "m", &s));
}
static void c_scoring_score(void) {
    char *s;
    STR_FAILS(crm_scoring_score(g_db, g_contact, "nobody", NULL, &s));
    STR_FAILS(crm_scoring_score(NULL, g_contact, "m", NULL, &s));
}
static void c_scoring_explain(void) {
    char *s;
    STR_FAILS(crm_scoring_explain(g_db, g_contact, "nobody", NULL, &s));
    STR_FAILS(crm_scoring_explain(g_db, g_contact, NULL, NULL, &s));
}
static void c_scoring_stored(void) {
    char *s;
    STR_FAILS(crm_scoring_stored(g_db, g_contact, "nobody", &s));
    STR_FAILS(crm_scoring_stored(NULL, g_contact, "m", &s));
}
static void c_scoring_rescore(void) {
    int64_t n;
    I64_FAILS(crm_scoring_rescore(g_db, "nobody", &n));
    I64_FAILS(crm_scoring_rescore(NULL, NULL, &n));
}
static void c_scoring_top(void) {
    char *s;
    STR_FAILS(crm_scoring_top(g_db, "nobody", 10, NULL, &s));
    STR_FAILS(crm_scoring_top(g_db, "m", 10, "!!", &s));
    STR_FAILS(crm_scoring_top(NULL, "m", 10, NULL, &s));
}
static void c_scoring_dry_run(void) {
    char *s;
    STR_FAILS(crm_scoring_dry_run(g_db, k_model_doc, NULL, &s));
    STR_FAILS(crm_scoring_dry_run(g_db, "{\"name\":\"m\"}", "{oops", &s));
    STR_FAILS(crm_scoring_dry_run(g_db, "{\"name\":\"m\"}", "[1.5]", &s));
    STR_FAILS(crm_scoring_dry_run(NULL, "{\"name\":\"m\"}", NULL, &s));
}
/* predictive scoring */
static const char *k_pred_doc = "{\"name\":\"p\",\"outcome\":{\"type\":\"won_deal\"},\"features\":[{\"field\":\"title\"}]}";
static void c_predictive_train(void) {
    char *s;
    STR_FAILS(crm_predictive_train(g_db, "{oops", &s));
    STR_FAILS(crm_predictive_train(g_db, k_pred_doc, &s));
    STR_FAILS(crm_predictive_train(NULL, k_pred_doc, &s));
}
static void c_predictive_get(void) {
    char *s;
    STR_FAILS(crm_predictive_get(g_db, "nobody", 0, &s));
    STR_FAILS(crm_predictive_get(g_db, k_bad_utf8, 0, &s));
    STR_FAILS(crm_predictive_get(NULL, "p", 0, &s));
}
static void c_predictive_list(void) {
    char *s;
    STR_FAILS(crm_predictive_list(NULL, &s));
}
static void c_predictive_versions(void) {
    char *s;
    STR_FAILS(crm_predictive_versions(g_db, "nobody", &s));
    STR_FAILS(crm_predictive_versions(NULL, "p", &s));
}
static void c_predictive_score(void) {
    char *s;
    STR_FAILS(crm_predictive_score(g_db, g_contact, "nobody", NULL, 3, &s));
    STR_FAILS(crm_predictive_score(g_db, g_contact, NULL, NULL, 3, &s));
    STR_FAILS(crm_predictive_score(NULL, g_contact, "p", NULL, 3, &s));
}
static void c_predictive_stored(void) {
    char *s;
    STR_FAILS(crm_predictive_stored(g_db, g_contact, "nobody", &s));
    STR_FAILS(crm_predictive_stored(NULL, g_contact, "p", &s));
}
static void c_predictive_rescore(void) {
    int64_t n;
    I64_FAILS(crm_predictive_rescore(g_db, "nobody", &n));
    I64_FAILS(crm_predictive_rescore(g_db, NULL, &n));
    I64_FAILS(crm_predictive_rescore(NULL, "p", &n));
}
static void c_predictive_top(void) {
    char *s;
    STR_FAILS(crm_predictive_top(g_db, "nobody", 10, NULL, &s));
    STR_FAILS(crm_predictive_top(g_db, "p", 10, "!!", &s));
    STR_FAILS(crm_predictive_top(NULL, "p", 10, NULL, &s));
}
static void c_timeline(void) {
    crm_cursor *c;
    FAILS(c = (crm_cursor *)JUNK_PTR, crm_timeline(g_db, g_bad_kind, g_contact, NULL, &c), c == NULL);
    FAILS(c = (crm_cursor *)JUNK_PTR, crm_timeline(g_db, CRM_CONTACT, g_contact, "{oops", &c), c == NULL);
    FAILS(c = (crm_cursor *)JUNK_PTR, crm_timeline(NULL, CRM_CONTACT, g_contact, NULL, &c), c == NULL);
}
static void c_ticket_status_history(void) {
    char *s;
    STR_FAILS(crm_ticket_status_history(g_db, k_missing, &s));
    STR_FAILS(crm_ticket_status_history(NULL, g_ticket, &s));
}
static void c_ticket_record_response(void) {
    int64_t n;
    I64_FAILS(crm_ticket_record_response(g_db, k_missing, 0, &n));
    I64_FAILS(crm_ticket_record_response(NULL, g_ticket, 0, &n));
}
static void c_ticket_sla(void) {
    char *s;
    STR_FAILS(crm_ticket_sla(g_db, k_missing, &s));
    STR_FAILS(crm_ticket_sla(NULL, g_ticket, &s));
}
static void c_ticket_breaching(void) {
    char *s;
    STR_FAILS(crm_ticket_breaching(NULL, 60, &s));
}
static void c_ticket_sla_at(void) {
    char *s;
    STR_FAILS(crm_ticket_sla_at(g_db, k_missing, 1767225600000, &s));
    STR_FAILS(crm_ticket_sla_at(NULL, g_ticket, 1767225600000, &s));
}
static void c_ticket_breaching_at(void) {
    char *s;
    STR_FAILS(crm_ticket_breaching_at(NULL, 60, 1767225600000, &s));
}
static void c_calendar_define(void) {
    int64_t n;
    I64_FAILS(crm_calendar_define(g_db, "{oops", &n));
    I64_FAILS(crm_calendar_define(g_db, "{\"name\":\"x\",\"utc_offset\":\"JST\"}", &n));
    I64_FAILS(crm_calendar_define(NULL, "{\"name\":\"x\"}", &n));
}
static void c_calendar_list(void) {
    char *s;
    STR_FAILS(crm_calendar_list(NULL, &s));
}
static void c_calendar_get(void) {
    char *s;
    STR_FAILS(crm_calendar_get(g_db, k_missing, &s));
    STR_FAILS(crm_calendar_get(NULL, 1, &s));
}
static void c_sla_policy_define(void) {
    int64_t n;
    I64_FAILS(crm_sla_policy_define(g_db, "{oops", &n));
    I64_FAILS(crm_sla_policy_define(g_db, "{\"name\":\"x\",\"calendar_id\":424242}", &n));
    I64_FAILS(crm_sla_policy_define(NULL, "{\"name\":\"x\"}", &n));
}
static void c_sla_policy_list(void) {
    char *s;
    STR_FAILS(crm_sla_policy_list(NULL, &s));
}
static void c_sla_policy_get(void) {
    char *s;
    STR_FAILS(crm_sla_policy_get(g_db, k_missing, &s));
    STR_FAILS(crm_sla_policy_get(NULL, 1, &s));
}
static void c_task_claim_due_reminders(void) {
    char *s;
    STR_FAILS(crm_task_claim_due_reminders(NULL, 0, 10, &s));
    STR_FAILS(crm_task_claim_due_reminders(g_db, 0, 0, &s)); /* limit out of range */
}
static void c_task_due(void) {
    char *s;
    STR_FAILS(crm_task_due(NULL, NULL, &s));
    STR_FAILS(crm_task_due(g_db, "{oops", &s));
    STR_FAILS(crm_task_due(g_db, "{\"window\":\"someday\"}", &s));
}
static void c_task_for_record(void) {
    char *s;
    STR_FAILS(crm_task_for_record(g_db, g_bad_kind, g_contact, &s));
    STR_FAILS(crm_task_for_record(NULL, CRM_CONTACT, g_contact, &s));
}
static void c_task_reminder_delivered_at(void) {
    int64_t n;
    I64_FAILS(crm_task_reminder_delivered_at(g_db, k_missing, &n));
    I64_FAILS(crm_task_reminder_delivered_at(NULL, g_task, &n));
}
static void c_task_dispatch_reminders(void) {
    char *s;
    STR_FAILS(crm_task_dispatch_reminders(g_db, 0, 10, &s)); /* no hook registered */
    STR_FAILS(crm_task_dispatch_reminders(NULL, 0, 10, &s));
}
static void c_document_write(void) {
    int64_t n;
    I64_FAILS(crm_document_write(NULL, "{\"name\":\"a\"}", "a", 1, &n));
    I64_FAILS(crm_document_write(g_db, "{oops", "a", 1, &n));
    I64_FAILS(crm_document_write(g_db, "{\"name\":\"a\"}", NULL, 1, &n));
    I64_FAILS(crm_document_write(g_db, "{\"name\":\"\"}", "a", 1, &n));
}
static void c_doc_writer_open(void) {
    crm_doc_writer *w;
    FAILS(w = (crm_doc_writer *)JUNK_PTR, crm_doc_writer_open(NULL, "{\"name\":\"a\"}", 1, &w), w == NULL);
    FAILS(w = (crm_doc_writer *)JUNK_PTR, crm_doc_writer_open(g_db, "{oops", 1, &w), w == NULL);
    FAILS(w = (crm_doc_writer *)JUNK_PTR, crm_doc_writer_open(g_db, "{\"name\":\"a\"}", -1, &w), w == NULL);
}
static void c_doc_writer_commit(void) {
    int64_t n;
    crm_doc_writer *w = NULL;
    I64_FAILS(crm_doc_writer_commit(NULL, &n));
    I64_FAILS(crm_doc_writer_commit(g_closed_writer, &n));
    REQUIRE_OK(crm_doc_writer_open(g_db, "{\"name\":\"short.bin\"}", 10, &w));
    REQUIRE_OK(crm_doc_writer_write(w, "12345", 5));
    I64_FAILS(crm_doc_writer_commit(w, &n)); /* 5 of 10 bytes */
    I64_FAILS(crm_doc_writer_commit(w, &n)); /* finished */
    crm_doc_writer_free(w);
}
static void c_doc_reader_open(void) {
    crm_doc_reader *r;
    int64_t size;
    FAILS((r = (crm_doc_reader *)JUNK_PTR, size = JUNK_I64), crm_doc_reader_open(g_db, k_missing, 1, &r, &size),
          r == NULL && size == 0);
    FAILS((r = (crm_doc_reader *)JUNK_PTR, size = JUNK_I64), crm_doc_reader_open(NULL, g_doc, 1, &r, &size),
          r == NULL && size == 0);
    FAILS(size = JUNK_I64, crm_doc_reader_open(g_db, g_doc, 1, NULL, &size), size == 0);
}
static void c_doc_reader_read(void) {
    char buf[16];
    size_t got;
    FAILS(got = JUNK_SIZE, crm_doc_reader_read(NULL, buf, sizeof buf, &got), got == 0);
    FAILS(got = JUNK_SIZE, crm_doc_reader_read(g_closed_reader, buf, sizeof buf, &got), got == 0);
}
static void c_document_record_sent(void) {
    int64_t n;
    I64_FAILS(crm_document_record_sent(g_db, k_missing, g_contact, 0, 0, &n));
    I64_FAILS(crm_document_record_sent(g_db, g_doc, k_missing, 0, 0, &n));
    I64_FAILS(crm_document_record_sent(NULL, g_doc, g_contact, 0, 0, &n));
}
static void c_document_sends(void) {
    char *s;
    STR_FAILS(crm_document_sends(g_db, k_missing, &s));
    STR_FAILS(crm_document_sends(NULL, g_doc, &s));
}
static void c_document_sends_to_contact(void) {
    char *s;
    STR_FAILS(crm_document_sends_to_contact(NULL, g_contact, &s));
}
static void c_document_for_record(void) {
    char *s;
    STR_FAILS(crm_document_for_record(g_db, g_bad_kind, g_account, &s));
    STR_FAILS(crm_document_for_record(NULL, CRM_ACCOUNT, g_account, &s));
}
static void c_document_max_size(void) {
    int64_t n;
    I64_FAILS(crm_document_max_size(NULL, &n));
}
static void c_doc_writer_written(void) {
    int64_t n;
    I64_FAILS(crm_doc_writer_written(NULL, &n));
    I64_FAILS(crm_doc_writer_written(g_closed_writer, &n));
}


static void c_form_define(void) {
    int64_t n;
    I64_FAILS(crm_form_define(g_db, "{oops", &n));
    I64_FAILS(crm_form_define(g_db, "{\"name\":\"f\",\"fields\":[{\"name\":\"x\",\"maps_to\":\"contact.nope\"}]}", &n));
    I64_FAILS(crm_form_define(NULL, "{}", &n));
}
static void c_form_get(void) {
    char *s;
    STR_FAILS(crm_form_get(g_db, k_missing, &s));
    STR_FAILS(crm_form_get(NULL, 1, &s));
}
static void c_form_get_by_name(void) {
    char *s;
    STR_FAILS(crm_form_get_by_name(g_db, "no-such-form", &s));
    STR_FAILS(crm_form_get_by_name(g_db, NULL, &s));
}
static void c_form_list(void) {
    char *s;
    STR_FAILS(crm_form_list(NULL, &s));
}
static void c_form_versions(void) {
    char *s;
    STR_FAILS(crm_form_versions(g_db, k_missing, &s));
    STR_FAILS(crm_form_versions(NULL, 1, &s));
}
static void c_form_check(void) {
    char *s;
    STR_FAILS(crm_form_check(g_db, k_missing, "{}", &s));
    STR_FAILS(crm_form_check(g_db, k_missing, "{oops", &s));
    STR_FAILS(crm_form_check(NULL, 1, "{}", &s));
}
static void c_form_submit(void) {
    char *s;
    STR_FAILS(crm_form_submit(g_db, k_missing, "{}", NULL, &s));
    STR_FAILS(crm_form_submit(g_db, k_missing, "{}", "{\"ip\":\"1.2.3.4\"}", &s));
    STR_FAILS(crm_form_submit(NULL, 1, "{}", NULL, &s));
}
static void c_form_touches(void) {
    char *s;
    STR_FAILS(crm_form_touches(g_db, k_missing, &s));
    STR_FAILS(crm_form_touches(NULL, g_contact, &s));
}

static const char *k_map = "{\"kind\":\"contact\",\"fields\":[{\"column\":\"name\",\"field\":\"name\"}]}";
static void c_import_file(void) {
    char *s;
    STR_FAILS(crm_import_file(NULL, k_map, "/nonexistent.csv", NULL, &s));
    STR_FAILS(crm_import_file(g_db, "{\"kind\":\"nosuch\"}", "/nonexistent.csv", NULL, &s));
    STR_FAILS(crm_import_file(g_db, k_map, "/nonexistent/file.csv", NULL, &s));
    STR_FAILS(crm_import_file(g_db, k_map, "/nonexistent.csv", "{\"colour\":1}", &s));
    STR_FAILS(crm_import_file(g_db, k_map, NULL, NULL, &s));
}
static void c_import_buffer(void) {
    char *s;
    STR_FAILS(crm_import_buffer(NULL, k_map, "name\nA\n", 7, NULL, &s));
    STR_FAILS(crm_import_buffer(g_db, k_map, "mail\nA\n", 7, NULL, &s)); /* no column "name" */
    STR_FAILS(crm_import_buffer(g_db, k_map, "name\n\"A\n", 8, NULL, &s)); /* unterminated quote */
    STR_FAILS(crm_import_buffer(g_db, NULL, "name\nA\n", 7, NULL, &s));
}
static void c_import_undo(void) {
    char *s;
    STR_FAILS(crm_import_undo(g_db, k_missing, 0, &s));
    STR_FAILS(crm_import_undo(NULL, 1, 0, &s));
}
static void c_import_get(void) {
    char *s;
    STR_FAILS(crm_import_get(g_db, k_missing, &s));
    STR_FAILS(crm_import_get(NULL, 1, &s));
}
static void c_import_list(void) {
    char *s;
    STR_FAILS(crm_import_list(NULL, &s));
}
static void c_mapping_check(void) {
    char *s;
    STR_FAILS(crm_mapping_check("{\"kind\":\"contact\",\"fields\":[{\"column\":\"a\",\"field\":\"nosuch\"}]}", &s));
    STR_FAILS(crm_mapping_check("not json", &s));
    STR_FAILS(crm_mapping_check(NULL, &s));
}
static void c_export_file(void) {
    int64_t n;
    I64_FAILS(crm_export_file(NULL, k_map, "/tmp/x.csv", NULL, &n));
    I64_FAILS(crm_export_file(g_db, k_map, "/nonexistent/dir/x.csv", NULL, &n));
    I64_FAILS(crm_export_file(g_db, k_map, "/tmp/x.csv", "{\"format\":\"xml\"}", &n));
    I64_FAILS(crm_export_file(g_db, "{}", "/tmp/x.csv", NULL, &n));
}
static void c_csv_reader_open(void) {
    crm_csv_reader *r;
    FAILS(r = (crm_csv_reader *)JUNK_PTR, crm_csv_reader_open("/nonexistent.csv", NULL, &r), r == NULL);
    FAILS(r = (crm_csv_reader *)JUNK_PTR, crm_csv_reader_open(NULL, NULL, &r), r == NULL);
    FAILS(r = (crm_csv_reader *)JUNK_PTR, crm_csv_reader_open("/etc/hostname", "{\"encoding\":\"ebcdic\"}", &r), r == NULL);
}
static void c_csv_reader_header(void) {
    char *s;
    STR_FAILS(crm_csv_reader_header(NULL, &s));
}
static void c_csv_reader_next(void) {
    char *s;
    int64_t n;
    FAILS((s = (char *)JUNK_PTR, n = JUNK_I64), crm_csv_reader_next(NULL, &s, &n), s == NULL && n == 0);
}
static void c_csv_reader_info(void) {
    char *s;
    STR_FAILS(crm_csv_reader_info(NULL, &s));
}
static void c_csv_writer_open(void) {
    crm_csv_writer *w;
    FAILS(w = (crm_csv_writer *)JUNK_PTR, crm_csv_writer_open("/nonexistent/dir/x.csv", NULL, &w), w == NULL);
    FAILS(w = (crm_csv_writer *)JUNK_PTR, crm_csv_writer_open("/tmp/x.csv", "{\"bom\":1}", &w), w == NULL);
    FAILS(w = (crm_csv_writer *)JUNK_PTR, crm_csv_writer_open(NULL, NULL, &w), w == NULL);
}

static const struct {
    const char *function;
    void (*run)(void);
} k_cases[] = {
    {"crm_db_open", c_db_open},
    {"crm_db_schema_version", c_db_schema_version},
    {"crm_db_opened_schema_version", c_db_opened_schema_version},
    {"crm_db_actor", c_db_actor},
    {"crm_db_in_transaction", c_db_in_transaction},
    {"crm_txn_begin", c_txn_begin},
    {"crm_txn_active", c_txn_active},
    {"crm_record_create", c_record_create},
    {"crm_record_get", c_record_get},
    {"crm_record_get_by_external_id", c_record_get_by_external_id},
    {"crm_record_list", c_record_list},
    {"crm_record_count", c_record_count},
    {"crm_record_history", c_record_history},
    {"crm_record_get_as_of", c_record_get_as_of},
    {"crm_cursor_next", c_cursor_next},
    {"crm_cursor_next_page_token", c_cursor_next_page_token},
    {"crm_contact_get_by_email", c_contact_get_by_email},
    {"crm_user_get_by_email", c_user_get_by_email},
    {"crm_contact_employment_history", c_contact_employment_history},
    {"crm_account_contacts", c_account_contacts},
    {"crm_account_subsidiaries", c_account_subsidiaries},
    {"crm_team_members", c_team_members},
    {"crm_custom_field_define", c_custom_field_define},
    {"crm_custom_field_get", c_custom_field_get},
    {"crm_custom_field_list", c_custom_field_list},
    {"crm_history_since", c_history_since},
    {"crm_history_count", c_history_count},
    {"crm_history_latest_id", c_history_latest_id},
    {"crm_deal_stage_history", c_deal_stage_history},
    {"crm_deal_weighted", c_deal_weighted},
    {"crm_lost_reason_define", c_lost_reason_define},
    {"crm_lost_reason_list", c_lost_reason_list},
    {"crm_pipeline_stages", c_pipeline_stages},
    {"crm_campaign_deals", c_campaign_deals},
    {"crm_campaign_contacts", c_campaign_contacts},
    {"crm_segment_define", c_segment_define},
    {"crm_segment_get_by_name", c_segment_get_by_name},
    {"crm_segment_validate", c_segment_validate},
    {"crm_segment_count", c_segment_count},
    {"crm_segment_contacts", c_segment_contacts},
    {"crm_appender_open", c_appender_open},
    {"crm_appender_flush", c_appender_flush},
    {"crm_interaction_ingest", c_interaction_ingest},
    {"crm_interaction_track", c_interaction_track},
    {"crm_interaction_track_event", c_interaction_track_event},
    {"crm_interaction_email_events", c_interaction_email_events},
    {"crm_timeline", c_timeline},
    {"crm_scoring_define", c_scoring_define},
    {"crm_scoring_update", c_scoring_update},
    {"crm_scoring_get", c_scoring_get},
    {"crm_scoring_list", c_scoring_list},
    {"crm_scoring_versions", c_scoring_versions},
    {"crm_scoring_score", c_scoring_score},
    {"crm_scoring_explain", c_scoring_explain},
    {"crm_scoring_stored", c_scoring_stored},
    {"crm_scoring_rescore", c_scoring_rescore},
    {"crm_scoring_top", c_scoring_top},
    {"crm_scoring_dry_run", c_scoring_dry_run},
    {"crm_ticket_status_history", c_ticket_status_history},
    {"crm_ticket_record_response", c_ticket_record_response},
    {"crm_ticket_sla", c_ticket_sla},
    {"crm_ticket_breaching", c_ticket_breaching},
    {"crm_ticket_sla_at", c_ticket_sla_at},
    {"crm_ticket_breaching_at", c_ticket_breaching_at},
    {"crm_calendar_define", c_calendar_define},
    {"crm_calendar_list", c_calendar_list},
    {"crm_calendar_get", c_calendar_get},
    {"crm_sla_policy_define", c_sla_policy_define},
    {"crm_sla_policy_list", c_sla_policy_list},
    {"crm_sla_policy_get", c_sla_policy_get},
    {"crm_task_claim_due_reminders", c_task_claim_due_reminders},
    {"crm_task_due", c_task_due},
    {"crm_task_for_record", c_task_for_record},
    {"crm_task_reminder_delivered_at", c_task_reminder_delivered_at},
    {"crm_task_dispatch_reminders", c_task_dispatch_reminders},
    {"crm_document_write", c_document_write},
    {"crm_doc_writer_open", c_doc_writer_open},
    {"crm_doc_writer_commit", c_doc_writer_commit},
    {"crm_doc_reader_open", c_doc_reader_open},
    {"crm_doc_reader_read", c_doc_reader_read},
    {"crm_document_record_sent", c_document_record_sent},
    {"crm_document_sends", c_document_sends},
    {"crm_document_sends_to_contact", c_document_sends_to_contact},
    {"crm_document_for_record", c_document_for_record},
    {"crm_document_max_size", c_document_max_size},
    {"crm_doc_writer_written", c_doc_writer_written},
    {"crm_form_define", c_form_define},
    {"crm_form_get", c_form_get},
    {"crm_form_get_by_name", c_form_get_by_name},
    {"crm_form_list", c_form_list},
    {"crm_form_versions", c_form_versions},
    {"crm_form_check", c_form_check},
    {"crm_form_submit", c_form_submit},
    {"crm_form_touches", c_form_touches},
    {"crm_threshold_define", c_threshold_define},
    {"crm_threshold_list", c_threshold_list},
    {"crm_threshold_get", c_threshold_get},
    {"crm_threshold_inside", c_threshold_inside},
    {"crm_threshold_state", c_threshold_state},
    {"crm_threshold_crossings", c_threshold_crossings},
    {"crm_predictive_train", c_predictive_train},
    {"crm_predictive_get", c_predictive_get},
    {"crm_predictive_list", c_predictive_list},
    {"crm_predictive_versions", c_predictive_versions},
    {"crm_predictive_score", c_predictive_score},
    {"crm_predictive_stored", c_predictive_stored},
    {"crm_predictive_rescore", c_predictive_rescore},
    {"crm_predictive_top", c_predictive_top},
    {"crm_contact_lifecycle", c_contact_lifecycle},
    {"crm_normalize", c_normalize},
    {"crm_import_file", c_import_file},
    {"crm_import_buffer", c_import_buffer},
    {"crm_import_undo", c_import_undo},
    {"crm_import_get", c_import_get},
    {"crm_import_list", c_import_list},
    {"crm_mapping_check", c_mapping_check},
    {"crm_export_file", c_export_file},
    {"crm_csv_reader_open", c_csv_reader_open},
    {"crm_csv_reader_header", c_csv_reader_header},
    {"crm_csv_reader_next", c_csv_reader_next},
    {"crm_csv_reader_info", c_csv_reader_info},
    {"crm_csv_writer_open", c_csv_writer_open},
    {"crm_signal_define", c_signal_define},
    {"crm_signal_list", c_signal_list},
    {"crm_signal_get", c_signal_get},
    {"crm_signal_flags", c_signal_flags},
    {"crm_signal_ack", c_signal_ack},
    {"crm_signal_scan", c_signal_scan},
    {"crm_routing_define", c_routing_define},
    {"crm_routing_update", c_routing_update},
    {"crm_routing_get", c_routing_get},
    {"crm_routing_list", c_routing_list},
    {"crm_routing_versions", c_routing_versions},
    {"crm_route", c_route},
    {"crm_routing_handoff", c_routing_handoff},
    {"crm_routing_handoffs", c_routing_handoffs},
    {"crm_search", c_search},
    {"crm_search_rebuild", c_search_rebuild},
    {"crm_dedup_find", c_dedup_find},
    {"crm_dedup_merge", c_dedup_merge},
    {"crm_dedup_undo", c_dedup_undo},
    {"crm_dedup_get", c_dedup_get},
    {"crm_dedup_merges", c_dedup_merges},
    {"crm_merged_into", c_merged_into},
};
#define K_CASES (sizeof k_cases / sizeof k_cases[0])

int main(void) {
    size_t i, k;
    const char *base = getenv("TMPDIR");
    char cmd[600];
    snprintf(g_dir, sizeof g_dir, "%s/crm_outparams_XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 2;
    }
    /* Every function crm.h declares with out-parameters has a case … */
    for (i = 0; i < K_DECLARED_OUT_COUNT; ++i) {
        int found = 0;
        for (k = 0; k < K_CASES; ++k) found = found || strcmp(k_cases[k].function, k_declared_out[i].function) == 0;
        if (!found) {
            fprintf(stderr, "%s has out-parameters (%s) but no case in capi_test_outparams.c\n",
                    k_declared_out[i].function, k_declared_out[i].out_params);
            ++g_failures;
        }
    }
    /* … and every case is for such a function. */
    for (k = 0; k < K_CASES; ++k) {
        int found = 0;
        for (i = 0; i < K_DECLARED_OUT_COUNT; ++i) found = found || strcmp(k_cases[k].function, k_declared_out[i].function) == 0;
        if (!found) {
            fprintf(stderr, "case %s: crm.h declares no such function with out-parameters\n", k_cases[k].function);
            ++g_failures;
        }
    }
    setup();
    for (k = 0; k < K_CASES; ++k) {
        const int before = g_failures;
        g_checked = 0;
        k_cases[k].run();
        if (g_checked == 0) {
            fprintf(stderr, "case %s checked no failing call\n", k_cases[k].function);
            ++g_failures;
        }
        if (g_failures != before) fprintf(stderr, "  ^ in the case of %s\n", k_cases[k].function);
    }
    teardown();
    snprintf(cmd, sizeof cmd, "%s", g_dir);
    {
        const char *names[] = {"outparams.crm", "outparams.crm-wal", "outparams.crm-shm", "closed.crm",
                               "closed.crm-wal", "closed.crm-shm"};
        char path[700];
        for (i = 0; i < sizeof names / sizeof names[0]; ++i) {
            snprintf(path, sizeof path, "%s/%s", g_dir, names[i]);
            remove(path);
        }
        rmdir(cmd);
    }
    if (g_failures) {
        fprintf(stderr, "capi_test_outparams: %d check(s) failed\n", g_failures);
        return 1;
    }
    printf("capi_test_outparams: %u functions with out-parameters, every one clears them on failure\n",
           (unsigned)K_CASES);
    return 0;
}
