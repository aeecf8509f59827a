# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Build a board's app-flash image from TBFs (tools/mkimage.py with the board's app flash).

Usage:
    image = qemu_image.build(board, ["hello", "heartbeat"], workdir)   # the apps `make apps` built
    qemu_image.pack(board, [tbf_path, ...], image)                     # any TBFs, in this order
    qemu_image.app_tab(board, "hello", "hello.tab")   # that app's builds as a TAB (tools/tab.py)

Invariants: the i-th app is the build for slot i on boards with fixed-address slots
(Board.app_file); a failure raises RuntimeError with mkimage's message and leaves no image
to be mistaken for a good one (mkimage writes nothing on failure).
"""
import os
import subprocess
import sys

import tab
import tbf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def pack(board, tbfs, image):
    """Place `tbfs` (paths, in order) in `board`'s app flash and write the image to `image`."""
    cmd = [sys.executable, os.path.join(HERE, "mkimage.py"), "--arch", board.arch,
           "--flash-start", hex(board.app_flash.start), "--flash-size", hex(board.app_flash.size),
           "-o", image] + list(tbfs)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"mkimage failed: {(proc.stderr + proc.stdout).strip()}")
    sys.stderr.write(proc.stderr)  # notices, such as a changed app order
    return image


def build(board, apps, workdir, name="apps.bin"):
    """The image of the apps `make apps` built for `board`, app i in slot i; in `workdir`."""
    tbfs = [board.app_file(app, slot) for slot, app in enumerate(apps, start=1)]
    for tbf in tbfs:
        if not os.path.exists(tbf):
            raise RuntimeError(f"missing app image {tbf} (run `make apps BOARD={board.name}`)")
    return pack(board, tbfs, os.path.join(workdir, name))


def tab_targets(board):
    """[(slot number, TAB member name)] of the builds `make apps` makes for one app, named as
    libtock-c names them: `<arch>.tbf`, or `<arch>.<binary>.<RAM>.tbf` per fixed-address slot."""
    if not board.slots:
        return [(1, f"{board.apps_arch}.tbf")]
    return [(slot.number, f"{board.apps_arch}.{slot.binary:#010x}.{slot.ram:#010x}.tbf")
            for slot in board.slots]


def app_tab(board, app, path):
    """Bundle app `app`, as `make apps` built it for `board`, into the TAB `path` (every build,
    as libtock-c's TABs carry one per target); returns `path`."""
    builds = {}
    for slot, member in tab_targets(board):
        tbf_path = board.app_file(app, slot)
        if not os.path.exists(tbf_path):
            raise RuntimeError(f"missing app image {tbf_path} (run `make apps BOARD={board.name}`)")
        with open(tbf_path, "rb") as f:
            builds[member] = f.read()
    first = tbf.parse_tbf(next(iter(builds.values())))
    tab.write_tab(path, first.header.package_name, builds, first.header.kernel_version)
    return path
