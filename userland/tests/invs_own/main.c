/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * invs_own: isolated nonvolatile storage (0x50004) for an app packed without storage
 * permissions (so its identity is the CRC of its name): its region's size, a write and read
 * back across a page boundary, an overwrite that needs an erase, and the bounds.
 *
 * Expected output, in order:
 *   invs_own: region 2048 bytes
 *   invs_own: write/read ok
 *   invs_own: overwrite ok
 *   invs_own: bounds EINVAL EINVAL
 *   invs_own: done
 * Any failed check prints "invs_own: FAIL <what>" and exits.
 *
 * Usage: load with invs_peer (tests/board/cases.py).
 *
 * Invariants: one request at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/storage/isolated_nonvolatile_storage.h>

static uint8_t out[600];
static uint8_t data[600];

static void check(returncode_t ret, returncode_t want, const char *what)
{
    if (ret != want) {
        printf("invs_own: FAIL %s (%d)\n", what, (int)ret);
        tock_exit(1);
    }
}

int main(void)
{
    uint64_t size = 0;
    check(libtocksync_isolated_nonvolatile_storage_get_number_bytes(&size), RETURNCODE_SUCCESS,
          "size");
    printf("invs_own: region %lu bytes\n", (unsigned long)size);
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)(i * 7u);
    }
    check(libtocksync_isolated_nonvolatile_storage_write(300, data, sizeof data),
          RETURNCODE_SUCCESS, "write");
    check(libtocksync_isolated_nonvolatile_storage_read(300, out, sizeof out),
          RETURNCODE_SUCCESS, "read");
    if (memcmp(out, data, sizeof data) != 0) {
        check(RETURNCODE_FAIL, RETURNCODE_SUCCESS, "read back");
    }
    printf("invs_own: write/read ok\n");
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)~data[i]; /* every 0 bit becomes 1: an erase */
    }
    check(libtocksync_isolated_nonvolatile_storage_write(300, data, sizeof data),
          RETURNCODE_SUCCESS, "overwrite");
    check(libtocksync_isolated_nonvolatile_storage_read(300, out, sizeof out),
          RETURNCODE_SUCCESS, "read again");
    if (memcmp(out, data, sizeof data) != 0) {
        check(RETURNCODE_FAIL, RETURNCODE_SUCCESS, "overwrite read back");
    }
    printf("invs_own: overwrite ok\n");
    returncode_t past = libtocksync_isolated_nonvolatile_storage_write(size - 4, data, 8);
    returncode_t beyond = libtocksync_isolated_nonvolatile_storage_read(size, out, 1);
    check(past, RETURNCODE_EINVAL, "write past the end");
    check(beyond, RETURNCODE_EINVAL, "read at the end");
    printf("invs_own: bounds EINVAL EINVAL\n");
    printf("invs_own: done\n");
    return 0;
}
