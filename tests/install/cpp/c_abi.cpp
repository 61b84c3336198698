// The C ABI from C++ through the installed crm::crm_c target: crm.h and the C++
// version header in one translation unit (both take their version macros from
// the installed crm_version.h), checked against the loaded libcrm.so.
#include <crm.h>
#include <crm/version.hpp>

#include <cstdio>
#include <cstring>

static_assert(CRM_ABI_VERSION >= 1 && sizeof(CRM_VERSION_STRING) > 1, "crm_version.h defines the version macros");

int main() {
    if (std::strcmp(crm_version(), CRM_VERSION_STRING) != 0 || crm_abi_version() != CRM_ABI_VERSION) {
        std::fprintf(stderr, "header %s (ABI %d) does not match library %s (ABI %d)\n", CRM_VERSION_STRING,
                     CRM_ABI_VERSION, crm_version(), crm_abi_version());
        return 1;
    }
    crm_db* db = nullptr;
    if (crm_db_open(&db, ":memory:", nullptr) != CRM_OK) {
        std::fprintf(stderr, "crm_db_open: %s\n", crm_errmsg());
        return 1;
    }
    crm_db_close(db);
    std::printf("crm_c %s (ABI %d)\n", crm_version(), crm_abi_version());
    return 0;
}
