#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test built with -Db_sanitize=thread and judges ThreadSanitizer's
# reports.  GLib is not instrumented (see tsan.supp): a data race report is
# taken as GLib-internal when GLib's own code made one of the two
# conflicting accesses — the first frame after the C library interceptor
# (free, malloc, memcpy, strlen) is a GLib function other than a plain
# allocation wrapper (g_malloc, g_free, g_strdup, ...), e.g. g_queue_pop_tail
# freeing a GThreadPool queue link — or when neither access has a frame of
# our code (src/, tests/).  Every other report — an access of our code
# against another of our code, directly or through an allocation wrapper —
# fails, as does any ThreadSanitizer error other than a data race or a
# failing test.
#   tsan-check.py SUPPRESSIONS TEST [ARGS...]
import collections
import os
import re
import subprocess
import sys

supp, test = sys.argv[1], sys.argv[2:]
env = dict(os.environ)
env["TSAN_OPTIONS"] = "halt_on_error=0 exitcode=0 history_size=7 suppressions=%s" % supp
# one allocator ThreadSanitizer sees: GSlice's per-thread magazines would
# hide where memory comes from
env["G_SLICE"] = "always-malloc"
proc = subprocess.run(test, env=env, capture_output=True, text=True)
out = proc.stdout + proc.stderr
reports = out.split("==================\nWARNING: ThreadSanitizer: ")[1:]
ours = re.compile(r"\s\.\./(src|tests)/")
wrappers = {"g_malloc", "g_malloc0", "g_malloc_n", "g_malloc0_n", "g_realloc", "g_realloc_n", "g_free",
            "g_strdup", "g_strndup", "g_memdup2", "g_slice_alloc", "g_slice_alloc0", "g_slice_free1",
            "g_try_malloc", "g_try_malloc0", "g_try_realloc"}


def first_frame(block):
    # the first frame that is not the sanitizer's own: (function, module)
    for line in block.splitlines():
        m = re.match(r"\s*#\d+ (\S+) (\S+) \((\S+?)\+", line)
        if m and "libtsan" not in m.group(3):
            return m.group(1), m.group(3)
    return None, None


def glib_made(block):
    # the first frame that is not the sanitizer's own
    for line in block.splitlines():
        m = re.match(r"\s*#\d+ (\S+) (\S+) \((\S+?)\+", line)
        if not m or "libtsan" in m.group(3):
            continue
        return re.match(r"lib(glib|gobject|gio)-2\.0", m.group(3)) is not None and m.group(1) not in wrappers
    return False


glib_internal = 0
kinds = collections.Counter()
bad = []
for rep in reports:
    rep = rep.split("==================")[0]
    kind = rep.split(" (pid")[0]
    # the two conflicting accesses: the blocks before "Location", "Mutex",
    # "As if synchronized" and "Thread ... created"
    blocks = re.split(r"\n\n", rep.split("\n", 1)[1])
    accesses = [b for b in blocks if re.match(r"\s*(Write|Read|Atomic|Previous)", b)]
    if kind != "data race" or (not any(glib_made(b) for b in accesses)
                                and any(ours.search(b) for b in accesses)):
        bad.append(rep)
    else:
        glib_internal += 1
        kinds["  ".join("%s (%s)" % first_frame(b) for b in accesses)] += 1
print(out if bad or proc.returncode != 0 else out[-4000:])
print("tsan-check: %d GLib-internal report(s), %d with our code" % (glib_internal, len(bad)))
for kind, n in kinds.most_common():
    print("  %3d  %s" % (n, kind))
for rep in bad:
    print("---- report with our code ----\n" + rep)
sys.exit(1 if bad or proc.returncode != 0 else 0)
