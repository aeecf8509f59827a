/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm syscall driver (0x0): per-process one-shot alarms on one virtual alarm.
 *
 * Each process has at most one expiration (reference, dt) in its grant. When it is set, the
 * window is turned into a deadline on the driver's 64-bit clock (hil_alarm_clock: the alarm's
 * counter, extended): the set time if the window has already ended, else reference + dt. So
 * an expiration that was not due when set is due exactly when the clock reaches its deadline,
 * however late the interrupt is handled, for any dt up to 2^32 - 1 (libtock-c splits long
 * delays into chunks less than a millisecond short of 2^32 ticks).
 *
 * After every change and whenever the alarm fires, process_at() walks all processes once: each
 * due expiration is cleared and its process gets the upcall (now, reference + dt, 0) on
 * subscribe 0; the alarm is then set for the earliest remaining deadline, at most
 * HIL_ALARM_MAX_WAIT ticks ahead (so the clock is read often enough), or disarmed. One change
 * needs no walk: a set that is due at once (dt 0, or a window already over) by a process with
 * nothing pending fires in place, since the alarm is already right for everyone else.
 * Scheduling an upcall only queues it, so doing this inside a command (cmd 5 with dt 0) is
 * safe, as in Tock.
 *
 * The counter is 32 bits wide (hil/alarm.h), so Tock's left-justification of narrower timers is
 * the identity here: cmd 1 returns the frequency unscaled, and ticks and expirations are passed
 * through unchanged.
 *
 * Usage: see capsules/alarm.h.
 *
 * Invariants:
 *  - Outside command() and process_at(), the alarm is armed for the earliest unexpired
 *    expiration of any live process (or HIL_ALARM_MAX_WAIT ticks, if that is sooner), or
 *    disarmed when there is none.
 *  - Expired expirations are cleared before their upcall is queued: each fires once.
 */
#include "capsules/alarm.h"

#include <stdbool.h>
#include <stdint.h>

#include "capsules/driver_num.h"
#include "container.h"

struct alarm_app {
    ticks_t reference; /* as the process gave it: the upcall reports reference + dt */
    ticks_t dt;
    uint64_t deadline; /* on driver->clock */
    bool is_armed;
};

struct command_args {
    struct alarm_driver *driver;
    uint32_t command_num;
    uint32_t arg0;
    uint32_t arg1;
    ticks_t reading;     /* the counter when the command arrived */
    uint64_t now;        /* driver->clock then */
    uint32_t expiration; /* out: for commands 5 and 6 */
    bool needs_walk;     /* out: the alarm may have to change (not a set fired in place) */
};

struct scan {
    uint64_t now;    /* driver->clock */
    ticks_t reading; /* the counter, for the upcall */
    bool has_earliest;
    uint64_t earliest;
};

/* app's expiration is due: clear it, then queue its upcall. */
static void fire(struct alarm_app *app, struct grant_kernel_data *kd, ticks_t reading)
{
    app->is_armed = false;
    /* A full upcall queue drops the event (counted by the kernel), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, ALARM_SUBSCRIBE_FIRED, reading,
                                          (ticks_t)(app->reference + app->dt), 0);
    (void)ignored;
}

static void check_app(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct alarm_app *app = data;
    struct scan *scan = ctx;
    (void)pid;
    if (!app->is_armed) {
        return;
    }
    if (app->deadline <= scan->now) {
        fire(app, kd, scan->reading);
        return;
    }
    if (!scan->has_earliest || app->deadline < scan->earliest) {
        scan->has_earliest = true;
        scan->earliest = app->deadline;
    }
}

/* Fire every expired expiration as of (reading, now), then arm for the earliest remaining one. */
static void process_at(struct alarm_driver *driver, ticks_t reading, uint64_t now)
{
    struct scan scan = { .now = now, .reading = reading, .has_earliest = false };
    grant_each(&driver->grant, check_app, &scan);
    if (scan.has_earliest) {
        hil_alarm_set(driver->alarm, reading, hil_alarm_wait(scan.now, scan.earliest));
    } else {
        hil_alarm_clock_stop(&driver->clock); /* no deadline is kept on it */
        err_t ignored = hil_alarm_disarm(driver->alarm); /* always ERR_OK (hil/alarm.h) */
        (void)ignored;
    }
}

static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct alarm_app *app = data;
    struct command_args *args = ctx;
    bool was_armed = app->is_armed;
    switch (args->command_num) {
    case ALARM_CMD_STOP:
        if (!app->is_armed) {
            return ERR_ALREADY;
        }
        app->is_armed = false;
        return ERR_OK;
    case ALARM_CMD_SET_RELATIVE:
        app->reference = args->reading;
        app->dt = args->arg0;
        break;
    case ALARM_CMD_SET_REFERENCE:
        app->reference = args->arg0;
        app->dt = args->arg1;
        break;
    default:
        return ERR_NOSUPPORT;
    }
    app->deadline = hil_alarm_deadline(args->now, args->reading, app->reference, app->dt);
    app->is_armed = true;
    args->expiration = (ticks_t)(app->reference + app->dt);
    if (!was_armed && app->deadline <= args->now) {
        /* Due at once, and nothing of this process's was pending: the alarm is right for the
         * others as it is. The virtual alarm changes state only in the kernel, so armed here
         * means a deadline is pending; if none is, the clock keeps none either. */
        fire(app, kd, args->reading);
        if (!hil_alarm_is_armed(args->driver->alarm)) {
            hil_alarm_clock_stop(&args->driver->clock);
        }
        args->needs_walk = false;
    }
    return ERR_OK;
}

/* Stop, or set relative to now or to a reference, and reply. Out of line: alarm_command's
 * cheap queries then need no stack frame. */
__attribute__((noinline)) static void alarm_set(struct alarm_driver *driver, uint32_t *regs,
                                                struct process_id pid)
{
    /* Member by member: an initializer would also zero the padding, through memset. */
    struct command_args args;
    args.driver = driver;
    args.command_num = regs[1];
    args.arg0 = regs[2];
    args.arg1 = regs[3];
    args.reading = hil_alarm_now(driver->alarm);
    args.now = hil_alarm_clock_read(&driver->clock, args.reading);
    args.expiration = 0;
    args.needs_walk = true;
    err_t err = grant_enter(&driver->grant, pid, command_in_grant, &args);
    if (err != ERR_OK) {
        syscall_reply(regs, syscall_failure(err));
        return;
    }
    if (args.needs_walk) {
        /* Outside the grant: process_at() visits every process's instance. */
        process_at(driver, args.reading, args.now);
    }
    if (args.command_num == ALARM_CMD_STOP) {
        syscall_reply(regs, syscall_success());
    } else {
        syscall_reply(regs, syscall_success_u32(args.expiration));
    }
}

/* The queries and the unknown commands: no process state, so no process identity to pass (a
 * struct argument costs GCC a stack spill). */
__attribute__((noinline)) static void alarm_query(struct alarm_driver *driver, uint32_t *regs)
{
    switch (regs[1]) {
    case ALARM_CMD_FREQUENCY:
        syscall_reply(regs, syscall_success_u32(hil_alarm_frequency(driver->alarm)));
        return;
    case ALARM_CMD_NOW:
        syscall_reply(regs, syscall_success_u32(hil_alarm_now(driver->alarm)));
        return;
    case ALARM_CMD_SET_ABSOLUTE:
    default:
        syscall_reply(regs, syscall_failure(ERR_NOSUPPORT));
        return;
    }
}

/* The hot driver replies in place on every path (no result value to copy back). The existence
 * check, which apps (and libtock-c's driver probes) make most, needs no stack frame. */
static void alarm_command(struct syscall_driver *syscall_driver, uint32_t *regs,
                          struct process_id pid)
{
    struct alarm_driver *driver = CONTAINER_OF(syscall_driver, struct alarm_driver, driver);
    if (regs[1] == ALARM_CMD_EXISTS) { /* tested first: the commonest */
        syscall_reply(regs, syscall_success());
        return;
    }
    switch (regs[1]) {
    case ALARM_CMD_STOP:
    case ALARM_CMD_SET_RELATIVE:
    case ALARM_CMD_SET_REFERENCE:
        alarm_set(driver, regs, pid);
        return;
    default:
        alarm_query(driver, regs);
        return;
    }
}

static void alarm_fired(struct hil_alarm_client *client)
{
    struct alarm_driver *driver = CONTAINER_OF(client, struct alarm_driver, alarm_client);
    ticks_t reading = hil_alarm_now(driver->alarm);
    process_at(driver, reading, hil_alarm_clock_read(&driver->clock, reading));
}

static const struct syscall_driver_ops alarm_driver_ops = {
    .command = alarm_command,
};
static const struct hil_alarm_client_ops alarm_client_ops = {
    .fired = alarm_fired,
};

err_t alarm_driver_init(struct alarm_driver *driver, struct hil_alarm *alarm, struct kernel *k)
{
    *driver = (struct alarm_driver){
        .driver = { .ops = &alarm_driver_ops, .grant = &driver->grant },
        .alarm_client = { .ops = &alarm_client_ops },
        .alarm = alarm,
    };
    hil_alarm_set_client(alarm, &driver->alarm_client);
    const struct grant_config config = {
        .driver_num = ALARM_DRIVER_NUM,
        .data_size = sizeof(struct alarm_app),
        .data_align = _Alignof(struct alarm_app),
        .upcalls = 1,
        .read_only = 0,
        .read_write = 0,
        .userspace_readable = 0,
    };
    return grant_create(&driver->grant, k, &config);
}
