# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The boards the QEMU tests run on: where apps go and how QEMU is started."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Board:
    def __init__(self, name, arch, apps_arch, app_flash, app_flash_size, qemu):
        self.name = name
        self.arch = arch
        self.apps_arch = apps_arch
        self.app_flash = app_flash
        self.app_flash_size = app_flash_size
        self.qemu = qemu

    @property
    def kernel(self):
        return os.path.join(ROOT, "build", self.name, "kernel.elf")

    def app_tbf(self, app, slot):
        if self.apps_arch.startswith("rv32"):
            return os.path.join(ROOT, "build", "apps", self.apps_arch, f"{app}.slot{slot}.tbf")
        return os.path.join(ROOT, "build", "apps", self.apps_arch, f"{app}.tbf")

    def qemu_command(self, image):
        return self.qemu(self.kernel, image, self.app_flash)


def mps2_qemu(kernel, image, app_flash):
    return ["qemu-system-arm", "-machine", "mps2-an385", "-display", "none", "-monitor", "none",
            "-serial", "stdio", "-kernel", kernel,
            "-device", f"loader,file={image},addr={app_flash:#x}"]


def virt_qemu(kernel, image, app_flash):
    return ["qemu-system-riscv32", "-machine", "virt", "-display", "none", "-monitor", "none",
            "-serial", "stdio", "-bios", kernel,
            "-device", f"loader,file={image},addr={app_flash:#x}"]


BOARDS = {
    "qemu_mps2_an385": Board("qemu_mps2_an385", "cortex-m", "cortex-m3", 0x00100000, 0x00300000,
                             mps2_qemu),
    "qemu_rv32_virt": Board("qemu_rv32_virt", "riscv", "rv32imac", 0x80100000, 0x00100000,
                            virt_qemu),
}
