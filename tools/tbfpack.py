#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Pack a linked app ELF into a TBF file, laid out the way elf2tab does it.

tockc's counterpart of Tock's elf2tab for libtock-c style apps: the flash
image (a crt0 header first, then code, then the flash copies of .got/.data)
is taken from the ELF's loadable segments and prefixed with a TBF header
(Main, Program, PackageName, WriteableFlashRegions, FixedAddresses,
Permissions, StoragePermissions, KernelVersion, ShortId). A u32 length and
the `.rel.<section>` data of every writable section follow the binary; a
Reserved credential fills the footer, after the credentials asked for
(--ecdsa-p256-key KEY first, then --sha256/--sha384/--sha512 in the order
given; each covers the TBF up to binary_end_offset, doc/reference/025); ARM
objects are padded to a power of two (the MPU needs it), RISC-V objects to a
multiple of 4.

Usage:
    tbfpack.py -o blink.tbf -n blink --stack 2048 --app-heap 1024 --kernel-heap 1024 \\
        --kernel-major 2 --kernel-minor 2 --minimum-footer-size 3000 blink.elf
    tbfpack.py ... --sha256 --ecdsa-p256-key dev.pem blink.elf   # with credentials
    tbfpack.py --help                      # all options

Invariants:
    * The output is exactly total_size bytes and parses with tbf.parse_tbf().
    * Non-PIC apps (FixedAddresses present) get a protected trailer that puts
      the TBF start at align_down(app binary address, 256), so the TBF must be
      placed at that address (mkimage.py does this).
    * Nothing is written when packing fails; the exit status is then 1.
"""

import argparse
import sys
from dataclasses import dataclass, field

import ecdsa_p256
import elf
import tbf

PIC_FLASH_ADDRESS = 0x80000000      # Tock convention: apps linked here are relocatable
PIC_RAM_ADDRESS = 0x00000000
DEFAULT_STACK_SIZE = 2048
FIXED_ADDRESS_TBF_ALIGNMENT = 256
LARGE_GAP_WARNING = 4096
ARM_MIN_TOTAL_SIZE = 512
CRT0_HEADER_SIZE = 40
CRT0_RELDATA_FIELD = 32


class PackError(Exception):
    """The ELF cannot be turned into a valid TBF; the message says why."""


@dataclass
class PackOptions:
    """What elf2tab takes on its command line (see build_parser())."""
    package_name: str = ""
    stack_size: int = None                 # None: size of .stack, else 2048
    app_heap_size: int = 1024
    kernel_heap_size: int = 1024
    protected_region_size: int = None      # None: derived (see protected_region())
    permissions: list = field(default_factory=list)   # [(driver, command)]
    write_id: int = None
    read_ids: list = None
    access_ids: list = None
    kernel_version: tuple = None           # (major, minor)
    short_id: int = None
    app_version: int = 0
    disabled: bool = False
    minimum_footer_size: int = 0
    check_crt0: bool = False
    hashes: list = field(default_factory=list)   # tbf.CREDENTIAL_SHA256/384/512, in order
    signing_key: int = None                # ECDSA P-256 private key (ecdsa_p256), or None


@dataclass
class PackResult:
    data: bytes
    header: tbf.TbfHeader
    is_pic: bool
    reloc_offset: int          # offset in the TBF of the u32 relocation length
    reloc_data: bytes
    warnings: list


def align_to(value, alignment):
    return (value + alignment - 1) // alignment * alignment


def section_in_segment(section, segment):
    """True if `section` lies wholly inside `segment` (pyelftools' strict rule).

    TLS sections only belong to TLS-capable segments; non-ALLOC sections never
    belong to load-like segments; ALLOC sections must fit the segment's memory
    image and, unless NOBITS, its file image too.
    """
    is_tls = bool(section.flags & elf.SHF_TLS)
    tls_segment = segment.type in (elf.PT_TLS, elf.PT_GNU_RELRO)
    if is_tls and not (tls_segment or segment.type == elf.PT_LOAD):
        return False
    if not is_tls and tls_segment:
        return False
    if not section.flags & elf.SHF_ALLOC and segment.type in (
            elf.PT_LOAD, elf.PT_DYNAMIC, elf.PT_GNU_EH_FRAME, elf.PT_GNU_RELRO,
            elf.PT_GNU_STACK):
        return False
    if section.flags & elf.SHF_ALLOC:
        delta = section.addr - segment.vaddr
        if not (section.addr >= segment.vaddr and delta + section.size <= segment.memsz
                and delta <= segment.memsz - 1):
            return False
    if section.type == elf.SHT_NOBITS:
        return True
    delta = section.offset - segment.offset
    return (section.offset >= segment.offset and delta + section.size <= segment.filesz
            and delta <= segment.filesz - 1)


def _flash_segments(image):
    return [s for s in image.segments if s.type == elf.PT_LOAD and s.filesz > 0]


def minimum_ram_size(image, stack_size, app_heap_size, kernel_heap_size):
    """RAM the app needs: flash-loaded writable segments (GOT, .data, .bss) + stack + heaps."""
    in_ram = sum(s.memsz for s in image.segments
                 if s.type == elf.PT_LOAD and s.vaddr != s.paddr and s.memsz > 0
                 and s.flags & elf.PF_W)
    return in_ram + align_to(stack_size, 8) + align_to(app_heap_size, 4) + \
        align_to(kernel_heap_size, 4)


def fixed_addresses(image):
    """Return (is_pic, fixed_flash, fixed_ram) the way elf2tab derives them.

    Flash: the `_flash_origin` symbol, or else the lowest p_paddr of an
    executable loadable segment that holds a non-empty section; 0x80000000
    (either way) means PIC. RAM: `_sram_origin` unless it is 0.
    """
    is_pic = False
    fixed_flash = None
    origin = image.symbol_value("_flash_origin")
    if origin is not None:
        if origin == PIC_FLASH_ADDRESS:
            is_pic = True
        else:
            fixed_flash = origin
    else:
        for segment in _flash_segments(image):
            if not segment.flags & elf.PF_X:
                continue
            if not any(s.size > 0 and section_in_segment(s, segment) for s in image.sections):
                continue
            if segment.vaddr == PIC_FLASH_ADDRESS or is_pic:
                is_pic = True
            else:
                fixed_flash = segment.paddr if fixed_flash is None else min(fixed_flash,
                                                                            segment.paddr)
    if is_pic:
        fixed_flash = None
    sram = image.symbol_value("_sram_origin")
    fixed_ram = sram if sram is not None and sram != PIC_RAM_ADDRESS else None
    return is_pic, fixed_flash, fixed_ram


def group_permissions(pairs):
    """[(driver, command)] -> [(driver, block offset, 64-bit mask)], first-seen order."""
    groups = []
    for driver, command in pairs:
        offset, bit = divmod(command, 64)
        for index, (g_driver, g_offset, mask) in enumerate(groups):
            if g_driver == driver and g_offset == offset:
                groups[index] = (g_driver, g_offset, mask | (1 << bit))
                break
        else:
            groups.append((driver, offset, 1 << bit))
    return groups


def _count_wfr_sections(image):
    return sum(1 for segment in _flash_segments(image) for s in image.sections
               if s.size > 0 and section_in_segment(s, segment) and ".wfr" in s.name)


def protected_region(image, options, is_pic, fixed_flash, header_length):
    """Protected region size (header + trailer): ELF symbol, then option, then derived."""
    from_symbol = image.symbol_value("tbf_protected_region_size")
    if from_symbol is not None:
        return from_symbol
    if options.protected_region_size is not None:
        return options.protected_region_size
    if is_pic:
        return header_length
    if fixed_flash is None:
        raise PackError("cannot tell where the app lives in flash: no _flash_origin symbol "
                        "and no executable loadable segment with content")
    return fixed_flash % FIXED_ADDRESS_TBF_ALIGNMENT


def _build_binary(image, fixed_flash, protected_size, header_length, warnings):
    """Concatenate the flash segments as elf2tab does.

    Returns (binary bytes after the protected region, init_fn_offset,
    [(wfr offset, size)], relocation bytes).
    """
    binary = bytearray()
    index = protected_size
    init_fn_offset = None
    wfr = []
    relocations = bytearray()
    last_end = None
    for original in _flash_segments(image):
        segment = elf.Segment(**vars(original))
        if fixed_flash is not None:
            if segment.paddr + segment.filesz < fixed_flash:
                continue                    # wholly below flash: ELF headers and the like
            if segment.paddr < fixed_flash:
                cut = fixed_flash - segment.paddr
                segment.offset += cut
                segment.paddr += cut
                segment.vaddr += cut
                segment.filesz -= cut
                segment.memsz -= cut
        if last_end is not None:
            gap = segment.paddr - last_end
            if gap < 0:
                raise PackError("loadable segment at 0x%08x overlaps or precedes the previous "
                                "one (ends 0x%08x); segments must be in load-address order"
                                % (segment.paddr, last_end))
            if gap >= LARGE_GAP_WARNING:
                warnings.append("inserting %d bytes of padding before the segment at 0x%08x; "
                                "is a RAM-only section missing NOLOAD?" % (gap, segment.paddr))
            binary += bytes(gap)
            index += gap
        content = image.segment_data(segment)
        if segment.paddr <= image.entry < segment.paddr + segment.filesz:
            # Segments cannot overlap (checked above), so only one can hold the entry.
            init_fn_offset = index + (image.entry - segment.paddr) - header_length
        for section in image.sections:
            if section.size == 0 or not section_in_segment(section, segment):
                continue
            if section.flags & elf.SHF_WRITE:
                rel = image.find_section(".rel" + section.name)
                if rel is not None:
                    relocations += image.section_data(rel)
            if ".wfr" in section.name:
                wfr.append((index + section.addr - segment.vaddr, section.size))
        last_end = segment.paddr + segment.filesz
        binary += content
        index += segment.filesz
    if init_fn_offset is None:
        raise PackError("the entry point 0x%08x is not inside any loadable segment with "
                        "file content" % image.entry)
    return bytes(binary), init_fn_offset, wfr, bytes(relocations)


def _total_size(binary_end, machine, minimum_footer_size):
    size = binary_end
    if minimum_footer_size > 0:
        size += align_to(max(minimum_footer_size, tbf.MIN_CREDENTIAL_SIZE), 4)
    if machine == elf.EM_ARM:
        if bin(size).count("1") > 1:        # elf2tab leaves exact powers of two alone
            size = max(1 << size.bit_length(), ARM_MIN_TOTAL_SIZE)
    else:
        size = align_to(size, 4)
    return size


def _check_crt0(binary, protected_size, reloc_offset):
    """Check that the crt0 header agrees with where the relocation block landed."""
    if len(binary) < CRT0_HEADER_SIZE:
        raise PackError("the app binary is %d bytes, too short for the %d-byte crt0 header"
                        % (len(binary), CRT0_HEADER_SIZE))
    words = [int.from_bytes(binary[i:i + 4], "little") for i in range(0, CRT0_HEADER_SIZE, 4)]
    binary_len = reloc_offset - protected_size
    if words[CRT0_RELDATA_FIELD // 4] != binary_len:
        raise PackError("crt0 header reldata_start is 0x%x but the relocation block is at "
                        "0x%x from the app start; the linker script's end-of-flash marker "
                        "must follow every flash-loaded section"
                        % (words[CRT0_RELDATA_FIELD // 4], binary_len))
    for name, offset_word, size_word in (("GOT", 0, 2), ("data", 3, 5)):
        if words[offset_word] + words[size_word] > binary_len:
            raise PackError("crt0 header places the %s image (0x%x + 0x%x) beyond the app "
                            "binary (0x%x bytes)" % (name, words[offset_word], words[size_word],
                                                     binary_len))


def _validate_options(options):
    for name in ("app_heap_size", "kernel_heap_size", "minimum_footer_size", "app_version"):
        value = getattr(options, name)
        if value < 0 or value >= 1 << 32:
            raise PackError("%s = %d is out of range" % (name.replace("_", " "), value))
    if options.stack_size is not None and not 0 <= options.stack_size < 1 << 32:
        raise PackError("stack size %d is out of range" % options.stack_size)
    for driver, command in options.permissions:
        if not (0 <= driver < 1 << 32 and 0 <= command < 1 << 32):
            raise PackError("permission %d,%d is out of range" % (driver, command))
    for name in ("read_ids", "access_ids"):
        ids = getattr(options, name) or []
        if len(ids) > tbf.STORAGE_MAX_IDS:
            raise PackError("at most %d %s are allowed, got %d"
                            % (tbf.STORAGE_MAX_IDS, name.replace("_", " "), len(ids)))
    if len(options.package_name.encode("utf-8")) > tbf.MAX_TLV_LENGTH:
        raise PackError("package name is too long")


def pack(image, options):
    """Turn a parsed ELF (elf.ElfFile) into TBF bytes. Raises PackError."""
    _validate_options(options)
    if image.type == elf.ET_REL:
        raise PackError("this is a relocatable object file (.o), not a linked executable")
    if not image.sections:
        raise PackError("the ELF has no section headers; they are needed to find .wfr*, "
                        ".rel.* and the symbol table")
    if not _flash_segments(image):
        raise PackError("the ELF has no loadable segment with file content")
    warnings = []

    stack_size = options.stack_size
    if stack_size is None:
        stack = image.find_section(".stack")
        stack_size = stack.size if stack is not None else DEFAULT_STACK_SIZE
    ram = minimum_ram_size(image, stack_size, options.app_heap_size, options.kernel_heap_size)
    if ram >= 1 << 32:
        raise PackError("minimum RAM size 0x%x does not fit in 32 bits" % ram)
    is_pic, fixed_flash, fixed_ram = fixed_addresses(image)

    storage = None
    if options.write_id is not None or options.read_ids is not None or \
            options.access_ids is not None:
        storage = (options.write_id or 0, list(options.read_ids or []),
                   list(options.access_ids or []))
    header = tbf.TbfHeader(
        flags=0 if options.disabled else tbf.FLAG_ENABLED,
        minimum_ram_size=ram,
        app_version=options.app_version,
        package_name=options.package_name,
        writeable_flash_regions=[(0, 0)] * _count_wfr_sections(image),
        fixed_ram=fixed_ram,
        fixed_flash=fixed_flash,
        permissions=group_permissions(options.permissions),
        storage=storage,
        kernel_version=options.kernel_version,
        short_id=options.short_id,
    )
    try:
        header_length = tbf.header_size(header)
    except tbf.TbfError as error:
        raise PackError(str(error)) from None

    protected_size = protected_region(image, options, is_pic, fixed_flash, header_length)
    if protected_size < header_length:
        raise PackError("protected region size %d (0x%x) is too small for the %d-byte TBF "
                        "header" % (protected_size, protected_size, header_length))
    header.protected_trailer_size = protected_size - header_length

    binary, init_fn_offset, wfr, relocations = _build_binary(
        image, fixed_flash, protected_size, header_length, warnings)
    header.init_fn_offset = init_fn_offset
    for slot, region in enumerate(wfr[:len(header.writeable_flash_regions)]):
        header.writeable_flash_regions[slot] = region

    reloc_offset = protected_size + len(binary)
    if relocations and reloc_offset % 4:
        warnings.append("relocation data is placed at 0x%x, which is not 4-byte aligned"
                        % reloc_offset)
    if options.check_crt0:
        _check_crt0(binary, protected_size, reloc_offset)
    header.binary_end_offset = reloc_offset + 4 + len(relocations)
    footer_wanted = options.minimum_footer_size
    credentials = tbf.credentials_size(options.hashes, options.signing_key is not None)
    if credentials:
        # Room for a Reserved credential after them, so no stray bytes follow the last one.
        footer_wanted = max(footer_wanted, credentials + tbf.MIN_CREDENTIAL_SIZE)
    header.total_size = _total_size(header.binary_end_offset, image.machine, footer_wanted)
    if header.total_size >= 1 << 32:
        raise PackError("the TBF would be larger than 4 GiB")

    footer_size = header.total_size - header.binary_end_offset
    if footer_size >= tbf.MIN_CREDENTIAL_SIZE:
        footer = tbf.reserved_credentials(footer_size)
    else:
        footer = bytes(footer_size)         # too small for a credential: plain padding
    try:
        raw_header = tbf.encode_header(header)
    except tbf.TbfError as error:
        raise PackError(str(error)) from None
    data = (raw_header + bytes(header.protected_trailer_size) + binary
            + len(relocations).to_bytes(4, "little") + relocations + footer)
    assert len(data) == header.total_size, "internal error: TBF length mismatch"
    if credentials:
        data = tbf.with_credentials(data, options.hashes, options.signing_key)
    return PackResult(data, header, is_pic, reloc_offset, relocations, warnings)


def parse_number(text):
    """Decimal or 0x-prefixed hexadecimal unsigned integer (for argparse)."""
    try:
        value = int(text, 16) if text.lower().startswith("0x") else int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: %r" % text) from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative: %r" % text)
    return value


def parse_permission(text):
    """DRIVER,COMMAND (elf2tab's form) or DRIVER:COMMAND."""
    for separator in (",", ":"):
        if separator in text:
            driver, command = text.split(separator, 1)
            return parse_number(driver), parse_number(command)
    raise argparse.ArgumentTypeError("permission %r is not DRIVER,COMMAND" % text)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="tbfpack.py",
        description="Convert a linked Tock app ELF (ARM or RISC-V, 32-bit) into a TBF file "
                    "laid out like elf2tab's output.")
    parser.add_argument("elf", help="linked app ELF")
    parser.add_argument("-o", "--output", required=True, help="TBF file to write")
    parser.add_argument("-n", "--package-name", default="", help="package name (TLV 3)")
    parser.add_argument("--stack", type=parse_number, dest="stack_size",
                        help="stack bytes (default: size of .stack, else 2048)")
    parser.add_argument("--app-heap", type=parse_number, default=1024, dest="app_heap_size",
                        help="app heap bytes (default 1024)")
    parser.add_argument("--kernel-heap", type=parse_number, default=1024,
                        dest="kernel_heap_size", help="kernel (grant) heap bytes (default 1024)")
    parser.add_argument("--kernel-major", type=parse_number,
                        help="required kernel major version (adds TLV 8)")
    parser.add_argument("--kernel-minor", type=parse_number,
                        help="required minimum kernel minor version (needs --kernel-major)")
    parser.add_argument("--minimum-footer-size", type=parse_number, default=0,
                        help="reserve at least this many footer bytes (default 0)")
    parser.add_argument("--protected-region-size", type=parse_number,
                        help="protected region size including the header")
    parser.add_argument("--permissions", type=parse_permission, nargs="+", action="extend",
                        default=[], metavar="DRIVER,CMD",
                        help="allowed commands (TLV 6); ':' also works as separator")
    parser.add_argument("--write-id", "--write_id", type=parse_number, dest="write_id",
                        help="storage write id (TLV 7)")
    parser.add_argument("--read-ids", "--read_ids", type=parse_number, nargs="+",
                        dest="read_ids", help="storage ids this app may read (TLV 7)")
    parser.add_argument("--access-ids", "--access_ids", type=parse_number, nargs="+",
                        dest="access_ids", help="storage ids this app may modify (TLV 7)")
    parser.add_argument("--short-id", type=parse_number, help="requested ShortId (TLV 10)")
    parser.add_argument("--app-version", type=parse_number, default=0,
                        help="version stored in the Program TLV (default 0)")
    parser.add_argument("--disabled", "--disable", action="store_true", dest="disabled",
                        help="clear the enabled flag")
    parser.add_argument("--check-crt0", action="store_true",
                        help="fail unless the libtock-c crt0 header matches the layout "
                             "(reldata_start, GOT and .data images)")
    parser.add_argument("--sha256", action="append_const", const=tbf.CREDENTIAL_SHA256,
                        dest="hashes", help="add a SHA-256 credential footer")
    parser.add_argument("--sha384", action="append_const", const=tbf.CREDENTIAL_SHA384,
                        dest="hashes", help="add a SHA-384 credential footer")
    parser.add_argument("--sha512", action="append_const", const=tbf.CREDENTIAL_SHA512,
                        dest="hashes", help="add a SHA-512 credential footer")
    parser.add_argument("--ecdsa-p256-key", metavar="KEY",
                        help="sign with this P-256 private key (PEM, SEC1 or PKCS#8, or 64 hex "
                             "digits): an EcdsaNistP256 credential footer, placed first")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the header")
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.kernel_minor is not None and args.kernel_major is None:
        parser.error("--kernel-minor requires --kernel-major")
    kernel_version = None
    if args.kernel_major is not None:
        kernel_version = (args.kernel_major, args.kernel_minor or 0)
        if max(kernel_version) > 0xFFFF:
            parser.error("kernel version numbers must fit in 16 bits")
    options = PackOptions(
        package_name=args.package_name, stack_size=args.stack_size,
        app_heap_size=args.app_heap_size, kernel_heap_size=args.kernel_heap_size,
        protected_region_size=args.protected_region_size, permissions=args.permissions,
        write_id=args.write_id, read_ids=args.read_ids, access_ids=args.access_ids,
        kernel_version=kernel_version, short_id=args.short_id, app_version=args.app_version,
        disabled=args.disabled, minimum_footer_size=args.minimum_footer_size,
        check_crt0=args.check_crt0, hashes=args.hashes or [])
    if args.ecdsa_p256_key is not None:
        try:
            options.signing_key = ecdsa_p256.load_private_key(args.ecdsa_p256_key)
        except (OSError, ValueError) as error:
            print("tbfpack: error: %s: %s" % (args.ecdsa_p256_key, error), file=sys.stderr)
            return 1
    try:
        with open(args.elf, "rb") as handle:
            image = elf.parse(handle.read())
        result = pack(image, options)
    except OSError as error:
        print("tbfpack: error: %s: %s" % (args.elf, error.strerror or error), file=sys.stderr)
        return 1
    except (elf.ElfError, PackError) as error:
        print("tbfpack: error: %s: %s" % (args.elf, error), file=sys.stderr)
        return 1
    for warning in result.warnings:
        print("tbfpack: warning: %s: %s" % (args.elf, warning), file=sys.stderr)
    try:
        with open(args.output, "wb") as handle:
            handle.write(result.data)
    except OSError as error:
        print("tbfpack: error: %s: %s" % (args.output, error.strerror or error), file=sys.stderr)
        return 1
    if args.verbose:
        print(tbf.describe(tbf.parse_tbf(result.data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
