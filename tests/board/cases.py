# SPDX-License-Identifier: Apache-2.0 OR MIT
"""QEMU integration cases: which apps boot together and what the UART must (not) show.

Patterns are Python regular expressions matched against the whole output; `expect` patterns
must appear in the order given. Every case has a timeout; the runner stops early once all
expected patterns were seen and `grace` seconds passed without a forbidden one.
"""
import os
import re
import select
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools"))

import board_info  # noqa: E402  (tools/board_info.py)
import elf  # noqa: E402  (tools/elf.py)
import qemu_flash  # noqa: E402  (tools/qemu_flash.py)
import qemu_image  # noqa: E402  (tools/qemu_image.py)
import tbf  # noqa: E402  (tools/tbf.py)

MPS2 = board_info.load("qemu_mps2_an385")
VIRT = board_info.load("qemu_rv32_virt")


class Case:
    def __init__(self, name, apps, expect, forbid=(), timeout=20, grace=0.5, input=(),
                 skip_boards=(), counts=(), qemu_args=(), figures=(), kernel="product",
                 exit_status=None):
        self.name = name
        self.kernel = kernel  # kernel image: board_info.KERNEL_VARIANTS (tools/board_info.py)
        # None: QEMU must still run when the case ends; else the runner waits for QEMU to exit
        # and its status must be this one (tools/qemu_test.py).
        self.exit_status = exit_status
        self.apps = apps
        self.expect = list(expect)
        self.forbid = list(forbid)
        self.timeout = timeout
        self.grace = grace
        self.input = list(input)  # (pattern that must appear first, text to type)
        self.skip_boards = skip_boards
        self.counts = list(counts)  # (pattern, minimum number of matches)
        self.qemu_args = list(qemu_args)  # appended to the board's QEMU command line
        # (label, pattern): the runner reports how often each matched and the last match's
        # first group (soak figures).
        self.figures = list(figures)

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

    def figure_lines(self, text):
        lines = []
        for label, pattern in self.figures:
            matches = list(re.finditer(pattern, text, re.M))
            last = matches[-1].group(1) if matches and matches[-1].groups() else None
            lines.append(f"{label}: {len(matches)} lines" + (f", last {last}" if last else ""))
        return lines

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


# The loader's lines (kernel/process_loader.c, ABI §3.7): a verdict per app, a stop, a count.
def loaded(app, at=r"0x[0-9a-f]{8}"):
    return rf'\[kernel\] load: app "{re.escape(app)}" at {at}: loaded'


def skipped(app, reason):
    """`app` None: the header could not be read, so the line names no app."""
    who = "app" if app is None else rf'app "{re.escape(app)}"'
    return rf"\[kernel\] load: {who} at 0x[0-9a-f]{{8}}: skipped: {reason}"


def running(count, found):
    return rf"\[kernel\] load: {count} of {found} apps running"

# Virtual time that jumps ahead while the guest is idle: minutes of timer waits take seconds.
# Time while busy is one nanosecond per instruction, so timing inside a case stays plausible.
QEMU_FAST_IDLE = ["-icount", "shift=0,align=off,sleep=off"]

CASES = []
# Long runs kept out of the normal suite (e.g. the 10,000-cycle restart soak).
SOAK_CASES = []


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
    """`name` faults on every run (faults: board name -> fault pattern); the board's default
    policy restarts it 3 times, waiting 10, 20 and 40 ms, then stops it; heartbeat keeps
    printing afterwards."""
    return BoardCase(f"isolation_{name}", [name, "heartbeat"],
                     {board: fault_sequence(name, about, fault) for board, fault in faults.items()},
                     forbid=KERNEL_OK + [rf"{name}: FAIL"],
                     counts=[(rf"process {name} \(id \d+\) faulted", runs)], timeout=30)


def fault_sequence(name, about, fault):
    expect = [about, rf"\[kernel\] process {name} \(id \d+\) faulted: {fault}"]
    for streak, wait in ((1, 10), (2, 20), (3, 40)):
        expect.append(rf"\[kernel\] process {name}: restarting after fault \({streak} of 3\) in "
                      rf"{wait} ms")
    expect += [rf"\[kernel\] process {name} \(id \d+\) faulted: {fault}",
               rf"\[kernel\] process {name}: stopped \(fault 4 in a row\)"]
    expect += [r"heartbeat \d+"] * 3
    return expect


def error_not_fault(name, about, result):
    """`name` gets an error code back and is not faulted; heartbeat is unharmed."""
    return Case(f"isolation_{name}", [name, "heartbeat"],
                [about, rf"{name}: {result}", r"heartbeat \d+", r"heartbeat \d+"],
                forbid=KERNEL_OK + [rf"process {name} .*faulted", rf"{name}: FAIL"],
                timeout=20)


class KernelFaultCase(Case):
    """Runs a copy of the product kernel whose function `function` starts with an undefined
    instruction, as if a kernel bug jumped into garbage: the first call faults in the kernel,
    which must print the fault and the panic and end QEMU with status 1 through the board's
    panic exit, the status `make run` then ends with. The copy lives in the case's work
    directory; the product image is untouched and has no test-only code."""

    UNDEFINED = {"cortex-m": bytes.fromhex("fedefede"),  # udf #0xfe, twice (Thumb)
                 "riscv": bytes(4)}  # all zeros: illegal as a 32- and as a 16-bit instruction

    def __init__(self, name, apps, function, expect, **kw):
        super().__init__(name, apps, expect, exit_status=1, **kw)
        self.function = function

    def kernel_file(self, board, workdir):
        with open(board.kernel, "rb") as f:
            data = bytearray(f.read())
        image = elf.parse(data)
        address = image.symbol_value(self.function)
        if address is None:
            raise RuntimeError(f"{board.kernel} has no symbol {self.function}")
        address &= ~1  # the Thumb bit of a Cortex-M function
        code = next((s for s in image.sections if s.flags & elf.SHF_EXECINSTR and
                     s.addr <= address < s.addr + s.size), None)
        if code is None:
            raise RuntimeError(f"{self.function} (0x{address:08x}) is in no code section")
        offset = code.offset + address - code.addr
        data[offset:offset + 4] = self.UNDEFINED[board.arch]
        path = os.path.join(workdir, f"kernel-{board.name}-broken-{self.function}.elf")
        with open(path, "wb") as f:
            f.write(data)
        return path


class PersistenceCase(Case):
    """Boots the apps twice on one flash file (boards with a file-backed flash only): the first
    boot, run from image(), must print every `first` pattern; the second boot, run and checked
    by the runner as usual, must show what the first one stored."""

    def __init__(self, name, apps, first, expect, **kw):
        super().__init__(name, apps, expect, **kw)
        self.first = list(first)

    def image(self, board, workdir):
        path = qemu_image.build(board, self.apps, workdir)
        proc = subprocess.Popen(board.qemu_command(path, board.kernel), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = b""
        deadline = time.monotonic() + self.timeout
        first = Case("first boot", self.apps, self.first)
        try:
            while time.monotonic() < deadline and not first.expected_found(
                    output.decode("utf-8", "replace")):
                ready, _, _ = select.select([proc.stdout], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                output += chunk
        finally:
            proc.kill()
            proc.wait()
        text = output.decode("utf-8", "replace")
        missing = first.check(text)
        if missing:
            raise RuntimeError(f"first boot: {missing}; output:\n{text}")
        qemu_flash.keep_flash_for_next_run(path)
        return path


class PowerCutCase(Case):
    """Power cuts on one flash file (boards with a file-backed flash only). For each kill point
    (acks, delay): boot `writer` on the flash, wait for `acks` new lines matching `ack` after its
    first line matching `ready`, wait `delay` seconds more (the next write is under way) and
    SIGKILL QEMU; then boot `checker` on what the kill left, which must print `verdict` and
    report (through `report`, a pattern whose named groups the case's `judge` reads) a store
    that holds everything acknowledged. The last checker boot is the one the runner checks with
    `expect` as usual. `judge(groups, acked)` gets the report's groups and every ack line's
    groups so far, and returns a list of problems."""

    def __init__(self, name, writer, checker, kills, ack, ready, report, judge, expect,
                 **kw):
        super().__init__(name, [checker], expect, **kw)
        self.writer = writer
        self.checker = checker
        self.kills = list(kills)
        self.ack = ack
        self.ready = ready
        self.report = report
        self.judge = judge
        self.acked = None  # the ack lines' groups, once every kill was done
        self.kill_log = []  # the checker's report after each kill but the last

    def _boot(self, board, workdir, apps, keep, stop):
        """Boots `apps` (on the flash the last boot left when `keep`) until stop(text) is true
        or the timeout; kills QEMU with SIGKILL and returns the output."""
        path = qemu_image.build(board, apps, workdir)
        if keep:
            qemu_flash.keep_flash_for_next_run(path)
        proc = subprocess.Popen(board.qemu_command(path, board.kernel), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = b""
        deadline = time.monotonic() + self.timeout
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([proc.stdout], [], [], 0.01)
                if ready:
                    chunk = os.read(proc.stdout.fileno(), 4096)
                    if not chunk:
                        break
                    output += chunk
                if stop(output.decode("utf-8", "replace")):
                    break
        finally:
            proc.kill()  # SIGKILL: no chance to finish the write in flight
            proc.wait()
        return output.decode("utf-8", "replace"), path

    def image(self, board, workdir):
        workdir = os.path.join(workdir, self.name)
        os.makedirs(workdir, exist_ok=True)
        self.acked = None
        self.kill_log = []
        acked = []
        path = None
        for round_index, (acks, delay) in enumerate(self.kills):
            state = {"seen_at": None}

            def stop(text, acks=acks, delay=delay, state=state):
                start = re.search(self.ready, text, re.M)
                if start is None:
                    return False
                if len(re.findall(self.ack, text[start.end():], re.M)) < acks:
                    return False
                if state["seen_at"] is None:
                    state["seen_at"] = time.monotonic()
                return time.monotonic() - state["seen_at"] >= delay

            text, path = self._boot(board, workdir, [self.writer], round_index > 0, stop)
            if re.search(self.ready, text, re.M) is None or state["seen_at"] is None:
                raise RuntimeError(f"kill {round_index + 1}: the writer did not reach "
                                   f"{acks} acks; output:\n{text}")
            acked += [m.groupdict() for m in re.finditer(self.ack, text, re.M)]
            if round_index + 1 == len(self.kills):
                break  # the runner boots the checker the last time
            verdict = re.compile(self.expect[-1], re.M)
            text, path = self._boot(board, workdir, [self.checker], True,
                                    lambda t: verdict.search(t) is not None or "FAIL" in t)
            problems = self.check(text) + self.judge_text(text, acked)
            if problems:
                raise RuntimeError(f"check after kill {round_index + 1}: {problems}; "
                                   f"output:\n{text}")
            self.kill_log.append(re.search(self.report, text, re.M).group(0))
        self.acked = acked
        path = qemu_image.build(board, [self.checker], workdir)
        qemu_flash.keep_flash_for_next_run(path)
        return path

    def judge_text(self, text, acked):
        m = re.search(self.report, text, re.M)
        if m is None:
            return [f"no report matching {self.report!r}"]
        return self.judge(m.groupdict(), acked)

    def check(self, text):
        problems = super().check(text)
        if not problems and getattr(self, "acked", None) is not None:
            problems += self.judge_text(text, self.acked)
        return problems


def kv_crash_judge(report, acked):
    """The checker's keys (m) and last (L) against the writer's acks: every acknowledged key
    c<i> means m > i; every acknowledged last = i means L >= i."""
    keys = int(report["keys"])
    last = None if report["last"] == "none" else int(report["last"])
    key_acks = [int(a["index"]) for a in acked if a["what"] == "key"]
    last_acks = [int(a["index"]) for a in acked if a["what"] == "last"]
    problems = []
    if key_acks and keys <= max(key_acks):
        problems.append(f"acknowledged key c{max(key_acks)} lost (checker saw {keys} keys)")
    if last_acks and (last is None or last < max(last_acks)):
        problems.append(f"acknowledged last={max(last_acks)} lost (checker saw {last})")
    return problems


class CorruptImageCase(Case):
    """The first app's header is damaged after packing; the kernel must skip it with a reason
    and still run the apps after it."""

    def __init__(self, name, offset, value, reason, **kw):
        super().__init__(name, ["hello", "heartbeat"],
                         [skipped(None, reason), r"(Hello World!|heartbeat \d+)"],
                         forbid=KERNEL_OK, **kw)
        self.offset = offset
        self.value = value

    def image(self, board, workdir):
        path = qemu_image.build(board, self.apps, workdir)
        with open(path, "r+b") as f:
            f.seek(self.offset)
            f.write(bytes([self.value]))
        return path


class CraftedImageCase(Case):
    """An app's header TLV is rewritten after packing (checksum recomputed, so the header is
    well-formed but hostile); the kernel must skip that app by name and run the others.
    `patch` is [(app name, TLV type, byte offset in the TLV payload, u32 value)]."""

    def __init__(self, name, apps, patch, expect, **kw):
        super().__init__(name, apps, expect, **kw)
        self.patch = list(patch)

    def image(self, board, workdir):
        path = qemu_image.build(board, self.apps, workdir)
        with open(path, "rb") as f:
            data = bytearray(f.read())
        for app_name, tlv_type, at, value in self.patch:
            app = next(a for a in tbf.walk_image(bytes(data), check_footers=False)
                       if not a.is_padding and a.header.package_name == app_name)
            _, tlv_offset, length = next(t for t in app.tlvs if t[0] == tlv_type)
            assert at + 4 <= length, "patch outside the TLV payload"
            struct.pack_into("<I", data, app.offset + tlv_offset + 4 + at, value)
            header = bytes(data[app.offset:app.offset + app.header.header_size])
            struct.pack_into("<I", data, app.offset + 12, tbf.checksum(header))
        with open(path, "wb") as f:
            f.write(data)
        return path


TEST_KEY_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keys",
                             "credentials_test_key.hex")


def credential_tbf(board, app, slot, spec, workdir):
    """App `app`'s TBF for `slot` with its footers rewritten (tbf.with_credentials): spec is a
    string of words: sha256, sha384, sha512 (hash credentials, in that order), signed (an ECDSA
    P-256 signature by the test key, first), tampered (one byte of the binary flipped after the
    credentials were made). Returns the new file's path."""
    import ecdsa_p256  # noqa: E402  (tools/ecdsa_p256.py)
    with open(board.app_file(app, slot), "rb") as f:
        data = f.read()
    words = spec.split()
    hashes = [{"sha256": tbf.CREDENTIAL_SHA256, "sha384": tbf.CREDENTIAL_SHA384,
               "sha512": tbf.CREDENTIAL_SHA512}[w] for w in words if w.startswith("sha")]
    key = ecdsa_p256.load_private_key(TEST_KEY_PATH) if "signed" in words else None
    data = bytearray(tbf.with_credentials(data, hashes, key))
    if "tampered" in words:
        header = tbf.parse_tbf(bytes(data), check_footers=False).header
        data[header.header_size + header.protected_trailer_size + 8] ^= 0x01
    path = os.path.join(workdir, f"{app}.slot{slot}.{'-'.join(words) or 'plain'}.tbf")
    with open(path, "wb") as f:
        f.write(data)
    return path


class CredentialsCase(Case):
    """Boots `apps`: [(app name, credential spec)] (credential_tbf), one per slot in order."""

    def image(self, board, workdir):
        tbfs = [credential_tbf(board, app, slot, spec, workdir)
                for slot, (app, spec) in enumerate(self.apps, start=1)]
        return qemu_image.pack(board, tbfs, os.path.join(workdir, "apps.bin"))


# Machine code that does nothing but Yield-Wait (ABI §1.6.1) in a loop: an app made of it takes
# a process slot and RAM and then never runs again.
IDLE_CODE = {
    "cortex-m": bytes.fromhex("0120" "00df" "fce7"),  # movs r0, #1; svc 0; b (to movs)
    "riscv": bytes.fromhex("13051000" "13070000" "73000000" "6ff05fff"),  # li a0, 1; li a4, 0;
}                                                                         # ecall; j (to li a0)


def idle_tbf(board, name, minimum_ram, workdir):
    """Write a 512-byte TBF of IDLE_CODE (no fixed addresses, so it goes anywhere) named
    `name` that asks for `minimum_ram` bytes of RAM; returns its path."""
    code = IDLE_CODE[board.arch]
    header = tbf.TbfHeader(total_size=512, package_name=name, kernel_version=(2, 2),
                           minimum_ram_size=minimum_ram, binary_end_offset=512)
    raw = tbf.encode_header(header) + code
    path = os.path.join(workdir, f"{name}.tbf")
    with open(path, "wb") as f:
        f.write(raw + bytes(512 - len(raw)))
    return path


class IdleAppsCase(Case):
    """Boots `apps`, then idle apps (idle_tbf) named by `idle`: [(name, minimum RAM bytes)]."""

    def __init__(self, name, apps, idle, expect, **kw):
        super().__init__(name, apps, expect, **kw)
        self.idle = list(idle)

    def image(self, board, workdir):
        tbfs = [board.app_file(app, slot) for slot, app in enumerate(self.apps, start=1)]
        tbfs += [idle_tbf(board, name, ram, workdir) for name, ram in self.idle]
        return qemu_image.pack(board, tbfs, os.path.join(workdir, "apps.bin"))


class BrokenWalkCase(Case):
    """Packs `apps`, then overwrites base-header bytes of the app named `victim` (`patch`:
    {offset in the header: bytes}) so the loader cannot step over it. The apps before it must
    load and then print `then`; the kernel must name the victim's address, the reason and how
    much app flash it did not walk, count only the apps before it, and never name the victim
    or the apps after it."""

    def __init__(self, name, apps, victim, patch, reason, then, **kw):
        index = apps.index(victim)
        unnamed = [rf'"{re.escape(app)}"' for app in apps[index:]]
        super().__init__(name, apps, [], forbid=KERNEL_OK + unnamed, **kw)
        self.victim = victim
        self.patch = dict(patch)
        self.reason = reason
        self.before = apps[:index]
        self.then = list(then)

    def image(self, board, workdir):
        path = qemu_image.build(board, self.apps, workdir)
        with open(path, "rb") as f:
            data = bytearray(f.read())
        app = next(a for a in tbf.walk_image(bytes(data), check_footers=False)
                   if not a.is_padding and a.header.package_name == self.victim)
        for at, value in self.patch.items():
            data[app.offset + at:app.offset + at + len(value)] = value
        with open(path, "wb") as f:
            f.write(data)
        stop = (rf"\[kernel\] load: stop at 0x{board.app_flash.start + app.offset:08x}: "
                rf"{self.reason}; {board.app_flash.size - app.offset} bytes of app flash "
                r"not walked")
        self.expect = [loaded(a) for a in self.before] + [stop]
        self.expect += [running(len(self.before), len(self.before))] + self.then
        return path


TOCKLOADER = os.path.join(os.path.dirname(os.path.abspath(qemu_image.__file__)), "tockloader.py")


class TockloaderCase(Case):
    """The image is made with tools/tockloader.py (doc/reference/021): `tab_app` from a TAB of
    every build `make apps` made of it (qemu_image.app_tab), named first on the command line,
    and `tbf_apps` as .tbf files, the i-th the build for slot i where slots are fixed (so the
    TAB must take a free slot of its own); then `disabled` apps are turned off with disable-app.
    The kernel's load lines must be exactly those `tockloader.py list --map` predicted, in
    order, and the apps must run (`counts`)."""

    def __init__(self, name, tab_app, tbf_apps, disabled, **kw):
        super().__init__(name, [tab_app] + list(tbf_apps), [], **kw)
        self.tab_app = tab_app
        self.tbf_apps = list(tbf_apps)
        self.disabled = list(disabled)

    def tockloader(self, board, image, *args):
        proc = subprocess.run([sys.executable, TOCKLOADER, "--board", board.name, "--image",
                               image] + list(args), capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"tockloader {' '.join(args)}: {proc.stderr.strip()}")
        return proc.stdout

    def image(self, board, workdir):
        workdir = os.path.join(workdir, self.name)
        os.makedirs(workdir, exist_ok=True)
        image = os.path.join(workdir, "apps.bin")
        if os.path.exists(image):
            os.remove(image)
        bundle = qemu_image.app_tab(board, self.tab_app, os.path.join(workdir, "app.tab"))
        tbfs = [board.app_file(app, slot) for slot, app in enumerate(self.tbf_apps, start=1)]
        self.tockloader(board, image, "install", bundle, *tbfs)
        if self.disabled:
            self.tockloader(board, image, "disable-app", *self.disabled)
        listing = self.tockloader(board, image, "list", "--map").splitlines()
        predicted = listing[listing.index("The kernel will print at boot:") + 1:]
        self.expect = [re.escape(line) for line in predicted]
        return image


# Syscall fuzzing (doc/reference/015-soak-tests.md): syscall_fuzz issues random calls of every
# class with a fixed seed next to ram_guard (checks its RAM and stack canary every 100 ms) and
# heartbeat. The kernel must not panic or fault, no bystander may fault or see its RAM change,
# and the fuzzer itself must not fault either: it never faults by its own choice, so a fault is
# the kernel misjudging a call. syscall_fuzz runs in slot 1, so on virt ram_guard's slot 2 is the
# "other process RAM" it aims at. rot13_service is an IPC service it can find by process id,
# share scratch with and notify (the service then writes the shared buffer); console input is
# typed while it may have reads outstanding.
SYSCALL_FUZZ_APPS = ["syscall_fuzz", "ram_guard", "rot13_service", "heartbeat"]
SYSCALL_FUZZ_INPUT = [(r"syscall_fuzz: 10000 calls\b", "fuzz\x00\xff\x1b[0m\n" * 20),
                      (r"syscall_fuzz: 20000 calls\b", "x" * 300)]
SYSCALL_FUZZ_FORBID = KERNEL_OK + [r"CORRUPT", r"faulted", r"syscall_fuzz: FAIL"]
SYSCALL_FUZZ_FIGURES = [("fuzzer progress", r"syscall_fuzz: (\d+) calls"),
                        ("fuzzer stats", r"syscall_fuzz: \d+ calls \((.*)\)"),
                        ("ram_guard beats", r"ram_guard: heartbeat (\d+) ok"),
                        ("heartbeat beats", r"^heartbeat (\d+)\r?$")]


def syscall_fuzz_case(name, calls, timeout, beats, fuzzers=1):
    """`fuzzers` copies of syscall_fuzz (each a different sequence: the PRNG also mixes in the
    RAM address) with ram_guard and heartbeat; every copy must reach `calls`. With two, they
    share the queued drivers and can reach each other through IPC, and on mps2 the second
    one's "other process" is heartbeat."""
    apps = SYSCALL_FUZZ_APPS if fuzzers == 1 else \
        ["syscall_fuzz", "ram_guard", "syscall_fuzz", "heartbeat"]
    return Case(name, apps, [r"syscall_fuzz: seed 0x[0-9a-f]+"],
                forbid=SYSCALL_FUZZ_FORBID + [r"accepted: .* exit [1-9]"],
                counts=[(rf"syscall_fuzz: {calls} calls\b", fuzzers), (r"ram_guard: guarding", 1),
                        (r"ram_guard: heartbeat \d+ ok", beats), (r"^heartbeat \d+\r?$", beats)],
                input=SYSCALL_FUZZ_INPUT, figures=SYSCALL_FUZZ_FIGURES, timeout=timeout)


CASES += [syscall_fuzz_case("syscall_fuzz_slice", 50000, 60, 3),
          syscall_fuzz_case("syscall_fuzz_two_fuzzers", 30000, 60, 3, fuzzers=2)]

# Long campaigns, run by `make soak` (tools/qemu_test.py --soak), not by `make test`.
SOAK_CASES += [syscall_fuzz_case("soak_syscall_fuzz", 1000000, 900, 200),
               syscall_fuzz_case("soak_syscall_fuzz_two_fuzzers", 500000, 900, 200, fuzzers=2)]


# One app per slot of the board description: each must load at exactly its slot's addresses.
FIXED_ADDRESS_APPS = ["hello", "heartbeat", "counter_a", "counter_b"]

EARLY_CLIENT_EXPECT = [r"ipc_early_client: notified before the service subscribed",
                       r"ipc_late_service: subscribing",
                       r"ipc_early_client: first answer: EARLY BIRD",
                       r"ipc_early_client: second answer: LATE WORM",
                       r"ipc_early_client: done"]

CASES += [
    Case("hello", ["hello"], [loaded("hello"), running(1, 1), r"Hello World!"],
         forbid=KERNEL_OK),
    Case("abi", ["abi"], [r"abi: \d+ passed, 0 failed"], forbid=KERNEL_OK + [r"^not ok"],
         timeout=30),
    Case("two_processes_share_the_console", ["heartbeat", "hello"],
         [r"Hello World!", r"heartbeat 3"], forbid=KERNEL_OK),
    # Each fault report names the fault, the address and what lies there (kernel/fault_report.c).
    faults_then_recovers("read_kernel_ram", r"read_kernel_ram: reading kernel RAM", {
        "qemu_mps2_an385":
            rf"MemManage, data access violation at {MPS2.kernel_ram.start:#010x}: kernel RAM$",
        "qemu_rv32_virt": rf"load access fault at {VIRT.kernel_ram.start:#010x}: kernel RAM$"}),
    faults_then_recovers("read_other_ram", r"read_other_ram: reading RAM outside", {
        "qemu_mps2_an385": r"MemManage, data access violation at 0x2\w+: "
                           r"another process's RAM \(heartbeat\)$",
        "qemu_rv32_virt": r"load access fault at 0x803\w+: another process's RAM \(heartbeat\)$"}),
    faults_then_recovers("read_peripheral", r"read_peripheral: reading a peripheral", {
        "qemu_mps2_an385": r"MemManage, data access violation at 0x40000000: peripheral$",
        "qemu_rv32_virt": r"load access fault at 0x00100000: peripheral$"}),
    faults_then_recovers("write_flash", r"write_flash: writing own flash", {
        "qemu_mps2_an385": r"MemManage, data access violation at 0x00[1-3]\w+: own flash \(write\)$",
        "qemu_rv32_virt": r"store/AMO access fault at 0x801\w+: own flash \(write\)$"}),
    faults_then_recovers("jump_kernel", r"jump_kernel: jumping to kernel code", {
        "qemu_mps2_an385": r"MemManage, instruction access violation at 0x00000100: kernel flash$",
        "qemu_rv32_virt": r"instruction access fault at 0x80000100: kernel flash$"}),
    # A Cortex-M overflow shows as a stacking error (the exception frame could not be pushed
    # either); both boards name the distance below the stack start.
    faults_then_recovers("stack_overflow", r"stack_overflow: recursing", {
        "qemu_mps2_an385": r"MemManage, stacking error at 0x2003f\w+: \d+ bytes below the stack "
                           r"start \(stack overflow\), in kernel RAM$",
        "qemu_rv32_virt": r"store/AMO access fault at 0x802\w+: \d+ bytes below the stack start "
                          r"\(stack overflow\), in kernel RAM$"}),
    # Faulting on the first instruction, before any syscall or output: the report still comes,
    # with the pc at _start (app binary + 0x28, after the crt0-layout header).
    faults_then_recovers("fault_at_entry", r"load: 2 of 2 apps running", {
        "qemu_mps2_an385": r"(UsageFault|HardFault), undefined instruction at 0x00\w+: own flash$"
                           r"\n  status: CFSR 0x00010000 \(UNDEFINSTR\).*"
                           r"\n  pc 0x00\w+ \(app binary \+ 0x0028\)",
        "qemu_rv32_virt": r"illegal instruction at 0x801\w+: own flash$"
                          r"\n  status: mcause 2 \(illegal instruction\).*"
                          r"\n  pc 0x801\w+ \(app binary \+ 0x0028\)"}),
    # Per-app fault policies (the self-test image's overrides, components/selftest_faults.c).
    Case("fault_policy_hold_keeps_the_process_for_inspection", ["fault_hold", "heartbeat"],
         [r"fault_hold: faulting", r"\[kernel\] process fault_hold \(id \d+\) faulted",
          r"\[kernel\] process fault_hold: held for inspection", r"heartbeat 5\b"],
         forbid=KERNEL_OK + [r"fault_hold: running[\s\S]*fault_hold: running",
                             r"process fault_hold: (restarting|stopped)", r"FAIL"],
         kernel="selftest"),
    Case("fault_policy_stop_clears_and_never_restarts", ["fault_stop", "heartbeat"],
         [r"fault_stop: faulting",
          r"\[kernel\] process fault_stop: stopped \(fault 1 in a row\)",
          r"heartbeat 5\b"],
         forbid=KERNEL_OK + [r"fault_stop: running[\s\S]*fault_stop: running",
                             r"process fault_stop: restarting", r"FAIL"],
         kernel="selftest"),
    # fault_late runs 400 ms before each fault, longer than its healthy 300 ms: every fault
    # starts a new streak, so it is restarted over and over although its budget is 2.
    Case("fault_policy_healthy_runs_reset_the_restart_budget", ["fault_late", "heartbeat"],
         [r"fault_late: faulting", r"fault_late: restarting after fault \(1 of 2\) in 50 ms",
          r"fault_late: running"],
         forbid=KERNEL_OK + [r"process fault_late: stopped", r"\(2 of 2\)", r"FAIL"],
         counts=[(r"fault_late: restarting after fault \(1 of 2\) in 50 ms", 4)],
         kernel="selftest", timeout=30),
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
    # Runtime app loading (0x10001, capsules/extra/app_loader.c, record 028): each refusal,
    # then the app installed and running without a reboot; a loader that dies mid-load leaves
    # the flash to the next one.
    Case("app_loader_refuses_bad_loads_then_installs_an_app", ["app_loader_test", "heartbeat"],
         [r"app_loader_test: bad sizes INVAL NOMEM", r"app_loader_test: second setup BUSY",
          r"app_loader_test: writes past the end INVAL, wrapping INVAL, "
          r"with a non-blank tail INVAL",
          r"\[kernel\] app loader: refused the app at 0x[0-9a-f]{8}: header checksum mismatch",
          r"app_loader_test: bad checksum refused FAIL",
          r"\[kernel\] app loader: refused the app at 0x[0-9a-f]{8}: "
          r"SHA-256 credential does not match the image",
          r"app_loader_test: tampered body refused FAIL", r"app_loader_test: aborted",
          r"app_loader_test: rewrite ALREADY", loaded("loaded_hello"),
          r"loaded_hello: running, loaded at runtime"],
         forbid=KERNEL_OK + [r"FAIL \w", r"faulted", r"waited for the loader"],
         counts=[(r"app_loader_test: write after load INVAL", 1), (r"app_loader_test: done", 1),
                 (r"heartbeat 5", 1)]),
    Case("app_loader_dying_loader_leaves_flash_to_the_next", ["app_loader_dies", "app_loader_test"],
         [r"app_loader_dies: wrote a chunk", r"app_loader_test: waited for the loader",
          r"app_loader_dies: exiting mid-load", loaded("loaded_hello"),
          r"loaded_hello: running, loaded at runtime"],
         forbid=KERNEL_OK + [r"FAIL \w", r"faulted"],
         counts=[(r"app_loader_test: done", 1)]),
    # Scheduling policies (kernel/sched_*.c, record 027), each in its own kernel image, under
    # the deterministic clock (-icount: the same instructions every run, so lateness figures do
    # not depend on the host). A periodic task next to a spinner that never yields:
    # round-robin lets the spinner finish its slice first (the task wakes up to a slice late);
    # fixed priority runs the task (the first installed, so the higher) the moment its alarm
    # fires; MLFQ does the same once the spinners used a slice and dropped a level;
    # cooperative never takes the CPU from the spinner, so the task starves (on purpose).
    Case("sched_round_robin_spinner_delays_a_periodic_task", ["sched_periodic", "spin"],
         [r"sched_periodic: started", r"spin: looping without yielding",
          r"sched_periodic: max late \d+ us over 40 periods: over 1 ms"],
         forbid=KERNEL_OK + [r"faulted", r"FAIL"], qemu_args=QEMU_FAST_IDLE, timeout=40),
    Case("sched_priority_periodic_task_preempts_a_spinner", ["sched_periodic", "spin"],
         [r"sched_periodic: started", r"spin: looping without yielding",
          r"sched_periodic: max late \d+ us over 40 periods: ok"],
         forbid=KERNEL_OK + [r"faulted", r"FAIL", r"over 1 ms"], qemu_args=QEMU_FAST_IDLE,
         kernel="sched_priority", timeout=40),
    Case("sched_mlfq_periodic_task_beats_two_spinners", ["spin", "spin", "sched_periodic"],
         [r"sched_periodic: max late \d+ us over 40 periods: ok"],
         forbid=KERNEL_OK + [r"faulted", r"FAIL", r"over 1 ms"],
         counts=[(r"spin: looping without yielding", 2)], qemu_args=QEMU_FAST_IDLE,
         kernel="sched_mlfq", timeout=40),
    Case("sched_cooperative_spinner_starves_the_others", ["spin", "sched_periodic"],
         [r"spin: looping without yielding"],
         forbid=KERNEL_OK + [r"faulted", r"sched_periodic: max late"], qemu_args=QEMU_FAST_IDLE,
         kernel="sched_cooperative", grace=3.0),
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
    BoardCase("fixed_address_slots", FIXED_ADDRESS_APPS, {
        "qemu_rv32_virt": [loaded(app, f"{slot.flash:#010x}") +
                           rf" \(flash {slot.flash:#010x}-0x[0-9a-f]{{8}}, "
                           rf"RAM {slot.ram:#010x}-0x[0-9a-f]{{8}}\)"
                           for app, slot in zip(FIXED_ADDRESS_APPS, VIRT.slots)] +
        [r"Hello World!", r"counter_b: done"]},
        forbid=KERNEL_OK, skip_boards=("qemu_mps2_an385",), timeout=30),
    Case("ipc_compat_rot13", ["rot13_service", "rot13_client"],
         [r"rot13_service: ready", r"rot13_client: Uryyb Jbeyq!", r"rot13_client: Hello World!",
          r"rot13_client: Uryyb Jbeyq!", r"rot13_client: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], timeout=30),
    # The client notifies before the service subscribed (held by the kernel, not lost), in both
    # flash orders; its second answer is held until it subscribes a callback.
    Case("ipc_compat_notify_before_subscribe_client_first",
         ["ipc_early_client", "ipc_late_service"], EARLY_CLIENT_EXPECT,
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], timeout=30),
    Case("ipc_compat_notify_before_subscribe_service_first",
         ["ipc_late_service", "ipc_early_client"], EARLY_CLIENT_EXPECT,
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], timeout=30),
    Case("ipc_compat_unmappable_share_fails", ["ipc_bad_share"],
         [r"ipc_bad_share: 30 bytes: INVAL", r"ipc_bad_share: 64 bytes: SUCCESS"],
         forbid=KERNEL_OK),
    Case("ipc_compat_mapping_revoked_when_sharer_restarts", ["ipc_keeper", "ipc_client_restarts"],
         [r"ipc_keeper: ready", r"ipc_keeper: got kept secret",
          r"ipc_client_restarts: answered, restarting",
          r"ipc_client_restarts: restarted, not sharing",
          r"ipc_keeper: reading the departed client's buffer",
          r"\[kernel\] process ipc_keeper \(id \d+\) faulted: "
          r"(MemManage, data access violation|load access fault)"],
         forbid=KERNEL_OK + [r"ipc_keeper: FAIL", r"ipc_client_restarts: FAIL"], timeout=30),
    Case("ipc_compat_mapping_revoked_when_sharer_exits", ["ipc_keeper", "ipc_client_exits"],
         [r"ipc_keeper: ready", r"ipc_keeper: got kept secret", r"ipc_client_exits: exiting",
          r"ipc_keeper: reading the departed client's buffer",
          r"\[kernel\] process ipc_keeper \(id \d+\) faulted: "
          r"(MemManage, data access violation|load access fault)"],
         forbid=KERNEL_OK + [r"ipc_keeper: FAIL"], timeout=30),
    Case("ipc_compat_mapping_revoked_when_share_withdrawn", ["ipc_keeper", "ipc_client_withdraws"],
         [r"ipc_keeper: ready", r"ipc_keeper: got kept secret",
          r"ipc_client_withdraws: answered", r"ipc_client_withdraws: withdrawn, secret written",
          r"ipc_keeper: reading the departed client's buffer",
          r"\[kernel\] process ipc_keeper \(id \d+\) faulted: "
          r"(MemManage, data access violation|load access fault)",
          r"ipc_client_withdraws: still alive"],
         forbid=KERNEL_OK + [r"ipc_keeper: FAIL", r"ipc_client_withdraws: FAIL",
                             r"process ipc_client_withdraws .*faulted"], timeout=30),
    Case("ipc_compat_notify_flood_leaves_heartbeat_beating", ["ipc_flooder", "heartbeat"],
         [r"ipc_flooder: flooding heartbeat"] + [r"^heartbeat \d+"] * 4 +
         [r"ipc_flooder: done, \d{4,} notifies sent, 0 refused"] + [r"^heartbeat \d+"] * 3,
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], timeout=40),
    Case("latched_completion_survives_a_flooded_ring", ["latched_flood"],
         [r"latched_flood: ring flooded: 9 alarm upcalls of 20\r?$",
          r"latched_flood: async completion once, status 0\r?$",
          r"latched_flood: ring flooded again: 9 alarm upcalls\r?$",
          r"latched_flood: sync set under flood: 0", r"latched_flood: done, completions 1\r?$"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], timeout=40),
    Case("ipc_msg_call_reply_leases", ["msg_server", "msg_basic"],
         [r"msg_server: ready", r"msg_basic: echo 'ping' code 4\r?$",
          r"msg_basic: truncated 8 of 16\r?$", r"msg_basic: big request: SIZE",
          r"msg_basic: second send: ALREADY", r"msg_basic: cancelled: CANCEL CANCELLED\r?$",
          r"msg_server: late reply dropped",
          r"msg_server: read lease: SUCCESS 10 bytes 'lease-data'",
          r"msg_server: lease info: SUCCESS attrs 1 len 10", r"msg_server: lease past end: SIZE",
          r"msg_server: write to read lease: INVAL", r"msg_server: missing lease: INVAL",
          r"msg_server: write lease: SUCCESS 8 bytes", r"msg_server: borrow after reply: CANCEL",
          r"msg_basic: write lease 'abcdwritten!mnop'\r?$",
          r"msg_server: lease re-allowed: CANCEL CANCELLED",
          r"msg_basic: server sees me as 'msg_basic' on endpoint 0\r?$",
          r"msg_basic: status LIVE\r?$", r"msg_basic: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], timeout=30),
    Case("ipc_msg_example_upper", ["upper_service", "upper_client"],
         [r"upper_service: ready", r"upper_client: HELLO FROM TOCKC\r?$",
          r"upper_client: 600 bytes via leases, ends with 'ZAB'",
          r"upper_client: notified 0x1\r?$", r"upper_client: done"],
         forbid=KERNEL_OK + [r"faulted", r"failed"], timeout=20),
    Case("ipc_msg_client_dies_mid_call", ["msg_server", "msg_dies", "msg_peer"],
         [r"msg_server: ready", r"msg_dies: exiting mid-call",
          r"msg_server: hold borrow: CANCEL PEER_DEAD\r?$", r"msg_server: hold reply dropped",
          r"msg_peer: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], counts=[(r"msg_peer: echo \d ok", 5)],
         timeout=30),
    Case("ipc_msg_server_restarts_mid_call", ["msg_crasher", "msg_rclient", "msg_qclient"],
         [r"msg_crasher: ready", r"msg_crasher: crashing with a call held",
          r"\[kernel\] process msg_crasher \(id \d+\) faulted: invalid syscall class",
          r"msg_rclient: call: UNINSTALLED PEER_DEAD\r?$",
          r"msg_rclient: watch bits 0x1\r?$",
          r"msg_rclient: status RESTARTED",
          r"msg_rclient: old descriptor: UNINSTALLED PEER_RESTARTED\r?$",
          r"msg_rclient: reopened",
          r"msg_rclient: echo after restart ok", r"msg_rclient: done"],
         forbid=KERNEL_OK + [r"FAIL", r"process msg_[rq]client .*faulted"],
         counts=[(r"msg_crasher: ready", 2),
                 (r"msg_qclient: queued call: UNINSTALLED PEER_DEAD\r?$", 1)],
         timeout=30),
    Case("ipc_queue_producers_consumer",
         ["mq_consumer", "mq_producer", "mq_producer", "mq_full"],
         [r"mq_consumer: empty no-wait: BUSY\r?$",
          r"mq_consumer: empty wait 30 ms: CANCEL TIMEOUT, waited enough",
          r"mq_consumer: ready", r"mq_full: full no-wait: NOMEM\r?$",
          r"mq_full: full wait 30 ms: CANCEL TIMEOUT, waited enough", r"mq_full: held, exiting",
          r"mq_consumer: 20 messages from 2 producers, each in order",
          r"mq_consumer: then empty: CANCEL TIMEOUT\r?$", r"mq_consumer: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"],
         counts=[(r"mq_producer: sent 10\r?$", 2)], timeout=30),
    Case("ipc_queue_owner_restarts", ["mq_rowner", "mq_rsender"],
         [r"mq_rowner: ready", r"mq_rowner: got 1\r?$",
          r"mq_rowner: crashing with a send held",
          r"\[kernel\] process mq_rowner \(id \d+\) faulted: invalid syscall class",
          r"mq_rsender: held send: UNINSTALLED PEER_DEAD\r?$",
          r"mq_rsender: old descriptor: UNINSTALLED PEER_RESTARTED\r?$",
          r"mq_rsender: reopened, sent 7", r"mq_rsender: done"],
         forbid=KERNEL_OK + [r"FAIL", r"process mq_rsender .*faulted", r"mq_rowner: got [23]\b"],
         counts=[(r"mq_rowner: ready", 2), (r"mq_rowner: got 7\r?$", 1)], timeout=30),
    Case("ipc_msg_flood_does_not_starve_others",
         ["msg_server", "msg_flooder", "msg_polite", "msg_polite"],
         [r"msg_flooder: second send: ALREADY", r"msg_flooder: flooding",
          r"msg_flooder: 100 calls"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"],
         counts=[(r"msg_polite: 5 calls, max latency under 150 ms", 2),
                 (r"msg_polite: done", 2)], timeout=30,
         qemu_args=QEMU_FAST_IDLE),  # a latency bound: guest time, whatever the host's load
    Case("ipc_msg_notification_flood_coalesces", ["msg_ntarget", "msg_poster", "heartbeat"],
         [r"msg_ntarget: ready", r"msg_poster: ungranted bit: NOSUPPORT",
          r"msg_poster: 20000 posts ok", r"msg_ntarget: done bit 0x4\r?$",
          r"msg_ntarget: flood arrived as one event, bits 0x1\r?$",
          r"msg_ntarget: nothing more pending", r"msg_ntarget: done", r"heartbeat \d+"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], timeout=30),
    Case("ipc_msg_forged_handles", ["msg_server", "msg_forger", "msg_peer"],
         [r"msg_forger: forged descriptors: INVAL INVAL INVAL INVAL INVAL\r?$",
          r"msg_forger: forged name ops: INVAL INVAL INVAL INVAL\r?$",
          r"msg_forger: forged tokens: INVAL INVAL INVAL INVAL\r?$",
          r"msg_forger: guessed tokens: none delivered",
          r"msg_forger: cancel without a call: INVAL",
          r"msg_forger: post without a grant: NOSUPPORT", r"msg_forger: forged badge: INVAL",
          r"msg_forger: real descriptor works", r"msg_forger: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"],
         counts=[(r"msg_peer: echo \d ok", 5), (r"msg_peer: done", 1)], timeout=30),
    Case("ipc_msg_call_timeout", ["msg_server", "msg_timeout", "msg_peer"],
         [r"msg_timeout: late call: CANCEL TIMEOUT\r?$", r"msg_timeout: timed out in time",
          r"msg_server: late reply dropped", r"msg_timeout: echo after timeout ok",
          r"msg_timeout: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], counts=[(r"msg_peer: done", 1)],
         timeout=30),
    Case("ipc_msg_call_cycles_refused", ["msg_cycle_a", "msg_cycle_b", "msg_cycle_c"],
         [r"msg_cycle_a: call self: FAIL WOULD_DEADLOCK\r?$",
          r"msg_cycle_b: call a: FAIL WOULD_DEADLOCK\r?$",
          r"msg_cycle_c: call a: FAIL WOULD_DEADLOCK\r?$",
          r"msg_cycle_c: call b: FAIL WOULD_DEADLOCK\r?$",
          r"msg_cycle_b: done", r"msg_cycle_a: reply from b: 42\r?$",
          r"msg_cycle_a: served a later call", r"msg_cycle_c: call a later: 7\r?$"],
         forbid=KERNEL_OK + [r"FAIL(?! WOULD_DEADLOCK)", r"faulted"], timeout=30),
    # IPC_SHARE (0xA8002, record 031): the owner's bytes seen through the peer's mapping and the
    # peer's writes seen by the owner; an access past the region, after REVOKE and after the
    # owner restarted each fault the peer only (the owner keeps serving); an unaligned buffer is
    # refused when allowed, not rounded up.
    Case("ipc_share_map_then_revoke_and_owner_restart", ["share_owner", "share_peer"],
         [r"share_owner: unaligned buffer refused: INVAL\r?$",
          r"share_owner: ready as share\.owner\r?$",
          r"share_owner: offered slot 0 to share\.peer",
          r"share_peer: phase 0\r?$", r"share_peer: mapped 256 bytes: 'owner-data-0'\r?$",
          r"share_owner: sees 'peer-wrote'\r?$", r"share_peer: reading past the end",
          r"\[kernel\] process share_peer \(id \d+\) faulted: "
          r"(MemManage, data access violation|load access fault)",
          r"share_peer: phase 1\r?$", r"share_peer: mapped 256 bytes: 'peer-wrote'\r?$",
          r"share_owner: revoked: SUCCESS", r"share_peer: reading after revoke",
          r"\[kernel\] process share_peer \(id \d+\) faulted: "
          r"(MemManage, data access violation|load access fault)",
          r"share_peer: phase 2\r?$", r"share_owner: crashing",
          r"\[kernel\] process share_owner \(id \d+\) faulted: invalid syscall class",
          r"share_peer: owner restarted: RESTARTED",
          r"share_peer: map with the old descriptor: UNINSTALLED PEER_RESTARTED\r?$",
          r"share_peer: reading the restarted owner's old share",
          r"\[kernel\] process share_peer \(id \d+\) faulted: "
          r"(MemManage, data access violation|load access fault)"],
         forbid=KERNEL_OK + [r"FAIL", r"process share_owner .*faulted: (?!invalid syscall)"],
         # the restarted owner's line races the peer's: counted, not ordered
         counts=[(r"share_owner: ready as share\.owner\r?$", 2)], timeout=30),
    # The per-process mapping budget (IPC_SHARE_MAX_MAPPED: 3 on mps2-an385, 2 on virt): the
    # next MAP is refused with NOMEM, and every region mapped before it holds its owner's bytes.
    Case("ipc_share_budget_refusal", ["share_owner", "share_owner", "share_budget"],
         [r"share_budget: mapped 3, then NOMEM; budget 3 of 3\r?$", r"share_budget: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"],
         counts=[(r"share_owner: ready as share\.owner2?\r?$", 2)],
         skip_boards=("qemu_rv32_virt",), timeout=30),
    Case("ipc_share_budget_refusal_virt", ["share_owner", "share_owner", "share_budget"],
         [r"share_budget: mapped 2, then NOMEM; budget 2 of 2\r?$", r"share_budget: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"],
         counts=[(r"share_owner: ready as share\.owner2?\r?$", 2)],
         skip_boards=("qemu_mps2_an385",), timeout=30),
    # Three copies share the SHA, HMAC and AES drivers at once: every request is queued (never
    # BUSY), sessions (HMAC update..finish, AES setup..crypt..finish) hold the driver, and each
    # copy's 200 results match references it computes itself.
    Case("crypto_drivers_shared_by_three_processes",
         ["crypto_hammer", "crypto_hammer", "crypto_hammer"],
         [r"crypto_hammer [A-H]: 200 ok, longest wait \d+ ms"] * 3,
         forbid=KERNEL_OK + [r"FAIL", r"faulted", r"mutex .*: "],
         counts=[(r"crypto_hammer [A-H]: start", 3)], timeout=60),
    # Two copies with a process that holds an HMAC session past the idle timeout (1 s: it is
    # cancelled, so the others wait at most about that long) and one that keeps restarting with
    # an AES request in flight (drained and discarded before anyone else is served). Under the
    # instruction clock with idle time skipped, so the bound on the wait is in guest time and a
    # loaded host cannot stretch it (it once read 32 s while other QEMUs ran beside it).
    Case("crypto_drivers_survive_stalled_session_and_dying_process",
         ["crypto_stall", "crypto_dies", "crypto_hammer", "crypto_hammer"],
         [r"crypto_stall: holding an HMAC session", r"crypto_stall: idle session: CANCEL",
          r"crypto_stall: fresh run ok"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted", r"mutex .*: "],
         counts=[(r"crypto_hammer [A-H]: 200 ok, longest wait (\d{1,3}|1[0-4]\d\d) ms", 2),
                 (r"crypto_dies: exiting mid-request", 20)], timeout=60,
         qemu_args=QEMU_FAST_IDLE),
    # AES-128 CCM (SP 800-38C example 2) and GCM (test case 4) sealed and opened through the AES
    # driver, a tag mismatch refused, crypt refused inside a GCM session.
    Case("aes_ccm_gcm_vectors", ["aes_aead"],
         [r"aes_aead: ccm ok", r"aes_aead: gcm ok", r"aes_aead: mismatch refused",
          r"aes_aead: crypt refused", r"aes_aead: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"]),
    Case("selftest_spi_i2c_flash_virtualizers", ["hello"], [r"Hello World!"],
         forbid=KERNEL_OK + [r"selftest \w+ FAILED"], skip_boards=("qemu_rv32_virt",),
         kernel="selftest",
         counts=[(r"selftest spi loopback ok, order ABCA", 1),
                 (r"selftest i2c noack ok, order ABA", 1),
                 (r"selftest i2c eeprom ok", 1),
                 (r"selftest flash program/erase ok", 1)]),
    Case("selftest_flash_virtualizer", ["hello"],
         [r"selftest flash program/erase ok", r"Hello World!"],
         forbid=KERNEL_OK + [r"selftest \w+ FAILED"], skip_boards=("qemu_mps2_an385",),
         kernel="selftest"),
    # Short alarms fire on time under the benchmarks' clock (idle time skipped), not a whole dt
    # late (QEMU wakes a CPU halted in wfi only at a timer's next event after the interrupt:
    # chips/cmsdk/timer.c, doc/reference/007-alarms.md).
    Case("alarm_accuracy_under_fast_idle_clock", ["alarm_accuracy"],
         [r"(alarm_accuracy: dt \d+ late \d+ \(kernel \d+\) ok\n){4}alarm_accuracy: done"],
         forbid=KERNEL_OK + [r"FAIL", r"faulted"], qemu_args=QEMU_FAST_IDLE),
    # CONFIG=core: the core kernel runs the demo's console, alarm and LED apps; the drivers
    # it leaves out answer NODEVICE.
    Case("core_config_runs_console_alarm_led_apps", ["hello", "blink", "counter_a"],
         [r"tockc \d+\.\d+ on", r"Hello World!"], forbid=KERNEL_OK + [r"faulted"],
         counts=[(r"counter_a: tick \d+", 2)], kernel="core"),
    # A kernel panic ends QEMU with status 1 (semihosting's exit on mps2-an385, the test
    # finisher on virt), after the fault and the panic message: the LED driver's command
    # handler is broken, so blink's first LED command faults in the kernel.
    KernelFaultCase("kernel_panic_exits_qemu_with_failure", ["blink"], "led_command",
                    [r"\[kernel\] load: 1 of 1 apps running", r"kernel fault",
                     r"\*\*\* kernel panic: fault in the kernel\r?\n"]),
    # The product image (make run) has no self tests: nothing of them runs or prints.
    Case("product_image_has_no_self_tests", ["hello"], [r"Hello World!"],
         forbid=KERNEL_OK + [r"selftest"]),
    Case("nonvolatile_storage_write_read_overwrite", ["nvstore", "heartbeat"],
         [r"nvstore: region \d+ bytes", r"nvstore: fresh", r"nvstore: 700 bytes across pages ok",
          r"nvstore: overwrite ok", r"nvstore: boot 1 stored", r"nvstore: errors ok",
          r"nvstore: done", r"heartbeat \d+"],
         forbid=KERNEL_OK + [r"nvstore: FAIL", r"faulted", r"selftest \w+ FAILED"],
         timeout=30),
    PersistenceCase("nonvolatile_storage_persists_across_boots", ["nvstore"],
                    [r"nvstore: fresh", r"nvstore: boot 1 stored", r"nvstore: done"],
                    [r"nvstore: found boot 1\b", r"nvstore: overwrite ok",
                     r"nvstore: boot 2 stored", r"nvstore: done"],
                    forbid=KERNEL_OK + [r"nvstore: FAIL", r"nvstore: fresh"],
                    skip_boards=("qemu_mps2_an385",), timeout=30),
    # Key-value driver (0x50003): every operation's outcome for one app, including a store
    # that must compact by itself (the mps2 bank is 4 KiB).
    Case("kv_operations", ["kv_basic", "heartbeat"],
         [r"kv_basic: set/get ok", r"kv_basic: update ok", r"kv_basic: add existing: NOSUPPORT",
          r"kv_basic: update missing: NOSUPPORT",
          r"kv_basic: delete ok, get after delete: NOSUPPORT", r"kv_basic: add new ok",
          r"kv_basic: short buffer: SIZE, length 5, 'ro'",
          r"kv_basic: refused: key SIZE value SIZE no key RESERVE",
          r"kv_basic: empty value ok, length 0",
          r"kv_basic: async get ok",
          r"kv_basic: garbage collect ok", r"kv_basic: 80 overwrites ok", r"kv_basic: done",
          r"heartbeat \d+"],
         forbid=KERNEL_OK + [r"kv_basic: FAIL", r"faulted", r"selftest \w+ FAILED"],
         timeout=60),
    # Storage permissions: kv_peer may read and modify kv_owner's keys and does; kv_stranger may
    # not and every attempt on the owner's secret fails; the owner cannot read the peer's key.
    # kv_owner's "stored" and kv_peer's first read race (the peer starts reading as soon as the
    # key exists, while the owner still prints): counted, not ordered.
    Case("kv_permissions_isolate_writers", ["kv_owner", "kv_peer", "kv_stranger"],
         [r"kv_peer: read owner.shared=shared-v1",
          r"kv_peer: updated and deleted owner.shared",
          r"kv_stranger: owner.secret: get NOSUPPORT delete NOSUPPORT update NOSUPPORT "
          r"set NOSUPPORT add NOSUPPORT", r"kv_owner: secret intact",
          r"kv_owner: shared deleted by peer", r"kv_owner: peer's key: NOSUPPORT",
          r"kv_owner: done"],
         forbid=KERNEL_OK + [r"kv_\w+: FAIL", r"faulted"],
         counts=[(r"kv_owner: stored", 1), (r"kv_peer: done", 1), (r"kv_stranger: done", 1)],
         timeout=30),
    # Sealed store (0xA8003): a record sealed and opened again; another app (another write id)
    # can neither open nor overwrite it; lengths and sizes checked (record 026).
    Case("sealed_store_round_trip_and_isolation", ["sealed_owner", "sealed_stranger"],
         [r"sealed_owner: 2 slots, 448 bytes", r"sealed_owner: empty slot: INVAL",
          r"sealed_owner: too long: SIZE", r"sealed_owner: round trip ok",
          r"sealed_owner: short buffer: SIZE 24", r"sealed_owner: intact after the other app",
          r"sealed_owner: done"],
         forbid=KERNEL_OK + [r"sealed_\w+: FAIL", r"faulted"],
         counts=[(r"sealed_stranger: owner's record: NOSUPPORT", 1),
                 (r"sealed_stranger: overwrite: NOSUPPORT", 1),
                 (r"sealed_stranger: own record ok", 1), (r"sealed_stranger: done", 1)],
         timeout=60),
    # A process that keeps dying with a seal queued or running: the kernel finishes or forgets
    # each dead request (never half a record in flash), and the owner is still served.
    Case("sealed_store_survives_dying_process", ["sealed_owner", "sealed_dies"],
         [r"sealed_owner: round trip ok", r"sealed_owner: intact after the other app",
          r"sealed_owner: done"],
         forbid=KERNEL_OK + [r"sealed_\w+: FAIL", r"faulted"],
         counts=[(r"sealed_dies: exiting mid-request", 15)], timeout=60,
         qemu_args=QEMU_FAST_IDLE),
    Case("kv_without_storage_permissions_is_refused", ["kv_noperm", "heartbeat"],
         [r"kv_noperm: get NOSUPPORT set INVAL delete NOSUPPORT add INVAL update INVAL "
          r"gc SUCCESS",
          r"kv_noperm: done", r"heartbeat \d+"],
         forbid=KERNEL_OK + [r"kv_noperm: FAIL", r"faulted"]),
    # Three copies at once: queued in arrival order (never BUSY), each checking every result
    # against its own model while the store compacts under them.
    Case("kv_shared_by_three_processes", ["kv_hammer", "kv_hammer", "kv_hammer"],
         [r"kv_hammer [A-H]: 60 rounds ok"] * 3,
         forbid=KERNEL_OK + [r"FAIL", r"faulted"],
         counts=[(r"kv_hammer [A-H]: start", 3)], timeout=90),
    # Tock grants exactly the listed ids: an app whose own write id is in neither list cannot
    # read back, overwrite or delete what it wrote.
    Case("kv_own_write_id_must_be_listed", ["kv_unlisted", "heartbeat"],
         [r"kv_unlisted: set SUCCESS get NOSUPPORT overwrite NOSUPPORT update NOSUPPORT "
          r"delete NOSUPPORT", r"kv_unlisted: done", r"heartbeat \d+"],
         forbid=KERNEL_OK + [r"kv_unlisted: FAIL", r"faulted"]),
    # App state (0x50000): a counter in the app's writeable flash region survives two
    # self-restarts; writes outside the region, over its header or without bytes are refused.
    Case("app_state_counter_survives_restarts", ["appstate", "heartbeat"],
         [r"appstate: first run", r"appstate: run 2", r"appstate: run 3",
          r"appstate: outside region EINVAL, header EINVAL, no bytes ERESERVE",
          r"appstate: done", r"heartbeat \d+"],
         forbid=KERNEL_OK + [r"appstate: FAIL", r"faulted"]),
    # Isolated nonvolatile storage (0x50004): an app without the TLV (identity from its name)
    # and one with a write id each get their own region; neither sees the other's bytes.
    Case("isolated_storage_regions_are_per_app", ["invs_own", "invs_peer"],
         [r"invs_own: region 2048 bytes", r"invs_own: write/read ok", r"invs_own: overwrite ok",
          r"invs_own: bounds EINVAL EINVAL", r"invs_own: done"],
         forbid=KERNEL_OK + [r"invs_\w+: FAIL", r"faulted"],
         counts=[(r"invs_peer: region blank", 1), (r"invs_peer: isolated ok", 1),
                 (r"invs_peer: done", 1)]),
    PersistenceCase("kv_persists_across_boots", ["kv_persist"],
                    [r"kv_persist: fresh", r"kv_persist: boot 1 stored", r"kv_persist: done"],
                    [r"kv_persist: found boot 1\b", r"kv_persist: boot 2 stored",
                     r"kv_persist: done"],
                    forbid=KERNEL_OK + [r"kv_persist: FAIL", r"kv_persist: fresh"],
                    skip_boards=("qemu_mps2_an385",), timeout=30),
    # Power cuts: kv_crash_write is killed (SIGKILL) three times, each at a different delay
    # after an ack line (so inside a later write), and kv_crash_check verifies after each kill
    # that every acknowledged key and "last" survived, nothing is torn, and a new write works.
    PowerCutCase("kv_power_cut_keeps_acknowledged_writes", "kv_crash_write", "kv_crash_check",
                 kills=[(6, 0.0), (9, 0.004), (7, 0.017)],
                 ack=r"kv_crash_write: ack (?P<what>key|last) (?P<index>\d+)",
                 ready=r"kv_crash_write: resume at \d+",
                 report=r"kv_crash_check: keys (?P<keys>\d+) last (?P<last>\d+|none)",
                 judge=kv_crash_judge,
                 expect=[r"kv_crash_check: keys \d+ last (\d+|none)",
                         r"kv_crash_check: new write ok", r"kv_crash_check: verdict PASS"],
                 forbid=KERNEL_OK + [r"kv_crash_\w+: FAIL", r"faulted"],
                 skip_boards=("qemu_mps2_an385",), timeout=60),
    CorruptImageCase("corrupt_checksum_is_skipped", 12, 0x5A, "header checksum mismatch"),
    # tools/tockloader.py: apps from a TAB and from .tbf files, one disabled; what the tool
    # predicts is what the kernel prints, and the apps run.
    TockloaderCase("tockloader_installs_apps_that_boot", "hello", ["heartbeat", "blink",
                                                                   "counter_a"], ["blink"],
                   counts=[(r"Hello World!", 1), (r"heartbeat \d+", 3),
                           (r"counter_a: tick \d+", 2)],
                   forbid=KERNEL_OK + [r"blink: "], timeout=30),
    # Load verdicts: every app found gets a line, even past the last process slot, and a header
    # the walk cannot step over (in the middle of the image) says where the walk stopped.
    IdleAppsCase("load_verdict_more_apps_than_slots", ["heartbeat"],
                 [(f"idle{i}", 1024) for i in range(1, 7)] + [("hungry", 64 << 20)] +
                 [(f"idle{i}", 1024) for i in range(7, 10)],
                 [loaded("heartbeat"), *[loaded(f"idle{i}") for i in range(1, 7)],
                  skipped("hungry", r"needs \d+ bytes of RAM, \d+ left"), loaded("idle7"),
                  skipped("idle8", r"no free process slot \(8 of 8\)"),
                  skipped("idle9", r"no free process slot \(8 of 8\)"),
                  running(8, 11), r"heartbeat 2\b"],
                 forbid=KERNEL_OK + [r"faulted", loaded("hungry"), loaded("idle8")]),
    *[BrokenWalkCase(f"load_verdict_{what}_stops_the_walk", ["hello", "heartbeat", "counter_a"],
                     "heartbeat", patch, reason, [r"Hello World!"])
      for what, patch, reason in [
          ("total_size_zero", {4: bytes(4)}, "bad total size 0"),
          ("total_size_past_flash_end", {4: b"\xff" * 4}, "bad total size 4294967295"),
          ("unknown_version", {0: bytes([3, 0])}, "unknown TBF version 3")]],
    # Crafted headers (valid checksum): a Writeable Flash Region whose offset wraps the address
    # space back into the previous app, and (virt: the only board with fixed-address apps) a
    # fixed RAM address the PMP cannot start a region at. Each is skipped by name with its reason.
    CraftedImageCase("crafted_writeable_region_outside_image_is_skipped",
                     ["heartbeat", "appstate"], [("appstate", 2, 0, 0xFFFFF000)],
                     [skipped("appstate", r"writeable flash region outside the app's own "
                              r"image"), r"heartbeat 2\b"],
                     forbid=KERNEL_OK + [r"appstate: ", loaded("appstate")]),
    CraftedImageCase("crafted_fixed_ram_unaligned_is_skipped",
                     ["hello", "heartbeat", "counter_a"], [("counter_a", 5, 0, 0x80330002)],
                     [skipped("counter_a", r"fixed RAM address not aligned as the MPU "
                              r"requires"), r"Hello World!", r"heartbeat 2\b"],
                     forbid=KERNEL_OK + [r"bytes of RAM", loaded("counter_a")],
                     skip_boards=("qemu_mps2_an385",)),
    # App credentials (doc/reference/025-app-credentials.md). The demo policy accepts every app
    # but checks the hashes apps carry: a tampered byte refuses that app by name, the others run.
    CredentialsCase("credentials_tampered_app_is_refused_others_run",
                    [("hello", "sha256 tampered"), ("heartbeat", ""), ("counter_a", "sha512"),
                     ("blink", "sha384")],
                    [skipped("hello", r"SHA-256 credential does not match the image"),
                     loaded("heartbeat"), loaded("counter_a"), loaded("blink"), running(3, 4),
                     r"heartbeat 2\b"],
                    forbid=KERNEL_OK + [r"Hello World!", loaded("hello")]),
    # Require a hash: apps without one, with a wrong one, or with the identifier of a running
    # app (same name, both vouched by a hash) are refused, each with its reason.
    CredentialsCase("credentials_require_hash_refuses_the_unvouched",
                    [("heartbeat", "sha384"), ("hello", ""), ("counter_a", "sha256 tampered"),
                     ("heartbeat", "sha512")],
                    [loaded("heartbeat"),
                     skipped("hello", r"no matching hash or listed key's signature \(required\)"),
                     skipped("counter_a", r"SHA-256 credential does not match the image"),
                     skipped("heartbeat", r"application identifier already used by the app at "
                             r"0x[0-9a-f]{8}"),
                     running(1, 4), r"heartbeat 2\b"],
                    forbid=KERNEL_OK + [r"Hello World!", loaded("counter_a")],
                    kernel="require_hash"),
    # The app loader under the require-hash policy (record 028): the loaded app's SHA-256 is
    # required and checked, so the tampered copy is refused and the true one runs.
    CredentialsCase("credentials_require_hash_applies_to_apps_loaded_at_runtime",
                    [("app_loader_test", "sha256"), ("heartbeat", "sha256")],
                    [loaded("app_loader_test"), loaded("heartbeat"), running(2, 2),
                     r"\[kernel\] app loader: refused the app at 0x[0-9a-f]{8}: "
                     r"SHA-256 credential does not match the image",
                     r"app_loader_test: tampered body refused FAIL", loaded("loaded_hello"),
                     r"loaded_hello: running, loaded at runtime"],
                    forbid=KERNEL_OK + [r"FAIL \w", r"faulted"],
                    counts=[(r"app_loader_test: done", 1)], kernel="require_hash"),
    # Require a signature by the board's key: the signed app runs (its hash checked too), a
    # hash alone is not enough, a tampered signed app is refused.
    CredentialsCase("credentials_require_signature_runs_only_signed_apps",
                    [("heartbeat", "signed sha256"), ("hello", "sha256"),
                     ("counter_a", "signed tampered")],
                    [loaded("heartbeat"),
                     skipped("hello", r"no signature by a listed key \(required\)"),
                     skipped("counter_a", r"ECDSA P-256 signature by no listed key"),
                     running(1, 3), r"heartbeat 2\b"],
                    forbid=KERNEL_OK + [r"Hello World!", loaded("counter_a")],
                    kernel="require_signature", timeout=60),
    # The short id is a function of the credential: the same after a restart of the app and
    # after a reboot of the machine (process console `process`, `restart`, `reset`).
    CredentialsCase("credentials_short_id_survives_restart_and_reboot",
                    [("heartbeat", "sha256"), ("hello", "")],
                    [r"identity: hash, short id (0x[0-9a-f]{8})[\s\S]*"
                     r"restart: heartbeat restarted[\s\S]*identity: hash, short id \1[\s\S]*"
                     r"resetting the machine[\s\S]*identity: hash, short id \1"],
                    input=[(r"heartbeat 1\b", "process heartbeat\r"),
                           (r"identity: ", "restart heartbeat\r"),
                           (r"restarted[\s\S]*heartbeat 1\b", "process heartbeat\r"),
                           (r"restarted[\s\S]*identity: ", "reset\r"),
                           (r"resetting the machine[\s\S]*heartbeat 1\b",
                            "process heartbeat\r")],
                    forbid=KERNEL_OK, timeout=40),
    # Random numbers (0x40001): two copies at once, each served in full (three driver chunks per
    # request, so they interleave), bytes not all equal and spread over most byte values; a
    # short buffer, a zero-length request and the asynchronous call. On virt the DRBG is seeded
    # from virtio-rng; mps2 has no entropy source and must say so at boot.
    Case("rng_two_processes_served", ["rng_check", "rng_check", "heartbeat"],
         [r"rng_check [A-H]: 27 ok", r"rng_check [A-H]: 27 ok", r"heartbeat \d+"],
         forbid=KERNEL_OK + [r"rng_check [A-H]: FAIL", r"faulted", r"rng: no usable virtio-rng"],
         counts=[(r"rng_check [A-H]: sample [0-9a-f]{16}", 2)], timeout=30),
    Case("rng_mps2_says_it_has_no_entropy", ["rng_check"],
         [r"rng: no entropy source on this board: .* predictable", r"rng_check [A-H]: 27 ok"],
         forbid=KERNEL_OK + [r"rng_check [A-H]: FAIL"], skip_boards=("qemu_rv32_virt",)),
    # Alarms of almost 2^32 ticks (about 172 s on mps2, 430 s on virt), across the counter
    # wrap: each fires once, late by at most a second and never early. The heartbeat (10 per
    # second) is the clock that shows a round fired a whole counter period late.
    *[Case("alarm_long_dt_across_the_wrap", ["alarm_long", "heartbeat"],
           [r"alarm_long: round 1: fired late by \d+ ticks \(kernel \d+\), ok",
            r"alarm_long: round 2: fired late by \d+ ticks \(kernel \d+\), ok",
            r"alarm_long: done"],
           forbid=KERNEL_OK + [r"alarm_long: FAIL", r"faulted",
                               rf"heartbeat {beats}\b[\s\S]*alarm_long: done"],
           skip_boards=(other,), qemu_args=QEMU_FAST_IDLE, timeout=120)
      for beats, other in ((3600, "qemu_rv32_virt"), (9000, "qemu_mps2_an385"))],
]


def restart_soak(cycles, timeout):
    """Restart soak (doc/reference/016-restart-soak.md): soak_cycler takes grants, queued SHA,
    HMAC and AES requests (the crypto-RAM mutex), an IPC share and message-IPC calls, posting
    rights and watches, then dies -- by exit-restart, and at cycles 50, 150 and 250 by a fault
    (each fault follows a clean exit-restart, so each starts a new streak: "restarting after
    fault (1 of 3) in 10 ms" three times, never a second fault in a row).
    soak_supervisor counts the cycles over message IPC, checks every 100 that the crypto
    drivers still give known answers and that nothing of a dead instance is left in its tables
    (a stale token, a descriptor that moved, a full poster or watch table would print FAIL);
    heartbeat keeps beating throughout."""
    return Case(f"restart_soak_{cycles}", ["soak_supervisor", "soak_cycler", "heartbeat"],
                [r"restart_soak: supervisor ready",
                 r"restart_soak: cycle 100 checks ok",
                 rf"restart_soak: cycle {cycles} checks ok \(stale tokens \d+, watches \d+, "
                 r"posts \d+, shares \d+\)",
                 r"heartbeat \d+"],
                forbid=KERNEL_OK + [r"FAIL", r"process soak_supervisor .*faulted",
                                    r"process heartbeat .*faulted",
                                    r"process soak_cycler: stopped", r"restart failed",
                                    r"after fault \(2 of 3\)",
                                    r"mutex .*: "],
                counts=[(r"process soak_cycler \(id \d+\) faulted: invalid syscall class", 3),
                        (r"soak_cycler: restarting after fault \(1 of 3\) in 10 ms", 3)],
                timeout=timeout, grace=1.0)


# The normal suite runs a slice; SOAK_CASES (tools/qemu_test.py --soak, `make soak`) the
# whole 10,000 cycles.
CASES += [restart_soak(500, 60)]
SOAK_CASES += [restart_soak(10000, 900)]


# The process console (capsules/process_console.h, doc/reference/024-process-console.md): a
# line typed on the console UART and the answer, on the product image. An answer ends with the
# prompt "tock$ ", so an app's next line may follow the prompt on the same line.
def console_case(name, apps, steps, expect, forbid=KERNEL_OK, **kw):
    """steps: [(pattern that must appear first, line to type)]; a CR ends each line."""
    return Case("process_console_" + name, apps, expect, forbid=forbid,
                input=[(trigger, line + "\r") for trigger, line in steps], **kw)


HEX8 = r"0x[0-9a-f]{8}"
BANNER = r"tockc \d+\.\d+ on qemu_\S+ \("
CASES += [
    console_case("help", ["hello"], [(r"Hello World!", "help")],
                 [r"commands \(an app is a name or an id\)", r"^  help +this list",
                  r"^  trace +<app> on\|off +print an app's syscalls and upcalls",
                  r"^  console-stop +ignore all but console-start", r"tock\$ "]),
    console_case("status", ["hello", "heartbeat"], [(r"heartbeat 3\b", "status")],
                 [r"processes: 2 loaded in \d+ slots: 1 alive \(0 stopped\), 0 faulted, "
                  r"1 ended, 0 traced",
                  r"totals: \d+ syscalls, \d+ timeslice expirations, 0 restarts, \d+ upcalls "
                  r"queued, 0 dropped, \d+ grant bytes"]),
    # The demo image (make run); blink waits for its alarm, the others have ended.
    console_case("list", ["hello", "blink", "counter_a", "counter_b"],
                 [(r"counter_b: done", "list")],
                 [r"^  id state +slices syscalls restarts grant queue dropped stack/size name",
                  r"^ +\d+ terminated +0 +\d+ +0 +0 +0 +0 +0/\d+ +hello\r?$",
                  r"^ +\d+ yielded(-for)? +\d+ +\d+ +0 +[1-9]\d* +\d+ +0 +[1-9]\d*/\d+ +blink",
                  r"^ +\d+ terminated .* counter_a\r?$", r"^ +\d+ terminated .* counter_b\r?$"]),
    console_case("stop_then_start", ["heartbeat"],
                 [(r"heartbeat 3\b", "stop heartbeat"), (r"stop: heartbeat stopped", "list"),
                  (r"^ +\d+ stopped +\d+", "start heartbeat")],
                 [r"stop: heartbeat stopped", r"^ +\d+ stopped +\d+ .* heartbeat\r?$",
                  r"start: heartbeat started", r"heartbeat \d+"]),
    console_case("terminate_then_boot", ["heartbeat"],
                 [(r"heartbeat 3\b", "terminate heartbeat"),
                  (r"terminate: heartbeat terminated", "list"),
                  (r"^ +\d+ terminated +\d+", "boot")],
                 [r"terminate: heartbeat terminated",
                  r"^ +\d+ terminated +\d+ .* heartbeat\r?$",
                  r"boot: heartbeat started", r"heartbeat 1\b", r"heartbeat 2\b"]),
    console_case("restart", ["heartbeat"], [(r"heartbeat 3\b", "restart heartbeat")],
                 [r"restart: heartbeat restarted \(id 1\)", r"heartbeat 1\b",
                  r"heartbeat 2\b"]),
    console_case("fault", ["heartbeat"], [(r"heartbeat 3\b", "fault 0")],
                 [r"\[kernel\] process heartbeat \(id 0\) faulted: the process console asked "
                  r"\(fault command\)", r"memory map:",
                  r"process heartbeat: restarting after fault \(1 of 3\)", r"heartbeat 1\b"]),
    console_case("process", ["heartbeat"], [(r"heartbeat 3\b", "process heartbeat")],
                 [r"process heartbeat: state \S+, index 0, id 0", r"memory map:",
                  r"(MPU regions|PMP: flash)",
                  rf"stack {HEX8}-{HEX8}: [1-9]\d* of [1-9]\d* bytes used at most",
                  rf"grants {HEX8}-{HEX8} \([1-9]\d* bytes\), flash {HEX8}-{HEX8}"]),
    console_case("kernel", ["hello"], [(r"Hello World!", "kernel")],
                 [r"^tockc \d+\.\d+ on qemu_(mps2_an385|rv32_virt)\r?$",
                  rf"^flash {HEX8}-{HEX8}: code [1-9]\d*, rodata [1-9]\d*, then \d+ bytes",
                  rf"^RAM {HEX8}-{HEX8}: data \d+, bss [1-9]\d*, noinit [1-9]\d* bytes; "
                  rf"stack {HEX8}-{HEX8} \(8192 bytes\)",
                  rf"^apps: flash {HEX8}-{HEX8}, RAM {HEX8}-{HEX8}; 8 process slots",
                  r"process table +[1-9]\d* bytes", r"process console +[1-9]\d* bytes"]),
    # Decoded syscalls and upcalls of one heartbeat: write its line, wait for the alarm.
    console_case("trace", ["heartbeat"],
                 [(r"heartbeat 3\b", "trace heartbeat on"),
                  (r"\[trace\] heartbeat: command alarm\(0x0\) 6", "trace heartbeat off")],
                 [r"trace: heartbeat on",
                  r"\[trace\] heartbeat: wait-for returns alarm\(0x0\) 0 \(0x",
                  r"\[trace\] heartbeat: allow-ro console\(0x1\) 1 \(0x[0-9a-f]+, 0x[0-9a-f]+\)"
                  r" -> success 0x0 0x0",
                  r"\[trace\] heartbeat: command console\(0x1\) 1 \(0x[0-9a-f]+, 0x0\) -> "
                  r"success\r?$",
                  r"\[trace\] heartbeat: yield wait-for console\(0x1\) 1\r?$",
                  r"\[trace\] heartbeat: subscribe alarm\(0x0\) 0 \(0x[0-9a-f]+, 0x0\) -> "
                  r"success 0x[0-9a-f]+ 0x0",
                  r"\[trace\] heartbeat: command alarm\(0x0\) 6 \(0x[0-9a-f]+, 0x[0-9a-f]+\) "
                  r"-> success 0x[0-9a-f]+",
                  r"trace: heartbeat off"]),
    console_case("reset", ["hello"], [(r"Hello World!", "reset")],
                 [r"reset: resetting the machine", BANNER, r"Hello World!"],
                 counts=[(BANNER, 2), (r"Hello World!", 2)]),
    # The board's panic exit ends QEMU with status 1 after the message.
    console_case("panic", ["hello"], [(r"Hello World!", "panic")],
                 [r"\*\*\* kernel panic: the process console asked for a panic "
                  r"\(panic command\)"], forbid=[], exit_status=1),
    console_case("console_stop_ignores_all_but_console_start", ["hello"],
                 [(r"Hello World!", "console-stop"),
                  (r"console-stop: ignoring input", "list"),
                  (r"console-stop: ignoring input", "console-start"),
                  (r"console-start: taking commands", "status")],
                 [r"console-stop: ignoring input until console-start",
                  r"console-start: taking commands", r"processes: 1 loaded"],
                 forbid=KERNEL_OK + [r"id state +slices", r"^list\r?$"]),
    # The answers go between the app's lines, never inside one: long_lines' 123-byte lines are
    # two console chunks each, which the UART mux keeps together (MUX_UART_LINE_MAX), so all
    # 150 stay whole while the answers to three commands are printed among them. (Where an
    # answer lands depends on QEMU's timing; virtual_uart_test pins the mux's rule down.)
    Case("process_console_answers_never_split_an_app_line", ["long_lines"],
         [r"L:L{120}", r"processes: 1 loaded in \d+ slots: 1 alive",
          r"processes: 1 loaded in \d+ slots: 1 alive",
          r"processes: 1 loaded in \d+ slots: 1 alive", r"long_lines: done"],
         forbid=KERNEL_OK,
         counts=[(r"L:L{120}\r?$", 150)],
         input=[(r"L:L{120}", "status\r"), (r"processes: 1 loaded", "status\r"),
                (r"processes: 1 loaded[\s\S]*processes: 1 loaded", "status\r")],
         timeout=30),
    # Backspace and DEL erase, the up arrow recalls the last line, an unknown command says so.
    Case("process_console_line_editing", ["hello"],
         [r"id state +slices", r"id state +slices", r"frobnicate: unknown command \(help "
          r"lists them\)"],
         forbid=KERNEL_OK,
         input=[(r"Hello World!", "lisx\x7fq\x08t\r"), (r"id state +slices", "\x1b[A\r"),
                (r"id state[\s\S]*id state", "frobnicate\r")]),
    # Input belongs to an app that reads the console: the console runs nothing typed for it,
    # and listens again once that app has ended.
    Case("process_console_leaves_input_to_a_reading_app", ["echo"],
         [r"echo: hello tockc", r"echo: list", r"echo: bye",
          r"processes: 1 loaded in \d+ slots: 0 alive"],
         forbid=KERNEL_OK + [r"id state +slices", r"unknown command"],
         input=[(r"echo: ready", "hello tockc\n"), (r"echo: hello tockc", "list\n"),
                (r"echo: list", "quit\n"), (r"echo: bye", "status\r")]),
]
