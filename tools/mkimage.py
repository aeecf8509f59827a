#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Place TBF files into an app flash region and write the raw region image.

The output is loaded at the region start (QEMU: -device
loader,file=apps.bin,addr=START). Apps whose FixedAddresses TLV names a
flash address go exactly where that address puts their binary (TBF start +
header_size + protected_trailer_size == fixed flash), in address order; the
other apps follow in command-line order. On Cortex-M each of those starts at
a multiple of its power-of-two size so one MPU region can cover it, and the
gap before it is padded rather than the apps reordered. Only when the apps do
not fit in the given order are they placed largest-first (which packs
power-of-two sizes without gaps), and one line on stderr says so and gives
the order chosen. Every gap holds a padding TBF (version 2, header_size 16,
flags 0), and a zero word after the last app ends the list.

The order matters: the kernel loads apps, and gives them RAM, in flash order,
and scheduling and IPC slot numbers follow it.

The placement (load_tbf, place, build_image, reorder_note) is a library too:
tools/tockloader.py lays out every image it writes with it, so `make run`'s
demo image and an image apps were installed into follow one policy.

Usage:
    mkimage.py --arch riscv --flash-start 0x80100000 --flash-size 0x100000 \\
        -o apps.bin blink.tbf hello.tbf
    mkimage.py --arch cortex-m --flash-start 0x00100000 --flash-size 0x300000 \\
        -o apps.bin a.tbf b.tbf
    tbfdump.py --image apps.bin --base 0x80100000     # inspect the result

Invariants:
    * Placed TBFs never overlap and lie inside [flash-start, flash-start+flash-size).
    * Walking the image from its start with the kernel's rules visits every
      input app once and every padding object, then stops at the zero word.
    * On failure nothing is written and the exit status is 1.
    * Movable apps keep their command-line order unless it does not fit; a
      changed order is always reported.
"""

import argparse
import os
import sys
from dataclasses import dataclass

import tbf

ARCH_CORTEX_M = "cortex-m"
ARCH_RISCV = "riscv"
TERMINATOR = b"\0\0\0\0"


class ImageError(Exception):
    """The apps cannot be placed; the message says why."""


@dataclass
class InputApp:
    name: str            # file name, for messages
    data: bytes
    app: tbf.TbfApp

    @property
    def size(self):
        return self.app.total_size

    @property
    def label(self):
        package = self.app.header.package_name
        return "%s (%s)" % (self.name, package) if package else self.name


@dataclass
class Placement:
    address: int
    item: InputApp       # None for a padding object
    size: int


def load_tbf(name, data):
    """Parse one input file; it must hold exactly one well-formed app TBF."""
    try:
        app = tbf.parse_tbf(data, 0)
    except tbf.TbfError as error:
        raise ImageError("%s: not a valid TBF: %s" % (name, error)) from None
    if app.is_padding:
        raise ImageError("%s: is a padding object, not an app" % name)
    if len(data) != app.total_size:
        raise ImageError("%s: file is %d bytes but its header says total_size %d"
                         % (name, len(data), app.total_size))
    return InputApp(name, data, app)


def next_power_of_two(value):
    return 1 << max(value - 1, 0).bit_length()


def required_alignment(item, arch):
    """Start-address alignment for a movable TBF on `arch`."""
    if arch == ARCH_CORTEX_M:
        return next_power_of_two(item.size)
    return 4


def fixed_start(item):
    """TBF start address implied by a FixedAddresses flash address, or None."""
    header = item.app.header
    if header.fixed_flash is None:
        return None
    start = header.fixed_flash - header.protected_size
    if start < 0:
        raise ImageError("%s: fixed flash address 0x%08x is smaller than its protected "
                         "region (0x%x)" % (item.label, header.fixed_flash,
                                            header.protected_size))
    return start


def place(items, arch, flash_start, flash_size):
    """Choose an address for every app. Returns [Placement] sorted by address."""
    flash_end = flash_start + flash_size
    fixed = []
    movable = []
    for item in items:
        if arch == ARCH_CORTEX_M and item.size & (item.size - 1):
            raise ImageError("%s: size 0x%x is not a power of two, which Cortex-M TBFs must be "
                             "(was it packed for RISC-V?)" % (item.label, item.size))
        start = fixed_start(item)
        if start is None:
            movable.append(item)
            continue
        if start % 4:
            raise ImageError("%s: fixed address puts the TBF at 0x%08x, which is not "
                             "word-aligned" % (item.label, start))
        if arch == ARCH_CORTEX_M and start % required_alignment(item, arch):
            raise ImageError("%s: fixed address puts the TBF at 0x%08x, not a multiple of "
                             "its size 0x%x as the Cortex-M MPU needs"
                             % (item.label, start, required_alignment(item, arch)))
        fixed.append(Placement(start, item, item.size))
    fixed.sort(key=lambda p: p.address)

    placed = []
    for placement in fixed:
        if placement.address < flash_start or placement.address + placement.size > flash_end:
            raise ImageError("%s: needs 0x%08x..0x%08x, outside the app flash region "
                             "0x%08x..0x%08x" % (placement.item.label, placement.address,
                                                 placement.address + placement.size,
                                                 flash_start, flash_end))
        if placed and placement.address < placed[-1].address + placed[-1].size:
            previous = placed[-1]
            raise ImageError("%s at 0x%08x..0x%08x overlaps %s at 0x%08x..0x%08x"
                             % (placement.item.label, placement.address,
                                placement.address + placement.size, previous.item.label,
                                previous.address, previous.address + previous.size))
        placed.append(placement)

    cursor = placed[-1].address + placed[-1].size if placed else flash_start
    movable_placed, error = place_in_order(movable, arch, cursor, flash_end)
    if error is not None and arch == ARCH_CORTEX_M:
        # Largest first (stable: equal sizes keep command-line order) leaves no gaps.
        by_size = sorted(movable, key=lambda item: required_alignment(item, arch), reverse=True)
        movable_placed, error = place_in_order(by_size, arch, cursor, flash_end)
    if error is not None:
        raise ImageError(error)
    return placed + movable_placed


def place_in_order(movable, arch, cursor, flash_end):
    """Place `movable` one after the other from `cursor`, each at the first address its
    alignment allows (the gap is left for padding). Returns ([Placement], None), or
    (None, why) when an app runs past flash_end."""
    placed = []
    for item in movable:
        alignment = required_alignment(item, arch)
        start = tbf.align_up(cursor, alignment)
        if 0 < start - cursor < tbf.BASE_HEADER_SIZE:
            start = tbf.align_up(cursor + tbf.BASE_HEADER_SIZE, alignment)
        if start + item.size > flash_end:
            return None, ("%s (0x%x bytes) does not fit: it would end at 0x%08x, past the end "
                          "of app flash 0x%08x" % (item.label, item.size, start + item.size,
                                                   flash_end))
        placed.append(Placement(start, item, item.size))
        cursor = start + item.size
    return placed, None


def reorder_note(items, placed):
    """One line naming the flash order when the movable apps are not in command-line order,
    else None."""
    chosen = [p.item for p in placed if fixed_start(p.item) is None]
    given = [item for item in items if fixed_start(item) is None]
    if all(a is b for a, b in zip(chosen, given)):
        return None
    return ("the apps do not fit in the order given; flash order chosen: %s"
            % ", ".join(p.item.name for p in placed))


def check_ram_order(placed):
    """Warnings for fixed RAM addresses the kernel's sequential allocator cannot honour."""
    warnings = []
    last = None
    for placement in placed:
        ram = placement.item.app.header.fixed_ram
        if ram is None:
            continue
        if last is not None and ram < last[0]:
            warnings.append("%s needs RAM at 0x%08x, below the RAM of %s (0x%08x) placed "
                            "before it in flash; the kernel will not load it"
                            % (placement.item.label, ram, last[1], last[0]))
        last = (ram, placement.item.label)
    return warnings


def build_image(placed, flash_start, flash_size, fill=False):
    """Lay the placements out with padding TBFs; returns the image bytes."""
    flash_end = flash_start + flash_size
    image = bytearray()
    cursor = flash_start
    for placement in placed:
        gap = placement.address - cursor
        if gap < 0:
            raise ImageError("internal error: placements overlap at 0x%08x" % placement.address)
        if gap:
            if gap < tbf.BASE_HEADER_SIZE:
                raise ImageError("the %d-byte gap before %s at 0x%08x is too small for a "
                                 "padding TBF (%d bytes)" % (gap, placement.item.label,
                                                            placement.address,
                                                            tbf.BASE_HEADER_SIZE))
            image += tbf.padding_tbf(gap)
        image += placement.item.data
        cursor = placement.address + placement.size
    if cursor + len(TERMINATOR) <= flash_end:
        image += TERMINATOR
    if fill:
        image += bytes(flash_size - len(image))
    return bytes(image)


def parse_number(text):
    try:
        value = int(text, 16) if text.lower().startswith("0x") else int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: %r" % text) from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative: %r" % text)
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="mkimage.py",
        description="Place TBF apps into an app flash region and write the raw image to load "
                    "at the region start.")
    parser.add_argument("tbfs", nargs="*", help="TBF files (an empty list gives an empty image)")
    parser.add_argument("--arch", required=True, choices=(ARCH_CORTEX_M, ARCH_RISCV))
    parser.add_argument("--flash-start", required=True, type=parse_number,
                        help="address of the app flash region")
    parser.add_argument("--flash-size", required=True, type=parse_number,
                        help="size of the app flash region in bytes")
    parser.add_argument("-o", "--output", required=True, help="raw image to write")
    parser.add_argument("--fill", action="store_true",
                        help="zero-fill the output to the full region size")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the layout")
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.flash_size == 0 or args.flash_start + args.flash_size > 1 << 32:
        parser.error("the flash region must be non-empty and end at or below 4 GiB")
    try:
        items = []
        for name in args.tbfs:
            try:
                with open(name, "rb") as handle:
                    data = handle.read()
            except OSError as error:
                raise ImageError("%s: %s" % (name, error.strerror or error)) from None
            items.append(load_tbf(os.path.basename(name), data))
        placed = place(items, args.arch, args.flash_start, args.flash_size)
        image = build_image(placed, args.flash_start, args.flash_size, args.fill)
    except ImageError as error:
        print("mkimage: error: %s" % error, file=sys.stderr)
        return 1
    note = reorder_note(items, placed)
    if note is not None:
        print("mkimage: note: %s" % note, file=sys.stderr)
    for warning in check_ram_order(placed):
        print("mkimage: warning: %s" % warning, file=sys.stderr)
    try:
        with open(args.output, "wb") as handle:
            handle.write(image)
    except OSError as error:
        print("mkimage: error: %s: %s" % (args.output, error.strerror or error), file=sys.stderr)
        return 1
    if args.verbose:
        for placement in placed:
            print("0x%08x..0x%08x  %s" % (placement.address, placement.address + placement.size,
                                          placement.item.label))
        print("image: %d bytes from 0x%08x" % (len(image), args.flash_start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
