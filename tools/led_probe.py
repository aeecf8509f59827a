# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Read a QEMU board's LEDs from outside the guest, through QEMU's QMP socket.

Apps such as blink print nothing: what they must show is on the LEDs. QEMU is started with
`-qmp unix:<socket>,server=on,wait=off`; the probe asks the monitor for the physical memory
that holds the LED state (`xp`), which never disturbs the guest. mps2-an385: the FPGA-IO LED
register (bit i = LED i). virt has no LEDs: the kernel keeps them in RAM (chips/qemu_virt/
ram_led.c, `struct ram_led` = HIL header word, then the `is_on` byte), found by symbol in the
kernel ELF.
"""
import json
import re
import socket
import time

import elf

MPS2_FPGAIO_LED = 0x40028000
RAM_LED_IS_ON_OFFSET = 4
VIRT_LED_SYMBOLS = ("led0", "led1")


class LedProbe:
    def __init__(self, board, socket_path):
        self.board = board
        self.socket_path = socket_path
        self.sock = None
        self.buffer = b""
        self.addresses = []
        if board.arch == "riscv":
            with open(board.kernel, "rb") as handle:
                image = elf.parse(handle.read())
            self.addresses = [image.symbol_value(name) + RAM_LED_IS_ON_OFFSET
                              for name in VIRT_LED_SYMBOLS]

    @staticmethod
    def qemu_args(socket_path):
        return ["-qmp", f"unix:{socket_path},server=on,wait=off"]

    def connect(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(2.0)
                self.sock.connect(self.socket_path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"QMP socket {self.socket_path} never came up")
                time.sleep(0.05)
        self._reply()                                   # the greeting
        self._command({"execute": "qmp_capabilities"})

    def close(self):
        if self.sock:
            self.sock.close()

    def _reply(self):
        while True:
            line, sep, rest = self.buffer.partition(b"\n")
            if sep:
                self.buffer = rest
                message = json.loads(line)
                if "event" in message:
                    continue
                return message
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("QMP connection closed")
            self.buffer += chunk

    def _command(self, command):
        self.sock.sendall(json.dumps(command).encode() + b"\n")
        reply = self._reply()
        if "error" in reply:
            raise RuntimeError(f"QMP error: {reply['error']}")
        return reply.get("return")

    def _read(self, fmt, address):
        text = self._command({"execute": "human-monitor-command",
                              "arguments": {"command-line": f"xp /1{fmt}x {address:#x}"}})
        match = re.search(r":\s*0x([0-9a-fA-F]+)", text or "")
        if not match:
            raise RuntimeError(f"unexpected monitor answer {text!r}")
        return int(match.group(1), 16)

    def sample(self):
        """The LEDs now, as a tuple of booleans (LED 0 first)."""
        if self.board.arch == "riscv":
            return tuple(bool(self._read("b", address)) for address in self.addresses)
        word = self._read("w", MPS2_FPGAIO_LED)
        return tuple(bool(word >> i & 1) for i in range(2))
