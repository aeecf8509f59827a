# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tock Application Bundles (TAB): the tar files elf2tab writes, one app built for several targets.

A TAB is a plain tar archive holding `metadata.toml` and one `<target>.tbf` per build. The target
is an architecture name (`cortex-m3.tbf`) or, for builds linked at fixed addresses, the
architecture followed by the app binary's flash address and its RAM address
(`rv32imac.0x80100080.0x80300000.tbf`, libtock-c's RISC-V builds, ABI §6.2). elf2tab writes
the metadata as flat `key = value` lines: `tab-version = 1`, `name = "..."`,
`only-for-boards = "..."` (a comma-separated list; empty means any board),
`minimum-tock-kernel-version = "M.m"` and an unquoted `build-date`. Older TABs also carry a
`.bin` copy of each TBF; members that are not `.tbf` files or the metadata are ignored.

The metadata is read by a small parser for the subset of TOML such files use: comments, `[table]`
headers (keys inside are named `table.key`), bare or quoted keys, and values that are basic or
literal strings, integers, booleans, or bare date-times (kept as text). Anything else (arrays,
inline tables, multi-line strings) is refused with its line number.

Usage:
    bundle = tab.read_tab("c_hello.tab")         # tab.Tab; raises tab.TabError
    tab.write_tab("hello.tab", "hello", {"cortex-m3.tbf": data}, kernel_version=(2, 2))
    bundle.name, bundle.version, bundle.kernel_version, bundle.boards
    for build in bundle.builds_for("rv32imac"): build.file_name, build.data
    tab.parse_metadata('tab-version = 1\\nname = "x"\\n')   # {"tab-version": 1, "name": "x"}

Invariants: members are read from the archive into memory, never extracted, so a member's name
cannot reach the file system; a TAB without metadata.toml, with an unknown tab-version or
with no .tbf member is refused.
"""
import io
import os
import re
import tarfile
from dataclasses import dataclass, field

METADATA = "metadata.toml"
TAB_VERSION = 1
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+$")
_INTEGER = re.compile(r"[+-]?(0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)$")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                        r"([Zz]|[+-]\d{2}:\d{2})?)?$")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class TabError(Exception):
    """Not a TAB this tool can read; the message says which file and why."""


@dataclass
class Build:
    """One TBF of a TAB: `target` is its member name without `.tbf`."""
    file_name: str
    data: bytes

    @property
    def target(self):
        return self.file_name[:-len(".tbf")]

    @property
    def architecture(self):
        return self.target.split(".")[0]


@dataclass
class Tab:
    path: str
    metadata: dict
    builds: list = field(default_factory=list)     # [Build] in archive order

    @property
    def name(self):
        return self.metadata.get("name", "")

    @property
    def version(self):
        return self.metadata.get("tab-version")

    @property
    def kernel_version(self):
        """(major, minor) from minimum-tock-kernel-version, or None when absent."""
        text = self.metadata.get("minimum-tock-kernel-version")
        if text is None:
            return None
        match = re.fullmatch(r"(\d+)\.(\d+)", str(text))
        if match is None:
            raise TabError("%s: minimum-tock-kernel-version %r is not MAJOR.MINOR"
                           % (self.path, text))
        return int(match.group(1)), int(match.group(2))

    @property
    def boards(self):
        """The boards only-for-boards names; empty when the app runs on any."""
        text = str(self.metadata.get("only-for-boards", ""))
        return [name.strip() for name in text.split(",") if name.strip()]

    @property
    def architectures(self):
        return sorted({build.architecture for build in self.builds})

    def builds_for(self, architecture):
        return [build for build in self.builds if build.architecture == architecture]


def _strip_comment(text, number):
    """`text` (what follows `=`) without a trailing comment; quotes are honoured."""
    quote = None
    escaped = False
    for index, char in enumerate(text):
        if quote == '"' and escaped:
            escaped = False
        elif quote == '"' and char == "\\":
            escaped = True
        elif quote is not None and char == quote:
            quote = None
        elif quote is None and char in "\"'":
            quote = char
        elif quote is None and char == "#":
            return text[:index].strip()
    if quote is not None:
        raise TabError("line %d: unterminated string" % number)
    return text.strip()


def _basic_string(body, number):
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        code = body[index + 1:index + 2]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            index += 2
        elif code in ("u", "U"):
            width = 4 if code == "u" else 8
            digits = body[index + 2:index + 2 + width]
            if not re.fullmatch(r"[0-9A-Fa-f]{%d}" % width, digits):
                raise TabError("line %d: bad \\%s escape" % (number, code))
            out.append(chr(int(digits, 16)))
            index += 2 + width
        else:
            raise TabError("line %d: unknown escape \\%s" % (number, code))
    return "".join(out)


def _value(text, number):
    if len(text) >= 2 and text[0] == text[-1] == '"' and not text.startswith('"""'):
        body = text[1:-1]
        if re.search(r'(?<!\\)(\\\\)*"', body):
            raise TabError("line %d: text after a string" % number)
        return _basic_string(body, number)
    if len(text) >= 2 and text[0] == text[-1] == "'" and not text.startswith("'''"):
        if "'" in text[1:-1]:
            raise TabError("line %d: text after a string" % number)
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if _INTEGER.match(text):
        return int(text.replace("_", ""), 0)
    if _DATE_TIME.match(text):
        return text
    raise TabError("line %d: value %r is not a string, integer, boolean or date" % (number, text))


def _key(text, number):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if not _BARE_KEY.match(text):
        raise TabError("line %d: %r is not a key" % (number, text))
    return text


def parse_metadata(text):
    """{key: value} of a metadata.toml (the subset described above); raises TabError."""
    values = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            match = re.fullmatch(r"\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?", line)
            if match is None:
                raise TabError("line %d: %r is not a [table] header" % (number, line))
            table = match.group(1) + "."
            continue
        key, equals, rest = line.partition("=")
        if not equals:
            raise TabError("line %d: expected key = value" % number)
        name = table + _key(key, number)
        if name in values:
            raise TabError("line %d: %s is defined twice" % (number, name))
        values[name] = _value(_strip_comment(rest, number), number)
    return values


def read_tab(path):
    """Read the TAB at `path`; raises TabError."""
    try:
        archive = tarfile.open(path, "r:")
    except (OSError, tarfile.TarError) as error:
        raise TabError("%s: not a TAB (tar) file: %s" % (path, error)) from None
    metadata = None
    builds = []
    with archive:
        for member in archive:
            name = os.path.basename(member.name)
            if not member.isfile() or not (name == METADATA or name.endswith(".tbf")):
                continue
            data = archive.extractfile(member).read()
            if name == METADATA:
                try:
                    metadata = parse_metadata(data.decode("utf-8"))
                except UnicodeDecodeError:
                    raise TabError("%s: %s is not UTF-8 text" % (path, METADATA)) from None
                except TabError as error:
                    raise TabError("%s: %s %s" % (path, METADATA, error)) from None
            else:
                builds.append(Build(name, data))
    if metadata is None:
        raise TabError("%s: no %s, so not a TAB" % (path, METADATA))
    bundle = Tab(path, metadata, builds)
    if bundle.version != TAB_VERSION:
        raise TabError("%s: tab-version %r (this tool reads version %d)"
                       % (path, bundle.version, TAB_VERSION))
    if not builds:
        raise TabError("%s: holds no .tbf build" % path)
    return bundle


def _quoted(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def write_tab(path, name, builds, kernel_version=None):
    """Write a TAB as elf2tab lays one out: metadata.toml first, then `builds` ({member name:
    TBF bytes}) in order; no build date and zero timestamps, so equal inputs give equal files."""
    lines = ["tab-version = %d" % TAB_VERSION, "name = %s" % _quoted(name),
             'only-for-boards = ""']
    if kernel_version is not None:
        lines.append('minimum-tock-kernel-version = "%d.%d"' % tuple(kernel_version))
    members = [(METADATA, ("\n".join(lines) + "\n").encode("utf-8"))] + list(builds.items())
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as archive:
        for member, data in members:
            info = tarfile.TarInfo(member)
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
