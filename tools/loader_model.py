# SPDX-License-Identifier: Apache-2.0 OR MIT
"""What the kernel's process loader will do with an app-flash image, worked out before booting.

A model of kernel/process_loader.c (ABI §3.7 and §3.7.1) on a board's description: it walks the
image as the kernel walks app flash and gives, for every app it meets, the verdict the kernel
prints at boot (loaded, with its flash and RAM ranges, or skipped and why, in the kernel's
words), then the stop line if a header cannot be stepped over, then the closing count. The
checks come in the kernel's order: the header (tools/tbf.py checks what libraries/tbf.c checks
and names the same reason), the placement checks, the credentials and identity under the demo
boards' policy (kernel/credentials.c: accept all, hash footers checked, no keys), the process
slots, the MPU's flash rule, the
RAM block the MPU would carve out from the RAM cursor. tools/tockloader.py uses it for
`list --map` and to refuse a change after which an app would not run.

Usage:
    report = loader_model.predict(board, image)   # board_info.Board, the image's bytes
    print("\\n".join(report.lines()))             # the kernel's lines, "[kernel] load: ..."
    verdict = report.verdicts[0]                  # .address, .app (tbf.TbfApp or None),
    verdict.is_loaded, verdict.reason             # .flash and .ram ranges when loaded
    report.padding, report.end                    # padding TbfApps (offsets from app flash)

Invariants:
    * KERNEL holds the kernel's constants the model needs, each with the C name it mirrors;
      tests/tools/test_loader_model.py reads the C sources and compares.
    * report.lines() is what the kernel prints for the same image on the same board, line for
      line (the QEMU case tockloader_installs_apps_that_boot compares them on both boards).
    * Bytes past the end of the image read as zero, as app flash does in QEMU after the loader
      device has copied the image in.
"""
import struct
from dataclasses import dataclass, field

import tbf

LINE_PREFIX = "[kernel] load: "
BLANK_WORDS = (0x00000000, 0xFFFFFFFF)  # zero-filled or erased flash: the end of the list
UINT32_MAX = 0xFFFFFFFF


@dataclass(frozen=True)
class KernelConstants:
    process_slots: int = 8                # BOARD_PROCESSES, boards/<board>/main.c
    ram_headroom: int = 2048              # CORE_RAM_HEADROOM, components/core.h
    version: tuple = (2, 3)               # KERNEL_VERSION_MAJOR/MINOR, kernel/kernel.h
    name_max: int = 32                    # PROCESS_NAME_MAX, kernel/process.h
    cortexm_initial_brk: int = 32         # CORTEXM_FRAME_BYTES (arch_initial_app_brk_size)
    cortexm_min_ram: int = 512            # CORTEXM_MPU_MIN_RAM, arch/cortexm_mpu_layout.h
    riscv_initial_brk: int = 0            # arch/riscv/context.c, arch_initial_app_brk_size
    max_request: int = 0x40000000         # both MPUs refuse larger RAM blocks (ERR_NOMEM)


KERNEL = KernelConstants()

# The kernel's skip reasons that are not header errors (kernel/process_loader.c).
REASON_DISABLED = "disabled"
REASON_NO_KERNEL_VERSION = "no kernel version TLV"
REASON_KERNEL_VERSION = "needs an incompatible kernel version"
REASON_FIXED_FLASH = "linked for a different flash address"
REASON_WRITEABLE_REGION = "writeable flash region outside the app's own image"
REASON_MPU_FLASH = "flash placement the MPU cannot cover"
REASON_FIXED_RAM_TAKEN = "fixed RAM address already taken or outside app RAM"
REASON_FIXED_RAM_ALIGN = "fixed RAM address not aligned as the MPU requires"
# The demo policy's reasons (kernel/credentials.c: accept all, no keys listed).
HASH_MISMATCH_REASONS = {tbf.CREDENTIAL_SHA256: "SHA-256 credential does not match the image",
                        tbf.CREDENTIAL_SHA384: "SHA-384 credential does not match the image",
                        tbf.CREDENTIAL_SHA512: "SHA-512 credential does not match the image"}
AUTHORITY_NONE, AUTHORITY_HASH = 0, 1   # APP_AUTHORITY_*, kernel/app_identity.h
FNV_OFFSET, FNV_PRIME = 2166136261, 16777619


def reason_same_identifier(address):
    return "application identifier already used by the app at 0x%08x" % address


def reason_same_short_id(short_id, address):
    return "short id 0x%08x already used by the app at 0x%08x" % (short_id, address)


def reason_no_slot(slots):
    return "no free process slot (%d of %d)" % (slots, slots)


def reason_ram(needed, left):
    return "needs %d bytes of RAM, %d left" % (needed, left)


@dataclass
class Verdict:
    """One app the walk met: loaded (reason None) or skipped (reason says why). `app` is None
    when its header could not be read; the kernel then names no app."""
    address: int
    size: int
    app: tbf.TbfApp
    reason: str = None
    flash: tuple = None       # (start, end) when loaded
    ram: tuple = None         # (start, end) when loaded

    @property
    def is_loaded(self):
        return self.reason is None

    @property
    def shown_name(self):
        """The name as the kernel prints it (copy_name), or None for an unreadable header."""
        if self.app is None:
            return None
        raw = self.app.header.package_name.encode("utf-8")[:KERNEL.name_max]
        text = "".join(chr(b) if 0x20 <= b < 0x7F and b != ord('"') else "?" for b in raw)
        return text or "-"

    def line(self):
        who = "app" if self.app is None else 'app "%s"' % self.shown_name
        if self.is_loaded:
            return ("%s%s at 0x%08x: loaded (flash 0x%08x-0x%08x, RAM 0x%08x-0x%08x)"
                    % (LINE_PREFIX, who, self.address, self.flash[0], self.flash[1],
                       self.ram[0], self.ram[1]))
        return "%s%s at 0x%08x: skipped: %s" % (LINE_PREFIX, who, self.address, self.reason)


@dataclass
class Stop:
    """A header the walk cannot step over: nothing from `address` on is looked at."""
    address: int
    reason: str               # tbf.REASON_VERSION or tbf.REASON_TOTAL_SIZE
    value: int                # the version or total_size at fault
    not_walked: int           # bytes of app flash from `address` to the end

    def line(self):
        return ("%sstop at 0x%08x: %s %d; %d bytes of app flash not walked"
                % (LINE_PREFIX, self.address, self.reason, self.value, self.not_walked))


@dataclass
class LoadReport:
    verdicts: list = field(default_factory=list)   # [Verdict] in flash order
    stop: Stop = None
    padding: list = field(default_factory=list)    # [tbf.TbfApp] of the padding objects
    end: int = None           # where the list ends (blank flash), None after a stop

    @property
    def running(self):
        return sum(1 for v in self.verdicts if v.is_loaded)

    def count_line(self):
        return "%s%d of %d apps running" % (LINE_PREFIX, self.running, len(self.verdicts))

    def lines(self):
        out = [v.line() for v in self.verdicts]
        if self.stop is not None:
            out.append(self.stop.line())
        return out + [self.count_line()]

    def verdict_at(self, address):
        return next((v for v in self.verdicts if v.address == address), None)


def cortexm_can_cover_flash(start, size):
    """cortexm_mpu_layout_flash: one region of a power of two aligned to its size, or a run of
    whole subregions (an eighth of a region of at least 256 bytes) inside one such region."""
    end = start + size
    if size < 32 or end > 1 << 32:
        return False
    if size & (size - 1) == 0 and start % size == 0:
        return True
    for log2 in range(8, 32):
        region = 1 << log2
        subregion = region >> 3
        base = start & ~(region - 1)
        if start % subregion == 0 and end % subregion == 0 and end <= base + region:
            return True
    return False


def riscv_can_cover_flash(start, size):
    """The PMP's arch_mpu_set_flash: a word-aligned start, at least 4 bytes, below the top
    word of the address space."""
    return start % 4 == 0 and size >= 4 and start + size <= 0xFFFFFFFC


def cortexm_allocate_ram(free_start, fixed_start, min_size, initial):
    """cortexm_mpu_layout_ram with no upper bound: (start, size), or the error name."""
    if min_size > KERNEL.max_request or initial > KERNEL.max_request:
        return "NOMEM"
    size = KERNEL.cortexm_min_ram
    while size < min_size or size < initial:
        size *= 2
    start = tbf.align_up(free_start, size // 2)
    if fixed_start and start != fixed_start:
        return "INVAL"
    if start + size > UINT32_MAX:
        return "NOMEM"
    return start, size


def riscv_allocate_ram(free_start, fixed_start, min_size, initial):
    """The PMP's arch_mpu_allocate_ram with no upper bound: (start, size), or the error name."""
    start = tbf.align_up(free_start, 4)
    if fixed_start:
        if fixed_start % 4 or fixed_start < free_start:
            return "INVAL"
        start = fixed_start
    need = max(min_size, initial)
    if need > KERNEL.max_request:
        return "NOMEM"
    size = tbf.align_up(max(need, 4), 4)
    if start + size > UINT32_MAX:
        return "NOMEM"
    return start, size


ARCH_RULES = {
    "cortex-m": (cortexm_can_cover_flash, cortexm_allocate_ram, KERNEL.cortexm_initial_brk),
    "riscv": (riscv_can_cover_flash, riscv_allocate_ram, KERNEL.riscv_initial_brk),
}


def kernel_runs(version):
    """tbf_kernel_version_ok: whether this kernel runs an app that needs ^major.minor (the same
    major, a minor up to the kernel's)."""
    major, minor = version
    return major == KERNEL.version[0] and minor <= KERNEL.version[1]


def placement_problem(header, address):
    """check_placement: the checks that need no slot; None when the app may run here."""
    if not header.is_enabled:
        return REASON_DISABLED
    if header.kernel_version is None:
        return REASON_NO_KERNEL_VERSION
    if not kernel_runs(header.kernel_version):
        return REASON_KERNEL_VERSION
    if header.fixed_flash is not None and header.fixed_flash != address + header.protected_size:
        return REASON_FIXED_FLASH
    image_start, image_end = header.protected_size, header.total_size
    for offset, size in header.writeable_flash_regions:
        if offset < image_start or offset > image_end or size > image_end - offset:
            return REASON_WRITEABLE_REGION
    return None


def footer_credentials(data, start, header):
    """(format, data) of each well-formed credential footer, in order, as libraries/tbf.c's
    iterator gives them: the walk ends at the first malformed footer (credentials.c)."""
    position, end = header.binary_end_offset, header.total_size
    while end - position >= 4:
        tlv_type, length = struct.unpack_from("<HH", data, start + position)
        if tlv_type != tbf.TLV_CREDENTIALS or length < 4 or length > end - position - 4:
            return
        fmt = struct.unpack_from("<I", data, start + position + 4)[0]
        if fmt != tbf.CREDENTIAL_RESERVED and \
                tbf.CREDENTIAL_DATA_LENGTHS.get(fmt) != length - 4:
            return
        yield fmt, bytes(data[start + position + 8:start + position + 4 + length])
        step = (4 + length + 3) & ~3
        position = position + step if step < end - position else end


def fnv1a(value, data):
    for byte in data:
        value = ((value ^ byte) * FNV_PRIME) & UINT32_MAX
    return value


def identity(data, start, header, address):
    """credentials_check under the demo policy: (None, (authority, short id)) or (reason,
    None). Hash footers are checked, the first decides; signatures decide nothing (no keys)."""
    authority = AUTHORITY_NONE
    covered = bytes(data[start:start + header.binary_end_offset])
    for fmt, body in footer_credentials(data, start, header):
        if fmt in tbf.HASH_CREDENTIALS:
            if tbf.HASH_CREDENTIALS[fmt](covered).digest() != body:
                return HASH_MISMATCH_REASONS[fmt], None
            authority = AUTHORITY_HASH
            break
    name = header.package_name.encode("utf-8")
    value = fnv1a(fnv1a(FNV_OFFSET, bytes([authority, 0])), name)
    if authority == AUTHORITY_NONE:
        value = fnv1a(value, struct.pack("<I", address))
    return None, (authority, value or 1)


def identity_problem(data, start, header, address, running):
    """credentials_check: None and the identity appended to `running` [(authority, name,
    short id, address)] when the app may run; else the reason."""
    reason, found = identity(data, start, header, address)
    if reason is not None:
        return reason, None
    authority, short_id = found
    for other_authority, other_name, other_id, other_address in running:
        if authority != AUTHORITY_NONE and other_authority == authority and \
                other_name == header.package_name:
            return reason_same_identifier(other_address), None
        if other_id == short_id:
            return reason_same_short_id(short_id, other_address), None
    return None, (authority, header.package_name, short_id, address)


def allocate(board, header, address, ram_cursor):
    """create_process: the MPU's flash check, then the RAM block from `ram_cursor`. Returns
    ((ram start, ram end), None) or (None, reason). (The kernel's last check, mapping the
    initial break, cannot fail: every block holds the initial break and the headroom.)"""
    can_cover_flash, allocate_ram, initial = ARCH_RULES[board.arch]
    if not can_cover_flash(address, header.total_size):
        return None, REASON_MPU_FLASH
    free_start = ram_cursor
    free_end = board.app_ram.end
    fixed_start = 0
    request = max(header.minimum_ram_size, initial) + KERNEL.ram_headroom
    result = "NOMEM"  # a request past 32 bits fits nowhere
    if request <= UINT32_MAX:
        if header.fixed_ram is not None:
            if header.fixed_ram < ram_cursor or header.fixed_ram >= free_end:
                return None, REASON_FIXED_RAM_TAKEN
            fixed_start = free_start = header.fixed_ram
        result = allocate_ram(free_start, fixed_start, request, initial)
        if result == "INVAL" and fixed_start:
            return None, REASON_FIXED_RAM_ALIGN
    if isinstance(result, str) or result[0] + result[1] > free_end:
        needed = request if isinstance(result, str) else result[0] + result[1] - free_start
        return None, reason_ram(needed, free_end - free_start)
    return (result[0], result[0] + result[1]), None


def predict(board, image):
    """The LoadReport of `image` (bytes placed at the start of `board`'s app flash)."""
    flash = board.app_flash
    data = bytes(image[:flash.size]) + bytes(max(flash.size - len(image), 0))
    report = LoadReport()
    ram_cursor = board.app_ram.start
    identities = []   # of the running apps, in slot order
    offset = 0
    while offset < flash.size:
        address = flash.start + offset
        remaining = flash.size - offset
        if remaining < 8 or struct.unpack_from("<I", data, offset)[0] in BLANK_WORDS:
            break
        version, header_size, total_size = struct.unpack_from("<HHI", data, offset)
        if version != tbf.TBF_VERSION:
            report.stop = Stop(address, tbf.REASON_VERSION, version, remaining)
            return report
        if total_size < tbf.BASE_HEADER_SIZE or total_size > remaining:
            report.stop = Stop(address, tbf.REASON_TOTAL_SIZE, total_size, remaining)
            return report
        try:
            app = tbf.parse_tbf(data, offset, check_footers=False)
        except tbf.TbfError as error:
            report.verdicts.append(Verdict(address, total_size, None, error.reason))
            offset += total_size
            continue
        offset += total_size
        if app.is_padding:
            report.padding.append(app)
            continue
        running = report.running
        verdict = Verdict(address, total_size, app, placement_problem(app.header, address))
        report.verdicts.append(verdict)
        found = None
        if verdict.reason is None:
            verdict.reason, found = identity_problem(data, offset - total_size, app.header,
                                                     address, identities)
        if verdict.reason is None and running == KERNEL.process_slots:
            verdict.reason = reason_no_slot(KERNEL.process_slots)
        if verdict.reason is None:
            ram, verdict.reason = allocate(board, app.header, address, ram_cursor)
            if ram is not None:
                verdict.flash = (address, address + total_size)
                verdict.ram = ram
                ram_cursor = ram[1]
                identities.append(found)
    report.end = flash.start + offset
    return report
