#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The start view: every shipped problem with its difficulty, search and the
# difficulty filter, choosing a problem, and the progress (tiers passed)
# kept between runs.
import glob
import json
import os
import re

import pyatspi
from abui import App, click, fail, find, find_all, focus_window, key, log, type_text, wait_for

# Progress must survive a restart: keep settings in a file for this test.
os.environ["GSETTINGS_BACKEND"] = "keyfile"


problems = [json.load(open(p)) for p in
            glob.glob(os.path.join(os.environ["ARCHBOARD_SRCDIR"], "problems", "storage", "*.json"))
            if not p.endswith("index.json")]
n_advanced = sum(1 for p in problems if p["difficulty"] == "advanced")


def heading(frame):
    """The problem list's heading: "Problems", or "N of M Problems" when filtered."""
    names = [n.name for n in find_all(frame, "label")
             if n.name == "Problems" or re.match(r"^\d+ of \d+ Problems?$", n.name)]
    return names[0] if names else None


def progress_of(frame, title):
    row = find(find(frame, "list", "Problems"), "list item", title)
    labels = [n.name for n in find_all(row, "label")]
    return [l for l in labels if "tiers" in l or l == "Solved"]


app = App()
try:
    frame = app.frame("Archboard")
    all_rows = [r.name for r in find_all(find(frame, "list", "Problems"), "list item")]
    log("problems:", len(all_rows))
    if len(all_rows) != len(problems) or heading(frame) != "Problems":
        fail("expected %d problems, got %d (%s)" % (len(problems), len(all_rows), heading(frame)))
    for title in ("Basic RDBMS Design", "Redis-like Key-Value Store"):
        if title not in all_rows:
            fail("missing problem " + title)
    if progress_of(frame, "Basic RDBMS Design"):
        fail("no progress expected yet")

    # ---- search ----
    click(find(frame, "entry", "Search problems"), frame)
    type_text("redis")
    n_redis = sum(1 for p in problems if "redis" in (p["title"] + p["summary"] + p["id"]).lower())
    wait_for(lambda: heading(frame) == "%d of %d Problems" % (n_redis, len(problems)), "the search to filter")
    log("search 'redis':", heading(frame))
    type_text(" zzzz-nothing")
    wait_for(lambda: heading(frame) == "0 of %d Problems" % len(problems), "no rows for a search without matches")
    find(frame, "label", "No Problems Found")
    key("ctrl+a", "BackSpace")
    wait_for(lambda: heading(frame) == "Problems", "all rows after clearing the search")

    # ---- difficulty filter ----
    click(find(frame, "combo box", "Difficulty"), frame)
    key("Down", "Down", "Down", "Return")
    wait_for(lambda: heading(frame) == "%d of %d Problems" % (n_advanced, len(problems)),
             "the difficulty filter")
    log("advanced:", heading(frame))
    click(find(frame, "combo box", "Difficulty"), frame)
    key("Up", "Up", "Up", "Return")
    wait_for(lambda: heading(frame) == "Problems", "all rows again")

    # ---- choose a problem: search + Enter opens it in this window ----
    click(find(frame, "entry", "Search problems"), frame)
    type_text("basic rdbms")
    key("Return")
    frame = app.frame("Basic RDBMS Design")
    click(find(find(frame, "list", "Components"), "list item", "Cache"), frame)
    find(find(frame, name="Diagram"), "push button", prefix="Cache,")
    log("started a design and added a cache")
    key("ctrl+n")  # one design per window: the browser opens beside it
    browser = wait_for(lambda: [f for f in app.frames() if f.name == "Archboard"], "a new start window")[0]
    wait_for(lambda: progress_of(browser, "Basic RDBMS Design") == ["1/3 tiers"],
             "the progress in the problem list")
    log("progress shown:", progress_of(browser, "Basic RDBMS Design"))
    focus_window(browser)
    key("ctrl+q")
    dialog = find(app.node, "push button", prefix="Discard", what="the unsaved-changes prompt")
    click(dialog, app.frame(""))
    app.wait_exit()
finally:
    out = app.stop()
    if out and out.strip():
        print("archboard output:\n" + out)

# ---- the progress is remembered by the next run ----
app = App()
try:
    frame = app.frame("Archboard")
    wait_for(lambda: progress_of(frame, "Basic RDBMS Design") == ["1/3 tiers"], "the progress after a restart")
    log("progress after restart:", progress_of(frame, "Basic RDBMS Design"))
    log("PASS")
finally:
    out = app.stop()
    if out and out.strip():
        print("archboard output:\n" + out)
