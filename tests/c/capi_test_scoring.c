/* C ABI: lead scoring — a model defined from JSON, scores kept current as an
 * interaction is stored, explain / as-of / top / dry run, bad definitions. */
#include "capi_test.h"

void test_scoring(void) {
    crm_db *db = open_fresh("scoring.crm");
    char buf[512];
    char *doc = NULL;
    int64_t contact, n = -1, before;
    const int64_t day = 86400000LL;
    const char *model =
        "{\"name\":\"セミナー\",\"fit\":[{\"id\":\"manager\",\"when\":{\"field\":\"title\",\"op\":\"contains\","
        "\"value\":\"部長\"},\"points\":20}],\"behaviour\":[{\"id\":\"seminar\",\"kind\":\"event_attendance\","
        "\"points\":30,\"half_life_days\":30}]}";

    contact = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\",\"title\":\"営業部長\"}");
    CHECK_OK(crm_scoring_define(db, model, &doc));
    CHECK(has(doc, "\"version\":1"));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_scoring_stored(db, contact, "セミナー", &doc));
    CHECK(has(doc, "\"total\":20.000"));
    crm_free(doc);
    doc = NULL;

    /* A seminar attended 30 days ago: half of 30 points, in the same write. */
    snprintf(buf, sizeof buf, "{\"kind\":\"event_attendance\",\"occurred_at\":%lld,\"contact_ids\":[%lld]}",
             (long long)(g_now - 30 * day), (long long)contact);
    create_ok(db, CRM_INTERACTION, buf);
    CHECK_OK(crm_scoring_stored(db, contact, "セミナー", &doc));
    CHECK(has(doc, "\"total\":35.000"));
    CHECK(has(doc, "\"grade\":\"C3\""));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_scoring_explain(db, contact, "セミナー", NULL, &doc));
    CHECK(has(doc, "\"factor\":500000"));
    CHECK(has(doc, "\"rule\":\"manager\""));
    crm_free(doc);
    doc = NULL;
    before = g_now - 31 * day;
    CHECK_RC(crm_scoring_score(db, contact, "セミナー", &before, &doc), CRM_ENOTFOUND); /* no model then */
    CHECK(doc == NULL);

    CHECK_OK(crm_scoring_top(db, "セミナー", 10, NULL, &doc));
    CHECK(count_of(doc, "\"contact_id\"") == 1);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_scoring_rescore(db, NULL, &n));
    CHECK(n == 1);

    /* Dry run: 20 -> 40 points for managers crosses 50 upwards; nothing stored. */
    CHECK_OK(crm_scoring_dry_run(db,
                                 "{\"name\":\"セミナー\",\"fit\":[{\"id\":\"manager\",\"when\":{\"field\":\"title\","
                                 "\"op\":\"contains\",\"value\":\"部長\"},\"points\":40}],\"behaviour\":[{\"id\":"
                                 "\"seminar\",\"kind\":\"event_attendance\",\"points\":30,\"half_life_days\":30}]}",
                                 "[50]", &doc));
    CHECK(has(doc, "\"crossed\":[\"up:50\"]"));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_scoring_versions(db, "セミナー", &doc));
    CHECK(count_of(doc, "\"version\":") == 1);
    crm_free(doc);
    doc = NULL;

    /* A bad definition names the rule and key. */
    CHECK_RC(crm_scoring_update(db,
                                "{\"name\":\"セミナー\",\"behaviour\":[{\"id\":\"x\",\"kind\":\"web_visit\","
                                "\"points\":1,\"half_life_days\":100000}]}",
                                &doc),
             CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "behaviour[0].half_life_days") == 0);
    CHECK(doc == NULL);
    CHECK_OK(crm_scoring_get(db, "セミナー", 0, &doc));
    CHECK(has(doc, "\"latest_version\":1"));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_scoring_list(db, 1, &doc));
    CHECK(has(doc, "セミナー"));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_scoring_deactivate(db, "セミナー"));
    CHECK_RC(crm_scoring_stored(db, contact, "セミナー", &doc), CRM_ENOTFOUND);
    crm_db_close(db);
}
