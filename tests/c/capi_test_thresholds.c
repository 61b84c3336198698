/* C ABI: score thresholds with hysteresis — the hook called once per crossing after
 * the commit (never for a rolled-back transaction), state and crossings, lifecycle
 * moves and history, recycling, refused definitions. */
#include "capi_test.h"

typedef struct {
    int calls;
    int enters;
    char last[512];
} seen_t;

static void on_cross(const char *json, void *payload) {
    seen_t *s = (seen_t *)payload;
    s->calls++;
    if (strstr(json, "\"direction\":\"enter\"")) s->enters++;
    snprintf(s->last, sizeof s->last, "%s", json);
}

static void set_title(crm_db *db, int64_t id, const char *title) {
    char buf[256];
    snprintf(buf, sizeof buf, "{\"title\":\"%s\"}", title);
    CHECK_OK(crm_record_update(db, CRM_CONTACT, id, buf));
}

void test_thresholds(void) {
    crm_db *db = open_fresh("thresholds.crm");
    char *doc = NULL;
    crm_txn *txn = NULL;
    seen_t seen;
    int64_t contact;
    /* 部長 gives 55 points, 本部長 61 (both rules match). */
    const char *model =
        "{\"name\":\"製品A\",\"fit\":["
        "{\"id\":\"a\",\"when\":{\"field\":\"title\",\"op\":\"contains\",\"value\":\"部長\"},\"points\":55},"
        "{\"id\":\"b\",\"when\":{\"field\":\"title\",\"op\":\"contains\",\"value\":\"本部長\"},\"points\":6}]}";
    memset(&seen, 0, sizeof seen);
    contact = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\",\"title\":\"部長\",\"lifecycle_stage\":\"lead\"}");
    CHECK_OK(crm_scoring_define(db, model, &doc));
    crm_free(doc);
    doc = NULL;

    /* Refused definitions store nothing. */
    CHECK_RC(crm_threshold_define(db, "MQL", "製品A", "total", 50000, 60000, "mql", &doc), CRM_EINVALID);
    CHECK(doc == NULL);
    CHECK_RC(crm_threshold_define(db, "MQL", "製品A", "total", 60000, 50000, "recycled", &doc), CRM_EINVALID);
    CHECK_RC(crm_threshold_define(db, "MQL", "ない", "total", 60000, 50000, NULL, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_threshold_define(db, "MQL", "製品A", "total", 2000000000000LL, 50000, NULL, &doc), CRM_EINVALID);
    CHECK_OK(crm_threshold_list(db, &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);
    doc = NULL;

    CHECK_OK(crm_threshold_define(db, "MQL", "製品A", "total", 60000, 50000, "mql", &doc));
    CHECK(has(doc, "\"enter\":60.000"));
    CHECK(has(doc, "\"stage\":\"mql\""));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_threshold_set_hook(db, on_cross, &seen));

    /* A rolled-back transaction: nothing stored, nothing called. */
    CHECK_OK(crm_txn_begin(&txn, db));
    set_title(db, contact, "本部長");
    CHECK(seen.calls == 0);
    CHECK_OK(crm_txn_rollback(txn));
    crm_txn_free(txn);
    txn = NULL;
    CHECK(seen.calls == 0);
    CHECK_OK(crm_threshold_state(db, "MQL", contact, &doc));
    CHECK(has(doc, "\"inside\":false"));
    crm_free(doc);
    doc = NULL;

    /* Enter once; inside the band nothing; leave is below 50 only. */
    set_title(db, contact, "本部長");
    CHECK(seen.calls == 1 && seen.enters == 1);
    CHECK(has(seen.last, "\"score\":61.000"));
    CHECK_OK(crm_threshold_inside(db, "MQL", &doc));
    CHECK(count_of(doc, "\"contact_id\"") == 1);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_threshold_get(db, "MQL", &doc));
    CHECK(has(doc, "\"leave\":50.000"));
    crm_free(doc);
    doc = NULL;
    set_title(db, contact, "部長");
    set_title(db, contact, "本部長");
    CHECK(seen.calls == 1);
    set_title(db, contact, "担当");
    CHECK(seen.calls == 2 && seen.enters == 1);
    CHECK(has(seen.last, "\"direction\":\"leave\""));
    CHECK_OK(crm_threshold_crossings(db, "MQL", contact, &doc));
    CHECK(count_of(doc, "\"direction\"") == 2);
    crm_free(doc);
    doc = NULL;

    /* The entering moved the contact to mql, in its history. */
    CHECK_OK(crm_record_get(db, CRM_CONTACT, contact, &doc));
    CHECK(has(doc, "\"lifecycle_stage\":\"mql\""));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_contact_recycle(db, contact, "予算凍結"));
    CHECK_RC(crm_contact_recycle(db, contact, ""), CRM_EINVALID);
    CHECK_OK(crm_contact_lifecycle(db, contact, &doc));
    CHECK(count_of(doc, "\"to\"") == 3);
    CHECK(has(doc, "\"from\":\"lead\",\"to\":\"mql\""));
    CHECK(has(doc, "\"to\":\"recycled\""));
    CHECK(has(doc, "\"reason\":\"予算凍結\""));
    crm_free(doc);
    doc = NULL;
    /* Recycled: entering again moves nothing back. */
    set_title(db, contact, "本部長");
    CHECK(seen.calls == 3);
    CHECK_OK(crm_record_get(db, CRM_CONTACT, contact, &doc));
    CHECK(has(doc, "\"lifecycle_stage\":\"recycled\""));
    crm_free(doc);
    doc = NULL;

    CHECK_OK(crm_threshold_set_hook(db, NULL, NULL));
    set_title(db, contact, "担当");
    CHECK(seen.calls == 3);
    CHECK_OK(crm_threshold_remove(db, "MQL"));
    CHECK_RC(crm_threshold_remove(db, "MQL"), CRM_ENOTFOUND);
    crm_db_close(db);
}
