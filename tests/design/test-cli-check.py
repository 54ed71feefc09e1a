#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""archboard-cli check, run as a user would: exit codes 0 / 1 / 2, text and
JSON output, error positions.  Usage: test-cli-check.py ARCHBOARD-CLI"""
import json
import os
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
SRCDIR = os.environ.get("ARCHBOARD_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
PROBLEM = "basic-database-design"
results = []


def run(*args):
    p = subprocess.run([CLI, "check", *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def strict_json(text):
    def refuse(name):
        raise ValueError("non-standard JSON constant " + name)
    return json.loads(text, parse_constant=refuse)


def reference(problem, path):
    subprocess.run([CLI, "reference", problem, "-o", path], check=True, timeout=60)


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))


def design(path, kinds, problem=PROBLEM):
    doc = {"format": "archboard-design", "version": 1,
           "components": [{"id": "c%d" % i, "kind": k, "x": 0, "y": 0} for i, k in enumerate(kinds)]}
    if problem:
        doc["problem"] = problem
    with open(path, "w") as f:
        json.dump(doc, f)


with open(os.path.join(SRCDIR, "problems", "storage", PROBLEM + ".json")) as f:
    tiers = json.load(f)["tiers"]
required = sorted({r["kind"] for t in tiers for r in t["rules"]})
with open(os.path.join(SRCDIR, "data", "catalog", "components.json")) as f:
    display_name = {k["id"]: k["display_name"] for k in json.load(f)["kinds"]}

with tempfile.TemporaryDirectory() as tmp:
    good = os.path.join(tmp, "good.archboard")
    design(good, required)
    code, out, err = run(good)
    check("all tiers pass: exit 0", code == 0, err)
    check("text lists every tier as PASS", all(("PASS  " + t["name"]) in out for t in tiers), out)
    check("text summary", "%d of %d tiers pass." % (len(tiers), len(tiers)) in out, out)

    code, out, err = run("--problem", PROBLEM, "--json", good)
    check("--json exit 0", code == 0, err)
    data = json.loads(out)
    check("--json fields", data["problem"] == PROBLEM and data["all_passed"] is True
          and data["passed"] == len(tiers) == data["total"], out)

    missing = required[-1]
    partial = os.path.join(tmp, "partial.archboard")
    design(partial, [k for k in required if k != missing])
    code, out, err = run(partial)
    check("some tier fails: exit 1", code == 1, err)
    # In the learner's words: the kind's display name, not its id.
    add = "Add a%s %s" % ("n" if display_name[missing][0] in "AEIOU" else "", display_name[missing])
    check("reason says what to add", add in out, out)
    code, out, err = run("--json", partial)
    data = json.loads(out)
    failing = [r for t in data["tiers"] for r in t["rules"] if not r["pass"]]
    check("--json failing rule", code == 1 and failing and failing[0]["kind"] == missing
          and failing[0]["measured"] == 0 and failing[0]["reason"] == add, out)

    bad = os.path.join(tmp, "bad.archboard")
    with open(bad, "w") as f:
        f.write('{"format": "archboard-design", "version": 1,\n "components": [{"id": "p", "kind": "dbx", "x": 0, "y": 0}]}')
    code, out, err = run(bad)
    check("malformed design: exit 2", code == 2, err)
    check("error has file:line:col", (bad + ':2:37: unknown component kind "dbx"') in err, err)

    newer = os.path.join(tmp, "newer.archboard")
    with open(newer, "w") as f:
        f.write('{"format": "archboard-design", "version": 7}')
    code, out, err = run("-p", PROBLEM, newer)
    check("newer format: exit 2", code == 2 and "newer Archboard (format version 7)" in err, err)

    noproblem = os.path.join(tmp, "noproblem.archboard")
    design(noproblem, required, problem=None)
    code, out, err = run(noproblem)
    check("no problem named: exit 2", code == 2 and "--problem" in err, err)
    code, out, err = run("-p", PROBLEM, noproblem)
    check("--problem supplies it: exit 0", code == 0, err)

    # the verdict: tiers pass but nothing is connected (no client)
    code, out, err = run(good)
    last = out.strip().splitlines()[-1]
    check("unconnected boxes: text ends with Not solved yet", last.startswith("Not solved yet: ")
          and "no client" in last, out)
    check("unconnected boxes: each named with its reason",
          all(("fail  c%d: no client reaches it" % i) in out for i in range(len(required))), out)
    check("unconnected boxes: the heading says what is checked",
          "FAIL  Every component is reached from a client\n" in out, out)
    code, out, err = run("--solved", good)
    check("--solved: exit 1 when tiers pass but not solved", code == 1, out + err)
    code, out, err = run("--json", good)
    data = strict_json(out)
    check("--json: connected, unreached, performance, solved", data["connected"] is False
          and data["solved"] is False and isinstance(data["performance"], list)
          and sorted(u["component"] for u in data["unreached"]) == ["c%d" % i for i in range(len(required))]
          and all(u["reason"] == "no client reaches it" for u in data["unreached"])
          and data["simulated"] is False and data["reasons"], out)

    # a component offered more than it can do, off the request path (the
    # distributed-database reference with its Raft followers back at the
    # 4 instances of the text's "5-node Raft cluster"): not solved, named
    ref = os.path.join(tmp, "distributed-database.archboard")
    reference("distributed-database", ref)
    with open(ref) as f:
        design = json.load(f)
    for c in design["components"]:
        if "Raft Followers" in (c.get("label") or ""):
            c["instances"] = 4
    with open(ref, "w") as f:
        json.dump(design, f)
    code, out, err = run(ref)
    jcode, jout, jerr = run("--json", ref)
    data = strict_json(jout)
    followers = [u for u in data["overloaded"] if "times what its 4 instances" in u["reason"]]
    check("overloaded component: keeps_up false, listed with its reason, not solved",
          data["keeps_up"] is False and len(followers) == 3 and data["solved"] is False, jout)
    check("overloaded component: text says who cannot keep up",
          "FAIL  Every component keeps up with its load" in out
          and "US Raft Followers cannot keep up: offered " in out.strip().splitlines()[-1], out)

    # references: the same verdict in text, JSON and exit status
    for problem in ("nosql-basics", "basic-database-design", "ecommerce-order-db"):
        ref = os.path.join(tmp, problem + ".archboard")
        reference(problem, ref)
        code, out, err = run(ref)
        last = out.strip().splitlines()[-1]
        check(problem + ": tiers pass, exit 0", code == 0, out + err)
        jcode, jout, jerr = run("--json", ref)
        data = strict_json(jout)
        check(problem + ": --json exit status as text", jcode == code, jerr)
        check(problem + ": connected", data["connected"] is True and data["unreached"] == [], jout)
        perf = data["performance"]
        check(problem + ": performance checks with value, bound, verdict, phase, sentence",
              perf and all(set(("label", "target", "value", "bound", "verdict", "phase", "sentence", "unit"))
                           <= set(c) and c["verdict"] in ("pass", "fail", "too_close_to_call", "not_judged")
                           and c["phase"] in ("normal", "peak") for c in perf), jout)
        check(problem + ": every component keeps up", data["keeps_up"] is True and data["overloaded"] == [], jout)
        solved = all(c["verdict"] == "pass" for c in perf)
        check(problem + ": solved iff every check passes", data["solved"] is solved, jout)
        check(problem + ": text ends with the verdict",
              last == "Solved" if solved else last.startswith("Not solved yet: "), out)
        check(problem + ": every check printed in the learner's words",
              all(c["sentence"] in out for c in perf), out)
        scode, sout, serr = run("--solved", ref)
        check(problem + ": --solved exit 0 only when solved", scode == (0 if solved else 1), sout + serr)
        if problem == "basic-database-design":
            avail = [c for c in perf if c["unit"] == "fraction"]
            check("availability check: value and bound as fractions", avail and avail[0]["bound"] == 0.999
                  and 0.99 < avail[0]["value"] < 1, jout)
        if problem == "ecommerce-order-db":
            check("a requirement naming the peak is judged in the peak phase",
                  any(c["phase"] == "peak" and "peak" in c["target"].lower() for c in perf), jout)
    code, out, err = run("--json", "--method", "des", "--seed", "3", os.path.join(tmp, "nosql-basics.archboard"))
    data = strict_json(out)
    lat = [c for c in data["performance"] if c["unit"] == "ms"]
    check("--method des: latency checks with a confidence interval", code == 0 and data["method"] == "des" and lat
          and all(c["ci_low"] is not None and c["ci_low"] <= c["value"] <= c["ci_high"] for c in lat), out + err)
    # the peak is overridable: a huge peak fails the peak-phase rate check
    ecom = os.path.join(tmp, "ecommerce-order-db.archboard")
    code, out, err = run("--json", ecom)
    base = [c for c in strict_json(out)["performance"] if c["phase"] == "peak"]
    code, out, err = run("--json", "--peak-multiplier", "50", ecom)
    big = [c for c in strict_json(out)["performance"] if c["phase"] == "peak"]
    check("--peak-multiplier moves the peak phase", base and big and big[0]["value"] != base[0]["value"], out + err)
    code, out, err = run("--peak-multiplier", "0.5", ecom)
    check("--peak-multiplier below 1: exit 2", code == 2, err)
    code, out, err = run("--method", "guess", good)
    check("unknown method: exit 2", code == 2 and "unknown method" in err, err)

    code, out, err = run("-p", "no-such-problem", good)
    check("unknown problem: exit 2", code == 2 and "unknown problem" in err, err)
    code, out, err = run(os.path.join(tmp, "missing.archboard"))
    check("missing file: exit 2", code == 2 and "missing.archboard" in err, err)
    code, out, err = run()
    check("no file: exit 2", code == 2, err)
    code, out, err = run("--bogus", good)
    check("unknown option: exit 2", code == 2, err)
    code, out, err = run("--help")
    check("--help: exit 0 and documents options", code == 0 and "--problem" in out and "--json" in out
          and "--solved" in out, out)

print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for line in str(detail).splitlines()[:20]:
            print("# " + line)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
