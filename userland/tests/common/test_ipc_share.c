/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* See test_ipc_share.h. */
#include "test_ipc_share.h"

#include <string.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/kernel/ipc.h>

returncode_t test_ipc_share_with_keeper(char *buf, size_t len, size_t *keeper)
{
    while (ipc_discover("ipc_keeper", keeper) != RETURNCODE_SUCCESS) {
        libtocksync_alarm_delay_ms(10);
    }
    libtocksync_alarm_delay_ms(50); /* the keeper subscribes after it registers */
    strcpy(buf, "kept secret");
    returncode_t rc = ipc_share(*keeper, buf, len);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_notify_service(*keeper);
    }
    if (rc == RETURNCODE_SUCCESS) {
        (void)yield_wait_for(IPC_DRIVER_NUM, (uint32_t)*keeper);
    }
    return rc;
}
