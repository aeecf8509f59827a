# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tock Binary Format (TBF v2): build, parse and describe app objects.

Shared by the packer (tbfpack.py), the image builder (mkimage.py), the dump
tool (tbfdump.py), the app installer (tockloader.py, loader_model.py) and the
tests. Encoding follows ABI §3 (doc/reference/019-tock-abi.md): a 16-byte base
header, TLVs each padded to 4 bytes, an XOR checksum over the header words
with word 3 skipped, then the binary, then credential footers.

Usage:
    header = tbf.TbfHeader(total_size=..., init_fn_offset=..., package_name="blink", ...)
    raw = tbf.encode_header(header)              # bytes, checksum filled in
    app = tbf.parse_tbf(image, offset)           # tbf.TbfApp, raises TbfError
    pad = tbf.padding_tbf(0x1000)                # a padding object of that size
    for app in tbf.walk_image(image): ...        # follow the in-flash linked list
    raw = tbf.with_flags(raw, 0)                 # disabled; checksum recomputed

Invariants:
    * encode_header() emits TLVs in elf2tab's order: Main, Program, PackageName,
      WriteableFlashRegions (one TLV each), FixedAddresses, Permissions,
      StoragePermissions, KernelVersion, ShortId.
    * parse_tbf() checks exactly what the kernel's parser checks (libraries/tbf.c: version,
      sizes, checksum, TLV framing and lengths, UTF-8 names, Main/Program values), in the same
      order, and a TbfError carries the kernel's reason for the first failure (`reason`, the
      text of the kernel's load verdict, ABI §3.7.1); footers are checked on top when asked.
"""

import hashlib
import struct
from dataclasses import dataclass, field

TBF_VERSION = 2
BASE_HEADER_SIZE = 16
FLAG_ENABLED = 0x1
FLAG_STICKY = 0x2

TLV_MAIN = 1
TLV_WRITEABLE_FLASH_REGION = 2
TLV_PACKAGE_NAME = 3
TLV_PIC_OPTION_1 = 4
TLV_FIXED_ADDRESSES = 5
TLV_PERMISSIONS = 6
TLV_STORAGE_PERMISSIONS = 7
TLV_KERNEL_VERSION = 8
TLV_PROGRAM = 9
TLV_SHORT_ID = 10
TLV_CREDENTIALS = 128

TLV_NAMES = {
    TLV_MAIN: "Main",
    TLV_WRITEABLE_FLASH_REGION: "WriteableFlashRegions",
    TLV_PACKAGE_NAME: "PackageName",
    TLV_PIC_OPTION_1: "PicOption1",
    TLV_FIXED_ADDRESSES: "FixedAddresses",
    TLV_PERMISSIONS: "Permissions",
    TLV_STORAGE_PERMISSIONS: "StoragePermissions",
    TLV_KERNEL_VERSION: "KernelVersion",
    TLV_PROGRAM: "Program",
    TLV_SHORT_ID: "ShortId",
    TLV_CREDENTIALS: "Credentials",
}

CREDENTIAL_RESERVED = 0
CREDENTIAL_DATA_LENGTHS = {1: 768, 2: 1024, 3: 32, 4: 48, 5: 64, 6: 64}
CREDENTIAL_NAMES = {0: "Reserved", 1: "RSA3072Key", 2: "RSA4096Key", 3: "SHA256",
                    4: "SHA384", 5: "SHA512", 6: "EcdsaNistP256"}

# Exact TLV lengths the kernel insists on (anything else is BadTlvEntry).
_EXACT_TLV_LENGTHS = {TLV_MAIN: 12, TLV_FIXED_ADDRESSES: 8, TLV_KERNEL_VERSION: 4,
                      TLV_PROGRAM: 20, TLV_SHORT_ID: 4}

NO_FIXED_ADDRESS = 0xFFFFFFFF
MAX_TLV_LENGTH = 0xFFFF
# A Reserved credential TLV: u16 type, u16 length, u32 format.
MIN_CREDENTIAL_SIZE = 8
STORAGE_MAX_IDS = 8


# The kernel's reasons for refusing a header (libraries/tbf.c, tbf_error_reason): the first
# failed check decides, as in the kernel's load verdict line.
REASON_VERSION = "unknown TBF version"
REASON_TOTAL_SIZE = "bad total size"
REASON_HEADER_SIZE = "header size below 16, over total size, or unaligned"
REASON_CHECKSUM = "header checksum mismatch"
REASON_TLV_BOUNDS = "TLV runs past the end of the header"
REASON_TLV_LENGTH = "TLV length not allowed for its type"
REASON_PACKAGE_NAME = "package name is not valid UTF-8"
REASON_TOO_MANY = "too many writeable regions or storage ids"
REASON_PROGRAM = "Main/Program values outside the object"
MAX_WRITEABLE_REGIONS = 8


class TbfError(Exception):
    """Malformed TBF data, or values that cannot be encoded. `reason` is the kernel's reason
    for refusing the header (one of the REASON_ texts), or None when the kernel would not
    object (a footer problem, an encoding request)."""

    def __init__(self, message, reason=None):
        super().__init__(message)
        self.reason = reason


@dataclass
class TbfHeader:
    """Decoded (or to-be-encoded) TBF header fields.

    header_size is an output of encode_header()/parse_tbf(); callers building a
    header leave it 0. Optional TLVs are absent when their field is None/empty.
    """
    total_size: int = 0
    flags: int = FLAG_ENABLED
    init_fn_offset: int = 0
    protected_trailer_size: int = 0
    minimum_ram_size: int = 0
    binary_end_offset: int = 0
    app_version: int = 0
    has_main: bool = True
    has_program: bool = True
    package_name: str = ""
    writeable_flash_regions: list = field(default_factory=list)   # [(offset, size)]
    fixed_ram: int = None            # FixedAddresses.start_process_ram, None = absent
    fixed_flash: int = None          # FixedAddresses.start_process_flash
    permissions: list = field(default_factory=list)   # [(driver, offset, allowed_mask)]
    storage: tuple = None            # (write_id, [read_ids], [modify_ids])
    kernel_version: tuple = None     # (major, minor)
    short_id: int = None
    header_size: int = 0
    checksum: int = 0

    @property
    def has_fixed_addresses(self):
        return self.fixed_ram is not None or self.fixed_flash is not None

    @property
    def is_enabled(self):
        return bool(self.flags & FLAG_ENABLED)

    @property
    def protected_size(self):
        return self.header_size + self.protected_trailer_size


@dataclass
class Footer:
    """One credential footer TLV: `offset` is from the TBF start."""
    offset: int
    length: int
    format: int
    data: bytes


@dataclass
class TbfApp:
    """A parsed TBF object (an app or a padding object) at `offset` in its buffer."""
    offset: int
    header: TbfHeader
    tlvs: list            # [(type, offset_from_tbf_start, length)] in header order
    footers: list         # [Footer]
    is_padding: bool

    @property
    def total_size(self):
        return self.header.total_size


def _check_range(name, value, bits):
    if not isinstance(value, int) or value < 0 or value >= (1 << bits):
        raise TbfError("%s = %r does not fit in %d bits" % (name, value, bits))


def align_up(value, alignment):
    return (value + alignment - 1) // alignment * alignment


def checksum(header_bytes):
    """XOR of the little-endian words of a header, skipping word 3 (the checksum)."""
    if len(header_bytes) % 4:
        raise TbfError("header length %d is not a multiple of 4" % len(header_bytes))
    result = 0
    for index, (word,) in enumerate(struct.iter_unpack("<I", header_bytes)):
        if index != 3:
            result ^= word
    return result


def _tlv(tlv_type, payload, length=None):
    """One TLV: header, payload, zero padding to 4. `length` overrides the L field."""
    length = len(payload) if length is None else length
    if length > MAX_TLV_LENGTH:
        raise TbfError("TLV %s is %d bytes, more than a TLV can hold"
                       % (TLV_NAMES.get(tlv_type, tlv_type), length))
    raw = struct.pack("<HH", tlv_type, length) + payload
    return raw + b"\0" * (align_up(len(raw), 4) - len(raw))


def _main_payload(header):
    return struct.pack("<III", header.init_fn_offset, header.protected_trailer_size,
                       header.minimum_ram_size)


def encode_tlvs(header):
    """Return the TLV area (everything after the base header) for `header`."""
    for name in ("init_fn_offset", "protected_trailer_size", "minimum_ram_size",
                 "binary_end_offset", "app_version"):
        _check_range(name, getattr(header, name), 32)
    out = bytearray()
    if header.has_main:
        out += _tlv(TLV_MAIN, _main_payload(header))
    if header.has_program:
        out += _tlv(TLV_PROGRAM, _main_payload(header) + struct.pack(
            "<II", header.binary_end_offset, header.app_version))
    name = header.package_name.encode("utf-8")
    if name:
        out += _tlv(TLV_PACKAGE_NAME, name)
    for offset, size in header.writeable_flash_regions:
        _check_range("writeable flash region offset", offset, 32)
        _check_range("writeable flash region size", size, 32)
        out += _tlv(TLV_WRITEABLE_FLASH_REGION, struct.pack("<II", offset, size))
    if header.has_fixed_addresses:
        ram = NO_FIXED_ADDRESS if header.fixed_ram is None else header.fixed_ram
        flash = NO_FIXED_ADDRESS if header.fixed_flash is None else header.fixed_flash
        _check_range("fixed RAM address", ram, 32)
        _check_range("fixed flash address", flash, 32)
        out += _tlv(TLV_FIXED_ADDRESSES, struct.pack("<II", ram, flash))
    if header.permissions:
        body = struct.pack("<H", len(header.permissions))
        for driver, offset, mask in header.permissions:
            _check_range("permission driver number", driver, 32)
            _check_range("permission offset", offset, 32)
            _check_range("permission mask", mask, 64)
            body += struct.pack("<IIQ", driver, offset, mask)
        out += _tlv(TLV_PERMISSIONS, body)
    if header.storage is not None:
        write_id, read_ids, modify_ids = header.storage
        _check_range("storage write id", write_id, 32)
        body = struct.pack("<IH", write_id, len(read_ids))
        body += b"".join(struct.pack("<I", i) for i in read_ids)
        body += struct.pack("<H", len(modify_ids))
        body += b"".join(struct.pack("<I", i) for i in modify_ids)
        out += _tlv(TLV_STORAGE_PERMISSIONS, body)
    if header.kernel_version is not None:
        major, minor = header.kernel_version
        _check_range("kernel major version", major, 16)
        _check_range("kernel minor version", minor, 16)
        out += _tlv(TLV_KERNEL_VERSION, struct.pack("<HH", major, minor))
    if header.short_id is not None:
        _check_range("short id", header.short_id, 32)
        out += _tlv(TLV_SHORT_ID, struct.pack("<I", header.short_id))
    return bytes(out)


def header_size(header):
    """Size in bytes encode_header() will produce for `header`."""
    return BASE_HEADER_SIZE + len(encode_tlvs(header))


def encode_header(header):
    """Encode `header` (base + TLVs) with its checksum; sets header.header_size."""
    tlvs = encode_tlvs(header)
    size = BASE_HEADER_SIZE + len(tlvs)
    if size > 0xFFFF:
        raise TbfError("TBF header would be %d bytes; header_size is a u16" % size)
    _check_range("total_size", header.total_size, 32)
    _check_range("flags", header.flags, 32)
    raw = bytearray(struct.pack("<HHII", TBF_VERSION, size, header.total_size, header.flags))
    raw += b"\0\0\0\0" + tlvs
    value = checksum(bytes(raw))
    struct.pack_into("<I", raw, 12, value)
    header.header_size = size
    header.checksum = value
    return bytes(raw)


def reserved_credentials(size):
    """Footer bytes of exactly `size` filled with Reserved (format 0) credentials.

    One TLV normally; a footer too long for one TLV's u16 length is split
    into several Reserved TLVs (elf2tab would silently truncate the length).
    Sizes below MIN_CREDENTIAL_SIZE cannot hold a credential and raise.
    """
    if size < MIN_CREDENTIAL_SIZE:
        raise TbfError("%d bytes cannot hold a credential footer (minimum %d)"
                       % (size, MIN_CREDENTIAL_SIZE))
    out = bytearray()
    chunk = 0xFFFC                          # largest TLV total size that stays 4-aligned
    while size - 4 > MAX_TLV_LENGTH:
        out += struct.pack("<HHI", TLV_CREDENTIALS, chunk - 4, CREDENTIAL_RESERVED)
        out += b"\0" * (chunk - MIN_CREDENTIAL_SIZE)
        size -= chunk
    out += struct.pack("<HHI", TLV_CREDENTIALS, size - 4, CREDENTIAL_RESERVED)
    out += b"\0" * (size - MIN_CREDENTIAL_SIZE)
    return bytes(out)


CREDENTIAL_SHA256 = 3
CREDENTIAL_SHA384 = 4
CREDENTIAL_SHA512 = 5
CREDENTIAL_ECDSA_P256 = 6
HASH_CREDENTIALS = {CREDENTIAL_SHA256: hashlib.sha256, CREDENTIAL_SHA384: hashlib.sha384,
                    CREDENTIAL_SHA512: hashlib.sha512}


def credential_tlv(fmt, data):
    """One Credentials footer TLV: u16 type, u16 length, u32 format, data (4-aligned)."""
    out = struct.pack("<HHI", TLV_CREDENTIALS, 4 + len(data), fmt) + data
    return out + bytes(-len(out) % 4)


def covered_bytes(data, header):
    """What every credential covers: the TBF from its start to binary_end_offset (doc/reference
    /025-app-credentials.md), `data` starting at the TBF."""
    return bytes(data[:header.binary_end_offset])


def hash_credential(fmt, covered):
    """The SHA-256/384/512 credential TLV for the covered bytes."""
    return credential_tlv(fmt, HASH_CREDENTIALS[fmt](covered).digest())


def credentials_size(hashes=(), sign=False):
    """Bytes of footer the credentials take (see with_credentials)."""
    sizes = {CREDENTIAL_SHA256: 40, CREDENTIAL_SHA384: 56, CREDENTIAL_SHA512: 72}
    return sum(sizes[fmt] for fmt in hashes) + (72 if sign else 0)


def with_credentials(data, hashes=(), signing_key=None):
    """TBF `data` (one object, from its first byte) with its footer area rewritten: an ECDSA
    P-256 signature by `signing_key` (a private key number, ecdsa_p256) first when given, then
    the hash credentials in `hashes` (CREDENTIAL_SHA256/384/512) in that order, then Reserved
    credentials filling the rest. Everything covers the TBF up to binary_end_offset, so the
    header and binary are unchanged. Raises TbfError when the footer area is too small."""
    import ecdsa_p256  # tools/ecdsa_p256.py; only packing with a key needs it
    header = parse_tbf(data, check_footers=False).header
    covered = covered_bytes(data, header)
    footer = b""
    if signing_key is not None:
        footer += credential_tlv(CREDENTIAL_ECDSA_P256, ecdsa_p256.sign(signing_key, covered))
    for fmt in hashes:
        footer += hash_credential(fmt, covered)
    room = header.total_size - header.binary_end_offset
    if len(footer) > room:
        raise TbfError("the footer area has %d bytes; the credentials need %d"
                       % (room, len(footer)))
    rest = room - len(footer)
    footer += reserved_credentials(rest) if rest >= MIN_CREDENTIAL_SIZE else bytes(rest)
    return bytes(data[:header.binary_end_offset]) + footer + bytes(data[header.total_size:])


def padding_tbf(size):
    """A padding object of `size` bytes: base header only, flags 0, zero body."""
    if size < BASE_HEADER_SIZE:
        raise TbfError("a padding TBF needs at least %d bytes, not %d" % (BASE_HEADER_SIZE, size))
    header = TbfHeader(total_size=size, flags=0, has_main=False, has_program=False)
    return encode_header(header) + b"\0" * (size - BASE_HEADER_SIZE)


def _u16(data, offset):
    return struct.unpack_from("<H", data, offset)[0]


def _u32(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


def _decode_tlv(header, tlv_type, payload, seen):
    """Check one TLV as the kernel does and fill `header` from it. Every TLV is checked; for
    single-valued types the first one wins, as in the kernel."""
    length = len(payload)
    expected = _EXACT_TLV_LENGTHS.get(tlv_type)
    if expected is not None and length != expected:
        raise TbfError("%s TLV has length %d, must be %d"
                       % (TLV_NAMES[tlv_type], length, expected), REASON_TLV_LENGTH)
    first = tlv_type not in seen
    seen.add(tlv_type)
    if tlv_type == TLV_MAIN:
        header.has_main = True
        if first and TLV_PROGRAM not in seen:
            (header.init_fn_offset, header.protected_trailer_size,
             header.minimum_ram_size) = struct.unpack("<III", payload)
    elif tlv_type == TLV_PROGRAM:
        header.has_program = True
        if first:
            (header.init_fn_offset, header.protected_trailer_size, header.minimum_ram_size,
             header.binary_end_offset, header.app_version) = struct.unpack("<IIIII", payload)
    elif tlv_type == TLV_WRITEABLE_FLASH_REGION:
        if length % 8:
            raise TbfError("WriteableFlashRegions TLV length %d is not a multiple of 8" % length,
                           REASON_TLV_LENGTH)
        regions = list(struct.iter_unpack("<II", payload))
        if len(header.writeable_flash_regions) + len(regions) > MAX_WRITEABLE_REGIONS:
            raise TbfError("more than %d writeable flash regions" % MAX_WRITEABLE_REGIONS,
                           REASON_TOO_MANY)
        header.writeable_flash_regions += regions
    elif tlv_type == TLV_PACKAGE_NAME:
        try:
            name = payload.decode("utf-8")
        except UnicodeDecodeError:
            raise TbfError("PackageName TLV is not valid UTF-8", REASON_PACKAGE_NAME) from None
        if first:
            header.package_name = name
    elif tlv_type == TLV_FIXED_ADDRESSES:
        if first:
            ram, flash = struct.unpack("<II", payload)
            header.fixed_ram = None if ram == NO_FIXED_ADDRESS else ram
            header.fixed_flash = None if flash == NO_FIXED_ADDRESS else flash
    elif tlv_type == TLV_PERMISSIONS:
        if length < 2:
            raise TbfError("Permissions TLV is %d bytes, too short for its count" % length,
                           REASON_TLV_LENGTH)
        count = _u16(payload, 0)
        if length != 2 + 16 * count:
            raise TbfError("Permissions TLV holds %d bytes, %d entries need exactly %d"
                           % (length, count, 2 + 16 * count), REASON_TLV_LENGTH)
        if first:
            header.permissions = [struct.unpack_from("<IIQ", payload, 2 + 16 * i)
                                  for i in range(count)]
    elif tlv_type == TLV_STORAGE_PERMISSIONS:
        storage = _decode_storage(payload)
        if first:
            header.storage = storage
    elif tlv_type == TLV_KERNEL_VERSION:
        if first:
            header.kernel_version = struct.unpack("<HH", payload)
    elif tlv_type == TLV_SHORT_ID:
        if first:
            header.short_id = _u32(payload, 0)


def _decode_storage(payload):
    """u32 write_id, u16 r, u32 read[r], u16 m, u32 modify[m]: exactly that long."""
    length = len(payload)
    if length < 6:
        raise TbfError("StoragePermissions TLV is %d bytes, too short" % length,
                       REASON_TLV_LENGTH)
    write_id, read_count = struct.unpack_from("<IH", payload, 0)
    if read_count > STORAGE_MAX_IDS:
        raise TbfError("StoragePermissions lists %d read ids (max %d)"
                       % (read_count, STORAGE_MAX_IDS), REASON_TOO_MANY)
    modify_at = 6 + 4 * read_count
    if length < modify_at + 2:
        raise TbfError("StoragePermissions TLV is truncated", REASON_TLV_LENGTH)
    modify_count = _u16(payload, modify_at)
    if modify_count > STORAGE_MAX_IDS:
        raise TbfError("StoragePermissions lists %d modify ids (max %d)"
                       % (modify_count, STORAGE_MAX_IDS), REASON_TOO_MANY)
    if length != modify_at + 2 + 4 * modify_count:
        raise TbfError("StoragePermissions TLV is %d bytes, its counts need exactly %d"
                       % (length, modify_at + 2 + 4 * modify_count), REASON_TLV_LENGTH)
    read_ids = list(struct.unpack_from("<%dI" % read_count, payload, 6))
    modify_ids = list(struct.unpack_from("<%dI" % modify_count, payload, modify_at + 2))
    return (write_id, read_ids, modify_ids)


def _parse_footers(data, start, binary_end, total_size):
    footers = []
    position = binary_end
    while total_size - position >= 4:
        tlv_type, length = struct.unpack_from("<HH", data, start + position)
        if tlv_type != TLV_CREDENTIALS:
            raise TbfError("footer at offset 0x%x has type %d, expected %d (Credentials)"
                           % (position, tlv_type, TLV_CREDENTIALS))
        if length < 4 or position + 4 + length > total_size:
            raise TbfError("credential footer at offset 0x%x has bad length %d"
                           % (position, length))
        fmt = _u32(data, start + position + 4)
        body = bytes(data[start + position + 8:start + position + 4 + length])
        expected = CREDENTIAL_DATA_LENGTHS.get(fmt)
        if fmt != CREDENTIAL_RESERVED and expected is None:
            raise TbfError("credential footer at offset 0x%x has unknown format %d"
                           % (position, fmt))
        if expected is not None and len(body) != expected:
            raise TbfError("%s credential has %d data bytes, expected %d"
                           % (CREDENTIAL_NAMES[fmt], len(body), expected))
        footers.append(Footer(position, length, fmt, body))
        position += align_up(4 + length, 4)
    return footers


def parse_tbf(data, offset=0, check_footers=True):
    """Parse the TBF object starting at `offset` in `data`. Raises TbfError.

    Checks what the kernel checks, in its order (version, total and header sizes, checksum,
    each TLV's framing and length, UTF-8 names, then the Main/Program values against the
    object), plus, when `check_footers`, that the footer area holds well-formed credential
    TLVs (the loader does not read footers; the error's reason is None then).
    """
    remaining = len(data) - offset
    if remaining < 8:
        raise TbfError("only %d bytes at offset 0x%x; a TBF header needs %d"
                       % (max(remaining, 0), offset, BASE_HEADER_SIZE), REASON_TOTAL_SIZE)
    version, size, total_size = struct.unpack_from("<HHI", data, offset)
    if version != TBF_VERSION:
        raise TbfError("TBF version %d at offset 0x%x (expected 2)" % (version, offset),
                       REASON_VERSION)
    if total_size > remaining or total_size < BASE_HEADER_SIZE:
        raise TbfError("total_size 0x%x at offset 0x%x is below 16 or exceeds the 0x%x bytes "
                       "available" % (total_size, offset, remaining), REASON_TOTAL_SIZE)
    if size < BASE_HEADER_SIZE or size > total_size or size % 4:
        raise TbfError("bad header_size %d (total_size %d)" % (size, total_size),
                       REASON_HEADER_SIZE)
    flags, stored = struct.unpack_from("<II", data, offset + 8)
    raw_header = bytes(data[offset:offset + size])
    computed = checksum(raw_header)
    if computed != stored:
        raise TbfError("checksum mismatch: header says 0x%08x, computed 0x%08x"
                       % (stored, computed), REASON_CHECKSUM)
    header = TbfHeader(total_size=total_size, flags=flags, has_main=False,
                       has_program=False, header_size=size, checksum=stored)
    tlvs = []
    seen = set()
    position = BASE_HEADER_SIZE
    while position < size:
        if size - position < 4:
            raise TbfError("truncated TLV header at offset 0x%x" % position, REASON_TLV_BOUNDS)
        tlv_type, length = struct.unpack_from("<HH", raw_header, position)
        if position + 4 + length > size:
            raise TbfError("TLV type %d at offset 0x%x runs past header_size"
                           % (tlv_type, position), REASON_TLV_BOUNDS)
        _decode_tlv(header, tlv_type, raw_header[position + 4:position + 4 + length], seen)
        tlvs.append((tlv_type, position, length))
        position += align_up(4 + length, 4)
    is_padding = not (header.has_main or header.has_program)
    if not header.has_program:
        header.binary_end_offset = total_size
    if not is_padding:
        _check_entry(header)
    footers = []
    if check_footers and header.has_program:
        footers = _parse_footers(data, offset, header.binary_end_offset, total_size)
    return TbfApp(offset, header, tlvs, footers, is_padding)


def _check_entry(header):
    """The Main/Program values against the object, in the kernel's order (apply_entry)."""
    total_size = header.total_size
    if header.protected_trailer_size > total_size - header.header_size:
        raise TbfError("protected region (0x%x) is larger than the TBF (0x%x)"
                       % (header.header_size + header.protected_trailer_size, total_size),
                       REASON_PROGRAM)
    if header.binary_end_offset > total_size or \
            header.binary_end_offset < header.protected_size:
        raise TbfError("binary_end_offset 0x%x is outside [protected end 0x%x, total 0x%x]"
                       % (header.binary_end_offset, header.protected_size, total_size),
                       REASON_PROGRAM)
    if header.init_fn_offset >= header.binary_end_offset - header.header_size:
        raise TbfError("init_fn_offset 0x%x puts the entry point at or past the binary's end "
                       "(0x%x)" % (header.init_fn_offset, header.binary_end_offset),
                       REASON_PROGRAM)


def iter_image(data, check_footers=True):
    """Yield each TbfApp in `data` in list order, following the kernel's walk.

    Stops at the first object whose version is not 2 (erased or zeroed
    flash) or when fewer than 8 bytes remain. A total_size below 16 or a
    malformed object raises TbfError, because the kernel could not skip it.
    """
    offset = 0
    while len(data) - offset >= 8:
        version, _, total_size = struct.unpack_from("<HHI", data, offset)
        if version != TBF_VERSION:
            return
        if total_size < BASE_HEADER_SIZE:
            raise TbfError("object at offset 0x%x has total_size %d (< 16)" % (offset, total_size))
        app = parse_tbf(data, offset, check_footers)
        yield app
        offset += total_size


def walk_image(data, check_footers=True):
    """All objects of an app flash image as a list (see iter_image())."""
    return list(iter_image(data, check_footers))


def describe(app, base=0):
    """Human-readable multi-line description of a parsed TBF (for tbfdump)."""
    h = app.header
    start = base + app.offset
    lines = []
    kind = "padding" if app.is_padding else ("app %r" % h.package_name)
    lines.append("TBF at 0x%08x..0x%08x (%d bytes): %s" % (start, start + h.total_size,
                                                          h.total_size, kind))
    flag_names = [n for bit, n in ((FLAG_ENABLED, "enabled"), (FLAG_STICKY, "sticky"))
                  if h.flags & bit]
    lines.append("  version 2  header_size 0x%x  flags 0x%x (%s)  checksum 0x%08x"
                 % (h.header_size, h.flags, ", ".join(flag_names) or "disabled", h.checksum))
    if app.is_padding:
        return "\n".join(lines)
    for tlv_type, offset, length in app.tlvs:
        lines.append("  TLV %-22s type %3d at +0x%03x length %d"
                     % (TLV_NAMES.get(tlv_type, "unknown"), tlv_type, offset, length))
    lines.append("  init_fn_offset 0x%x  -> entry 0x%08x"
                 % (h.init_fn_offset, start + h.header_size + h.init_fn_offset))
    lines.append("  protected_trailer_size 0x%x  -> app binary at 0x%08x"
                 % (h.protected_trailer_size, start + h.protected_size))
    lines.append("  minimum_ram_size %d (0x%x)" % (h.minimum_ram_size, h.minimum_ram_size))
    lines.append("  binary_end_offset 0x%x  app_version %d" % (h.binary_end_offset, h.app_version))
    for offset, size in h.writeable_flash_regions:
        lines.append("  writeable flash region +0x%x size 0x%x" % (offset, size))
    if h.has_fixed_addresses:
        lines.append("  fixed addresses: ram %s  flash %s" % (
            "none" if h.fixed_ram is None else "0x%08x" % h.fixed_ram,
            "none" if h.fixed_flash is None else "0x%08x" % h.fixed_flash))
    for driver, offset, mask in h.permissions:
        lines.append("  permission driver 0x%x commands %d..%d mask 0x%016x"
                     % (driver, 64 * offset, 64 * offset + 63, mask))
    if h.storage is not None:
        lines.append("  storage write_id 0x%x read %s modify %s" % h.storage)
    if h.kernel_version is not None:
        lines.append("  kernel version ^%d.%d" % h.kernel_version)
    if h.short_id is not None:
        lines.append("  short id 0x%x" % h.short_id)
    for footer in app.footers:
        lines.append("  footer %s credential at +0x%x length %d"
                     % (CREDENTIAL_NAMES.get(footer.format, footer.format), footer.offset,
                        footer.length))
    return "\n".join(lines)


def with_flags(data, flags):
    """The TBF object `data` (header first) with its flags word set to `flags` and the checksum
    recomputed over the new header; every other byte is unchanged."""
    _check_range("flags", flags, 32)
    size = _u16(data, 2)
    raw = bytearray(data)
    struct.pack_into("<I", raw, 8, flags)
    struct.pack_into("<I", raw, 12, checksum(bytes(raw[:size])))
    return bytes(raw)
