#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A large design opened in a small window (1024x700, the reference of
# distributed-transactions, 13 components over 1,220 x 560 units) keeps
# its names readable: it opens at zoom 0.55 or more (at the 0.4 that fitted
# it whole the cards' kind lines were bars), its left part in view, where
# the clients are; the rest is a pan away.  Zoom to Fit (Ctrl+0), asked
# for, still shows the whole design.  A design that fits at a readable
# zoom opens whole: key-value-store's reference at 1024x700, and
# basic-database-design's (1,040 units wide) at 1280x800 with both side
# panes, where the diagram has some 600 px.
import os
import subprocess

import pyatspi

from abui import App, click, fail, find, find_all, key, log, wait_for

CARD_WIDTH = 160   # a card's width at zoom 1 (src/render/ab-render.h)
MIN_ZOOM = 0.55    # AB_CANVAS_FIT_MIN_ZOOM

home = os.environ["ARCHBOARD_TEST_HOME"]
cli = os.path.join(os.environ["ARCHBOARD_BUILDDIR"], "src", "cli", "archboard-cli")

# keyfile settings: the window's size
os.environ["GSETTINGS_BACKEND"] = "keyfile"
keyfile = os.path.join(os.environ["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
os.makedirs(os.path.dirname(keyfile), exist_ok=True)
with open(keyfile, "w") as f:
    f.write("[io/github/archboard/Archboard]\nwindow-size=(1024, 700)\n")


def extents(node):
    return node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)


def cards(canvas):
    # (connections are named "A to B, sync")
    return [n for n in find_all(canvas, "push button") if "," in n.name and " to " not in n.name]


def zoom_of(card):
    return extents(card)[2] / CARD_WIDTH


def inside(node, area):
    x, y, w, h = extents(node)
    ax, ay, aw, ah = extents(area)
    return x >= ax - 1 and y >= ay - 1 and x + w <= ax + aw + 1 and y + h <= ay + ah + 1


def open_reference(problem):
    design = os.path.join(home, problem + ".archboard")
    subprocess.run([cli, "reference", problem, "-o", design], check=True)
    app = App(design)
    frame = app.frame(problem + ".archboard")
    canvas = find(frame, name="Diagram")
    wait_for(lambda: len(cards(canvas)) > 0 and extents(cards(canvas)[0])[2] > 0, "the cards on the canvas")
    return app, frame, canvas


app, frame, canvas = open_reference("distributed-transactions")
try:
    coordinator = find(canvas, "push button", prefix="Tx Coordinator,", what="the coordinator's card")
    # the view settles once the window has its size
    wait_for(lambda: zoom_of(coordinator) >= MIN_ZOOM - 0.01,
             "a readable zoom (the coordinator's card %d px wide, zoom %.2f)"
             % (extents(coordinator)[2], zoom_of(coordinator)))
    client = find(canvas, "push button", prefix="Applications,", what="the clients' card")
    wait_for(lambda: inside(client, canvas), "the clients' card in view: %r in %r"
             % (extents(client), extents(canvas)))
    shown = [n for n in cards(canvas) if inside(n, canvas)]
    log("opened at zoom %.2f: %d of %d cards in view, canvas %r"
        % (zoom_of(coordinator), len(shown), len(cards(canvas)), extents(canvas)))
    if len(shown) == len(cards(canvas)):
        fail("the whole design is in view at zoom %.2f: the test needs one that does not fit"
             % zoom_of(coordinator))

    # Zoom to Fit: everything, however small
    click(canvas, frame)
    key("ctrl+0")
    wait_for(lambda: all(inside(n, canvas) for n in cards(canvas)),
             "every card in view after Zoom to Fit (zoom %.2f)" % zoom_of(coordinator))
    log("Zoom to Fit: zoom %.2f, all %d cards in view" % (zoom_of(coordinator), len(cards(canvas))))
finally:
    app.stop()

for problem, size in (("key-value-store", (1024, 700)), ("basic-database-design", (1280, 800))):
    with open(keyfile, "w") as f:
        f.write("[io/github/archboard/Archboard]\nwindow-size=(%d, %d)\n" % size)
    app, frame, canvas = open_reference(problem)
    try:
        wait_for(lambda: all(inside(n, canvas) for n in cards(canvas)),
                 "the whole %s design in view at %dx%d" % (problem, size[0], size[1]))
        log("%s at %dx%d: zoom %.2f, all %d cards in view, canvas %r"
            % (problem, size[0], size[1], zoom_of(cards(canvas)[0]), len(cards(canvas)), extents(canvas)))
    finally:
        app.stop()
