# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The repository explains itself: no file points at documents a clone does not have.

The rules the code follows live in doc/reference/ (000 the code rules, 019 the ABI, cited as
"ABI §x.y"). Only the conformance runner may name the corpus beside the checkout.

Usage: python3 -m unittest discover -s tests/tools -v
"""

import os
import re
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

ROOT = os.path.dirname(support.TOOLS_DIR)
# Where the libtock-c corpus is found (the one allowed reference to a sibling directory).
ALLOWED = {os.path.join("tools", "compat_test.py"),
           os.path.join("tests", "tools", "test_self_contained.py")}
OUTSIDE = re.compile(r"\.\./shared|shared/(spec|design|compat)|(?<!019-)tock-abi\.md|STYLE\.md|"
                     r"sync-ipc\.md|bench-method\.md|spec §")
SKIP_DIRS = {".git", "build", "__pycache__"}
TEXT_SUFFIXES = (".c", ".h", ".S", ".ld", ".mk", ".md", ".py", ".json", ".toml", ".txt", ".sh")


def tree_files():
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            if name.endswith(TEXT_SUFFIXES) or name in ("Makefile", "run"):
                yield os.path.relpath(os.path.join(top, name), ROOT)


class SelfContained(unittest.TestCase):
    def test_no_file_refers_outside_the_repository(self):
        offenders = []
        for rel in tree_files():
            if rel in ALLOWED:
                continue
            with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    if OUTSIDE.search(line):
                        offenders.append(f"{rel}:{number}: {line.strip()}")
        self.assertEqual(offenders, [], "\n".join(offenders))

    def test_the_cited_abi_sections_exist(self):
        with open(os.path.join(ROOT, "doc", "reference", "019-tock-abi.md")) as f:
            headings = set(re.findall(r"^#+ (\d+(?:\.\d+)*)\.? ", f.read(), re.M))
        missing = []
        for rel in tree_files():
            with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as f:
                for section in re.findall(r"ABI §(\d+(?:\.\d+)*)", f.read()):
                    if section not in headings:
                        missing.append(f"{rel}: ABI §{section}")
        self.assertEqual(missing, [], "\n".join(missing))


if __name__ == "__main__":
    unittest.main()
