#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Is the QEMU a board needs installed and new enough? Run by `make run` before QEMU starts, so
a missing or old QEMU gets a message that says what to do instead of an obscure QEMU error.

QEMU 7.0 is the oldest tested release line of what the boards and tests use (mps2-an385 with
the at24c EEPROM on its I2C bus, virt's pflash, -icount with TCG plugins for `make bench`);
Debian 12 ships 7.2.

Usage: python3 tools/qemu_check.py BOARD [--qemu BINARY]
Exit status 0 when usable, 1 with a message on stderr otherwise.
"""
import argparse
import re
import shutil
import subprocess
import sys

import board_info

MINIMUM = (7, 0)
INSTALL = ("install it with `sh tools/install_deps.sh` (as root: it runs apt-get), or "
           "`apt-get install qemu-system-arm qemu-system-misc` on Debian")


def version_of(output):
    """(major, minor, patch) from `qemu-system-* --version` output, or None."""
    match = re.search(r"version (\d+)\.(\d+)(?:\.(\d+))?", output)
    if match is None:
        return None
    return tuple(int(part or 0) for part in match.groups())


def problem(binary):
    """None when `binary` is a usable QEMU, else the message that says why not."""
    if shutil.which(binary) is None:
        return f"{binary} is not installed: {INSTALL}"
    try:
        proc = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"{binary} --version failed ({err}): {INSTALL}"
    version = version_of(proc.stdout)
    if proc.returncode != 0 or version is None:
        return f"{binary} --version printed no version: {INSTALL}"
    if version[:2] < MINIMUM:
        found = ".".join(map(str, version))
        need = ".".join(map(str, MINIMUM))
        return f"{binary} is version {found}; tockc needs {need} or newer: {INSTALL}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("board", choices=board_info.names())
    parser.add_argument("--qemu", help="the QEMU binary to check (default: the board's)")
    args = parser.parse_args()
    binary = args.qemu or board_info.load(args.board).qemu_binary
    message = problem(binary)
    if message is not None:
        print(f"tockc: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
