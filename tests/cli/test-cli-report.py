#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# archboard-cli report: a reference solution gives a PDF of two or more
# pages (the report, then the charts) with the problem's title, the same
# bytes for the same seed; bad input exits 2 with a message and writes
# nothing.  TAP output.
#
# usage: test-cli-report.py ARCHBOARD-CLI

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

CLI = sys.argv[1]
tests = []


def test(fn):
    tests.append(fn)
    return fn


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, timeout=300)


def pdf_text(data):
    """Every stream of the PDF, inflated where possible."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


tmp = tempfile.mkdtemp(prefix="ab-report-")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)
ref = os.path.join(tmp, "ref.archboard")
subprocess.run([CLI, "reference", "basic-database-design", "-o", ref], check=True)


@test
def report_of_a_reference():
    out = os.path.join(tmp, "a.pdf")
    p = run("report", ref, "-o", out, "--seed", "5", "--requests", "100000")
    assert p.returncode == 0, p.stderr
    data = open(out, "rb").read()
    assert data.startswith(b"%PDF-"), data[:10]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 2, "%d pages" % pages
    # the title is in the metadata
    assert b"Basic RDBMS Design" in data or b"Basic RDBMS Design".hex().upper().encode() in data.upper()
    # same seed, same report
    out2 = os.path.join(tmp, "b.pdf")
    assert run("report", ref, "-o", out2, "--seed", "5", "--requests", "100000").returncode == 0
    strip = lambda d: re.sub(rb"/CreationDate \([^)]*\)", b"", d)
    assert strip(open(out2, "rb").read()) == strip(data), "the report changed between two runs"


@test
def every_scenario():
    for s in ("normal", "peak", "failure", "timeline"):
        out = os.path.join(tmp, s + ".pdf")
        p = run("report", ref, "-o", out, "--scenario", s, "--requests", "50000")
        assert p.returncode == 0, (s, p.stderr)
        assert open(out, "rb").read().startswith(b"%PDF-")


@test
def bad_input():
    out = os.path.join(tmp, "bad.pdf")
    cases = [
        (["report", ref], b"missing -o"),
        (["report", ref, "-o", out, "--scenario", "sometimes"], b"unknown scenario"),
        (["report", os.path.join(tmp, "missing.archboard"), "-o", out], b"missing.archboard"),
        (["report", ref, "-o", out, "--fail", "nope"], b"nope"),
        (["report", ref, "-o", out, "--seed", "-5"], b"--seed"),
    ]
    for args, message in cases:
        p = run(*args)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert message in p.stderr, (args, p.stderr)
        assert not os.path.exists(out), args


print("1..%d" % len(tests))
failed = 0
for i, fn in enumerate(tests, 1):
    try:
        fn()
        print("ok %d %s" % (i, fn.__name__))
    except Exception as e:  # noqa: BLE001
        failed += 1
        print("not ok %d %s: %r" % (i, fn.__name__, e))
sys.exit(1 if failed else 0)
