# SPDX-License-Identifier: GPL-3.0-or-later
# Presentation mode on a 1920x1080 display: F5 opens it fullscreen on the
# learner's design, the arrow keys step through every tier (the caption
# names it, components arrive), card labels are at least 24 px high,
# Escape leaves; Shift+F5 presents the reference solution.
import json
import os
import re
import subprocess
import time

import pyatspi

from abui import App, fail, find, focus_window, key, log, wait_for, xdo

home = os.environ["ARCHBOARD_TEST_HOME"]
cli = os.environ["ARCHBOARD_CLI"]
problem = "distributed-database"
design_path = os.path.join(home, "present.archboard")
subprocess.run([cli, "reference", problem, "-o", design_path], check=True)
with open(design_path) as f:
    n_reference = len(json.load(f)["components"])
tiers = [t["name"] for t in json.load(open(os.path.join(os.environ["ARCHBOARD_SRCDIR"], "problems", "storage",
                                                         problem + ".json")))["tiers"]]


def presentation(app):
    return app.frame("Presentation", exact=True)


def diagram(frame):
    return find(frame, "image", what="the presented diagram")


def shown(node):
    m = re.match(r"(\d+) components? shown, labels (\d+) pixels high", node.description or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def traffic(node):
    m = re.search(r"traffic on (\d+) connections?", node.description or "")
    return int(m.group(1)) if m else None


app = App(design_path)
frame = app.frame("present.archboard")
focus_window(frame)
# the pointer rests over the window (no spotlight until it moves, below)
xdo("mousemove", 700, 300)
time.sleep(0.5)
key("F5")
pres = presentation(app)
area = diagram(pres)
counts = []
for i, name in enumerate(tiers):
    caption = "%s (%d of %d)" % (name, i + 1, len(tiers))
    wait_for(lambda: area.name.startswith(caption), "the caption %r (have %r)" % (caption, area.name))
    # the tier's rules as the checks panel words them, not the file's
    # "Minimum 3 of type: db_primary"
    if "of type:" in area.name or not re.search(r"At least \d+ \S.* instances in total", area.name):
        fail("the caption words the rules as the problem file does: %r" % area.name)
    count, label_px = wait_for(lambda: shown(area), "the diagram's description")
    log("tier", caption, "->", count, "components, labels", label_px, "px")
    if label_px < 24:
        fail("card labels are %d px high at %s (want >= 24 on 1920x1080)" % (label_px, caption))
    counts.append(count)
    if i + 1 < len(tiers):
        key("Right")
if counts != sorted(counts) or counts[-1] != n_reference:
    fail("components should arrive tier by tier up to all %d: %r" % (n_reference, counts))
if counts[0] >= counts[-1]:
    fail("the first tier shows everything already: %r" % counts)
# past the last tier nothing changes; Left goes back
key("Right")
time.sleep(0.3)
if not area.name.startswith("%s (%d of %d)" % (tiers[-1], len(tiers), len(tiers))):
    fail("stepped past the last tier: %r" % area.name)
key("Left")
wait_for(lambda: area.name.startswith("%s (%d of" % (tiers[-2], len(tiers) - 1)), "the previous tier")
key("End")
time.sleep(1)
# no spotlight until the pointer moves: the window opening under the
# resting pointer lit one (everything else dimmed) on the first slides
# and in the README's screenshot
corner = subprocess.run(["import", "-window", "root", "-crop", "1x1+8+8", "-depth", "8", "txt:-"],
                        capture_output=True, text=True, check=True).stdout
m = re.search(r"\((\d+),(\d+),(\d+)", corner)
if m is None or min(int(v) for v in m.groups()) < 200:
    fail("the presentation is dimmed by a spotlight nobody moved the pointer for: %r" % corner.strip())
shot = os.environ.get("ARCHBOARD_SHOT")
if shot:
    subprocess.run(["import", "-window", "root", shot], check=False)
    log("screenshot:", shot)
# the key hint under the caption reads from the back of a room: at least
# 16 px high (12 pt) and its text at least 4.5:1 against the caption (it
# was a dimmed 9 pt line at about 3:1)
hint = find(pres, "label", prefix="← → step through the tiers")
hx, hy, hw, hh = hint.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
if hh < 16:
    fail("the presentation's key hint is %d px high" % hh)


def luminance(r, g, b):
    def channel(c):
        c /= 65535.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


pixels = subprocess.run(["import", "-window", "root", "-crop", "%dx%d+%d+%d" % (hw, hh, hx, hy),
                         "-depth", "16", "txt:-"], capture_output=True, text=True, check=True).stdout
values = sorted(luminance(*map(int, m.groups()))
                for m in re.finditer(r"\((\d+),(\d+),(\d+)", pixels))
if len(values) < hw * hh // 2:
    fail("could not read the key hint's pixels (%d)" % len(values))
background, text = values[len(values) // 2], values[-1]
contrast = (max(background, text) + 0.05) / (min(background, text) + 0.05)
log("key hint: %d px high, contrast %.1f:1" % (hh, contrast))
if contrast < 4.5:
    fail("the presentation's key hint has a contrast of %.1f:1 against the caption" % contrast)
# ...and moving the pointer lights the spotlight (the rest dims)
xdo("mousemove", 800, 400)
time.sleep(0.2)
xdo("mousemove", 830, 420)
time.sleep(0.5)
corner = subprocess.run(["import", "-window", "root", "-crop", "1x1+8+8", "-depth", "8", "txt:-"],
                        capture_output=True, text=True, check=True).stdout
m = re.search(r"\((\d+),(\d+),(\d+)", corner)
if m is None or min(int(v) for v in m.groups()) >= 200:
    fail("moving the pointer lit no spotlight: %r" % corner.strip())
# traffic dots flow on the connections at the last tier; failure scenario:
# F loses the first component that is not a client (the load balancer),
# named in the caption, and the traffic stops behind it
busy = wait_for(lambda: traffic(area), "the traffic count")
if busy < 5:
    fail("traffic on only %d connections" % busy)
key("f")
wait_for(lambda: "failure: Global LB is down" in area.name, "the failure caption (have %r)" % area.name)
wait_for(lambda: traffic(area) == 1, "traffic only up to the lost balancer (have %r)" % area.description)
log("traffic:", busy, "connections, 1 with the balancer down")
key("Escape")
wait_for(lambda: all(f.name != "Presentation" for f in app.frames()), "the presentation to close")

# the reference of the design's problem
frame = app.frame("present.archboard")
focus_window(frame)
key("shift+F5")
pres = presentation(app)
area = diagram(pres)
key("End")
wait_for(lambda: (shown(area) or (0, 0))[0] == n_reference, "the whole reference")
key("Escape")
wait_for(lambda: all(f.name != "Presentation" for f in app.frames()), "the presentation to close")
log("presentation: ok")
app.stop()
