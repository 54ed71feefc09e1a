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
    p = subprocess.run([CLI, "check", *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


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
    check("reason says what to add", "add a %s" % missing in out, out)
    code, out, err = run("--json", partial)
    data = json.loads(out)
    failing = [r for t in data["tiers"] for r in t["rules"] if not r["pass"]]
    check("--json failing rule", code == 1 and failing and failing[0]["kind"] == missing
          and failing[0]["measured"] == 0 and failing[0]["reason"] == "add a %s" % missing, out)

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

    code, out, err = run("-p", "no-such-problem", good)
    check("unknown problem: exit 2", code == 2 and "unknown problem" in err, err)
    code, out, err = run(os.path.join(tmp, "missing.archboard"))
    check("missing file: exit 2", code == 2 and "missing.archboard" in err, err)
    code, out, err = run()
    check("no file: exit 2", code == 2, err)
    code, out, err = run("--bogus", good)
    check("unknown option: exit 2", code == 2, err)
    code, out, err = run("--help")
    check("--help: exit 0 and documents options", code == 0 and "--problem" in out and "--json" in out, out)

print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for line in str(detail).splitlines()[:20]:
            print("# " + line)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
