#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson devenv -C BUILDDIR archboard --version` prints the version, and the
# app without a display says so in one sentence and exits 1, in a clean
# environment (no schema dir, fresh HOME).  TAP output.
#   test-devenv.sh BUILDDIR
set -u
builddir=$1
home=$(mktemp -d /tmp/archboard-devenv-XXXXXX)
trap 'rm -rf "$home"' EXIT
n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$home/out"; }
clean_env=(env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8)

"${clean_env[@]}" meson devenv -C "$builddir" archboard --version >"$home/out" 2>&1
rc=$?
version=$(meson introspect "$builddir" --projectinfo | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
if [ $rc -eq 0 ] && [ "$(cat "$home/out")" = "archboard $version" ]; then
  ok "meson devenv archboard --version prints 'archboard $version'"
else
  not_ok "meson devenv archboard --version (exit $rc)"
fi

"${clean_env[@]}" meson devenv -C "$builddir" --dump >"$home/out" 2>&1
if grep -q "^GSETTINGS_SCHEMA_DIR=\"$builddir/data" "$home/out" &&
   grep -q "^ARCHBOARD_LOCALEDIR=\"$builddir/po\"" "$home/out" &&
   [ -f "$builddir/po/de/LC_MESSAGES/archboard.mo" ]; then
  ok "the developer environment points at the build's schemas and translations"
else
  not_ok "the developer environment lacks the schema dir or the locale dir"
fi

"${clean_env[@]}" meson devenv -C "$builddir" archboard >"$home/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$home/out")" -eq 1 ] &&
   grep -q "no graphical display" "$home/out" && ! grep -q "WARNING\|CRITICAL\|ERROR" "$home/out"; then
  ok "without a display: one clear sentence and exit 1"
else
  not_ok "without a display (exit $rc)"
fi

echo "1..$n"
exit $failed
