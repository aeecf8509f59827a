# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tests for tools/mkimage.py (placing TBFs in app flash) and tools/tbfdump.py.

Real TBFs packed from the fixture app check the QEMU RISC-V slot layout and
Cortex-M alignment end to end (command-line order kept with padding, and the
reported largest-first fallback); synthetic TBFs built with the tbf module
cover error paths and corner cases.

Usage: python3 -m unittest discover -s tests/tools -v
"""

import os
import struct
import unittest

import support
from support import pack, run_tool, xor_checksum

import mkimage  # noqa: E402  (tools/, put on sys.path by support)
import tbf      # noqa: E402

LIBTOCK_C_ARGS = ["--kernel-major", "2", "--kernel-minor", "2", "--minimum-footer-size", "3000"]
RV_FLASH = 0x80100000
RV_FLASH_SIZE = 0x100000


def out_path(name):
    return os.path.join(support.work_dir(), name)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def write(name, data):
    path = out_path(name)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def synthetic_tbf(size, name="s", fixed_flash=None, fixed_ram=None, protected=None):
    """A parseable app TBF of exactly `size` bytes (tiny binary, Reserved footer).

    `protected` (header + trailer) defaults to the bare header size.
    """
    header = tbf.TbfHeader(package_name=name, fixed_flash=fixed_flash, fixed_ram=fixed_ram,
                           kernel_version=(2, 2))
    header_size = tbf.header_size(header)
    trailer = 0 if protected is None else protected - header_size
    header.protected_trailer_size = trailer
    header.binary_end_offset = header_size + trailer + 4
    header.total_size = size
    raw = tbf.encode_header(header)
    footer_size = size - header.binary_end_offset
    footer = tbf.reserved_credentials(footer_size) if footer_size >= 8 else bytes(footer_size)
    return raw + bytes(trailer + 4) + footer


def run_mkimage(output, arch, start, size, *inputs, extra=()):
    if os.path.exists(output):
        os.remove(output)
    return run_tool("mkimage.py", "--arch", arch, "--flash-start", hex(start),
                    "--flash-size", hex(size), "-o", output, *(list(extra) + list(inputs)))


def assert_padding(test, image, offset, size):
    test.assertEqual(struct.unpack_from("<HHII", image, offset), (2, 16, size, 0))
    test.assertEqual(struct.unpack_from("<I", image, offset + 12)[0],
                     xor_checksum(image[offset:offset + 16]))


@unittest.skipUnless(support.have_toolchain("rv32"), "riscv64-unknown-elf-gcc not installed")
class RiscvPlacementTest(unittest.TestCase):
    """ABI §6.2 slots on qemu rv32 virt: TBFs at 0x80100000, 0x80110000."""

    @classmethod
    def setUpClass(cls):
        slot1 = support.build_app("rv32", 0x80100080, 0x80300000)
        slot2 = support.build_app("rv32", 0x80110080, 0x80310000)
        movable = support.build_app("rv32", 0x80000000, 0)     # PIC sentinels: no TLV 5
        cls.blink = out_path("slot1.tbf")
        cls.two = out_path("slot2.tbf")
        cls.pic = out_path("pic-rv.tbf")
        pack(slot1, cls.blink, "-n", "blink", *LIBTOCK_C_ARGS)
        pack(slot2, cls.two, "-n", "two", *LIBTOCK_C_ARGS)
        pack(movable, cls.pic, "-n", "pic", *LIBTOCK_C_ARGS)

    def test_fixed_apps_land_on_their_slots_with_padding_between(self):
        output = out_path("rv-apps.bin")
        result = run_mkimage(output, "riscv", RV_FLASH, RV_FLASH_SIZE,
                             self.pic, self.two, self.blink)
        self.assertEqual(result.returncode, 0, result.stderr)
        image = read(output)
        blink, two, pic = read(self.blink), read(self.two), read(self.pic)
        self.assertEqual(image[:len(blink)], blink)
        assert_padding(self, image, len(blink), 0x10000 - len(blink))
        self.assertEqual(image[0x10000:0x10000 + len(two)], two)
        pic_at = tbf.align_up(0x10000 + len(two), 4)
        self.assertEqual(pic_at, 0x10000 + len(two))            # RISC-V TBFs are word sized
        self.assertEqual(image[pic_at:pic_at + len(pic)], pic)
        self.assertEqual(image[pic_at + len(pic):], bytes(4))     # explicit end-of-list word
        for offset, fixed in ((0, 0x80100080), (0x10000, 0x80110080)):
            app = tbf.parse_tbf(image, offset)
            self.assertEqual(RV_FLASH + offset + app.header.protected_size, fixed)
            self.assertEqual(app.header.fixed_flash, fixed)

    def test_kernel_style_walk_sees_every_object(self):
        output = out_path("rv-walk.bin")
        self.assertEqual(run_mkimage(output, "riscv", RV_FLASH, RV_FLASH_SIZE,
                                     self.two, self.blink).returncode, 0)
        apps = tbf.walk_image(read(output))
        self.assertEqual([(a.offset, a.is_padding, a.header.package_name) for a in apps],
                         [(0, False, "blink"), (len(read(self.blink)), True, ""),
                          (0x10000, False, "two")])

    def test_slot1_alone_is_the_tbf_plus_terminator(self):
        output = out_path("rv-one.bin")
        self.assertEqual(run_mkimage(output, "riscv", RV_FLASH, RV_FLASH_SIZE,
                                     self.blink).returncode, 0)
        self.assertEqual(read(output), read(self.blink) + bytes(4))

    def test_same_slot_twice_overlaps(self):
        output = out_path("rv-overlap.bin")
        result = run_mkimage(output, "riscv", RV_FLASH, RV_FLASH_SIZE, self.blink, self.blink)
        self.assertEqual(result.returncode, 1)
        self.assertIn("overlaps", result.stderr)
        self.assertFalse(os.path.exists(output))

    def test_fixed_address_outside_region(self):
        result = run_mkimage(out_path("rv-out.bin"), "riscv", 0x80200000, 0x100000, self.blink)
        self.assertEqual(result.returncode, 1)
        self.assertIn("outside the app flash region", result.stderr)

    def test_movable_app_that_does_not_fit(self):
        size = 0x10000 + len(read(self.two)) + 64            # room for slot 2, not for pic
        result = run_mkimage(out_path("rv-full.bin"), "riscv", RV_FLASH, size,
                             self.blink, self.two, self.pic)
        self.assertEqual(result.returncode, 1)
        self.assertIn("does not fit", result.stderr)

    def test_tbfdump_prints_image_with_absolute_addresses(self):
        output = out_path("rv-dump.bin")
        run_mkimage(output, "riscv", RV_FLASH, RV_FLASH_SIZE, self.blink, self.two)
        result = run_tool("tbfdump.py", "--base", "0x80100000", output)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("TBF at 0x80100000..0x%08x" % (RV_FLASH + len(read(self.blink))),
                      result.stdout)
        self.assertIn(": padding", result.stdout)
        self.assertIn("TBF at 0x80110000", result.stdout)
        self.assertIn("app binary at 0x80110080", result.stdout)
        self.assertIn("end of list at 0x%08x (next word 0x00000000)"
                      % (0x80110000 + len(read(self.two))), result.stdout)


@unittest.skipUnless(support.have_toolchain("arm"), "arm-none-eabi-gcc not installed")
class CortexMPlacementTest(unittest.TestCase):
    """Largest-first placement with every TBF aligned to its power-of-two size."""

    @classmethod
    def setUpClass(cls):
        elf_path = support.build_app("arm", 0x80000000, 0)
        cls.small = out_path("arm-512.tbf")
        cls.medium = out_path("arm-4k.tbf")
        cls.large = out_path("arm-16k.tbf")
        pack(elf_path, cls.small, "-n", "small")
        pack(elf_path, cls.medium, "-n", "medium", "--minimum-footer-size", "3000")
        pack(elf_path, cls.large, "-n", "large", "--minimum-footer-size", "9000")

    def test_input_sizes(self):
        self.assertEqual([len(read(p)) for p in (self.small, self.medium, self.large)],
                         [512, 4096, 16384])

    def test_command_line_order_kept_with_padding(self):
        output = out_path("arm-apps.bin")
        result = run_mkimage(output, "cortex-m", 0x00100000, 0x300000,
                             self.small, self.medium, self.large)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")                  # nothing reordered, no note
        image = read(output)
        apps = tbf.walk_image(image)
        self.assertEqual([(a.offset, a.total_size, a.header.package_name) for a in apps],
                         [(0, 512, "small"), (512, 3584, ""), (4096, 4096, "medium"),
                          (8192, 8192, ""), (16384, 16384, "large")])
        assert_padding(self, image, 512, 3584)
        assert_padding(self, image, 8192, 8192)
        for app in apps:
            if not app.is_padding:
                self.assertEqual((0x00100000 + app.offset) % app.total_size, 0)
        self.assertEqual(image[16384:32768], read(self.large))
        self.assertEqual(len(image), 32768 + 4)

    def test_largest_first_fallback_when_order_does_not_fit_is_reported(self):
        output = out_path("arm-tight.bin")
        # 0x5200 holds 16K + 4K + 512 only without gaps, i.e. largest first.
        result = run_mkimage(output, "cortex-m", 0x00100000, 0x5200,
                             self.small, self.medium, self.large)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1)
        self.assertIn("do not fit in the order given; flash order chosen: arm-16k.tbf, "
                      "arm-4k.tbf, arm-512.tbf", result.stderr)
        apps = tbf.walk_image(read(output))
        self.assertEqual([(a.offset, a.header.package_name) for a in apps],
                         [(0, "large"), (16384, "medium"), (20480, "small")])

    def test_unaligned_region_start_gets_leading_padding(self):
        output = out_path("arm-unaligned.bin")
        result = run_mkimage(output, "cortex-m", 0x00101000, 0x200000,
                             self.large, self.small, self.medium)
        self.assertEqual(result.returncode, 0, result.stderr)
        image = read(output)
        assert_padding(self, image, 0, 0x3000)               # 0x101000 -> 0x104000
        apps = tbf.walk_image(image)
        placed = [(0x00101000 + a.offset, a.total_size) for a in apps if not a.is_padding]
        self.assertEqual(placed, [(0x104000, 16384), (0x108000, 512), (0x109000, 4096)])

    def test_order_kept_after_a_small_first_app(self):
        output = out_path("arm-small-first.bin")
        result = run_mkimage(output, "cortex-m", 0x00101000, 0x200000,
                             self.small, self.large, self.medium)
        self.assertEqual(result.returncode, 0, result.stderr)
        image = read(output)
        assert_padding(self, image, 0x200, 0x2E00)           # 0x101200 -> 0x104000
        apps = tbf.walk_image(image)
        placed = [(0x00101000 + a.offset, a.total_size) for a in apps if not a.is_padding]
        self.assertEqual(placed, [(0x101000, 512), (0x104000, 16384), (0x108000, 4096)])

    def test_equal_sizes_keep_command_line_order(self):
        other = out_path("arm-512-b.tbf")
        pack(support.build_app("arm", 0x80000000, 0), other, "-n", "second")
        output = out_path("arm-equal.bin")
        run_mkimage(output, "cortex-m", 0x00100000, 0x10000, self.small, other)
        names = [a.header.package_name for a in tbf.walk_image(read(output))]
        self.assertEqual(names, ["small", "second"])

    def test_too_big_for_region(self):
        result = run_mkimage(out_path("arm-big.bin"), "cortex-m", 0x00100000, 0x2000,
                             self.large)
        self.assertEqual(result.returncode, 1)
        self.assertIn("does not fit", result.stderr)

    def test_riscv_sized_tbf_rejected_on_cortex_m(self):
        path = write("odd-size.tbf", synthetic_tbf(700, "odd"))
        result = run_mkimage(out_path("arm-odd.bin"), "cortex-m", 0x00100000, 0x10000, path)
        self.assertEqual(result.returncode, 1)
        self.assertIn("not a power of two", result.stderr)


class PlacementCornerCaseTest(unittest.TestCase):
    """Synthetic TBFs: no compiler needed."""

    def test_fixed_app_with_trailer_and_movable_apps_after_it(self):
        fixed = synthetic_tbf(0x400, "fixed", fixed_flash=0x20040080, fixed_ram=0x80002800,
                              protected=0x80)
        items = [mkimage.load_tbf("m1", synthetic_tbf(0x100, "m1")),
                 mkimage.load_tbf("fixed", fixed),
                 mkimage.load_tbf("m2", synthetic_tbf(0x60, "m2"))]
        placed = mkimage.place(items, "riscv", 0x20040000, 0x10000)
        self.assertEqual([(p.address, p.item.name) for p in placed],
                         [(0x20040000, "fixed"), (0x20040400, "m1"), (0x20040500, "m2")])
        image = mkimage.build_image(placed, 0x20040000, 0x10000)
        self.assertEqual(len(image), 0x560 + 4)
        self.assertEqual(tbf.parse_tbf(image).header.protected_size, 0x80)

    def test_gap_too_small_for_padding_object(self):
        first = synthetic_tbf(0x78, "a", fixed_flash=0x1000 + 0x60, protected=0x60)
        second = synthetic_tbf(0x78, "b", fixed_flash=0x1080 + 0x60, protected=0x60)
        path_a, path_b = write("gap-a.tbf", first), write("gap-b.tbf", second)
        result = run_mkimage(out_path("gap.bin"), "riscv", 0x1000, 0x1000, path_a, path_b)
        self.assertEqual(result.returncode, 1)
        self.assertIn("8-byte gap", result.stderr)

    def test_movable_app_follows_fixed_app_directly(self):
        items = [mkimage.load_tbf("a", synthetic_tbf(0x78, "a", fixed_flash=0x1060,
                                                     protected=0x60)),
                 mkimage.load_tbf("b", synthetic_tbf(0x100, "b"))]
        placed = mkimage.place(items, "riscv", 0x1000, 0x1000)
        self.assertEqual([p.address for p in placed], [0x1000, 0x1078])
        image = mkimage.build_image(placed, 0x1000, 0x1000)
        self.assertEqual([a.offset for a in tbf.walk_image(image)], [0, 0x78])

    def test_fixed_app_misaligned_for_cortex_m_mpu(self):
        items = [mkimage.load_tbf("a", synthetic_tbf(0x100, "a", fixed_flash=0x1080 + 0x60,
                                                     protected=0x60))]
        with self.assertRaisesRegex(mkimage.ImageError, "MPU"):
            mkimage.place(items, "cortex-m", 0x1000, 0x1000)

    def test_cortex_m_keeps_given_order_with_padding(self):
        items = [mkimage.load_tbf("small", synthetic_tbf(0x100, "small")),
                 mkimage.load_tbf("big", synthetic_tbf(0x400, "big"))]
        placed = mkimage.place(items, "cortex-m", 0x1000, 0x1000)
        self.assertEqual([(p.address, p.item.name) for p in placed],
                         [(0x1000, "small"), (0x1400, "big")])
        self.assertIsNone(mkimage.reorder_note(items, placed))
        image = mkimage.build_image(placed, 0x1000, 0x1000)
        walked = tbf.walk_image(image)
        self.assertEqual([(a.offset, a.is_padding) for a in walked],
                         [(0, False), (0x100, True), (0x400, False)])

    def test_cortex_m_reorders_only_when_the_order_does_not_fit(self):
        items = [mkimage.load_tbf("small", synthetic_tbf(0x100, "small")),
                 mkimage.load_tbf("big", synthetic_tbf(0x400, "big"))]
        placed = mkimage.place(items, "cortex-m", 0x1000, 0x500)
        self.assertEqual([(p.address, p.item.name) for p in placed],
                         [(0x1000, "big"), (0x1400, "small")])
        self.assertEqual(mkimage.reorder_note(items, placed),
                         "the apps do not fit in the order given; flash order chosen: big, "
                         "small")
        with self.assertRaisesRegex(mkimage.ImageError, "does not fit"):
            mkimage.place(items, "cortex-m", 0x1000, 0x4f0)

    def test_cortex_m_movable_apps_after_fixed_keep_order(self):
        items = [mkimage.load_tbf("m1", synthetic_tbf(0x100, "m1")),
                 mkimage.load_tbf("fixed", synthetic_tbf(0x200, "fixed", fixed_flash=0x1060,
                                                         protected=0x60)),
                 mkimage.load_tbf("m2", synthetic_tbf(0x400, "m2"))]
        placed = mkimage.place(items, "cortex-m", 0x1000, 0x1000)
        self.assertEqual([(p.address, p.item.name) for p in placed],
                         [(0x1000, "fixed"), (0x1200, "m1"), (0x1400, "m2")])
        self.assertIsNone(mkimage.reorder_note(items, placed))

    def test_region_filled_exactly_has_no_terminator(self):
        path = write("exact.tbf", synthetic_tbf(0x100, "exact"))
        output = out_path("exact.bin")
        self.assertEqual(run_mkimage(output, "riscv", 0x1000, 0x100, path).returncode, 0)
        self.assertEqual(len(read(output)), 0x100)

    def test_fill_option_and_empty_list(self):
        output = out_path("empty.bin")
        self.assertEqual(run_mkimage(output, "riscv", 0x1000, 0x100).returncode, 0)
        self.assertEqual(read(output), bytes(4))
        path = write("fill.tbf", synthetic_tbf(0x60, "fill"))
        self.assertEqual(run_mkimage(output, "riscv", 0x1000, 0x100, path,
                                     extra=["--fill"]).returncode, 0)
        image = read(output)
        self.assertEqual(len(image), 0x100)
        self.assertEqual(image[:0x60], read(path))
        self.assertEqual(image[0x60:], bytes(0xA0))

    def test_fixed_ram_order_warning(self):
        low = write("ram-a.tbf", synthetic_tbf(0x100, "a", fixed_flash=0x1060,
                                               fixed_ram=0x90000, protected=0x60))
        high = write("ram-b.tbf", synthetic_tbf(0x100, "b", fixed_flash=0x1160,
                                                fixed_ram=0x80000, protected=0x60))
        result = run_mkimage(out_path("ram.bin"), "riscv", 0x1000, 0x1000, low, high)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("warning", result.stderr)
        self.assertIn("0x00080000", result.stderr)

    def test_bad_inputs_are_rejected(self):
        good = synthetic_tbf(0x100, "good")
        corrupt = bytearray(good)
        corrupt[0x14] ^= 0xFF
        cases = {
            "elf.tbf": (b"\x7fELF" + bytes(60), "not a valid TBF"),
            "short.tbf": (good[:0x80], "exceeds"),
            "long.tbf": (good + bytes(16), "file is 272 bytes"),
            "checksum.tbf": (bytes(corrupt), "checksum"),
            "padding.tbf": (tbf.padding_tbf(64), "padding object"),
        }
        for name, (data, message) in cases.items():
            with self.subTest(name=name):
                output = out_path("bad-" + name + ".bin")
                result = run_mkimage(output, "riscv", 0x1000, 0x1000, write(name, data))
                self.assertEqual(result.returncode, 1)
                self.assertIn(message, result.stderr)
                self.assertFalse(os.path.exists(output))

    def test_missing_file(self):
        result = run_mkimage(out_path("missing.bin"), "riscv", 0x1000, 0x1000,
                             out_path("no-such.tbf"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("No such file", result.stderr)

    def test_tbfdump_reports_corrupt_file(self):
        corrupt = bytearray(synthetic_tbf(0x100, "c"))
        corrupt[0x14] ^= 0xFF
        result = run_tool("tbfdump.py", write("corrupt-dump.tbf", bytes(corrupt)))
        self.assertEqual(result.returncode, 1)
        self.assertIn("checksum mismatch", result.stderr)


if __name__ == "__main__":
    unittest.main()
