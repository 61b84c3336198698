/* Create / get / update / delete / as-of for users, teams, accounts and contacts. */
#include "capi_test.h"

static void test_users_and_teams(crm_db *db) {
    char *doc = NULL, *before = NULL;
    int64_t uid, tid, uid2;

    uid = create_ok(db, CRM_USER,
                    "{\"name\":\"佐藤 花子\",\"name_reading\":\"サトウ ハナコ\",\"email\":\"hanako@example.jp\","
                    "\"role\":\"manager\",\"external_id\":\"u-1\"}");
    doc = get_doc(db, CRM_USER, uid);
    CHECK(has(doc, "\"name\":\"佐藤 花子\"") && has(doc, "\"name_reading\":\"サトウ ハナコ\""));
    CHECK(has(doc, "\"role\":\"manager\"") && has(doc, "\"active\":true"));
    CHECK(json_int(doc, "id") == uid);
    CHECK(has(doc, "\"created_at\":\"2026-01-01T00:00:00.000Z\""));
    crm_free(doc);

    CHECK_OK(crm_record_get_by_external_id(db, CRM_USER, "u-1", &doc));
    CHECK(json_int(doc, "id") == uid);
    crm_free(doc);
    CHECK_OK(crm_user_get_by_email(db, "HANAKO@Example.JP", &doc)); /* case-insensitive */
    CHECK(json_int(doc, "id") == uid);
    crm_free(doc);

    tid = create_ok(db, CRM_TEAM, "{\"name\":\"東京営業部\",\"region\":\"関東\",\"manager_id\":1}");
    doc = get_doc(db, CRM_TEAM, tid);
    CHECK(has(doc, "\"name\":\"東京営業部\"") && has(doc, "\"region\":\"関東\"") && json_int(doc, "manager_id") == uid);
    crm_free(doc);

    /* Merge patch: only the named keys change. */
    g_now += 1000;
    CHECK_OK(crm_record_update(db, CRM_USER, uid, "{\"team_id\":1,\"region\":\"関東\"}"));
    doc = get_doc(db, CRM_USER, uid);
    CHECK(json_int(doc, "team_id") == tid && has(doc, "\"region\":\"関東\"") && has(doc, "\"name\":\"佐藤 花子\""));
    CHECK(has(doc, "\"updated_at\":\"2026-01-01T00:00:01.000Z\""));
    crm_free(doc);
    CHECK_OK(crm_team_members(db, tid, &doc));
    CHECK(doc && doc[0] == '[' && count_of(doc, "\"email\":") == 1 && has(doc, "\"name\":\"佐藤 花子\""));
    crm_free(doc);

    /* A user who manages a team cannot be deleted; nothing changes. */
    before = get_doc(db, CRM_USER, uid);
    CHECK_RC(crm_record_delete(db, CRM_USER, uid), CRM_ECONSTRAINT);
    CHECK_UNCHANGED(db, CRM_USER, uid, before);
    crm_free(before);

    /* Deleting the team clears the user's team_id (with its own history row). */
    CHECK_OK(crm_record_delete(db, CRM_TEAM, tid));
    CHECK_RC(crm_record_get(db, CRM_TEAM, tid, &doc), CRM_ENOTFOUND);
    CHECK(doc == NULL);
    doc = get_doc(db, CRM_USER, uid);
    CHECK(has(doc, "\"team_id\":null"));
    crm_free(doc);
    CHECK_OK(crm_record_delete(db, CRM_USER, uid));
    CHECK_RC(crm_record_get(db, CRM_USER, uid, &doc), CRM_ENOTFOUND);

    /* The deleted user's email is free again. */
    uid2 = create_ok(db, CRM_USER, "{\"name\":\"Bob\",\"email\":\"hanako@example.jp\"}");
    CHECK_OK(crm_user_get_by_email(db, "hanako@example.jp", &doc));
    CHECK(json_int(doc, "id") == uid2 && has(doc, "\"name\":\"Bob\""));
    crm_free(doc);
}

static void test_accounts(crm_db *db) {
    char *doc = NULL, *before = NULL;
    int64_t parent, child;

    parent = create_ok(db, CRM_ACCOUNT,
                       "{\"name\":\"株式会社サンプル\",\"name_reading\":\"カブシキガイシャサンプル\","
                       "\"employee_count\":500,\"annual_revenue\":{\"amount\":1200000000,\"currency\":\"JPY\"},"
                       "\"address\":{\"postal_code\":\"100-0001\",\"region\":\"東京都\",\"city\":\"千代田区\"},"
                       "\"contract_status\":\"active\",\"external_id\":\"acme-jp\"}");
    doc = get_doc(db, CRM_ACCOUNT, parent);
    CHECK(has(doc, "\"name\":\"株式会社サンプル\"") && has(doc, "\"employee_count\":500"));
    CHECK(has(doc, "\"annual_revenue\":{\"amount\":1200000000,\"currency\":\"JPY\"}"));
    CHECK(has(doc, "\"city\":\"千代田区\"") && has(doc, "\"contract_status\":\"active\""));
    crm_free(doc);

    child = create_ok(db, CRM_ACCOUNT, "{\"name\":\"サンプル販売株式会社\",\"parent_id\":1}");
    CHECK(child == parent + 1);
    CHECK_OK(crm_account_subsidiaries(db, parent, &doc));
    CHECK(count_of(doc, "\"parent_id\":1") == 1 && has(doc, "サンプル販売株式会社"));
    crm_free(doc);

    /* Nested merge patch: address.city changes, address.region stays. */
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, parent, "{\"address\":{\"city\":\"港区\"},\"industry\":\"製造業\"}"));
    doc = get_doc(db, CRM_ACCOUNT, parent);
    CHECK(has(doc, "\"city\":\"港区\"") && has(doc, "\"region\":\"東京都\"") && has(doc, "\"industry\":\"製造業\""));
    crm_free(doc);
    /* null in a merge patch clears a field. */
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, parent, "{\"employee_count\":null}"));
    doc = get_doc(db, CRM_ACCOUNT, parent);
    CHECK(has(doc, "\"employee_count\":null"));
    crm_free(doc);
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, parent, "{\"employee_count\":480}"));

    /* A parent cycle is refused and leaves both records as they were. */
    before = get_doc(db, CRM_ACCOUNT, parent);
    CHECK_RC(crm_record_update(db, CRM_ACCOUNT, parent, "{\"parent_id\":2}"), CRM_ECONSTRAINT);
    CHECK(strcmp(crm_errfield(), "parent_id") == 0);
    CHECK_UNCHANGED(db, CRM_ACCOUNT, parent, before);
    crm_free(before);
    /* The id in a patch is ignored: the record keeps its id. */
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, child, "{\"id\":999,\"phone\":\"03-1234-5678\"}"));
    doc = get_doc(db, CRM_ACCOUNT, child);
    CHECK(json_int(doc, "id") == child && has(doc, "\"phone\":\"03-1234-5678\""));
    crm_free(doc);
}

static void test_contacts(crm_db *db) {
    char *doc = NULL;
    int64_t cid, t_create, t_update;
    const char *name = "髙橋 𠮷野"; /* 髙 (IBM extension kanji) and 𠮷 (4-byte UTF-8) */

    t_create = g_now += 60000;
    cid = create_ok(db, CRM_CONTACT,
                    "{\"name\":\"髙橋 𠮷野\",\"name_reading\":\"タカハシ ヨシノ\","
                    "\"emails\":[\"yoshino@example.jp\",{\"address\":\"y.takahashi@example.com\",\"label\":\"home\"}],"
                    "\"phones\":[\"090-1234-5678\"],\"title\":\"営業部長\",\"department\":\"営業部\","
                    "\"account_id\":1,\"lifecycle_stage\":\"mql\",\"birthday\":\"1985-04-01\","
                    "\"consent\":{\"email\":true},\"tags\":[\"展示会\"]}");
    doc = get_doc(db, CRM_CONTACT, cid);
    CHECK(has(doc, "\"name\":\"髙橋 𠮷野\"") && has(doc, name) && has(doc, "\"name_reading\":\"タカハシ ヨシノ\""));
    CHECK(has(doc, "{\"address\":\"yoshino@example.jp\",\"label\":\"\",\"primary\":true,\"undeliverable\":false}"));
    CHECK(has(doc, "{\"address\":\"y.takahashi@example.com\",\"label\":\"home\",\"primary\":false,"
              "\"undeliverable\":false}"));
    CHECK(has(doc, "\"title\":\"営業部長\"") && json_int(doc, "account_id") == 1);
    CHECK(has(doc, "\"lifecycle_stage\":\"mql\"") && has(doc, "\"tags\":[\"展示会\"]"));
    CHECK(has(doc, "\"consent\":{\"email\":true,\"phone\":false"));
    crm_free(doc);

    CHECK_OK(crm_contact_get_by_email(db, "Y.Takahashi@example.com", &doc));
    CHECK(json_int(doc, "id") == cid);
    crm_free(doc);
    CHECK_OK(crm_account_contacts(db, 1, &doc));
    CHECK(count_of(doc, "\"lifecycle_stage\":") == 1 && has(doc, name));
    crm_free(doc);

    /* A move to another employer and title. */
    t_update = g_now += 60000;
    CHECK_OK(crm_record_update(db, CRM_CONTACT, cid, "{\"title\":\"取締役\",\"account_id\":2}"));
    doc = get_doc(db, CRM_CONTACT, cid);
    CHECK(has(doc, "\"title\":\"取締役\"") && json_int(doc, "account_id") == 2 && has(doc, "\"department\":\"営業部\""));
    crm_free(doc);
    CHECK_OK(crm_contact_employment_history(db, cid, &doc));
    /* initial account_id, department, title (as "create") + the two changes */
    CHECK(count_of(doc, "\"op\":\"create\"") == 3 && count_of(doc, "\"op\":\"update\"") == 2);
    CHECK(count_of(doc, "\"field\":\"title\"") == 2 && count_of(doc, "\"field\":\"account_id\"") == 2);
    CHECK(has(doc, "\"new\":\"取締役\"") && has(doc, "\"old\":\"営業部長\""));
    crm_free(doc);

    /* As-of reads: before the create, between create and update, after. */
    CHECK_RC(crm_record_get_as_of(db, CRM_CONTACT, cid, t_create - 1, &doc), CRM_ENOTFOUND);
    CHECK(doc == NULL);
    CHECK_OK(crm_record_get_as_of(db, CRM_CONTACT, cid, t_create, &doc));
    CHECK(has(doc, "\"title\":\"営業部長\"") && json_int(doc, "account_id") == 1);
    crm_free(doc);
    CHECK_OK(crm_record_get_as_of(db, CRM_CONTACT, cid, t_update - 1, &doc));
    CHECK(has(doc, "\"title\":\"営業部長\""));
    crm_free(doc);
    CHECK_OK(crm_record_get_as_of(db, CRM_CONTACT, cid, t_update, &doc));
    CHECK(has(doc, "\"title\":\"取締役\""));
    crm_free(doc);

    /* Delete: gone now, still readable as of before the delete. */
    g_now += 60000;
    CHECK_OK(crm_record_delete(db, CRM_CONTACT, cid));
    CHECK_RC(crm_record_get(db, CRM_CONTACT, cid, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_contact_get_by_email(db, "yoshino@example.jp", &doc), CRM_ENOTFOUND);
    CHECK_OK(crm_record_get_as_of(db, CRM_CONTACT, cid, t_update + 1, &doc));
    CHECK(has(doc, "\"title\":\"取締役\"") && has(doc, name));
    crm_free(doc);
    CHECK_RC(crm_record_get_as_of(db, CRM_CONTACT, cid, g_now, &doc), CRM_ENOTFOUND);

    /* History: create, two field updates, delete — oldest first. */
    CHECK_OK(crm_record_history(db, CRM_CONTACT, cid, &doc));
    CHECK(doc && doc[0] == '[' && count_of(doc, "\"op\":") == 4);
    CHECK(strstr(doc, "\"op\":\"create\"") < strstr(doc, "\"op\":\"update\""));
    CHECK(strstr(doc, "\"op\":\"update\"") < strstr(doc, "\"op\":\"delete\""));
    crm_free(doc);
}

/* The same life cycle for every kind: create, get, update, list + paging,
 * history, as-of, delete. %d in a template is replaced by 1 or 2. */
struct kind_case {
    crm_entity kind;
    const char *create_fmt; /* JSON with one %d */
    const char *patch;      /* sets the region to 九州 */
    const char *patched;    /* substring of the patched document */
};

static const struct kind_case kinds[] = {
    {CRM_USER, "{\"name\":\"伊藤 健%d\",\"email\":\"ken%d@example.jp\"}", "{\"region\":\"九州\"}",
     "\"region\":\"九州\""},
    {CRM_TEAM, "{\"name\":\"福岡営業部%d\",\"external_id\":\"t%d\"}", "{\"region\":\"九州\"}", "\"region\":\"九州\""},
    {CRM_ACCOUNT, "{\"name\":\"株式会社博多%d\",\"external_id\":\"a%d\"}", "{\"address\":{\"region\":\"九州\"}}",
     "\"region\":\"九州\""},
    {CRM_CONTACT, "{\"name\":\"中村 %d子\",\"external_id\":\"c%d\"}", "{\"address\":{\"region\":\"九州\"}}",
     "\"region\":\"九州\""},
};

static void test_every_kind(crm_db *db) {
    size_t k;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; ++k) {
        const struct kind_case *c = &kinds[k];
        char json[300], *doc = NULL, *token = NULL, query[300];
        int64_t id[2], t_before_update, n = 0;
        crm_cursor *cur = NULL;
        const char *item = NULL;
        int i;

        for (i = 0; i < 2; ++i) {
            snprintf(json, sizeof json, c->create_fmt, i + 1, i + 1);
            id[i] = create_ok(db, c->kind, json);
        }
        doc = get_doc(db, c->kind, id[0]);
        CHECK(json_int(doc, "id") == id[0] && !has(doc, c->patched));
        crm_free(doc);

        t_before_update = g_now;
        g_now += 1000;
        CHECK_OK(crm_record_update(db, c->kind, id[0], c->patch));
        doc = get_doc(db, c->kind, id[0]);
        CHECK(has(doc, c->patched));
        crm_free(doc);

        /* list: the filter finds the patched one; limit 1 pages through both */
        CHECK_OK(crm_record_list(db, c->kind, "{\"where\":[\"region=九州\"]}", &cur));
        CHECK_OK(crm_cursor_next(cur, &item));
        CHECK(json_int(item, "id") == id[0]);
        CHECK_RC(crm_cursor_next(cur, &item), CRM_ITEROVER);
        crm_cursor_free(cur);
        CHECK_OK(crm_record_list(db, c->kind, "{\"limit\":1,\"desc\":true}", &cur));
        CHECK_OK(crm_cursor_next(cur, &item));
        CHECK(json_int(item, "id") == id[1]);
        CHECK_OK(crm_cursor_next_page_token(cur, &token));
        crm_cursor_free(cur);
        snprintf(query, sizeof query, "{\"limit\":1,\"desc\":true,\"after\":\"%s\"}", token ? token : "");
        crm_free(token);
        CHECK_OK(crm_record_list(db, c->kind, query, &cur));
        CHECK_OK(crm_cursor_next(cur, &item));
        CHECK(json_int(item, "id") == id[0]);
        CHECK_RC(crm_cursor_next(cur, &item), CRM_ITEROVER);
        crm_cursor_free(cur);

        /* history and as-of */
        CHECK_OK(crm_record_history(db, c->kind, id[0], &doc));
        CHECK(count_of(doc, "\"op\":\"create\"") == 1 && count_of(doc, "\"op\":\"update\"") == 1);
        CHECK(has(doc, "\"new\":\"九州\""));
        crm_free(doc);
        CHECK_OK(crm_record_get_as_of(db, c->kind, id[0], t_before_update, &doc));
        CHECK(doc && !has(doc, c->patched) && json_int(doc, "id") == id[0]);
        crm_free(doc);

        /* delete */
        g_now += 1000;
        CHECK_OK(crm_record_delete(db, c->kind, id[0]));
        CHECK_RC(crm_record_get(db, c->kind, id[0], &doc), CRM_ENOTFOUND);
        CHECK_RC(crm_record_delete(db, c->kind, id[0]), CRM_ENOTFOUND);
        CHECK_OK(crm_record_count(db, c->kind, NULL, &n));
        CHECK(n == 1);
        CHECK_OK(crm_record_get_as_of(db, c->kind, id[0], g_now - 1, &doc));
        CHECK(has(doc, c->patched));
        crm_free(doc);
        CHECK_OK(crm_record_history(db, c->kind, id[0], &doc));
        CHECK(count_of(doc, "\"op\":\"delete\"") == 1);
        crm_free(doc);
        CHECK_OK(crm_record_delete(db, c->kind, id[1]));
    }
}

void test_records(void) {
    crm_db *db = open_fresh("records.crm");
    test_users_and_teams(db);
    test_accounts(db);
    test_contacts(db);
    crm_db_close(db);
    db = open_fresh("kinds.crm");
    test_every_kind(db);
    crm_db_close(db);
}

void test_lookups_and_history(void) {
    crm_db *db = open_fresh("feed.crm");
    char *doc = NULL;
    int64_t uid, aid, last;

    uid = create_ok(db, CRM_USER, "{\"name\":\"担当 一郎\",\"email\":\"ichiro@example.jp\"}");
    CHECK_OK(crm_db_set_actor(db, uid));
    aid = create_ok(db, CRM_ACCOUNT, "{\"name\":\"有限会社テスト\",\"owner_id\":1}");
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, aid, "{\"website\":\"https://example.jp\"}"));
    CHECK_OK(crm_db_set_actor(db, 0));
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, aid, "{\"phone\":\"06-0000-0000\"}"));

    CHECK_OK(crm_record_history(db, CRM_ACCOUNT, aid, &doc));
    CHECK(count_of(doc, "\"actor_id\":1,") == 2 && count_of(doc, "\"actor_id\":null") == 1);
    CHECK(has(doc, "\"field\":\"website\"") && has(doc, "\"new\":\"https://example.jp\""));
    crm_free(doc);

    /* The feed: user create, account create, two updates = 4 rows; then paging by id. */
    CHECK_OK(crm_history_since(db, 0, 1000, &doc));
    CHECK(count_of(doc, "\"record_id\":") == 4 && has(doc, "\"entity\":\"user\"") && has(doc, "\"entity\":\"account\""));
    crm_free(doc);
    CHECK_OK(crm_history_since(db, 0, 1, &doc));
    CHECK(count_of(doc, "\"record_id\":") == 1 && has(doc, "\"entity\":\"user\""));
    last = json_int(doc, "id");
    crm_free(doc);
    CHECK_OK(crm_history_since(db, last, 1000, &doc));
    CHECK(count_of(doc, "\"record_id\":") == 3 && !has(doc, "\"entity\":\"user\""));
    crm_free(doc);
    CHECK_OK(crm_history_since(db, 1000000, 10, &doc));
    CHECK(doc && strcmp(doc, "[]") == 0);
    crm_free(doc);
    CHECK_RC(crm_history_since(db, 0, 0, &doc), CRM_EINVALID);
    CHECK(doc == NULL && strcmp(crm_errfield(), "limit") == 0);

    /* Lookups of records that do not exist. */
    CHECK_RC(crm_account_contacts(db, 999, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_team_members(db, 999, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_account_subsidiaries(db, 999, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_contact_employment_history(db, 999, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_user_get_by_email(db, "nobody@example.jp", &doc), CRM_ENOTFOUND);
    CHECK_OK(crm_account_contacts(db, aid, &doc));
    CHECK(doc && strcmp(doc, "[]") == 0);
    crm_free(doc);
    crm_db_close(db);
}
