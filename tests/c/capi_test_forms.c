/* C ABI: forms — define, check (every field error as a JSON array), submit with
 * progressive profiling, touches, versions; failures store nothing. */
#include "capi_test.h"

static const char *k_form =
    "{\"name\":\"contact-us\",\"title\":\"お問い合わせ\",\"source\":\"web\",\"on_conflict\":\"keep\","
    "\"fields\":[{\"name\":\"email\",\"type\":\"email\",\"required\":true,\"maps_to\":\"contact.email\"},"
    "{\"name\":\"name\",\"type\":\"text\",\"max_length\":10,\"maps_to\":\"contact.name\"},"
    "{\"name\":\"title\",\"type\":\"text\",\"maps_to\":\"contact.title\"},"
    "{\"name\":\"company\",\"type\":\"text\",\"maps_to\":\"account.name\"},"
    "{\"name\":\"plan\",\"type\":\"choice\",\"choices\":[\"無料\",\"有料\"]},"
    "{\"name\":\"agree\",\"type\":\"consent\",\"maps_to\":\"contact.consent.email\"}]}";

void test_forms(void) {
    crm_db *db = open_fresh("forms.crm");
    char *doc = NULL, *before = NULL;
    int64_t form = 0, contact, n = -1;

    /* A target that is no field is refused, naming the part. */
    CHECK_RC(crm_form_define(db, "{\"name\":\"bad\",\"fields\":[{\"name\":\"email\",\"type\":\"email\","
                                 "\"required\":true,\"maps_to\":\"contact.shoe_size\"}]}", &n),
             CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "fields[0].maps_to") == 0);
    CHECK(n == 0);
    CHECK_OK(crm_form_define(db, k_form, &form));
    CHECK(form > 0);
    CHECK_RC(crm_form_define(db, k_form, NULL), CRM_EEXISTS);
    CHECK_OK(crm_form_get_by_name(db, "contact-us", &doc));
    CHECK(has(doc, "\"maps_to\":\"contact.emails\""));
    CHECK(has(doc, "\"version\":1"));
    crm_free(doc);

    /* First submission: a new contact. */
    CHECK_OK(crm_form_submit(db, form, "{\"email\":\"Taro@Example.jp\",\"name\":\"山田 太郎\",\"title\":\"部長\","
                                       "\"company\":\"株式会社サンプル\",\"agree\":true}",
                             "{\"utm_source\":\"google\",\"utm_medium\":\"cpc\",\"url\":\"https://example.jp/f\"}",
                             &doc));
    CHECK(has(doc, "\"created\":true"));
    CHECK(has(doc, "\"account_created\":true"));
    contact = json_int(doc, "contact_id");
    CHECK(contact > 0);
    crm_free(doc);

    /* Second: the same person by another case; the title is kept, empty name erases nothing. */
    CHECK_OK(crm_form_submit(db, form, "{\"email\":\"taro@example.JP\",\"name\":\"\",\"title\":\"社長\","
                                       "\"company\":\"(株)ｻﾝﾌﾟﾙ\"}", NULL, &doc));
    CHECK(has(doc, "\"created\":false"));
    CHECK(has(doc, "\"account_created\":false"));
    CHECK(has(doc, "\"kept\":[\"contact.title\"]"));
    CHECK(json_int(doc, "contact_id") == contact);
    crm_free(doc);
    doc = get_doc(db, CRM_CONTACT, contact);
    CHECK(has(doc, "\"name\":\"山田 太郎\""));
    CHECK(has(doc, "\"title\":\"部長\""));
    crm_free(doc);

    /* Every error at once, as a JSON array and in the message; nothing stored. */
    before = get_doc(db, CRM_CONTACT, contact);
    CHECK_OK(crm_form_check(db, form, "{\"email\":\"nope\",\"name\":\"あいうえおかきくけこさ\",\"plan\":\"金\",\"x\":1}",
                            &doc));
    CHECK(count_of(doc, "\"field\"") == 4);
    CHECK(has(doc, "{\"field\":\"email\","));
    CHECK(has(doc, "{\"field\":\"name\",\"message\":\"is longer than 10 characters\"}"));
    CHECK(has(doc, "{\"field\":\"plan\","));
    CHECK(has(doc, "{\"field\":\"x\",\"message\":\"is not a field of form 'contact-us'\"}"));
    crm_free(doc);
    doc = (char *)1;
    CHECK_RC(crm_form_submit(db, form, "{\"email\":\"nope\",\"name\":\"あいうえおかきくけこさ\",\"plan\":\"金\",\"x\":1}",
                             NULL, &doc),
             CRM_EINVALID);
    CHECK(doc == NULL);
    CHECK(strcmp(crm_errfield(), "email") == 0);
    CHECK(has(crm_errmsg(), "4 fields refused"));
    CHECK(has(crm_errmsg(), "plan: '金' is not one of 無料, 有料"));
    CHECK_UNCHANGED(db, CRM_CONTACT, contact, before);
    crm_free(before);
    CHECK_OK(crm_form_check(db, form, "{\"email\":\"taro@example.jp\"}", &doc));
    CHECK(strcmp(doc, "[]") == 0);
    crm_free(doc);
    CHECK_RC(crm_form_submit(db, form, "{\"email\":\"a@b.jp\"}", "{\"ip\":\"192.0.2.1\"}", &doc), CRM_EINVALID);
    CHECK(strcmp(crm_errfield(), "ip") == 0);

    /* Touches: the first submission's UTM source. */
    CHECK_OK(crm_form_touches(db, contact, &doc));
    CHECK(has(doc, "\"first\":{"));
    CHECK(has(doc, "\"source\":\"google\""));
    CHECK(json_int(doc, "count") == 2);
    crm_free(doc);

    /* A change makes version 2; versions are listed; remove keeps the history. */
    CHECK_OK(crm_form_update(db, form, "{\"name\":\"contact-us\",\"title\":\"資料請求\",\"fields\":"
                                       "[{\"name\":\"email\",\"type\":\"email\",\"required\":true,"
                                       "\"maps_to\":\"contact.emails\"}]}"));
    CHECK_OK(crm_form_get(db, form, &doc));
    CHECK(has(doc, "\"version\":2"));
    crm_free(doc);
    CHECK_OK(crm_form_list(db, &doc));
    CHECK(count_of(doc, "\"name\":\"contact-us\"") == 1);
    crm_free(doc);
    CHECK_OK(crm_form_remove(db, form));
    CHECK_RC(crm_form_get(db, form, &doc), CRM_ENOTFOUND);
    CHECK_OK(crm_form_versions(db, form, &doc));
    CHECK(count_of(doc, "\"op\":") == 3);
    CHECK(has(doc, "\"op\":\"remove\""));
    crm_free(doc);
    crm_db_close(db);
}
