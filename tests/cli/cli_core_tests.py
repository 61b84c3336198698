"""CLI tests of the customer graph (MISSION part A): init, contacts, accounts, users,
teams, output formats, filters, tags and custom fields, errors (the demo: cli_demo_tests.py)."""
from harness import *  # noqa: F401,F403


# ---- tests ------------------------------------------------------------------------------
@test
def test_init_and_version(env):
    r = env.ok("init")
    check("created, schema version" in r.out, r)
    check(os.path.getsize(env.db) > 0, "database file created")
    r = env.ok("--json", "init")
    doc = r.json()
    eq(doc["created"], False, "second init")
    v = env.ok("--json", "version").json()
    eq(doc["schema_version"], v["schema_version"], "schema version is the latest")
    check(re.match(r"^\d+\.\d+\.\d+$", v["library"]), v)
    check(env.ok("version").out.startswith("crm "), "version text")
    check("ready, schema version" in env.ok("init").out, "init on an existing file")
    eq(doc["upgraded_from"], None, "a current file is not upgraded")
    # A plain SQLite file the host made (user_version 0, a table of its own) is
    # brought up to the schema, and init says from which version.
    host = os.path.join(env.dir, "host.db")
    con = sqlite3.connect(host)
    con.execute("CREATE TABLE host_notes(x TEXT)")
    con.execute("INSERT INTO host_notes VALUES ('残す')")
    con.commit()
    con.close()
    r = env.ok("--db", host, "init")
    eq(r.out.strip(), f"{host}: upgraded from schema version 0 to {v['schema_version']}", "upgrade message")
    con = sqlite3.connect(host)
    eq(con.execute("SELECT x FROM host_notes").fetchall(), [("残す",)], "the host's table is kept")
    con.close()


@test
def test_contact_lifecycle(env):
    env.ok("init")
    acc = env.add("account", "--name", "株式会社サンプル", "--reading", "カブシキガイシャサンプル")
    c = env.add("contact", "--name", "山田 太郎", "--reading", "ヤマダ タロウ", "--email", "taro@example.jp",
                "--email", "t.yamada@example.com", "--phone", "03-1234-5678", "--title", "営業部長",
                "--department", "営業部", "--account", acc["id"], "--external-id", "EXT-1",
                "--city", "千代田区", "--set", "consent.email=true", "--set", "birthday=1980-04-01")
    cid = c["id"]
    eq(c["name"], "山田 太郎", "name")
    eq(c["name_reading"], "ヤマダ タロウ", "reading")
    eq([e["address"] for e in c["emails"]], ["taro@example.jp", "t.yamada@example.com"], "emails")
    eq(c["emails"][0]["primary"], True, "first email is primary")
    eq(c["account_id"], acc["id"], "account")
    eq(c["address"]["city"], "千代田区", "city")
    eq(c["consent"]["email"], True, "consent")
    eq(c["birthday"], "1980-04-01", "birthday stays text")

    # get by id / email / external id, in every format
    eq(env.ok("--json", "contact", "get", cid).json(), c, "get --json equals the created document")
    eq(env.ok("contact", "get", "--email", "T.YAMADA@example.com", "--json").json()["id"], cid, "get --email")
    eq(env.ok("contact", "get", "--external-id", "EXT-1", "--json").json()["id"], cid, "get --external-id")
    view = record_view(env.ok("contact", "get", cid).out)
    eq(view["name"], "山田 太郎", "table view")
    eq(view["title"], "営業部長", "table view title")
    eq(view["address.city"], "千代田区", "table view nested")
    rows = parse_csv(env.ok("--csv", "contact", "get", cid).out)
    eq(len(rows), 1, "one CSV row")
    eq(rows[0]["name_reading"], "ヤマダ タロウ", "CSV reading")
    eq(rows[0]["emails"], "taro@example.jp; t.yamada@example.com", "CSV emails")

    # update: field options, --set typing, --patch
    time.sleep(0.05)
    now = time.time()
    t_mid = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % int((now % 1) * 1000)
    time.sleep(0.05)
    u = env.ok("--json", "contact", "update", cid, "--title", "取締役", "--set", "lifecycle_stage=customer",
               "--set", "account_id=null", "--patch", '{"lead_source":"展示会"}').json()
    eq(u["title"], "取締役", "updated title")
    eq(u["lifecycle_stage"], "customer", "updated stage")
    eq(u["account_id"], None, "account cleared with null")
    eq(u["lead_source"], "展示会", "patched")
    eq(u["name"], "山田 太郎", "untouched field")

    # history: a create row, then one row per changed field
    hist = env.ok("--json", "contact", "history", cid).json()
    eq(hist[0]["op"], "create", "first history row")
    changed = {h["field"]: h for h in hist if h["op"] == "update"}
    eq(changed["title"]["old"], "営業部長", "old title")
    eq(changed["title"]["new"], "取締役", "new title")
    check("lifecycle_stage" in changed and "lead_source" in changed, changed)
    headers, trows = table(env.ok("contact", "history", cid).out)
    eq(headers, ["at", "actor", "op", "field", "old", "new"], "history columns")
    title_row = [r for r in trows if r["field"] == "title"][0]
    eq((title_row["op"], title_row["old"], title_row["new"]), ("update", "営業部長", "取締役"), "history table row")

    # as-of: before the update the title was the old one
    eq(env.ok("--json", "contact", "as-of", cid, t_mid).json()["title"], "営業部長", "as-of before update")
    eq(env.ok("--json", "contact", "as-of", cid, "2999-01-01").json()["title"], "取締役", "as-of in the future")

    # employment history: employer and title changes
    jobs = env.ok("--json", "contact", "jobs", cid).json()
    check({"title", "account_id"} <= {j["field"] for j in jobs}, jobs)

    # delete: gone for get, still in history
    r = env.ok("contact", "delete", cid)
    eq(r.out.strip(), f"deleted contact {cid}", "delete message")
    env.fails(EXIT_NOT_FOUND, "contact", "get", cid, contains=["no contact with id", "(not_found)"])
    eq(env.ok("--json", "contact", "history", cid).json()[-1]["op"], "delete", "delete is in the history")


@test
def test_accounts(env):
    env.ok("init")
    parent = env.add("account", "--name", "親会社ホールディングス株式会社", "--employees", "5000",
                     "--revenue", "12000000000 JPY", "--industry", "持株会社", "--region", "東京都")
    eq(parent["annual_revenue"], {"amount": 12000000000, "currency": "JPY"}, "revenue")
    eq(parent["address"]["region"], "東京都", "region is the address region")
    child = env.add("account", "--name", "子会社株式会社", "--employees", "80", "--parent", parent["id"],
                    "--status", "active", "--tag", "重要")
    eq(child["tags"], ["重要"], "tags")
    eq(child["contract_status"], "active", "status")
    subs = env.ok("--json", "account", "subsidiaries", parent["id"]).json()
    eq([s["id"] for s in subs], [child["id"]], "subsidiaries")
    big = env.ok("--json", "account", "list", "--where", "employee_count>=100").json()
    eq([a["id"] for a in big], [parent["id"]], "filter on employee_count")
    c = env.add("contact", "--name", "鈴木 一郎", "--account", child["id"])
    emp = env.ok("--json", "account", "contacts", child["id"]).json()
    eq([x["id"] for x in emp], [c["id"]], "account contacts")
    headers, rows = table(env.ok("account", "contacts", child["id"]).out)
    eq(rows[0]["account"], "子会社株式会社", "contact table shows the employer's name")
    env.fails(EXIT_INVALID, "account", "update", parent["id"], "--parent", child["id"],
              contains="constraint_violation")
    env.fails(EXIT_USAGE, "account", "add", "--name", "X", "--employees", "many", contains="--employees")


@test
def test_users_and_teams(env):
    env.ok("init")
    mgr = env.add("user", "--name", "佐藤 花子", "--reading", "サトウ ハナコ", "--email", "hanako@example.jp",
                  "--role", "manager")
    team = env.add("team", "--name", "東日本営業部", "--region", "関東", "--manager", mgr["id"])
    eq(team["manager_id"], mgr["id"], "manager")
    rep = env.add("user", "--name", "田中 健", "--email", "ken@example.jp", "--team", team["id"])
    u = env.ok("--json", "user", "update", mgr["id"], "--team", team["id"], "--active", "false").json()
    eq((u["team_id"], u["active"]), (team["id"], False), "user update")
    members = env.ok("--json", "team", "members", team["id"]).json()
    eq(sorted(m["id"] for m in members), sorted([mgr["id"], rep["id"]]), "team members")
    eq(env.ok("--json", "user", "get", "--email", "KEN@example.jp").json()["id"], rep["id"], "user by email")
    headers, rows = table(env.ok("team", "list").out)
    eq(rows[0]["manager"], "佐藤 花子", "team table shows the manager's name")
    headers, rows = table(env.ok("user", "list").out)
    eq({r["team"] for r in rows}, {"東日本営業部"}, "user table shows the team name")
    env.fails(EXIT_INVALID, "user", "add", "--name", "重複", "--email", "hanako@example.jp",
              contains="already_exists")
    env.fails(EXIT_INVALID, "team", "add", "--name", "東日本営業部", contains="already_exists")
    env.fails(EXIT_INVALID, "user", "add", "--name", "X", "--email", "x@example.jp", "--role", "boss",
              contains="role")
    h = env.ok("--json", "team", "history", team["id"]).json()
    eq(h[0]["op"], "create", "team history")
    env.ok("team", "delete", team["id"])
    env.fails(EXIT_NOT_FOUND, "team", "members", team["id"], contains="not_found")


@test
def test_json_and_csv_output(env):
    env.ok("init")
    a = env.add("contact", "--name", "渡辺 美咲", "--title", 'Sales, "Japan"\n営業', "--email", "m@example.jp")
    b = env.add("contact", "--name", "O'Brien, Kate", "--email", "kate@example.com")
    docs = env.ok("contact", "list", "--json").json()
    eq(docs, [a, b], "--json list is the array of documents")
    eq(env.ok("--json", "contact", "list", "--where", "name=nobody").json(), [], "empty JSON array")
    raw = env.ok("--csv", "contact", "list").out
    rows = parse_csv(raw)
    eq(len(rows), 2, "two CSV rows")
    eq(list(rows[0].keys())[:3], ["id", "external_id", "name"], "CSV header starts with id")
    eq(rows[0]["title"], 'Sales, "Japan"\n営業', "CSV quoting round-trips")
    eq(rows[1]["name"], "O'Brien, Kate", "comma in a field")
    check('"Sales, ""Japan""\n営業"' in raw, "RFC 4180 quotes doubled")
    eq(rows[0]["consent.email"], "false", "nested keys flattened")
    # a table never breaks a row on an embedded newline
    headers, trows = table(env.ok("contact", "list").out)
    eq(len(trows), 2, "two table rows")
    h = parse_csv(env.ok("--csv", "contact", "history", a["id"]).out)
    eq(list(h[0].keys()), ["at", "actor", "op", "field", "old", "new"], "history CSV header")
    eq(json.loads(h[0]["new"])["name"], "渡辺 美咲", "history CSV keeps the JSON text")
    eq(env.ok("--json", "contact", "delete", b["id"]).json(), {"entity": "contact", "id": b["id"], "deleted": True},
       "delete --json")


@test
def test_table_alignment(env):
    env.ok("init")
    names = ["山田 太郎", "ＡＢＣ商事", "ｶﾀｶﾅ ﾊﾝｶｸ", "Smith", "Zoë Ångström", "がぎぐげご"]
    for i, n in enumerate(names):
        env.add("contact", "--name", n, "--email", f"p{i}@example.jp", "--title", "部長" if i % 2 else "Manager")
    long_title = "代表取締役社長兼最高経営責任者" * 4
    env.add("contact", "--name", "長 い", "--title", long_title)
    out = env.ok("contact", "list").out
    headers, rows = table(out)  # fails if any row is misaligned by display width
    eq(headers[:4], ["id", "name", "reading", "email"], "columns")
    eq([r["name"] for r in rows], names + ["長 い"], "names, aligned")
    eq(rows[0]["email"], "p0@example.jp", "cell after a wide name")
    eq(rows[2]["email"], "p2@example.jp", "cell after half-width katakana")
    cut = rows[-1]["title"]
    check(cut.endswith("...") and width(cut) <= 40 and long_title.startswith(cut[:-3]), f"truncated: {cut!r}")


@test
def test_filters_and_paging(env):
    env.ok("init")
    ids = []
    for i in range(7):
        c = env.add("contact", "--name", f"顧客{i}", "--reading", f"コキャク{i}", "--email", f"c{i}@example.jp",
                    "--stage", "customer" if i % 2 else "lead", "--tag", "even" if i % 2 == 0 else "odd")
        ids.append(c["id"])
    # pages of 3 via the cursor printed on stderr
    seen, cursor, pages = [], None, 0
    while True:
        args = ["--json", "contact", "list", "--limit", "3"] + (["--after", cursor] if cursor else [])
        r = env.ok(*args)
        seen += [d["id"] for d in r.json()]
        pages += 1
        m = re.search(r"^next: (.+)$", r.err, re.M)
        if not m:
            break
        cursor = m.group(1)
    eq(seen, ids, "paging visits every record once, in order")
    eq(pages, 3, "three pages of at most 3")
    eq([d["id"] for d in env.ok("--json", "contact", "list", "--all", "--limit", "2").json()], ids, "--all")
    check("next:" not in env.ok("contact", "list", "--all", "--limit", "2").err, "--all prints no cursor")
    desc = env.ok("--json", "contact", "list", "--sort", "name_reading", "--desc").json()
    eq([d["id"] for d in desc], list(reversed(ids)), "--sort --desc")
    cust = env.ok("--json", "contact", "list", "--where", "lifecycle_stage=customer").json()
    eq([d["id"] for d in cust], ids[1::2], "--where")
    both = env.ok("--json", "contact", "list", "--where", "tag=even", "--where", "name^=顧客").json()
    eq([d["id"] for d in both], ids[0::2], "two filters AND")
    eq(env.ok("--json", "contact", "list", "--where", "name~客3").json()[0]["id"], ids[3], "contains")
    eq(len(env.ok("--json", "contact", "list", "--where", "!account_id").json()), 7, "is-null filter")
    env.fails(EXIT_INVALID, "contact", "list", "--where", "nosuch=1", contains="nosuch")
    env.fails(EXIT_USAGE, "contact", "list", "--where", "name", contains="operator")
    env.fails(EXIT_INVALID, "contact", "list", "--limit", "0", contains="--limit")
    env.fails(EXIT_INVALID, "contact", "list", "--sort", "emails")


@test
def test_tags_and_custom_fields(env):
    env.ok("init")
    c = env.add("contact", "--name", "高橋 優子", "--email", "yuko@example.jp")
    a = env.add("account", "--name", "株式会社テスト")
    d = env.ok("--json", "field", "define", "contact", "rank", "enum", "--label", "顧客ランク",
               "--option", "A", "--option", "B").json()
    eq((d["name"], d["label"], d["type"], d["options"]), ("rank", "顧客ランク", "enum", ["A", "B"]), "define")
    env.ok("field", "define", "contact", "score", "integer")
    env.ok("field", "define", "account", "vip", "bool")
    headers, rows = table(env.ok("field", "list", "contact").out)
    eq([(r["name"], r["label"], r["type"]) for r in rows], [("rank", "顧客ランク", "enum"), ("score", "", "integer")],
       "field list")
    eq(len(env.ok("--json", "field", "list").json()), 3, "field list of every entity")

    eq(env.ok("--json", "custom", "set", "contact", c["id"], "rank", "A").json()["custom"], {"rank": "A"}, "custom set")
    eq(env.ok("--json", "custom", "set", "contact", c["id"], "score", "42").json()["custom"]["score"], 42,
       "integer custom value")
    eq(env.ok("--json", "custom", "set", "account", a["id"], "vip", "true").json()["custom"], {"vip": True}, "bool")
    u = env.ok("--json", "contact", "update", c["id"], "--set", "custom.score=7").json()
    eq(u["custom"]["score"], 7, "--set custom.* is typed by the definition")
    env.fails(EXIT_INVALID, "custom", "set", "contact", c["id"], "rank", "Z", contains="custom.rank")
    env.fails(EXIT_USAGE, "custom", "set", "contact", c["id"], "score", "many", contains="not an integer")
    env.fails(EXIT_NOT_FOUND, "custom", "set", "contact", c["id"], "nosuch", "1", contains="not_found")
    eq([x["id"] for x in env.ok("--json", "contact", "list", "--where", "custom.score>=5").json()], [c["id"]],
       "filter on a custom field")
    eq(env.ok("--json", "contact", "list", "--where", "custom.score>7").json(), [], "custom filter excludes")

    eq(env.ok("--json", "tag", "add", "contact", c["id"], "展示会2025").json()["tags"], ["展示会2025"], "tag add")
    env.ok("tag", "add", "contact", c["id"], "vip")
    eq([x["id"] for x in env.ok("--json", "contact", "list", "--where", "tag=展示会2025").json()], [c["id"]],
       "filter on a tag")
    eq(env.ok("--json", "tag", "remove", "contact", c["id"], "展示会2025").json()["tags"], ["vip"], "tag remove")
    env.fails(EXIT_NOT_FOUND, "tag", "add", "contact", 999, "x", contains="not_found")
    env.fails(EXIT_USAGE, "tag", "add", "widget", c["id"], "x", contains="not an entity")

    env.fails(EXIT_INVALID, "field", "remove", "contact", "score", contains="constraint_violation")
    env.ok("custom", "unset", "contact", c["id"], "score")
    eq(env.ok("field", "remove", "contact", "score").out.strip(), "removed custom field contact.score", "remove")
    eq([f["name"] for f in env.ok("--json", "field", "list", "contact").json()], ["rank"], "after remove")
    env.fails(EXIT_INVALID, "field", "define", "contact", "x", "colour", contains="type")


@test
def test_from_json(env):
    env.ok("init")
    path = os.path.join(env.dir, "people.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump([{"name": "伊藤 陽菜", "name_reading": "イトウ ヒナ", "emails": ["hina@example.jp"]},
                   {"name": "小林 翔", "emails": [{"address": "sho@example.jp", "label": "work"}]}], f,
                  ensure_ascii=False)
    docs = env.ok("--json", "contact", "add", "--from-json", path, "--stage", "mql").json()
    eq([d["name"] for d in docs], ["伊藤 陽菜", "小林 翔"], "array of records")
    eq({d["lifecycle_stage"] for d in docs}, {"mql"}, "command-line options apply to each")
    one = env.ok("--json", "contact", "add", "--from-json", "-",
                 stdin='{"name":"中村 蓮","title":"課長"}').json()
    eq(one["title"], "課長", "from stdin")
    # all or nothing: the second element is invalid, so nothing is added
    with open(path, "w", encoding="utf-8") as f:
        json.dump([{"name": "OK"}, {"name": "Bad", "emails": ["not-an-email"]}], f)
    env.fails(EXIT_INVALID, "contact", "add", "--from-json", path, contains="record 2 of 2")
    env.fails(EXIT_INVALID, "contact", "add", "--from-json", "-", stdin='{"name":"x","colour":"red"}',
              contains="colour")
    env.fails(EXIT_INVALID, "contact", "add", "--from-json", "-", stdin="{not json", contains="not valid JSON")
    eq(len(env.ok("--json", "contact", "list").json()), 3, "failed imports added nothing")
    env.fails(EXIT_NOT_FOUND, "contact", "add", "--from-json", os.path.join(env.dir, "missing.json"))


@test
def test_errors(env):
    # no database yet: an error, and no file is created by a read
    env.fails(EXIT_NOT_FOUND, "contact", "list", contains=["no such database file", "crm init"])
    check(not os.path.exists(env.db), "a failed command does not create the database")
    env.ok("init")
    c = env.add("contact", "--name", "既存 顧客", "--email", "kizon@example.jp")
    env.fails(EXIT_NOT_FOUND, "contact", "get", "4242", contains=["no contact with id 4242", "(not_found)"])
    env.fails(EXIT_NOT_FOUND, "account", "update", "4242", "--name", "x", contains="not_found")
    env.fails(EXIT_NOT_FOUND, "user", "delete", "4242", contains="not_found")
    env.fails(EXIT_NOT_FOUND, "contact", "get", "--email", "nobody@example.jp", contains="not_found")
    env.fails(EXIT_INVALID, "contact", "add", "--name", "悪い メール", "--email", "not-an-email",
              contains=["email", "(invalid_argument)"])
    env.fails(EXIT_INVALID, "contact", "add", "--name", "重複", "--email", "KIZON@example.jp", contains="already_exists")
    env.fails(EXIT_USAGE, "contact", "add", "--name", b"\xff\xfe bad", contains="UTF-8")
    env.fails(EXIT_USAGE, "contact", "update", c["id"], "--set", b"title=\xc3", contains="UTF-8")
    env.fails(EXIT_USAGE, "contact", "get", "abc", contains="not a record id")
    env.fails(EXIT_USAGE, "contact", "as-of", c["id"], "yesterday", contains="ISO-8601")
    env.fails(EXIT_INVALID, "contact", "update", c["id"], "--set", "nosuch=1", contains="nosuch")
    env.fails(EXIT_USAGE, "contact", "update", c["id"], "--patch", "{oops", contains="--patch")
    env.fails(EXIT_INVALID, "contact", "update", c["id"], "--set", "name=", contains="name")
    eq(env.ok("--json", "contact", "list").json(), [c], "failed writes left the data as it was")
    env.fails(EXIT_USAGE, "frobnicate", contains=["not a crm command", "(usage)"])
    env.fails(EXIT_USAGE, b"\xff", contains="UTF-8")
    env.fails(EXIT_USAGE, "contact", contains="sub-command")
    env.fails(EXIT_USAGE, "contact", "explode", contains="not a sub-command")
    env.fails(EXIT_USAGE, "contact", "list", "--bogus", contains="unknown option '--bogus'")
    env.fails(EXIT_USAGE, "contact", "get", contains="missing")
    env.fails(EXIT_USAGE, "contact", "get", "1", "2", contains="unexpected argument")
    env.fails(EXIT_USAGE, "contact", "update", c["id"], contains="nothing to update")
    env.fails(EXIT_USAGE, "--db", contains="needs a value")
    env.fails(EXIT_USAGE, contains="no command")
    # a file that is not a database: an error, and the file is left exactly as it was
    notdb = os.path.join(env.dir, "notes.txt")
    content = "これはデータベースではありません\n" * 200
    with open(notdb, "w", encoding="utf-8") as f:
        f.write(content)
    before = os.stat(notdb)
    env.fails(EXIT_OTHER, "--db", notdb, "contact", "list", contains=["notes.txt", "corrupt"])
    env.fails(EXIT_OTHER, "--db", notdb, "init", contains="corrupt")
    eq(open(notdb, encoding="utf-8").read(), content, "non-database file unchanged")
    eq(os.stat(notdb).st_mtime_ns, before.st_mtime_ns, "not even touched")
    eq([f for f in os.listdir(env.dir) if f.startswith("notes")], ["notes.txt"], "no -wal/-journal next to it")
    # help
    check("usage: crm" in env.ok("help").out, "help")
    check("--email" in env.ok("help", "contact").out, "help contact")
    check("usage: crm contact" in env.ok("contact", "add", "--help").out, "--help")
    env.fails(EXIT_USAGE, "help", "nosuch", contains="not a crm command")


@test
def test_actor_and_env(env):
    env.ok("init")
    u = env.add("user", "--name", "記録 者", "--email", "actor@example.jp")
    c = env.add("contact", "--name", "対象", "--actor", u["id"])
    env.run("contact", "update", c["id"], "--title", "係長", env={"CRM_ACTOR": str(u["id"])})
    hist = env.ok("--json", "contact", "history", c["id"]).json()
    eq({h["actor_id"] for h in hist}, {u["id"]}, "changes carry the actor")
    other = os.path.join(env.dir, "other.db")
    env.ok("init", env={"CRM_DB": other})
    eq(env.ok("--json", "contact", "list", env={"CRM_DB": other}).json(), [], "CRM_DB picks the database")
    eq(len(env.ok("--json", "contact", "list", "--db", env.db, env={"CRM_DB": other}).json()), 1, "--db wins")
