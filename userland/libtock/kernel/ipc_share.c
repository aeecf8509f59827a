/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Mapped IPC shares (see ipc_share.h): thin wrappers over the IPC_SHARE commands.
 *
 * Invariants: command results are decoded in one place (ipc_command_result, ipc_msg.c); a
 * failure_u32 carries the reason in its value.
 */
#include "ipc_share.h"

#include "ipc_msg.h"

enum {
    SHARE_CMD_OFFER = 1,
    SHARE_CMD_MAP = 2,
    SHARE_CMD_UNMAP = 3,
    SHARE_CMD_REVOKE = 4,
    SHARE_CMD_BUDGET = 5,
    SHARE_READ_WRITE = 3,
    OFFER_SLOT_MASK = 0xFF,
};

static int share_command(uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t values[2],
                         uint32_t *reason)
{
    return ipc_command_result(command(IPC_SHARE_DRIVER_NUM, cmd, (int)arg0, (int)arg1), values,
                              reason);
}

bool ipc_share_exists(void)
{
    return driver_exists(IPC_SHARE_DRIVER_NUM);
}

int ipc_share_offer(uint32_t desc, uint32_t slot, void *buf, size_t len, uint32_t *offer,
                    uint32_t *reason)
{
    int rc = tock_allow_rw_return_to_returncode(
        allow_readwrite(IPC_SHARE_DRIVER_NUM, slot, buf, len));
    if (rc != RETURNCODE_SUCCESS) {
        return rc;
    }
    uint32_t values[2];
    /* On failure the buffer stays allowed: un-allowing it would also end an offer the slot
     * already had (a repeated offer of the same buffer fails with EALREADY). */
    rc = share_command(SHARE_CMD_OFFER, desc, slot | (SHARE_READ_WRITE << 8), values, reason);
    if (rc != RETURNCODE_SUCCESS) {
        return rc;
    }
    *offer = values[0];
    return RETURNCODE_SUCCESS;
}

int ipc_share_revoke(uint32_t offer)
{
    int rc = share_command(SHARE_CMD_REVOKE, offer, 0, NULL, NULL);
    if (rc == RETURNCODE_SUCCESS) {
        allow_rw_return_t cleared =
            allow_readwrite(IPC_SHARE_DRIVER_NUM, offer & OFFER_SLOT_MASK, NULL, 0);
        (void)cleared;
    }
    return rc;
}

int ipc_share_map(uint32_t desc, uint32_t offer, void **region, size_t *len, uint32_t *reason)
{
    uint32_t values[2];
    int rc = share_command(SHARE_CMD_MAP, desc, offer, values, reason);
    if (rc == RETURNCODE_SUCCESS) {
        *region = (void *)(uintptr_t)values[0];
        *len = values[1];
    }
    return rc;
}

int ipc_share_unmap(uint32_t desc, uint32_t offer)
{
    return share_command(SHARE_CMD_UNMAP, desc, offer, NULL, NULL);
}

int ipc_share_budget(uint32_t *mapped, uint32_t *max_mapped)
{
    uint32_t values[2];
    int rc = share_command(SHARE_CMD_BUDGET, 0, 0, values, NULL);
    if (rc == RETURNCODE_SUCCESS) {
        *mapped = values[0];
        *max_mapped = values[1];
    }
    return rc;
}
