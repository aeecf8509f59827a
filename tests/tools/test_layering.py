# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The build enforces the layering: libraries < hil < kernel < capsules < chips < boards, with
arch beside the kernel (boards/layers.mk, doc/reference/000-code-rules.md section 1).

Each source of the kernel image is compiled with its own layer's include list. These tests ask
make for the lists, check that none reaches a higher layer, that the real compile rule uses
them, and that a probe source including a higher layer's header fails to compile while one
including a lower layer's header compiles.

Usage: python3 -m unittest discover -s tests/tools -p test_layering.py -v
"""

import os
import subprocess
import tempfile
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

ROOT = os.path.dirname(support.TOOLS_DIR)
BOARD = "qemu_mps2_an385"
CC = "arm-none-eabi-gcc"

# A source of each layer, and the include directories no source of that layer may see.
LAYERS = {
    "libraries/errorcode.c": ("hil/", "kernel/", "arch/", "capsules/", "chips/", "boards/"),
    "hil/probe.c": ("kernel/", "arch/", "capsules/", "chips/", "boards/"),
    "kernel/grant.c": ("hil/", "kernel/ipc/", "capsules/", "chips/", "boards/"),
    "arch/cortex-m/context.c": ("hil/", "kernel/ipc/", "capsules/", "chips/", "boards/"),
    "kernel/ipc/ipc.c": ("capsules/", "chips/", "boards/"),
    "capsules/core/led.c": ("kernel/ipc/", "chips/", "boards/"),
    "chips/cmsdk/uart.c": ("kernel/ipc/", "boards/"),
    "boards/qemu_mps2_an385/main.c": (),
}


def layer_includes(path):
    out = subprocess.run(["make", "-s", f"BOARD={BOARD}", "print-layer-includes", f"FILE={path}"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return out.split()


def compiles(source_text, includes):
    with tempfile.TemporaryDirectory(prefix="tockc-layering-") as tmp:
        probe = os.path.join(tmp, "probe.c")
        with open(probe, "w") as f:
            f.write(source_text)
        proc = subprocess.run([CC, "-std=c11", "-ffreestanding", "-mcpu=cortex-m3", "-mthumb",
                               "-fsyntax-only"] + includes + [probe],
                              cwd=ROOT, capture_output=True, text=True)
        return proc.returncode == 0, proc.stderr


class Layering(unittest.TestCase):
    def test_no_layer_sees_a_higher_one(self):
        for source, forbidden in LAYERS.items():
            includes = layer_includes(source)
            self.assertTrue(includes, f"{source}: no include list")
            for flag in includes:
                directory = flag[len("-I"):]
                self.assertTrue(os.path.isdir(os.path.join(ROOT, directory)), flag)
                for top in forbidden:
                    self.assertFalse(directory.startswith(top),
                                     f"{source} may include from {directory}")

    def test_an_unknown_directory_gets_no_include_list(self):
        self.assertEqual(layer_includes("stray/file.c"), [])

    def test_the_compile_rule_uses_the_layer_list(self):
        obj = f"build/{BOARD}/obj/capsules/core/led.c.o"
        out = subprocess.run(["make", "-n", "-B", f"BOARD={BOARD}", obj], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        lines = [line for line in out.splitlines()
                 if "capsules/core/led.c" in line and " -c " in line]
        self.assertEqual(len(lines), 1, out)
        flags = [w for w in lines[0].split() if w.startswith("-I")]
        self.assertEqual(flags, layer_includes("capsules/core/led.c"))

    def test_a_capsule_including_a_chip_header_does_not_build(self):
        ok, err = compiles('#include "cmsdk/uart.h"\n', layer_includes("capsules/core/led.c"))
        self.assertFalse(ok)
        self.assertIn("cmsdk/uart.h", err)
        ok, err = compiles('#include "cmsdk/uart.h"\n', layer_includes("chips/cmsdk/uart.c"))
        self.assertTrue(ok, err)

    def test_the_kernel_including_a_capsule_or_hil_header_does_not_build(self):
        kernel = layer_includes("kernel/grant.c")
        for header in ("support/mutex.h", "hil/alarm.h", "ipc/ipc.h"):
            ok, err = compiles(f'#include "{header}"\n', kernel)
            self.assertFalse(ok, header)
            self.assertIn(header, err)
        ok, err = compiles('#include "kernel/kernel.h"\n', kernel)
        self.assertTrue(ok, err)

    def test_a_library_including_the_kernel_does_not_build(self):
        ok, err = compiles('#include "kernel/grant.h"\n', layer_includes("libraries/mem.c"))
        self.assertFalse(ok)
        self.assertIn("kernel/grant.h", err)


if __name__ == "__main__":
    unittest.main()
