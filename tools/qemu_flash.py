#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The files behind a QEMU board's parallel flash (qemu_rv32_virt's pflash1).

The tools give every app-flash image its own flash file under build/qemu-flash/, erased (all
0xFF, as a new chip) for each run unless the caller asked to keep what the last run wrote;
`make run` keeps one file per board (boards/boards.mk), created erased by the command line
below.

Usage:
    path = qemu_flash.flash_file(image, size)        # before starting QEMU on `image`
    qemu_flash.keep_flash_for_next_run(image)        # the next run of `image` sees this one's
    python3 tools/qemu_flash.py --erased FILE SIZE   # write an erased flash file

Invariants: flash files are written under build/ only, never in the working directory,
whatever `image` is (a path outside the tree, or `-`); a keep request lasts one run.
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ERASED = b"\xff"


def flash_state_path(image, suffix):
    """Where the flash file (and its keep marker) of `image` lives."""
    directory = os.path.join(ROOT, "build", "qemu-flash")
    os.makedirs(directory, exist_ok=True)
    name = os.path.abspath(image).replace(os.sep, "_").lstrip("_") or "image"
    return os.path.join(directory, name + suffix)


def keep_flash_for_next_run(image):
    """Let the next QEMU run of `image` keep the flash file the last run wrote (once)."""
    open(flash_state_path(image, ".keep-flash"), "w").close()


def write_erased(path, size):
    with open(path, "wb") as f:
        f.write(ERASED * size)


def flash_file(image, size):
    """The flash file of `size` bytes for a run of `image`: erased for every run, unless
    keep_flash_for_next_run(image) was called since the last one."""
    path = flash_state_path(image, ".pflash1")
    marker = flash_state_path(image, ".keep-flash")
    if os.path.exists(marker):
        os.remove(marker)
        if os.path.exists(path):
            return path
    write_erased(path, size)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--erased", nargs=2, metavar=("FILE", "SIZE"), required=True,
                        help="write FILE as SIZE (e.g. 0x2000000) erased bytes")
    args = parser.parse_args()
    path, size = args.erased
    write_erased(path, int(size, 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
