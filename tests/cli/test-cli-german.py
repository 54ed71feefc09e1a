#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# archboard-cli follows the user's language as the app does: under
# LANGUAGE=de LANG=de_DE.UTF-8, with the build's translations
# (ARCHBOARD_LOCALEDIR, as meson devenv sets it), check's sentences and
# verdict and the PDF report are German; they stayed English.  So are the
# command line's own words: the tags, the tables' headings, --help and the
# error messages, and grade's markdown report, headings included.  What
# is written for programs is the same bytes in both languages: the JSON of
# list, check and simulate, simulate's CSV, grade's CSV and JSON (they
# carried German tier names, rule texts and sentences) and the problem
# files `import` writes; their messages on standard error stay German.
# TAP output; skipped without the de_DE.UTF-8 locale or the German
# translation.
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


def english_env():
    return dict(os.environ, LANGUAGE="C", LC_ALL="C.UTF-8", ARCHBOARD_LOCALEDIR=LOCALEDIR)


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
# a class to grade: the reference, the failing design, a broken file and
# one for an unknown problem
cls = os.path.join(tmp, "class")
os.makedirs(os.path.join(cls, "b"))
shutil.copy(ref, os.path.join(cls, "ann.archboard"))
shutil.copy(lb, os.path.join(cls, "b", "ben.archboard"))
with open(os.path.join(cls, "broken.archboard"), "w", encoding="utf-8") as f:
    f.write('{"format": "archboard-design", "version": 1, "components": [}')
with open(os.path.join(cls, "nope.archboard"), "w", encoding="utf-8") as f:
    json.dump({"format": "archboard-design", "version": 1, "problem": "no-such-problem", "components": []}, f)


def same_bytes(*args):
    """the output in German and in English, asserted the same bytes"""
    de = run(*args)
    en = run(*args, env=english_env())
    assert de.returncode == en.returncode, (args, de.returncode, en.returncode, de.stderr)
    assert de.stdout != "", (args, de.stderr)
    assert de.stdout == en.stdout, (args, [(a, b) for a, b in zip(de.stdout.splitlines(), en.stdout.splitlines())
                                           if a != b][:5])
    return en.stdout


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
    # JSON is for programs: the same bytes in German as in English, the
    # problem's tier names and rule texts, the check labels, sentences
    # (numbers with ".") and reasons included; they were German
    out = json.loads(same_bytes("check", "--json", ref))
    assert out["tiers"][0]["name"] == "T0: Database", out["tiers"][0]
    assert out["performance"][0]["label"] == "Latency", out["performance"][0]
    assert out["performance"][0]["sentence"].startswith("P95 of reads in the normal phase is "), out["performance"][0]
    assert out["performance"][0]["verdict"] == "pass"
    out = json.loads(same_bytes("check", "--json", lb))
    assert out["tiers"][0]["rules"][0]["reason"] == "Add a Primary database", out["tiers"][0]
    assert out["reasons"][0] == "tier T0: Database fails", out["reasons"]
    assert out["performance"][0]["sentence"].startswith("Not judged: "), out["performance"][0]


@test
def simulate_json_csv():
    for design in (ref, lb):
        out = json.loads(same_bytes("simulate", "--method", "analytical", "--format", "json", design))
        assert out["analytical"]["checks"][0]["label"] == "Latency", out["analytical"]["checks"][0]
    # both methods over the whole timeline (phase names, the failure's)
    same_bytes("simulate", "--requests", "50000", "--format", "json", ref)
    same_bytes("simulate", "--method", "analytical", "--format", "csv", ref)


@test
def list_json():
    out = json.loads(same_bytes("list", "--json"))
    assert any(p["title"] == "Basic RDBMS Design" for p in out), out[:3]
    same_bytes("show", "--json", "basic-database-design")


@test
def grade_csv_json():
    # CSV and JSON are for spreadsheets and scripts: the same bytes, with
    # English tier names, missing rules and errors; they were German
    out = same_bytes("grade", cls)
    assert "T0: Database" not in out and "Must include: db_primary" in out, out
    assert 'unknown problem ""no-such-problem""' in out, out
    out = json.loads(same_bytes("grade", "--format", "json", cls))
    ben = [f for f in out["files"] if f["file"] == "b/ben.archboard"][0]
    assert ben["first_failing_tier"] == "T0: Database" and ben["missing"][0] == "Must include: db_primary", ben
    assert out["summary"][0]["tiers"][0]["name"] == "T0: Database", out["summary"]
    same_bytes("grade", "--format", "csv", "--problem", "basic-database-design", "--threads", "1", cls)


@test
def machine_output_german_messages():
    # a run that writes JSON or CSV for a program still tells people on
    # standard error in German what went wrong, while its output is English
    nope = os.path.join(cls, "nope.archboard")
    p = run("check", "--json", nope)
    assert p.returncode == 2 and "unbekannte Aufgabe „no-such-problem“" in p.stderr, p.stderr
    p = run("simulate", "--format", "json", nope)
    assert p.returncode == 2 and "die Aufgabe „no-such-problem“ des Entwurfs ist unbekannt" in p.stderr, p.stderr
    for fmt in ("csv", "json"):
        p = run("grade", "--format", fmt, cls)
        assert p.returncode == 2, p.stderr
        assert "nope.archboard: unbekannte Aufgabe „no-such-problem“" in p.stderr, p.stderr
        assert "unknown problem" in p.stdout and "unbekannte" not in p.stdout, p.stdout


@test
def malformed_file():
    # a design file that does not open: why, in German, at the line and
    # column as in English (they were English under German); the JSON and
    # CSV for programs keep the English message
    broken = os.path.join(cls, "broken.archboard")
    german = ("broken.archboard:1:61: erwartet wurde ein Wert (Objekt, Array, Zeichenkette, Zahl, true, "
              "false oder null), gefunden wurde '}'")
    english = ("broken.archboard:1:61: expected a value (object, array, string, number, true, false or null), "
               "found '}'")
    for args in (("check",), ("check", "--json"), ("simulate", "--format", "json"), ("simulate",)):
        p = run(*args, broken)
        assert p.returncode == 2 and p.stdout == "", (args, p.returncode, p.stdout)
        assert p.stderr.endswith(german + "\n"), (args, p.stderr)
        p = run(*args, broken, env=english_env())
        assert p.stderr.endswith(english + "\n"), (args, p.stderr)
    p = run("grade", "--format", "json", cls)
    assert english in p.stdout and "erwartet" not in p.stdout, p.stdout
    assert german in p.stderr, p.stderr
    assert german in run("grade", "--format", "md", cls).stdout
    # the loader's own errors, and the component --fail names
    kinds = os.path.join(tmp, "kind.archboard")
    with open(kinds, "w", encoding="utf-8") as f:
        f.write('{"format": "archboard-design", "version": 1,\n'
                ' "components": [{"id": "a", "kind": "cachee", "x": 0, "y": 0}]}\n')
    p = run("check", kinds)
    assert p.returncode == 2, p.stderr
    assert "kind.archboard:2:37: unbekannte Komponentenart „cachee“ (bekannte Arten: client, lb," in p.stderr, p.stderr
    p = run("simulate", "--format", "json", "--fail", "nope", ref)
    assert p.returncode == 2 and "--fail: der Entwurf hat keine Komponente „nope“" in p.stderr, p.stderr


@test
def grade_markdown():
    # the markdown report is for people: all German, headings included
    p = run("grade", "--format", "md", cls)
    assert p.returncode == 2, p.stderr
    md = p.stdout
    for german in ("# Bewertungen\n\n2 Entwürfe bewertet, 2 defekt.\n",
                   "## Grundlegender RDBMS-Entwurf\n\n2 Entwürfe, 1 gelöst.\n",
                   "| Stufe | Bestanden | Hier gescheitert |", "| T0: Datenbank | 1 von 2 | 1 |",
                   "| Alle Stufen | 1 von 2 | |", "Was am häufigsten fehlt:\n\n1. Muss enthalten: cache — 1 von 2 Entwürfen",
                   "## Entwürfe", "| Datei | Aufgabe | Stufen | Prüfungen | Gelöst | P95 (ms) | US$/Monat | Engpass |",
                   "| 3/3 | 4/4 | ja | ", "| 0/3 | 0/4 | nein | ", "## Defekte Dateien",
                   "nope.archboard: unbekannte Aufgabe „no-such-problem“"):
        assert german in md, (german, md)
    # P95 with a decimal comma, as the rest of the German output
    row = [line for line in md.splitlines() if line.startswith("| ann.archboard")][0]
    assert "," in row.split("|")[6], row
    for english in ("Grades", "designs", "Tier |", "of 2", "Most common", "## Designs", "File", "Solved",
                    "Broken files", "yes", "unknown problem"):
        assert english not in md, (english, md)


@test
def english_without_german():
    out = run("check", ref, env=english_env()).stdout
    assert "P95 of reads in the normal phase" in out, out
    assert out.rstrip().endswith("Solved"), out[-400:]


@test
def check_own_words():
    out = run("check", ref).stdout
    # the tags and headings of the command line itself; the tags short
    # ("NICHT BESTANDEN" pushed the names 17 columns right), the names of
    # the tiers and checks and the lines under them in one column
    assert "OK      T0: Datenbank\n        erfüllt   Muss enthalten" in out, out
    assert "OK      Latenz: P95 < 50 ms für Abfragen\n        P95 der Lesezugriffe" in out, out
    assert "Stufen bestanden." in out, out
    assert "Jede Komponente wird von einem Client erreicht" in out, out
    assert "Leistung (analytisches Modell):" in out, out
    assert "Komponenten, " in out and "Verbindungen" in out, out
    for english in ("PASS", "FAIL", "tiers pass", "Every component", "Performance (", "components,"):
        assert english not in out, (english, out)
    out = run("check", lb).stdout
    assert "FEHLER  T0: Datenbank\n        verfehlt  Muss enthalten: db_primary" in out, out
    assert "-       Latenz: P95 < 50 ms für Abfragen\n        Nicht beurteilt" in out, out
    assert "BESTANDEN" not in out, out


@test
def simulate_text():
    out = run("simulate", "--method", "analytical", ref).stdout
    for word in ("Entwurf", "Last", "Preise", "== Analytisches Modell ==", "Phase", "Angebot/s",
                 "bedient/s", "Engpass", "Komponenten in der Phase", "Instanzen", "Auslastung",
                 "Höchste tragbare Rate", "Verfügbarkeit", "pro Stunde", "Prüfungen:", "  OK      Latenz"):
        assert word in out, (word, out)
    # (the problem's own labels, "Availability: 99.9 % uptime", are its data)
    starts = [line.split("  ")[0].strip() for line in out.splitlines()]
    for english in ("Design", "Workload", "Pricing", "Max sustainable rate", "Availability", "Cost", "Checks:"):
        assert english not in starts, (english, out)
    for english in ("Analytical model", "offered/s", "bottleneck", "utilisation", "per hour", "PASS"):
        assert english not in out, (english, out)
    # German figures, as the app writes them: "10.000", "0,00 %", "6,19 ms"
    # (they read "1e+04", "11000.0", "0.00%", "6.19")
    assert "\nLast      10.000 Lesezugriffe/s, 1.000 Schreibzugriffe/s, Spitze x2\n" in out, out
    assert "\nnormal         11.000     11.000   0,00 %  6,19 ms / 17,7 ms / 25,8 ms  " in out, out
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
def import_malformed():
    # a problem set that does not import: why, in German, after the same
    # FILE:LINE (it was English)
    md = os.path.join(tmp, "bad.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("# Problems\n\n## 1. Broken\n\n**ID:** broken\n**Category:** storage\n**Difficulty:** Hard\n")
    out = os.path.join(tmp, "bad-set")
    p = run("import", md, "--out", out)
    assert p.returncode == 2 and not os.path.exists(out), p.stderr
    assert p.stderr.endswith("bad.md:7: Aufgabe broken: die Schwierigkeit „Hard“ muss Easy, Intermediate oder "
                             "Advanced sein\n"), p.stderr
    p = run("import", md, "--out", out, env=english_env())
    assert p.stderr.endswith("bad.md:7: problem broken: difficulty \"Hard\" must be Easy, Intermediate or "
                             "Advanced\n"), p.stderr


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
