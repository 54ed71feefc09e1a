#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The editor from the keyboard alone: Ctrl+F starts a fresh palette search
# each time (the old text is selected, typing replaces it), Enter places
# the component in the middle of the view without covering another one,
# Return on the canvas moves focus into the inspector's first field and
# Escape brings it back to the canvas, as it does from the search.
import time

import pyatspi

from abui import App, fail, find, find_all, focus_window, key, log, type_text, wait_for


def focused(root):
    return root.findChild(lambda n: n.getState().contains(pyatspi.STATE_FOCUSED),
                          retry=False, requireResult=False, showingOnly=False)


def inside(node, ancestor_name):
    while node is not None:
        if node.name == ancestor_name:
            return True
        node = node.parent
    return False


app = App("--problem", "basic-database-design")
try:
    frame = app.frame("Basic RDBMS Design")
    focus_window(frame)
    canvas = find(frame, name="Diagram")
    search = find(frame, "entry", "Search components")

    # ---- Ctrl+F, type, Enter, four times: each search starts afresh ----
    for i in range(1, 5):
        key("ctrl+f")
        wait_for(lambda: search.getState().contains(pyatspi.STATE_FOCUSED), "the search to take focus")
        type_text("cache")
        key("Return")
        wait_for(lambda: len(find_all(canvas, "push button", prefix="Cache")) == i,
                 "%d caches on the canvas (the search text was %r)" % (i, search.queryText().getText(0, -1)))
    log("placed four caches from the keyboard; search text now %r" % search.queryText().getText(0, -1))

    # ---- none covers another ----
    cards = find_all(canvas, "push button", prefix="Cache")
    rects = [(n.name, n.queryComponent().getExtents(pyatspi.WINDOW_COORDS)) for n in cards]
    for i, (a, (ax, ay, aw, ah)) in enumerate(rects):
        if aw <= 0 or ah <= 0:
            fail("%r has no extents" % a)
        for b, (bx, by, bw, bh) in rects[i + 1:]:
            if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                fail("%r %r overlaps %r %r" % (a, (ax, ay, aw, ah), b, (bx, by, bw, bh)))
    log("no overlaps:", [r for _, r in rects])

    # ---- Return: into the inspector's first field (Name); Escape: back ----
    # (GTK 4.8 does not expose the focused text of an entry row, so the
    # test types into whatever has focus and reads the result.)
    key("Return")
    key("ctrl+a")
    type_text("Hot keys")
    key("Return")
    wait_for(lambda: find_all(canvas, "push button", prefix="Hot keys,"),
             "the renamed component: Return should focus the inspector's Name field")
    log("Return focused the Name field:", find_all(canvas, "push button", prefix="Hot keys,")[0].name)
    if focused(frame) is not None and inside(focused(frame), "Diagram"):
        fail("the canvas kept the focus after Return")
    time.sleep(0.5)
    key("Escape")
    wait_for(lambda: (lambda n: n is not None and inside(n, "Diagram"))(focused(frame)),
             "focus back on the canvas after Escape")
    log("Escape returned to the canvas")

    # ---- Escape in the palette's search: back to the canvas too ----
    key("ctrl+f")
    wait_for(lambda: search.getState().contains(pyatspi.STATE_FOCUSED), "the search to take focus")
    type_text("queue")
    key("Escape")
    wait_for(lambda: (lambda n: n is not None and inside(n, "Diagram"))(focused(frame)),
             "focus back on the canvas after Escape in the search")
    log("Escape in the search returned to the canvas")
finally:
    app.stop()
