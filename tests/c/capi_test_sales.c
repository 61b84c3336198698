/* Sales through the C ABI: products, pipelines, deals via crm_record_*, stage
 * moves, stage history, lost reasons (MISSION B4, B7). */
#include "capi_test.h"

void test_sales(void) {
    crm_db *db = open_fresh("sales.crm");
    char *doc = NULL;
    char buf[1024];
    int64_t pipeline, other, product, deal, reason;
    int64_t s_open, s_won, s_lost, s_other;

    product = create_ok(db, CRM_PRODUCT,
                        "{\"name\":\"勤怠管理クラウド\",\"series\":\"クラウドシリーズ\","
                        "\"list_price\":{\"amount\":50000,\"currency\":\"JPY\"}}");
    CHECK(product > 0);
    pipeline = create_ok(db, CRM_PIPELINE,
                         "{\"name\":\"新規営業\",\"stages\":[{\"name\":\"提案\",\"probability\":40},"
                         "{\"name\":\"受注\",\"probability\":100,\"kind\":\"won\"},"
                         "{\"name\":\"失注\",\"probability\":0,\"kind\":\"lost\"}]}");
    other = create_ok(db, CRM_PIPELINE, "{\"name\":\"保守\",\"stages\":[{\"name\":\"更新案内\",\"probability\":50}]}");
    CHECK(pipeline > 0 && other > 0);
    CHECK_OK(crm_pipeline_stages(db, pipeline, &doc));
    CHECK(doc && count_of(doc, "\"kind\"") == 3);
    s_open = json_int(doc, "id");
    s_won = s_open + 1;
    s_lost = s_open + 2;
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_pipeline_stages(db, other, &doc));
    s_other = json_int(doc, "id");
    crm_free(doc);
    doc = NULL;

    snprintf(buf, sizeof buf,
             "{\"name\":\"基幹システム刷新\",\"pipeline_id\":%lld,\"stage_id\":%lld,"
             "\"amount\":{\"amount\":0,\"currency\":\"JPY\"},"
             "\"line_items\":[{\"product_id\":%lld,\"quantity\":2,\"unit_price\":{\"amount\":50000,\"currency\":\"JPY\"}}]}",
             (long long)pipeline, (long long)s_open, (long long)product);
    deal = create_ok(db, CRM_DEAL, buf);
    CHECK(deal > 0);
    doc = get_doc(db, CRM_DEAL, deal);
    CHECK(doc && has(doc, "\"amount\":100000") && has(doc, "基幹システム刷新") && has(doc, "\"status\":\"open\""));
    crm_free(doc);
    doc = NULL;

    CHECK_OK(crm_deal_weighted(db, deal, &doc));
    CHECK(doc && has(doc, "\"amount\":40000"));
    crm_free(doc);
    doc = NULL;

    /* A currency mismatch and a stage from another pipeline are refused; nothing changes. */
    {
        char *before = get_doc(db, CRM_DEAL, deal);
        CHECK_RC(crm_record_update(db, CRM_DEAL, deal,
                                   "{\"line_items\":[{\"product_id\":1,\"quantity\":1,"
                                   "\"unit_price\":{\"amount\":5,\"currency\":\"USD\"}}]}"),
                 CRM_EINVALID);
        CHECK(strcmp(crm_errfield(), "line_items[0].unit_price.currency") == 0);
        CHECK_RC(crm_deal_move(db, deal, s_other, NULL), CRM_EINVALID);
        CHECK(strcmp(crm_errfield(), "stage_id") == 0);
        CHECK_RC(crm_deal_move(db, deal, s_lost, NULL), CRM_EINVALID);
        CHECK_RC(crm_deal_move(db, deal, s_lost, "価格"), CRM_EINVALID); /* not defined yet */
        CHECK_UNCHANGED(db, CRM_DEAL, deal, before);
        crm_free(before);
    }

    CHECK_OK(crm_lost_reason_define(db, "価格", &reason));
    CHECK(reason > 0);
    CHECK_RC(crm_lost_reason_define(db, "価格", &reason), CRM_EEXISTS);
    CHECK_OK(crm_lost_reason_list(db, &doc));
    CHECK(doc && has(doc, "価格"));
    crm_free(doc);
    doc = NULL;

    g_now += 60000;
    CHECK_OK(crm_deal_move(db, deal, s_lost, "価格"));
    doc = get_doc(db, CRM_DEAL, deal);
    CHECK(doc && has(doc, "\"status\":\"lost\"") && has(doc, "\"lost_reason\":\"価格\""));
    crm_free(doc);
    doc = NULL;
    g_now += 1000;
    CHECK_OK(crm_deal_move(db, deal, s_won, NULL));
    g_now += 500;
    CHECK_OK(crm_deal_stage_history(db, deal, &doc));
    CHECK(doc && count_of(doc, "\"to_stage_id\"") == 3);
    CHECK(doc && has(doc, "\"time_in_stage_ms\":60000") && has(doc, "\"time_in_stage_ms\":1000") &&
          has(doc, "\"time_in_stage_ms\":500"));
    crm_free(doc);
    doc = NULL;

    CHECK_RC(crm_deal_stage_history(db, 999999, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_record_delete(db, CRM_PIPELINE, pipeline), CRM_ECONSTRAINT);
    CHECK_OK(crm_record_history(db, CRM_DEAL, deal, &doc));
    CHECK(doc && count_of(doc, "\"field\":\"stage_id\"") == 2);
    crm_free(doc);
    crm_db_close(db);
}
