/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC name registry, driver 0xA8000 (record 003): names, lookups, descriptors.
 *
 * A server binds a name (runtime bytes from RO allow 0, or its TBF package name) to one of its
 * IPC_MAX_ENDPOINTS endpoints. A client looks the name up and receives a *descriptor*: a small
 * index 1..IPC_MAX_DESC into its own descriptor table, which lives in its own grant and which
 * only the kernel writes. A descriptor records the peer instance {slot, id} it was resolved to,
 * so it keeps naming that instance after the peer restarts (REOPEN re-resolves the name).
 * Descriptors are unforgeable: a number means something only in the table of the process that
 * uses it. The messaging driver (ipc_msg.h) resolves descriptors through ipc_name_peer().
 *
 * ABI: allow_ro 0 = name (1..IPC_NAME_LEN bytes); subscribe 0 = LOOKUP_DONE (status, desc, 0);
 * commands 0 exists, 1 REGISTER(endpoint, flags), 2 UNREGISTER(endpoint), 3 LOOKUP(flags),
 * 4 REOPEN(desc), 5 CLOSE(desc), 6 SELF_BADGE, 7 DESC_STATUS(desc) -> (state, peer badge).
 *
 * Usage: static struct ipc_name ipc_name;
 *        boot_check(ipc_name_init(&ipc_name, &kernel, ipc_name_allow_all), "ipc name");
 *        driver table: { IPC_NAME_DRIVER_NUM, &ipc_name.driver }
 *
 * Invariants: a name is registered by at most one live process (registrations live in the
 * registrant's grant and vanish with it); a process has at most one waiting lookup, completed
 * exactly once (by REGISTER of that name) unless replaced by a newer one or the process dies.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/syscall_driver.h"

#define KERNEL_IPC_NAME_DRIVER_NUM 0xA8000u
#define IPC_NAME_LEN 32u
#define IPC_MAX_DESC 8u
#define IPC_MAX_ENDPOINTS 2u

/* REGISTER flags: bind the process's TBF package name instead of RO allow 0. */
#define IPC_NAME_REGISTER_TBF_NAME 0x1u
/* LOOKUP flags: if the name is not registered yet, complete later with LOOKUP_DONE. */
#define IPC_NAME_LOOKUP_WAIT 0x1u

/* DESC_STATUS states. */
enum ipc_desc_state {
    IPC_DESC_LIVE = 0,      /* the instance the descriptor names is running */
    IPC_DESC_RESTARTED = 1, /* its slot now holds a newer instance */
    IPC_DESC_DEAD = 2,      /* its slot holds no live process */
};

/* Board policy: may process `p` register `name` (len bytes)? */
typedef bool (*ipc_name_policy_fn)(const struct process *p, const uint8_t *name, size_t len);

struct ipc_name {
    struct syscall_driver driver;
    struct grant grant;
    struct kernel *kernel;
    ipc_name_policy_fn policy;
    /* Advanced by every IPC_NAME command, the only writers of descriptor tables (a process's
     * exit only discards its own); never 0, and stops at UINT32_MAX (it never comes back to a
     * value it had). While it is unchanged, ipc_name_peer() answers as it did for a process
     * instance that stays alive. */
    uint32_t epoch;
};

/* What a descriptor names: one endpoint of one process instance. */
struct ipc_peer {
    struct process_id pid;
    uint32_t endpoint;
};

/* A policy that lets every process register every name (first come, first served). */
bool ipc_name_allow_all(const struct process *p, const uint8_t *name, size_t len);

/* Boot only, after kernel_init: creates the grant. ERR_NOMEM/ERR_ALREADY from grant_create. */
MUST_CHECK err_t ipc_name_init(struct ipc_name *n, struct kernel *k, ipc_name_policy_fn policy);

/**
 * The peer that descriptor `desc` of process `owner` names, as it was resolved (the instance may
 * have died since: compare with ipc_peer_state()). Returns ERR_INVAL when owner is not live or
 * holds no such descriptor (never allocates owner's grant). Kernel loop only; owner's IPC_NAME
 * grant must not be entered.
 */
MUST_CHECK err_t ipc_name_peer(struct ipc_name *n, struct process_id owner, uint32_t desc,
                               struct ipc_peer *out);

/* LIVE, RESTARTED or DEAD for the instance `pid` (see enum ipc_desc_state). */
enum ipc_desc_state ipc_peer_state(struct kernel *k, struct process_id pid);

/* A process instance's 32-bit badge: slot | (generation << 8), generation = id + 1 (24 bits).
 * Never 0; stable for one instance; informational only (authority never rests on a badge). */
static inline uint32_t ipc_badge(struct process_id pid)
{
    return (pid.index & 0xFFu) | (((pid.id + 1u) & 0xFFFFFFu) << 8);
}
