#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Connecting with the pointer from a side handle: hover a card, press on
# the handle above it (real X pointer), drag onto another card, release:
# the first now calls the second.
import time

import pyatspi

from abui import App, drag, fail, find, focus_window, key, log, type_text, wait_for, window_origin, xdo

app = App("--problem", "basic-database-design")
try:
    frame = app.frame("Basic RDBMS Design")
    focus_window(frame)
    canvas = find(frame, name="Diagram")
    for name in ("Application server", "Cache"):
        key("ctrl+f")
        type_text(name.lower())
        key("Return")
        find(canvas, "push button", prefix=name + ",")
    api = find(canvas, "push button", prefix="Application server,")
    cache = find(canvas, "push button", prefix="Cache,")
    ox, oy, _ = window_origin(frame)
    x, y, w, h = api.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    cx, cy, cw, ch = cache.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    # The handle on the side facing away from the cache, so the drag
    # cannot be mistaken for one from the card's old right-hand port.
    if cy < y:
        hx, hy = x + w // 2, y + h + 20      # bottom handle, cache above
    else:
        hx, hy = x + w // 2, y - 20          # top handle, cache below
    log("api at %r, cache at %r, handle at %r" % ((x, y, w, h), (cx, cy, cw, ch), (hx, hy)))
    # Hover the card first: the handles show for the card under the pointer.
    xdo("mousemove", ox + x + w // 2, oy + y + h // 2)
    time.sleep(0.3)
    drag(ox + hx, oy + hy, ox + cx + cw // 2, oy + cy + ch // 2)
    wait_for(lambda: "calls Cache" in find(canvas, "push button", prefix="Application server,").name,
             "Application server to call Cache after the drag from its handle")
    api = find(canvas, "push button", prefix="Application server,")
    log("connected from the handle:", api.name)
    x2, y2, _, _ = api.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    if (x2, y2) != (x, y):
        fail("the drag moved the card instead of connecting: %r -> %r" % ((x, y), (x2, y2)))
finally:
    app.stop()
