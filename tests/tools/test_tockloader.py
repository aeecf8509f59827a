# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tests for tools/tockloader.py (installing and managing the apps of an app-flash image) and
tools/tab.py (reading and writing TABs).

Synthetic TBFs (tools/tbf.py) reach every refusal and placement rule on both boards; TABs are
built in the tests with tarfile, from synthetic TBFs and from the apps `make apps` packed
(those tests are skipped until build/apps/ holds them). Every refusal must leave the image
byte for byte as it was. The QEMU case tockloader_installs_apps_that_boot (tests/board/cases.py)
boots an image this tool wrote.

Usage: python3 -m unittest discover -s tests/tools -p test_tockloader.py -v
"""

import contextlib
import io
import os
import re
import struct
import tarfile
import tempfile
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import board_info  # noqa: E402
import loader_model  # noqa: E402
import qemu_image  # noqa: E402
import tab  # noqa: E402
import tbf  # noqa: E402
import tockloader  # noqa: E402

BOARDS = board_info.load_all()
MPS2 = BOARDS["qemu_mps2_an385"]
VIRT = BOARDS["qemu_rv32_virt"]


def app(name, size=512, ram=1000, **fields):
    """An app TBF the kernel accepts: kernel 2.2, a Program TLV, a Reserved footer filling it."""
    fields.setdefault("kernel_version", (2, 2))
    header = tbf.TbfHeader(package_name=name, minimum_ram_size=ram, **fields)
    header_size = tbf.header_size(header)
    protected = header_size + header.protected_trailer_size
    header.total_size = size
    header.binary_end_offset = protected + 64
    raw = tbf.encode_header(header) + bytes(header.protected_trailer_size + 64)
    return raw + tbf.reserved_credentials(size - len(raw))


def slot_app(board, number, name, ram=1000, size=1024, fixed_ram=None):
    """An app linked for `board`'s fixed-address slot `number`, as libtock-c links one."""
    slot = board.slots[number - 1]
    header = tbf.TbfHeader(package_name=name, kernel_version=(2, 2), fixed_flash=slot.binary,
                           fixed_ram=slot.ram if fixed_ram is None else fixed_ram)
    trailer = board.slot_header_room - tbf.header_size(header)
    return app(name, size, ram, fixed_flash=slot.binary, protected_trailer_size=trailer,
               fixed_ram=slot.ram if fixed_ram is None else fixed_ram)


def libtock_name(board, number):
    """The TAB member name libtock-c gives the build for slot `number`."""
    return dict(qemu_image.tab_targets(board))[number]


class Workspace(unittest.TestCase):
    """A temporary directory per test, an image path in it, and the tool run in-process."""

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="tockloader-test-")
        self.addCleanup(self.directory.cleanup)
        self.image = self.path("apps.bin")

    def path(self, name):
        return os.path.join(self.directory.name, name)

    def write(self, name, data):
        with open(self.path(name), "wb") as handle:
            handle.write(data)
        return self.path(name)

    def tab(self, name, builds, app_name="t", **metadata_lines):
        """A TAB written by hand with tarfile: metadata.toml (tab-version 1, the name, and any
        extra `key = value` lines), then `builds` ({member: bytes})."""
        lines = ["tab-version = %s" % metadata_lines.pop("tab_version", 1),
                 'name = "%s"' % app_name]
        lines += ["%s = %s" % (key.replace("_", "-"), value)
                  for key, value in metadata_lines.items()]
        members = [("metadata.toml", ("\n".join(lines) + "\n").encode())]
        members += list(builds.items())
        path = self.path(name)
        with tarfile.open(path, "w") as archive:
            for member, data in members:
                info = tarfile.TarInfo(member)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return path

    def run_tool(self, board, *args):
        """(exit status, stdout, stderr) of tockloader.main."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = tockloader.main(["--board", board.name, "--image", self.image] +
                                     [str(a) for a in args])
        return status, out.getvalue(), err.getvalue()

    def ok(self, board, *args):
        status, out, err = self.run_tool(board, *args)
        self.assertEqual(status, 0, err)
        return out

    def refused(self, board, *args):
        """Run a request that must be refused; returns the error line, checks nothing moved."""
        before = self.image_bytes()
        status, out, err = self.run_tool(board, *args)
        self.assertEqual(status, 1, out + err)
        self.assertTrue(err.startswith("tockloader: error: "), err)
        self.assertEqual(self.image_bytes(), before, "a refused request changed the image")
        return err

    def image_bytes(self):
        if not os.path.exists(self.image):
            return None
        with open(self.image, "rb") as handle:
            return handle.read()

    def report(self, board):
        return loader_model.predict(board, self.image_bytes())

    def names_and_addresses(self, board):
        return [(v.app.header.package_name, v.address) for v in self.report(board).verdicts]


class Install(Workspace):
    def test_tbfs_are_placed_with_padding_and_loaded(self):
        start = MPS2.app_flash.start
        small = self.write("small.tbf", app("small", 512))
        big = self.write("big.tbf", app("big", 8192))
        out = self.ok(MPS2, "install", small, big)
        self.assertIn("installed small from %s at 0x%08x" % (small, start), out)
        self.assertIn("installed big from %s at 0x%08x" % (big, start + 0x2000), out)
        walked = tbf.walk_image(self.image_bytes())
        self.assertEqual([(a.offset, a.is_padding, a.total_size) for a in walked],
                         [(0, False, 512), (512, True, 0x2000 - 512), (0x2000, False, 8192)])
        self.assertEqual(self.report(MPS2).lines()[-1], "[kernel] load: 2 of 2 apps running")

    def test_tab_gives_the_build_for_the_boards_architecture(self):
        bundle = self.tab("two.tab", {"rv32imac.tbf": app("t", 1000),
                                      "cortex-m3.tbf": app("t", 1024)},
                          minimum_tock_kernel_version='"2.2"', only_for_boards='""')
        out = self.ok(MPS2, "install", bundle)
        self.assertIn("installed t from %s (cortex-m3.tbf) at 0x%08x"
                      % (bundle, MPS2.app_flash.start), out)
        self.assertEqual(self.report(MPS2).verdicts[0].size, 1024)

    def test_riscv_tab_takes_the_first_slot_that_is_free(self):
        self.ok(VIRT, "install", self.write("a.tbf", slot_app(VIRT, 1, "a")))
        builds = {libtock_name(VIRT, n): slot_app(VIRT, n, "t") for n in (4, 2, 3, 1)}
        bundle = self.tab("t.tab", builds)
        out = self.ok(VIRT, "install", bundle)
        self.assertIn("(%s) at 0x%08x" % (libtock_name(VIRT, 2), VIRT.slots[1].flash), out)
        self.assertEqual(self.names_and_addresses(VIRT),
                         [("a", VIRT.slots[0].flash), ("t", VIRT.slots[1].flash)])
        self.assertTrue(all(v.is_loaded for v in self.report(VIRT).verdicts))

    def test_a_tab_leaves_the_slot_of_a_file_with_one_build(self):
        bundle = self.tab("t.tab", {libtock_name(VIRT, n): slot_app(VIRT, n, "t")
                                    for n in (1, 2)})
        out = self.ok(VIRT, "install", bundle, self.write("a.tbf", slot_app(VIRT, 1, "a")))
        self.assertEqual(out.splitlines()[0], "installed t from %s (%s) at 0x%08x"
                         % (bundle, libtock_name(VIRT, 2), VIRT.slots[1].flash))
        self.assertEqual(self.names_and_addresses(VIRT),
                         [("a", VIRT.slots[0].flash), ("t", VIRT.slots[1].flash)])

    def test_riscv_build_whose_ram_is_taken_is_passed_over(self):
        # Slot 2's place is free, but an app in slot 1 that asks for slot 3's RAM leaves the
        # slot-2 build no RAM at its fixed address: the slot-3 build is taken instead.
        ram3 = VIRT.slots[2].ram
        first = slot_app(VIRT, 1, "a", fixed_ram=ram3)
        self.ok(VIRT, "install", self.write("a.tbf", first))
        bundle = self.tab("t.tab", {libtock_name(VIRT, n): slot_app(VIRT, n, "t")
                                    for n in (2, 4)})
        out = self.ok(VIRT, "install", bundle)
        self.assertIn("(%s)" % libtock_name(VIRT, 4), out)

    def test_no_riscv_build_fits(self):
        self.ok(VIRT, "install", self.write("a.tbf", slot_app(VIRT, 1, "a")),
                self.write("b.tbf", slot_app(VIRT, 2, "b")))
        bundle = self.tab("t.tab", {libtock_name(VIRT, n): slot_app(VIRT, n, "t")
                                    for n in (1, 2)})
        error = self.refused(VIRT, "install", bundle)
        self.assertIn("cannot install %s: no rv32imac build fits: " % bundle, error)
        self.assertIn("%s (t) at 0x%08x" % (libtock_name(VIRT, 1), VIRT.slots[0].flash), error)
        self.assertIn("overlaps installed (a)", error)
        self.assertIn("overlaps installed (b)", error)

    def test_wrong_architecture_is_refused(self):
        arm_only = self.tab("arm.tab", {"cortex-m3.tbf": app("t", 1024)})
        self.assertIn("no build for rv32imac (its builds are for cortex-m3)",
                      self.refused(VIRT, "install", arm_only))
        riscv_only = self.tab("rv.tab", {libtock_name(VIRT, 1): slot_app(VIRT, 1, "t")})
        self.assertIn("no build for cortex-m3 (its builds are for rv32imac)",
                      self.refused(MPS2, "install", riscv_only))
        thumb = self.write("thumb.tbf", app("thumb", 1024, init_fn_offset=0x29))
        self.assertIn("built for Cortex-M, not rv32imac: its entry point (init_fn_offset 0x29) "
                      "is a Thumb address", self.refused(VIRT, "install", thumb))
        linked = self.write("linked.tbf", slot_app(VIRT, 1, "linked"))
        self.assertIn("linked for flash address 0x%08x, outside qemu_mps2_an385's app flash"
                      % VIRT.slots[0].binary, self.refused(MPS2, "install", linked))

    def test_bad_checksum_is_refused(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a")))
        raw = bytearray(app("b"))
        raw[12] ^= 0xFF
        self.assertIn("b.tbf: not a valid TBF: checksum mismatch",
                      self.refused(MPS2, "install", self.write("b.tbf", bytes(raw))))

    def test_a_file_that_is_not_its_header_size_is_refused(self):
        self.assertIn("file is 1028 bytes but its header says total_size 1024",
                      self.refused(MPS2, "install", self.write("x.tbf", app("x", 1024) + b"pad!")))

    def test_too_big_for_app_flash_is_refused(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                size = 1 << board.app_flash.size.bit_length()   # a power of two, too big
                error = self.refused(board, "install", self.write("huge.tbf", app("huge", size)))
                self.assertIn("does not fit", error)

    def test_overlapping_fixed_apps_are_refused(self):
        error = self.refused(VIRT, "install", self.write("a.tbf", slot_app(VIRT, 2, "a")),
                             self.write("b.tbf", slot_app(VIRT, 2, "b")))
        self.assertIn("overlaps", error)
        self.assertIsNone(self.image_bytes())

    def test_an_app_the_kernel_would_skip_is_refused(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                error = self.refused(board, "install", self.write(
                    "greedy.tbf", app("greedy", ram=board.app_ram.size)))
                self.assertRegex(error, r"greedy\.tbf \(greedy\) at 0x[0-9a-f]{8} would not run: "
                                 r"the kernel would skip it: needs \d+ bytes of RAM, \d+ left")
                old = app("old", kernel_version=(3, 0))
                error = self.refused(board, "install", self.write("old.tbf", old))
                self.assertIn("needs an incompatible kernel version", error)

    def test_the_ninth_app_gets_no_process_slot(self):
        files = [self.write("a%d.tbf" % i, app("a%d" % i, ram=100)) for i in range(9)]
        self.ok(MPS2, "install", *files[:8])
        error = self.refused(MPS2, "install", files[8])
        self.assertIn("would not run: the kernel would skip it: no free process slot (8 of 8)",
                      error)

    def test_an_install_that_would_stop_an_installed_app_is_refused(self):
        # The new app goes first in flash and asks for RAM above the installed one's fixed RAM.
        self.ok(VIRT, "install", self.write("b.tbf", slot_app(VIRT, 2, "b")))
        pushy = slot_app(VIRT, 1, "pushy", fixed_ram=VIRT.slots[2].ram)
        error = self.refused(VIRT, "install", self.write("pushy.tbf", pushy))
        self.assertIn("installed (b) would no longer load: the kernel would skip it at 0x%08x: "
                      "fixed RAM address already taken or outside app RAM"
                      % VIRT.slots[1].flash, error)

    def test_a_disabled_app_may_be_installed(self):
        out = self.ok(MPS2, "install", self.write("off.tbf", app("off", flags=0)))
        self.assertIn("(disabled: enable-app runs it)", out)
        self.assertEqual(self.report(MPS2).verdicts[0].reason, "disabled")

    def test_install_replaces_an_app_of_the_same_name_unless_told_not_to(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a")), self.write("b.tbf", app("b")))
        newer = self.write("a2.tbf", app("a", 1024))
        out = self.ok(MPS2, "install", newer)
        self.assertIn("replaced a (was at 0x%08x)" % MPS2.app_flash.start, out)
        self.assertEqual([(n, v.size) for (n, _), v in zip(self.names_and_addresses(MPS2),
                                                            self.report(MPS2).verdicts)],
                         [("b", 512), ("a", 1024)])
        self.ok(MPS2, "install", "--no-replace", newer)
        self.assertEqual([n for n, _ in self.names_and_addresses(MPS2)], ["b", "a", "a"])

    def test_sticky_apps_need_force(self):
        self.ok(MPS2, "install", self.write("s.tbf", app("s", flags=tbf.FLAG_ENABLED |
                                                        tbf.FLAG_STICKY)))
        self.assertIn("s at 0x%08x is sticky; uninstall it with --force" % MPS2.app_flash.start,
                      self.refused(MPS2, "uninstall", "s"))
        self.assertIn("is sticky; replace it with --force",
                      self.refused(MPS2, "install", self.write("s2.tbf", app("s", 1024))))
        self.ok(MPS2, "install", "--force", self.path("s2.tbf"))
        self.ok(MPS2, "uninstall", "--force", "s")
        self.assertEqual(self.names_and_addresses(MPS2), [])

    def test_unreadable_tabs_are_refused(self):
        not_tar = self.write("junk.tab", b"not a tar file at all" * 40)
        self.assertIn("not a TAB (tar) file", self.refused(MPS2, "install", not_tar))
        no_metadata = self.path("bare.tab")
        with tarfile.open(no_metadata, "w") as archive:
            info = tarfile.TarInfo("cortex-m3.tbf")
            data = app("x", 1024)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        self.assertIn("no metadata.toml", self.refused(MPS2, "install", no_metadata))
        future = self.tab("v2.tab", {"cortex-m3.tbf": app("x", 1024)}, tab_version=2)
        self.assertIn("tab-version 2", self.refused(MPS2, "install", future))
        newer = self.tab("k.tab", {"cortex-m3.tbf": app("x", 1024)},
                         minimum_tock_kernel_version='"2.9"')
        self.assertIn("needs kernel ^2.9; this kernel is 2.3", self.refused(MPS2, "install",
                                                                             newer))
        elsewhere = self.tab("b.tab", {"cortex-m3.tbf": app("x", 1024)},
                             only_for_boards='"hail, imix"')
        self.assertIn("only for hail, imix, not qemu_mps2_an385",
                      self.refused(MPS2, "install", elsewhere))
        broken = self.tab("bad.tab", {"cortex-m3.tbf": app("x", 1000)})
        self.assertIn("cortex-m3.tbf (x): size 0x3e8 is not a power of two",
                      self.refused(MPS2, "install", broken))

    def test_a_damaged_image_is_not_changed(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a")), self.write("b.tbf", app("b")))
        image = bytearray(self.image_bytes())
        image[12] ^= 0x5A
        with open(self.image, "wb") as handle:
            handle.write(image)
        error = self.refused(MPS2, "install", self.write("c.tbf", app("c")))
        self.assertIn("the object at 0x%08x has a header the kernel cannot read (header checksum "
                      "mismatch); erase-apps empties the image" % MPS2.app_flash.start, error)
        image[12] ^= 0x5A
        struct.pack_into("<H", image, 512, 7)
        with open(self.image, "wb") as handle:
            handle.write(image)
        self.assertIn("stop at 0x%08x: unknown TBF version 7" % (MPS2.app_flash.start + 512),
                      self.refused(MPS2, "uninstall", "a"))


class Uninstall(Workspace):
    def test_unknown_name_is_refused_with_the_installed_names(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a")), self.write("b.tbf", app("b")))
        self.assertIn("no app named 'c' in %s (installed: a, b)" % self.image,
                      self.refused(MPS2, "uninstall", "c"))
        self.ok(MPS2, "erase-apps")
        self.assertIn("(it holds no apps)", self.refused(MPS2, "uninstall", "a"))
        self.assertIn("no app named 'zzz'", self.refused(MPS2, "enable-app", "zzz"))
        os.remove(self.image)
        self.assertIn("no such image", self.refused(MPS2, "uninstall", "a"))

    def test_install_then_uninstall_leaves_list_and_image_as_they_were(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                self.ok(board, "erase-apps")
                first = slot_app(board, 1, "a") if board.slots else app("a", 2048)
                self.ok(board, "install", self.write("a.tbf", first),
                        self.write("b.tbf", app("b", 512)))
                before = (self.ok(board, "list", "--map"), self.image_bytes())
                extra = slot_app(board, 3, "x") if board.slots else app("x", 4096)
                self.ok(board, "install", self.write("x.tbf", extra))
                self.assertNotEqual(self.ok(board, "list", "--map"), before[0])
                self.ok(board, "uninstall", "x")
                self.assertEqual((self.ok(board, "list", "--map"), self.image_bytes()), before)
                self.ok(board, "install", self.path("x.tbf"))
                self.ok(board, "install", self.path("x.tbf"))   # replaces: the same image
                self.ok(board, "uninstall", "x")
                self.assertEqual((self.ok(board, "list", "--map"), self.image_bytes()), before)

    def test_uninstall_closes_the_gap(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a", 4096)),
                self.write("b.tbf", app("b", 512)), self.write("c.tbf", app("c", 512)))
        out = self.ok(MPS2, "uninstall", "a")
        self.assertIn("uninstalled a (was at 0x%08x)" % MPS2.app_flash.start, out)
        self.assertEqual(self.names_and_addresses(MPS2),
                         [("b", MPS2.app_flash.start), ("c", MPS2.app_flash.start + 512)])


class EnableDisable(Workspace):
    def test_disable_then_enable_flips_the_flag_and_keeps_the_checksum_valid(self):
        self.ok(VIRT, "install", self.write("a.tbf", slot_app(VIRT, 1, "a")),
                self.write("b.tbf", slot_app(VIRT, 2, "b")))
        original = self.image_bytes()
        self.assertIn("disabled a at 0x%08x" % VIRT.slots[0].flash,
                      self.ok(VIRT, "disable-app", "a"))
        listing = self.ok(VIRT, "list", "--map")
        self.assertRegex(listing, r"0x%08x +1024 bytes +disabled +a\n" % VIRT.slots[0].flash)
        self.assertIn('[kernel] load: app "a" at 0x%08x: skipped: disabled' % VIRT.slots[0].flash,
                      listing)
        walked = tbf.walk_image(self.image_bytes())          # checksums verified
        self.assertFalse(walked[0].header.is_enabled)
        self.assertIn("already disabled", self.ok(VIRT, "disable-app", "a"))
        self.ok(VIRT, "enable-app", "a")
        self.assertEqual(self.image_bytes(), original)

    def test_enabling_an_app_the_kernel_would_skip_is_refused(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a")),
                self.write("h.tbf", app("h", ram=MPS2.app_ram.size, flags=0)))
        self.assertIn("would not run: the kernel would skip it: needs",
                      self.refused(MPS2, "enable-app", "h"))

    def test_enabling_an_app_that_would_take_the_last_slot_from_another_is_refused(self):
        files = [self.write("a%d.tbf" % i, app("a%d" % i, ram=100, flags=0 if i == 0 else 1))
                 for i in range(9)]
        self.ok(MPS2, "install", *files)
        error = self.refused(MPS2, "enable-app", "a0")
        self.assertIn("installed (a8) would no longer load", error)
        self.assertIn("no free process slot (8 of 8)", error)


class Listing(Workspace):
    def test_list_verbose_and_map(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a", 1024)))
        listing = self.ok(MPS2, "list")
        self.assertEqual(listing, "0x%08x      1024 bytes  enabled           a\n"
                         % MPS2.app_flash.start)
        verbose = self.ok(MPS2, "list", "--verbose")
        self.assertIn("    TBF at 0x%08x..0x%08x (1024 bytes): app 'a'"
                      % (MPS2.app_flash.start, MPS2.app_flash.start + 1024), verbose)
        self.assertIn("    kernel version ^2.2", verbose)
        lines = self.ok(MPS2, "list", "--map").splitlines()
        at = lines.index("The kernel will print at boot:")
        self.assertEqual(lines[at + 1:], self.report(MPS2).lines())

    def test_list_and_info_of_missing_or_empty_images(self):
        self.assertIn("no such image", self.refused(MPS2, "list"))
        self.assertIn("no such image", self.refused(MPS2, "info"))
        self.ok(MPS2, "erase-apps")
        self.assertEqual(self.ok(MPS2, "list"), "no apps in %s\n" % self.image)
        self.assertEqual(self.ok(MPS2, "list", "--map").splitlines()[-1],
                         "[kernel] load: 0 of 0 apps running")

    def test_list_shows_an_unreadable_header(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a")))
        image = bytearray(self.image_bytes())
        image[12] ^= 1
        with open(self.image, "wb") as handle:
            handle.write(image)
        self.assertIn("unreadable header: header checksum mismatch", self.ok(MPS2, "list"))

    def test_info_describes_the_board_every_object_and_the_boot(self):
        self.ok(VIRT, "install", self.write("a.tbf", slot_app(VIRT, 2, "a")))
        info = self.ok(VIRT, "info")
        flash = VIRT.app_flash
        self.assertIn("board qemu_rv32_virt (%s): riscv kernel, apps built for rv32imac"
                      % VIRT.title, info)
        self.assertIn("app flash 0x%08x-0x%08x" % (flash.start, flash.end), info)
        self.assertIn("kernel 2.3: 8 process slots, 2048 bytes of RAM headroom per app", info)
        self.assertIn("fixed-address slot 4: TBF at 0x%08x" % VIRT.slots[3].flash, info)
        self.assertIn("1 apps and 1 padding objects use", info)
        self.assertIn("TBF at 0x%08x..0x%08x (%d bytes): padding"
                      % (flash.start, VIRT.slots[1].flash, VIRT.slots[1].flash - flash.start),
                      info)
        self.assertIn('[kernel] load: app "a" at 0x%08x: loaded' % VIRT.slots[1].flash, info)

    def test_erase_apps_keeps_a_filled_image_filled(self):
        self.ok(MPS2, "install", self.write("a.tbf", app("a")))
        self.assertEqual(len(self.image_bytes()), 512 + 4)
        self.ok(MPS2, "erase-apps")
        self.assertEqual(self.image_bytes(), bytes(4))
        with open(self.image, "wb") as handle:
            handle.write(bytes(MPS2.app_flash.size))
        self.ok(MPS2, "install", self.path("a.tbf"))
        self.assertEqual(len(self.image_bytes()), MPS2.app_flash.size)
        self.ok(MPS2, "erase-apps")
        self.assertEqual(self.image_bytes(), bytes(MPS2.app_flash.size))

    def test_options_may_follow_the_verb_and_the_image_defaults_to_the_boards(self):
        self.ok(MPS2, "erase-apps")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = tockloader.main(["list", "--board", "qemu_rv32_virt", "--image",
                                      self.image])
        self.assertEqual((status, out.getvalue()), (0, "no apps in %s\n" % self.image))
        args = tockloader.build_parser().parse_args(["--board", "qemu_rv32_virt", "list"])
        self.assertFalse(hasattr(args, "image"))
        self.assertEqual(os.path.join(board_info.BUILD_DIR, "qemu_rv32_virt", "apps.bin"),
                         os.path.join(board_info.BUILD_DIR, VIRT.name, tockloader.IMAGE_NAME))

    def test_the_command_line_exits_non_zero_on_refusal(self):
        result = support.run_tool("tockloader.py", "--image", self.image, "uninstall", "x")
        self.assertEqual(result.returncode, 1)
        self.assertIn("tockloader: error: %s: no such image" % self.image, result.stderr)


class InspectTab(Workspace):
    def test_inspect_tab_names_each_build_and_where_it_goes(self):
        builds = {"cortex-m3.tbf": app("t", 1024)}
        builds.update({libtock_name(VIRT, n): slot_app(VIRT, n, "t") for n in (1, 2)})
        bundle = self.tab("t.tab", builds, minimum_tock_kernel_version='"2.2"',
                          build_date="2024-05-06T07:08:09Z")
        out = self.ok(VIRT, "inspect-tab", bundle)
        self.assertIn("%s: app 't', 3 builds" % bundle, out)
        self.assertIn("  build-date = '2024-05-06T07:08:09Z'", out)
        self.assertIn("  cortex-m3.tbf: 1024 bytes, enabled, position independent; not for "
                      "qemu_rv32_virt (rv32imac)", out)
        self.assertIn("  %s: 1024 bytes, enabled, binary at 0x%08x, RAM at 0x%08x; for "
                      "qemu_rv32_virt slot 2" % (libtock_name(VIRT, 2), VIRT.slots[1].binary,
                                                 VIRT.slots[1].ram), out)
        self.assertIn("    TBF at 0x00000000..0x00000400 (1024 bytes): app 't'",
                      self.ok(MPS2, "inspect-tab", "--verbose", bundle))
        self.assertIn("not a TAB", self.refused(MPS2, "inspect-tab", self.write("x.tab", b"x")))


class TabFormat(unittest.TestCase):
    def test_metadata_subset(self):
        text = ('# written by elf2tab\n'
                'tab-version = 1\n'
                'name = "say \\"hi\\" \\u00e9#1"   # a comment\n'
                "only-for-boards = 'a, b'\n"
                'build-date = 2024-01-02T03:04:05Z\n'
                'count = 0x10\n'
                'flag = true\n'
                '[extra]\n'
                '"quoted key" = -3\n')
        self.assertEqual(tab.parse_metadata(text), {
            "tab-version": 1, "name": 'say "hi" \u00e9#1', "only-for-boards": "a, b",
            "build-date": "2024-01-02T03:04:05Z", "count": 16, "flag": True,
            "extra.quoted key": -3})

    def test_metadata_outside_the_subset_is_refused(self):
        for text, message in (("a = [1, 2]", "line 1: value '[1, 2]'"),
                              ("a = 1\na = 2", "line 2: a is defined twice"),
                              ("just words", "line 1: expected key = value"),
                              ('a = "open', "line 1: unterminated string"),
                              ('a = "x" "y"', "line 1: text after a string"),
                              ("[a b]", "line 1: '[a b]' is not a [table] header"),
                              ('a = "\\q"', "line 1: unknown escape \\q")):
            with self.subTest(text=text):
                with self.assertRaisesRegex(tab.TabError, re.escape(message)):
                    tab.parse_metadata(text)

    def test_other_members_are_ignored_and_names_give_the_architecture(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "x.tab")
            with tarfile.open(path, "w") as archive:
                for name, data in (("x/metadata.toml", b'tab-version = 1\nname = "x"\n'),
                                   ("x/cortex-m3.bin", b"old copy"),
                                   ("x/rv32imac.0x1.0x2.tbf", b"rv"),
                                   ("x/cortex-m4.tbf", b"m4")):
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    archive.addfile(info, io.BytesIO(data))
                archive.addfile(tarfile.TarInfo("x/dir.tbf"))  # a file entry of size 0 is kept
            bundle = tab.read_tab(path)
            self.assertEqual([(b.file_name, b.architecture, b.target) for b in bundle.builds],
                             [("rv32imac.0x1.0x2.tbf", "rv32imac", "rv32imac.0x1.0x2"),
                              ("cortex-m4.tbf", "cortex-m4", "cortex-m4"),
                              ("dir.tbf", "dir", "dir")])
            self.assertEqual(bundle.architectures, ["cortex-m4", "dir", "rv32imac"])
            self.assertIsNone(bundle.kernel_version)
            self.assertEqual(bundle.boards, [])

    def test_write_tab_reads_back(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "w.tab")
            tab.write_tab(path, 'q"n', {"cortex-m3.tbf": b"abc"}, (2, 2))
            bundle = tab.read_tab(path)
            self.assertEqual((bundle.name, bundle.kernel_version, bundle.boards),
                             ('q"n', (2, 2), []))
            with tarfile.open(path) as archive:
                self.assertEqual(archive.getnames(), ["metadata.toml", "cortex-m3.tbf"])


def built(board, *apps):
    return all(os.path.exists(board.app_file(a, 1)) for a in apps)


class RepositoryApps(Workspace):
    """TABs of the apps `make apps` packed, as libtock-c bundles them."""

    def test_packed_apps_install_from_a_tab_and_a_tbf_on_both_boards(self):
        for board in BOARDS.values():
            with self.subTest(board=board.name):
                if not built(board, "hello", "heartbeat"):
                    self.skipTest("run `make apps BOARD=%s` first" % board.name)
                self.ok(board, "erase-apps")
                builds = {}
                for slot, member in qemu_image.tab_targets(board):
                    with open(board.app_file("hello", slot), "rb") as handle:
                        builds[member] = handle.read()
                bundle = self.tab(board.name + ".tab", builds, "hello",
                                  minimum_tock_kernel_version='"2.2"')
                written = qemu_image.app_tab(board, "hello", self.path("written.tab"))
                self.assertEqual([(b.file_name, b.data) for b in tab.read_tab(written).builds],
                                 list(builds.items()))
                self.ok(board, "install", board.app_file("heartbeat", 1), bundle)
                report = self.report(board)
                self.assertEqual([(v.app.header.package_name, v.is_loaded)
                                  for v in report.verdicts],
                                 [("heartbeat", True), ("hello", True)])
                if board.slots:   # slot 1 is heartbeat's: hello's slot-2 build is taken
                    self.assertEqual(report.verdicts[1].address, board.slots[1].flash)


if __name__ == "__main__":
    unittest.main()
