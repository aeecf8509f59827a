/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared by the msg_* test apps (new IPC, drivers 0xA8000/0xA8001): the test server's name and
 * opcodes, and small helpers for timing and for printing outcomes as fixed words.
 *
 * Usage: #include "../msg_common/msg_test.h" from an app in userland/tests/msg_*.
 *
 * Invariants: header-only; every app that includes it is a test app (links test_report.c).
 */
#pragma once

#include <stdint.h>

#include <libtock/kernel/ipc_msg.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>

#include "../common/test_report.h"

/* msg_server's registered name and opcodes. */
#define MSG_SERVER_NAME "msg.server"
enum msg_op {
    MSG_OP_ECHO = 1,         /* reply with the request; code = its length */
    MSG_OP_SLOW = 2,         /* wait 20 ms, then echo */
    MSG_OP_LATE = 3,         /* wait 300 ms, reply, print whether it was delivered */
    MSG_OP_HOLD = 4,         /* wait 300 ms, borrow lease 1, reply; print both outcomes */
    MSG_OP_LEASES = 5,       /* lease edge cases on RO lease 1 / RW lease 2; print each */
    MSG_OP_LEASE_CHANGE = 6, /* wait 100 ms, borrow lease 1, print the outcome */
    MSG_OP_WHO = 7,          /* reply with the caller's package name (CLIENT_INFO) */
};

/* "SUCCESS" or the error's name ("INVAL", "UNINSTALLED", ...) for a returncode. */
static inline const char *msg_rc(int rc)
{
    if (rc == 0) {
        return "SUCCESS";
    }
    const char *name = test_error_name((uint32_t)-rc);
    return name != 0 ? name : "?";
}

static inline uint32_t msg_ticks(void)
{
    uint32_t now = 0;
    (void)libtock_alarm_command_read(&now);
    return now;
}

static inline uint32_t msg_elapsed_ms(uint32_t since_ticks)
{
    uint32_t frequency = 1;
    (void)libtock_alarm_command_get_frequency(&frequency);
    return (uint32_t)((uint64_t)(uint32_t)(msg_ticks() - since_ticks) * 1000u / frequency);
}
