# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tests for tools/tbfpack.py (ELF -> TBF) and the tbf/elf modules it uses.

Real ELFs built from fixtures/app.c check the worked example of ABI §3.6 (doc/reference/019) and the
elf2tab layout against independent oracles (readelf, nm, objcopy);
synthetic ELFs from support.make_elf cover the corner cases.

Usage: python3 -m unittest discover -s tests/tools -v
"""

import os
import shutil
import struct
import unittest

import support
from support import (EM_ARM, PF_R, PF_W, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS,
                     SHT_REL, Sec, Seg, make_elf, pack, run_tool, walk_tlvs, xor_checksum)

import elf    # noqa: E402  (tools/, put on sys.path by support)
import tbf    # noqa: E402
import tbfpack  # noqa: E402

LIBTOCK_C_ARGS = ["--stack", "2048", "--app-heap", "1024", "--kernel-heap", "1024",
                  "--kernel-major", "2", "--kernel-minor", "2", "--minimum-footer-size", "3000"]


def u32(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


def out_path(name):
    return os.path.join(support.work_dir(), name)


@unittest.skipUnless(support.have_toolchain("rv32"), "riscv64-unknown-elf-gcc not installed")
class RiscvBlinkVectorTest(unittest.TestCase):
    """ABI §3.6: libtock-c `blink`, variant rv32imac.0x80100080.0x80300000."""

    @classmethod
    def setUpClass(cls):
        cls.elf = support.build_app("rv32", flash=0x80100080, ram=0x80300000)
        cls.tbf = pack(cls.elf, out_path("blink.tbf"), "-n", "blink", "--check-crt0",
                       *LIBTOCK_C_ARGS)
        cls.header = cls.tbf[:u32(cls.tbf, 0) >> 16]
        cls.tlvs = walk_tlvs(cls.header)
        cls.program = struct.unpack("<5I", cls.tlvs[1][3])

    def test_base_header(self):
        version, header_size, total_size, flags = struct.unpack_from("<HHII", self.tbf, 0)
        self.assertEqual(version, 2)
        self.assertEqual(header_size, 0x58)
        self.assertEqual(total_size, len(self.tbf))
        self.assertEqual(flags, 1)
        self.assertEqual(total_size % 4, 0)

    def test_checksum_is_xor_of_header_words_except_word_3(self):
        self.assertEqual(u32(self.tbf, 12), xor_checksum(self.header))
        self.assertNotEqual(u32(self.tbf, 12), 0)

    def test_tlv_order_offsets_and_lengths(self):
        self.assertEqual([(t, o, n) for t, o, n, _ in self.tlvs],
                         [(1, 0x10, 12), (9, 0x20, 20), (3, 0x38, 5), (5, 0x44, 8), (8, 0x50, 4)])
        self.assertEqual(self.header[0x3C:0x44], b"blink\0\0\0")

    def test_main_and_program_agree_on_spec_values(self):
        main = struct.unpack("<3I", self.tlvs[0][3])
        self.assertEqual(main, self.program[:3])
        init_fn_offset, trailer, _, binary_end, version = self.program
        self.assertEqual(init_fn_offset, 0x50)
        self.assertEqual(trailer, 0x28)
        self.assertEqual(version, 0)
        self.assertLess(binary_end, len(self.tbf))

    def test_fixed_addresses_and_kernel_version(self):
        self.assertEqual(struct.unpack("<II", self.tlvs[3][3]), (0x80300000, 0x80100080))
        self.assertEqual(struct.unpack("<HH", self.tlvs[4][3]), (2, 2))

    def test_tbf_starts_256_aligned_below_binary(self):
        # TBF at 0x80100000: header + trailer == 0x80 puts the binary at 0x80100080.
        self.assertEqual(0x58 + self.program[1], 0x80)
        self.assertEqual(self.tbf[0x58:0x80], bytes(0x28))

    def test_entry_is_start_symbol(self):
        start = support.nm_symbol("rv32", self.elf, "_start")
        self.assertEqual(start, 0x801000A8)
        self.assertEqual(0x80100000 + 0x58 + self.program[0], start)

    def test_binary_equals_objcopy_image(self):
        flash = support.objcopy_binary("rv32", self.elf)
        self.assertEqual(self.tbf[0x80:0x80 + len(flash)], flash)
        self.assertEqual(self.program[3], 0x80 + len(flash) + 4)   # + empty reloc block

    def test_crt0_reldata_field_points_at_empty_reloc_block(self):
        binary_end = self.program[3]
        reloc_offset = binary_end - 4
        self.assertEqual(u32(self.tbf, 0x80 + 32), reloc_offset - 0x80)
        self.assertEqual(u32(self.tbf, reloc_offset), 0)
        self.assertEqual(u32(self.tbf, 0x80 + 36), 2048)          # crt0 stack_size

    def test_minimum_ram_matches_readelf(self):
        in_ram = sum(memsz for _, vaddr, paddr, _, memsz, flags in
                     support.readelf_loads("rv32", self.elf)
                     if vaddr != paddr and memsz and "W" in flags)
        self.assertGreater(in_ram, 0)
        self.assertEqual(self.program[2], in_ram + 2048 + 1024 + 1024)

    def test_footer_is_one_reserved_credential(self):
        binary_end = self.program[3]
        tlv_type, length, fmt = struct.unpack_from("<HHI", self.tbf, binary_end)
        self.assertEqual(tlv_type, 128)
        self.assertEqual(fmt, 0)
        self.assertEqual(binary_end + 4 + length, len(self.tbf))
        self.assertGreaterEqual(len(self.tbf) - binary_end, 3000)
        self.assertEqual(self.tbf[binary_end + 8:], bytes(len(self.tbf) - binary_end - 8))

    def test_module_parser_agrees(self):
        app = tbf.parse_tbf(self.tbf)
        self.assertEqual(app.header.package_name, "blink")
        self.assertEqual(app.header.fixed_flash, 0x80100080)
        self.assertEqual(app.header.fixed_ram, 0x80300000)
        self.assertEqual(app.header.protected_size, 0x80)
        self.assertEqual(len(app.footers), 1)

    def test_output_is_deterministic(self):
        again = pack(self.elf, out_path("blink-again.tbf"), "-n", "blink", *LIBTOCK_C_ARGS)
        self.assertEqual(again, self.tbf)


@unittest.skipUnless(support.have_toolchain("arm"), "arm-none-eabi-gcc not installed")
class ArmPicTest(unittest.TestCase):
    """Cortex-M3 PIC app linked at the 0x80000000 / 0 sentinels."""

    @classmethod
    def setUpClass(cls):
        cls.elf = support.build_app("arm", flash=0x80000000, ram=0)
        cls.tbf = pack(cls.elf, out_path("arm.tbf"), "-n", "blink", "--check-crt0",
                       *LIBTOCK_C_ARGS)
        cls.header_size = u32(cls.tbf, 0) >> 16
        cls.tlvs = walk_tlvs(cls.tbf[:cls.header_size])
        cls.program = struct.unpack("<5I", cls.tlvs[1][3])

    def test_no_fixed_addresses_and_tlv_order(self):
        self.assertEqual([t for t, _, _, _ in self.tlvs], [1, 9, 3, 8])
        self.assertEqual(self.header_size, 16 + 16 + 24 + 12 + 8)

    def test_protected_region_is_exactly_the_header(self):
        self.assertEqual(self.program[1], 0)

    def test_total_size_is_power_of_two_at_least_512(self):
        total = u32(self.tbf, 4)
        self.assertEqual(total, len(self.tbf))
        self.assertEqual(total & (total - 1), 0)
        self.assertEqual(total, 4096)        # ~250 bytes of app + 3000 footer
        self.assertEqual(u32(self.tbf, 12), xor_checksum(self.tbf[:self.header_size]))

    def test_entry_offset_is_thumb_entry_minus_flash_origin(self):
        start = support.nm_symbol("arm", self.elf, "_start")
        self.assertEqual(self.program[0], (start | 1) - 0x80000000)
        self.assertEqual(self.program[0] % 2, 1)

    def test_reloc_block_holds_rel_data(self):
        rel_data = support.rel_section_bytes("arm", self.elf, ".rel.data")
        self.assertEqual(len(rel_data), 8)                  # one R_ARM_ABS32 entry
        flash = support.objcopy_binary("arm", self.elf)
        reloc_offset = self.header_size + len(flash)
        self.assertEqual(self.tbf[self.header_size:reloc_offset], flash)
        self.assertEqual(u32(self.tbf, reloc_offset), len(rel_data))
        self.assertEqual(self.tbf[reloc_offset + 4:reloc_offset + 4 + len(rel_data)], rel_data)
        self.assertEqual(self.program[3], reloc_offset + 4 + len(rel_data))
        self.assertEqual(u32(self.tbf, self.header_size + 32), len(flash))   # crt0 reldata_start
        self.assertEqual(struct.unpack_from("<I", rel_data, 4)[0] & 0xFF, 2)  # R_ARM_ABS32

    def test_minimum_ram_counts_got_data_bss(self):
        loads = support.readelf_loads("arm", self.elf)
        in_ram = sum(memsz for _, vaddr, paddr, _, memsz, flags in loads
                     if vaddr != paddr and memsz and "W" in flags)
        self.assertEqual(self.program[2], in_ram + 2048 + 1024 + 1024)

    def test_footer_fills_padding_to_power_of_two(self):
        binary_end = self.program[3]
        tlv_type, length, fmt = struct.unpack_from("<HHI", self.tbf, binary_end)
        self.assertEqual((tlv_type, fmt), (128, 0))
        self.assertEqual(binary_end + 4 + length, 4096)

    def test_no_footer_request_still_pads_to_512(self):
        data = pack(self.elf, out_path("arm-nofooter.tbf"), "-n", "blink")
        self.assertEqual(len(data), 512)
        app = tbf.parse_tbf(data)
        self.assertEqual(app.footers[0].offset, app.header.binary_end_offset)
        self.assertEqual(app.footers[0].offset + 4 + app.footers[0].length, 512)
        self.assertIsNone(app.header.kernel_version)


@unittest.skipUnless(support.have_toolchain("rv32") and support.have_toolchain("arm"),
                     "cross compilers not installed")
class WriteableFlashRegionTest(unittest.TestCase):

    def test_rv32_wfr_follows_crt0_header(self):
        path = support.build_app("rv32", 0x80100080, 0x80300000, defines=["WITH_APP_STATE"])
        data = pack(path, out_path("wfr.tbf"), "-n", "blink", *LIBTOCK_C_ARGS)
        tlvs = walk_tlvs(data[:u32(data, 0) >> 16])
        self.assertEqual([t for t, _, _, _ in tlvs], [1, 9, 3, 2, 5, 8])
        self.assertEqual(u32(data, 0) >> 16, 0x58 + 12)
        self.assertEqual(struct.unpack("<II", tlvs[3][3]), (0x80 + 40, 256))
        self.assertEqual(data[0x80 + 40], 1)                  # app_state[0] == 1
        # The binary still starts at 0x80, so the trailer shrank by the WFR TLV.
        self.assertEqual(struct.unpack("<I", tlvs[0][3][4:8])[0], 0x80 - 0x64)

    def test_arm_wfr_offset_is_from_tbf_start(self):
        path = support.build_app("arm", 0x80000000, 0, defines=["WITH_APP_STATE"])
        data = pack(path, out_path("wfr-arm.tbf"), "-n", "x")
        app = tbf.parse_tbf(data)
        self.assertEqual(app.header.writeable_flash_regions,
                         [(app.header.header_size + 40, 256)])


@unittest.skipUnless(support.have_toolchain("rv32"), "riscv64-unknown-elf-gcc not installed")
class HeaderOptionsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.elf = support.build_app("rv32", 0x80100080, 0x80300000)

    def test_permissions_grouped_per_driver_and_block(self):
        # Three entries make the header 0x8c bytes, too big for the default 0x80 region.
        data = pack(self.elf, out_path("perm.tbf"), "-n", "p", "--kernel-major", "2",
                    "--protected-region-size", "0x100",
                    "--permissions", "1,1", "1:2", "0x40001,65", "--permissions", "2,0")
        tlvs = walk_tlvs(data[:u32(data, 0) >> 16])
        self.assertEqual([t for t, _, _, _ in tlvs], [1, 9, 3, 5, 6, 8])
        perm = tlvs[4]
        self.assertEqual(perm[2], 2 + 3 * 16)
        self.assertEqual(struct.unpack_from("<H", perm[3])[0], 3)
        entries = [struct.unpack_from("<IIQ", perm[3], 2 + 16 * i) for i in range(3)]
        self.assertEqual(entries, [(1, 0, 0b110), (0x40001, 1, 1 << 1), (2, 0, 1)])
        self.assertEqual(data[perm[1] + 4 + perm[2]:perm[1] + 4 + perm[2] + 2], b"\0\0")
        self.assertEqual(struct.unpack("<HH", tlvs[5][3]), (2, 0))   # minor defaults to 0

    def test_disabled_clears_enabled_flag(self):
        data = pack(self.elf, out_path("disabled.tbf"), "-n", "d", "--disabled")
        self.assertEqual(u32(data, 8), 0)
        self.assertEqual(u32(data, 12), xor_checksum(data[:u32(data, 0) >> 16]))

    def test_protected_region_size_option(self):
        data = pack(self.elf, out_path("prot.tbf"), "-n", "blink", "--kernel-major", "2",
                    "--kernel-minor", "2", "--protected-region-size", "0x100")
        app = tbf.parse_tbf(data)
        self.assertEqual(app.header.protected_size, 0x100)
        self.assertEqual(app.header.protected_trailer_size, 0x100 - 0x58)
        self.assertEqual(app.header.init_fn_offset, 0x100 - 0x58 + 40)

    def test_storage_short_id_and_app_version(self):
        data = pack(self.elf, out_path("storage.tbf"), "-n", "s", "--kernel-major", "2",
                    "--write-id", "7", "--read-ids", "1", "2", "--access_ids", "3",
                    "--short-id", "0x1234", "--app-version", "9")
        tlvs = walk_tlvs(data[:u32(data, 0) >> 16])
        self.assertEqual([t for t, _, _, _ in tlvs], [1, 9, 3, 5, 7, 8, 10])
        self.assertEqual(tlvs[4][3], struct.pack("<IHIIHI", 7, 2, 1, 2, 1, 3))
        self.assertEqual(struct.unpack("<I", tlvs[6][3])[0], 0x1234)
        self.assertEqual(struct.unpack("<5I", tlvs[1][3])[4], 9)
        app = tbf.parse_tbf(data)
        self.assertEqual(app.header.storage, (7, [1, 2], [3]))

    def test_longest_name_that_fits_the_0x80_protected_region(self):
        data = pack(self.elf, out_path("long-name.tbf"), "-n", "n" * 48, *LIBTOCK_C_ARGS)
        self.assertEqual(u32(data, 0) >> 16, 0x80)
        self.assertEqual(tbf.parse_tbf(data).header.protected_trailer_size, 0)
        result = run_tool("tbfpack.py", self.elf, "-o", out_path("too-long.tbf"),
                          "-n", "n" * 49, *LIBTOCK_C_ARGS)
        self.assertEqual(result.returncode, 1)
        self.assertIn("too small for the 132-byte TBF header", result.stderr)

    def test_stack_defaults_to_stack_section_size(self):
        path = support.build_app("rv32", 0x80100080, 0x80300000, stack=4096)
        with_option = tbf.parse_tbf(pack(path, out_path("s1.tbf"), "--stack", "1000"))
        from_section = tbf.parse_tbf(pack(path, out_path("s2.tbf")))
        self.assertEqual(from_section.header.minimum_ram_size -
                         with_option.header.minimum_ram_size, 4096 - 1000)

    def test_verbose_prints_header(self):
        result = run_tool("tbfpack.py", "-v", "-n", "blink", "-o", out_path("v.tbf"), self.elf)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("header_size 0x", result.stdout)
        self.assertIn("fixed addresses: ram 0x80300000  flash 0x80100080", result.stdout)


class SyntheticLayoutTest(unittest.TestCase):
    """Corner cases of elf2tab's segment walk, on hand-built ELFs."""

    FLASH = 0x80100080
    RAM = 0x80300000

    def build(self, segments, sections, symbols=None, entry=None, machine=support.EM_RISCV,
              **options):
        if symbols is None:
            symbols = {"_flash_origin": self.FLASH, "_sram_origin": self.RAM}
        data = make_elf(segments, sections, symbols,
                        self.FLASH if entry is None else entry, machine)
        return tbfpack.pack(elf.parse(data), tbfpack.PackOptions(**options))

    def test_segment_starting_below_flash_origin_is_truncated(self):
        junk = b"\xEE" * 0x80                              # e.g. ELF headers loaded by ld
        code = bytes(range(0x40))
        result = self.build([Seg(self.FLASH - 0x80, junk + code)],
                            [Sec(".text", 0x40, 0, 0x80, SHF_ALLOC | SHF_EXECINSTR)])
        header = result.header
        self.assertEqual(header.protected_size, 0x80)
        self.assertEqual(result.data[0x80:0xC0], code)
        self.assertEqual(header.init_fn_offset, 0x80 - header.header_size)
        self.assertEqual(header.binary_end_offset, 0xC0 + 4)

    def test_segment_wholly_below_flash_is_skipped(self):
        result = self.build([Seg(0x80000000, b"\xEE" * 16), Seg(self.FLASH, b"\x01" * 8)],
                            [Sec(".text", 8, 1, 0, SHF_ALLOC | SHF_EXECINSTR)])
        self.assertEqual(result.data[0x80:0x88], b"\x01" * 8)
        self.assertEqual(result.reloc_offset, 0x88)

    def test_gap_between_segments_is_zero_filled_by_load_address(self):
        result = self.build(
            [Seg(self.FLASH, b"\x01" * 0x10), Seg(self.FLASH + 0x30, b"\x02" * 4)],
            [Sec(".text", 0x10, 0, 0, SHF_ALLOC | SHF_EXECINSTR),
             Sec(".rodata", 4, 1, 0, SHF_ALLOC)])
        self.assertEqual(result.data[0x80:0xB4], b"\x01" * 0x10 + bytes(0x20) + b"\x02" * 4)
        self.assertEqual(result.warnings, [])

    def test_large_gap_is_filled_with_a_warning(self):
        result = self.build(
            [Seg(self.FLASH, b"\x01" * 0x10), Seg(self.FLASH + 0x2010, b"\x02" * 4)],
            [Sec(".text", 0x10, 0, 0, SHF_ALLOC | SHF_EXECINSTR),
             Sec(".rodata", 4, 1, 0, SHF_ALLOC)])
        self.assertEqual(result.reloc_offset, 0x80 + 0x2014)
        self.assertEqual(result.data[0x90:0x2090], bytes(0x2000))
        self.assertEqual(len(result.warnings), 1)
        self.assertIn("8192 bytes of padding", result.warnings[0])

    def test_relocations_of_every_writable_section_in_section_order(self):
        result = self.build(
            [Seg(self.FLASH, b"\x01" * 0x10),
             Seg(self.RAM, b"\x02" * 0x10, paddr=self.FLASH + 0x10, memsz=0x30,
                 flags=PF_R | PF_W)],
            [Sec(".text", 0x10, 0, 0, SHF_ALLOC | SHF_EXECINSTR),
             Sec(".got", 8, 1, 0, SHF_ALLOC | SHF_WRITE),
             Sec(".data", 8, 1, 8, SHF_ALLOC | SHF_WRITE),
             Sec(".bss", 0x20, 1, 0x10, SHF_ALLOC | SHF_WRITE, sh_type=SHT_NOBITS),
             Sec(".rel.data", data=b"D" * 8, flags=0, sh_type=SHT_REL),
             Sec(".rel.got", data=b"G" * 16, flags=0, sh_type=SHT_REL),
             Sec(".rel.text", data=b"T" * 8, flags=0, sh_type=SHT_REL)])
        self.assertEqual(result.reloc_data, b"G" * 16 + b"D" * 8)
        self.assertEqual(u32(result.data, 0xA0), 24)
        self.assertEqual(result.data[0xA4:0xBC], b"G" * 16 + b"D" * 8)
        self.assertEqual(result.header.minimum_ram_size, 0x30 + 2048 + 1024 + 1024)

    def test_flash_address_falls_back_to_lowest_executable_segment(self):
        result = self.build([Seg(0x20040080, b"\x01" * 8)],
                            [Sec(".text", 8, 0, 0, SHF_ALLOC | SHF_EXECINSTR)],
                            symbols={}, entry=0x20040080)
        self.assertEqual(result.header.fixed_flash, 0x20040080)
        self.assertIsNone(result.header.fixed_ram)
        self.assertEqual(result.header.protected_size, 0x80)

    def test_pic_detected_from_segment_address_without_symbols(self):
        # 56-byte header + 196-byte binary + 4-byte reloc length = 256 bytes.
        result = self.build([Seg(0x80000000, b"\x01" * 196)],
                            [Sec(".text", 196, 0, 0, SHF_ALLOC | SHF_EXECINSTR)],
                            symbols={}, entry=0x80000001, machine=EM_ARM)
        self.assertTrue(result.is_pic)
        self.assertFalse(result.header.has_fixed_addresses)
        self.assertEqual(result.header.protected_trailer_size, 0)
        self.assertEqual(result.header.init_fn_offset, 1)
        self.assertEqual(result.header.total_size, 256)     # exact power of two: kept

    def test_protected_region_symbol_overrides_option(self):
        result = self.build([Seg(self.FLASH, b"\x01" * 8)],
                            [Sec(".text", 8, 0, 0, SHF_ALLOC | SHF_EXECINSTR)],
                            symbols={"_flash_origin": self.FLASH,
                                     "tbf_protected_region_size": 0x200},
                            protected_region_size=0x100)
        self.assertEqual(result.header.protected_size, 0x200)

    def test_riscv_total_size_rounded_to_word(self):
        result = self.build([Seg(self.FLASH, b"\x01" * 6)],
                            [Sec(".text", 6, 0, 0, SHF_ALLOC | SHF_EXECINSTR)])
        self.assertEqual(result.header.binary_end_offset, 0x80 + 6 + 4)
        self.assertEqual(result.header.total_size, 0x80 + 12)
        self.assertEqual(result.data[-2:], b"\0\0")         # too small for a credential
        self.assertEqual(tbf.parse_tbf(result.data).footers, [])

    def test_riscv_odd_footer_is_absorbed_by_credential(self):
        result = self.build([Seg(self.FLASH, b"\x01" * 6)],
                            [Sec(".text", 6, 0, 0, SHF_ALLOC | SHF_EXECINSTR)],
                            minimum_footer_size=10)
        footers = tbf.parse_tbf(result.data).footers
        self.assertEqual(result.header.total_size, 0x80 + 10 + 12 + 2)
        self.assertEqual(footers[0].length, result.header.total_size - 0x8A - 4)

    def test_huge_footer_is_split_into_valid_credentials(self):
        result = self.build([Seg(self.FLASH, b"\x01" * 8)],
                            [Sec(".text", 8, 0, 0, SHF_ALLOC | SHF_EXECINSTR)],
                            minimum_footer_size=200000)
        app = tbf.parse_tbf(result.data)
        self.assertGreater(len(app.footers), 1)
        self.assertTrue(all(f.format == 0 and f.length <= 0xFFFF for f in app.footers))
        last = app.footers[-1]
        self.assertEqual(last.offset + 4 + last.length, len(result.data))

    def test_entry_outside_segments_is_rejected(self):
        with self.assertRaisesRegex(tbfpack.PackError, "entry point"):
            self.build([Seg(self.FLASH, b"\x01" * 8)],
                       [Sec(".text", 8, 0, 0, SHF_ALLOC | SHF_EXECINSTR)], entry=0x10)

    def test_overlapping_segments_are_rejected(self):
        with self.assertRaisesRegex(tbfpack.PackError, "overlaps"):
            self.build([Seg(self.FLASH, b"\x01" * 8), Seg(self.FLASH + 4, b"\x02" * 8)],
                       [Sec(".text", 8, 0, 0, SHF_ALLOC | SHF_EXECINSTR)])

    def test_out_of_order_segments_are_rejected(self):
        with self.assertRaisesRegex(tbfpack.PackError, "load-address order"):
            self.build([Seg(self.FLASH + 0x20, b"\x01" * 8), Seg(self.FLASH, b"\x02" * 8)],
                       [Sec(".text", 8, 1, 0, SHF_ALLOC | SHF_EXECINSTR)])

    def test_fixed_address_on_256_boundary_leaves_no_room_for_header(self):
        with self.assertRaisesRegex(tbfpack.PackError, "too small"):
            self.build([Seg(0x80100000, b"\x01" * 8)],
                       [Sec(".text", 8, 0, 0, SHF_ALLOC | SHF_EXECINSTR)],
                       symbols={"_flash_origin": 0x80100000}, entry=0x80100000)

    def test_crt0_check_catches_misplaced_reldata(self):
        crt0 = struct.pack("<10I", 0, 0, 0, 0, 0, 0, 0, 0, 0x999, 2048)
        with self.assertRaisesRegex(tbfpack.PackError, "reldata_start"):
            self.build([Seg(self.FLASH, crt0)],
                       [Sec(".text", 40, 0, 0, SHF_ALLOC | SHF_EXECINSTR)], check_crt0=True)
        good = struct.pack("<10I", 0, 0, 0, 40, 0, 0, 0, 0, 40, 2048)
        self.build([Seg(self.FLASH, good)],
                   [Sec(".text", 40, 0, 0, SHF_ALLOC | SHF_EXECINSTR)], check_crt0=True)


class BadInputTest(unittest.TestCase):
    """The CLI rejects bad input with a message and a non-zero exit, writing nothing."""

    def run_pack(self, input_path, *args):
        output = out_path("bad-%d.tbf" % id(args))
        if os.path.exists(output):
            os.remove(output)
        result = run_tool("tbfpack.py", "-o", output, *(list(args) + [input_path]))
        self.assertNotEqual(result.returncode, 0)
        self.assertFalse(os.path.exists(output))
        return result

    def write(self, name, data):
        path = out_path(name)
        with open(path, "wb") as handle:
            handle.write(data)
        return path

    def test_non_elf_input(self):
        result = self.run_pack(self.write("text.elf", b"hello, not an ELF\n"))
        self.assertIn("not an ELF file", result.stderr)

    def test_64_bit_elf(self):
        data = bytearray(make_elf([Seg(0x80100080, b"\1" * 8)]))
        data[4] = 2                                          # ELFCLASS64
        result = self.run_pack(self.write("e64.elf", bytes(data)))
        self.assertIn("32-bit", result.stderr)

    def test_big_endian_elf(self):
        data = bytearray(make_elf([Seg(0x80100080, b"\1" * 8)]))
        data[5] = 2
        self.assertIn("little-endian", self.run_pack(self.write("be.elf", bytes(data))).stderr)

    def test_unsupported_machine(self):
        data = make_elf([Seg(0x80100080, b"\1" * 8)], machine=62)
        self.assertIn("unsupported machine 62",
                      self.run_pack(self.write("x86.elf", data)).stderr)

    def test_truncated_elf(self):
        data = make_elf([Seg(0x80100080, b"\1" * 64)],
                        [Sec(".text", 64, 0, 0, SHF_ALLOC | SHF_EXECINSTR)])
        result = self.run_pack(self.write("short.elf", data[:100]))
        self.assertIn("outside the file", result.stderr)

    def test_missing_input_file(self):
        result = self.run_pack(out_path("does-not-exist.elf"))
        self.assertIn("No such file", result.stderr)

    def test_no_loadable_segments(self):
        data = make_elf([], [Sec(".comment", data=b"x", flags=0)])
        self.assertIn("no loadable segment",
                      self.run_pack(self.write("noseg.elf", data)).stderr)

    @unittest.skipUnless(support.have_toolchain("rv32"), "riscv64-unknown-elf-gcc not installed")
    def test_relocatable_object(self):
        result = self.run_pack(support.compile_object("rv32"))
        self.assertIn("relocatable object", result.stderr)

    def test_kernel_minor_needs_major(self):
        data = make_elf([Seg(0x80100080, b"\1" * 8)])
        result = self.run_pack(self.write("ok.elf", data), "--kernel-minor", "2")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--kernel-minor requires --kernel-major", result.stderr)

    def test_bad_permission_syntax(self):
        data = make_elf([Seg(0x80100080, b"\1" * 8)])
        result = self.run_pack(self.write("ok2.elf", data), "--permissions", "17")
        self.assertIn("DRIVER,COMMAND", result.stderr)

    def test_protected_region_too_small(self):
        data = make_elf([Seg(0x80000000, b"\1" * 8)],
                        [Sec(".text", 8, 0, 0, SHF_ALLOC | SHF_EXECINSTR)],
                        {"_flash_origin": 0x80000000}, entry=0x80000000, machine=EM_ARM)
        result = self.run_pack(self.write("pic.elf", data), "--protected-region-size", "16")
        self.assertIn("too small for the", result.stderr)


class TbfModuleTest(unittest.TestCase):
    """tools/tbf.py encoding and strict parsing."""

    def sample(self, **fields):
        header = tbf.TbfHeader(total_size=256, init_fn_offset=0x20, minimum_ram_size=4096,
                               binary_end_offset=0x80, package_name="abc",
                               kernel_version=(2, 3), **fields)
        raw = tbf.encode_header(header)
        body = bytes(header.binary_end_offset - len(raw))
        return bytearray(raw + body + tbf.reserved_credentials(256 - header.binary_end_offset))

    def test_round_trip(self):
        app = tbf.parse_tbf(bytes(self.sample(fixed_ram=0x1000)))
        self.assertEqual(app.header.package_name, "abc")
        self.assertEqual(app.header.kernel_version, (2, 3))
        self.assertEqual(app.header.fixed_ram, 0x1000)
        self.assertIsNone(app.header.fixed_flash)
        self.assertEqual(app.header.header_size, 16 + 16 + 24 + 8 + 12 + 8)
        self.assertEqual(len(app.footers), 1)

    def test_checksum_mismatch_rejected(self):
        data = self.sample()
        data[0x14] ^= 1
        with self.assertRaisesRegex(tbf.TbfError, "checksum"):
            tbf.parse_tbf(bytes(data))

    def test_wrong_main_length_rejected(self):
        data = self.sample()
        struct.pack_into("<H", data, 0x12, 8)                # Main length 8
        struct.pack_into("<I", data, 12, xor_checksum(bytes(data[:u32(data, 0) >> 16])))
        with self.assertRaisesRegex(tbf.TbfError, "Main TLV has length 8"):
            tbf.parse_tbf(bytes(data))

    def test_padding_object(self):
        data = tbf.padding_tbf(0x1000)
        self.assertEqual(len(data), 0x1000)
        self.assertEqual(struct.unpack_from("<HHII", data), (2, 16, 0x1000, 0))
        self.assertEqual(u32(data, 12), 2 ^ (16 << 16) ^ 0x1000)
        self.assertTrue(tbf.parse_tbf(data).is_padding)
        with self.assertRaises(tbf.TbfError):
            tbf.padding_tbf(12)

    def test_reserved_credentials_exact_sizes(self):
        for size in (8, 12, 3000, 0xFFFF + 4, 0x10004, 200001):
            blob = tbf.reserved_credentials(size)
            self.assertEqual(len(blob), size)
        with self.assertRaises(tbf.TbfError):
            tbf.reserved_credentials(7)

    def test_walk_stops_at_zero_word_and_rejects_zero_size(self):
        image = bytes(self.sample()) + tbf.padding_tbf(64) + bytes(8)
        apps = tbf.walk_image(image)
        self.assertEqual([a.offset for a in apps], [0, 256])
        broken = bytes(self.sample()) + struct.pack("<HHI", 2, 16, 0) + bytes(8)
        with self.assertRaisesRegex(tbf.TbfError, "total_size 0"):
            tbf.walk_image(broken)


@unittest.skipUnless(shutil.which("true"), "no host binaries")
class ElfModuleTest(unittest.TestCase):

    def test_host_executable_is_rejected_cleanly(self):
        with open(shutil.which("true"), "rb") as handle:
            data = handle.read()
        with self.assertRaises(elf.ElfError):
            elf.parse(data)


if __name__ == "__main__":
    unittest.main()
