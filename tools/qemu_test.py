#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Boot tockc images in QEMU and check what the board prints on its UART.

Each case of the case file (--cases, by default the QEMU suite tests/board/cases.py) names the
apps to place in app flash, patterns that must appear (in order), patterns that must not
appear, optional console input, and a timeout. The run stops as soon as every expected pattern
has been seen (after a short grace period for the forbidden ones) or when the timeout expires;
a timeout with patterns still missing fails. QEMU must still be running when the case ends
(it exits by itself only when the kernel panics, with status 1, or when QEMU fails), unless the
case names the exit status it expects (`exit_status`): then the run waits for QEMU to exit and
the status must be that one. Prints `qemu <board>: N passed, N failed` last.
The board, its kernel images and its QEMU command line come from its description
(tools/board_info.py); the case file is input, loaded from its path: no tool imports tests/.
"""
import argparse
import importlib.util
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

import board_info
import qemu_image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_CASES = os.path.join(ROOT, "tests", "board", "cases.py")


class Typist:
    """Types a case's console input: each entry (trigger pattern, text[, seconds per byte]) is
    typed `start_delay` seconds after its trigger appears in the output (an app prints its
    prompt before it starts the read, and the console drops bytes nobody is reading). With a per-byte delay the
    text goes one byte at a time, for apps that read a byte per call."""

    def __init__(self, entries, start_delay=0.3):
        self.pending = [tuple(entry) + (0,) * (3 - len(entry)) for entry in entries]
        self.start_delay = start_delay
        self.next_at = None

    def step(self, text, stdin):
        if not self.pending:
            return
        trigger, typed, per_byte = self.pending[0]
        now = time.monotonic()
        if self.next_at is None:
            if re.search(trigger, text, re.M):
                self.next_at = now + self.start_delay
            return
        if now < self.next_at:
            return
        chunk = typed if not per_byte else typed[:1]
        stdin.write(chunk.encode())
        stdin.flush()
        rest = typed[len(chunk):]
        if rest:
            self.pending[0] = (trigger, rest, per_byte)
            self.next_at = now + per_byte
        else:
            self.pending.pop(0)
            self.next_at = None


def watch(proc, case, typist, min_time=0.0, on_tick=None, poll=0.05):
    """Reads a running board's UART until the case's expected output has been seen (and at
    least `min_time` seconds passed) plus its grace period, or until its timeout; types input
    as it goes and calls on_tick(now) on every round. A case that expects QEMU to exit
    (exit_status) is read until QEMU closes its output or the timeout. Returns (text, whether
    the expected output was seen)."""
    output = b""
    start = time.monotonic()
    deadline = start + case.timeout
    done_at = None
    until_exit = expected_exit(case) is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], poll)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            output += chunk
        text = output.decode("utf-8", "replace")
        typist.step(text, proc.stdin)
        now = time.monotonic()
        if on_tick:
            on_tick(now)
        if done_at is None and case.expected_found(text) and now - start >= min_time:
            done_at = now
        if done_at is not None and not until_exit and now - done_at >= case.grace:
            break
    return output.decode("utf-8", "replace"), done_at is not None


def expected_exit(case):
    """The exit status `case` expects of QEMU, or None: QEMU must outlive the case."""
    return getattr(case, "exit_status", None)


def stop(proc):
    """Ends QEMU: returns the status it exited with by itself, or None when it was still running
    and had to be killed. Output closed means QEMU is exiting (watch reads to the end)."""
    ready, _, _ = select.select([proc.stdout], [], [], 0)
    if ready and not os.read(proc.stdout.fileno(), 4096):
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    if proc.poll() is None:
        proc.kill()
    status = proc.wait()
    return None if status == -signal.SIGKILL else status


def exit_problems(status, expected):
    """What is wrong with QEMU's exit: `status` is what stop() returned, `expected` the case's
    exit_status (None: QEMU had to be still running)."""
    if expected is None:
        if status is None:
            return []
        return [f"QEMU exited by itself with status {status} (a kernel panic exits with 1; "
                "so does a QEMU that cannot start: see its output)"]
    if status is None:
        return [f"QEMU was still running; expected it to exit with status {expected}"]
    if status != expected:
        return [f"QEMU exited with status {status}; expected {expected}"]
    return []


def run_case(board, case, workdir, verbose):
    if hasattr(case, "image"):
        image = case.image(board, workdir)
    else:
        image = qemu_image.build(board, case.apps, workdir)
    if hasattr(case, "kernel_file"):
        kernel = case.kernel_file(board, workdir)
    else:
        kernel = board.kernel_image(getattr(case, "kernel", "product"))
    cmd = board.qemu_command(image, kernel) + case.qemu_args
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    start = time.monotonic()
    try:
        text, done = watch(proc, case, Typist(case.input))
    finally:
        status = stop(proc)
    if case.figures:
        print(f"     {case.name} on {board.name}: wall time {time.monotonic() - start:.1f} s")
        for line in case.figure_lines(text):
            print(f"     {case.name} on {board.name}: {line}")
    problems = case.check(text) + exit_problems(status, expected_exit(case))
    if not done and not problems:
        problems.append(f"timed out after {case.timeout}s")
    if verbose or problems:
        print(f"---- {case.name} output ----\n{text}\n---- end ----")
    return problems


def run_suite(label, board, all_cases, only, run_one):
    """Runs the cases of `all_cases` that apply to `board` (and whose name contains `only`)
    with run_one(case, workdir) -> [problems], each reported on a line; prints
    `<label> <board>: N passed, N failed` last. Returns the exit status."""
    passed = failed = 0
    with tempfile.TemporaryDirectory() as workdir:
        for case in all_cases:
            if only and only not in case.name:
                continue
            if board.name in case.skip_boards:
                continue
            if hasattr(case, "for_board"):
                case = case.for_board(board.name)
            try:
                problems = run_one(case, workdir)
            except (RuntimeError, OSError, subprocess.CalledProcessError) as err:
                problems = [str(err)]
            if problems:
                failed += 1
                print(f"FAIL {label} {board.name} {case.name}:")
                for problem in problems:
                    print(f"     {problem}")
            else:
                passed += 1
                print(f"ok   {label} {board.name} {case.name}")
    print(f"{label} {board.name}: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def load_case_file(path):
    """The case file at `path` as a module (its CASES and SOAK_CASES lists)."""
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise SystemExit(f"not a Python case file: {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", required=True, choices=board_info.names())
    parser.add_argument("--cases", default=DEFAULT_CASES,
                        help="the case file (default: tests/board/cases.py)")
    parser.add_argument("-k", dest="only", help="run cases whose name contains this")
    parser.add_argument("-v", action="store_true", help="show every case's output")
    parser.add_argument("--soak", action="store_true",
                        help="run the long campaigns (SOAK_CASES) instead of CASES")
    args = parser.parse_args()
    board = board_info.load(args.board)
    cases = load_case_file(args.cases)
    label, all_cases = ("soak", cases.SOAK_CASES) if args.soak else ("qemu", cases.CASES)
    return run_suite(label, board, all_cases, args.only,
                     lambda case, workdir: run_case(board, case, workdir, args.v))


if __name__ == "__main__":
    sys.exit(main())
