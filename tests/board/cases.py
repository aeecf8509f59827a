# SPDX-License-Identifier: Apache-2.0 OR MIT
"""QEMU integration cases: which apps boot together and what the UART must (not) show.

Patterns are Python regular expressions matched against the whole output; `expect` patterns
must appear in the order given. Every case has a timeout; the runner stops early once all
expected patterns were seen and `grace` seconds passed without a forbidden one.
"""
import re


class Case:
    def __init__(self, name, apps, expect, forbid=(), timeout=20, grace=0.5, input=(),
                 skip_boards=(), counts=()):
        self.name = name
        self.apps = apps
        self.expect = list(expect)
        self.forbid = list(forbid)
        self.timeout = timeout
        self.grace = grace
        self.input = list(input)  # (pattern that must appear first, text to type)
        self.skip_boards = skip_boards
        self.counts = list(counts)  # (pattern, minimum number of matches)

    def _ordered_missing(self, text):
        pos = 0
        for pattern in self.expect:
            m = re.compile(pattern, re.M).search(text, pos)
            if not m:
                return pattern
            pos = m.end()
        return None

    def expected_found(self, text):
        if self._ordered_missing(text) is not None:
            return False
        return all(len(re.findall(p, text, re.M)) >= n for p, n in self.counts)

    def check(self, text):
        problems = []
        missing = self._ordered_missing(text)
        if missing is not None:
            problems.append(f"expected (in order) but not seen: {missing!r}")
        for pattern in self.forbid:
            m = re.search(pattern, text, re.M)
            if m:
                problems.append(f"forbidden output seen: {m.group(0)!r}")
        for pattern, n in self.counts:
            seen = len(re.findall(pattern, text, re.M))
            if seen < n:
                problems.append(f"{pattern!r} seen {seen} times, want at least {n}")
        return problems


# Nothing a process does may panic the kernel or fault a process it does not own.
KERNEL_OK = [r"kernel panic", r"kernel fault"]

CASES = []


class BoardCase(Case):
    """A case whose expected patterns differ per board: `expect_by_board` maps a board name to
    the pattern list (patterns containing {fault} are filled per board)."""

    def __init__(self, name, apps, expect_by_board, **kw):
        super().__init__(name, apps, [], **kw)
        self.expect_by_board = expect_by_board

    def for_board(self, board_name):
        self.expect = self.expect_by_board[board_name]
        return self


def faults_then_recovers(name, about, faults, runs=4):
    """`name` faults on every run (faults: board name -> fault pattern); the board restarts it
    3 times, then stops it; heartbeat keeps printing afterwards."""
    return BoardCase(f"isolation_{name}", [name, "heartbeat"],
                     {board: fault_sequence(name, about, fault) for board, fault in faults.items()},
                     forbid=KERNEL_OK + [rf"{name}: FAIL"],
                     counts=[(rf"process {name} \(id \d+\) faulted", runs)], timeout=30)


def fault_sequence(name, about, fault):
    expect = [about, rf"\[kernel\] process {name} \(id \d+\) faulted: {fault}"]
    expect += [rf"\[kernel\] process {name}: restarting after fault \(3 of 3\)",
               rf"\[kernel\] process {name} \(id \d+\) faulted: {fault}",
               rf"\[kernel\] process {name}: stopped"]
    expect += [r"heartbeat \d+"] * 3
    return expect


def error_not_fault(name, about, result):
    """`name` gets an error code back and is not faulted; heartbeat is unharmed."""
    return Case(f"isolation_{name}", [name, "heartbeat"],
                [about, rf"{name}: {result}", r"heartbeat \d+", r"heartbeat \d+"],
                forbid=KERNEL_OK + [rf"process {name} .*faulted", rf"{name}: FAIL"],
                timeout=20)


class CorruptImageCase(Case):
    """The first app's header is damaged after packing; the kernel must skip it with a reason
    and still run the apps after it."""

    def __init__(self, name, offset, value, reason, **kw):
        super().__init__(name, ["hello", "heartbeat"],
                         [rf"app at 0x[0-9a-f]+ skipped: {reason}",
                          r"(Hello World!|heartbeat \d+)"],
                         forbid=KERNEL_OK, **kw)
        self.offset = offset
        self.value = value

    def image(self, board, workdir):
        import qemu_image
        path = qemu_image.build(board, self.apps, workdir)
        with open(path, "r+b") as f:
            f.seek(self.offset)
            f.write(bytes([self.value]))
        return path


CASES += [
    Case("hello", ["hello"], [r"\[kernel\] loaded hello", r"Hello World!"], forbid=KERNEL_OK),
    Case("abi", ["abi"], [r"abi: \d+ passed, 0 failed"], forbid=KERNEL_OK + [r"^not ok"],
         timeout=30),
    Case("two_processes_share_the_console", ["heartbeat", "hello"],
         [r"Hello World!", r"heartbeat 3"], forbid=KERNEL_OK),
    faults_then_recovers("read_kernel_ram", r"read_kernel_ram: reading kernel RAM", {
        "qemu_mps2_an385": r"MemManage, data access violation at 0x20000000",
        "qemu_rv32_virt": r"load access fault at 0x802"}),
    faults_then_recovers("read_other_ram", r"read_other_ram: reading RAM outside", {
        "qemu_mps2_an385": r"MemManage, data access violation at 0x2",
        "qemu_rv32_virt": r"load access fault at 0x803"}),
    faults_then_recovers("write_flash", r"write_flash: writing own flash", {
        "qemu_mps2_an385": r"MemManage, data access violation at 0x00[1-3]",
        "qemu_rv32_virt": r"store access fault at 0x801"}),
    faults_then_recovers("jump_kernel", r"jump_kernel: jumping to kernel code", {
        "qemu_mps2_an385": r"MemManage, instruction access violation at 0x000",
        "qemu_rv32_virt": r"instruction access fault at 0x800"}),
    faults_then_recovers("stack_overflow", r"stack_overflow: recursing", {
        "qemu_mps2_an385": r"MemManage, (data access violation|stacking error)",
        "qemu_rv32_virt": r"store access fault at 0x80[23]"}),
    error_not_fault("allow_kernel_ptr", r"allow_kernel_ptr: rw allow of kernel RAM", "INVAL"),
    error_not_fault("allow_other_ptr", r"allow_other_ptr: rw allow of RAM outside", "INVAL"),
    error_not_fault("allow_wrap_len", r"allow_wrap_len: rw allow", "INVAL"),
    error_not_fault("subscribe_kernel_fn", r"subscribe_kernel_fn: subscribing kernel code",
                    "INVAL"),
    error_not_fault("command_no_driver", r"command_no_driver: command 0 to driver", "NODEVICE"),
    Case("isolation_brk_bad", ["brk_bad", "heartbeat"],
         [r"brk_bad: moving the break", r"brk_bad: break unchanged", r"heartbeat \d+"],
         forbid=KERNEL_OK + [r"brk_bad: FAIL", r"process brk_bad .*faulted"]),
    Case("isolation_restart_loop", ["restart_loop", "heartbeat"],
         [r"restart_loop run", r"heartbeat 1\b", r"heartbeat 5\b"],
         forbid=KERNEL_OK + [r"process restart_loop .*faulted"],
         counts=[(r"restart_loop run", 20)], timeout=30),
    Case("zero_memory_and_restart", ["zero_memory"],
         [r"zero_memory: first run", r"zero_memory: after restart",
          r"zero_memory: restart saw fresh data", r"zero_memory: done"],
         forbid=KERNEL_OK + [r"zero_memory: FAIL"]),
    faults_then_recovers("bad_syscall", r"bad_syscall: class 9", {
        "qemu_mps2_an385": r"invalid syscall class", "qemu_rv32_virt": r"invalid syscall class"}),
    faults_then_recovers("bad_yield", r"bad_yield: yield 7", {
        "qemu_mps2_an385": r"invalid yield number", "qemu_rv32_virt": r"invalid yield number"}),
    Case("preemption_spin_does_not_starve_others", ["spin", "heartbeat"],
         [r"spin: looping without yielding", r"heartbeat 1\b", r"heartbeat 10\b"],
         forbid=KERNEL_OK + [r"process spin .*faulted"], timeout=30),
    Case("entry_registers", ["entry"],
         [r"LowLevelDebug: App 0x0 prints 0x1 0x", r"LowLevelDebug: App 0x0 prints 0x2 0x",
          r"LowLevelDebug: App 0x0 prints 0x600d 0x0\b"], forbid=KERNEL_OK),
    Case("multi_process_counters", ["counter_a", "counter_b"],
         [r"counter_a: tick 1", r"counter_b: tock 1", r"counter_a: tick 2", r"counter_b: tock 2",
          r"counter_a: done", r"counter_b: done"], forbid=KERNEL_OK, timeout=30),
    Case("console_echo_reads_input", ["echo"],
         [r"echo: ready", r"echo: hello tockc", r"echo: bye"], forbid=KERNEL_OK,
         input=[(r"echo: ready", "hello tockc\n"), (r"echo: hello tockc", "quit\n")]),
    Case("blink_drives_leds", ["blink", "heartbeat"], [r"blink: 2 LEDs", r"heartbeat 3\b"],
         forbid=KERNEL_OK + [r"process blink .*faulted"]),
    Case("console_writes_never_interleave", ["chatter", "chatter"],
         [r"chatter [A-H]: done", r"chatter [A-H]: done"],
         forbid=KERNEL_OK + [r"^([A-H]):(?!\1{120}\r?$).*$"],
         counts=[(r"^([A-H]):\1{120}\r?$", 80)], timeout=30),
    BoardCase("fixed_address_slots", ["hello", "heartbeat", "counter_a", "counter_b"], {
        "qemu_rv32_virt": [
            r"loaded hello: flash 0x80100000\+0x[0-9a-f]+ ram 0x80300000\+",
            r"loaded heartbeat: flash 0x80110000\+0x[0-9a-f]+ ram 0x80310000\+",
            r"loaded counter_a: flash 0x80130000\+0x[0-9a-f]+ ram 0x80330000\+",
            r"loaded counter_b: flash 0x80180000\+0x[0-9a-f]+ ram 0x80380000\+",
            r"Hello World!", r"counter_b: done"]},
        forbid=KERNEL_OK, skip_boards=("qemu_mps2_an385",), timeout=30),
    Case("ipc_compat_rot13", ["rot13_service", "rot13_client"],
         [r"rot13_service: ready", r"rot13_client: Uryyb Jbeyq!", r"rot13_client: Hello World!",
          r"rot13_client: Uryyb Jbeyq!", r"rot13_client: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], timeout=30),
    Case("ipc_compat_unmappable_share_fails", ["ipc_bad_share"],
         [r"ipc_bad_share: 30 bytes: INVAL", r"ipc_bad_share: 64 bytes: SUCCESS"],
         forbid=KERNEL_OK),
    Case("ipc_compat_mapping_revoked_when_sharer_exits", ["ipc_keeper", "ipc_client_exits"],
         [r"ipc_keeper: ready", r"ipc_keeper: got kept secret", r"ipc_client_exits: exiting",
          r"ipc_keeper: reading the departed client's buffer",
          r"\[kernel\] process ipc_keeper \(id \d+\) faulted: "
          r"(MemManage, data access violation|load access fault)"],
         forbid=KERNEL_OK + [r"ipc_keeper: FAIL"], timeout=30),
    CorruptImageCase("corrupt_checksum_is_skipped", 12, 0x5A, "header checksum mismatch"),
]
