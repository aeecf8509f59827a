#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Install, list and manage the apps of a board's app-flash image, as tockloader does on a board.

The image is the file QEMU loads at the start of app flash (`make run`, tools/qemu_image.py):
the TBFs in flash order, padding objects in the gaps, a zero word after the last app. A missing
image is empty app flash; `install` and `erase-apps` create it.

Verbs: `install FILE...` (.tbf files and .tab bundles), `uninstall NAME...`, `list [--verbose]
[--map]`, `info`, `enable-app NAME...`, `disable-app NAME...`, `inspect-tab TAB...` and
`erase-apps`. A change is worked out in full first: the new image is laid out with
tools/mkimage.py's placement (apps linked at fixed addresses where their address puts them,
the others after them in order, on Cortex-M each at a multiple of its power-of-two size, padding
objects in every gap; doc/reference/021-app-installation.md), every TBF is checked as the kernel
checks it, and tools/loader_model.py works out what the kernel will do with the result. The
change is refused when an app it installs or enables would be skipped (unless it is disabled),
or when an app that loads today would no longer load. Installing an app replaces the installed
apps of the same name (`--no-replace` keeps them; a sticky app needs `--force`). From a TAB the
build for the board's architecture is taken; of several (libtock-c's fixed-address RISC-V
builds) the first, by flash address, whose place is free and whose RAM the kernel can give,
after the files with one build have taken their places.

Usage:
    tockloader.py [--board B] [--image PATH] install [--no-replace] [--force] FILE...
    tockloader.py [--board B] [--image PATH] uninstall [--force] NAME...
    tockloader.py [--board B] [--image PATH] list [--verbose] [--map]
    tockloader.py [--board B] [--image PATH] info
    tockloader.py [--board B] [--image PATH] enable-app NAME... | disable-app NAME...
    tockloader.py [--board B] inspect-tab [--verbose] TAB...
    tockloader.py [--board B] [--image PATH] erase-apps
  --board defaults to qemu_mps2_an385 (as make's BOARD), --image to build/<board>/apps.bin
  (the image `make run APPS=...` boots). The options may also follow the verb.

Invariants:
    * A refused request writes nothing, prints one `tockloader: error: ...` line saying what and
      why, and exits with status 1; a new image replaces the old one in one rename.
    * After a change every app the kernel loaded before still loads, and every app installed or
      enabled loads or is disabled (loader_model's verdicts for the new image).
"""
import argparse
import os
import sys
import tempfile
from dataclasses import dataclass

import board_info
import loader_model
import mkimage
import tab
import tbf

DEFAULT_BOARD = "qemu_mps2_an385"
IMAGE_NAME = "apps.bin"


class LoaderError(Exception):
    """A refused request; the message says what and why."""


@dataclass
class Entry:
    """An app found in the image: where it is, its bytes and what the kernel does with it."""
    address: int
    item: mkimage.InputApp
    verdict: loader_model.Verdict

    @property
    def name(self):
        return self.item.app.header.package_name


@dataclass
class Source:
    """One install argument and its builds for this board, in the order they are tried."""
    path: str
    candidates: list      # [mkimage.InputApp]


def read_file(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise LoaderError("%s: %s" % (path, error.strerror or error)) from None


def read_image(board, path, must_exist=False):
    """The image's bytes; b"" (empty app flash) for a missing file unless `must_exist`."""
    if not os.path.exists(path):
        if must_exist:
            raise LoaderError("%s: no such image (install or erase-apps creates one)" % path)
        return b""
    data = read_file(path)
    if len(data) > board.app_flash.size:
        raise LoaderError("%s: %d bytes, more than %s's app flash (%d bytes)"
                          % (path, len(data), board.name, board.app_flash.size))
    return data


def installed_apps(board, path, data):
    """[Entry] of the image's apps; refuses an image a change could not keep intact."""
    report = loader_model.predict(board, data)
    if report.stop is not None:
        raise LoaderError("%s: %s; the apps past it cannot be kept (erase-apps empties the image)"
                          % (path, report.stop.line()[len(loader_model.LINE_PREFIX):]))
    entries = []
    for verdict in report.verdicts:
        if verdict.app is None:
            raise LoaderError("%s: the object at 0x%08x has a header the kernel cannot read (%s); "
                              "erase-apps empties the image" % (path, verdict.address,
                                                                verdict.reason))
        offset = verdict.address - board.app_flash.start
        raw = data[offset:offset + verdict.size]
        raw += bytes(verdict.size - len(raw))  # app flash past the file reads as zero
        app = tbf.parse_tbf(raw, 0, check_footers=False)
        entries.append(Entry(verdict.address, mkimage.InputApp("installed", raw, app), verdict))
    return entries


def check_architecture(board, item):
    """Refuse a plain TBF whose own fields show it was built for another target."""
    header = item.app.header
    flash = board.app_flash
    if board.arch == mkimage.ARCH_RISCV and header.init_fn_offset % 2:
        raise LoaderError("%s: built for Cortex-M, not %s: its entry point (init_fn_offset 0x%x) "
                          "is a Thumb address" % (item.label, board.apps_arch,
                                                  header.init_fn_offset))
    if header.fixed_flash is not None and not flash.contains(header.fixed_flash, 1):
        raise LoaderError("%s: linked for flash address 0x%08x, outside %s's app flash "
                          "0x%08x-0x%08x: it was built for another board or architecture"
                          % (item.label, header.fixed_flash, board.name, flash.start, flash.end))


def load_tbf_source(board, path):
    try:
        item = mkimage.load_tbf(os.path.basename(path), read_file(path))
    except mkimage.ImageError as error:
        raise LoaderError(str(error)) from None
    check_architecture(board, item)
    return Source(path, [item])


def load_tab_source(board, path):
    try:
        bundle = tab.read_tab(path)
        kernel_version = bundle.kernel_version
    except tab.TabError as error:
        raise LoaderError(str(error)) from None
    if bundle.boards and board.name not in bundle.boards:
        raise LoaderError("%s: only for %s, not %s" % (path, ", ".join(bundle.boards),
                                                       board.name))
    if kernel_version is not None and not loader_model.kernel_runs(kernel_version):
        raise LoaderError("%s: needs kernel ^%d.%d; this kernel is %d.%d"
                          % ((path,) + kernel_version + loader_model.KERNEL.version))
    builds = bundle.builds_for(board.apps_arch)
    if not builds:
        raise LoaderError("%s: no build for %s (its builds are for %s)"
                          % (path, board.apps_arch, ", ".join(bundle.architectures)))
    items = []
    for build in builds:
        try:
            items.append(mkimage.load_tbf(build.file_name, build.data))
        except mkimage.ImageError as error:
            raise LoaderError("%s: %s" % (path, error)) from None
    # Builds that go anywhere first, then fixed-address builds from the lowest address up.
    items.sort(key=lambda item: (item.app.header.fixed_flash is not None,
                                 item.app.header.fixed_flash or 0))
    return Source(path, items)


def load_source(board, path):
    if path.endswith(".tab"):
        return load_tab_source(board, path)
    return load_tbf_source(board, path)


def lay_out(board, items, filled):
    """([mkimage.Placement], image bytes, note or None) of `items` in app flash."""
    flash = board.app_flash
    try:
        placed = mkimage.place(items, board.arch, flash.start, flash.size)
        image = mkimage.build_image(placed, flash.start, flash.size, fill=filled)
    except mkimage.ImageError as error:
        raise LoaderError(str(error)) from None
    return placed, image, mkimage.reorder_note(items, placed)


def outcome_problems(board, placed, image, was_loaded, wanted):
    """What would go wrong at boot with `image`: an app in `wanted` (ids) the kernel skips for
    any reason but being disabled, or an app in `was_loaded` (ids) it no longer loads."""
    report = loader_model.predict(board, image)
    if report.stop is not None:
        return ["the new image could not be walked: %s" % report.stop.line()]
    problems = []
    for placement in placed:
        verdict = report.verdict_at(placement.address)
        if verdict.is_loaded:
            continue
        if id(placement.item) in wanted and verdict.reason != loader_model.REASON_DISABLED:
            problems.append("%s at 0x%08x would not run: the kernel would skip it: %s"
                            % (placement.item.label, placement.address, verdict.reason))
        elif id(placement.item) in was_loaded:
            problems.append("%s would no longer load: the kernel would skip it at 0x%08x: %s"
                            % (placement.item.label, placement.address, verdict.reason))
    return problems


def is_sticky(entry):
    return bool(entry.item.app.header.flags & tbf.FLAG_STICKY)


def refuse_sticky(entries, force, verb):
    sticky = [entry for entry in entries if is_sticky(entry)]
    if sticky and not force:
        raise LoaderError("%s at 0x%08x is sticky; %s it with --force"
                          % (sticky[0].name, sticky[0].address, verb))


def write_image(path, image):
    """Replace `path` by `image` in one rename (a reader sees the old file or the new one)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tockloader-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(image)
        os.replace(temporary, path)
    except OSError as error:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise LoaderError("%s: %s" % (path, error.strerror or error)) from None


def is_filled(board, data):
    """An image written out to the whole of app flash stays that way."""
    return len(data) == board.app_flash.size


def choose(board, keep, sources, decided, index, filled, was_loaded):
    """The first build of sources[index] that can join the kept apps and the builds `decided`
    ({source index: build}), with the layout of them all; the new apps go after the kept ones
    in command-line order."""
    source = sources[index]
    failures = []
    for candidate in source.candidates:
        trial = dict(decided)
        trial[index] = candidate
        new = [trial[key] for key in sorted(trial)]
        try:
            placed, image, note = lay_out(board, [entry.item for entry in keep] + new, filled)
            problems = outcome_problems(board, placed, image, was_loaded,
                                        {id(item) for item in new})
        except LoaderError as error:
            problems = [str(error)]
        if not problems:
            return candidate, placed, image, note
        failures.append("; ".join(problems))
    if len(failures) == 1:
        raise LoaderError("cannot install %s: %s" % (source.path, failures[0]))
    raise LoaderError("cannot install %s: no %s build fits: %s"
                      % (source.path, board.apps_arch, "; ".join(failures)))


def install(board, path, files, replace=True, force=False):
    data = read_image(board, path)
    entries = installed_apps(board, path, data)
    sources = [load_source(board, file) for file in files]
    names = {item.app.header.package_name for source in sources for item in source.candidates}
    replaced = [entry for entry in entries if replace and entry.name in names]
    refuse_sticky(replaced, force, "replace")
    keep = [entry for entry in entries if not (replace and entry.name in names)]
    was_loaded = {id(entry.item) for entry in keep if entry.verdict.is_loaded}
    # Files with one build are placed first: a TAB's choice must not take their place.
    decided = {}
    for index in sorted(range(len(sources)), key=lambda i: len(sources[i].candidates) > 1):
        candidate, placed, image, note = choose(board, keep, sources, decided, index,
                                                is_filled(board, data), was_loaded)
        decided[index] = candidate
    write_image(path, image)
    messages = ["replaced %s (was at 0x%08x)" % (entry.name, entry.address) for entry in replaced]
    for index, source in enumerate(sources):
        candidate = decided[index]
        where = next(p.address for p in placed if p.item is candidate)
        disabled = "" if candidate.app.header.is_enabled else " (disabled: enable-app runs it)"
        origin = source.path if len(source.candidates) == 1 and source.path.endswith(
            candidate.name) else "%s (%s)" % (source.path, candidate.name)
        messages.append("installed %s from %s at 0x%08x%s" % (
            candidate.app.header.package_name, origin, where, disabled))
    if note is not None:
        messages.append("note: " + note)
    return messages


def select(entries, names, path):
    """The entries named by `names` (every app of each name); refuses an unknown name."""
    installed = sorted({entry.name for entry in entries})
    for name in names:
        if not any(entry.name == name for entry in entries):
            listing = ("installed: %s" % ", ".join(installed)) if installed else "it holds no apps"
            raise LoaderError("no app named %r in %s (%s)" % (name, path, listing))
    return [entry for entry in entries if entry.name in names]


def uninstall(board, path, names, force=False):
    data = read_image(board, path, must_exist=True)
    entries = installed_apps(board, path, data)
    removed = select(entries, names, path)
    refuse_sticky(removed, force, "uninstall")
    keep = [entry for entry in entries if entry.name not in names]
    placed, image, note = lay_out(board, [entry.item for entry in keep], is_filled(board, data))
    problems = outcome_problems(board, placed, image,
                                {id(e.item) for e in keep if e.verdict.is_loaded}, set())
    if problems:
        raise LoaderError("cannot uninstall: %s" % "; ".join(problems))
    write_image(path, image)
    messages = ["uninstalled %s (was at 0x%08x)" % (entry.name, entry.address)
                for entry in removed]
    return messages + (["note: " + note] if note else [])


def set_enabled(board, path, names, enabled):
    """enable-app / disable-app: flip the enabled flag in place, checksum recomputed."""
    data = read_image(board, path, must_exist=True)
    entries = installed_apps(board, path, data)
    targets = select(entries, names, path)
    image = bytearray(data)
    messages = []
    word = "enabled" if enabled else "disabled"
    for entry in targets:
        flags = entry.item.app.header.flags
        flags = flags | tbf.FLAG_ENABLED if enabled else flags & ~tbf.FLAG_ENABLED
        if flags == entry.item.app.header.flags:
            messages.append("%s at 0x%08x is already %s" % (entry.name, entry.address, word))
            continue
        offset = entry.address - board.app_flash.start
        size = entry.item.app.header.header_size
        image[offset:offset + size] = tbf.with_flags(entry.item.data, flags)[:size]
        messages.append("%s %s at 0x%08x" % (word, entry.name, entry.address))
    touched = {id(entry.item) for entry in targets}
    placed = [mkimage.Placement(entry.address, entry.item, entry.item.size) for entry in entries]
    was_loaded = {id(e.item) for e in entries if e.verdict.is_loaded and
                  (enabled or id(e.item) not in touched)}
    problems = outcome_problems(board, placed, bytes(image), was_loaded,
                                touched if enabled else set())
    if problems:
        raise LoaderError("cannot %s: %s" % ("enable" if enabled else "disable",
                                             "; ".join(problems)))
    if bytes(image) != data:
        write_image(path, bytes(image))
    return messages


def erase_apps(board, path):
    data = read_image(board, path)
    flash = board.app_flash
    write_image(path, mkimage.build_image([], flash.start, flash.size, fill=is_filled(board, data)))
    return ["erased the apps of %s" % path]


def flag_words(header):
    words = ["enabled" if header.is_enabled else "disabled"]
    return ", ".join(words + (["sticky"] if header.flags & tbf.FLAG_STICKY else []))


def list_lines(board, path, verbose=False, show_map=False):
    data = read_image(board, path, must_exist=True)
    report = loader_model.predict(board, data)
    lines = []
    for verdict in report.verdicts:
        if verdict.app is None:
            lines.append("0x%08x  %8d bytes  unreadable header: %s"
                         % (verdict.address, verdict.size, verdict.reason))
            continue
        lines.append("0x%08x  %8d bytes  %-17s %s" % (verdict.address, verdict.size,
                                                      flag_words(verdict.app.header),
                                                      verdict.app.header.package_name))
        if verbose:
            lines += ["    " + line for line in
                      tbf.describe(verdict.app, board.app_flash.start).splitlines()]
    if report.stop is not None:
        lines.append("0x%08x  the walk stops here: %s %d" % (report.stop.address,
                                                              report.stop.reason,
                                                              report.stop.value))
    if not lines:
        lines.append("no apps in %s" % path)
    if show_map:
        lines.append("The kernel will print at boot:")
        lines += report.lines()
    return lines


def info_lines(board, path):
    data = read_image(board, path, must_exist=True)
    report = loader_model.predict(board, data)
    flash, ram = board.app_flash, board.app_ram
    lines = ["board %s (%s): %s kernel, apps built for %s"
             % (board.name, board.title, board.arch, board.apps_arch),
             "app flash 0x%08x-0x%08x (%d bytes)" % (flash.start, flash.end, flash.size),
             "app RAM   0x%08x-0x%08x (%d bytes)" % (ram.start, ram.end, ram.size),
             "kernel %d.%d: %d process slots, %d bytes of RAM headroom per app"
             % (loader_model.KERNEL.version + (loader_model.KERNEL.process_slots,
                                               loader_model.KERNEL.ram_headroom))]
    for slot in board.slots:
        lines.append("fixed-address slot %d: TBF at 0x%08x (binary 0x%08x), RAM at 0x%08x, "
                     "%d bytes" % (slot.number, slot.flash, slot.binary, slot.ram, slot.size))
    lines.append("image %s: %d bytes" % (path, len(data)))
    if report.end is not None:
        used = report.end - flash.start
        lines.append("%d apps and %d padding objects use %d bytes; %d bytes free after 0x%08x"
                     % (len(report.verdicts), len(report.padding), used, flash.size - used,
                        report.end))
    objects = sorted([(v.address, v) for v in report.verdicts] +
                     [(flash.start + padding.offset, padding) for padding in report.padding],
                     key=lambda pair: pair[0])
    for address, what in objects:
        if isinstance(what, loader_model.Verdict):
            if what.app is None:
                lines.append("TBF at 0x%08x (%d bytes): unreadable header: %s"
                             % (address, what.size, what.reason))
            else:
                lines.append(tbf.describe(what.app, flash.start))
        else:
            lines.append(tbf.describe(what, flash.start))
    lines.append("The kernel will print at boot:")
    return lines + report.lines()


def inspect_tab_lines(board, paths, verbose=False):
    lines = []
    for path in paths:
        try:
            bundle = tab.read_tab(path)
        except tab.TabError as error:
            raise LoaderError(str(error)) from None
        lines.append("%s: app %r, %d builds" % (path, bundle.name, len(bundle.builds)))
        lines += ["  %s = %r" % (key, value) for key, value in bundle.metadata.items()]
        for build in bundle.builds:
            lines.append("  %s: %s" % (build.file_name, build_summary(board, build)))
            if verbose:
                try:
                    lines += ["    " + line for line in
                              tbf.describe(tbf.parse_tbf(build.data)).splitlines()]
                except tbf.TbfError:
                    pass
    return lines


def build_summary(board, build):
    try:
        app = tbf.parse_tbf(build.data)
    except tbf.TbfError as error:
        return "not a valid TBF: %s" % error
    header = app.header
    text = "%d bytes, %s" % (header.total_size, flag_words(header))
    if header.fixed_flash is None:
        text += ", position independent"
    else:
        text += ", binary at 0x%08x" % header.fixed_flash
    if header.fixed_ram is not None:
        text += ", RAM at 0x%08x" % header.fixed_ram
    if build.architecture != board.apps_arch:
        return text + "; not for %s (%s)" % (board.name, board.apps_arch)
    slot = next((s for s in board.slots if s.binary == header.fixed_flash), None)
    if slot is not None:
        return text + "; for %s slot %d" % (board.name, slot.number)
    if header.fixed_flash is not None:
        return text + "; for %s, if that address is free" % board.name
    return text + "; for %s" % board.name


def build_parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--board", default=argparse.SUPPRESS, choices=board_info.names(),
                        help="the board (default %s)" % DEFAULT_BOARD)
    common.add_argument("--image", default=argparse.SUPPRESS,
                        help="the app-flash image (default build/<board>/%s)" % IMAGE_NAME)
    parser = argparse.ArgumentParser(
        prog="tockloader.py", parents=[common],
        description="Install, list and manage the apps of a board's app-flash image.")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    verb = verbs.add_parser("install", parents=[common], help="install .tbf and .tab files")
    verb.add_argument("files", nargs="+", metavar="FILE")
    verb.add_argument("--no-replace", action="store_true",
                      help="keep installed apps of the same name")
    verb.add_argument("--force", action="store_true", help="replace sticky apps too")
    verb = verbs.add_parser("uninstall", parents=[common], help="remove apps by name")
    verb.add_argument("names", nargs="+", metavar="NAME")
    verb.add_argument("--force", action="store_true", help="remove sticky apps too")
    verb = verbs.add_parser("list", parents=[common], help="the installed apps")
    verb.add_argument("--verbose", "-v", action="store_true", help="every header field")
    verb.add_argument("--map", action="store_true",
                      help="what the kernel will do with each app at boot")
    verbs.add_parser("info", parents=[common], help="the board, the image and every object")
    for name, text in (("enable-app", "let the kernel run"), ("disable-app", "stop the kernel "
                                                                             "from running")):
        verb = verbs.add_parser(name, parents=[common], help="%s these apps" % text)
        verb.add_argument("names", nargs="+", metavar="NAME")
    verb = verbs.add_parser("inspect-tab", parents=[common], help="what a TAB holds")
    verb.add_argument("tabs", nargs="+", metavar="TAB")
    verb.add_argument("--verbose", "-v", action="store_true", help="every header field")
    verbs.add_parser("erase-apps", parents=[common], help="remove every app")
    return parser


def run(args):
    board = board_info.load(getattr(args, "board", DEFAULT_BOARD))
    path = getattr(args, "image", None) or os.path.join(board_info.BUILD_DIR, board.name,
                                                        IMAGE_NAME)
    if args.verb == "install":
        return install(board, path, args.files, not args.no_replace, args.force)
    if args.verb == "uninstall":
        return uninstall(board, path, args.names, args.force)
    if args.verb == "list":
        return list_lines(board, path, args.verbose, args.map)
    if args.verb == "info":
        return info_lines(board, path)
    if args.verb in ("enable-app", "disable-app"):
        return set_enabled(board, path, args.names, args.verb == "enable-app")
    if args.verb == "inspect-tab":
        return inspect_tab_lines(board, args.tabs, args.verbose)
    return erase_apps(board, path)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        lines = run(args)
    except (LoaderError, board_info.BoardError) as error:
        print("tockloader: error: %s" % error, file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
