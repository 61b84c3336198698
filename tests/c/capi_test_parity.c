/* The functions added so that the C ABI can do what the C++ API does (issue 8):
 * database state, the change feed's size and head, campaign contacts, SLA
 * evaluation at a given time, calendar and policy lookups, tasks and documents
 * of a record, the reminder hook, sends to a contact, the content limit and a
 * writer's progress. */
#include "capi_test.h"

static void test_db_state(void) {
    crm_db *db = open_fresh("parity_db.crm");
    crm_txn *txn = NULL;
    int version = 0, in_txn = -1, active = -1;
    int64_t actor = -1, user;

    CHECK_OK(crm_db_schema_version(db, &version));
    CHECK(crm_db_latest_schema_version() == version); /* a fresh file is at the latest */
    CHECK_OK(crm_db_actor(db, &actor));
    CHECK(actor == 0);
    user = create_ok(db, CRM_USER, "{\"name\":\"記録 者\",\"email\":\"actor@example.jp\"}");
    CHECK_OK(crm_db_set_actor(db, user));
    CHECK_OK(crm_db_actor(db, &actor));
    CHECK(actor == user);
    CHECK_OK(crm_db_set_actor(db, 0));
    CHECK_OK(crm_db_actor(db, &actor));
    CHECK(actor == 0);

    CHECK_OK(crm_db_in_transaction(db, &in_txn));
    CHECK(in_txn == 0);
    CHECK_OK(crm_txn_begin(&txn, db));
    CHECK_OK(crm_db_in_transaction(db, &in_txn));
    CHECK(in_txn == 1);
    CHECK_OK(crm_txn_active(txn, &active));
    CHECK(active == 1);
    CHECK_OK(crm_txn_commit(txn));
    CHECK_OK(crm_txn_active(txn, &active));
    CHECK(active == 0);
    CHECK_OK(crm_db_in_transaction(db, &in_txn));
    CHECK(in_txn == 0);
    crm_txn_free(txn);
    CHECK_OK(crm_txn_begin(&txn, db));
    crm_db_close(db);
    CHECK_OK(crm_txn_active(txn, &active)); /* the database is gone: no longer active */
    CHECK(active == 0);
    crm_txn_free(txn);
}

static void test_change_feed(void) {
    crm_db *db = open_fresh("parity_feed.crm");
    int64_t count = -1, latest = -1, before, id;
    char *out = NULL;

    CHECK_OK(crm_history_count(db, &count));
    CHECK(count == 0);
    CHECK_OK(crm_history_latest_id(db, &latest));
    CHECK(latest == 0);
    id = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\"}");
    CHECK_OK(crm_record_update(db, CRM_CONTACT, id, "{\"title\":\"部長\"}"));
    CHECK_OK(crm_history_count(db, &count));
    CHECK(count == 2);
    CHECK_OK(crm_history_latest_id(db, &latest));
    CHECK(latest > 0);
    /* A feed that starts at the head sees only what comes after. */
    before = latest;
    CHECK_OK(crm_history_since(db, before, 100, &out));
    CHECK(strcmp(out, "[]") == 0);
    crm_free(out);
    CHECK_OK(crm_record_update(db, CRM_CONTACT, id, "{\"title\":\"取締役\"}"));
    CHECK_OK(crm_history_since(db, before, 100, &out));
    CHECK(count_of(out, "\"field\":\"title\"") == 1);
    CHECK(has(out, "取締役"));
    crm_free(out);
    crm_db_close(db);
}

static void test_campaign_contacts(void) {
    crm_db *db = open_fresh("parity_campaign.crm");
    int64_t camp, taro;
    char *out = NULL;
    camp = create_ok(db, CRM_CAMPAIGN, "{\"name\":\"秋の DX セミナー\",\"channel\":\"seminar\"}");
    taro = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\",\"lead_source\":\"秋の DX セミナー\"}");
    create_ok(db, CRM_CONTACT, "{\"name\":\"鈴木 花子\",\"lead_source\":\"web\"}");
    CHECK_OK(crm_campaign_contacts(db, camp, &out));
    CHECK(count_of(out, "\"name\":") == 1);
    CHECK(json_int(out, "id") == taro);
    crm_free(out);
    CHECK_RC(crm_campaign_contacts(db, 999, &out), CRM_ENOTFOUND);
    CHECK(out == NULL);
    crm_db_close(db);
}

static void test_sla_at(void) {
    const int64_t saved_now = g_now;
    const int64_t minute = 60000;
    crm_db *db = open_fresh("parity_sla.crm");
    int64_t policy = 0, cal = 0, id;
    char buf[256], *out = NULL;

    CHECK_OK(crm_calendar_define(
        db, "{\"name\":\"日本営業日\",\"utc_offset\":\"+09:00\",\"hours\":{\"mon\":[[\"09:00\",\"18:00\"]]}}", &cal));
    CHECK_OK(crm_calendar_get(db, cal, &out));
    CHECK(has(out, "\"name\":\"日本営業日\""));
    CHECK(has(out, "\"utc_offset\":\"+09:00\""));
    crm_free(out);
    CHECK_RC(crm_calendar_get(db, 999, &out), CRM_ENOTFOUND);

    /* A 24x7 policy (no calendar): first response within 60 minutes. */
    CHECK_OK(crm_sla_policy_define(
        db, "{\"name\":\"標準SLA\",\"targets\":{\"high\":{\"first_response_minutes\":60,\"resolution_minutes\":0}}}",
        &policy));
    CHECK_OK(crm_sla_policy_get(db, policy, &out));
    CHECK(has(out, "\"name\":\"標準SLA\""));
    CHECK(has(out, "\"first_response_minutes\":60"));
    crm_free(out);
    CHECK_RC(crm_sla_policy_get(db, 999, &out), CRM_ENOTFOUND);

    snprintf(buf, sizeof buf, "{\"subject\":\"至急\",\"priority\":\"high\",\"sla_policy_id\":%lld}", (long long)policy);
    id = create_ok(db, CRM_TICKET, buf);
    /* The clock stays at opening time; the evaluation time is the argument. */
    CHECK_OK(crm_ticket_sla_at(db, id, g_now + 30 * minute, &out));
    CHECK(has(out, "\"state\":\"pending\""));
    CHECK(json_int(out, "elapsed_business_minutes") == 30);
    crm_free(out);
    CHECK_OK(crm_ticket_sla_at(db, id, g_now + 61 * minute, &out));
    CHECK(has(out, "\"state\":\"breached\""));
    crm_free(out);
    CHECK_OK(crm_ticket_sla_at(db, id, 0, &out)); /* 0: the database clock */
    CHECK(has(out, "\"state\":\"pending\""));
    crm_free(out);
    CHECK_OK(crm_ticket_breaching_at(db, 0, g_now + 30 * minute, &out));
    CHECK(strcmp(out, "[]") == 0);
    crm_free(out);
    CHECK_OK(crm_ticket_breaching_at(db, 60, g_now + 30 * minute, &out));
    CHECK(json_int(out, "ticket_id") == id);
    CHECK(has(out, "\"breached\":false"));
    crm_free(out);
    CHECK_OK(crm_ticket_breaching_at(db, 0, g_now + 61 * minute, &out));
    CHECK(has(out, "\"breached\":true"));
    crm_free(out);
    crm_db_close(db);
    g_now = saved_now;
}

/* The reminder hook: counts its calls, keeps the titles, refuses "失敗". */
struct hook_log {
    int calls;
    char seen[512];
};

static int reminder_hook(const char *reminder_json, void *payload) {
    struct hook_log *log = (struct hook_log *)payload;
    ++log->calls;
    if (strlen(log->seen) + strlen(reminder_json) < sizeof log->seen) strcat(log->seen, reminder_json);
    return has(reminder_json, "失敗") ? 1 : 0;
}

static void test_tasks_of_a_record_and_reminder_hook(void) {
    crm_db *db = open_fresh("parity_tasks.crm");
    struct hook_log log;
    int64_t c, ok_task, bad_task, later, at = -1;
    char json[256], *out = NULL;
    crm_txn *txn = NULL;

    memset(&log, 0, sizeof log);
    c = create_ok(db, CRM_CONTACT, "{\"name\":\"山田 太郎\"}");
    snprintf(json, sizeof json,
             "{\"title\":\"見積書を送る\",\"remind_at\":%lld,\"links\":[{\"entity\":\"contact\",\"id\":%lld}]}",
             (long long)(g_now - 1000), (long long)c);
    ok_task = create_ok(db, CRM_TASK, json);
    snprintf(json, sizeof json, "{\"title\":\"失敗する通知\",\"remind_at\":%lld}", (long long)(g_now - 500));
    bad_task = create_ok(db, CRM_TASK, json);
    snprintf(json, sizeof json, "{\"title\":\"来週\",\"remind_at\":%lld}", (long long)(g_now + 86400000));
    later = create_ok(db, CRM_TASK, json);

    CHECK_OK(crm_task_for_record(db, CRM_CONTACT, c, &out));
    CHECK(count_of(out, "\"title\":") == 1);
    CHECK(has(out, "見積書を送る"));
    crm_free(out);

    CHECK_OK(crm_task_reminder_delivered_at(db, ok_task, &at));
    CHECK(at == 0);
    /* No hook yet: refused, nothing claimed. */
    CHECK_RC(crm_task_dispatch_reminders(db, g_now, 10, &out), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "hook") == 0);
    CHECK_OK(crm_db_set_reminder_hook(db, reminder_hook, &log));
    /* Not inside a transaction: the claim must be committed first. */
    CHECK_OK(crm_txn_begin(&txn, db));
    CHECK_RC(crm_task_dispatch_reminders(db, g_now, 10, &out), CRM_EINVALID);
    crm_txn_free(txn);
    CHECK(log.calls == 0);

    CHECK_OK(crm_task_dispatch_reminders(db, g_now, 10, &out));
    CHECK(log.calls == 2);
    CHECK(has(log.seen, "見積書を送る") && has(log.seen, "失敗する通知") && !has(log.seen, "来週"));
    snprintf(json, sizeof json, "{\"delivered\":[%lld],\"failed\":[%lld]}", (long long)ok_task, (long long)bad_task);
    CHECK(strcmp(out, json) == 0);
    crm_free(out);
    /* At most once: the failed one stays claimed until released. */
    CHECK_OK(crm_task_reminder_delivered_at(db, ok_task, &at));
    CHECK(at == g_now);
    CHECK_OK(crm_task_reminder_delivered_at(db, bad_task, &at));
    CHECK(at == g_now);
    CHECK_OK(crm_task_reminder_delivered_at(db, later, &at));
    CHECK(at == 0);
    CHECK_OK(crm_task_dispatch_reminders(db, g_now, 10, &out));
    CHECK(strcmp(out, "{\"delivered\":[],\"failed\":[]}") == 0);
    crm_free(out);
    CHECK(log.calls == 2);
    CHECK_OK(crm_task_release_reminder(db, bad_task));
    CHECK_OK(crm_task_dispatch_reminders(db, g_now, 10, &out));
    CHECK(log.calls == 3);
    crm_free(out);
    /* Removing the hook. */
    CHECK_OK(crm_db_set_reminder_hook(db, NULL, NULL));
    CHECK_RC(crm_task_dispatch_reminders(db, g_now + 2 * 86400000, 10, &out), CRM_EINVALID);
    CHECK(log.calls == 3);
    crm_db_close(db);
}

static void test_documents_of_a_record(void) {
    crm_db *db = open_fresh("parity_docs.crm");
    int64_t acct, c, d, other, max = 0, written = -1, sid = 0;
    char json[256], *out = NULL;
    crm_doc_writer *w = NULL;

    acct = create_ok(db, CRM_ACCOUNT, "{\"name\":\"株式会社テスト\"}");
    c = create_ok(db, CRM_CONTACT, "{\"name\":\"鈴木 花子\"}");
    snprintf(json, sizeof json, "{\"kind\":\"quote\",\"name\":\"見積書.pdf\",\"links\":[{\"entity\":\"account\",\"id\":%lld}]}",
             (long long)acct);
    CHECK_OK(crm_document_write(db, json, "%PDF", 4, &d));
    CHECK_OK(crm_document_write(db, "{\"name\":\"メモ.txt\"}", "x", 1, &other));
    CHECK_OK(crm_document_for_record(db, CRM_ACCOUNT, acct, &out));
    CHECK(count_of(out, "\"sha256\"") == 1);
    CHECK(has(out, "見積書.pdf"));
    crm_free(out);

    CHECK_OK(crm_document_record_sent(db, d, c, 0, 0, &sid));
    CHECK_OK(crm_document_record_sent(db, other, c, 0, 0, &sid));
    CHECK_OK(crm_document_sends_to_contact(db, c, &out));
    CHECK(count_of(out, "\"document_id\"") == 2);
    crm_free(out);

    CHECK_OK(crm_document_set_max_size(db, 1000));
    CHECK_OK(crm_document_max_size(db, &max));
    CHECK(max == 1000);

    CHECK_OK(crm_doc_writer_open(db, "{\"name\":\"分割.bin\"}", 6, &w));
    CHECK_OK(crm_doc_writer_written(w, &written));
    CHECK(written == 0);
    CHECK_OK(crm_doc_writer_write(w, "abc", 3));
    CHECK_OK(crm_doc_writer_written(w, &written));
    CHECK(written == 3);
    CHECK_OK(crm_doc_writer_write(w, "def", 3));
    CHECK_OK(crm_doc_writer_commit(w, &d));
    CHECK_RC(crm_doc_writer_written(w, &written), CRM_ECLOSED);
    crm_doc_writer_free(w);
    crm_db_close(db);
}

/* A document reader or writer still open when its database closes: the close
 * finishes them, and they answer CRM_ECLOSED. */
static void test_documents_outlive_close(void) {
    crm_db *db = open_fresh("parity_close.crm");
    crm_doc_writer *w = NULL;
    crm_doc_reader *r = NULL;
    int64_t d = 0, size = 0;
    size_t got = 1;
    char buf[8];
    CHECK_OK(crm_document_write(db, "{\"name\":\"a.bin\"}", "abcdef", 6, &d));
    CHECK_OK(crm_doc_reader_open(db, d, 1, &r, &size));
    CHECK_OK(crm_doc_reader_read(r, buf, 2, &got));
    CHECK(got == 2);
    CHECK_OK(crm_doc_writer_open(db, "{\"name\":\"b.bin\"}", 4, &w));
    CHECK_OK(crm_doc_writer_write(w, "ab", 2));
    crm_db_close(db);
    CHECK_RC(crm_doc_reader_read(r, buf, 2, &got), CRM_ECLOSED);
    CHECK(got == 0);
    CHECK_RC(crm_doc_writer_write(w, "cd", 2), CRM_ECLOSED);
    CHECK_RC(crm_doc_writer_commit(w, &d), CRM_ECLOSED);
    CHECK(d == 0);
    crm_doc_reader_free(r);
    crm_doc_writer_free(w);
}

void test_parity(void) {
    test_db_state();
    test_change_feed();
    test_campaign_contacts();
    test_sla_at();
    test_tasks_of_a_record_and_reminder_hook();
    test_documents_of_a_record();
    test_documents_outlive_close();
}
