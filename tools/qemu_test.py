#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Boot tockc images in QEMU and check what the board prints on its UART.

Each case (tests/board/cases.py) names the apps to place in app flash, patterns that must
appear (in order), patterns that must not appear, optional console input, and a timeout. The
run stops as soon as every expected pattern has been seen (after a short grace period for the
forbidden ones) or when the timeout expires; a timeout with patterns still missing fails.
Prints `qemu <board>: N passed, N failed` last.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "board"))

import boards  # noqa: E402  (tests/board/boards.py)
import cases  # noqa: E402  (tests/board/cases.py)
import qemu_image  # noqa: E402  (tests/board/qemu_image.py)


def run_case(board, case, workdir, verbose):
    if hasattr(case, "image"):
        image = case.image(board, workdir)
    else:
        image = qemu_image.build(board, case.apps, workdir)
    cmd = board.qemu_command(image) + case.qemu_args
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    output = b""
    deadline = time.monotonic() + case.timeout
    pending_input = list(case.input)
    done_at = None
    typed_at = None
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.05)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                output += chunk
            text = output.decode("utf-8", "replace")
            # Type each input 0.3 s after its trigger appears: the app prints its prompt
            # before it starts the read, and the console drops bytes nobody is reading.
            if pending_input and re.search(pending_input[0][0], text):
                if typed_at is None:
                    typed_at = time.monotonic() + 0.3
                elif time.monotonic() >= typed_at:
                    proc.stdin.write(pending_input[0][1].encode())
                    proc.stdin.flush()
                    pending_input.pop(0)
                    typed_at = None
            if done_at is None and case.expected_found(text):
                done_at = time.monotonic()
            if done_at is not None and time.monotonic() - done_at >= case.grace:
                break
    finally:
        proc.kill()
        proc.wait()
    text = output.decode("utf-8", "replace")
    problems = case.check(text)
    if done_at is None and not problems:
        problems.append(f"timed out after {case.timeout}s")
    if verbose or problems:
        print(f"---- {case.name} output ----\n{text}\n---- end ----")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", required=True)
    parser.add_argument("-k", dest="only", help="run cases whose name contains this")
    parser.add_argument("-v", action="store_true", help="show every case's output")
    args = parser.parse_args()
    board = boards.BOARDS[args.board]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as workdir:
        for case in cases.CASES:
            if args.only and args.only not in case.name:
                continue
            if board.name in case.skip_boards:
                continue
            if hasattr(case, "for_board"):
                case = case.for_board(board.name)
            try:
                problems = run_case(board, case, workdir, args.v)
            except (RuntimeError, subprocess.CalledProcessError) as err:
                problems = [str(err)]
            if problems:
                failed += 1
                print(f"FAIL qemu {board.name} {case.name}:")
                for p in problems:
                    print(f"     {p}")
            else:
                passed += 1
                print(f"ok   qemu {board.name} {case.name}")
    print(f"qemu {board.name}: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
