// Error category and Outcome hooks for crm::error.
#include "crm/error.hpp"

#include <stdexcept>

namespace crm {
namespace {
class category final : public std::error_category {
public:
    const char* name() const noexcept override { return "crm"; }
    std::string message(int c) const override { return errc_name(static_cast<errc>(c)); }
};
}  // namespace

const char* errc_name(errc e) noexcept {
    switch (e) {
        case errc::ok: return "ok";
        case errc::not_found: return "not_found";
        case errc::already_exists: return "already_exists";
        case errc::invalid_argument: return "invalid_argument";
        case errc::constraint_violation: return "constraint_violation";
        case errc::busy: return "busy";
        case errc::io_error: return "io_error";
        case errc::corrupt: return "corrupt";
        case errc::schema_too_new: return "schema_too_new";
        case errc::read_only: return "read_only";
        case errc::closed: return "closed";
        case errc::internal: return "internal";
        case errc::out_of_memory: return "out_of_memory";
    }
    return "unknown";
}

const std::error_category& error_category() noexcept {
    static const category c;
    return c;
}
std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }
std::error_code make_error_code(const error& e) noexcept { return make_error_code(e.code); }
void outcome_throw_as_system_error_with_payload(const error& e) {
    throw std::system_error(make_error_code(e.code), e.message);
}

}  // namespace crm
