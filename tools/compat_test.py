#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Run the libtock-c conformance corpus on a tockc board in QEMU.

The corpus (real, unmodified libtock-c apps packed as elf2tab packs them, with a README that
says what each must show) lives outside this repository; by default it is looked for at
`../shared/compat` beside the checkout (`--corpus` or $TOCKC_COMPAT override that). The cases
(--cases, by default tests/compat/corpus_cases.py, loaded from its path) name which corpus apps
boot together; this runner places them with tools/mkimage.py (on boards with fixed-address
slots the i-th app uses the corpus build made for the board's i-th slot, board.json), boots
them with the board's QEMU command line (tools/board_info.py), types console input, samples the
LEDs where a case looks at them, and checks the output. Each case counts once; the last line is
`compat <board>: N passed, N failed`. Without a corpus it says so in one line and counts
nothing.
"""
import argparse
import os
import subprocess
import sys
import time

import board_info
import led_probe
import qemu_image
import qemu_test

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_CASES = os.path.join(ROOT, "tests", "compat", "corpus_cases.py")

# Console bytes that arrive while no read is outstanding are dropped (as in Tock): an app is
# given this long after its trigger line (the kernel's "loaded" line, or its prompt) to start
# its first read, which covers the boards' boot work before the first process runs.
TYPING_START_DELAY = 1.0
DEFAULT_CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "compat")


def corpus_tbf(corpus, board, app, index):
    """The corpus build of `app` for position `index` (0-based) on `board`: the build named
    for slot index+1's binary and RAM addresses where the board has fixed-address slots
    (libtock-c's `<arch>.<flash>.<ram>.tbf`), else the one position-independent build."""
    folder = os.path.join(corpus, "apps", app)
    if board.slots:
        if index >= len(board.slots):
            raise RuntimeError(f"{app}: only {len(board.slots)} {board.name} slots exist")
        slot = board.slots[index]
        path = os.path.join(folder, f"{board.apps_arch}.{slot.binary:#x}.{slot.ram:#x}.tbf")
    else:
        path = os.path.join(folder, f"{board.apps_arch}.tbf")
    if not os.path.exists(path):
        raise RuntimeError(f"corpus file missing: {path}")
    return path


def build_image(corpus, board, apps, workdir):
    tbfs = [corpus_tbf(corpus, board, app, i) for i, app in enumerate(apps)]
    return qemu_image.pack(board, tbfs, os.path.join(workdir, "compat.bin"))


def run_case(corpus, board, case, workdir, verbose):
    image = build_image(corpus, board, case.apps, workdir)
    cmd = board.qemu_command(image, board.kernel) + case.qemu_args
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
        status = qemu_test.stop(proc)
    problems = case.full_check(text, samples) + qemu_test.exit_problems(
        status, qemu_test.expected_exit(case))
    if not done and not problems:
        problems.append(f"timed out after {case.timeout}s")
    if verbose or problems:
        print(f"---- {case.name} output ----\n{text}\n---- end ----")
        if samples:
            print(f"---- LED samples: {samples}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", required=True, choices=board_info.names())
    parser.add_argument("--corpus", default=os.environ.get("TOCKC_COMPAT", DEFAULT_CORPUS))
    parser.add_argument("--cases", default=DEFAULT_CASES,
                        help="the case file (default: tests/compat/corpus_cases.py)")
    parser.add_argument("-k", dest="only", help="run cases whose name contains this")
    parser.add_argument("-v", action="store_true", help="show every case's output")
    args = parser.parse_args()
    board = board_info.load(args.board)
    if not os.path.isdir(os.path.join(args.corpus, "apps")):
        print(f"compat {board.name}: no libtock-c corpus at {args.corpus}; nothing run")
        print(f"compat {board.name}: 0 passed, 0 failed")
        return 0
    cases = qemu_test.load_case_file(args.cases).CASES
    return qemu_test.run_suite("compat", board, cases, args.only,
                               lambda case, workdir: run_case(args.corpus, board, case, workdir,
                                                              args.v))

if __name__ == "__main__":
    sys.exit(main())
