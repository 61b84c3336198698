/* C ABI: predictive scoring — train from the database's own conversions, the
 * stored model and report, a prediction with its factors, stored predictions and
 * their pages, rescoring, refused definitions that store nothing. */
#include "capi_test.h"

void test_predictive(void) {
    crm_db *db = open_fresh("predictive.crm");
    char *doc = NULL;
    char json[256];
    int64_t ids[100];
    int64_t n = 0;
    int i;
    const char *def =
        "{\"name\":\"受注予測\",\"outcome\":{\"type\":\"converted\",\"stage\":\"customer\"},"
        "\"features\":[{\"field\":\"title\"},{\"field\":\"department\",\"transform\":\"present\"}],\"seed\":3}";
    for (i = 0; i < 100; ++i) {
        snprintf(json, sizeof json, "{\"name\":\"顧客 %d\",\"title\":\"%s\",%s\"lifecycle_stage\":\"lead\"}", i,
                 i % 2 ? "部長" : "担当", i % 3 ? "\"department\":\"営業\"," : "");
        ids[i] = create_ok(db, CRM_CONTACT, json);
    }
    /* Nothing converted yet: no positives, nothing stored. */
    CHECK_RC(crm_predictive_train(db, def, &doc), CRM_EINVALID);
    CHECK(doc == NULL);
    CHECK(strcmp(crm_errfield(), "outcome") == 0);
    CHECK_OK(crm_predictive_list(db, &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);
    doc = NULL;
    for (i = 0; i < 100; ++i) {
        if (!((i % 2 == 1 && i % 5 != 0) || (i % 2 == 0 && i % 7 == 0))) continue;
        g_now += 1000;
        CHECK_OK(crm_record_update(db, CRM_CONTACT, ids[i], "{\"lifecycle_stage\":\"customer\"}"));
    }
    g_now += 60000;
    /* Refused: an unknown field, named by crm_errfield(). */
    CHECK_RC(crm_predictive_train(db, "{\"name\":\"x\",\"outcome\":{\"type\":\"converted\"},"
                                      "\"features\":[{\"field\":\"shoe_size\"}]}", &doc), CRM_EINVALID);
    CHECK(doc == NULL);
    CHECK(strcmp(crm_errfield(), "features[0].field") == 0);
    CHECK_RC(crm_predictive_train(db, "{oops", &doc), CRM_EINVALID);
    CHECK_RC(crm_predictive_train(db, NULL, &doc), CRM_EINVALID);

    CHECK_OK(crm_predictive_train(db, def, &doc));
    CHECK(doc && has(doc, "\"version\":1"));
    CHECK(doc && has(doc, "\"auc_holdout\":"));
    CHECK(doc && has(doc, "\"name\":\"title=部長\""));
    CHECK(doc && has(doc, "\"contacts\":100"));
    crm_free(doc);
    doc = NULL;

    /* A 部長 is likelier than a 担当; the factors say why. */
    {
        char *a = NULL, *b = NULL;
        int64_t sa, sb;
        CHECK_OK(crm_predictive_score(db, ids[1], "受注予測", NULL, 3, &a));
        CHECK_OK(crm_predictive_score(db, ids[2], "受注予測", NULL, 3, &b));
        sa = json_int(a, "score");
        sb = json_int(b, "score");
        CHECK(sa >= 1 && sa <= 99 && sb >= 1 && sb <= 99);
        CHECK(sa > sb);
        CHECK(a && has(a, "\"positive\":[{\"name\":\"title=") && has(a, "\"value\":\"部長\""));
        CHECK(b && has(b, "\"negative\":[{\"name\":\"title="));
        crm_free(a);
        crm_free(b);
    }
    {
        int64_t t = g_now - 3600000LL * 24 * 365;  /* before the contact existed */
        CHECK_RC(crm_predictive_score(db, ids[1], "受注予測", &t, 3, &doc), CRM_ENOTFOUND);
        CHECK(doc == NULL);
    }
    CHECK_RC(crm_predictive_score(db, ids[1], "受注予測", NULL, 0, &doc), CRM_EINVALID);
    CHECK_RC(crm_predictive_score(db, ids[1], "ない", NULL, 3, &doc), CRM_ENOTFOUND);

    /* Stored predictions: hottest first, in pages. */
    CHECK_OK(crm_predictive_stored(db, ids[1], "受注予測", &doc));
    CHECK(doc && has(doc, "\"version\":1"));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_predictive_top(db, "受注予測", 60, NULL, &doc));
    CHECK(doc && count_of(doc, "\"contact_id\":") == 60);
    CHECK(doc && !has(doc, "\"next\":\"\""));
    crm_free(doc);
    doc = NULL;
    CHECK_RC(crm_predictive_top(db, "受注予測", 0, NULL, &doc), CRM_EINVALID);
    CHECK_RC(crm_predictive_top(db, "受注予測", 10, "!!", &doc), CRM_EINVALID);
    CHECK_OK(crm_predictive_rescore(db, "受注予測", &n));
    CHECK(n == 100);
    CHECK_RC(crm_predictive_rescore(db, "ない", &n), CRM_ENOTFOUND);
    CHECK(n == 0);

    /* Training again: version 2; both readable. */
    CHECK_OK(crm_predictive_train(db, def, &doc));
    CHECK(doc && has(doc, "\"version\":2"));
    crm_free(doc);
    CHECK_OK(crm_predictive_versions(db, "受注予測", &doc));
    CHECK(doc && count_of(doc, "\"report\":") == 2);
    crm_free(doc);
    CHECK_OK(crm_predictive_get(db, "受注予測", 1, &doc));
    CHECK(doc && has(doc, "\"version\":1") && has(doc, "\"latest_version\":2"));
    crm_free(doc);
    doc = NULL;
    CHECK_RC(crm_predictive_get(db, "受注予測", 9, &doc), CRM_ENOTFOUND);
    CHECK(doc == NULL);
    CHECK_OK(crm_predictive_list(db, &doc));
    CHECK(doc && count_of(doc, "\"latest_version\":2") == 1 && has(doc, "\"id\":1,\"name\":\"受注予測\""));
    crm_free(doc);
    crm_db_close(db);
}
