#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# How simulation and export grow with the size of a design: run time of
# archboard-cli for designs of 1,000 and 5,000 components (and 10,000),
# (CPU time) and the growth exponent k = ln(t5000 / t1000) / ln 5 (1 = linear; the
# target is k <= 1.15) for
# - the analytical model (simulate --method analytical --scenario normal),
# - the discrete-event simulation (simulate --method des --scenario normal,
#   a fixed budget of station visits),
# - SVG export,
# on two shapes: "deep", a tree of app servers four wide under a load
# balancer (each request follows one path: shares of 1/4), and "wide", one
# app server calling all the others (a hub in front of many shards).
# Each run at 1,000 and 5,000 components is repeated (BENCH_REPEAT, default
# 3) and the least CPU time kept, which steadies k on a shared machine.
# Prints the figures: every run, the exponents, and the 10,000-component
# times; exits non-zero only if a run fails unexpectedly.  A benchmark
# (meson test --benchmark bench-scale), never a timed test: the target is
# reported, not enforced.
#
# usage: bench-scale.py ARCHBOARD-CLI

import json
import math
import os
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
SIZES = (1000, 5000, 10000)
TARGET_K = 1.15
REPEAT = max(1, int(os.environ.get('BENCH_REPEAT', '3')))


def design(n, shape):
    components = [{'id': 'client', 'kind': 'client', 'x': 0, 'y': 0},
                  {'id': 'lb', 'kind': 'lb', 'x': 200, 'y': 0}]
    connections = [{'id': 'e0', 'from': 'client', 'to': 'lb'}]
    apps = n - 2
    for i in range(apps):
        components.append({'id': 'a%d' % i, 'kind': 'app', 'x': 400 + (i % 100) * 200,
                           'y': (i // 100) * 150})
    if shape == 'deep':
        connections.append({'id': 'e1', 'from': 'lb', 'to': 'a0'})
        for i in range(1, apps):
            parent = (i - 1) // 4
            connections.append({'id': 'e%d' % (i + 1), 'from': 'a%d' % parent, 'to': 'a%d' % i,
                                'params': {'share': 0.25}})
    else:
        connections.append({'id': 'e1', 'from': 'lb', 'to': 'a0'})
        for i in range(1, apps):
            connections.append({'id': 'e%d' % (i + 1), 'from': 'a0', 'to': 'a%d' % i,
                                'params': {'share': 1.0 / (apps - 1)}})
    return {'format': 'archboard-design', 'version': 1, 'components': components,
            'connections': connections}


class Run:
    pass


def timed(*args):
    """CPU seconds (user + system) of one run: steadier than wall time on a
    shared machine."""
    proc = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    run = Run()
    run.returncode = os.waitstatus_to_exitcode(status)
    run.stderr = err
    return usage.ru_utime + usage.ru_stime, run


RUNS = {
    'model': lambda path, out: ('simulate', path, '--method', 'analytical', '--scenario', 'normal',
                                '--read-rps', '100', '--write-rps', '10', '--format', 'json'),
    'des': lambda path, out: ('simulate', path, '--method', 'des', '--scenario', 'normal',
                              '--read-rps', '100', '--write-rps', '10', '--requests', '200000',
                              '--seed', '1', '--format', 'json'),
    'export': lambda path, out: ('export', path, '-o', out),
}


def main():
    failed = False
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for shape in ('deep', 'wide'):
            for n in SIZES:
                path = os.path.join(tmp, '%s-%d.archboard' % (shape, n))
                with open(path, 'w') as f:
                    json.dump(design(n, shape), f)
                for what, make_args in RUNS.items():
                    seconds, proc = timed(*make_args(path, os.path.join(tmp, 'out.svg')))
                    for _ in range(REPEAT - 1 if n < 10000 and proc.returncode == 0 else 0):
                        again, proc = timed(*make_args(path, os.path.join(tmp, 'out.svg')))
                        seconds = min(seconds, again)
                    ok = proc.returncode == 0
                    note = '' if ok else (proc.stderr.strip().splitlines() or ['exit %d' % proc.returncode])[-1][:150]
                    results[(shape, what, n)] = seconds if ok else None
                    print('%-5s %-7s %6d components: %8.2f s %s' % (shape, what, n, seconds,
                                                                      'ok' if ok else 'REFUSED: ' + note))
                    sys.stdout.flush()
                    if not ok and not (shape == 'wide' and what == 'des'):
                        failed = True
    print()
    print('growth exponent k = ln(t5000 / t1000) / ln 5 (target <= %.2f)' % TARGET_K)
    for shape in ('deep', 'wide'):
        for what in RUNS:
            t1, t5 = results.get((shape, what, 1000)), results.get((shape, what, 5000))
            if t1 is None or t5 is None:
                print('  %-5s %-7s  n/a (refused)' % (shape, what))
                continue
            k = math.log(t5 / t1) / math.log(5)
            print('  %-5s %-7s  k = %.2f  (%.2f s -> %.2f s)%s' % (shape, what, k, t1, t5,
                                                                  '' if k <= TARGET_K else '  ABOVE TARGET'))
    print()
    print('10,000 components (CPU seconds)')
    for shape in ('deep', 'wide'):
        print('  %-5s ' % shape + '  '.join(
            '%s %s' % (what, 'refused' if results.get((shape, what, 10000)) is None
                       else '%.2f s' % results[(shape, what, 10000)]) for what in RUNS))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
