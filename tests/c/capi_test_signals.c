/* C ABI: re-engagement and churn signals — the hook called with its payload once per
 * new flag after the commit (never for a rolled-back transaction), flags listed and
 * acknowledged, the dormant scan, refused rules. */
#include "capi_test.h"

typedef struct {
    int calls;
    char last[1024];
} signal_seen_t;

static void on_signal(const char *json, void *payload) {
    signal_seen_t *s = (signal_seen_t *)payload;
    s->calls++;
    snprintf(s->last, sizeof s->last, "%s", json);
}

static void visit(crm_db *db, int64_t contact, const char *url) {
    char buf[512];
    int64_t id = 0;
    snprintf(buf, sizeof buf,
             "{\"kind\":\"web_visit\",\"direction\":\"inbound\",\"url\":\"%s\",\"contact_ids\":[%lld]}", url,
             (long long)contact);
    CHECK_OK(crm_record_create(db, CRM_INTERACTION, buf, &id));
}

void test_signals(void) {
    crm_db *db = open_fresh("signals.crm");
    char *doc = NULL;
    crm_txn *txn = NULL;
    signal_seen_t seen;
    int64_t contact, n = -1;
    memset(&seen, 0, sizeof seen);
    contact = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\",\"lifecycle_stage\":\"customer\"}");

    /* Refused rules store nothing. */
    CHECK_RC(crm_signal_define(db, "{\"name\":\"解約\",\"kind\":\"url_visit\"}", &doc), CRM_EINVALID);
    CHECK(doc == NULL);
    CHECK(strcmp(crm_errfield(), "pattern") == 0);
    CHECK_RC(crm_signal_define(db, "{\"name\":\"解約\",\"kind\":\"url_visit\",\"pattern\":\"*\",\"regex\":\"x\"}", &doc),
             CRM_EINVALID);
    CHECK_RC(crm_signal_define(db, "{\"name\":\"休眠\",\"kind\":\"dormant_customer\",\"days\":99999}", &doc), CRM_EINVALID);
    CHECK_OK(crm_signal_list(db, &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);
    doc = NULL;

    CHECK_OK(crm_signal_define(db,
                               "{\"name\":\"解約ページ\",\"kind\":\"url_visit\",\"pattern\":\"*cancel*\","
                               "\"task\":{\"title\":\"解約検討のフォロー\"}}",
                               &doc));
    CHECK(has(doc, "\"kinds\":[\"web_visit\"]"));
    crm_free(doc);
    doc = NULL;
    CHECK_RC(crm_signal_define(db, "{\"name\":\"解約ページ\",\"kind\":\"url_visit\",\"pattern\":\"*\"}", &doc),
             CRM_EEXISTS);
    CHECK_OK(crm_signal_define(db, "{\"name\":\"休眠\",\"kind\":\"dormant_customer\",\"days\":30}", &doc));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_signal_set_hook(db, on_signal, &seen));

    /* A rolled-back transaction: nothing stored, nothing called. */
    CHECK_OK(crm_txn_begin(&txn, db));
    visit(db, contact, "https://example.jp/cancel");
    CHECK(seen.calls == 0);
    CHECK_OK(crm_txn_rollback(txn));
    crm_txn_free(txn);
    txn = NULL;
    CHECK(seen.calls == 0);
    CHECK_OK(crm_signal_flags(db, NULL, 0, 0, 100, 0, &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);
    doc = NULL;

    /* Committed: the hook gets the flag once, with its payload. */
    visit(db, contact, "https://example.jp/pricing");
    CHECK(seen.calls == 0);
    visit(db, contact, "https://example.jp/cancel");
    visit(db, contact, "https://example.jp/cancel?step=2");
    CHECK(seen.calls == 1);
    CHECK(has(seen.last, "\"rule\":\"解約ページ\""));
    CHECK(has(seen.last, "\"task_id\":"));
    CHECK(!has(seen.last, "\"task_id\":null"));
    CHECK_OK(crm_signal_flags(db, "解約ページ", contact, 1, 100, 0, &doc));
    CHECK(count_of(doc, "\"episode\"") == 1);
    crm_free(doc);
    doc = NULL;
    CHECK_RC(crm_signal_flags(db, "ない", 0, 0, 100, 0, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_signal_flags(db, NULL, 0, 0, 0, 0, &doc), CRM_EINVALID);

    /* Acknowledge: once. */
    CHECK_OK(crm_signal_ack(db, 1, &doc));
    CHECK(has(doc, "\"acknowledged_at\":\""));
    crm_free(doc);
    doc = NULL;
    CHECK_RC(crm_signal_ack(db, 1, &doc), CRM_EINVALID);
    CHECK_RC(crm_signal_ack(db, 999, &doc), CRM_ENOTFOUND);
    CHECK_OK(crm_signal_flags(db, NULL, 0, 1, 100, 0, &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);
    doc = NULL;

    /* The dormant scan: quiet for 30 days as of a later time, once. */
    CHECK_OK(crm_signal_scan(db, 0, &n));
    CHECK(n == 0);
    CHECK_OK(crm_signal_scan(db, 4102444800000LL, &n)); /* 2100-01-01 */
    CHECK(n == 1);
    CHECK(seen.calls == 2);
    CHECK(has(seen.last, "\"kind\":\"dormant_customer\""));
    CHECK_OK(crm_signal_scan(db, 4102444800000LL, &n));
    CHECK(n == 0);
    CHECK(seen.calls == 2);

    /* The hook removed: flags are still recorded, nothing is called. */
    CHECK_OK(crm_signal_set_hook(db, NULL, NULL));
    CHECK_OK(crm_signal_remove(db, "休眠"));
    CHECK_RC(crm_signal_remove(db, "休眠"), CRM_ENOTFOUND);
    CHECK_OK(crm_signal_get(db, "解約ページ", &doc));
    CHECK(has(doc, "\"pattern\":\"*cancel*\""));
    crm_free(doc);
    doc = NULL;
    crm_db_close(db);
}
