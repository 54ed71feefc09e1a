#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Drives canvas-demo the way a user and a screen reader see it: finds the
# components in the accessibility tree by name, then drags one with real
# pointer input (xdotool) and checks the document and the tree followed.
import os
import subprocess
import sys
import tempfile
import time

from dogtail.config import config
config.checkForA11y = False
config.logDebugToFile = False
config.logDebugToStdOut = False
config.searchCutoffCount = 20
config.defaultDelay = 0.2
from dogtail import tree  # noqa: E402

demo = sys.argv[1]
GRID = 16


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def read_log(path):
    rows = {}
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0].startswith("#"):
                rows[fields[0]] = fields[1]
            else:
                cid, label, x, y = fields
                rows[label] = (cid, float(x), float(y))
    return rows


def xdo(*args):
    return subprocess.run(["xdotool", *map(str, args)], check=True,
                          capture_output=True, text=True).stdout


def wait_for(predicate, what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # the tree may be half built
            pass
        time.sleep(0.2)
    fail("timed out waiting for " + what)


log = tempfile.NamedTemporaryFile(prefix="canvas-demo-", suffix=".log", delete=False).name
env = dict(os.environ, ARCHBOARD_DEMO_LOG=log)
proc = subprocess.Popen([demo], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True)
try:
    app = wait_for(lambda: tree.root.application("canvas-demo"), "canvas-demo in the a11y tree")

    def button(prefix):
        return app.findChild(lambda n: n.roleName == "push button" and n.name.startswith(prefix),
                             retry=False, requireResult=False, showingOnly=False)

    api = wait_for(lambda: button("Blog API"), "the Blog API component")
    print("found:", api.name)
    if "3 instances" not in api.name or "calls" not in api.name or "Query Cache" not in api.name:
        fail("unexpected accessible name: " + api.name)
    cache = wait_for(lambda: button("Query Cache"), "the Query Cache component")
    edge = wait_for(lambda: button("Blog API to Query Cache"), "the Blog API to Query Cache connection")
    print("found:", cache.name, "|", edge.name)

    # Where the window is on the screen; the a11y extents are relative to it.
    wid = wait_for(lambda: xdo("search", "--sync", "--onlyvisible", "--name",
                               "Archboard canvas demo").split()[0], "the demo window")
    geometry = xdo("getwindowgeometry", "--shell", wid)
    g = dict(line.split("=") for line in geometry.split())
    win_x, win_y = int(g["X"]), int(g["Y"])

    import pyatspi
    frame = app.children[0]
    fx, fy = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[:2]
    ax, ay, aw, ah = api.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    print("window at", win_x, win_y, "frame", fx, fy, "Blog API extents", ax, ay, aw, ah)
    if aw <= 0 or ah <= 0:
        fail("Blog API has no extents")

    before = read_log(log)["Blog API"]
    zoom = aw / 160.0  # card width in design units
    sx, sy = win_x + ax - fx + aw // 2, win_y + ay - fy + ah // 3
    dx, dy = 0, 150
    xdo("mousemove", "--sync", sx, sy)
    xdo("mousedown", 1)
    for i in range(1, 11):
        xdo("mousemove", "--sync", sx + dx * i // 10, sy + dy * i // 10)
        time.sleep(0.03)
    xdo("mouseup", 1)

    def moved():
        now = read_log(log)["Blog API"]
        return now if now != before else None

    after = wait_for(moved, "Blog API to move in the document", timeout=5)
    print("moved:", before, "->", after)
    expect_dy = dy / zoom
    if abs(after[1] - before[1]) > GRID or abs((after[2] - before[2]) - expect_dy) > GRID:
        fail("moved by %r, expected about (0, %.0f)" % ((after[1] - before[1], after[2] - before[2]),
                                                         expect_dy))
    if after[1] % GRID or after[2] % GRID:
        fail("not on the grid: %r" % (after,))

    # The accessible item followed the card.
    def item_moved():
        y = api.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[1]
        return y if abs((y - ay) - (after[2] - before[2]) * zoom) <= 2 else None

    wait_for(item_moved, "the Blog API item to follow its card", timeout=5)

    # Keyboard: the focused item is the one just dragged; Alt+Right moves it.
    xdo("key", "--clearmodifiers", "alt+Right")
    wait_for(lambda: read_log(log)["Blog API"][1] == after[1] + GRID, "Alt+Right to move Blog API")

    # Shift+click adds Query Cache to the selection.
    cx, cy, cw, ch = cache.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    xdo("mousemove", "--sync", win_x + cx - fx + cw // 2, win_y + cy - fy + ch // 3)
    xdo("keydown", "shift")
    xdo("click", 1)
    xdo("keyup", "shift")
    both = ",".join(sorted([after[0], read_log(log)["Query Cache"][0]]))
    wait_for(lambda: ",".join(sorted(read_log(log)["#selection"].split(","))) == both,
             "Shift+click to extend the selection to " + both)

    # Ctrl+wheel zooms in around the pointer: the card under it stays put.
    zoom_before = float(read_log(log)["#zoom"])
    xdo("keydown", "ctrl")
    xdo("click", 4)
    xdo("keyup", "ctrl")
    zoom_after = wait_for(lambda: float(read_log(log)["#zoom"]) != zoom_before and
                          float(read_log(log)["#zoom"]), "Ctrl+scroll to zoom")
    if not zoom_after > zoom_before:
        fail("Ctrl+scroll up zoomed from %g to %g" % (zoom_before, zoom_after))
    ncx, ncy, ncw, nch = wait_for(
        lambda: (lambda e: e if e[2] != cw else None)(cache.queryComponent().getExtents(pyatspi.WINDOW_COORDS)),
        "the items to follow the zoom")
    print("zoom %.3f -> %.3f, Query Cache %r -> %r" % (zoom_before, zoom_after, (cx, cy, cw, ch),
                                                       (ncx, ncy, ncw, nch)))
    px, py = cx + cw / 2, cy + ch / 3
    # The pointer was at (px, py) inside the card: it keeps its relative spot.
    rel_before = ((px - cx) / cw, (py - cy) / ch)
    rel_after = ((px - ncx) / ncw, (py - ncy) / nch)
    if abs(rel_before[0] - rel_after[0]) > 0.05 or abs(rel_before[1] - rel_after[1]) > 0.05:
        fail("zoom moved the point under the pointer: %r -> %r" % (rel_before, rel_after))
    print("PASS")
finally:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    if out.strip():
        print("canvas-demo output:\n" + out)
    os.unlink(log)
