# SPDX-License-Identifier: Apache-2.0 OR MIT
"""`make debug` on both boards: gdb-multiarch, in batch mode against QEMU's gdb stub, stops at a
kernel function and at an app's `main`, each reported in its own source file, and finds the
app's variables in the app's RAM. The placement the debugger script relies on
(tools/app_placement.py) is the kernel's: its constants are the C ones, and its RAM ranges are
the ones the kernel prints when it loads an image. tools/gdb_script.py loads every app or the
one asked for, and refuses an app that is not loaded.

The QEMU tests need the product kernels and the apps (`make kernel apps BOARD=...`, which
`make test` runs first) and are skipped without them; gdb-multiarch missing is a failure
(tools/install_deps.sh installs it). Every QEMU started here is killed, whatever happens.

Usage: python3 -m unittest discover -s tests/tools -p test_debug.py -v
"""

import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import app_placement
import board_info
import elf
import gdb_script
import qemu_image
import tbf

ROOT = board_info.ROOT
BOARDS = board_info.load_all()
GDB = "gdb-multiarch"
DEMO = ["hello", "blink", "counter_a", "counter_b"]
LOADED = re.compile(r'\[kernel\] load: app "([^"]+)" at (0x[0-9a-f]{8}): loaded \(flash '
                    r'(0x[0-9a-f]{8})-(0x[0-9a-f]{8}), RAM (0x[0-9a-f]{8})-(0x[0-9a-f]{8})\)')


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def c_define(path, name):
    match = re.search(rf"^#define {name} (\d+)u?\b", read(path), re.M)
    if match is None:
        raise AssertionError(f"{path}: no #define {name}")
    return int(match.group(1))


def built(board, apps):
    """None when the product kernel and `apps` are built for `board`, else what is missing."""
    paths = [board.kernel] + [board.app_file(app, slot) for slot, app in enumerate(apps, 1)]
    missing = [p for p in paths if not os.path.exists(p)]
    return f"not built: {', '.join(missing)} (make kernel apps BOARD={board.name})" \
        if missing else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_killing_group(cmd, timeout, **kw):
    """Runs `cmd` in a process group of its own and kills the whole group afterwards (QEMU, which
    make starts in the background, included); returns (status or None on timeout, output)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace",
                            start_new_session=True, **kw)
    try:
        out, _ = proc.communicate(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        out, status = "", None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if status is None:
            out = proc.communicate()[0]
    return status, out


def boot_until(cmd, pattern, timeout):
    """Runs QEMU (`cmd`) until its output matches `pattern` or `timeout` seconds pass, then
    kills it; returns the output."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not re.search(pattern,
                                                             output.decode(errors="replace")):
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                output += chunk
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    return output.decode(errors="replace")


def loaded_lines(text):
    """{name: (tbf start, flash end, RAM start, RAM end)} of the kernel's load lines."""
    return {m.group(1): tuple(int(m.group(i), 16) for i in (2, 4, 5, 6))
            for m in LOADED.finditer(text)}


class PlacementConstants(unittest.TestCase):
    """tools/app_placement.py restates a few C constants; each must still be the C one."""

    def test_constants_are_the_c_ones(self):
        self.assertEqual(app_placement.KERNEL_VERSION,
                         (c_define("kernel/include/kernel/kernel.h", "KERNEL_VERSION_MAJOR"),
                          c_define("kernel/include/kernel/kernel.h", "KERNEL_VERSION_MINOR")))
        self.assertEqual(app_placement.RAM_HEADROOM,
                         c_define("boards/components/include/components/core.h",
                                  "CORE_RAM_HEADROOM"))
        self.assertEqual(app_placement.CORTEXM_MPU_MIN_RAM,
                         c_define("arch/cortex-m/include/arch/cortexm_mpu_layout.h",
                                  "CORTEXM_MPU_MIN_RAM"))
        self.assertEqual(app_placement.INITIAL_BRK["cortex-m"],
                         c_define("arch/cortex-m/include/arch/cortexm_frame.h",
                                  "CORTEXM_FRAME_BYTES"))
        riscv = re.search(r"arch_initial_app_brk_size\(void\)\s*\{\s*return (\d+)u?;",
                          read("arch/riscv/context.c"))
        self.assertEqual(app_placement.INITIAL_BRK["riscv"], int(riscv.group(1)))
        self.assertIn("return CORTEXM_FRAME_BYTES;", read("arch/cortex-m/context.c"))
        for name in BOARDS:
            self.assertEqual(app_placement.PROCESS_SLOTS,
                             c_define(f"boards/{name}/main.c", "BOARD_PROCESSES"), name)


def synthetic_app(name, minimum_ram, size=0x1000, fixed_ram=None, fixed_flash=None, flags=1):
    header = tbf.TbfHeader(total_size=size, flags=flags, init_fn_offset=0,
                           minimum_ram_size=minimum_ram, binary_end_offset=0, package_name=name,
                           kernel_version=(2, 0), fixed_ram=fixed_ram, fixed_flash=fixed_flash)
    raw = tbf.encode_header(header)
    header.binary_end_offset = len(raw)
    raw = tbf.encode_header(header)
    return raw + b"\xff" * (size - len(raw))


class PlacementRule(unittest.TestCase):
    """The RAM rule on images made here (the kernel's own agreement is PlacementMatchesKernel)."""

    def test_cortex_m_blocks_are_powers_of_two_aligned_to_half_their_size(self):
        board = BOARDS["qemu_mps2_an385"]
        image = (synthetic_app("small", 100) + synthetic_app("off", 100, flags=0) +
                 synthetic_app("big", 20000) + synthetic_app("next", 5000))
        apps = app_placement.place(board, image)
        start = board.app_ram.start
        self.assertEqual([(a.name, a.skipped) for a in apps],
                         [("small", None), ("off", "disabled"), ("big", None), ("next", None)])
        self.assertEqual([(a.ram_start - start, a.ram_end - start) for a in apps if a.loaded],
                         [(0, 0x1000), (0x4000, 0xC000), (0xC000, 0xE000)])
        header = tbf.parse_tbf(image, 0, check_footers=False).header
        self.assertEqual(apps[0].binary_start, board.app_flash.start + header.header_size)

    def test_riscv_blocks_take_the_fixed_address_and_the_request_rounded_to_4(self):
        board = BOARDS["qemu_rv32_virt"]
        slot = board.slots[1]
        image = synthetic_app("any", 1001) + synthetic_app("fixed", 10, fixed_ram=slot.ram)
        apps = app_placement.place(board, image)
        first = board.app_ram.start
        self.assertEqual([(a.ram_start, a.ram_end) for a in apps],
                         [(first, first + 1004 + 2048), (slot.ram, slot.ram + 2060)])

    def test_a_fixed_flash_address_elsewhere_and_a_ninth_app_are_skipped(self):
        board = BOARDS["qemu_rv32_virt"]
        image = synthetic_app("moved", 10, fixed_flash=board.app_flash.start + 0x4000)
        image += b"".join(synthetic_app(f"app{i}", 10) for i in range(9))
        apps = app_placement.place(board, image)
        self.assertEqual(apps[0].skipped, "linked for a different flash address")
        self.assertEqual([a.name for a in apps if a.loaded], [f"app{i}" for i in range(8)])
        self.assertEqual(apps[-1].skipped, "no free process slot (8 of 8)")


class PlacementMatchesKernel(unittest.TestCase):
    """The model's flash and RAM ranges are those of the kernel's load lines, on both boards,
    for apps whose RAM needs differ (syscall_fuzz asks for 4 KiB of grant memory more)."""

    APPS = ["hello", "syscall_fuzz", "blink", "counter_a"]

    def test_the_kernel_prints_the_ranges_the_model_computes(self):
        for name, board in BOARDS.items():
            with self.subTest(board=name):
                missing = built(board, self.APPS)
                if missing:
                    self.skipTest(missing)
                with tempfile.TemporaryDirectory() as workdir:
                    image_path = qemu_image.build(board, self.APPS, workdir)
                    with open(image_path, "rb") as f:
                        image = f.read()
                    out = boot_until(board.qemu_command(image_path, board.kernel),
                                     r"load: \d+ of \d+ apps running", 30)
                self.assertIn(f"load: {len(self.APPS)} of {len(self.APPS)} apps running", out)
                model = {a.name: (a.tbf_start, a.tbf_start + a.tbf_size, a.ram_start, a.ram_end)
                         for a in app_placement.place(board, image)}
                self.assertEqual(loaded_lines(out), model)


@unittest.skipUnless(os.name == "posix", "needs process groups")
class MakeDebug(unittest.TestCase):
    """`make debug` with gdb in batch mode: the kernel breakpoint, then the app's main."""

    COMMANDS = """\
break debug_printf
continue
delete
break main
continue
info symbol $pc
print &fired
print fired
"""

    def test_gdb_stops_in_the_kernel_and_in_the_apps_main(self):
        if shutil.which(GDB) is None:
            self.fail(f"{GDB} is not installed (sh tools/install_deps.sh)")
        for name, board in BOARDS.items():
            with self.subTest(board=name):
                missing = built(board, DEMO)
                if missing:
                    self.skipTest(missing)
                with tempfile.TemporaryDirectory() as workdir:
                    commands = os.path.join(workdir, "commands.gdb")
                    with open(commands, "w") as f:
                        f.write(self.COMMANDS)
                    # A make of its own, not a part of the `make test` that may be running us.
                    env = {k: v for k, v in os.environ.items()
                           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
                    status, out = run_killing_group(
                        ["make", "--no-print-directory", f"BOARD={name}", "debug",
                         "APP=counter_a", f"GDB_PORT={free_port()}",
                         f"GDB_FLAGS=-batch -x {commands}"], 180, env=env)
                self.assertEqual(status, 0, out)
                self.assertRegex(out, r"Breakpoint 1, debug_printf \(.*\) at kernel/debug\.c:")
                self.assertRegex(out, r"Breakpoint 2, main \(\) at "
                                      r"userland/examples/counter_a/main\.c:\d+")
                self.assertRegex(out, r"main in section \.text of \S*/counter_a(\.slot3)?\.elf")
                ram = loaded_lines(out)["counter_a"][2:]
                address = re.search(r"\(volatile uint32_t \*\) (0x[0-9a-f]+) <fired>", out)
                self.assertIsNotNone(address, out)
                self.assertTrue(ram[0] <= int(address.group(1), 16) < ram[1], (ram, out))
                self.assertRegex(out, r"\$2 = 0\b")


class ScriptChoices(unittest.TestCase):
    """Which apps the script loads, without QEMU: gdb reads the script and answers where
    `main` is."""

    def demo(self, board, workdir):
        tbfs = [board.app_file(app, slot) for slot, app in enumerate(DEMO, 1)]
        return qemu_image.pack(board, tbfs, os.path.join(workdir, "demo.bin")), tbfs

    def test_without_app_every_app_is_loaded_and_main_has_a_location_in_each(self):
        if shutil.which(GDB) is None:
            self.fail(f"{GDB} is not installed (sh tools/install_deps.sh)")
        for name, board in BOARDS.items():
            with self.subTest(board=name):
                missing = built(board, DEMO)
                if missing:
                    self.skipTest(missing)
                with tempfile.TemporaryDirectory() as workdir:
                    image, tbfs = self.demo(board, workdir)
                    path = os.path.join(workdir, "all.gdb")
                    with open(path, "w") as f:
                        f.write(gdb_script.script(board, board.kernel, image, tbfs))
                    proc = subprocess.run([GDB, "-q", "-batch", "-x", path, "-ex", "break main",
                                           "-ex", "info breakpoints"], capture_output=True,
                                          text=True, timeout=60)
                self.assertIn("(4 locations)", proc.stdout, proc.stdout + proc.stderr)
                for app in DEMO:
                    self.assertIn(f"userland/examples/{app}/main.c", proc.stdout)

    def test_an_app_that_is_not_loaded_is_refused_with_the_loaded_ones(self):
        board = BOARDS["qemu_mps2_an385"]
        missing = built(board, DEMO)
        if missing:
            self.skipTest(missing)
        with tempfile.TemporaryDirectory() as workdir:
            image, tbfs = self.demo(board, workdir)
            proc = support.run_tool("gdb_script.py", "--board", board.name, "--kernel",
                                    board.kernel, "--image", image, "--app", "nothing", "-o",
                                    os.path.join(workdir, "x.gdb"), *tbfs)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no app 'nothing' is loaded", proc.stderr)
        self.assertIn("hello, blink, counter_a, counter_b", proc.stderr)

    def test_arm_sections_move_to_the_binary_start_and_the_process_ram(self):
        board = BOARDS["qemu_mps2_an385"]
        missing = built(board, DEMO)
        if missing:
            self.skipTest(missing)
        with tempfile.TemporaryDirectory() as workdir:
            image, tbfs = self.demo(board, workdir)
            text = gdb_script.script(board, board.kernel, image, tbfs, app="blink", port=4321)
            with open(image, "rb") as f:
                blink = [a for a in app_placement.place(board, f.read()) if a.name == "blink"][0]
        self.assertTrue(text.rstrip().endswith("target remote 127.0.0.1:4321"))
        lines = [line for line in text.splitlines() if line.startswith("add-symbol-file")]
        self.assertEqual(len(lines), 1)
        self.assertIn(os.path.abspath(board.app_file("blink", 2, "elf")), lines[0])
        moved = {name: int(value, 16) for name, value in re.findall(r"-s (\S+) (0x[0-9a-f]+)",
                                                                      lines[0])}
        with open(board.app_file("blink", 2, "elf"), "rb") as f:
            linked = {s.name: s.addr for s in elf.parse(f.read()).sections
                      if s.flags & elf.SHF_ALLOC and s.size}
        self.assertEqual(set(moved), set(linked))
        # Linked at flash 0x80000000 and RAM 0 (userland_generic.ld's PIC origins).
        for name, address in linked.items():
            where = blink.binary_start + address - 0x80000000 if address >= 0x80000000 \
                else blink.ram_start + address
            self.assertEqual(moved[name], where, name)
        self.assertEqual(moved[".crt0_header"], blink.binary_start)
        self.assertGreater(blink.binary_start, blink.tbf_start)

if __name__ == "__main__":
    unittest.main()
