/* C ABI: tickets (CRM_TICKET), the status workflow, first response, calendars,
 * SLA policies and breach alerts. */
#include "capi_test.h"

static const char *k_calendar =
    "{\"name\":\"日本営業日\",\"utc_offset\":\"+09:00\","
    "\"hours\":{\"mon\":[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]],\"tue\":[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]],"
    "\"wed\":[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]],\"thu\":[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]],"
    "\"fri\":[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]]},"
    "\"holidays\":[\"2026-01-01\",\"2026-01-02\",\"2026-01-12\"]}";

void test_service(void) {
    const int64_t saved_now = g_now;
    crm_db *db = open_fresh("service.crm");
    int64_t cal = 0, policy = 0, id = 0, first = 0;
    char *doc = NULL, *before = NULL, buf[256];

    /* Calendars and policies. */
    CHECK_OK(crm_calendar_define(db, k_calendar, &cal));
    CHECK(cal > 0);
    CHECK_RC(crm_calendar_define(db, "{\"name\":\"x\",\"hours\":{\"mon\":[[\"18:00\",\"09:00\"]]}}", &id), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "hours.mon[0]") == 0);
    CHECK_OK(crm_calendar_list(db, &doc));
    CHECK(has(doc, "\"utc_offset\":\"+09:00\""));
    CHECK(has(doc, "\"2026-01-12\""));
    crm_free(doc);
    snprintf(buf, sizeof buf,
             "{\"name\":\"標準SLA\",\"calendar_id\":%lld,\"targets\":{\"high\":{\"first_response_minutes\":60,"
             "\"resolution_minutes\":480}}}",
             (long long)cal);
    CHECK_OK(crm_sla_policy_define(db, buf, &policy));
    CHECK(policy > 0);
    CHECK_RC(crm_sla_policy_define(db, "{\"name\":\"y\",\"calendar_id\":999}", &id), CRM_ENOTFOUND);
    CHECK_OK(crm_sla_policy_list(db, &doc));
    CHECK(has(doc, "\"first_response_minutes\":60"));
    crm_free(doc);

    /* A ticket through the generic record family; opened Fri 2026-01-09 17:30 JST. */
    g_now = 1767947400000;
    snprintf(buf, sizeof buf, "{\"subject\":\"至急：システムが止まった\",\"priority\":\"high\",\"sla_policy_id\":%lld}",
             (long long)policy);
    id = create_ok(db, CRM_TICKET, buf);
    doc = get_doc(db, CRM_TICKET, id);
    CHECK(has(doc, "\"status\":\"new\""));
    CHECK(has(doc, "\"opened_at\":\"2026-01-09T08:30:00.000Z\""));
    crm_free(doc);

    /* The workflow cannot be bypassed. */
    before = get_doc(db, CRM_TICKET, id);
    CHECK_RC(crm_record_update(db, CRM_TICKET, id, "{\"status\":\"resolved\"}"), CRM_ECONSTRAINT);
    CHECK_RC(crm_ticket_transition(db, id, "closed"), CRM_ECONSTRAINT);
    CHECK(strcmp(crm_errfield(), "status") == 0);
    CHECK_RC(crm_ticket_transition(db, id, "done"), CRM_EINVALID);
    CHECK_RC(crm_ticket_transition(db, 999, "open"), CRM_ENOTFOUND);
    CHECK_UNCHANGED(db, CRM_TICKET, id, before);
    crm_free(before);
    CHECK_OK(crm_ticket_transition(db, id, "open"));

    /* SLA: first response due Tue 01-13 09:30 JST (Mon 01-12 is a holiday). */
    CHECK_OK(crm_ticket_sla(db, id, &doc));
    CHECK(has(doc, "\"due_at\":\"2026-01-13T00:30:00.000Z\""));
    CHECK(has(doc, "\"state\":\"pending\""));
    crm_free(doc);
    g_now = 1768262400000; /* Tue 09:00 */
    CHECK_OK(crm_ticket_breaching(db, 60, &doc));
    CHECK(count_of(doc, "\"ticket_id\"") == 1);
    CHECK(has(doc, "\"target\":\"first_response\""));
    CHECK(has(doc, "\"breached\":false"));
    crm_free(doc);
    g_now = 1768264260000; /* Tue 09:31 */
    CHECK_OK(crm_ticket_breaching(db, 0, &doc));
    CHECK(has(doc, "\"breached\":true"));
    crm_free(doc);

    CHECK_OK(crm_ticket_record_response(db, id, 0, &first));
    CHECK(first == 1768264260000);
    CHECK_OK(crm_ticket_record_response(db, id, 0, NULL));
    CHECK_OK(crm_ticket_sla(db, id, &doc));
    CHECK(has(doc, "\"first_response\":{\"done_at\":\"2026-01-13T00:31:00.000Z\""));
    CHECK(has(doc, "\"state\":\"breached\""));
    crm_free(doc);

    CHECK_OK(crm_ticket_transition(db, id, "resolved"));
    CHECK_OK(crm_ticket_transition(db, id, "closed"));
    CHECK_OK(crm_ticket_status_history(db, id, &doc));
    CHECK(count_of(doc, "\"to\"") == 4);
    CHECK(has(doc, "\"from\":\"resolved\""));
    crm_free(doc);
    CHECK_OK(crm_ticket_breaching(db, 100000, &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);

    CHECK_RC(crm_ticket_sla(db, id, NULL), CRM_EINVALID);
    crm_db_close(db);
    g_now = saved_now;
}
