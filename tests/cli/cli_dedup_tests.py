"""CLI tests of duplicate detection and undoable merge (MISSION D3): crm dedup find|merge|
undo|show|merges, the merged-away id answering where it went (exit 2), exit codes."""
from harness import *  # noqa: F401,F403


def one(doc):
    return doc[0] if isinstance(doc, list) else doc


@test
def test_dedup_find_merge_undo(env):
    env.ok("init")
    a1 = env.add("account", "--name", "㈱山田商事", "--set", "phone=03-1234-5678")
    a2 = env.add("account", "--name", "山田商事株式会社", "--set", "phone=+81 3 1234 5678")
    s = env.add("contact", "--name", "山田 太郎", "--set", "name_reading=ヤマダ タロウ",
                "--set", f"account_id={a1['id']}", "--email", "taro@yamada-shoji.co.jp")
    m = env.add("contact", "--name", "山田太郎", "--set", "name_reading=やまだ たろう",
                "--set", f"account_id={a2['id']}", "--set", "title=部長", "--email", "t.yamada@example.jp")
    env.add("contact", "--name", "佐藤 花子", "--set", f"account_id={a1['id']}")
    t = env.add("ticket", "--subject", "請求書が届かない", "--set", f"requester_id={m['id']}")

    pairs = env.ok("--json", "dedup", "find", "contact").json()
    eq([(p["a"], p["b"]) for p in pairs], [(s["id"], m["id"])], "one pair")
    check("name_company" in pairs[0]["reasons"] and "reading_company" in pairs[0]["reasons"], "reasons")
    eq(env.ok("--json", "dedup", "find", "contact", "--min-score", "100").json(), [], "min score")
    acc = env.ok("--json", "dedup", "find", "account").json()
    eq([(p["a"], p["b"]) for p in acc], [(a1["id"], a2["id"])], "account pair")
    table = env.ok("dedup", "find", "contact").out
    check("name_company" in table, f"table shows reasons\n{table}")
    env.fails(EXIT_USAGE, "dedup", "find", "deal")
    env.fails(EXIT_USAGE, "dedup", "find")
    env.fails(EXIT_INVALID, "dedup", "find", "contact", "--min-score", "101")
    env.fails(EXIT_INVALID, "dedup", "find", "contact", "--limit", "0")

    # a dry run writes nothing
    before = env.ok("--json", "contact", "get", m["id"]).json()
    dry = one(env.ok("--json", "dedup", "merge", "contact", s["id"], m["id"], "--take", "title=merged",
                     "--dry-run").json())
    eq((dry["dry_run"], dry["id"]), (True, None), "dry run")
    check(any(r["kind"] == "ticket" and r["count"] == 1 for r in dry["relations"]), f"relations {dry}")
    eq(env.ok("--json", "contact", "get", m["id"]).json(), before, "unchanged")
    eq(env.ok("--json", "dedup", "merges").json(), [], "no merge stored")

    # refused merges
    env.fails(EXIT_INVALID, "dedup", "merge", "contact", s["id"], s["id"], contains="itself")
    env.fails(EXIT_NOT_FOUND, "dedup", "merge", "contact", s["id"], 999)
    env.fails(EXIT_INVALID, "dedup", "merge", "contact", s["id"], m["id"], "--take", "nope=merged",
              contains="take_merged")
    env.fails(EXIT_USAGE, "dedup", "merge", "contact", s["id"], m["id"], "--take", "title=both")
    env.fails(EXIT_USAGE, "dedup", "merge", "contact", s["id"])

    r = one(env.ok("--json", "dedup", "merge", "contact", s["id"], m["id"], "--take", "title=merged").json())
    check(r["id"] > 0, "merge id")
    eq(r["survivor"]["title"], "部長", "title taken")
    eq(len(r["survivor"]["emails"]), 2, "emails united")
    eq(one(env.ok("--json", "ticket", "get", t["id"]).json())["requester_id"], s["id"], "ticket re-pointed")
    env.fails(EXIT_NOT_FOUND, "contact", "get", m["id"], contains=f"contact {m['id']} was merged into {s['id']}")
    eq(len(env.ok("--json", "dedup", "merges", "contact").json()), 1, "listed")
    check("survivor_id" in env.ok("dedup", "show", r["id"]).out, "show")
    env.ok("dedup", "merges")
    csv = env.ok("--csv", "dedup", "merges").out
    check(csv.startswith("id,") or "id" in csv.splitlines()[0], f"csv\n{csv}")

    u = one(env.ok("--json", "dedup", "undo", r["id"]).json())
    check(u["undone_at"] is not None, "undone")
    back = one(env.ok("--json", "contact", "get", m["id"]).json())
    eq((back["name"], back["title"], back["emails"][0]["address"]), ("山田太郎", "部長", "t.yamada@example.jp"),
       "restored")
    eq(one(env.ok("--json", "ticket", "get", t["id"]).json())["requester_id"], m["id"], "ticket back")
    eq(len(one(env.ok("--json", "contact", "get", s["id"]).json())["emails"]), 1, "survivor's emails back")
    env.fails(EXIT_INVALID, "dedup", "undo", r["id"], contains="undone already")
    env.fails(EXIT_NOT_FOUND, "dedup", "undo", 999)
    env.fails(EXIT_NOT_FOUND, "dedup", "show", 999)
