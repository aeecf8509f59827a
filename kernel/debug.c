/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Kernel debug output ring (see debug.h).
 *
 * Invariants: ring[tail..head) (mod DEBUG_RING_SIZE) holds unsent bytes; head - tail <= size.
 * Only the kernel thread writes the ring; a panic reads it with interrupts off.
 */
#include "kernel/debug.h"

#include "format.h"
#include "noinit.h"
#include "kernel/arch.h"

#include <stdbool.h>

#define DEBUG_RING_SIZE 8192u

static NOINIT char ring[DEBUG_RING_SIZE]; /* only ring[tail..head) is ever read */
static uint32_t head;
static uint32_t tail;
static uint32_t dropped;
static struct debug_sink *sink;
static void (*panic_putc)(char c);
static void (*panic_exit)(void);

static void ring_putc(void *ctx, char c)
{
    (void)ctx;
    if (head - tail >= DEBUG_RING_SIZE) {
        dropped++;
        return;
    }
    ring[head % DEBUG_RING_SIZE] = c;
    head++;
}

static void kick(void)
{
    if (sink != NULL) {
        sink->ops->kick(sink);
    }
}

void debug_vprintf(const char *fmt, va_list args)
{
    format_v(ring_putc, NULL, fmt, args);
    kick();
}

void debug_printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    debug_vprintf(fmt, args);
    va_end(args);
}

void debug_write(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        ring_putc(NULL, text[i]);
    }
    kick();
}

void debug_set_sink(struct debug_sink *new_sink)
{
    sink = new_sink;
}

size_t debug_take(uint8_t *dst, size_t max)
{
    /* The unsent bytes are one run up to the ring's end and one from its start: two copies
     * rather than a modulo per byte (every boot line passes through here). */
    uint32_t n = head - tail; /* <= DEBUG_RING_SIZE */
    if (n > max) {
        n = (uint32_t)max;
    }
    uint32_t at = tail % DEBUG_RING_SIZE;
    uint32_t first = n < DEBUG_RING_SIZE - at ? n : DEBUG_RING_SIZE - at;
    __builtin_memcpy(dst, &ring[at], first);
    __builtin_memcpy(dst + first, ring, n - first);
    tail += n;
    return n;
}

size_t debug_whole_lines(size_t max)
{
    uint32_t pending = head - tail;
    if (pending <= max) {
        return 0; /* all of it fits: nothing a later byte would complete is cut */
    }
    /* Searched in the ring, run by run from the newest, so that what stays is never copied
     * twice; most lines are shorter than a take, so the search is short. */
    uint32_t n = (uint32_t)max;
    uint32_t at = tail % DEBUG_RING_SIZE;
    uint32_t first = n < DEBUG_RING_SIZE - at ? n : DEBUG_RING_SIZE - at;
    for (const char *c = &ring[n - first]; c != ring;) {
        if (*--c == '\n') {
            return first + (uint32_t)(c - ring) + 1u;
        }
    }
    const char *run = &ring[at];
    for (const char *c = run + first; c != run;) {
        if (*--c == '\n') {
            return (uint32_t)(c - run) + 1u;
        }
    }
    return 0;
}

uint32_t debug_take_dropped(void)
{
    uint32_t n = dropped;
    dropped = 0;
    return n;
}

void debug_set_panic_putc(void (*putc)(char c))
{
    panic_putc = putc;
}

void debug_set_panic_exit(void (*exit_failure)(void))
{
    panic_exit = exit_failure;
}

static void panic_puts(const char *s)
{
    while (*s != '\0') {
        panic_putc(*s++);
    }
}

/* Write out what the ring still holds through the synchronous output (a panic, a reset). */
static void flush_sync(void)
{
    while (tail != head) {
        panic_putc(ring[tail % DEBUG_RING_SIZE]);
        tail++;
    }
}

void debug_flush_sync(void)
{
    if (panic_putc != NULL) {
        flush_sync();
    }
}

void kernel_panic(const char *message)
{
    if (panic_putc != NULL) {
        flush_sync();
        panic_puts("\r\n*** kernel panic: ");
        panic_puts(message);
        panic_puts("\r\n");
    }
    if (panic_exit != NULL) {
        panic_exit();
    }
    arch_halt();
}
