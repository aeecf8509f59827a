# SPDX-License-Identifier: Apache-2.0 OR MIT
"""tools/qemu_test.py and QEMU's exit: a case that expects QEMU to exit is read until it does and
gets its status; any other case fails when QEMU exits by itself (a kernel panic ends QEMU with
status 1), and passes when QEMU is still running at its end (then it is killed). Stand-in
processes play QEMU here; tests/board/cases.py's kernel_panic_exits_qemu_with_failure runs the
real thing on both boards.

Usage: python3 -m unittest discover -s tests/tools -p test_qemu_runner.py -v
"""

import re
import subprocess
import sys
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import qemu_test


class StandIn:
    """The part of a case the runner's watch() reads."""

    def __init__(self, expect, exit_status=None, timeout=10):
        self.expect = expect
        self.exit_status = exit_status
        self.timeout = timeout
        self.grace = 0.1

    def expected_found(self, text):
        return re.search(self.expect, text) is not None


def start(script):
    return subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


PANICS = ("import sys, time\nprint('*** kernel panic: test', flush=True)\ntime.sleep(0.5)\n"
          "sys.exit(1)\n")
RUNS_ON = "import time\nprint('running', flush=True)\ntime.sleep(60)\n"


class Exit(unittest.TestCase):
    def run_stand_in(self, script, case):
        proc = start(script)
        try:
            text, done = qemu_test.watch(proc, case, qemu_test.Typist([]))
        finally:
            status = qemu_test.stop(proc)
            proc.stdin.close()
            proc.stdout.close()
        self.assertIsNotNone(proc.returncode)  # stop() always ends the process
        return text, done, status

    def test_a_case_that_expects_an_exit_waits_for_it_and_gets_the_status(self):
        text, done, status = self.run_stand_in(PANICS, StandIn("kernel panic", exit_status=1))
        self.assertTrue(done)
        self.assertEqual(status, 1)
        self.assertEqual(qemu_test.exit_problems(status, 1), [])

    def test_a_process_still_running_is_killed_and_has_no_status(self):
        text, done, status = self.run_stand_in(RUNS_ON, StandIn("running"))
        self.assertTrue(done)
        self.assertIsNone(status)
        self.assertEqual(qemu_test.exit_problems(status, None), [])

    def test_an_exit_the_case_did_not_expect_fails_it(self):
        text, done, status = self.run_stand_in(PANICS, StandIn("never printed", timeout=5))
        self.assertFalse(done)
        self.assertEqual(status, 1)
        problems = qemu_test.exit_problems(status, None)
        self.assertEqual(len(problems), 1)
        self.assertTrue(problems[0].startswith("QEMU exited by itself with status 1 "), problems)

    def test_a_missing_or_different_exit_fails_a_case_that_expects_one(self):
        self.assertEqual(qemu_test.exit_problems(None, 1),
                         ["QEMU was still running; expected it to exit with status 1"])
        self.assertEqual(qemu_test.exit_problems(0, 1),
                         ["QEMU exited with status 0; expected 1"])


if __name__ == "__main__":
    unittest.main()
