#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Write a gdb script that loads the kernel's symbols and every app's where the app runs.

`make debug` starts QEMU halted with its gdb stub and runs gdb-multiarch with this script, so
`break main` or `break kernel_loop` works before the first instruction runs, with no address
typed by hand. The kernel ELF is loaded as it was linked. Each app of the app-flash image is
found in the image, and its ELF (beside its TBF: build/apps/<arch>/<name>[.slotN].elf) is
added at the addresses the kernel gives it (tools/app_placement.py):
    flash sections at  binary start + (address - _flash_origin)
    RAM sections at    process RAM start + (address - _sram_origin)
where the binary start is the TBF's address plus its header and protected trailer. Cortex-M
apps are position independent (linked at flash 0x80000000, RAM 0), so every one is moved;
RISC-V apps are linked for their slot, so their sections stay where they were linked (the
kernel refuses an app placed anywhere else).

With --app NAME only that app's symbols are added (several apps define main, _start and the
libtock functions); without it all of them are, and a breakpoint on a name they share gets one
location in each app.

Usage:
    gdb_script.py --board qemu_mps2_an385 --kernel build/qemu_mps2_an385/kernel.elf \\
        --image build/qemu_mps2_an385/demo-apps.bin [--app hello] [--port 1234] \\
        -o build/qemu_mps2_an385/debug.gdb build/apps/cortex-m3/hello.tbf ...
    gdb-multiarch -x build/qemu_mps2_an385/debug.gdb

The TBFs are the files the image was packed from, in any order: an app of the image is matched
to the TBF with the same bytes. Exit status 1 with a message when an app named by --app is not
in the image or not loaded, or an ELF is missing.

Invariants: the script names absolute paths (it works from any directory); it only loads
symbols and, with --port, connects: it sets no breakpoint and resumes nothing.
"""
import argparse
import os
import sys

import app_placement
import board_info
import elf
import tbf


class ScriptError(Exception):
    """The script cannot be written; the message says why."""


def origin(image, name, path):
    value = image.symbol_value(name)
    if value is None:
        raise ScriptError(f"{path}: no {name} symbol (userland_generic.ld defines it), so where "
                          "its sections go cannot be told")
    return value


def section_addresses(image, path, binary_start, ram_start):
    """[(section name, run-time address)] of every allocated section of the app ELF `image`
    for an app whose binary starts at `binary_start` and whose RAM starts at `ram_start`."""
    flash_origin = origin(image, "_flash_origin", path)
    sram_origin = origin(image, "_sram_origin", path)
    moved = []
    for section in image.sections:
        if not section.flags & elf.SHF_ALLOC or section.size == 0:
            continue
        # A section belongs to the region whose origin is the closest one at or below it.
        in_flash = section.addr >= flash_origin and not flash_origin < sram_origin <= section.addr
        in_ram = section.addr >= sram_origin and not in_flash
        if in_flash:
            address = binary_start + section.addr - flash_origin
        elif in_ram:
            address = ram_start + section.addr - sram_origin
        else:
            raise ScriptError(f"{path}: section {section.name} at 0x{section.addr:08x} lies "
                              "below both the flash and the RAM origin")
        moved.append((section.name, address & 0xFFFFFFFF))
    return moved


def elf_of(tbf_path):
    path = os.path.splitext(tbf_path)[0] + ".elf"
    if not os.path.exists(path):
        raise ScriptError(f"{path}: missing (the ELF the TBF {tbf_path} was packed from)")
    return path


def script(board, kernel, image_path, tbf_paths, app=None, port=None):
    """The text of the gdb script (see the module's description)."""
    with open(image_path, "rb") as f:
        image = f.read()
    placed = app_placement.place(board, image)
    contents = {}
    for path in tbf_paths:
        with open(path, "rb") as f:
            contents.setdefault(f.read(), path)
    names = [p.name for p in placed if p.loaded]
    if app is not None and app not in names:
        raise ScriptError(f"no app {app!r} is loaded from {image_path} (loaded: "
                          f"{', '.join(names) or 'none'})")
    lines = [f"# gdb script for {board.name}, written by tools/gdb_script.py (make debug "
             "rewrites it).",
             f"# app flash image {os.path.abspath(image_path)}",
             "set confirm off",
             f"file {os.path.abspath(kernel)}"]
    for p in placed:
        where = f'app "{p.name}": TBF 0x{p.tbf_start:08x}-0x{p.tbf_start + p.tbf_size:08x}'
        if not p.loaded:
            lines.append(f"# {where}: the kernel skips it ({p.skipped})")
            continue
        if app is not None and p.name != app:
            continue
        tbf_path = contents.get(app_placement.tbf_bytes(image, p))
        if tbf_path is None:
            if app is not None:
                raise ScriptError(f"app {p.name!r}: none of the TBFs given is the one in "
                                  f"{image_path}")
            lines.append(f"# {where}: no TBF given matches it; its symbols are not loaded")
            continue
        elf_path = elf_of(tbf_path)
        with open(elf_path, "rb") as f:
            sections = section_addresses(elf.parse(f.read()), elf_path, p.binary_start,
                                         p.ram_start)
        lines.append(f"# {where}, binary at 0x{p.binary_start:08x}, RAM "
                     f"0x{p.ram_start:08x}-0x{p.ram_end:08x}")
        lines.append(f"add-symbol-file {os.path.abspath(elf_path)} " +
                     " ".join(f"-s {name} 0x{address:08x}" for name, address in sections))
    lines.append("set confirm on")
    if port is not None:
        lines.append(f"target remote 127.0.0.1:{port}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--board", required=True, choices=board_info.names())
    parser.add_argument("--kernel", required=True, help="the kernel ELF QEMU runs")
    parser.add_argument("--image", required=True, help="the app-flash image QEMU loads")
    parser.add_argument("--app", help="add this app's symbols only")
    parser.add_argument("--port", type=int, help="connect to QEMU's gdb stub on this port")
    parser.add_argument("-o", dest="output", required=True, help="the script to write")
    parser.add_argument("tbfs", nargs="*", help="the TBFs the image was packed from")
    args = parser.parse_args(argv)
    try:
        text = script(board_info.load(args.board), args.kernel, args.image, args.tbfs,
                      args.app, args.port)
    except (ScriptError, OSError, elf.ElfError, tbf.TbfError) as err:
        print(f"gdb_script.py: {err}", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
