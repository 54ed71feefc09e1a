#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one window UI test (a Python script using dogtail + xdotool) against
# the real archboard binary: private session bus with the accessibility
# bus, memory GSettings with the build's schemas, and a throw-away HOME
# and XDG folders.  Exit 77 (skipped) only when there is no display or a
# tool is missing.
#   run-ui-test.sh ARCHBOARD TEST.py
set -u
app=$1 script=$2
if [ -z "${DISPLAY:-}" ]; then echo "no display: skipping"; exit 77; fi
for tool in xdotool dbus-run-session; do
  command -v $tool >/dev/null || { echo "missing $tool: skipping"; exit 77; }
done
[ -x /usr/libexec/at-spi-bus-launcher ] || { echo "missing at-spi-bus-launcher: skipping"; exit 77; }
/usr/bin/python3 -c 'import dogtail, pyatspi' 2>/dev/null || { echo "missing dogtail: skipping"; exit 77; }

home=$(mktemp -d /tmp/archboard-ui-XXXXXX)
trap 'rm -rf "$home"' EXIT
trap 'exit 143' TERM INT
unset NO_AT_BRIDGE
export HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config \
       XDG_CACHE_HOME=$home/cache XDG_RUNTIME_DIR=$home/runtime \
       ARCHBOARD_APP=$app ARCHBOARD_TEST_HOME=$home \
       GSETTINGS_BACKEND=memory GTK_A11Y=atspi GDK_BACKEND=x11 \
       GSK_RENDERER=${GSK_RENDERER:-cairo} LANGUAGE=C LC_ALL=C.UTF-8 \
       PYTHONPATH=$(dirname "$script")${PYTHONPATH:+:$PYTHONPATH}
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
[ -n "${GSETTINGS_SCHEMA_DIR:-}" ] || { echo "GSETTINGS_SCHEMA_DIR is not set"; exit 1; }
# not exec: the EXIT trap removes the throw-away HOME afterwards
dbus-run-session -- bash -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
  launcher=$!
  /usr/bin/python3 "$0"
  rc=$?
  kill $launcher 2>/dev/null
  exit $rc' "$script"
