// The segment language's parser: every construct, every error with its position,
// the depth and size bounds, Japanese literals, quotes and escapes.
#include <catch2/catch.hpp>

#include "segments/ast.hpp"

using namespace crm::segments;

namespace {

Node ok(const std::string& text) {
    auto r = parse(text);
    INFO(text << " -> " << r.issue.line << ":" << r.issue.column << ": " << r.issue.message);
    REQUIRE(r.parsed);
    return r.parsed->root;
}

crm::SegmentIssue bad(const std::string& text) {
    auto r = parse(text);
    INFO(text);
    REQUIRE_FALSE(r.parsed);
    return r.issue;
}

}  // namespace

TEST_CASE("segments parser: attribute predicates", "[segments]") {
    auto n = ok("lifecycle_stage = 'mql'");
    CHECK(n.type == Node::Type::attr);
    CHECK(n.field == "lifecycle_stage");
    CHECK(n.cmp == Cmp::eq);
    REQUIRE(n.values.size() == 1);
    CHECK(n.values[0].text == "mql");

    n = ok("account.industry in ('製造業', '小売')");
    CHECK(n.on_account);
    CHECK(n.field == "industry");
    CHECK(n.op == AttrOp::in);
    REQUIRE(n.values.size() == 2);
    CHECK(n.values[1].text == "小売");

    n = ok("tags has 'セミナー'");
    CHECK(n.op == AttrOp::has);
    CHECK(n.values[0].text == "セミナー");

    n = ok("custom.rank >= 3");
    CHECK(n.field == "custom.rank");
    CHECK(n.cmp == Cmp::ge);
    CHECK(n.values[0].kind == Value::Kind::number);
    CHECK(n.values[0].text == "3");

    CHECK(ok("birthday?").op == AttrOp::exists);
    CHECK(ok("birthday exists").op == AttrOp::exists);
    CHECK(ok("name contains '山田'").op == AttrOp::contains);
    CHECK(ok("name starts_with '山'").op == AttrOp::starts_with);
    CHECK(ok("custom.score < -2.5").values[0].text == "-2.5");
    CHECK(ok("consent.email = true").values[0].kind == Value::Kind::boolean);
    CHECK(ok("address.city != '大阪市'").cmp == Cmp::ne);
    CHECK(ok("x <> 1").cmp == Cmp::ne);
    CHECK(ok("x <= 1").cmp == Cmp::le);
    CHECK(ok("x > 1").cmp == Cmp::gt);
    CHECK(ok("x < 1").cmp == Cmp::lt);
}

TEST_CASE("segments parser: and, or, not, parentheses, precedence", "[segments]") {
    auto n = ok("a = 1 or b = 2 and not c = 3");
    REQUIRE(n.type == Node::Type::or_);
    REQUIRE(n.kids.size() == 2);
    CHECK(n.kids[0].field == "a");
    REQUIRE(n.kids[1].type == Node::Type::and_);
    CHECK(n.kids[1].kids[1].type == Node::Type::not_);
    n = ok("(a = 1 OR b = 2) AND c = 3");
    REQUIRE(n.type == Node::Type::and_);
    CHECK(n.kids[0].type == Node::Type::or_);
    n = ok("not not a?");
    CHECK(n.type == Node::Type::not_);
    CHECK(n.kids[0].type == Node::Type::not_);
    // comments and ideographic spaces are white space
    n = ok("a = 1\u3000and # 説明\n b = 2");
    CHECK(n.type == Node::Type::and_);
}

TEST_CASE("segments parser: behaviour predicates", "[segments]") {
    auto n = ok("count(email opened, last 30d) >= 2");
    REQUIRE(n.type == Node::Type::count);
    CHECK(n.kind == "email");
    CHECK(n.event == "opened");
    CHECK(n.window.kind == Window::Kind::last);
    CHECK(n.window.last_ms == 30 * kDayMs);
    CHECK(n.cmp == Cmp::ge);
    CHECK(n.number == 2);

    n = ok("count(web_visit, url like '*pricing*', direction = inbound, source = 'ga', last 2 weeks) > 0");
    CHECK(n.kind == "web_visit");
    CHECK(*n.url_glob == "*pricing*");
    CHECK(*n.direction == "inbound");
    CHECK(*n.source == "ga");
    CHECK(n.window.last_ms == 14 * kDayMs);

    n = ok("count(any, between '2026-04-01' and '2026-04-30', subject like '見積*', campaign = '秋の DX セミナー') = 0");
    CHECK(n.kind == "any");
    CHECK(n.window.kind == Window::Kind::between);
    CHECK(n.window.from == *crm::parse_iso8601("2026-04-01"));
    CHECK(n.window.to == *crm::parse_iso8601("2026-05-01"));  // a date as the end: the whole day
    CHECK(*n.subject_glob == "見積*");
    CHECK(*n.campaign == "秋の DX セミナー");
    CHECK(ok("count(call, last 12 hours) < 3").window.last_ms == 12 * kDayMs / 24);

    n = ok("deal(won, last 365d)");
    CHECK(n.type == Node::Type::deal);
    CHECK(n.status == "won");
    CHECK(n.window.last_ms == 365 * kDayMs);
    CHECK(ok("deal(open)").status == "open");

    n = ok("came_from('秋の DX セミナー')");
    CHECK(n.type == Node::Type::came_from);
    CHECK(n.values[0].text == "秋の DX セミナー");
}

TEST_CASE("segments parser: quotes and escapes", "[segments]") {
    CHECK(ok("name = 'it''s'").values[0].text == "it's");
    CHECK(ok("name = \"say \\\"hi\\\"\"").values[0].text == "say \"hi\"");
    CHECK(ok("name = 'a\\\\b\\n\\t\\''").values[0].text == "a\\b\n\t'");
    CHECK(ok("name = \"山田 '太郎'\"").values[0].text == "山田 '太郎'");
    auto e = bad("name = 'a\\qb'");
    CHECK(e.offset == 9);
    CHECK(e.message.find("unknown escape") != std::string::npos);
    e = bad("name = '山田");
    CHECK(e.offset == 7);
    CHECK(e.message.find("no closing") != std::string::npos);
}

TEST_CASE("segments parser: errors name the position and what was expected", "[segments]") {
    struct Case {
        const char* text;
        std::size_t line, column;
        const char* says;
    };
    const Case cases[] = {
        {"", 1, 1, "expected a predicate"},
        {"lifecycle_stage =", 1, 18, "expected a value"},
        {"lifecycle_stage = )", 1, 19, "expected a value"},
        {"lifecycle_stage 'mql'", 1, 17, "expected an operator"},
        {"a = 1 and", 1, 10, "expected a predicate"},
        {"a = 1 b = 2", 1, 7, "expected 'and', 'or' or the end"},
        {"(a = 1", 1, 7, "expected ')'"},
        {"a in ('x' 'y')", 1, 11, "',' or ')'"},
        {"a in 'x'", 1, 6, "'(' after 'in'"},
        {"a ! 1", 1, 3, "'!='"},
        {"a = 1 & b = 2", 1, 7, "unexpected character '&'"},
        {"名前 = 1", 1, 1, "unexpected character '名'"},
        {"a = 1 and\n  b =", 2, 6, "expected a value"},
        {"山田 = 1", 1, 1, "unexpected character"},
        {"name = '山田' and ?", 1, 17, "expected a predicate"},
        {"count(email opened, last 30x) >= 2", 1, 28, "expected a unit"},
        {"count(email opened, last 0d) >= 2", 1, 26, "a number of days"},
        {"count(email read) >= 2", 1, 13, "not an email event"},
        {"count(call opened) >= 2", 1, 12, "only email has events"},
        {"count(email, colour = 'red') > 1", 1, 14, "unknown clause 'colour'"},
        {"count(email, last 1d, last 2d) > 1", 1, 23, "one window"},
        {"count(email) >= x", 1, 17, "expected a count"},
        {"count(email) 2", 1, 14, "expected a comparison"},
        {"count(email, direction = sideways) > 1", 1, 26, "not a direction"},
        {"count(email, between '2026-05-01' and '2026-04-01') > 1", 1, 22, "ends before it starts"},
        {"count(email, between 'yesterday' and '2026-04-01') > 1", 1, 22, "not an ISO-8601"},
        {"count(email, subject '見積') > 1", 1, 22, "expected 'like'"},
        {"deal(pending)", 1, 6, "deal status"},
        {"deal(won, 365d)", 1, 11, "expected a window"},
        {"came_from(3)", 1, 11, "campaign name"},
        {"nurture(3)", 1, 1, "unknown function 'nurture'"},
        {"score(fit).grade > 'A'", 1, 18, "expected '=', '!=' or 'in' after 'grade'"},
        {"score('製品A').total >= 'x'", 1, 23, "expected a number of points"},
        {"score('製品A').total >= 1.2345", 1, 23, "at most three decimals"},
        {"score('製品A').rank = 'A'", 1, 14, "not a score output"},
        {"score().total > 1", 1, 7, "scoring model's name"},
        {"x = 99999999999999999999999999999999999999999", 1, 5, "at most 40"},
        {"count(email) >= 1000000001", 1, 17, "a count"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto e = bad(c.text);
        CHECK(e.line == c.line);
        CHECK(e.column == c.column);
        CHECK(e.message.find(c.says) != std::string::npos);
    }
    // columns count characters, offsets bytes
    auto e = bad("name = '山田' oops");
    CHECK(e.column == 13);
    CHECK(e.offset == std::string("name = '山田' ").size());
}

TEST_CASE("segments parser: bounds on depth, size and terms", "[segments]") {
    std::string deep(kMaxDepth - 1, '(');
    deep += "a = 1" + std::string(kMaxDepth - 1, ')');
    CHECK(parse(deep).parsed);
    std::string too_deep(kMaxDepth + 1, '(');
    too_deep += "a = 1" + std::string(kMaxDepth + 1, ')');
    auto e = bad(too_deep);
    CHECK(e.message.find("nest at most") != std::string::npos);
    CHECK(e.offset <= static_cast<std::size_t>(kMaxDepth + 1));
    // a million parentheses or nots: refused quickly, no stack overflow
    CHECK_FALSE(parse(std::string(kMaxText, '(')).parsed);
    std::string nots;
    for (int i = 0; i < 3000; ++i) nots += "not ";
    CHECK_FALSE(parse(nots + "a?").parsed);
    auto big = bad(std::string(kMaxText + 1, ' ') + "a?");
    CHECK(big.message.find("at most") != std::string::npos);
    std::string many = "a = 1";
    for (std::size_t i = 1; i < kMaxTerms; ++i) many += " or a = 1";
    CHECK(parse(many).parsed);
    e = bad(many + " or a = 1");
    CHECK(e.message.find("at most 64 predicates") != std::string::npos);
    std::string in = "a in (1";
    for (std::size_t i = 1; i < kMaxInValues + 1; ++i) in += ",1";
    CHECK(bad(in + ")").message.find("at most 256 values") != std::string::npos);
    CHECK(bad("a = '\xff'").message.find("UTF-8") != std::string::npos);
    CHECK(bad(std::string("a = 'x\0y'", 9)).message.find("NUL") != std::string::npos);
    CHECK(bad("count(email, subject like '" + std::string(300, '*') + "') > 1").message.find("at most 256") !=
          std::string::npos);
}

TEST_CASE("segments glob: star, question mark, case of ASCII letters", "[segments]") {
    CHECK(glob_match("*pricing*", "https://example.jp/Pricing/plan"));
    CHECK(glob_match("見積*", "見積書の送付"));
    CHECK_FALSE(glob_match("見積*", "ご見積"));
    CHECK(glob_match("a?c", "a漢c"));
    CHECK_FALSE(glob_match("a?c", "ac"));
    CHECK(glob_match("*", ""));
    CHECK(glob_match("**a**b**", "xxaxxbxx"));
    CHECK_FALSE(glob_match(std::string(200, '*') + "z", std::string(5000, 'a')));  // no blow-up
}
