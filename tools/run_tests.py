#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Run every tockc test suite and print one summary line: `N passed, N failed`.

Suites: host unit tests (cmocka binaries, plain and ASan/UBSan builds), the host tools' Python
tests, the QEMU integration tests of each board, the libtock-c conformance corpus on each
board (tools/compat_test.py), a bounded run of each libFuzzer harness (tests/fuzz/), and the
benchmark check (tools/bench.py: no figure over its baseline by more than 1% or over a met
budget; instruction counts are exact, so this is not a timed test).
Each suite's own output is shown; a crash, a timeout or a missing summary counts as a failure,
never as a pass.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test")
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test")
FUZZ_RUNS = 20000
FUZZ_TIMEOUT_S = 300


def run_unit(binary):
    """Returns (passed, failed) for one cmocka binary."""
    try:
        proc = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=120, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        print(f"FAIL {binary}: timed out")
        return 0, 1
    out = proc.stdout
    passed = sum(int(m.group(1)) for m in map(CMOCKA_PASSED.match, out.splitlines()) if m)
    failed = sum(int(m.group(1)) for m in map(CMOCKA_FAILED.match, out.splitlines()) if m)
    if proc.returncode != 0 and failed == 0:
        failed = 1  # crashed or a sanitizer stopped it
    if passed + failed == 0:
        failed = 1
    status = "ok" if failed == 0 else "FAIL"
    print(f"{status:4} {os.path.relpath(binary, ROOT)}: {passed} passed, {failed} failed")
    if failed:
        print(out)
    return passed, failed


def run_tools_tests():
    """The host tools' Python tests: tests/tools/ and bench/ (tools/bench.py), one unittest
    discovery each; returns the summed (passed, failed)."""
    passed = failed = 0
    for where, pattern in (("tests/tools", "test*.py"), ("bench", "test_*.py")):
        proc = subprocess.run([sys.executable, "-m", "unittest", "discover", "-s", where, "-p",
                               pattern, "-v"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=600)
        out = proc.stdout
        ran = re.search(r"^Ran (\d+) test", out, re.M)
        total = int(ran.group(1)) if ran else 0
        bad = re.search(r"^FAILED \((.*)\)", out, re.M)
        step_failed = 0
        if bad:
            for part in bad.group(1).split(","):
                key, _, value = part.strip().partition("=")
                if key in ("failures", "errors"):
                    step_failed += int(value)
        if proc.returncode != 0 and step_failed == 0:
            step_failed = 1
        step_passed = max(total - step_failed, 0)
        if total == 0:
            step_failed = max(step_failed, 1)
        status = "ok" if step_failed == 0 else "FAIL"
        print(f"{status:4} tools tests ({where}): {step_passed} passed, {step_failed} failed")
        if step_failed:
            print(out)
        passed, failed = passed + step_passed, failed + step_failed
    return passed, failed


def run_board_suite(script, label, board):
    """One board's suite run by tools/<script> (QEMU cases, or the libtock-c corpus), which
    prints `<label> <board>: N passed, N failed` last; returns (passed, failed)."""
    proc = subprocess.run([sys.executable, os.path.join(HERE, script), "--board", board],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(proc.stdout, end="")
    m = re.search(rf"^{label} (\S+): (\d+) passed, (\d+) failed", proc.stdout, re.M)
    if not m:
        print(f"FAIL {label} {board}: runner gave no summary (exit {proc.returncode})")
        return 0, 1
    passed, failed = int(m.group(2)), int(m.group(3))
    if proc.returncode != 0 and failed == 0:
        failed = 1
    return passed, failed


def run_fuzz(binary):
    """Runs one libFuzzer harness for FUZZ_RUNS inputs over its seed corpus
    (tests/fuzz/corpus/<name>/); it counts as 1 passed or 1 failed by exit status.
    New inputs go to a temporary directory, so the committed seeds are never rewritten."""
    binary = os.path.abspath(binary)
    name = os.path.basename(binary)
    seeds = os.path.join(ROOT, "tests", "fuzz", "corpus", name)
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as work:
        cmd = [binary, f"-runs={FUZZ_RUNS}", f"-artifact_prefix={work}/", work, seeds]
        try:
            proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, errors="replace",
                                  timeout=FUZZ_TIMEOUT_S)
            out, ok = proc.stdout, proc.returncode == 0
        except subprocess.TimeoutExpired as exc:
            partial = exc.stdout or ""
            if isinstance(partial, bytes):
                partial = partial.decode(errors="replace")
            out, ok = partial + "\ntimeout\n", False
    lines = [line for line in out.splitlines() if line.strip()]
    coverage = [line for line in lines if " cov: " in line]
    status = "ok" if ok else "FAIL"
    print(f"{status:4} fuzz {os.path.relpath(binary, ROOT)}: "
          f"{coverage[-1] if coverage else 'no coverage line'} / "
          f"{lines[-1] if lines else 'no output'}")
    if not ok:
        print("\n".join(lines[-40:]))
    return (1, 0) if ok else (0, 1)


def run_bench(boards):
    """`make bench`'s check on these boards (tools/bench.py: exact instruction counts against
    the committed baseline and bench/budget.json); one passed or failed per board, from the
    `bench <board>: ok|FAIL` lines it prints."""
    cmd = [sys.executable, os.path.join(HERE, "bench.py")]
    for board in boards:
        cmd += ["--board", board]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    print(proc.stdout, end="")
    passed = failed = 0
    for board in boards:
        m = re.search(rf"^bench {re.escape(board)}: (ok|FAIL)$", proc.stdout, re.M)
        if m and m.group(1) == "ok":
            passed += 1
        else:
            print(f"FAIL bench {board}")
            failed += 1
    if proc.returncode != 0 and failed == 0:
        failed = 1
    return passed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--unit", nargs="*", default=[], help="cmocka test binaries")
    parser.add_argument("--tools", action="store_true", help="run the tools' Python tests")
    parser.add_argument("--board", action="append", default=[], help="QEMU board to test")
    parser.add_argument("--compat", action="append", default=[],
                        help="board to run the libtock-c conformance corpus on")
    parser.add_argument("--fuzz", nargs="*", default=[],
                        help="libFuzzer harness binaries, run for a bounded number of inputs")
    parser.add_argument("--bench", action="append", default=[],
                        help="board whose benchmark figures must hold the baseline and budgets")
    args = parser.parse_args()
    passed = failed = 0
    for binary in args.unit:
        p, f = run_unit(binary)
        passed, failed = passed + p, failed + f
    if args.tools:
        p, f = run_tools_tests()
        passed, failed = passed + p, failed + f
    for board in args.board:
        p, f = run_board_suite("qemu_test.py", "qemu", board)
        passed, failed = passed + p, failed + f
    for board in args.compat:
        p, f = run_board_suite("compat_test.py", "compat", board)
        passed, failed = passed + p, failed + f
    for binary in args.fuzz:
        p, f = run_fuzz(binary)
        passed, failed = passed + p, failed + f
    if args.bench:
        p, f = run_bench(args.bench)
        passed, failed = passed + p, failed + f
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
