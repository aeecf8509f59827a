/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * sealed_stranger: another app (write id 0x82) tries sealed_owner's record: it may neither open
 * it nor seal over it; then it seals and opens a record of its own in slot 1.
 *
 * Expected output, in order:
 *   sealed_stranger: owner's record: NOSUPPORT
 *   sealed_stranger: overwrite: NOSUPPORT
 *   sealed_stranger: own record ok
 *   sealed_stranger: done
 * Any failed check prints "sealed_stranger: FAIL <what>" and exits.
 *
 * Usage: load with sealed_owner (tests/board/cases.py).
 *
 * Invariants: one request outstanding at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../sealed_common/sealed_test.h"

static const char mine[] = "the stranger's own note";

int main(void)
{
    sealed_test_app = "sealed_stranger";
    uint8_t buf[64];
    uint32_t len = 0;
    memset(buf, 0, sizeof buf);
    returncode_t ret = sealed_wait_for_record(0, buf, sizeof buf, &len, 10);
    printf("sealed_stranger: owner's record: %s\n", sealed_name(ret));
    for (size_t i = 0; i < sizeof buf; i++) {
        if (buf[i] != 0) {
            printf("sealed_stranger: FAIL bytes of the owner's record arrived\n");
            return 1;
        }
    }
    ret = sealed_seal(0, "mine now", 8, &len);
    printf("sealed_stranger: overwrite: %s\n", sealed_name(ret));
    sealed_expect(sealed_seal(1, mine, sizeof mine - 1, &len), RETURNCODE_SUCCESS, "seal own");
    sealed_expect(sealed_open(1, buf, sizeof buf, &len), RETURNCODE_SUCCESS, "open own");
    if (len != sizeof mine - 1 || memcmp(buf, mine, len) != 0) {
        printf("sealed_stranger: FAIL own record wrong\n");
        return 1;
    }
    printf("sealed_stranger: own record ok\n");
    printf("sealed_stranger: done\n");
    return 0;
}
