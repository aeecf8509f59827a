# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The board descriptions (boards/<board>/board.json) are the one source of board facts: every
consumer agrees with them, and no other file states them again.

* make: the values boards/boards.mk and userland/userland.mk use (app flash, slot link
  addresses, the isolation tests' addresses, the demo's TBF paths, `make run`'s QEMU command
  line) are read from make itself and must be what tools/board_info.py says;
* `make run` and the tools start QEMU with the same arguments but for the console;
* the linker: each layout.ld INCLUDEs the generated memory map and states no region itself, the
  generated memory.ld holds the description's regions, and a kernel already built from it has
  the matching _sapps/_eapps/_sappmem/_eappmem/_estack;
* the README's board-facts section is what tools/board_readme.py generates;
* a description with an unknown field, overlapping regions or a misplaced slot is refused;
* no file under tools/ imports from tests/, and no tool or build file spells a description's
  address.

Usage: python3 -m unittest discover -s tests/tools -v
"""

import ast
import copy
import glob
import json
import os
import re
import subprocess
import tokenize
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import board_gen  # noqa: E402  (tools/board_gen.py)
import board_info  # noqa: E402  (tools/board_info.py)
import board_readme  # noqa: E402  (tools/board_readme.py)
import elf  # noqa: E402  (tools/elf.py)

ROOT = board_info.ROOT
BOARDS = board_info.load_all()
# Prints `tockc:NAME=value` for goal tockc-print-NAME, and the QEMU command for tockc-qemu.
PRINT_RULES = ("tockc-print-%: ; @echo 'tockc:$*=$($*)'\n"
               "tockc-qemu: ; @echo 'tockc:qemu=$(QEMU_SYSTEM) $(call QEMU_ARGS,IMAGE)'")


def make_values(board, names, calls=()):
    """{name: value} of make variables for BOARD=board (and of `calls`, (name, expression))."""
    rules = PRINT_RULES + "".join(f"\ntockc-print-{name}: ; @echo 'tockc:{name}={expr}'"
                                  for name, expr in calls)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    goals = [f"tockc-print-{name}" for name in list(names) + [n for n, _ in calls]]
    proc = subprocess.run(["make", "--no-print-directory", f"BOARD={board}", "--eval", rules,
                           "tockc-qemu"] + goals, cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    if proc.returncode != 0:
        raise AssertionError(f"make failed: {proc.stderr}")
    values = {}
    for line in proc.stdout.splitlines():
        if line.startswith("tockc:"):
            name, _, value = line[len("tockc:"):].partition("=")
            values[name] = value
    return values


def description_addresses():
    """Addresses a description states that nothing else may spell (kernel flash starts are left
    out: 0x80000000 is also the PIC apps' link sentinel)."""
    addresses = set()
    for board in BOARDS.values():
        addresses |= {board.app_flash.start, board.app_ram.start, board.kernel_ram.start}
        for slot in board.slots:
            addresses |= {slot.flash, slot.ram, slot.binary}
    return addresses


class MakeAgrees(unittest.TestCase):
    def test_make_variables_are_the_descriptions(self):
        for name, board in BOARDS.items():
            with self.subTest(board=name):
                slot_names = [f"APPS_SLOT{s.number}_{k}" for s in board.slots
                              for k in ("FLASH", "SRAM")]
                values = make_values(name, ["BOARD_ARCH", "BOARD_CC", "APPS_ARCH", "APPS_SLOTS",
                                            "BOARD_APP_FLASH", "BOARD_APP_FLASH_SIZE",
                                            "APPS_KERNEL_RAM_ADDR", "APPS_KERNEL_CODE_ADDR",
                                            "APPS_OTHER_RAM_ADDR", "APPS_DEFAULT_FLASH"]
                                     + slot_names, [("demo", "$(DEMO_TBFS)")])
                self.assertEqual(values["BOARD_ARCH"], board.arch)
                self.assertEqual(values["BOARD_CC"], board.toolchain + "gcc")
                self.assertEqual(values["APPS_ARCH"], board.apps_arch)
                self.assertEqual(int(values["BOARD_APP_FLASH"], 16), board.app_flash.start)
                self.assertEqual(int(values["BOARD_APP_FLASH_SIZE"], 16), board.app_flash.size)
                self.assertEqual(int(values["APPS_KERNEL_RAM_ADDR"], 16), board.kernel_ram.start)
                self.assertEqual(int(values["APPS_KERNEL_CODE_ADDR"], 16),
                                 board.kernel_flash.start + 0x100)
                self.assertEqual(values["APPS_SLOTS"].split(),
                                 [str(slot.number) for slot in board.slots])
                for slot in board.slots:
                    self.assertEqual(int(values[f"APPS_SLOT{slot.number}_FLASH"], 16), slot.binary)
                    self.assertEqual(int(values[f"APPS_SLOT{slot.number}_SRAM"], 16), slot.ram)
                other = board.slots[1].ram if board.slots else 0
                self.assertEqual(int(values["APPS_OTHER_RAM_ADDR"], 16), other)
                demo = ["hello", "blink", "counter_a", "counter_b"]
                self.assertEqual(values["demo"].split(),
                                 [os.path.relpath(board.app_file(app, slot), ROOT)
                                  for slot, app in enumerate(demo, start=1)])

    def test_make_run_and_the_tools_start_qemu_alike(self):
        """`make run`'s command is the description's (`make debug`'s too, with the tools'
        console); the tools' differs from it only in the console words (right after -machine)
        and in which file backs the pflash."""
        for name, board in BOARDS.items():
            with self.subTest(board=name):
                kernel = os.path.join("build", name, "kernel.elf")
                pflash = os.path.join("build", name, f"pflash{board.pflash_unit}.bin")
                values = make_values(name, [], [
                    ("captured", "$(QEMU_SYSTEM) $(call QEMU_ARGS_CAPTURED,IMAGE)")])
                made = values["qemu"].split()
                self.assertEqual(made, [board.qemu_binary] + board.qemu_args(
                    kernel, "IMAGE", pflash, board_info.CONSOLE_INTERACTIVE))
                # `make debug`'s: the same with the tools' console.
                self.assertEqual(values["captured"].split(), [board.qemu_binary] + board.qemu_args(
                    kernel, "IMAGE", pflash, board_info.CONSOLE_CAPTURED))
                tools = board.qemu_command("IMAGE", kernel)
                flash = [arg.rpartition("file=")[2] for arg in tools
                         if arg.startswith("if=pflash")]
                for path in flash:
                    os.remove(path)
                interactive, captured = (len(board_info.CONSOLE_INTERACTIVE),
                                         len(board_info.CONSOLE_CAPTURED))
                self.assertEqual(tools[3:3 + captured], board_info.CONSOLE_CAPTURED)
                self.assertEqual(made[3:3 + interactive], board_info.CONSOLE_INTERACTIVE)
                rest = [arg.replace(flash[0], pflash) if flash else arg
                        for arg in tools[:3] + tools[3 + captured:]]
                self.assertEqual(rest, made[:3] + made[3 + interactive:])


class LinkerAgrees(unittest.TestCase):
    REGIONS = {"rom": "kernel_flash", "apps": "app_flash", "ram": "kernel_ram",
               "appram": "app_ram"}

    def test_layout_scripts_take_the_generated_memory_map(self):
        for name in BOARDS:
            with open(os.path.join(ROOT, "boards", name, "layout.ld")) as f:
                text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
            self.assertIn("INCLUDE memory.ld", text, name)
            self.assertNotRegex(text, r"\bMEMORY\b|ORIGIN\s*=|_kernel_stack_size\s*=", name)

    def test_memory_map_is_the_descriptions(self):
        pattern = re.compile(r"^\s*(\w+)\s*\([rwx]+\)\s*:\s*ORIGIN = (0x[0-9a-f]+), "
                             r"LENGTH = (0x[0-9a-f]+)$", re.M)
        for name, board in BOARDS.items():
            text = board_gen.memory_script(board)
            regions = {m.group(1): (int(m.group(2), 16), int(m.group(3), 16))
                       for m in pattern.finditer(text)}
            self.assertEqual(regions, {label: (getattr(board, attr).start,
                                               getattr(board, attr).size)
                                       for label, attr in self.REGIONS.items()}, name)
            self.assertIn(f"_kernel_stack_size = {board.kernel_stack_size:#x};", text)

    def test_a_built_kernel_has_the_descriptions_bounds(self):
        checked = 0
        for name, board in BOARDS.items():
            kernel = board.kernel
            if not os.path.exists(kernel) or \
                    os.path.getmtime(kernel) < os.path.getmtime(board.path):
                continue  # not built from this description (yet)
            with open(kernel, "rb") as f:
                image = elf.parse(f.read())
            for symbol, value in (("_sapps", board.app_flash.start),
                                  ("_eapps", board.app_flash.end),
                                  ("_sappmem", board.app_ram.start),
                                  ("_eappmem", board.app_ram.end),
                                  ("_estack", board.kernel_ram.end)):
                self.assertEqual(image.symbol_value(symbol), value, f"{name} {symbol}")
            checked += 1
        if not checked:
            self.skipTest("no kernel built from the current descriptions")


class ReadmeAgrees(unittest.TestCase):
    def test_readme_board_facts_are_generated(self):
        text, expected = board_readme.expected_readme()
        self.assertEqual(text, expected,
                         "README.md's board facts are stale: python3 tools/board_readme.py --write")


class DescriptionsAreChecked(unittest.TestCase):
    def raw(self, name="qemu_rv32_virt"):
        with open(board_info.description_path(name)) as f:
            return json.load(f)

    def refused(self, raw, name="qemu_rv32_virt"):
        with self.assertRaises(board_info.BoardError):
            board_info.Board(raw, board_info.description_path(name))

    def test_every_description_loads(self):
        self.assertEqual(sorted(BOARDS), board_info.names())
        self.assertGreaterEqual(len(BOARDS), 2)

    def test_unknown_or_missing_fields_are_refused(self):
        raw = self.raw()
        raw["memory"]["app_flsh"] = raw["memory"].pop("app_flash")
        self.refused(raw)
        raw = self.raw()
        raw["qemu"]["extra"] = 1
        self.refused(raw)
        raw = self.raw()
        del raw["toolchain"]
        self.refused(raw)

    def test_inconsistent_layouts_are_refused(self):
        raw = self.raw()
        raw["memory"]["app_ram"]["start"] = "0x802f0000"  # into kernel RAM
        self.refused(raw)
        raw = self.raw()
        raw["app_slots"]["slots"][3]["size"] = "0x00090000"  # past app flash
        self.refused(raw)
        raw = self.raw()
        raw["app_slots"]["slots"][1]["flash"] = "0x80108000"  # overlaps slot 1
        self.refused(raw)
        raw = self.raw("qemu_mps2_an385")
        raw["name"] = "qemu_rv32_virt"  # not its directory
        self.refused(raw, "qemu_mps2_an385")

    def test_qemu_words_stay_single_words(self):
        raw = self.raw()
        devices = copy.deepcopy(raw["qemu"]["devices"])
        devices[0]["args"].append("-device virtio-rng-device")
        raw["qemu"]["devices"] = devices
        self.refused(raw)


class NothingElseStatesThem(unittest.TestCase):
    def test_no_tool_imports_from_tests(self):
        """Tools may be imported by tests, never the reverse: no import of a module that lives
        under tests/ and no sys.path entry into tests/. (The QEMU runners load their case file
        from a path given on the command line; that is input, not an import.)"""
        test_modules = {os.path.splitext(os.path.basename(p))[0]
                        for p in glob.glob(os.path.join(ROOT, "tests", "**", "*.py"),
                                           recursive=True)}
        tool_modules = {os.path.splitext(os.path.basename(p))[0]
                        for p in glob.glob(os.path.join(ROOT, "tools", "*.py"))}
        offenders = []
        for path in sorted(glob.glob(os.path.join(ROOT, "tools", "*.py"))):
            with open(path) as f:
                tree = ast.parse(f.read(), path)
            rel = os.path.relpath(path, ROOT)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name.split(".")[0] for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [(node.module or "").split(".")[0]]
                elif isinstance(node, ast.Call) and "sys.path" in ast.unparse(node.func):
                    if "tests" in ast.unparse(node):
                        offenders.append(f"{rel}:{node.lineno}: {ast.unparse(node)}")
                    continue
                else:
                    continue
                for name in names:
                    if name in test_modules and name not in tool_modules:
                        offenders.append(f"{rel}:{node.lineno}: imports {name} (tests/)")
        self.assertEqual(offenders, [], "\n".join(offenders))

    def test_no_tool_or_build_file_spells_a_board_address(self):
        addresses = description_addresses()
        offenders = []
        for path in sorted(glob.glob(os.path.join(ROOT, "tools", "*.py")) +
                           glob.glob(os.path.join(ROOT, "tests", "board", "*.py")) +
                           glob.glob(os.path.join(ROOT, "tests", "compat", "*.py"))):
            with open(path, "rb") as f:
                for token in tokenize.tokenize(f.readline):
                    if token.type == tokenize.NUMBER and token.string.lower().startswith("0x") \
                            and int(token.string.replace("_", ""), 16) in addresses:
                        offenders.append(f"{os.path.relpath(path, ROOT)}:{token.start[0]}")
        build_files = (glob.glob(os.path.join(ROOT, "boards", "**", "*.mk"), recursive=True) +
                       glob.glob(os.path.join(ROOT, "boards", "**", "*.ld"), recursive=True) +
                       [os.path.join(ROOT, "Makefile"),
                        os.path.join(ROOT, "userland", "userland.mk")])
        for path in sorted(build_files):
            with open(path) as f:
                for number, line in enumerate(f, 1):
                    code = line.split("#")[0] if path.endswith(("mk", "Makefile")) else \
                        re.sub(r"/\*.*?(\*/|$)", "", line)
                    for literal in re.findall(r"\b0x[0-9a-fA-F]+\b", code):
                        if int(literal, 16) in addresses:
                            offenders.append(f"{os.path.relpath(path, ROOT)}:{number}: {literal}")
        self.assertEqual(offenders, [], "\n".join(offenders))


if __name__ == "__main__":
    unittest.main()
