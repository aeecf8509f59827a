# SPDX-License-Identifier: Apache-2.0 OR MIT
"""tools/fault_lines.py turns the kernel's fault reports into function and line: for a real app
ELF of each board (position-independent on ARM, fixed-address on RISC-V), a report whose pc is
`main`'s offset in the binary resolves to main in the app's main.c, the return address to the
calling line, a fixed-address build that does not match the pc is passed over, and an app
with no ELF is named as such.

Usage: python3 -m unittest tests/tools/test_fault_lines.py
"""
import os
import subprocess
import tempfile
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import board_info  # noqa: E402
import elf  # noqa: E402
import fault_lines  # noqa: E402

ROOT = board_info.ROOT
APP = "read_kernel_ram"


def built_elf(board, name):
    """The app ELF of `board`, built by make if it is not there yet."""
    path = os.path.join("build", "apps", board.apps_arch, f"{name}.elf")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    subprocess.run(["make", "--no-print-directory", "-s", f"BOARD={board.name}", path],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    return os.path.join(ROOT, path)


class FaultLinesTest(unittest.TestCase):
    def check_board(self, board_name, flash_base):
        board = board_info.load(board_name)
        path = built_elf(board, APP)
        with open(path, "rb") as handle:
            image = elf.parse(handle.read())
        origin = image.symbol_value("_flash_origin")
        offset = (image.symbol_value("main") & ~1) - origin
        # Where the kernel would report it: the binary placed at flash_base (PIC) or at the
        # address it was linked for (fixed).
        base = flash_base if origin == fault_lines.PIC_ORIGIN else origin
        log = [f"[kernel] process {APP} (id 7) faulted: some fault at 0x00000000: kernel RAM",
               f"  pc 0x{base + offset + 4:08x} (app binary + 0x{offset + 4:04x}), "
               f"lr 0x{base + offset + 3:08x} (app binary + 0x{offset + 3:04x}), sp 0x0",
               "  process dump follows"]
        out = fault_lines.report(log, lambda name: [path] if name == APP else [])
        self.assertEqual(out[0], f"process {APP} (id 7): some fault at 0x00000000: kernel RAM")
        self.assertRegex(out[1], rf"^  pc app binary \+ 0x{offset + 4:04x}: main at "
                                 rf".*userland/tests/{APP}/main\.c:\d+ \({APP}\.elf\)$")
        self.assertRegex(out[2], rf"^  lr app binary \+ 0x{offset + 3:04x}: called from main at "
                                 rf".*userland/tests/{APP}/main\.c:\d+")
        self.assertEqual(len(out), 3)
        return path, origin, offset

    def test_arm_position_independent_app(self):
        self.check_board("qemu_mps2_an385", 0x00100054)

    def test_riscv_fixed_address_app_and_a_build_that_does_not_match(self):
        path, origin, offset = self.check_board("qemu_rv32_virt", 0)
        # The pc says the code ran 0x10000 higher: this build was not linked there.
        log = [f"[kernel] process {APP} (id 1) faulted: x",
               f"  pc 0x{origin + 0x10000 + offset:08x} (app binary + 0x{offset:04x}), sp 0x0"]
        out = fault_lines.report(log, lambda name: [path])
        self.assertEqual(out[1], f"  pc app binary + {offset:#x}: no ELF of {APP} linked there")

    def test_command_line_reads_a_saved_log(self):
        board = board_info.load("qemu_mps2_an385")
        built_elf(board, APP)
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as handle:
            handle.write("noise\n[kernel] process nobody (id 2) faulted: y\n"
                         "  pc 0x00100100 (app binary + 0x0010), sp 0x0\n")
        try:
            proc = subprocess.run(["python3", os.path.join(ROOT, "tools", "fault_lines.py"),
                                   "--board", board.name, handle.name],
                                  capture_output=True, text=True, timeout=60)
        finally:
            os.unlink(handle.name)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines(),
                         ["process nobody (id 2): y",
                          "  pc app binary + 0x10: no ELF of nobody linked there"])


if __name__ == "__main__":
    unittest.main()
