#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Print the headers of a TBF file or of a whole app flash image.

Walks the file the way the kernel walks app flash: TBF objects back to back
from the first byte, ending at a word whose version is not 2 or when fewer
than 8 bytes remain. A single .tbf file is simply an image of one object.

Usage:
    tbfdump.py blink.tbf
    tbfdump.py --base 0x80100000 apps.bin      # show absolute addresses

Invariants:
    * Exit status 0 only if every object parsed (checksum, TLVs, footers).
"""

import argparse
import sys

import tbf


def parse_number(text):
    try:
        return int(text, 16) if text.lower().startswith("0x") else int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: %r" % text) from None


def dump(data, base, out):
    """Describe every object in `data`; raises tbf.TbfError after printing the good ones."""
    offset = 0
    count = 0
    for app in tbf.iter_image(data):
        print(tbf.describe(app, base), file=out)
        offset = app.offset + app.total_size
        count += 1
    remaining = len(data) - offset
    if remaining >= 4:
        word = int.from_bytes(data[offset:offset + 4], "little")
        print("end of list at 0x%08x (next word 0x%08x)" % (base + offset, word), file=out)
    else:
        print("end of list at 0x%08x (end of data)" % (base + offset), file=out)
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tbfdump.py",
                                     description="Print the TBF headers in a .tbf or image file.")
    parser.add_argument("files", nargs="+", help="TBF files or raw app flash images")
    parser.add_argument("--base", type=parse_number, default=0,
                        help="address the file is loaded at (default 0)")
    args = parser.parse_args(argv)
    status = 0
    for name in args.files:
        if len(args.files) > 1:
            print("== %s" % name)
        try:
            with open(name, "rb") as handle:
                data = handle.read()
            if dump(data, args.base, sys.stdout) == 0:
                print("tbfdump: error: %s: no TBF object at its start" % name, file=sys.stderr)
                status = 1
        except OSError as error:
            print("tbfdump: error: %s: %s" % (name, error.strerror or error), file=sys.stderr)
            status = 1
        except tbf.TbfError as error:
            print("tbfdump: error: %s: %s" % (name, error), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
