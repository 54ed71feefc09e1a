#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs test-canvas-dogtail.py (dogtail + xdotool) against canvas-demo in a
# private session bus with the accessibility bus.  Real pointer input must
# not land on other tests' windows, so it starts its own Xvfb display when
# Xvfb is installed; otherwise it uses $DISPLAY, and without one it is
# skipped (exit 77).  CI runs the 'ui' suite with a display.
#   test-canvas-dogtail.sh CANVAS-DEMO TEST.py
set -u
demo=$1 script=$2
for tool in xdotool dbus-run-session; do
  command -v $tool >/dev/null || { echo "missing $tool: skipping"; exit 77; }
done
[ -x /usr/libexec/at-spi-bus-launcher ] || { echo "missing at-spi-bus-launcher: skipping"; exit 77; }
/usr/bin/python3 -c 'import dogtail' 2>/dev/null || { echo "missing dogtail: skipping"; exit 77; }

xvfb_pid=""
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; }
trap cleanup EXIT
if command -v Xvfb >/dev/null; then
  disp=""
  for n in $(seq 150 250); do
    [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ] || { disp=":$n"; break; }
  done
  if [ -n "$disp" ]; then
    Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 100); do
      DISPLAY=$disp xdotool getdisplaygeometry >/dev/null 2>&1 && break
      sleep 0.1
    done
    export DISPLAY=$disp
  fi
fi
if [ -z "${DISPLAY:-}" ]; then echo "no display: skipping"; exit 77; fi

unset NO_AT_BRIDGE
export GTK_A11Y=atspi GDK_BACKEND=x11 GSK_RENDERER=${GSK_RENDERER:-cairo}
dbus-run-session -- bash -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
  launcher=$!
  /usr/bin/python3 "$0" "$1"
  rc=$?
  kill $launcher 2>/dev/null
  exit $rc' "$script" "$demo"
