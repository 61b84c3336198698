"""CLI tests of forms and lead capture: crm form define|get|list|remove|versions|check|submit|touches."""
import json
import os
import sqlite3

from harness import *  # noqa: F401,F403

FORM = {
    "name": "contact-us", "title": "お問い合わせ", "source": "web", "on_conflict": "keep",
    "fields": [
        {"name": "email", "type": "email", "required": True, "maps_to": "contact.email"},
        {"name": "name", "type": "text", "max_length": 10, "maps_to": "contact.name"},
        {"name": "title", "type": "text", "maps_to": "contact.title"},
        {"name": "company", "type": "text", "maps_to": "account.name"},
        {"name": "plan", "type": "choice", "choices": ["無料", "有料"]},
        {"name": "agree", "type": "consent", "maps_to": "contact.consent.email"},
        {"name": "zip", "type": "text", "pattern": "###-####", "maps_to": "contact.address.postal_code"},
    ],
}


def write_json(env, name, doc):
    path = os.path.join(env.dir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False))
    return path


def rows_of(env):
    """Every row of the tables a submission writes, to prove a failure stored nothing."""
    con = sqlite3.connect(env.db)
    out = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
           for t in ("contacts", "contact_emails", "accounts", "interactions", "form_submissions", "history")}
    con.close()
    return out


@test
def test_forms_define_submit_touches(env):
    env.ok("init")
    path = write_json(env, "form.json", FORM)
    form = env.ok("--json", "form", "define", "--from-json", path).json()
    eq(form["version"], 1, "version")
    eq(form["fields"][0]["maps_to"], "contact.emails", "canonical target")
    env.fails(3, "form", "define", "--from-json", path, contains="contact-us")  # the name is taken
    bad = dict(FORM, name="bad", fields=[dict(FORM["fields"][0], maps_to="contact.shoe_size")])
    env.fails(3, "form", "define", "--from-json", write_json(env, "bad.json", bad), contains="fields[0].maps_to")
    env.fails(1, "form", "define", "--from-json", write_json(env, "broken.json", "{oops"))
    env.fails(2, "form", "define", "--from-json", os.path.join(env.dir, "missing.json"))
    env.fails(2, "form", "get", "no-such-form")
    eq(env.ok("--json", "form", "get", "contact-us").json()["id"], form["id"], "get by name")
    _, rows = table(env.ok("form", "list").out)
    eq([r["name"] for r in rows], ["contact-us"], "list")

    r = env.ok("--json", "form", "submit", "contact-us", "--field", "email=Taro@Example.jp", "--field",
               "name=山田 太郎", "--field", "title=部長", "--field", "company=株式会社サンプル", "--field", "agree=on",
               "--utm-source", "google", "--utm-medium", "cpc", "--url", "https://example.jp/contact",
               "--at", "2026-04-01T10:00:00+09:00").json()
    eq((r["created"], r["account_created"]), (True, True), "created")
    contact = r["contact_id"]
    values = write_json(env, "values.json", {"email": "taro@example.JP", "title": "社長", "name": "",
                                             "company": "(株)ｻﾝﾌﾟﾙ"})
    r2 = env.ok("--json", "form", "submit", "contact-us", "--from-json", values,
                "--at", "2026-03-01T10:00:00+09:00", "--utm-source", "seminar").json()
    eq((r2["contact_id"], r2["created"], r2["account_created"], r2["kept"]),
       (contact, False, False, ["contact.title"]), "second submission")
    doc = env.ok("--json", "contact", "get", contact).json()
    eq((doc["name"], doc["title"], doc["consent"]["email"]), ("山田 太郎", "部長", True), "profile")
    touches = env.ok("--json", "form", "touches", contact).json()
    eq((touches["first"]["source"], touches["latest"]["source"], touches["count"]), ("seminar", "google", 2),
       "first by time, not by arrival")
    _, rows = table(env.ok("form", "touches", contact).out)
    eq([r["touch"] for r in rows], ["first", "latest"], "touch table")
    tl = env.ok("--json", "timeline", "contact", contact).json()
    eq([i["kind"] for i in tl], ["form_submission", "form_submission"], "timeline")

    # Every field error at once; nothing stored; exit 3.
    before = rows_of(env)
    e = env.fails(3, "form", "submit", "contact-us", "--field", "email=nope", "--field", "name=あいうえおかきくけこさ",
                  "--field", "plan=金", "--field", "colour=red",
                  contains=["4 fields refused", "email:", "name: is longer than 10 characters",
                            "plan: '金' is not one of 無料, 有料", "colour: is not a field of form 'contact-us'"])
    eq(rows_of(env), before, "nothing stored")
    errors = env.ok("--json", "form", "check", "contact-us", "--field", "email=nope", "--field", "plan=金").json()
    eq([x["field"] for x in errors], ["email", "plan"], "check lists the errors")
    _, rows = table(env.ok("form", "check", "contact-us", "--field", "plan=金", "--field", "zip=1000001").out)
    eq([r["field"] for r in rows], ["email", "plan", "zip"], "check table")
    eq(rows[2]["message"], "'1000001' does not match the pattern ###-####", "pattern")
    env.fails(1, "form", "submit", "contact-us", "--field", "no-equals-sign")
    env.fails(1, "form", "submit", "contact-us", "--field", "email=a@b.jp", "--at", "yesterday")
    env.fails(3, "form", "submit", "contact-us", "--field", "email=a@b.jp", "--at", "2999-01-01")
    eq(rows_of(env), before, "nothing stored by the refused ones")

    # Versions, update, remove.
    changed = dict(FORM, title="資料請求")
    eq(env.ok("--json", "form", "update", "contact-us", "--from-json", write_json(env, "v2.json", changed))
       .json()["version"], 2, "update")
    _, rows = table(env.ok("form", "versions", "contact-us").out)
    eq([(r["version"], r["op"]) for r in rows], [("1", "define"), ("2", "update")], "versions")
    env.ok("form", "remove", "contact-us")
    env.fails(2, "form", "get", "contact-us")
    eq([v["op"] for v in env.ok("--json", "form", "versions", form["id"]).json()], ["define", "update", "remove"],
       "history kept")
    eq(env.ok("--json", "form", "touches", contact).json()["first"]["form_id"], None, "submissions stay")
