/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Flash virtualizer: a mux over one flash device and its virtual devices.
 *
 * Each device may have one operation outstanding. The mux keeps the flash busy with one
 * device's operation at a time and, when it finishes, starts the next queued device after the
 * one served last, so a client that queues again from its own callback goes behind the others.
 * Arguments are checked against the device's geometry before anything is queued, so a virtual
 * device refuses exactly what the flash would; a refusal by the flash itself is reported from
 * the mux's deferred call, never inside the client's call.
 *
 * Usage: see capsules/virtual_flash.h.
 *
 * Invariants:
 *  - mux->inflight != NULL iff the flash is working on inflight's operation (and owns its
 *    buffer); then inflight->state is INFLIGHT and no other device is INFLIGHT.
 *  - A device in VIRTUAL_FLASH_REPORT has mux->report set; its callback comes from report().
 */
#include "capsules/virtual_flash.h"

#include "container.h"

/* The device a node of mux->devices is, or NULL for none. */
static struct virtual_flash *device_of(struct list_node *node)
{
    return node == NULL ? NULL : CONTAINER_OF(node, struct virtual_flash, node);
}

static bool is_queued(const struct list_node *node, void *ctx)
{
    (void)ctx;
    return CONTAINER_OF(node, const struct virtual_flash, node)->state == VIRTUAL_FLASH_QUEUED;
}

static struct virtual_flash *pick_next(struct mux_flash *mux)
{
    return device_of(list_round_robin(&mux->devices, is_queued, NULL));
}

static err_t start_operation(struct mux_flash *mux, struct virtual_flash *v)
{
    switch (v->operation) {
    case VIRTUAL_FLASH_READ:
        return hil_flash_read_page(mux->hw, v->page, v->buf, v->len);
    case VIRTUAL_FLASH_WRITE:
        return hil_flash_write_page(mux->hw, v->page, v->buf, v->len);
    case VIRTUAL_FLASH_ERASE:
    default:
        return hil_flash_erase_page(mux->hw, v->page);
    }
}

static void start_next(struct mux_flash *mux)
{
    struct virtual_flash *v = mux->inflight == NULL ? pick_next(mux) : NULL;
    if (v == NULL) {
        return;
    }
    list_set_cursor(&mux->devices, &v->node);
    err_t err = start_operation(mux, v);
    if (err == ERR_OK) {
        v->state = VIRTUAL_FLASH_INFLIGHT;
        mux->inflight = v;
    } else {
        v->state = VIRTUAL_FLASH_REPORT; /* reported later, never inside a downcall */
        v->failure = err;
        deferred_call_set(&mux->report);
    }
}

static err_t queue(struct virtual_flash *v, enum virtual_flash_operation operation,
                   uint32_t page, uint8_t *buf, size_t len)
{
    const struct hil_flash_geometry *g = &v->mux->geometry;
    if (v->state != VIRTUAL_FLASH_IDLE) {
        return ERR_BUSY;
    }
    if (page >= g->page_count) {
        return ERR_INVAL;
    }
    if (operation == VIRTUAL_FLASH_ERASE) {
        if (page % g->erase_pages != 0) {
            return ERR_INVAL;
        }
    } else if (buf == NULL || len != g->page_size) {
        return ERR_SIZE;
    }
    v->operation = operation;
    v->page = page;
    v->buf = buf;
    v->len = len;
    v->state = VIRTUAL_FLASH_QUEUED;
    start_next(v->mux);
    return ERR_OK;
}

static struct hil_flash_geometry virtual_flash_geometry(struct hil_flash *flash)
{
    return CONTAINER_OF(flash, struct virtual_flash, flash)->mux->geometry;
}

static err_t virtual_flash_read_page(struct hil_flash *flash, uint32_t page, uint8_t *buf,
                                     size_t len)
{
    return queue(CONTAINER_OF(flash, struct virtual_flash, flash), VIRTUAL_FLASH_READ, page, buf,
                 len);
}

static err_t virtual_flash_write_page(struct hil_flash *flash, uint32_t page, uint8_t *buf,
                                      size_t len)
{
    return queue(CONTAINER_OF(flash, struct virtual_flash, flash), VIRTUAL_FLASH_WRITE, page,
                 buf, len);
}

static err_t virtual_flash_erase_page(struct hil_flash *flash, uint32_t page)
{
    return queue(CONTAINER_OF(flash, struct virtual_flash, flash), VIRTUAL_FLASH_ERASE, page,
                 NULL, 0);
}

static void deliver(struct virtual_flash *v, err_t status)
{
    uint8_t *buf = v->buf;
    size_t len = v->len;
    enum virtual_flash_operation operation = v->operation;
    v->buf = NULL;
    v->state = VIRTUAL_FLASH_IDLE;
    switch (operation) { /* v may queue again from its callback */
    case VIRTUAL_FLASH_READ:
        hil_flash_read_done(&v->flash, buf, len, status);
        break;
    case VIRTUAL_FLASH_WRITE:
        hil_flash_write_done(&v->flash, buf, len, status);
        break;
    case VIRTUAL_FLASH_ERASE:
    default:
        hil_flash_erase_done(&v->flash, status);
        break;
    }
}

/* The flash finished the in-flight operation; `buf` is what it hands back (NULL for erase). */
static void finish(struct mux_flash *mux, uint8_t *buf, err_t status)
{
    struct virtual_flash *v = mux->inflight;
    if (v == NULL) {
        return; /* not ours: nothing was asked */
    }
    mux->inflight = NULL;
    if (buf != NULL) {
        v->buf = buf;
    }
    deliver(v, status);
    start_next(mux); /* the cursor puts a device that re-queued behind the others */
}

static void mux_flash_read_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                                err_t status)
{
    (void)len;
    finish(CONTAINER_OF(client, struct mux_flash, hw_client), buf, status);
}

static void mux_flash_write_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                                 err_t status)
{
    (void)len;
    finish(CONTAINER_OF(client, struct mux_flash, hw_client), buf, status);
}

static void mux_flash_erase_done(struct hil_flash_client *client, err_t status)
{
    finish(CONTAINER_OF(client, struct mux_flash, hw_client), NULL, status);
}

static void report(void *ctx)
{
    struct mux_flash *mux = ctx;
    for (struct virtual_flash *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (v->state == VIRTUAL_FLASH_REPORT) {
            deliver(v, v->failure);
        }
    }
    start_next(mux);
}

static const struct hil_flash_ops virtual_flash_ops = {
    .geometry = virtual_flash_geometry,
    .read_page = virtual_flash_read_page,
    .write_page = virtual_flash_write_page,
    .erase_page = virtual_flash_erase_page,
};
static const struct hil_flash_client_ops mux_flash_client_ops = {
    .read_done = mux_flash_read_done,
    .write_done = mux_flash_write_done,
    .erase_done = mux_flash_erase_done,
};

err_t mux_flash_init(struct mux_flash *mux, struct hil_flash *hw)
{
    *mux = (struct mux_flash){
        .hw_client = { .ops = &mux_flash_client_ops },
        .hw = hw,
        .geometry = hil_flash_geometry(hw),
        .devices = { .head = NULL, .tail = NULL, .cursor = NULL },
        .inflight = NULL,
    };
    const struct hil_flash_geometry *g = &mux->geometry;
    if (g->page_size == 0 || g->erase_pages == 0 || g->page_count % g->erase_pages != 0) {
        return ERR_INVAL;
    }
    hil_flash_set_client(hw, &mux->hw_client);
    return deferred_call_register(&mux->report, report, mux);
}

void virtual_flash_init(struct virtual_flash *v, struct mux_flash *mux)
{
    *v = (struct virtual_flash){
        .flash = { .ops = &virtual_flash_ops, .client = NULL },
        .mux = mux,
        .state = VIRTUAL_FLASH_IDLE,
        .operation = VIRTUAL_FLASH_READ,
        .page = 0,
        .buf = NULL,
        .len = 0,
        .failure = ERR_OK,
    };
    list_append(&mux->devices, &v->node);
}
