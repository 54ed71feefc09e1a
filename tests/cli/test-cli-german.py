#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# archboard-cli follows the user's language as the app does: under
# LANGUAGE=de LANG=de_DE.UTF-8, with the build's translations
# (ARCHBOARD_LOCALEDIR, as meson devenv sets it), check's sentences and
# verdict and the PDF report are German; they stayed English.  TAP output;
# skipped without the de_DE.UTF-8 locale or the German translation.
#
# usage: test-cli-german.py ARCHBOARD-CLI

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
BUILDDIR = os.environ.get("ARCHBOARD_BUILDDIR", os.path.join(os.path.dirname(CLI), "..", ".."))
LOCALEDIR = os.path.join(BUILDDIR, "po")
tests = []


def test(fn):
    tests.append(fn)
    return fn


def german_env():
    env = dict(os.environ)
    for name in ("LC_ALL", "LC_MESSAGES", "LC_NUMERIC"):
        env.pop(name, None)
    env.update(LANGUAGE="de", LANG="de_DE.UTF-8", ARCHBOARD_LOCALEDIR=LOCALEDIR)
    return env


def run(*args, env=None):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300,
                          env=env if env is not None else german_env())


def skip_reason():
    locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    if "de_de.utf8" not in locales and "de_de.utf-8" not in locales:
        return "no de_DE.UTF-8 locale (build-aux/dev setup generates it)"
    if not os.path.exists(os.path.join(LOCALEDIR, "de", "LC_MESSAGES", "archboard.mo")):
        return "no German translation built"
    return None


tmp = tempfile.mkdtemp(prefix="ab-german-")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)
ref = os.path.join(tmp, "ref.archboard")
subprocess.run([CLI, "reference", "basic-database-design", "-o", ref], check=True)
with open(ref, encoding="utf-8") as f:
    reference = json.load(f)
lb = os.path.join(tmp, "lb.archboard")
reference_lb = dict(reference)
reference_lb["components"] = [c for c in reference["components"] if c["kind"] in ("client", "lb")]
ids = {c["kind"]: c["id"] for c in reference_lb["components"]}
reference_lb["connections"] = [{"id": "e1", "from": ids["client"], "to": ids["lb"], "mode": "sync"}]
with open(lb, "w", encoding="utf-8") as f:
    json.dump(reference_lb, f)


@test
def check_text():
    out = run("check", ref).stdout
    assert "P95 der Lesezugriffe in der Phase „Normallast“" in out, out
    assert "Lesezugriffe/s bedient" in out, out
    assert out.rstrip().endswith("Gelöst"), out[-400:]
    out = run("check", lb).stdout
    assert "Nicht beurteilt: Die Lesezugriffe enden sofort" in out, out
    assert "Noch nicht gelöst" in out or "nicht gelöst" in out.lower(), out[-600:]


@test
def check_json():
    out = json.loads(run("check", "--json", ref).stdout)
    assert "Lesezugriffe" in out["performance"][0]["sentence"], out["performance"][0]
    # the machine-readable words stay as they are
    assert out["performance"][0]["verdict"] == "pass"


@test
def english_without_german():
    env = dict(os.environ, LANGUAGE="C", LC_ALL="C.UTF-8", ARCHBOARD_LOCALEDIR=LOCALEDIR)
    out = run("check", ref, env=env).stdout
    assert "P95 of reads in the normal phase" in out, out
    assert out.rstrip().endswith("Solved"), out[-400:]


@test
def report_pdf():
    if shutil.which("pdftotext") is None:
        return "no pdftotext"
    pdf = os.path.join(tmp, "de.pdf")
    p = run("report", ref, "-o", pdf, "--scenario", "normal", "--requests", "20000")
    assert p.returncode == 0, p.stderr
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    for word in ("Simulationsbericht", "Stufenprüfungen", "Leistungsprüfungen", "BESTANDEN",
                 "Lesezugriffe"):
        assert word in text, (word, text[:1500])
    assert "Performance checks" not in text
    return None


reason = skip_reason()
print("1..%d" % len(tests))
failed = 0
for i, fn in enumerate(tests, 1):
    if reason is not None:
        print("ok %d %s # SKIP %s" % (i, fn.__name__, reason))
        continue
    try:
        skipped = fn()
        print("ok %d %s%s" % (i, fn.__name__, " # SKIP " + skipped if skipped else ""))
    except Exception as e:  # noqa: BLE001
        failed += 1
        print("not ok %d %s: %r" % (i, fn.__name__, e))
sys.exit(1 if failed else 0)
