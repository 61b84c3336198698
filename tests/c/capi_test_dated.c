/* C ABI: who and when — the actor must be a user; deal moves and ticket
 * transitions dated in the past; email events as JSON, acting on the recipient. */
#include "capi_test.h"

void test_dated(void) {
    crm_db *db = open_fresh("dated.crm");
    char buf[512];
    char *doc = NULL;
    int64_t user, pipeline, s_open, s_won, deal, ticket, contact, mail, ev = -1;
    const int64_t day = 86400000LL;

    /* The actor: a user's id, or refused with the actor unchanged. */
    user = create_ok(db, CRM_USER, "{\"name\":\"営業 一郎\",\"email\":\"ichiro@corp.example\"}");
    CHECK_RC(crm_db_set_actor(db, 999), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "user_id") == 0);
    CHECK_OK(crm_db_set_actor(db, user));
    contact = create_ok(db, CRM_CONTACT,
                        "{\"name\":\"山田 太郎\",\"emails\":[\"taro@example.jp\"],\"consent\":{\"email\":true}}");
    CHECK_OK(crm_record_history(db, CRM_CONTACT, contact, &doc));
    snprintf(buf, sizeof buf, "\"actor_id\":%lld", (long long)user);
    CHECK(has(doc, buf));
    crm_free(doc);
    doc = NULL;

    /* A deal from another system, created and won in the past. */
    pipeline = create_ok(db, CRM_PIPELINE,
                         "{\"name\":\"新規営業\",\"stages\":[{\"name\":\"提案\",\"probability\":40},"
                         "{\"name\":\"受注\",\"probability\":100,\"kind\":\"won\"}]}");
    CHECK_OK(crm_pipeline_stages(db, pipeline, &doc));
    s_open = json_int(doc, "id");
    s_won = s_open + 1;
    crm_free(doc);
    doc = NULL;
    snprintf(buf, sizeof buf, "{\"name\":\"2017年の案件\",\"pipeline_id\":%lld,\"stage_id\":%lld,\"created_at\":%lld}",
             (long long)pipeline, (long long)s_open, (long long)(g_now - 3000 * day));
    deal = create_ok(db, CRM_DEAL, buf);
    CHECK_RC(crm_deal_move_at(db, deal, s_won, NULL, g_now + 1), CRM_EINVALID); /* the future */
    CHECK(strcmp(crm_errfield(), "at") == 0);
    CHECK_RC(crm_deal_move_at(db, deal, s_won, NULL, g_now - 4000 * day), CRM_EINVALID); /* before its creation */
    CHECK_OK(crm_deal_move_at(db, deal, s_won, NULL, g_now - 2900 * day));
    doc = get_doc(db, CRM_DEAL, deal);
    CHECK(has(doc, "\"status\":\"won\""));
    crm_free(doc);
    CHECK_OK(crm_deal_stage_history(db, deal, &doc));
    CHECK(count_of(doc, "\"to_stage_id\"") == 2);
    crm_free(doc);
    doc = NULL;

    /* A ticket resolved in the past. */
    snprintf(buf, sizeof buf, "{\"subject\":\"過去の問い合わせ\",\"opened_at\":%lld}", (long long)(g_now - 10 * day));
    ticket = create_ok(db, CRM_TICKET, buf);
    CHECK_RC(crm_ticket_transition_at(db, ticket, "resolved", g_now - 11 * day), CRM_EINVALID);
    CHECK_RC(crm_ticket_transition_at(db, ticket, "resolved", g_now + day), CRM_EINVALID);
    CHECK_RC(crm_ticket_transition_at(db, ticket, "done", g_now), CRM_EINVALID);
    CHECK_OK(crm_ticket_transition_at(db, ticket, "resolved", g_now - 9 * day));
    doc = get_doc(db, CRM_TICKET, ticket);
    CHECK(has(doc, "\"status\":\"resolved\""));
    crm_free(doc);

    /* Email events as JSON: a hard bounce marks the address; unsubscribe withdraws consent. */
    snprintf(buf, sizeof buf,
             "{\"kind\":\"email\",\"direction\":\"outbound\",\"occurred_at\":%lld,\"contact_ids\":[%lld]}",
             (long long)(g_now - day), (long long)contact);
    mail = create_ok(db, CRM_INTERACTION, buf);
    snprintf(buf, sizeof buf, "{\"event\":\"opened\",\"at\":%lld}", (long long)(g_now - 2 * day));
    CHECK_RC(crm_interaction_track_event(db, mail, buf, &ev), CRM_EINVALID); /* before the send */
    CHECK(ev == 0);
    CHECK(strcmp(crm_errfield(), "at") == 0);
    CHECK_RC(crm_interaction_track_event(db, mail, "{\"event\":\"opened\",\"event\":\"clicked\"}", &ev), CRM_EINVALID);
    CHECK_RC(crm_interaction_track_event(db, mail, "{\"event\":\"bounced\",\"address\":\"x@y.jp\"}", &ev),
             CRM_EINVALID);
    CHECK_RC(crm_interaction_track_event(db, mail, NULL, &ev), CRM_EINVALID);
    CHECK_OK(crm_interaction_track_event(db, mail, "{\"event\":\"bounced\",\"soft\":true}", &ev));
    CHECK(ev > 0);
    doc = get_doc(db, CRM_CONTACT, contact);
    CHECK(has(doc, "\"undeliverable\":false"));
    crm_free(doc);
    CHECK_OK(crm_interaction_track_event(db, mail, "{\"event\":\"bounced\"}", NULL));
    CHECK_OK(crm_interaction_track_event(db, mail, "{\"event\":\"unsubscribed\"}", NULL));
    doc = get_doc(db, CRM_CONTACT, contact);
    CHECK(has(doc, "\"undeliverable\":true"));
    CHECK(has(doc, "\"consent\":{\"email\":false"));
    crm_free(doc);
    CHECK_OK(crm_interaction_email_events(db, mail, &doc));
    CHECK(count_of(doc, "\"address\":\"taro@example.jp\"") == 3);
    crm_free(doc);
    crm_db_close(db);
}
