# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The boards the QEMU tests run on: where apps go and how QEMU is started."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Board:
    def __init__(self, name, arch, apps_arch, app_flash, app_flash_size, qemu, qemu_binary):
        self.name = name
        self.arch = arch
        self.apps_arch = apps_arch
        self.app_flash = app_flash
        self.app_flash_size = app_flash_size
        self.qemu = qemu  # (kernel, image, app_flash) -> command line; may create flash files
        self.qemu_binary = qemu_binary

    @property
    def kernel(self):
        """The product image (`make run`, benchmarks)."""
        return self.kernel_image("product")

    def kernel_image(self, variant):
        """`product` (kernel.elf), `selftest` (kernel-selftest.elf: the product plus the
        board's self tests) or `core` (<board>-core/kernel.elf: CONFIG=core), boards/boards.mk."""
        directory, name = {"product": (self.name, "kernel.elf"),
                           "selftest": (self.name, "kernel-selftest.elf"),
                           "core": (self.name + "-core", "kernel.elf")}[variant]
        return os.path.join(ROOT, "build", directory, name)

    def app_tbf(self, app, slot):
        if self.apps_arch.startswith("rv32"):
            return os.path.join(ROOT, "build", "apps", self.apps_arch, f"{app}.slot{slot}.tbf")
        return os.path.join(ROOT, "build", "apps", self.apps_arch, f"{app}.tbf")

    def qemu_command(self, image, variant="product"):
        return self.qemu(self.kernel_image(variant), image, self.app_flash)


MPS2_QEMU = "qemu-system-arm"
VIRT_QEMU = "qemu-system-riscv32"


def mps2_qemu(kernel, image, app_flash):
    # An at24c EEPROM at 0x50 on the bus named "i2c" that QEMU finds first: the last SBCon's
    # (0x4002A000), which the board's EEPROM self test drives.
    return [MPS2_QEMU, "-machine", "mps2-an385", "-display", "none", "-monitor", "none",
            "-serial", "stdio", "-kernel", kernel,
            "-device", f"loader,file={image},addr={app_flash:#x}",
            "-device", "at24c-eeprom,bus=i2c,address=0x50,rom-size=512"]


# QEMU virt's pflash1 (0x22000000): two x16 CFI chips, 32 MiB, backed by a file per image.
VIRT_PFLASH_SIZE = 32 << 20


def flash_state_path(image, suffix):
    """Where the flash file (and its keep marker) of `image` lives: always under build/ (never
    in the working directory, whatever `image` is: a path outside the tree, or `-`)."""
    directory = os.path.join(ROOT, "build", "qemu-flash")
    os.makedirs(directory, exist_ok=True)
    name = os.path.abspath(image).replace(os.sep, "_").lstrip("_") or "image"
    return os.path.join(directory, name + suffix)


def keep_flash_for_next_run(image):
    """Let the next QEMU run of `image` keep the flash file the last run wrote (once)."""
    open(flash_state_path(image, ".keep-flash"), "w").close()


def flash_file(image):
    """The file behind pflash1 for a run of `image`: erased (all 0xFF, as a new chip) for every
    run, unless keep_flash_for_next_run(image) was called since the last one."""
    path = flash_state_path(image, ".pflash1")
    marker = flash_state_path(image, ".keep-flash")
    if os.path.exists(marker):
        os.remove(marker)
        if os.path.exists(path):
            return path
    with open(path, "wb") as f:
        f.write(b"\xff" * VIRT_PFLASH_SIZE)
    return path


def virt_qemu(kernel, image, app_flash):
    return [VIRT_QEMU, "-machine", "virt", "-display", "none", "-monitor", "none",
            "-serial", "stdio", "-bios", kernel,
            "-device", f"loader,file={image},addr={app_flash:#x}",
            "-drive", f"if=pflash,unit=1,format=raw,file={flash_file(image)}",
            # The RNG driver's entropy: virtio-rng on a virtio-mmio slot, modern register layout.
            "-global", "virtio-mmio.force-legacy=false", "-device", "virtio-rng-device"]


BOARDS = {
    "qemu_mps2_an385": Board("qemu_mps2_an385", "cortex-m", "cortex-m3", 0x00100000, 0x00300000,
                             mps2_qemu, MPS2_QEMU),
    "qemu_rv32_virt": Board("qemu_rv32_virt", "riscv", "rv32imac", 0x80100000, 0x00100000,
                            virt_qemu, VIRT_QEMU),
}
