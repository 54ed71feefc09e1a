#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# kill -9 during saves: `archboard-cli reference ID -o FILE` killed at
# random moments, again and again, over an existing design.  After every
# kill FILE is the old design or the new one, complete; a temporary file
# may only survive a kill between naming it and renaming it, and the next
# save removes it.  TAP output.
#
# usage: test-save-kill.py ARCHBOARD-CLI

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

CLI = sys.argv[1]
PROBLEMS = ['basic-database-design', 'nosql-basics']


def content(text):
    """The design without its creation time (each run stamps its own)."""
    doc = json.loads(text)
    doc.pop('created', None)
    return json.dumps(doc, sort_keys=True)


def temporaries(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith('.'))


def save(path, problem):
    subprocess.run([CLI, 'reference', problem, '-o', path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    print('1..2')
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'design.archboard')
        expected = {}
        for problem in PROBLEMS:
            save(path, problem)
            with open(path) as f:
                expected[problem] = content(f.read())
        # How long a whole save takes, so the kills land all over it.
        start = time.monotonic()
        save(path, PROBLEMS[0])
        duration = time.monotonic() - start

        broken, left = [], 0
        for i in range(60):
            problem = PROBLEMS[i % 2]
            proc = subprocess.Popen([CLI, 'reference', problem, '-o', path],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, duration * 1.2))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            with open(path) as f:
                text = f.read()
            try:
                if content(text) not in expected.values():
                    broken.append(i)
            except ValueError:
                broken.append(i)
            left += len(temporaries(tmp))
        print('# %d kills over %.0f ms saves: %d temporary files seen after a kill' % (60, duration * 1000, left))
        print('ok 1 the design survives every kill' if not broken else 'not ok 1 damaged after kills %s' % broken)
        save(path, PROBLEMS[1])
        rest = temporaries(tmp)
        print('ok 2 the next save leaves no temporary file' if not rest else 'not ok 2 left: %s' % rest)
        return 1 if broken or rest else 0


if __name__ == '__main__':
    sys.exit(main())
