"""CLI tests of crm import and crm export (issue 10: data in and out): mappings from flags and
files, rejects, dry runs, dedup, undo, export round trips, the Maven example script."""
import csv
import io
import os
import subprocess

import harness
from harness import *  # noqa: F401,F403

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MAVEN_DATA = os.path.join(ROOT, "..", "shared", "data", "maven-crm")

CARDS = ("氏名,メール,会社,役職\r\n"
         "山田 太郎,taro@example.jp,㈱山田商事,部長\r\n"
         "鈴木 花子,hanako@example.jp,㈱山田商事,\r\n"
         "悪い 行,not-an-address,別会社,\r\n")


def write(env, name, data):
    path = os.path.join(env.dir, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


FLAGS = ["--kind", "contact", "--map", "氏名=name", "--map", "メール=emails", "--ref", "会社=account_id:name:create",
         "--map", "役職=title", "--match", "email", "--on-duplicate", "update"]


@test
def test_import_flags_rejects_and_undo(env):
    env.ok("init")
    cards = write(env, "cards.csv", CARDS.encode("cp932"))  # as Excel in Japan saves it
    rejects = os.path.join(env.dir, "rejects.csv")
    # A dry run: the report, nothing written.
    r = env.run("--json", "import", cards, *FLAGS, "--dry-run")
    eq(r.code, EXIT_INVALID, "a refused row makes the exit code 3")
    doc = r.json()
    eq((doc["dry_run"], doc["batch"], doc["created"], doc["rejected"]), (True, None, 2, 1), "dry run")
    eq(env.ok("contact", "count").out.strip(), "0", "nothing written")
    r = env.run("--json", "import", cards, *FLAGS, "--rejects", rejects)
    eq(r.code, EXIT_INVALID, r)
    doc = r.json()
    eq((doc["created"], doc["rejected"], doc["references_created"]), (2, 1, 1), "real run")
    eq(doc["rejects"][0]["line"], 4, "the line of the refused row")
    eq(doc["rejects"][0]["column"], "emails[0].address", "the field at fault")
    batch = doc["batch"]
    with open(rejects, "rb") as f:
        text = f.read().decode("cp932")
    rows = list(csv.reader(io.StringIO(text)))
    eq(rows[0], ["氏名", "メール", "会社", "役職", "crm_line", "crm_column", "crm_reason"], "reject header")
    eq(rows[1][:5], ["悪い 行", "not-an-address", "別会社", "", "4"], "reject row")
    # Fixed and imported again: the same mapping, the extra columns unmapped.
    fixed = write(env, "fixed.csv", text.replace("not-an-address", "good@example.jp").encode("cp932"))
    doc = env.ok("--json", "import", fixed, *FLAGS).json()
    eq((doc["created"], doc["rejected"]), (1, 0), "the fixed file")
    eq(doc["unmapped_columns"], ["crm_line", "crm_column", "crm_reason"], "unmapped")
    # The same cards again, in another case: updates, no new contact.
    again = write(env, "again.csv", "氏名,メール,会社,役職\r\n山田 太郎,TARO@EXAMPLE.JP,山田商事株式会社,本部長\r\n")
    doc = env.ok("--json", "import", again, *FLAGS).json()
    eq((doc["created"], doc["updated"], doc["references_created"]), (0, 1, 0), "dedup by email, company by key")
    eq(env.ok("contact", "count").out.strip(), "3", "contacts")
    out = env.ok("import", "list").out
    check("cards.csv" in out and "again.csv" in out, out)
    shown = env.ok("--json", "import", "show", batch).json()
    eq((shown["rows"], shown["created"], shown["rejected"]), (3, 2, 1), "batch")
    check(len(shown["sha256"]) == 64, shown)
    # Undo the first batch: the change made since to 山田's title stops it, --force does not stop.
    env.fails(EXIT_INVALID, "import", "undo", batch, contains="changed after the import")
    doc = env.ok("--json", "import", "undo", batch, "--force").json()
    eq((doc["removed"], doc["restored"]), (3, 0), "undo")
    eq(env.ok("contact", "count").out.strip(), "1", "only the fixed file's contact is left")
    env.fails(EXIT_INVALID, "import", "undo", batch, contains="was undone")
    env.fails(EXIT_NOT_FOUND, "import", "undo", 999)


@test
def test_import_refusals(env):
    env.ok("init")
    cards = write(env, "cards.csv", CARDS)
    env.fails(EXIT_USAGE, "import", cards)  # no kind
    env.fails(EXIT_INVALID, "import", cards, "--kind", "contact", "--map", "氏名=colour", contains="no field 'colour'")
    env.fails(EXIT_INVALID, "import", cards, "--kind", "contact", "--map", "氏名=name", "--map", "役職=name",
              contains="mapped twice")
    env.fails(EXIT_INVALID, "import", cards, "--kind", "contact", "--map", "名前=name", contains="column '名前'")
    env.fails(EXIT_NOT_FOUND, "import", os.path.join(env.dir, "missing.csv"), "--kind", "contact", "--map", "a=name")
    unclosed = write(env, "q.csv", "氏名\n\"山田\n")
    env.fails(EXIT_INVALID, "import", unclosed, "--kind", "contact", "--map", "氏名=name", contains="line 2")
    env.fails(EXIT_USAGE, "import", cards, "--kind", "contact", "--map", "nothing")
    mapping = write(env, "m.json", '{"kind": "contact", "fields": [{"column": "氏名", "field": "name"}], "x": 1}')
    env.fails(EXIT_INVALID, "import", cards, "--mapping", mapping, contains="x: is not a mapping key")
    eq(env.ok("contact", "count").out.strip(), "0", "nothing written by any of them")


@test
def test_export_round_trip(env):
    env.ok("init")
    acct = env.add("account", "--name", "株式会社サンプル")["id"]
    env.add("contact", "--name", "山田 太郎", "--email", "taro@example.jp", "--account", acct, "--title", "=HYPERLINK(x)",
            "--tag", "VIP")
    env.add("contact", "--name", "Jane \"JJ\" Doe", "--title", "line1\nline2, more")
    out = os.path.join(env.dir, "contacts.csv")
    doc = env.ok("--json", "export", "contact", "--ref", "company=account_id:name", "--output", out).json()
    eq(doc["records"], 2, "exported")
    sheet = env.ok("export", "contact", "--neutralize-formulas").out
    check("'=HYPERLINK(x)" in sheet, sheet)
    jsonl = env.ok("export", "contact", "--format", "jsonl").out
    eq(len(jsonl.strip().split("\n")), 2, "one line per record")
    other = os.path.join(env.dir, "other.db")
    env.ok("--db", other, "init")
    doc = env.ok("--db", other, "--json", "import", out, "--kind", "contact", "--auto",
                 "--ref", "company=account_id:name:create").json()
    eq((doc["created"], doc["rejected"]), (2, 0), "imported")
    for i in (1, 2):
        a = env.ok("--json", "contact", "get", i).json()
        b = env.ok("--db", other, "--json", "contact", "get", i).json()
        for k in ("id", "created_at", "updated_at"):
            a.pop(k)
            b.pop(k)
        eq(a, b, f"contact {i} round trip")


@test
def test_maven_example_script(env):
    if not os.path.isdir(MAVEN_DATA):
        raise Failed(f"the Maven sample is missing: {MAVEN_DATA}")
    db = os.path.join(env.dir, "maven.db")
    p = subprocess.run([os.path.join(ROOT, "examples", "maven", "import.sh"), MAVEN_DATA, db],
                       env=dict(os.environ, CRM=harness.CRM), capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, p.stderr + p.stdout)
    with open(os.path.join(MAVEN_DATA, "sales_pipeline.csv"), newline="") as f:
        deals = list(csv.DictReader(f))
    won = [d for d in deals if d["deal_stage"] == "Won"]
    eq(env.ok("--db", db, "deal", "count").out.strip(), str(len(deals)), "every deal")
    totals = env.ok("--db", db, "--json", "deal", "totals", "--where", "status=won").json()
    eq(totals["deals"], len(won), "won deals")
    eq(totals["currencies"][0]["amount"], sum(int(d["close_value"]) for d in won) * 100, "won revenue in cents")
    eq(env.ok("--db", db, "deal", "count", "--where", "!account_id").out.strip(),
       str(sum(1 for d in deals if not d["account"])), "deals without an account")
    eq(env.ok("--db", db, "account", "count", "--where", "industry=technolgy").out.strip(), "0", "no misspelt sector")
    # The demo starts from the same sample.
    demo = os.path.join(env.dir, "demo.db")
    doc = env.ok("--db", demo, "--json", "demo", "--maven", MAVEN_DATA).json()
    eq(doc["deals"]["won"]["count"], len(won), "demo --maven")
    eq(doc["flaws"]["deals_without_account"], sum(1 for d in deals if not d["account"]), "demo flaws")
    eq(sum(s["rejected"] for s in doc["steps"]), 0, "no step refused a row")
