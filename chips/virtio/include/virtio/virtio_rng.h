/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * virtio entropy device (Virtio 1.x §5.4, device ID 4) on the virtio-mmio transport (§4.2),
 * as QEMU's `-device virtio-rng-device` provides it: an entropy source (hil/entropy.h).
 *
 * Discovery scans a board's virtio-mmio slots for the first entropy device. Only the modern
 * (version 2) register layout is driven; QEMU 7.2 presents the legacy layout (version 1)
 * unless it runs with `-global virtio-mmio.force-legacy=false`, which the board's QEMU command
 * lines pass. A legacy or missing device leaves the source absent: get() answers ERR_NODEVICE
 * and the board says so at boot.
 *
 * One request at a time: the buffer is offered to the device as one writable descriptor; if
 * the device fills only part of it, the rest is offered again, until it is full; then
 * entropy_ready. A device that returns an empty buffer fails that request (ERR_FAIL) rather
 * than being asked again in a loop; one that asks to be reset fails it and is dropped (get()
 * answers ERR_NODEVICE from then on).
 *
 * Usage:
 *     static struct virtio_rng rng;
 *     err = virtio_rng_probe(&rng, 0x10001000, 8, 0x1000, 1);  // slots, stride, first IRQ
 *     ... route interrupt line rng.irq to virtio_rng_handle_interrupt(&rng) ...
 *     hand &rng.entropy to the consumer.
 *
 * Invariants: `buf` is non-NULL exactly while a request is outstanding; the device owns
 * buf[filled..len) while the queue is busy.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hil/entropy.h"
#include "virtio/virtqueue.h"

#define VIRTIO_DEVICE_ID_ENTROPY 4u

struct virtio_rng {
    struct hil_entropy entropy;
    volatile uint32_t *regs; /* NULL: no usable device */
    uint32_t irq;            /* the slot's interrupt line (valid when regs != NULL) */
    struct virtq queue;
    uint8_t *buf;
    size_t len;
    size_t filled;
};

/**
 * Boot only. Look at `slot_count` virtio-mmio slots from `first_slot` (`stride` bytes apart;
 * slot n interrupts on line first_irq + n) for an entropy device and bring up the first found.
 * Returns ERR_OK, ERR_NODEVICE (none found) or ERR_NOSUPPORT (found, but legacy, or it refused
 * the features or the queue). The source is usable (get() works) only after ERR_OK.
 */
MUST_CHECK err_t virtio_rng_probe(struct virtio_rng *rng, uintptr_t first_slot,
                                  uint32_t slot_count, uint32_t stride, uint32_t first_irq);
/* The device's interrupt line fired: acknowledge it and progress the request. Kernel loop. */
void virtio_rng_handle_interrupt(struct virtio_rng *rng);
