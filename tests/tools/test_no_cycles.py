# SPDX-License-Identifier: Apache-2.0 OR MIT
"""No two files of the kernel, or of the userland library, depend on each other in a circle.

Each file is compiled on its own and its symbols read with nm: file A depends on file B when A
uses a symbol B defines. The kernel (kernel/ and kernel/ipc/) is compiled for the host the way
its unit tests are (the fake arch); the userland library (libtock, libtock-sync, libc) with the
Cortex-M app compiler. A circle fails the test with the files and the symbols that tie it
(doc/reference/000-code-rules.md, section 1).

Usage: python3 -m unittest discover -s tests/tools -p test_no_cycles.py -v
"""

import glob
import os
import shutil
import subprocess
import tempfile
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

ROOT = os.path.dirname(support.TOOLS_DIR)

KERNEL_CC = ["gcc", "-std=c11", "-O1", "-DTOCKC_HOST_TEST", "-Ilibraries/include",
             "-Ikernel/include", "-Ikernel/ipc/include", "-Ihil/include", "-Icapsules/include",
             "-Itests/fakes"]
USERLAND_CC = ["arm-none-eabi-gcc", "-std=c11", "-ffreestanding", "-Os", "-mcpu=cortex-m3",
               "-mthumb", "-Iuserland", "-Iuserland/libtock", "-Iuserland/libtock/arch/cortex-m",
               "-Iuserland/libc/include", "-Ilibraries/include"]


def symbols(cc, source, workdir):
    """(defined, undefined) global symbols of one compiled source."""
    obj = os.path.join(workdir, source.replace(os.sep, "_") + ".o")
    subprocess.run(cc + ["-c", "-o", obj, source], cwd=ROOT, check=True)
    nm = "arm-none-eabi-nm" if cc[0].startswith("arm") else "nm"
    out = subprocess.run([nm, obj], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRCVW":
            defined.add(parts[2])
    return defined, undefined


def dependency_graph(cc, sources):
    """{file: {file it uses: [symbols]}} over `sources`."""
    workdir = tempfile.mkdtemp(prefix="tockc-cycles-")
    try:
        table = {s: symbols(cc, s, workdir) for s in sources}
    finally:
        shutil.rmtree(workdir)
    owner = {}
    for source, (defined, _) in table.items():
        for name in defined:
            owner[name] = source
    graph = {}
    for source, (_, undefined) in table.items():
        edges = {}
        for name in sorted(undefined):
            target = owner.get(name)
            if target is not None and target != source:
                edges.setdefault(target, []).append(name)
        graph[source] = edges
    return graph


def find_cycle(graph):
    """One circle as [a, b, ..., a], or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def describe(graph, cycle):
    return "\n".join(f"  {a} -> {b}: {', '.join(graph[a][b])}" for a, b in zip(cycle, cycle[1:]))


def sources(*patterns):
    return sorted(f for p in patterns for f in glob.glob(os.path.join(ROOT, p), recursive=True))


class NoCycles(unittest.TestCase):
    def check(self, cc, patterns):
        files = [os.path.relpath(f, ROOT) for f in sources(*patterns)]
        self.assertGreater(len(files), 3, "no sources found")
        graph = dependency_graph(cc, files)
        self.assertTrue(any(graph.values()), "no dependencies found: is nm reading the objects?")
        cycle = find_cycle(graph)
        self.assertIsNone(cycle, "files depend on each other in a circle:\n" +
                          (describe(graph, cycle) if cycle else ""))

    def test_kernel_has_no_cycles(self):
        self.check(KERNEL_CC, ["kernel/*.c", "kernel/ipc/*.c"])

    def test_userland_library_has_no_cycles(self):
        self.check(USERLAND_CC, ["userland/libtock/**/*.c", "userland/libtock-sync/**/*.c",
                                 "userland/libc/*.c"])

    def test_a_cycle_is_found(self):
        graph = {"a.c": {"b.c": ["f"]}, "b.c": {"c.c": ["g"]}, "c.c": {"a.c": ["h"]}}
        self.assertEqual(find_cycle(graph), ["a.c", "b.c", "c.c", "a.c"])
        self.assertIsNone(find_cycle({"a.c": {"b.c": ["f"]}, "b.c": {}}))


if __name__ == "__main__":
    unittest.main()
