#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""`make boards`: every board tockc builds for, with its memory map and how QEMU runs it, read
from the board descriptions (boards/<board>/board.json).

Usage: python3 tools/board_list.py
"""
import sys

import board_info


def size_text(size):
    return f"{size // 1024} KiB" if size % 1024 == 0 else f"{size} bytes"


def describe(board):
    """The lines `make boards` prints for one board."""
    lines = [f"{board.name}: {board.title}",
             f"  make BOARD={board.name} run",
             f"  arch {board.arch}, apps built for {board.apps_arch}, "
             f"toolchain {board.toolchain}*",
             f"  QEMU: {board.qemu_binary} -machine {board.qemu_machine}"]
    for label, region in (("kernel flash", board.kernel_flash), ("app flash", board.app_flash),
                          ("kernel RAM", board.kernel_ram), ("app RAM", board.app_ram)):
        lines.append(f"  {label:<13}0x{region.start:08x}-0x{region.end - 1:08x} "
                     f"({size_text(region.size)})")
    lines.append(f"  kernel stack {size_text(board.kernel_stack_size)} at the top of kernel RAM")
    for slot in board.slots:
        lines.append(f"  app slot {slot.number}: TBF at 0x{slot.flash:08x}, RAM at "
                     f"0x{slot.ram:08x}, {size_text(slot.size)}")
    return lines


def main():
    out = []
    for name in board_info.names():
        out += describe(board_info.load(name)) + [""]
    print("\n".join(out).rstrip("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
