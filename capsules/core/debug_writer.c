/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Debug writer: drains the kernel debug ring to a UART, one buffer at a time.
 *
 * debug_printf() appends to the ring and kicks this sink. When the writer's buffer is free it
 * takes as much as fits out of the ring, up to the last whole line among it (debug_take_lines),
 * and transmits it; each transmitted() callback takes the next piece, until the ring is empty.
 * The UART mux serves each transmission whole, so kernel lines go out whole between other
 * clients' transmissions (the process console's answers, fault dumps); only a line with no
 * end in reach (a prompt, an echo, a line longer than the buffer) goes out as it is. Bytes the ring dropped because it was
 * full (debug_take_dropped), and bytes the UART failed to send, are reported by a note
 * "[debug: N bytes dropped]\n" placed right after the bytes that were in the ring when the
 * loss was noticed, once the ring has been drained that far (the ring drops the newest bytes,
 * so that is where they were lost).
 *
 * Usage: see capsules/debug_writer.h.
 *
 * Invariants: buf == NULL iff the UART owns it (one transmission at a time); `dropped` counts
 * lost bytes not yet reported; the writer never waits and never calls debug_printf itself.
 */
#include "capsules/debug_writer.h"

#include "container.h"
#include "format.h"

static void drain(struct debug_writer *writer)
{
    if (writer->buf == NULL) {
        return; /* transmitted() drains the rest */
    }
    writer->dropped += debug_take_dropped();
    size_t len = debug_take_lines(writer->buf, writer->buf_len);
    if (writer->dropped > 0 && len < writer->buf_len) {
        /* The ring is empty: report the loss now if the note fits after the data. */
        size_t room = writer->buf_len - len;
        size_t note = format_to_buffer((char *)writer->buf + len, room,
                                       "[debug: %lu bytes dropped]\n",
                                       (unsigned long)writer->dropped);
        if (note < room) { /* format_to_buffer also wrote a NUL that is not sent */
            len += note;
            writer->dropped = 0;
        }
    }
    if (len == 0) {
        return;
    }
    err_t err = hil_uart_tx_transmit(writer->tx, writer->buf, len);
    if (err == ERR_OK) {
        writer->buf = NULL;
        writer->lent_len = len;
    } else {
        writer->dropped += (uint32_t)len; /* retried at the next kick, not in a loop */
    }
}

static void debug_writer_kick(struct debug_sink *sink)
{
    drain(CONTAINER_OF(sink, struct debug_writer, sink));
}

static void debug_writer_transmitted(struct hil_uart_tx_client *client, uint8_t *buf, size_t len,
                                     err_t status)
{
    struct debug_writer *writer = CONTAINER_OF(client, struct debug_writer, tx_client);
    (void)status; /* a failure shows as fewer bytes sent than lent */
    if (len < writer->lent_len) {
        writer->dropped += (uint32_t)(writer->lent_len - len);
    }
    writer->buf = buf;
    drain(writer);
}

static const struct debug_sink_ops debug_writer_sink_ops = {
    .kick = debug_writer_kick,
};
static const struct hil_uart_tx_client_ops debug_writer_tx_client_ops = {
    .transmitted = debug_writer_transmitted,
};

err_t debug_writer_init(struct debug_writer *writer, struct hil_uart_tx *tx, uint8_t *buf,
                        size_t buf_len)
{
    if (buf == NULL || buf_len < DEBUG_WRITER_MIN_BUF_LEN) {
        return ERR_SIZE;
    }
    *writer = (struct debug_writer){
        .sink = { .ops = &debug_writer_sink_ops },
        .tx_client = { .ops = &debug_writer_tx_client_ops },
        .tx = tx,
        .buf = buf,
        .buf_len = buf_len,
        .lent_len = 0,
        .dropped = 0,
    };
    hil_uart_tx_set_client(tx, &writer->tx_client);
    debug_set_sink(&writer->sink);
    drain(writer);
    return ERR_OK;
}
