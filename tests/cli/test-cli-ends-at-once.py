#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# archboard-cli check, simulate and report on designs whose requests end
# at once (a client that calls nothing, or only a load balancer): their
# latency and rate checks read "not judged" with the reason, in text, JSON
# and the PDF report, instead of a latency of 0 and every request served.
# TAP output.
#
# usage: test-cli-ends-at-once.py ARCHBOARD-CLI

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
tests = []


def test(fn):
    tests.append(fn)
    return fn


def run(*args, env=None):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300, env=env)


def pdftext(path):
    if shutil.which("pdftotext") is None:
        return None
    return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True,
                          check=True).stdout


tmp = tempfile.mkdtemp(prefix="ab-check-")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)
ref = os.path.join(tmp, "ref.archboard")
subprocess.run([CLI, "reference", "basic-database-design", "-o", ref], check=True)
with open(ref, encoding="utf-8") as f:
    REFERENCE = json.load(f)


def design(kinds, edges, name, async_edges=()):
    """The reference's components of @kinds, connected by @edges (pairs of
    kinds), written to @name."""
    d = dict(REFERENCE)
    d["components"] = [c for c in REFERENCE["components"] if c["kind"] in kinds]
    ids = {c["kind"]: c["id"] for c in d["components"]}
    d["connections"] = [{"id": "e%d" % i, "from": ids[a], "to": ids[b],
                         "mode": "async" if (a, b) in async_edges else "sync"}
                        for i, (a, b) in enumerate(edges)]
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(d, f)
    return path


CLIENT = design({"client"}, [], "client.archboard")
LB = design({"client", "lb"}, [("client", "lb")], "lb.archboard")
APP = design({"client", "lb", "app"}, [("client", "lb"), ("lb", "app")], "app.archboard")
ENDS = "end at once, at the client or a load balancer"


@test
def check_text():
    for path in (CLIENT, LB):
        p = run("check", path)
        assert p.returncode == 1, (path, p.returncode, p.stderr)
        perf = p.stdout.split("Performance (analytical model):", 1)[1]
        assert "PASS" not in perf, perf
        assert "within the 50 ms asked" not in perf, perf
        assert "keeps up with" not in perf, perf
        assert perf.count("-       ") == 4, perf
        assert "Not judged: the reads " + ENDS in perf, perf
        assert "Not judged: the writes " + ENDS in perf, perf
        last = p.stdout.strip().splitlines()[-1]
        assert last.count("end at once") == 1, last
        assert "the requests " + ENDS + ": no component does their work" in last, last


@test
def check_json():
    for method in ("analytical", "des"):
        p = run("check", "--json", "--method", method, "--seed", "3", LB)
        assert p.returncode == 1, p.stderr
        out = json.loads(p.stdout)
        assert out["simulated"] is True
        assert out["solved"] is False
        assert len(out["performance"]) == 4, out["performance"]
        for c in out["performance"]:
            assert c["verdict"] == "not_judged", (method, c)
            assert c["pass"] is False
            assert c["value"] is None, (method, c)
            assert c["sentence"].startswith("Not judged: the "), c
            assert ENDS in c["sentence"], c


@test
def check_judged_behind_a_server():
    # a server behind the balancer does the work: judged
    out = json.loads(run("check", "--json", APP).stdout)
    for c in out["performance"]:
        assert c["verdict"] == "pass", c
        assert ENDS not in c["sentence"], c
    # the server called in the background: what the client waits for ends
    # at the balancer
    path = design({"client", "lb", "app"}, [("client", "lb"), ("lb", "app")], "async.archboard",
                  async_edges={("lb", "app")})
    out = json.loads(run("check", "--json", path).stdout)
    latency = [c for c in out["performance"] if c["label"] == "Latency"][0]
    assert latency["verdict"] == "not_judged", latency


@test
def simulate_text_and_json():
    p = run("simulate", "--method", "analytical", LB)
    assert p.returncode == 0, p.stderr
    checks = p.stdout.split("Checks:", 1)[1]
    assert "PASS" not in checks, checks
    assert checks.count("Not judged: the ") == 4, checks
    p = run("simulate", "--method", "des", "--scenario", "normal", "--requests", "20000",
            "--format", "json", LB)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    checks = out.get("checks") or out["des"]["checks"]
    assert len(checks) == 4, checks
    assert all(c["verdict"] == "not_judged" and ENDS in c["sentence"] for c in checks), checks


@test
def simulate_no_sustainable_rate():
    # nothing serves the requests: no sustainable rate, not the balancer's
    # capacity (it read "Max sustainable rate  100,000 requests/s")
    for path in (CLIENT, LB):
        p = run("simulate", "--method", "analytical", path)
        assert p.returncode == 0, p.stderr
        rate = [l for l in p.stdout.splitlines() if l.startswith("Max sustainable rate")]
        assert rate == ["Max sustainable rate  none: nothing serves the requests; "
                        "connect a server, cache or database"], (path, rate)
    p = run("simulate", "--method", "both", "--scenario", "normal", "--requests", "20000",
            "--format", "json", LB)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    for method in ("analytical", "des"):
        assert out[method]["max_sustainable_rps"] is None, (method, out[method]["max_sustainable_rps"])
        assert out[method]["ends_at_once"] is True, method
        # nor is the balancer the bottleneck (the canvas shows no badge),
        # nor its uptime the design's availability
        assert out[method]["availability"] is None, (method, out[method]["availability"])
        for ph in out[method]["phases"]:
            assert ph["bottleneck"] is None, (method, ph["name"], ph["bottleneck"])
    p = run("simulate", "--method", "both", "--scenario", "normal", "--requests", "20000", LB)
    assert p.returncode == 0, p.stderr
    rows = [l for l in p.stdout.splitlines() if l.startswith("normal ")]
    assert len(rows) == 2 and all(l.split()[-1] == "-" for l in rows), rows
    avail = [l.split()[-1] for l in p.stdout.splitlines() if l.startswith("Availability")]
    assert avail == ["–", "–"], avail
    # a server behind the balancer: its rate, as before
    p = run("simulate", "--method", "analytical", "--format", "json", APP)
    assert p.returncode == 0, p.stderr
    res = json.loads(p.stdout)["analytical"]
    assert res["ends_at_once"] is False
    assert res["max_sustainable_rps"] > 0, res["max_sustainable_rps"]
    p = run("simulate", "--method", "analytical", APP)
    rate = [l for l in p.stdout.splitlines() if l.startswith("Max sustainable rate")]
    assert len(rate) == 1 and rate[0].endswith("requests/s"), rate


@test
def report_pdf():
    out = os.path.join(tmp, "lb.pdf")
    p = run("report", LB, "-o", out, "--scenario", "normal", "--requests", "20000")
    assert p.returncode == 0, p.stderr
    text = pdftext(out)
    if text is None:
        print("# skip: no pdftotext")
        return
    text = " ".join(text.split())
    assert "NOT JUDGED" in text, text[:3000]
    assert "the reads " + ENDS in text, text[:3000]
    assert "within the 50 ms asked" not in text


print("1..%d" % len(tests))
failed = 0
for i, fn in enumerate(tests, 1):
    try:
        fn()
        print("ok %d %s" % (i, fn.__name__))
    except Exception as e:  # noqa: BLE001
        failed += 1
        print("not ok %d %s: %r" % (i, fn.__name__, e))
sys.exit(1 if failed else 0)
