/* Transactions, closed handles, and every kind of bad input: each failure has
 * the right code, names the argument or field, and leaves stored data as it was. */
#include "capi_test.h"

#include <unistd.h>

void test_transactions(void) {
    crm_db *db = open_fresh("txn.crm");
    crm_txn *txn = NULL, *txn2 = (crm_txn *)&g_now;
    char *doc = NULL, *before = NULL;
    int64_t a, b, c, n = 0;

    a = create_ok(db, CRM_ACCOUNT, "{\"name\":\"元の名前\"}");
    before = get_doc(db, CRM_ACCOUNT, a);

    /* Rollback undoes creates and updates made inside. */
    CHECK_OK(crm_txn_begin(&txn, db));
    CHECK(txn != NULL);
    CHECK_RC(crm_txn_begin(&txn2, db), CRM_EINVALID); /* one at a time */
    CHECK(txn2 == NULL);
    b = create_ok(db, CRM_ACCOUNT, "{\"name\":\"消える会社\"}");
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, a, "{\"name\":\"変更後\"}"));
    doc = get_doc(db, CRM_ACCOUNT, a);
    CHECK(has(doc, "\"name\":\"変更後\"")); /* visible inside the transaction */
    crm_free(doc);
    CHECK_OK(crm_txn_rollback(txn));
    CHECK_RC(crm_txn_rollback(txn), CRM_ECLOSED); /* finished */
    CHECK_RC(crm_txn_commit(txn), CRM_ECLOSED);
    crm_txn_free(txn);
    CHECK_RC(crm_record_get(db, CRM_ACCOUNT, b, &doc), CRM_ENOTFOUND);
    CHECK_UNCHANGED(db, CRM_ACCOUNT, a, before);
    CHECK_OK(crm_record_count(db, CRM_ACCOUNT, NULL, &n));
    CHECK(n == 1);

    /* Commit keeps them; a failed write inside rolls back only itself. */
    CHECK_OK(crm_txn_begin(&txn, db));
    b = create_ok(db, CRM_ACCOUNT, "{\"name\":\"残る会社\",\"external_id\":\"keep\"}");
    CHECK_RC(crm_record_create(db, CRM_ACCOUNT, "{\"name\":\"重複\",\"external_id\":\"keep\"}", &c), CRM_EEXISTS);
    CHECK_OK(crm_record_update(db, CRM_ACCOUNT, a, "{\"industry\":\"小売\"}"));
    CHECK_OK(crm_txn_commit(txn));
    CHECK_RC(crm_txn_commit(txn), CRM_ECLOSED);
    crm_txn_free(txn);
    doc = get_doc(db, CRM_ACCOUNT, b);
    CHECK(has(doc, "\"name\":\"残る会社\""));
    crm_free(doc);
    doc = get_doc(db, CRM_ACCOUNT, a);
    CHECK(has(doc, "\"industry\":\"小売\""));
    crm_free(doc);
    CHECK_OK(crm_record_count(db, CRM_ACCOUNT, NULL, &n));
    CHECK(n == 2);

    /* Freeing an open transaction rolls it back. */
    CHECK_OK(crm_txn_begin(&txn, db));
    c = create_ok(db, CRM_ACCOUNT, "{\"name\":\"未確定\"}");
    crm_txn_free(txn);
    crm_txn_free(NULL);
    CHECK_RC(crm_record_get(db, CRM_ACCOUNT, c, &doc), CRM_ENOTFOUND);
    /* ... and a new one can start. */
    CHECK_OK(crm_txn_begin(&txn, db));
    CHECK_OK(crm_txn_commit(txn));
    crm_txn_free(txn);

    CHECK_RC(crm_txn_begin(NULL, db), CRM_EINVALID);
    CHECK_RC(crm_txn_begin(&txn, NULL), CRM_EINVALID);
    CHECK(txn == NULL && strcmp(crm_errfield(), "db") == 0);
    CHECK_RC(crm_txn_commit(NULL), CRM_EINVALID);
    CHECK_RC(crm_txn_rollback(NULL), CRM_EINVALID);
    crm_free(before);
    crm_db_close(db);
}

static void test_bad_input(crm_db *db) {
    int64_t id = 7, cid, aid, uid;
    char *doc = (char *)"junk", *before = NULL;
    crm_cursor *cur = NULL;
    const char *borrowed = "junk";

    cid = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\",\"emails\":[\"taro@example.jp\"],\"external_id\":\"c-1\"}");
    aid = create_ok(db, CRM_ACCOUNT, "{\"name\":\"株式会社エラー\"}");
    uid = create_ok(db, CRM_USER, "{\"name\":\"User\",\"email\":\"user@example.jp\"}");
    before = get_doc(db, CRM_CONTACT, cid);

    /* NULL pointers: CRM_EINVALID naming the argument; outputs reset. */
    CHECK_RC(crm_record_create(NULL, CRM_CONTACT, "{}", &id), CRM_EINVALID);
    CHECK(id == 0 && strcmp(crm_errfield(), "db") == 0 && has(crm_errmsg(), "db must not be NULL"));
    CHECK_RC(crm_record_create(db, CRM_CONTACT, NULL, &id), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "json") == 0);
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"x\"}", NULL), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "out_id") == 0);
    CHECK_RC(crm_record_get(db, CRM_CONTACT, cid, NULL), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "out_json") == 0);
    CHECK_RC(crm_record_get(NULL, CRM_CONTACT, cid, &doc), CRM_EINVALID);
    CHECK(doc == NULL);
    CHECK_RC(crm_record_update(db, CRM_CONTACT, cid, NULL), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "json_merge_patch") == 0);
    CHECK_RC(crm_record_get_by_external_id(db, CRM_CONTACT, NULL, &doc), CRM_EINVALID);
    CHECK_RC(crm_record_add_tag(db, CRM_CONTACT, cid, NULL), CRM_EINVALID);
    CHECK_RC(crm_record_set_custom(db, CRM_CONTACT, cid, NULL, "1"), CRM_EINVALID);
    CHECK_RC(crm_record_set_custom(db, CRM_CONTACT, cid, "f", NULL), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_CONTACT, NULL, NULL), CRM_EINVALID);
    CHECK_RC(crm_record_count(db, CRM_CONTACT, NULL, NULL), CRM_EINVALID);
    CHECK_RC(crm_cursor_next(NULL, &borrowed), CRM_EINVALID);
    CHECK(borrowed == NULL && strcmp(crm_errfield(), "cursor") == 0);
    CHECK_RC(crm_cursor_next_page_token(NULL, &doc), CRM_EINVALID);
    CHECK_RC(crm_contact_get_by_email(db, NULL, &doc), CRM_EINVALID);
    CHECK_RC(crm_custom_field_define(db, NULL, &id), CRM_EINVALID);
    CHECK_RC(crm_custom_field_list(db, CRM_CONTACT, NULL), CRM_EINVALID);
    CHECK_RC(crm_history_since(NULL, 0, 10, &doc), CRM_EINVALID);
    CHECK_RC(crm_db_schema_version(db, NULL), CRM_EINVALID);
    CHECK_RC(crm_db_open(NULL, "x.crm", NULL), CRM_EINVALID);
    CHECK_RC(crm_db_set_actor(NULL, 1), CRM_EINVALID);
    CHECK_RC(crm_db_set_actor(db, -5), CRM_EINVALID);
    crm_cursor_free(NULL);
    crm_free(NULL);

    /* Entity kinds outside the enum. */
    CHECK_RC(crm_record_get(db, (crm_entity)0, cid, &doc), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "entity") == 0);
    CHECK_RC(crm_record_list(db, (crm_entity)99, NULL, &cur), CRM_EINVALID);
    CHECK(strstr(crm_errmsg(), "99") != NULL && strstr(crm_errmsg(), "CRM_DOCUMENT") != NULL);
    CHECK_RC(crm_record_get(db, (crm_entity)14, cid, &doc), CRM_EINVALID);

    /* Invalid UTF-8: stray byte, overlong, surrogate, truncated sequence. */
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"\xff\xfe\"}", &id), CRM_EINVALID);
    CHECK(id == 0 && strcmp(crm_errfield(), "json") == 0 && has(crm_errmsg(), "UTF-8"));
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"\xc0\xaf\"}", &id), CRM_EINVALID);
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"\xed\xa0\x80\"}", &id), CRM_EINVALID);
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"\xe5\xb1\"}", &id), CRM_EINVALID);
    CHECK_RC(crm_record_update(db, CRM_CONTACT, cid, "{\"title\":\"\x80\"}"), CRM_EINVALID);
    CHECK_RC(crm_record_add_tag(db, CRM_CONTACT, cid, "\xfftag"), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "tag") == 0);
    CHECK_RC(crm_contact_get_by_email(db, "taro\xff@example.jp", &doc), CRM_EINVALID);
    CHECK_RC(crm_record_list(db, CRM_CONTACT, "{\"where\":[\"name=\xff\"]}", &cur), CRM_EINVALID);
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"\\udc00\"}", &id), CRM_EINVALID); /* lone surrogate escape */
    CHECK_UNCHANGED(db, CRM_CONTACT, cid, before);

    /* Malformed email, on create and on update. */
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"x\",\"emails\":[\"not-an-email\"]}", &id), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "emails[0].address") == 0);
    CHECK_RC(crm_record_update(db, CRM_CONTACT, cid, "{\"emails\":[\"taro@\"]}"), CRM_EINVALID);
    CHECK_RC(crm_record_create(db, CRM_USER, "{\"name\":\"x\",\"email\":\"a b@example.jp\"}", &id), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "email") == 0);
    CHECK_RC(crm_contact_get_by_email(db, "no-at-sign", &doc), CRM_EINVALID);
    CHECK_UNCHANGED(db, CRM_CONTACT, cid, before);

    /* Unknown ids. */
    CHECK_RC(crm_record_get(db, CRM_CONTACT, 999, &doc), CRM_ENOTFOUND);
    CHECK(doc == NULL && has(crm_errmsg(), "999"));
    CHECK_RC(crm_record_update(db, CRM_CONTACT, 999, "{\"title\":\"x\"}"), CRM_ENOTFOUND);
    CHECK_RC(crm_record_delete(db, CRM_CONTACT, 999), CRM_ENOTFOUND);
    CHECK_RC(crm_record_history(db, CRM_CONTACT, 999, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_record_get_as_of(db, CRM_CONTACT, 999, g_now, &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_record_get_by_external_id(db, CRM_CONTACT, "nope", &doc), CRM_ENOTFOUND);
    CHECK_RC(crm_record_update(db, CRM_CONTACT, cid, "{\"account_id\":999}"), CRM_EINVALID); /* dangling reference */
    CHECK(strcmp(crm_errfield(), "account_id") == 0);
    CHECK_UNCHANGED(db, CRM_CONTACT, cid, before);

    /* Duplicates: external id and emails (case-insensitive). */
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"二人目\",\"external_id\":\"c-1\"}", &id), CRM_EEXISTS);
    CHECK(id == 0 && strcmp(crm_errfield(), "external_id") == 0);
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"二人目\",\"emails\":[\"TARO@example.jp\"]}", &id),
             CRM_EEXISTS);
    CHECK(strcmp(crm_errfield(), "emails") == 0 && crm_sqlite_errcode() != 0);
    CHECK_RC(crm_record_create(db, CRM_USER, "{\"name\":\"U2\",\"email\":\"USER@example.jp\"}", &id), CRM_EEXISTS);
    id = create_ok(db, CRM_CONTACT, "{\"name\":\"別人\",\"emails\":[\"other@example.jp\"]}");
    {
        char *other = get_doc(db, CRM_CONTACT, id);
        CHECK_RC(crm_record_update(db, CRM_CONTACT, id, "{\"emails\":[\"taro@example.jp\"]}"), CRM_EEXISTS);
        CHECK_UNCHANGED(db, CRM_CONTACT, id, other);
        crm_free(other);
    }
    CHECK_UNCHANGED(db, CRM_CONTACT, cid, before);

    /* Bad JSON and unknown keys. */
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{name:", &id), CRM_EINVALID);
    CHECK(has(crm_errmsg(), "JSON"));
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "[]", &id), CRM_EINVALID);
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"x\",\"nmae\":\"y\"}", &id), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "nmae") == 0);
    CHECK_RC(crm_record_create(db, CRM_ACCOUNT, "{\"name\":\"x\",\"employee_count\":\"many\"}", &id), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "employee_count") == 0);
    CHECK_RC(crm_record_create(db, CRM_CONTACT, "{\"name\":\"  \"}", &id), CRM_EINVALID); /* required */
    CHECK_RC(crm_record_update(db, CRM_CONTACT, cid, "{\"title\":"), CRM_EINVALID);
    CHECK_RC(crm_record_update(db, CRM_CONTACT, cid, "[1]"), CRM_EINVALID);
    CHECK_RC(crm_record_update(db, CRM_CONTACT, cid, "{\"titel\":\"部長\"}"), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "titel") == 0);
    CHECK_RC(crm_record_update(db, CRM_CONTACT, cid, "{\"lifecycle_stage\":\"hot\"}"), CRM_EINVALID);
    CHECK_RC(crm_custom_field_define(db, "{\"entity\":\"contact\",\"name\":\"a\",\"type\":\"text\",\"x\":1}", &id),
             CRM_EINVALID);
    CHECK_UNCHANGED(db, CRM_CONTACT, cid, before);

    /* Nothing above wrote anything: three records (plus "別人"), and the right history. */
    CHECK_OK(crm_record_count(db, CRM_CONTACT, NULL, &id));
    CHECK(id == 2);
    CHECK_OK(crm_record_history(db, CRM_CONTACT, cid, &doc));
    CHECK(count_of(doc, "\"op\":") == 1);
    crm_free(doc);
    (void)aid;
    (void)uid;
    crm_free(before);
}

static int read_file(const char *path, char *buf, size_t size, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    *len = fread(buf, 1, size, f);
    fclose(f);
    return 1;
}

static void test_not_a_database(void) {
    char path[600], wal[620], before[4096], after[4096];
    size_t n_before = 0, n_after = 0, i;
    FILE *f;
    crm_db *db = (crm_db *)&n_before;
    crm_open_options ro = CRM_OPEN_OPTIONS_INIT;

    tmp_path(path, sizeof path, "junk.crm");
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    for (i = 0; i < 3000; ++i) fputc((int)((i * 7919u + 13u) & 0xffu), f);
    fclose(f);
    CHECK(read_file(path, before, sizeof before, &n_before) && n_before == 3000);

    CHECK_RC(crm_db_open(&db, path, NULL), CRM_ECORRUPT);
    CHECK(db == NULL);
    CHECK(crm_sqlite_errcode() == 26); /* SQLITE_NOTADB */
    CHECK(has(crm_errmsg(), "not a crm database"));
    ro.read_only = 1;
    CHECK_RC(crm_db_open(&db, path, &ro), CRM_ECORRUPT);

    CHECK(read_file(path, after, sizeof after, &n_after));
    CHECK(n_after == n_before && memcmp(before, after, n_before) == 0);
    snprintf(wal, sizeof wal, "%s-wal", path);
    CHECK(access(wal, F_OK) != 0);

    /* A path that is not UTF-8, and a directory that does not exist. */
    CHECK_RC(crm_db_open(&db, "bad\xff.crm", NULL), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "path") == 0);
    CHECK_RC(crm_db_open(&db, "/nonexistent-dir-crm/x/y.crm", NULL), CRM_EIO);
    CHECK(db == NULL && crm_sqlite_errcode() != 0);
}

/* A file written by a newer crm: PRAGMA user_version (big-endian at offset 60
 * of the SQLite header) above what this library knows. */
static void test_schema_too_new(void) {
    char path[600];
    crm_db *db = open_fresh("future.crm");
    int version = 0;
    FILE *f;
    unsigned char v[4];

    CHECK_OK(crm_db_schema_version(db, &version));
    crm_db_close(db); /* last connection: the WAL is checkpointed into the file */
    tmp_path(path, sizeof path, "future.crm");
    f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (!f) return;
    v[0] = 0;
    v[1] = 0;
    v[2] = 0x7f;
    v[3] = (unsigned char)version;
    CHECK(fseek(f, 60, SEEK_SET) == 0 && fwrite(v, 1, 4, f) == 4);
    fclose(f);
    db = (crm_db *)&version;
    CHECK_RC(crm_db_open(&db, path, NULL), CRM_ESCHEMA);
    CHECK(db == NULL && has(crm_errmsg(), "newer"));
}

void test_errors(void) {
    crm_db *db = open_fresh("errors.crm");
    test_bad_input(db);
    crm_db_close(db);
    test_not_a_database();
    test_schema_too_new();
}

void test_closed_handles(void) {
    char path[600];
    crm_db *db = open_fresh("closed.crm");
    crm_txn *txn = NULL, *done = NULL;
    crm_cursor *cur = NULL;
    const char *doc = NULL;
    char *token = (char *)"junk", *owned = NULL;
    int64_t n = 0;

    create_ok(db, CRM_ACCOUNT, "{\"name\":\"一\"}");
    create_ok(db, CRM_ACCOUNT, "{\"name\":\"二\"}");
    CHECK_OK(crm_txn_begin(&done, db));
    CHECK_OK(crm_txn_commit(done));
    CHECK_OK(crm_record_list(db, CRM_ACCOUNT, "{\"limit\":1}", &cur));
    CHECK_OK(crm_txn_begin(&txn, db));
    create_ok(db, CRM_ACCOUNT, "{\"name\":\"三 (never committed)\"}");

    /* Closing the database rolls back the open transaction; the handles
     * made from it stay valid objects that answer CRM_ECLOSED. */
    crm_db_close(db);
    CHECK_RC(crm_txn_commit(txn), CRM_ECLOSED);
    CHECK(has(crm_errmsg(), "closed"));
    CHECK_RC(crm_txn_rollback(txn), CRM_ECLOSED);
    CHECK_RC(crm_txn_commit(done), CRM_ECLOSED);
    CHECK_RC(crm_cursor_next(cur, &doc), CRM_ECLOSED);
    CHECK(doc == NULL);
    CHECK_RC(crm_cursor_next_page_token(cur, &token), CRM_ECLOSED);
    CHECK(token == NULL);
    crm_cursor_free(cur);
    crm_txn_free(txn);
    crm_txn_free(done);

    /* Reopen: the two committed accounts are there, the third is not. */
    tmp_path(path, sizeof path, "closed.crm");
    CHECK_OK(crm_db_open(&db, path, NULL));
    CHECK_OK(crm_record_count(db, CRM_ACCOUNT, NULL, &n));
    CHECK(n == 2);
    CHECK_RC(crm_record_get(db, CRM_ACCOUNT, 3, &owned), CRM_ENOTFOUND);
    crm_db_close(db);
}
