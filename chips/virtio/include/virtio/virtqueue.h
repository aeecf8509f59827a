/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A one-descriptor split virtqueue (Virtio 1.x §2.7): the ring memory and its bookkeeping,
 * separate from any transport so that host tests can play the device.
 *
 * The driver side only: one device-writable buffer in flight at a time, which is all an entropy
 * device needs. The descriptor table, the available ring and the used ring each hold one entry
 * (a queue size of 1 is a power of two, as split queues require); ring indices are free-running
 * 16-bit counters that wrap, as the specification defines them.
 *
 * Usage:
 *     static struct virtq q;             (a named static: the device reads and writes it)
 *     virtq_init(&q);                    ... give the transport virtq_*_address(&q) ...
 *     err = virtq_submit_writable(&q, (uintptr_t)buf, len);  then notify the device
 *     on an interrupt: if (virtq_take_used(&q, &written)) { ... buf holds `written` bytes ... }
 *
 * Invariants: is_busy is true exactly from a successful submit until virtq_take_used returns
 * true; avail.idx - last_used_idx is 1 while busy and 0 otherwise. Little-endian hosts only
 * (both tockc targets are): the ring fields are stored in host order.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "errorcode.h"

#define VIRTQ_SIZE 1u
#define VIRTQ_DESC_F_WRITE 2u /* the device writes this buffer */

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[VIRTQ_SIZE];
    uint16_t used_event;
};
struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};
struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[VIRTQ_SIZE];
    uint16_t avail_event;
};

struct virtq {
    _Alignas(16) struct virtq_desc desc[VIRTQ_SIZE]; /* §2.7: 16-byte aligned */
    _Alignas(4) struct virtq_avail avail;             /* 2-byte aligned */
    _Alignas(4) volatile struct virtq_used used;      /* 4-byte aligned; written by the device */
    uint16_t last_used_idx;                           /* driver only */
    bool is_busy;
};

void virtq_init(struct virtq *q);
/**
 * Offer the device-writable buffer [addr, addr + len). Returns ERR_OK (the caller notifies the
 * device next), ERR_BUSY (a buffer is in flight) or ERR_SIZE (len is 0). The ring writes are
 * complete, and ordered before anything the caller does afterwards, when this returns.
 */
MUST_CHECK err_t virtq_submit_writable(struct virtq *q, uintptr_t addr, uint32_t len);
/**
 * If the device has returned the buffer, set *written to the bytes it wrote (never more than
 * the buffer's length) and return true; the queue is free again. Otherwise return false.
 */
bool virtq_take_used(struct virtq *q, uint32_t *written);

/* Guest-physical addresses for the transport (tockc runs with physical addressing). */
uintptr_t virtq_desc_address(const struct virtq *q);
uintptr_t virtq_avail_address(const struct virtq *q);
uintptr_t virtq_used_address(const struct virtq *q);
