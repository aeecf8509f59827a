#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Run the libtock-c conformance corpus on a tockc board in QEMU.

The corpus (real, unmodified libtock-c apps packed as elf2tab packs them, with a README that
says what each must show) lives outside this repository; by default it is looked for at
`../shared/compat` beside the checkout (`--corpus` or $TOCKC_COMPAT override that). The cases
(tests/compat/corpus_cases.py) name which corpus apps boot together; this runner places them with
tools/mkimage.py (on RISC-V the i-th app uses the fixed-address build made for the board's i-th
app slot), boots them with the board's QEMU command line, types console input, samples the LEDs
where a case looks at them, and checks the output. Each case counts once; the last line is
`compat <board>: N passed, N failed`. Without a corpus it says so in one line and counts
nothing.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "board"))
sys.path.insert(0, os.path.join(ROOT, "tests", "compat"))

import boards  # noqa: E402  (tests/board/boards.py)
import led_probe  # noqa: E402  (tests/compat/led_probe.py)
import qemu_test  # noqa: E402  (tools/qemu_test.py)
from corpus_cases import CASES  # noqa: E402  (tests/compat/corpus_cases.py)

# Console bytes that arrive while no read is outstanding are dropped (as in Tock): an app is
# given this long after its trigger line (the kernel's "loaded" line, or its prompt) to start
# its first read, which covers the boards' boot work before the first process runs.
TYPING_START_DELAY = 1.0
DEFAULT_CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "compat")
# The fixed-address builds in the corpus, one per tockc virt app slot, in slot order:
# (TBF binary address, RAM address).
RISCV_SLOT_BUILDS = [(0x80100080, 0x80300000), (0x80110080, 0x80310000),
                     (0x80130080, 0x80330000), (0x80180080, 0x80380000)]


def corpus_tbf(corpus, board, app, index):
    folder = os.path.join(corpus, "apps", app)
    if board.arch == "riscv":
        if index >= len(RISCV_SLOT_BUILDS):
            raise RuntimeError(f"{app}: only {len(RISCV_SLOT_BUILDS)} RISC-V slots exist")
        flash, ram = RISCV_SLOT_BUILDS[index]
        path = os.path.join(folder, f"rv32imac.{flash:#x}.{ram:#x}.tbf")
    else:
        path = os.path.join(folder, "cortex-m3.tbf")
    if not os.path.exists(path):
        raise RuntimeError(f"corpus file missing: {path}")
    return path


def build_image(corpus, board, apps, workdir):
    image = os.path.join(workdir, "compat.bin")
    tbfs = [corpus_tbf(corpus, board, app, i) for i, app in enumerate(apps)]
    cmd = [sys.executable, os.path.join(HERE, "mkimage.py"), "--arch", board.arch,
           "--flash-start", hex(board.app_flash), "--flash-size", hex(board.app_flash_size),
           "-o", image] + tbfs
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"mkimage failed: {proc.stdout.strip()}")
    return image


def run_case(corpus, board, case, workdir, verbose):
    image = build_image(corpus, board, case.apps, workdir)
    cmd = board.qemu_command(image) + case.qemu_args
    probe = None
    if case.leds:
        socket_path = os.path.join(workdir, "qmp.sock")
        if os.path.exists(socket_path):
            os.remove(socket_path)
        cmd += led_probe.LedProbe.qemu_args(socket_path)
        probe = led_probe.LedProbe(board, socket_path)
    proc = subprocess.Popen(cmd, cwd=workdir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    samples = []
    next_sample = [time.monotonic()]

    def sample_leds(now):
        if probe and now >= next_sample[0]:
            samples.append(probe.sample())
            next_sample[0] = now + case.leds

    try:
        if probe:
            probe.connect()
        text, done = qemu_test.watch(proc, case, qemu_test.Typist(case.input, TYPING_START_DELAY),
                                     min_time=case.duration, on_tick=sample_leds, poll=0.02)
    finally:
        if probe:
            probe.close()
        proc.kill()
        proc.wait()
    problems = case.full_check(text, samples)
    if not done and not problems:
        problems.append(f"timed out after {case.timeout}s")
    if verbose or problems:
        print(f"---- {case.name} output ----\n{text}\n---- end ----")
        if samples:
            print(f"---- LED samples: {samples}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", required=True, choices=sorted(boards.BOARDS))
    parser.add_argument("--corpus", default=os.environ.get("TOCKC_COMPAT", DEFAULT_CORPUS))
    parser.add_argument("-k", dest="only", help="run cases whose name contains this")
    parser.add_argument("-v", action="store_true", help="show every case's output")
    args = parser.parse_args()
    board = boards.BOARDS[args.board]
    if not os.path.isdir(os.path.join(args.corpus, "apps")):
        print(f"compat {board.name}: no libtock-c corpus at {args.corpus}; nothing run")
        print(f"compat {board.name}: 0 passed, 0 failed")
        return 0
    return qemu_test.run_suite("compat", board, CASES, args.only,
                               lambda case, workdir: run_case(args.corpus, board, case, workdir,
                                                              args.v))

if __name__ == "__main__":
    sys.exit(main())
