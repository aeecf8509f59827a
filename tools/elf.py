# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Minimal reader for 32-bit little-endian ELF executables (ARM and RISC-V).

Reads exactly what the app packer needs: the file header, program headers,
section headers with their names, section contents and the static symbol
table. Every offset and size taken from the file is bounds-checked, so a
truncated or corrupt file raises ElfError instead of producing garbage.

Usage:
    import elf
    image = elf.parse(open("app.elf", "rb").read())
    for segment in image.segments: ...
    value = image.symbol_value("_sram_origin")      # None if absent

Invariants:
    * Only ELFCLASS32 / ELFDATA2LSB files for EM_ARM or EM_RISCV are accepted.
    * Segment and Section objects are plain copies; callers may modify them.
"""

import struct
from dataclasses import dataclass

EM_ARM = 40
EM_RISCV = 243
MACHINE_NAMES = {EM_ARM: "ARM", EM_RISCV: "RISC-V"}

ET_REL = 1
ET_EXEC = 2
ET_DYN = 3

PT_LOAD = 1
PT_DYNAMIC = 2
PT_TLS = 7
PT_GNU_EH_FRAME = 0x6474E550
PT_GNU_STACK = 0x6474E551
PT_GNU_RELRO = 0x6474E552

PF_X = 1
PF_W = 2
PF_R = 4

SHT_SYMTAB = 2
SHT_NOBITS = 8

SHF_WRITE = 0x1
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4
SHF_TLS = 0x400

SHN_UNDEF = 0
SHN_XINDEX = 0xFFFF

_EHDR = struct.Struct("<16sHHIIIIIHHHHHH")
_PHDR = struct.Struct("<8I")
_SHDR = struct.Struct("<10I")
_SYM = struct.Struct("<IIIBBH")


class ElfError(Exception):
    """The input is not an ELF file this reader supports, or it is corrupt."""


@dataclass
class Segment:
    """One program header (ELF32 Phdr)."""
    type: int
    offset: int
    vaddr: int
    paddr: int
    filesz: int
    memsz: int
    flags: int
    align: int


@dataclass
class Section:
    """One section header (ELF32 Shdr) plus its resolved name."""
    name: str
    type: int
    flags: int
    addr: int
    offset: int
    size: int
    link: int
    info: int
    addralign: int
    entsize: int


@dataclass
class Symbol:
    name: str
    value: int
    size: int
    info: int
    other: int
    shndx: int


class ElfFile:
    """A parsed ELF32 file. Build it with parse()."""

    def __init__(self, data, machine, elf_type, entry, segments, sections, symbols):
        self.data = data
        self.machine = machine
        self.type = elf_type
        self.entry = entry
        self.segments = segments
        self.sections = sections
        self.symbols = symbols

    @property
    def machine_name(self):
        return MACHINE_NAMES.get(self.machine, "machine %d" % self.machine)

    def section_data(self, section):
        """Return the file bytes of `section` (empty for SHT_NOBITS)."""
        if section.type == SHT_NOBITS:
            return b""
        return _slice(self.data, section.offset, section.size, "section " + section.name)

    def segment_data(self, segment):
        """Return the file bytes of `segment` (p_filesz bytes from p_offset)."""
        return _slice(self.data, segment.offset, segment.filesz, "segment")

    def find_section(self, name):
        """Return the first section called `name`, or None."""
        for section in self.sections:
            if section.name == name:
                return section
        return None

    def symbol_value(self, name):
        """Return the value of the first static symbol called `name`, or None."""
        for symbol in self.symbols:
            if symbol.name == name:
                return symbol.value
        return None


def _slice(data, offset, size, what):
    if offset < 0 or size < 0 or offset + size > len(data):
        raise ElfError("%s (offset 0x%x, size 0x%x) lies outside the file (0x%x bytes)"
                       % (what, offset, size, len(data)))
    return data[offset:offset + size]


def _string_at(table, index, what):
    if index >= len(table):
        raise ElfError("%s name offset 0x%x is outside its string table" % (what, index))
    end = table.find(b"\0", index)
    if end < 0:
        raise ElfError("%s name at 0x%x is not NUL-terminated" % (what, index))
    return table[index:end].decode("utf-8", errors="replace")


def _parse_header(data):
    if len(data) < 4 or data[:4] != b"\x7fELF":
        raise ElfError("not an ELF file (bad magic)")
    if len(data) < _EHDR.size:
        raise ElfError("file too short for an ELF header")
    fields = _EHDR.unpack_from(data, 0)
    ident = fields[0]
    if ident[4] != 1:
        raise ElfError("only 32-bit ELF files are supported (EI_CLASS=%d)" % ident[4])
    if ident[5] != 1:
        raise ElfError("only little-endian ELF files are supported (EI_DATA=%d)" % ident[5])
    return fields


def _parse_sections(data, shoff, shnum, shentsize, shstrndx):
    if shoff == 0:
        return []
    if shentsize != _SHDR.size:
        raise ElfError("unexpected section header size %d" % shentsize)
    first = _SHDR.unpack_from(_slice(data, shoff, _SHDR.size, "section header table"))
    if shnum == 0:                          # extended numbering: count lives in section 0
        shnum = first[5]
    if shstrndx == SHN_XINDEX:
        shstrndx = first[6]
    table = _slice(data, shoff, shnum * _SHDR.size, "section header table")
    raw = [_SHDR.unpack_from(table, i * _SHDR.size) for i in range(shnum)]
    if shstrndx >= shnum:
        raise ElfError("section name table index %d out of range" % shstrndx)
    names_hdr = raw[shstrndx]
    names = _slice(data, names_hdr[4], names_hdr[5], "section name table")
    sections = []
    for fields in raw:
        sections.append(Section(_string_at(names, fields[0], "section"), *fields[1:]))
    return sections


def _parse_symbols(data, sections):
    symtab = next((s for s in sections if s.type == SHT_SYMTAB), None)
    if symtab is None:
        return []
    if symtab.link >= len(sections):
        raise ElfError("symbol table links to missing string table %d" % symtab.link)
    strings = _slice(data, sections[symtab.link].offset, sections[symtab.link].size,
                     "symbol string table")
    body = _slice(data, symtab.offset, symtab.size, "symbol table")
    symbols = []
    for index in range(len(body) // _SYM.size):
        name, value, size, info, other, shndx = _SYM.unpack_from(body, index * _SYM.size)
        symbols.append(Symbol(_string_at(strings, name, "symbol"), value, size, info,
                              other, shndx))
    return symbols


def parse(data):
    """Parse `data` (bytes) as an ELF32 LE ARM/RISC-V file. Raises ElfError."""
    data = bytes(data)
    (_, elf_type, machine, _, entry, phoff, shoff, _, _, phentsize, phnum,
     shentsize, shnum, shstrndx) = _parse_header(data)
    if machine not in MACHINE_NAMES:
        raise ElfError("unsupported machine %d (only ARM and RISC-V apps can be packed)"
                       % machine)
    segments = []
    if phnum:
        if phentsize != _PHDR.size:
            raise ElfError("unexpected program header size %d" % phentsize)
        table = _slice(data, phoff, phnum * _PHDR.size, "program header table")
        segments = [Segment(*_PHDR.unpack_from(table, i * _PHDR.size)) for i in range(phnum)]
    sections = _parse_sections(data, shoff, shnum, shentsize, shstrndx)
    symbols = _parse_symbols(data, sections)
    return ElfFile(data, machine, elf_type, entry, segments, sections, symbols)
