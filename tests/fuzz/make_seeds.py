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
    seeds["refused"] = layout(headroom=0x100) + b"".join([
        app(""),                                     # no package name
        app("thief", regions=[(0x10, 0x20)]),        # region over the header
        app("huge", ram=0xFFFFFFF0),                 # minimum RAM + headroom wraps
        app("odd", fixed=(RAM_BASE + 0x802, 0xFFFFFFFF)),  # unaligned fixed RAM
        app("last"),
    ])
    seeds["mpu_refuses_flash"] = bytes([3, 3 | 8]) + layout()[2:] + app("nope")
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


def ipc_op(kind, proc, *args):
    """One ipc_msg_fuzz.c operation: kind | proc << 4, then 6 argument bytes."""
    return bytes([kind | proc << 4] + list(args) + [0] * (6 - len(args)))


def ipc_seeds():
    SERVER, CLIENT, OTHER = 0, 1, 2
    serve = (ipc_op(5, SERVER, 0, 1)                 # SERVE 1
             + ipc_op(0, SERVER, 0)                  # name "srv0" in RO allow 0
             + ipc_op(1, SERVER, 1, 0, 0)            # REGISTER endpoint 0
             + ipc_op(3, SERVER, 5, 0, 0x00, 0x04, 64)   # RW 5: receive buffer
             + ipc_op(2, SERVER, 5, 0, 0x00, 0x05, 8)    # RO 5: reply message
             + ipc_op(3, SERVER, 6, 0, 0x00, 0x06, 32)   # RW 6: borrow-read window
             + ipc_op(2, SERVER, 6, 0, 0x80, 0x06, 16))  # RO 6: borrow-write window
    lookup = (ipc_op(0, CLIENT, 0)                   # name "srv0"
              + ipc_op(1, CLIENT, 3, 0, 0)           # LOOKUP -> descriptor 1
              + ipc_op(2, CLIENT, 0, 0, 0x00, 0x01, 16)   # RO 0: request
              + ipc_op(3, CLIENT, 0, 0, 0x00, 0x02, 64)   # RW 0: reply buffer
              + ipc_op(3, CLIENT, 1, 0, 0x00, 0x03, 32)   # RW 1: lease
              + ipc_op(2, CLIENT, 2, 0, 0x80, 0x03, 32))  # RO 2: lease
    call = (ipc_op(5, SERVER, 1)                     # RECV (open)
            + ipc_op(4, CLIENT, 1, 7, 0)             # SEND desc 1 opcode 7, no timeout
            + ipc_op(10, SERVER))                    # take the message: token
    return {
        "call_borrow_reply": serve + lookup + call
        + ipc_op(7, SERVER, 0, 0, 0, 0, 0, 2)        # BORROW_READ RO lease 2 offset 0
        + ipc_op(7, SERVER, 0, 0, 0, 4, 1, 1)        # BORROW_WRITE RW lease 1 offset 4
        + ipc_op(7, SERVER, 0, 0, 0, 0, 2, 1)        # BORROW_INFO lease 1
        + ipc_op(7, SERVER, 0, 0, 0, 0, 3, 0)        # CLIENT_INFO
        + ipc_op(6, SERVER, 0, 0, 0, 0, 0, 42)       # REPLY code 42
        + ipc_op(10, CLIENT)                         # take the reply
        + ipc_op(6, SERVER, 0, 0, 0, 0, 0, 43),      # REPLY again: gone
        "call_timeout": serve + lookup
        + ipc_op(4, CLIENT, 1, 7, 0, 1, 5)           # SEND with a 5 ms timeout
        + ipc_op(12, CLIENT, 0x50, 0xC3)             # 50000 ticks later
        + ipc_op(10, CLIENT),
        "server_restarts": serve + lookup + call
        + ipc_op(13, SERVER, 0)                      # restart the server mid-call
        + ipc_op(10, CLIENT) + ipc_op(1, CLIENT, 7, 1, 0)  # DESC_STATUS
        + ipc_op(1, CLIENT, 4, 1, 0),                # REOPEN
        "notify": serve + lookup
        + ipc_op(8, SERVER, 2, 0, 0, 0xff, 0, 0)     # GRANT_POST any, bits 0xff
        + ipc_op(8, CLIENT, 0, 1, 0, 0x0f, 0, 0)     # POST desc 1 bits 0x0f
        + ipc_op(8, CLIENT, 4, 1, 0, 0x01, 0, 0)     # WATCH desc 1
        + ipc_op(8, SERVER, 3, 3, 0, 1, 0, 0)        # SET_TIMER 3 ms
        + ipc_op(5, SERVER, 1, 0xff) + ipc_op(10, SERVER)     # RECV mask 0xff
        + ipc_op(5, SERVER, 1, 0xff) + ipc_op(12, SERVER, 0, 0x20) + ipc_op(10, SERVER)
        + ipc_op(13, SERVER, 1) + ipc_op(10, CLIENT),  # terminate the server: watch fires
        "queue_full": serve + lookup
        + ipc_op(15, CLIENT, 1, 8) + ipc_op(15, SERVER, 1, 8)   # other drivers fill both queues
        + call + ipc_op(15, SERVER, 0)                # RECV event held in the grant; alarm
        + ipc_op(10, SERVER) + ipc_op(5, SERVER, 1)   # drain, RECV again: the held message
        + ipc_op(10, SERVER) + ipc_op(6, SERVER, 0, 0, 0, 0, 0, 1)
        + ipc_op(12, CLIENT, 0, 0x40) + ipc_op(10, CLIENT),
        "lease_reallowed": serve + lookup + call
        + ipc_op(3, CLIENT, 1, 0, 0x00, 0x03, 16)    # re-allow RW 1 after SEND
        + ipc_op(7, SERVER, 0, 0, 0, 0, 1, 1)        # BORROW_WRITE lease 1: cancelled
        + ipc_op(13, CLIENT, 1)                      # the client exits mid-call
        + ipc_op(6, SERVER, 0, 0, 0, 0, 0, 1)        # REPLY: gone
        + ipc_op(8, SERVER, 1, 1, 1)                 # POST_BADGE to the dead client
        + ipc_op(8, SERVER, 0, 1),                   # POST on a descriptor never looked up
        "dead_peer": serve + lookup
        + ipc_op(8, CLIENT, 2, 1, 0, 0x0f)           # GRANT_POST desc 1 bits 0x0f
        + ipc_op(13, SERVER, 1)                      # the server exits
        + ipc_op(8, CLIENT, 0, 1, 0, 1)              # POST desc 1: gone
        + ipc_op(8, CLIENT, 4, 1, 0, 2)              # WATCH desc 1: fires at once
        + ipc_op(8, CLIENT, 2, 1, 0, 0)              # GRANT_POST desc 1 bits 0
        + ipc_op(5, CLIENT, 1, 0xff) + ipc_op(10, CLIENT)
        + ipc_op(13, SERVER, 0) + ipc_op(1, CLIENT, 7, 1) + ipc_op(8, CLIENT, 0, 1, 0, 1),
        "deadlock": serve + lookup
        + ipc_op(5, CLIENT, 0, 1) + ipc_op(0, CLIENT, 2) + ipc_op(1, CLIENT, 1, 0, 0)
        + ipc_op(0, SERVER, 2) + ipc_op(1, SERVER, 3, 0, 0)   # server looks up "cli1"
        + ipc_op(2, SERVER, 0, 0, 0x00, 0x01, 8) + ipc_op(3, SERVER, 0, 0, 0x00, 0x02, 8)
        + ipc_op(4, CLIENT, 1, 1, 0)                 # client -> server
        + ipc_op(4, SERVER, 1, 2, 0)                 # server -> client: refused
        + ipc_op(4, OTHER, 1, 0, 0),                 # a descriptor OTHER never got
    }


def queue_op(kind, proc, *args):
    """One ipc_queue_fuzz.c operation: kind | proc << 4, then 5 argument bytes."""
    return bytes([kind | proc << 4] + list(args) + [0] * (5 - len(args)))


def queue_seeds():
    OWNER, S1, S2 = 0, 1, 2
    owner = (queue_op(0, OWNER, 0, 8, 2)                # CREATE endpoint 0, 8 bytes x 2
             + queue_op(1, OWNER, 1, 0, 0)              # name "q", REGISTER endpoint 0
             + queue_op(6, OWNER, 0, 1)                 # GRANT_SEND anyone
             + queue_op(3, OWNER, 0, 0, 0x00, 0x04, 8))  # RW 0: receive buffer
    senders = b"".join(queue_op(1, s, 1, 1, 0)          # name "q", LOOKUP -> descriptor 1
                       + queue_op(2, s, 0, 0, 0x00, 0x01, 8)  # RO 0: the message
                       for s in (S1, S2))
    fill = (queue_op(4, S1, 0, 0, 1) + queue_op(4, S2, 0, 0, 1)  # two no-wait SENDs: full
            + queue_op(4, S1, 1, 0, 1) + queue_op(4, S2, 2, 40, 1))  # forever; 40 ms
    drain = queue_op(5, OWNER, 0) * 3 + queue_op(10, S1) + queue_op(10, S2)
    return {
        "fill_hold_drain": owner + senders + fill + drain,
        "timeouts": (owner + senders + queue_op(5, OWNER, 2, 30) + queue_op(12, OWNER, 0x40, 0x1F)
                     + queue_op(10, OWNER) + fill + queue_op(12, S1, 0x40, 0x1F)
                     + queue_op(10, S2) + drain),
        "owner_restart": owner + senders + fill + queue_op(13, OWNER, 0) + queue_op(10, S1)
                         + queue_op(4, S1, 0, 0, 1) + owner + queue_op(1, S1, 1, 2, 1)
                         + queue_op(4, S1, 0, 0, 1) + drain,
        "sender_dies": (owner + senders + fill + queue_op(13, S1, 1) + drain
                        + queue_op(7, OWNER, 0) + queue_op(7, S2, 1)),
        "notify_armed": (owner + senders + queue_op(8, OWNER, 4, 4) + queue_op(5, OWNER, 1)
                         + queue_op(4, S1, 0, 0, 1) + queue_op(10, OWNER)),
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
    write("ipc_msg_fuzz", ipc_seeds())
    write("ipc_queue_fuzz", queue_seeds())
    return 0


if __name__ == "__main__":
    sys.exit(main())
