# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The board descriptions (boards/<board>/board.json) as Python objects.

A board's description is the one place that states its architecture, toolchain, memory map,
app slots and QEMU command line (doc/reference/020-board-description.md). This module reads and
checks it; everything else asks it: the make variables and the linker script's memory map
(tools/board_gen.py), the README's board facts (tools/board_readme.py), the QEMU runners, the
benchmarks and the tests.

Usage:
    import board_info
    board = board_info.load("qemu_rv32_virt")
    board.app_flash.start, board.slots[0].binary
    cmd = board.qemu_command(image, board.kernel_image("product"))

Invariants:
    * A description that load() returns is complete and consistent: every field present and
      typed, no unknown field, regions non-empty and apart, slots inside app flash and app RAM
      in ascending order without overlap. Anything else raises BoardError.
    * `make run` and the tools start QEMU with the same arguments (qemu_args), differing only
      in the console: the terminal for `make run`, stdio without a monitor for the tools.
"""
import json
import os

import qemu_flash

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARDS_DIR = os.path.join(ROOT, "boards")
BUILD_DIR = os.path.join(ROOT, "build")
DESCRIPTION = "board.json"

# `make run`: the UART and QEMU's monitor share the terminal (quit with Ctrl-a x).
CONSOLE_INTERACTIVE = ["-nographic"]
# The tools: the UART is the process's stdin/stdout, nothing else reads or writes there.
CONSOLE_CAPTURED = ["-display", "none", "-monitor", "none", "-serial", "stdio"]

KERNEL_VARIANTS = ("product", "selftest", "core", "require_hash", "require_signature")


class BoardError(Exception):
    """A description is missing, malformed or inconsistent; the message says which and why."""


class Region:
    """[start, start + size) of one memory area."""

    def __init__(self, start, size):
        self.start = start
        self.size = size

    @property
    def end(self):
        return self.start + self.size

    def contains(self, start, size):
        return self.start <= start and start + size <= self.end

    def overlaps(self, other):
        return self.start < other.end and other.start < self.end


class Slot:
    """One fixed-address app slot: its TBF goes at `flash`, its RAM starts at `ram`, and the
    build for it is linked for `binary` (the TBF start plus the header room)."""

    def __init__(self, number, flash, ram, size, binary):
        self.number = number  # 1-based, as in <app>.slot<N>.tbf
        self.flash = flash
        self.ram = ram
        self.size = size
        self.binary = binary


class Board:
    def __init__(self, raw, path):
        self.path = path
        fields = Fields(raw, os.path.relpath(path, ROOT))
        self.name = fields.text("name")
        self.title = fields.text("title")
        self.arch = fields.choice("arch", ("cortex-m", "riscv"))
        self.apps_arch = fields.text("apps_arch")
        self.toolchain = fields.text("toolchain")
        memory = fields.section("memory")
        self.kernel_flash = memory.region("kernel_flash")
        self.app_flash = memory.region("app_flash")
        self.kernel_ram = memory.region("kernel_ram")
        self.app_ram = memory.region("app_ram")
        self.kernel_stack_size = memory.number("kernel_stack_size")
        self.peripherals = []
        for index, entry in enumerate(memory.items("peripherals")):
            peripheral = Fields(entry, f"{fields.where}: memory.peripherals[{index}]")
            self.peripherals.append(Region(peripheral.number("start"), peripheral.number("size")))
            peripheral.text("why")
            peripheral.done()
        if not self.peripherals:
            raise BoardError(f"{fields.where}: memory.peripherals is empty")
        memory.text("why")
        memory.done()
        self.slots = []
        slots = fields.section("app_slots", optional=True)
        if slots is not None:
            self.slot_header_room = slots.number("header_room")
            for number, entry in enumerate(slots.items("slots"), start=1):
                slot = Fields(entry, f"{fields.where}: app_slots.slots[{number - 1}]")
                flash, ram, size = slot.number("flash"), slot.number("ram"), slot.number("size")
                slot.done()
                self.slots.append(Slot(number, flash, ram, size, flash + self.slot_header_room))
            slots.text("why")
            slots.done()
        qemu = fields.section("qemu")
        self.qemu_binary = qemu.text("binary")
        self.qemu_machine = qemu.text("machine")
        self.qemu_kernel_option = qemu.choice("kernel_option", ("-kernel", "-bios"))
        qemu.text("why")
        pflash = qemu.section("pflash", optional=True)
        self.pflash_unit = self.pflash_size = None
        if pflash is not None:
            self.pflash_unit = pflash.number("unit")
            self.pflash_size = pflash.number("size")
            pflash.text("why")
            pflash.done()
        self.qemu_devices = []
        for index, entry in enumerate(qemu.items("devices")):
            device = Fields(entry, f"{fields.where}: qemu.devices[{index}]")
            self.qemu_devices += device.words("args")
            device.text("why")
            device.done()
        qemu.done()
        fields.done()
        self._check(fields.where)

    def _check(self, where):
        if self.name != os.path.basename(os.path.dirname(self.path)):
            raise BoardError(f"{where}: name {self.name!r} is not its directory's")
        regions = {"kernel_flash": self.kernel_flash, "app_flash": self.app_flash,
                   "kernel_ram": self.kernel_ram, "app_ram": self.app_ram}
        for label, region in regions.items():
            if region.size <= 0 or region.end > 1 << 32:
                raise BoardError(f"{where}: {label} is empty or beyond 32 bits")
        for a, b in (("kernel_flash", "app_flash"), ("kernel_ram", "app_ram"),
                     ("kernel_flash", "kernel_ram"), ("app_flash", "app_ram")):
            if regions[a].overlaps(regions[b]):
                raise BoardError(f"{where}: {a} and {b} overlap")
        for index, peripheral in enumerate(self.peripherals):
            if peripheral.size <= 0 or peripheral.end > 1 << 32:
                raise BoardError(f"{where}: peripherals[{index}] is empty or beyond 32 bits")
            for label, region in regions.items():
                if peripheral.overlaps(region):
                    raise BoardError(f"{where}: peripherals[{index}] overlaps {label}")
        if not 0 < self.kernel_stack_size < self.kernel_ram.size:
            raise BoardError(f"{where}: kernel_stack_size does not fit in kernel_ram")
        previous = None
        for slot in self.slots:
            if not (self.app_flash.contains(slot.flash, slot.size) and
                    self.app_ram.contains(slot.ram, slot.size)):
                raise BoardError(f"{where}: slot {slot.number} lies outside app flash or RAM")
            if slot.size <= self.slot_header_room:
                raise BoardError(f"{where}: slot {slot.number} has no room past its header")
            if previous and (slot.flash < previous.flash + previous.size or
                             slot.ram < previous.ram + previous.size):
                raise BoardError(f"{where}: slot {slot.number} overlaps or precedes slot "
                                 f"{previous.number}")
            previous = slot

    @property
    def kernel(self):
        """The product image (`make run`, benchmarks)."""
        return self.kernel_image("product")

    def kernel_image(self, variant, build=BUILD_DIR):
        """`product` (kernel.elf), `selftest` (kernel-selftest.elf: the product plus the
        board's self tests), `core` (<board>-core/kernel.elf: CONFIG=core), the test kernels
        `require_hash` and `require_signature` (the product with that credential policy,
        components/credentials.h) or `sched_<policy>` (kernel-sched-<policy>.elf: the product
        with that scheduling policy), boards/boards.mk."""
        if variant.startswith("sched_"):
            return os.path.join(build, self.name, f"kernel-sched-{variant[len('sched_'):]}.elf")
        directory, name = {"product": (self.name, "kernel.elf"),
                           "selftest": (self.name, "kernel-selftest.elf"),
                           "require_hash": (self.name, "kernel-require-hash.elf"),
                           "require_signature": (self.name, "kernel-require-signature.elf"),
                           "core": (self.name + "-core", "kernel.elf")}[variant]
        return os.path.join(build, directory, name)

    def app_file(self, app, slot, ext="tbf", build=BUILD_DIR):
        """Where userland/userland.mk puts app `app` built for slot `slot` (1-based): boards
        with fixed-address slots have one build per slot, the others one build for any place."""
        suffix = f".slot{slot}" if self.slots else ""
        return os.path.join(build, "apps", self.apps_arch, f"{app}{suffix}.{ext}")

    def qemu_args(self, kernel, image, pflash, console):
        """QEMU's arguments (after the binary) for `kernel` with the app-flash image `image`;
        `pflash` is the file behind the board's pflash (ignored without one). The arguments
        are the description's words and these parameters, each one word."""
        args = ["-machine", self.qemu_machine] + list(console)
        args += [self.qemu_kernel_option, kernel,
                 "-device", f"loader,file={image},addr={self.app_flash.start:#010x}"]
        if self.pflash_unit is not None:
            args += ["-drive", f"if=pflash,unit={self.pflash_unit},format=raw,file={pflash}"]
        return args + self.qemu_devices

    def qemu_command(self, image, kernel):
        """The tools' QEMU command line: the UART on stdio, and a pflash file under build/
        for `image` (erased for each run unless qemu_flash.keep_flash_for_next_run)."""
        pflash = None
        if self.pflash_unit is not None:
            pflash = qemu_flash.flash_file(image, self.pflash_size)
        return [self.qemu_binary] + self.qemu_args(kernel, image, pflash, CONSOLE_CAPTURED)


class Fields:
    """One JSON object of a description, read field by field; done() refuses leftovers."""

    def __init__(self, raw, where):
        if not isinstance(raw, dict):
            raise BoardError(f"{where}: not an object")
        self.raw = dict(raw)
        self.where = where

    def _take(self, key, types, optional=False):
        if key not in self.raw:
            raise BoardError(f"{self.where}: missing {key!r}")
        value = self.raw.pop(key)
        if value is None and optional:
            return None
        if not isinstance(value, types):
            raise BoardError(f"{self.where}: {key!r} has the wrong type")
        return value

    def text(self, key):
        value = self._take(key, str)
        if not value:
            raise BoardError(f"{self.where}: {key!r} is empty")
        return value

    def choice(self, key, allowed):
        value = self.text(key)
        if value not in allowed:
            raise BoardError(f"{self.where}: {key!r} must be one of {', '.join(allowed)}")
        return value

    def number(self, key):
        """A non-negative number, written as a hex string ("0x2000") or a plain integer."""
        value = self._take(key, (str, int))
        if isinstance(value, str):
            try:
                value = int(value, 16) if value.lower().startswith("0x") else int(value, 10)
            except ValueError:
                raise BoardError(f"{self.where}: {key!r} is not a number") from None
        if isinstance(value, bool) or value < 0:
            raise BoardError(f"{self.where}: {key!r} is not a non-negative number")
        return value

    def region(self, key):
        fields = Fields(self._take(key, dict), f"{self.where}: {key}")
        region = Region(fields.number("start"), fields.number("size"))
        fields.done()
        return region

    def section(self, key, optional=False):
        value = self._take(key, dict, optional)
        return None if value is None else Fields(value, f"{self.where}: {key}")

    def items(self, key):
        return self._take(key, list)

    def words(self, key):
        """A list of QEMU arguments: strings without white space, quotes or make's `$`, so
        that make and the shell pass each one on as it is."""
        words = self._take(key, list)
        for word in words:
            if not isinstance(word, str) or not word or any(c in word for c in " \t\n'\"$\\"):
                raise BoardError(f"{self.where}: {key!r} holds {word!r}, not one plain word")
        return words

    def done(self):
        if self.raw:
            raise BoardError(f"{self.where}: unknown field(s) {', '.join(sorted(self.raw))}")


def names():
    """Every board with a description, sorted."""
    return sorted(entry for entry in os.listdir(BOARDS_DIR)
                  if os.path.isfile(os.path.join(BOARDS_DIR, entry, DESCRIPTION)))


def description_path(name):
    return os.path.join(BOARDS_DIR, name, DESCRIPTION)


def load(name):
    path = description_path(name)
    if name not in names():
        raise BoardError(f"no board {name!r} (boards with a description: {', '.join(names())})")
    with open(path, encoding="utf-8") as handle:
        try:
            raw = json.load(handle)
        except json.JSONDecodeError as err:
            raise BoardError(f"{os.path.relpath(path, ROOT)}: {err}") from None
    return Board(raw, path)


def load_all():
    """{name: Board} of every board."""
    return {name: load(name) for name in names()}
