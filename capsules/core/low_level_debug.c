/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Low-level debug syscall driver (0x8): one debug output line per command.
 *
 * Lines, as Tock prints them (<id> is the process's struct process_id id, lowercase hex with
 * no leading zeros):
 *     LowLevelDebug: App 0x<id> alert code 0x<code>
 *     LowLevelDebug: App 0x<id> prints 0x<n>
 *     LowLevelDebug: App 0x<id> prints 0x<a> 0x<b>
 *
 * Tock keeps a 4-entry queue per process (in a grant) because its capsule owns a UART buffer
 * and must wait while it is busy. Here debug_printf never blocks and never fails: it appends to
 * the kernel debug ring, which the debug writer drains. So no queue and no grant are needed,
 * and Tock's "Dropped 0x<n> entries for app 0x<id>" line never appears. The price: when the
 * ring is full, debug output drops the newest bytes (possibly part of a line) and the debug
 * writer later prints "[debug: N bytes dropped]" instead of per-process counts.
 *
 * Usage: see capsules/low_level_debug.h.
 *
 * Invariants: commands never fail except with NOSUPPORT, and have no effect besides output.
 */
#include "capsules/low_level_debug.h"

#include "kernel/debug.h"

static struct syscall_return
low_level_debug_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                               uint32_t arg1, struct process_id pid)
{
    (void)driver;
    /* uint32_t is unsigned long on some targets: %x takes unsigned int, which holds it. */
    unsigned int id = (unsigned int)pid.id;
    switch (command_num) {
    case LOW_LEVEL_DEBUG_CMD_EXISTS:
        return syscall_success();
    case LOW_LEVEL_DEBUG_CMD_ALERT:
        debug_printf("LowLevelDebug: App 0x%x alert code 0x%x\n", id, (unsigned int)arg0);
        return syscall_success();
    case LOW_LEVEL_DEBUG_CMD_PRINT1:
        debug_printf("LowLevelDebug: App 0x%x prints 0x%x\n", id, (unsigned int)arg0);
        return syscall_success();
    case LOW_LEVEL_DEBUG_CMD_PRINT2:
        debug_printf("LowLevelDebug: App 0x%x prints 0x%x 0x%x\n", id, (unsigned int)arg0,
                     (unsigned int)arg1);
        return syscall_success();
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void low_level_debug_command(struct syscall_driver *driver, uint32_t *regs,
                                    struct process_id pid)
{
    syscall_command_run(low_level_debug_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops low_level_debug_ops = {
    .command = low_level_debug_command,
};

void low_level_debug_init(struct low_level_debug *lld)
{
    *lld = (struct low_level_debug){
        .driver = { .ops = &low_level_debug_ops, .grant = NULL },
    };
}
