/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Message queues (see ipc_queue.h): commands of driver 0xA8004 and yield_wait_for() on its two
 * events, SENT (subscribe 0) and RECEIVED (subscribe 1).
 *
 * Usage: see ipc_queue.h.
 *
 * Invariants: command results are decoded in one place (ipc_command_result, ipc_msg.c); a
 * failure_u32 carries the reason in its value; the message and receive buffers are allowed only
 * while a call needs them.
 */
#include "ipc_queue.h"

#include "ipc_msg.h"

enum {
    QUEUE_CMD_CREATE = 1,
    QUEUE_CMD_DESTROY = 2,
    QUEUE_CMD_GRANT_SEND = 3,
    QUEUE_CMD_NOTIFY = 4,
    QUEUE_CMD_SEND = 10,
    QUEUE_CMD_CANCEL = 11,
    QUEUE_CMD_RECV = 20,
    QUEUE_SUB_SENT = 0,
    QUEUE_SUB_RECEIVED = 1,
    QUEUE_ALLOW = 0,
};

static int queue_command(uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t values[2],
                         uint32_t *reason)
{
    return ipc_command_result(command(IPC_QUEUE_DRIVER_NUM, cmd, (int)arg0, (int)arg1), values,
                              reason);
}

/* Withdraw the message / receive buffer (always succeeds for a NULL buffer). */
static void unallow_message(void)
{
    (void)tock_allow_ro_return_to_returncode(
        allow_readonly(IPC_QUEUE_DRIVER_NUM, QUEUE_ALLOW, NULL, 0));
}

static void unallow_recv_buf(void)
{
    (void)tock_allow_rw_return_to_returncode(
        allow_readwrite(IPC_QUEUE_DRIVER_NUM, QUEUE_ALLOW, NULL, 0));
}

/* An event (status, arg1, arg2): the status as a returncode, arg2 as the reason on failure. */
static int wait_event(uint32_t sub, uint32_t *arg1, uint32_t *reason)
{
    yield_waitfor_return_t r = yield_wait_for(IPC_QUEUE_DRIVER_NUM, sub);
    int rc = tock_status_to_returncode((statuscode_t)r.data0);
    if (arg1 != NULL) {
        *arg1 = r.data1;
    }
    if (reason != NULL) {
        *reason = rc == RETURNCODE_SUCCESS ? IPC_REASON_NONE : r.data2;
    }
    return rc;
}

int ipc_queue_create(uint32_t endpoint, size_t msg_size, uint32_t depth)
{
    if (msg_size > 0xFFFFu || depth > 0xFFFFu) {
        return RETURNCODE_EINVAL;
    }
    return queue_command(QUEUE_CMD_CREATE, endpoint, (uint32_t)msg_size | (depth << 16), NULL,
                         NULL);
}

int ipc_queue_destroy(void)
{
    return queue_command(QUEUE_CMD_DESTROY, 0, 0, NULL, NULL);
}

int ipc_queue_grant_send(uint32_t desc, bool on)
{
    return queue_command(QUEUE_CMD_GRANT_SEND, desc, on ? 1u : 0u, NULL, NULL);
}

int ipc_queue_notify(uint32_t bits)
{
    return queue_command(QUEUE_CMD_NOTIFY, bits, 0, NULL, NULL);
}

int ipc_queue_receive(void *buf, size_t buf_len, uint32_t wait, uint32_t *badge,
                      uint32_t *reason)
{
    if (reason != NULL) {
        *reason = IPC_REASON_NONE;
    }
    int rc = tock_allow_rw_return_to_returncode(
        allow_readwrite(IPC_QUEUE_DRIVER_NUM, QUEUE_ALLOW, buf, buf_len));
    if (rc != RETURNCODE_SUCCESS) {
        return rc;
    }
    uint32_t values[2] = { 0, 0 };
    rc = queue_command(QUEUE_CMD_RECV, wait, 0, values, reason);
    uint32_t from = values[0];
    if (rc == RETURNCODE_SUCCESS && from == 0) {
        rc = wait_event(QUEUE_SUB_RECEIVED, &from, reason); /* armed: the next send fills buf */
    }
    unallow_recv_buf();
    if (badge != NULL) {
        *badge = rc == RETURNCODE_SUCCESS ? from : 0;
    }
    return rc;
}

int ipc_queue_send_start(uint32_t desc, const void *msg, size_t msg_len, uint32_t wait,
                         bool *is_held, uint32_t *reason)
{
    *is_held = false;
    if (reason != NULL) {
        *reason = IPC_REASON_NONE;
    }
    int rc = tock_allow_ro_return_to_returncode(
        allow_readonly(IPC_QUEUE_DRIVER_NUM, QUEUE_ALLOW, msg, msg_len));
    if (rc != RETURNCODE_SUCCESS) {
        return rc;
    }
    uint32_t values[2] = { 0, 0 };
    rc = queue_command(QUEUE_CMD_SEND, desc, wait, values, reason);
    *is_held = rc == RETURNCODE_SUCCESS && values[0] == 1;
    if (!*is_held) {
        unallow_message();
    }
    return rc;
}

int ipc_queue_send_wait(uint32_t *reason)
{
    int rc = wait_event(QUEUE_SUB_SENT, NULL, reason);
    unallow_message();
    return rc;
}

int ipc_queue_send(uint32_t desc, const void *msg, size_t msg_len, uint32_t wait,
                   uint32_t *reason)
{
    bool is_held = false;
    int rc = ipc_queue_send_start(desc, msg, msg_len, wait, &is_held, reason);
    if (rc == RETURNCODE_SUCCESS && is_held) {
        rc = ipc_queue_send_wait(reason);
    }
    return rc;
}

int ipc_queue_cancel(void)
{
    return queue_command(QUEUE_CMD_CANCEL, 0, 0, NULL, NULL);
}
