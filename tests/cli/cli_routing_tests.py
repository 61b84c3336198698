"""CLI tests of routing of hot leads (MISSION C4): crm routing define|update|list|show|versions|
handoffs|handoff|attach|detach, crm route CONTACT --routing NAME [--dry-run]."""
from harness import *  # noqa: F401,F403


def one(doc):
    return doc[0] if isinstance(doc, list) else doc


@test
def test_routing_round_robin_fallback_dry_run(env):
    env.ok("init")
    a = env.add("user", "--name", "青木", "--email", "aoki@acme.co.jp")["id"]
    b = env.add("user", "--name", "馬場", "--email", "baba@acme.co.jp")["id"]
    boss = env.add("user", "--name", "部長", "--email", "bucho@acme.co.jp")["id"]
    k1 = env.add("contact", "--name", "山田 太郎", "--set", "address.region=東京都")["id"]
    k2 = env.add("contact", "--name", "佐藤 花子", "--set", "address.region=神奈川県")["id"]
    far = env.add("contact", "--name", "北 三郎", "--set", "address.region=北海道")["id"]
    path = os.path.join(env.dir, "r.json")

    def write(doc):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)

    # refused definitions: nothing stored
    write({"name": "国内", "rules": []})
    env.fails(EXIT_INVALID, "routing", "define", "--from-json", path, contains="fallback")
    write({"name": "国内", "fallback": 999999, "rules": []})
    env.fails(EXIT_INVALID, "routing", "define", "--from-json", path, contains="fallback")
    env.fails(EXIT_USAGE, "routing", "define")
    eq(env.ok("--json", "routing", "list").json(), [], "nothing stored")

    doc = {"name": "国内", "fallback": boss,
           "territories": [{"name": "関東", "field": "address.region", "values": ["東京都", "神奈川県"]}],
           "rules": [{"id": "kanto", "territory": "関東", "pool": [a, b]}],
           "follow_up": {"title": "初回フォロー: {contact}", "due_hours": 2}}
    write(doc)
    d = one(env.ok("--json", "routing", "define", "--from-json", path).json())
    eq(d["version"], 1, "version 1")
    env.fails(EXIT_INVALID, "routing", "define", "--from-json", path)  # the name is taken

    dry = one(env.ok("--json", "route", k1, "--routing", "国内", "--dry-run").json())
    eq((dry["owner_id"], dry["dry_run"], dry["task_id"]), (a, True, None), "dry run decides")
    eq(env.ok("--json", "routing", "handoffs", k1).json(), [], "dry run stores nothing")

    h1 = one(env.ok("--json", "route", k1, "--routing", "国内").json())
    h2 = one(env.ok("--json", "route", k2, "--routing", "国内").json())
    h3 = one(env.ok("--json", "route", far, "--routing", "国内").json())
    eq([h1["owner_id"], h2["owner_id"], h3["owner_id"]], [a, b, boss], "round robin, then the fallback")
    eq((h1["reason"], h3["reason"]), ("round_robin", "fallback_no_match"), "reasons")
    eq(h1["trials"][0]["checks"][0]["op"], "territory:関東", "the territory check is explained")
    c = one(env.ok("--json", "contact", "get", k2).json())
    eq(c["owner_id"], b, "owner set on the contact")
    t = one(env.ok("--json", "task", "get", h1["task_id"]).json())
    eq((t["title"], t["assignee_id"]), ("初回フォロー: 山田 太郎", a), "follow-up task")

    hs = env.ok("--json", "routing", "handoffs", k1).json()
    eq(len(hs), 1, "one hand-off")
    eq(one(env.ok("--json", "routing", "handoff", hs[0]["id"]).json())["owner_id"], a, "handoff by id")
    csv = env.ok("--csv", "routing", "handoffs", k2).out
    check("round_robin" in csv, f"CSV\n{csv}")
    env.fails(EXIT_NOT_FOUND, "route", k1, "--routing", "無い")
    env.fails(EXIT_NOT_FOUND, "route", 999999, "--routing", "国内")
    env.fails(EXIT_USAGE, "route", k1)
    env.fails(EXIT_USAGE, "route", "abc", "--routing", "国内")

    env.ok("routing", "update", "--from-json", path)
    eq([v["version"] for v in env.ok("--json", "routing", "versions", "国内").json()], [1, 2], "versions")
    eq(one(env.ok("--json", "routing", "show", "国内", "--version", "1").json())["version"], 1, "show a version")
    env.fails(EXIT_NOT_FOUND, "routing", "attach", "無い", "国内")
    env.fails(EXIT_NOT_FOUND, "routing", "detach", "無い")
