/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC_SHARE, driver 0xA8002 (record 031): memory one process offers to one named peer, which
 * the peer maps into its own memory protection and then reads and writes directly.
 *
 * The owner read-write allows a buffer on one of its IPC_SHARE_SLOTS slots (the kernel refuses,
 * INVAL, a buffer the MPU/PMP cannot cover exactly, as for the compatible IPC's shares), then
 * OFFERs that slot to the process behind one of its message-IPC descriptors (ipc_name.h). The
 * peer MAPs the offer through its own descriptor for the owner and gets (address, length). The
 * mapping goes away on UNMAP (peer), REVOKE (owner), when the owner replaces or clears the
 * allow, and when either process exits, faults or restarts: always before the owner's memory is
 * used for anything else. A peer that touches the region afterwards faults, and only it.
 *
 * ABI: allow_rw 0..IPC_SHARE_SLOTS-1 = regions the owner may offer; no upcalls. Commands:
 *   0 exists
 *   1 OFFER(desc, slot | rights << 8)  -> success_u32(offer_id); rights must be
 *     IPC_SHARE_READ_WRITE. INVAL bad desc/slot/rights or desc naming the caller; NOSUPPORT
 *     rights other than read-write; RESERVE nothing allowed on the slot; ALREADY the slot is
 *     offered (REVOKE first); SIZE the region cannot be mapped exactly;
 *     failure_u32(UNINSTALLED, PEER_DEAD/PEER_RESTARTED) the peer instance is gone.
 *   2 MAP(desc_of_owner, offer_id)     -> success_2u32(address, length). INVAL: no such offer to
 *     this instance from that owner; failure_u32(UNINSTALLED, ...) the owner instance is gone;
 *     NOMEM the caller's budget (IPC_SHARE_MAX_MAPPED, or the MPU/PMP regions its compatible-IPC
 *     mappings left) is used up. Mapping an offer already mapped returns it again (and maps it
 *     again if another removal of the same range took it).
 *   3 UNMAP(desc_of_owner, offer_id)   -> success; INVAL if it is not mapped into the caller.
 *   4 REVOKE(offer_id)                 -> success; INVAL if the caller has no such offer.
 *   5 BUDGET                           -> success_2u32(mapped now, IPC_SHARE_MAX_MAPPED).
 *
 * Usage: static struct ipc_share share;   (in the board's IPC component)
 *        boot_check(ipc_share_init(&share, &kernel, &ipc_name, max_mapped), "ipc share");
 *        driver table: { IPC_SHARE_DRIVER_NUM, &share.driver }
 *
 * Invariants: offers[o][s] is live (len != 0) only while process o is alive and names the
 * instance (peer_index, peer_id) the owner offered it to, with {addr, len} the owner's allow on
 * slot s at the time of the offer, which is still that allow; `mapped` is set only while that
 * region is exposed in the peer's memory protection by this driver, and then the peer instance
 * is alive. A process has at most max_mapped offers mapped into it.
 */
#pragma once

#include <stdint.h>

#include "ipc/ipc_name.h"
#include "kernel/exit_hook.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/syscall_driver.h"

#define KERNEL_IPC_SHARE_DRIVER_NUM 0xA8002u
#define IPC_SHARE_SLOTS 2u          /* read-write allow slots an owner may offer */
#define IPC_SHARE_MAX_PROCESSES 8u  /* rows of the offer table */
#define IPC_SHARE_READ_WRITE 3u     /* OFFER rights: read (1) | write (2) */

enum ipc_share_command {
    IPC_SHARE_CMD_EXISTS = 0,
    IPC_SHARE_CMD_OFFER = 1,
    IPC_SHARE_CMD_MAP = 2,
    IPC_SHARE_CMD_UNMAP = 3,
    IPC_SHARE_CMD_REVOKE = 4,
    IPC_SHARE_CMD_BUDGET = 5,
};

/* One offer: the owner is the row's process, the slot the column. len 0: no offer. */
struct ipc_share_offer {
    uint32_t peer_id; /* the peer instance's process id (struct process_id.id) */
    uint32_t addr;
    uint32_t len;
    uint16_t seq;       /* offer_id = slot | seq << 8; never 0 */
    uint8_t peer_index; /* the peer's process slot */
    uint8_t mapped;     /* 1: exposed in the peer's memory protection */
};

struct ipc_share {
    struct syscall_driver driver;
    struct grant grant;
    struct kernel *kernel;
    struct ipc_name *names;
    struct process_exit_hook exit_hook;
    uint32_t max_mapped; /* offers one process may have mapped at once */
    uint16_t last_seq;
    struct ipc_share_offer offers[IPC_SHARE_MAX_PROCESSES][IPC_SHARE_SLOTS];
};

/* Boot only, after kernel_init and ipc_name_init: creates the grant and registers the exit
 * hook. max_mapped is the board's per-process limit (the MPU/PMP may allow fewer: MAP then
 * fails with NOMEM). ERR_SIZE when the kernel has more than IPC_SHARE_MAX_PROCESSES slots;
 * grant_create's errors. */
MUST_CHECK err_t ipc_share_init(struct ipc_share *s, struct kernel *k, struct ipc_name *names,
                                uint32_t max_mapped);
