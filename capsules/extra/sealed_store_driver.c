/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Sealed store syscall driver (see capsules/sealed_store_driver.h).
 *
 * A command checks the process's identity (its storage write id), the slot and the allows, then
 * queues the request; when its turn comes, start() checks them again, copies a record to seal
 * into the kernel buffer and hands the buffer to the store with the write id as the record's
 * owner; the store's callback brings it back, the driver copies an opened record out, schedules
 * the upcall, wipes the buffer and lets the queue go on.
 *
 * Usage: see capsules/sealed_store_driver.h.
 *
 * Invariants:
 *  - is_running iff the command queue has a request running for `pid`; cmd_queue_done is
 *    called exactly once when is_running goes false, after the buffer is wiped.
 *  - A store operation is outstanding only while is_running (the queue starts one at a time).
 *  - `record` holds plaintext only while a request runs; stop() wipes it.
 *  - No upcall goes to a process after it died (is_orphaned), and none inside a command.
 */
#include "capsules/sealed_store_driver.h"

#include "capsules/driver_num.h"
#include "container.h"

struct command_args {
    struct sealed_store_driver *driver;
    uint32_t command_num;
    struct process_id pid;
    uint32_t slot;
};

struct copy_args {
    struct sealed_store_driver *driver;
    size_t len; /* out: the record's length (seal) */
};

struct finish_args {
    struct sealed_store_driver *driver;
    err_t status;
    size_t len;
};

static void wipe(uint8_t *bytes, size_t len)
{
    volatile uint8_t *p = bytes; /* volatile: the plaintext must not linger */
    for (size_t i = 0; i < len; i++) {
        p[i] = 0;
    }
}

/* The record allow a seal needs: ERR_OK (*len set), ERR_RESERVE (none) or ERR_SIZE. */
static err_t check_record_allow(const struct sealed_store_driver *d,
                                const struct grant_kernel_data *kd, size_t *len)
{
    size_t n = grant_ro_len(kd, SEALED_STORE_DRIVER_ALLOW_RO_RECORD);
    if (n == 0) {
        return ERR_RESERVE;
    }
    if (n > sealed_store_record_max(d->store)) {
        return ERR_SIZE;
    }
    *len = n;
    return ERR_OK;
}

/* The process's record owner: its storage write id. ERR_INVAL when it has none, or is gone. */
static err_t owner_of(const struct sealed_store_driver *d, struct process_id pid,
                      uint32_t *owner)
{
    struct storage_permissions perms;
    if (d->config->permissions(d->config->ctx, pid, &perms) != ERR_OK ||
        !storage_permissions_can_write(&perms)) {
        return ERR_INVAL;
    }
    *owner = perms.write_id;
    return ERR_OK;
}

/* ---------------------------------------------------------------- ending a request */

static void stop(struct sealed_store_driver *d)
{
    wipe(d->record, d->record_len);
    d->is_running = false;
    cmd_queue_done(&d->queue);
}

static err_t deliver(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct finish_args *args = ctx;
    struct sealed_store_driver *d = args->driver;
    (void)data;
    err_t status = args->status;
    if (d->command_num == SEALED_STORE_DRIVER_CMD_OPEN && status == ERR_OK) {
        if (grant_rw_len(kd, SEALED_STORE_DRIVER_ALLOW_RW_RECORD) < args->len) {
            status = ERR_SIZE; /* nothing copied: the caller learns the length */
        } else {
            status = grant_rw_write(kd, SEALED_STORE_DRIVER_ALLOW_RW_RECORD, 0, d->record,
                                    args->len);
        }
    }
    /* A full upcall queue drops the event (the kernel counts it), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, SEALED_STORE_DRIVER_SUBSCRIBE_DONE,
                                          (uint32_t)status, (uint32_t)args->len, 0);
    (void)ignored;
    return ERR_OK;
}

/* Report the request's outcome to its process (if it is still there) and go on. */
static void finish(struct sealed_store_driver *d, err_t status, size_t len)
{
    if (!d->is_orphaned) {
        struct finish_args args = { .driver = d, .status = status, .len = len };
        /* ERR_INVAL: the process died after all; its upcall goes nowhere. */
        err_t ignored = grant_enter(&d->grant, d->pid, deliver, &args);
        (void)ignored;
    }
    stop(d);
}

static void store_write_done(struct sealed_store_client *client, const uint8_t *record,
                             size_t len, err_t status)
{
    struct sealed_store_driver *d = CONTAINER_OF(client, struct sealed_store_driver,
                                                 store_client);
    (void)record;
    finish(d, status, status == ERR_OK ? len : 0); /* the length sealed, or nothing */
}

static void store_read_done(struct sealed_store_client *client, uint8_t *record, size_t len,
                            err_t status)
{
    struct sealed_store_driver *d = CONTAINER_OF(client, struct sealed_store_driver,
                                                 store_client);
    (void)record;
    finish(d, status, len);
}

/* ---------------------------------------------------------------- command queue */

static err_t copy_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct copy_args *args = ctx;
    struct sealed_store_driver *d = args->driver;
    (void)data;
    /* The allow may have changed since the command: check it again, then copy once. */
    err_t err = check_record_allow(d, kd, &args->len);
    if (err != ERR_OK) {
        return err;
    }
    return grant_ro_read(kd, SEALED_STORE_DRIVER_ALLOW_RO_RECORD, 0, d->record, args->len);
}

static void queue_start(struct cmd_queue *queue, struct process_id pid,
                        const struct cmd_queue_command *command)
{
    struct sealed_store_driver *d = CONTAINER_OF(queue, struct sealed_store_driver, queue);
    d->pid = pid;
    d->command_num = command->command_num;
    d->is_running = true;
    d->is_orphaned = false;
    uint32_t owner;
    if (owner_of(d, pid, &owner) != ERR_OK) {
        stop(d); /* the process is gone (its write id cannot change while it lives) */
        return;
    }
    uint32_t slot = command->arg0; /* checked against the slot count by the command */
    if (d->command_num == SEALED_STORE_DRIVER_CMD_OPEN) {
        err_t err = sealed_store_read(d->store, slot, owner, d->record, d->record_len);
        if (err != ERR_OK) {
            finish(d, err, 0); /* cannot happen: the store is idle and the slot valid */
        }
        return;
    }
    struct copy_args copied = { .driver = d, .len = 0 };
    err_t err = grant_enter(&d->grant, pid, copy_in, &copied);
    if (err == ERR_INVAL) {
        stop(d); /* the process is gone */
        return;
    }
    if (err == ERR_OK) {
        err = sealed_store_write(d->store, slot, owner, d->record, copied.len);
    }
    if (err != ERR_OK) {
        finish(d, err, 0);
    }
}

static void queue_abort(struct cmd_queue *queue, struct process_id pid,
                        enum cmd_queue_abort_reason reason)
{
    struct sealed_store_driver *d = CONTAINER_OF(queue, struct sealed_store_driver, queue);
    (void)reason; /* no sessions: only EXITED happens */
    if (d->is_running && process_id_equal(d->pid, pid)) {
        d->is_orphaned = true; /* the store's callback ends it */
    }
}

static const struct cmd_queue_ops sealed_store_driver_queue_ops = {
    .start = queue_start,
    .abort = queue_abort,
};

/* ---------------------------------------------------------------- syscalls */

static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct command_args *args = ctx;
    (void)data;
    if (args->command_num == SEALED_STORE_DRIVER_CMD_SEAL) {
        size_t len;
        err_t err = check_record_allow(args->driver, kd, &len);
        if (err != ERR_OK) {
            return err;
        }
    }
    struct cmd_queue_command command = { .command_num = args->command_num, .arg0 = args->slot,
                                         .arg1 = 0 };
    return cmd_queue_submit(&args->driver->queue, args->pid, &command);
}

static struct syscall_return
sealed_store_driver_command_result(struct syscall_driver *driver, uint32_t command_num,
                                   uint32_t arg0, uint32_t arg1, struct process_id pid)
{
    struct sealed_store_driver *d = CONTAINER_OF(driver, struct sealed_store_driver, driver);
    (void)arg1;
    switch (command_num) {
    case 0:
        return syscall_success();
    case SEALED_STORE_DRIVER_CMD_SLOTS:
        return syscall_success_u32(sealed_store_slot_count(d->store));
    case SEALED_STORE_DRIVER_CMD_RECORD_MAX:
        return syscall_success_u32((uint32_t)sealed_store_record_max(d->store));
    case SEALED_STORE_DRIVER_CMD_SEAL:
    case SEALED_STORE_DRIVER_CMD_OPEN:
        break;
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
    uint32_t owner;
    if (owner_of(d, pid, &owner) != ERR_OK || arg0 >= sealed_store_slot_count(d->store)) {
        return syscall_failure(ERR_INVAL);
    }
    struct command_args args = { .driver = d, .command_num = command_num, .pid = pid,
                                 .slot = arg0 };
    err_t err = grant_enter(&d->grant, pid, command_in_grant, &args);
    return err == ERR_OK ? syscall_success() : syscall_failure(err);
}

static void sealed_store_driver_command(struct syscall_driver *driver, uint32_t *regs,
                                        struct process_id pid)
{
    syscall_command_run(sealed_store_driver_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops sealed_store_driver_ops = {
    .command = sealed_store_driver_command,
};
static const struct sealed_store_client_ops sealed_store_driver_store_ops = {
    .write_done = store_write_done,
    .read_done = store_read_done,
};

err_t sealed_store_driver_init(struct sealed_store_driver *driver, struct sealed_store *store,
                               const struct sealed_store_driver_config *config, uint8_t *record,
                               size_t record_len, const struct cmd_queue_config *queue_config,
                               struct cmd_queue_entry *entries, uint32_t entry_count,
                               struct kernel *k)
{
    if (record == NULL || record_len < sealed_store_record_max(store)) {
        return ERR_SIZE;
    }
    *driver = (struct sealed_store_driver){
        .driver = { .ops = &sealed_store_driver_ops, .grant = &driver->grant,
                    .shares_read_write = false },
        .store_client = { .ops = &sealed_store_driver_store_ops },
        .store = store,
        .config = config,
        .record = record,
        .record_len = record_len,
    };
    sealed_store_set_client(store, &driver->store_client);
    err_t err = cmd_queue_init(&driver->queue, &sealed_store_driver_queue_ops, queue_config,
                               entries, entry_count);
    if (err != ERR_OK) {
        return err;
    }
    static const struct grant_config grant_config = {
        .driver_num = SEALED_STORE_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = 1,
        /* Every subscribe is a queued request's completion: latched (record 030), so a
         * process that floods its own upcall ring cannot lose it. */
        .latched_upcalls = 0x1u,
        .read_only = 1,
        .read_write = 1,
        .userspace_readable = 0,
    };
    return grant_create(&driver->grant, k, &grant_config);
}
