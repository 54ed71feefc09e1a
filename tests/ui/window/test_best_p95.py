#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The problem browser's "best P95" comes from whole designs only: a
# half-built one (a client calling one app server, no database: the
# problem's tiers fail) is simulated, but its P95, which no real answer
# could beat, is not recorded.
import json
import os

from abui import App, fail, find, find_all, focus_window, key, log, wait_for

home = os.environ["ARCHBOARD_TEST_HOME"]
path = os.path.join(home, "half.archboard")
with open(path, "w") as f:
    json.dump({
        "format": "archboard-design", "version": 1, "problem": "basic-database-design",
        "components": [
            {"id": "c1", "kind": "client", "label": "Readers", "x": 0, "y": 0, "instances": 1},
            {"id": "c2", "kind": "app", "label": "Blog API", "x": 320, "y": 0, "instances": 40},
        ],
        "connections": [{"id": "e1", "from": "c1", "to": "c2", "mode": "sync"}],
    }, f)


def finished(frame):
    return frame.findChild(lambda n: n.roleName == "label" and n.name.startswith("Discrete-event simulation, seed"),
                           retry=False, requireResult=False, showingOnly=False)


app = App(path)
try:
    frame = app.frame("half.archboard")
    wait_for(lambda: finished(frame), "the simulation of the half-built design", timeout=120)
    log("simulated:", finished(frame).name)
    focus_window(frame)
    key("ctrl+n")
    browser = wait_for(lambda: [f for f in app.frames() if f.name == "Archboard"], "the start window")[0]
    row = find(find(browser, "list", "Problems"), "list item", "Basic RDBMS Design")
    wait_for(lambda: any(n.name.endswith("tiers") for n in find_all(row, "label")), "the row's progress")
    labels = [n.name for n in find_all(row, "label")]
    log("browser row:", labels)
    if "0/3 tiers" not in labels:
        fail("expected the half-built design's 0/3 tiers: %r" % labels)
    if any(l.startswith("best P95") for l in labels):
        fail("a best P95 was recorded from a design that fails every tier: %r" % labels)
    log("PASS")
finally:
    app.stop()
