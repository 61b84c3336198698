// Normalisation of typed text (crm/normalize.hpp): ICU for Unicode (NFKC, case
// folding, UTS #46), libphonenumber for phone numbers; the kana and legal-form rules
// are ours (docs/normalize.md).
#include "crm/normalize.hpp"

#include <unicode/idna.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <phonenumbers/phonenumberutil.h>

#include <fmt/format.h>

#include <array>
#include <set>

#include "util/text.hpp"

namespace crm::normalize {

namespace {

constexpr std::size_t kMaxInput = 64 * 1024;

error invalid(std::string message) { return make_error(errc::invalid_argument, std::move(message), "value"); }

// What ICU gives, once per process (the instances are immutable and thread-safe).
struct Icu {
    const icu::Normalizer2* nfkc = nullptr;
    const icu::Normalizer2* nfkc_cf = nullptr;
    icu::IDNA* uts46 = nullptr;
};

const Icu& icu_instances() {
    static const Icu icu = [] {
        Icu x;
        UErrorCode st = U_ZERO_ERROR;
        x.nfkc = icu::Normalizer2::getNFKCInstance(st);
        st = U_ZERO_ERROR;
        x.nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(st);
        st = U_ZERO_ERROR;
        x.uts46 = icu::IDNA::createUTS46Instance(
            UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ,
            st);
        if (U_FAILURE(st)) x.uts46 = nullptr;
        return x;
    }();
    return icu;
}

icu::UnicodeString ustr(std::string_view s) {
    if (s.size() > kMaxInput) s = s.substr(0, kMaxInput);
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
}

std::string utf8(const icu::UnicodeString& u) {
    std::string out;
    u.toUTF8String(out);
    return out;
}

icu::UnicodeString apply(const icu::Normalizer2* n, const icu::UnicodeString& in) {
    if (!n) return in;
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString out = n->normalize(in, st);
    return U_FAILURE(st) ? in : out;
}

bool is_space(UChar32 c) { return u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B; }

// Hiragana (U+3041..U+3096, ゝゞ) as katakana: the same letters 0x60 further.
UChar32 to_katakana(UChar32 c) {
    if ((c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E) return c + 0x60;
    return c;
}

// fold(): letters, digits and marks kept (marks: the dakuten of a decomposed kana were
// composed by NFKC already), the rest (spaces, punctuation, symbols) dropped.
bool keep_in_key(UChar32 c) {
    const std::int32_t cat = u_charType(c);
    switch (cat) {
        case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER: case U_MODIFIER_LETTER:
        case U_OTHER_LETTER: case U_DECIMAL_DIGIT_NUMBER: case U_LETTER_NUMBER: case U_OTHER_NUMBER:
        case U_NON_SPACING_MARK: case U_COMBINING_SPACING_MARK: case U_ENCLOSING_MARK:
            return true;
        default:
            return c == 0x30FC;  // ー (the long-vowel mark is a letter here: ミラー ≠ ミラ)
    }
}

std::string key_of(const icu::UnicodeString& folded) {
    icu::UnicodeString out;
    for (std::int32_t i = 0; i < folded.length();) {
        const UChar32 c = folded.char32At(i);
        i += U16_LENGTH(c);
        if (keep_in_key(c)) out.append(to_katakana(c));
    }
    return utf8(out);
}

// Japanese legal forms, after NFKC case folding (㈱ → (株), full-width parentheses →
// ASCII). Longest first, so 特定非営利活動法人 goes before 法人 forms it contains.
constexpr std::array<std::string_view, 30> kJapaneseForms = {
    "特定非営利活動法人", "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人", "社会福祉法人",
    "独立行政法人", "国立大学法人", "株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
    "相互会社", "社団法人", "財団法人", "医療法人", "学校法人", "宗教法人", "npo法人",
    "(一社)", "(一財)", "(株)", "(有)", "(同)", "(資)", "(名)", "(社)", "(財)", "(代)"};

// Latin legal forms as word sequences (after folding, '.', ',' and '&' are word breaks).
const std::vector<std::vector<std::string_view>>& latin_forms() {
    static const std::vector<std::vector<std::string_view>> forms = {
        {"co", "ltd"}, {"company", "limited"}, {"pte", "ltd"}, {"pty", "ltd"}, {"sdn", "bhd"}, {"k", "k"}, {"g", "k"},
        {"l", "l", "c"}, {"s", "a"}, {"s", "p", "a"}, {"b", "v"}, {"n", "v"}, {"ltd"}, {"limited"}, {"inc"},
        {"incorporated"}, {"corp"}, {"corporation"}, {"co"}, {"company"}, {"llc"}, {"llp"}, {"lp"}, {"kk"}, {"gk"},
        {"gmbh"}, {"ag"}, {"kg"}, {"plc"}, {"sa"}, {"sas"}, {"sarl"}, {"spa"}, {"srl"}, {"bv"}, {"nv"},
        {"oy"}, {"ab"}, {"as"}, {"pty"}, {"pte"}};
    return forms;
}

bool is_word_char(UChar32 c) { return keep_in_key(c); }

// Splits into words (runs of kept characters), remembering the non-word text between.
struct Words {
    std::vector<icu::UnicodeString> words;
};

Words words_of(const icu::UnicodeString& s) {
    Words w;
    icu::UnicodeString cur;
    for (std::int32_t i = 0; i < s.length();) {
        const UChar32 c = s.char32At(i);
        i += U16_LENGTH(c);
        if (is_word_char(c)) {
            cur.append(c);
        } else if (!cur.isEmpty()) {
            w.words.push_back(cur);
            cur.remove();
        }
    }
    if (!cur.isEmpty()) w.words.push_back(cur);
    return w;
}

bool word_is(const icu::UnicodeString& w, std::string_view ascii) {
    if (w.length() != static_cast<std::int32_t>(ascii.size())) return false;
    for (std::int32_t i = 0; i < w.length(); ++i)
        if (w.charAt(i) != static_cast<char16_t>(ascii[static_cast<std::size_t>(i)])) return false;
    return true;
}

// Removes Latin legal forms as whole word sequences at the start or the end.
void strip_latin_forms(std::vector<icu::UnicodeString>& words) {
    for (int round = 0; round < 4 && words.size() > 1; ++round) {
        bool changed = false;
        for (const auto& form : latin_forms()) {
            const std::size_t n = form.size();
            if (words.size() <= n) continue;
            bool tail = true, head = true;
            for (std::size_t k = 0; k < n; ++k) {
                tail = tail && word_is(words[words.size() - n + k], form[k]);
                head = head && word_is(words[k], form[k]);
            }
            if (tail) {
                words.resize(words.size() - n);
                changed = true;
                break;
            }
            if (head && n >= 2) {  // "K.K. Mirai" is rare but "co" at the start is a name ("Co-op")
                words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(n));
                changed = true;
                break;
            }
        }
        if (!changed) break;
    }
}

// Removes Japanese legal forms wherever they stand (前株, 後株, or in between for
// "ミライ株式会社東京支店"), keeping the name if nothing else would remain.
icu::UnicodeString strip_japanese_forms(icu::UnicodeString s) {
    for (int round = 0; round < 4; ++round) {
        bool changed = false;
        for (auto form : kJapaneseForms) {
            const icu::UnicodeString f = ustr(form);
            const std::int32_t at = s.indexOf(f);
            if (at < 0) continue;
            icu::UnicodeString rest = s;
            rest.remove(at, f.length());
            if (key_of(rest).empty()) continue;  // the name is only a legal form
            s = rest;
            changed = true;
        }
        if (!changed) break;
    }
    return s;
}

std::string cut(std::string_view s) { return std::string(s.substr(0, std::min(s.size(), kMaxInput))); }

}  // namespace

std::string text(std::string_view in) noexcept {
    try {
        const icu::UnicodeString n = apply(icu_instances().nfkc, ustr(in));
        icu::UnicodeString out;
        bool space = false;
        for (std::int32_t i = 0; i < n.length();) {
            const UChar32 c = n.char32At(i);
            i += U16_LENGTH(c);
            if (is_space(c)) {
                space = !out.isEmpty();
                continue;
            }
            if (u_iscntrl(c)) continue;
            if (space) out.append(static_cast<char16_t>(u' '));
            space = false;
            out.append(c);
        }
        return utf8(out);
    } catch (...) {
        return cut(in);
    }
}

std::string fold(std::string_view in) noexcept {
    try {
        return key_of(apply(icu_instances().nfkc_cf, ustr(in)));
    } catch (...) {
        return cut(in);
    }
}

std::string kana(std::string_view in) noexcept {
    try {
        const icu::UnicodeString n = apply(icu_instances().nfkc, ustr(in));
        icu::UnicodeString out;
        for (std::int32_t i = 0; i < n.length();) {
            const UChar32 c = n.char32At(i);
            i += U16_LENGTH(c);
            if (is_space(c) || c == 0x30FB || c == 0xFF65 || u_iscntrl(c)) continue;  // ・
            out.append(to_katakana(c));
        }
        return utf8(out);
    } catch (...) {
        return cut(in);
    }
}

std::string company(std::string_view in) noexcept {
    try {
        const icu::UnicodeString folded = apply(icu_instances().nfkc_cf, ustr(in));
        icu::UnicodeString s = strip_japanese_forms(folded);
        auto w = words_of(s);
        strip_latin_forms(w.words);
        icu::UnicodeString joined;
        for (const auto& x : w.words) joined.append(x);
        std::string key = key_of(joined);
        return key.empty() ? key_of(folded) : key;
    } catch (...) {
        return cut(in);
    }
}

result<std::string> email(std::string_view in) noexcept {
    try {
        if (in.size() > 1024) return invalid("an email address is at most 1024 bytes before normalisation");
        if (!::crm::text::valid_utf8(in)) return invalid("the email address is not valid UTF-8");
        const auto& icu = icu_instances();
        const std::string s = text(in);  // NFKC, trimmed
        const std::size_t at = s.rfind('@');
        if (at == std::string::npos || at == 0 || at + 1 >= s.size())
            return invalid(fmt::format("'{}' is not an email address (local@domain)", s));
        if (s.find('@') != at) return invalid(fmt::format("'{}' has more than one '@'", s));
        for (unsigned char c : s)
            if (c <= 0x20 || c == 0x7F || c == ',' || c == ';' || c == '<' || c == '>' || c == '"' || c == '(' ||
                c == ')' || c == '[' || c == ']' || c == '\\')
                return invalid(fmt::format("'{}' is not an email address (bad character)", s));
        std::string local = utf8(apply(icu.nfkc_cf, ustr(s.substr(0, at))));
        if (local.size() > 64) return invalid(fmt::format("'{}': the part before '@' is longer than 64 bytes", s));
        if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos)
            return invalid(fmt::format("'{}' is not an email address (dots in the local part)", s));
        const std::string domain_in = s.substr(at + 1);
        if (!icu.uts46) return make_error(errc::internal, "ICU's UTS #46 is not available");
        // The domain as UTS #46 maps it, in Unicode: 例え.JP, xn--r8jz45g.jp and 例え.jp are one domain.
        std::string ascii, uni;
        icu::StringByteSink<std::string> ascii_sink(&ascii), uni_sink(&uni);
        icu::IDNAInfo info1, info2;
        UErrorCode st = U_ZERO_ERROR;
        icu.uts46->nameToASCII_UTF8(icu::StringPiece(domain_in), ascii_sink, info1, st);
        if (U_FAILURE(st) || info1.hasErrors())
            return invalid(fmt::format("'{}' has no valid domain (IDNA)", s));
        icu.uts46->nameToUnicodeUTF8(icu::StringPiece(ascii), uni_sink, info2, st);
        if (U_FAILURE(st) || info2.hasErrors()) return invalid(fmt::format("'{}' has no valid domain (IDNA)", s));
        if (ascii.size() > 253 || ascii.find('.') == std::string::npos || ascii.front() == '.' || ascii.back() == '.')
            return invalid(fmt::format("'{}' has no valid domain", s));
        std::string out = local + "@" + uni;
        if (local.size() + 1 + ascii.size() > 254)
            return invalid(fmt::format("'{}' is longer than 254 bytes", s));
        return out;
    } catch (const std::bad_alloc&) {
        return make_error(errc::internal, "out of memory");
    } catch (...) {
        return make_error(errc::internal, "email normalisation failed");
    }
}

result<std::string> phone(std::string_view in, std::string_view region) noexcept {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    try {
        if (in.size() > 256) return invalid("a phone number is at most 256 bytes");
        if (!::crm::text::valid_utf8(in)) return invalid("the phone number is not valid UTF-8");
        std::string reg(region);
        for (auto& c : reg) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
        auto* util = PhoneNumberUtil::GetInstance();
        static const std::set<std::string> regions = [util] {
            std::set<std::string> r;
            util->GetSupportedRegions(&r);
            return r;
        }();
        if (!regions.contains(reg))
            return make_error(errc::invalid_argument, fmt::format("'{}' is not a region code (ISO 3166 alpha-2, JP)",
                                                                  std::string(region)), "region");
        // NFKC first: full-width digits, hyphens and parentheses as ASCII; 内線 as an extension mark.
        std::string s = text(in);
        for (std::string_view ext : {"内線", "内"})
            if (auto p = s.find(ext); p != std::string::npos) s = s.substr(0, p) + " ext. " + s.substr(p + ext.size());
        if (s.empty()) return invalid("the phone number is empty");
        PhoneNumber n;
        if (util->Parse(s, reg, &n) != PhoneNumberUtil::NO_PARSING_ERROR)
            return invalid(fmt::format("'{}' is not a phone number", s));
        if (!util->IsPossibleNumber(n))
            return invalid(fmt::format("'{}' is not a possible phone number in {}", s,
                                       n.has_country_code() ? fmt::format("+{}", n.country_code()) : reg));
        n.clear_extension();
        std::string out;
        util->Format(n, PhoneNumberUtil::E164, &out);
        return out;
    } catch (const std::bad_alloc&) {
        return make_error(errc::internal, "out of memory");
    } catch (...) {
        return make_error(errc::internal, "phone normalisation failed");
    }
}

}  // namespace crm::normalize
