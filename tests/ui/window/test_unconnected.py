#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A learner's first components, not connected yet: the client's requests
# reach no component, so there is nothing to simulate.  The results panel
# asks for the connection (not "P95 0 ms"), the checks panel shows no
# performance check passing, and the problem browser records no "best
# P95" for it.  Connecting the client to a load balancer that calls
# nothing is no result either: the panel asks for a server behind it.
# Connecting the balancer to the server brings the results.
import json

import pyatspi
import os
import time

from abui import App, click, fail, find, find_all, focus_window, key, log, type_text, wait_for

home = os.environ["ARCHBOARD_TEST_HOME"]
path = os.path.join(home, "first.archboard")

with open(path, "w") as f:
    json.dump({
        "format": "archboard-design", "version": 1, "problem": "basic-database-design",
        "components": [
            {"id": "c1", "kind": "client", "label": "Readers", "x": 0, "y": 0, "instances": 1},
            {"id": "c2", "kind": "app", "label": "Blog API", "x": 640, "y": 0, "instances": 1},
            {"id": "c3", "kind": "lb", "label": "Front LB", "x": 320, "y": 0, "instances": 1},
        ],
        "connections": [],
    }, f)


def node(frame, pred):
    return frame.findChild(pred, retry=False, requireResult=False, showingOnly=False)


def shown(n):
    # GTK leaves hidden widgets out of the accessibility tree
    return n is not None and n.visible


def perf_checks(frame):
    return node(frame, lambda n: n.name == "Performance checks" and n.roleName != "label")


app = App(path)
try:
    frame = app.frame("first.archboard")
    page = wait_for(lambda: node(frame, lambda n: n.name == "Connect the Client" and n.roleName == "panel"),
                    "the hint to connect the client")
    wait_for(lambda: page.visible, "the hint to show")
    if node(frame, lambda n: n.roleName == "label" and n.name == "Connect the client to see results") is None:
        fail("the status line does not ask for the connection")
    # what a simulation of nothing would have said
    time.sleep(2)
    if node(frame, lambda n: n.description == "normal P95") is not None:
        fail("a summary of requests that reach no component is shown")
    if shown(perf_checks(frame)):
        fail("performance checks are judged for requests that reach no component: %r"
             % [r.description for r in find_all(perf_checks(frame), "list item")])
    log("unconnected: hint shown, no summary, no performance checks")

    # the unconnected design is no result: the browser records no best P95
    focus_window(frame)
    key("ctrl+n")
    browser = wait_for(lambda: [f for f in app.frames() if f.name == "Archboard"], "the start window")[0]
    row = find(find(browser, "list", "Problems"), "list item", "Basic RDBMS Design")
    wait_for(lambda: any(n.name.endswith("tiers") for n in find_all(row, "label")), "the row's progress")
    labels = [n.name for n in find_all(row, "label")]
    log("browser row:", labels)
    if any(l.startswith("best P95") for l in labels):
        fail("a best P95 was recorded from a design whose requests reach no component: %r" % labels)
    focus_window(browser)
    key("ctrl+w")

    # connect the client with the keyboard: select it, C, pick the balancer
    canvas = find(frame, name="Diagram")

    def connect(source, target, search_text, called):
        focus_window(frame)
        click(find(canvas, "push button", prefix=source + ","), frame)
        key("c")
        search = find(canvas, name="Search components")
        wait_for(lambda: search.getState().contains(pyatspi.STATE_FOCUSED),
                 "the Connect to… search to take the focus")
        type_text(search_text)
        key("Return")
        wait_for(lambda: ("calls " + called) in find(canvas, "push button", prefix=source + ",").name,
                 "%s to call %s" % (source, called))

    def serve_hint():
        return node(frame, lambda n: n.name == "Nothing Serves the Requests Yet" and n.roleName == "panel")

    connect("Readers", "Front LB", "front", "Front LB")
    wait_for(lambda: shown(serve_hint()), "the hint to connect a server behind the balancer", timeout=60)
    if shown(node(frame, lambda n: n.name == "Connect the Client" and n.roleName == "panel")):
        fail("the hint to connect the client stays once it is connected")
    if node(frame, lambda n: n.roleName == "label" and n.name == "Connect a server to see results") is None:
        fail("the status line does not ask for a server")
    time.sleep(2)
    if shown(node(frame, lambda n: n.description == "normal P95")):
        fail("a summary of requests that end at the balancer is shown")
    log("client -> balancer: hint to connect a server, no summary")

    connect("Front LB", "Blog API", "blog", "Blog API")
    wait_for(lambda: node(frame, lambda n: n.description == "normal P95"), "the summary once connected",
             timeout=60)
    if shown(node(frame, lambda n: n.name == "Connect the Client" and n.roleName == "panel")) or shown(serve_hint()):
        fail("a hint stays beside the results")
    log("connected: results shown")
    focus_window(frame)
    key("ctrl+z")
    wait_for(lambda: shown(serve_hint()), "the server hint again after undoing the balancer's connection")
    key("ctrl+z")
    wait_for(lambda: shown(node(frame, lambda n: n.name == "Connect the Client" and n.roleName == "panel")),
             "the hint again after undoing the connection")
    log("undo: hints again")
    log("PASS")
finally:
    app.stop()
