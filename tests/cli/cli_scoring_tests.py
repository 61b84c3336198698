"""CLI tests of lead scoring (MISSION C3): crm score model|get|explain|stored|top|rescore|dry-run."""
from harness import *  # noqa: F401,F403

MODEL = {
    "name": "製品A",
    "fit": [{"id": "manager", "when": {"field": "title", "op": "contains", "value": "部長"}, "points": 20}],
    "behaviour": [{"id": "seminar", "kind": "event_attendance",
                   "when": {"field": "subject", "op": "contains", "value": "セミナー"}, "points": 30},
                  {"id": "pricing", "kind": "web_visit", "when": {"field": "url", "op": "pattern", "value": "*/pricing*"},
                   "points": 10, "cap_per_day": 1, "window_days": 30}],
}


def write(env, name, doc):
    path = os.path.join(env.dir, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    return path


@test
def test_score_models_and_scores(env):
    env.ok("init")
    taro = env.add("contact", "--name", "山田 太郎", "--title", "営業部長")
    hanako = env.add("contact", "--name", "佐藤 花子")
    m = env.ok("--json", "score", "model", "define", write(env, "a.json", MODEL)).json()
    eq(m[0]["version"] if isinstance(m, list) else m["version"], 1, "version 1")
    env.ok("log", "event_attendance", "--subject", "6月セミナー参加", "--contact", taro["id"])
    env.ok("log", "web_visit", "--url", "https://example.jp/pricing", "--contact", hanako["id"])
    s = env.ok("--json", "score", "get", taro["id"], "--model", "製品A").json()
    s = s[0] if isinstance(s, list) else s
    eq(s["total"], 50.0, "fit 20 + seminar 30")
    csv = env.ok("--csv", "score", "get", taro["id"], "--model", "製品A").out
    check("50.000" in csv and "20.000" in csv, f"CSV keeps three decimals\n{csv}")
    stored = env.ok("--json", "score", "stored", taro["id"], "--model", "製品A").json()
    stored = stored[0] if isinstance(stored, list) else stored
    eq(stored["total"], 50.0, "kept current as the interaction was logged")
    x = env.ok("--json", "score", "explain", taro["id"], "--model", "製品A").json()
    eq(sorted(c["rule"] for c in x["contributions"]), ["manager", "seminar"], "contributions")
    eq(sum(c["points"] for c in x["contributions"]) + x["adjustment"], x["total"], "they add up")
    out = env.ok("score", "explain", taro["id"], "--model", "製品A").out
    check("seminar" in out and "(total)" in out, f"table explain\n{out}")
    top = env.ok("--json", "score", "top", "--model", "製品A", "--limit", "1").json()
    eq([t["contact_id"] for t in top], [taro["id"]], "top page")
    # no version of the model existed in 2000
    env.fails(EXIT_NOT_FOUND, "score", "get", taro["id"], "--model", "製品A", "--as-of", "2000-01-01")
    eq(env.ok("--json", "score", "rescore").json()["scores"], 2, "rescore")
    # dry run: the seminar worth 60 moves taro over 60, writes nothing
    v2 = dict(MODEL)
    v2["behaviour"] = [dict(MODEL["behaviour"][0], points=60), MODEL["behaviour"][1]]
    d = env.ok("--json", "score", "dry-run", "--model", "製品A", "--from-json", write(env, "b.json", v2),
               "--threshold", "60").json()
    eq(d["changed"], 1, "one contact moves")
    eq(d["changes"][0]["crossed"], ["up:60"], "crossed upwards")
    eq(len(env.ok("--json", "score", "model", "versions", "製品A").json()), 1, "dry run stored nothing")
    env.ok("score", "model", "update", write(env, "b.json", v2))
    eq(len(env.ok("--json", "score", "model", "versions", "製品A").json()), 2, "version 2")
    one = env.ok("--json", "score", "model", "show", "製品A", "--version", "1").json()
    eq(one["definition"]["behaviour"][0]["points"], 30, "version 1 stays readable")
    env.ok("score", "model", "deactivate", "製品A")
    env.fails(EXIT_NOT_FOUND, "score", "stored", taro["id"], "--model", "製品A")


@test
def test_score_bad_input(env):
    env.ok("init")
    bad = {"name": "x", "fit": [{"id": "big", "when": {"field": "title", "op": "range", "min": 1}, "points": 1}]}
    env.fails(EXIT_INVALID, "score", "model", "define", write(env, "bad.json", bad),
              contains=["rule 'big'", "range needs"])
    env.fails(EXIT_INVALID, "score", "model", "define", write(env, "bomb.json", {
        "name": "x", "behaviour": [{"id": "b", "kind": "web_visit", "points": 1, "half_life_days": 0}]}),
        contains="half_life_days")
    eq(env.ok("--json", "score", "model", "list").json(), [], "nothing stored")
    env.fails(EXIT_NOT_FOUND, "score", "get", "1", "--model", "nobody")
    env.fails(EXIT_USAGE, "score", "get", "1")
    env.fails(EXIT_USAGE, "score", "get", "abc", "--model", "x")
    env.fails(EXIT_INVALID, "score", "top", "--model", "x", "--limit", "0")
