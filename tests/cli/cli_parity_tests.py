"""CLI tests of issue 8: the commands that make the CLI do what the C++ API does
(counts, the change feed, campaign contacts, tasks and documents of a record,
reminders, calendars and policies by id, deal totals), --json / --csv on every
command, one exit-code rule for every command, amounts with decimals, entity
names, and the friction items (stage probabilities, the actor of a logged
interaction, the help table)."""
import signal
import subprocess

import harness
from harness import *  # noqa: F401,F403


def company(env):
    """A small database with one record of each kind, and their ids."""
    env.ok("init")
    ids = {}
    ids["user"] = env.add("user", "--name", "佐藤 花子", "--email", "hanako@example.jp")["id"]
    ids["team"] = env.add("team", "--name", "東日本営業部")["id"]
    ids["account"] = env.add("account", "--name", "株式会社サンプル")["id"]
    ids["campaign"] = env.add("campaign", "--name", "秋の DX セミナー", "--channel", "seminar")["id"]
    ids["contact"] = env.add("contact", "--name", "山田 太郎", "--email", "taro@example.jp",
                             "--account", ids["account"], "--source", "秋の DX セミナー")["id"]
    ids["product"] = env.add("product", "--name", "勤怠管理クラウド", "--price", "50000")["id"]
    pl = env.add("pipeline", "--name", "新規営業", "--stage", "提案:40", "--stage", "受注:100:won")
    ids["pipeline"], ids["stage"], ids["won"] = pl["id"], pl["stages"][0]["id"], pl["stages"][1]["id"]
    ids["deal"] = env.add("deal", "--name", "基幹システム刷新", "--pipeline", pl["id"], "--stage", ids["stage"],
                          "--amount", "1200000", "--campaign", ids["campaign"])["id"]
    ids["interaction"] = env.ok("--json", "log", "email", "--contact", ids["contact"],
                                "--subject", "お礼メール").json()["id"]
    ids["ticket"] = env.add("ticket", "--subject", "請求書が届かない", "--requester", ids["contact"])["id"]
    ids["task"] = env.add("task", "--title", "見積書を送る", "--remind", "2026-01-01T00:00:00Z",
                          "--due", "2026-11-24T10:00:00+09:00", "--link", f"contact:{ids['contact']}")["id"]
    ids["document"] = env.ok("--json", "doc", "add", "--uri", "https://example.jp/q.pdf", "--name", "見積書",
                             "--contact", ids["contact"]).json()["id"]
    stored = os.path.join(env.dir, "見積書_2026.pdf")
    with open(stored, "wb") as f:
        f.write(b"%PDF-1.4 \x00\x01\x02")
    ids["stored"] = env.ok("--json", "doc", "add", stored, "--kind", "quote").json()["id"]
    env.ok("field", "define", "contact", "rank", "enum", "--option", "A", "--option", "B")
    cal = os.path.join(env.dir, "cal.json")
    with open(cal, "w", encoding="utf-8") as f:
        json.dump({"name": "日本営業日", "utc_offset": "+09:00", "hours": {"mon": [["09:00", "18:00"]]}}, f,
                  ensure_ascii=False)
    ids["calendar"] = env.ok("--json", "calendar", "define", "--from-json", cal).json()["id"]
    ids["sla"] = env.ok("--json", "sla", "define", "--name", "標準SLA", "--target", "normal=60/480").json()["id"]
    return ids


# ---- every command honours --json and --csv ----------------------------------------
def every_command(env, ids):
    """One invocation of every command and sub-command that succeeds on company()."""
    i = ids
    src = os.path.join(env.dir, "content.bin")
    with open(src, "wb") as f:
        f.write(b"%PDF-1.4 test")
    out = os.path.join(env.dir, "back.bin")
    cmds = [["version"], ["help"], ["help", "deal"], ["init"]]
    for kind in ["contact", "account", "user", "team", "product", "campaign", "pipeline", "deal", "interaction",
                 "ticket", "task", "doc"]:
        rid = i["document" if kind == "doc" else kind]
        cmds += [[kind, "get", rid], [kind, "list"], [kind, "count"], [kind, "history", rid],
                 [kind, "as-of", rid, "2999-01-01"]]
    cmds += [
        ["contact", "add", "--name", "新規 顧客"], ["contact", "update", i["contact"], "--title", "部長"],
        ["contact", "jobs", i["contact"]], ["contact", "get", "--email", "taro@example.jp"],
        ["account", "contacts", i["account"]], ["account", "subsidiaries", i["account"]],
        ["team", "members", i["team"]], ["user", "get", "--email", "hanako@example.jp"],
        ["tag", "add", "contact", i["contact"], "vip"], ["tag", "remove", "contact", i["contact"], "vip"],
        ["field", "list"], ["field", "get", "contact", "rank"], ["field", "define", "account", "tier", "integer"],
        ["custom", "set", "contact", i["contact"], "rank", "A"], ["custom", "unset", "contact", i["contact"], "rank"],
        ["field", "remove", "account", "tier"],
        ["history", "since", "0"], ["history", "count"], ["history", "latest"],
        ["campaign", "deals", i["campaign"]], ["campaign", "contacts", i["campaign"]],
        ["pipeline", "stages", i["pipeline"]],
        ["deal", "totals"], ["deal", "weighted", i["deal"]], ["deal", "stages", i["deal"]],
        ["deal", "lost-reason", "add", "価格"], ["deal", "lost-reason", "list"],
        ["deal", "move", i["deal"], i["won"]],
        ["log", "call", "--contact", i["contact"]], ["timeline", "contact", i["contact"]],
        ["email", "track", i["interaction"], "opened"], ["email", "events", i["interaction"]],
        ["ticket", "status", i["ticket"], "open"], ["ticket", "respond", i["ticket"]],
        ["ticket", "history", i["ticket"], "--status"], ["ticket", "sla", i["ticket"]],
        ["ticket", "breaching", "--within", "60"],
        ["calendar", "list"], ["calendar", "get", i["calendar"]], ["sla", "list"], ["sla", "get", i["sla"]],
        ["task", "due", "--overdue"], ["task", "for", "contact", i["contact"]], ["task", "reminder", i["task"]],
        ["task", "remind", "--now", "2026-01-02T00:00:00Z"], ["task", "release", i["task"]],
        ["task", "remind", "--now", "2026-01-02T00:00:00Z", "--exec", "true"],
        ["doc", "add", src, "--name", "中身.bin"], ["doc", "get", i["stored"], "--out", out],
        ["doc", "send", i["document"], "--contact", i["contact"]], ["doc", "sends", i["document"]],
        ["doc", "sends", "--contact", i["contact"]], ["doc", "for", "contact", i["contact"]], ["doc", "max-size"],
        ["tag", "add", "doc", i["document"], "重要"],
    ]
    # forms and lead capture (docs/forms.md)
    form = os.path.join(env.dir, "form.json")
    with open(form, "w", encoding="utf-8") as f:
        json.dump({"name": "lead", "title": "資料請求", "source": "web",
                   "fields": [{"name": "email", "type": "email", "required": True, "maps_to": "contact.emails"},
                              {"name": "title", "type": "text", "maps_to": "contact.title"}]}, f, ensure_ascii=False)
    cmds += [
        ["form", "define", "--from-json", form], ["form", "get", "lead"], ["form", "list"],
        ["form", "update", "lead", "--from-json", form], ["form", "versions", "lead"],
        ["form", "check", "lead", "--field", "email=bad"],
        ["form", "submit", "lead", "--field", "email=taro@example.jp", "--field", "title=課長", "--utm-source", "ad"],
        ["form", "touches", i["contact"]], ["form", "remove", "lead"],
    ]
    cmds += [["search", "山田"], ["search", "太郎", "--kind", "contact", "--where", "lifecycle_stage=lead"],
             ["search", "rebuild"]]  # full-text search (docs/search.md)
    return cmds


@test
def test_every_command_json(env):
    ids = company(env)
    jsonl = os.path.join(env.dir, "one.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        f.write(json.dumps({"kind": "note", "external_id": "n-1", "contact_ids": [ids["contact"]]}) + "\n")
    for args in every_command(env, ids) + [["ingest", jsonl]]:
        r = env.run("--json", *args)
        check(r.code == 0, f"--json {args}\n{r}")
        try:
            json.loads(r.out)
        except ValueError as e:
            raise Failed(f"--json {args}: stdout is not JSON ({e})\n{r}")
    # the delete of every kind too, last
    for kind in ["task", "ticket", "deal", "doc"]:
        rid = ids["document" if kind == "doc" else kind]
        eq(env.ok("--json", kind, "delete", rid).json()["deleted"], True, f"{kind} delete --json")


@test
def test_every_command_csv(env):
    ids = company(env)
    for args in every_command(env, ids):
        if args[0] == "help" and len(args) > 1:
            continue  # a usage text is not a table: its CSV is one cell
        r = env.run("--csv", *args)
        check(r.code == 0, f"--csv {args}\n{r}")
        check(r.out.endswith("\r\n"), f"--csv {args}: not CSV (CRLF rows)\n{r}")
        rows = parse_csv(r.out)
        check(all(None not in row for row in rows), f"--csv {args}: ragged rows\n{r}")


# ---- one exit-code rule --------------------------------------------------------------
@test
def test_exit_codes(env):
    """docs/cli.md: 1 the command line cannot be read, 2 something named on it does not
    exist, 3 a well-formed value the data refuses, 4 anything else."""
    ids = company(env)
    i = ids
    cases = [
        # 1: unknown names, missing or extra arguments, arguments that do not parse
        (EXIT_USAGE, ["contcat", "list"], "did you mean 'crm contact'"),
        (EXIT_USAGE, ["deal", "frobnicate"], "not a sub-command"),
        (EXIT_USAGE, ["deal", "frobnicate", "--help"], "not a sub-command"),
        (EXIT_USAGE, ["email", "send", "1"], "not a sub-command"),
        (EXIT_USAGE, ["contact", "get"], "missing"),
        (EXIT_USAGE, ["contact", "get", "1", "2"], "unexpected"),
        (EXIT_USAGE, ["contact", "list", "--bogus"], "unknown option"),
        (EXIT_USAGE, ["contact", "get", "abc"], "not a record id"),
        (EXIT_USAGE, ["deal", "get", "-3"], "not a record id"),
        (EXIT_USAGE, ["doc", "send", i["document"], "--contact", "abc"], "not a record id"),
        (EXIT_USAGE, ["log", "call", "--contact", "x"], "not a record id"),
        (EXIT_USAGE, ["contact", "as-of", i["contact"], "yesterday"], "ISO-8601"),
        (EXIT_USAGE, ["ticket", "sla", i["ticket"], "--now", "soon"], "ISO-8601"),
        (EXIT_USAGE, ["product", "add", "--name", "X", "--price", "高い"], "--price"),
        (EXIT_USAGE, ["product", "add", "--name", "X", "--price", "199.999 USD"], "2 decimal places"),
        (EXIT_USAGE, ["product", "add", "--name", "X", "--price", "1.5 JPY"], "no minor unit"),
        (EXIT_USAGE, ["task", "add", "--title", "X", "--link", "contact-3"], "ENTITY:ID"),
        (EXIT_USAGE, ["contact", "update", i["contact"], "--patch", "{oops"], "--patch"),
        (EXIT_USAGE, ["contact", "list", "--where", "name"], "operator"),
        (EXIT_USAGE, ["history", "since", "x"], "not an integer"),
        (EXIT_USAGE, ["tag", "add", "nosuchkind", "1", "x"], "not an entity"),
        (EXIT_USAGE, ["contact", "add", "--name", b"\xff"], "UTF-8"),
        # 2: a record, file or database named on the command line does not exist
        (EXIT_NOT_FOUND, ["contact", "get", "4242"], "no contact with id 4242"),
        (EXIT_NOT_FOUND, ["doc", "send", i["document"], "--contact", "99"], "no contact with id 99"),
        (EXIT_NOT_FOUND, ["doc", "send", "4242", "--contact", i["contact"]], "no document with id 4242"),
        (EXIT_NOT_FOUND, ["log", "call", "--contact", "99"], "99"),
        (EXIT_NOT_FOUND, ["contact", "add", "--name", "X", "--account", "99"], "account_id"),
        (EXIT_NOT_FOUND, ["contact", "update", i["contact"], "--set", "account_id=99"], "account_id"),
        (EXIT_NOT_FOUND, ["deal", "add", "--name", "X", "--pipeline", "99", "--stage", "1"], "pipeline_id"),
        (EXIT_NOT_FOUND, ["deal", "update", i["deal"], "--item", "99:1:100"], "product"),
        (EXIT_NOT_FOUND, ["task", "add", "--title", "X", "--link", "contact:99"], "links[0]"),
        (EXIT_NOT_FOUND, ["task", "for", "contact", "99"], "no contact with id 99"),
        (EXIT_NOT_FOUND, ["doc", "for", "account", "99"], "no account with id 99"),
        (EXIT_NOT_FOUND, ["doc", "sends", "--contact", "99"], "no contact with id 99"),
        (EXIT_NOT_FOUND, ["tag", "add", "contact", "99", "x"], "99"),
        (EXIT_NOT_FOUND, ["timeline", "contact", "99"], "99"),
        (EXIT_NOT_FOUND, ["email", "track", "99", "opened"], "99"),
        (EXIT_NOT_FOUND, ["ticket", "status", "99", "open"], "99"),
        (EXIT_NOT_FOUND, ["calendar", "get", "99"], "99"),
        (EXIT_NOT_FOUND, ["sla", "get", "99"], "99"),
        (EXIT_NOT_FOUND, ["sla", "define", "--name", "X", "--calendar", "99"], "99"),
        (EXIT_NOT_FOUND, ["field", "get", "contact", "nosuch"], "nosuch"),
        (EXIT_NOT_FOUND, ["task", "reminder", "99"], "99"),
        (EXIT_NOT_FOUND, ["task", "release", "99"], "99"),
        (EXIT_NOT_FOUND, ["campaign", "contacts", "99"], "99"),
        (EXIT_NOT_FOUND, ["ingest", os.path.join(env.dir, "nosuch.jsonl")], "no such file"),
        (EXIT_NOT_FOUND, ["contact", "add", "--from-json", os.path.join(env.dir, "nosuch.json")], "no such file"),
        (EXIT_NOT_FOUND, ["--db", os.path.join(env.dir, "nosuch.db"), "contact", "list"], "crm init"),
        # 3: well-formed values the data refuses
        (EXIT_INVALID, ["contact", "add", "--name", "X", "--email", "not-an-email"], "email"),
        (EXIT_INVALID, ["contact", "add", "--name", "X", "--email", "TARO@example.jp"], "already_exists"),
        (EXIT_INVALID, ["contact", "add", "--name", "X", "--stage", "hot"], "lifecycle_stage"),
        (EXIT_INVALID, ["ticket", "status", i["ticket"], "done"], "not a status"),
        (EXIT_INVALID, ["ticket", "status", i["ticket"], "closed"], "constraint_violation"),
        (EXIT_INVALID, ["log", "call", "--direction", "sideways"], "direction"),
        (EXIT_INVALID, ["email", "track", i["interaction"], "exploded"], "event"),
        (EXIT_INVALID, ["contact", "list", "--limit", "0"], "--limit"),
        (EXIT_INVALID, ["contact", "list", "--where", "nosuch=1"], "nosuch"),
        (EXIT_INVALID, ["pipeline", "delete", i["pipeline"]], "still holds"),
        (EXIT_INVALID, ["deal", "move", i["deal"], i["won"] + 100], "stage"),
        (EXIT_INVALID, ["field", "define", "contact", "x", "colour"], "type"),
        (EXIT_INVALID, ["task", "due", "--tz", "JST"], "tz"),
        (EXIT_INVALID, ["ticket", "add", "--from-json", "-"], "not valid JSON"),
    ]
    before = open(env.db, "rb").read()
    for code, args, text in cases:
        env.fails(code, *args, contains=text, stdin="{oops" if "--from-json" in args else None)
    eq(open(env.db, "rb").read(), before, "no refused command changed the database")
    # 4: not a database
    notdb = os.path.join(env.dir, "notes.txt")
    with open(notdb, "w", encoding="utf-8") as f:
        f.write("これはデータベースではありません\n" * 100)
    env.fails(EXIT_OTHER, "--db", notdb, "contact", "list", contains="corrupt")


# ---- the commands added for parity with the C++ API ---------------------------------
@test
def test_count_every_kind(env):
    ids = company(env)
    for kind in ["contact", "account", "user", "team", "product", "campaign", "pipeline", "deal", "interaction",
                 "ticket", "task", "doc"]:
        n = len(env.ok("--json", kind, "list", "--all").json())
        eq(int(env.ok(kind, "count").out), n, f"{kind} count")
        eq(env.ok("--json", kind, "count").json()["count"], n, f"{kind} count --json")
    env.add("contact", "--name", "鈴木 花子", "--stage", "customer")
    eq(int(env.ok("contact", "count", "--where", "lifecycle_stage=customer").out), 1, "count --where")
    eq(parse_csv(env.ok("--csv", "contact", "count").out), [{"entity": "contact", "count": "2"}], "count --csv")
    check(ids, "fixture")


@test
def test_history_feed(env):
    env.ok("init")
    eq(int(env.ok("history", "latest").out), 0, "no change yet")
    c = env.add("contact", "--name", "山田 太郎")
    env.ok("contact", "update", c["id"], "--title", "部長")
    feed = env.ok("--json", "history", "since", "0").json()
    eq([(h["entity"], h["op"], h["field"]) for h in feed], [("contact", "create", "*"), ("contact", "update", "title")],
       "the feed, oldest first")
    latest = env.ok("--json", "history", "latest").json()["id"]
    eq(latest, feed[-1]["id"], "latest id")
    eq(env.ok("--json", "history", "count").json()["count"], 2, "count")
    eq(env.ok("--json", "history", "since", latest).json(), [], "nothing after the latest")
    r = env.ok("--json", "history", "since", "0", "--limit", "1")
    eq(len(r.json()), 1, "one page")
    check(f"next: {feed[0]['id']}" in r.err, f"the next id on stderr\n{r}")
    eq(len(env.ok("--json", "history", "since", "0", "--limit", "1", "--all").json()), 2, "--all")
    _, rows = table(env.ok("history", "since", "0").out)
    eq(rows[1]["new"], "部長", "table shows the Japanese value")
    rows = parse_csv(env.ok("--csv", "history", "since", "0").out)
    eq(rows[1]["new"], '"部長"', "CSV keeps the exact JSON text")

    # --follow: the backlog, then new changes as they are made, one JSON document per line
    e = dict(os.environ, CRM_DB=env.db)
    p = subprocess.Popen([harness.CRM, "--json", "history", "since", str(feed[0]["id"]), "--follow",
                          "--interval", "50"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
    try:
        first = json.loads(p.stdout.readline())
        eq(first["field"], "title", "the backlog first")
        env.ok("contact", "update", c["id"], "--title", "取締役")
        nxt = json.loads(p.stdout.readline())
        eq((nxt["field"], nxt["new"]), ("title", "取締役"), "a change made while following")
    finally:
        p.send_signal(signal.SIGINT)
        rest, err = p.communicate(timeout=30)
    eq(p.returncode, 0, f"an interrupted follow ends cleanly: {err!r}")
    eq(rest, b"", "nothing half-written")


@test
def test_records_of_a_record(env):
    ids = company(env)
    eq([x["id"] for x in env.ok("--json", "campaign", "contacts", ids["campaign"]).json()], [ids["contact"]],
       "campaign contacts: lead_source is the campaign's name")
    eq([x["id"] for x in env.ok("--json", "task", "for", "contact", ids["contact"]).json()], [ids["task"]],
       "tasks of a record")
    eq(env.ok("--json", "task", "for", "account", ids["account"]).json(), [], "no task linked")
    eq([x["id"] for x in env.ok("--json", "doc", "for", "con", ids["contact"]).json()], [ids["document"]],
       "documents of a record (the kind by a short name)")
    _, rows = table(env.ok("doc", "for", "contact", ids["contact"]).out)
    eq(rows[0]["name"], "見積書", "table")
    env.ok("doc", "send", ids["document"], "--contact", ids["contact"], "--at", "2026-11-24T10:00:00+09:00")
    eq([x["document_id"] for x in env.ok("--json", "doc", "sends", "--contact", ids["contact"]).json()],
       [ids["document"]], "documents sent to a contact")
    eq(env.ok("--json", "doc", "max-size", "1000").json()["max_size"], 1000, "set the content limit")
    eq(int(env.ok("doc", "max-size").out), 1000, "read it")
    big = os.path.join(env.dir, "big.bin")
    with open(big, "wb") as f:
        f.write(b"x" * 1001)
    env.fails(EXIT_INVALID, "doc", "add", big, contains="content")
    eq(env.ok("--json", "calendar", "get", ids["calendar"]).json()["name"], "日本営業日", "calendar get")
    eq(env.ok("--json", "sla", "get", ids["sla"]).json()["name"], "標準SLA", "sla get")
    eq(env.ok("--json", "field", "get", "contact", "rank").json()["options"], ["A", "B"], "field get")


@test
def test_task_reminders(env):
    env.ok("init")
    a = env.add("task", "--title", "見積書を送る", "--remind", "2026-01-01T00:00:00Z")
    b = env.add("task", "--title", "失敗する通知", "--remind", "2026-01-01T00:00:00Z")
    later = env.add("task", "--title", "来月", "--remind", "2026-02-01T00:00:00Z",
                    "--due", "2026-02-01T09:00:00+09:00")
    eq(env.ok("--json", "task", "reminder", a["id"]).json()["delivered_at"], None, "not delivered yet")
    # the hook: a command per reminder, its document in $CRM_REMINDER; exit 0 = delivered
    log = os.path.join(env.dir, "sent.log")
    hook = f'echo "$CRM_REMINDER" >> "{log}"; echo "$CRM_REMINDER" | grep -qv 失敗'
    r = env.run("--json", "task", "remind", "--now", "2026-01-02T00:00:00Z", "--exec", hook)
    eq(r.code, EXIT_OTHER, f"a failed notification is an error\n{r}")
    eq(r.json(), {"delivered": [a["id"]], "failed": [b["id"]]}, "delivered and failed")
    with open(log, encoding="utf-8") as f:
        sent = [json.loads(line) for line in f]
    eq([s["title"] for s in sent], ["見積書を送る", "失敗する通知"], "the hook saw each reminder once")
    check(env.ok("--json", "task", "reminder", b["id"]).json()["delivered_at"] is not None, "claimed: at most once")
    eq(env.ok("--json", "task", "remind", "--now", "2026-01-02T00:00:00Z").json(), [], "nothing left to claim")
    env.ok("task", "release", b["id"])
    eq(env.ok("--json", "task", "reminder", b["id"]).json()["delivered_at"], None, "released")
    eq([x["task_id"] for x in env.ok("--json", "task", "remind", "--now", "2026-01-02T00:00:00Z").json()], [b["id"]],
       "due again")
    # due in a range [from, to)
    due = env.ok("--json", "task", "due", "--from", "2026-01-31", "--to", "2026-02-02").json()
    eq([x["id"] for x in due], [later["id"]], "due --from --to")
    env.fails(EXIT_USAGE, "task", "due", "--overdue", "--from", "2026-01-01", contains="one of")


@test
def test_deal_list_names_and_totals(env):
    env.ok("init")
    pl = env.add("pipeline", "--name", "新規営業", "--stage", "提案:40", "--stage", "受注:100:won")
    s1, s2 = pl["stages"][0]["id"], pl["stages"][1]["id"]
    env.add("deal", "--name", "刷新", "--pipeline", pl["id"], "--stage", s1, "--amount", "1200000")
    env.add("deal", "--name", "保守", "--pipeline", pl["id"], "--stage", s2, "--amount", "300000 JPY")
    d = env.add("deal", "--name", "US deal", "--pipeline", pl["id"], "--stage", s1, "--amount", "199.99 USD",
                "--probability", "50")
    eq(d["amount"], {"amount": 19999, "currency": "USD"}, "decimals in the currency's unit, stored in cents")
    out = env.ok("deal", "list").out
    _, rows = table(out)
    eq([(r["stage"], r["pipeline"]) for r in rows], [("提案", "新規営業"), ("受注", "新規営業"), ("提案", "新規営業")],
       "stage and pipeline by name")
    eq(rows[2]["amount"], "199.99", "amounts in the currency's unit")
    total = out.rstrip("\n").split("\n")[-1]
    eq(total, "total: 3 deals; 1500000 JPY (weighted 780000); 199.99 USD (weighted 100.00)", "the total line")
    t = env.ok("--json", "deal", "totals").json()
    eq(t, {"deals": 3, "currencies": [
        {"currency": "JPY", "deals": 2, "amount": 1500000, "weighted": 780000},
        {"currency": "USD", "deals": 1, "amount": 19999, "weighted": 10000}]}, "deal totals (minor units)")
    eq(env.ok("--json", "deal", "totals", "--where", "status=won").json()["deals"], 1, "totals --where")
    _, rows = table(env.ok("deal", "stages", d["id"]).out)
    eq(rows[0]["to"], "提案", "stage history by stage name")
    eq(len(env.ok("--json", "deal", "list").json()), 3, "--json stays an array of documents")


@test
def test_money_decimals(env):
    env.ok("init")
    for text, doc in [("50000", {"amount": 50000, "currency": "JPY"}),
                      ("199.99 USD", {"amount": 19999, "currency": "USD"}),
                      ("199.9 usd", {"amount": 19990, "currency": "USD"}),
                      ("12.345 BHD", {"amount": 12345, "currency": "BHD"}),
                      ("1000 KRW", {"amount": 1000, "currency": "KRW"}),
                      ("0.5 EUR", {"amount": 50, "currency": "EUR"})]:
        eq(env.add("product", "--name", f"p {text}", "--price", text)["list_price"], doc, text)
    view = record_view(env.ok("product", "get", "2").out)
    eq(view["list_price"], "199.99 USD", "one record shows the amount as typed")
    # line items are in the deal's currency
    pl = env.add("pipeline", "--name", "P", "--stage", "A:10")
    d = env.add("deal", "--name", "D", "--pipeline", pl["id"], "--stage", pl["stages"][0]["id"],
                "--amount", "0 USD", "--item", "1:2:10.50")
    eq(d["line_items"][0]["unit_price"], {"amount": 1050, "currency": "USD"}, "item price in the deal's currency")
    eq(d["amount"], {"amount": 2100, "currency": "USD"}, "the deal's amount")


@test
def test_stage_probability_change(env):
    env.ok("init")
    pl = env.add("pipeline", "--name", "新規営業", "--stage", "提案:40", "--stage", "受注:100:won")
    d = env.add("deal", "--name", "刷新", "--pipeline", pl["id"], "--stage", pl["stages"][0]["id"],
                "--amount", "1000")
    u = env.ok("--json", "pipeline", "update", pl["id"], "--stage", "提案:60", "--stage", "受注:100:won").json()
    eq([(s["id"], s["probability"]) for s in u["stages"]],
       [(pl["stages"][0]["id"], 60), (pl["stages"][1]["id"], 100)], "the stages keep their ids")
    eq(env.ok("--json", "deal", "weighted", d["id"]).json()["amount"], 600, "the new probability applies")
    r = env.fails(EXIT_INVALID, "pipeline", "update", pl["id"], "--stage", "受注:100:won", contains="still holds")
    check("crm: hint:" in r.err and "crm deal move" in r.err and "keeps its id" in r.err, f"says what to do\n{r}")


@test
def test_log_actor(env):
    env.ok("init")
    u = env.add("user", "--name", "佐藤 花子", "--email", "hanako@example.jp")
    c = env.add("contact", "--name", "山田 太郎")
    i = env.ok("--json", "log", "call", "--contact", c["id"], "--actor", u["id"]).json()
    eq(i["actor_id"], u["id"], "--actor is the interaction's actor")
    check(all(h["actor_id"] == u["id"] for h in env.ok("--json", "interaction", "history", i["id"]).json()),
          "and the author of its history")
    j = env.ok("--json", "log", "note", "--contact", c["id"], env={"CRM_ACTOR": str(u["id"])}).json()
    eq(j["actor_id"], u["id"], "$CRM_ACTOR too")
    k = env.ok("--json", "log", "note", "--contact", c["id"]).json()
    eq(k["actor_id"], None, "no actor")
    v = env.add("user", "--name", "鈴木 一郎", "--email", "ichiro@example.jp")
    eq(env.ok("--json", "interaction", "update", k["id"], "--actor", v["id"]).json()["actor_id"], v["id"],
       "interaction update --actor")
    env.fails(EXIT_NOT_FOUND, "log", "call", "--contact", c["id"], "--actor", "99", contains="99")


@test
def test_names_and_help(env):
    ids = company(env)
    eq(len(env.ok("--json", "document", "list").json()), 2, "crm document = crm doc")
    eq(len(env.ok("--json", "contacts", "list").json()), 1, "plural kind names")
    check("send ID --contact" in env.ok("document", "--help").out, "the doc command's help")
    eq(env.ok("--json", "tag", "add", "doc", ids["document"], "重要").json()["tags"], ["重要"], "short kind name")
    eq(env.ok("--json", "tag", "add", "contacts", ids["contact"], "vip").json()["tags"], ["vip"], "plural kind name")
    r = env.fails(EXIT_USAGE, "tag", "add", "thing", "1", "x")
    check("contact" in r.err and "document" in r.err, f"the error lists the kinds\n{r}")
    # the help table: every summary starts in one column
    lines = env.ok("help").out.split("\n")
    rows = lines[lines.index("commands:") + 1:]
    rows = rows[: rows.index("")]
    cols = {len(l) - len(l[2:].split(" ", 1)[1].lstrip()) for l in rows}
    eq(len(cols), 1, f"aligned help rows: {rows}")
    check(any(l.startswith("  interaction ") for l in rows), "interaction row")
    eq({c["command"] for c in env.ok("--json", "help").json()["commands"]} >= {"history", "deal", "doc"}, True,
       "help --json")
    eq(env.ok("deal", "totals", "--help").code, 0, "a sub-command's --help")
    env.fails(EXIT_USAGE, "deal", "nosuch", "--help", contains="not a sub-command")
