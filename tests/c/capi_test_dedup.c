/* C ABI: duplicate detection and undoable merge — a Japanese pair found with its
 * reasons, a dry run that changes nothing, a merge that re-points a deal, the
 * merged-away id answering where it went, undo, and refused calls. */
#include "capi_test.h"

void test_dedup(void) {
    crm_db *db = open_fresh("dedup.crm");
    char *out = NULL, *before = NULL, buf[512];
    int64_t acme, acme2, s, m, pipeline, deal, into = -1, merge_id;
    crm_entity contact = CRM_CONTACT;

    acme = create_ok(db, CRM_ACCOUNT, "{\"name\":\"㈱山田商事\",\"phone\":\"03-1234-5678\"}");
    acme2 = create_ok(db, CRM_ACCOUNT, "{\"name\":\"山田商事株式会社\",\"phone\":\"+81 3 1234 5678\"}");
    snprintf(buf, sizeof buf,
             "{\"name\":\"山田 太郎\",\"name_reading\":\"ヤマダ タロウ\",\"account_id\":%lld,"
             "\"phones\":[{\"number\":\"090-1234-5678\"}]}",
             (long long)acme);
    s = create_ok(db, CRM_CONTACT, buf);
    snprintf(buf, sizeof buf,
             "{\"name\":\"山田太郎\",\"name_reading\":\"やまだ たろう\",\"account_id\":%lld,\"title\":\"部長\","
             "\"phones\":[{\"number\":\"+81 90 1234 5678\"}]}",
             (long long)acme2);
    m = create_ok(db, CRM_CONTACT, buf);
    create_ok(db, CRM_CONTACT, "{\"name\":\"佐藤 花子\"}");
    pipeline = create_ok(db, CRM_PIPELINE, "{\"name\":\"新規\",\"stages\":[{\"name\":\"提案\",\"probability\":40}]}");
    {
        char *p = NULL;
        int64_t stage;
        CHECK_OK(crm_pipeline_stages(db, pipeline, &p));
        stage = json_int(p, "id");
        crm_free(p);
        snprintf(buf, sizeof buf, "{\"name\":\"案件\",\"pipeline_id\":%lld,\"stage_id\":%lld,\"contact_id\":%lld}",
                 (long long)pipeline, (long long)stage, (long long)m);
        deal = create_ok(db, CRM_DEAL, buf);
    }

    /* One pair, with its reasons. */
    CHECK_OK(crm_dedup_find(db, CRM_CONTACT, 50, 100, &out));
    snprintf(buf, sizeof buf, "{\"a\":%lld,\"b\":%lld,", (long long)s, (long long)m);
    CHECK(has(out, buf));
    CHECK(has(out, "\"phone\""));
    CHECK(has(out, "\"name_company\""));
    CHECK(count_of(out, "\"a\":") == 1);
    crm_free(out);
    CHECK_OK(crm_dedup_find(db, CRM_ACCOUNT, 50, 100, &out));
    CHECK(has(out, "\"company\""));
    crm_free(out);

    /* A dry run changes nothing. */
    before = get_doc(db, CRM_CONTACT, s);
    CHECK_OK(crm_dedup_merge(db, CRM_CONTACT, s, m, "{\"dry_run\":true,\"take_merged\":[\"title\"]}", &out));
    CHECK(has(out, "\"dry_run\":true"));
    CHECK(has(out, "\"id\":null"));
    crm_free(out);
    CHECK_UNCHANGED(db, CRM_CONTACT, s, before);
    crm_free(before);

    /* Refused: itself, an unknown field, a bad options document, an unknown id. */
    CHECK_RC(crm_dedup_merge(db, CRM_CONTACT, s, s, NULL, &out), CRM_EINVALID);
    CHECK(out == NULL);
    CHECK_RC(crm_dedup_merge(db, CRM_CONTACT, s, m, "{\"take_merged\":[\"nope\"]}", &out), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "take_merged") == 0);
    CHECK_RC(crm_dedup_merge(db, CRM_CONTACT, s, m, "[1]", &out), CRM_EINVALID);
    CHECK_RC(crm_dedup_merge(db, CRM_CONTACT, s, 99999, NULL, &out), CRM_ENOTFOUND);
    CHECK_RC(crm_dedup_merge(db, CRM_DEAL, s, m, NULL, &out), CRM_EINVALID);

    /* The merge. */
    CHECK_OK(crm_dedup_merge(db, CRM_CONTACT, s, m, "{\"take_merged\":[\"title\"]}", &out));
    merge_id = json_int(out, "id");
    CHECK(merge_id > 0);
    CHECK(has(out, "\"kind\":\"deal\""));
    crm_free(out);
    out = get_doc(db, CRM_DEAL, deal);
    snprintf(buf, sizeof buf, "\"contact_id\":%lld", (long long)s);
    CHECK(has(out, buf));
    crm_free(out);
    out = get_doc(db, CRM_CONTACT, s);
    CHECK(has(out, "\"title\":\"部長\""));
    crm_free(out);
    out = NULL;
    CHECK_RC(crm_record_get(db, CRM_CONTACT, m, &out), CRM_ENOTFOUND);
    snprintf(buf, sizeof buf, "contact %lld was merged into %lld", (long long)m, (long long)s);
    CHECK(strcmp(crm_errmsg(), buf) == 0);
    CHECK_OK(crm_merged_into(db, CRM_CONTACT, m, &into));
    CHECK(into == s);
    CHECK_OK(crm_merged_into(db, CRM_CONTACT, s, &into));
    CHECK(into == 0);
    CHECK_OK(crm_dedup_merges(db, &contact, 10, &out));
    CHECK(count_of(out, "\"survivor_id\"") == 1);
    crm_free(out);
    CHECK_OK(crm_dedup_get(db, merge_id, &out));
    CHECK(has(out, "\"undone_at\":null"));
    crm_free(out);

    /* Undo. */
    CHECK_OK(crm_dedup_undo(db, merge_id, &out));
    CHECK(!has(out, "\"undone_at\":null"));
    crm_free(out);
    out = get_doc(db, CRM_CONTACT, m);
    CHECK(out != NULL && has(out, "\"title\":\"部長\""));
    crm_free(out);
    out = get_doc(db, CRM_DEAL, deal);
    snprintf(buf, sizeof buf, "\"contact_id\":%lld", (long long)m);
    CHECK(has(out, buf));
    crm_free(out);
    out = NULL;
    CHECK_RC(crm_dedup_undo(db, merge_id, &out), CRM_EINVALID);
    CHECK(out == NULL);
    CHECK_RC(crm_dedup_undo(db, 777, &out), CRM_ENOTFOUND);
    crm_db_close(db);
}
