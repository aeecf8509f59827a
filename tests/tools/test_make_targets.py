# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The make targets a new user reaches for first: `make help`, `make boards`, a clear error for
an unknown BOARD, and the QEMU check `make run` does before starting QEMU (tools/qemu_check.py).
`make debug` itself runs in tests/tools/test_debug.py.

Usage: python3 -m unittest discover -s tests/tools -p test_make_targets.py -v
"""

import glob
import os
import re
import stat
import subprocess
import sys
import tempfile
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import board_info
import qemu_check

ROOT = os.path.dirname(support.TOOLS_DIR)


def make(*args):
    return subprocess.run(["make", "--no-print-directory"] + list(args), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def defined_targets():
    """Every target a rule in the build files defines."""
    files = [os.path.join(ROOT, "Makefile")] + glob.glob(os.path.join(ROOT, "boards", "*.mk")) \
        + [os.path.join(ROOT, "userland", "userland.mk"),
           os.path.join(ROOT, "tests", "fuzz", "fuzz.mk")]
    names = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                match = re.match(r"^([a-z][a-z-]*)\s*:(?!=)", line)
                if match:
                    names.add(match.group(1))
    return names


class Help(unittest.TestCase):
    def test_help_names_every_user_target_and_variable(self):
        proc = make("help")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        listed = set(re.findall(r"^  make ([a-z-]+)", proc.stdout, flags=re.M))
        for target in ("run", "test", "unit", "qemu-test", "compat-test", "bench", "fuzz",
                       "fuzz-coverage", "soak", "kernel", "apps", "boards", "deps", "clean",
                       "help", "debug", "debug-server", "debug-script"):
            self.assertIn(target, listed)
        self.assertEqual(listed - defined_targets(), set(), "help names a target no rule has")
        for variable in ("BOARD=", "CONFIG=", "APPS=", "FUZZ_SECONDS=", "BENCH_FLAGS=", "APP=",
                         "GDB_PORT=", "GDB_FLAGS="):
            self.assertIn(variable, proc.stdout)

    def test_boards_lists_each_board_with_its_memory_map(self):
        proc = make("boards")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for name in board_info.names():
            board = board_info.load(name)
            self.assertIn(f"{name}: {board.title}", proc.stdout)
            self.assertIn(f"0x{board.app_flash.start:08x}", proc.stdout)
            self.assertIn(f"0x{board.kernel_ram.start:08x}", proc.stdout)
            self.assertIn(f"-machine {board.qemu_machine}", proc.stdout)

    def test_an_unknown_board_is_refused_with_the_known_ones(self):
        proc = make("BOARD=no_such_board", "kernel")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("unknown board 'no_such_board'", proc.stderr)
        for name in board_info.names():
            self.assertIn(name, proc.stderr)


class RunApps(unittest.TestCase):
    """`make run APPS="..."` installs the files with tools/tockloader.py into a fresh
    build/<board>/apps.bin and boots that; without APPS it boots the demo image as before."""

    def test_run_boots_the_apps_given_or_the_demo(self):
        with tempfile.TemporaryDirectory() as tmp:
            files = [os.path.join(tmp, name) for name in ("one.tab", "two.tbf")]
            for path in files:
                open(path, "wb").close()
            for name in board_info.names():
                with self.subTest(board=name):
                    image = os.path.join("build", name, "apps.bin")
                    proc = make("-n", f"BOARD={name}", "run", "APPS=" + " ".join(files))
                    self.assertEqual(proc.returncode, 0, proc.stderr)
                    lines = proc.stdout.splitlines()
                    install = (f"python3 tools/tockloader.py --board {name} --image {image} "
                               f"install {' '.join(files)}")
                    self.assertIn(f"rm -f {image}", lines[lines.index(install) - 1])
                    self.assertIn(f"loader,file={image},", lines[-1])
                    demo = make("-n", f"BOARD={name}", "run").stdout
                    self.assertNotIn("tockloader", demo)
                    self.assertIn("loader,file=%s," % os.path.join("build", name,
                                                                   "demo-apps.bin"),
                                  demo.splitlines()[-1])

    def test_run_names_a_missing_app_file(self):
        proc = make("-n", "run", "APPS=no/such.tab")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("no/such.tab", proc.stderr)


class QemuCheck(unittest.TestCase):
    def fake_qemu(self, directory, version_line):
        path = os.path.join(directory, "qemu-system-fake")
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\necho '{version_line}'\n")
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def run_check(self, binary):
        return subprocess.run([sys.executable, os.path.join(ROOT, "tools", "qemu_check.py"),
                               "qemu_mps2_an385", "--qemu", binary],
                              capture_output=True, text=True, timeout=60)

    def test_a_recent_qemu_passes(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = self.run_check(self.fake_qemu(tmp, "QEMU emulator version 7.2.22"))
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_an_old_qemu_is_refused_with_what_to_do(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = self.run_check(self.fake_qemu(tmp, "QEMU emulator version 6.2.0"))
        self.assertEqual(proc.returncode, 1)
        self.assertIn("version 6.2.0", proc.stderr)
        self.assertIn("7.0 or newer", proc.stderr)
        self.assertIn("install_deps.sh", proc.stderr)

    def test_a_missing_qemu_is_refused_with_what_to_do(self):
        proc = self.run_check("/nonexistent/qemu-system-arm")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("not installed", proc.stderr)
        self.assertIn("apt-get install", proc.stderr)

    def test_version_parsing(self):
        self.assertEqual(qemu_check.version_of("QEMU emulator version 8.1.3 (Debian)"), (8, 1, 3))
        self.assertEqual(qemu_check.version_of("QEMU emulator version 7.2"), (7, 2, 0))
        self.assertIsNone(qemu_check.version_of("no version here"))

    def test_the_installed_qemus_pass(self):
        for name in board_info.names():
            self.assertIsNone(qemu_check.problem(board_info.load(name).qemu_binary))


if __name__ == "__main__":
    unittest.main()
