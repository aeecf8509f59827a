# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tests for the conformance-corpus runner (tools/compat_test.py) and its case checks
(tests/compat/corpus_cases.py): no corpus counts nothing, slot builds are chosen by position,
and the checks that judge printed values and LED samples fail when they must.

Usage: python3 -m unittest discover -s tests/tools -v
"""

import os
import subprocess
import sys
import tempfile
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

ROOT = os.path.dirname(support.TOOLS_DIR)
sys.path.insert(0, os.path.join(ROOT, "tests", "compat"))

import board_info  # noqa: E402  (tools/board_info.py)
import compat_test  # noqa: E402  (tools/compat_test.py)
import corpus_cases  # noqa: E402  (tests/compat/corpus_cases.py)

MPS2 = "qemu_mps2_an385"
VIRT = "qemu_rv32_virt"


class NoCorpus(unittest.TestCase):
    def test_missing_corpus_is_one_line_and_counts_nothing(self):
        with tempfile.TemporaryDirectory() as empty:
            proc = subprocess.run([sys.executable, os.path.join(support.TOOLS_DIR,
                                                                "compat_test.py"),
                                   "--board", MPS2, "--corpus", empty],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(proc.returncode, 0)
        lines = proc.stdout.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("no libtock-c corpus", lines[0])
        self.assertEqual(lines[1], f"compat {MPS2}: 0 passed, 0 failed")


class SlotBuilds(unittest.TestCase):
    def test_riscv_apps_use_the_build_of_their_slot(self):
        with tempfile.TemporaryDirectory() as corpus:
            folder = os.path.join(corpus, "apps", "x")
            os.makedirs(folder)
            board = board_info.load(VIRT)
            for slot in board.slots:
                open(os.path.join(folder, f"rv32imac.{slot.binary:#x}.{slot.ram:#x}.tbf"),
                     "wb").close()
            self.assertTrue(compat_test.corpus_tbf(corpus, board, "x", 0)
                            .endswith("rv32imac.0x80100080.0x80300000.tbf"))
            self.assertTrue(compat_test.corpus_tbf(corpus, board, "x", 2)
                            .endswith("rv32imac.0x80130080.0x80330000.tbf"))
            with self.assertRaises(RuntimeError):
                compat_test.corpus_tbf(corpus, board, "x", 4)
            with self.assertRaises(RuntimeError):      # no Cortex-M build in this corpus
                compat_test.corpus_tbf(corpus, board_info.load(MPS2), "x", 0)


class Checks(unittest.TestCase):
    def test_overflow_alarm_must_fire_after_the_wrap(self):
        check = corpus_cases.alarm_wraps_late_enough
        hz = corpus_cases.ALARM_HZ[MPS2]
        dt = corpus_cases.libtock_overflow_ticks(hz)
        self.assertEqual(dt, (1 << 32) - 17296)       # the chunk the issue measured on mps2
        start = 10_000
        good = f"zu 2 {start + hz}\nzu 1 {(start + dt) % (1 << 32)}\n"
        self.assertEqual(check(good, MPS2, []), [])
        second_late = f"zu 2 {start + 2 * hz}\nzu 1 {(start + dt + 5000) % (1 << 32)}\n"
        self.assertEqual(check(second_late, MPS2, []), [])
        early = f"zu 2 {start + hz}\nzu 1 {start + dt - hz}\n"   # a second before it was due
        self.assertTrue(check(early, MPS2, []))
        period_late = f"zu 2 {start + hz}\nzu 1 {(start + dt + 3 * hz) % (1 << 32)}\n"
        self.assertTrue(check(period_late, MPS2, []))
        first = f"zu 1 {(start + dt) % (1 << 32)}\nzu 2 {start + hz}\n"
        self.assertTrue(check(first, MPS2, []))
        self.assertTrue(check("zu 2 5\n", MPS2, []))

    def test_led_checks(self):
        off, on = (False, False), (True, False)
        self.assertEqual(corpus_cases.led_toggles(0, 2)("", MPS2, [off, on, off]), [])
        self.assertTrue(corpus_cases.led_toggles(0, 2)("", MPS2, [off, on, on]))
        self.assertTrue(corpus_cases.leds_count_up(3)("", MPS2, [off, on, off]))
        self.assertEqual(corpus_cases.leds_end_as((False, True))("", MPS2, [off, (False, True)]),
                         [])
        self.assertTrue(corpus_cases.leds_end_as((False, True))("", MPS2, []))

    def test_ratio_and_stack_checks(self):
        ratio = corpus_cases.ratio_of_lines(r"^1", r"^2", 1.5, 2.5)
        self.assertEqual(ratio("1\n1\n2\n1\n1\n2\n", MPS2, []), [])
        self.assertTrue(ratio("1\n2\n1\n2\n", MPS2, []))
        self.assertTrue(ratio("1\n1\n", MPS2, []))
        text = "Current stack pointer: 0x20040380\n"
        self.assertEqual(corpus_cases.stack_in_first_ram(text, MPS2, []), [])
        self.assertTrue(corpus_cases.stack_in_first_ram("Current stack pointer: 0x20041000\n",
                                                        MPS2, []))

    def test_every_case_names_corpus_apps_and_fits_the_slots(self):
        names = [case.name for case in corpus_cases.CASES]
        self.assertEqual(len(names), len(set(names)))
        for case in corpus_cases.CASES:
            self.assertLessEqual(len(case.apps), len(board_info.load(VIRT).slots), case.name)
            self.assertGreater(case.timeout, 0, case.name)


if __name__ == "__main__":
    unittest.main()
