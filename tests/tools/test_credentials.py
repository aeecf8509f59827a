# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tests for app credentials in the tools: tools/ecdsa_p256.py (RFC 6979 signing and
verification), tbf.with_credentials / tbfpack's footers, and loader_model's verdicts under the
demo policy (doc/reference/025-app-credentials.md).

Usage: python3 -m unittest discover -s tests/tools -p test_credentials.py -v
"""
import hashlib
import struct
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)
import board_info  # noqa: E402
import ecdsa_p256  # noqa: E402
import loader_model  # noqa: E402
import tbf  # noqa: E402

# RFC 6979 A.2.5: the P-256 key and its SHA-256 signatures of "sample" and "test".
RFC6979_PRIVATE = 0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721
RFC6979_PUBLIC = ("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
                  "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299")
RFC6979_SIGNATURES = {
    b"sample": "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
               "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
    b"test": "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"
             "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
}
BOARD = board_info.load("qemu_mps2_an385")


def app(name, size=4096):
    """An app TBF with a Reserved footer over its last 1024 bytes."""
    header = tbf.TbfHeader(total_size=size, package_name=name, minimum_ram_size=1000,
                           binary_end_offset=size - 1024, kernel_version=(2, 2))
    raw = tbf.encode_header(header)
    binary = bytes((i * 7) & 0xFF for i in range(size - 1024 - len(raw)))
    return raw + binary + tbf.reserved_credentials(1024)


class Ecdsa(unittest.TestCase):
    def test_rfc6979_signatures_are_reproduced(self):
        self.assertEqual(ecdsa_p256.public_key(RFC6979_PRIVATE).hex().upper(), RFC6979_PUBLIC)
        for message, signature in RFC6979_SIGNATURES.items():
            self.assertEqual(ecdsa_p256.sign(RFC6979_PRIVATE, message).hex().upper(), signature)

    def test_verify_refuses_changed_inputs(self):
        public = bytes.fromhex(RFC6979_PUBLIC)
        signature = bytes.fromhex(RFC6979_SIGNATURES[b"sample"])
        self.assertTrue(ecdsa_p256.verify(public, b"sample", signature))
        self.assertFalse(ecdsa_p256.verify(public, b"test", signature))
        self.assertFalse(ecdsa_p256.verify(public, b"sample", signature[:63] + b"\0"))
        self.assertFalse(ecdsa_p256.verify(bytes(64), b"sample", signature))

    def test_private_keys_parse_from_hex_and_refuse_nonsense(self):
        self.assertEqual(ecdsa_p256.parse_private_key("%064x\n" % RFC6979_PRIVATE),
                         RFC6979_PRIVATE)
        for text in ("", "zz", "0" * 64, "%064x" % ecdsa_p256.N):
            with self.assertRaises(ValueError):
                ecdsa_p256.parse_private_key(text)


class Footers(unittest.TestCase):
    def test_credentials_cover_the_tbf_up_to_the_binary_end(self):
        raw = app("signed")
        out = tbf.with_credentials(raw, [tbf.CREDENTIAL_SHA256, tbf.CREDENTIAL_SHA384,
                                         tbf.CREDENTIAL_SHA512], RFC6979_PRIVATE)
        self.assertEqual(len(out), len(raw))
        parsed = tbf.parse_tbf(out)  # footers well formed
        covered = raw[:parsed.header.binary_end_offset]
        self.assertEqual(out[:len(covered)], covered)
        formats = [f.format for f in parsed.footers]
        self.assertEqual(formats, [6, 3, 4, 5, 0])
        bodies = {f.format: f.data for f in parsed.footers}
        self.assertEqual(bodies[3], hashlib.sha256(covered).digest())
        self.assertEqual(bodies[4], hashlib.sha384(covered).digest())
        self.assertEqual(bodies[5], hashlib.sha512(covered).digest())
        self.assertTrue(ecdsa_p256.verify(ecdsa_p256.public_key(RFC6979_PRIVATE), covered,
                                          bodies[6]))

    def test_a_footer_too_small_for_the_credentials_is_refused(self):
        header = tbf.TbfHeader(total_size=512, package_name="x", binary_end_offset=480,
                               kernel_version=(2, 2))
        raw = tbf.encode_header(header)
        raw += bytes(480 - len(raw)) + tbf.reserved_credentials(32)
        with self.assertRaises(tbf.TbfError):
            tbf.with_credentials(raw, [tbf.CREDENTIAL_SHA512])


class ModelVerdicts(unittest.TestCase):
    def lines(self, *objects):
        return loader_model.predict(BOARD, b"".join(objects) + bytes(4)).lines()

    def test_a_tampered_hashed_app_is_refused_and_the_others_load(self):
        good = tbf.with_credentials(app("good"), [tbf.CREDENTIAL_SHA512])
        bad = bytearray(tbf.with_credentials(app("bad"), [tbf.CREDENTIAL_SHA256]))
        bad[200] ^= 1
        lines = self.lines(bytes(bad), good)
        self.assertIn("skipped: SHA-256 credential does not match the image", lines[0])
        self.assertIn('app "good"', lines[1])
        self.assertIn("loaded", lines[1])
        self.assertEqual(lines[-1], "[kernel] load: 1 of 2 apps running")

    def test_two_hashed_apps_with_one_name_cannot_both_run(self):
        one = tbf.with_credentials(app("twin"), [tbf.CREDENTIAL_SHA256])
        two = tbf.with_credentials(app("twin"), [tbf.CREDENTIAL_SHA384])
        lines = self.lines(one, two)
        self.assertIn("loaded", lines[0])
        self.assertIn("skipped: application identifier already used by the app at 0x%08x"
                      % BOARD.app_flash.start, lines[1])

    def test_unvouched_apps_with_one_name_both_run(self):
        lines = self.lines(app("twin"), app("twin"))
        self.assertEqual(lines[-1], "[kernel] load: 2 of 2 apps running")

    def test_short_ids_depend_on_the_credential_not_the_load_order(self):
        hashed = tbf.with_credentials(app("h"), [tbf.CREDENTIAL_SHA256])
        header = tbf.parse_tbf(hashed).header
        _, first = loader_model.identity(hashed, 0, header, 0x100000)
        _, moved = loader_model.identity(hashed, 0, header, 0x108000)
        self.assertEqual(first, moved)
        plain = app("h")
        _, here = loader_model.identity(plain, 0, tbf.parse_tbf(plain).header, 0x100000)
        _, there = loader_model.identity(plain, 0, tbf.parse_tbf(plain).header, 0x108000)
        self.assertNotEqual(here, there)  # unvouched: the address is part of the identity
        self.assertEqual(struct.pack("<I", first[1]) != bytes(4), True)


if __name__ == "__main__":
    unittest.main()
