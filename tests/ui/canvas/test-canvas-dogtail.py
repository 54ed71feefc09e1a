#!/usr/bin/python3
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
            cid, label, x, y = line.rstrip("\n").split("\t")
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
