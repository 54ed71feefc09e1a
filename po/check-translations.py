#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Keeps the translations complete (test 'po-complete'):
#  1. every source or UI file with translatable strings is in POTFILES.in;
#  2. po/catalog-strings.c matches the component catalog and
#     po/problem-strings.c the shipped problems;
#  3. every message xgettext finds is translated in every po/LINGUAS
#     language (msgcmp: no message missing, none left empty or fuzzy).
#   po/check-translations.py SRCDIR
import os
import re
import subprocess
import sys
import tempfile

SRC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
PO = os.path.join(SRC, "po")
# As meson's i18n.gettext(preset: 'glib') calls xgettext.
XGETTEXT_ARGS = ["--from-code=UTF-8", "--add-comments",
                 "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
                 "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
                 "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
                 "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format"]
MARKERS = re.compile(r'(?<![A-Za-z0-9_])(N?_|C_|NC_|g_dngettext)\s*\(\s*"|translatable="yes"')

failures = []

with open(os.path.join(PO, "POTFILES.in")) as f:
    listed = [line.strip() for line in f if line.strip() and not line.startswith("#")]

for top in ("src", "ui"):
    for dirpath, _, files in os.walk(os.path.join(SRC, top)):
        for name in files:
            if not name.endswith((".c", ".ui")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, SRC)
            with open(path, encoding="utf-8") as f:
                if MARKERS.search(f.read()) and rel not in listed:
                    failures.append("%s has translatable strings but is not in po/POTFILES.in" % rel)
for rel in listed:
    if not os.path.exists(os.path.join(SRC, rel)):
        failures.append("po/POTFILES.in lists %s, which does not exist" % rel)

for script in ("catalog-strings.py", "problem-strings.py"):
    check = subprocess.run([sys.executable, os.path.join(PO, script), "--check"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        failures.append(check.stdout.strip() or check.stderr.strip())

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, "archboard.pot")
    subprocess.run(["xgettext", *XGETTEXT_ARGS, "--directory", SRC, "--output", pot,
                    *[rel for rel in listed if os.path.exists(os.path.join(SRC, rel))]],
                   check=True)
    with open(os.path.join(PO, "LINGUAS")) as f:
        languages = [w for line in f if not line.startswith("#") for w in line.split()]
    for lang in languages:
        cmp = subprocess.run(["msgcmp", os.path.join(PO, lang + ".po"), pot],
                             capture_output=True, text=True)
        if cmp.returncode != 0:
            missing = [line for line in cmp.stderr.splitlines() if "not defined" in line or "similar" in line]
            failures.append("po/%s.po is incomplete (msgcmp):\n  %s" % (lang, "\n  ".join(missing or cmp.stderr.splitlines())))
        for what, flag in (("untranslated", "--untranslated"), ("fuzzy", "--only-fuzzy")):
            left = subprocess.run(["msgattrib", flag, "--no-obsolete", os.path.join(PO, lang + ".po")],
                                  capture_output=True, text=True, check=True).stdout
            ids = [m for m in re.findall(r'^msgid "(.*)"$', left, re.M) if m]
            if ids:
                failures.append("po/%s.po has %d %s messages: %s" % (lang, len(ids), what, ids[:5]))
        print("po/%s.po: %s" % (lang, "checked"))

for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
