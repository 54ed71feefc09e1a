#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# archboard-cli follows the user's language as the app does: under
# LANGUAGE=de LANG=de_DE.UTF-8, with the build's translations
# (ARCHBOARD_LOCALEDIR, as meson devenv sets it), check's sentences and
# verdict and the PDF report are German; they stayed English.  So are the
# command line's own words: the tags, the tables' headings, --help and the
# error messages; JSON keys and values and the problem files `import`
# writes stay as they are.  TAP output; skipped without the de_DE.UTF-8
# locale or the German translation.
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
SRCDIR = os.environ.get("ARCHBOARD_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
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
def check_own_words():
    out = run("check", ref).stdout
    # the tags and headings of the command line itself
    assert "BESTANDEN  " in out, out
    assert "        erfüllt " in out, out
    assert "Stufen bestanden." in out, out
    assert "Jede Komponente erhält Anfragen" in out, out
    assert "Leistung (analytisches Modell):" in out, out
    assert "Komponenten, " in out and "Verbindungen" in out, out
    for english in ("PASS", "FAIL", "tiers pass", "Every component", "Performance (", "components,"):
        assert english not in out, (english, out)


@test
def simulate_text():
    out = run("simulate", "--method", "analytical", ref).stdout
    for word in ("Entwurf", "Last", "Preise", "== Analytisches Modell ==", "Phase", "Angebot/s",
                 "bedient/s", "Engpass", "Komponenten in der Phase", "Instanzen", "Auslastung",
                 "Höchste tragbare Rate", "Verfügbarkeit", "pro Stunde", "Prüfungen:", "BESTANDEN"):
        assert word in out, (word, out)
    # (the problem's own labels, "Availability: 99.9% uptime", are its data)
    starts = [line.split("  ")[0].strip() for line in out.splitlines()]
    for english in ("Design", "Workload", "Pricing", "Max sustainable rate", "Availability", "Cost", "Checks:"):
        assert english not in starts, (english, out)
    for english in ("Analytical model", "offered/s", "bottleneck", "utilisation", "per hour", "PASS"):
        assert english not in out, (english, out)
    out = run("simulate", "--method", "analytical", lb).stdout
    assert "Höchste tragbare Rate  keine: Nichts bedient die Anfragen" in out, out


@test
def simulate_json_keys():
    # JSON stays machine-readable: keys and verdicts in English
    out = json.loads(run("simulate", "--method", "analytical", "--scenario", "normal", "--format", "json",
                         ref).stdout)
    res = out["analytical"]
    assert "max_sustainable_rps" in res and res["ends_at_once"] is False, sorted(res)
    assert res["phases"][0]["name"] == "normal", res["phases"][0]["name"]
    assert all(c["verdict"] in ("pass", "fail", "too_close_to_call", "not_judged") for c in res["checks"])


@test
def help_text():
    p = run("--help")
    assert p.returncode == 0, p.stderr
    assert "Befehle:" in p.stdout, p.stdout
    assert "Einen Entwurf an den Stufen einer Aufgabe prüfen" in p.stdout, p.stdout
    assert "Commands:" not in p.stdout and "Check a design" not in p.stdout, p.stdout
    for command, german, english in (
            ("check", "JSON statt Text ausgeben", "Print JSON instead of text"),
            ("check", "Einen Entwurf an den Stufen (Etappen) einer Aufgabe prüfen", "Check a design against"),
            ("simulate", "Startwert der Simulation", "Seed of the simulation"),
            ("simulate", "Name des Preisprofils oder FILE.json (Standard: aws-us-east-1)", "Pricing profile"),
            ("export", "Kein Hintergrund", "No background"),
            ("list", "Nur Aufgaben dieser Schwierigkeit", "Only problems of this difficulty")):
        p = run(command, "--help")
        assert p.returncode == 0, (command, p.stderr)
        assert german in p.stdout, (command, german, p.stdout)
        assert english not in p.stdout, (command, english, p.stdout)


@test
def errors():
    p = run("check")
    assert p.returncode == 2
    assert "die Entwurfsdatei fehlt (siehe --help)" in p.stderr, p.stderr
    p = run("simulate", "--method", "nope", ref)
    assert p.returncode == 2
    assert "unbekannte Methode „nope“" in p.stderr, p.stderr
    p = run("no-such-command")
    assert "unbekannter Befehl „no-such-command“" in p.stderr, p.stderr


@test
def show_text():
    out = run("show", "basic-database-design").stdout
    for word in ("Ziel:", "Stufen:", "Hinweise:", "Simulierte Last:", "Lesen:", "Schreiben:"):
        assert word in out, (word, out)
    assert "Simulated workload" not in out and "reads:" not in out, out


@test
def import_writes_english_data():
    # the problem files are data: the same bytes as the shipped ones
    # (their notes read "2,5k/s" under German, with a decimal comma)
    out = os.path.join(tmp, "set")
    p = run("import", os.path.join(SRCDIR, "problems", "storage.md"), "--out", out,
            "--amendments", os.path.join(SRCDIR, "problems", "storage-amendments.json"))
    assert p.returncode == 0, p.stderr
    assert "Aufgaben nach" in p.stdout, p.stdout
    shipped = os.path.join(SRCDIR, "problems", "storage")
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), "rb") as a, open(os.path.join(shipped, name), "rb") as b:
            assert a.read() == b.read(), name


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
