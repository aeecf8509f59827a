/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * virtio-rng over virtio-mmio version 2 (see virtio/virtio_rng.h).
 *
 * Bring-up follows Virtio 1.x §3.1.1: reset, ACKNOWLEDGE, DRIVER, negotiate (only
 * VIRTIO_F_VERSION_1: the entropy device has no feature bits of its own), FEATURES_OK and read
 * it back, set up queue 0 with one entry, DRIVER_OK. A device that refuses is marked FAILED.
 *
 * Usage: see virtio/virtio_rng.h.
 *
 * Invariants: see virtio/virtio_rng.h.
 */
#include "virtio/virtio_rng.h"

#include "container.h"

/* virtio-mmio registers (§4.2.2), in 32-bit words. */
#define REG_MAGIC (0x000u / 4u)
#define REG_VERSION (0x004u / 4u)
#define REG_DEVICE_ID (0x008u / 4u)
#define REG_DEVICE_FEATURES (0x010u / 4u)
#define REG_DEVICE_FEATURES_SEL (0x014u / 4u)
#define REG_DRIVER_FEATURES (0x020u / 4u)
#define REG_DRIVER_FEATURES_SEL (0x024u / 4u)
#define REG_QUEUE_SEL (0x030u / 4u)
#define REG_QUEUE_NUM_MAX (0x034u / 4u)
#define REG_QUEUE_NUM (0x038u / 4u)
#define REG_QUEUE_READY (0x044u / 4u)
#define REG_QUEUE_NOTIFY (0x050u / 4u)
#define REG_INTERRUPT_STATUS (0x060u / 4u)
#define REG_INTERRUPT_ACK (0x064u / 4u)
#define REG_STATUS (0x070u / 4u)
#define REG_QUEUE_DESC_LOW (0x080u / 4u)
#define REG_QUEUE_DESC_HIGH (0x084u / 4u)
#define REG_QUEUE_DRIVER_LOW (0x090u / 4u)
#define REG_QUEUE_DRIVER_HIGH (0x094u / 4u)
#define REG_QUEUE_DEVICE_LOW (0x0A0u / 4u)
#define REG_QUEUE_DEVICE_HIGH (0x0A4u / 4u)

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_MODERN 2u
#define STATUS_ACKNOWLEDGE 1u
#define STATUS_DRIVER 2u
#define STATUS_DRIVER_OK 4u
#define STATUS_FEATURES_OK 8u
#define STATUS_NEEDS_RESET 64u
#define STATUS_FAILED 128u
#define FEATURE_VERSION_1_HIGH 1u /* feature bit 32: bit 0 of the second feature word */
#define INTERRUPT_USED_BUFFER 1u
#define QUEUE_RNG 0u

static volatile uint32_t *slot_registers(uintptr_t address)
{
    /* SAFETY: a virtio-mmio slot of the board's memory map, given by the board. */
    return (volatile uint32_t *)address;
}

static void set_status(volatile uint32_t *regs, uint32_t bits)
{
    regs[REG_STATUS] = regs[REG_STATUS] | bits;
}

static err_t bring_up(struct virtio_rng *rng, volatile uint32_t *regs)
{
    regs[REG_STATUS] = 0; /* reset */
    set_status(regs, STATUS_ACKNOWLEDGE);
    set_status(regs, STATUS_DRIVER);
    regs[REG_DEVICE_FEATURES_SEL] = 1;
    if ((regs[REG_DEVICE_FEATURES] & FEATURE_VERSION_1_HIGH) == 0) {
        set_status(regs, STATUS_FAILED);
        return ERR_NOSUPPORT;
    }
    regs[REG_DRIVER_FEATURES_SEL] = 0;
    regs[REG_DRIVER_FEATURES] = 0;
    regs[REG_DRIVER_FEATURES_SEL] = 1;
    regs[REG_DRIVER_FEATURES] = FEATURE_VERSION_1_HIGH;
    set_status(regs, STATUS_FEATURES_OK);
    if ((regs[REG_STATUS] & STATUS_FEATURES_OK) == 0) {
        set_status(regs, STATUS_FAILED);
        return ERR_NOSUPPORT;
    }
    regs[REG_QUEUE_SEL] = QUEUE_RNG;
    if (regs[REG_QUEUE_READY] != 0 || regs[REG_QUEUE_NUM_MAX] < VIRTQ_SIZE) {
        set_status(regs, STATUS_FAILED);
        return ERR_NOSUPPORT;
    }
    virtq_init(&rng->queue);
    regs[REG_QUEUE_NUM] = VIRTQ_SIZE;
    uint64_t desc = virtq_desc_address(&rng->queue);
    uint64_t avail = virtq_avail_address(&rng->queue);
    uint64_t used = virtq_used_address(&rng->queue);
    regs[REG_QUEUE_DESC_LOW] = (uint32_t)desc;
    regs[REG_QUEUE_DESC_HIGH] = (uint32_t)(desc >> 32);
    regs[REG_QUEUE_DRIVER_LOW] = (uint32_t)avail;
    regs[REG_QUEUE_DRIVER_HIGH] = (uint32_t)(avail >> 32);
    regs[REG_QUEUE_DEVICE_LOW] = (uint32_t)used;
    regs[REG_QUEUE_DEVICE_HIGH] = (uint32_t)(used >> 32);
    regs[REG_QUEUE_READY] = 1;
    set_status(regs, STATUS_DRIVER_OK);
    return ERR_OK;
}

/* Offer buf[filled..len) to the device and ring its doorbell. */
static err_t offer_rest(struct virtio_rng *rng)
{
    size_t rest = rng->len - rng->filled;
    uint32_t len = rest > UINT32_MAX ? UINT32_MAX : (uint32_t)rest;
    err_t err = virtq_submit_writable(&rng->queue, (uintptr_t)(rng->buf + rng->filled), len);
    if (err == ERR_OK) {
        rng->regs[REG_QUEUE_NOTIFY] = QUEUE_RNG;
    }
    return err;
}

static err_t get(struct hil_entropy *source, uint8_t *buf, size_t len)
{
    struct virtio_rng *rng = CONTAINER_OF(source, struct virtio_rng, entropy);
    if (rng->regs == NULL) {
        return ERR_NODEVICE;
    }
    if (rng->buf != NULL) {
        return ERR_BUSY;
    }
    if (buf == NULL) {
        return ERR_INVAL;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    rng->buf = buf;
    rng->len = len;
    rng->filled = 0;
    err_t err = offer_rest(rng);
    if (err != ERR_OK) {
        rng->buf = NULL;
    }
    return err;
}

static const struct hil_entropy_ops virtio_rng_entropy_ops = { .get = get };

err_t virtio_rng_probe(struct virtio_rng *rng, uintptr_t first_slot, uint32_t slot_count,
                       uint32_t stride, uint32_t first_irq)
{
    *rng = (struct virtio_rng){ .entropy = { .ops = &virtio_rng_entropy_ops } };
    for (uint32_t slot = 0; slot < slot_count; slot++) {
        volatile uint32_t *regs = slot_registers(first_slot + (uintptr_t)slot * stride);
        if (regs[REG_MAGIC] != VIRTIO_MMIO_MAGIC ||
            regs[REG_DEVICE_ID] != VIRTIO_DEVICE_ID_ENTROPY) {
            continue;
        }
        if (regs[REG_VERSION] != VIRTIO_MMIO_MODERN) {
            return ERR_NOSUPPORT;
        }
        err_t err = bring_up(rng, regs);
        if (err == ERR_OK) {
            rng->regs = regs;
            rng->irq = first_irq + slot;
        }
        return err;
    }
    return ERR_NODEVICE;
}

static void finish(struct virtio_rng *rng, err_t status)
{
    uint8_t *buf = rng->buf;
    size_t len = rng->len;
    rng->buf = NULL;
    hil_entropy_ready(&rng->entropy, buf, len, status);
}

/* The device asked to be reset: it is no use to us any more (no second bring-up at run time). */
static void give_up(struct virtio_rng *rng)
{
    set_status(rng->regs, STATUS_FAILED);
    rng->regs = NULL;
    if (rng->buf != NULL) {
        finish(rng, ERR_FAIL);
    }
}

void virtio_rng_handle_interrupt(struct virtio_rng *rng)
{
    if (rng->regs == NULL) {
        return;
    }
    uint32_t cause = rng->regs[REG_INTERRUPT_STATUS];
    rng->regs[REG_INTERRUPT_ACK] = cause;
    if ((rng->regs[REG_STATUS] & STATUS_NEEDS_RESET) != 0) {
        give_up(rng);
        return;
    }
    uint32_t written;
    if ((cause & INTERRUPT_USED_BUFFER) == 0 || !virtq_take_used(&rng->queue, &written) ||
        rng->buf == NULL) {
        return;
    }
    if (written == 0) {
        finish(rng, ERR_FAIL);
        return;
    }
    rng->filled += written;
    if (rng->filled < rng->len) {
        if (offer_rest(rng) != ERR_OK) {
            finish(rng, ERR_FAIL);
        }
        return;
    }
    finish(rng, ERR_OK);
}
