/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * sealed_owner: seals a record into the sealed store (0xA8003), opens it again, and checks,
 * once another app has had its go (sealed_stranger, or sealed_dies), that the record is intact.
 *
 * Permissions (userland.mk): write id 0x81, the identity its records are bound to.
 *
 * Expected output, in order:
 *   sealed_owner: 2 slots, 448 bytes
 *   sealed_owner: empty slot: INVAL
 *   sealed_owner: too long: SIZE
 *   sealed_owner: round trip ok
 *   sealed_owner: short buffer: SIZE 24
 *   sealed_owner: intact after the other app
 *   sealed_owner: done
 * Any failed check prints "sealed_owner: FAIL <what>" and exits.
 *
 * Usage: load with sealed_stranger or sealed_dies (tests/board/cases.py), which write slot 1.
 *
 * Invariants: one request outstanding at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../sealed_common/sealed_test.h"

static const char secret[] = "only 0x81 can open this.";
static uint8_t too_long[449];

static void expect_secret(const char *what)
{
    uint8_t buf[64];
    uint32_t len = 0;
    memset(buf, 0, sizeof buf);
    sealed_expect(sealed_open(0, buf, sizeof buf, &len), RETURNCODE_SUCCESS, what);
    if (len != sizeof secret - 1 || memcmp(buf, secret, len) != 0) {
        printf("sealed_owner: FAIL %s: wrong record (%lu bytes)\n", what, (unsigned long)len);
        tock_exit(1);
    }
}

int main(void)
{
    sealed_test_app = "sealed_owner";
    uint32_t slots = sealed_query(SEALED_CMD_SLOTS);
    uint32_t record_max = sealed_query(SEALED_CMD_RECORD_MAX);
    printf("sealed_owner: %lu slots, %lu bytes\n", (unsigned long)slots,
           (unsigned long)record_max);
    uint8_t buf[64];
    uint32_t len = 0;
    returncode_t ret = sealed_open(0, buf, sizeof buf, &len);
    printf("sealed_owner: empty slot: %s\n", sealed_name(ret));
    ret = sealed_seal(0, too_long, record_max + 1u, &len);
    printf("sealed_owner: too long: %s\n", sealed_name(ret));
    sealed_expect(sealed_seal(0, secret, sizeof secret - 1, &len), RETURNCODE_SUCCESS, "seal");
    if (len != sizeof secret - 1) {
        printf("sealed_owner: FAIL sealed length %lu\n", (unsigned long)len);
        return 1;
    }
    expect_secret("open");
    printf("sealed_owner: round trip ok\n");
    ret = sealed_open(0, buf, 8, &len);
    printf("sealed_owner: short buffer: %s %lu\n", sealed_name(ret), (unsigned long)len);
    /* The other app seals its own record into slot 1 once it is done with slot 0. */
    ret = sealed_wait_for_record(1, buf, sizeof buf, &len, 10);
    sealed_expect(ret, RETURNCODE_ENOSUPPORT, "the other app's record");
    expect_secret("open after the other app");
    printf("sealed_owner: intact after the other app\n");
    printf("sealed_owner: done\n");
    return 0;
}
