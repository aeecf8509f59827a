#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Turn the fault reports in a saved console log into function, file and line.

The kernel's fault report (doc/reference/023-fault-reports.md) gives the program counter and
the return address as offsets into the app's binary:

    [kernel] process hello (id 3) faulted: MemManage, data access violation at 0x20040000: ...
      pc 0x00100a3c (app binary + 0x093c), lr 0x00100a21 (app binary + 0x0921), sp 0x2003fff0

An app's ELF links its binary at `_flash_origin` (0x80000000 for position-independent ARM apps,
the slot's address for fixed-address RISC-V builds), so the ELF address is
`_flash_origin + offset`; the cross toolchain's addr2line names the function and line. For an
app built for several fixed addresses (name.slotN.elf) the build whose address matches the
absolute pc is used.

Usage:
    fault_lines.py --board qemu_mps2_an385 console.log      # ELFs from build/apps/<arch>/
    fault_lines.py --apps DIR console.log                   # ELFs DIR/<name>[.slotN].elf
    fault_lines.py --elf hello=path/to/hello.elf console.log
    ... | fault_lines.py --board B -                         # the log on standard input
"""
import argparse
import glob
import os
import re
import subprocess
import sys

import board_info
import elf

HEADLINE = re.compile(r"\[kernel\] process (?P<name>\S+) \(id (?P<id>\d+)\) faulted: (?P<why>.*)")
CODE = re.compile(r"(?P<label>pc|lr) 0x(?P<address>[0-9a-f]{8}) \(app binary \+ 0x(?P<offset>[0-9a-f]+)\)")
PIC_ORIGIN = 0x80000000
TOOLCHAINS = {elf.EM_ARM: "arm-none-eabi-", elf.EM_RISCV: "riscv64-unknown-elf-"}


class FaultLinesError(Exception):
    pass


def load_elf(path):
    with open(path, "rb") as handle:
        image = elf.parse(handle.read())
    origin = image.symbol_value("_flash_origin")
    if origin is None:
        raise FaultLinesError(f"{path}: no _flash_origin symbol (not a tockc/libtock-c app?)")
    return image, origin


def pick_elf(candidates, address, offset):
    """The ELF of this app whose binary was linked where the code ran (or a PIC one)."""
    for path in candidates:
        image, origin = load_elf(path)
        if origin == PIC_ORIGIN or origin + offset == address:
            return path, image, origin
    return None


def resolve(path, image, elf_address):
    """(function, "file:line") of elf_address, by addr2line."""
    tool = TOOLCHAINS.get(image.machine)
    if tool is None:
        raise FaultLinesError(f"{path}: unsupported machine {image.machine_name}")
    try:
        out = subprocess.run([tool + "addr2line", "-f", "-C", "-e", path, f"{elf_address:#x}"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as err:
        raise FaultLinesError(f"{tool}addr2line failed: {err}") from err
    lines = out.splitlines() + ["??", "??:0"]
    return lines[0], lines[1]


def report(log_lines, elfs_for):
    """The resolved text for every fault report in log_lines; elfs_for(name) lists the ELF
    paths that may be app `name`."""
    out = []
    current = None
    for line in log_lines:
        headline = HEADLINE.search(line)
        if headline:
            current = headline.group("name")
            out.append(f"process {current} (id {headline.group('id')}): {headline.group('why')}")
            continue
        if current is None:
            continue
        for code in CODE.finditer(line):
            address, offset = int(code.group("address"), 16), int(code.group("offset"), 16)
            label = code.group("label")
            picked = pick_elf(elfs_for(current), address, offset)
            if picked is None:
                out.append(f"  {label} app binary + {offset:#x}: no ELF of {current} linked there")
                continue
            path, image, origin = picked
            elf_address = origin + offset
            if label == "lr":
                # The return address follows the call: step back into the calling instruction
                # (and off the Thumb bit).
                elf_address = (elf_address & ~1) - 1
            function, where = resolve(path, image, elf_address)
            prefix = "called from " if label == "lr" else ""
            out.append(f"  {label} app binary + {offset:#06x}: {prefix}{function} at {where}"
                       f" ({os.path.basename(path)})")
        if CODE.search(line):
            current = None  # one pc line per report
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--board", help="apps from build/apps/<the board's app arch>/")
    source.add_argument("--apps", help="directory holding <name>.elf and <name>.slotN.elf")
    source.add_argument("--elf", action="append", metavar="NAME=PATH",
                        help="the ELF of app NAME (repeatable)")
    parser.add_argument("--build", default=board_info.BUILD_DIR, help="build directory")
    parser.add_argument("log", help="saved console output, or - for standard input")
    args = parser.parse_args(argv)
    try:
        if args.elf:
            named = {}
            for item in args.elf:
                name, sep, path = item.partition("=")
                if not sep:
                    raise FaultLinesError(f"--elf {item!r}: expected NAME=PATH")
                named.setdefault(name, []).append(path)

            def elfs_for(name):
                return named.get(name, [])
        else:
            directory = args.apps
            if args.board:
                directory = os.path.join(args.build, "apps",
                                         board_info.load(args.board).apps_arch)

            def elfs_for(name):
                return sorted(glob.glob(os.path.join(directory, f"{glob.escape(name)}.elf")) +
                              glob.glob(os.path.join(directory, f"{glob.escape(name)}.slot*.elf")))
        if args.log == "-":
            lines = sys.stdin.read().splitlines()
        else:
            with open(args.log, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        for text in report(lines, elfs_for):
            print(text)
    except (FaultLinesError, board_info.BoardError, elf.ElfError, OSError) as err:
        print(f"fault_lines: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
