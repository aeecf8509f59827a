# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Writes the seed inputs of the loader, TBF-footer and message-IPC fuzz harnesses.

The seeds are committed under tests/fuzz/corpus/<harness>/; rerun this only when a harness's
input format changes:  python3 tests/fuzz/make_seeds.py
Each seed is a small valid (or deliberately almost valid) input, so the fuzzer starts from the
deep paths rather than from the first length check.
"""

import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tbf  # noqa: E402

CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")

# loader_fuzz.c layout: FLASH_END and RAM_BASE are where the harness maps flash and RAM.
FLASH_END = 0x10000000 + 4096 + 64 * 1024
RAM_BASE = 0x20000000 + 4096


def credential(fmt, data):
    return struct.pack("<HHI", tbf.TLV_CREDENTIALS, 4 + len(data), fmt) + data


def app(name, total=0x100, init=0x10, trailer=0, ram=0x200, version=(2, 3), regions=(),
        fixed=None, storage=None, permissions=(), short_id=None, flags=tbf.FLAG_ENABLED,
        footer=b"", corrupt=False):
    """One TBF object of `total` bytes; `footer` goes at the end (binary_end = total - len)."""
    header = tbf.TbfHeader(total_size=total, flags=flags, init_fn_offset=init,
                           protected_trailer_size=trailer, minimum_ram_size=ram,
                           binary_end_offset=total - len(footer), app_version=1,
                           has_main=False, package_name=name,
                           writeable_flash_regions=list(regions), kernel_version=version,
                           permissions=list(permissions), storage=storage, short_id=short_id)
    if fixed is not None:
        header.fixed_ram, header.fixed_flash = fixed
    raw = bytearray(tbf.encode_header(header))
    if corrupt:
        raw[12] ^= 0x01
    body = total - len(raw) - len(footer)
    assert body >= 0, name
    return bytes(raw) + b"\x5a" * body + footer


def layout(slots=4, ram_align_log2=3, gran_log2=0, initial_brk=32, ram_size=0x4000,
           ram_offset=0, trailing=0, headroom=0):
    return bytes([slots - 1, ram_align_log2 | gran_log2 << 4, initial_brk // 16,
                  ram_size // 256 - 1, ram_offset, trailing, headroom // 16])


def loader_seeds():
    sha = credential(3, bytes(range(32)))
    seeds = {}
    seeds["two_apps"] = layout() + app("alpha", regions=[(0x80, 0x20)]) + app(
        "beta", ram=0x400, storage=(7, [7, 1], [7]), footer=sha + credential(0, b"\0" * 8))
    seeds["mixed_list"] = layout(slots=8) + b"".join([
        tbf.padding_tbf(0x40),
        app("first"),
        app("corrupt", corrupt=True),
        app("off", flags=0),
        app("future", version=(3, 0)),
        app("nover", version=None),
        app("hungry", ram=0x10000),
        app("perm", permissions=[(1, 0, 0xff), (0x40000, 0, 3)], short_id=0x1234),
        app("wide", trailer=0x20, regions=[(0xe0, 0x10), (0xf0, 0x10)]),
    ]) + b"\xff" * 16
    # Fixed addresses that match where the harness maps flash and RAM.
    image_len = 0x100 * 2
    start = FLASH_END - image_len
    probe = tbf.TbfHeader(total_size=0x100, init_fn_offset=0x10, minimum_ram_size=0x200,
                          binary_end_offset=0x100, has_main=False, package_name="pinned",
                          kernel_version=(2, 3), fixed_ram=0, fixed_flash=0)
    hs = tbf.header_size(probe)
    seeds["fixed_addresses"] = layout(ram_offset=0) + app(
        "pinned", fixed=(RAM_BASE + 0x800, start + hs)) + app(
        "behind", fixed=(RAM_BASE, 0xFFFFFFFF))
    seeds["odd_alignment"] = layout(slots=2, ram_align_log2=7, gran_log2=5, initial_brk=0x400,
                                    ram_size=0x800, ram_offset=3, trailing=5,
                                    headroom=0x100) + app("a", total=0x104) + app("b")
    seeds["erased"] = layout() + b"\xff" * 64
    return seeds


def tbf_footer_seeds():
    sha = credential(3, bytes(range(32)))
    return {
        "footer_sha256_reserved": app("signed", total=0x100,
                                      footer=sha + credential(0, b"\0" * 16)),
        "footer_ecdsa": app("ecdsa", total=0x100, footer=credential(6, b"\x11" * 64)),
        "footer_unknown_format": app("odd", total=0x80, footer=credential(9, b"\0" * 8)),
        "footer_short_tail": app("tail", total=0x80, footer=credential(0, b"\0" * 3) + b"\0\0"),
    }


def write(harness, seeds):
    path = os.path.join(CORPUS, harness)
    os.makedirs(path, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)


def main():
    write("loader_fuzz", loader_seeds())
    write("tbf_fuzz", tbf_footer_seeds())
    return 0


if __name__ == "__main__":
    sys.exit(main())
