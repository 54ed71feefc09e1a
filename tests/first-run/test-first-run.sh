#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's run command as a new user runs it: `build-aux/dev run` with a
# fresh build folder, a fresh HOME, no installed or pointed-to schema and
# none of the test environment, in a desktop session (session bus).  Passes
# when the editor window for the default problem is shown and the app is
# still running a few seconds later.  Skipped (77) without a display.
#   test-first-run.sh SRCDIR
set -u
src=$1
if [ -z "${DISPLAY:-}" ]; then echo "no display: skipping"; exit 77; fi
for tool in xdotool dbus-run-session; do
  command -v $tool >/dev/null || { echo "missing $tool: skipping"; exit 77; }
done
tmp=$(mktemp -d /tmp/archboard-first-run-XXXXXX)
pid=""
cleanup () {
  # setsid made the command the leader of its own process group.
  if [ -n "$pid" ]; then
    kill -TERM -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir "$tmp/home"
title=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["title"])' \
        "$src/problems/storage/basic-database-design.json")

# Only what a desktop session gives every user; BUILDDIR keeps the suite's
# own build folder out of it.
# A display that needs a cookie (xvfb-run, most X sessions) gets its
# XAUTHORITY, as a session would.
session=(HOME="$tmp/home" DISPLAY="$DISPLAY" LANG=C.UTF-8 BUILDDIR="$tmp/build")
if [ -n "${XAUTHORITY:-}" ]; then session+=(XAUTHORITY="$XAUTHORITY"); fi
cd "$src"
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    "${session[@]}" \
    setsid dbus-run-session -- build-aux/dev run >"$tmp/log" 2>&1 &
pid=$!

found=""
for _ in $(seq 1600); do
  if ! kill -0 "$pid" 2>/dev/null; then
    break
  fi
  if xdotool search --onlyvisible --name "$title" >/dev/null 2>&1; then
    found=yes
    break
  fi
  sleep 0.5
done
if [ -z "$found" ]; then
  echo "FAIL: no window titled like '$title'; the command printed:"
  tail -n 40 "$tmp/log"
  exit 1
fi
sleep 3
if ! kill -0 "$pid" 2>/dev/null; then
  echo "FAIL: the app exited after showing its window; it printed:"
  tail -n 40 "$tmp/log"
  exit 1
fi
if grep -E "CRITICAL|GLib-GIO-ERROR|Gtk-WARNING" "$tmp/log"; then
  echo "FAIL: the app printed warnings"
  exit 1
fi
echo "PASS: the editor window '$(xdotool search --onlyvisible --name "$title" getwindowname | head -n 1)' is shown"
