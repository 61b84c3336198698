/* Import, export and the CSV reader/writer through the C ABI (docs/import.md,
 * docs/csv.md). C99. */
#include "capi_test.h"

static const char *k_mapping =
    "{\"kind\":\"contact\",\"match\":[\"email\"],\"on_duplicate\":\"update\",\"fields\":["
    "{\"column\":\"\xe6\xb0\x8f\xe5\x90\x8d\",\"field\":\"name\"}," /* 氏名 */
    "{\"column\":\"email\",\"field\":\"emails\"},"
    "{\"column\":\"company\",\"field\":\"account_id\",\"by\":\"name\",\"missing\":\"create\"}]}";

static int64_t count_contacts(crm_db *db) {
    int64_t n = -1;
    CHECK_RC(crm_record_count(db, CRM_CONTACT, NULL, &n), CRM_OK);
    return n;
}

void test_import(void) {
    crm_db *db = open_fresh("import.db");
    char *report = NULL, *out = NULL;
    const char *csv =
        "\xe6\xb0\x8f\xe5\x90\x8d,email,company\r\n"
        "\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e,taro@example.jp,ACME\r\n" /* 山田 太郎 */
        "Bad Mail,not-an-address,ACME\r\n"
        "Hanako,hanako@example.jp,Other Co\r\n";
    char rejects[512];
    tmp_path(rejects, sizeof rejects, "rejects.csv");
    char options[700];
    snprintf(options, sizeof options, "{\"rejects\":\"%s\",\"source_name\":\"cards.csv\"}", rejects);

    /* A dry run writes nothing. */
    CHECK_OK(crm_import_buffer(db, k_mapping, csv, strlen(csv), "{\"dry_run\":true}", &report));
    CHECK(json_int(report, "created") == 2);
    CHECK(has(report, "\"batch\":null"));
    crm_free(report);
    CHECK(count_contacts(db) == 0);

    CHECK_OK(crm_import_buffer(db, k_mapping, csv, strlen(csv), options, &report));
    CHECK(json_int(report, "rows") == 3);
    CHECK(json_int(report, "created") == 2);
    CHECK(json_int(report, "rejected") == 1);
    CHECK(json_int(report, "references_created") == 2);
    CHECK(has(report, "\"line\":3"));
    const int64_t batch = json_int(report, "batch");
    CHECK(batch > 0);
    crm_free(report);
    CHECK(count_contacts(db) == 2);

    /* The reject file: the row, its line and why. */
    FILE *f = fopen(rejects, "rb");
    CHECK(f != NULL);
    if (f) {
        char buf[1024] = {0};
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        CHECK(got > 0);
        CHECK(has(buf, "crm_line,crm_column,crm_reason"));
        CHECK(has(buf, "Bad Mail,not-an-address,ACME,3,"));
    }

    CHECK_OK(crm_import_get(db, batch, &out));
    CHECK(has(out, "\"source\":\"cards.csv\""));
    CHECK(json_int(out, "created") == 2);
    crm_free(out);
    CHECK_OK(crm_import_list(db, &out));
    CHECK(count_of(out, "\"id\":") == 1);
    crm_free(out);

    /* Export, then import the file into a new database: the same contacts. */
    char exported[512];
    tmp_path(exported, sizeof exported, "contacts.csv");
    int64_t n = 0;
    const char *export_map =
        "{\"kind\":\"contact\",\"auto_columns\":true,\"fields\":[{\"column\":\"company\",\"field\":\"account_id\",\"by\":\"name\"}]}";
    CHECK_OK(crm_export_file(db, export_map, exported, NULL, &n));
    CHECK(n == 2);
    crm_db *other = open_fresh("import-other.db");
    const char *import_map =
        "{\"kind\":\"contact\",\"auto_columns\":true,\"fields\":[{\"column\":\"company\",\"field\":\"account_id\",\"by\":\"name\",\"missing\":\"create\"}]}";
    CHECK_OK(crm_import_file(other, import_map, exported, NULL, &report));
    CHECK(json_int(report, "created") == 2);
    CHECK(json_int(report, "rejected") == 0);
    crm_free(report);
    CHECK(count_contacts(other) == 2);
    crm_db_close(other);

    /* Undo: the contacts and the accounts created for them are gone. */
    CHECK_OK(crm_import_undo(db, batch, 0, &out));
    CHECK(json_int(out, "removed") == 4);
    crm_free(out);
    CHECK(count_contacts(db) == 0);
    CHECK_RC(crm_import_undo(db, batch, 0, &out), CRM_ECONSTRAINT);
    CHECK(out == NULL);

    /* A mapping naming a field the kind does not have. */
    CHECK_RC(crm_mapping_check("{\"kind\":\"contact\",\"fields\":[{\"column\":\"a\",\"field\":\"colour\"}]}", &out),
             CRM_EINVALID);
    CHECK(has(crm_errmsg(), "colour"));
    CHECK_OK(crm_mapping_check(k_mapping, &out));
    CHECK(has(out, "\"on_duplicate\":\"update\""));
    crm_free(out);
    crm_db_close(db);
}

void test_csv(void) {
    char path[512];
    tmp_path(path, sizeof path, "excel.csv");
    crm_csv_writer *w = NULL;
    CHECK_OK(crm_csv_writer_open(path, "{\"encoding\":\"cp932\",\"neutralize_formulas\":true}", &w));
    CHECK_OK(crm_csv_writer_write(w, "[\"\xe4\xbc\x9a\xe7\xa4\xbe\",\"memo\"]"));                 /* 会社 */
    CHECK_OK(crm_csv_writer_write(w, "[\"\xe3\x88\xb1\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88\",\"=1+1\"]")); /* ㈱テスト */
    CHECK_RC(crm_csv_writer_write(w, "[\"\xf0\x9f\x98\x80\"]"), CRM_EINVALID); /* an emoji has no CP932 form */
    CHECK_RC(crm_csv_writer_write(w, "[1]"), CRM_EINVALID);
    CHECK_OK(crm_csv_writer_close(w));

    crm_csv_reader *r = NULL;
    char *out = NULL;
    int64_t line = 0;
    CHECK_OK(crm_csv_reader_open(path, NULL, &r));
    CHECK_OK(crm_csv_reader_header(r, &out));
    CHECK(strcmp(out, "[\"\xe4\xbc\x9a\xe7\xa4\xbe\",\"memo\"]") == 0);
    crm_free(out);
    CHECK_OK(crm_csv_reader_next(r, &out, &line));
    CHECK(out && strcmp(out, "[\"\xe3\x88\xb1\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88\",\"'=1+1\"]") == 0);
    CHECK(line == 2);
    crm_free(out);
    CHECK_OK(crm_csv_reader_next(r, &out, &line));
    CHECK(out == NULL); /* the end */
    CHECK_OK(crm_csv_reader_info(r, &out));
    CHECK(has(out, "\"encoding\":\"cp932\""));
    CHECK(json_int(out, "records") == 1);
    crm_free(out);
    crm_csv_reader_free(r);

    /* An unterminated quote: the line is named, and every later call says it again. */
    char bad[512];
    tmp_path(bad, sizeof bad, "bad.csv");
    FILE *f = fopen(bad, "wb");
    CHECK(f != NULL);
    if (!f) return;
    fputs("a,b\n1,2\n\"3,4\n", f);
    fclose(f);
    CHECK_OK(crm_csv_reader_open(bad, "{\"encoding\":\"utf-8\"}", &r));
    CHECK_OK(crm_csv_reader_next(r, &out, &line));
    crm_free(out);
    CHECK_RC(crm_csv_reader_next(r, &out, &line), CRM_EINVALID);
    CHECK(out == NULL && line == 0);
    CHECK(has(crm_errmsg(), "line 3"));
    CHECK_RC(crm_csv_reader_next(r, &out, &line), CRM_EINVALID);
    crm_csv_reader_free(r);
    crm_csv_reader_free(NULL);
    CHECK_OK(crm_csv_writer_close(NULL));
}
