// The strict pull parser (json/pull.hpp).
#include "json/pull.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "json/parse.hpp"
#include "util/text.hpp"
#include "util/try.hpp"

namespace crm::json {

namespace {

// The length of the well-formed UTF-8 sequence at p (lead byte >= 0x80), or 0.
std::size_t utf8_length(const unsigned char* p, std::size_t left) {
    const unsigned char c = p[0];
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1Fu; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0Fu; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07u; }
    else return 0;
    if (n > left) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((p[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

error Pull::malformed(std::string_view why) const {
    return invalid("document", fmt::format("is not valid JSON ({} at byte {})", why, i_));
}

void Pull::ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
}

bool Pull::literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
}

Pull::Kind Pull::peek() {
    ws();
    if (i_ >= s_.size()) return Kind::end;
    switch (s_[i_]) {
        case '{': return Kind::object;
        case '[': return Kind::array;
        case '"': return Kind::string;
        case 't': case 'f': return Kind::boolean;
        case 'n': return Kind::null;
        case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
            return Kind::number;
        default: return Kind::invalid;
    }
}

result<void> Pull::open(char c, const std::string& field) {
    if (peek() != (c == '{' ? Kind::object : Kind::array))
        return invalid(field, c == '{' ? "must be a JSON object" : "must be an array");
    if (stack_.size() >= static_cast<std::size_t>(kMaxDepth))
        return invalid(field, fmt::format("is nested more than {} levels deep", kMaxDepth));
    ++i_;
    stack_.push_back(Level{c == '{', true, {}});
    return ok();
}

result<void> Pull::begin_object(const std::string& field) { return open('{', field); }
result<void> Pull::begin_array(const std::string& field) { return open('[', field); }

result<bool> Pull::next_key(std::string& key) {
    auto& level = stack_.back();
    ws();
    if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        stack_.pop_back();
        return false;
    }
    if (!level.first) {
        if (i_ >= s_.size() || s_[i_] != ',') return malformed("expected ',' or '}'");
        ++i_;
        ws();
    }
    level.first = false;
    if (i_ >= s_.size() || s_[i_] != '"') return malformed("expected a key");
    key.clear();
    CRM_TRYV(scan_string(key));
    ws();
    if (i_ >= s_.size() || s_[i_] != ':') return malformed("expected ':'");
    ++i_;
    auto at = std::lower_bound(level.keys.begin(), level.keys.end(), key);
    if (at != level.keys.end() && *at == key) return invalid("document", fmt::format("has the key \"{}\" twice", key));
    level.keys.insert(at, key);
    return true;
}

result<bool> Pull::next_element() {
    auto& level = stack_.back();
    ws();
    if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        stack_.pop_back();
        return false;
    }
    if (!level.first) {
        if (i_ >= s_.size() || s_[i_] != ',') return malformed("expected ',' or ']'");
        ++i_;
    }
    level.first = false;
    return true;
}

result<void> Pull::scan_string(std::string& out) {
    ++i_;  // the opening quote
    const auto* p = reinterpret_cast<const unsigned char*>(s_.data());
    const std::size_t n = s_.size();
    std::size_t run = i_;
    while (i_ < n) {
        const unsigned char c = p[i_];
        if (c == '"') {
            out.append(s_.data() + run, i_ - run);
            ++i_;
            return ok();
        }
        if (c < 0x20) return malformed("a control character in a string");
        if (c < 0x80) {
            if (c != '\\') {
                ++i_;
                continue;
            }
            out.append(s_.data() + run, i_ - run);
            if (i_ + 1 >= n) return malformed("an unfinished escape");
            const char e = s_[i_ + 1];
            i_ += 2;
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    auto u16 = [&](std::uint32_t& v) {
                        if (i_ + 4 > n) return false;
                        v = 0;
                        for (int k = 0; k < 4; ++k) {
                            const int h = hex(s_[i_ + static_cast<std::size_t>(k)]);
                            if (h < 0) return false;
                            v = v * 16 + static_cast<std::uint32_t>(h);
                        }
                        i_ += 4;
                        return true;
                    };
                    std::uint32_t cp = 0;
                    if (!u16(cp)) return malformed("a bad \\u escape");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
                        std::uint32_t lo = 0;
                        if (i_ + 2 > n || s_[i_] != '\\' || s_[i_ + 1] != 'u') return malformed("a lone surrogate");
                        i_ += 2;
                        if (!u16(lo) || lo < 0xDC00 || lo > 0xDFFF) return malformed("a lone surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return malformed("a lone surrogate");
                    }
                    text::append_utf8(out, cp);
                    break;
                }
                default: return malformed("an unknown escape");
            }
            run = i_;
            continue;
        }
        const std::size_t len = utf8_length(p + i_, n - i_);
        if (!len) return malformed("ill-formed UTF-8");
        i_ += len;
    }
    return malformed("an unterminated string");
}

result<std::string_view> Pull::scan_number() {
    const std::size_t start = i_;
    const std::size_t n = s_.size();
    auto digits = [&] {
        const std::size_t from = i_;
        while (i_ < n && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        return i_ > from;
    };
    if (i_ < n && s_[i_] == '-') ++i_;
    if (i_ < n && s_[i_] == '0') ++i_;
    else if (!digits()) return malformed("a bad number");
    if (i_ < n && s_[i_] == '.') {
        ++i_;
        if (!digits()) return malformed("a bad number");
    }
    if (i_ < n && (s_[i_] == 'e' || s_[i_] == 'E')) {
        ++i_;
        if (i_ < n && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
        if (!digits()) return malformed("a bad number");
    }
    return s_.substr(start, i_ - start);
}

result<void> Pull::string(const std::string& field, std::string& out) {
    if (peek() != Kind::string) return invalid(field, "must be a string");
    out.clear();
    return scan_string(out);
}

result<std::int64_t> Pull::integer(const std::string& field) {
    if (peek() != Kind::number) return invalid(field, "must be an integer");
    CRM_TRY(auto text, scan_number());
    if (text.find_first_of(".eE") != std::string_view::npos) return invalid(field, "must be an integer");
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return invalid(field, fmt::format("{} is out of the 64-bit integer range", text));
    return v;
}

result<std::string> Pull::number_text(const std::string& field) {
    if (peek() != Kind::number) return invalid(field, "must be a number");
    CRM_TRY(auto text, scan_number());
    return std::string(text);
}

result<bool> Pull::boolean(const std::string& field) {
    if (peek() == Kind::boolean) {
        if (literal("true")) return true;
        if (literal("false")) return false;
        return malformed("a bad literal");
    }
    return invalid(field, "must be true or false");
}

bool Pull::null() {
    if (peek() != Kind::null) return false;
    return literal("null");
}

result<void> Pull::skip(const std::string& field) {
    switch (peek()) {
        case Kind::object: {
            CRM_TRYV(begin_object(field));
            std::string k;
            for (;;) {
                CRM_TRY(bool more, next_key(k));
                if (!more) return ok();
                CRM_TRYV(skip(field));
            }
        }
        case Kind::array: {
            CRM_TRYV(begin_array(field));
            for (;;) {
                CRM_TRY(bool more, next_element());
                if (!more) return ok();
                CRM_TRYV(skip(field));
            }
        }
        case Kind::string: {
            std::string tmp;
            return scan_string(tmp);
        }
        case Kind::number: {
            CRM_TRY(auto t, scan_number());
            (void)t;
            return ok();
        }
        case Kind::boolean: {
            CRM_TRY(bool b, boolean(field));
            (void)b;
            return ok();
        }
        case Kind::null:
            if (null()) return ok();
            return malformed("a bad literal");
        default: return malformed("expected a value");
    }
}

result<void> Pull::finish() {
    ws();
    if (i_ != s_.size()) return malformed("text after the document");
    return ok();
}

}  // namespace crm::json
