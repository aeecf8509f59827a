/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ipc_bad_share: a buffer the memory protection cannot map is refused when it is shared, not
 * when a peer later tries to use it (a fix over Tock's IPC).
 *
 * Expected output: "ipc_bad_share: 30 bytes: INVAL" (no MPU/PMP maps 30 bytes),
 * "ipc_bad_share: 64 bytes: SUCCESS".
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock/kernel/ipc.h>

static char buf[64] __attribute__((aligned(64)));

static const char *name(int ret)
{
    return ret == RETURNCODE_SUCCESS ? "SUCCESS" : ret == RETURNCODE_EINVAL ? "INVAL" : "other";
}

int main(void)
{
    printf("ipc_bad_share: 30 bytes: %s\n", name(ipc_share(0, buf, 30)));
    printf("ipc_bad_share: 64 bytes: %s\n", name(ipc_share(0, buf, 64)));
    return 0;
}
