"""CLI tests of score thresholds (MISSION C4): crm threshold define|list|remove|state|crossings,
crm contact lifecycle|recycle."""
from harness import *  # noqa: F401,F403

# 部長 gives 55 points, 本部長 61 (both rules match), anything else 0.
MODEL = {
    "name": "製品A",
    "fit": [{"id": "a", "when": {"field": "title", "op": "contains", "value": "部長"}, "points": 55},
            {"id": "b", "when": {"field": "title", "op": "contains", "value": "本部長"}, "points": 6}],
}


def one(doc):
    return doc[0] if isinstance(doc, list) else doc


@test
def test_threshold_hysteresis_and_lifecycle(env):
    env.ok("init")
    path = os.path.join(env.dir, "m.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(MODEL, f, ensure_ascii=False)
    env.ok("score", "model", "define", path)
    taro = env.add("contact", "--name", "山田 太郎", "--title", "部長", "--set", "lifecycle_stage=lead")
    # refused definitions: nothing stored
    env.fails(EXIT_INVALID, "threshold", "define", "MQL", "--model", "製品A", "--enter", "50", "--leave", "60")
    env.fails(EXIT_NOT_FOUND, "threshold", "define", "MQL", "--model", "ない", "--enter", "60", "--leave", "50")
    env.fails(EXIT_INVALID, "threshold", "define", "MQL", "--model", "製品A", "--enter", "9999999", "--leave", "50")
    env.fails(EXIT_USAGE, "threshold", "define", "MQL", "--model", "製品A", "--enter", "6o", "--leave", "50")
    env.fails(EXIT_USAGE, "threshold", "define", "MQL", "--model", "製品A", "--enter", "60", "--leave", "50",
              "--output", "sideways")
    eq(env.ok("--json", "threshold", "list").json(), [], "nothing stored")
    d = one(env.ok("--json", "threshold", "define", "MQL", "--model", "製品A", "--enter", "60", "--leave", "50.5",
                   "--stage", "mql").json())
    eq((d["enter"], d["leave"], d["stage"], d["output"]), (60.0, 50.5, "mql", "total"), "stored levels")
    for title in ["本部長", "部長", "本部長", "担当", "部長"]:
        env.ok("contact", "update", taro["id"], "--title", title)
    xs = env.ok("--json", "threshold", "crossings", "MQL", "--contact", taro["id"]).json()
    eq([x["direction"] for x in xs], ["enter", "leave"], "once per crossing")
    eq([x["score"] for x in xs], [61.0, 0.0], "scores at the crossings")
    eq(env.ok("--json", "threshold", "inside", "MQL").json(), [], "nobody inside")
    eq(one(env.ok("--json", "threshold", "show", "MQL").json())["leave"], 50.5, "show")
    st = one(env.ok("--json", "threshold", "state", "MQL", taro["id"]).json())
    eq(st["inside"], False, "outside after leaving")
    csv = env.ok("--csv", "threshold", "crossings", "MQL").out
    check("enter" in csv and "leave" in csv, f"CSV\n{csv}")
    env.fails(EXIT_NOT_FOUND, "threshold", "state", "nope", taro["id"])
    # lifecycle: moved to mql on entering, recycled with a reason
    env.ok("contact", "recycle", taro["id"], "--reason", "予算凍結")
    env.fails(EXIT_USAGE, "contact", "recycle", taro["id"])
    env.fails(EXIT_NOT_FOUND, "contact", "recycle", "987654", "--reason", "x")
    h = env.ok("--json", "contact", "lifecycle", taro["id"]).json()
    eq([(c["from"], c["to"]) for c in h], [(None, "lead"), ("lead", "mql"), ("mql", "recycled")], "history")
    eq(h[2]["reason"], "予算凍結", "reason kept")
    env.ok("contact", "update", taro["id"], "--title", "本部長")
    eq(one(env.ok("--json", "contact", "get", taro["id"]).json())["lifecycle_stage"], "recycled", "never moved back")
    env.ok("threshold", "remove", "MQL")
    env.fails(EXIT_NOT_FOUND, "threshold", "remove", "MQL")
