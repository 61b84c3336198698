// crm::normalize (crm/normalize.hpp): e-mail, phone, text, kana and company keys,
// with the Japanese forms people really type, and hostile input.
#include <catch2/catch.hpp>

#include <string>

#include "crm/normalize.hpp"

using namespace crm;

TEST_CASE("normalize: e-mail addresses: case, white space, full width, IDN", "[normalize]") {
    CHECK(normalize::email(" Taro.Yamada@EXAMPLE.co.jp ").value() == "taro.yamada@example.co.jp");
    CHECK(normalize::email("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ").value() == "taro@example.jp");     // full width
    CHECK(normalize::email("\u3000info@example.jp\u3000").value() == "info@example.jp");  // ideographic spaces
    // The same internationalised domain, typed three ways, is one address (UTS #46).
    const auto idn = normalize::email("info@例え.jp").value();
    CHECK(idn == "info@例え.jp");
    CHECK(normalize::email("INFO@XN--R8JZ45G.JP").value() == idn);
    CHECK(normalize::email("info@例え．ＪＰ").value() == idn);
    CHECK(normalize::email("Straße@Example.DE").value() == "strasse@example.de");  // case folding

    for (const char* bad : {"", "   ", "taro", "@example.jp", "taro@", "a@b@example.jp", "taro@localhost", "ta ro@example.jp",
                            "taro@exa mple.jp", "taro@.example.jp", "taro@example..jp", ".taro@example.jp",
                            "ta..ro@example.jp", "<taro@example.jp>", "taro@-example-.jp"}) {
        auto r = normalize::email(bad);
        INFO(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_argument);
    }
    CHECK_FALSE(normalize::email(std::string("taro\xff@example.jp")));                  // not UTF-8
    const std::string long_local = std::string(65, 'a').append("@example.jp");
    CHECK_FALSE(normalize::email(long_local));                                          // local part > 64
    const std::string long_domain = std::string("a@").append(300, 'b').append(".jp");
    CHECK_FALSE(normalize::email(long_domain));                                         // too long
    CHECK_FALSE(normalize::email(std::string(1 << 20, 'a')));                           // 1 MiB: refused quickly
}

TEST_CASE("normalize: phone numbers to E.164 with a default region", "[normalize]") {
    CHECK(normalize::phone("03-1234-5678").value() == "+81312345678");
    CHECK(normalize::phone("(03) 1234-5678").value() == "+81312345678");
    CHECK(normalize::phone("０３－１２３４－５６７８").value() == "+81312345678");  // full width
    CHECK(normalize::phone("090-1234-5678").value() == "+819012345678");
    CHECK(normalize::phone("+81 90 1234 5678").value() == "+819012345678");
    CHECK(normalize::phone("0120-123-456").value() == "+81120123456");               // free dial
    CHECK(normalize::phone("03-1234-5678 内線 123").value() == "+81312345678");      // extension dropped
    CHECK(normalize::phone("+1 (650) 253-0000").value() == "+16502530000");
    CHECK(normalize::phone("(650) 253-0000", "US").value() == "+16502530000");
    CHECK(normalize::phone("(650) 253-0000", "us").value() == "+16502530000");
    CHECK(normalize::phone("020 7946 0958", "GB").value() == "+442079460958");

    for (const char* bad : {"", "abc", "12", "+", "03-1234-5678-9999-9999-9999", "電話番号"}) {
        auto r = normalize::phone(bad);
        INFO(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_argument);
    }
    auto region = normalize::phone("03-1234-5678", "XX");
    REQUIRE_FALSE(region);
    CHECK(region.error().field == "region");
    CHECK_FALSE(normalize::phone("03-1234-5678", "JPN"));
    CHECK_FALSE(normalize::phone(std::string(100000, '1')));
    CHECK_FALSE(normalize::phone(std::string("03\xfe")));
}

TEST_CASE("normalize: display text: NFKC, width, white space", "[normalize]") {
    CHECK(normalize::text("  ＡＢＣ　ｶﾌﾞｼｷｶﾞｲｼｬ  ") == "ABC カブシキガイシャ");
    CHECK(normalize::text("㈱ミライ") == "(株)ミライ");
    CHECK(normalize::text("a \t\n b") == "a b");
    CHECK(normalize::text("") == "");
    CHECK(normalize::text("１２３") == "123");
    CHECK(normalize::text(std::string("a\xff" "b")) == "a\xEF\xBF\xBD" "b");  // U+FFFD for a bad byte
}

TEST_CASE("normalize: matching keys for names and readings", "[normalize]") {
    CHECK(normalize::fold("Taro YAMADA") == normalize::fold("taro yamada"));
    CHECK(normalize::fold("山田　太郎") == normalize::fold("山田太郎"));
    CHECK(normalize::fold("ＹＡＭＡＤＡ") == "yamada");
    CHECK(normalize::fold("やまだ") == normalize::fold("ヤマダ"));
    CHECK(normalize::fold("O'Brien-Smith") == "obriensmith");
    CHECK(normalize::fold("Taro Yamada") != normalize::fold("Yamada Taro"));  // order is kept

    // Readings: hiragana, katakana and half-width katakana, with or without spaces and ・.
    const auto k = normalize::kana("ヤマダ タロウ");
    CHECK(k == "ヤマダタロウ");
    CHECK(normalize::kana("やまだ　たろう") == k);
    CHECK(normalize::kana("ﾔﾏﾀﾞ ﾀﾛｳ") == k);                 // half-width with a separate dakuten
    CHECK(normalize::kana("ヤマダ・タロウ") == k);
    CHECK(normalize::kana("ゆうこ") == "ユウコ");
    CHECK(normalize::kana("ミラー") == "ミラー");            // the long-vowel mark stays
}

TEST_CASE("normalize: company names without their legal form", "[normalize]") {
    const auto key = normalize::company("ミライクラウド株式会社");
    CHECK(key == normalize::fold("ミライクラウド"));
    for (const char* same : {"株式会社ミライクラウド", "(株)ミライクラウド", "㈱ミライクラウド", "ミライクラウド㈱",
                             "（株）ミライクラウド", "ﾐﾗｲｸﾗｳﾄﾞ株式会社", "ミライ・クラウド株式会社",
                             "ミライクラウド 株式会社", "株式会社 ミライクラウド"}) {
        INFO(same);
        CHECK(normalize::company(same) == key);
    }
    CHECK(normalize::company("有限会社ミライクラウド") == key);
    CHECK(normalize::company("ミライクラウド合同会社") == key);
    CHECK(normalize::company("一般社団法人ミライクラウド") == key);

    const auto en = normalize::company("Mirai Cloud Co., Ltd.");
    CHECK(en == "miraicloud");
    for (const char* same : {"MIRAI CLOUD CO.,LTD.", "Mirai Cloud K.K.", "Mirai Cloud KK", "Mirai Cloud Inc.",
                             "Mirai Cloud Corporation", "Mirai Cloud, Inc", "Mirai Cloud GmbH", "Mirai Cloud LLC",
                             "Mirai Cloud Ltd", "Mirai Cloud Co. Ltd.", "Ｍｉｒａｉ Ｃｌｏｕｄ Ｉｎｃ．"}) {
        INFO(same);
        CHECK(normalize::company(same) == en);
    }
    // A form inside a word is not a form; a name that is only a form keeps it.
    CHECK(normalize::company("Incubate Partners") == "incubatepartners");
    CHECK(normalize::company("Coinbase") == "coinbase");
    CHECK(normalize::company("株式会社") == normalize::fold("株式会社"));
    CHECK(normalize::company("Inc.") == "inc");
    CHECK(normalize::company("") == "");
    CHECK(normalize::company("ミライ") != normalize::company("ミライクラウド"));
}
