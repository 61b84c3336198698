// crm/error.hpp — error codes and the result type of the whole C++ API.
//
// Every fallible function returns crm::result<T>. An error carries a code
// (crm::errc), a human-readable message, the field it concerns (if any) and,
// when SQLite produced it, SQLite's extended result code and message.
// No exception escapes the public API; calling .value() on a failed result is
// the caller's choice and throws std::system_error (like std::optional::value).
#pragma once

#include <boost/outcome.hpp>
#include <string>
#include <system_error>

namespace crm {

enum class errc : int {
    ok = 0,
    not_found = 1,             // no record with that id / key
    already_exists = 2,        // unique key taken (external id, email, name …)
    invalid_argument = 3,      // bad input; error::field names the field
    constraint_violation = 4,  // refused by a rule of the data (cycle, still referenced …)
    busy = 5,                  // database locked by another connection past the busy timeout
    io_error = 6,              // cannot open / read / write the file
    corrupt = 7,               // not a database, or a damaged one
    schema_too_new = 8,        // file written by a newer crm than this library
    read_only = 9,             // write attempted on a read-only database
    closed = 10,               // handle already closed
    internal = 11,             // a bug: please report
    out_of_memory = 12,        // an allocation failed
};

const std::error_category& error_category() noexcept;
std::error_code make_error_code(errc e) noexcept;
const char* errc_name(errc e) noexcept;  // "not_found", …

struct error {
    errc code = errc::internal;
    std::string message;         // full sentence, names the field where there is one
    std::string field;           // e.g. "emails[1].address"; empty if none
    int sqlite_code = 0;         // SQLite extended result code, 0 if not from SQLite
    std::string sqlite_message;  // SQLite's own message, empty if not from SQLite

    error() = default;
    error(errc c, std::string msg, std::string fld = {})
        : code(c), message(std::move(msg)), field(std::move(fld)) {}
};

// Outcome finds these by ADL: they let result<T>::value() throw
// std::system_error and let results compare against crm::errc.
std::error_code make_error_code(const error& e) noexcept;
[[noreturn]] void outcome_throw_as_system_error_with_payload(const error& e);

template <class T>
using result = boost::outcome_v2::basic_result<T, error, boost::outcome_v2::policy::default_policy<T, error, void>>;

// Convenience constructors.
inline error make_error(errc c, std::string msg, std::string field = {}) {
    return error(c, std::move(msg), std::move(field));
}
inline error invalid(std::string field, std::string why) {
    std::string msg = field + ": " + why;
    return error(errc::invalid_argument, std::move(msg), std::move(field));
}

}  // namespace crm

namespace std {
template <> struct is_error_code_enum<crm::errc> : true_type {};
}  // namespace std
