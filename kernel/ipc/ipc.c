/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Tock-compatible IPC (see ipc.h).
 *
 * Commands: 0 exists; 1 discover (RO allow 0 holds the package name; Success-u32 = slot index);
 * 2 notify service, 3 notify client (arg0 = target slot). A notify delivers to the target the
 * upcall (notifier index, length, address) of the buffer the notifier shared with it (its RW
 * allow slot [target]), after mapping that buffer into the target. Service notifications use the
 * target's own upcall slot, client notifications the notifier's slot (libtock-c's wiring).
 *
 * A target that cannot take the notification yet (Null Upcall on the slot and not waiting for it)
 * gets a held bit instead of a queue entry; the kernel's upcall-ready hook (subscribe or
 * Yield-WaitFor on the slot) turns held bits into queued upcalls. The buffer is mapped at notify
 * time either way, so the notifier hears of a mapping failure; a buffer already mapped is not
 * mapped again (ipc.mapped). Replacing or clearing the shared allow withdraws that mapping before
 * the allow returns (rw_allow_withdrawn).
 */
#include "ipc/ipc.h"

#include "container.h"
#include "kernel/arch.h"
#include "kernel/debug.h"
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

/* Out of line: its name buffer would otherwise be in the frame of every notify. */
__attribute__((noinline)) static struct syscall_return discover(struct ipc *ipc,
                                                                struct process_id caller)
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

/* The upcall slot a notification in direction d from sender to receiver uses. */
static uint32_t slot_of(enum ipc_direction d, uint32_t receiver, uint32_t sender)
{
    return d == IPC_TO_SERVICE ? receiver : sender;
}

/* What a notification carries from two grant slots, read once (inlined: in registers). */
struct subscription {
    uint32_t fn; /* 0: the Null Upcall */
    uint32_t appdata;
};
struct share {
    uint32_t addr; /* 0 when len is 0 */
    uint32_t len;
};

/* receiver's subscription on slot_num; the Null Upcall when it has no IPC grant yet (none is
 * allocated on its behalf). An instance always has the slot: slot_num < process_count, the
 * grant's upcall count. */
static inline __attribute__((always_inline)) struct subscription
subscription_of(const struct ipc *ipc, const struct process *receiver, uint32_t slot_num)
{
    uint32_t slot[2];
    if (!grant_slot_read(&ipc->grant, receiver, GRANT_SLOT_UPCALL, slot_num, slot)) {
        return (struct subscription){ .fn = 0, .appdata = 0 };
    }
    return (struct subscription){ .fn = slot[0], .appdata = slot[1] };
}

static bool is_waiting_for(const struct process *p, uint32_t slot_num)
{
    return p->state == PROCESS_YIELDED_FOR && p->yield_driver == KERNEL_IPC_DRIVER_NUM &&
           p->yield_subscribe == slot_num;
}

/* receiver can take a notification on slot_num now: a function is subscribed, or it waits. */
static bool is_takeable(const struct process *receiver, struct subscription sub, uint32_t slot_num)
{
    return sub.fn != 0 || is_waiting_for(receiver, slot_num);
}

/* True when a notification from sender on slot_num is already queued for receiver. */
static bool is_queued(const struct process *receiver, uint32_t slot_num, uint32_t sender)
{
    const struct upcall_queue *q = &receiver->queue;
    for (uint32_t i = 0; i < q->count; i++) {
        const struct upcall_task *t = &q->tasks[i];
        if (t->driver_num == KERNEL_IPC_DRIVER_NUM && t->subscribe_num == slot_num &&
            t->args[0] == sender) {
            return true;
        }
    }
    return false;
}

/* s's share with r (s's read-write slot [r], non-empty) is exposed in r's memory protection. */
static bool is_mapped(const struct ipc *ipc, uint32_t r, uint32_t s)
{
    return (ipc->mapped[r] & (1u << s)) != 0;
}

/* The share of sender s with receiver r (s's read-write slot [r]) as {addr, len} in out, when it
 * needs no step before a notification reports it: s has an IPC instance and the slot is empty
 * or already mapped. false when a step is needed (prepare_share). */
static inline __attribute__((always_inline)) bool
read_ready_share(const struct ipc *ipc, const struct process *sender, uint32_t r, uint32_t s,
                 uint32_t out[2])
{
    return grant_slot_read(&ipc->grant, sender, GRANT_SLOT_READ_WRITE, r, out) &&
           (out[1] == 0 || is_mapped(ipc, r, s));
}

/* Make sender's share with receiver ready (read_ready_share then holds): allocate sender's IPC
 * instance if it has none (as any entry into its grant would; a new one shares nothing), or map
 * the shared buffer into receiver. Out of line: once per sender, and once per buffer shared. */
__attribute__((noinline)) static err_t prepare_share(struct ipc *ipc, struct process *sender,
                                                     struct process *receiver)
{
    uint32_t r = receiver->pid.index, s = sender->pid.index;
    uint32_t *shared;
    err_t err = grant_slot(ipc->kernel, sender, &ipc->grant, GRANT_SLOT_READ_WRITE, r, &shared);
    if (err != ERR_OK) {
        return err == ERR_NOSUPPORT ? ERR_INVAL : err;
    }
    if (shared[1] == 0 || is_mapped(ipc, r, s)) {
        return ERR_OK;
    }
    err = arch_mpu_add_shared(&receiver->mpu, shared[0], shared[1]);
    if (err == ERR_OK) {
        ipc->mapped[r] |= 1u << s;
    }
    return err;
}

/* sender's share with receiver, ready (mapped) for a notification, or an error for sender. */
static inline __attribute__((always_inline)) err_t
share_for(struct ipc *ipc, struct process *sender, struct process *receiver, uint32_t r,
          uint32_t s, struct share *out)
{
    uint32_t slot[2];
    if (!read_ready_share(ipc, sender, r, s, slot)) {
        err_t err = prepare_share(ipc, sender, receiver);
        if (err != ERR_OK) {
            return err;
        }
        if (!read_ready_share(ipc, sender, r, s, slot)) {
            kernel_panic("ipc: prepared share not ready");
        }
    }
    *out = (struct share){ .addr = slot[1] != 0 ? slot[0] : 0, .len = slot[1] };
    return ERR_OK;
}

/* Queue sender's notification on slot_num for receiver, which can take it now (sub is its
 * subscription; shared the sender's ready share). Coalesces with one from the same sender still
 * queued there. */
static inline __attribute__((always_inline)) err_t
enqueue(struct process *receiver, uint32_t sender, uint32_t slot_num, struct subscription sub,
        struct share shared)
{
    if (is_queued(receiver, slot_num, sender)) {
        return ERR_OK;
    }
    struct upcall_task task = {
        .kind = sub.fn != 0 ? UPCALL_FUNCTION : UPCALL_NULL_RECORD,
        .driver_num = KERNEL_IPC_DRIVER_NUM,
        .subscribe_num = slot_num,
        .fn = sub.fn,
        .args = { sender, shared.len, shared.addr, sub.appdata },
    };
    return process_enqueue(receiver, &task);
}

/* Validated notify (caller checked target and identity; receiver != notifier, both alive; target
 * and sender are their slot indexes).
 * Maps the shared buffer whether or not the receiver can take the notification now (so the
 * sender hears of a mapping failure), then queues it or holds one bit. */
static inline __attribute__((always_inline)) err_t
notify_peer(struct ipc *ipc, struct process *notifier, struct process *receiver, uint32_t target,
            uint32_t sender, enum ipc_direction d)
{
    struct share shared;
    err_t err = share_for(ipc, notifier, receiver, target, sender, &shared);
    if (err != ERR_OK) {
        return err;
    }
    uint32_t slot_num = slot_of(d, target, sender);
    struct subscription sub = subscription_of(ipc, receiver, slot_num);
    if (!is_takeable(receiver, sub, slot_num)) {
        ipc->held[d][target] |= 1u << sender;
        return ERR_OK;
    }
    err = enqueue(receiver, sender, slot_num, sub, shared);
    if (err == ERR_NOMEM) {
        /* The receiver's queue is full of its own events: hold, offered again on room. */
        ipc->held[d][target] |= 1u << sender;
        receiver->after_upcall |= PROCESS_AFTER_UPCALL_ROOM;
        return ERR_OK;
    }
    return err;
}

static inline __attribute__((always_inline)) err_t
notify(struct ipc *ipc, struct process_id caller, uint32_t target, enum ipc_direction d)
{
    struct kernel *k = ipc->kernel;
    if (target >= k->config.process_count) {
        return ERR_INVAL;
    }
    struct process *receiver = &k->config.processes[target];
    struct process *notifier = kernel_process(k, caller);
    if (!process_is_alive(receiver) || notifier == NULL) {
        return ERR_NODEVICE;
    }
    if (receiver == notifier) {
        return ERR_OK; /* self-notification is dropped, as in Tock */
    }
    return notify_peer(ipc, notifier, receiver, target, caller.index, d);
}

/* The receiver subscribed on slot_num or waits for it: queue what was held for that slot. A
 * subscribed function takes every held notification; a Yield-WaitFor on a Null slot takes one
 * (the rest stay held for the next wait). */
static void on_ready(struct upcall_ready_hook *hook, uint32_t slot_num, struct process_id pid)
{
    struct ipc *ipc = CONTAINER_OF(hook, struct ipc, ready_hook);
    struct kernel *k = ipc->kernel;
    struct process *receiver = kernel_process(k, pid);
    if (receiver == NULL || slot_num >= k->config.process_count) {
        return;
    }
    uint32_t r = pid.index;
    enum ipc_direction d = slot_num == r ? IPC_TO_SERVICE : IPC_TO_CLIENT;
    uint32_t candidates = ipc->held[d][r];
    if (d == IPC_TO_CLIENT) {
        candidates &= 1u << slot_num;
    }
    if (candidates == 0) {
        return;
    }
    struct subscription sub = subscription_of(ipc, receiver, slot_num);
    if (!is_takeable(receiver, sub, slot_num)) {
        return;
    }
    for (uint32_t s = 0; s < k->config.process_count; s++) {
        uint32_t bit = 1u << s;
        if ((candidates & bit) == 0) {
            continue;
        }
        if (receiver->queue.count >= UPCALL_QUEUE_CAPACITY && !is_waiting_for(receiver, slot_num)) {
            /* offered again when the receiver takes an upcall */
            receiver->after_upcall |= PROCESS_AFTER_UPCALL_ROOM;
            return;
        }
        ipc->held[d][r] &= ~bit;
        /* A failure here (the sender re-shared a buffer the receiver cannot also map) drops
         * the notification: the sender was told success when it notified. */
        struct share shared;
        err_t err = share_for(ipc, &k->config.processes[s], receiver, r, s, &shared);
        if (err == ERR_OK) {
            err = enqueue(receiver, s, slot_num, sub, shared);
        }
        if (err != ERR_OK || sub.fn == 0) {
            return;
        }
    }
}

/* Another driver's event needs p's last queue slot: turn p's newest queued notification back
 * into its held bit. It is re-created, unchanged, when p has room (on_room) or subscribes or
 * waits again (on_ready): notifications are postponed, never lost, and never cost p an event of
 * its own drivers. */
static bool reclaim(struct upcall_ready_hook *hook, struct process *p)
{
    struct ipc *ipc = CONTAINER_OF(hook, struct ipc, ready_hook);
    struct upcall_task task;
    if (!upcall_queue_take_newest_of(&p->queue, KERNEL_IPC_DRIVER_NUM, &task)) {
        return false;
    }
    uint32_t r = p->pid.index;
    enum ipc_direction d = task.subscribe_num == r ? IPC_TO_SERVICE : IPC_TO_CLIENT;
    ipc->held[d][r] |= 1u << task.args[0];
    p->after_upcall |= PROCESS_AFTER_UPCALL_ROOM;
    return true;
}

/* p took an upcall: offer every slot that holds notifications for it again. */
static void on_room(struct upcall_ready_hook *hook, struct process *p)
{
    struct ipc *ipc = CONTAINER_OF(hook, struct ipc, ready_hook);
    uint32_t r = p->pid.index;
    if (ipc->held[IPC_TO_SERVICE][r] != 0) {
        on_ready(hook, r, p->pid);
    }
    uint32_t services = ipc->held[IPC_TO_CLIENT][r];
    for (uint32_t s = 0; services != 0; s++, services >>= 1) {
        if ((services & 1u) != 0) {
            on_ready(hook, s, p->pid);
        }
    }
}

/* Replies in place on each path: notify, on the IPC round trip, returns only an error code. */
_Static_assert(IPC_CMD_NOTIFY_SERVICE + IPC_TO_SERVICE == IPC_CMD_NOTIFY_SERVICE &&
                   IPC_CMD_NOTIFY_SERVICE + IPC_TO_CLIENT == IPC_CMD_NOTIFY_CLIENT,
               "notify commands are IPC_CMD_NOTIFY_SERVICE + direction");

static void ipc_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    struct ipc *ipc = CONTAINER_OF(driver, struct ipc, driver);
    uint32_t command_num = regs[1];
    /* Notify first (the round trip's command): commands 2 and 3 are directions 0 and 1. */
    uint32_t d = command_num - IPC_CMD_NOTIFY_SERVICE;
    if (d <= IPC_TO_CLIENT) {
        err_t err = notify(ipc, pid, regs[2], (enum ipc_direction)d);
        if (err == ERR_OK) {
            syscall_reply(regs, syscall_success());
        } else {
            syscall_reply(regs, syscall_failure(err));
        }
        return;
    }
    switch (command_num) {
    case IPC_CMD_EXISTS:
        syscall_reply(regs, syscall_success());
        return;
    case IPC_CMD_DISCOVER:
        syscall_reply(regs, discover(ipc, pid));
        return;
    default:
        syscall_reply(regs, syscall_failure(ERR_NOSUPPORT));
        return;
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
    /* Its mappings of others' buffers went with its instance (process_end). */
    ipc->mapped[pid.index] = 0;
    for (uint32_t i = 0; i < k->config.process_count; i++) {
        ipc->mapped[i] &= ~(1u << pid.index);
    }
    /* Held notifications to and from the dead process are dropped. */
    for (uint32_t d = 0; d < 2; d++) {
        ipc->held[d][pid.index] = 0;
        for (uint32_t i = 0; i < k->config.process_count; i++) {
            ipc->held[d][i] &= ~(1u << pid.index);
        }
    }
}

/* sharer replaced or cleared its read-write allow [receiver]: the receiver loses the mapping made
 * from the old buffer now (its MPU/PMP is loaded from this state before it next runs). Only that
 * receiver: the same buffer may still be shared with another one through another slot. */
static void on_rw_allow_withdrawn(struct syscall_driver *driver, struct process_id sharer,
                                  uint32_t receiver, uint32_t old_addr, uint32_t old_len)
{
    struct ipc *ipc = CONTAINER_OF(driver, struct ipc, driver);
    struct kernel *k = ipc->kernel;
    if (receiver >= k->config.process_count || receiver == sharer.index) {
        return;
    }
    ipc->mapped[receiver] &= ~(1u << sharer.index);
    arch_mpu_remove_shared(&k->config.processes[receiver].mpu, old_addr,
                           (uintptr_t)old_addr + old_len);
}

static const struct syscall_driver_ops ipc_ops = {
    .command = ipc_command,
    .rw_allow_withdrawn = on_rw_allow_withdrawn,
};

err_t ipc_init(struct ipc *ipc, struct kernel *k)
{
    *ipc = (struct ipc){
        .driver = { .ops = &ipc_ops, .grant = &ipc->grant, .shares_read_write = true },
        .kernel = k,
        .exit_hook = { .on_exit = on_exit, .node = { .next = NULL } },
        .ready_hook = { .driver_num = KERNEL_IPC_DRIVER_NUM,
                        .on_ready = on_ready,
                        .reclaim = reclaim,
                        .on_room = on_room,
                        .node = { .next = NULL } },
    };
    uint32_t n = k->config.process_count;
    if (n > IPC_MAX_PROCESSES) {
        return ERR_SIZE;
    }
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
    kernel_add_upcall_ready_hook(k, &ipc->ready_hook);
    return ERR_OK;
}
