# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Where the kernel places each app of an app-flash image: its TBF, its binary and its RAM.

The kernel walks app flash in order (kernel/process_loader.c) and gives every app it loads a RAM
block taken upward from the start of app RAM. The block must hold the TBF's minimum RAM size
(at least the architecture's initial break) plus the board's headroom, and the architecture
decides where it starts and how big it is:
    cortex-m  a power of two of at least 512 bytes, starting at a multiple of half its size
              (arch/cortex-m/mpu_layout.c, cortexm_mpu_layout_ram);
    riscv     the request rounded up to 4 bytes, at the next 4-byte boundary, or at the app's
              fixed RAM address when its TBF names one (arch/riscv/pmp.c).
Nothing random or run-time enters the rule, so the placement follows from the image alone; the
debugger script (tools/gdb_script.py) uses it to put each app's symbols where the app runs.

Usage:
    import app_placement
    for app in app_placement.place(board, image_bytes):
        app.name, app.tbf_start, app.binary_start, app.ram_start, app.ram_end, app.skipped

Invariants:
    * For every app the kernel loads, ram_start/ram_end are the RAM range of the kernel's load
      line (`[kernel] load: app "x" at 0x...: loaded (flash A-B, RAM C-D)`): the QEMU test in
      tests/tools/test_debug.py boots images on both boards and compares.
    * The constants below are the C ones (each names its source); tests/tools/test_debug.py
      reads the C definitions and fails when one of them changes without the other.
    * An app the kernel would skip takes no RAM and has `skipped` set to the kernel's reason;
      the model knows the reasons that depend on the image (disabled, kernel version, flash or
      RAM placement, process slots), not the ones a well-formed image cannot cause.
"""
from dataclasses import dataclass

import tbf

# kernel/include/kernel/kernel.h: KERNEL_VERSION_MAJOR, KERNEL_VERSION_MINOR.
KERNEL_VERSION = (2, 3)
# boards/components/include/components/core.h: CORE_RAM_HEADROOM (every board's kernel_config).
RAM_HEADROOM = 2048
# boards/<board>/main.c: BOARD_PROCESSES (the same on every board).
PROCESS_SLOTS = 8
# arch/cortex-m/include/arch/cortexm_mpu_layout.h: CORTEXM_MPU_MIN_RAM.
CORTEXM_MPU_MIN_RAM = 512
# arch_initial_app_brk_size(): arch/cortex-m/context.c (CORTEXM_FRAME_BYTES), arch/riscv/context.c.
INITIAL_BRK = {"cortex-m": 32, "riscv": 0}


@dataclass
class PlacedApp:
    """One app object of the image and where the kernel puts it (RAM 0/0 when skipped)."""
    name: str
    tbf_start: int
    tbf_size: int
    binary_start: int       # TBF start + header + protected trailer: the app's own first byte
    ram_start: int = 0
    ram_end: int = 0
    skipped: str = None     # None: loaded; else the kernel's reason (ABI §3.7.1)
    offset: int = 0         # of the TBF in the image

    @property
    def loaded(self):
        return self.skipped is None


def cortexm_ram(cursor, request, initial, fixed):
    """(start, size) of the block cortexm_mpu_layout_ram picks, or a reason it cannot."""
    size = CORTEXM_MPU_MIN_RAM
    while size < request or size < initial:
        size *= 2
    half = size // 2
    start = (cursor + half - 1) & ~(half - 1)
    if fixed is not None and start != fixed:
        return None, "fixed RAM address not aligned as the MPU requires"
    return (start, size), None


def riscv_ram(cursor, request, initial, fixed):
    """(start, size) of the block arch/riscv/pmp.c picks, or a reason it cannot."""
    start = (cursor + 3) & ~3
    if fixed is not None:
        if fixed % 4 != 0:
            return None, "fixed RAM address not aligned as the MPU requires"
        start = fixed
    need = max(request, initial, 4)
    return (start, (need + 3) & ~3), None


RAM_RULES = {"cortex-m": cortexm_ram, "riscv": riscv_ram}


def check_placement(header, tbf_start):
    """process_loader.c's check_placement: None when the app may load here, else why not."""
    if not header.is_enabled:
        return "disabled"
    if header.kernel_version is None:
        return "no kernel version TLV"
    major, minor = header.kernel_version
    if major != KERNEL_VERSION[0] or minor > KERNEL_VERSION[1]:
        return "needs an incompatible kernel version"
    if header.fixed_flash is not None and header.fixed_flash != tbf_start + header.protected_size:
        return "linked for a different flash address"
    return None


def place(board, image):
    """Every app object (padding excluded) of `image`, the bytes loaded at the start of
    `board`'s app flash, with where the kernel puts it, in flash order. Raises tbf.TbfError for
    an image the kernel's walk would stop in (the kernel loads the apps before such a header,
    but an image built by tools/mkimage.py never has one)."""
    arch = board.arch
    cursor = board.app_ram.start
    initial = INITIAL_BRK[arch]
    running = 0
    apps = []
    for obj in tbf.iter_image(image, check_footers=False):
        if obj.is_padding:
            continue
        header = obj.header
        start = board.app_flash.start + obj.offset
        app = PlacedApp(header.package_name or "-", start, header.total_size,
                        start + header.protected_size, offset=obj.offset)
        apps.append(app)
        app.skipped = check_placement(header, start)
        if app.skipped is None and running == PROCESS_SLOTS:
            app.skipped = f"no free process slot ({PROCESS_SLOTS} of {PROCESS_SLOTS})"
        if app.skipped is not None:
            continue
        request = max(header.minimum_ram_size, initial) + RAM_HEADROOM
        fixed = header.fixed_ram
        if fixed is not None and not cursor <= fixed < board.app_ram.end:
            app.skipped = "fixed RAM address already taken or outside app RAM"
            continue
        free_start = cursor if fixed is None else fixed
        block, app.skipped = RAM_RULES[arch](free_start, request, initial, fixed)
        if app.skipped is not None:
            continue
        ram_start, ram_size = block
        if ram_start + ram_size > board.app_ram.end:
            app.skipped = (f"needs {ram_start + ram_size - free_start} bytes of RAM, "
                           f"{board.app_ram.end - free_start} left")
            continue
        app.ram_start, app.ram_end = ram_start, ram_start + ram_size
        cursor = app.ram_end
        running += 1
    return apps


def tbf_bytes(image, app):
    """The bytes of `app`'s TBF in `image`."""
    return image[app.offset:app.offset + app.tbf_size]

