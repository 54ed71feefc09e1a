#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Audit the analytical model against the discrete-event simulation.

Generates about 120 designs built only from catalog defaults (a balancer in
front of 1-16 application servers over a cache, a primary and replicas; a
queue with workers; servers called directly; two tiers of servers), sizes
each one's load so that its busiest component is 30-90 % busy (the model
says how busy; a seeded draw picks the target), simulates the normal phase
with both methods and prints how far the model's mean / P50 / P95 lie from
the DES's confidence interval, and which components' utilisation differ.

    model-audit.py CLI [--out DIR] [--only REGEX] [--requests N]
                       [--jobs N] [--compare DIR]

--out keeps the designs, loads and results (run again: only missing
results are simulated); --compare DIR prints, for each design, the worst
error in that earlier run next to this one's, which is how a change to the
model is judged before it lands.  The benchmark target runs a quick pass
(2,000,000 visits a design); an audit worth quoting takes 20,000,000.

An error counts only beyond the DES's 95 % interval: a model figure inside
the interval reads 0 %.
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile

CLASSES = ("all", "read", "write")
FIGURES = ("mean_ms", "p50_ms", "p95_ms")


def design(outdir, name, comps, conns):
    components = []
    for i, (cid, kind, instances, params) in enumerate(comps):
        c = {"id": cid, "kind": kind, "label": cid,
             "x": 40 + 200 * i, "y": 160, "instances": instances}
        if params:
            c["params"] = params
        components.append(c)
    connections = []
    for i, (a, b, *mode) in enumerate(conns):
        e = {"id": "e%d" % (i + 1), "from": a, "to": b}
        if mode:
            e["mode"] = mode[0]
        connections.append(e)
    doc = {"format": "archboard-design", "version": 1,
           "generator": "model-audit", "problem": "basic-database-design",
           "created": "2026-12-06T00:00:00Z", "notes": "",
           "components": components, "connections": connections}
    with open(os.path.join(outdir, name + ".archboard"), "w") as f:
        json.dump(doc, f, indent=1)
    return name


def params(**kw):
    return {k: v for k, v in kw.items() if v is not None}


def generate(outdir):
    """The designs, as (name, share of writes); the same on every run."""
    rnd = random.Random(7)
    out = []
    # A: balancer -> servers -> primary (+ replica) (+ cache)
    for n in (1, 2, 4, 8, 16):
        for appc in (None, 1, 2):
            for dbc in (None, 2):
                for extra in ("none", "rep", "cache", "cache+rep"):
                    if rnd.random() < 0.3:
                        continue
                    comps = [("cl", "client", 1, None), ("lb", "lb", 1, None),
                             ("app", "app", n, params(concurrency=appc))]
                    conns = [("cl", "lb"), ("lb", "app")]
                    if "cache" in extra:
                        hit = rnd.choice((0.5, 0.8, 0.9))
                        comps.append(("ca", "cache", 1, params(hit_ratio=hit)))
                        conns += [("app", "ca"), ("ca", "db")]
                    comps.append(("db", "db_primary", rnd.choice((1, 1, 2)),
                                  params(concurrency=dbc)))
                    conns.append(("app", "db"))
                    if "rep" in extra:
                        comps.append(("rp", "db_replica", rnd.choice((1, 2)),
                                      params(concurrency=dbc)))
                        conns += [("app", "rp"), ("db", "rp")]
                        if "cache" in extra:
                            conns.append(("ca", "rp"))
                    wf = rnd.choice((0.0, 0.1, 0.3))
                    name = "A_n%d_ac%s_dc%s_%s" % (n, appc, dbc, extra)
                    out.append((design(outdir, name, comps, conns), wf))
    # B: an asynchronous queue and its workers
    for n in (1, 2, 4, 8):
        for wc in (None, 1, 2):
            for wn in (1, 2, 4):
                if rnd.random() < 0.5:
                    continue
                comps = [("cl", "client", 1, None), ("lb", "lb", 1, None),
                         ("app", "app", n, None), ("q", "queue", 1, None),
                         ("wk", "worker", wn, params(concurrency=wc)),
                         ("db", "db_primary", 1, None)]
                conns = [("cl", "lb"), ("lb", "app"), ("app", "q", "async"),
                         ("q", "wk"), ("wk", "db"), ("app", "db")]
                wf = rnd.choice((0.1, 0.3, 0.5))
                name = "B_n%d_wc%s_wn%d" % (n, wc, wn)
                out.append((design(outdir, name, comps, conns), wf))
    # C: servers called directly, over search / object storage / a database
    for n in (1, 3, 6):
        for ac in (None, 1, 4):
            for tgt in ("search", "storage", "db"):
                if rnd.random() < 0.5:
                    continue
                comps = [("cl", "client", 1, None),
                         ("app", "app", n, params(concurrency=ac))]
                conns = [("cl", "app")]
                if tgt != "db":
                    comps.append(("t", tgt, rnd.choice((1, 2)), None))
                    conns.append(("app", "t"))
                comps.append(("db", "db_primary", 1, None))
                conns.append(("app", "db"))
                wf = rnd.choice((0.0, 0.2))
                name = "C_n%d_ac%s_%s" % (n, ac, tgt)
                out.append((design(outdir, name, comps, conns), wf))
    # D: two tiers of servers
    for n in (1, 2, 4):
        for ac in (None, 2):
            comps = [("cl", "client", 1, None), ("lb", "lb", 1, None),
                     ("app", "app", n, params(concurrency=ac)),
                     ("app2", "app", n, params(concurrency=ac)),
                     ("db", "db_primary", 1, None)]
            conns = [("cl", "lb"), ("lb", "app"), ("app", "app2"),
                     ("app2", "db")]
            out.append((design(outdir, "D_n%d_ac%s" % (n, ac), comps, conns),
                        0.1))
    return out


def simulate(cli, path, read, write, method, requests, seed=12345):
    cmd = [cli, "simulate", path, "--scenario", "normal", "--method", method,
           "--format", "json", "--requests", str(requests),
           "--read-rps", "%.3f" % read, "--write-rps", "%.3f" % write,
           "--seed", str(seed)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s: %s" % (os.path.basename(path),
                                        p.stderr.strip()[:300]))
    return json.loads(p.stdout)


def size_load(cli, path, wf, target):
    rate = 100.0
    for _ in range(3):
        d = simulate(cli, path, rate * (1 - wf), rate * wf, "analytical", 1)
        u = d["analytical"]["phases"][0]["bottleneck_utilization"]
        rate *= target / max(u, 1e-6)
    return [rate * (1 - wf), rate * wf, target]


def errors(result):
    """Per class and figure: (model, DES, error beyond the DES interval)."""
    a = result["analytical"]["phases"][0]
    s = result["des"]["phases"][0]
    items = []
    for cls in CLASSES:
        if not a.get(cls) or not s.get(cls) or s[cls].get("mean_ms") is None:
            continue
        for m in FIGURES:
            av, dv = a[cls].get(m), s[cls].get(m)
            if av is None or dv is None or dv <= 0:
                continue
            lo = s[cls].get(m + "_ci_low", dv)
            hi = s[cls].get(m + "_ci_high", dv)
            e = 0.0 if lo <= av <= hi else (av - dv) / dv
            items.append(("%s.%s" % (cls, m[:-3]), av, dv, e))
    return items


def utilisation_gaps(result):
    a = result["analytical"]["phases"][0]
    s = result["des"]["phases"][0]
    des = {c["id"]: c for c in s["components"]}
    gaps = []
    for c in a["components"]:
        u = c.get("utilization")
        du = des.get(c["id"], {}).get("utilization")
        if u is None or du is None:
            continue
        if abs(u - du) > 0.03 and abs(u - du) / max(du, 1e-9) > 0.1:
            gaps.append("%s %.2f/%.2f" % (c["id"], u, du))
    return gaps


def worst(result):
    items = errors(result)
    if not items:
        return 0.0, "-"
    w = max(items, key=lambda it: abs(it[3]))
    return w[3], w[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cli")
    ap.add_argument("--out")
    ap.add_argument("--only", help="regular expression on design names")
    ap.add_argument("--requests", type=int, default=2000000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--compare", help="an earlier --out directory")
    args = ap.parse_args()

    out = args.out or tempfile.mkdtemp(prefix="model-audit-")
    ddir = os.path.join(out, "designs")
    rdir = os.path.join(out, "results")
    os.makedirs(ddir, exist_ok=True)
    os.makedirs(rdir, exist_ok=True)
    every = generate(ddir)
    designs = [(n, wf) for n, wf in every
               if not args.only or re.search(args.only, n)]

    lpath = os.path.join(out, "loads.json")
    loads = json.load(open(lpath)) if os.path.exists(lpath) else {}
    targets = random.Random(11)
    wanted = {n for n, _ in designs}
    for name, wf in every:
        t = targets.uniform(0.3, 0.9)
        if name not in loads and name in wanted:
            loads[name] = size_load(args.cli,
                                    os.path.join(ddir, name + ".archboard"),
                                    wf, t)
    with open(lpath, "w") as f:
        json.dump(loads, f, indent=1)

    def run(name):
        path = os.path.join(rdir, name + ".json")
        if os.path.exists(path):
            return
        read, write, _ = loads[name]
        d = simulate(args.cli, os.path.join(ddir, name + ".archboard"),
                     read, write, "both", args.requests)
        with open(path, "w") as f:
            json.dump(d, f)

    failed = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, fut in [(n, pool.submit(run, n)) for n, _ in designs]:
            try:
                fut.result()
            except RuntimeError as e:
                failed.append((name, str(e)))

    rows = []
    for name, _ in designs:
        path = os.path.join(rdir, name + ".json")
        if not os.path.exists(path):
            continue
        d = json.load(open(path))
        rows.append((name, d, worst(d)))

    before = {}
    if args.compare:
        for name, _, _ in rows:
            p = os.path.join(args.compare, "results", name + ".json")
            if os.path.exists(p):
                before[name] = worst(json.load(open(p)))

    abs_err = [abs(w[0]) for _, _, w in rows]
    print("model-audit: %d designs, %d visits each, results in %s"
          % (len(rows), args.requests, out))
    if abs_err:
        print("worst error a design (beyond the DES's 95 %% interval): "
              "median %.1f %%, > 5 %%: %d, > 10 %%: %d, largest %.1f %%"
              % (100 * statistics.median(abs_err),
                 sum(e > 0.05 for e in abs_err),
                 sum(e > 0.10 for e in abs_err), 100 * max(abs_err)))
    if before:
        b = [abs(w[0]) for w in before.values()]
        print("before (%s): median %.1f %%, > 5 %%: %d, > 10 %%: %d"
              % (args.compare, 100 * statistics.median(b),
                 sum(e > 0.05 for e in b), sum(e > 0.10 for e in b)))
    for name, d, (e, where) in sorted(rows, key=lambda r: -abs(r[2][0])):
        gaps = utilisation_gaps(d)
        if abs(e) <= 0.05 and not gaps and abs(before.get(name, (0,))[0]) <= 0.05:
            continue
        read, write, _ = loads[name]
        detail = " ".join("%s %.1f/%.1f" % (w, av, dv)
                          for w, av, dv, er in errors(d) if abs(er) > 0.05)
        was = ("  (was %+.1f %% %s)" % (100 * before[name][0], before[name][1])
               if name in before else "")
        print("%-28s read %7.0f/s write %6.0f/s  %+6.1f %% %-10s%s"
              % (name, read, write, 100 * e, where, was))
        if detail:
            print("    model/DES ms: " + detail)
        if gaps:
            print("    utilisation model/DES: " + ", ".join(gaps))
    for name, err in failed:
        print("FAILED %s: %s" % (name, err))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
