# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Shared helpers for the host-tool tests: build real app ELFs, craft synthetic ones.

Real ELFs come from tests/tools/fixtures/app.c linked with app_layout.ld by
the cross compilers; independent oracles (readelf, nm, objcopy) check what
the packer produced. Synthetic ELFs (make_elf) reach corner cases a linker
will not produce on demand.

Usage:
    from support import TOOLS_DIR, build_app, run_tool, make_elf
    elf_path = build_app("rv32", flash=0x80100080, ram=0x80300000)
    result = run_tool("tbfpack.py", "-o", out, elf_path)

Invariants:
    * Built ELFs are cached per parameter set for the whole test run and
      live in one temporary directory removed at exit.
"""

import atexit
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
FIXTURES_DIR = os.path.join(TESTS_DIR, "fixtures")
TOOLS_DIR = os.path.abspath(os.path.join(TESTS_DIR, "..", "..", "tools"))
if TOOLS_DIR not in sys.path:
    sys.path.insert(0, TOOLS_DIR)

RV_GCC = "riscv64-unknown-elf-gcc"
ARM_GCC = "arm-none-eabi-gcc"
TOOLCHAINS = {
    "rv32": (RV_GCC, ["-march=rv32imac", "-mabi=ilp32", "-Wl,--no-relax"]),
    "arm": (ARM_GCC, ["-mcpu=cortex-m3", "-mthumb", "-fPIC", "-msingle-pic-base",
                      "-mpic-register=r9", "-mno-pic-data-is-text-relative",
                      "-Wl,--emit-relocs"]),
}
PREFIX = {"rv32": "riscv64-unknown-elf-", "arm": "arm-none-eabi-"}

_work_dir = tempfile.mkdtemp(prefix="tockc-tools-test-")
atexit.register(shutil.rmtree, _work_dir, ignore_errors=True)
_cache = {}


def have_toolchain(arch):
    return shutil.which(TOOLCHAINS[arch][0]) is not None


def work_dir():
    return _work_dir


def build_app(arch, flash, ram, stack=2048, defines=(), extra=()):
    """Compile fixtures/app.c for `arch` ("rv32" or "arm"); return the ELF path."""
    key = (arch, flash, ram, stack, tuple(defines), tuple(extra))
    if key in _cache:
        return _cache[key]
    compiler, flags = TOOLCHAINS[arch]
    path = os.path.join(_work_dir, "app-%d.elf" % len(_cache))
    command = [compiler] + flags + [
        "-nostdlib", "-ffreestanding", "-Os", "-std=c11",
        "-T", os.path.join(FIXTURES_DIR, "app_layout.ld"),
        "-Wl,--defsym=TOCK_FLASH_ORIGIN=0x%x" % flash,
        "-Wl,--defsym=TOCK_RAM_ORIGIN=0x%x" % ram,
        "-Wl,--defsym=STACK_SIZE=%d" % stack,
        "-Wl,--no-warn-rwx-segments",
    ] + ["-D" + d for d in defines] + list(extra) + [
        os.path.join(FIXTURES_DIR, "app.c"), "-o", path]
    subprocess.run(command, check=True, capture_output=True)
    _cache[key] = path
    return path


def compile_object(arch):
    """Compile app.c to a relocatable .o (not linked); return its path."""
    compiler, flags = TOOLCHAINS[arch]
    path = os.path.join(_work_dir, "app-%s.o" % arch)
    subprocess.run([compiler] + flags + ["-c", "-Os", os.path.join(FIXTURES_DIR, "app.c"),
                                         "-o", path], check=True, capture_output=True)
    return path


def run_tool(script, *args):
    """Run tools/<script> with `args`; return the CompletedProcess (text mode)."""
    command = [sys.executable, os.path.join(TOOLS_DIR, script)] + [str(a) for a in args]
    return subprocess.run(command, capture_output=True, text=True)


def pack(elf_path, output, *args):
    """Run tbfpack.py and return the TBF bytes; fails loudly on error."""
    result = run_tool("tbfpack.py", elf_path, "-o", output, *args)
    if result.returncode != 0:
        raise AssertionError("tbfpack failed: " + result.stderr)
    with open(output, "rb") as handle:
        return handle.read()


def readelf_loads(arch, elf_path):
    """LOAD program headers via readelf: [(offset, vaddr, paddr, filesz, memsz, flags)]."""
    text = subprocess.run([PREFIX[arch] + "readelf", "-lW", elf_path], check=True,
                          capture_output=True, text=True).stdout
    rows = []
    pattern = re.compile(r"^\s*LOAD\s+0x(\w+)\s+0x(\w+)\s+0x(\w+)\s+0x(\w+)\s+0x(\w+)\s+(.{3})")
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            numbers = [int(match.group(i), 16) for i in range(1, 6)]
            rows.append(tuple(numbers) + (match.group(6),))
    return rows


def nm_symbol(arch, elf_path, name):
    text = subprocess.run([PREFIX[arch] + "nm", elf_path], check=True, capture_output=True,
                          text=True).stdout
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    raise KeyError(name)


def objcopy_binary(arch, elf_path):
    """Flash image as objcopy -O binary sees it (from the lowest load address)."""
    out = elf_path + ".bin"
    subprocess.run([PREFIX[arch] + "objcopy", "-O", "binary", elf_path, out], check=True,
                   capture_output=True)
    with open(out, "rb") as handle:
        return handle.read()


def rel_section_bytes(arch, elf_path, name):
    """Bytes of REL section `name` rebuilt from readelf -r (r_offset, r_info pairs)."""
    text = subprocess.run([PREFIX[arch] + "readelf", "-rW", elf_path], check=True,
                          capture_output=True, text=True).stdout
    out = bytearray()
    inside = False
    for line in text.splitlines():
        if line.startswith("Relocation section"):
            inside = ("'%s'" % name) in line
            continue
        fields = line.split()
        if inside and len(fields) >= 2 and re.fullmatch(r"[0-9a-f]{8}", fields[0]):
            out += struct.pack("<II", int(fields[0], 16), int(fields[1], 16))
    return bytes(out)


def xor_checksum(header):
    """Reference checksum: XOR of all header words except word 3."""
    value = 0
    for index in range(0, len(header), 4):
        if index != 12:
            value ^= int.from_bytes(header[index:index + 4], "little")
    return value


def walk_tlvs(header):
    """[(type, offset, length, payload)] read straight from header bytes."""
    tlvs = []
    position = 16
    while position < len(header):
        tlv_type, length = struct.unpack_from("<HH", header, position)
        tlvs.append((tlv_type, position, length, header[position + 4:position + 4 + length]))
        position += (4 + length + 3) // 4 * 4
    return tlvs


# ---------------------------------------------------------------------------
# Synthetic ELF32 writer for corner cases.

EM_ARM = 40
EM_RISCV = 243
PT_LOAD = 1
PF_X, PF_W, PF_R = 1, 2, 4
SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_NOBITS, SHT_REL = 1, 2, 3, 8, 9
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4


class Seg:
    def __init__(self, vaddr, data, paddr=None, memsz=None, flags=PF_R | PF_X):
        self.vaddr = vaddr
        self.paddr = vaddr if paddr is None else paddr
        self.data = data
        self.memsz = len(data) if memsz is None else memsz
        self.flags = flags


class Sec:
    """A section: inside segment `segment` at byte `start`, or standalone `data`."""

    def __init__(self, name, size=0, segment=None, start=0, flags=SHF_ALLOC,
                 sh_type=SHT_PROGBITS, data=b""):
        self.name = name
        self.size = size if segment is not None else len(data)
        self.segment = segment
        self.start = start
        self.flags = flags
        self.type = sh_type
        self.data = data


def make_elf(segments, sections=(), symbols=None, entry=0, machine=EM_RISCV, elf_type=2):
    """Build ELF32 LE bytes. `symbols` maps name -> value (all global, absolute)."""
    symbols = symbols or {}
    phoff = 52
    cursor = phoff + 32 * len(segments)
    body = bytearray()
    seg_offsets = []
    for seg in segments:
        cursor = (cursor + 3) // 4 * 4
        seg_offsets.append(cursor)
        body += bytes(cursor - 52 - 32 * len(segments) - len(body)) + seg.data
        cursor += len(seg.data)

    def append(blob):
        nonlocal cursor
        cursor = (cursor + 3) // 4 * 4
        offset = cursor
        body.extend(bytes(offset - 52 - 32 * len(segments) - len(body)) + blob)
        cursor += len(blob)
        return offset

    strtab = bytearray(b"\0")
    symtab = bytearray(bytes(16))
    for name, value in symbols.items():
        symtab += struct.pack("<IIIBBH", len(strtab), value, 0, 0x10, 0, 0xFFF1)
        strtab += name.encode() + b"\0"
    all_sections = list(sections) + [
        Sec(".symtab", data=bytes(symtab), flags=0, sh_type=SHT_SYMTAB),
        Sec(".strtab", data=bytes(strtab), flags=0, sh_type=SHT_STRTAB)]
    shstrtab = bytearray(b"\0")
    name_offsets = []
    for sec in all_sections + [Sec(".shstrtab", flags=0, sh_type=SHT_STRTAB)]:
        name_offsets.append(len(shstrtab))
        shstrtab += sec.name.encode() + b"\0"
    headers = [bytes(40)]
    symtab_index = len(all_sections) - 1       # ELF index of .symtab (NULL is index 0)
    for index, sec in enumerate(all_sections):
        if sec.segment is not None:
            seg = segments[sec.segment]
            addr = seg.vaddr + sec.start
            offset = seg_offsets[sec.segment] + sec.start
        else:
            addr = 0
            offset = append(sec.data) if sec.type != SHT_NOBITS else cursor
        link = symtab_index + 1 if sec.type == SHT_SYMTAB else 0
        info = 1 if sec.type == SHT_SYMTAB else 0
        entsize = {SHT_SYMTAB: 16, SHT_REL: 8}.get(sec.type, 0)
        headers.append(struct.pack("<10I", name_offsets[index], sec.type, sec.flags, addr,
                                   offset, sec.size, link, info, 4, entsize))
    shstr_offset = append(bytes(shstrtab))
    headers.append(struct.pack("<10I", name_offsets[-1], SHT_STRTAB, 0, 0, shstr_offset,
                               len(shstrtab), 0, 0, 1, 0))
    shoff = append(b"".join(headers))
    ident = b"\x7fELF\x01\x01\x01" + bytes(9)
    ehdr = struct.pack("<16sHHIIIIIHHHHHH", ident, elf_type, machine, 1, entry, phoff, shoff,
                       0, 52, 32, len(segments), 40, len(headers), len(headers) - 1)
    phdrs = b"".join(struct.pack("<8I", PT_LOAD, seg_offsets[i], seg.vaddr, seg.paddr,
                                 len(seg.data), seg.memsz, seg.flags, 4)
                     for i, seg in enumerate(segments))
    return ehdr + phdrs + bytes(body)
