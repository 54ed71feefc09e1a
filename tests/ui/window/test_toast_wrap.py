#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A refused connection explains itself in a toast: the whole explanation,
# wrapped over lines, not one line cut off before the part that says what
# to do instead ("… Put a …").
import json
import os
import time

import pyatspi

from abui import App, center, click, drag, fail, find, find_all, log, wait_for, window_origin

home = os.environ["ARCHBOARD_TEST_HOME"]
path = os.path.join(home, "refused.archboard")
with open(path, "w") as f:
    json.dump({
        "format": "archboard-design", "version": 1, "problem": "basic-database-design",
        "components": [
            {"id": "c1", "kind": "client", "label": "Readers", "x": 0, "y": 0, "instances": 1},
            {"id": "c2", "kind": "db_primary", "label": "Posts DB", "x": 400, "y": 0, "instances": 1},
        ],
        "connections": [],
    }, f)

app = App(path)
try:
    frame = app.frame("refused.archboard")
    canvas = find(frame, name="Diagram")
    readers = find(canvas, "push button", prefix="Readers,")
    click(readers, frame)
    time.sleep(0.5)
    # from the selected card's right-hand handle onto the database
    ox, oy, _ = window_origin(frame)
    x, y, w, h = readers.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    tx, ty = center(find(canvas, "push button", prefix="Posts DB,"), frame)
    drag(ox + x + w + 20, oy + y + h // 2, tx, ty)

    def message():
        return [n for n in find_all(frame, "label")
                if n.name.startswith("A client cannot call a primary database")]
    label = wait_for(message, "the refusal's explanation")[0]
    text = label.name
    log("toast:", text)
    if "Put a" not in text:
        fail("the explanation does not say what to do: %r" % text)
    _, _, lw, lh = label.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    _, _, fw, _ = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    log("label %dx%d in a %d px window" % (lw, lh, fw))
    # about 200 characters: at most 70 a line, so three lines or more
    if lh < 45:
        fail("the explanation is one line (%d px high): it is cut off" % lh)
    if lw > fw:
        fail("the explanation is wider than the window")
    if "calls Posts DB" in find(canvas, "push button", prefix="Readers,").name:
        fail("the refused connection was made")
    log("PASS")
finally:
    app.stop()
