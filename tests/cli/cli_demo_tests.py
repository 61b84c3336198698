"""CLI tests of `crm demo`: the sample company it builds (every kind of record,
deals in every stage, tickets inside and past their SLA …), the tour it prints —
each part with the command that shows the same, tables aligned by display width,
numbers that the commands confirm — its JSON and CSV, and determinism."""
from harness import *  # noqa: F401,F403

NOW = "2026-11-24T12:00:00+09:00"  # a Tuesday, noon in Tokyo

SECTIONS = [  # (title starts with, the command it points to)
    ("what is in it", "crm <kind> list"),
    ("pipelines by stage", "crm deal list --where stage_id=ID"),
    ("how deal ", "crm deal stages "),
    ("timeline of ", "crm timeline contact "),
    ("timeline of ", "crm timeline account "),
    ("support under SLA", "crm sla list"),
    ("breaching, or due within 8 hours", "crm ticket breaching --within 480"),
    ("tasks: ", "crm task due --tz +09:00"),
    ("documents sent lately", "crm doc sends ID"),
    ("the newest history rows", "crm <kind> history ID"),
    ("lead scoring: 2 models, the hottest leads", "crm score top --model 勤怠管理"),
    ("why ", "crm score explain "),
    ("thresholds (enter 60, leave below 50, move to mql): ", 'crm threshold crossings "勤怠管理 MQL"'),
    ("dry run on 勤怠管理, the DX seminar at 40 points, not 30: ", "crm score dry-run --from-json FILE --threshold 60"),
    ("a document request through the form 資料請求フォーム", "crm form submit shiryo-seikyu"),
    ("saved segments", "crm segment count NAME"),
    ("hand-offs by インサイドセールス振り分け: ", "crm routing handoffs "),
    ("business cards (名刺) imported: 5 rows, ", "crm import list · crm import show "),
    ("duplicates: ", "crm dedup find contact --min-score 60"),
    ("merged contact ", "crm dedup merges"),
    ("search in Japanese", "crm search "),
]


def tour_tables(out):
    """Every aligned table of the tour, by the heading line above it: {heading: (headers, rows)}."""
    lines = out.split("\n")
    tables = {}
    for i in range(1, len(lines) - 1):
        if lines[i + 1] and set(lines[i + 1]) <= {"-", " "} and lines[i + 1].startswith("-"):
            j = i + 2
            while j < len(lines) and lines[j] and not re.match(r"^(lost because|next reminders):", lines[j]):
                j += 1
            tables[lines[i - 1]] = table("\n".join(lines[i:j]))  # checks the alignment by display width
    return tables


def rows_under(tables, hint):
    """The rows of the table whose heading points to `hint`."""
    found = [rows for heading, (_, rows) in tables.items() if "→ " + hint in heading]
    check(len(found) == 1, f"one table under a heading with {hint!r}: {list(tables)}")
    return found[0]


def db_rows(path):
    con = sqlite3.connect(path)
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name")]
    rows = {n: con.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in names}
    con.close()
    return rows


@test
def test_demo_tour(env):
    db = os.path.join(env.dir, "demo.db")
    r = env.ok("demo", "--size", "small", "--db", db, "--now", NOW)
    out = r.out
    lines = out.rstrip("\n").split("\n")
    check(40 <= len(lines) <= 180, f"a short tour, not {len(lines)} lines\n{out}")
    eq(lines[0], f"sample company みらいクラウド株式会社 created in {db} (size small, seed 42)", "first line")
    check(lines[1].startswith("6 months of work, 2026-05-2") and "2026-11-24 (times in JST)" in lines[1], lines[1])
    for title, hint in SECTIONS:
        check(any(l.startswith(title) and "→ " + hint in l for l in lines), f"section {title!r} → {hint!r}\n{out}")

    # The counts are the database's.
    counts = {k: int(n.replace(",", "")) for n, k in
              re.findall(r"([\d,]+) (users|teams|accounts|contacts|products|campaigns|pipelines|deals|interactions|"
                         r"tickets|tasks|documents|history rows)", out.split("\n\n")[1])}
    # The sample's 200 contacts and 20 accounts, then the tour's business cards: those they
    # created (one of them merged away again) and the company they brought.
    cards = re.search(r"^business cards \(名刺\) imported: 5 rows, (\d+) created, \d+ updated, (\d+) compan", out, re.M)
    check(cards and re.search(r"^merged contact \d+ into \d+", out, re.M), out)
    eq((counts["users"], counts["teams"], counts["accounts"], counts["contacts"]),
       (5, 2, 20 + int(cards.group(2)), 200 + int(cards.group(1)) - 1), "base counts")
    for kind in ("contact", "account"):
        eq(len(env.ok("--json", "--db", db, kind, "list", "--all").json()), counts[kind + "s"], f"{kind} count")
    eq((counts["deals"], counts["tickets"], counts["products"], counts["pipelines"]), (40, 30, 12, 2), "counts")
    for kind in ("interaction", "task", "document", "campaign"):
        eq(len(env.ok("--json", "--db", db, kind, "list", "--all").json()), counts[kind + "s"], f"{kind} count")
    check(counts["history rows"] > 1000, "months of history")

    tables = tour_tables(out)
    # Pipelines: every stage has deals; a stage's row is what `deal list --where stage_id=` finds.
    stages = rows_under(tables, "crm deal list --where stage_id=ID")
    eq(len(stages), 11, "the stages of both pipelines")
    eq(sum(int(s["deals"]) for s in stages), 40, "every deal in one stage")
    eq({s["kind"] for s in stages}, {"open", "won", "lost"}, "stage kinds")
    for s in stages:
        check(int(s["deals"]) > 0, f"deals in every stage: {s}")
        deals = env.ok("--json", "--db", db, "deal", "list", "--where", f"stage_id={s['id']}", "--all").json()
        eq(len(deals), int(s["deals"]), f"stage {s['stage']}")
        eq(s["amount"], "¥{:,}".format(sum(d["amount"]["amount"] for d in deals)), f"amount of {s['stage']}")
    check(stages[0]["pipeline"] == "新規開拓" and stages[0]["stage"] == "リード獲得", stages[0])
    check(re.search(r"^lost because: \S+ \d+", out, re.M), "lost reasons")

    # A won deal's way through the stages, as `deal stages` records it.
    m = re.search(r"^how deal (\d+) was won", out, re.M)
    check(m, out)
    path = lines[next(i for i, l in enumerate(lines) if l.startswith(m.group(0))) + 2]
    history = env.ok("--json", "--db", db, "deal", "stages", m.group(1)).json()
    eq(path.count("→") + 1, len(history), f"one step per stage change: {path}")
    check(path.strip().startswith("リード獲得") and path.endswith("受注"), path)

    # Timelines: newest first, Japanese subjects, e-mails with their tracking events.
    cm = re.search(r"→ crm timeline contact (\d+)", out)
    rows = rows_under(tables, cm.group(0)[2:])
    check(1 <= len(rows) <= 6, rows)
    real = env.ok("--json", "--db", db, "timeline", "contact", cm.group(1), "--limit", "50").json()
    eq(rows[0]["kind"], real[0]["kind"], "the newest first")
    check(any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", r["subject"]) for r in rows), f"Japanese subjects: {rows}")
    check(any("opened" in r["tracking"] for r in rows if r["kind"] == "email"), f"tracking shown: {rows}")
    check(re.search(r"→ crm timeline account \d+", out), "account timeline")

    # SLA: old tickets breached, fresh ones due; `ticket breaching` says the same.
    alerts = rows_under(tables, "crm ticket breaching --within 480")
    check(sum(a["state"] == "breached" for a in alerts) >= 2, alerts)
    real = env.ok("--json", "--db", db, "ticket", "breaching", "--within", "480", "--now", NOW).json()
    eq([str(a["ticket_id"]) for a in real[:len(alerts)]], [a["ticket"] for a in alerts], "the same alerts")
    check(re.search(r"^  30 tickets: \d+ open, \d+ resolved \(\d+ within the resolution target, [1-9]\d* late\)$",
                    out, re.M), "SLA summary")
    check("東京本社営業日" in out and "weekday holidays in 2026" in out, "the Japanese calendar")

    # Tasks: the counts are those of `task due`.
    m = re.search(r"^tasks: (\d+) due today, (\d+) overdue; reminders due now: (\d+)", out, re.M)
    check(m, out)
    eq(len(env.ok("--json", "--db", db, "task", "due", "--tz", "+09:00", "--now", NOW, "--limit", "1000").json()),
       int(m.group(1)), "due today")
    eq(len(env.ok("--json", "--db", db, "task", "due", "--overdue", "--now", NOW, "--limit", "1000").json()),
       int(m.group(2)), "overdue")

    # Documents: what was sent, to whom.
    sent = rows_under(tables, "crm doc sends ID")
    check(len(sent) >= 1, sent)
    sends = env.ok("--json", "--db", db, "doc", "sends", sent[0]["id"]).json()
    check(len(sends) >= 1, sends)
    html = os.path.join(env.dir, "doc.html")
    quote = next(s for s in sent if s["kind"] in ("quote", "invoice", "proposal"))
    r = env.run("--db", db, "doc", "get", quote["id"], "--out", html)
    check(r.code == 0 and "wrote" in r.err, r)
    check(open(html, encoding="utf-8").read().startswith("<!DOCTYPE html>"), "document content")

    # The change feed: the newest history rows, in time order.
    changes = rows_under(tables, "crm <kind> history ID")
    eq(len(changes), 5, "five history rows")
    eq(sorted(c["when (JST)"] for c in changes), [c["when (JST)"] for c in changes], "in time order")


def points(text):
    """A score as the tour prints it ("59.383") in thousandths."""
    return round(float(text) * 1000)


@test
def test_demo_lead_management(env):
    db = os.path.join(env.dir, "demo.db")
    out = env.ok("demo", "--size", "small", "--db", db, "--now", NOW).out
    lines = out.split("\n")
    tables = tour_tables(out)
    crm = lambda *a: env.ok("--json", "--db", db, *a).json()  # noqa: E731

    # Two models, each defined and then given its rules (two versions); the hottest
    # leads are `score top`'s, in its order.
    hot = rows_under(tables, "crm score top --model 勤怠管理")
    models = [r["model"] for r in hot if r["model"]]
    eq(models, ["勤怠管理", "経費精算"], "two models")
    model_of, current = [], None
    for r in hot:
        current = r["model"] or current
        model_of.append(current)
    for m in models:
        eq([v["version"] for v in crm("score", "model", "versions", m)], [1, 2], f"{m}: versions")
        top = crm("score", "top", "--model", m, "--limit", "3")
        rows = [r for r, mm in zip(hot, model_of) if mm == m]
        eq([points(r["total"]) for r in rows], [points(str(t["total"])) for t in top], f"{m}: totals")
        eq([r["contact"] for r in rows], [crm("contact", "get", str(t["contact_id"]))["name"] for t in top], f"{m}: who")
        eq([r["grade"] for r in rows], [t["grade"] for t in top], f"{m}: grades")

    # The explanation adds up to the total, and is `score explain`'s.
    ex_hint = re.search(r"→ (crm score explain (\d+) --model (\S+))", out)
    rows = rows_under(tables, ex_hint.group(1))
    total = next(r for r in rows if r["rule"] == "= total")
    eq(sum(points(r["points"]) for r in rows if r["rule"] != "= total"), points(total["points"]), "contributions add up")
    real = crm("score", "explain", ex_hint.group(2), "--model", ex_hint.group(3), "--as-of", NOW)
    eq(points(str(real["total"])), points(total["points"]), "the library's explanation at the tour's time")
    eq([r["rule"] for r in rows if r["part"] in ("fit", "behaviour", "gate")], [c["rule"] for c in real["contributions"]],
       "the same rules")

    # Thresholds: the entries counted are the crossings the library recorded, and
    # whoever entered was moved forward to mql (unless further on already).
    m = re.search(r"^thresholds \(.*\): 勤怠管理 MQL: (\d+) entered · 経費精算 MQL: (\d+) entered", out, re.M)
    check(m, out)
    check(int(m.group(1)) >= 1, "someone crossed MQL")
    for name, n in (("勤怠管理 MQL", m.group(1)), ("経費精算 MQL", m.group(2))):
        crossings = crm("threshold", "crossings", name)
        eq(sum(1 for c in crossings if c["direction"] == "enter"), int(n), name)
        for c in crossings:
            stage = crm("contact", "get", str(c["contact_id"]))["lifecycle_stage"]
            check(stage in ("mql", "sql", "opportunity", "customer", "recycled", "disqualified", "evangelist", "other"),
                  f"contact {c['contact_id']} at {stage}")

    # Whoever entered a threshold was routed: the hand-off the tour shows is the library's,
    # the contact's owner is the one chosen, and the follow-up task exists.
    ho_hint = re.search(r"→ (crm routing handoffs \d+)", out).group(1)
    shown = rows_under(tables, ho_hint)
    entered = {c["contact_id"] for name in ("勤怠管理 MQL", "経費精算 MQL")
               for c in crm("threshold", "crossings", name) if c["direction"] == "enter"}
    eq(len(shown), len(entered), "one hand-off per contact that entered")
    for cid in sorted(entered):
        (h,) = crm("routing", "handoffs", str(cid))
        eq(h["status"], "routed", f"contact {cid}")
        eq(crm("contact", "get", str(cid))["owner_id"], h["owner_id"], f"contact {cid}: the owner chosen")
        eq(crm("task", "get", str(h["task_id"]))["assignee_id"], h["owner_id"], f"contact {cid}: the follow-up")
        check(h["trigger"] in ("勤怠管理 MQL", "経費精算 MQL"), h)
        check(any(r["contact"] == crm("contact", "get", str(cid))["name"] for r in shown), (cid, shown))

    # The dry run wrote nothing: still two versions, and the stored scores are the "now" column.
    dry = rows_under(tables, "crm score dry-run --from-json FILE --threshold 60")
    m = re.search(r"not 30: (\d+) of (\d+) totals would change, (\d+) cross 60", out)
    eq(int(m.group(3)), len(dry), "the crossing rows")
    check(len(dry) >= 1, "someone would cross")
    for r in dry:
        stored = crm("score", "stored", r["id"], "--model", "勤怠管理")[0]
        eq(points(str(stored["total"])), points(r["total now"]), f"contact {r['id']}: stored score unchanged")
        check(points(r["total now"]) < 60000 <= points(r["would be"]) and r["crossing"] == "up:60", r)

    # The form: the contact's latest touch is the submission, with its UTM source.
    m = re.search(r"^  (.+) \(contact (\d+)\) sent it again: added or changed (.+?)(;|$)", out, re.M)
    check(m, out)
    touches = crm("form", "touches", m.group(2))
    eq(touches["latest"]["source"], "google", "the submission's utm_source")
    contact = crm("contact", "get", m.group(2))
    check(any(p["number"] == "03-6555-0142" for p in contact["phones"]), contact["phones"])
    eq(contact["name"], m.group(1), "the contact named")

    # Segments: the counts are `segment count`'s.
    segs = rows_under(tables, "crm segment count NAME")
    eq(len(segs), 2, "two saved segments")
    for r in segs:
        n = env.ok("--db", db, "segment", "count", r["segment"], "--as-of", NOW).out.split()[-1]
        eq(int(n), int(r["contacts"]), r["segment"])
    check(any(int(r["contacts"]) > 0 for r in segs), segs)


@test
def test_demo_json_csv_and_determinism(env):
    a, b, c = (os.path.join(env.dir, f"{n}.db") for n in "abc")
    j = env.ok("--json", "demo", "--db", a, "--now", NOW).json()
    for kind in ("users", "teams", "accounts", "contacts", "products", "campaigns", "pipelines", "deals",
                 "interactions", "tickets", "tasks", "documents", "email_events", "document_sends"):
        check(j["counts"][kind] > 0, f"{kind}: {j['counts']}")
    contacts = 200 + j["quality"]["import"]["created"] - 1  # the sample's, the cards', one merged
    eq(j["counts"]["contacts"], contacts, "contacts")
    eq(sum(j["contacts_by_stage"].values()), contacts, "stages add up")
    eq(len(env.ok("--json", "--db", a, "contact", "list", "--where", "lifecycle_stage=customer", "--all").json()),
       j["contacts_by_stage"].get("customer", 0), "stage count matches a filtered list")
    eq(len(j["stages"]), 11, "stages")
    check(all(s["deals"] > 0 for s in j["stages"]), j["stages"])
    check(any(x["breached"] for x in j["sla"]["alerts"]), j["sla"])
    check(j["sla"]["resolution_met"] > 0 and j["sla"]["resolution_breached"] > 0, j["sla"])
    eq(j["now"], "2026-11-24T03:00:00.000Z", "the history ends at --now")
    check(j["since"] < "2026-06-01", j["since"])
    check(j["documents_sent"] and j["recent_changes"], "documents and changes")

    # The same seed and --now: the same JSON and the same database, row for row.
    j2 = env.ok("--json", "demo", "--db", b, "--now", NOW).json()
    j.pop("db"), j2.pop("db")
    eq(j2, j, "same seed, same tour")
    check(db_rows(a) == db_rows(b), "same seed, same database")
    env.ok("demo", "--db", c, "--now", NOW, "--seed", "43")
    check(db_rows(a)["contacts"] != db_rows(c)["contacts"], "another seed, other people")

    rows = parse_csv(env.ok("--csv", "demo", "--db", os.path.join(env.dir, "d.db"), "--now", NOW).out)
    eq(rows[0], {"section": "count", "key": "users", "value": "5"}, "CSV")
    check(any(r["section"] == "deal_stage" and r["key"] == "新規開拓/受注" for r in rows), "CSV stages")


@test
def test_demo_refusals(env):
    db = os.path.join(env.dir, "demo.db")
    # --size N: N sample contacts, then the tour's business cards (those created, one merged away)
    def cards(j):
        q = j.get("quality")
        return q["import"]["created"] - (1 if "merge" in q else 0) if q else 0

    j = env.ok("--json", "demo", "--db", db, "--size", "30", "--seed", "7", "--quiet").json()
    eq(len(env.ok("--json", "--db", db, "contact", "list", "--all").json()), 30 + cards(j), "--size N")
    # never overwrites a non-empty file without --force
    before = open(db, "rb").read()
    env.fails(EXIT_INVALID, "demo", "--db", db, contains=["not empty", "already_exists"])
    eq(open(db, "rb").read(), before, "existing database untouched")
    j = env.ok("--json", "demo", "--db", db, "--force", "--size", "31", "--seed", "7").json()
    eq(len(env.ok("--json", "--db", db, "contact", "list", "--all").json()), 31 + cards(j), "--force replaced it")
    # Too few people for business cards: the tour leaves them out and writes none.
    j = env.ok("--json", "demo", "--db", os.path.join(env.dir, "d3.db"), "--size", "2", "--quiet").json()
    check("quality" not in j, j.keys())
    eq(len(env.ok("--json", "--db", os.path.join(env.dir, "d3.db"), "contact", "list", "--all").json()), 2, "--size 2")
    env.fails(EXIT_USAGE, "demo", "--db", os.path.join(env.dir, "d4.db"), "--size", "huge", contains="--size")
    env.fails(EXIT_INVALID, "demo", "--db", os.path.join(env.dir, "d4.db"), "--size", "0", contains="--size")
    env.fails(EXIT_USAGE, "demo", "--db", os.path.join(env.dir, "d5.db"), "--now", "yesterday", contains="--now")
    check(not os.path.exists(os.path.join(env.dir, "d5.db")), "a refused demo creates no file")


def one(doc):
    return doc[0] if isinstance(doc, list) else doc


@test
def test_demo_data_quality(env):
    """The tour's data-quality part: business cards imported as one batch, the duplicate they
    made found and merged into the older record, Japanese searches — every figure checked
    against the library's own commands on the same file, then both undone."""
    db = os.path.join(env.dir, "demo.db")
    j = env.ok("--json", "demo", "--size", "small", "--db", db, "--now", NOW).json()
    crm = lambda *a: env.ok("--json", "--db", db, *a).json()  # noqa: E731
    q = j["quality"]
    imp, merge = q["import"], q["merge"]
    cards = imp["cards"]

    # The import: the batch the library recorded has the tour's counts; five cards, one
    # a known contact (updated), four new ones, one new company.
    batch = crm("import", "show", str(imp["batch_id"]))
    for k in ("rows", "created", "updated", "rejected", "references_created"):
        eq(batch[k], imp[k], f"import {k}")
    eq(batch["source"], imp["source"], "source name")
    eq(batch["undone_at"], None, "not undone")
    check(any(b["id"] == imp["batch_id"] for b in crm("import", "list")), "the batch is listed")
    eq((imp["rows"], imp["created"], imp["updated"], imp["rejected"], imp["references_created"]), (5, 4, 1, 0, 1),
       "the cards: one known, four new (one the same person again), one new company")
    updated = [c for c in cards if c["result"].startswith("updated")]
    eq(len(updated), 1, "one card updated a contact")
    u = one(crm("contact", "get", str(updated[0]["contact_id"])))
    check(updated[0]["email"] != updated[0]["email"].lower(), "the e-mail on the card is in capitals")
    eq([e["address"].lower() for e in u["emails"] if e["address"].lower() == updated[0]["email"].lower()],
       [updated[0]["email"].lower()], "matched the known address (not added a second time)")
    eq(u["title"], updated[0]["title"], "the card's title")
    check("名刺" in u["tags"], u["tags"])
    companies = {}
    for c in cards:
        if c["result"].startswith("created") and c["contact_id"] != merge["merged_id"]:
            r = one(crm("contact", "get", str(c["contact_id"])))
            eq((r["name"], r["name_reading"], r["title"]), (c["name"], c["reading"], c["title"]), c["name"])
            companies.setdefault(c["company"], set()).add(r["account_id"])
    sakura = companies["㈱さくら精機"] | companies["さくら精機株式会社"]
    eq(len(sakura), 1, "both legal forms are one company")
    eq(one(crm("account", "get", str(sakura.pop())))["name"], "㈱さくら精機", "the company the import created")

    # The counts of the tour are the database's after the import and the merge.
    contacts = len(crm("contact", "list", "--all"))
    eq(j["counts"]["contacts"], contacts, "contacts counted after the cards")
    eq(contacts, 200 + imp["created"] - 1, "the sample's 200, the cards created, one merged away")
    eq(j["counts"]["accounts"], 20 + imp["references_created"], "the new company")

    # The duplicate: the merge the library recorded, the pair's figures, where the id went.
    merges = crm("dedup", "merges")
    eq(len(merges), 1, "one merge")
    eq((merges[0]["id"], merges[0]["survivor_id"], merges[0]["merged_id"]),
       (merge["id"], merge["survivor_id"], merge["merged_id"]), "the merge")
    pair = q["duplicates"]["pair"]
    eq(sorted([pair["a"], pair["b"]]), sorted([merge["survivor_id"], merge["merged_id"]]), "the pair was merged")
    check("name_company" in pair["reasons"] and "reading_company" in pair["reasons"], pair)
    eq(pair["score"], 92, "name and company (80) with the reading in the other kana (60)")
    check(merge["survivor_id"] < merge["merged_id"], "the older record survives")
    again = next(c for c in cards if c["contact_id"] == merge["merged_id"])
    check(again["email"].lower() not in [e["address"].lower() for e in u["emails"]], "another person's card")
    r = env.run("--db", db, "contact", "get", str(merge["merged_id"]))
    eq(r.code, EXIT_NOT_FOUND, "reading the merged-away id")
    check(f"contact {merge['merged_id']} was merged into {merge['survivor_id']}" in r.err, r.err)
    check(f"was merged into {merge['survivor_id']}" in merge["read_merged"], merge)
    eq(merge["merged_into"], merge["survivor_id"], "merged_into")
    survivor = one(crm("contact", "get", str(merge["survivor_id"])))
    check(again["email"] in [e["address"] for e in survivor["emails"]], "the card's address united into the survivor")
    eq({f["field"] for f in merge["fields"]} >= {"emails", "phones"}, True, merge["fields"])

    # The searches: the same hits as `crm search`, in the same order.
    kinds = [s["query"] for s in q["searches"]]
    eq(len(kinds), 3, "three searches")
    for s in q["searches"]:
        hits = crm("search", *s["query"].split(), "--limit", "3")
        eq([(h["kind"], h["id"], h["title"], h["snippet"]) for h in hits],
           [(h["kind"], h["id"], h["title"], h["snippet"]) for h in s["hits"]], f"search {s['query']}")
        check(len(hits) >= 1, f"{s['query']} finds something")
    short, kana, company = q["searches"]
    check(1 <= len(short["query"]) <= 2, short)
    check(all(short["query"] in h["title"] or short["query"] in h["snippet"] for h in short["hits"]), short)
    eq(kana["query"], "ササキ", "a reading typed in katakana")
    readings = [one(crm("contact", "get", str(h["id"])))["name_reading"] for h in kana["hits"] if h["kind"] == "contact"]
    check("ささき みさき" in readings, f"finds the card's hiragana reading: {readings}")
    check(all(company["query"] in h["title"] or company["query"] in h["snippet"] for h in company["hits"]), company)
    check(not any(f for f in ("株式会社", "有限会社", "合同会社") if f in company["query"]), "without the legal form")

    # Before the merge there were the tour's candidate pairs, the cards' one among them.
    env.ok("--db", db, "dedup", "undo", str(merge["id"]))
    found = crm("dedup", "find", "contact", "--min-score", str(q["duplicates"]["min_score"]), "--limit", "10000")
    eq(len(found), q["duplicates"]["pairs"], "candidate pairs")
    eq([p for p in found if (p["a"], p["b"]) == (pair["a"], pair["b"])], [pair], "the pair, its score and reasons")
    # And the batch comes out whole: the sample's contacts and the known one's title again.
    # The card merged and brought back was changed after the import (deleted, restored): the
    # batch's undo refuses it, and with --force removes it with the rest (docs/import.md).
    env.fails(EXIT_INVALID, "--db", db, "import", "undo", str(imp["batch_id"]),
              contains=f"contact {merge['merged_id']}")
    eq(crm("import", "undo", str(imp["batch_id"]), "--force"), {"removed": imp["created"] + imp["references_created"],
                                                                "restored": imp["updated"]}, "undo")
    eq(sorted(c["id"] for c in crm("contact", "list", "--all") if c["id"] > 200), [],
       "the sample's contacts again")
    back = one(crm("contact", "get", str(updated[0]["contact_id"])))
    check(back["title"] != updated[0]["title"] and "名刺" not in back["tags"], f"the update undone: {back}")

    # The table tour shows the same (same seed and --now: the same database).
    out = env.ok("demo", "--size", "small", "--db", os.path.join(env.dir, "t.db"), "--now", NOW).out
    check(f"business cards (名刺) imported: 5 rows, 4 created, 1 updated, 1 company created" in out, out)
    check(f"→ crm import list · crm import show {imp['batch_id']}" in out, "import hint")
    check(f"undo: crm import undo {imp['batch_id']}" in out, "import undo shown")
    tables = tour_tables(out)
    shown = rows_under(tables, f"crm import list · crm import show {imp['batch_id']}")
    eq([(r["name"], r["email"], r["result"]) for r in shown], [(c["name"], c["email"], c["result"]) for c in cards],
       "the cards")
    (p,) = rows_under(tables, "crm dedup find contact --min-score 60")
    eq((int(p["a"]), int(p["b"]), int(p["score"])), (pair["a"], pair["b"], pair["score"]), "the pair shown")
    check(re.search(rf"^merged contact {merge['merged_id']} into {merge['survivor_id']} .*→ crm dedup merges", out, re.M),
          out)
    check(f"undo: crm dedup undo {merge['id']}" in out, "merge undo shown")
    found_rows = rows_under(tables, f"crm search {short['query']}")
    hits = [h for s in q["searches"] for h in s["hits"]]
    eq([(r["kind"], int(r["id"])) for r in found_rows], [(h["kind"], h["id"]) for h in hits], "the hits shown")
    for r, h in zip(found_rows, hits):  # long titles are cut to the column ("...")
        check(r["title"] == h["title"] or (r["title"].endswith("...") and h["title"].startswith(r["title"][:-3])), r)

    rows = parse_csv(env.ok("--csv", "demo", "--db", os.path.join(env.dir, "c.db"), "--now", NOW).out)
    got = {r["key"]: int(r["value"]) for r in rows if r["section"] == "import"}
    eq(got, {k: imp[k] for k in ("batch_id", "rows", "created", "updated", "rejected", "references_created")}, "CSV")
    eq([r["value"] for r in rows if r["section"] == "search"],
       [f"{h['kind']} {h['id']}" for s in q["searches"] for h in s["hits"]], "CSV hits")
