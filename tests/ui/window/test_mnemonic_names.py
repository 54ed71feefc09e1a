#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Screen readers: buttons whose labels have a mnemonic ("_Save") are named
# by their label alone.  GTK 4.8 named them by the raw label followed by
# the label's text ("_Save Save", "_Export… Export…"): in the header bar,
# the problem panel, the Export dialog and the unsaved-changes prompt.
import time

from abui import App, click, fail, find, find_all, focus_window, key, log, wait_for


def doubled(name):
    words = name.split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]


def check_clean(root, where):
    names = [n.name for n in find_all(root, "push button") if n.name]
    bad = [name for name in names if "_" in name or doubled(name)]
    if bad:
        fail("%s: buttons named with their mnemonic or twice: %r" % (where, bad))
    return names


def expect(root, names, where):
    for name in names:
        find(root, "push button", name=name, what="%s: a button named exactly %r" % (where, name))
    log(where + ":", ", ".join(names))


app = App("--problem", "basic-database-design")
try:
    frame = app.frame("Basic RDBMS Design")
    wait_for(lambda: find_all(frame, "push button"), "the window's buttons")
    time.sleep(0.5)
    check_clean(frame, "main window")
    expect(frame, ["Save", "Reveal Reference Solution"], "main window")

    # the Export dialog's header bar
    focus_window(frame)
    key("ctrl+e")
    dialog = app.frame("Export", exact=True)
    time.sleep(0.5)
    check_clean(dialog, "Export dialog")
    expect(dialog, ["Cancel", "Export…"], "Export dialog")
    focus_window(dialog)
    key("Escape")
    wait_for(lambda: not [f for f in app.frames() if f.name == "Export"], "the Export dialog to close")

    # the unsaved-changes prompt (an AdwMessageDialog's responses)
    frame = app.frame("Basic RDBMS Design")
    click(find(find(frame, "list", "Components"), "list item", "Worker"), frame)
    wait_for(lambda: "•" in app.frame("Basic RDBMS Design").name, "the modified marker")
    focus_window(frame)
    key("ctrl+w")
    question = app.frame("Save Changes?", exact=True)
    expect(question, ["Cancel", "Discard", "Save"], "unsaved-changes prompt")
    check_clean(question, "unsaved-changes prompt")
    click(find(question, "push button", name="Discard"), question)
    app.wait_exit()
    log("PASS")
finally:
    out = app.stop()
    if out and out.strip():
        print("archboard output:\n" + out)
