#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The canvas' commands through their key bindings (widget actions), with
# real X key presses: Escape clears the selection, the arrows move the
# focus, Alt+arrows nudge the selection one grid step, F2 opens the inline
# rename (Return commits, Escape cancels), C and Ctrl+K open "Connect to…"
# (Return connects to the first match, Escape closes it and a later key
# is a canvas command again), Delete and BackSpace delete.
import time

import pyatspi

from abui import App, click, fail, find, find_all, focus_window, key, log, type_text, wait_for


def cards(canvas):
    return find_all(canvas, "push button")


def card(canvas, prefix):
    return find(canvas, "push button", prefix=prefix + ",")


def selected(canvas):
    return [n.name for n in cards(canvas) if n.getState().contains(pyatspi.STATE_SELECTED)]


def focused_card(canvas):
    for n in cards(canvas):
        if n.getState().contains(pyatspi.STATE_FOCUSED):
            return n.name
    return None


def extents(node):
    return node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)


def has_focus(node):
    return node.getState().contains(pyatspi.STATE_FOCUSED)


app = App("--problem", "basic-database-design")
try:
    frame = app.frame("Basic RDBMS Design")
    focus_window(frame)
    canvas = find(frame, name="Diagram")
    for name in ("Application server", "Cache", "Primary database"):
        key("ctrl+f")
        type_text(name.lower())
        key("Return")
        card(canvas, name)
    wait_for(lambda: selected(canvas), "the last placed component to be selected")

    # ---- Escape: clears the selection ----
    key("Escape")
    wait_for(lambda: not selected(canvas), "Escape to clear the selection")
    log("Escape cleared the selection")

    # ---- arrows: from the canvas into the items, then between them ----
    key("Right")
    first = wait_for(lambda: focused_card(canvas), "an arrow key to focus a component")
    log("arrow focused", first)
    moved_to = None
    for direction in ("Right", "Left", "Down", "Up"):
        click(card(canvas, "Application server"), frame)
        key(direction)
        now = focused_card(canvas)
        if now is not None and not now.startswith("Application server,"):
            moved_to = (direction, now)
            break
    if moved_to is None:
        fail("no arrow key moved the focus away from Application server")
    log("arrow %s moved the focus to %s" % moved_to)

    # ---- Alt+arrows: one grid step each ----
    api = card(canvas, "Application server")
    click(api, frame)
    x0, y0, _, _ = extents(api)
    key("alt+Right")
    key("alt+Right")
    key("alt+Down")
    wait_for(lambda: extents(card(canvas, "Application server"))[:2] != (x0, y0),
             "Alt+arrows to move the selection")
    x1, y1, _, _ = extents(card(canvas, "Application server"))
    if not (x1 > x0 and y1 > y0):
        fail("Alt+Right, Alt+Right, Alt+Down moved %r to %r" % ((x0, y0), (x1, y1)))
    if abs((x1 - x0) - 2 * (y1 - y0)) > 2:
        fail("two steps right should be twice one step down: %r -> %r" % ((x0, y0), (x1, y1)))
    log("nudged from %r to %r" % ((x0, y0), (x1, y1)))

    # ---- F2: inline rename; Escape cancels, Return commits ----
    click(card(canvas, "Application server"), frame)
    key("F2")
    entry = find(canvas, name="Component name")
    wait_for(lambda: has_focus(entry), "the rename entry to take the focus after F2")
    key("ctrl+a")
    type_text("Never")
    key("Escape")
    wait_for(lambda: (focused_card(canvas) or "").startswith("Application server,"),
             "Escape to close the rename entry and focus the card again")
    if find_all(canvas, "push button", prefix="Never,"):
        fail("Escape in the rename entry renamed the component")
    card(canvas, "Application server")
    key("F2")
    wait_for(lambda: has_focus(entry), "the rename entry after F2 again")
    key("ctrl+a")
    type_text("Front door")
    key("Return")
    card(canvas, "Front door")
    log("F2 rename: Escape cancelled, Return committed")

    # ---- C: "Connect to…"; Return connects to the first match ----
    click(card(canvas, "Front door"), frame)
    key("c")
    find(canvas, name="Connect “Front door” to…")
    search = find(canvas, name="Search components")
    wait_for(lambda: has_focus(search), "the Connect popover's search to take the focus after C")
    type_text("cache")
    key("Return")
    wait_for(lambda: "calls Cache" in card(canvas, "Front door").name, "Front door to call Cache")
    wait_for(lambda: (focused_card(canvas) or "").startswith("Front door,"),
             "the popover to close and the focus to return after connecting")
    log("C connected:", card(canvas, "Front door").name)

    # ---- Ctrl+K: the same; Escape closes it and Delete is then a command ----
    click(card(canvas, "Front door"), frame)
    key("ctrl+k")
    wait_for(lambda: has_focus(search), "the Connect popover after Ctrl+K")
    key("Escape")
    wait_for(lambda: (focused_card(canvas) or "").startswith("Front door,"),
             "Escape to close the popover and focus the card again")
    if len(cards(canvas)) != 4:
        fail("closing the popover changed the design: %r" % [n.name for n in cards(canvas)])
    key("ctrl+k")
    wait_for(lambda: has_focus(search), "the Connect popover after Ctrl+K again")
    type_text("primary")
    key("Return")
    wait_for(lambda: "Primary database" in card(canvas, "Front door").name,
             "Front door to call the Primary database")
    log("Ctrl+K connected:", card(canvas, "Front door").name)

    # ---- Delete and BackSpace ----
    click(card(canvas, "Cache"), frame)
    key("Delete")
    wait_for(lambda: not find_all(canvas, "push button", prefix="Cache,"), "Delete to remove the cache")
    key("ctrl+z")
    card(canvas, "Cache")
    click(card(canvas, "Cache"), frame)
    key("BackSpace")
    wait_for(lambda: not find_all(canvas, "push button", prefix="Cache,"), "BackSpace to remove the cache")
    log("Delete and BackSpace deleted")
finally:
    app.stop()
