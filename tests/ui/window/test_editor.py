#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The editor as a learner uses it: start on a problem, drag three palette
# items onto the canvas (real pointer), watch the tiers turn to pass,
# connect with the keyboard "Connect to…" popover, undo / redo, rename,
# change instances in the inspector, save through the file chooser, reopen
# and compare, export a PNG, and the unsaved-changes prompt.
import os
import time

import pyatspi

from abui import (App, click, center, drag, fail, find, find_all, focus_window, key, log,
                  type_text, wait_for, xdo)

home = os.environ["ARCHBOARD_TEST_HOME"]
design_path = os.path.join(home, "blog.archboard")
png_path = os.path.join(home, "blog.png")


def components(frame):
    """Accessible names of the canvas' components, sorted."""
    canvas = find(frame, name="Diagram")
    return sorted(n.name for n in find_all(canvas, "push button"))


def selected_components(frame):
    """Accessible names of the canvas items in the selected state."""
    canvas = find(frame, name="Diagram")
    return [n.name for n in find_all(canvas, "push button")
            if n.getState().contains(pyatspi.STATE_SELECTED)]


_tiers = {}


def tier(frame, name):
    """The description of a tier's row in the checks panel."""
    if frame not in _tiers:
        _tiers[frame] = find(frame, "list", "Tiers")
    label = find(_tiers[frame], "list item", name, what="tier " + name)
    # The expander row carries the state; its title row is inside it.
    node = label
    while node is not None and not node.description:
        node = node.parent
    return node.description if node is not None else ""


def wait_tier(frame, name, passed):
    wait_for(lambda: (tier(frame, name) == "Passed") == passed,
             "%s to %s" % (name, "pass" if passed else "fail"))


app = App("--problem", "basic-database-design")
try:
    frame = app.frame("Basic RDBMS Design")
    log("window:", frame.name)
    if "Unsaved Design" not in frame.name:
        fail("a new design should be unsaved: " + frame.name)

    wait_tier(frame, "T0: Database", False)
    wait_tier(frame, "T2: Cache", False)
    log("tiers before:", tier(frame, "T0: Database"), "|", tier(frame, "T2: Cache"))

    # ---- checks in the learner's words; expanded, every rule is on screen ----
    if tier(frame, "T0: Database") != "Add a Primary database":
        fail("T0's reason should name the kind as the palette does: %r" % tier(frame, "T0: Database"))
    tiers = find(frame, "list", "Tiers")
    for name in ("T0: Database", "T1: Replicas", "T2: Cache"):
        click(find(tiers, "list item", name), frame)
    pane = tiers
    while pane is not None and pane.roleName != "scroll pane":
        pane = pane.parent
    time.sleep(0.5)
    _, pane_y, _, pane_h = pane.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    for rule in ("Must include a Primary database", "Must include a Read replica", "Must include a Cache"):
        node = find(tiers, name=rule, what="the rule " + rule)
        x, y, w, h = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        if h <= 0 or y + h > pane_y + pane_h:
            fail("the rule %r is cut off: %r, the checks end at %d" % (rule, (x, y, w, h), pane_y + pane_h))
    log("every rule visible in the checks pane (%d px high)" % pane_h)
    # nothing selected: the inspector is a one-line hint and the checks
    # have the pane
    inspector = find(frame, name="Inspector", what="the inspector")
    hint_h = inspector.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[3]
    if not 0 < hint_h < 100:
        fail("with nothing selected the inspector should be a one-line hint, not %d px" % hint_h)
    log("inspector without a selection: %d px, checks pane: %d px" % (hint_h, pane_h))
    for name in ("T0: Database", "T1: Replicas", "T2: Cache"):
        click(find(tiers, "list item", name), frame)

    # ---- problem panel: hints one at a time ----
    hint = find(frame, "push button", "Show a Hint")
    hint.doActionNamed("click")
    find(frame, "label", prefix="Hint 1: ", what="the first hint")
    if find_all(frame, "label", prefix="Hint 2: "):
        fail("only one hint should be revealed")
    find(frame, "push button", prefix="Show Hint 2 of ", what="the next-hint button")
    log("hint 1 revealed, hint 2 hidden")

    # ---- the palette shows beside the problem; the empty canvas says what to do ----
    palette = find(frame, "list", "Components")
    canvas = find(frame, name="Diagram")
    goal = find(frame, "label", "Goal")
    fw, fh = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[2:]
    for node, what in ((palette, "the palette"), (goal, "the problem's goal")):
        x, y, w, h = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > fw or y >= fh:
            fail("%s is not on screen on a new design: %r" % (what, (x, y, w, h)))
    hint = find(canvas, "label", prefix="Drag components here")
    if not hint.getState().contains(pyatspi.STATE_VISIBLE):
        fail("the empty canvas shows no hint")
    log("palette and problem visible together; hint:", hint.name)

    # ---- drag three palette items onto the canvas ----
    cx, cy = center(canvas, frame)
    drops = [("Application server", cx - 220, cy - 40),
             ("Primary database", cx + 60, cy - 160),
             ("Cache", cx + 60, cy + 100)]
    for name, x, y in drops:
        row = find(palette, "list item", name)
        x0, y0 = center(row, frame)
        drag(x0, y0, x, y)
        find(canvas, "push button", prefix=name + ",", what="%s on the canvas" % name)
        log("dropped:", name)
        wait_for(lambda: not [n for n in find_all(canvas, "label", prefix="Drag components here")
                              if n.getState().contains(pyatspi.STATE_VISIBLE)], "the hint to go")

    wait_tier(frame, "T0: Database", True)
    wait_tier(frame, "T2: Cache", True)
    wait_tier(frame, "T1: Replicas", False)
    log("tiers after drops: T0 and T2 pass, T1:", tier(frame, "T1: Replicas"))

    # ---- compare with the reference solution: it has replicas, we do not ----
    canvas_x = canvas.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[0]
    find(frame, "push button", prefix="Reveal Reference").doActionNamed("click")
    find(frame, "push button", prefix="Compare With Mine").doActionNamed("click")
    time.sleep(0.5)
    if canvas.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[0] != canvas_x:
        fail("revealing the reference moved the canvas: the left pane changed its width")
    find(frame, "label", "Compared with the reference, your design lacks:")
    lacking = wait_for(lambda: [n.name for n in find_all(frame, "label", prefix="•  Read replica: ")],
                       "the missing read replicas in the comparison")
    log("compare:", lacking)
    if "•" not in frame.name:
        fail("the title should show the modified marker: " + frame.name)

    # ---- connect with the keyboard: Ctrl+K on the focused component ----
    app_server = find(canvas, "push button", prefix="Application server,")
    for target in ("Primary database", "Cache"):
        click(app_server, frame)
        key("ctrl+k")
        find(frame, "entry", "Search components")
        type_text(target)
        key("Return")
        wait_for(lambda: target in find(canvas, "push button", prefix="Application server,").name,
                 "Application server to call " + target)
    app_server = find(canvas, "push button", prefix="Application server,")
    log("connected:", app_server.name)
    if "calls" not in app_server.name:
        fail("the accessible name should say what it calls: " + app_server.name)

    # ---- undo and redo (the last connection) ----
    key("ctrl+z")
    wait_for(lambda: "Cache" not in find(canvas, "push button", prefix="Application server,").name,
             "undo to remove the connection to Cache")
    key("ctrl+shift+z")
    wait_for(lambda: "Cache" in find(canvas, "push button", prefix="Application server,").name,
             "redo to bring the connection back")
    log("undo / redo: ok")
    # Undo both connections and the drop of the cache: T2 fails again;
    # redo all three: it passes again.
    key("ctrl+z", "ctrl+z", "ctrl+z")
    wait_tier(frame, "T2: Cache", False)
    key("ctrl+shift+z", "ctrl+shift+z", "ctrl+shift+z")
    wait_tier(frame, "T2: Cache", True)
    log("undo / redo of a drop changes the tiers: ok")

    # ---- rename inline (F2) ----
    click(find(canvas, "push button", prefix="Application server,"), frame)
    key("F2")
    time.sleep(0.3)
    key("ctrl+a")
    type_text("Blog API")
    key("Return")
    blog = find(canvas, "push button", prefix="Blog API,", what="the renamed component")
    log("renamed:", blog.name)

    # ---- inspector: instances is one undoable step ----
    click(blog, frame)
    spin = find(frame, "spin button", "Instances")
    # something selected: the inspector's form gets the pane
    form_h = find(frame, name="Inspector").queryComponent().getExtents(pyatspi.WINDOW_COORDS)[3]
    if form_h < 200:
        fail("with a component selected the inspector should get at least 200 px, not %d" % form_h)
    log("inspector with a selection: %d px" % form_h)
    if not selected_components(frame):
        fail("no component is selected while the inspector edits one")
    click(spin, frame)
    key("ctrl+a")
    type_text("3")
    key("Tab")
    wait_for(lambda: "3 instances" in find(canvas, "push button", prefix="Blog API,").name,
             "3 instances after the inspector edit")
    key("Escape")
    click(canvas, frame)
    key("ctrl+z")
    wait_for(lambda: "3 instances" not in find(canvas, "push button", prefix="Blog API,").name,
             "undo of the instance change")
    key("ctrl+shift+z")
    wait_for(lambda: "3 instances" in find(canvas, "push button", prefix="Blog API,").name,
             "redo of the instance change")
    log("inspector instances: ok")
    before = components(frame)
    log("design:", before)

    # ---- save through the file chooser ----
    key("ctrl+s")
    chooser = app.frame("Save Design")
    focus_window(chooser)
    key("ctrl+a")
    type_text(design_path)
    key("Return")
    wait_for(lambda: os.path.exists(design_path), "the design file to be written")
    wait_for(lambda: "blog.archboard" in app.frame("Basic RDBMS Design").name and
             "•" not in app.frame("Basic RDBMS Design").name,
             "the title to show the saved file")
    log("saved:", design_path, os.path.getsize(design_path), "bytes")

    # ---- export a PNG ----
    frame = app.frame("Basic RDBMS Design")
    focus_window(frame)
    key("ctrl+e")
    dialog = app.frame("Export", exact=True)
    click(find(dialog, "push button", name="Export…"), dialog)
    chooser = app.frame("Export Diagram", exact=True)
    focus_window(chooser)
    key("ctrl+a")
    type_text(png_path)
    key("Return")
    wait_for(lambda: os.path.exists(png_path) and os.path.getsize(png_path) > 100, "the PNG")
    with open(png_path, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            fail("the export is not a PNG")
    log("exported:", png_path, os.path.getsize(png_path), "bytes")

    # ---- close (saved: no question) and reopen ----
    frame = app.frame("Basic RDBMS Design")
    focus_window(frame)
    key("ctrl+w")
    app.wait_exit()
    app.stop()

    app = App(design_path)
    frame = app.frame("blog.archboard")
    after = wait_for(lambda: components(frame) if len(components(frame)) == len(before) else None,
                     "the reopened design's components")
    if after != before:
        fail("reopened design differs:\n  %r\n  %r" % (before, after))
    wait_tier(frame, "T0: Database", True)
    log("reopened and equal:", after)
    # opening a document selects nothing: the inspector stays empty
    time.sleep(1)
    if selected_components(frame):
        fail("opening the document selected %r" % selected_components(frame))

    # ---- unsaved changes: Cancel keeps the window, Discard closes ----
    click(find(find(frame, "list", "Components"), "list item", "Worker"), frame)
    wait_for(lambda: "•" in app.frame("blog.archboard").name, "the modified marker")
    key("ctrl+w")
    question = app.frame("Save Changes?", exact=True)  # the message dialog
    find(question, "push button", name="Cancel", what="the Cancel button of the prompt")
    click(find(question, "push button", name="Cancel"), question)
    time.sleep(0.5)
    if app.proc.poll() is not None:
        fail("Cancel closed the window")
    frame = app.frame("blog.archboard")
    focus_window(frame)
    key("ctrl+w")
    question = app.frame("Save Changes?", exact=True)
    click(find(question, "push button", name="Discard"), question)
    app.wait_exit()
    with open(design_path) as f:
        if "Worker" in f.read():
            fail("Discard wrote the file")
    log("PASS")
finally:
    out = app.stop()
    if out and out.strip():
        print("archboard output:\n" + out)
