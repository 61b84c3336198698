#!/usr/bin/env python3
"""End-to-end tests of the crm command-line tool.

usage: test_cli.py CRM_BINARY [TEST ...]     (no TEST: run them all)
       test_cli.py --list                       (the test names)

Every test runs the real binary over a fresh temporary database and checks
stdout, stderr, exit codes and what ends up stored. Python 3 standard library only.
"""
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata

CRM = None
TESTS = {}

EXIT_USAGE, EXIT_NOT_FOUND, EXIT_INVALID, EXIT_OTHER = 1, 2, 3, 4


def test(fn):
    TESTS[fn.__name__[len("test_"):]] = fn
    return fn


class Result:
    def __init__(self, args, code, out, err):
        self.args, self.code, self.out, self.err = args, code, out, err

    def __repr__(self):
        return f"crm {self.args!r} -> {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"

    def json(self):
        return json.loads(self.out)


class Env:
    """A temporary directory with CRM_DB pointing at a database inside it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="crm-cli-test-")
        self.db = os.path.join(self.dir, "test.db")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, *args, stdin=None, env=None):
        e = dict(os.environ)
        e.pop("CRM_ACTOR", None)
        e["CRM_DB"] = self.db
        if env:
            e.update(env)
        argv = [CRM] + [a if isinstance(a, bytes) else str(a) for a in args]
        p = subprocess.run(argv, input=stdin.encode() if isinstance(stdin, str) else stdin,
                           capture_output=True, env=e, cwd=self.dir, timeout=300)
        return Result(args, p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8"))

    def ok(self, *args, **kw):
        r = self.run(*args, **kw)
        check(r.code == 0, f"expected success\n{r}")
        check(r.err == "" or "next:" in r.err or "creating" in r.err, f"unexpected stderr\n{r}")
        return r

    def fails(self, code, *args, contains=None, **kw):
        r = self.run(*args, **kw)
        check(r.code == code, f"expected exit code {code}\n{r}")
        check(r.out == "", f"a failed command printed to stdout\n{r}")
        check(r.err.startswith("crm: error: "), f"error message format\n{r}")
        if contains:
            for c in [contains] if isinstance(contains, str) else contains:
                check(c in r.err, f"expected {c!r} in stderr\n{r}")
        return r

    def add(self, entity, *args):
        return self.ok("--json", entity, "add", *args).json()


class Failed(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failed(msg)


def eq(a, b, what=""):
    check(a == b, f"{what}: expected {b!r}, got {a!r}")


# ---- display width, as a terminal shows it -----------------------------------------
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def from_column(line, col):
    """The text of `line` from display column `col`; fails if `col` splits a wide character."""
    w = 0
    for i, ch in enumerate(line):
        if w == col:
            return line[i:]
        w += width(ch)
        if w > col:
            raise Failed(f"column {col} falls inside a wide character in {line!r}")
    return ""  # trailing empty cells: the line was right-trimmed


def table(out):
    """Parses an aligned table: header columns start where the '---' rules start."""
    lines = out.rstrip("\n").split("\n")
    check(len(lines) >= 2 and set(lines[1]) <= {"-", " "}, f"not a table:\n{out}")
    starts = [m.start() for m in re.finditer(r"-+", lines[1])]  # the rule line is ASCII
    headers = [lines[0][s:].split("  ")[0].strip() for s in starts]
    rows = []
    for line in lines[2:]:
        cells = []
        for k, s in enumerate(starts):
            rest = from_column(line, s)
            if k + 1 < len(starts):
                # the cell ends before the next column; the gap is at least two spaces
                nxt = from_column(line, starts[k + 1])
                cell = rest[: len(rest) - len(nxt)]
                if nxt:
                    check(cell.endswith("  ") or cell.strip() == "", f"no gap before column {k + 1}: {line!r}")
                cells.append(cell.strip())
            else:
                cells.append(rest.strip())
        rows.append(dict(zip(headers, cells)))
    return headers, rows


def record_view(out):
    """Parses the 'field  value' view of one record."""
    d = {}
    for line in out.rstrip("\n").split("\n"):
        parts = line.split(None, 1)
        d[parts[0]] = parts[1] if len(parts) > 1 else ""
    return d


def parse_csv(out):
    check(out.endswith("\r\n"), "CSV lines end with CRLF")
    return list(csv.DictReader(io.StringIO(out, newline="")))


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
    env.fails(EXIT_INVALID, "account", "add", "--name", "X", "--employees", "many", contains="--employees")


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
    env.fails(EXIT_INVALID, "contact", "list", "--where", "name", contains="operator")
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
    env.fails(EXIT_INVALID, "custom", "set", "contact", c["id"], "score", "many", contains="not an integer")
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
def test_demo(env):
    db = os.path.join(env.dir, "demo.db")
    r = env.ok("demo", "--size", "small", "--db", db)
    out = r.out
    check("sample company created" in out, r)
    _, counts = table(out.split("\n\n")[1])
    counts = {row["entity"]: int(row["count"]) for row in counts}
    eq((counts["users"], counts["teams"], counts["accounts"], counts["contacts"]), (5, 2, 20, 200), "counts")
    check(counts["history rows"] >= 227, "a history row per created record")
    check("contacts by lifecycle stage" in out and "top accounts by contacts" in out, out)
    samples = table(out.split("sample contacts\n")[1].split("\n\n")[0])[1]
    check(len(samples) >= 3, "sample contacts shown")
    for s in samples:
        check(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", s["name"]), f"Japanese name: {s}")
        check(re.fullmatch(r"[\u30a0-\u30ff\u3000 ]+", s["reading"]), f"katakana reading: {s}")

    # the summary matches what a query of the database says
    j = env.ok("--json", "demo", "--db", os.path.join(env.dir, "demo2.db"), "--seed", "42").json()
    eq(j["counts"], {"users": 5, "teams": 2, "accounts": 20, "contacts": 200}, "JSON counts")
    eq(sum(j["contacts_by_stage"].values()), 200, "stages add up")
    eq(len(env.ok("--json", "--db", db, "contact", "list", "--where", "lifecycle_stage=customer", "--all").json()),
       j["contacts_by_stage"].get("customer", 0), "stage count matches a filtered list")
    top = j["top_accounts"][0]
    eq(len(env.ok("--json", "--db", db, "account", "contacts", top["id"]).json()), top["contacts"], "top account")
    eq(sorted((t["contacts"] for t in j["top_accounts"]), reverse=True), [t["contacts"] for t in j["top_accounts"]],
       "top accounts sorted")
    # deterministic: same seed, same people
    j2 = env.ok("--json", "demo", "--db", os.path.join(env.dir, "demo3.db")).json()
    strip = lambda docs: [{k: v for k, v in d.items() if k not in ("created_at", "updated_at")} for d in docs]
    eq(strip(j2["sample_contacts"]), strip(j["sample_contacts"]), "same seed, same sample")

    # never overwrites a non-empty file without --force
    before = open(db, "rb").read()
    env.fails(EXIT_INVALID, "demo", "--db", db, contains=["not empty", "already_exists"])
    eq(open(db, "rb").read(), before, "existing database untouched")
    env.ok("demo", "--db", db, "--force", "--size", "30", "--seed", "7")
    eq(env.ok("--json", "--db", db, "contact", "list", "--all").json().__len__(), 30, "--force replaced it")
    env.fails(EXIT_INVALID, "demo", "--db", os.path.join(env.dir, "d4.db"), "--size", "huge", contains="--size")


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
    env.fails(EXIT_INVALID, "contact", "add", "--name", b"\xff\xfe bad", contains="UTF-8")
    env.fails(EXIT_INVALID, "contact", "update", c["id"], "--set", b"title=\xc3", contains="UTF-8")
    env.fails(EXIT_INVALID, "contact", "get", "abc", contains="not a record id")
    env.fails(EXIT_INVALID, "contact", "as-of", c["id"], "yesterday", contains="ISO-8601")
    env.fails(EXIT_INVALID, "contact", "update", c["id"], "--set", "nosuch=1", contains="nosuch")
    env.fails(EXIT_INVALID, "contact", "update", c["id"], "--patch", "{oops", contains="--patch")
    env.fails(EXIT_INVALID, "contact", "update", c["id"], "--set", "name=", contains="name")
    eq(env.ok("--json", "contact", "list").json(), [c], "failed writes left the data as it was")
    env.fails(EXIT_USAGE, "frobnicate", contains=["not a crm command", "(usage)"])
    env.fails(EXIT_INVALID, b"\xff", contains="UTF-8")
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


# ---- service (MISSION B5): tickets, calendars, SLA policies -------------------------
@test
def test_ticket_workflow(env):
    env.ok("init")
    c = env.add("contact", "--name", "山田 太郎", "--email", "taro@example.jp")
    t = env.add("ticket", "--subject", "請求書が届かない", "--priority", "high", "--channel", "line",
                "--requester", c["id"], "--tag", "請求")
    eq(t["status"], "new", "a new ticket")
    eq(t["requester_id"], c["id"], "requester")
    _, rows = table(env.ok("ticket", "list").out)
    eq(rows[0]["subject"], "請求書が届かない", "table shows the Japanese subject")
    eq(len(env.ok("--json", "ticket", "list", "--where", "priority=high").json()), 1, "list filter")
    # the workflow cannot be bypassed: refused, and nothing changes
    before = env.ok("--json", "ticket", "get", t["id"]).json()
    env.fails(EXIT_INVALID, "ticket", "status", t["id"], "closed", contains=["cannot become closed", "constraint_violation"])
    env.fails(EXIT_INVALID, "ticket", "update", t["id"], "--patch", '{"status":"resolved"}', contains="transition")
    env.fails(EXIT_INVALID, "ticket", "status", t["id"], "done", contains="not a status")
    eq(env.ok("--json", "ticket", "get", t["id"]).json(), before, "refused changes leave the ticket as it was")
    for s in ["open", "pending", "open", "resolved"]:
        eq(env.ok("--json", "ticket", "status", t["id"], s).json()["status"], s, "transition")
    r = env.ok("--json", "ticket", "respond", t["id"], "--at", "2030-01-01T00:00:00Z").json()
    check(r["first_response_at"] is not None, "first response recorded")
    again = env.ok("--json", "ticket", "respond", t["id"]).json()
    eq(again["first_response_at"], r["first_response_at"], "the first response is kept")
    closed = env.ok("--json", "ticket", "status", t["id"], "closed").json()
    check(closed["closed_at"] is not None and closed["resolved_at"] is not None, "resolved_at and closed_at set")
    hist = env.ok("--json", "ticket", "history", t["id"], "--status").json()
    eq([h["to"] for h in hist], ["new", "open", "pending", "open", "resolved", "closed"], "status history")
    eq(env.ok("--json", "ticket", "update", t["id"], "--subject", "請求書が届かない（解決済み）").json()["status"],
       "closed", "a field update keeps the status")
    env.ok("ticket", "delete", t["id"])
    env.fails(EXIT_NOT_FOUND, "ticket", "get", t["id"], contains="not_found")


@test
def test_ticket_sla(env):
    env.ok("init")
    cal = os.path.join(env.dir, "cal.json")
    with open(cal, "w", encoding="utf-8") as f:
        wd = [["09:00", "12:00"], ["13:00", "18:00"]]
        json.dump({"name": "日本営業日", "utc_offset": "+09:00",
                   "hours": {d: wd for d in ["mon", "tue", "wed", "thu", "fri"]},
                   "holidays": ["2026-01-01", "2026-01-02", "2026-01-12"]}, f, ensure_ascii=False)
    c = env.ok("--json", "calendar", "define", "--from-json", cal).json()
    eq(c["utc_offset"], "+09:00", "calendar offset")
    eq(len(env.ok("--json", "calendar", "list").json()), 1, "calendar list")
    p = env.ok("--json", "sla", "define", "--name", "標準SLA", "--calendar", c["id"], "--target", "high=60/480").json()
    eq(p["targets"]["high"]["first_response_minutes"], 60, "policy target")
    env.fails(EXIT_INVALID, "sla", "define", "--name", "x", "--target", "critical=1/2", contains="priority")
    t = env.add("ticket", "--subject", "至急：システム停止", "--priority", "high", "--sla-policy", p["id"],
                "--opened-at", "2026-01-09T17:30:00+09:00")
    s = env.ok("--json", "ticket", "sla", t["id"], "--now", "2026-01-13T09:00:00+09:00").json()
    eq(s["first_response"]["due_at"], "2026-01-13T00:30:00.000Z", "due after the weekend and 成人の日")
    eq(s["first_response"]["state"], "pending", "not yet breached")
    eq(s["first_response"]["elapsed_business_minutes"], 30, "elapsed business time")
    a = env.ok("--json", "ticket", "breaching", "--within", "60", "--now", "2026-01-13T09:00:00+09:00").json()
    eq([(x["ticket_id"], x["target"], x["breached"]) for x in a], [(t["id"], "first_response", False)], "due soon")
    eq(env.ok("--json", "ticket", "breaching", "--now", "2026-01-13T09:00:00+09:00").json(), [], "nothing breached yet")
    a = env.ok("--json", "ticket", "breaching", "--now", "2026-01-13T09:31:00+09:00").json()
    eq([x["breached"] for x in a], [True], "breached")
    _, rows = table(env.ok("ticket", "breaching", "--now", "2026-01-13T09:31:00+09:00").out)
    eq(rows[0]["subject"], "至急：システム停止", "table output")


@test
def test_interactions_timeline_ingest_email(env):  # [interactions]
    env.ok("init")
    acct = env.add("account", "--name", "株式会社サンプル")["id"]
    taro = env.add("contact", "--name", "山田 太郎", "--account", acct)["id"]
    call = int(env.ok("log", "call", "--contact", taro, "--subject", "初回ヒアリング", "--body", "予算は来期",
                      "--direction", "outbound", "--at", "2026-04-01T10:00:00+09:00").out.strip())
    mail = int(env.ok("interaction", "add", "email", "--contact", taro, "--subject", "お礼メール",
                      "--at", "2026-04-02T09:00:00+09:00").out.strip())
    eq(env.ok("--json", "interaction", "get", call).json()["subject"], "初回ヒアリング", "get")
    env.fails(3, "log", "Bad-Kind", "--contact", taro, contains="kind")
    env.fails(2, "log", "call", "--contact", 999, contains="contact_ids")
    docs = env.ok("--json", "timeline", "account", acct).json()
    eq([d["id"] for d in docs], [mail, call], "account timeline rolls up contacts, newest first")
    r = env.ok("--json", "timeline", "contact", taro, "--limit", "1")
    eq([d["id"] for d in r.json()], [mail], "first page")
    cursor = r.err.split("next:")[1].strip()
    eq([d["id"] for d in env.ok("--json", "timeline", "contact", taro, "--limit", "1", "--after", cursor).json()],
       [call], "second page")
    eq([d["id"] for d in env.ok("--json", "timeline", "contact", taro, "--kind", "call").json()], [call], "kind filter")
    _, rows = table(env.ok("timeline", "contact", taro).out)
    eq(rows[0]["subject"], "お礼メール", "table output")
    eq(env.ok("email", "track", mail, "opened").code, 0, "track")
    env.ok("email", "track", mail, "clicked", "--url", "https://example.jp/s")
    env.fails(3, "email", "track", call, "opened", contains="not an email")
    ev = env.ok("--json", "email", "events", mail).json()
    eq([e["event"] for e in ev], ["opened", "clicked"], "email events")
    lines = "\n".join(json.dumps({"kind": "web_visit", "external_id": f"ga-{n}", "contact_ids": [taro],
                                   "occurred_at": 1775000000000 + n, "url": f"https://example.jp/p/{n}"},
                                  ensure_ascii=False) for n in range(25)) + "\n"
    path = os.path.join(env.dir, "visits.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write(lines)
    r = env.run("--json", "ingest", path, "--batch", "10")
    check(r.code == 0 and "stored" in r.err, f"ingest\n{r}")
    eq(r.json()["inserted"], 25, "ingested")
    r = env.run("--json", "ingest", path)
    eq((r.code, r.json()["inserted"], r.json()["duplicates"]), (0, 0, 25), "replay adds nothing")
    bad = os.path.join(env.dir, "bad.jsonl")
    with open(bad, "w", encoding="utf-8") as f:
        f.write(json.dumps({"kind": "note", "external_id": "n-1", "contact_ids": [taro]}) + "\n")
        f.write(json.dumps({"kind": "note", "external_id": "n-2", "contact_ids": [4242]}) + "\n")
    r = env.run("ingest", bad)
    check(r.code == 2 and "line 2" in r.err, f"all or nothing\n{r}")
    eq(len(env.ok("--json", "timeline", "contact", taro, "--kind", "note").json()), 0, "nothing stored")
    r = env.run("--json", "ingest", bad, "--per-item")
    eq((r.code, r.json()["inserted"], r.json()["failed"]), (3, 1, 1), "per item")


@test
def test_work_tasks(env):
    env.ok("init")
    c = env.add("contact", "--name", "山田 太郎")
    t = env.add("task", "--title", "見積書を送る", "--due", "2026-11-24T10:00:00+09:00",
                "--remind", "2026-11-24T09:00:00+09:00", "--link", f"contact:{c['id']}", "--priority", "high")
    eq(t["links"], [{"entity": "contact", "id": c["id"]}], "linked to the contact")
    env.add("task", "--title", "昨夜の電話", "--due", "2026-11-23T23:00:00+09:00")
    env.add("task", "--title", "明日の訪問", "--due", "2026-11-25T00:00:00+09:00")
    now = "2026-11-24T08:00:00+09:00"
    due = env.ok("--json", "task", "due", "--today", "--tz", "+09:00", "--now", now).json()
    eq([x["title"] for x in due], ["見積書を送る"], "today in Tokyo")
    due = env.ok("--json", "task", "due", "--today", "--tz", "+00:00", "--now", now).json()
    eq([x["title"] for x in due], ["昨夜の電話"], "today in UTC is still the 23rd")
    over = env.ok("--json", "task", "due", "--overdue", "--now", "2026-11-24T12:00:00+09:00").json()
    eq([x["title"] for x in over], ["昨夜の電話", "見積書を送る"], "overdue")
    env.fails(EXIT_INVALID, "task", "due", "--tz", "JST", contains="tz")
    env.fails(EXIT_INVALID, "task", "add", "--title", "x", "--link", "contact:999", contains="links[0]")
    r = env.ok("--json", "task", "remind", "--now", "2026-11-24T09:30:00+09:00").json()
    eq([x["task_id"] for x in r], [t["id"]], "the reminder is claimed")
    eq(env.ok("--json", "task", "remind", "--now", "2026-11-24T09:30:00+09:00").json(), [], "only once")
    u = env.ok("--json", "task", "update", t["id"], "--status", "done").json()
    check(u["completed_at"] is not None, "completed_at set")
    hist = env.ok("--json", "task", "history", t["id"]).json()
    check(any(h["field"] == "status" for h in hist), "status change in history")
    _, rows = table(env.ok("task", "list").out)
    eq(rows[0]["title"], "見積書を送る", "table shows the Japanese title")
    r = env.run("task", "delete", t["id"])
    eq(r.code, 0, "delete")
    eq(r.out.strip(), f"deleted task {t['id']}", "delete prints on stdout")
    env.fails(EXIT_NOT_FOUND, "task", "get", t["id"], contains="not_found")


@test
def test_work_documents(env):
    import hashlib
    env.ok("init")
    a = env.add("account", "--name", "株式会社テスト")
    c = env.add("contact", "--name", "鈴木 花子")
    data = bytes(range(256)) * 1000 + b"\0end"
    src = os.path.join(env.dir, "見積書_2026.pdf")
    with open(src, "wb") as f:
        f.write(data)
    d = env.ok("--json", "doc", "add", src, "--kind", "quote", "--mime", "application/pdf",
               "--account", a["id"]).json()
    eq(d["name"], "見積書_2026.pdf", "name from the file")
    eq(d["size"], len(data), "size")
    eq(d["sha256"], hashlib.sha256(data).hexdigest(), "SHA-256")
    out = os.path.join(env.dir, "戻り.pdf")
    r = env.run("doc", "get", d["id"], "--out", out)
    eq(r.code, 0, f"doc get --out\n{r}")
    with open(out, "rb") as f:
        check(f.read() == data, "content round trip")
    env.fails(EXIT_INVALID, "doc", "add", src, "--kind", "quote", "--account", "999", contains="links[0]")
    eq(len(env.ok("--json", "doc", "list").json()), 1, "the refused document was not stored")
    s = env.ok("--json", "doc", "send", d["id"], "--contact", c["id"], "--at", "2026-11-24T10:00:00+09:00").json()
    eq([(x["contact_id"], x["sent_at"]) for x in s], [(c["id"], "2026-11-24T01:00:00.000Z")], "send recorded")
    eq(len(env.ok("--json", "doc", "sends", "--contact", c["id"]).json()), 1, "sends per contact")
    env.fails(EXIT_INVALID, "doc", "send", d["id"], "--contact", "999", contains="contact_id")


@test
def test_sales_deals(env):  # [sales]
    env.ok("init")
    p = env.add("product", "--name", "勤怠管理クラウド", "--series", "クラウドシリーズ", "--price", "50000")
    eq(p["list_price"], {"amount": 50000, "currency": "JPY"}, "JPY price")
    pl = env.add("pipeline", "--name", "新規営業", "--stage", "提案:40", "--stage", "受注:100:won",
                 "--stage", "失注:0:lost")
    stages = env.ok("--json", "pipeline", "stages", pl["id"]).json()
    eq([s["name"] for s in stages], ["提案", "受注", "失注"], "ordered stages")
    other = env.add("pipeline", "--name", "保守", "--stage", "更新案内:50")
    camp = env.add("campaign", "--name", "秋の DX セミナー", "--channel", "seminar", "--cost", "300000")
    d = env.add("deal", "--name", "基幹システム刷新", "--pipeline", pl["id"], "--stage", stages[0]["id"],
                "--amount", "0", "--item", f"{p['id']}:2:50000:1000", "--campaign", camp["id"])
    eq(d["amount"], {"amount": 99000, "currency": "JPY"}, "amount from the line items")
    eq(env.ok("--json", "deal", "weighted", d["id"]).json()["amount"], 39600, "weighted at 40%")
    before = env.ok("--json", "deal", "get", d["id"]).json()
    env.fails(EXIT_INVALID, "deal", "move", d["id"], other["stages"][0]["id"], contains="stage_id")
    env.fails(EXIT_INVALID, "deal", "update", d["id"], "--item", f"{p['id']}:-1:100", contains="quantity")
    env.fails(EXIT_INVALID, "deal", "move", d["id"], stages[2]["id"], contains="lost_reason")
    eq(env.ok("--json", "deal", "get", d["id"]).json(), before, "failed calls changed nothing")
    env.ok("deal", "lost-reason", "add", "価格")
    lost = env.ok("--json", "deal", "move", d["id"], stages[2]["id"], "--lost-reason", "価格").json()
    eq((lost["status"], lost["lost_reason"]), ("lost", "価格"), "lost with its reason")
    check(lost["closed_at"] is not None, "closed_at set")
    re = env.ok("--json", "deal", "move", d["id"], stages[0]["id"]).json()
    eq((re["status"], re["closed_at"], re["lost_reason"]), ("open", None, None), "reopened")
    hist = env.ok("--json", "deal", "stages", d["id"]).json()
    eq([h["to_stage_id"] for h in hist], [stages[0]["id"], stages[2]["id"], stages[0]["id"]], "stage history")
    check(all(h["time_in_stage_ms"] >= 0 for h in hist), "time in stage")
    eq([x["id"] for x in env.ok("--json", "campaign", "deals", camp["id"]).json()], [d["id"]], "campaign deals")
    _, rows = table(env.ok("deal", "list").out)
    eq(rows[0]["name"], "基幹システム刷新", "table shows the Japanese name")
    check(any(h["field"] == "stage_id" for h in env.ok("--json", "deal", "history", d["id"]).json()), "history")
    env.fails(EXIT_INVALID, "pipeline", "delete", pl["id"], contains="still holds")


# ---- the generic record commands: every kind has add, get, list, update, delete, history, as-of
def utc_now_iso():
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % int((now % 1) * 1000)


def check_update_history_as_of(env, kind, rec, options, field, old, new):
    """update KIND ID OPTIONS changes `field` from old to new; history and as-of show it."""
    rid = rec["id"]
    eq(rec[field], old, f"{kind} {field} before the update")
    time.sleep(0.05)
    t_mid = utc_now_iso()
    time.sleep(0.05)
    u = env.ok("--json", kind, "update", rid, *options).json()
    eq(u[field], new, f"{kind} update")
    eq(env.ok("--json", kind, "get", rid).json(), u, f"{kind} get after update")
    hist = env.ok("--json", kind, "history", rid).json()
    eq(hist[0]["op"], "create", f"{kind} history starts with the create")
    changed = {h["field"]: h for h in hist if h["op"] == "update"}
    check(field in changed, f"{kind} history has the update of {field}: {hist}")
    _, rows = table(env.ok(kind, "history", rid).out)
    check(any(r["field"] == field and r["op"] == "update" for r in rows), f"{kind} history table")
    eq(env.ok("--json", kind, "as-of", rid, t_mid).json()[field], old, f"{kind} as-of before the update")
    eq(env.ok("--json", kind, "as-of", rid, "2999-01-01").json()[field], new, f"{kind} as-of in the future")
    eq(env.ok("--json", kind, "get", rid, "--as-of", t_mid).json()[field], old, f"{kind} get --as-of")
    env.fails(EXIT_INVALID, kind, "as-of", rid, "yesterday", contains="ISO-8601")
    env.fails(EXIT_NOT_FOUND, kind, "as-of", 4242, "2999-01-01", contains="not_found")
    env.fails(EXIT_USAGE, kind, "update", rid, contains="nothing to update")


@test
def test_generic_update_history_as_of(env):
    env.ok("init")
    p = env.add("product", "--name", "勤怠管理クラウド", "--price", "50000")
    check_update_history_as_of(env, "product", p, ["--price", "60000 JPY", "--series", "クラウド"],
                               "list_price", {"amount": 50000, "currency": "JPY"}, {"amount": 60000, "currency": "JPY"})
    t = env.add("task", "--title", "見積書を送る", "--priority", "normal")
    check_update_history_as_of(env, "task", t, ["--title", "見積書を再送する"], "title", "見積書を送る", "見積書を再送する")
    k = env.add("ticket", "--subject", "ログインできない", "--priority", "normal")
    check_update_history_as_of(env, "ticket", k, ["--set", "priority=urgent"], "priority", "normal", "urgent")
    # the field history of a ticket is the generic one; --status is the ticket's own view
    eq([h["to"] for h in env.ok("--json", "ticket", "history", k["id"], "--status").json()], ["new"], "status history")


@test
def test_generic_record_set_on_every_kind(env):
    env.ok("init")
    c = env.add("contact", "--name", "山田 太郎")
    pl = env.add("pipeline", "--name", "新規営業", "--stage", "提案:40")
    camp = env.add("campaign", "--name", "秋の DX セミナー", "--channel", "seminar")
    d = env.add("deal", "--name", "基幹システム刷新", "--pipeline", pl["id"], "--stage", pl["stages"][0]["id"])
    i = int(env.ok("log", "call", "--contact", c["id"], "--subject", "初回ヒアリング").out.strip())
    doc = env.ok("--json", "doc", "add", "--uri", "https://example.jp/q.pdf", "--name", "見積書").json()
    check_update_history_as_of(env, "campaign", camp, ["--channel", "web"], "channel", "seminar", "web")
    check_update_history_as_of(env, "pipeline", pl, ["--name", "既存営業"], "name", "新規営業", "既存営業")
    check_update_history_as_of(env, "deal", d, ["--close-date", "2026-12-01"], "expected_close_date", None,
                               "2026-12-01")
    check_update_history_as_of(env, "interaction", env.ok("--json", "interaction", "get", i).json(),
                               ["--subject", "二回目"], "subject", "初回ヒアリング", "二回目")
    check_update_history_as_of(env, "doc", doc, ["--name", "見積書 v2"], "name", "見積書", "見積書 v2")
    eq([x["id"] for x in env.ok("--json", "interaction", "list").json()], [i], "interaction list")
    _, rows = table(env.ok("interaction", "list").out)
    eq(rows[0]["subject"], "二回目", "interaction table")
    eq(env.ok("--json", "tag", "add", "deal", d["id"], "重要").json()["tags"], ["重要"], "tag on a deal")
    eq(env.ok("--json", "deal", "list", "--where", "tag=重要", "--all").json()[0]["id"], d["id"], "deal list --all")
    for kind, rid in [("doc", doc["id"]), ("interaction", i), ("deal", d["id"])]:
        r = env.run("--json", kind, "delete", rid)
        eq(r.code, 0, f"{kind} delete\n{r}")
        eq(json.loads(r.out), {"entity": kind if kind != "doc" else "document", "id": rid, "deleted": True},
           f"{kind} delete prints its result on stdout")
        env.fails(EXIT_NOT_FOUND, kind, "get", rid, contains="not_found")
        eq(env.ok("--json", kind, "history", rid).json()[-1]["op"], "delete", f"{kind} delete in the history")
    eq(env.ok("--json", "ticket", "delete", env.add("ticket", "--subject", "x")["id"]).json()["deleted"], True,
       "ticket delete --json")


@test
def test_generic_not_found_and_invalid(env):
    env.ok("init")
    for kind in ["deal", "ticket", "task", "product", "interaction", "doc"]:
        env.fails(EXIT_NOT_FOUND, kind, "get", 4242, contains=["with id 4242", "(not_found)"])
        env.fails(EXIT_NOT_FOUND, kind, "update", 4242, "--set", "external_id=x", contains="not_found")
        env.fails(EXIT_NOT_FOUND, kind, "delete", 4242, contains="not_found")
        env.fails(EXIT_NOT_FOUND, kind, "get", "--external-id", "nobody", contains="not_found")
        env.fails(EXIT_USAGE, kind, contains="needs a sub-command")
        env.fails(EXIT_USAGE, kind, "explode", contains="not a sub-command")
        env.fails(EXIT_INVALID, kind, "get", "abc", contains="not a record id")
    kinds = ["product", "pipeline", "deal", "ticket", "task", "campaign"]
    before = {k: env.ok("--json", k, "list").json() for k in kinds}
    before_file = open(env.db, "rb").read()
    env.fails(EXIT_INVALID, "product", "add", "--name", "X", "--price", "高い", contains="--price")
    env.fails(EXIT_INVALID, "pipeline", "add", "--name", "X", "--stage", "提案", contains="NAME:PROBABILITY")
    env.fails(EXIT_INVALID, "deal", "add", "--name", "X", "--pipeline", "999", contains="(invalid_argument)")
    env.fails(EXIT_INVALID, "ticket", "add", "--subject", "X", "--priority", "critical", contains="priority")
    env.fails(EXIT_INVALID, "task", "add", "--title", "X", "--due", "tomorrow", contains="--due")
    env.fails(EXIT_INVALID, "task", "add", "--title", "X", "--link", "contact:999", contains="links[0]")
    env.fails(EXIT_INVALID, "campaign", "add", "--from-json", "-", stdin='[{"name":"A"},{"name":""}]',
              contains="record 2 of 2")
    env.fails(EXIT_INVALID, "ticket", "add", "--from-json", "-", stdin="{oops", contains="not valid JSON")
    env.fails(EXIT_USAGE, "task", "add", contains="nothing to add")
    eq({k: env.ok("--json", k, "list").json() for k in kinds}, before, "refused adds stored nothing")
    eq(open(env.db, "rb").read(), before_file, "the database file is unchanged")


def main():
    global CRM
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print(";".join(TESTS))  # a CMake list: tests/cli/CMakeLists.txt registers each
        return 0
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    CRM = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or list(TESTS)
    failed = 0
    for name in names:
        if name not in TESTS:
            print(f"unknown test {name!r}; tests: {', '.join(TESTS)}", file=sys.stderr)
            return 2
        env = Env()
        try:
            TESTS[name](env)
            print(f"ok   {name}")
        except Failed as e:
            failed += 1
            print(f"FAIL {name}: {e}")
        finally:
            env.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
