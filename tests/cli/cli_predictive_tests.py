"""CLI tests of predictive scoring: crm predict train|show|list|versions|score|stored|top|rescore,
on the demo company's own won deals."""
from harness import *  # noqa: F401,F403

NOW = "2026-11-24T09:00:00+09:00"
MODEL = {
    "name": "受注予測",
    "outcome": {"type": "won_deal"},
    "features": [
        {"field": "title", "max_levels": 8},
        {"field": "lead_source"},
        {"field": "account.industry"},
        {"field": "account.employee_count"},
        {"id": "visits", "kind": "web_visit", "window_days": 90},
        {"id": "meetings", "kind": "meeting", "window_days": 180},
    ],
    "holdout": 0.3,
    "seed": 11,
}


def one(doc):
    return doc[0] if isinstance(doc, list) else doc


def write(env, name, doc):
    path = os.path.join(env.dir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False))
    return path


@test
def test_predict_train_score_top(env):
    env.ok("demo", "--size", "1000", "--db", env.db, "--now", NOW, "--quiet")
    path = write(env, "m.json", MODEL)
    # refused: nothing stored
    bad = dict(MODEL, features=[{"field": "shoe_size"}])
    env.fails(EXIT_INVALID, "predict", "train", write(env, "bad.json", bad), contains="features[0].field")
    env.fails(EXIT_INVALID, "predict", "train", write(env, "bad2.json", dict(MODEL, holdout=0.99)), contains="holdout")
    env.fails(EXIT_INVALID, "predict", "train", write(env, "bad3.json", "{oops"))
    env.fails(EXIT_NOT_FOUND, "predict", "train", os.path.join(env.dir, "missing.json"))
    eq(env.ok("--json", "predict", "list").json(), [], "nothing stored")

    m = one(env.ok("--json", "predict", "train", path).json())
    rep = m["report"]
    eq(m["version"], 1, "version 1")
    check(rep["train_positives"] + rep["holdout_positives"] > 0, f"positives\n{rep}")
    check(0.0 <= rep["auc_holdout"] <= 1.0, f"auc\n{rep}")
    check(any(c["name"].startswith("title=") for c in rep["coefficients"]), "title levels")
    again = one(env.ok("--json", "predict", "train", path).json())
    eq(again["version"], 2, "re-training stores version 2")
    eq([c["weight"] for c in again["report"]["coefficients"]], [c["weight"] for c in rep["coefficients"]],
       "deterministic: the same weights")
    table = env.ok("predict", "show", "受注予測").out
    check("AUC hold-out" in table and "(intercept)" in table and "visits" in table, table)
    eq(one(env.ok("--json", "predict", "show", "受注予測", "--version", "1").json())["version"], 1, "show --version")
    eq(len(env.ok("--json", "predict", "versions", "受注予測").json()), 2, "two versions")
    eq([x["name"] for x in env.ok("--json", "predict", "list").json()], ["受注予測"], "list")

    # hottest first, in pages
    r = env.ok("--json", "predict", "top", "--model", "受注予測", "--limit", "5")
    page = r.json()
    eq(len(page), 5, "a page of 5")
    probs = [p["probability"] for p in page]
    eq(probs, sorted(probs, reverse=True), "hottest first")
    check("next:" in r.err, r.err)
    cursor = r.err.split("next:")[1].strip()
    page2 = env.ok("--json", "predict", "top", "--model", "受注予測", "--limit", "5", "--after", cursor).json()
    check(page2[0]["probability"] <= probs[-1] and page2[0]["contact_id"] not in [p["contact_id"] for p in page],
          "the next page follows")
    hot = page[0]["contact_id"]
    p = one(env.ok("--json", "predict", "score", hot, "--model", "受注予測", "--top", "2").json())
    check(1 <= p["score"] <= 99, f"score\n{p}")
    eq(p["score"], page[0]["score"], "the stored score is the computed one")
    check(len(p["positive"]) <= 2 and len(p["negative"]) <= 2, "top 2 each way")
    full = one(env.ok("--json", "predict", "score", hot, "--model", "受注予測", "--top", "1000").json())
    total = full["intercept"] + sum(f["contribution"] for f in full["positive"] + full["negative"])
    check(abs(total - full["logit"]) < 1e-9, f"factors add up: {total} vs {full['logit']}")
    out = env.ok("predict", "score", hot, "--model", "受注予測").out
    check(f"score {p['score']}" in out and "contribution" in out, out)
    csv = parse_csv(env.ok("--csv", "predict", "score", hot, "--model", "受注予測").out)
    eq(list(csv[0].keys()), ["direction", "factor", "value", "contribution"], "CSV header")
    eq(csv[0]["factor"], p["positive"][0]["name"] if p["positive"] else p["negative"][0]["name"], "CSV rows")
    eq(one(env.ok("--json", "predict", "stored", hot, "--model", "受注予測").json())["version"], 2, "stored by v2")
    contacts = int(env.ok("contact", "count").out.strip())  # the sample's, and the tour's business cards
    eq(one(env.ok("--json", "predict", "rescore", "--model", "受注予測").json())["stored"], contacts, "rescored: every contact")

    env.fails(EXIT_NOT_FOUND, "predict", "score", hot, "--model", "ない")
    env.fails(EXIT_NOT_FOUND, "predict", "score", "987654", "--model", "受注予測")
    env.fails(EXIT_INVALID, "predict", "score", hot, "--model", "受注予測", "--top", "0")
    env.fails(EXIT_USAGE, "predict", "score", hot, "--model", "受注予測", "--top", "two")
    env.fails(EXIT_USAGE, "predict", "score", hot)
    env.fails(EXIT_USAGE, "predict", "frobnicate")
    env.fails(EXIT_NOT_FOUND, "predict", "show", "ない")
