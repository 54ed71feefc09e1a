#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The keyboard shortcuts window: its one section does not fit a page, and
# it opens on the first page with Documents and Editing, not on Canvas and
# General (GTK 4.8 shows the pages in reverse order of the groups); opened
# a second time, the same.  It is named for screen readers.
import time

import pyatspi

from abui import App, fail, focus_window, key, log, wait_for


def group_width(window, title):
    n = window.findChild(lambda n: n.roleName == "label" and n.name == title,
                         retry=False, requireResult=False, showingOnly=False)
    if n is None:
        return None
    # the page not shown gives its labels no size
    return n.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[2]


def frame_names(app):
    names = []
    for f in app.frames():
        try:
            names.append(f.name)
        except Exception:  # a window going away
            pass
    return names


app = App("--problem", "basic-database-design")
try:
    frame = app.frame("Basic RDBMS Design")
    for attempt in (1, 2):
        focus_window(frame)
        key("ctrl+question")
        window = wait_for(lambda: [f for f in app.frames()
                                   if group_width(f, "Documents") is not None], "the shortcuts window")[0]
        time.sleep(1)
        widths = {t: group_width(window, t) for t in ("Documents", "Editing", "Canvas", "General")}
        log("open #%d: %r, window named %r" % (attempt, widths, window.name))
        if window.name != "Keyboard Shortcuts":
            fail("the shortcuts window is named %r for screen readers" % window.name)
        if not widths["Documents"] or not widths["Editing"]:
            fail("the shortcuts window does not open on Documents and Editing: %r" % widths)
        if widths["Canvas"] or widths["General"]:
            fail("the shortcuts window opened on Canvas and General: %r" % widths)
        # "Connect the focused component to…" shows both its keys, Ctrl+K
        # and C (it showed only Ctrl+K, the action's accelerator, while the
        # results' empty state tells the learner to press C): the key C
        # twice as often as V (Copy's and Connect's C, Paste's V)
        def keys(name):
            return len(window.findChildren(lambda n: n.roleName == "label" and n.name == name,
                                           showingOnly=False))
        log("key labels: C %d, V %d" % (keys("C"), keys("V")))
        if keys("V") == 0 or keys("C") != 2 * keys("V"):
            fail("the shortcuts window shows C only for Copy, not for Connect to…")
        key("Escape")
        wait_for(lambda: "Keyboard Shortcuts" not in frame_names(app), "the shortcuts window to close")
    log("PASS")
finally:
    app.stop()
