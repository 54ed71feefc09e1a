#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# archboard-cli list / show / reference / import (and check on every
# reference solution), run as a user would.  TAP output.
#
# usage: test-cli-problems.py ARCHBOARD-CLI

import json
import os
import subprocess
import sys
import tempfile
import traceback

CLI = sys.argv[1]
SRCDIR = os.environ.get('ARCHBOARD_SRCDIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SHIPPED = os.path.join(SRCDIR, 'problems', 'storage')
MARKDOWN = os.path.join(SRCDIR, 'problems', 'storage.md')
AMENDMENTS = os.path.join(SRCDIR, 'problems', 'storage-amendments.json')


def run(*args, check_rc=None):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    if check_rc is not None and proc.returncode != check_rc:
        raise AssertionError('%s: exit %d, wanted %d\nstdout: %s\nstderr: %s'
                             % (' '.join(args), proc.returncode, check_rc, proc.stdout[-2000:], proc.stderr[-2000:]))
    return proc


def shipped_problems():
    problems = []
    for name in os.listdir(SHIPPED):
        if name.endswith('.json'):
            with open(os.path.join(SHIPPED, name), encoding='utf-8') as f:
                problems.append(json.load(f))
    problems.sort(key=lambda p: p['number'])
    return problems


def test_version_and_help():
    out = run('--version', check_rc=0).stdout
    assert out.startswith('archboard-cli '), out
    assert 'import' in run('--help', check_rc=0).stdout
    for command in ('list', 'show', 'reference', 'import'):
        out = run(command, '--help', check_rc=0).stdout
        assert 'Usage:' in out, out


def test_list():
    lines = run('list', check_rc=0).stdout.splitlines()
    assert len(lines) == 35, len(lines)
    ids = [line.split()[0] for line in lines]
    assert ids == [p['id'] for p in shipped_problems()], ids
    assert lines[0].split()[1] == 'easy'
    assert lines[0].rstrip().endswith('3 tiers'), lines[0]


def test_list_difficulty():
    counts = {}
    for p in shipped_problems():
        counts[p['difficulty']] = counts.get(p['difficulty'], 0) + 1
    assert sum(counts.values()) == 35
    for difficulty, count in counts.items():
        lines = run('list', '--difficulty', difficulty, check_rc=0).stdout.splitlines()
        assert len(lines) == count, (difficulty, len(lines), count)
        assert all(line.split()[1] == difficulty for line in lines)
    lines = run('list', '--difficulty', 'Advanced', check_rc=0).stdout.splitlines()
    assert len(lines) == counts['advanced']


def test_list_json():
    rows = json.loads(run('list', '--json', check_rc=0).stdout)
    assert len(rows) == 35
    assert rows[0] == {'id': 'basic-database-design', 'number': 1, 'title': 'Basic RDBMS Design',
                       'category': 'storage', 'difficulty': 'easy', 'tiers': 3}, rows[0]
    rows = json.loads(run('list', '--json', '--difficulty', 'easy', check_rc=0).stdout)
    assert all(row['difficulty'] == 'easy' for row in rows) and len(rows) > 0


def test_show():
    out = run('show', 'basic-database-design', check_rc=0).stdout
    for needle in ('Basic RDBMS Design', 'P95 < 50 ms for queries', 'read_qps = 10000',
                   'T1: Replicas', 'Must include: db_replica', '1. Normalize to 3NF',
                   'reads:   10,000/s', 'Available components: client, lb, app'):
        assert needle in out, needle
    # figures as people read them: grouped, never in exponent notation
    out = subprocess.run([CLI, 'show', 'multi-model-database'], capture_output=True, text=True,
                         timeout=120, check=True, env=dict(os.environ, LC_ALL='C.UTF-8')).stdout
    assert '[100,000,000 requests/s]' in out, out
    assert '[$200,000,000 a month]' in out, out
    for p in shipped_problems():
        text = run('show', p['id'], check_rc=0).stdout
        assert 'e+' not in text, p['id']
        shown = run('show', p['id'], '--json', check_rc=0).stdout
        with open(os.path.join(SHIPPED, p['id'] + '.json'), encoding='utf-8') as f:
            assert shown == f.read(), p['id']


def test_bad_arguments():
    for args in (('show', 'no-such-problem'), ('show',), ('show', 'a', 'b'),
                 ('reference', 'no-such-problem', '-o', os.devnull),
                 ('reference', 'basic-database-design'),
                 ('list', 'extra'), ('list', '--difficulty', 'hard'), ('list', '--bogus'),
                 ('import',), ('import', MARKDOWN), ('import', '/nonexistent.md', '--out', '/tmp'),
                 ('no-such-command',)):
        proc = run(*args, check_rc=2)
        assert proc.stderr.strip() != '', args
        assert proc.stdout == '', args
    proc = run('show', 'no-such-problem', check_rc=2)
    assert 'no-such-problem' in proc.stderr


def catalog_names():
    with open(os.path.join(SRCDIR, 'data', 'catalog', 'components.json'), encoding='utf-8') as f:
        return {k['id']: k['display_name'] for k in json.load(f)['kinds']}


def test_reference_and_check_all():
    with tempfile.TemporaryDirectory() as tmp:
        for p in shipped_problems():
            path = os.path.join(tmp, p['id'] + '.archboard')
            run('reference', p['id'], '-o', path, check_rc=0)
            with open(path, encoding='utf-8') as f:
                design = json.load(f)
            assert design['problem'] == p['id']
            components = design['components']
            assert len(components) == len(p['reference']['components'])
            for mine, ref in zip(components, p['reference']['components']):
                # a component named as its kind in the catalog is written
                # without a label (it shows the catalog's name, translated)
                kind = 'client' if ref['kind'] == 'redirect_client' else ref['kind']
                assert mine.get('label', catalog_names()[kind]) == ref['name'], (p['id'], ref['name'])
                assert mine['instances'] == ref['instances'], (p['id'], ref['name'])
                assert (mine['x'], mine['y']) == (ref['x'], ref['y'])
            assert len(design['connections']) == len(p['reference']['connections'])
            run('check', path, check_rc=0)


def test_import_round_trip():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'set')
        run('import', MARKDOWN, '--out', out, '--amendments', AMENDMENTS, check_rc=0)
        names = sorted(os.listdir(out))
        assert names == sorted(n for n in os.listdir(SHIPPED) if n.endswith('.json')), names
        for name in names:
            with open(os.path.join(out, name), 'rb') as a, open(os.path.join(SHIPPED, name), 'rb') as b:
                assert a.read() == b.read(), name

        # Without amendments the files differ only in the reference.
        plain = os.path.join(tmp, 'plain')
        run('import', MARKDOWN, '--out', plain, check_rc=0)
        with open(os.path.join(plain, 'distributed-database.json'), encoding='utf-8') as f:
            p = json.load(f)
        assert p['amendments'] == []
        assert [c['instances'] for c in p['reference']['components'] if c['kind'] == 'app'] == [1]


def test_import_errors_write_nothing():
    with open(MARKDOWN, encoding='utf-8') as f:
        text = f.read()
    broken = text.replace('- Shard 3 (db_primary)', '- Shard 3 (db_shard)', 1)
    assert broken != text
    with tempfile.TemporaryDirectory() as tmp:
        md = os.path.join(tmp, 'set.md')
        with open(md, 'w', encoding='utf-8') as f:
            f.write(broken)
        out = os.path.join(tmp, 'out')
        proc = run('import', md, '--out', out, check_rc=2)
        line = broken[:broken.index('- Shard 3 (db_shard)')].count('\n') + 1
        assert ('set.md:%d: problem ecommerce-order-db: ' % line) in proc.stderr, proc.stderr
        assert 'db_shard' in proc.stderr
        assert not os.path.exists(out) or os.listdir(out) == []

        bad_amendments = os.path.join(tmp, 'amend.json')
        with open(bad_amendments, 'w', encoding='utf-8') as f:
            f.write('{"nosql-basics": [{"what": "x", "quote": "Not there.", '
                    '"set_instances": {"component": "Profile API", "instances": 2}}]}')
        proc = run('import', MARKDOWN, '--out', out, '--amendments', bad_amendments, check_rc=2)
        assert 'amend.json:1:' in proc.stderr, proc.stderr
        assert not os.path.exists(out) or os.listdir(out) == []


TESTS = [test_version_and_help, test_list, test_list_difficulty, test_list_json, test_show,
         test_bad_arguments, test_reference_and_check_all, test_import_round_trip,
         test_import_errors_write_nothing]


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
