/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Key-value syscall driver (see capsules/kv_driver.h).
 *
 * A command checks the process's permissions and allows, then queues the request; when its turn
 * comes, start copies the key (and value) from the allows into the kernel buffers and hands them
 * to the store; the store's done() brings them back, and the driver copies a found value out,
 * schedules the upcall and lets the queue go on.
 *
 * Usage: see capsules/kv_driver.h.
 *
 * Invariants:
 *  - is_running iff the command queue has a request running for `pid`; cmd_queue_done is called
 *    exactly once when is_running goes false.
 *  - key_buf (value_buf) is NULL iff the store holds it: from a store operation's start to its
 *    done(), for every operation but garbage-collect (and, for value_buf, delete).
 *  - No upcall goes to a process after it died (is_orphaned), and none inside a command.
 */
#include "capsules/kv_driver.h"

#include "capsules/driver_num.h"
#include "container.h"

struct command_args {
    struct kv_driver *kv;
    uint32_t command_num;
    struct process_id pid;
};

struct copy_args {
    struct kv_driver *kv;
    uint32_t key_len;
    uint32_t value_len;
};

struct finish_args {
    struct kv_driver *kv;
    err_t status;
    uint32_t value_len;
};

static bool is_write(uint32_t command_num)
{
    return command_num == KV_DRIVER_CMD_SET || command_num == KV_DRIVER_CMD_ADD ||
           command_num == KV_DRIVER_CMD_UPDATE;
}

static bool has_key(uint32_t command_num)
{
    return command_num != KV_DRIVER_CMD_GARBAGE_COLLECT;
}

/* The allows a command needs, checked in the grant: ERR_OK, ERR_RESERVE (no key) or ERR_SIZE. */
static err_t check_allows(const struct grant_kernel_data *kd, uint32_t command_num,
                          uint32_t *key_len, uint32_t *value_len)
{
    *key_len = 0;
    *value_len = 0;
    if (has_key(command_num)) {
        size_t len = grant_ro_len(kd, KV_DRIVER_ALLOW_RO_KEY);
        if (len == 0) {
            return ERR_RESERVE;
        }
        if (len > KV_STORE_KEY_MAX) {
            return ERR_SIZE;
        }
        *key_len = (uint32_t)len;
    }
    if (is_write(command_num)) {
        /* No value allow (or an empty one) is an empty value, as in Tock. */
        size_t len = grant_ro_len(kd, KV_DRIVER_ALLOW_RO_VALUE);
        if (len > KV_STORE_VALUE_MAX) {
            return ERR_SIZE;
        }
        *value_len = (uint32_t)len;
    }
    return ERR_OK;
}

/* ---------------------------------------------------------------- ending a request */

static void stop(struct kv_driver *kv)
{
    kv->is_running = false;
    cmd_queue_done(&kv->queue);
}

static err_t deliver(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct finish_args *args = ctx;
    struct kv_driver *kv = args->kv;
    (void)data;
    err_t status = args->status;
    bool is_value =
        kv->command_num == KV_DRIVER_CMD_GET && (status == ERR_OK || status == ERR_SIZE);
    if (is_value) {
        size_t room = grant_rw_len(kd, KV_DRIVER_ALLOW_RW_VALUE);
        uint32_t n = args->value_len < room ? args->value_len : (uint32_t)room;
        if (n > 0 && grant_rw_write(kd, KV_DRIVER_ALLOW_RW_VALUE, 0, kv->value_buf, n) != ERR_OK) {
            status = ERR_FAIL; /* cannot happen: n is within the allow */
        }
        if (status == ERR_OK && room < args->value_len) {
            status = ERR_SIZE;
        }
    }
    /* A full upcall queue drops the event (the kernel counts it), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, KV_DRIVER_SUBSCRIBE_DONE, (uint32_t)status,
                                          is_value ? args->value_len : 0, 0);
    (void)ignored;
    return ERR_OK;
}

/* Report the request's outcome to its process (if it is still there) and go on. */
static void finish(struct kv_driver *kv, err_t status, uint32_t value_len)
{
    if (!kv->is_orphaned) {
        struct finish_args args = { .kv = kv, .status = status, .value_len = value_len };
        /* ERR_INVAL: the process died after all; its upcall goes nowhere. */
        err_t ignored = grant_enter(&kv->grant, kv->pid, deliver, &args);
        (void)ignored;
    }
    stop(kv);
}

static void store_done(struct kv_store_client *client, uint8_t *key, uint8_t *value,
                       uint32_t value_len, err_t status)
{
    struct kv_driver *kv = CONTAINER_OF(client, struct kv_driver, store_client);
    if (kv->key_buf == NULL) {
        kv->key_buf = key;
    }
    if (kv->value_buf == NULL) {
        kv->value_buf = value;
    }
    finish(kv, status, value_len);
}

/* ---------------------------------------------------------------- command queue */

static err_t copy_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct copy_args *args = ctx;
    struct kv_driver *kv = args->kv;
    (void)data;
    /* The allows may have changed since the command: check them again, then copy once. */
    err_t err = check_allows(kd, kv->command_num, &args->key_len, &args->value_len);
    if (err != ERR_OK) {
        return err;
    }
    if (args->key_len > 0) {
        err = grant_ro_read(kd, KV_DRIVER_ALLOW_RO_KEY, 0, kv->key_buf, args->key_len);
    }
    if (err == ERR_OK && args->value_len > 0) {
        err = grant_ro_read(kd, KV_DRIVER_ALLOW_RO_VALUE, 0, kv->value_buf, args->value_len);
    }
    return err;
}

static err_t start_store(struct kv_driver *kv, const struct copy_args *copied,
                         const struct storage_permissions *perms)
{
    uint8_t *key = kv->key_buf;
    uint8_t *value = kv->value_buf;
    switch (kv->command_num) {
    case KV_DRIVER_CMD_GET:
        return kv_store_get(kv->store, key, copied->key_len, value, KV_STORE_VALUE_MAX, perms);
    case KV_DRIVER_CMD_SET:
        return kv_store_set(kv->store, key, copied->key_len, value, copied->value_len, perms);
    case KV_DRIVER_CMD_DELETE:
        return kv_store_delete(kv->store, key, copied->key_len, perms);
    case KV_DRIVER_CMD_ADD:
        return kv_store_add(kv->store, key, copied->key_len, value, copied->value_len, perms);
    case KV_DRIVER_CMD_UPDATE:
        return kv_store_update(kv->store, key, copied->key_len, value, copied->value_len, perms);
    case KV_DRIVER_CMD_GARBAGE_COLLECT:
        return kv_store_compact(kv->store);
    default:
        return ERR_NOSUPPORT;
    }
}

static void queue_start(struct cmd_queue *queue, struct process_id pid,
                        const struct cmd_queue_command *command)
{
    struct kv_driver *kv = CONTAINER_OF(queue, struct kv_driver, queue);
    kv->pid = pid;
    kv->command_num = command->command_num;
    kv->is_running = true;
    kv->is_orphaned = false;
    struct storage_permissions perms;
    if (kv->config->permissions(kv->config->ctx, pid, &perms) != ERR_OK) {
        stop(kv); /* the process is gone */
        return;
    }
    struct copy_args copied = { .kv = kv, .key_len = 0, .value_len = 0 };
    err_t err = grant_enter(&kv->grant, pid, copy_in, &copied);
    if (err == ERR_INVAL) {
        stop(kv); /* the process is gone */
        return;
    }
    if (err == ERR_OK) {
        err = start_store(kv, &copied, &perms);
    }
    if (err != ERR_OK) {
        finish(kv, err, 0);
        return;
    }
    if (has_key(kv->command_num)) {
        kv->key_buf = NULL; /* lent to the store */
    }
    if (kv->command_num != KV_DRIVER_CMD_DELETE && has_key(kv->command_num)) {
        kv->value_buf = NULL;
    }
}

static void queue_abort(struct cmd_queue *queue, struct process_id pid,
                        enum cmd_queue_abort_reason reason)
{
    struct kv_driver *kv = CONTAINER_OF(queue, struct kv_driver, queue);
    (void)reason; /* no sessions: only EXITED happens */
    if (kv->is_running && process_id_equal(kv->pid, pid)) {
        kv->is_orphaned = true; /* the store's done() ends it */
    }
}

static const struct cmd_queue_ops kv_driver_queue_ops = {
    .start = queue_start,
    .abort = queue_abort,
};

/* ---------------------------------------------------------------- syscalls */

static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct command_args *args = ctx;
    (void)data;
    uint32_t key_len;
    uint32_t value_len;
    err_t err = check_allows(kd, args->command_num, &key_len, &value_len);
    if (err != ERR_OK) {
        return err;
    }
    struct cmd_queue_command command = { .command_num = args->command_num, .arg0 = 0,
                                         .arg1 = 0 };
    err = cmd_queue_submit(&args->kv->queue, args->pid, &command);
    return err == ERR_ALREADY ? ERR_NOMEM : err;
}

static struct syscall_return
kv_driver_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                         uint32_t arg1, struct process_id pid)
{
    struct kv_driver *kv = CONTAINER_OF(driver, struct kv_driver, driver);
    (void)arg0;
    (void)arg1;
    if (command_num == 0) {
        return syscall_success();
    }
    if (command_num > KV_DRIVER_CMD_GARBAGE_COLLECT) {
        return syscall_failure(ERR_NOSUPPORT);
    }
    struct storage_permissions perms;
    if (kv->config->permissions(kv->config->ctx, pid, &perms) != ERR_OK) {
        return syscall_failure(ERR_INVAL);
    }
    if (is_write(command_num) && !storage_permissions_can_write(&perms)) {
        return syscall_failure(ERR_INVAL);
    }
    struct command_args args = { .kv = kv, .command_num = command_num, .pid = pid };
    err_t err = grant_enter(&kv->grant, pid, command_in_grant, &args);
    return err == ERR_OK ? syscall_success() : syscall_failure(err);
}

static void kv_driver_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(kv_driver_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops kv_driver_ops = {
    .command = kv_driver_command,
};
static const struct kv_store_client_ops kv_driver_store_ops = {
    .done = store_done,
};

err_t kv_driver_init(struct kv_driver *kv, struct kv_store *store,
                     const struct kv_driver_config *config, uint8_t *key_buf, uint8_t *value_buf,
                     const struct cmd_queue_config *queue_config, struct cmd_queue_entry *entries,
                     uint32_t entry_count, struct kernel *k)
{
    if (key_buf == NULL || value_buf == NULL) {
        return ERR_SIZE;
    }
    *kv = (struct kv_driver){
        .driver = { .ops = &kv_driver_ops, .grant = &kv->grant, .shares_read_write = false },
        .store_client = { .ops = &kv_driver_store_ops },
        .store = store,
        .config = config,
        .key_buf = key_buf,
        .value_buf = value_buf,
    };
    store->client = &kv->store_client;
    err_t err = cmd_queue_init(&kv->queue, &kv_driver_queue_ops, queue_config, entries,
                               entry_count);
    if (err != ERR_OK) {
        return err;
    }
    static const struct grant_config grant_config = {
        .driver_num = KV_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = 1,
        /* Every subscribe is a queued request's completion: latched (record 030), so a
         * process that floods its own upcall ring cannot lose it. */
        .latched_upcalls = 0x1u,
        .read_only = 2,
        .read_write = 1,
        .userspace_readable = 0,
    };
    return grant_create(&kv->grant, k, &grant_config);
}
