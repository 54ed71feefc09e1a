#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The results panel with nothing to simulate: an empty design and a design
# without a client show a hint saying what to add (not a full progress bar
# and an empty area); pinning is off until there are results.  Once the
# design can be simulated the hint gives way to the summary.
import json
import os
import subprocess

from abui import App, fail, log, wait_for

home = os.environ["ARCHBOARD_TEST_HOME"]
cli = os.path.join(os.environ["ARCHBOARD_BUILDDIR"], "src", "cli", "archboard-cli")


def node(frame, pred):
    return frame.findChild(pred, retry=False, requireResult=False, showingOnly=False)


def label(frame, text):
    return node(frame, lambda n: n.roleName == "label" and n.name == text)


def hint(frame, title):
    # the status page is named by its title; hidden, it is not in the tree
    return node(frame, lambda n: n.name == title and n.roleName == "panel")


def hint_shown(frame, title, status):
    page = wait_for(lambda: hint(frame, title), "the hint %r" % title)
    wait_for(lambda: page.visible, "the hint %r to show" % title)
    if label(frame, status) is None:
        fail("the status line does not read %r" % status)
    progress = node(frame, lambda n: n.name == "Simulation progress" and n.roleName != "label")
    # GTK leaves hidden widgets out of the accessibility tree
    if progress is not None and progress.visible:
        fail("a progress bar shows with nothing to simulate")
    summary = node(frame, lambda n: n.name == "Simulation summary")
    if summary is not None and summary.visible:
        fail("the (empty) summary shows beside the hint")
    pin = node(frame, lambda n: n.name == "Pin run" and n.roleName != "label")
    if pin is None or pin.sensitive:
        fail("Pin run is available with no results")
    log("hint:", title, "/", status)


# an empty design of a problem
app = App("--problem", "basic-database-design")
try:
    frame = app.frame("Basic RDBMS Design")
    hint_shown(frame, "Nothing to Simulate Yet", "Add components to see results")
finally:
    app.stop()

# the reference without its clients: the hint asks for a client
path = os.path.join(home, "no-client.archboard")
full = os.path.join(home, "full.archboard")
subprocess.run([cli, "reference", "basic-database-design", "-o", full], check=True)
with open(full) as f:
    design = json.load(f)
clients = {c["id"] for c in design["components"] if c["kind"] == "client"}
design["components"] = [c for c in design["components"] if c["id"] not in clients]
design["connections"] = [c for c in design["connections"] if c["from"] not in clients and c["to"] not in clients]
with open(path, "w") as f:
    json.dump(design, f)

app = App(path)
try:
    frame = app.frame("no-client.archboard")
    hint_shown(frame, "No Client Yet", "Add a client to see results")
finally:
    app.stop()

# the whole reference: results, no hint
app = App(full)
try:
    frame = app.frame("full.archboard")
    wait_for(lambda: node(frame, lambda n: n.description == "normal P95"), "the summary")
    summary = node(frame, lambda n: n.name == "Simulation summary")
    if summary is None or not summary.visible:
        fail("the summary is not shown")
    for title in ("Nothing to Simulate Yet", "No Client Yet", "This Design Cannot Be Simulated"):
        n = hint(frame, title)
        if n is not None and n.visible:
            fail("the hint %r shows beside results" % title)
    progress = node(frame, lambda n: n.name == "Simulation progress" and n.roleName != "label")
    if progress is None or not progress.visible:
        fail("no progress bar beside results")
    pin = node(frame, lambda n: n.name == "Pin run" and n.roleName != "label")
    wait_for(lambda: pin.sensitive, "Pin run to become available")
    log("results shown, no hint")
finally:
    app.stop()
