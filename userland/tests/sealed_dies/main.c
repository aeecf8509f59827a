/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * sealed_dies: a process (write id 0x83) that keeps dying with a seal request queued or
 * running, while sealed_owner uses the store.
 *
 * Each run first opens its record in slot 1: it must be absent (no run has finished a seal
 * yet) or exactly what every run seals -- the kernel finishes a dead process's write, so the
 * slot never holds half a record. Then it asks for a seal, waits 0-2 ms (so the request is
 * sometimes queued, sometimes running in the store), prints `sealed_dies: exiting mid-request`
 * and restarts itself (exit-restart), forever.
 *
 * Invariants: none; every run starts from fresh memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock/peripherals/syscalls/alarm_syscalls.h>

#include "../sealed_common/sealed_test.h"

static const char record[] = "written by a process that does not wait for the answer";

int main(void)
{
    sealed_test_app = "sealed_dies";
    uint8_t buf[64];
    uint32_t len = 0;
    returncode_t ret = sealed_open(1, buf, sizeof buf, &len);
    if (ret == RETURNCODE_SUCCESS && (len != sizeof record - 1 || memcmp(buf, record, len) != 0)) {
        printf("sealed_dies: FAIL slot 1 holds a wrong record\n");
        return 1;
    }
    if (ret != RETURNCODE_SUCCESS && ret != RETURNCODE_EINVAL) {
        printf("sealed_dies: FAIL open: %s\n", sealed_name(ret));
        return 1;
    }
    allow_ro_return_t allowed = allow_readonly(SEALED_DRIVER, 0, record, sizeof record - 1);
    sealed_expect(tock_allow_ro_return_to_returncode(allowed), RETURNCODE_SUCCESS, "allow");
    sealed_expect(tock_command_return_novalue_to_returncode(
                      command(SEALED_DRIVER, SEALED_CMD_SEAL, 1, 0)),
                  RETURNCODE_SUCCESS, "seal");
    uint32_t now = 0;
    (void)libtock_alarm_command_read(&now);
    libtocksync_alarm_delay_ms(now % 3u);
    printf("sealed_dies: exiting mid-request\n");
    tock_restart(0);
}
