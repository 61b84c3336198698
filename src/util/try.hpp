// Private: early-return helpers for crm::result (independent of Boost version).
#pragma once
#include "crm/error.hpp"

#define CRM_CAT2(a, b) a##b
#define CRM_CAT(a, b) CRM_CAT2(a, b)
// CRM_TRY(auto x, expr);  — declares x from a successful result, else returns the failure.
#define CRM_TRY(decl, expr)                                                       \
    auto CRM_CAT(crm_try_, __LINE__) = (expr);                                     \
    if (!CRM_CAT(crm_try_, __LINE__)) return CRM_CAT(crm_try_, __LINE__).as_failure(); \
    decl = std::move(CRM_CAT(crm_try_, __LINE__)).assume_value()
// CRM_TRYV(expr); — for result<void> (or when the value is not needed).
#define CRM_TRYV(expr)                                                            \
    do {                                                                           \
        auto crm_tryv_ = (expr);                                                   \
        if (!crm_tryv_) return crm_tryv_.as_failure();                             \
    } while (0)

namespace crm {
inline result<void> ok() { return boost::outcome_v2::success(); }
}  // namespace crm
