#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""archboard-cli grade, run as a teacher would: a folder of good, failing
and broken designs; CSV, JSON and markdown; -o; exit codes 0 / 2.
Usage: test-cli-grade.py ARCHBOARD-CLI"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
PROBLEM = "basic-database-design"
results = []


def run(*args):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))


with tempfile.TemporaryDirectory() as tmp:
    cls = os.path.join(tmp, "class")
    os.makedirs(os.path.join(cls, "group-b"))
    code, out, err = run("reference", PROBLEM, "-o", os.path.join(cls, "ann.archboard"))
    check("reference written", code == 0, err)
    with open(os.path.join(cls, "ann.archboard")) as f:
        ref = json.load(f)
    # ben: the reference without its cache(s); cid: nothing but a client
    ben = dict(ref)
    drop = {c["id"] for c in ref["components"] if c["kind"] == "cache"}
    ben["components"] = [c for c in ref["components"] if c["id"] not in drop]
    ben["connections"] = [e for e in ref.get("connections", []) if e["from"] not in drop and e["to"] not in drop]
    with open(os.path.join(cls, "group-b", "ben.archboard"), "w") as f:
        json.dump(ben, f)
    with open(os.path.join(cls, "cid.archboard"), "w") as f:
        json.dump({"format": "archboard-design", "version": 1, "problem": PROBLEM,
                   "components": [{"id": "c1", "kind": "client", "x": 0, "y": 0}]}, f)

    code, out, err = run("grade", cls)
    check("all read: exit 0", code == 0, err)
    rows = list(csv.DictReader(io.StringIO(out)))
    check("csv: a row per file, sorted", [r["file"] for r in rows] ==
          ["ann.archboard", "cid.archboard", "group-b/ben.archboard"], out)
    ann = rows[0]
    check("csv: the reference passes every tier", ann["tiers_passed"] == ann["tiers"] and ann["problem"] == PROBLEM, out)
    check("csv: P95, cost and bottleneck", float(ann["p95_ms"]) > 0 and float(ann["cost_per_month"]) > 0
          and ann["bottleneck"] != "", out)
    check("csv: solved column", ann["solved"] in ("yes", "no") and rows[1]["solved"] == "no", out)
    check("csv: ben misses the cache", "Must include: cache" in rows[2]["missing"]
          and int(rows[2]["tiers_passed"]) < int(rows[2]["tiers"]), out)

    with open(os.path.join(cls, "group-b", "broken.archboard"), "w") as f:
        f.write('{"format": "archboard-design", "version": 1, "components": [}')
    with open(os.path.join(cls, "readme.txt"), "w") as f:
        f.write("ignored")

    code, out, err = run("grade", "--format", "json", cls)
    check("some broken: exit 2", code == 2, err)
    check("broken file named on stderr with its position", "group-b/broken.archboard:1:" in err, err)
    data = json.loads(out)
    check("json: others still graded", data["graded"] == 3 and data["broken"] == 1, out)
    broken = [f for f in data["files"] if "error" in f]
    check("json: broken file listed with its error", len(broken) == 1
          and broken[0]["file"] == "group-b/broken.archboard", out)
    check("json: summary per problem", data["summary"][0]["problem"] == PROBLEM
          and data["summary"][0]["designs"] == 3, out)

    md_path = os.path.join(tmp, "grades.md")
    code, out, err = run("grade", "-f", "md", "-o", md_path, cls)
    check("-o: exit 2 (a broken file), nothing on stdout", code == 2 and out == "", err)
    with open(md_path) as f:
        md = f.read()
    check("markdown: counts and tier table", md.startswith("# Grades\n\n3 designs graded, 1 broken.")
          and "| Tier | Designs passing | Stopped here |" in md, md)
    check("markdown: most common missing pieces", "Most common missing pieces:" in md
          and "Must include: cache — 2 of 3 designs" in md, md)
    check("markdown: broken files", "## Broken files" in md and "group-b/broken.archboard" in md, md)

    code, out1, _ = run("grade", "--threads", "1", cls)
    code, out4, _ = run("grade", "--threads", "4", cls)
    check("same output on 1 and 4 threads", out1 == out4 and out1 != "", out1)

    code, out, err = run("grade", "--problem", "key-value-store", cls)
    rows = list(csv.DictReader(io.StringIO(out)))
    check("--problem grades against that problem", all(r["problem"] == "key-value-store" for r in rows if not r["error"]), out)

    code, out, err = run("grade", "--problem", "nope", cls)
    check("unknown --problem: exit 2", code == 2 and "unknown problem \"nope\"" in err, err)
    code, out, err = run("grade", "--format", "xml", cls)
    check("unknown format: exit 2", code == 2 and "unknown format" in err, err)
    code, out, err = run("grade", os.path.join(tmp, "missing"))
    check("missing folder: exit 2", code == 2 and "not a folder" in err, err)
    code, out, err = run("grade")
    check("no folder: exit 2", code == 2 and "missing the folder" in err, err)

print("TAP version 13")
print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for line in str(detail).splitlines()[:40]:
            print("# " + line)
