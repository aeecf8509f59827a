/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the one-descriptor split virtqueue (chips/virtio/virtqueue.c) and the
 * virtio-rng driver (chips/virtio/virtio_rng.c), with the test playing the device.
 *
 * The virtio-mmio slots are plain arrays of 32-bit words standing in for the registers: what
 * the driver writes stays there for the test to check, and what the test puts there (magic,
 * version, device id, features, interrupt status) is what the driver reads. The device side of
 * the ring is played by writing the used ring and the interrupt status, then calling the
 * interrupt handler, as the chip's PLIC dispatch does.
 *
 * Usage: make build/host/virtio_test (or `make unit`).
 *
 * Invariants: each test starts from setup(): eight empty slots and no request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "virtio/virtio_rng.h"
#include "virtio/virtqueue.h"

#define SLOTS 8u
#define SLOT_WORDS 64u /* 0x100 bytes: every register the driver uses */
#define FIRST_IRQ 1u
/* Register word offsets, as the virtio-mmio layout puts them. */
#define R_MAGIC 0u
#define R_VERSION 1u
#define R_DEVICE_ID 2u
#define R_DEVICE_FEATURES 4u
#define R_DRIVER_FEATURES 8u
#define R_QUEUE_NUM_MAX 13u
#define R_QUEUE_NUM 14u
#define R_QUEUE_READY 17u
#define R_QUEUE_NOTIFY 20u
#define R_INTERRUPT_STATUS 24u
#define R_INTERRUPT_ACK 25u
#define R_STATUS 28u
#define R_QUEUE_DESC_LOW 32u
#define R_QUEUE_DRIVER_LOW 36u
#define R_QUEUE_DEVICE_LOW 40u

static uint32_t slots[SLOTS][SLOT_WORDS];
static struct virtio_rng rng;

struct client {
    struct hil_entropy_client client;
    uint8_t *buf;
    size_t len;
    err_t status;
    unsigned calls;
};
static struct client client;

static void ready(struct hil_entropy_client *c, uint8_t *buf, size_t len, err_t status)
{
    struct client *cl = CONTAINER_OF(c, struct client, client);
    cl->buf = buf;
    cl->len = len;
    cl->status = status;
    cl->calls++;
}

static const struct hil_entropy_client_ops client_ops = { .entropy_ready = ready };

static int setup(void **state)
{
    (void)state;
    memset(slots, 0, sizeof slots);
    client = (struct client){ .client = { .ops = &client_ops } };
    return 0;
}

/* A modern entropy device in `slot`: features word 1 offers VIRTIO_F_VERSION_1. */
static void plug_device(uint32_t slot, uint32_t version, uint32_t device_id)
{
    for (uint32_t s = 0; s < SLOTS; s++) {
        slots[s][R_MAGIC] = 0x74726976u;
        slots[s][R_VERSION] = 2;
    }
    slots[slot][R_VERSION] = version;
    slots[slot][R_DEVICE_ID] = device_id;
    slots[slot][R_DEVICE_FEATURES] = 1; /* the driver selects word 1 before reading */
    slots[slot][R_QUEUE_NUM_MAX] = 1024;
}

static err_t probe(void)
{
    err_t err = virtio_rng_probe(&rng, (uintptr_t)&slots[0][0], SLOTS,
                                 SLOT_WORDS * sizeof(uint32_t), FIRST_IRQ);
    hil_entropy_set_client(&rng.entropy, &client.client);
    return err;
}

/* The device writes `n` bytes of `fill` into the offered buffer and interrupts. */
static void device_returns(uint32_t slot, uint32_t n, uint8_t fill)
{
    struct virtq *q = &rng.queue;
    assert_true(q->is_busy);
    assert_int_equal(q->desc[0].flags, VIRTQ_DESC_F_WRITE);
    uint8_t *buf = (uint8_t *)(uintptr_t)q->desc[0].addr;
    memset(buf, fill, n < q->desc[0].len ? n : q->desc[0].len);
    q->used.ring[q->used.idx % VIRTQ_SIZE] = (struct virtq_used_elem){ .id = 0, .len = n };
    q->used.idx = (uint16_t)(q->used.idx + 1u);
    slots[slot][R_INTERRUPT_STATUS] = 1;
    virtio_rng_handle_interrupt(&rng);
}

static void test_virtqueue_round_trips_and_wraps(void **state)
{
    (void)state;
    static struct virtq q;
    uint8_t buf[16];
    uint32_t written = 99;
    virtq_init(&q);
    assert_false(virtq_take_used(&q, &written));
    assert_int_equal(virtq_submit_writable(&q, (uintptr_t)buf, 0), ERR_SIZE);
    /* 70000 round trips: the 16-bit ring indices wrap (at 65536) and keep working. */
    for (uint32_t i = 0; i < 70000u; i++) {
        assert_int_equal(virtq_submit_writable(&q, (uintptr_t)buf, sizeof buf), ERR_OK);
        assert_int_equal(virtq_submit_writable(&q, (uintptr_t)buf, sizeof buf), ERR_BUSY);
        assert_int_equal(q.avail.idx, (uint16_t)(i + 1u));
        assert_int_equal(q.avail.ring[0], 0);
        assert_int_equal(q.desc[0].addr, (uintptr_t)buf);
        assert_int_equal(q.desc[0].len, sizeof buf);
        assert_false(virtq_take_used(&q, &written)); /* the device has not answered */
        q.used.ring[0] = (struct virtq_used_elem){ .id = 0, .len = i % 20u };
        q.used.idx = (uint16_t)(q.used.idx + 1u);
        assert_true(virtq_take_used(&q, &written));
        /* A device claiming more than the buffer is clamped to it. */
        assert_int_equal(written, i % 20u < sizeof buf ? i % 20u : sizeof buf);
        assert_false(virtq_take_used(&q, &written));
    }
    assert_int_equal(q.last_used_idx, (uint16_t)70000u);
    assert_int_equal(virtq_desc_address(&q) % 16u, 0);
    assert_int_equal(virtq_avail_address(&q) % 2u, 0);
    assert_int_equal(virtq_used_address(&q) % 4u, 0);
}

static void test_probe_finds_the_entropy_device_and_brings_it_up(void **state)
{
    (void)state;
    plug_device(7, 2, VIRTIO_DEVICE_ID_ENTROPY);
    slots[2][R_DEVICE_ID] = 2; /* a block device elsewhere is skipped */
    assert_int_equal(probe(), ERR_OK);
    assert_int_equal(rng.irq, FIRST_IRQ + 7u);
    assert_ptr_equal(rng.regs, &slots[7][0]);
    assert_int_equal(slots[7][R_STATUS], 1u | 2u | 8u | 4u); /* ACK, DRIVER, FEATURES_OK, OK */
    assert_int_equal(slots[7][R_DRIVER_FEATURES], 1u);       /* VERSION_1 (word 1) */
    assert_int_equal(slots[7][R_QUEUE_NUM], VIRTQ_SIZE);
    assert_int_equal(slots[7][R_QUEUE_READY], 1);
    assert_int_equal(slots[7][R_QUEUE_DESC_LOW], (uint32_t)virtq_desc_address(&rng.queue));
    assert_int_equal(slots[7][R_QUEUE_DRIVER_LOW], (uint32_t)virtq_avail_address(&rng.queue));
    assert_int_equal(slots[7][R_QUEUE_DEVICE_LOW], (uint32_t)virtq_used_address(&rng.queue));
    assert_int_equal(slots[2][R_STATUS], 0); /* untouched */
}

static void test_missing_legacy_and_refusing_devices(void **state)
{
    (void)state;
    uint8_t buf[4];
    assert_int_equal(probe(), ERR_NODEVICE); /* nothing at all */
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, sizeof buf), ERR_NODEVICE);
    plug_device(3, 1, VIRTIO_DEVICE_ID_ENTROPY);
    assert_int_equal(probe(), ERR_NOSUPPORT); /* legacy transport */
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, sizeof buf), ERR_NODEVICE);
    plug_device(3, 2, VIRTIO_DEVICE_ID_ENTROPY);
    slots[3][R_DEVICE_FEATURES] = 0; /* no VERSION_1 */
    assert_int_equal(probe(), ERR_NOSUPPORT);
    assert_true((slots[3][R_STATUS] & 128u) != 0); /* FAILED */
    plug_device(3, 2, VIRTIO_DEVICE_ID_ENTROPY);
    slots[3][R_QUEUE_NUM_MAX] = 0; /* no queue */
    assert_int_equal(probe(), ERR_NOSUPPORT);
}

static void test_request_is_filled_across_partial_answers(void **state)
{
    (void)state;
    uint8_t buf[48];
    memset(buf, 0, sizeof buf);
    plug_device(0, 2, VIRTIO_DEVICE_ID_ENTROPY);
    assert_int_equal(probe(), ERR_OK);
    assert_int_equal(hil_entropy_get(&rng.entropy, NULL, 4), ERR_INVAL);
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, 0), ERR_SIZE);
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, sizeof buf), ERR_OK);
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, sizeof buf), ERR_BUSY);
    assert_int_equal(client.calls, 0); /* never inside get */
    assert_int_equal(rng.queue.desc[0].len, 48);
    device_returns(0, 20, 0xA1);
    assert_int_equal(slots[0][R_INTERRUPT_ACK], 1); /* acknowledged */
    assert_int_equal(client.calls, 0);
    assert_int_equal(rng.queue.desc[0].addr, (uintptr_t)(buf + 20)); /* the rest is offered */
    assert_int_equal(rng.queue.desc[0].len, 28);
    device_returns(0, 28, 0xB2);
    assert_int_equal(client.calls, 1);
    assert_ptr_equal(client.buf, buf);
    assert_int_equal(client.len, sizeof buf);
    assert_int_equal(client.status, ERR_OK);
    assert_int_equal(buf[0], 0xA1);
    assert_int_equal(buf[19], 0xA1);
    assert_int_equal(buf[20], 0xB2);
    assert_int_equal(buf[47], 0xB2);
    /* A spurious interrupt changes nothing; the next request works. */
    virtio_rng_handle_interrupt(&rng);
    assert_int_equal(client.calls, 1);
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, 8), ERR_OK);
    device_returns(0, 8, 0xC3);
    assert_int_equal(client.calls, 2);
}

static void test_empty_answer_fails_and_reset_request_drops_the_device(void **state)
{
    (void)state;
    uint8_t buf[8];
    plug_device(5, 2, VIRTIO_DEVICE_ID_ENTROPY);
    assert_int_equal(probe(), ERR_OK);
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, sizeof buf), ERR_OK);
    device_returns(5, 0, 0);
    assert_int_equal(client.calls, 1);
    assert_int_equal(client.status, ERR_FAIL);
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, sizeof buf), ERR_OK);
    slots[5][R_STATUS] |= 64u; /* DEVICE_NEEDS_RESET, with a configuration-change interrupt */
    slots[5][R_INTERRUPT_STATUS] = 2;
    virtio_rng_handle_interrupt(&rng);
    assert_int_equal(client.calls, 2);
    assert_int_equal(client.status, ERR_FAIL);
    assert_int_equal(hil_entropy_get(&rng.entropy, buf, sizeof buf), ERR_NODEVICE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_virtqueue_round_trips_and_wraps, setup),
        cmocka_unit_test_setup(test_probe_finds_the_entropy_device_and_brings_it_up, setup),
        cmocka_unit_test_setup(test_missing_legacy_and_refusing_devices, setup),
        cmocka_unit_test_setup(test_request_is_filled_across_partial_answers, setup),
        cmocka_unit_test_setup(test_empty_answer_fails_and_reset_request_drops_the_device, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
