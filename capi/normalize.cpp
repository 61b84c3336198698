// C ABI: normalisation of typed text (crm/normalize.hpp).
#include <cstring>

#include "capi_internal.hpp"
#include "crm/normalize.hpp"

using namespace crm::capi;

extern "C" {

CRM_API int crm_normalize(const char* what, const char* value, const char* region, char** out) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_text(what, "what")) return rc;
        if (int rc = check_text(value, "value")) return rc;
        const std::string_view w(what);
        if (w == "email") {
            auto r = crm::normalize::email(value);
            if (!r) return set_error(r.error());
            return give(out, r.value());
        }
        if (w == "phone") {
            if (region && std::strlen(region) > 16) return set_error(CRM_EINVALID, "region is too long", "region");
            auto r = crm::normalize::phone(value, region && *region ? region : "JP");
            if (!r) return set_error(r.error());
            return give(out, r.value());
        }
        if (w == "text") return give(out, crm::normalize::text(value));
        if (w == "fold") return give(out, crm::normalize::fold(value));
        if (w == "kana") return give(out, crm::normalize::kana(value));
        if (w == "company") return give(out, crm::normalize::company(value));
        return set_error(CRM_EINVALID, "what must be email, phone, text, fold, kana or company", "what");
    });
}

}  // extern "C"
