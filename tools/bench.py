#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""`make bench`: deterministic instruction counts and sizes of tockc, per board.

For each board this boots four images of benchmark apps (userland/bench/) in QEMU with
`-icount shift=0,align=off,sleep=off` and the insn_count plugin (bench/plugin/insn_count.c), which
reports how many guest instructions had executed when each marker label in the apps was reached
(and at every `wfi`). Figures are differences of those counts, so they are exact and identical run
after run. The apps also time loops with the alarm driver's counter; those timer figures must
agree with the plugin's (a cross-check of the method). Sizes come from `size`, the kernel's DWARF
(struct process) and the apps' own kernel-break readings (grant bytes per driver).

Writes bench/results/<board>.json, prints a table per board and the change against the committed
baseline (git HEAD:bench/baseline.json, else the working-tree file). --update-baseline rewrites
bench/baseline.json from this run (commit it to move the baseline). --profile FIGURE prints where
that figure's instructions go, per function. See bench/README.md.

Usage: tools/bench.py --board qemu_mps2_an385 --board qemu_rv32_virt [--build build]
       [--update-baseline] [--profile FIGURE [--trace]] [-v]
Exit status: 0 if every board ran, every figure has a value and none regressed: more than 1%
over the committed baseline (with --update-baseline such changes are reported and accepted), or
over a ceiling in bench/budget.json that the baseline already meets (never accepted: budgets
ratchet). 1 otherwise, and then --update-baseline writes nothing.

Invariants: nothing that depends on the host (time, paths, load) enters the JSON, so two runs on
the same build give byte-identical results; a figure the run could not measure is reported as a
problem, never guessed.
"""
import argparse
import bisect
import collections
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import board_info  # noqa: E402  (tools/board_info.py)
import elf  # noqa: E402  (tools/elf.py)
import qemu_image  # noqa: E402  (tools/qemu_image.py)
import stack_depth  # noqa: E402  (tools/stack_depth.py)
import tbf  # noqa: E402  (tools/tbf.py)

BENCH_DIR = os.path.join(ROOT, "bench")
PLUGIN_SRC = os.path.join(BENCH_DIR, "plugin", "insn_count.c")
BASELINE = os.path.join(BENCH_DIR, "baseline.json")
BUDGET = os.path.join(BENCH_DIR, "budget.json")
# A figure may grow by at most this fraction over the committed baseline (counts are exact, so
# anything above it is a real change in the code path; --update-baseline accepts it).
REGRESSION_TOLERANCE = 0.01
ICOUNT = "shift=0,align=off,sleep=off"
NO_IPC = "n/a (no IPC yet)"
NO_MSG = "n/a (no message IPC)"
RESET = None  # span start: the machine's reset (instruction count 0)
WFI = "wfi"   # span start: the instruction after the last `wfi`

# Which apps boot together, and the console lines that say they are finished.
SCENARIOS = {
    "syscall": (["bench_syscall"], ["bench bench_syscall done"]),
    "switch": (["bench_switch_a", "bench_switch_b"],
               ["bench bench_switch_a done", "bench bench_switch_b done"]),
    "ipc": (["bench_ipc_service", "bench_ipc_client"], ["bench bench_ipc_client done"]),
    "msg": (["bench_msg_service", "bench_msg_client"], ["bench bench_msg_client done"]),
    "mq": (["bench_mq_b", "bench_mq_a"], ["bench bench_mq_a done"]),
}

S, A, B = "bench_syscall:", "bench_switch_a:", "bench_switch_b:"
C, V = "bench_ipc_client:", "bench_ipc_service:"
MC, MV = "bench_msg_client:", "bench_msg_service:"
QA, QB = "bench_mq_a:", "bench_mq_b:"
# figure: (scenario, start marker, end marker, marker that must precede the start). The count
# is from the last start before the last end (inclusive) to that end (exclusive).
SPANS = {
    "boot": ("syscall", RESET, S + "_start", None),
    "null_command": ("syscall", S + "null_command_svc", S + "null_command_ret", None),
    "yield_no_wait": ("syscall", S + "yield_no_wait_svc", S + "yield_no_wait_ret", None),
    "missing_driver_command": ("syscall", S + "raw_missing_svc", S + "raw_missing_ret", None),
    "subscribe": ("syscall", S + "subscribe_svc", S + "subscribe_ret", None),
    "upcall_command": ("syscall", S + "trigger_svc", S + "trigger_ret", None),
    "yield_to_upcall": ("syscall", S + "yield_wait_svc", S + "upcall_first", None),
    "context_switch": ("switch", A + "switch_yield_svc", B + "switch_upcall_first", None),
    "alarm_latency": ("syscall", WFI, S + "alarm_upcall_first", S + "alarm_yield_svc"),
    "ipc_round_trip": ("ipc", C + "ipc_client_notify_svc", C + "ipc_client_upcall_first", None),
    "ipc_notify": ("ipc", C + "ipc_client_notify_svc", C + "ipc_client_notify_ret", None),
    "ipc_to_service": ("ipc", C + "ipc_client_yield_svc", V + "ipc_service_upcall_first", None),
    "ipc_to_client": ("ipc", V + "ipc_service_yield_svc", C + "ipc_client_upcall_first", None),
    "msg_round_trip": ("msg", MC + "msg_client_send_svc", MC + "msg_client_reply_first", None),
    "msg_send": ("msg", MC + "msg_client_send_svc", MC + "msg_client_send_ret", None),
    "msg_to_service": ("msg", MC + "msg_client_wait_svc", MV + "msg_service_recv_first", None),
    "msg_reply": ("msg", MV + "msg_service_reply_svc", MV + "msg_service_reply_ret", None),
    "msg_to_client": ("msg", MV + "msg_service_wait_svc", MC + "msg_client_reply_first", None),
    "mq_round_trip": ("mq", QA + "mq_a_send_svc", QA + "mq_a_recv_first", None),
    "mq_send": ("mq", QA + "mq_a_send_svc", QA + "mq_a_send_ret", None),
}
SUM_OF_THREE = ("subscribe", "upcall_command", "yield_to_upcall")
IPC_FIGURES = ("ipc_round_trip", "ipc_notify", "ipc_to_service", "ipc_to_client")
MSG_FIGURES = ("msg_round_trip", "msg_send", "msg_to_service", "msg_reply", "msg_to_client")
MQ_FIGURES = ("mq_round_trip", "mq_send")
NO_MQ = "n/a (no message queues)"
# scenario: (console line of an app that found its driver missing, value for its figures,
# the figures)
ABSENT = {"ipc": ("bench ipc absent", NO_IPC, IPC_FIGURES),
          "msg": ("bench ipc_msg absent", NO_MSG, MSG_FIGURES),
          "mq": ("bench ipc_queue absent", NO_MQ, MQ_FIGURES)}
# Console text that ends a run early: a failure, or a scenario saying its driver is absent.
STOP_LINES = "|".join(["FAIL", "kernel panic", "kernel fault"] +
                      [re.escape(line) for line, _, _ in ABSENT.values()])
# The measured SEND must find the service armed: its last marker before the SEND is the
# yield-wait-for after RECV (else the SEND only queued the call and the figures mean less).
MSG_ARMED = ("msg_round_trip", MV, MV + "msg_service_wait_svc")
# Likewise the measured queue SEND must find bench_mq_b armed and waiting (a direct copy).
MQ_ARMED = ("mq_round_trip", QB, QB + "mq_b_wait_svc")

# (key, description, unit). Instruction figures first, then sizes.
FIGURES = [
    ("boot", "boot: reset -> first app instruction", "insn"),
    ("null_command", "null command round trip (svc -> kernel -> app)", "insn"),
    ("yield_no_wait", "yield-no-wait, nothing pending", "insn"),
    ("missing_driver_command", "raw loop: command to a missing driver (svc -> app)", "insn"),
    ("subscribe", "  subscribe (alarm, replace upcall)", "insn"),
    ("upcall_command", "  command queueing an upcall (alarm set, dt 0)", "insn"),
    ("yield_to_upcall", "  yield-wait -> upcall's first instruction", "insn"),
    ("subscribe_command_upcall", "subscribe + command + yield -> upcall (sum of 3)", "insn"),
    ("context_switch", "context switch: yield-wait -> other process's upcall", "insn"),
    ("alarm_latency", "alarm: CPU wake-up (after wfi) -> upcall", "insn"),
    ("ipc_round_trip", "IPC round trip: notify -> service -> notify -> client", "insn"),
    ("ipc_notify", "  IPC notify command", "insn"),
    ("ipc_to_service", "  client yield-wait -> service upcall", "insn"),
    ("ipc_to_client", "  service yield-wait -> client upcall", "insn"),
    ("msg_round_trip", "message IPC round trip: SEND -> service, REPLY_RECV -> client", "insn"),
    ("msg_send", "  SEND command (copies to the waiting service)", "insn"),
    ("msg_to_service", "  client yield-wait-for -> service's RECV event", "insn"),
    ("msg_reply", "  REPLY_RECV command (copies to the client, re-arms)", "insn"),
    ("msg_to_client", "  service yield-wait-for -> client's REPLY event", "insn"),
    ("mq_round_trip", "message queue round trip: SEND -> owner B, B's SEND -> owner A", "insn"),
    ("mq_send", "  queue SEND command (copies to the armed owner)", "insn"),
    ("timer_null_command", "cross-check: null command by the alarm timer", "insn"),
    ("timer_yield_no_wait", "cross-check: yield-no-wait by the alarm timer", "insn"),
    ("kernel_text", "kernel text (code + rodata)", "bytes"),
    ("kernel_text_core", "kernel text, CONFIG=core (kernel, alarm, console, LEDs, debug)",
     "bytes"),
    ("kernel_data", "kernel data", "bytes"),
    ("kernel_stack_worst", "kernel stack, worst computed depth (tools/stack_depth.py)", "bytes"),
    ("kernel_bss", "kernel bss", "bytes"),
    ("process_struct", "per process: struct process (PCB) in kernel RAM", "bytes"),
    ("process_upcall_queue", "  of which upcall queue", "bytes"),
    ("process_grant_table", "  of which grant table (pointers + entered bits)", "bytes"),
    ("process_context", "  of which saved registers (arch_context)", "bytes"),
    ("process_mpu", "  of which MPU/PMP configuration (arch_mpu)", "bytes"),
    ("process_table", "process table (struct process x slots)", "bytes"),
]
GRANT_PREFIX = "grant_"


class BenchError(Exception):
    pass


# ---- tools -------------------------------------------------------------------------------------

def run_tool(cmd):
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    except (OSError, subprocess.CalledProcessError) as err:
        raise BenchError(f"{' '.join(cmd)} failed: {err}") from None


def build_plugin(build_dir):
    out = os.path.join(build_dir, "bench", "insn_count.so")
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(PLUGIN_SRC):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cc = os.environ.get("HOST_CC", "gcc")
    run_tool([cc, "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
              "-fvisibility=hidden", "-o", out, PLUGIN_SRC])
    return out


def qemu_version(binary):
    text = run_tool([binary, "--version"])
    m = re.search(r"version (\S+)", text)
    return m.group(1) if m else "unknown"


# ---- running an image --------------------------------------------------------------------------

class Bench:
    def __init__(self, board, build_dir, plugin, timeout, verbose):
        self.board = board
        self.plugin = plugin
        self.timeout = timeout
        self.verbose = verbose
        self.build_dir = build_dir
        self.kernel = board.kernel_image("product", build_dir)
        self.core_kernel = board.kernel_image("core", build_dir)
        self.riscv = board.arch == "riscv"
        self.qemu_binary = board.qemu_binary

    def app_file(self, app, slot, ext):
        path = self.board.app_file(app, slot, ext, self.build_dir)
        if not os.path.exists(path):
            raise BenchError(f"missing {path} (run `make BOARD={self.board.name} apps`)")
        return path

    def build_image(self, apps, workdir):
        tbfs = [self.app_file(app, slot, "tbf") for slot, app in enumerate(apps, start=1)]
        try:
            return qemu_image.pack(self.board, tbfs, os.path.join(workdir, "apps.bin"))
        except (OSError, RuntimeError) as err:
            raise BenchError(str(err)) from None

    def markers(self, apps, image):
        """{runtime address: "app:name"} for every bench_mark_* label and each app's _start.
        An app's labels keep their distance from _start, which the kernel enters at the TBF's
        init_fn_offset (Cortex-M apps are position independent; RISC-V ones are checked to be
        linked where they were placed)."""
        with open(image, "rb") as f:
            placed = {a.header.package_name: a for a in tbf.iter_image(f.read())
                      if not a.is_padding}
        marks = {}
        for slot, app in enumerate(apps, start=1):
            with open(self.app_file(app, slot, "elf"), "rb") as f:
                app_elf = elf.parse(f.read())
            if app not in placed:
                raise BenchError(f"{app} is not in the image")
            header = placed[app].header
            entry = (self.board.app_flash.start + placed[app].offset + header.header_size +
                     header.init_fn_offset) & ~1
            start = app_elf.symbol_value("_start")
            if start is None:
                raise BenchError(f"{app}: no _start symbol")
            start &= ~1
            if self.riscv and start != entry:
                raise BenchError(f"{app}: linked for 0x{start:08x} but placed at 0x{entry:08x}")
            names = {"_start": start}
            for sym in app_elf.symbols:
                if sym.name.startswith("bench_mark_"):
                    names[sym.name[len("bench_mark_"):]] = sym.value & ~1
            for name, value in names.items():
                marks[entry + (value - start)] = f"{app}:{name}"
        return marks

    def run(self, scenario, workdir, trace=None):
        """Boot the scenario's image until its apps are done. Returns (console text, events,
        missing done-lines, trace). events: [(instructions before, marker name or WFI)];
        trace (with trace=(start, end) marker names): [(event index, address)]."""
        apps, done_lines = SCENARIOS[scenario]
        image = self.build_image(apps, workdir)
        marks = self.markers(apps, image)
        by_name = {name: address for address, name in marks.items()}
        report = os.path.join(workdir, f"{scenario}.marks")
        arg = (f"{self.plugin},out={report},arch={'riscv' if self.riscv else 'arm'},"
               f"marks={':'.join(f'{a:x}' for a in sorted(marks))}")
        if trace:
            arg += f",trace={by_name.get(trace[0], 0):x}:{by_name[trace[1]]:x}"
        cmd = self.board.qemu_command(image, self.kernel)
        cmd += ["-icount", ICOUNT, "-plugin", arg]
        if self.verbose:
            print("  $ " + " ".join(cmd))
        text = self.console(cmd, done_lines)
        if self.verbose:
            print(text)
        events, traced = [], []
        if os.path.exists(report):
            with open(report) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3 and parts[0] == "M":
                        events.append((int(parts[2]), marks.get(int(parts[1], 16), parts[1])))
                    elif len(parts) == 2 and parts[0] == "W":
                        events.append((int(parts[1]), WFI))
                    elif len(parts) == 2 and parts[0] == "T":
                        traced.append((len(events) - 1, int(parts[1], 16)))
        missing = [line for line in done_lines if line not in text]
        return text, events, missing, traced

    def console(self, cmd, done_lines):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        output = b""
        deadline = time.monotonic() + self.timeout
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([proc.stdout], [], [], 0.05)
                if ready:
                    chunk = os.read(proc.stdout.fileno(), 4096)
                    if not chunk:
                        break
                    output += chunk
                text = output.decode("utf-8", "replace")
                if all(line in text for line in done_lines) or \
                        re.search(STOP_LINES, text):
                    break
        finally:
            # SIGKILL: under -icount sleep=off an idle guest keeps QEMU's main loop too busy
            # to act on SIGTERM.
            proc.kill()
            proc.wait()
        return output.decode("utf-8", "replace")


# ---- figures -----------------------------------------------------------------------------------

def span_indices(events, start, end, after=None):
    """(start index, end index) of the last `end` and the last `start` before it, or None. With
    `after`, the start must come after the last `after` before the end. For RESET: (-1, the
    first `end`)."""
    ends = [i for i, (_, name) in enumerate(events) if name == end]
    if not ends:
        return None
    if start is RESET:
        return -1, ends[0]
    last = ends[-1]
    for i in range(last - 1, -1, -1):
        if events[i][1] == after:
            return None
        if events[i][1] == start:
            return i, last
    return None


def span(events, start, end, after=None):
    """Instructions from `start` (inclusive; after it for WFI; 0 for RESET) to `end`
    (exclusive); see span_indices."""
    found = span_indices(events, start, end, after)
    if found is None:
        return None
    i, j = found
    begin = 0 if i < 0 else events[i][0] + (1 if start == WFI else 0)
    return events[j][0] - begin


def last_marker(events, before, prefix):
    """Name of the last event before index `before` whose name starts with `prefix`, or None."""
    for i in range(before - 1, -1, -1):
        if events[i][1].startswith(prefix):
            return events[i][1]
    return None


def check_armed(events, figure, prefix, armed):
    """None if, just before `figure`'s span starts, the last marker of the app `prefix` was
    `armed` (the other side was already waiting); else a problem line."""
    _, start, end, after = SPANS[figure]
    found = span_indices(events, start, end, after)
    if found is None:
        return None  # no span: reported as a missing figure
    last = last_marker(events, found[0], prefix)
    if last == armed:
        return None
    return (f"{figure}: {prefix[:-1]} was not waiting at {armed.split(':')[1]} when the span "
            f"started (its last marker: {last})")


def timer_figure(timers, name, hz):
    """Instructions per op from `bench timer` lines: ticks of N iterations of the op loop minus
    ticks of the same loop without the op, times instructions per tick (1e9 / hz: one
    instruction is one nanosecond at -icount shift=0), / N. Rounded to 0.1 (the error is below
    2 ticks / N, 0.03 instructions)."""
    if name not in timers or "empty" not in timers or not hz:
        return None
    n, ticks = timers[name]
    n_empty, ticks_empty = timers["empty"]
    if n != n_empty:
        return None
    return round((ticks - ticks_empty) * (1e9 / hz) / n, 1)


def parse_syscall_lines(text):
    """(grant bytes per driver name, padding, alarm frequency, {loop: (N, ticks)}) from
    bench_syscall. The kernel allocates a grant below the break rounded down to 8 bytes, so a
    grant's bytes are counted from the rounded break; `padding` is what the rounding took
    (from the first grant allocated, when the process's break started misaligned)."""
    grants, padding, hz, timers = {}, 0, None, {}
    for line in text.splitlines():
        f = line.split()
        if len(f) == 5 and f[:2] == ["bench", "grant"] and f[4] == "absent":
            grants[f[2]] = None
        elif len(f) == 6 and f[:2] == ["bench", "grant"]:
            before, after = int(f[4], 16), int(f[5], 16)
            if after < before:
                padding += before & 7
                before &= ~7
            grants[f[2]] = before - after
        elif len(f) == 3 and f[:2] == ["bench", "frequency"]:
            hz = int(f[2])
        elif len(f) == 5 and f[:2] == ["bench", "timer"]:
            timers[f[2]] = (int(f[3]), int(f[4]))
    return grants, padding, hz, timers


def lookup_problems(figures):
    """A command to a missing driver must cost no more than one to a driver that exists."""
    missing, present = figures.get("missing_driver_command"), figures.get("null_command")
    if isinstance(missing, int) and isinstance(present, int) and missing > present:
        return [f"a command to a missing driver ({missing}) costs more than one to an "
                f"existing driver ({present}): driver lookup must be one probe"]
    return []


def measure(bench):
    figures, grants, notes, problems = {}, {}, [], []
    with tempfile.TemporaryDirectory() as workdir:
        for scenario, (apps, _) in SCENARIOS.items():
            text, events, missing, _ = bench.run(scenario, workdir)
            loaded = re.findall(r'load: app "([^"]*)" at 0x[0-9a-f]+: loaded', text)
            if loaded and loaded != apps[:len(loaded)]:
                notes.append(f"{scenario}: processes loaded in the order {', '.join(loaded)}, "
                             f"not {', '.join(apps)}: the switches cross other slots")
            if scenario in ABSENT and ABSENT[scenario][0] in text:
                _, value, keys = ABSENT[scenario]
                notes.append(f"{scenario}: {value}")
                figures.update({k: value for k in keys})
                continue
            if missing:
                tail = "\n".join(text.splitlines()[-15:])
                problems.append(f"{scenario}: did not finish ({', '.join(missing)} missing); "
                                f"last output:\n{tail}")
                continue
            for key, (where, start, end, after) in SPANS.items():
                if where == scenario:
                    figures[key] = span(events, start, end, after)
            for armed in (MSG_ARMED, MQ_ARMED):
                if scenario == SPANS[armed[0]][0]:
                    problem = check_armed(events, *armed)
                    if problem:
                        problems.append(problem)
            if scenario == "syscall":
                grants, padding, hz, timers = parse_syscall_lines(text)
                if padding:
                    notes.append(f"the first grant allocated also took {padding} bytes of "
                                 f"padding (the process's kernel break was not 8-byte aligned)")
                figures["timer_null_command"] = timer_figure(timers, "command", hz)
                figures["timer_yield_no_wait"] = timer_figure(timers, "yield", hz)
    parts = [figures.get(k) for k in SUM_OF_THREE]
    figures["subscribe_command_upcall"] = None if None in parts else sum(parts)
    problems.extend(lookup_problems(figures))
    for plugin_key, timer_key in (("null_command", "timer_null_command"),
                                  ("yield_no_wait", "timer_yield_no_wait")):
        a, b = figures.get(plugin_key), figures.get(timer_key)
        if isinstance(a, int) and isinstance(b, (int, float)) and abs(a - b) > 0.5:
            problems.append(f"{timer_key} = {b} disagrees with {plugin_key} = {a}")
    return figures, grants, notes, problems


# ---- where the instructions go -----------------------------------------------------------------

def symbols(prefix, path, offset=0):
    """[(start, size, name)] of the functions in an ELF, moved by `offset`."""
    found = []
    for line in run_tool([prefix + "nm", "-S", path]).splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tTwW":
            found.append(((int(f[0], 16) & ~1) + offset, int(f[1], 16), f[3]))
    return found


def profile(bench, figure, trace=False):
    """Instructions of `figure`'s last span, per function (kernel and bench apps); with
    `trace`, also every instruction in order (address, function+offset)."""
    if figure not in SPANS:
        raise BenchError(f"--profile takes one of {', '.join(SPANS)}")
    scenario, start, end, after = SPANS[figure]
    apps = SCENARIOS[scenario][0]
    with tempfile.TemporaryDirectory() as workdir:
        trace_from = after if start == WFI else start
        text, events, missing, traced = bench.run(scenario, workdir, (trace_from, end))
        if missing:
            raise BenchError(f"{scenario} did not finish:\n{text}")
        marks = bench.markers(apps, os.path.join(workdir, "apps.bin"))
    found = span_indices(events, start, end, after)
    if found is None:
        raise BenchError(f"no {figure} span in the run")
    i, j = found
    addresses = [a for index, a in traced if i <= index < j]
    if start == WFI:
        addresses = addresses[1:]  # the wfi itself
    prefix = bench.board.toolchain
    table = symbols(prefix, bench.kernel)
    for slot, app in enumerate(apps, start=1):
        app_elf = bench.app_file(app, slot, "elf")
        entry = {name: a for a, name in marks.items()}[f"{app}:_start"]
        linked = elf.parse(open(app_elf, "rb").read()).symbol_value("_start") & ~1
        table += [(s, n, f"{app}:{name}") for s, n, name in symbols(prefix, app_elf,
                                                                      entry - linked)]
    table.sort()
    starts = [t[0] for t in table]
    per_function = collections.Counter()
    for address in addresses:
        k = bisect.bisect_right(starts, address) - 1
        inside = k >= 0 and address < table[k][0] + max(table[k][1], 1)
        per_function[table[k][2] if inside else f"0x{address:08x}"] += 1
        if trace:
            where = f"{table[k][2]}+{address - table[k][0]}" if inside else "?"
            print(f"  0x{address:08x}  {where}")
    print(f"\n{bench.board.name}: {figure} = {len(addresses)} instructions, by function")
    for name, n in per_function.most_common():
        print(f"  {n:7}  {name}")


# ---- sizes -------------------------------------------------------------------------------------

def kernel_sizes(bench):
    prefix = bench.board.toolchain
    text = run_tool([prefix + "size", bench.kernel]).splitlines()
    fields = text[1].split()
    sizes = {"kernel_text": int(fields[0]), "kernel_data": int(fields[1]),
             "kernel_bss": int(fields[2])}
    if not os.path.exists(bench.core_kernel):
        raise BenchError(f"missing {bench.core_kernel} "
                         f"(run `make BOARD={bench.board.name} CONFIG=core kernel`)")
    core = run_tool([prefix + "size", bench.core_kernel]).splitlines()[1].split()
    sizes["kernel_text_core"] = int(core[0])
    dies = parse_dwarf(run_tool([prefix + "readelf", "--debug-dump=info", bench.kernel]))
    members = struct_members(dies, "process")
    if members is None:
        raise BenchError("struct process not found in the kernel's DWARF (built without -g?)")
    byte_size, layout = members
    size_of = {}
    for i, (name, offset) in enumerate(layout):
        end = layout[i + 1][1] if i + 1 < len(layout) else byte_size
        size_of[name] = end - offset
    sizes["process_struct"] = byte_size
    sizes["process_upcall_queue"] = size_of.get("queue")
    grant_table = [size_of[n] for n in ("grant_pointers", "grants_entered") if n in size_of]
    sizes["process_grant_table"] = sum(grant_table) if grant_table else None
    sizes["process_context"] = size_of.get("context")
    sizes["process_mpu"] = size_of.get("mpu")
    sizes["process_table"] = None
    for line in run_tool([prefix + "nm", "-S", bench.kernel]).splitlines():
        f = line.split()
        if len(f) == 4 and f[3] == "processes":
            sizes["process_table"] = int(f[1], 16)
    return sizes


DIE_RE = re.compile(r"^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: \d+ \((DW_TAG_\w+)\)")
ATTR_RE = re.compile(r"^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$")


def parse_dwarf(text):
    """readelf --debug-dump=info output as a list of (depth, tag, {attribute: value})."""
    dies = []
    for line in text.splitlines():
        m = DIE_RE.match(line)
        if m:
            dies.append((int(m.group(1)), m.group(3), {}))
            continue
        m = ATTR_RE.match(line)
        if m and dies:
            value = m.group(2).strip()
            if value.startswith("(indirect"):
                value = value.rsplit(": ", 1)[-1]
            dies[-1][2][m.group(1)] = value
    return dies


def struct_members(dies, name):
    """(byte size, [(member, offset)]) of the first complete definition of struct `name`."""
    for i, (depth, tag, attrs) in enumerate(dies):
        if tag != "DW_TAG_structure_type" or attrs.get("DW_AT_name") != name or \
                "DW_AT_byte_size" not in attrs:
            continue
        layout = []
        for child_depth, child_tag, child in dies[i + 1:]:
            if child_depth <= depth:
                break
            if child_depth == depth + 1 and child_tag == "DW_TAG_member":
                layout.append((child.get("DW_AT_name"),
                               int(child.get("DW_AT_data_member_location", "0"), 0)))
        return int(attrs["DW_AT_byte_size"], 0), layout
    return None


def driver_names():
    """Lower-case names of the drivers in capsules/driver_num.h (to notice ones bench_syscall
    does not probe)."""
    path = os.path.join(ROOT, "capsules", "include", "capsules", "driver_num.h")
    with open(path) as f:
        return [name.lower() for name in re.findall(r"#define (\w+)_DRIVER_NUM", f.read())]


# ---- output ------------------------------------------------------------------------------------

def baseline_source():
    """The committed baseline (git HEAD), else the working-tree file, else None."""
    try:
        text = subprocess.run(["git", "show", "HEAD:bench/baseline.json"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout
        return json.loads(text), "git HEAD:bench/baseline.json"
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    if os.path.exists(BASELINE):
        with open(BASELINE) as f:
            return json.load(f), "bench/baseline.json (not committed yet)"
    return None, None


def all_rows(result):
    rows = [(k, d, u, result["figures"].get(k, result["sizes"].get(k))) for k, d, u in FIGURES]
    for name, value in sorted(result["grants"].items()):
        if value is not None:
            rows.append((GRANT_PREFIX + name, f"grant bytes per process: {name}", "bytes", value))
    return rows


def flat(result):
    values = dict(result["figures"])
    values.update(result["sizes"])
    values.update({GRANT_PREFIX + k: v for k, v in result["grants"].items()})
    return values


def change(old, new):
    if not isinstance(new, (int, float)):
        return ""
    if not isinstance(old, (int, float)):
        return "new" if old is None else f"(was {old})"
    delta = new - old
    if delta == 0:
        return "="
    pct = f" ({delta / old * 100:+.1f}%)" if old else ""
    return f"{delta:+g}{pct}"


def print_table(result, base):
    print(f"\n{result['board']}  (QEMU {result['qemu']}, -icount {ICOUNT}; insn = instructions)")
    print(f"  {'figure':54} {'value':>12} {'baseline':>10}  change")
    old = flat(base) if base else {}
    changed = 0
    for key, desc, unit, value in all_rows(result):
        if base and old.get(key) != value:
            changed += 1
        shown = "-" if value is None else (f"{value:g}" if isinstance(value, (int, float))
                                           else str(value))
        if isinstance(value, (int, float)):
            shown += " " + unit
        before = old.get(key)
        before_s = "" if before is None else (f"{before:g}" if isinstance(before, (int, float))
                                              else "n/a")
        print(f"  {desc:54} {shown:>12} {before_s:>10}  {change(before, value) if base else ''}")
    if base:
        print(f"  {changed} figure(s) differ from the baseline")


def load_budget():
    """bench/budget.json: {board: {figure: ceiling}}; {} when absent."""
    if not os.path.exists(BUDGET):
        return {}
    with open(BUDGET) as f:
        return {k: v for k, v in json.load(f).items() if not k.startswith("_")}


def verdict(result, base, budget):
    """(regressions, budget_breaks, targets) for one board. A regression is a figure more than
    REGRESSION_TOLERANCE above the baseline (--update-baseline may accept it, with a reason in
    the records). A budget break is a figure above a ceiling the baseline already meets: budgets
    ratchet, once met never given back, so nothing accepts it. A ceiling the baseline does not
    meet yet is a target, reported with the distance to go."""
    values = flat(result)
    old = flat(base) if base else {}
    regressions, breaks, targets = [], [], []
    for key, value in sorted(values.items()):
        before = old.get(key)
        if isinstance(value, (int, float)) and isinstance(before, (int, float)) and \
                value > before * (1 + REGRESSION_TOLERANCE):
            regressions.append(f"{key} {value:g} is more than {REGRESSION_TOLERANCE:.0%} over the "
                               f"baseline {before:g}")
    for key, ceiling in sorted(budget.items()):
        value, before = values.get(key), old.get(key)
        if not isinstance(value, (int, float)):
            breaks.append(f"budget names {key}, which this run did not measure")
        elif isinstance(before, (int, float)) and before <= ceiling:
            if value > ceiling:
                breaks.append(f"{key} {value:g} is over its budget {ceiling:g}, which the "
                              f"baseline meets")
        elif value <= ceiling:
            targets.append(f"{key} {value:g} meets its budget {ceiling:g} (the baseline does "
                           f"not yet: update it to hold this)")
        else:
            targets.append(f"{key} {value:g}, budget {ceiling:g}: {value - ceiling:g} to go")
    return regressions, breaks, targets


def bench_board(bench, args, base_all):
    """Measure one board, write its JSON, print its table. Returns (result, ok)."""
    figures, grants, notes, problems = measure(bench)
    sizes = kernel_sizes(bench)
    try:
        stack, stack_notes = stack_depth.worst(os.path.dirname(bench.kernel), bench.board.arch)
        sizes.update(stack)
        notes.extend(stack_notes)
    except stack_depth.StackError as e:
        problems.append(f"kernel stack depth: {e}")
    unprobed = [d for d in driver_names() if d not in grants]
    if unprobed:
        notes.append("drivers in driver_num.h that bench_syscall does not probe: " +
                     ", ".join(unprobed))
    result = {"board": bench.board.name, "qemu": qemu_version(bench.qemu_binary),
              "icount": ICOUNT, "figures": figures, "sizes": sizes, "grants": grants,
              "notes": notes}
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, f"{bench.board.name}.json"), "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    base = (base_all or {}).get("boards", {}).get(bench.board.name)
    print_table(result, base)
    for note in notes:
        print(f"  note: {note}")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    missing = [k for k, _, _ in FIGURES if result["figures"].get(k, sizes.get(k)) is None]
    if missing:
        print(f"  PROBLEM: no value for {', '.join(missing)}")
    regressions, breaks, targets = verdict(result, base, load_budget().get(bench.board.name, {}))
    for target in targets:
        print(f"  target: {target}")
    for regression in regressions:
        print(f"  {'accepted' if args.update_baseline else 'REGRESSION'}: {regression}")
    for budget_break in breaks:
        print(f"  REGRESSION (no --update-baseline accepts it): {budget_break}")
    ok = not problems and not missing and not breaks and (args.update_baseline or not regressions)
    print(f"bench {bench.board.name}: {'ok' if ok else 'FAIL'}")
    return result, ok


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--board", action="append", required=True, choices=board_info.names())
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="build directory (default: build)")
    parser.add_argument("--results", default=os.path.join(BENCH_DIR, "results"))
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds per QEMU run (default 120)")
    parser.add_argument("--update-baseline", action="store_true",
                        help="write bench/baseline.json from this run")
    parser.add_argument("--profile", metavar="FIGURE",
                        help="print where FIGURE's instructions go instead of benchmarking")
    parser.add_argument("--trace", action="store_true",
                        help="with --profile: also list every instruction of the span in order")
    parser.add_argument("-v", action="store_true", help="show QEMU commands and console output")
    args = parser.parse_args()

    build_dir = os.path.abspath(args.build)
    try:
        plugin = build_plugin(build_dir)
    except BenchError as err:
        print(f"bench: {err}")
        return 1
    base_all, base_from = None, None
    if not args.profile:
        base_all, base_from = baseline_source()
        print(f"bench: comparing with {base_from}" if base_from else
              "bench: no baseline yet (tools/bench.py --update-baseline writes one)")
    results, ok = {}, True
    for name in args.board:
        bench = Bench(board_info.load(name), build_dir, plugin, args.timeout, args.v)
        try:
            if shutil.which(bench.qemu_binary) is None:
                raise BenchError(f"{bench.qemu_binary} not found")
            if args.profile:
                profile(bench, args.profile, args.trace)
                continue
            results[name], board_ok = bench_board(bench, args, base_all)
            ok = ok and board_ok
        except BenchError as err:
            print(f"bench {name}: FAILED: {err}")
            ok = False
    if args.profile:
        return 0 if ok else 1
    print(f"\nbench: results in {os.path.relpath(args.results, ROOT)}/<board>.json")
    if args.update_baseline and results and not ok:
        print("bench: bench/baseline.json not written: a figure is missing, a problem was "
              "reported or a met budget was broken (above)")
    elif args.update_baseline and results:
        merged = {"boards": {}}
        if os.path.exists(BASELINE):
            with open(BASELINE) as f:
                merged = json.load(f)
        merged.setdefault("boards", {}).update(results)
        with open(BASELINE, "w") as f:
            json.dump(merged, f, indent=2, sort_keys=True)
            f.write("\n")
        print("bench: wrote bench/baseline.json (commit it to make it the baseline)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
