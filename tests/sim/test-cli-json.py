#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every number in every JSON output of archboard-cli is strict JSON
(issue 8, item 10): `simulate --format json` (model and DES), `check
--json`, `list --json` and `show --json` for the 35 reference solutions and
for random designs made from them (components dropped, instances and rates
pushed to extremes).  The parser refuses NaN, Infinity and text such as
"1e+17.0".  Usage: test-cli-json.py ARCHBOARD-CLI"""
import json
import os
import random
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
results = []


def refuse(name):
    raise ValueError("non-standard JSON constant " + name)


def strict(text):
    return json.loads(text, parse_constant=refuse)


def run(*args):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def check_json(name, args, codes=(0, 1)):
    code, out, err = run(*args)
    if code not in codes:
        results.append((name, False, "exit %d: %s" % (code, err)))
        return None
    if code == 2:
        # refused input: a message, no half-written JSON
        results.append((name + " (refused)", out == "" and err.strip() != "", out + err))
        return None
    try:
        data = strict(out)
    except ValueError as e:
        results.append((name, False, "%s\n%s" % (e, out[:2000])))
        return None
    results.append((name, True, ""))
    # the simulator's room: a count in every DES result
    if isinstance(data, dict) and "des" in data:
        room = data["des"].get("out_of_room")
        results.append((name + " out_of_room", isinstance(room, int) and not isinstance(room, bool)
                        and room >= 0, repr(room)))
        results.append((name + " latency intervals", *latency_intervals(data)))
    return data


def latency_intervals(data):
    """Every DES phase's latency figure comes with its 95 % interval
    (NAME_ci_low, NAME_ci_high: low <= figure <= high, or both null when
    none could be computed); the model's have none.  (ok, detail)"""
    seen = 0
    for method, res in data.items():
        if method not in ("des", "analytical") or not isinstance(res, dict):
            continue
        for ph in res.get("phases", []):
            for klass in ("read", "write", "all"):
                for fig, value in ph[klass].items():
                    if fig.endswith(("_ci_low", "_ci_high")):
                        continue
                    low, high = ph[klass].get(fig + "_ci_low"), ph[klass].get(fig + "_ci_high")
                    where = "%s %s %s %s" % (method, ph["name"], klass, fig)
                    if method == "analytical":
                        if fig + "_ci_low" in ph[klass] or fig + "_ci_high" in ph[klass]:
                            return False, where + ": the model has no interval"
                        continue
                    if fig + "_ci_low" not in ph[klass] or fig + "_ci_high" not in ph[klass]:
                        return False, where + ": no interval"
                    if (low is None) != (high is None):
                        return False, "%s: half an interval %r %r" % (where, low, high)
                    if low is None:
                        continue
                    if value is None or not low <= value <= high:
                        return False, "%s: %r not within [%r, %r]" % (where, value, low, high)
                    seen += 1
    # a phase that answered a thousand requests, not all at once (a
    # client that calls nothing answers in 0 ms: no spread, no interval),
    # has at least its all-requests P50's
    answered = [ph for ph in data.get("des", {}).get("phases", [])
                if ph["simulated"] and (ph["all"]["p50_ms"] or 0.0) > 0.0
                and ph["requests"] * (1.0 - (ph["error_rate"] or 0.0)) >= 1000]
    if answered and seen == 0:
        return False, "no DES figure has an interval"
    return True, "%d intervals" % seen


# the parser really refuses what json-glib 1.6 used to write
for bad in ('{"a": 1e+17.0}', '{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}'):
    try:
        strict(bad)
        results.append(("strict parser refuses " + bad, False, "accepted"))
    except ValueError:
        results.append(("strict parser refuses " + bad, True, ""))

listing = check_json("list --json", ["list", "--json"], codes=(0,))
ids = [p["id"] for p in listing] if listing else []
results.append(("35 problems listed", len(ids) == 35, str(len(ids))))

rng = random.Random(20261205)
with tempfile.TemporaryDirectory() as tmp:
    for pid in ids:
        check_json("show --json " + pid, ["show", "--json", pid], codes=(0,))
        ref = os.path.join(tmp, pid + ".archboard")
        subprocess.run([CLI, "reference", pid, "-o", ref], check=True, timeout=60)
        check_json("check --json " + pid, ["check", "--json", ref])
        check_json("simulate both " + pid,
                   ["simulate", ref, "--format", "json", "--requests", "60000", "--seed", "1"], codes=(0,))

        # a random design made from the reference
        with open(ref) as f:
            doc = json.load(f)
        comps = doc["components"]
        keep = [c for c in comps if c["kind"] == "client" or rng.random() < 0.8]
        kept = {c["id"] for c in keep}
        for c in keep:
            c["instances"] = rng.choice([1, 1, 2, 3, 7, 40, 500])
        doc["components"] = keep
        doc["connections"] = [e for e in doc.get("connections", [])
                              if e["from"] in kept and e["to"] in kept]
        rand = os.path.join(tmp, pid + "-random.archboard")
        with open(rand, "w") as f:
            json.dump(doc, f)
        rates = [rng.choice(["0", "0.001", "3", "1e6", "1e9", "1e11"]) for _ in range(2)]
        check_json("check --json random " + pid, ["check", "--json", rand])
        # exit 2 is a design the simulation refuses (no client left, a loop)
        check_json("simulate random %s (reads %s, writes %s)" % (pid, rates[0], rates[1]),
                   ["simulate", rand, "--format", "json", "--requests", "40000", "--seed", str(rng.randrange(1000)),
                    "--read-rps", rates[0], "--write-rps", rates[1]], codes=(0, 2))

print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for line in str(detail).splitlines()[:20]:
            print("# " + line)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
