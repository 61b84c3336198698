// Private: a strict pull parser over JSON text, for reading records straight into
// their structs (records/codec.hpp) without building a document first.
//
// The caller walks the structure it expects: begin_object() then next_key() until
// it returns false, reading or skipping each value. Strict where JSON parsers are
// lenient: a key twice in one object, nesting deeper than kMaxDepth, an integer
// beyond 64 bits, ill-formed UTF-8 and lone surrogates are errors. Errors are
// errc::invalid_argument naming the field the caller gives (or "document" for
// malformed text).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crm/error.hpp"

namespace crm::json {

class Pull {
public:
    enum class Kind { object, array, string, number, boolean, null, end, invalid };

    explicit Pull(std::string_view text) noexcept : s_(text) {}

    // The kind of the next value (white space skipped); Kind::invalid at malformed text.
    Kind peek();

    result<void> begin_object(const std::string& field);
    // The next key of the current object (false at its end); refuses a key seen before in it.
    result<bool> next_key(std::string& key);
    result<void> begin_array(const std::string& field);
    result<bool> next_element();  // false at the end of the current array

    result<void> string(const std::string& field, std::string& out);
    result<std::int64_t> integer(const std::string& field);
    // A number as it is written ("12.50", "3", "1e3"): how decimals written as JSON numbers are kept.
    result<std::string> number_text(const std::string& field);
    result<bool> boolean(const std::string& field);
    bool null();  // consumes a null and returns true, or returns false and consumes nothing
    result<void> skip(const std::string& field);  // any value
    result<void> finish();  // nothing but white space may follow the document

private:
    error malformed(std::string_view why) const;
    void ws();
    bool literal(std::string_view word);
    result<void> scan_string(std::string& out);
    result<std::string_view> scan_number();
    result<void> open(char c, const std::string& field);

    std::string_view s_;
    std::size_t i_ = 0;
    struct Level {
        bool object;
        bool first = true;
        std::vector<std::string> keys;  // sorted: keys seen in this object
    };
    std::vector<Level> stack_;
};

}  // namespace crm::json
