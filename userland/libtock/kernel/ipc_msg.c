/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc's new IPC (see ipc_msg.h): thin wrappers over the IPC_NAME and IPC_MSG commands.
 *
 * Each wrapper allows exactly the buffers its command needs, issues the command, and (for the
 * blocking ones) waits with yield_wait_for on the event, then un-allows again, so no buffer
 * stays shared with the kernel after a function returns, except those of an outstanding call
 * (ipc_send ... ipc_wait_reply) and leases (until ipc_lease_clear).
 *
 * Invariants: command results are decoded in one place (ipc_command_result, shared with the
 * queue and share libraries); a failure_u32 carries the reason in its value.
 */
#include "ipc_msg.h"

#include <string.h>

enum {
    NAME_CMD_REGISTER = 1,
    NAME_CMD_UNREGISTER = 2,
    NAME_CMD_LOOKUP = 3,
    NAME_CMD_REOPEN = 4,
    NAME_CMD_CLOSE = 5,
    NAME_CMD_SELF_BADGE = 6,
    NAME_CMD_DESC_STATUS = 7,
    NAME_FLAG_TBF = 1,
    NAME_FLAG_WAIT = 1,
    MSG_CMD_SEND = 1,
    MSG_CMD_CANCEL = 2,
    MSG_CMD_SERVE = 10,
    MSG_CMD_RECV = 11,
    MSG_CMD_REPLY = 12,
    MSG_CMD_BORROW_READ = 13,
    MSG_CMD_BORROW_WRITE = 14,
    MSG_CMD_BORROW_INFO = 15,
    MSG_CMD_CLIENT_INFO = 16,
    MSG_CMD_REPLY_RECV = 17,
    MSG_CMD_POST = 20,
    MSG_CMD_POST_BADGE = 21,
    MSG_CMD_GRANT_POST = 22,
    MSG_CMD_SET_TIMER = 23,
    MSG_CMD_WATCH = 24,
    MSG_SUB_REPLY = 0,
    MSG_SUB_RECV = 1,
    MSG_ALLOW_REQUEST = 0,
    MSG_ALLOW_REPLY_BUF = 0,
    MSG_ALLOW_RECV_BUF = 5,
    MSG_ALLOW_REPLY_MSG = 5,
    MSG_ALLOW_WINDOW = 6,
};

#define TRUNCATED_BIT 0x80000000u

const char *ipc_reason_name(uint32_t reason)
{
    static const char *const names[] = { "NONE",           "PEER_DEAD", "PEER_RESTARTED",
                                         "NOT_SERVING",    "WOULD_DEADLOCK", "TIMEOUT",
                                         "CANCELLED" };
    return reason < sizeof names / sizeof names[0] ? names[reason] : "?";
}

int ipc_command_result(syscall_return_t r, uint32_t values[2], uint32_t *reason)
{
    if (reason != NULL) {
        *reason = IPC_REASON_NONE;
    }
    switch (r.type) {
    case TOCK_SYSCALL_SUCCESS:
    case TOCK_SYSCALL_SUCCESS_U32:
    case TOCK_SYSCALL_SUCCESS_U32_U32:
        if (values != NULL) {
            values[0] = r.data[0];
            values[1] = r.data[1];
        }
        return RETURNCODE_SUCCESS;
    case TOCK_SYSCALL_FAILURE_U32:
        if (reason != NULL) {
            *reason = r.data[1];
        }
        return tock_status_to_returncode((statuscode_t)r.data[0]);
    case TOCK_SYSCALL_FAILURE:
        return tock_status_to_returncode((statuscode_t)r.data[0]);
    default:
        return RETURNCODE_EBADRVAL;
    }
}

static int name_command(uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t values[2])
{
    return ipc_command_result(command(IPC_NAME_DRIVER_NUM, cmd, (int)arg0, (int)arg1), values, NULL);
}

static int msg_command(uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t values[2],
                       uint32_t *reason)
{
    return ipc_command_result(command(IPC_MSG_DRIVER_NUM, cmd, (int)arg0, (int)arg1), values, reason);
}

static int allow_ro(uint32_t driver, uint32_t slot, const void *buf, size_t len)
{
    return tock_allow_ro_return_to_returncode(allow_readonly(driver, slot, buf, len));
}

static int allow_rw(uint32_t driver, uint32_t slot, void *buf, size_t len)
{
    return tock_allow_rw_return_to_returncode(allow_readwrite(driver, slot, buf, len));
}

/* ---- name registry ---- */

static int with_name(const char *name, uint32_t cmd, uint32_t arg0, uint32_t arg1,
                     uint32_t values[2])
{
    int rc = allow_ro(IPC_NAME_DRIVER_NUM, 0, name, strlen(name));
    if (rc != RETURNCODE_SUCCESS) {
        return rc;
    }
    rc = name_command(cmd, arg0, arg1, values);
    (void)allow_ro(IPC_NAME_DRIVER_NUM, 0, NULL, 0);
    return rc;
}

int ipc_name_register(const char *name, uint32_t endpoint)
{
    return with_name(name, NAME_CMD_REGISTER, endpoint, 0, NULL);
}

int ipc_name_register_package(uint32_t endpoint)
{
    return name_command(NAME_CMD_REGISTER, endpoint, NAME_FLAG_TBF, NULL);
}

int ipc_name_unregister(uint32_t endpoint)
{
    return name_command(NAME_CMD_UNREGISTER, endpoint, 0, NULL);
}

int ipc_name_lookup(const char *name, uint32_t *desc)
{
    uint32_t values[2];
    int rc = with_name(name, NAME_CMD_LOOKUP, 0, 0, values);
    if (rc == RETURNCODE_SUCCESS) {
        *desc = values[0];
    }
    return rc;
}

int ipc_name_lookup_wait(const char *name, uint32_t *desc)
{
    uint32_t values[2];
    int rc = with_name(name, NAME_CMD_LOOKUP, NAME_FLAG_WAIT, 0, values);
    if (rc != RETURNCODE_SUCCESS) {
        return rc;
    }
    if (values[0] == 0) {
        yield_waitfor_return_t done = yield_wait_for(IPC_NAME_DRIVER_NUM, 0);
        if (done.data0 != 0) {
            return tock_status_to_returncode((statuscode_t)done.data0);
        }
        values[0] = done.data1;
    }
    *desc = values[0];
    return RETURNCODE_SUCCESS;
}

int ipc_name_reopen(uint32_t desc)
{
    return name_command(NAME_CMD_REOPEN, desc, 0, NULL);
}

int ipc_name_close(uint32_t desc)
{
    return name_command(NAME_CMD_CLOSE, desc, 0, NULL);
}

int ipc_name_self_badge(uint32_t *badge)
{
    uint32_t values[2];
    int rc = name_command(NAME_CMD_SELF_BADGE, 0, 0, values);
    if (rc == RETURNCODE_SUCCESS) {
        *badge = values[0];
    }
    return rc;
}

int ipc_name_status(uint32_t desc, uint32_t *state, uint32_t *badge)
{
    uint32_t values[2];
    int rc = name_command(NAME_CMD_DESC_STATUS, desc, 0, values);
    if (rc == RETURNCODE_SUCCESS) {
        *state = values[0];
        *badge = values[1];
    }
    return rc;
}

/* ---- client ---- */

static void unallow_call(void)
{
    (void)allow_ro(IPC_MSG_DRIVER_NUM, MSG_ALLOW_REQUEST, NULL, 0);
    (void)allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_REPLY_BUF, NULL, 0);
}

int ipc_send(uint32_t desc, uint32_t opcode, const void *req, size_t req_len, void *rep,
             size_t rep_len, uint32_t timeout_ms, uint32_t *reason)
{
    if (reason != NULL) {
        *reason = IPC_REASON_NONE;
    }
    int rc = allow_ro(IPC_MSG_DRIVER_NUM, MSG_ALLOW_REQUEST, req, req_len);
    if (rc == RETURNCODE_SUCCESS) {
        rc = allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_REPLY_BUF, rep, rep_len);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = msg_command(MSG_CMD_SEND, desc | (opcode << 16), timeout_ms, NULL, reason);
    }
    if (rc != RETURNCODE_SUCCESS) {
        unallow_call();
    }
    return rc;
}

int ipc_wait_reply(struct ipc_reply *out)
{
    yield_waitfor_return_t r = yield_wait_for(IPC_MSG_DRIVER_NUM, MSG_SUB_REPLY);
    unallow_call();
    *out = (struct ipc_reply){ .len = r.data1 & ~TRUNCATED_BIT,
                               .is_truncated = (r.data1 & TRUNCATED_BIT) != 0,
                               .code = r.data2 };
    return tock_status_to_returncode((statuscode_t)r.data0);
}

int ipc_call(uint32_t desc, uint32_t opcode, const void *req, size_t req_len, void *rep,
             size_t rep_len, uint32_t timeout_ms, size_t *len, uint32_t *code)
{
    uint32_t reason = IPC_REASON_NONE;
    *len = 0;
    int rc = ipc_send(desc, opcode, req, req_len, rep, rep_len, timeout_ms, &reason);
    if (rc != RETURNCODE_SUCCESS) {
        *code = reason;
        return rc;
    }
    struct ipc_reply reply;
    rc = ipc_wait_reply(&reply);
    *len = reply.len;
    *code = reply.code;
    return rc;
}

int ipc_cancel(void)
{
    return msg_command(MSG_CMD_CANCEL, 0, 0, NULL, NULL);
}

int ipc_lease_read(uint32_t lease, const void *buf, size_t len)
{
    return allow_ro(IPC_MSG_DRIVER_NUM, lease, buf, len);
}

int ipc_lease_write(uint32_t lease, void *buf, size_t len)
{
    return allow_rw(IPC_MSG_DRIVER_NUM, lease, buf, len);
}

void ipc_lease_clear(uint32_t lease)
{
    (void)allow_ro(IPC_MSG_DRIVER_NUM, lease, NULL, 0);
    (void)allow_rw(IPC_MSG_DRIVER_NUM, lease, NULL, 0);
}

/* ---- server ---- */

int ipc_serve(bool on)
{
    return msg_command(MSG_CMD_SERVE, on ? 1u : 0u, 0, NULL, NULL);
}

/* After an armed receive: wait for its event, withdraw the receive buffer, decode the event. */
static int wait_message(size_t buf_len, struct ipc_message *out)
{
    yield_waitfor_return_t r = yield_wait_for(IPC_MSG_DRIVER_NUM, MSG_SUB_RECV);
    (void)allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_RECV_BUF, NULL, 0);
    if (r.data0 == 0) {
        *out = (struct ipc_message){ .is_notification = true, .bits = r.data1 };
        return RETURNCODE_SUCCESS;
    }
    size_t len = r.data1 & 0xFFFFu;
    *out = (struct ipc_message){
        .is_notification = false,
        .token = r.data0,
        .endpoint = r.data1 >> 30,
        .opcode = (r.data1 >> 16) & 0x3FFFu,
        .len = len < buf_len ? len : buf_len,
        .is_truncated = len > buf_len,
        .badge = r.data2,
    };
    return RETURNCODE_SUCCESS;
}

int ipc_recv(void *buf, size_t buf_len, uint32_t mask, uint32_t badge, struct ipc_message *out)
{
    int rc = allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_RECV_BUF, buf, buf_len);
    if (rc == RETURNCODE_SUCCESS) {
        rc = msg_command(MSG_CMD_RECV, mask, badge, NULL, NULL);
    }
    if (rc != RETURNCODE_SUCCESS) {
        (void)allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_RECV_BUF, NULL, 0);
        return rc;
    }
    return wait_message(buf_len, out);
}

int ipc_reply(uint32_t token, uint32_t code, const void *rep, size_t len, bool *delivered)
{
    int rc = allow_ro(IPC_MSG_DRIVER_NUM, MSG_ALLOW_REPLY_MSG, rep, len);
    uint32_t values[2] = { 0, 0 };
    if (rc == RETURNCODE_SUCCESS) {
        rc = msg_command(MSG_CMD_REPLY, token, code, values, NULL);
    }
    (void)allow_ro(IPC_MSG_DRIVER_NUM, MSG_ALLOW_REPLY_MSG, NULL, 0);
    if (delivered != NULL) {
        *delivered = rc == RETURNCODE_SUCCESS && values[0] == 1;
    }
    return rc;
}

int ipc_reply_recv(uint32_t token, uint32_t code, const void *rep, size_t len, bool *delivered,
                   void *buf, size_t buf_len, struct ipc_message *out)
{
    int rc = allow_ro(IPC_MSG_DRIVER_NUM, MSG_ALLOW_REPLY_MSG, rep, len);
    if (rc == RETURNCODE_SUCCESS) {
        rc = allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_RECV_BUF, buf, buf_len);
    }
    uint32_t values[2] = { 0, 0 };
    if (rc == RETURNCODE_SUCCESS) {
        rc = msg_command(MSG_CMD_REPLY_RECV, token, code, values, NULL);
    }
    (void)allow_ro(IPC_MSG_DRIVER_NUM, MSG_ALLOW_REPLY_MSG, NULL, 0);
    if (delivered != NULL) {
        *delivered = rc == RETURNCODE_SUCCESS && values[0] == 1;
    }
    if (rc != RETURNCODE_SUCCESS) {
        (void)allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_RECV_BUF, NULL, 0);
        return rc;
    }
    return wait_message(buf_len, out);
}

static int borrow(uint32_t cmd, uint32_t token, uint32_t lease, uint32_t offset,
                  size_t *copied, uint32_t *reason)
{
    uint32_t values[2] = { 0, 0 };
    int rc = msg_command(cmd, token, (lease << 24) | (offset & 0xFFFFFFu), values, reason);
    if (copied != NULL) {
        *copied = rc == RETURNCODE_SUCCESS ? values[0] : 0;
    }
    return rc;
}

int ipc_borrow_read(uint32_t token, uint32_t lease, uint32_t offset, void *dst, size_t len,
                    size_t *copied, uint32_t *reason)
{
    int rc = allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_WINDOW, dst, len);
    if (rc == RETURNCODE_SUCCESS) {
        rc = borrow(MSG_CMD_BORROW_READ, token, lease, offset, copied, reason);
    }
    (void)allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_WINDOW, NULL, 0);
    return rc;
}

int ipc_borrow_write(uint32_t token, uint32_t lease, uint32_t offset, const void *src,
                     size_t len, size_t *copied, uint32_t *reason)
{
    int rc = allow_ro(IPC_MSG_DRIVER_NUM, MSG_ALLOW_WINDOW, src, len);
    if (rc == RETURNCODE_SUCCESS) {
        rc = borrow(MSG_CMD_BORROW_WRITE, token, lease, offset, copied, reason);
    }
    (void)allow_ro(IPC_MSG_DRIVER_NUM, MSG_ALLOW_WINDOW, NULL, 0);
    return rc;
}

int ipc_borrow_info(uint32_t token, uint32_t lease, uint32_t *attrs, uint32_t *len)
{
    uint32_t values[2];
    int rc = msg_command(MSG_CMD_BORROW_INFO, token, lease, values, NULL);
    if (rc == RETURNCODE_SUCCESS) {
        *attrs = values[0];
        *len = values[1];
    }
    return rc;
}

int ipc_client_info(uint32_t token, uint32_t *badge, uint32_t *endpoint, char *name,
                    size_t name_len)
{
    if (name != NULL && name_len > 0) {
        memset(name, 0, name_len);
        int rc = allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_WINDOW, name, name_len - 1u);
        if (rc != RETURNCODE_SUCCESS) {
            return rc;
        }
    }
    uint32_t values[2];
    int rc = msg_command(MSG_CMD_CLIENT_INFO, token, 0, values, NULL);
    (void)allow_rw(IPC_MSG_DRIVER_NUM, MSG_ALLOW_WINDOW, NULL, 0);
    if (rc == RETURNCODE_SUCCESS) {
        *badge = values[0];
        *endpoint = values[1];
    }
    return rc;
}

/* ---- notifications ---- */

int ipc_post(uint32_t desc, uint32_t bits, uint32_t *reason)
{
    return msg_command(MSG_CMD_POST, desc, bits, NULL, reason);
}

int ipc_post_badge(uint32_t badge, uint32_t bits, uint32_t *reason)
{
    return msg_command(MSG_CMD_POST_BADGE, badge, bits, NULL, reason);
}

int ipc_grant_post(uint32_t desc, uint32_t bits)
{
    return msg_command(MSG_CMD_GRANT_POST, desc, bits, NULL, NULL);
}

int ipc_set_timer(uint32_t ms, uint32_t bits)
{
    return msg_command(MSG_CMD_SET_TIMER, ms, bits, NULL, NULL);
}

int ipc_watch(uint32_t desc, uint32_t bits)
{
    return msg_command(MSG_CMD_WATCH, desc, bits, NULL, NULL);
}

int ipc_wait_notification(uint32_t mask, uint32_t *bits)
{
    struct ipc_message msg;
    int rc = ipc_recv(NULL, 0, mask, 0, &msg);
    if (rc == RETURNCODE_SUCCESS) {
        *bits = msg.bits;
    }
    return rc;
}
