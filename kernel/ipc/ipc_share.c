/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC_SHARE: offers of owner memory to one peer instance, mapped through the same arch calls
 * as the compatible IPC's shares (see ipc_share.h, record 031).
 *
 * Every command checks all its arguments against the offer table, the descriptor tables and the
 * caller's allows first, and changes state only after the last check that can fail. The offer
 * table is kernel memory indexed by process slot, so the exit hook can withdraw a dead owner's
 * mappings without entering its (dying) grant.
 */
#include "ipc/ipc_share.h"

#include "container.h"
#include "ipc/ipc_msg.h"
#include "kernel/arch.h"
#include "kernel/grant_internal.h"

#include <stddef.h>

enum {
    OFFER_SLOT_MASK = 0xFFu,
    OFFER_SEQ_SHIFT = 8u,
    OFFER_ID_BITS = 24u, /* 8 bits of slot, 16 of sequence */
    RIGHTS_SHIFT = 8u,
};

static uint32_t offer_id_of(uint32_t slot, uint16_t seq)
{
    return slot | ((uint32_t)seq << OFFER_SEQ_SHIFT);
}

/* The live offer that owner row `owner` holds under offer_id, or NULL. */
static struct ipc_share_offer *find_offer(struct ipc_share *s, uint32_t owner, uint32_t offer_id)
{
    uint32_t slot = offer_id & OFFER_SLOT_MASK;
    if (owner >= IPC_SHARE_MAX_PROCESSES || slot >= IPC_SHARE_SLOTS ||
        (offer_id >> OFFER_ID_BITS) != 0) {
        return NULL;
    }
    struct ipc_share_offer *o = &s->offers[owner][slot];
    if (o->len == 0 || o->seq != (offer_id >> OFFER_SEQ_SHIFT)) {
        return NULL;
    }
    return o;
}

static bool offered_to(const struct ipc_share_offer *o, struct process_id pid)
{
    return o->peer_index == pid.index && o->peer_id == pid.id;
}

/* Offers mapped into process slot `index` now. */
static uint32_t mapped_count(const struct ipc_share *s, uint32_t index)
{
    uint32_t n = 0;
    for (uint32_t o = 0; o < IPC_SHARE_MAX_PROCESSES; o++) {
        for (uint32_t slot = 0; slot < IPC_SHARE_SLOTS; slot++) {
            const struct ipc_share_offer *offer = &s->offers[o][slot];
            n += offer->len != 0 && offer->mapped != 0 && offer->peer_index == index;
        }
    }
    return n;
}

/* Take the offer away: out of the peer's memory protection if it is mapped (the peer then
 * faults on its next access there), then out of the table. */
static void withdraw(struct ipc_share *s, struct ipc_share_offer *o)
{
    struct kernel *k = s->kernel;
    if (o->mapped != 0 && o->peer_index < k->config.process_count) {
        struct process *peer = &k->config.processes[o->peer_index];
        if (process_is_alive(peer) && peer->pid.id == o->peer_id) {
            arch_mpu_remove_shared(&peer->mpu, o->addr, (uintptr_t)o->addr + o->len);
        }
    }
    *o = (struct ipc_share_offer){ .len = 0 };
}

/* The live instance `desc` of `caller` names, in *peer; or the failure to return. */
static bool resolve(struct ipc_share *s, struct process_id caller, uint32_t desc,
                    struct ipc_peer *peer, struct syscall_return *failure)
{
    if (ipc_name_peer(s->names, caller, desc, peer) != ERR_OK ||
        peer->pid.index >= IPC_SHARE_MAX_PROCESSES) {
        *failure = syscall_failure(ERR_INVAL);
        return false;
    }
    enum ipc_desc_state state = ipc_peer_state(s->kernel, peer->pid);
    if (state != IPC_DESC_LIVE) {
        *failure = syscall_failure_u32(
            ERR_UNINSTALLED, state == IPC_DESC_RESTARTED ? IPC_PEER_RESTARTED : IPC_PEER_DEAD);
        return false;
    }
    return true;
}

static struct syscall_return do_offer(struct ipc_share *s, struct process_id owner, uint32_t desc,
                                      uint32_t arg)
{
    uint32_t slot = arg & OFFER_SLOT_MASK;
    uint32_t rights = arg >> RIGHTS_SHIFT;
    if (slot >= IPC_SHARE_SLOTS || rights == 0 || rights > IPC_SHARE_READ_WRITE) {
        return syscall_failure(ERR_INVAL);
    }
    struct ipc_peer peer;
    struct syscall_return failure;
    if (!resolve(s, owner, desc, &peer, &failure)) {
        return failure;
    }
    if (peer.pid.index == owner.index) {
        return syscall_failure(ERR_INVAL);
    }
    if (rights != IPC_SHARE_READ_WRITE) {
        return syscall_failure(ERR_NOSUPPORT); /* the arch maps shared regions read-write only */
    }
    struct process *p = kernel_process(s->kernel, owner);
    uint32_t allow[2];
    if (p == NULL || !grant_slot_read(&s->grant, p, GRANT_SLOT_READ_WRITE, slot, allow) ||
        allow[1] == 0) {
        return syscall_failure(ERR_RESERVE);
    }
    /* The allow itself was refused unless exactly mappable (shares_read_write); kept as the
     * rule this driver relies on, not only the kernel's. */
    if (!arch_mpu_can_share(allow[0], allow[1])) {
        return syscall_failure(ERR_SIZE);
    }
    struct ipc_share_offer *o = &s->offers[owner.index][slot];
    if (o->len != 0) {
        return syscall_failure(ERR_ALREADY);
    }
    s->last_seq = (uint16_t)(s->last_seq + 1u);
    if (s->last_seq == 0) {
        s->last_seq = 1;
    }
    *o = (struct ipc_share_offer){ .peer_id = peer.pid.id,
                                   .addr = allow[0],
                                   .len = allow[1],
                                   .seq = s->last_seq,
                                   .peer_index = (uint8_t)peer.pid.index,
                                   .mapped = 0 };
    return syscall_success_u32(offer_id_of(slot, o->seq));
}

/* The offer `offer_id` of the owner behind `desc`, made to `caller`; or the failure. */
static struct ipc_share_offer *offer_for(struct ipc_share *s, struct process_id caller,
                                         uint32_t desc, uint32_t offer_id,
                                         struct syscall_return *failure)
{
    struct ipc_peer owner;
    if (!resolve(s, caller, desc, &owner, failure)) {
        return NULL;
    }
    struct ipc_share_offer *o = find_offer(s, owner.pid.index, offer_id);
    if (o == NULL || !offered_to(o, caller)) {
        *failure = syscall_failure(ERR_INVAL); /* not offered to you: as if it did not exist */
        return NULL;
    }
    return o;
}

static struct syscall_return do_map(struct ipc_share *s, struct process_id caller, uint32_t desc,
                                    uint32_t offer_id)
{
    struct syscall_return failure;
    struct ipc_share_offer *o = offer_for(s, caller, desc, offer_id, &failure);
    if (o == NULL) {
        return failure;
    }
    struct process *peer = kernel_process(s->kernel, caller);
    if (peer == NULL || (o->mapped == 0 && mapped_count(s, caller.index) >= s->max_mapped)) {
        return syscall_failure(ERR_NOMEM);
    }
    /* Also for a mapped offer: ERR_OK if the region is there, and it comes back if another
     * removal took it (record 031, "lost early"). */
    err_t err = arch_mpu_add_shared(&peer->mpu, o->addr, o->len);
    if (err != ERR_OK) {
        o->mapped = 0; /* not exposed: the arch adds only on success */
        return syscall_failure(err == ERR_NOMEM ? ERR_NOMEM : ERR_SIZE);
    }
    o->mapped = 1;
    return syscall_success_2u32(o->addr, o->len);
}

static struct syscall_return do_unmap(struct ipc_share *s, struct process_id caller,
                                      uint32_t desc, uint32_t offer_id)
{
    struct syscall_return failure;
    struct ipc_share_offer *o = offer_for(s, caller, desc, offer_id, &failure);
    if (o == NULL) {
        return failure;
    }
    if (o->mapped == 0) {
        return syscall_failure(ERR_INVAL);
    }
    struct process *peer = kernel_process(s->kernel, caller);
    if (peer != NULL) {
        arch_mpu_remove_shared(&peer->mpu, o->addr, (uintptr_t)o->addr + o->len);
    }
    o->mapped = 0;
    return syscall_success();
}

static struct syscall_return do_revoke(struct ipc_share *s, struct process_id owner,
                                       uint32_t offer_id)
{
    struct ipc_share_offer *o = find_offer(s, owner.index, offer_id);
    if (o == NULL) {
        return syscall_failure(ERR_INVAL);
    }
    withdraw(s, o);
    return syscall_success();
}

static struct syscall_return ipc_share_command_result(struct syscall_driver *driver,
                                                      uint32_t command_num, uint32_t arg0,
                                                      uint32_t arg1, struct process_id pid)
{
    struct ipc_share *s = CONTAINER_OF(driver, struct ipc_share, driver);
    switch (command_num) {
    case IPC_SHARE_CMD_EXISTS:
        return syscall_success();
    case IPC_SHARE_CMD_OFFER:
        return do_offer(s, pid, arg0, arg1);
    case IPC_SHARE_CMD_MAP:
        return do_map(s, pid, arg0, arg1);
    case IPC_SHARE_CMD_UNMAP:
        return do_unmap(s, pid, arg0, arg1);
    case IPC_SHARE_CMD_REVOKE:
        return do_revoke(s, pid, arg0);
    case IPC_SHARE_CMD_BUDGET:
        return syscall_success_2u32(mapped_count(s, pid.index), s->max_mapped);
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void ipc_share_command(struct syscall_driver *driver, uint32_t *regs,
                              struct process_id pid)
{
    syscall_command_run(ipc_share_command_result, driver, regs, pid);
}

/* The owner replaced or cleared an offered allow: that offer ends now, before the allow
 * syscall returns, so the peer never reaches memory the owner took back. */
static void on_rw_allow_withdrawn(struct syscall_driver *driver, struct process_id owner,
                                  uint32_t allow_num, uint32_t old_addr, uint32_t old_len)
{
    struct ipc_share *s = CONTAINER_OF(driver, struct ipc_share, driver);
    (void)old_addr;
    (void)old_len;
    if (owner.index < IPC_SHARE_MAX_PROCESSES && allow_num < IPC_SHARE_SLOTS &&
        s->offers[owner.index][allow_num].len != 0) {
        withdraw(s, &s->offers[owner.index][allow_num]);
    }
}

/* A dead owner's offers end (their mappings leave the peers before its memory is reused); offers
 * to the dead instance end too (its own regions went with it: process_end). */
static void on_exit(struct process_exit_hook *hook, struct process_id pid)
{
    struct ipc_share *s = CONTAINER_OF(hook, struct ipc_share, exit_hook);
    for (uint32_t o = 0; o < IPC_SHARE_MAX_PROCESSES; o++) {
        for (uint32_t slot = 0; slot < IPC_SHARE_SLOTS; slot++) {
            struct ipc_share_offer *offer = &s->offers[o][slot];
            if (offer->len == 0) {
                continue;
            }
            if (o == pid.index) {
                withdraw(s, offer);
            } else if (offer->peer_index == pid.index) {
                *offer = (struct ipc_share_offer){ .len = 0 };
            }
        }
    }
}

static const struct syscall_driver_ops ipc_share_ops = {
    .command = ipc_share_command,
    .rw_allow_withdrawn = on_rw_allow_withdrawn,
};

err_t ipc_share_init(struct ipc_share *s, struct kernel *k, struct ipc_name *names,
                     uint32_t max_mapped)
{
    *s = (struct ipc_share){
        .driver = { .ops = &ipc_share_ops, .grant = &s->grant, .shares_read_write = true },
        .kernel = k,
        .names = names,
        .exit_hook = { .on_exit = on_exit, .node = { .next = NULL } },
        .max_mapped = max_mapped,
        .last_seq = 0,
    };
    if (k->config.process_count > IPC_SHARE_MAX_PROCESSES) {
        return ERR_SIZE;
    }
    const struct grant_config config = {
        .driver_num = KERNEL_IPC_SHARE_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = 0,
        .read_only = 0,
        .read_write = IPC_SHARE_SLOTS,
        .userspace_readable = 0,
    };
    err_t err = grant_create(&s->grant, k, &config);
    if (err != ERR_OK) {
        return err;
    }
    kernel_add_exit_hook(k, &s->exit_hook);
    return ERR_OK;
}
