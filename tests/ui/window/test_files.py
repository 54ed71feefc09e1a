#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Documents: a file that fails to load shows the loader's error (file, line,
# what) and the open design stays as it was; autosave writes a copy of a
# modified design and removes it on save; after a crash the next start
# offers to restore the autosaved design.
import glob
import os
import time

from abui import App, click, fail, find, find_all, focus_window, key, log, type_text, wait_for

home = os.environ["ARCHBOARD_TEST_HOME"]
good = os.path.join(home, "good.archboard")
bad = os.path.join(home, "bad.archboard")
autosave_dir = os.path.join(os.environ["XDG_DATA_HOME"], "archboard", "autosave")

DESIGN = """{
  "format": "archboard-design",
  "version": 1,
  "problem": "basic-database-design",
  "components": [
    { "id": "c1", "kind": "app", "label": "%s", "x": 0, "y": 0, "instances": 2 },
    { "id": "c2", "kind": "db_primary", "label": "Posts DB", "x": 320, "y": 0, "instances": 1 }
  ],
  "connections": [
    { "id": "e1", "from": "c1", "to": "c2", "mode": "sync" }
  ]
}
"""

with open(good, "w") as f:
    f.write(DESIGN % "Blog API")
with open(bad, "w") as f:
    f.write('{\n  "format": "archboard-design",\n  "version": "one",\n  "components": []\n}\n')

# Autosave every second (keyfile settings so the test can set it).
os.environ["GSETTINGS_BACKEND"] = "keyfile"
keyfile = os.path.join(os.environ["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
os.makedirs(os.path.dirname(keyfile), exist_ok=True)
with open(keyfile, "w") as f:
    f.write("[io/github/archboard/Archboard]\nautosave-interval=uint32 1\n")


def names(frame):
    canvas = find(frame, name="Diagram")
    return sorted(n.name for n in find_all(canvas, "push button"))


# ---- a broken file leaves the open design alone ----
app = App(good)
try:
    frame = app.frame("good.archboard")
    wait_for(lambda: len(names(frame)) == 3, "the design's 2 components and 1 connection")
    before = names(frame)
    log("opened:", before)

    focus_window(frame)
    key("ctrl+o")
    chooser = app.frame("Open Design", exact=True)
    focus_window(chooser)
    key("ctrl+l")
    type_text(bad)
    key("Return")
    dialog = app.frame("")
    message = wait_for(lambda: [n.name for n in find_all(app.node, "label") if "bad.archboard:" in n.name],
                       "the loader's error in a dialog")[0]
    log("error shown:", message)
    if "bad.archboard:3:" not in message or "version" not in message:
        fail("the error should say file and line: " + message)
    find(app.node, "label", "Could Not Open “bad.archboard”")
    dialog = app.frame("Could Not Open “bad.archboard”", exact=True)
    click(find(dialog, "push button", name="Close"), dialog)
    frame = app.frame("good.archboard")
    if names(frame) != before or "•" in frame.name:
        fail("the open design changed: %r %r" % (frame.name, names(frame)))
    log("design unchanged after the failed open")

    # ---- autosave: an edit is copied within seconds, a save removes it ----
    canvas = find(frame, name="Diagram")
    click(find(canvas, "push button", prefix="Blog API,"), frame)
    key("Delete")
    wait_for(lambda: "•" in app.frame("good.archboard").name, "the modified marker")
    files = wait_for(lambda: glob.glob(os.path.join(autosave_dir, "*.archboard")), "an autosave file", timeout=8)
    with open(files[0]) as f:
        if "Blog API" in f.read():
            fail("the autosave is not the edited design")
    log("autosaved:", files[0])
    key("ctrl+s")
    wait_for(lambda: not glob.glob(os.path.join(autosave_dir, "*.archboard")), "save to remove the autosave")
    with open(good) as f:
        if "Blog API" in f.read():
            fail("save did not write the edit")
    log("saved; autosave removed")
    focus_window(app.frame("good.archboard"))
    key("ctrl+q")
    app.wait_exit()
finally:
    out = app.stop()
    if out and out.strip():
        print("archboard output:\n" + out)

# ---- crash recovery: an autosave left behind is offered on the next start ----
os.makedirs(autosave_dir, exist_ok=True)
with open(os.path.join(autosave_dir, "crashed.archboard"), "w") as f:
    f.write(DESIGN % "Recovered API")
with open(os.path.join(autosave_dir, "crashed.info"), "w") as f:
    f.write("[autosave]\nuri=file://%s\n" % good)

# A long autosave interval: the restored design must get its copy at
# once, not at the next tick, before the old autosave goes.
with open(keyfile, "w") as f:
    f.write("[io/github/archboard/Archboard]\nautosave-interval=uint32 600\n")

app = App()
try:
    find(app.node, "label", "Restore Unsaved Designs?", what="the recovery question")
    question = app.frame("Restore Unsaved Designs?", exact=True)
    click(find(question, "push button", name="Restore"), question)
    frame = app.frame("good.archboard")
    wait_for(lambda: any(n.startswith("Recovered API,") for n in names(frame)), "the restored design")
    if "•" not in frame.name:
        fail("a restored design must count as unsaved: " + frame.name)
    wait_for(lambda: not os.path.exists(os.path.join(autosave_dir, "crashed.archboard")),
             "the old autosave to be removed")
    copies = glob.glob(os.path.join(autosave_dir, "*.archboard"))
    if len(copies) != 1:
        fail("the restored design must be autosaved before the old autosave goes: %r" % copies)
    with open(copies[0]) as f:
        if "Recovered API" not in f.read():
            fail("the new autosave is not the restored design")
    with open(copies[0][:-len(".archboard")] + ".info") as f:
        if good not in f.read():
            fail("the new autosave forgot where the design was saved")
    log("restored design autosaved at once:", copies[0])

    # ---- a read-only file is not overwritten: Save As is offered ----
    os.chmod(good, 0o444)
    with open(good) as f:
        before_save = f.read()
    focus_window(frame)
    key("ctrl+s")
    find(app.node, "label", "Could Not Save “good.archboard”", what="the read-only message")
    question = app.frame("Could Not Save “good.archboard”", exact=True)
    click(find(question, "push button", name="Save As…"), question)
    chooser = app.frame("Save Design", exact=True)
    log("read-only: Save As offered")
    focus_window(chooser)
    key("Escape")
    with open(good) as f:
        if f.read() != before_save:
            fail("a read-only file was overwritten")
    os.chmod(good, 0o644)
    log("restored:", frame.name, names(frame))
    log("PASS")
finally:
    out = app.stop()
    if out and out.strip():
        print("archboard output:\n" + out)
