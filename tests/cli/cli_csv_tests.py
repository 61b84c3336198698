"""CLI tests of crm csv (issue 10: data in and out): inspect and convert, encodings, errors."""
import os

from harness import *  # noqa: F401,F403

# "会社,メモ\r\n㈱ミライ,"①髙ｱｶﾞ\n二行目"\r\n" as Excel in Japan writes it (CP932)
CP932 = "会社,メモ\r\n㈱ミライ,\"①髙ｱｶﾞ\n二行目\"\r\n".encode("cp932")


def write(env, name, data):
    path = os.path.join(env.dir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


@test
def test_csv_inspect(env):
    path = write(env, "sj.csv", CP932)
    doc = env.ok("--json", "csv", "inspect", path).json()
    eq(doc["encoding"], "cp932", "detected")
    eq(doc["delimiter"], ",", "delimiter")
    eq(doc["header"], ["会社", "メモ"], "header decoded")
    eq(doc["rows"], 1, "rows")
    eq(doc["first_rows"], [{"line": 2, "fields": ["㈱ミライ", "①髙ｱｶﾞ\n二行目"]}], "first rows")
    check(not os.path.exists(env.db), "no database created")
    tsv = write(env, "t.tsv", "\ufeff名前\tメール\n山田\ttaro@example.jp\n佐藤\thanako@example.jp\n".encode())
    doc = env.ok("--json", "csv", "inspect", tsv, "--rows", "1").json()
    eq((doc["encoding"], doc["bom"], doc["delimiter"], doc["rows"]), ("utf-8", True, "tab", 2), "tsv with BOM")
    eq(len(doc["first_rows"]), 1, "--rows")
    out = env.ok("csv", "inspect", tsv).out
    check("utf-8" in out and "名前 | メール" in out and "hanako@example.jp" in out, out)
    eq(env.ok("--csv", "csv", "inspect", tsv).out,
       "line,名前,メール\r\n2,山田,taro@example.jp\r\n3,佐藤,hanako@example.jp\r\n", "csv output")
    doc = env.ok("--json", "csv", "inspect", tsv, "--no-header", "--delimiter", "tab").json()
    eq((doc["header"], doc["rows"]), ([], 3), "--no-header")


@test
def test_csv_inspect_refusals(env):
    ragged = write(env, "r.csv", b"a,b,c\n1,2,3\n4,5\n")
    env.fails(EXIT_INVALID, "csv", "inspect", ragged, contains="line 3: 2 fields where the header has 3")
    eq(env.ok("--json", "csv", "inspect", ragged, "--ragged", "pad").json()["ragged"], 1, "--ragged pad")
    unclosed = write(env, "q.csv", b"a,b\n1,\"open\n")
    env.fails(EXIT_INVALID, "csv", "inspect", unclosed, contains="line 2, column 3")
    bad = write(env, "bad.csv", b"a,b\n1,\x82\x20\n")
    env.fails(EXIT_INVALID, "csv", "inspect", bad, "--encoding", "cp932", contains="not valid CP932")
    env.fails(EXIT_INVALID, "csv", "inspect", bad, "--encoding", "utf-8", contains="line 2, column 3")
    bare = write(env, "bare.csv", b"a\nab\"c\n")
    env.fails(EXIT_INVALID, "csv", "inspect", bare, contains="quote inside an unquoted field")
    eq(env.ok("--json", "csv", "inspect", bare, "--lenient").json()["first_rows"][0]["fields"], ["ab\"c"], "--lenient")
    env.fails(EXIT_NOT_FOUND, "csv", "inspect", os.path.join(env.dir, "missing.csv"))
    env.fails(EXIT_USAGE, "csv", "inspect", ragged, "--encoding", "latin1")
    env.fails(EXIT_USAGE, "csv", "inspect", ragged, "--delimiter", "x")
    env.fails(EXIT_USAGE, "csv", "inspect")
    env.fails(EXIT_USAGE, "csv", "frobnicate", ragged)


@test
def test_csv_convert(env):
    src = write(env, "u.csv", "名前,式\r\n㈱ミライ,=1+1\r\n山田,-5\r\n".encode())
    out = os.path.join(env.dir, "excel.csv")
    summary = env.ok("--json", "csv", "convert", src, "--to", "cp932", "--neutralize-formulas", "--output", out).json()
    eq(summary["records"], 3, "records written")
    with open(out, "rb") as f:
        eq(f.read(), "名前,式\r\n㈱ミライ,'=1+1\r\n山田,'-5\r\n".encode("cp932"), "CP932, neutralised")
    # back to UTF-8 with a BOM, on standard output
    r = env.ok("csv", "convert", out, "--to", "utf-8", "--bom", "--lf")
    eq(r.out, "\ufeff名前,式\n㈱ミライ,'=1+1\n山田,'-5\n", "utf-8 with BOM")
    # an emoji has no CP932 form: refused, and no file left behind
    emoji = write(env, "e.csv", "a\n寿司🍣\n".encode())
    out2 = os.path.join(env.dir, "never.csv")
    env.fails(EXIT_INVALID, "csv", "convert", emoji, "--to", "cp932", "--output", out2, contains="U+1F363")
    check(not os.path.exists(out2) and not os.path.exists(out2 + ".tmp-crm-csv"), "no partial output")
    env.ok("csv", "convert", emoji, "--to", "cp932", "--replace-unmappable", "--output", out2)
    with open(out2, "rb") as f:
        eq(f.read(), "a\r\n寿司?\r\n".encode("cp932"), "replaced")
