/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * One-descriptor split virtqueue bookkeeping (see virtio/virtqueue.h).
 *
 * Ordering: the descriptor and the ring slot are written before avail.idx is published, and
 * avail.idx before the caller's notify, with full fences between; the used ring is read after
 * seeing used.idx move, behind a fence. On QEMU (TCG executes the guest's accesses in program
 * order) that is sufficient; a port to silicon whose memory system reorders normal memory
 * against device registers must also fence memory against I/O before the notify.
 *
 * Usage: see virtio/virtqueue.h.
 *
 * Invariants: see virtio/virtqueue.h.
 */
#include "virtio/virtqueue.h"

#include <stddef.h>

static void barrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void virtq_init(struct virtq *q)
{
    *q = (struct virtq){ .is_busy = false };
    /* avail.flags 0: the driver wants an interrupt for every used buffer. */
}

err_t virtq_submit_writable(struct virtq *q, uintptr_t addr, uint32_t len)
{
    if (q->is_busy) {
        return ERR_BUSY;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    q->desc[0] = (struct virtq_desc){ .addr = addr, .len = len, .flags = VIRTQ_DESC_F_WRITE };
    q->avail.ring[q->avail.idx % VIRTQ_SIZE] = 0; /* head of the chain: descriptor 0 */
    barrier();
    q->avail.idx = (uint16_t)(q->avail.idx + 1u);
    barrier();
    q->is_busy = true;
    return ERR_OK;
}

bool virtq_take_used(struct virtq *q, uint32_t *written)
{
    if (!q->is_busy || q->used.idx == q->last_used_idx) {
        return false;
    }
    barrier();
    uint32_t len = q->used.ring[q->last_used_idx % VIRTQ_SIZE].len;
    q->last_used_idx = (uint16_t)(q->last_used_idx + 1u);
    q->is_busy = false;
    *written = len < q->desc[0].len ? len : q->desc[0].len;
    return true;
}

uintptr_t virtq_desc_address(const struct virtq *q)
{
    return (uintptr_t)&q->desc[0];
}

uintptr_t virtq_avail_address(const struct virtq *q)
{
    return (uintptr_t)&q->avail;
}

uintptr_t virtq_used_address(const struct virtq *q)
{
    return (uintptr_t)&q->used;
}
