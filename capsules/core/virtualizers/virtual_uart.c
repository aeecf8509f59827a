/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * UART virtualizer: a mux over one hardware UART and its virtual devices.
 *
 * Transmit: each device may have one transmission outstanding. The mux keeps the hardware busy
 * with one device's buffer at a time and, when it finishes, starts the next queued device after
 * the one served last, so a client that queues again from its own callback goes behind the
 * others; except that a device whose transmission ended inside a line and that queues the
 * rest from its callback continues first, up to MUX_UART_LINE_MAX bytes of the line, so lines
 * sent in pieces are not split by other devices' output. A hardware refusal is reported to the
 * device from the mux's deferred call, never inside the client's call.
 *
 * Receive: the hardware receives into the mux's own buffer, sized for the shortest outstanding
 * virtual reception; every byte that arrives is copied to every device receiving at that time.
 * A device whose reception is complete (or aborted) gets its callback, and the hardware is
 * restarted for whatever is still outstanding. A device that starts a shorter reception while
 * the hardware is busy makes the mux abort the hardware reception so that it can be resized;
 * the bytes already received are still delivered.
 *
 * Usage: see capsules/virtual_uart.h.
 *
 * Invariants:
 *  - mux->inflight != NULL iff the hardware owns inflight->tx_buf; then inflight->tx_state is
 *    INFLIGHT and no other device is INFLIGHT.
 *  - mux->rx_buf == NULL iff the hardware owns the mux's receive buffer or its received()
 *    callback is running (is_completing_rx); outside the callback, a hardware completion is due.
 *  - A device in a REPORT state has mux->report set; its callback comes from report().
 *  - A device in RX_RECEIVING has a hardware reception in progress, or one is started when the
 *    callback being delivered (is_completing_rx) returns.
 */
#include "capsules/virtual_uart.h"

#include "container.h"

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* ---------------------------------------------------------------- transmit */

/* The device a node of mux->devices is, or NULL for none. */
static struct virtual_uart *device_of(struct list_node *node)
{
    return node == NULL ? NULL : CONTAINER_OF(node, struct virtual_uart, node);
}

static bool is_queued(const struct list_node *node, void *ctx)
{
    (void)ctx;
    return CONTAINER_OF(node, const struct virtual_uart, node)->tx_state == VIRTUAL_UART_TX_QUEUED;
}

static struct virtual_uart *pick_next(struct mux_uart *mux)
{
    return device_of(list_round_robin(&mux->devices, is_queued, NULL));
}

/* The device with a line open if it has queued its continuation, else round robin. */
static void start_next(struct mux_uart *mux)
{
    if (mux->inflight != NULL) {
        return;
    }
    struct virtual_uart *v = mux->open_line;
    if (v == NULL || v->tx_state != VIRTUAL_UART_TX_QUEUED) {
        mux->open_line = NULL;
        v = pick_next(mux);
    }
    if (v == NULL) {
        return;
    }
    list_set_cursor(&mux->devices, &v->node);
    err_t err = hil_uart_tx_transmit(mux->hw_tx, v->tx_buf, v->tx_len);
    if (err == ERR_OK) {
        v->tx_state = VIRTUAL_UART_TX_INFLIGHT;
        mux->inflight = v;
    } else {
        v->tx_state = VIRTUAL_UART_TX_REPORT; /* reported later, never inside a downcall */
        v->tx_status = err;
        deferred_call_set(&mux->report);
    }
}

static err_t virtual_uart_transmit(struct hil_uart_tx *tx, uint8_t *buf, size_t len)
{
    struct virtual_uart *v = CONTAINER_OF(tx, struct virtual_uart, tx);
    if (v->tx_state != VIRTUAL_UART_TX_IDLE) {
        return ERR_BUSY;
    }
    if (buf == NULL || len == 0) {
        return ERR_SIZE;
    }
    v->tx_buf = buf;
    v->tx_len = len;
    v->tx_state = VIRTUAL_UART_TX_QUEUED;
    start_next(v->mux);
    return ERR_OK;
}

static err_t virtual_uart_transmit_abort(struct hil_uart_tx *tx)
{
    struct virtual_uart *v = CONTAINER_OF(tx, struct virtual_uart, tx);
    switch (v->tx_state) {
    case VIRTUAL_UART_TX_QUEUED:
        v->tx_state = VIRTUAL_UART_TX_REPORT;
        v->tx_status = ERR_CANCEL;
        deferred_call_set(&v->mux->report);
        return ERR_OK;
    case VIRTUAL_UART_TX_INFLIGHT: {
        /* Whatever the hardware answers, its transmitted() callback is still due. */
        err_t ignored = hil_uart_tx_abort(v->mux->hw_tx);
        (void)ignored;
        return ERR_OK;
    }
    case VIRTUAL_UART_TX_IDLE:
    case VIRTUAL_UART_TX_REPORT:
    default:
        return ERR_ALREADY;
    }
}

static void deliver_tx(struct virtual_uart *v, size_t len, err_t status)
{
    uint8_t *buf = v->tx_buf;
    v->tx_buf = NULL;
    v->tx_state = VIRTUAL_UART_TX_IDLE;
    hil_uart_tx_done(&v->tx, buf, len, status); /* v may queue again from its callback */
}

static void mux_uart_transmitted(struct hil_uart_tx_client *client, uint8_t *buf, size_t len,
                                 err_t status)
{
    struct mux_uart *mux = CONTAINER_OF(client, struct mux_uart, hw_tx_client);
    struct virtual_uart *v = mux->inflight;
    if (v == NULL) {
        return; /* not ours: nothing was lent */
    }
    mux->inflight = NULL;
    v->tx_buf = buf;
    /* A transmission that ended inside a line keeps the line open for v, within the limit. */
    mux->open_line_len = (mux->open_line == v ? mux->open_line_len : 0u) + len;
    mux->open_line = status == ERR_OK && len > 0 && buf[len - 1] != '\n' &&
                             mux->open_line_len < MUX_UART_LINE_MAX
                         ? v
                         : NULL;
    deliver_tx(v, len, status);
    /* v continues an open line first if it queued the next piece from its callback; otherwise
     * the cursor puts a device that re-queued behind the others. */
    start_next(mux);
}

/* ---------------------------------------------------------------- receive */

/* Start a hardware reception sized for the shortest outstanding one, or report its refusal. */
static void restart_rx(struct mux_uart *mux)
{
    size_t shortest = mux->rx_buf_len;
    bool is_wanted = false;
    for (struct virtual_uart *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (v->rx_state == VIRTUAL_UART_RX_RECEIVING) {
            shortest = min_size(shortest, v->rx_len - v->rx_position);
            is_wanted = true;
        }
    }
    if (!is_wanted) {
        return;
    }
    err_t err = hil_uart_rx_receive(mux->hw_rx, mux->rx_buf, shortest);
    if (err == ERR_OK) {
        mux->rx_buf = NULL;
        mux->rx_hw_len = shortest;
        return;
    }
    for (struct virtual_uart *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (v->rx_state == VIRTUAL_UART_RX_RECEIVING) {
            v->rx_state = VIRTUAL_UART_RX_REPORT;
            v->rx_status = err;
        }
    }
    deferred_call_set(&mux->report);
}

static err_t virtual_uart_receive(struct hil_uart_rx *rx, uint8_t *buf, size_t len)
{
    struct virtual_uart *v = CONTAINER_OF(rx, struct virtual_uart, rx);
    struct mux_uart *mux = v->mux;
    if (v->rx_state != VIRTUAL_UART_RX_IDLE) {
        return ERR_BUSY;
    }
    if (buf == NULL || len == 0) {
        return ERR_SIZE;
    }
    if (mux->is_completing_rx) {
        /* received() restarts the hardware once every callback has returned. */
    } else if (mux->rx_buf != NULL) {
        size_t hw_len = min_size(len, mux->rx_buf_len);
        err_t err = hil_uart_rx_receive(mux->hw_rx, mux->rx_buf, hw_len);
        if (err != ERR_OK) {
            return err;
        }
        mux->rx_buf = NULL;
        mux->rx_hw_len = hw_len;
    } else if (len < mux->rx_hw_len && !mux->is_rx_abort_asked) {
        /* The hardware waits for more than this device wants: stop it and resize. */
        mux->is_rx_abort_asked = hil_uart_rx_abort(mux->hw_rx) == ERR_OK;
    }
    v->rx_buf = buf;
    v->rx_len = len;
    v->rx_position = 0;
    v->rx_in_batch = false;
    v->rx_state = VIRTUAL_UART_RX_RECEIVING;
    return ERR_OK;
}

static err_t virtual_uart_receive_abort(struct hil_uart_rx *rx)
{
    struct virtual_uart *v = CONTAINER_OF(rx, struct virtual_uart, rx);
    struct mux_uart *mux = v->mux;
    if (v->rx_state != VIRTUAL_UART_RX_RECEIVING) {
        return ERR_ALREADY;
    }
    v->rx_state = VIRTUAL_UART_RX_ABORTING;
    if (mux->is_completing_rx) {
        /* received() reports it once the callback in progress returns. */
    } else if (mux->rx_buf == NULL) {
        /* Stopping the hardware hands over the bytes received so far. If it refuses, its
         * completion is due anyway, and that completion reports the abort. */
        if (!mux->is_rx_abort_asked) {
            mux->is_rx_abort_asked = hil_uart_rx_abort(mux->hw_rx) == ERR_OK;
        }
    } else {
        v->rx_state = VIRTUAL_UART_RX_REPORT;
        v->rx_status = ERR_CANCEL;
        deferred_call_set(&mux->report);
    }
    return ERR_OK;
}

static void deliver_rx(struct virtual_uart *v, err_t status)
{
    uint8_t *buf = v->rx_buf;
    v->rx_buf = NULL;
    v->rx_state = VIRTUAL_UART_RX_IDLE;
    v->rx_in_batch = false;
    hil_uart_rx_done(&v->rx, buf, v->rx_position, status);
}

static bool is_rx_outstanding(const struct virtual_uart *v)
{
    return v->rx_state == VIRTUAL_UART_RX_RECEIVING || v->rx_state == VIRTUAL_UART_RX_ABORTING;
}

static void mux_uart_received(struct hil_uart_rx_client *client, uint8_t *buf, size_t len,
                              err_t status)
{
    struct mux_uart *mux = CONTAINER_OF(client, struct mux_uart, hw_rx_client);
    bool is_hw_error = status != ERR_OK && status != ERR_CANCEL;
    mux->is_completing_rx = true;
    mux->is_rx_abort_asked = false;

    /* Copy first: callbacks below may start new receptions, which must not get these bytes. */
    for (struct virtual_uart *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (is_rx_outstanding(v)) {
            size_t n = min_size(len, v->rx_len - v->rx_position);
            for (size_t i = 0; i < n; i++) {
                v->rx_buf[v->rx_position + i] = buf[i];
            }
            v->rx_position += n;
            v->rx_in_batch = true;
        }
    }
    for (struct virtual_uart *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (!v->rx_in_batch || !is_rx_outstanding(v)) {
            continue;
        }
        if (v->rx_position == v->rx_len) {
            deliver_rx(v, ERR_OK);
        } else if (is_hw_error) {
            deliver_rx(v, status);
        } else if (v->rx_state == VIRTUAL_UART_RX_ABORTING) {
            deliver_rx(v, ERR_CANCEL);
        } else {
            v->rx_in_batch = false; /* still receiving */
        }
    }

    mux->rx_buf = buf;
    mux->is_completing_rx = false;
    /* Receptions started and aborted inside the callbacks above never reached the hardware. */
    for (struct virtual_uart *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (v->rx_state == VIRTUAL_UART_RX_ABORTING) {
            v->rx_state = VIRTUAL_UART_RX_REPORT;
            v->rx_status = ERR_CANCEL;
            deferred_call_set(&mux->report);
        }
    }
    restart_rx(mux);
}

/* ---------------------------------------------------------------- reports */

static void report(void *ctx)
{
    struct mux_uart *mux = ctx;
    for (struct virtual_uart *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (v->tx_state == VIRTUAL_UART_TX_REPORT) {
            deliver_tx(v, 0, v->tx_status);
        }
        if (v->rx_state == VIRTUAL_UART_RX_REPORT) {
            deliver_rx(v, v->rx_status);
        }
    }
    start_next(mux);
}

static const struct hil_uart_tx_ops virtual_uart_tx_ops = {
    .transmit = virtual_uart_transmit,
    .abort = virtual_uart_transmit_abort,
};
static const struct hil_uart_rx_ops virtual_uart_rx_ops = {
    .receive = virtual_uart_receive,
    .abort = virtual_uart_receive_abort,
};
static const struct hil_uart_tx_client_ops mux_uart_tx_client_ops = {
    .transmitted = mux_uart_transmitted,
};
static const struct hil_uart_rx_client_ops mux_uart_rx_client_ops = {
    .received = mux_uart_received,
};

err_t mux_uart_init(struct mux_uart *mux, struct hil_uart_tx *hw_tx, struct hil_uart_rx *hw_rx,
                    uint8_t *rx_buf, size_t rx_buf_len)
{
    if (rx_buf == NULL || rx_buf_len == 0) {
        return ERR_SIZE;
    }
    *mux = (struct mux_uart){
        .hw_tx_client = { .ops = &mux_uart_tx_client_ops },
        .hw_rx_client = { .ops = &mux_uart_rx_client_ops },
        .hw_tx = hw_tx,
        .hw_rx = hw_rx,
        .devices = { .head = NULL, .tail = NULL, .cursor = NULL },
        .inflight = NULL,
        .rx_buf = rx_buf,
        .rx_buf_len = rx_buf_len,
        .rx_hw_len = 0,
        .is_completing_rx = false,
        .is_rx_abort_asked = false,
    };
    hil_uart_tx_set_client(hw_tx, &mux->hw_tx_client);
    hil_uart_rx_set_client(hw_rx, &mux->hw_rx_client);
    return deferred_call_register(&mux->report, report, mux);
}

void virtual_uart_init(struct virtual_uart *v, struct mux_uart *mux)
{
    *v = (struct virtual_uart){
        .tx = { .ops = &virtual_uart_tx_ops, .client = NULL },
        .rx = { .ops = &virtual_uart_rx_ops, .client = NULL },
        .mux = mux,
        .tx_state = VIRTUAL_UART_TX_IDLE,
        .rx_state = VIRTUAL_UART_RX_IDLE,
    };
    list_append(&mux->devices, &v->node);
}
