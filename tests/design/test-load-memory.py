#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Memory of loading: the peak resident size of `archboard-cli check` on a
# file of about 30 MB (under the 32 MiB limit) stays under 20 times the
# file's size, whatever the file holds: hostile files (nothing but tiny
# values) are refused early, the largest real designs load.  TAP output.
#
# usage: test-load-memory.py ARCHBOARD-CLI

import json
import os
import subprocess
import sys
import tempfile
import traceback

CLI = sys.argv[1]
TARGET = 30 * 1000 * 1000


def peak_kib(*args):
    """Runs the CLI; returns (exit status, stderr, peak RSS in KiB)."""
    proc = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode('utf-8', 'replace')
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err, usage.ru_maxrss


def filler(path, unit):
    """A design whose unknown member "x" is an array repeating UNIT up to ~30 MB."""
    head = '{"format": "archboard-design", "version": 1, "x": ['
    count = (TARGET - len(head)) // (len(unit) + 1)
    with open(path, 'w') as f:
        f.write(head)
        f.write(','.join([unit] * count))
        f.write(']}')


def check_hostile(unit, tmp):
    path = os.path.join(tmp, 'hostile.archboard')
    filler(path, unit)
    size = os.path.getsize(path)
    status, err, kib = peak_kib('check', path)
    print('# %s...: %d bytes, peak %d KiB (%.1f x), %s' % (unit[:20], size, kib, kib * 1024 / size, err.strip()[:120]))
    assert status == 2, (status, err)
    assert 'values' in err or 'more than' in err, err
    assert kib * 1024 < 20 * size, 'peak %d KiB for a %d-byte file' % (kib, size)


def test_tiny_numbers():
    with tempfile.TemporaryDirectory() as tmp:
        check_hostile('[' + ','.join(['0'] * 1000) + ']', tmp)


def test_short_members():
    with tempfile.TemporaryDirectory() as tmp:
        check_hostile('{' + ','.join('"%s":0' % chr(97 + i) for i in range(26)) + '}', tmp)


def test_long_members():
    with tempfile.TemporaryDirectory() as tmp:
        check_hostile('{' + ','.join('"k%d":0' % i for i in range(5000)) + '}', tmp)


def test_largest_design_loads():
    """10,000 components and 50,000 connections, as Archboard writes them."""
    components = []
    for i in range(10000):
        kind = 'app' if i < 5000 else 'cache'
        components.append({'id': 'c%d' % i, 'kind': kind, 'label': '%s %d' % (kind, i),
                           'x': (i % 100) * 200, 'y': (i // 100) * 150, 'instances': 2,
                           'params': {'service_ms': 5}})
    connections = []
    for i in range(50000):
        app, cache = i % 5000, 5000 + (i // 5000 + i) % 5000
        connections.append({'id': 'e%d' % i, 'from': 'c%d' % app, 'to': 'c%d' % cache, 'mode': 'sync'})
    # No problem: check stops after loading ("names no problem").
    doc = {'format': 'archboard-design', 'version': 1,
           'components': components, 'connections': connections}
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (('pretty', json.dumps(doc, indent=2)), ('minified', json.dumps(doc, separators=(',', ':')))):
            path = os.path.join(tmp, name + '.archboard')
            with open(path, 'w') as f:
                f.write(text)
            size = os.path.getsize(path)
            status, err, kib = peak_kib('check', path)
            print('# largest design, %s: %d bytes, peak %d KiB (%.1f x)' % (name, size, kib, kib * 1024 / size))
            assert status == 2 and 'names no problem' in err, (status, err)
            assert kib * 1024 < 20 * max(size, 10 * 1000 * 1000), 'peak %d KiB' % kib


TESTS = [v for k, v in sorted(globals().items()) if k.startswith('test_')]


def main():
    print('1..%d' % len(TESTS))
    failed = 0
    for i, test in enumerate(TESTS, 1):
        try:
            test()
            print('ok %d %s' % (i, test.__name__))
        except Exception:
            failed += 1
            print('not ok %d %s' % (i, test.__name__))
            for line in traceback.format_exc().splitlines():
                print('# ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
