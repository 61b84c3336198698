/* A C99 application using the installed libcrm.so through pkg-config:
 * checks the versions, opens a database file, stores a contact with a
 * Japanese name through the JSON record API, reads it back and closes. */
#include <crm.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    crm_db *db = NULL;
    int64_t id = 0;
    char *doc = NULL;
    int rc, found;
    if (argc != 2) {
        fprintf(stderr, "usage: consumer DBFILE\n");
        return 2;
    }
    if (strcmp(crm_version(), CRM_VERSION_STRING) != 0 || crm_abi_version() != CRM_ABI_VERSION) {
        fprintf(stderr, "header %s (ABI %d) does not match library %s (ABI %d)\n", CRM_VERSION_STRING,
                CRM_ABI_VERSION, crm_version(), crm_abi_version());
        return 1;
    }
    printf("crm_version %s\n", crm_version());
    rc = crm_db_open(&db, argv[1], NULL);
    if (rc != CRM_OK || db == NULL) {
        fprintf(stderr, "crm_db_open(%s): %s: %s\n", argv[1], crm_strerror(rc), crm_errmsg());
        return 1;
    }
    rc = crm_record_create(db, CRM_CONTACT, "{\"name\":\"山田 花子\",\"name_reading\":\"ヤマダ ハナコ\"}", &id);
    if (rc != CRM_OK) {
        fprintf(stderr, "crm_record_create: %s: %s\n", crm_strerror(rc), crm_errmsg());
        crm_db_close(db);
        return 1;
    }
    rc = crm_record_get(db, CRM_CONTACT, id, &doc);
    if (rc != CRM_OK) {
        fprintf(stderr, "crm_record_get: %s: %s\n", crm_strerror(rc), crm_errmsg());
        crm_db_close(db);
        return 1;
    }
    found = strstr(doc, "山田 花子") != NULL;
    crm_free(doc);
    crm_db_close(db);
    if (!found) {
        fprintf(stderr, "contact %lld came back without its name\n", (long long)id);
        return 1;
    }
    printf("contact %lld: 山田 花子\n", (long long)id);
    printf("opened and closed %s\n", argv[1]);
    return 0;
}
