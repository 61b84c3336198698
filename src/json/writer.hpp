// Private: writes JSON text straight into a string, without building a DOM.
// The record codec (records/codec.hpp) writes every document and history value
// with it. Strings are written as nlohmann::json::dump() writes them (UTF-8 kept,
// '"', '\\' and control characters escaped), so text written by either reads back
// the same.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace crm::json {

class Writer {
public:
    explicit Writer(std::string& out) noexcept : out_(out) {}

    void begin_object() { separate(); out_ += '{'; first_ = true; }
    void end_object() { out_ += '}'; first_ = false; }
    void begin_array() { separate(); out_ += '['; first_ = true; }
    void end_array() { out_ += ']'; first_ = false; }

    // An object key; the value written next belongs to it.
    void key(std::string_view k) {
        separate();
        quoted(k);
        out_ += ':';
        after_key_ = true;
    }

    void string(std::string_view s) { separate(); quoted(s); }
    void integer(std::int64_t v) {
        separate();
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
    }
    void boolean(bool b) { separate(); out_ += b ? "true" : "false"; }
    void null() { separate(); out_ += "null"; }
    // A value that is already JSON text.
    void raw(std::string_view json) { separate(); out_ += json; }

    std::string& text() noexcept { return out_; }

private:
    void separate() {
        if (after_key_) { after_key_ = false; return; }
        if (!first_) out_ += ',';
        first_ = false;
    }
    void quoted(std::string_view s) {
        out_ += '"';
        std::size_t run = 0;  // start of the bytes not yet copied
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            out_.append(s.data() + run, i - run);
            run = i + 1;
            switch (c) {
                case '"': out_ += "\\\""; break;
                case '\\': out_ += "\\\\"; break;
                case '\b': out_ += "\\b"; break;
                case '\f': out_ += "\\f"; break;
                case '\n': out_ += "\\n"; break;
                case '\r': out_ += "\\r"; break;
                case '\t': out_ += "\\t"; break;
                default: {
                    static constexpr char hex[] = "0123456789abcdef";
                    const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    out_.append(esc, sizeof esc);
                }
            }
        }
        out_.append(s.data() + run, s.size() - run);
        out_ += '"';
    }

    std::string& out_;
    bool first_ = true;
    bool after_key_ = false;
};

}  // namespace crm::json
