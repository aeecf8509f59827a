/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * rng_check: the RNG driver (0x40001) through our libtock-c-named library, meant to run as
 * two or more copies at once so that the driver serves several processes together.
 *
 * Each copy picks a letter from its RAM address (memop 2) and checks:
 *   - the driver exists;
 *   - 64 bytes arrive (libtocksync_rng_get_random_bytes), are not all equal, and a second
 *     request gives different bytes;
 *   - a request larger than the buffer fills exactly the buffer (the bytes after the allowed
 *     part are untouched), and a request for 0 bytes completes with 0;
 *   - the asynchronous call (libtock_rng_get_random_bytes) delivers its callback with 32;
 *   - ROUNDS requests of 300 bytes (three of the driver's chunks each, so copies interleave)
 *     all complete in full, and the bytes seen take at least 200 distinct values.
 * Prints `rng_check <L>: sample <16 hex digits>` and `rng_check <L>: <N> ok`; any failure
 * prints `rng_check <L>: FAIL <what>`.
 *
 * Invariants: at most one request outstanding (the driver allows one per process).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/peripherals/rng.h>
#include <libtock/peripherals/rng.h>
#include <libtock/peripherals/syscalls/rng_syscalls.h>
#include <libtock/tock.h>

enum {
    MEMOP_MEMORY_START = 2,
    ROUNDS = 20,
    ROUND_LEN = 300,
    MIN_DISTINCT = 200,
};

static char letter;
static unsigned ok;
static uint8_t round_buf[ROUND_LEN];
static bool seen[256];
static bool is_async_done;
static int async_received;

static void fail(const char *what, int detail)
{
    printf("rng_check %c: FAIL %s (%d)\n", letter, what, detail);
}

static bool all_equal(const uint8_t *buf, size_t len)
{
    for (size_t i = 1; i < len; i++) {
        if (buf[i] != buf[0]) {
            return false;
        }
    }
    return true;
}

static void check(bool is_ok, const char *what, int detail)
{
    if (is_ok) {
        ok++;
    } else {
        fail(what, detail);
    }
}

static void async_done(returncode_t ret, int received)
{
    is_async_done = true;
    async_received = ret == RETURNCODE_SUCCESS ? received : -1;
}

int main(void)
{
    memop_return_t start = memop(MEMOP_MEMORY_START, 0);
    letter = (char)('A' + (((start.data >> 12) ^ (start.data >> 16)) % 8u));
    if (!libtocksync_rng_exists()) {
        fail("driver missing", 0);
        return 0;
    }
    uint8_t first[64];
    uint8_t second[64];
    int received = -1;
    returncode_t ret = libtocksync_rng_get_random_bytes(first, sizeof first, sizeof first,
                                                        &received);
    check(ret == RETURNCODE_SUCCESS && received == 64, "64 bytes", received);
    check(!all_equal(first, sizeof first), "bytes all equal", first[0]);
    printf("rng_check %c: sample %02x%02x%02x%02x%02x%02x%02x%02x\n", letter, first[0], first[1],
           first[2], first[3], first[4], first[5], first[6], first[7]);
    ret = libtocksync_rng_get_random_bytes(second, sizeof second, sizeof second, &received);
    check(ret == RETURNCODE_SUCCESS && received == 64 && memcmp(first, second, 64) != 0,
          "second request", received);

    uint8_t short_buf[20];
    memset(short_buf, 0xEE, sizeof short_buf);
    ret = libtocksync_rng_get_random_bytes(short_buf, 16, 100, &received);
    bool is_guard_intact = true;
    for (size_t i = 16; i < sizeof short_buf; i++) {
        is_guard_intact = is_guard_intact && short_buf[i] == 0xEE;
    }
    check(ret == RETURNCODE_SUCCESS && received == 16 && is_guard_intact, "short buffer",
          received);
    ret = libtocksync_rng_get_random_bytes(short_buf, 16, 0, &received);
    check(ret == RETURNCODE_SUCCESS && received == 0, "zero bytes", received);

    uint8_t async_buf[32];
    ret = libtock_rng_get_random_bytes(async_buf, sizeof async_buf, sizeof async_buf,
                                       async_done);
    if (ret == RETURNCODE_SUCCESS) {
        yield_for(&is_async_done);
    }
    check(ret == RETURNCODE_SUCCESS && async_received == 32, "async", async_received);
    (void)libtock_rng_set_allow_readwrite(NULL, 0);

    for (unsigned round = 0; round < ROUNDS; round++) {
        ret = libtocksync_rng_get_random_bytes(round_buf, sizeof round_buf, sizeof round_buf,
                                               &received);
        check(ret == RETURNCODE_SUCCESS && received == ROUND_LEN, "round", (int)round);
        for (size_t i = 0; i < sizeof round_buf; i++) {
            seen[round_buf[i]] = true;
        }
    }
    int distinct = 0;
    for (size_t v = 0; v < 256; v++) {
        distinct += seen[v] ? 1 : 0;
    }
    check(distinct >= MIN_DISTINCT, "distinct byte values", distinct);
    printf("rng_check %c: %u ok\n", letter, ok);
    return 0;
}
