# SPDX-License-Identifier: Apache-2.0 OR MIT
"""tools/c_array.py writes a file's bytes as C: the host compiler builds what it writes and a
program printing the array gets the same bytes back (the app loader test embeds a TBF this way);
a name that is no C identifier is refused.

Usage: python3 -m unittest tests/tools/test_c_array.py
"""
import os
import subprocess
import tempfile
import unittest

import support  # noqa: F401  (puts tools/ on sys.path)

import c_array  # noqa: E402

MAIN = r"""
#include <stdint.h>
#include <stdio.h>
extern const uint8_t blob[];
extern const uint32_t blob_size;
int main(void)
{
    for (uint32_t i = 0; i < blob_size; i++) {
        printf("%02x", blob[i]);
    }
    printf("\n%u\n", (unsigned)blob_size);
    return 0;
}
"""


class CArray(unittest.TestCase):
    def round_trip(self, data):
        with tempfile.TemporaryDirectory(prefix="tockc-c-array-") as tmp:
            src = os.path.join(tmp, "in.bin")
            with open(src, "wb") as f:
                f.write(data)
            out = os.path.join(tmp, "blob.c")
            self.assertEqual(c_array.main(["blob", src, "-o", out]), 0)
            main = os.path.join(tmp, "main.c")
            with open(main, "w") as f:
                f.write(MAIN)
            exe = os.path.join(tmp, "a.out")
            subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", exe, main,
                            out], check=True, capture_output=True)
            lines = subprocess.run([exe], check=True, capture_output=True,
                                   text=True).stdout.split("\n")
            return bytes.fromhex(lines[0]), int(lines[1])

    def test_bytes_come_back(self):
        data = bytes(range(256)) * 3 + b"\x00\xff\x10"
        self.assertEqual(self.round_trip(data), (data, len(data)))

    def test_empty_file(self):
        self.assertEqual(self.round_trip(b""), (b"", 0))

    def test_bad_name_is_refused(self):
        with tempfile.NamedTemporaryFile() as f:
            self.assertEqual(c_array.main(["not-a-name", f.name, "-o", os.devnull]), 2)


if __name__ == "__main__":
    unittest.main()
