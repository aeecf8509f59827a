/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * invs_peer: isolated nonvolatile storage (0x50004) for an app with storage permissions
 * (write id 0x61, listed to read and modify): its region holds nothing of invs_own's, even
 * while invs_own writes to its own, and what it writes it reads back.
 *
 * Expected output, in order:
 *   invs_peer: region blank
 *   invs_peer: isolated ok
 *   invs_peer: done
 * Any failed check prints "invs_peer: FAIL <what>" and exits.
 *
 * Usage: load with invs_own (tests/board/cases.py).
 *
 * Invariants: one request at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/storage/isolated_nonvolatile_storage.h>

static uint8_t out[2048];

static void fail(const char *what, returncode_t ret)
{
    printf("invs_peer: FAIL %s (%d)\n", what, (int)ret);
    tock_exit(1);
}

static void expect_blank_except(size_t at, const char *text)
{
    returncode_t ret = libtocksync_isolated_nonvolatile_storage_read(0, out, sizeof out);
    if (ret != RETURNCODE_SUCCESS) {
        fail("read", ret);
    }
    size_t len = text != NULL ? strlen(text) : 0;
    for (size_t i = 0; i < sizeof out; i++) {
        uint8_t want = (i >= at && i < at + len) ? (uint8_t)text[i - at] : 0xFF;
        if (out[i] != want) {
            fail("region contents", (returncode_t)i);
        }
    }
}

int main(void)
{
    expect_blank_except(0, NULL);
    printf("invs_peer: region blank\n");
    static const char mine[] = "peer's own bytes";
    returncode_t ret =
        libtocksync_isolated_nonvolatile_storage_write(1000, (uint8_t *)mine, sizeof mine - 1);
    if (ret != RETURNCODE_SUCCESS) {
        fail("write", ret);
    }
    expect_blank_except(1000, mine);
    printf("invs_peer: isolated ok\n");
    printf("invs_peer: done\n");
    return 0;
}
