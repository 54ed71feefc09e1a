# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for the window UI tests: start the real app in the private
# session the wrapper made, find widgets in the accessibility tree
# (dogtail / pyatspi), and drive them with real X input (xdotool).
import os
import re
import subprocess
import sys
import time

from dogtail.config import config
config.checkForA11y = False
config.logDebugToFile = False
config.logDebugToStdOut = False
config.searchCutoffCount = 10
config.defaultDelay = 0.1
from dogtail import tree  # noqa: E402
import pyatspi  # noqa: E402

APP = os.environ["ARCHBOARD_APP"]


def fail(msg):
    print("FAIL:", msg, flush=True)
    shot = os.environ.get("ARCHBOARD_FAIL_SHOT")
    if shot:
        subprocess.run(["import", "-window", "root", shot], check=False)
    sys.exit(1)


_start = time.time()


def log(*args):
    print("[%5.1fs]" % (time.time() - _start), *args, flush=True)


def wait_for(predicate, what, timeout=15):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # the tree may be half built
            last = e
        time.sleep(0.2)
    fail("timed out waiting for %s%s" % (what, " (%s)" % last if last else ""))


def xdo(*args):
    return subprocess.run(["xdotool", *map(str, args)], check=True,
                          capture_output=True, text=True).stdout


class App:
    """One running archboard process and its accessibility tree."""

    def __init__(self, *args):
        wrapper = os.environ.get("ARCHBOARD_WRAPPER", "").split()
        self.proc = subprocess.Popen([*wrapper, APP, *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.node = wait_for(lambda: tree.root.application("archboard"), "archboard in the a11y tree")

    def frames(self):
        return list(self.node.children)

    def frame(self, name_part=None, exact=False):
        def find():
            for f in self.frames():
                if name_part is None or (f.name == name_part if exact else name_part in f.name):
                    return f
            return None
        return wait_for(find, "a window named like %r" % name_part)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return out

    def wait_exit(self, timeout=10):
        """Waits for the app to quit by itself; it must exit cleanly (the
        tests run it with G_DEBUG=fatal-criticals)."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            fail("archboard did not exit")
        if rc != 0:
            out, _ = self.proc.communicate()
            fail("archboard exited with %d:\n%s" % (rc, out))
        return rc


def find(root, role=None, name=None, prefix=None, contains=None, timeout=10, what=None):
    def pred(n):
        if role is not None and n.roleName != role:
            return False
        if name is not None and n.name != name:
            return False
        if prefix is not None and not n.name.startswith(prefix):
            return False
        if contains is not None and contains not in n.name:
            return False
        return True
    return wait_for(lambda: root.findChild(pred, retry=False, requireResult=False, showingOnly=False),
                    what or "%s %r" % (role or "node", name or prefix or contains), timeout=timeout)


def find_all(root, role=None, prefix=None):
    return root.findChildren(lambda n: (role is None or n.roleName == role) and
                             (prefix is None or n.name.startswith(prefix)),
                             showingOnly=False)


_windows = {}


def window_origin(frame):
    """Screen position of a toplevel's (0, 0) in WINDOW coordinates."""
    # Searching X windows is slow: remember each window once found.
    name = frame.name
    wid = _windows.get(name)
    if wid is not None:
        # a window of the same name may have gone since (a second prompt)
        try:
            geometry = xdo("getwindowgeometry", "--shell", wid)
        except subprocess.CalledProcessError:
            wid = None
    if wid is None:
        wid = wait_for(lambda: xdo("search", "--limit", 1, "--onlyvisible", "--name",
                                   "^" + re.escape(name) + "$").split()[0],
                       "the X window %r" % name)
        _windows[name] = wid
        geometry = xdo("getwindowgeometry", "--shell", wid)
    g = dict(line.split("=") for line in geometry.split())
    fx, fy = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[:2]
    return int(g["X"]) - fx, int(g["Y"]) - fy, wid


def center(node, frame):
    ox, oy, _ = window_origin(frame)
    x, y, w, h = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    if w <= 0 or h <= 0:
        fail("%r has no extents" % node.name)
    return ox + x + w // 2, oy + y + h // 2


def click(node, frame, button=1):
    x, y = center(node, frame)
    # No --sync: it waits for motion, which never comes when the pointer
    # is already there.
    xdo("mousemove", x, y)
    time.sleep(0.15)
    xdo("click", button)
    time.sleep(0.2)


def focus_window(frame):
    _, _, wid = window_origin(frame)
    xdo("windowfocus", "--sync", wid)


def key(*keys):
    for k in keys:
        xdo("key", "--clearmodifiers", k)
        time.sleep(0.15)


def type_text(text):
    xdo("type", "--delay", 20, text)
    time.sleep(0.2)


def drag(x0, y0, x1, y1, steps=20):
    xdo("mousemove", x0, y0)
    time.sleep(0.15)
    xdo("mousedown", 1)
    for i in range(1, steps + 1):
        xdo("mousemove", "--sync", x0 + (x1 - x0) * i // steps, y0 + (y1 - y0) * i // steps)
        time.sleep(0.03)
    time.sleep(0.2)
    xdo("mouseup", 1)
    time.sleep(0.3)
