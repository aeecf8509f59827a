/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc's mapped IPC shares (driver 0xA8002, next to the message IPC of ipc_msg.h).
 *
 * An owner offers a buffer to one peer it holds a descriptor for (ipc_name_lookup); the peer
 * maps the offer through its own descriptor for the owner and then reads and writes the
 * owner's memory directly, with no copies. The buffer must be one region the MPU/PMP can cover
 * exactly (on Cortex-M: a power of two of at least 32 bytes, aligned to its size; on RISC-V: a
 * multiple of 4 bytes, 4-aligned), or ipc_share_offer fails with EINVAL. The mapping ends when
 * the owner revokes it, allows another buffer (or none) on the slot, or either side exits or
 * restarts: a peer that then touches the region faults. Map only what an owner you trust to stay alive offers; copies (ipc_msg.h's leases)
 * are the safe default.
 *
 * Usage (owner):
 *     static char frame[256] __attribute__((aligned(256)));
 *     uint32_t peer, offer;
 *     ipc_name_lookup_wait("viewer", &peer);
 *     ipc_share_offer(peer, 0, frame, sizeof frame, &offer);   // tell the peer `offer`
 * Usage (peer):
 *     uint32_t owner; void *region; size_t len;
 *     ipc_name_lookup_wait("painter", &owner);
 *     ipc_share_map(owner, offer, &region, &len);              // region[0..len) is the frame
 *
 * Return values: RETURNCODE_SUCCESS or a negative returncode_t; where a `reason` out-parameter
 * exists it receives an enum ipc_reason (ipc_msg.h) when the peer instance is gone (EUNINSTALLED).
 *
 * Invariants: an offered buffer stays allowed to the kernel until ipc_share_revoke; a buffer
 * whose offer failed stays allowed too (the slot's next allow replaces it).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IPC_SHARE_DRIVER_NUM 0xA8002
#define IPC_SHARE_SLOTS 2u

/* True when the kernel has the driver. */
bool ipc_share_exists(void);

/* Offer buf[0..len) on slot (0..IPC_SHARE_SLOTS-1) to the process behind desc, read-write.
 * EINVAL: the buffer cannot be mapped exactly, or a bad slot/desc; EALREADY: the slot is
 * offered (revoke first); EUNINSTALLED: the peer is gone (*reason says how; may be NULL). */
int ipc_share_offer(uint32_t desc, uint32_t slot, void *buf, size_t len, uint32_t *offer,
                    uint32_t *reason);
/* End the offer (unmapping it from the peer) and un-allow its buffer. */
int ipc_share_revoke(uint32_t offer);

/* Map offer `offer` of the owner behind desc: *region, *len is the owner's buffer. EINVAL: no
 * such offer to this process; ENOMEM: the mapping budget is used up (ipc_share_budget);
 * EUNINSTALLED: the owner is gone (*reason; may be NULL). */
int ipc_share_map(uint32_t desc, uint32_t offer, void **region, size_t *len, uint32_t *reason);
int ipc_share_unmap(uint32_t desc, uint32_t offer);
/* Offers mapped into this process now, and the most it may have mapped. */
int ipc_share_budget(uint32_t *mapped, uint32_t *max_mapped);

#ifdef __cplusplus
}
#endif
