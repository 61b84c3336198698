// Form field patterns: a small glob, matched without recursion and without
// backtracking beyond the last '*' — time at most (value length x pattern length),
// both bounded (65536 characters x 256 bytes). No regular expressions on caller text.
//
//   ?       any one character        #   one digit (0-9 or full-width ０-９)
//   *       any run of characters    @   one ASCII letter
//   [a-z0-9ー]  one character of the set (ranges allowed); [^…] one not in it
//   \x      the character x itself
#include <fmt/format.h>

#include "forms/forms_internal.hpp"

namespace crm::forms {

namespace {

// UTF-8 to code points; the text was checked to be valid UTF-8.
std::u32string decode(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += n;
    }
    return out;
}

bool token_matches(const PatternToken& t, char32_t c) {
    switch (t.kind) {
        case PatternToken::literal: return c == t.ch;
        case PatternToken::any: return true;
        case PatternToken::digit: return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
        case PatternToken::letter: return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        case PatternToken::set: {
            bool in = false;
            for (const auto& [lo, hi] : t.ranges) in = in || (c >= lo && c <= hi);
            return in != t.negate;
        }
        case PatternToken::star: return true;
    }
    return false;
}

}  // namespace

result<std::vector<PatternToken>> compile_pattern(std::string_view pattern, const std::string& path) {
    const std::u32string p = decode(pattern);
    std::vector<PatternToken> out;
    for (std::size_t i = 0; i < p.size(); ++i) {
        PatternToken t;
        switch (p[i]) {
            case '?': t.kind = PatternToken::any; break;
            case '*':
                if (!out.empty() && out.back().kind == PatternToken::star) continue;  // ** is *
                t.kind = PatternToken::star;
                break;
            case '#': t.kind = PatternToken::digit; break;
            case '@': t.kind = PatternToken::letter; break;
            case '\\':
                if (i + 1 >= p.size()) return invalid(path, "ends with '\\' (escape what?)");
                t.ch = p[++i];
                break;
            case '[': {
                t.kind = PatternToken::set;
                std::size_t j = i + 1;
                if (j < p.size() && p[j] == '^') t.negate = true, ++j;
                bool closed = false;
                for (; j < p.size(); ++j) {
                    if (p[j] == ']' && !t.ranges.empty()) { closed = true; break; }
                    char32_t lo = p[j];
                    if (lo == '\\' && j + 1 < p.size()) lo = p[++j];
                    char32_t hi = lo;
                    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
                        hi = p[j + 2];
                        j += 2;
                        if (hi < lo) return invalid(path, "has a range whose end comes before its start");
                    }
                    t.ranges.emplace_back(lo, hi);
                }
                if (!closed) return invalid(path, "has a '[' set that is not closed with ']'");
                i = j;
                break;
            }
            default: t.ch = p[i]; break;
        }
        out.push_back(std::move(t));
    }
    return out;
}

bool pattern_matches(const std::vector<PatternToken>& pat, std::string_view value) {
    const std::u32string v = decode(value);
    std::size_t i = 0, k = 0;                      // position in the value, in the pattern
    std::size_t star = SIZE_MAX, resume = 0;       // the last '*' seen, and where its run ends
    while (i < v.size()) {
        if (k < pat.size() && pat[k].kind == PatternToken::star) {
            star = k++;
            resume = i;
        } else if (k < pat.size() && token_matches(pat[k], v[i])) {
            ++i;
            ++k;
        } else if (star != SIZE_MAX) {  // let the last '*' take one more character
            k = star + 1;
            i = ++resume;
        } else {
            return false;
        }
    }
    while (k < pat.size() && pat[k].kind == PatternToken::star) ++k;
    return k == pat.size();
}

}  // namespace crm::forms
