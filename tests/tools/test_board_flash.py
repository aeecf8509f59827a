# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tests for the QEMU flash files of tools/qemu_flash.py: they are written under build/ only
(an image given as `-` once left a 32 MiB `-.pflash1` in the working directory), start erased,
and are kept for exactly one more run when asked.

Usage: python3 -m unittest discover -s tests/tools -v
"""

import os
import tempfile
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import qemu_flash  # noqa: E402  (tools/qemu_flash.py)

ROOT = os.path.dirname(support.TOOLS_DIR)
FLASH_DIR = os.path.join(ROOT, "build", "qemu-flash")
SIZE = 32 << 20


class FlashFiles(unittest.TestCase):
    def test_written_under_build_whatever_the_image_path(self):
        with tempfile.TemporaryDirectory() as cwd:
            old = os.getcwd()
            os.chdir(cwd)
            try:
                for image in ("-", os.path.join(cwd, "elsewhere.bin")):
                    path = qemu_flash.flash_file(image, SIZE)
                    try:
                        self.assertEqual(os.path.dirname(path), FLASH_DIR)
                        self.assertEqual(os.listdir(cwd), [])
                        self.assertEqual(os.path.getsize(path), SIZE)
                    finally:
                        os.remove(path)
            finally:
                os.chdir(old)

    def test_erased_each_run_unless_kept_once(self):
        image = os.path.join(tempfile.gettempdir(), "tockc-flash-test.bin")
        path = qemu_flash.flash_file(image, SIZE)
        try:
            with open(path, "r+b") as f:
                f.write(b"\x00\x01")
            qemu_flash.keep_flash_for_next_run(image)
            with open(qemu_flash.flash_file(image, SIZE), "rb") as f:
                self.assertEqual(f.read(2), b"\x00\x01")  # kept once
            with open(qemu_flash.flash_file(image, SIZE), "rb") as f:
                self.assertEqual(f.read(2), b"\xff\xff")  # erased again
        finally:
            os.remove(path)


if __name__ == "__main__":
    unittest.main()
