/* C ABI: routing of hot leads — define (refused definitions store nothing), route
 * (owner, follow-up task, hand-off), round robin, dry run, hand-offs read back,
 * attach to a threshold. */
#include "capi_test.h"

void test_routing(void) {
    crm_db *db = open_fresh("routing.crm");
    char *doc = NULL;
    char def[1024];
    int64_t a, b, boss, k1, k2, k3, far;
    a = create_ok(db, CRM_USER, "{\"name\":\"青木\",\"email\":\"aoki@acme.co.jp\"}");
    b = create_ok(db, CRM_USER, "{\"name\":\"馬場\",\"email\":\"baba@acme.co.jp\"}");
    boss = create_ok(db, CRM_USER, "{\"name\":\"部長\",\"email\":\"bucho@acme.co.jp\"}");
    k1 = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\",\"address\":{\"region\":\"東京都\"}}");
    k2 = create_ok(db, CRM_CONTACT, "{\"name\":\"佐藤 花子\",\"address\":{\"region\":\"神奈川県\"}}");
    k3 = create_ok(db, CRM_CONTACT, "{\"name\":\"鈴木 一郎\",\"address\":{\"region\":\"東京都\"}}");
    far = create_ok(db, CRM_CONTACT, "{\"name\":\"北 三郎\",\"address\":{\"region\":\"北海道\"}}");

    /* No fallback, an unknown pool user: refused, nothing stored. */
    CHECK_RC(crm_routing_define(db, "{\"name\":\"国内\",\"rules\":[]}", &doc), CRM_EINVALID);
    CHECK(doc == NULL);
    CHECK(strcmp(crm_errfield(), "fallback") == 0);
    snprintf(def, sizeof def,
             "{\"name\":\"国内\",\"fallback\":%lld,\"rules\":[{\"id\":\"r\",\"pool\":[%lld,999999]}]}",
             (long long)boss, (long long)a);
    CHECK_RC(crm_routing_define(db, def, &doc), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "rules[0].pool[1]") == 0);
    CHECK_RC(crm_routing_define(db, NULL, &doc), CRM_EINVALID);
    CHECK_RC(crm_routing_define(db, "{\"name\":", &doc), CRM_EINVALID);
    CHECK_OK(crm_routing_list(db, &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);
    doc = NULL;

    snprintf(def, sizeof def,
             "{\"name\":\"国内\",\"fallback\":%lld,"
             "\"territories\":[{\"name\":\"関東\",\"field\":\"address.region\",\"values\":[\"東京都\",\"神奈川県\"]}],"
             "\"rules\":[{\"id\":\"kanto\",\"territory\":\"関東\",\"pool\":[%lld,%lld]}],"
             "\"follow_up\":{\"due_minutes\":30}}",
             (long long)boss, (long long)a, (long long)b);
    CHECK_OK(crm_routing_define(db, def, &doc));
    CHECK(json_int(doc, "version") == 1);
    crm_free(doc);
    doc = NULL;
    CHECK_RC(crm_routing_define(db, def, &doc), CRM_EEXISTS);

    /* A dry run decides, writes nothing: the real run decides the same. */
    CHECK_OK(crm_route(db, "国内", k1, 1, &doc));
    CHECK(has(doc, "\"dry_run\":true"));
    CHECK(json_int(doc, "owner_id") == a);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_routing_handoffs(db, k1, &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);
    doc = NULL;

    CHECK_OK(crm_route(db, "国内", k1, 0, &doc));
    CHECK(json_int(doc, "owner_id") == a);
    CHECK(has(doc, "\"reason\":\"round_robin\""));
    CHECK(has(doc, "\"op\":\"territory:関東\""));
    CHECK(json_int(doc, "task_id") > 0);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_route(db, "国内", k2, 0, &doc));
    CHECK(json_int(doc, "owner_id") == b);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_route(db, "国内", k3, 0, &doc));
    CHECK(json_int(doc, "owner_id") == a);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_route(db, "国内", far, 0, &doc));
    CHECK(json_int(doc, "owner_id") == boss);
    CHECK(has(doc, "\"reason\":\"fallback_no_match\""));
    crm_free(doc);
    doc = NULL;

    /* The owner is on the contact; the hand-off reads back. */
    doc = get_doc(db, CRM_CONTACT, k2);
    CHECK(doc && json_int(doc, "owner_id") == b);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_routing_handoffs(db, k1, &doc));
    CHECK(count_of(doc, "\"routing\":\"国内\"") == 1);
    CHECK(has(doc, "\"timeline\":[]"));
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_routing_handoff(db, 1, &doc));
    CHECK(json_int(doc, "contact_id") == k1);
    crm_free(doc);
    doc = NULL;
    CHECK_RC(crm_routing_handoff(db, 999, &doc), CRM_ENOTFOUND);
    CHECK(doc == NULL);
    CHECK_RC(crm_route(db, "無い", k1, 0, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_route(db, "国内", 999999, 0, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_route(db, "国内", k1, 0, NULL), CRM_EINVALID);

    /* Versions, get, attach / detach. */
    CHECK_OK(crm_routing_update(db, def, &doc));
    CHECK(json_int(doc, "version") == 2);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_routing_versions(db, "国内", &doc));
    CHECK(count_of(doc, "\"latest_version\":2") == 2);
    crm_free(doc);
    doc = NULL;
    CHECK_OK(crm_routing_get(db, "国内", 1, &doc));
    CHECK(json_int(doc, "version") == 1);
    crm_free(doc);
    doc = NULL;
    CHECK_RC(crm_routing_get(db, "国内", 9, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_routing_attach(db, "無い", "国内"), CRM_ENOTFOUND);
    CHECK_RC(crm_routing_detach(db, "無い"), CRM_ENOTFOUND);
    crm_db_close(db);
}
