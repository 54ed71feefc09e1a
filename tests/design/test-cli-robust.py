#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# archboard-cli with awkward outputs and inputs: standard output, symlinks,
# devices, read-only files, huge images, and the messages for odd values.
# TAP output.
#
# usage: test-cli-robust.py ARCHBOARD-CLI

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import traceback

CLI = sys.argv[1]
PROBLEM = 'basic-database-design'


def run(*args, check_rc=None, cwd=None):
    proc = subprocess.run([CLI, *args], capture_output=True, timeout=120, cwd=cwd)
    proc.stdout_text = proc.stdout.decode('utf-8', 'replace')
    proc.stderr_text = proc.stderr.decode('utf-8', 'replace')
    if check_rc is not None and proc.returncode != check_rc:
        raise AssertionError('%s: exit %d, wanted %d\nstdout: %s\nstderr: %s'
                             % (' '.join(args), proc.returncode, check_rc,
                                proc.stdout_text[-2000:], proc.stderr_text[-2000:]))
    return proc


def reference(tmp, name='design.archboard'):
    path = os.path.join(tmp, name)
    run('reference', PROBLEM, '-o', path, check_rc=0)
    return path


def write_design(tmp, doc, name='odd.archboard'):
    path = os.path.join(tmp, name)
    with open(path, 'w', encoding='utf-8') as f:
        if isinstance(doc, str):
            f.write(doc)
        else:
            json.dump(doc, f)
    return path


def test_export_dash_is_stdout():
    with tempfile.TemporaryDirectory() as tmp:
        design = reference(tmp)
        proc = run('export', design, '-o', '-', '--format', 'svg', check_rc=0, cwd=tmp)
        assert proc.stdout.startswith(b'<?xml'), proc.stdout[:100]
        assert b'</svg>' in proc.stdout
        assert not os.path.exists(os.path.join(tmp, '-'))
        proc = run('export', design, '-o', '-', '--format', 'png', check_rc=0, cwd=tmp)
        assert proc.stdout.startswith(b'\x89PNG'), proc.stdout[:8]
        proc = run('export', design, '-o', '-', check_rc=2, cwd=tmp)
        assert '--format' in proc.stderr_text, proc.stderr_text
        assert not os.path.exists(os.path.join(tmp, '-'))


def test_export_dev_stdout():
    with tempfile.TemporaryDirectory() as tmp:
        design = reference(tmp)
        was_link = os.path.islink('/dev/stdout')
        proc = run('export', design, '-o', '/dev/stdout', '--format', 'svg', check_rc=0)
        assert b'</svg>' in proc.stdout
        assert os.path.islink('/dev/stdout') == was_link


def test_export_through_symlink():
    with tempfile.TemporaryDirectory() as tmp:
        design = reference(tmp)
        target = os.path.join(tmp, 'real.svg')
        link = os.path.join(tmp, 'link.svg')
        with open(target, 'w') as f:
            f.write('old')
        os.chmod(target, 0o600)
        os.symlink('real.svg', link)
        run('export', design, '-o', link, check_rc=0)
        assert os.path.islink(link)
        with open(target, encoding='utf-8') as f:
            assert '</svg>' in f.read()
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_reference_read_only_refused():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'locked.archboard')
        with open(path, 'w') as f:
            f.write('keep')
        os.chmod(path, 0o444)
        proc = run('reference', PROBLEM, '-o', path)
        assert proc.returncode != 0
        assert 'read-only' in proc.stderr_text, proc.stderr_text
        with open(path) as f:
            assert f.read() == 'keep'
        assert sorted(os.listdir(tmp)) == ['locked.archboard'], os.listdir(tmp)


def test_export_scale_help_matches():
    help_text = run('export', '--help', check_rc=0).stdout_text
    assert 'at most 8' in help_text, help_text
    assert '1, 2 or 4' not in help_text
    with tempfile.TemporaryDirectory() as tmp:
        design = reference(tmp)
        out = os.path.join(tmp, 'x.png')
        run('export', design, '-o', out, '--scale', '3', check_rc=0)
        run('export', design, '-o', out, '--scale', '0.5', check_rc=0)
        proc = run('export', design, '-o', out, '--scale', '9', check_rc=2)
        assert 'at most 8' in proc.stderr_text, proc.stderr_text


def test_png_size_capped():
    with tempfile.TemporaryDirectory() as tmp:
        doc = {'format': 'archboard-design', 'version': 1, 'components': [
            {'id': 'a', 'kind': 'client', 'x': 0, 'y': 0},
            {'id': 'b', 'kind': 'client', 'x': 20000, 'y': 20000}]}
        design = write_design(tmp, doc)
        out = os.path.join(tmp, 'big.png')
        proc = run('export', design, '-o', out, check_rc=2)
        assert 'SVG or PDF' in proc.stderr_text, proc.stderr_text
        assert 'smaller scale' in proc.stderr_text, proc.stderr_text
        assert not os.path.exists(out)
        run('export', design, '-o', os.path.join(tmp, 'big.svg'), check_rc=0)
        run('export', design, '-o', out, '--scale', '0.25', check_rc=0)


def test_unusable_characters_refused():
    with tempfile.TemporaryDirectory() as tmp:
        text = ('{"format": "archboard-design", "version": 1,\n"components": [\n'
                '  {"id": "a", "kind": "app", "x": 0, "y": 0, "label": "A\uFFFE"}]}\n')
        path = write_design(tmp, text)
        proc = run('export', path, '-o', os.path.join(tmp, 'x.svg'), check_rc=2)
        assert ':3:57: U+FFFE cannot be used in text' in proc.stderr_text, proc.stderr_text


def test_svg_passes_xmllint():
    xmllint = shutil.which('xmllint')
    if xmllint is None:
        print('# xmllint not installed: only well-formedness by the fuzz harness')
        return
    with tempfile.TemporaryDirectory() as tmp:
        labels = ['<b> & "q" \'s\'', ']]> &amp; <!-- x -->', 'Emoji \U0001F469\u200D\U0001F4BB',
                  'Tab\there', 'Line\nbreak', 'RTL \u05D0\u05D1 \u202E', 'Combining e\u0301']
        doc = {'format': 'archboard-design', 'version': 1, 'title': '<Title & "more">',
               'notes': '</svg>', 'components': [
                   {'id': 'c%d' % i, 'kind': 'app', 'x': i * 250, 'y': 0, 'label': label}
                   for i, label in enumerate(labels)]}
        design = write_design(tmp, doc)
        out = os.path.join(tmp, 'x.svg')
        run('export', design, '-o', out, check_rc=0)
        proc = subprocess.run([xmllint, '--noout', out], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr


def test_messages():
    with tempfile.TemporaryDirectory() as tmp:
        def check(doc, *args):
            path = write_design(tmp, doc)
            return run('check', path, *args).stderr_text

        base = '{"format": "archboard-design", "version": %s, "components": [%s]}'
        app = '{"id": "a", "kind": "app", "x": 0, "y": 0%s}'
        # A huge version is a newer version, not "a fraction".
        err = check(base % ('1e308', ''))
        assert 'newer Archboard' in err and 'fraction' not in err, err
        err = check(base % ('1.5', ''))
        assert '"version" must be a whole number, not 1.5' in err, err
        # Ranges and values as plain numbers.
        err = check(base % ('1', app % ', "params": {"service_ms": 1e9}'))
        assert '"service_ms" is 1000000000, outside the allowed range 0.001 to 600000' in err, err
        assert 'e+' not in err, err
        err = check(base % ('1', app % ', "instances": 2.5'))
        assert '"instances" must be a whole number, not 2.5' in err, err
        # "problem": null is no problem, not the problem "".
        path = write_design(tmp, '{"format": "archboard-design", "version": 1, "problem": null, '
                                 '"components": [{"id": "a", "kind": "app", "x": 0, "y": 0}]}')
        proc = run('simulate', path, check_rc=2)
        assert 'names no problem' in proc.stderr_text and '""' not in proc.stderr_text, proc.stderr_text
        # Rates out of range are named as the options.
        design = reference(tmp)
        proc = run('simulate', design, '--read-rps=1e12', check_rc=2)
        assert '--read-rps and --write-rps take requests per second from 0 to 1000000000' in proc.stderr_text, \
            proc.stderr_text
        assert 'class 0' not in proc.stderr_text
        run('simulate', design, '--read-rps=1e9', '--write-rps=10', '--method', 'analytical', check_rc=0)


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
