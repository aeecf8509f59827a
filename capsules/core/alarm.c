/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm syscall driver (0x0): per-process one-shot alarms on one virtual alarm.
 *
 * Each process has at most one expiration (reference, dt) in its grant. After every change and
 * whenever the alarm fires, process() walks all processes once: each expired expiration is
 * cleared and its process gets the upcall (now, reference + dt, 0) on subscribe 0; the alarm is
 * then set for the earliest remaining expiration, or disarmed. Scheduling an upcall only queues
 * it, so doing this inside a command (cmd 5 with dt 0) is safe, as in Tock.
 *
 * The counter is 32 bits wide (hil/alarm.h), so Tock's left-justification of narrower timers is
 * the identity here: cmd 1 returns the frequency unscaled, and ticks and expirations are passed
 * through unchanged.
 *
 * Usage: see capsules/alarm.h.
 *
 * Invariants:
 *  - Outside command() and process(), the alarm is armed for the earliest unexpired
 *    expiration of any live process, or disarmed when there is none.
 *  - Expired expirations are cleared before their upcall is queued: each fires once.
 */
#include "capsules/alarm.h"

#include <stdbool.h>
#include <stdint.h>

#include "capsules/driver_num.h"
#include "container.h"

struct alarm_app {
    ticks_t reference;
    ticks_t dt;
    bool is_armed;
};

struct command_args {
    struct alarm_driver *driver;
    uint32_t command_num;
    uint32_t arg0;
    uint32_t arg1;
    uint32_t expiration; /* out: for commands 5 and 6 */
};

struct scan {
    ticks_t now;
    bool has_earliest;
    ticks_t reference;
    ticks_t dt;
    ticks_t remaining;
};

static void check_app(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct alarm_app *app = data;
    struct scan *scan = ctx;
    (void)pid;
    if (!app->is_armed) {
        return;
    }
    if (hil_alarm_has_expired(app->reference, app->dt, scan->now)) {
        app->is_armed = false;
        /* A full upcall queue drops the event (counted by the kernel), as in Tock. */
        err_t ignored = grant_schedule_upcall(kd, ALARM_SUBSCRIBE_FIRED, scan->now,
                                              (ticks_t)(app->reference + app->dt), 0);
        (void)ignored;
        return;
    }
    ticks_t remaining = (ticks_t)(app->reference + app->dt - scan->now);
    if (!scan->has_earliest || remaining < scan->remaining) {
        scan->has_earliest = true;
        scan->reference = app->reference;
        scan->dt = app->dt;
        scan->remaining = remaining;
    }
}

/* Fire every expired expiration, then arm for the earliest remaining one. */
static void process(struct alarm_driver *driver)
{
    struct scan scan = { .now = hil_alarm_now(driver->alarm), .has_earliest = false };
    grant_each(&driver->grant, check_app, &scan);
    if (scan.has_earliest) {
        hil_alarm_set(driver->alarm, scan.reference, scan.dt);
    } else {
        err_t ignored = hil_alarm_disarm(driver->alarm); /* always ERR_OK (hil/alarm.h) */
        (void)ignored;
    }
}

static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct alarm_app *app = data;
    struct command_args *args = ctx;
    (void)kd;
    switch (args->command_num) {
    case ALARM_CMD_STOP:
        if (!app->is_armed) {
            return ERR_ALREADY;
        }
        app->is_armed = false;
        return ERR_OK;
    case ALARM_CMD_SET_RELATIVE:
        app->reference = hil_alarm_now(args->driver->alarm);
        app->dt = args->arg0;
        break;
    case ALARM_CMD_SET_REFERENCE:
        app->reference = args->arg0;
        app->dt = args->arg1;
        break;
    default:
        return ERR_NOSUPPORT;
    }
    app->is_armed = true;
    args->expiration = (ticks_t)(app->reference + app->dt);
    return ERR_OK;
}

static struct syscall_return alarm_command(struct syscall_driver *syscall_driver,
                                           uint32_t command_num, uint32_t arg0, uint32_t arg1,
                                           struct process_id pid)
{
    struct alarm_driver *driver = CONTAINER_OF(syscall_driver, struct alarm_driver, driver);
    switch (command_num) {
    case ALARM_CMD_EXISTS:
        return syscall_success();
    case ALARM_CMD_FREQUENCY:
        return syscall_success_u32(hil_alarm_frequency(driver->alarm));
    case ALARM_CMD_NOW:
        return syscall_success_u32(hil_alarm_now(driver->alarm));
    case ALARM_CMD_STOP:
    case ALARM_CMD_SET_RELATIVE:
    case ALARM_CMD_SET_REFERENCE:
        break;
    case ALARM_CMD_SET_ABSOLUTE:
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
    struct command_args args = {
        .driver = driver, .command_num = command_num, .arg0 = arg0, .arg1 = arg1,
    };
    err_t err = grant_enter(&driver->grant, pid, command_in_grant, &args);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    process(driver); /* outside the grant: process() visits every process's instance */
    if (command_num == ALARM_CMD_STOP) {
        return syscall_success();
    }
    return syscall_success_u32(args.expiration);
}

static void alarm_fired(struct hil_alarm_client *client)
{
    process(CONTAINER_OF(client, struct alarm_driver, alarm_client));
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
