# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Build the app-flash image for a list of apps on a board (shared by the runner and cases)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build(board, apps, workdir):
    tbfs = [board.app_tbf(app, slot) for slot, app in enumerate(apps, start=1)]
    for tbf in tbfs:
        if not os.path.exists(tbf):
            raise RuntimeError(f"missing app image {tbf} (run `make apps BOARD={board.name}`)")
    image = os.path.join(workdir, "apps.bin")
    cmd = [sys.executable, os.path.join(ROOT, "tools", "mkimage.py"), "--arch", board.arch,
           "--flash-start", hex(board.app_flash), "--flash-size", hex(board.app_flash_size),
           "-o", image] + tbfs
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return image
