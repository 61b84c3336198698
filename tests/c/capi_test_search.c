/* Full-text search through the C ABI (docs/search.md): Japanese and English, short
 * queries, kinds and filters, user text never taken as FTS5 syntax, the index in step
 * with writes and a rolled-back transaction, rebuild, bad input. C99. */
#include "capi_test.h"

/* The number of hits, or -1 when the call fails. */
static int hits(crm_db *db, const char *query, const char *options, char **out) {
    char *json = NULL;
    int rc = crm_search(db, query, options, &json);
    if (rc != CRM_OK) {
        if (out) *out = NULL;
        return -1;
    }
    int n = count_of(json, "\"kind\":");
    if (out) *out = json;
    else crm_free(json);
    return n;
}

void test_search(void) {
    crm_db *db = open_fresh("search.db");
    /* 林 太郎 (はやし), 小林 花子, 田中 一郎 (mql), 株式会社サンプル, ABC Trading, a ticket, an interaction */
    int64_t hayashi = create_ok(db, CRM_CONTACT,
                                "{\"name\":\"\xe6\x9e\x97 \xe5\xa4\xaa\xe9\x83\x8e\","
                                "\"name_reading\":\"\xe3\x81\xaf\xe3\x82\x84\xe3\x81\x97\"}");
    int64_t kobayashi = create_ok(db, CRM_CONTACT, "{\"name\":\"\xe5\xb0\x8f\xe6\x9e\x97 \xe8\x8a\xb1\xe5\xad\x90\"}");
    int64_t tanaka = create_ok(db, CRM_CONTACT,
                               "{\"name\":\"\xe7\x94\xb0\xe4\xb8\xad \xe4\xb8\x80\xe9\x83\x8e\",\"lifecycle_stage\":\"mql\"}");
    int64_t sample = create_ok(db, CRM_ACCOUNT,
                               "{\"name\":\"\xe6\xa0\xaa\xe5\xbc\x8f\xe4\xbc\x9a\xe7\xa4\xbe\xe3\x82\xb5\xe3\x83\xb3\xe3\x83\x97\xe3\x83\xab\"}");
    int64_t abc = create_ok(db, CRM_ACCOUNT, "{\"name\":\"ABC Trading\"}");
    int64_t ticket = create_ok(db, CRM_TICKET, "{\"subject\":\"Account locked\"}");
    CHECK(hayashi > 0 && kobayashi > 0 && tanaka > 0 && sample > 0 && abc > 0 && ticket > 0);

    char *json = NULL;
    /* 林: one character, both contacts */
    CHECK(hits(db, "\xe6\x9e\x97", NULL, &json) == 2);
    if (json) {
        CHECK(has(json, "\"kind\":\"contact\""));
        CHECK(has(json, "\"title\":\"\xe6\x9e\x97 \xe5\xa4\xaa\xe9\x83\x8e\""));
        crm_free(json);
    }
    /* 式会社 (a substring of 株式会社サンプル) */
    CHECK(hits(db, "\xe5\xbc\x8f\xe4\xbc\x9a\xe7\xa4\xbe", NULL, NULL) == 1);
    /* ハヤシ finds the hiragana reading はやし */
    CHECK(hits(db, "\xe3\x83\x8f\xe3\x83\xa4\xe3\x82\xb7", NULL, NULL) == 1);
    /* ＡＢＣ (full width) finds ABC Trading; acc finds Account */
    CHECK(hits(db, "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", NULL, NULL) == 1);
    CHECK(hits(db, "acc", NULL, &json) == 1);
    if (json) {
        CHECK(has(json, "\"kind\":\"ticket\""));
        CHECK(has(json, "\"snippet\":\"[acc]ount locked\""));
        crm_free(json);
    }
    /* kinds and filters */
    CHECK(hits(db, "\xe6\x9e\x97", "{\"kinds\":[\"account\",\"ticket\"]}", NULL) == 0);
    CHECK(hits(db, "\xe7\x94\xb0\xe4\xb8\xad", "{\"kinds\":[\"contact\"],\"where\":[\"lifecycle_stage=mql\"]}", NULL) == 1);
    CHECK(hits(db, "\xe7\x94\xb0\xe4\xb8\xad", "{\"kinds\":[\"contact\"],\"where\":[\"lifecycle_stage=lead\"]}", NULL) == 0);
    CHECK(hits(db, "\xe6\x9e\x97", "{\"limit\":1}", NULL) == 1);
    /* operators are text: executed, OR would find both names */
    CHECK(hits(db, "\xe6\x9e\x97 OR \xe7\x94\xb0\xe4\xb8\xad", NULL, NULL) == 0);
    CHECK(hits(db, "NEAR(\xe6\x9e\x97 \xe7\x94\xb0\xe4\xb8\xad)", NULL, NULL) == 0);
    CHECK(hits(db, "\"unbalanced", NULL, NULL) == 0);
    /* refused, clearly: out-parameter cleared, field named */
    json = (char *)"junk";
    CHECK_RC(crm_search(db, "*", NULL, &json), CRM_EINVALID);
    CHECK(json == NULL);
    CHECK(strcmp(crm_errfield(), "query") == 0);
    CHECK_RC(crm_search(db, "", NULL, &json), CRM_EINVALID);
    CHECK_RC(crm_search(db, "\xff", NULL, &json), CRM_EINVALID);
    CHECK_RC(crm_search(db, "abc", "{\"where\":[\"lifecycle_stage=mql\"]}", &json), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "where") == 0);
    CHECK_RC(crm_search(db, "abc", "{\"limit\":1001}", &json), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "options.limit") == 0);
    CHECK_RC(crm_search(db, "abc", "{\"kinds\":[\"nothing\"]}", &json), CRM_EINVALID);
    CHECK_RC(crm_search(db, "abc", "{\"colour\":1}", &json), CRM_EINVALID);
    CHECK_RC(crm_search(db, "abc", "[1]", &json), CRM_EINVALID);
    CHECK_RC(crm_search(db, "abc", NULL, NULL), CRM_EINVALID);

    /* in step with writes: update, delete, a rolled-back transaction */
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, abc, "{\"name\":\"XYZ Trading\"}"));
    CHECK(hits(db, "abc", NULL, NULL) == 0);
    CHECK(hits(db, "xyz", NULL, NULL) == 1);
    CHECK_OK(crm_record_delete(db, CRM_CONTACT, kobayashi));
    CHECK(hits(db, "\xe6\x9e\x97", NULL, NULL) == 1);
    crm_txn *txn = NULL;
    CHECK_OK(crm_txn_begin(&txn, db));
    CHECK(create_ok(db, CRM_CONTACT, "{\"name\":\"Rollback Person\"}") > 0);
    CHECK(hits(db, "rollback", NULL, NULL) == 1);
    CHECK_OK(crm_txn_rollback(txn));
    crm_txn_free(txn);
    CHECK(hits(db, "rollback", NULL, NULL) == 0);

    /* rebuild: the same answers */
    int64_t n = -1;
    CHECK_OK(crm_search_rebuild(db, &n));
    CHECK(n == 5);
    CHECK(hits(db, "\xe6\x9e\x97", NULL, NULL) == 1);
    CHECK(hits(db, "xyz", NULL, NULL) == 1);
    CHECK(crm_search_rebuild(NULL, &n) != CRM_OK);
    CHECK(n == 0);
    crm_db_close(db);
}
