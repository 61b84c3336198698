/* C ABI: interactions (CRM_INTERACTION), the appender, one-call ingest,
 * email tracking and timelines. */
#include "capi_test.h"

static int cursor_count(crm_cursor *cur, char *first, size_t first_size) {
    const char *doc = NULL;
    int n = 0;
    while (crm_cursor_next(cur, &doc) == CRM_OK) {
        if (n == 0 && first) snprintf(first, first_size, "%s", doc);
        ++n;
    }
    return n;
}

void test_interactions(void) {
    crm_db *db = open_fresh("interactions.crm");
    crm_appender *app = NULL;
    crm_cursor *cur = NULL;
    char buf[512], first[2048];
    char *doc = NULL, *token = NULL;
    int64_t account, taro, hanako, id = 0, ev = 0, inserted = -1, dups = -1;
    int i;

    account = create_ok(db, CRM_ACCOUNT, "{\"name\":\"株式会社サンプル\"}");
    snprintf(buf, sizeof buf, "{\"name\":\"山田 太郎\",\"account_id\":%lld}", (long long)account);
    taro = create_ok(db, CRM_CONTACT, buf);
    snprintf(buf, sizeof buf, "{\"name\":\"佐藤 花子\",\"account_id\":%lld}", (long long)account);
    hanako = create_ok(db, CRM_CONTACT, buf);

    /* A record through the generic family. */
    snprintf(buf, sizeof buf,
             "{\"kind\":\"email\",\"occurred_at\":\"2026-04-01T10:00:00+09:00\",\"direction\":\"outbound\","
             "\"subject\":\"【ご案内】セミナー\",\"contact_ids\":[%lld]}",
             (long long)taro);
    id = create_ok(db, CRM_INTERACTION, buf);
    doc = get_doc(db, CRM_INTERACTION, id);
    CHECK(doc && has(doc, "\"subject\":\"【ご案内】セミナー\""));
    CHECK(doc && has(doc, "\"occurred_at\":\"2026-04-01T01:00:00.000Z\""));
    crm_free(doc);
    CHECK_RC(crm_record_create(db, CRM_INTERACTION, "{\"kind\":\"Call!\"}", &ev), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "kind") == 0);

    /* Tracking. */
    CHECK_OK(crm_interaction_track(db, id, "opened", 0, NULL, &ev));
    CHECK(ev > 0);
    CHECK_OK(crm_interaction_track(db, id, "clicked", 0, "https://example.jp/s", NULL));
    CHECK_RC(crm_interaction_track(db, id, "read", 0, NULL, NULL), CRM_EINVALID);
    CHECK_OK(crm_interaction_email_events(db, id, &doc));
    CHECK(doc && count_of(doc, "\"event\":") == 2 && has(doc, "\"url\":\"https://example.jp/s\""));
    crm_free(doc);

    /* The appender: 30 web visits of hanako, then a replay that adds nothing. */
    CHECK_OK(crm_appender_open(&app, db));
    for (i = 0; i < 30; ++i) {
        snprintf(buf, sizeof buf,
                 "{\"kind\":\"web_visit\",\"occurred_at\":%lld,\"url\":\"https://example.jp/p/%d\","
                 "\"external_id\":\"ga-%d\",\"contact_ids\":[%lld]}",
                 (long long)(1775000000000LL + i * 1000), i, i, (long long)hanako);
        CHECK_OK(crm_appender_append(app, buf));
    }
    CHECK_RC(crm_appender_append(app, "{\"kind\":\"web_visit\",\"nope\":1}"), CRM_EINVALID);
    CHECK_OK(crm_appender_flush(app, &inserted, &dups));
    CHECK(inserted == 30 && dups == 0);
    CHECK_OK(crm_appender_append(app, buf)); /* ga-29 again */
    CHECK_OK(crm_appender_close(app));
    CHECK_RC(crm_appender_append(app, buf), CRM_ECLOSED);
    CHECK_RC(crm_appender_flush(app, &inserted, &dups), CRM_ECLOSED);
    crm_appender_free(app);
    crm_appender_free(NULL);

    /* One-call ingest, per item. */
    snprintf(buf, sizeof buf, "[{\"kind\":\"sms\",\"contact_ids\":[%lld]},{\"kind\":\"sms\",\"contact_ids\":[999]}]",
             (long long)taro);
    CHECK_RC(crm_interaction_ingest(db, buf, 0, "test", &doc), CRM_ENOTFOUND);
    CHECK(strcmp(crm_errfield(), "items[1].contact_ids") == 0);
    CHECK_OK(crm_interaction_ingest(db, buf, 1, "test", &doc));
    CHECK(doc && json_int(doc, "inserted") == 1 && json_int(doc, "failed") == 1);
    crm_free(doc);

    /* Timelines: the account sees both contacts' interactions, newest first, paged. */
    CHECK_OK(crm_timeline(db, CRM_ACCOUNT, account, "{\"limit\":20}", &cur));
    CHECK(cursor_count(cur, first, sizeof first) == 20);
    CHECK_OK(crm_cursor_next_page_token(cur, &token));
    crm_cursor_free(cur);
    snprintf(buf, sizeof buf, "{\"limit\":20,\"after\":\"%s\"}", token ? token : "");
    crm_free(token);
    CHECK_OK(crm_timeline(db, CRM_ACCOUNT, account, buf, &cur));
    CHECK(cursor_count(cur, NULL, 0) == 12); /* 1 email + 30 visits + 1 sms = 32 */
    crm_cursor_free(cur);
    CHECK_OK(crm_timeline(db, CRM_CONTACT, taro, "{\"kinds\":[\"email\"]}", &cur));
    CHECK(cursor_count(cur, first, sizeof first) == 1);
    CHECK(has(first, "【ご案内】セミナー"));
    crm_cursor_free(cur);
    CHECK_RC(crm_timeline(db, CRM_CONTACT, taro, "{\"limt\":1}", &cur), CRM_EINVALID);
    CHECK(cur == NULL);
    CHECK_RC(crm_timeline(db, CRM_USER, 1, NULL, &cur), CRM_EINVALID);
    CHECK_RC(crm_timeline(db, CRM_CONTACT, 4242, NULL, &cur), CRM_ENOTFOUND);

    crm_db_close(db);
}
