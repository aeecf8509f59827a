/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * upper_client: an example client of upper_service. It waits for the name "upper" to appear,
 * makes a plain call, sends 600 bytes through leases (more than one message can carry), and
 * receives a notification the service is allowed to post.
 *
 * Expected output: "upper_client: HELLO FROM TOCKC", "upper_client: 600 bytes via leases,
 * ends with 'ZAB'", "upper_client: notified 0x1", "upper_client: done".
 *
 * Invariants: none.
 */
#include <stdio.h>
#include <string.h>

#include <libtock/kernel/ipc_msg.h>

static char reply[32];
static char long_in[600];
static char long_out[600];

int main(void)
{
    uint32_t upper = 0;
    if (ipc_name_lookup_wait("upper", &upper) != RETURNCODE_SUCCESS) {
        printf("upper_client: lookup failed\n");
        return 1;
    }

    size_t len = 0;
    uint32_t code = 0;
    const char *hello = "hello from tockc";
    int rc = ipc_call(upper, 1, hello, strlen(hello), reply, sizeof reply - 1, 100, &len, &code);
    if (rc != RETURNCODE_SUCCESS) {
        printf("upper_client: call failed: %s\n", ipc_reason_name(code));
        return 1;
    }
    reply[len] = '\0';
    printf("upper_client: %s\n", reply);

    for (size_t i = 0; i < sizeof long_in; i++) {
        long_in[i] = (char)('a' + i % 26);
    }
    (void)ipc_lease_read(1, long_in, sizeof long_in);
    (void)ipc_lease_write(2, long_out, sizeof long_out);
    rc = ipc_call(upper, 2, NULL, 0, NULL, 0, 1000, &len, &code);
    ipc_lease_clear(1);
    ipc_lease_clear(2);
    printf("upper_client: %lu bytes via leases, ends with '%c%c%c'\n", (unsigned long)code,
           long_out[597], long_out[598], long_out[599]);

    uint32_t bits = 0;
    (void)ipc_grant_post(upper, 0x1);
    rc = ipc_call(upper, 3, NULL, 0, NULL, 0, 100, &len, &code);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_wait_notification(0x1, &bits);
    }
    printf("upper_client: notified 0x%lx\n", (unsigned long)bits);
    printf("upper_client: done\n");
    return 0;
}
