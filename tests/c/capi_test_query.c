/* Lists with filters, sorting and keyset paging; counts; custom fields; tags. */
#include "capi_test.h"

/* Drains a cursor: returns the number of documents, appends their ids to ids[]. */
static int drain(crm_cursor *cur, int64_t *ids, int max) {
    const char *doc = NULL;
    int n = 0, rc;
    while ((rc = crm_cursor_next(cur, &doc)) == CRM_OK) {
        CHECK(doc != NULL && doc[0] == '{');
        if (n < max) ids[n] = json_int(doc, "id");
        ++n;
    }
    CHECK(rc == CRM_ITEROVER && doc == NULL);
    CHECK(crm_errcode() == CRM_ITEROVER);
    CHECK_RC(crm_cursor_next(cur, &doc), CRM_ITEROVER); /* stays over */
    return n;
}

static void test_paging(crm_db *db) {
    static const char *names[] = {"株式会社あおい", "株式会社いろは", "株式会社うみ", "株式会社えがお", "株式会社おか"};
    int64_t ids[5], seen[16];
    char json[256], query[512];
    char *token = NULL;
    crm_cursor *cur = NULL;
    const char *doc = NULL;
    int64_t n = 0;
    int i, total = 0, pages = 0;

    for (i = 0; i < 5; ++i) {
        snprintf(json, sizeof json, "{\"name\":\"%s\",\"employee_count\":%d%s}", names[4 - i], (i + 1) * 10,
                 i % 2 == 0 ? ",\"tags\":[\"vip\"]" : "");
        ids[i] = create_ok(db, CRM_ACCOUNT, json);
    }

    /* NULL query: everything, by id. */
    CHECK_OK(crm_record_list(db, CRM_ACCOUNT, NULL, &cur));
    CHECK(drain(cur, seen, 16) == 5 && seen[0] == ids[0] && seen[4] == ids[4]);
    CHECK_RC(crm_cursor_next_page_token(cur, &token), CRM_ITEROVER);
    CHECK(token == NULL);
    crm_cursor_free(cur);

    /* Pages of two, sorted by name (Japanese kana order): 3 pages, 2+2+1, every record once. */
    strcpy(query, "{\"order_by\":\"name\",\"limit\":2}");
    for (;;) {
        int got;
        cur = NULL;
        CHECK_OK(crm_record_list(db, CRM_ACCOUNT, query, &cur));
        if (!cur) break;
        got = drain(cur, seen + total, 16 - total);
        CHECK(got == (pages < 2 ? 2 : 1));
        total += got;
        ++pages;
        if (crm_cursor_next_page_token(cur, &token) != CRM_OK) {
            CHECK(crm_errcode() == CRM_ITEROVER && token == NULL);
            crm_cursor_free(cur);
            break;
        }
        CHECK(token != NULL && strlen(token) < 200);
        /* opaque and safe to embed in JSON as it is */
        CHECK(token && !strchr(token, '"') && !strchr(token, '\\') && !strchr(token, '['));
        snprintf(query, sizeof query, "{\"order_by\":\"name\",\"limit\":2,\"after\":\"%s\"}", token);
        crm_free(token);
        token = NULL;
        crm_cursor_free(cur);
        if (pages > 5) break;
    }
    CHECK(pages == 3 && total == 5);
    /* names[] are in kana order and ids[i] has names[4-i]: by name = reverse id order */
    CHECK(seen[0] == ids[4] && seen[1] == ids[3] && seen[2] == ids[2] && seen[3] == ids[1] && seen[4] == ids[0]);

    /* Descending by employee_count, with a filter. */
    CHECK_OK(crm_record_list(db, CRM_ACCOUNT,
                             "{\"where\":[\"employee_count>=30\"],\"order_by\":\"employee_count\",\"desc\":true}", &cur));
    CHECK(drain(cur, seen, 16) == 3 && seen[0] == ids[4] && seen[1] == ids[3] && seen[2] == ids[2]);
    crm_cursor_free(cur);

    /* Several filters are ANDed; "~" is contains. */
    CHECK_OK(crm_record_list(db, CRM_ACCOUNT, "{\"where\":[\"tag=vip\",\"name~う\"]}", &cur));
    CHECK(drain(cur, seen, 16) == 1 && seen[0] == ids[2]);
    crm_cursor_free(cur);
    /* The borrowed document is the one of the item returned. */
    CHECK_OK(crm_record_list(db, CRM_ACCOUNT, "{\"where\":[\"employee_count=20\"]}", &cur));
    CHECK_OK(crm_cursor_next(cur, &doc));
    CHECK(has(doc, "\"name\":\"株式会社えがお\"") && has(doc, "\"employee_count\":20"));
    crm_cursor_free(cur);

    /* Counts use only "where"; paging keys are accepted and ignored. */
    CHECK_OK(crm_record_count(db, CRM_ACCOUNT, NULL, &n));
    CHECK(n == 5);
    CHECK_OK(crm_record_count(db, CRM_ACCOUNT, "{\"where\":[\"tag=vip\"],\"limit\":1,\"order_by\":\"name\"}", &n));
    CHECK(n == 3);
    CHECK_OK(crm_record_count(db, CRM_ACCOUNT, "{\"where\":[\"tag!=vip\"]}", &n));
    CHECK(n == 2);
    CHECK_OK(crm_record_count(db, CRM_CONTACT, NULL, &n));
    CHECK(n == 0);

    /* Bad queries: every one is CRM_EINVALID naming the key, and *out stays NULL. */
    cur = (crm_cursor *)&n;
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"limt\":2}", &cur), CRM_EINVALID);
    CHECK(cur == NULL && strcmp(crm_errfield(), "query.limt") == 0);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"limit\":0}", &cur), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "query.limit") == 0);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"limit\":10001}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"where\":\"tag=vip\"}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"where\":[\"employee_count\"]}", &cur), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "query.where[0]") == 0);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"where\":[\"nosuch=1\"]}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"where\":[\"employee_count>=many\"]}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"order_by\":\"phone\"}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"after\":\"garbage\"}", &cur), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "query.after") == 0);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"after\":\"[\\\"x\\\",1]\"}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"after\":\"e30\"}", &cur), CRM_EINVALID); /* base64url of {} */
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"after\":7}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"desc\":\"yes\"}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "[1,2]", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_ACCOUNT, "{\"where\":[", &cur), CRM_EINVALID);
    CHECK(cur == NULL);
    CHECK_RC(crm_record_count(db, CRM_ACCOUNT, "{\"bogus\":1}", &n), CRM_EINVALID);
    CHECK(n == 0);
}

static void test_custom(crm_db *db) {
    int64_t fid = 0, fid2 = 0, cid, n = 0;
    char *doc = NULL, *before = NULL;
    crm_cursor *cur = NULL;

    CHECK_OK(crm_custom_field_define(db,
        "{\"entity\":\"contact\",\"name\":\"rank\",\"label\":\"顧客ランク\",\"type\":\"enum\",\"options\":[\"A\",\"B\",\"C\"]}",
        &fid));
    CHECK(fid > 0);
    CHECK_OK(crm_custom_field_define(db, "{\"entity\":\"contact\",\"name\":\"visits\",\"type\":\"integer\"}", &fid2));
    CHECK(fid2 > fid);
    CHECK_RC(crm_custom_field_define(db, "{\"entity\":\"contact\",\"name\":\"rank\",\"type\":\"text\"}", &fid2),
             CRM_EEXISTS);
    CHECK(fid2 == 0);
    CHECK_RC(crm_custom_field_define(db, "{\"entity\":\"contact\",\"name\":\"Bad Name\",\"type\":\"text\"}", &fid2),
             CRM_EINVALID);
    CHECK_RC(crm_custom_field_define(db, "{\"entity\":\"contact\",\"name\":\"x\",\"type\":\"float\"}", &fid2),
             CRM_EINVALID);
    CHECK_OK(crm_custom_field_list(db, CRM_CONTACT, &doc));
    CHECK(count_of(doc, "\"name\":") == 2 && has(doc, "\"label\":\"顧客ランク\"") && has(doc, "\"options\":[\"A\",\"B\",\"C\"]"));
    crm_free(doc);
    CHECK_OK(crm_custom_field_list(db, CRM_ACCOUNT, &doc));
    CHECK(doc && strcmp(doc, "[]") == 0);
    crm_free(doc);
    CHECK_OK(crm_custom_field_get(db, CRM_CONTACT, "visits", &doc));
    CHECK(has(doc, "\"type\":\"integer\"") && json_int(doc, "id") == fid + 1);
    crm_free(doc);
    CHECK_RC(crm_custom_field_get(db, CRM_ACCOUNT, "visits", &doc), CRM_ENOTFOUND);

    /* Values: in the create document and through crm_record_set_custom. */
    cid = create_ok(db, CRM_CONTACT, "{\"name\":\"鈴木 一郎\",\"custom\":{\"rank\":\"B\"}}");
    doc = get_doc(db, CRM_CONTACT, cid);
    CHECK(has(doc, "\"custom\":{\"rank\":\"B\"}"));
    crm_free(doc);
    CHECK_OK(crm_record_set_custom(db, CRM_CONTACT, cid, "rank", "\"A\""));
    CHECK_OK(crm_record_set_custom(db, CRM_CONTACT, cid, "visits", "42"));
    doc = get_doc(db, CRM_CONTACT, cid);
    CHECK(has(doc, "\"custom\":{\"rank\":\"A\",\"visits\":42}"));
    crm_free(doc);
    CHECK_OK(crm_record_count(db, CRM_CONTACT, "{\"where\":[\"custom.rank=A\",\"custom.visits>40\"]}", &n));
    CHECK(n == 1);

    /* Bad values change nothing. */
    before = get_doc(db, CRM_CONTACT, cid);
    CHECK_RC(crm_record_set_custom(db, CRM_CONTACT, cid, "rank", "\"Z\""), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "custom.rank") == 0);
    CHECK_RC(crm_record_set_custom(db, CRM_CONTACT, cid, "visits", "\"many\""), CRM_EINVALID);
    CHECK_RC(crm_record_set_custom(db, CRM_CONTACT, cid, "undefined_field", "1"), CRM_EINVALID);
    CHECK_RC(crm_record_set_custom(db, CRM_CONTACT, cid, "rank", "{\"a\":1}"), CRM_EINVALID);
    CHECK_RC(crm_record_set_custom(db, CRM_CONTACT, cid, "rank", "not json"), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "value_json") == 0);
    CHECK_RC(crm_record_set_custom(db, CRM_CONTACT, 999, "rank", "\"A\""), CRM_ENOTFOUND);
    /* A field with values cannot be removed. */
    CHECK_RC(crm_custom_field_remove(db, CRM_CONTACT, "rank"), CRM_ECONSTRAINT);
    CHECK_UNCHANGED(db, CRM_CONTACT, cid, before);
    crm_free(before);
    CHECK_OK(crm_custom_field_get(db, CRM_CONTACT, "rank", &doc));
    crm_free(doc);

    /* null clears; then the definition can go. */
    CHECK_OK(crm_record_set_custom(db, CRM_CONTACT, cid, "rank", "null"));
    doc = get_doc(db, CRM_CONTACT, cid);
    CHECK(has(doc, "\"custom\":{\"visits\":42}"));
    crm_free(doc);
    CHECK_OK(crm_custom_field_remove(db, CRM_CONTACT, "rank"));
    CHECK_RC(crm_custom_field_get(db, CRM_CONTACT, "rank", &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_custom_field_remove(db, CRM_CONTACT, "rank"), CRM_ENOTFOUND);
    CHECK_RC(crm_record_list(db, CRM_CONTACT, "{\"where\":[\"custom.rank=A\"]}", &cur), CRM_EINVALID);
    CHECK(cur == NULL);
}

static void test_tags(crm_db *db) {
    int64_t cid, n = 0;
    char *doc = NULL, *before = NULL;

    cid = create_ok(db, CRM_CONTACT, "{\"name\":\"田中 美咲\"}");
    CHECK_OK(crm_record_add_tag(db, CRM_CONTACT, cid, "重要"));
    CHECK_OK(crm_record_add_tag(db, CRM_CONTACT, cid, "seminar-2026"));
    CHECK_OK(crm_record_add_tag(db, CRM_CONTACT, cid, "重要")); /* adding twice keeps one */
    doc = get_doc(db, CRM_CONTACT, cid);
    CHECK(has(doc, "\"tags\":[\"seminar-2026\",\"重要\"]"));
    crm_free(doc);
    CHECK_OK(crm_record_count(db, CRM_CONTACT, "{\"where\":[\"tag=重要\"]}", &n));
    CHECK(n == 1);

    before = get_doc(db, CRM_CONTACT, cid);
    CHECK_RC(crm_record_add_tag(db, CRM_CONTACT, cid, "   "), CRM_EINVALID);
    CHECK_RC(crm_record_add_tag(db, CRM_CONTACT, 999, "x"), CRM_ENOTFOUND);
    CHECK_UNCHANGED(db, CRM_CONTACT, cid, before);
    crm_free(before);

    CHECK_OK(crm_record_remove_tag(db, CRM_CONTACT, cid, "重要"));
    doc = get_doc(db, CRM_CONTACT, cid);
    CHECK(has(doc, "\"tags\":[\"seminar-2026\"]"));
    crm_free(doc);
    CHECK_OK(crm_record_count(db, CRM_CONTACT, "{\"where\":[\"tag=重要\"]}", &n));
    CHECK(n == 0);
    /* Tags work on every kind. */
    CHECK_OK(crm_record_add_tag(db, CRM_ACCOUNT, 1, "上場"));
    doc = get_doc(db, CRM_ACCOUNT, 1);
    CHECK(has(doc, "\"上場\""));
    crm_free(doc);
}

void test_query(void) {
    crm_db *db = open_fresh("query.crm");
    test_paging(db);
    crm_db_close(db);
}

void test_custom_fields_and_tags(void) {
    crm_db *db = open_fresh("custom.crm");
    create_ok(db, CRM_ACCOUNT, "{\"name\":\"タグ株式会社\"}");
    test_custom(db);
    test_tags(db);
    crm_db_close(db);
}
