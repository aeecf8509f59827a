# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tests for tools/loader_model.py (the kernel's load verdicts, worked out before booting) and
the kernel reasons tools/tbf.py attaches to a refused header.

The model's constants and texts are compared with the C sources they mirror, so a change to
the kernel that the model does not follow fails here; each verdict and stop line is produced
from a synthetic image on both boards. The QEMU case tockloader_installs_apps_that_boot
(tests/board/cases.py) compares the model with a real boot.

Usage: python3 -m unittest discover -s tests/tools -p test_loader_model.py -v
"""

import os
import re
import struct
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import board_info  # noqa: E402
import loader_model  # noqa: E402
import tbf  # noqa: E402

ROOT = os.path.dirname(support.TOOLS_DIR)
BOARDS = board_info.load_all()
KERNEL = loader_model.KERNEL


def source(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


def c_define(path, name):
    match = re.search(r"^#define %s (0x[0-9a-fA-F]+|\d+)u?\b" % name, source(path), re.M)
    if match is None:
        raise AssertionError("%s defines no %s" % (path, name))
    return int(match.group(1), 0)


def app(name="a", size=512, ram=1000, **fields):
    """An app TBF of `size` bytes whose header the kernel accepts (kernel 2.2, Program TLV)."""
    fields.setdefault("kernel_version", (2, 2))
    header = tbf.TbfHeader(total_size=size, package_name=name, minimum_ram_size=ram,
                           binary_end_offset=size, **fields)
    raw = tbf.encode_header(header)
    return raw + bytes(size - len(raw))


def image(*objects):
    """Objects back to back from the start of app flash, then the zero word that ends the list."""
    return b"".join(objects) + bytes(4)


def patched(raw, offset, value, fix_checksum=True):
    """`raw` with the u32 at `offset` set to `value`, the checksum redone when asked."""
    out = bytearray(raw)
    struct.pack_into("<I", out, offset, value)
    if fix_checksum:
        size = struct.unpack_from("<H", out, 2)[0]
        struct.pack_into("<I", out, 12, tbf.checksum(bytes(out[:size])))
    return bytes(out)


class ConstantsAreTheKernels(unittest.TestCase):
    def test_constants_equal_the_c_sources(self):
        for name in BOARDS:
            self.assertEqual(c_define("boards/%s/main.c" % name, "BOARD_PROCESSES"),
                             KERNEL.process_slots, name)
        self.assertEqual(c_define("boards/components/include/components/core.h",
                                  "CORE_RAM_HEADROOM"), KERNEL.ram_headroom)
        self.assertEqual((c_define("kernel/include/kernel/kernel.h", "KERNEL_VERSION_MAJOR"),
                          c_define("kernel/include/kernel/kernel.h", "KERNEL_VERSION_MINOR")),
                         KERNEL.version)
        self.assertEqual(c_define("kernel/include/kernel/process.h", "PROCESS_NAME_MAX"),
                         KERNEL.name_max)
        self.assertEqual(c_define("arch/cortex-m/include/arch/cortexm_frame.h",
                                  "CORTEXM_FRAME_BYTES"), KERNEL.cortexm_initial_brk)
        self.assertEqual(c_define("arch/cortex-m/include/arch/cortexm_mpu_layout.h",
                                  "CORTEXM_MPU_MIN_RAM"), KERNEL.cortexm_min_ram)
        self.assertEqual(c_define("libraries/include/tbf.h", "TBF_MAX_WRITEABLE_REGIONS"),
                         tbf.MAX_WRITEABLE_REGIONS)
        self.assertEqual(c_define("libraries/include/tbf.h", "TBF_MAX_STORAGE_IDS"),
                         tbf.STORAGE_MAX_IDS)

    def test_initial_break_and_request_limit_are_the_architectures(self):
        self.assertRegex(source("arch/cortex-m/context.c"),
                         r"arch_initial_app_brk_size\(void\)\s*\{\s*return CORTEXM_FRAME_BYTES;")
        self.assertRegex(source("arch/riscv/context.c"),
                         r"arch_initial_app_brk_size\(void\)\s*\{\s*return %d;"
                         % KERNEL.riscv_initial_brk)
        limit = "0x%xu" % KERNEL.max_request
        self.assertIn("min_size > %s" % limit, source("arch/cortex-m/mpu_layout.c"))
        self.assertIn("need > %s" % limit, source("arch/riscv/pmp.c"))

    def test_reasons_are_the_kernels_texts(self):
        loader = source("kernel/process_loader.c")
        parser = source("libraries/tbf.c")
        for name in dir(loader_model):
            if name.startswith("REASON_"):
                self.assertIn('"%s"' % getattr(loader_model, name), loader, name)
        for name in dir(tbf):
            if name.startswith("REASON_"):
                self.assertIn('"%s"' % getattr(tbf, name), parser, name)
        credentials = source("kernel/credentials.c")
        for reason in loader_model.HASH_MISMATCH_REASONS.values():
            self.assertIn('"%s"' % reason, credentials)
        self.assertIn('"application identifier already used by the app at 0x%08x"', credentials)
        self.assertIn('"short id 0x%08x already used by the app at 0x%08x"', credentials)
        self.assertIn("#define FNV_OFFSET %du" % loader_model.FNV_OFFSET, credentials)
        self.assertIn("#define FNV_PRIME %du" % loader_model.FNV_PRIME, credentials)
        self.assertIn('"no free process slot (%u of %u)"', loader)
        self.assertIn('"needs %llu bytes of RAM, %u left"', loader)
        self.assertIn('"[kernel] load: app %s%s%sat 0x%08x: skipped: %s\\n"', loader)
        self.assertIn('"[kernel] load: app \\"%s\\" at 0x%08x: loaded (flash 0x%08x-0x%08x, "\n'
                      '                 "RAM 0x%08x-0x%08x)\\n"', loader)
        self.assertIn('"[kernel] load: stop at 0x%08x: %s %u; %u bytes of app flash not '
                      'walked\\n"', loader)
        self.assertIn('"[kernel] load: %u of %u apps running\\n"', loader)


class HeaderReasons(unittest.TestCase):
    """tbf.parse_tbf refuses what libraries/tbf.c refuses, with the kernel's reason."""

    def reason(self, raw):
        with self.assertRaises(tbf.TbfError) as caught:
            tbf.parse_tbf(raw, check_footers=False)
        return caught.exception.reason

    def test_each_malformed_header_gets_the_kernels_reason(self):
        good = app()
        tbf.parse_tbf(good, check_footers=False)
        size = struct.unpack_from("<H", good, 2)[0]
        bad_name = tbf.TbfHeader(total_size=512, package_name="x", kernel_version=(2, 2),
                                 binary_end_offset=512)
        raw_name = bytearray(tbf.encode_header(bad_name) + bytes(512))[:512]
        name_at = next(o for t, o, _ in tbf.parse_tbf(bytes(raw_name)).tlvs
                       if t == tbf.TLV_PACKAGE_NAME)
        raw_name[name_at + 4] = 0xFF
        cases = [
            (patched(good, 12, 0, fix_checksum=False), tbf.REASON_CHECKSUM),
            (patched(good, 0, 2 | (size + 2) << 16, fix_checksum=False), tbf.REASON_HEADER_SIZE),
            (patched(good, 0, 2 | 8 << 16, fix_checksum=False), tbf.REASON_HEADER_SIZE),
            (patched(good, 16, tbf.TLV_MAIN | 0x4000 << 16), tbf.REASON_TLV_BOUNDS),
            (patched(good, 16, tbf.TLV_MAIN | 8 << 16), tbf.REASON_TLV_LENGTH),
            (patched(bytes(raw_name), 12, tbf.checksum(bytes(raw_name[:size]))),
             tbf.REASON_PACKAGE_NAME),
            (app(writeable_flash_regions=[(0x100, 4)] * 9), tbf.REASON_TOO_MANY),
            (app(storage=(1, list(range(9)), [])), tbf.REASON_TOO_MANY),
            (app(init_fn_offset=512), tbf.REASON_PROGRAM),
            (app(protected_trailer_size=1024), tbf.REASON_PROGRAM),
            (patched(good, 4, 0x10000), tbf.REASON_TOTAL_SIZE),
            (patched(good, 0, 3 | size << 16), tbf.REASON_VERSION),
        ]
        for raw, reason in cases:
            with self.subTest(reason=reason):
                self.assertEqual(self.reason(raw), reason)

    def test_with_flags_keeps_the_header_valid(self):
        disabled = tbf.with_flags(app(), 0)
        parsed = tbf.parse_tbf(disabled, check_footers=False)
        self.assertFalse(parsed.header.is_enabled)
        self.assertEqual(disabled[16:], app()[16:])
        self.assertEqual(tbf.with_flags(disabled, tbf.FLAG_ENABLED), app())


class Verdicts(unittest.TestCase):
    def predict(self, board, *objects):
        return loader_model.predict(board, image(*objects))

    def test_loaded_apps_get_flash_and_ram_as_the_mpu_carves_them(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                report = self.predict(board, app("a"), app("b", ram=100))
                start, ram = board.app_flash.start, board.app_ram.start
                if board.arch == "cortex-m":   # 1000 + 2048 -> a 4 KiB block, half-aligned
                    blocks = [(ram, ram + 4096), (ram + 4096, ram + 8192)]
                else:                          # exact, rounded to 4
                    blocks = [(ram, ram + 3048), (ram + 3048, ram + 3048 + 2148)]
                self.assertEqual([(v.flash, v.ram) for v in report.verdicts],
                                 [((start, start + 512), blocks[0]),
                                  ((start + 512, start + 1024), blocks[1])])
                self.assertEqual(report.lines()[-1], "[kernel] load: 2 of 2 apps running")
                self.assertEqual(report.end, start + 1024)

    def test_every_skip_reason(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                ram = board.app_ram
                objects = [
                    app("off", flags=0),
                    app("nokv", kernel_version=None),
                    app("kv24", kernel_version=(2, 4)),
                    app("kv3", kernel_version=(3, 0)),
                    app("moved", fixed_flash=board.app_flash.start),
                    app("wfr", writeable_flash_regions=[(0, 16)]),
                    app("ramout", fixed_ram=ram.end),
                    app("ramodd", fixed_ram=ram.start + 0x10002),
                    app("huge", ram=ram.size),
                    tbf.padding_tbf(512),
                    patched(app("sum"), 12, 0, fix_checksum=False),
                ]
                report = self.predict(board, *objects)
                reasons = [(v.shown_name, v.reason) for v in report.verdicts]
                huge = report.verdicts[8]
                self.assertEqual(reasons[:8], [
                    ("off", "disabled"), ("nokv", "no kernel version TLV"),
                    ("kv24", "needs an incompatible kernel version"),
                    ("kv3", "needs an incompatible kernel version"),
                    ("moved", "linked for a different flash address"),
                    ("wfr", "writeable flash region outside the app's own image"),
                    ("ramout", "fixed RAM address already taken or outside app RAM"),
                    ("ramodd", "fixed RAM address not aligned as the MPU requires")])
                self.assertRegex(huge.reason, r"^needs \d+ bytes of RAM, %d left$" % ram.size)
                self.assertEqual(reasons[9], (None, "header checksum mismatch"))
                self.assertEqual(len(report.padding), 1)  # padding is not an app
                self.assertEqual(report.lines()[9], "[kernel] load: app at 0x%08x: skipped: "
                                 "header checksum mismatch" % (board.app_flash.start + 10 * 512))
                self.assertEqual(report.lines()[-1], "[kernel] load: 0 of 10 apps running")

    def test_fixed_ram_below_the_cursor_is_taken(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                report = self.predict(board, app("first"),
                                      app("second", fixed_ram=board.app_ram.start))
                self.assertEqual(report.verdicts[1].reason,
                                 "fixed RAM address already taken or outside app RAM")

    def test_slots_run_out_but_the_walk_names_every_app(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                apps = [app("i%d" % i, ram=100) for i in range(KERNEL.process_slots + 2)]
                report = self.predict(board, *apps)
                self.assertEqual(report.running, KERNEL.process_slots)
                self.assertEqual([v.reason for v in report.verdicts[-2:]],
                                 ["no free process slot (8 of 8)"] * 2)

    def test_mpu_flash_rule_per_architecture(self):
        self.assertTrue(loader_model.cortexm_can_cover_flash(0x4000, 0x2000))
        self.assertTrue(loader_model.cortexm_can_cover_flash(0x4200, 0x200))
        self.assertTrue(loader_model.cortexm_can_cover_flash(0x4300, 0x500))   # subregions
        self.assertFalse(loader_model.cortexm_can_cover_flash(0x4010, 0x30))
        self.assertFalse(loader_model.cortexm_can_cover_flash(0x4000, 16))
        self.assertTrue(loader_model.riscv_can_cover_flash(0x4004, 0x30))
        self.assertFalse(loader_model.riscv_can_cover_flash(0x4002, 0x30))
        mps2 = BOARDS["qemu_mps2_an385"]
        odd = tbf.TbfHeader(total_size=48, package_name="", kernel_version=(2, 2),
                            has_program=False)
        raw = tbf.encode_header(odd)
        report = self.predict(mps2, tbf.padding_tbf(16), raw + bytes(48 - len(raw)))
        self.assertEqual(report.verdicts[0].reason, "flash placement the MPU cannot cover")
        self.assertEqual(report.verdicts[0].shown_name, "-")

    def test_names_are_shown_as_the_kernel_copies_them(self):
        board = BOARDS["qemu_rv32_virt"]
        report = self.predict(board, app('a"b\tc'), app("n" * 40))
        self.assertEqual([v.shown_name for v in report.verdicts], ["a?b?c", "n" * 32])

    def test_stop_lines(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                flash = board.app_flash
                three = patched(app("x"), 0, 3 | 16 << 16, fix_checksum=False)
                report = self.predict(board, app("a"), three, app("never"))
                self.assertEqual(report.stop.line(), "[kernel] load: stop at 0x%08x: unknown TBF "
                                 "version 3; %d bytes of app flash not walked"
                                 % (flash.start + 512, flash.size - 512))
                self.assertEqual([v.shown_name for v in report.verdicts], ["a"])
                self.assertEqual(report.lines()[-1], "[kernel] load: 1 of 1 apps running")
                short = patched(app("x"), 4, 8, fix_checksum=False)
                report = self.predict(board, short)
                self.assertEqual(report.stop.line(), "[kernel] load: stop at 0x%08x: bad total "
                                 "size 8; %d bytes of app flash not walked"
                                 % (flash.start, flash.size))
                self.assertIsNone(report.end)

    def test_blank_flash_ends_the_list(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                for blank in (b"", bytes(64), b"\xff" * 64):
                    report = loader_model.predict(board, app("a") + blank)
                    self.assertEqual(report.lines(), [report.verdicts[0].line(),
                                                      "[kernel] load: 1 of 1 apps running"])


if __name__ == "__main__":
    unittest.main()
