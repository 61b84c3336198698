"""CLI tests of crm search (MISSION D4): Japanese and English, short queries, kinds and
filters, formats, operators searched as text, refusals, rebuild."""
from harness import *  # noqa: F401,F403


def hits(env, *args):
    return [(h["kind"], h["id"]) for h in env.ok("--json", "search", *args).json()]


@test
def test_search_finds_japanese_and_english(env):
    env.ok("init")
    hayashi = env.add("contact", "--name", "林 太郎", "--reading", "はやし たろう")["id"]
    kobayashi = env.add("contact", "--name", "小林 花子", "--stage", "mql")["id"]
    sample = env.add("account", "--name", "株式会社サンプル")["id"]
    abc = env.add("account", "--name", "ABC Trading")["id"]
    ticket = env.add("ticket", "--subject", "Account locked")["id"]
    eq(sorted(hits(env, "林")), sorted([("contact", hayashi), ("contact", kobayashi)]), "林")
    eq(hits(env, "式会社"), [("account", sample)], "a substring of a company name")
    eq(hits(env, "ハヤシ"), [("contact", hayashi)], "the reading in katakana")
    eq(hits(env, "ＡＢＣ"), [("account", abc)], "full width")
    eq(hits(env, "acc"), [("ticket", ticket)], "an English prefix")
    eq(hits(env, "林", "--kind", "account,ticket"), [], "--kind")
    eq(hits(env, "林", "--kind", "contact", "--where", "lifecycle_stage=mql"), [("contact", kobayashi)], "--where")
    eq(len(hits(env, "林", "--limit", "1")), 1, "--limit")
    # Several words must all match; operators are text.
    eq(hits(env, "小林", "花子"), [("contact", kobayashi)], "two words")
    eq(hits(env, "林", "OR", "サンプル"), [], "OR is a word, not an operator")
    eq(hits(env, "NEAR(林", "太郎)"), [], "NEAR is text")
    eq(sorted(hits(env, '"林')), sorted([("contact", hayashi), ("contact", kobayashi)]), "a stray quote")
    # Formats.
    out = env.ok("search", "acc").out
    check("Account locked" in out and "[acc]" in out and "kind" in out, out)
    csv = env.ok("--csv", "search", "acc").out
    check(csv.startswith("kind,id,title,snippet,rank\r\n") and "ticket," in csv, csv)
    doc = env.ok("--json", "search", "acc").json()[0]
    eq(sorted(doc), ["id", "kind", "rank", "snippet", "title"], "keys")
    eq(doc["title"], "Account locked", "title")


@test
def test_search_follows_writes_and_rebuild(env):
    env.ok("init")
    c = env.add("contact", "--name", "渡辺 健")["id"]
    eq(hits(env, "渡辺"), [("contact", c)], "created")
    env.ok("contact", "update", c, "--name", "森 健")
    eq(hits(env, "渡辺"), [], "updated away")
    eq(hits(env, "森"), [("contact", c)], "updated")
    env.ok("contact", "delete", c)
    eq(hits(env, "森"), [], "deleted")
    env.add("contact", "--name", "佐藤 一")
    eq(env.ok("--json", "search", "rebuild").json(), {"indexed": 1}, "rebuild")
    check("1 records" in env.ok("search", "rebuild").out, "table output")
    eq(len(hits(env, "佐藤")), 1, "found after rebuild")
    eq(hits(env, "--query", "rebuild"), [], "the word rebuild itself")


@test
def test_search_refusals(env):
    env.ok("init")
    env.fails(EXIT_USAGE, "search")
    env.fails(EXIT_INVALID, "search", "*", contains="query")
    env.fails(EXIT_INVALID, "search", "x" * 1025, contains="query")
    env.fails(EXIT_INVALID, "search", *(["abc"] * 17), contains="query")
    env.fails(EXIT_INVALID, "search", "林", "--limit", "0", contains="--limit")
    env.fails(EXIT_INVALID, "search", "林", "--limit", "1001", contains="--limit")
    env.fails(EXIT_USAGE, "search", "林", "--limit", "ten")
    env.fails(EXIT_USAGE, "search", "林", "--kind", "nothing")
    env.fails(EXIT_INVALID, "search", "林", "--where", "lifecycle_stage=mql", contains="where")
    env.fails(EXIT_USAGE, "search", "林", "--kind", "contact", "--where", "=")
    r = env.run("search", b"\xff\xfe")
    check(r.code in (EXIT_USAGE, EXIT_INVALID) and r.out == "", r)
