#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes the README / metainfo screenshot: a problem's reference solution
# opened as a new document, one component selected so the inspector shows.
#   xvfb-run -s "-screen 0 1440x900x24" env GSETTINGS_SCHEMA_DIR=BUILD/data \
#     ARCHBOARD_SHOT=data/screenshots/main-window.png \
#     tests/ui/window/run-ui-test.sh BUILD/src/app/archboard tests/ui/window/shot_main_window.py
import os
import subprocess
import time

from abui import App, click, find, find_all, xdo

out = os.path.abspath(os.environ.get("ARCHBOARD_SHOT", "main-window.png"))
app = App("--problem", "ecommerce-order-db")
try:
    frame = app.frame("E-commerce Order Database")
    find(frame, "push button", prefix="Reveal").doActionNamed("click")
    find(frame, "push button", prefix="Open as New").doActionNamed("click")
    reference = app.frame("Reference Solution")
    time.sleep(1)
    canvas = find(reference, name="Diagram")
    click(find(canvas, "push button", prefix="Order Service,"), reference)
    xdo("mousemove", 5, 890)
    time.sleep(1)
    subprocess.run(["import", "-window", "root", "-crop", "1360x840+0+0", out], check=True)
    print("wrote", out)
finally:
    app.stop()
