# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The libtock-c conformance corpus: what each real libtock-c app must show on tockc.

Each case names corpus app directories (booted together, in this order: on RISC-V the i-th
app uses the i-th fixed-address build), the UART patterns that must appear in order, the ones
that must never appear, console input, LED checks and a timeout. The corpus's own README states
the expectation of every app; the patterns below are that statement made exact. newlib's nano
printf prints `zu` for `%zu` (see the corpus README), so lines that start with a `%zu` number
are matched with an optional `zu ` prefix.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools"))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "board"))

import board_info  # noqa: E402  (tools/board_info.py)
from cases import KERNEL_OK, QEMU_FAST_IDLE, Case, loaded  # noqa: E402  (tests/board/cases.py)

# Alarm frequencies of the boards (ticks per second), for apps that print counter values.
ALARM_HZ = {"qemu_mps2_an385": 25_000_000, "qemu_rv32_virt": 10_000_000}


def faulted(name):
    return rf"\[kernel\] process {re.escape(name)} \(id \d+\) faulted"


def no_fault(name):
    return KERNEL_OK + [faulted(name)]


class CompatCase(Case):
    """A corpus case. `expect` may be a dict board name -> patterns; `checks` are functions
    (text, board name, led samples) -> [problems]; `leds` asks for LED samples every `leds`
    seconds, and then the case runs for its whole `duration` before the checks."""

    def __init__(self, name, apps, expect, duration=0.0, leds=None, checks=(), **kw):
        self.expect_by_board = expect if isinstance(expect, dict) else None
        super().__init__(name, apps, [] if self.expect_by_board else expect, **kw)
        self.duration = duration
        self.leds = leds
        self.checks = list(checks)
        self.board_name = None

    def for_board(self, board_name):
        self.board_name = board_name
        if self.expect_by_board is not None:
            self.expect = self.expect_by_board[board_name]
        return self

    def full_check(self, text, samples):
        problems = self.check(text)
        for check in self.checks:
            problems += check(text, self.board_name, samples)
        return problems


# ---- checks on LED samples and printed values -------------------------------------------

def led_toggles(led, at_least):
    def check(_text, _board, samples):
        changes = sum(1 for a, b in zip(samples, samples[1:]) if a[led] != b[led])
        if changes < at_least:
            return [f"LED {led} changed {changes} times in {len(samples)} samples, "
                    f"want at least {at_least}"]
        return []
    return check


def leds_count_up(distinct):
    def check(_text, _board, samples):
        seen = set(samples)
        if len(seen) < distinct:
            return [f"LEDs showed {len(seen)} distinct patterns {sorted(seen)}, want {distinct}"]
        return []
    return check


def leds_end_as(pattern):
    def check(_text, _board, samples):
        if not samples or samples[-1][:len(pattern)] != pattern:
            return [f"LEDs end as {samples[-1] if samples else None}, want {pattern}"]
        return []
    return check


def ratio_of_lines(first, second, low, high):
    """Lines matching `first` are between low and high times those matching `second`."""
    def check(text, _board, _samples):
        a, b = len(re.findall(first, text, re.M)), len(re.findall(second, text, re.M))
        if b == 0 or not low <= a / b <= high:
            return [f"{a} lines {first!r} per {b} lines {second!r}, want a ratio in "
                    f"[{low}, {high}]"]
        return []
    return check


def libtock_overflow_ticks(hz):
    """The dt libtock-c sets for `libtock_alarm_in_ms(libtock_alarm_ticks_to_ms(UINT32_MAX))`:
    UINT32_MAX ticks converted to whole ms and back, as its alarm library rounds."""
    seconds, leftover = divmod((1 << 32) - 1, hz)
    ms = seconds * 1000 + leftover * 1000 // hz
    return (ms // 1000) * hz + (ms % 1000) * hz // 1000


def alarm_wraps_late_enough(text, board, _samples):
    """multi_alarm_simple_overflow_test: alarm 2 fires about 1 s after the start, alarm 1 dt =
    libtock_overflow_ticks after it, once the counter has wrapped. Each line prints
    `<id> <now>`. The app starts in the first moments after reset, when the counter is near 0,
    so alarm 1 is due at `start + dt` with a small `start`: `now - dt` (mod 2^32) must be small
    and not negative (negative: it fired early). Alarm 2 may be a second late: under the fast
    idle of QEMU's -icount the mps2 timer interrupt is sometimes served a period late."""
    lines = re.findall(r"^(?:zu )?([12]) (\d+)", text, re.M)
    values = {}
    for ident, now in lines:
        values.setdefault(ident, int(now))
    if "1" not in values or "2" not in values:
        return ["no line from alarm 1 and alarm 2"]
    if lines[0][0] != "2":
        return ["alarm 1 fired before alarm 2: early, before the counter wrapped"]
    hz = ALARM_HZ[board]
    problems = []
    if not hz <= values["2"] <= hz * 22 // 10:
        problems.append(f"alarm 2 (1 s) fired at counter {values['2']}, not about 1 s in")
    after_due = (values["1"] - libtock_overflow_ticks(hz)) % (1 << 32)
    if after_due > hz // 2:
        problems.append(f"alarm 1 fired at counter {values['1']}: "
                        + ("before it was due" if after_due > 1 << 31 else
                           f"{after_due} ticks after it was due"))
    return problems


def heap_end_fault_at_the_break(text, board, _samples):
    """mpu_heap_end reads its last readable byte, then walks up until it faults: the fault must
    come right after the last address it could read, at the break on RISC-V (PMP is exact) and
    at the end of the MPU subregion holding the break on Cortex-M (less than 1 KiB above it,
    at a subregion boundary)."""
    last = re.search(r"Reading last readable byte in RAM, address 0x([0-9a-f]+)", text)
    fault = re.search(r"faulted: .* at 0x([0-9a-f]+)", text)
    if not last or not fault:
        return ["no last readable address or no fault address"]
    walked = [int(a, 16) for a in re.findall(r"^Address: 0x([0-9a-f]+)", text[:fault.start()],
                                             re.M)]
    last, fault = int(last.group(1), 16), int(fault.group(1), 16)
    if not walked or walked[-1] + 1 != fault:
        return [f"the fault at {fault:#x} is not the first byte the walk did not read"]
    if board == "qemu_rv32_virt":
        return [] if fault == last + 1 else [f"fault at {fault:#x}, not at the break "
                                             f"{last + 1:#x}"]
    if not last < fault <= last + 1024 or fault % 32:
        return [f"fault at {fault:#x} is not the subregion end above the break {last + 1:#x}"]
    return []


# Where the first process's RAM starts: the start of app RAM (board.json).
RAM_START = {name: board.app_ram.start for name, board in board_info.load_all().items()}


def stack_pointer_near_ram_start(ram_start, span):
    def check(text, _board, _samples):
        m = re.search(r"Current stack pointer: 0x([0-9a-f]+)", text)
        if not m or not ram_start <= int(m.group(1), 16) <= ram_start + span:
            return [f"stack pointer {m.group(1) if m else None} not within {span} bytes of "
                    f"RAM start {ram_start:#x}"]
        return []
    return check


def stack_in_first_ram(text, board, samples):
    return stack_pointer_near_ram_start(RAM_START[board], 1024)(text, board, samples)


# ---- the corpus ----------------------------------------------------------------------------

def lld(number, value=None):
    tail = rf" 0x{value}" if value else r"\b"
    return rf"LowLevelDebug: App 0x\d+ prints 0x{number:x}{tail}"


# The plain text that tests/aes encrypts and decrypts, with CTR and then with CCM.
AES_TEXT = re.escape("A language empowering everyone to build reliable and efficient software.")
TYPED = "tockc!"
SHORT = "hello world"                                       # 11 bytes
LONG = "the quick brown fox jumps over the lazy dog, 0123456789 tockc"  # 61 bytes
assert len(SHORT) == 11 and len(LONG) == 61

CASES = [
    CompatCase("c_hello", ["c_hello"], [r"^Hello World!"], forbid=no_fault("c_hello"),
               grace=1.0),
    CompatCase("blink", ["blink"], [loaded("blink")], forbid=no_fault("blink"), duration=2.5,
               leds=0.05, checks=[leds_count_up(4)]),
    CompatCase("cxx_hello", ["cxx_hello"],
               [r"^D2 says hello", r"^D1 says hello", r"^D2 says hello", r"^D1 says hello"],
               forbid=no_fault("cxx_hello")),
    CompatCase("rot13_service+rot13_client", ["rot13_service", "rot13_client"],
               [r"^12: Uryyb Jbeyq!", r"^12: Hello World!", r"^12: Uryyb Jbeyq!",
                r"^12: Hello World!"],
               forbid=no_fault("rot13_client") + [r"No rot13 service"]),
    CompatCase("rot13_client_alone", ["rot13_client"], [r"No rot13 service"],
               forbid=KERNEL_OK),
    CompatCase("unit_test_supervisor+passfail", ["services_unit_test_supervisor",
                                                 "unit_tests_passfail"],
               [r"Summary \d+: \[4/6\] Passed, \[2/6\] Failed, \[0/6\] Incomplete"],
               forbid=KERNEL_OK),
    CompatCase("console", ["tests_console_console"],
               [rf"Got character: '{c}'" for c in TYPED], forbid=no_fault("console"),
               input=[(loaded("console"), TYPED, 0.15)]),
    CompatCase("console_recv_short", ["tests_console_console_recv_short"],
               [rf"console_recv_short: {SHORT}"], forbid=no_fault("console_recv_short"),
               input=[(loaded("console_recv_short"), SHORT, 0.15)]),
    CompatCase("console_recv_long", ["tests_console_console_recv_long"],
               [rf"console_recv_long: {LONG}"], forbid=no_fault("console_recv_long"),
               input=[(loaded("console_recv_long"), LONG, 0.15)], timeout=30),
    CompatCase("console_timeout", ["tests_console_console_timeout"],
               [rf"Userspace call to read console returned: {TYPED}"],
               forbid=no_fault("console_timeout"),
               input=[(loaded("console_timeout"), TYPED, 0.15)]),
    CompatCase("multi_alarm_simple_test", ["tests_alarms_multi_alarm_simple_test"],
               [r"^(zu )?1 \d+", r"^(zu )?2 \d+"],
               counts=[(r"^(zu )?1 \d+", 8), (r"^(zu )?2 \d+", 4)],
               checks=[ratio_of_lines(r"^(zu )?1 \d+", r"^(zu )?2 \d+", 1.5, 2.5)],
               forbid=no_fault("multi_alarm_simple_test")),
    CompatCase("multi_alarm_simple_overflow_test",
               ["tests_alarms_multi_alarm_simple_overflow_test"],
               [r"^(zu )?2 \d+", r"^(zu )?1 \d+"], checks=[alarm_wraps_late_enough],
               forbid=no_fault("multi_alarm_simple_overflow_test"),
               qemu_args=QEMU_FAST_IDLE, timeout=120),
    CompatCase("multi_alarm_test", ["tests_alarms_multi_alarm_test"], [loaded("multi_alarm_test")],
               forbid=no_fault("multi_alarm_test"), duration=3.0, leds=0.05,
               checks=[led_toggles(0, 2), led_toggles(1, 2)]),
    CompatCase("yield", ["tests_yield"], [r"spinning", r"waiting", r"spinning", r"waiting"],
               forbid=no_fault("yield"), timeout=30),
    CompatCase("yield_for_with_timeout_test", ["tests_yield_for_with_timeout_test"],
               [loaded("yield_for_with_timeout_test")],
               forbid=no_fault("yield_for_with_timeout_test"), duration=4.5, leds=0.05,
               checks=[led_toggles(0, 2)]),
    CompatCase("exit", ["tests_exit"], [r"^Testing exit\.", r"^Exiting\."],
               forbid=no_fault("exit") + [r"SHOULD NOT BE PRINTED"], grace=2.0),
    CompatCase("restart", ["tests_restart"],
               [r"^Testing restart\. x=1 \(should be 1\), z=0 \(should be 0\)", r"^Restarting\.",
                r"^Testing restart\. x=1 \(should be 1\), z=0 \(should be 0\)", r"^Restarting\.",
                r"^Testing restart\. x=1 \(should be 1\), z=0 \(should be 0\)"],
               forbid=no_fault("restart") + [r"x=[^1]", r"z=[^0]"], timeout=30),
    CompatCase("fault", ["tests_fault"],
               [r"^Testing fault behavior by faulting\.", faulted("fault")], forbid=KERNEL_OK),
    CompatCase("mpu_walk_region", ["tests_mpu_mpu_walk_region"],
               [r"\[TEST\] MPU Walk Regions", r"Walking flash", r"0x[0-9a-f]+00: [0-9a-f]+",
                r"Walking memory", r"0x[0-9a-f]+00: [0-9a-f]+"],
               forbid=no_fault("mpu_walk_region"), grace=1.0, timeout=40),
    CompatCase("mpu_no_libc", ["tests_mpu_mpu_no_libc"], {
        "qemu_mps2_an385": [lld(0), lld(1, "[0-9a-f]+"), lld(2, "[0-9a-f]+"),
                            lld(3, "[0-9a-f]+"), lld(4, "[0-9a-f]+"), lld(5, "[0-9a-f]+"),
                            lld(7), lld(8), lld(9), lld(9, "[0-9a-f]+"),
                            faulted("mpu_no_libc")],
        # The app's initial break is its memory start here (its TBF asks for no RAM beyond
        # the stack it does not use), so reading [start, break] faults at test 7, as upstream.
        "qemu_rv32_virt": [lld(0), lld(1, "[0-9a-f]+"), lld(2, "[0-9a-f]+"),
                           lld(3, "[0-9a-f]+"), lld(4, "[0-9a-f]+"), lld(5, "[0-9a-f]+"),
                           lld(6, "[0-9a-f]+"), lld(7), faulted("mpu_no_libc")]},
        forbid=KERNEL_OK + [lld(0xa), r"prints 0xffffffff"]),
    CompatCase("mpu_flash_end", ["tests_mpu_unit_mpu_flash_end"],
               [r"\[TEST\] MPU Flash End", r"Reading next byte", faulted("mpu_flash_end")],
               forbid=KERNEL_OK + [r"FAIL!"]),
    CompatCase("mpu_flash_start", ["tests_mpu_unit_mpu_flash_start"],
               [r"\[TEST\] MPU Flash Start Write", faulted("mpu_flash_start")],
               forbid=KERNEL_OK + [r"FAIL!"]),
    CompatCase("mpu_heap_end", ["tests_mpu_unit_mpu_heap_end"],
               [r"\[TEST\] MPU test end of readable RAM", r"This should succeed\.",
                faulted("mpu_heap_end")], checks=[heap_end_fault_at_the_break],
               forbid=KERNEL_OK + [r"FAIL!"]),
    CompatCase("mpu_ram_end", ["tests_mpu_unit_mpu_ram_end"],
               [r"\[TEST\] MPU RAM End", faulted("mpu_ram_end")],
               forbid=KERNEL_OK + [r"FAIL!"]),
    CompatCase("malloc_test01", ["tests_malloc_test01"], [r"^malloc01: success"],
               forbid=no_fault("malloc_test01")),
    CompatCase("malloc_test02", ["tests_malloc_test02"], [r"^malloc02: success"],
               forbid=no_fault("malloc_test02")),
    CompatCase("stack_size_test01", ["tests_stack_size_test01"],
               [r"^Stack Test App", r"^Current stack pointer: 0x[0-9a-f]+"],
               checks=[stack_in_first_ram], forbid=no_fault("stack_size_test01")),
    CompatCase("hello_loop", ["tests_hello_loop"], [r"^Hello"] * 3,
               forbid=no_fault("hello_loop")),
    CompatCase("printf_long", ["tests_printf_long"],
               [r"^.{65,}$", r"^And a short message\."], forbid=no_fault("printf_long")),
    CompatCase("whileone+hello_loop", ["tests_whileone", "tests_hello_loop"], [r"^Hello"] * 3,
               forbid=no_fault("hello_loop") + [faulted("whileone")]),
    CompatCase("bare_bones", ["tests_bare_bones"], [loaded("bare_bones")],
               forbid=no_fault("bare_bones"), grace=2.0),
    CompatCase("crash_immediately_syscall+hello_loop",
               ["tests_crash_immediately_syscall", "tests_hello_loop"],
               [faulted("crash_immediately_syscall"), r"^Hello", r"^Hello"],
               forbid=no_fault("hello_loop")),
    CompatCase("crash_dummy", ["tests_crash_dummy"], [loaded("crash_dummy")],
               forbid=no_fault("crash_dummy"), grace=2.0),
    CompatCase("led-odd", ["tests_led_led-odd"], [loaded("led-odd")],
               forbid=no_fault("led-odd"), duration=1.5, leds=0.1,
               checks=[leds_end_as((False, True))]),
    CompatCase("writeable_flash_regions", ["tests_writeable_flash_regions"],
               [r"No writeable flash regions defined in this app's header\."],
               forbid=no_fault("writeable_flash_regions")),
    CompatCase("app_state", ["tests_app_state"],
               [r"(Application has never saved state before|This application has run \d+ "
                r"times before)", r"State saved successfully\. Done\."],
               forbid=no_fault("app_state") + [r"Error"]),
    CompatCase("sha", ["tests_sha"], [r"SHA computation correct\."], forbid=no_fault("sha")),
    CompatCase("hmac", ["tests_hmac"], [r"\[HMAC\] Matched!"], forbid=no_fault("hmac")),
    CompatCase("aes", ["tests_aes"],
               [r"\[TEST\] AES CTR", rf"^Original text: '{AES_TEXT}'", r"\[TEST\] AES CCM",
                rf"^Original text: '{AES_TEXT}'"],
               forbid=no_fault("aes") + [r"Expectation failure", r"Comparison failure",
                                         r"Crypto failure"]),
    CompatCase("nonvolatile_storage", ["tests_nonvolatile_storage"], [r"All tests succeeded"],
               forbid=no_fault("nonvolatile_storage")),
    CompatCase("kv_check", ["tests_kv_kv_check"], [r"Key-Value support is enabled\."],
               forbid=no_fault("kv_check")),
    CompatCase("kv_system", ["tests_kv_kv_system"],
               [r"Finish adding the key", r"Finish retrieving the key", r"Getting the key, again",
                r"This should fail", r"Failure 10\b"],
               forbid=no_fault("kv_system")),
    CompatCase("kv_interactive", ["tests_kv_kv_interactive"],
               [r"Please enter a command", r"Setting tock=c", r"(Error setting key|Set key-value)",
                r"Getting tock", r"(Could not get key|Got value)"],
               forbid=no_fault("kv_interactive"),
               input=[(r"Please enter a command", "set tock c\r", 0.15),
                      (r"(Error setting key|Set key-value)", "get tock\r", 0.15)]),
    CompatCase("unit_test_supervisor+kv_unit_tests", ["services_unit_test_supervisor",
                                                      "tests_kv_kv_unit_tests"],
               [r"Summary \d+: \[24/24\] Passed"], forbid=KERNEL_OK, timeout=40),
    CompatCase("unit_test_supervisor+kv_no_write", ["services_unit_test_supervisor",
                                                    "tests_kv_kv_permissions_kv_no_write"],
               [r"Summary \d+: \[2/2\] Passed"], forbid=KERNEL_OK),
    CompatCase("invs_single", ["tests_isolated_nonvolatile_storage_invs_single"],
               [r"\[INVS TEST\] Write Fail Not Within Region: Success"],
               counts=[(r"\[INVS TEST\] [^:]+: Success", 10)],
               forbid=no_fault("invs_single") + [r"\[INVS TEST\] [^:]+: (?!Success)"]),
    CompatCase("invs_read_write", ["tests_isolated_nonvolatile_storage_invs_read_write"],
               [r"Have \d+ bytes of nonvolatile storage", r"All tests succeeded"],
               forbid=no_fault("invs_read_write") + [r"Have 0 bytes"]),
]
