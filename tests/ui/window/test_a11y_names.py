#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Screen readers: the main window's own buttons have names a listener can
# use, never a widget type name ("GtkExpander"): the Problem section's
# expander reads "Problem" and says whether it is expanded.
import pyatspi

from abui import App, click, fail, find_all, log, wait_for

app = App("--problem", "basic-database-design")
try:
    frame = app.frame("Basic RDBMS Design")
    wait_for(lambda: find_all(frame, "push button"), "the window's buttons")
    expander = wait_for(lambda: [n for n in find_all(frame, "push button") if n.name == "Problem"],
                        "a button named Problem (the problem section's expander)")[0]
    if not expander.getState().contains(pyatspi.STATE_EXPANDED):
        fail("the expanded Problem section does not say so")
    typed = [n.name for n in find_all(frame, "push button")
             if n.name.startswith("Gtk") or n.name.startswith("Adw")]
    # (the drop-downs' inner toggle buttons are GTK's own and unnamed: not ours)
    typed = [t for t in typed if t != "GtkToggleButton"]
    if typed:
        fail("buttons named after their widget type: %r" % typed)
    click(expander, frame)
    wait_for(lambda: not expander.getState().contains(pyatspi.STATE_EXPANDED), "the section to collapse")
    log("Problem expander named and collapses")
    log("PASS")
finally:
    app.stop()
