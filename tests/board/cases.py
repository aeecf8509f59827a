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
