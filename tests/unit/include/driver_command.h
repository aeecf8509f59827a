/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Calls a driver's command as the kernel does, for host tests that assert on its result.
 *
 * The kernel hands a driver the process's four syscall registers and the driver writes its
 * result there (syscall_reply). driver_command() makes that call on four local registers and
 * decodes them back into the struct syscall_return the driver replied, so tests compare
 * variants and values as before.
 *
 * Usage: struct syscall_return r = driver_command(&led.driver, LED_CMD_ON, 0, 0, pid);
 *
 * Invariants: a command that does not reply, or replies a variant TRD104 does not define,
 * aborts the test binary; value registers the variant does not define read as 0 (as the
 * constructors leave them).
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/syscall_driver.h"

/* r0 before the call: no variant has this value, so an unchanged r0 means "no reply". */
#define DRIVER_COMMAND_NO_REPLY 0xFFFFFFFFu

/* Value registers after r0 that `variant` defines, or -1 for a value that is no variant. */
static inline int driver_command_values_used(uint32_t variant)
{
    switch (variant) {
    case SYSCALL_SUCCESS:
        return 0;
    case SYSCALL_FAILURE:
    case SYSCALL_SUCCESS_U32:
        return 1;
    case SYSCALL_FAILURE_U32:
    case SYSCALL_SUCCESS_2U32:
    case SYSCALL_SUCCESS_U64:
        return 2;
    case SYSCALL_FAILURE_2U32:
    case SYSCALL_FAILURE_U64:
    case SYSCALL_SUCCESS_3U32:
    case SYSCALL_SUCCESS_U32_U64:
        return 3;
    default:
        return -1;
    }
}

static inline struct syscall_return driver_command(struct syscall_driver *driver,
                                                   uint32_t command_num, uint32_t arg0,
                                                   uint32_t arg1, struct process_id pid)
{
    uint32_t regs[4] = { DRIVER_COMMAND_NO_REPLY, command_num, arg0, arg1 };
    driver->ops->command(driver, regs, pid);
    int used = driver_command_values_used(regs[0]);
    if (used < 0) {
        fprintf(stderr, "driver_command: command %u replied r0 = 0x%x\n", (unsigned)command_num,
                (unsigned)regs[0]);
        abort();
    }
    struct syscall_return ret = { .variant = (uint8_t)regs[0], .used = (uint8_t)used };
    for (int i = 0; i < used; i++) {
        ret.values[i] = regs[1 + i];
    }
    return ret;
}
