/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake kernel debug output (see fake_debug.h).
 *
 * Usage: see fake_debug.h.
 *
 * Invariants: ring[head..head+ring_len) modulo capacity holds the pending bytes in order.
 */
#include "fake_debug.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>

#include <cmocka.h>

#include "format.h"

static uint8_t ring[FAKE_DEBUG_RING_MAX];
static size_t capacity = FAKE_DEBUG_RING_MAX;
static size_t head;
static size_t ring_len;
static uint32_t dropped;
static char log_text[FAKE_DEBUG_LOG_MAX + 1];
static size_t log_len;
static struct debug_sink *sink;
static unsigned kicks;

void fake_debug_reset(size_t new_capacity)
{
    capacity = new_capacity <= FAKE_DEBUG_RING_MAX && new_capacity > 0 ? new_capacity
                                                                       : FAKE_DEBUG_RING_MAX;
    head = 0;
    ring_len = 0;
    dropped = 0;
    log_text[0] = '\0';
    log_len = 0;
    sink = NULL;
    kicks = 0;
}

const char *fake_debug_log(void)
{
    return log_text;
}

size_t fake_debug_pending(void)
{
    return ring_len;
}

unsigned fake_debug_kicks(void)
{
    return kicks;
}

void debug_write(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (log_len < FAKE_DEBUG_LOG_MAX) {
            log_text[log_len++] = text[i];
        }
        if (ring_len < capacity) {
            ring[(head + ring_len) % capacity] = (uint8_t)text[i];
            ring_len++;
        } else {
            dropped++;
        }
    }
    log_text[log_len] = '\0';
    if (sink != NULL) {
        kicks++;
        sink->ops->kick(sink);
    }
}

void debug_vprintf(const char *fmt, va_list args)
{
    char text[512];
    size_t len = format_to_buffer_v(text, sizeof text, fmt, args);
    debug_write(text, len < sizeof text ? len : sizeof text - 1);
}

void debug_printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    debug_vprintf(fmt, args);
    va_end(args);
}

void debug_set_sink(struct debug_sink *new_sink)
{
    sink = new_sink;
}

size_t debug_take(uint8_t *dst, size_t max)
{
    size_t n = 0;
    while (n < max && ring_len > 0) {
        dst[n++] = ring[head];
        head = (head + 1) % capacity;
        ring_len--;
    }
    return n;
}

size_t debug_take_lines(uint8_t *dst, size_t max)
{
    size_t n = 0;
    size_t at = head;
    while (n < max && n < ring_len) {
        dst[n] = ring[at];
        at = (at + 1) % capacity;
        n++;
    }
    size_t whole = n < ring_len ? n : 0;
    while (whole > 0 && dst[whole - 1] != '\n') {
        whole--;
    }
    if (whole == 0) {
        whole = n;
    }
    head = (head + whole) % capacity;
    ring_len -= whole;
    return whole;
}

uint32_t debug_take_dropped(void)
{
    uint32_t count = dropped;
    dropped = 0;
    return count;
}

void debug_set_panic_putc(void (*putc)(char c))
{
    (void)putc;
}

void debug_set_panic_exit(void (*exit_failure)(void))
{
    (void)exit_failure;
}

void kernel_panic(const char *message)
{
    fail_msg("kernel_panic: %s", message);
    abort();
}
