// crm/normalize.hpp — what people type, made comparable (MISSION D3).
//
//   crm::normalize::email(" Taro.Yamada@ＥＸＡＭＰＬＥ.co.jp ")   → "taro.yamada@example.co.jp"
//   crm::normalize::email("info@例え.jp")                        → "info@xn--r8jz45g.jp"
//   crm::normalize::phone("０３-１２３４-５６７８")               → "+81312345678"
//   crm::normalize::phone("+1 (650) 253-0000")                   → "+16502530000"
//   crm::normalize::text("ｶﾌﾞｼｷｶﾞｲｼｬ　ＡＢＣ")                   → "カブシキガイシャ ABC"
//   crm::normalize::kana("やまだ　たろう") == crm::normalize::kana("ﾔﾏﾀﾞ ﾀﾛｳ")  // "ヤマダタロウ"
//   crm::normalize::company("㈱ミライ・クラウド") == crm::normalize::company("ミライクラウド株式会社")
//   crm::normalize::company("Mirai Cloud Co., Ltd.") == crm::normalize::company("MIRAI CLOUD K.K.")
//
// Unicode work is ICU's (NFKC, case folding, UTS #46 for internationalised domain
// names); phone numbers are libphonenumber's. Every function takes any bytes: text that
// is not UTF-8 is refused (the result<> ones) or has each bad byte replaced by U+FFFD.
// Inputs longer than 64 KiB are refused or cut there. The rules and what they do not
// cover: docs/normalize.md.
#pragma once

#include <string>
#include <string_view>

#include "crm/error.hpp"

namespace crm::normalize {

// An address as a matching key: trimmed, NFKC, lower case, the domain in ASCII (IDN →
// "xn--…" by UTS #46). errc::invalid_argument when it is not one local@domain address.
result<std::string> email(std::string_view text) noexcept;

// A phone number in E.164 ("+81312345678"). Numbers without a country code are read in
// `default_region` (ISO 3166 alpha-2, "JP"); full-width digits and separators are fine,
// an extension ("内線 12", "ext. 12") is dropped. errc::invalid_argument when it is not a
// possible number of its region, or the region is unknown.
result<std::string> phone(std::string_view text, std::string_view default_region = "JP") noexcept;

// Display text tidied: NFKC (full-width ASCII and half-width katakana to their usual
// forms, ㈱ to (株)), trimmed, every run of white space (U+3000 included) one space.
std::string text(std::string_view text) noexcept;

// A matching key for names: NFKC with case folding, hiragana as katakana, with white
// space, punctuation and symbols removed. "Yamada, Taro" and "yamada taro" differ from
// "Taro Yamada" (word order is kept).
std::string fold(std::string_view text) noexcept;

// A reading as a matching key: NFKC, hiragana as katakana, without spaces or ・.
std::string kana(std::string_view text) noexcept;

// A company name as a matching key: its legal form removed wherever it stands
// (株式会社, (株), ㈱, 有限会社, 合同会社, 一般社団法人 …, K.K., Co., Ltd., Inc., Corp.,
// LLC, GmbH, AG, PLC, S.A. …), then fold(). A name that is only a legal form keeps it.
std::string company(std::string_view text) noexcept;

}  // namespace crm::normalize
