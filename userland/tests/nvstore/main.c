/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * nvstore: write, read back and overwrite the nonvolatile storage region (driver 0x50001), and
 * count boots in it, so that a second boot shows whether the first one's data persisted.
 *
 * Offset 0 holds a 16-byte record: "TOCKCNV1", the boot count and its complement (little
 * endian). Offsets 300..999 (crossing the 512-byte page boundary) take a 700-byte pattern that
 * is written, read back, then overwritten with a different pattern (which needs bits to go from
 * 0 to 1, so the kernel has to erase) and read back again.
 *
 * Expected output, in order:
 *   nvstore: region <n> bytes
 *   nvstore: fresh                     (no record yet; or "nvstore: found boot <k>")
 *   nvstore: 700 bytes across pages ok
 *   nvstore: overwrite ok
 *   nvstore: boot <k+1> stored
 *   nvstore: errors ok
 *   nvstore: done
 * Any failed check prints "nvstore: FAIL <what>" and exits.
 *
 * Usage: load alone; boot again with the same flash to see "found boot 1".
 *
 * Invariants: one operation outstanding at a time; every wait is a Yield-WaitFor on the
 * operation's own upcall.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <tock.h>

#define NVS_DRIVER 0x50001u
#define CMD_SIZE 1u
#define CMD_READ 2u
#define CMD_WRITE 3u
#define UPCALL_READ_DONE 0u
#define UPCALL_WRITE_DONE 1u
#define RECORD_LEN 16u
#define PATTERN_OFFSET 300u
#define PATTERN_LEN 700u

static const char magic[8] = { 'T', 'O', 'C', 'K', 'C', 'N', 'V', '1' };
static uint8_t record[RECORD_LEN];
static uint8_t pattern[PATTERN_LEN];
static uint8_t back[PATTERN_LEN];

static void fail(const char *what)
{
    printf("nvstore: FAIL %s\n", what);
    tock_exit(1);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* The command's status: 0 on success, else the error code. */
static uint32_t nv_command(uint32_t cmd, uint32_t arg0, uint32_t arg1)
{
    syscall_return_t r = command(NVS_DRIVER, cmd, arg0, arg1);
    if (r.type == TOCK_SYSCALL_FAILURE) {
        return r.data[0];
    }
    return 0;
}

/* Move `len` bytes at `offset`; fails the test unless all of them moved. */
static void transfer(bool is_write, uint8_t *buf, uint32_t offset, uint32_t len)
{
    if (is_write) {
        allow_ro_return_t a = allow_readonly(NVS_DRIVER, 0, buf, len);
        if (!a.success) {
            fail("allow");
        }
    } else {
        allow_rw_return_t a = allow_readwrite(NVS_DRIVER, 0, buf, len);
        if (!a.success) {
            fail("allow");
        }
    }
    if (nv_command(is_write ? CMD_WRITE : CMD_READ, offset, len) != 0) {
        fail(is_write ? "write refused" : "read refused");
    }
    yield_waitfor_return_t done =
        yield_wait_for(NVS_DRIVER, is_write ? UPCALL_WRITE_DONE : UPCALL_READ_DONE);
    if (done.data0 != len || done.data1 != 0) {
        printf("nvstore: %s moved %lu of %lu bytes, status %lu\n", is_write ? "write" : "read",
               (unsigned long)done.data0, (unsigned long)len, (unsigned long)done.data1);
        fail(is_write ? "write incomplete" : "read incomplete");
    }
    if (is_write) {
        allow_ro_return_t a = allow_readonly(NVS_DRIVER, 0, NULL, 0);
        (void)a;
    } else {
        allow_rw_return_t a = allow_readwrite(NVS_DRIVER, 0, NULL, 0);
        (void)a;
    }
}

static void check_pattern(uint8_t seed, const char *ok)
{
    for (uint32_t i = 0; i < PATTERN_LEN; i++) {
        pattern[i] = (uint8_t)(seed + 13u * i + (i >> 8));
    }
    transfer(true, pattern, PATTERN_OFFSET, PATTERN_LEN);
    memset(back, 0, sizeof back);
    transfer(false, back, PATTERN_OFFSET, PATTERN_LEN);
    if (memcmp(back, pattern, PATTERN_LEN) != 0) {
        fail("pattern read back differs");
    }
    printf("nvstore: %s\n", ok);
}

int main(void)
{
    syscall_return_t size = command(NVS_DRIVER, CMD_SIZE, 0, 0);
    if (size.type != TOCK_SYSCALL_SUCCESS_U32 || size.data[0] < PATTERN_OFFSET + PATTERN_LEN) {
        fail("size");
    }
    uint32_t region = size.data[0];
    printf("nvstore: region %lu bytes\n", (unsigned long)region);

    transfer(false, record, 0, RECORD_LEN);
    uint32_t boots = 0;
    if (memcmp(record, magic, sizeof magic) == 0 && get32(record + 8) == ~get32(record + 12)) {
        boots = get32(record + 8);
        printf("nvstore: found boot %lu\n", (unsigned long)boots);
    } else {
        printf("nvstore: fresh\n");
    }

    check_pattern((uint8_t)(boots * 2u + 1u), "700 bytes across pages ok");
    check_pattern((uint8_t)(boots * 2u + 2u), "overwrite ok");

    memcpy(record, magic, sizeof magic);
    put32(record + 8, boots + 1u);
    put32(record + 12, ~(boots + 1u));
    transfer(true, record, 0, RECORD_LEN);
    memset(record, 0, sizeof record);
    transfer(false, record, 0, RECORD_LEN);
    if (memcmp(record, magic, sizeof magic) != 0 || get32(record + 8) != boots + 1u) {
        fail("record read back differs");
    }
    printf("nvstore: boot %lu stored\n", (unsigned long)(boots + 1u));

    allow_rw_return_t a = allow_readwrite(NVS_DRIVER, 0, back, 8);
    (void)a;
    bool is_inval = nv_command(CMD_READ, region - 4u, 8) == TOCK_STATUSCODE_INVAL;
    a = allow_readwrite(NVS_DRIVER, 0, NULL, 0);
    bool is_reserve = nv_command(CMD_READ, 0, 8) == TOCK_STATUSCODE_RESERVE;
    if (!is_inval || !is_reserve) {
        fail("errors");
    }
    printf("nvstore: errors ok\n");
    printf("nvstore: done\n");
    return 0;
}
