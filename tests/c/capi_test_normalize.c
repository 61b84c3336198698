/* crm_normalize: the six normalisations through the C ABI, and bad input. C99. */
#include "capi_test.h"

static void expect(const char *what, const char *value, const char *region, const char *want) {
    char *out = NULL;
    int rc = crm_normalize(what, value, region, &out);
    CHECK_RC(rc, CRM_OK);
    if (rc == CRM_OK) {
        if (strcmp(out, want) != 0) {
            fprintf(stderr, "crm_normalize(%s, %s): got '%s', expected '%s'\n", what, value, out, want);
            ++g_failures;
        }
        crm_free(out);
    }
}

static void refused(const char *what, const char *value, const char *region, const char *field) {
    char *out = (char *)"junk";
    CHECK_RC(crm_normalize(what, value, region, &out), CRM_EINVALID);
    CHECK(out == NULL);
    CHECK(strcmp(crm_errfield(), field) == 0);
}

void test_normalize(void) {
    expect("email", " Taro.Yamada@EXAMPLE.co.jp ", NULL, "taro.yamada@example.co.jp");
    expect("email", "INFO@XN--R8JZ45G.JP", NULL, "info@\xe4\xbe\x8b\xe3\x81\x88.jp"); /* info@例え.jp */
    expect("phone", "03-1234-5678", NULL, "+81312345678");
    expect("phone", "03-1234-5678", "", "+81312345678");
    expect("phone", "(650) 253-0000", "US", "+16502530000");
    /* ＡＢＣ → ABC, ideographic space → one space */
    expect("text", "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xe3\x80\x80x", NULL, "ABC x");
    expect("fold", "Taro  YAMADA", NULL, "taroyamada");
    /* やまだ → ヤマダ */
    expect("kana", "\xe3\x82\x84\xe3\x81\xbe\xe3\x81\xa0", NULL, "\xe3\x83\xa4\xe3\x83\x9e\xe3\x83\x80");
    expect("company", "Mirai Cloud Co., Ltd.", NULL, "miraicloud");

    refused("email", "taro@", NULL, "value");
    refused("phone", "abc", NULL, "value");
    refused("phone", "03-1234-5678", "XX", "region");
    refused("phone", "03-1234-5678", "a-region-name-far-too-long", "region");
    refused("soundex", "x", NULL, "what");
    refused("text", "\xff\xfe", NULL, "value");
    refused(NULL, "x", NULL, "what");
    refused("text", NULL, NULL, "value");
    CHECK_RC(crm_normalize("text", "x", NULL, NULL), CRM_EINVALID);
}
