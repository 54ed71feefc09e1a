#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Memory of loading: the peak resident size of `archboard-cli check` (and
# of `import`, for markdown problem sets and amendment files) stays under
# 20 times the file's size whatever the file holds: hostile files (nothing
# but tiny values, tiny objects, deep nests, empty lines) are refused early
# with FILE:LINE:COL, the largest real designs load.  TAP output.
#
# Files are written in pieces, so that this script stays small: a forked
# child's peak counts the memory of the parent at the time of the fork.
#
# usage: test-load-memory.py ARCHBOARD-CLI

import json
import os
import re
import subprocess
import sys
import tempfile
import traceback

CLI = sys.argv[1]
SOURCE = os.path.dirname(os.path.abspath(__file__))
PROBLEM_SET = os.path.join(SOURCE, '..', '..', 'problems', 'storage.md')
TARGET = 30 * 1000 * 1000
SMALL = 3 * 1000 * 1000
LOCATED = re.compile(r'\.(archboard|json|md):\d+(:\d+)?: ')


def peak_kib(*args):
    """Runs the CLI; returns (exit status, stderr, peak RSS in KiB)."""
    proc = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode('utf-8', 'replace')
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err, usage.ru_maxrss


def write_repeated(path, head, unit, tail, size, per=1000):
    """HEAD, then groups of PER UNITs ("[u,u,...]", comma-separated) up to SIZE bytes, then TAIL."""
    group = '[' + ','.join([unit] * per) + ']'
    count = max(1, (size - len(head) - len(tail)) // (len(group) + 1))
    with open(path, 'w') as f:
        f.write(head)
        for i in range(count):
            f.write(group if i == 0 else ',' + group)
        f.write(tail)


def members(n, value, pad=''):
    return '{' + ','.join('"%s":%s%s' % (chr(97 + i), value, pad) for i in range(n)) + '}'


# Tiny values, then the same padded so that they pass "one value per 6
# bytes" and only the memory estimate stops them.
UNITS = {
    'numbers': '0', 'strings': '""', 'objects': '{}', 'arrays': '[]', 'nulls': 'null',
    'members': members(26, '0'), 'object members': members(26, '{}'),
    'array members': members(26, '[]'),
    'deep arrays': '[' * 12 + '0' + ']' * 12, 'deep objects': '{"a":' * 12 + '{}' + '}' * 12,
    'objects in objects': '{"a":{}}', 'padded numbers': '0' + ' ' * 6,
    'padded strings': '"abcde"' + ' ' * 6, 'padded objects': '{}' + ' ' * 12,
    'padded arrays': '[]' + ' ' * 5, 'padded object members': members(26, '{}', ' ' * 12),
}
DESIGN = '{"format": "archboard-design", "version": 1, '
# Where the values go: an unknown member (an array, or inside an object),
# inside one component, or as the components themselves.
LAYOUTS = {
    'root array': (DESIGN + '"x": [', ']}'),
    'root object': (DESIGN + '"x": {"k": [', ']}}'),
    'one component': (DESIGN + '"components": [{"id": "c1", "x": [', ']}]}'),
    'components': (DESIGN + '"components": [', ']}'),
}


def check_hostile(path, *args, what=''):
    size = os.path.getsize(path)
    status, err, kib = peak_kib(*args, path)
    print('# %s: %d bytes, peak %d KiB (%.1f x): %s' % (what, size, kib, kib * 1024 / size, err.strip()[-100:]))
    assert status == 2, (status, err)
    assert LOCATED.search(err), 'no location in ' + err
    assert kib * 1024 < 20 * size, 'peak %d KiB for a %d-byte file' % (kib, size)


def test_hostile_designs():
    """Every shape in every place, 3 MB (a small file: the startup's
    memory counts most)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'hostile.archboard')
        for layout, (head, tail) in LAYOUTS.items():
            for name, unit in UNITS.items():
                write_repeated(path, head, unit, tail, SMALL)
                check_hostile(path, 'check', what='%s, %s' % (layout, name))


def test_hostile_30mb():
    """Files of about 30 MB (under the 32 MiB limit) of tiny values."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'hostile.archboard')
        for name in ('numbers', 'members', 'padded objects', 'deep objects'):
            write_repeated(path, LAYOUTS['root object'][0], UNITS[name], LAYOUTS['root object'][1], TARGET)
            check_hostile(path, 'check', what='30 MB, ' + name)


def test_long_members():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'hostile.archboard')
        write_repeated(path, LAYOUTS['root array'][0], '{' + ','.join('"k%d":0' % i for i in range(5000)) + '}',
                       LAYOUTS['root array'][1], TARGET, per=1)
        check_hostile(path, 'check', what='long members')


def test_hostile_amendments():
    """`import --amendments FILE.json` reads JSON with the default limits."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'amendments.json')
        out = os.path.join(tmp, 'out')
        for name in ('numbers', 'objects', 'padded objects', 'padded strings', 'deep objects'):
            write_repeated(path, '{"x": [', UNITS[name], ']}', SMALL)
            check_hostile(path, 'import', PROBLEM_SET, '-o', out, '-a', what='amendments, ' + name)
        assert not os.path.exists(out)


def test_hostile_markdown():
    """`import FILE.md`: a line costs a few bytes, not a copy of its own."""
    with open(PROBLEM_SET) as f:
        text = f.read()
    first = text[text.index('## 1.'):text.index('## 2.')]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'set.md')
        out = os.path.join(tmp, 'out')
        for name, head, unit in (('empty lines', '# S\n\n', '\n'),
                                 ('list items in a problem', '# S\n\n' + first, '- a\n'),
                                 ('hints', '# S\n\n' + first, '1. x\n'),
                                 ('titles', '# S\n\n', '## 1. a\n')):
            with open(path, 'w') as f:
                f.write(head)
                f.write(unit * (SMALL // len(unit)))
            check_hostile(path, 'import', '-o', out, what='markdown, ' + name)
        assert not os.path.exists(out)


def test_largest_design_loads():
    """10,000 components and 50,000 connections, as Archboard writes them
    and minified: under 20 times their own size."""
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
        for name, options in (('pretty', {'indent': 2}), ('minified', {'separators': (',', ':')})):
            path = os.path.join(tmp, name + '.archboard')
            with open(path, 'w') as f:
                for chunk in json.JSONEncoder(**options).iterencode(doc):
                    f.write(chunk)
            size = os.path.getsize(path)
            status, err, kib = peak_kib('check', path)
            print('# largest design, %s: %d bytes, peak %d KiB (%.1f x)' % (name, size, kib, kib * 1024 / size))
            assert status == 2 and 'names no problem' in err, (status, err)
            assert kib * 1024 < 20 * size, 'peak %d KiB' % kib
    del components, connections, doc


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
