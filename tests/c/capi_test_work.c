/* Tasks, reminders and documents through the C ABI (docs/tasks.md, docs/documents.md). */
#include "capi_test.h"

static void test_tasks(void) {
    crm_db *db = open_fresh("work_tasks.crm");
    char *out = NULL;
    int64_t c, t1, t2, t3;
    /* 2026-11-24T00:00:00+09:00 */
    const int64_t jst_midnight = INT64_C(1795446000000);
    const int64_t hour = INT64_C(3600000);
    char json[512];

    c = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\"}");
    snprintf(json, sizeof json,
             "{\"title\":\"見積書を送る\",\"due_at\":%lld,\"remind_at\":%lld,\"links\":[{\"entity\":\"contact\",\"id\":%lld}]}",
             (long long)(jst_midnight + 10 * hour), (long long)jst_midnight, (long long)c);
    t1 = create_ok(db, CRM_TASK, json);
    snprintf(json, sizeof json, "{\"title\":\"昨日の電話\",\"due_at\":%lld,\"remind_at\":%lld}",
             (long long)(jst_midnight - hour), (long long)(jst_midnight + 1));
    t2 = create_ok(db, CRM_TASK, json);
    snprintf(json, sizeof json, "{\"title\":\"明日\",\"due_at\":%lld}", (long long)(jst_midnight + 24 * hour));
    t3 = create_ok(db, CRM_TASK, json);
    CHECK(t1 > 0 && t2 > 0 && t3 > 0);

    out = get_doc(db, CRM_TASK, t1);
    CHECK(has(out, "\"title\":\"見積書を送る\""));
    CHECK(has(out, "\"status\":\"open\""));
    CHECK(has(out, "\"entity\":\"contact\""));
    crm_free(out);

    /* A link to a missing record, a bad status: refused, field named. */
    CHECK_RC(crm_record_create(db, CRM_TASK, "{\"title\":\"x\",\"links\":[{\"entity\":\"contact\",\"id\":999}]}", &c),
             CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "links[0]") == 0);
    CHECK_RC(crm_record_update(db, CRM_TASK, t1, "{\"status\":\"finished\"}"), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "status") == 0);

    /* Due today in Tokyo at 08:00 JST; overdue; paging. */
    snprintf(json, sizeof json, "{\"window\":\"today\",\"now\":%lld,\"tz\":\"+09:00\"}", (long long)(jst_midnight + 8 * hour));
    CHECK_OK(crm_task_due(db, json, &out));
    CHECK(has(out, "見積書を送る"));
    CHECK(!has(out, "昨日の電話"));
    CHECK(!has(out, "明日"));
    crm_free(out);
    snprintf(json, sizeof json, "{\"window\":\"overdue\",\"now\":%lld,\"limit\":1}", (long long)(jst_midnight + 12 * hour));
    CHECK_OK(crm_task_due(db, json, &out));
    CHECK(has(out, "昨日の電話"));
    CHECK(!has(out, "見積書を送る"));
    CHECK(!has(out, "\"next\":\"\""));
    crm_free(out);
    CHECK_RC(crm_task_due(db, "{\"tz\":\"JST\"}", &out), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "tz") == 0);
    CHECK_RC(crm_task_due(db, "{\"when\":1}", &out), CRM_EINVALID);

    /* Reminders: each handed out once. */
    CHECK_OK(crm_task_claim_due_reminders(db, jst_midnight, 10, &out));
    CHECK(count_of(out, "\"task_id\"") == 1);
    CHECK(json_int(out, "task_id") == t1);
    crm_free(out);
    CHECK_OK(crm_task_claim_due_reminders(db, jst_midnight + hour, 10, &out));
    CHECK(count_of(out, "\"task_id\"") == 1);
    CHECK(json_int(out, "task_id") == t2);
    crm_free(out);
    CHECK_OK(crm_task_claim_due_reminders(db, jst_midnight + hour, 10, &out));
    CHECK(strcmp(out, "[]") == 0);
    crm_free(out);
    CHECK_OK(crm_task_release_reminder(db, t2));
    CHECK_OK(crm_task_claim_due_reminders(db, jst_midnight + hour, 10, &out));
    CHECK(json_int(out, "task_id") == t2);
    crm_free(out);
    CHECK_RC(crm_task_claim_due_reminders(db, jst_midnight, 0, &out), CRM_EINVALID);
    crm_db_close(db);
}

static void test_documents(void) {
    crm_db *db = open_fresh("work_docs.crm");
    char *out = NULL, *before = NULL;
    int64_t acct, c, d1, d2, sid = 0, size = 0, n = 0;
    crm_doc_writer *w = NULL;
    crm_doc_reader *r = NULL;
    static const char data[] = {'P', 'D', 'F', '\0', '\1', '\0', 'x'};
    char buf[3], back[16];
    size_t got = 0, total = 0;
    char json[256];

    acct = create_ok(db, CRM_ACCOUNT, "{\"name\":\"株式会社テスト\"}");
    c = create_ok(db, CRM_CONTACT, "{\"name\":\"鈴木 花子\"}");
    snprintf(json, sizeof json, "{\"kind\":\"quote\",\"name\":\"見積書.pdf\",\"links\":[{\"entity\":\"account\",\"id\":%lld}]}",
             (long long)acct);
    CHECK_OK(crm_document_write(db, json, data, sizeof data, &d1));
    out = get_doc(db, CRM_DOCUMENT, d1);
    CHECK(has(out, "\"size\":7"));
    CHECK(has(out, "\"has_content\":true"));
    CHECK(has(out, "\"name\":\"見積書.pdf\""));
    crm_free(out);

    /* Streaming writer, then reader in small chunks. */
    CHECK_OK(crm_doc_writer_open(db, "{\"kind\":\"invoice\",\"name\":\"請求書.pdf\"}", 7, &w));
    CHECK_OK(crm_doc_writer_write(w, data, 4));
    CHECK_OK(crm_doc_writer_write(w, data + 4, 3));
    CHECK_OK(crm_doc_writer_commit(w, &d2));
    n = 1;
    CHECK_RC(crm_doc_writer_commit(w, &n), CRM_ECLOSED);
    CHECK(n == 0); /* out-parameters are cleared on failure */
    crm_doc_writer_free(w);
    CHECK_OK(crm_doc_reader_open(db, d2, 1, &r, &size));
    CHECK(size == 7);
    do {
        CHECK_OK(crm_doc_reader_read(r, buf, sizeof buf, &got));
        memcpy(back + total, buf, got);
        total += got;
    } while (got > 0 && total < sizeof back);
    CHECK(total == 7);
    CHECK(memcmp(back, data, 7) == 0);
    crm_doc_reader_free(r);

    /* Over the limit: refused, nothing stored; an abandoned writer stores nothing. */
    CHECK_OK(crm_document_set_max_size(db, 5));
    CHECK_OK(crm_record_count(db, CRM_DOCUMENT, NULL, &n));
    CHECK(n == 2);
    CHECK_RC(crm_document_write(db, "{\"name\":\"大きい.pdf\"}", data, sizeof data, &d2), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "content") == 0);
    CHECK_OK(crm_doc_writer_open(db, "{\"name\":\"途中.pdf\"}", 3, &w));
    CHECK_OK(crm_doc_writer_write(w, data, 2));
    crm_doc_writer_free(w);
    CHECK_OK(crm_record_count(db, CRM_DOCUMENT, NULL, &n));
    CHECK(n == 2);

    /* Sends. */
    before = get_doc(db, CRM_DOCUMENT, d1);
    CHECK_OK(crm_document_record_sent(db, d1, c, INT64_C(1795446000000), 42, &sid));
    CHECK(sid > 0);
    CHECK_RC(crm_document_record_sent(db, d1, 9999, 0, 0, NULL), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "contact_id") == 0);
    CHECK_OK(crm_document_sends(db, d1, &out));
    CHECK(count_of(out, "\"contact_id\"") == 1);
    CHECK(json_int(out, "interaction_id") == 42);
    crm_free(out);
    CHECK_UNCHANGED(db, CRM_DOCUMENT, d1, before);
    crm_free(before);
    crm_db_close(db);
}

void test_work(void) {
    test_tasks();
    test_documents();
}
