#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# archboard-cli simulate and the simulator's room for requests in flight
# (docs/simulation.md, "Room for the requests"), run as a user would:
# every DES result has an integer `out_of_room`, 0 for the references;
# a design that keeps more requests in flight than the pool holds
# (250,000 requests a second across a connection of 10 s, simulated whole
# with a large --requests) reads it above 0, with no errors, the served
# rate short of the offered one and the latency of the requests it had
# room for, and the text says so in a note.  TAP output.
#
# usage: test-cli-room.py ARCHBOARD-CLI

import json
import os
import subprocess
import sys
import tempfile
import traceback

CLI = sys.argv[1]
FAR_RATE = 250000.0
FAR_LATENCY_MS = 10000.0

# users 10 s away from an API that answers at once and has room for all
# (100,000 slots of 1 us): every request holds two frames for 10 s
FAR_DESIGN = {
    'format': 'archboard-design',
    'version': 1,
    'components': [
        {'id': 'users', 'kind': 'client', 'label': 'Far Users', 'x': 40, 'y': 160, 'instances': 1},
        {'id': 'api', 'kind': 'app', 'label': 'API', 'x': 300, 'y': 160, 'instances': 1,
         'params': {'concurrency': 100000, 'service_ms': 0.001}},
    ],
    'connections': [
        {'id': 'e1', 'from': 'users', 'to': 'api', 'mode': 'sync',
         'params': {'latency_ms': FAR_LATENCY_MS}},
    ],
}


def refuse(name):
    raise ValueError('non-standard JSON constant ' + name)


def run(*args, check_rc=0):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=240)
    if proc.returncode != check_rc:
        raise AssertionError('%s: exit %d, wanted %d\nstdout: %s\nstderr: %s'
                             % (' '.join(args), proc.returncode, check_rc, proc.stdout[-2000:],
                                proc.stderr[-2000:]))
    return proc.stdout


def simulate_json(*args):
    return json.loads(run('simulate', *args, '--format', 'json'), parse_constant=refuse)


def is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def test_references_have_room():
    with tempfile.TemporaryDirectory() as tmp:
        for pid in ('basic-database-design', 'session-store', 'multi-master-replication'):
            ref = os.path.join(tmp, pid + '.archboard')
            run('reference', pid, '-o', ref)
            for scenario in ('normal', 'timeline'):
                data = simulate_json(ref, '--scenario', scenario, '--requests', '60000', '--seed', '2')
                des = data['des']
                assert 'out_of_room' in des, (pid, scenario, sorted(des))
                assert is_count(des['out_of_room']), (pid, scenario, des['out_of_room'])
                assert des['out_of_room'] == 0, (pid, scenario, des['out_of_room'])


def far_args(path):
    return [path, '--method', 'des', '--scenario', 'normal', '--read-rps', '%g' % FAR_RATE,
            '--write-rps', '0', '--requests', '20000000', '--seed', '5']


def test_far_users_fill_the_pool():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'far.archboard')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(FAR_DESIGN, f)
        des = simulate_json(*far_args(path))['des']
        n = des['out_of_room']
        print('# out of room %s, windowed %s' % (n, des['windowed']))
        assert is_count(n) and n > 100000, n
        for ph in des['phases']:
            print('# %s: offered %.0f/s, served %.0f/s, errors %s, P50 %s ms'
                  % (ph['name'], ph['offered_rps'], ph['served_rps'], ph['error_rate'], ph['all']['p50_ms']))
            # not the design's errors
            assert ph['error_rate'] == 0, ph['error_rate']
            # fewer served than offered, by those it had no room for
            assert 0 < ph['served_rps'] < 0.95 * ph['offered_rps'], (ph['served_rps'], ph['offered_rps'])
            # those served took the connection's 10 s
            assert abs(ph['all']['p50_ms'] / FAR_LATENCY_MS - 1) < 0.01, ph['all']['p50_ms']

        text = run('simulate', *far_args(path))
        # a count grouped as the app groups it: "1,234"
        note = ('Note: the simulator ran out of room for %s requests in flight: a limit of the simulator, '
                'not of the design.  They count neither as errors nor as served, and their latencies are '
                'not in the figures.' % '{:,}'.format(n))
        assert note in text, text


TESTS = [test_references_have_room, test_far_users_fill_the_pool]


def main():
    print('1..%d' % len(TESTS))
    failed = 0
    for i, test in enumerate(TESTS, 1):
        try:
            test()
            print('ok %d %s' % (i, test.__name__))
        except Exception:  # report every failure, keep going
            failed += 1
            print('not ok %d %s' % (i, test.__name__))
            for line in traceback.format_exc().splitlines():
                print('# ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
