/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Tock-compatible IPC (see ipc.h).
 *
 * Commands: 0 exists; 1 discover (RO allow 0 holds the package name; Success-u32 = slot index);
 * 2 notify service, 3 notify client (arg0 = target slot). A notify delivers to the target the
 * upcall (notifier index, length, address) of the buffer the notifier shared with it (its RW
 * allow slot [target]), after mapping that buffer into the target. Service notifications use the
 * target's own upcall slot, client notifications the notifier's slot (libtock-c's wiring).
 */
#include "kernel/ipc.h"

#include "container.h"
#include "kernel/arch.h"
#include "kernel/grant_internal.h"

#include <stddef.h>

enum {
    IPC_CMD_EXISTS = 0,
    IPC_CMD_DISCOVER = 1,
    IPC_CMD_NOTIFY_SERVICE = 2,
    IPC_CMD_NOTIFY_CLIENT = 3,
    IPC_NAME_MAX = 64,
};

struct discover_args {
    uint8_t name[IPC_NAME_MAX];
    size_t len;
};

static err_t read_name(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    struct discover_args *args = ctx;
    args->len = grant_ro_len(kd, 0);
    if (args->len > IPC_NAME_MAX) {
        return ERR_SIZE;
    }
    return grant_ro_read(kd, 0, 0, args->name, args->len);
}

static bool name_matches(const struct process *p, const struct discover_args *args)
{
    if (p->state == PROCESS_EMPTY || p->package_name_len != args->len) {
        return false;
    }
    for (size_t i = 0; i < args->len; i++) {
        if (p->package_name[i] != args->name[i]) {
            return false;
        }
    }
    return true;
}

static struct syscall_return discover(struct ipc *ipc, struct process_id caller)
{
    struct discover_args args = { .len = 0 };
    err_t err = grant_enter(&ipc->grant, caller, read_name, &args);
    if (err == ERR_SIZE) {
        return syscall_failure(ERR_NODEVICE); /* longer than any name we compare */
    }
    if (err != ERR_OK) {
        return syscall_failure(ERR_NOMEM);
    }
    struct kernel *k = ipc->kernel;
    for (uint32_t i = 0; i < k->config.process_count; i++) {
        if (name_matches(&k->config.processes[i], &args)) {
            return syscall_success_u32(i);
        }
    }
    return syscall_failure(ERR_NODEVICE);
}

static struct syscall_return notify(struct ipc *ipc, struct process_id caller, uint32_t target,
                                    bool to_service)
{
    struct kernel *k = ipc->kernel;
    if (target >= k->config.process_count) {
        return syscall_failure(ERR_INVAL);
    }
    struct process *receiver = &k->config.processes[target];
    struct process *notifier = kernel_process(k, caller);
    if (!process_is_alive(receiver) || notifier == NULL) {
        return syscall_failure(ERR_NODEVICE);
    }
    if (receiver == notifier) {
        return syscall_success(); /* self-notification is dropped, as in Tock */
    }
    /* The buffer the notifier shared with the receiver: its read-write slot [target]. */
    uint32_t *shared;
    err_t err = grant_slot(k, notifier, &ipc->grant, GRANT_SLOT_READ_WRITE, target, &shared);
    if (err != ERR_OK) {
        return syscall_failure(err == ERR_NOSUPPORT ? ERR_INVAL : err);
    }
    uint32_t slot_num = to_service ? target : caller.index;
    uint32_t *upcall;
    err = grant_slot(k, receiver, &ipc->grant, GRANT_SLOT_UPCALL, slot_num, &upcall);
    if (err != ERR_OK) {
        return syscall_failure(err == ERR_NOSUPPORT ? ERR_INVAL : err);
    }
    uint32_t addr = shared[0], len = shared[1];
    if (len != 0) {
        err = arch_mpu_add_shared(&receiver->mpu, addr, len);
        if (err != ERR_OK) {
            return syscall_failure(err);
        }
    }
    struct upcall_task task = {
        .kind = upcall[0] != 0 ? UPCALL_FUNCTION : UPCALL_NULL_RECORD,
        .driver_num = KERNEL_IPC_DRIVER_NUM,
        .subscribe_num = slot_num,
        .fn = upcall[0],
        .args = { caller.index, len, len != 0 ? addr : 0, upcall[1] },
    };
    return syscall_from_err(process_enqueue(receiver, &task));
}

static struct syscall_return ipc_command(struct syscall_driver *driver, uint32_t command_num,
                                         uint32_t arg0, uint32_t arg1, struct process_id pid)
{
    (void)arg1;
    struct ipc *ipc = CONTAINER_OF(driver, struct ipc, driver);
    switch (command_num) {
    case IPC_CMD_EXISTS:
        return syscall_success();
    case IPC_CMD_DISCOVER:
        return discover(ipc, pid);
    case IPC_CMD_NOTIFY_SERVICE:
        return notify(ipc, pid, arg0, true);
    case IPC_CMD_NOTIFY_CLIENT:
        return notify(ipc, pid, arg0, false);
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

/* The dead process's buffers are no longer anyone's to touch. */
static void on_exit(struct process_exit_hook *hook, struct process_id pid)
{
    struct ipc *ipc = CONTAINER_OF(hook, struct ipc, exit_hook);
    struct kernel *k = ipc->kernel;
    const struct process *dead = &k->config.processes[pid.index];
    uintptr_t start = dead->mem_start;
    uintptr_t end = dead->mem_start + dead->mem_size;
    for (uint32_t i = 0; i < k->config.process_count; i++) {
        arch_mpu_remove_shared(&k->config.processes[i].mpu, start, end);
    }
}

static const struct syscall_driver_ops ipc_ops = { .command = ipc_command };

err_t ipc_init(struct ipc *ipc, struct kernel *k)
{
    *ipc = (struct ipc){
        .driver = { .ops = &ipc_ops, .grant = &ipc->grant, .shares_read_write = true },
        .kernel = k,
        .exit_hook = { .on_exit = on_exit, .next = NULL },
    };
    uint32_t n = k->config.process_count;
    const struct grant_config config = {
        .driver_num = KERNEL_IPC_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = (uint8_t)n,
        .read_only = 1,
        .read_write = (uint8_t)n,
        .userspace_readable = 0,
    };
    err_t err = grant_create(&ipc->grant, k, &config);
    if (err != ERR_OK) {
        return err;
    }
    kernel_add_exit_hook(k, &ipc->exit_hook);
    return ERR_OK;
}
