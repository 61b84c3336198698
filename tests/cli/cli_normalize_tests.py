"""CLI tests of crm normalize (MISSION D3): each normalisation, formats, refusals."""
from harness import *  # noqa: F401,F403


@test
def test_normalize_values(env):
    # No database is needed (or created).
    rows = env.ok("--json", "normalize", "phone", "03-1234-5678", "０９０－１２３４－５６７８", "+1 650 253 0000").json()
    eq([r["normalized"] for r in rows], ["+81312345678", "+819012345678", "+16502530000"], "E.164")
    eq(rows[1]["value"], "０９０－１２３４－５６７８", "the value as given")
    check(not os.path.exists(env.db), "no database created")
    eq(env.ok("--json", "normalize", "phone", "(650) 253-0000", "--region", "US").json()[0]["normalized"],
       "+16502530000", "--region")
    eq(env.ok("--json", "normalize", "email", " Taro@EXAMPLE.jp ", "info@XN--R8JZ45G.jp").json(),
       [{"value": " Taro@EXAMPLE.jp ", "normalized": "taro@example.jp"},
        {"value": "info@XN--R8JZ45G.jp", "normalized": "info@例え.jp"}], "email")
    keys = [r["normalized"] for r in env.ok("--json", "normalize", "company", "㈱ミライクラウド", "ミライクラウド株式会社",
                                            "（株）ﾐﾗｲｸﾗｳﾄﾞ").json()]
    eq(len(set(keys)), 1, f"one company: {keys}")
    eq(env.ok("--json", "normalize", "kana", "やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ").json()[0]["normalized"], "ヤマダタロウ", "kana")
    eq(env.ok("--json", "normalize", "text", "ＡＢＣ　ｶﾅ").json()[0]["normalized"], "ABC カナ", "text")
    eq(env.ok("--json", "normalize", "fold", "Taro YAMADA").json()[0]["normalized"], "taroyamada", "fold")
    # table and CSV
    out = env.ok("normalize", "phone", "03-1234-5678").out
    check("+81312345678" in out and "normalized" in out, out)
    eq(env.ok("--csv", "normalize", "fold", "A B").out, "value,normalized\r\nA B,ab\r\n", "csv (RFC 4180 line ends)")


@test
def test_normalize_refusals(env):
    env.fails(EXIT_INVALID, "normalize", "phone", "03-1234-5678", "abc", contains="'abc' is not a phone number")
    env.fails(EXIT_INVALID, "normalize", "email", "taro@", contains="not an email address")
    env.fails(EXIT_INVALID, "normalize", "phone", "03-1234-5678", "--region", "XX", contains="region")
    env.fails(EXIT_USAGE, "normalize", "phone")
    env.fails(EXIT_USAGE, "normalize", "soundex", "x")
    env.fails(EXIT_USAGE, "normalize")
    r = env.run("normalize", "text", b"\xff\xfe")
    check(r.code in (EXIT_USAGE, EXIT_INVALID) and r.out == "", r)
