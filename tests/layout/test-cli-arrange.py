#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""archboard-cli arrange and export --arrange, run as a user would.
Usage: test-cli-arrange.py ARCHBOARD-CLI"""
import json
import os
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
results = []


def run(*args):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))


def positions(path):
    with open(path) as f:
        doc = json.load(f)
    return {c["id"]: (c["x"], c["y"]) for c in doc["components"]}


with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "messy.archboard")
    doc = {"format": "archboard-design", "version": 1,
           "components": [
               {"id": "db", "kind": "db_primary", "x": 0, "y": 0},
               {"id": "app", "kind": "app", "x": 0, "y": 0},
               {"id": "users", "kind": "client", "x": 0, "y": 0},
               {"id": "cache", "kind": "cache", "x": 5, "y": 7}],
           "connections": [
               {"id": "e1", "from": "users", "to": "app"},
               {"id": "e2", "from": "app", "to": "db"},
               {"id": "e3", "from": "app", "to": "cache"}]}
    with open(src, "w") as f:
        json.dump(doc, f)

    out = os.path.join(tmp, "tidy.archboard")
    code, _, err = run("arrange", src, "-o", out)
    check("arrange: exit 0", code == 0, err)
    pos = positions(out)
    check("arrange: callers left of callees", pos["users"][0] < pos["app"][0] < pos["db"][0]
          and pos["app"][0] < pos["cache"][0], pos)
    check("arrange: db and cache in one layer, apart", pos["db"][0] == pos["cache"][0]
          and abs(pos["db"][1] - pos["cache"][1]) >= 64, pos)
    check("arrange: on the grid", all(x % 16 == 0 and y % 16 == 0 for x, y in pos.values()), pos)
    check("arrange: source file untouched", positions(src)["db"] == (0, 0))

    part = os.path.join(tmp, "part.archboard")
    code, _, err = run("arrange", src, "-o", part, "--select", "app", "--select", "db")
    pos = positions(part)
    check("arrange --select: only those move", code == 0 and pos["users"] == (0, 0)
          and pos["cache"] == (5, 7) and pos["app"][0] < pos["db"][0], (code, err, pos))

    code, _, err = run("arrange", src, "-o", part, "--select", "nope")
    check("arrange: unknown component, exit 2", code == 2 and "no component \"nope\"" in err, err)
    code, _, err = run("arrange", src)
    check("arrange: missing -o, exit 2", code == 2 and "missing -o" in err, err)
    with open(os.path.join(tmp, "bad.archboard"), "w") as f:
        f.write("{")
    code, _, err = run("arrange", os.path.join(tmp, "bad.archboard"), "-o", part)
    check("arrange: broken file, exit 2 with its position", code == 2 and "bad.archboard:1:" in err, err)

    png1 = os.path.join(tmp, "messy.png")
    png2 = os.path.join(tmp, "arranged.png")
    code1, _, err1 = run("export", src, "-o", png1)
    code2, _, err2 = run("export", "--arrange", src, "-o", png2)
    check("export --arrange: exit 0", code1 == 0 and code2 == 0, err1 + err2)
    with open(png1, "rb") as f1, open(png2, "rb") as f2:
        a, b = f1.read(), f2.read()
    # piled-up cards export small; arranged, the layers spread to the right
    w1 = int.from_bytes(a[16:20], "big")
    w2 = int.from_bytes(b[16:20], "big")
    check("export --arrange: laid out before drawing", w2 > w1 + 400, (w1, w2))

print("TAP version 13")
print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for line in str(detail).splitlines()[:40]:
            print("# " + line)
