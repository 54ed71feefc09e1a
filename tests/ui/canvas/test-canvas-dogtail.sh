#!/usr/bin/env bash
# Runs test-canvas-dogtail.py (dogtail + xdotool) against canvas-demo in a
# private session bus with the accessibility bus.  Needs a display
# (exit 77 = skipped without one); CI runs the 'ui' suite under Xvfb.
#   test-canvas-dogtail.sh CANVAS-DEMO TEST.py
set -u
demo=$1 script=$2
if [ -z "${DISPLAY:-}" ]; then echo "no display: skipping"; exit 77; fi
for tool in xdotool dbus-run-session; do
  command -v $tool >/dev/null || { echo "missing $tool: skipping"; exit 77; }
done
[ -x /usr/libexec/at-spi-bus-launcher ] || { echo "missing at-spi-bus-launcher: skipping"; exit 77; }
/usr/bin/python3 -c 'import dogtail' 2>/dev/null || { echo "missing dogtail: skipping"; exit 77; }

unset NO_AT_BRIDGE
export GTK_A11Y=atspi GDK_BACKEND=x11 GSK_RENDERER=${GSK_RENDERER:-cairo}
exec dbus-run-session -- bash -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
  launcher=$!
  /usr/bin/python3 "$0" "$1"
  rc=$?
  kill $launcher 2>/dev/null
  exit $rc' "$script" "$demo"
