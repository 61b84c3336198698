// Company names as a matching key (account.name in a form): the same company
// written "株式会社サンプル", "(株)サンプル", "㈱ｻﾝﾌﾟﾙ" or "サンプル 株式会社" gets
// one key. No ICU: the folding below is the part of NFKC that matters for company
// names typed into Japanese forms, plus the legal forms. docs/forms.md lists
// what is not matched.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crm/forms.hpp"
#include "util/text.hpp"

namespace crm {

namespace {

std::vector<char32_t> decode(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + static_cast<std::size_t>(n) > s.size()) {  // not UTF-8: kept as U+FFFD
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    return out;
}

// Half-width katakana U+FF66..U+FF9D as full-width (NFKC).
constexpr char32_t kHalfKana[] = {
    0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3,  // ｦｧｨｩｪｫｬｭｮｯ
    0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1,  // ｰｱｲｳｴｵｶｷｸｹ
    0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6,  // ｺｻｼｽｾｿﾀﾁﾂﾃ
    0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8,  // ﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍ
    0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9,  // ﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗ
    0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3,                                  // ﾘﾙﾚﾛﾜﾝ
};

bool voiceable(char32_t k) {  // カ..ト, ハ..ホ, ウ: take a dakuten
    return (k >= 0x30AB && k <= 0x30C8) || (k >= 0x30CF && k <= 0x30DB) || k == 0x30A6;
}

// Width folding: full-width ASCII and space, half-width katakana (with their
// voiced marks), the parenthesised ㈱ / ㈲ and ㍿; ASCII lower-cased.
std::vector<char32_t> fold(const std::vector<char32_t>& in) {
    std::vector<char32_t> out;
    out.reserve(in.size());
    auto put_str = [&](std::u32string_view s) { out.insert(out.end(), s.begin(), s.end()); };
    for (char32_t c : in) {
        if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
        else if (c == 0x3000) c = ' ';
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        if (c >= 0xFF66 && c <= 0xFF9D) {
            out.push_back(kHalfKana[c - 0xFF66]);
            continue;
        }
        if (c == 0xFF9E || c == 0xFF9F) {  // ﾞ ﾟ after a half-width kana
            if (!out.empty()) {
                char32_t& k = out.back();
                if (c == 0xFF9E && voiceable(k)) { k = k == 0x30A6 ? 0x30F4 : k + 1; continue; }
                if (c == 0xFF9F && k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0) { k += 2; continue; }
            }
            out.push_back(c == 0xFF9E ? 0x309B : 0x309C);
            continue;
        }
        if (c == 0xFF61) c = 0x3002;       // ｡
        else if (c == 0xFF62) c = 0x300C;  // ｢
        else if (c == 0xFF63) c = 0x300D;  // ｣
        else if (c == 0xFF64) c = 0x3001;  // ､
        else if (c == 0xFF65) c = 0x30FB;  // ･
        if (c == 0x3231) { put_str(U"(株)"); continue; }
        if (c == 0x3232) { put_str(U"(有)"); continue; }
        if (c == 0x3239) { put_str(U"(代)"); continue; }
        if (c == 0x337F) { put_str(U"株式会社"); continue; }
        out.push_back(c);
    }
    return out;
}

// Legal forms, left out wherever they stand (前株 and 後株 are one company to a form).
constexpr std::u32string_view kJapaneseForms[] = {
    U"株式会社", U"(株)", U"有限会社", U"(有)", U"合同会社", U"(同)", U"合資会社", U"(資)",
    U"合名会社", U"(名)", U"一般社団法人", U"(一社)", U"一般財団法人", U"(一財)",
};
// ... and at the end of a name written in Latin letters (after lower-casing).
constexpr std::u32string_view kLatinForms[] = {
    U"co.,ltd.", U"co.,ltd", U"co.ltd.", U"co.ltd", U"co., ltd.", U"co., ltd", U"company limited", U"limited",
    U"ltd.", U"ltd", U"inc.", U"inc", U"corporation", U"corp.", U"corp", U"k.k.", U"kk", U"llc", U"g.k.",
};

bool is_space_or_punct(char32_t c) {
    return c == ' ' || c == '\t' || c == ',' || c == '.' || c == 0x30FB /* ・ */ || c == 0x3001 || c == 0x3002 ||
           c == '-' || c == 0x2010 || c == 0x2212;
}

}  // namespace

std::string company_match_key(std::string_view name) {
    std::u32string s;
    {
        auto folded = fold(decode(name));
        s.assign(folded.begin(), folded.end());
    }
    const std::u32string whole = s;
    for (auto form : kJapaneseForms)
        for (auto at = s.find(form); at != std::u32string::npos; at = s.find(form)) s.erase(at, form.size());
    // Trailing Latin forms, after trailing spaces and commas.
    for (bool again = true; again;) {
        again = false;
        while (!s.empty() && (s.back() == ' ' || s.back() == ',')) s.pop_back();
        for (auto form : kLatinForms)
            if (s.size() > form.size() && s.compare(s.size() - form.size(), form.size(), form) == 0) {
                s.erase(s.size() - form.size());
                again = true;
                break;
            }
    }
    std::u32string key;
    for (char32_t c : s)
        if (!is_space_or_punct(c)) key += c;
    if (key.empty())  // the name was only a legal form: keep it whole
        for (char32_t c : whole)
            if (!is_space_or_punct(c)) key += c;
    std::string out;
    for (char32_t c : key) text::append_utf8(out, static_cast<std::uint32_t>(c));
    return out;
}

}  // namespace crm
