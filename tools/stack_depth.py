# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The worst kernel stack depth that can be computed from the kernel's call graph.

The kernel link writes GCC's call graph with every function's stack frame, after link-time
inlining (`-fcallgraph-info=su`, boards/boards.mk: build/<board>/callgraph/*.ci, VCG text).
This walks it:

* depth(f) = frame(f) + the deepest of f's callees; a call through a function pointer may reach
  any function that is never called directly (callbacks, driver ops: the targets of the
  kernel's indirect calls), so it counts as the deepest of those, with pointer calls nested
  at most POINTER_NESTING deep (below);
* the kernel thread starts at the reset handler; a syscall trap runs on the same stack below
  the thread's frames at the switch into the process (Cortex-M: MSP below the frame pushed
  by cortexm_switch_to_user and the exception frame; RV32: below the kernel sp saved by
  riscv_switch_to_user), so its depth is added to the deepest path to that switch;
* functions outside the graph (libgcc, the assembly entry code, memset/memcpy built without
  LTO) get the fixed frames below.

Usage: python3 tools/stack_depth.py build/qemu_mps2_an385 cortex-m
Returns (from worst()) {"kernel_stack_worst": bytes} and notes; raises StackError when direct
calls recurse (no bound).
"""
import glob
import os
import re
import sys

# Frames of code the graph does not describe, in bytes (upper bounds from the sources: the
# assembly in arch/*/ and libraries/mem.c, which pushes at most 16 bytes; libgcc's division
# helpers use well under 64).
EXTERNAL_FRAMES = {"memset": 16, "memcpy": 16, "memmove": 16, "memcmp": 16}
LIBGCC_FRAME = 64
ARCH = {
    # arch: (thread entry, trap entry in C, switch function, bytes between the switch
    #        function's caller frame and the trap's C frame)
    # Cortex-M: cortexm_switch_to_user pushes 10 registers (40), the svc 0xff exception frame
    # (32), the SVC handler's push {r4, lr} (8).
    "cortex-m": ("cortexm_reset_handler", "cortexm_syscall_trap", "cortexm_switch_to_user",
                 40 + 32 + 8),
    # RV32: riscv_switch_to_user's 64-byte frame, the trap entry's 16 bytes.
    "riscv": ("riscv_reset", "riscv_syscall_trap", "riscv_switch_to_user", 64 + 16),
}

# Calls through function pointers nest at most this deep in the kernel's design: the loop
# calls a deferred call or an interrupt's bottom half (1), which calls a client's callback (2),
# which starts the client's next operation through a HIL (3); the split-phase rule (doc/reference/000
# §5) forbids a completion callback inside the call that started an operation,
# so the chain does not go on. The call graph alone cannot show this (any pointer may reach any
# callback), so the bound rests on that rule.
POINTER_NESTING = 3

NODE_RE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE_RE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
FRAME_RE = re.compile(r"\\n(\d+) bytes \((static|dynamic[^)]*)\)")


class StackError(Exception):
    pass


def short(title):
    return title.rsplit(":", 1)[-1] if ":" in title and not title.startswith("__") else title


def parse(text):
    """{name: frame bytes or None (outside the graph)}, {name: set of callees}."""
    frames, calls = {}, {}
    for title, label in NODE_RE.findall(text):
        name = short(title)
        m = FRAME_RE.search(label)
        if m and m.group(2) != "static" and "bounded" not in m.group(2):
            raise StackError(f"{name} has an unbounded dynamic frame ({m.group(2)})")
        frames[name] = int(m.group(1)) if m else None
    for source, target in EDGE_RE.findall(text):
        calls.setdefault(short(source), set()).add(short(target))
    return frames, calls


def external_frame(name):
    if name in EXTERNAL_FRAMES:
        return EXTERNAL_FRAMES[name]
    return LIBGCC_FRAME


class Graph:
    def __init__(self, frames, calls, roots):
        self.frames, self.calls = frames, calls
        called = {c for cs in calls.values() for c in cs}
        # Never called directly (and not an entry point): reached through function pointers.
        self.indirect_targets = sorted(n for n, f in frames.items()
                                       if f is not None and n not in called and n not in roots)

    def frame(self, name):
        f = self.frames.get(name)
        return external_frame(name) if f is None else f

    def depths(self, indirect):
        """depth of every function, with `indirect` bytes for a call through a pointer."""
        memo, active = {}, []

        def visit(name):
            if name in memo:
                return memo[name]
            if name in active:
                cycle = " -> ".join(active[active.index(name):] + [name])
                raise StackError(f"recursion, no bound: {cycle}")
            active.append(name)
            deepest = 0
            for callee in self.calls.get(name, ()):
                deepest = max(deepest, indirect if callee == "__indirect_call" else visit(callee))
            active.pop()
            memo[name] = self.frame(name) + deepest
            return memo[name]

        for name in list(self.frames):
            if name != "__indirect_call":
                visit(name)
        return memo

    def indirect_bound(self):
        """The deepest indirect target when pointer calls nest at most POINTER_NESTING deep
        (each round lets one more level nest)."""
        bound, depths = 0, self.depths(0)
        for _ in range(POINTER_NESTING):
            bound = max((depths[t] for t in self.indirect_targets), default=0)
            depths = self.depths(bound)
        return bound, depths

    def deepest_before(self, root, target):
        """The most stack used by frames on a path from root to a call of target (target's
        own frame excluded), or None when root cannot reach it directly."""
        memo = {}

        def visit(name):
            if name in memo:
                return memo[name]
            best = None
            for callee in self.calls.get(name, ()):
                if callee == target:
                    best = max(best or 0, 0)
                elif callee != "__indirect_call":
                    sub = visit(callee)
                    if sub is not None:
                        best = max(best or 0, sub)
            memo[name] = None if best is None else self.frame(name) + best
            return memo[name]

        return visit(root)


def worst(build_dir, arch):
    paths = glob.glob(os.path.join(build_dir, "callgraph", "*.ci"))
    if not paths:
        raise StackError(f"no call graph in {build_dir}/callgraph (kernel not linked with "
                         f"-fcallgraph-info)")
    frames, calls = {}, {}
    for path in paths:
        with open(path) as f:
            fr, ca = parse(f.read())
        frames.update(fr)
        for k, v in ca.items():
            calls.setdefault(k, set()).update(v)
    thread_root, trap_root, switch, between = ARCH[arch]
    for name in (thread_root, trap_root):
        if name not in frames:
            raise StackError(f"{name} is not in the call graph")
    graph = Graph(frames, calls, {thread_root, trap_root})
    indirect, depths = graph.indirect_bound()
    thread = depths[thread_root]
    to_switch = graph.deepest_before(thread_root, switch)
    if to_switch is None:
        raise StackError(f"{thread_root} does not reach {switch}")
    trap = to_switch + between + depths[trap_root]
    notes = [f"kernel stack: thread {thread} bytes, syscall trap {trap} bytes "
             f"({to_switch} to the switch + {between} entry + {depths[trap_root]}); "
             f"a call through a function pointer counted as the deepest of "
             f"{len(graph.indirect_targets)} never-directly-called functions ({indirect} bytes), "
             f"nested at most {POINTER_NESTING} deep"]
    return {"kernel_stack_worst": max(thread, trap)}, notes


def main():
    figures, notes = worst(sys.argv[1], sys.argv[2])
    for note in notes:
        print(note)
    print(figures)


if __name__ == "__main__":
    main()
