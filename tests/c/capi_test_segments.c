/* Saved segments through the C ABI (docs/segments.md). */
#include "capi_test.h"

void test_segments(void) {
    crm_db *db = open_fresh("segments.crm");
    char *out = NULL;
    int64_t a, c1, c2, id = 0, n = -1;
    char json[512];

    a = create_ok(db, CRM_ACCOUNT, "{\"name\":\"株式会社サンプル\",\"industry\":\"製造業\"}");
    snprintf(json, sizeof json, "{\"name\":\"山田 太郎\",\"lifecycle_stage\":\"mql\",\"account_id\":%lld,\"tags\":[\"セミナー\"]}",
             (long long)a);
    c1 = create_ok(db, CRM_CONTACT, json);
    c2 = create_ok(db, CRM_CONTACT, "{\"name\":\"佐藤 花子\",\"lifecycle_stage\":\"lead\"}");
    CHECK(c1 > 0 && c2 > 0);

    /* define, look up by name, count, page */
    CHECK_OK(crm_segment_define(db, "製造業MQL", "lifecycle_stage = 'mql' and account.industry = '製造業'", "説明", &id));
    CHECK(id > 0);
    CHECK_OK(crm_segment_get_by_name(db, "製造業MQL", &out));
    CHECK(has(out, "\"definition\":\"lifecycle_stage = 'mql' and account.industry = '製造業'\""));
    crm_free(out);
    CHECK_OK(crm_segment_count(db, id, NULL, 0, &n));
    CHECK(n == 1);
    CHECK_OK(crm_segment_count(db, 0, "tags has 'セミナー' or lifecycle_stage = 'lead'", 0, &n));
    CHECK(n == 2);
    CHECK_OK(crm_segment_contacts(db, 0, "name?", 1, NULL, 0, 1, &out));
    snprintf(json, sizeof json, "{\"items\":[%lld],\"next\":\"%lld\"}", (long long)c1, (long long)c1);
    CHECK(strcmp(out, json) == 0);
    crm_free(out);
    snprintf(json, sizeof json, "%lld", (long long)c1);
    CHECK_OK(crm_segment_contacts(db, 0, "name?", 1, json, 0, 0, &out));
    CHECK(has(out, "佐藤 花子"));
    CHECK(has(out, "\"next\":\"\""));
    crm_free(out);
    CHECK_OK(crm_segment_contacts(db, id, NULL, 10, NULL, 0, 0, &out));
    CHECK(has(out, "山田 太郎") && !has(out, "佐藤 花子"));
    crm_free(out);

    /* a bad definition is refused, nothing stored; the message names line:column */
    id = 7;
    CHECK_RC(crm_segment_define(db, "bad", "lifecycle_stage = 'mqll'", NULL, &id), CRM_EINVALID);
    CHECK(id == 0);
    CHECK(strcmp(crm_errfield(), "definition") == 0);
    CHECK(has(crm_errmsg(), "1:19:"));
    CHECK_RC(crm_segment_get_by_name(db, "bad", &out), CRM_ENOTFOUND);
    CHECK(out == NULL);
    /* a duplicate name */
    CHECK_RC(crm_segment_define(db, "製造業MQL", "name?", NULL, &id), CRM_EEXISTS);

    /* validate: [] or the problems with positions */
    CHECK_OK(crm_segment_validate(db, "count(email opened, last 30d) >= 2", &out));
    CHECK(strcmp(out, "[]") == 0);
    crm_free(out);
    CHECK_OK(crm_segment_validate(db, "lifecycle_stage =\n  ", &out));
    CHECK(has(out, "\"line\":2") && has(out, "expected a value"));
    crm_free(out);
    CHECK_OK(crm_segment_validate(db, "score(fit).grade = 'A'", &out));
    CHECK(has(out, "no scoring model named 'fit'"));
    crm_free(out);

    /* both or neither of id and expression */
    CHECK_RC(crm_segment_count(db, 0, NULL, 0, &n), CRM_EINVALID);
    CHECK_RC(crm_segment_count(db, 1, "name?", 0, &n), CRM_EINVALID);

    /* segments are records: history through crm_record_* */
    CHECK_OK(crm_record_history(db, CRM_SEGMENT, 1, &out));
    CHECK(has(out, "\"op\":\"create\""));
    crm_free(out);
    CHECK_OK(crm_segment_remove_by_name(db, "製造業MQL"));
    CHECK_RC(crm_segment_remove_by_name(db, "製造業MQL"), CRM_ENOTFOUND);
    crm_db_close(db);
}
