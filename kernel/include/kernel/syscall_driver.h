/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The interface a capsule implements to be reachable from userspace.
 *
 * Subscribe and allow are handled by the kernel itself: it stores upcalls and buffers in the
 * driver's grant (`grant` may be NULL for drivers that keep no per-process state; subscribe and
 * allow on those fail with NOMEM, as in Tock). Only command reaches the driver.
 *
 * Usage: static const struct syscall_driver_ops led_driver_ops = { .command = led_command };
 *        board: { LED_DRIVER_NUM, &led.driver } in the table given to kernel_init().
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/grant.h"
#include "kernel/process_id.h"
#include "kernel/syscall_return.h"

struct syscall_driver;

struct syscall_driver_ops {
    /**
     * Handle a command from process `pid`. regs are the process's four syscall registers where
     * it will see them on return: regs[1] is the command number, regs[2] and regs[3] its
     * arguments (regs[0] the driver number). Read them first, then write the result with
     * syscall_reply(regs, ...) exactly once; drivers usually write their command as a function
     * returning the result and call it through syscall_command_run(). Command 0 must succeed
     * with no side effects. Unknown commands reply syscall_failure(ERR_NOSUPPORT). Runs in the
     * kernel's one thread of execution: the loop, or the syscall fast path in the trap, which
     * nothing else in the kernel interrupts (doc/reference/018); must not call back into the
     * process synchronously.
     */
    void (*command)(struct syscall_driver *driver, uint32_t *regs, struct process_id pid);
    /**
     * Optional (NULL: nothing to do). Process `pid` replaced or cleared its read-write allow
     * `allow_num` of this driver, and the buffer {old_addr, old_len} it shared there (old_len
     * != 0, different from the new one) is no longer the driver's to touch. Called before the
     * allow syscall returns; the driver must withdraw everything it derived from the old buffer
     * (e.g. MPU mappings into other processes) here. Kernel loop only.
     */
    void (*rw_allow_withdrawn)(struct syscall_driver *driver, struct process_id pid,
                               uint32_t allow_num, uint32_t old_addr, uint32_t old_len);
};

struct syscall_driver {
    const struct syscall_driver_ops *ops;
    struct grant *grant; /* where the kernel keeps this driver's upcalls and allows, or NULL */
    /* Read-write allows are shared with other processes through the MPU: the kernel refuses
     * (INVAL) a buffer the MPU cannot expose as one region. */
    bool shares_read_write;
};

struct driver_slot {
    uint32_t driver_num;
    struct syscall_driver *driver;
};

/* A command written as a function of its number and arguments that returns its result. */
typedef struct syscall_return syscall_command_fn(struct syscall_driver *driver,
                                                 uint32_t command_num, uint32_t arg0,
                                                 uint32_t arg1, struct process_id pid);

/* The body of a driver's command entry: run fn on the registers' arguments and reply with its
 * result. Inline, and fn (static, called once) is inlined into it: the result goes straight
 * into the registers and never exists in memory. */
static inline __attribute__((always_inline)) void
syscall_command_run(syscall_command_fn *fn, struct syscall_driver *driver, uint32_t *regs,
                    struct process_id pid)
{
    syscall_reply(regs, fn(driver, regs[1], regs[2], regs[3], pid));
}
