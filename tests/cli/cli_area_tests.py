"""CLI tests of part B (tickets and SLA, interactions, tasks, documents, sales) and
of the generic record commands every kind shares."""
from harness import *  # noqa: F401,F403


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
    env.fails(EXIT_INVALID, "ticket", "respond", t["id"], "--at", "2999-01-01T00:00:00Z", contains="future")
    env.fails(EXIT_INVALID, "ticket", "status", t["id"], "closed", "--at", "2999-01-01T00:00:00Z",
              contains="future")
    env.fails(EXIT_INVALID, "ticket", "status", t["id"], "closed", "--at", "2001-01-01T00:00:00Z",
              contains="latest status change")
    r = env.ok("--json", "ticket", "respond", t["id"]).json()
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
    env.fails(EXIT_NOT_FOUND, "task", "add", "--title", "x", "--link", "contact:999", contains="links[0]")
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
    env.fails(EXIT_NOT_FOUND, "doc", "add", src, "--kind", "quote", "--account", "999", contains="links[0]")
    eq(len(env.ok("--json", "doc", "list").json()), 1, "the refused document was not stored")
    s = env.ok("--json", "doc", "send", d["id"], "--contact", c["id"], "--at", "2026-11-24T10:00:00+09:00").json()
    eq([(x["contact_id"], x["sent_at"]) for x in s], [(c["id"], "2026-11-24T01:00:00.000Z")], "send recorded")
    eq(len(env.ok("--json", "doc", "sends", "--contact", c["id"]).json()), 1, "sends per contact")
    env.fails(EXIT_NOT_FOUND, "doc", "send", d["id"], "--contact", "999", contains="no contact with id 999")


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


@test
def test_actor_dated_moves_and_email_events(env):
    env.ok("init")
    user = env.add("user", "--name", "営業 一郎", "--email", "ichiro@corp.example")["id"]
    before = env.ok("--json", "contact", "list").out
    env.fails(EXIT_NOT_FOUND, "--actor", "999", "contact", "add", "--name", "誰か", contains="no user")
    eq(env.ok("--json", "contact", "list").out, before, "a refused actor writes nothing")
    taro = env.ok("--json", "--actor", str(user), "contact", "add", "--name", "山田 太郎",
                  "--email", "taro@example.jp", "--email", "taro.home@example.jp", "--consent-email", "true").json()
    eq(env.ok("--json", "contact", "history", taro["id"]).json()[0]["actor_id"], user, "the actor is in history")

    pl = env.add("pipeline", "--name", "新規営業", "--stage", "提案:40", "--stage", "受注:100:won")
    stages = env.ok("--json", "pipeline", "stages", pl["id"]).json()
    d = env.add("deal", "--name", "2017年の案件", "--pipeline", pl["id"], "--stage", stages[0]["id"],
                "--created-at", "2017-01-10T09:00:00+09:00")
    env.fails(EXIT_INVALID, "deal", "move", d["id"], stages[1]["id"], "--at", "2999-01-01", contains="future")
    env.fails(EXIT_INVALID, "deal", "move", d["id"], stages[1]["id"], "--at", "2016-01-01", contains="latest stage")
    won = env.ok("--json", "deal", "move", d["id"], stages[1]["id"], "--at", "2017-03-31T18:00:00+09:00").json()
    eq((won["status"], won["closed_at"]), ("won", "2017-03-31T09:00:00.000Z"), "won in 2017")

    mail = int(env.ok("log", "email", "--contact", taro["id"], "--direction", "outbound",
                      "--at", "2026-04-02T09:00:00+09:00").out.strip())
    env.fails(EXIT_INVALID, "email", "track", mail, "opened", "--at", "2026-04-01T00:00:00Z", contains="before the email")
    env.fails(EXIT_INVALID, "email", "track", mail, "bounced", "--address", "nobody@example.jp", contains="address")
    env.ok("email", "track", mail, "bounced", "--soft")
    env.ok("email", "track", mail, "bounced", "--address", "TARO.HOME@example.jp")
    env.ok("email", "track", mail, "unsubscribed")
    c = env.ok("--json", "contact", "get", taro["id"]).json()
    eq([e["undeliverable"] for e in c["emails"]], [False, True], "the hard bounce marks that address only")
    eq(c["consent"]["email"], False, "unsubscribe withdraws consent")


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
    env.fails(EXIT_USAGE, kind, "as-of", rid, "yesterday", contains="ISO-8601")
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
        env.fails(EXIT_USAGE, kind, "get", "abc", contains="not a record id")
    kinds = ["product", "pipeline", "deal", "ticket", "task", "campaign"]
    before = {k: env.ok("--json", k, "list").json() for k in kinds}
    before_file = open(env.db, "rb").read()
    env.fails(EXIT_USAGE, "product", "add", "--name", "X", "--price", "高い", contains="--price")
    env.fails(EXIT_USAGE, "pipeline", "add", "--name", "X", "--stage", "提案", contains="NAME:PROBABILITY")
    env.fails(EXIT_NOT_FOUND, "deal", "add", "--name", "X", "--pipeline", "999", contains="pipeline_id")
    env.fails(EXIT_INVALID, "ticket", "add", "--subject", "X", "--priority", "critical", contains="priority")
    env.fails(EXIT_USAGE, "task", "add", "--title", "X", "--due", "tomorrow", contains="--due")
    env.fails(EXIT_NOT_FOUND, "task", "add", "--title", "X", "--link", "contact:999", contains="links[0]")
    env.fails(EXIT_INVALID, "campaign", "add", "--from-json", "-", stdin='[{"name":"A"},{"name":""}]',
              contains="record 2 of 2")
    env.fails(EXIT_INVALID, "ticket", "add", "--from-json", "-", stdin="{oops", contains="not valid JSON")
    env.fails(EXIT_USAGE, "task", "add", contains="nothing to add")
    eq({k: env.ok("--json", k, "list").json() for k in kinds}, before, "refused adds stored nothing")
    eq(open(env.db, "rb").read(), before_file, "the database file is unchanged")


# ---- saved segments (MISSION C5) ----------------------------------------------------
@test
def test_segments(env):  # [segments]
    env.ok("init")
    acct = env.add("account", "--name", "株式会社サンプル", "--industry", "製造業")["id"]
    taro = env.add("contact", "--name", "山田 太郎", "--account", acct, "--stage", "mql", "--email", "taro@example.jp")["id"]
    hana = env.add("contact", "--name", "佐藤 花子", "--stage", "lead")["id"]
    mail = int(env.ok("interaction", "add", "email", "--contact", taro, "--subject", "ご案内",
                      "--at", "2026-04-02T09:00:00+09:00").out.strip())
    env.ok("email", "track", mail, "opened")
    env.ok("email", "track", mail, "opened")
    expr = "lifecycle_stage = 'mql' and account.industry in ('製造業', '小売') and count(email opened, last 3650d) >= 2"
    seg = env.ok("--json", "segment", "define", "製造業の関心層", "--expr", expr, "--description", "説明").json()
    eq(seg["definition"], expr, "define stores the text")
    eq(env.ok("--json", "segment", "show", "製造業の関心層").json()["id"], seg["id"], "show by name")
    eq(env.ok("--json", "segment", "count", "製造業の関心層").json()["count"], 1, "count saved")
    eq(env.ok("--json", "segment", "count", "--expr", "name?").json()["count"], 2, "count expr")
    eq([c["id"] for c in env.ok("--json", "segment", "contacts", "製造業の関心層").json()], [taro], "contacts")
    r = env.ok("--json", "segment", "contacts", "--expr", "name?", "--limit", "1")
    eq([c["id"] for c in r.json()], [taro], "first page")
    cursor = r.err.split("next:")[1].strip()
    eq([c["id"] for c in env.ok("--json", "segment", "contacts", "--expr", "name?", "--limit", "1", "--after", cursor).json()],
       [hana], "second page")
    eq(len(env.ok("--json", "segment", "contacts", "--expr", "name?", "--all", "--limit", "1").json()), 2, "--all")
    # as of a time before anything existed: nobody
    eq(env.ok("--json", "segment", "count", "--expr", "name?", "--as-of", "2000-01-01").json()["count"], 0, "as-of")
    # check: valid, or every problem with line:column, exit 3
    eq(env.ok("--json", "segment", "check", "--expr", expr).json()["valid"], True, "check ok")
    r = env.fails(3, "segment", "check", "--expr", "lifecycle_stage = 'mql' and\n  account.industy = 1")
    check("2:3:" in r.err and "account.industry" in r.err, f"check names the position and the near field\n{r}")
    env.fails(3, "segment", "check", "--expr", "score(fit).grade = 'A'", contains="no scoring model named 'fit'")
    # a bad definition is refused and nothing is saved; names are unique
    env.fails(3, "segment", "define", "bad", "--expr", "lifecycle_stage = 'mqll'", contains="1:19")
    env.fails(2, "segment", "show", "bad")
    env.fails(3, "segment", "define", "製造業の関心層", "--expr", "name?")
    env.fails(1, "segment", "count")
    env.fails(1, "segment", "count", "製造業の関心層", "--expr", "name?")
    env.fails(1, "segment", "contacts", "--expr", "name?", "--as-of", "yesterday")
    env.fails(3, "segment", "count", "--expr", "nope = 1", contains="nope")
    eq(len(env.ok("--json", "segment", "list").json()), 1, "list")
    eq([h["op"] for h in env.ok("--json", "segment", "history", seg["id"]).json()], ["create"], "history")
    env.ok("segment", "remove", "製造業の関心層")
    env.fails(2, "segment", "count", "製造業の関心層")
