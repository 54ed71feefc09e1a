#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Under LANGUAGE=de, run from the build folder (ARCHBOARD_LOCALEDIR, as
# meson devenv sets it): the window's own labels, the catalog's component
# names and descriptions, the check reasons and the shipped problem's texts
# (title, category, tier names, check labels) are German.  Needs the
# de_DE.UTF-8 locale (build-aux/dev generates it); skipped without it.
import os
import re
import subprocess
import sys

locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower().split()
if "de_de.utf8" not in locales and "de_de.utf-8" not in locales:
    print("no de_DE.UTF-8 locale (build-aux/dev setup generates it): skipping")
    sys.exit(77)
os.environ.update(LANGUAGE="de", LC_ALL="de_DE.UTF-8",
                  ARCHBOARD_LOCALEDIR=os.path.join(os.environ["ARCHBOARD_BUILDDIR"], "po"))

from abui import App, click, fail, find, find_all, key, log, type_text, wait_for  # noqa: E402

app = App("--problem", "basic-database-design")
try:
    # The problem's title (po/problem-strings.c), in the window's title
    # and at the top of the problem panel.
    frame = app.frame("Grundlegender RDBMS-Entwurf")
    title = find(frame, "label", "Grundlegender RDBMS-Entwurf", what="the problem's German title in its panel")
    find(frame, "label", "Tabellen für ein Blogsystem entwerfen", what="the problem's German summary")
    find(frame, "label", "Speicherung", what="the problem's category in German")
    if frame.findChild(lambda n: n.roleName == "label" and n.name in ("Basic RDBMS Design", "storage"),
                       retry=False, requireResult=False, showingOnly=False):
        fail("an English text of the problem is left in its panel")
    log("problem:", title.name)
    # The window's own strings.
    palette = find(frame, "list", "Komponenten", what="the palette, named in German")
    find(frame, "entry", "Komponenten suchen")
    canvas = find(frame, name="Diagramm")
    hint = find(canvas, "label", prefix="Ziehen Sie Komponenten")
    log("window:", palette.name, "|", canvas.name, "|", hint.name)
    # The catalog's names and descriptions (data/catalog, extracted by po/).
    row = find(palette, "list item", "Primärdatenbank", what="the primary database under its German name")
    if not row.description.startswith("Datenbank, die Schreibzugriffe annimmt"):
        fail("the description is not German: %r" % row.description)
    log("palette:", row.name, "—", row.description)
    if find_all(palette, "list item", prefix="Primary database"):
        fail("an English catalog name is left in the palette")
    # A check reason, computed in core with the translated kind name.
    tier = find(find(frame, "list", "Stufen"), "list item", "T0: Datenbank")
    node = tier
    while node is not None and not node.description:
        node = node.parent
    reason = node.description if node is not None else ""
    if reason != "Primärdatenbank hinzufügen":
        fail("the reason of T0 should be German: %r" % reason)
    log("reason:", reason)
finally:
    app.stop()

# The simulation's phase names in the results summary.
design = os.path.join(os.environ["ARCHBOARD_TEST_HOME"], "basic.archboard")
subprocess.run([os.path.join(os.environ["ARCHBOARD_BUILDDIR"], "src", "cli", "archboard-cli"),
                "reference", "basic-database-design", "-o", design], check=True)
app = App(design)
try:
    frame = app.frame("basic.archboard")
    names = ("Normallast", "Anstieg", "Spitzenlast", "Abklingen", "Ausfall", "Erholung")
    for name in names:
        wait_for(lambda: frame.findChild(lambda n: n.roleName == "label" and n.name == name,
                                         retry=False, requireResult=False, showingOnly=False),
                 "the phase %r in the results" % name, timeout=60)
    if frame.findChild(lambda n: n.roleName == "label" and n.name in ("ramp-up", "recovery"),
                       retry=False, requireResult=False, showingOnly=False):
        fail("an English phase name is left in the results")
    log("phases:", ", ".join(names))
    # Money grouped the German way, with the sign after the figure
    # ("2.865 $", not "$2865"), in the summary and in the status line.
    # (the summary's values are described in German, for a screen
    # reader: "Kosten pro Monat", "Normallast P95", not "cost per month")
    cost = wait_for(lambda: frame.findChild(lambda n: n.description == "Kosten pro Monat", retry=False,
                                            requireResult=False, showingOnly=False),
                    "the cost per month in the summary, described in German")
    p95 = wait_for(lambda: frame.findChild(lambda n: n.description == "Normallast P95", retry=False,
                                           requireResult=False, showingOnly=False),
                   "the normal phase's P95 in the summary, described in German")
    if frame.findChild(lambda n: n.description in ("cost per month", "normal P95", "bottleneck"),
                       retry=False, requireResult=False, showingOnly=False):
        fail("an English description is left in the summary")
    log("described:", cost.description, "|", p95.description, p95.name)
    if not re.fullmatch(r"\d{1,3}(\.\d{3})+ \$", cost.name):
        fail("the cost per month is not grouped the German way: %r" % cost.name)
    status = frame.findChild(lambda n: n.roleName == "label" and n.name.startswith("P95 ")
                             and n.name.endswith(" pro Monat"), retry=False, requireResult=False,
                             showingOnly=False)
    if status is None or cost.name not in status.name:
        fail("the status line does not read the German cost: %r" % (status.name if status else None))
    log("cost:", cost.name, "|", status.name)
finally:
    app.stop()


# The start view: the problems under their German titles, found by a word
# of the German title and by one of the English title or summary.
app = App()
try:
    frame = app.frame("Archboard")
    problems = find(frame, "list", "Aufgaben")
    find(problems, "list item", "Datenbank für Gaming-Bestenlisten", what="a problem under its German title")
    if find_all(problems, "list item", "Gaming Leaderboard Database"):
        fail("an English problem title is left in the browser")
    def heading():
        names = [n.name for n in find_all(frame, "label")
                 if n.name == "Aufgaben" or re.match(r"^\d+ von \d+ Aufgaben?$", n.name)]
        return names[0] if names else None

    n = len(find_all(problems, "list item"))
    click(find(frame, "entry", "Aufgaben suchen"), frame)
    for word in ("bestenliste", "sharded"):
        type_text(word)
        wait_for(lambda: heading() == "1 von %d Aufgaben" % n, "one problem found by %r" % word)
        log("search %r:" % word, heading())
        key("ctrl+a", "BackSpace")
        wait_for(lambda: heading() == "Aufgaben", "all problems after clearing the search")
finally:
    app.stop()
