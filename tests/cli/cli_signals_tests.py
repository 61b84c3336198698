"""CLI tests of re-engagement and churn signals (MISSION C6): crm signal define|list|show|
flags|scan|ack|remove, flags recorded when interactions are logged, exit codes."""
from harness import *  # noqa: F401,F403


def one(doc):
    return doc[0] if isinstance(doc, list) else doc


def write(env, name, doc):
    path = os.path.join(env.dir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False))
    return path


@test
def test_signal_rules_flags_scan_ack(env):
    env.ok("init")
    rep = env.add("user", "--name", "営業 一郎", "--email", "ichiro@example.co.jp")
    taro = env.add("contact", "--name", "山田 太郎", "--set", "lifecycle_stage=customer", "--set",
                   f"owner_id={rep['id']}")
    # refused rules: nothing stored
    env.fails(EXIT_INVALID, "signal", "define", "--from-json",
              write(env, "bad1.json", {"name": "x", "kind": "url_visit"}), contains="pattern")
    env.fails(EXIT_INVALID, "signal", "define", "--from-json",
              write(env, "bad2.json", {"name": "x", "kind": "dormant_customer", "days": 0}), contains="days")
    env.fails(EXIT_INVALID, "signal", "define", "--from-json",
              write(env, "bad3.json", {"name": "x", "kind": "url_visit", "pattern": "*", "regex": "(a+)+"}),
              contains="regex")
    env.fails(EXIT_INVALID, "signal", "define", "--from-json", write(env, "bad4.json", "{not json"))
    env.fails(EXIT_USAGE, "signal", "define")
    env.fails(EXIT_NOT_FOUND, "signal", "define", "--from-json", os.path.join(env.dir, "missing.json"))
    eq(env.ok("--json", "signal", "list").json(), [], "nothing stored")

    r = one(env.ok("--json", "signal", "define", "--from-json", write(env, "cancel.json", {
        "name": "解約ページ", "kind": "url_visit", "pattern": "*/cancel*",
        "task": {"title": "解約検討のフォロー", "due_hours": 24}})).json())
    eq((r["kind"], r["kinds"], r["task"]["title"]), ("url_visit", ["web_visit"], "解約検討のフォロー"), "stored rule")
    env.ok("signal", "define", "--from-json", write(env, "dormant.json", {
        "name": "休眠90日", "kind": "dormant_customer", "days": 90}))
    env.fails(EXIT_INVALID, "signal", "define", "--from-json", os.path.join(env.dir, "cancel.json"))  # name taken

    env.ok("log", "web_visit", "--contact", taro["id"], "--url", "https://example.jp/pricing", "--direction", "inbound")
    env.ok("log", "web_visit", "--contact", taro["id"], "--url", "https://example.jp/cancel", "--direction", "inbound")
    env.ok("log", "web_visit", "--contact", taro["id"], "--url", "https://example.jp/cancel/2", "--direction", "inbound")
    flags = env.ok("--json", "signal", "flags").json()
    eq(len(flags), 1, "one flag per visit day")
    f = flags[0]
    eq((f["rule"], f["contact_id"], f["kind"]), ("解約ページ", taro["id"], "url_visit"), "the flag")
    task = one(env.ok("--json", "task", "get", f["task_id"]).json())
    eq((task["title"], task["assignee_id"]), ("解約検討のフォロー", rep["id"]), "task for the owner")

    # the dormant scan: once, then idempotent
    eq(one(env.ok("--json", "signal", "scan", "--as-of", "2100-01-01").json())["new_flags"], 1, "dormant")
    eq(one(env.ok("--json", "signal", "scan", "--as-of", "2100-01-01").json())["new_flags"], 0, "idempotent")
    env.fails(EXIT_USAGE, "signal", "scan", "--as-of", "yesterday")
    eq(len(env.ok("--json", "signal", "flags", "--rule", "休眠90日", "--contact", taro["id"]).json()), 1, "by rule")
    env.fails(EXIT_NOT_FOUND, "signal", "flags", "--rule", "ない")
    env.fails(EXIT_INVALID, "signal", "flags", "--limit", "0")

    # acknowledge, --open, CSV and table output
    env.ok("signal", "ack", f["id"])
    env.fails(EXIT_INVALID, "signal", "ack", f["id"])
    env.fails(EXIT_NOT_FOUND, "signal", "ack", "987654")
    eq([x["rule"] for x in env.ok("--json", "signal", "flags", "--open").json()], ["休眠90日"], "open flags")
    csv = env.ok("--csv", "signal", "flags").out
    check("解約ページ" in csv and "休眠90日" in csv, f"CSV\n{csv}")
    check("解約ページ" in env.ok("signal", "list").out, "table")
    eq(one(env.ok("--json", "signal", "show", "休眠90日").json())["days"], 90, "show")
    env.ok("signal", "remove", "解約ページ")
    env.fails(EXIT_NOT_FOUND, "signal", "remove", "解約ページ")
    eq([x["rule"] for x in env.ok("--json", "signal", "flags").json()], ["休眠90日"], "flags of a removed rule go")
