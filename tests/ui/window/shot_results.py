#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes the README / metainfo screenshot of the live simulation: a
# problem's reference solution opened as a new document, the simulation
# finished, the pointer over the latency chart.
#   xvfb-run -s "-screen 0 1440x900x24" env GSETTINGS_SCHEMA_DIR=BUILD/data \
#     ARCHBOARD_SHOT=data/screenshots/results.png \
#     tests/ui/window/run-ui-test.sh BUILD/src/app/archboard tests/ui/window/shot_results.py
import os
import subprocess
import time

from abui import App, center, find, wait_for, xdo

out = os.path.abspath(os.environ.get("ARCHBOARD_SHOT", "results.png"))
app = App("--problem", "ecommerce-order-db")
try:
    frame = app.frame("E-commerce Order Database")
    find(frame, "push button", prefix="Reveal").doActionNamed("click")
    find(frame, "push button", prefix="Open as New").doActionNamed("click")
    reference = app.frame("Reference Solution")
    wait_for(lambda: reference.findChild(lambda n: n.roleName == "label" and
                                         n.name.startswith("Discrete-event simulation"),
                                         retry=False, requireResult=False, showingOnly=False),
             "the simulation", timeout=120)
    chart = find(reference, name="Latency")
    x, y = center(chart, reference)
    xdo("mousemove", x + 40, y)
    time.sleep(1)
    subprocess.run(["import", "-window", "root", "-crop", "1360x840+0+0", out], check=True)
    print("wrote", out)
finally:
    app.stop()
