# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Properties of the built kernel images that the trap code relies on.

Cortex-M: the SVC handler serves process syscalls only and does not test where an `svc` came
from (arch/cortex-m/exceptions.S): the kernel enters processes through PendSV and must never
execute `svc` itself. An `svc` anywhere in a kernel image (product, self-test, CONFIG=core, or a test kernel with another credential or scheduling policy) fails here.

The images come from `make kernel BOARD=...` (and CONFIG=core), which `make test` runs first;
a board whose image is not built is skipped (the self-test image too: it is the product plus test code).

Usage: python3 -m unittest discover -s tests/tools -p test_kernel_image.py -v
"""

import os
import re
import subprocess
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import board_info

SVC = re.compile(r"^\s*[0-9a-f]+:\s+(?:[0-9a-f]{4}\s+)+svc\b", re.M)

# An objdump line of RISC-V code: address, encoding, mnemonic, operands.
RV_LINE = re.compile(r"^\s*[0-9a-f]+:\s+[0-9a-f]+\s+(\S+)\s*(\S*)")
RV_FUNCTION = re.compile(r"^[0-9a-f]+ <([^>]+)>:$")
# Instructions whose first operand is read, not written.
RV_NO_DESTINATION = {"sb", "sh", "sw", "beq", "bne", "blt", "bge", "bltu", "bgeu", "beqz",
                     "bnez", "blez", "bgez", "bltz", "bgtz", "csrw", "csrs", "csrc", "jr",
                     "c.sw", "c.swsp"}
RV_SWITCH_CODE = {"riscv_switch_to_user", "riscv_trap_entry"}
# Registers the kernel is compiled without (-ffixed-t3 ... -ffixed-t6): the process's while the
# kernel runs.
RV_RESERVED = {"t3", "t4", "t5", "t6"}
RV_OPERAND = re.compile(r"[a-z0-9]+")


def rv_gp_tp_uses(listing):
    """[(function, line)] of code lines outside the switch code that write gp or tp, address
    memory through gp, or name t3-t6 at all, up to the read-only data (_srodata)."""
    found, function = [], None
    for line in listing.splitlines():
        header = RV_FUNCTION.match(line)
        if header:
            function = header.group(1)
            if function == "_srodata":
                break
            continue
        m = RV_LINE.match(line)
        if m is None or function in RV_SWITCH_CODE:
            continue
        mnemonic, operands = m.group(1), m.group(2)
        first = operands.split(",")[0]
        writes = first in ("gp", "tp") and mnemonic not in RV_NO_DESTINATION
        reserved = not RV_RESERVED.isdisjoint(RV_OPERAND.findall(operands))
        if writes or reserved or "(gp)" in operands:
            found.append((function, line.strip()))
    return found


class KernelImageTest(unittest.TestCase):
    def built_listings(self, arch):
        """(path, objdump -d listing) of every built kernel image of the boards of `arch`;
        skips the test when none is built."""
        found = []
        for board in board_info.load_all().values():
            if board.arch != arch:
                continue
            for variant in ("product", "selftest", "core", "require_hash", "require_signature",
                            "sched_priority", "sched_cooperative", "sched_mlfq"):
                path = board.kernel_image(variant)
                if os.path.exists(path):
                    listing = subprocess.run([board.toolchain + "objdump", "-d", path],
                                             capture_output=True, text=True, check=True).stdout
                    found.append((path, listing))
        if not found:
            self.skipTest(f"no {arch} kernel built (make kernel BOARD=...)")
        return found

    def test_no_svc_in_cortex_m_kernels(self):
        for path, listing in self.built_listings("cortex-m"):
            self.assertIn("<cortexm_svc_handler>:", listing, path)
            self.assertEqual(SVC.findall(listing), [], f"{path}: the kernel executes svc")

    def test_rv32_kernels_never_write_gp_or_tp_nor_use_t3_to_t6(self):
        for path, listing in self.built_listings("riscv"):
            self.assertIn("<riscv_trap_entry>:", listing, path)
            self.assertIn("<_srodata>:", listing, path)
            self.assertEqual(rv_gp_tp_uses(listing), [], f"{path}: the kernel uses gp/tp/t3-t6")

    def test_rv32_scan_finds_writes_and_gp_addressing(self):
        """The scan above flags each way of using gp/tp or t3-t6 (so a pass means none), and
        not a store of gp/tp or the switch code."""
        listing = "\n".join([
            "80000000 <f>:",
            "80000000:\t00201197          \tauipc\tgp,0x201",
            "80000004:\t8481a783          \tlw\ta5,-1976(gp) # 80200048 <mtime>",
            "80000008:\t4241                \tli\ttp,16",
            "8000000a:\tda0e                \tsw\tgp,52(sp)",
            "8000000b:\t01c5a023          \tsw\tt3,0(a1)",
            "8000000b:\t000e0e13          \tmv\ta0,t6",
            "8000000b:\t000e2503          \tlw\ta0,0(t4)",
            "8000000c <riscv_trap_entry>:",
            "8000000c:\t00c52183          \tlw\tgp,12(a0)",
            "80000010 <_srodata>:",
            "80000010:\t4241                \tli\ttp,16",
        ])
        self.assertEqual([line.split()[2] for _, line in rv_gp_tp_uses(listing)],
                         ["auipc", "lw", "li", "sw", "mv", "lw"])

    def test_pattern_finds_an_svc(self):
        """The pattern above matches objdump's line for an `svc` (so a pass means none)."""
        line = "    e4b8:\tdf00      \tsvc\t0\n"
        self.assertEqual(len(SVC.findall(line)), 1)


if __name__ == "__main__":
    unittest.main()
