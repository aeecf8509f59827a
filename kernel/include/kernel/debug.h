/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Kernel debug output: a ring buffer drained asynchronously by a sink (the debug writer capsule).
 *
 * debug_printf never blocks and never calls back: it appends to the ring and kicks the sink,
 * which drains it from the kernel loop. When the ring is full the newest bytes are dropped and
 * counted; the sink prints the count. kernel_panic() bypasses the ring and writes synchronously.
 *
 * Usage: debug_printf("process %s faulted\n", name);
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct debug_sink;
struct debug_sink_ops {
    void (*kick)(struct debug_sink *sink); /* new data is in the ring; start draining if idle */
};
struct debug_sink {
    const struct debug_sink_ops *ops;
};

/* Formats: %% %c %s %d %i %u %x %X %p, with optional '0', width and 'l' (ignored). */
void debug_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void debug_vprintf(const char *fmt, va_list args);
/* Append raw bytes (console data or already formatted text). */
void debug_write(const char *text, size_t len);

/* The sink: set once by the board. */
void debug_set_sink(struct debug_sink *sink);
/* Move up to `max` pending bytes out of the ring into dst; returns how many. */
size_t debug_take(uint8_t *dst, size_t max);
/* When more than `max` bytes are pending: how many of the oldest `max` run up to the last line
 * end among them (0 if none). 0 when all that is pending fits in `max`. */
size_t debug_whole_lines(size_t max);
/* debug_take, ending after the last line end among those bytes when more are pending than
 * `max` (debug_whole_lines), so what the sink sends goes out in whole lines; the rest stays for
 * the next take. With no line end within `max` bytes (a line longer than max) it takes them
 * all; when everything pending fits, it takes everything (a prompt or an echo goes out at
 * once). In kernel/debug_lines.c; kernels whose output need not keep lines whole (CONFIG=core:
 * no process console) link kernel/debug_lines_none.c, where it is debug_take. */
size_t debug_take_lines(uint8_t *dst, size_t max);
/* Bytes dropped since the last call (and reset the counter). */
uint32_t debug_take_dropped(void);

/* Synchronous output for panics: set once by the board. */
void debug_set_panic_putc(void (*putc)(char c));
/* The last step of a panic, after its message: set once by the board. A board under an
 * emulator passes a function that ends the emulator with a failure status (the QEMU boards:
 * semihosting's exit, virt's test finisher), so `make run` and the tests see the panic in the
 * exit status. Without one, or if it returns, the panic halts the machine (arch_halt). */
void debug_set_panic_exit(void (*exit_failure)(void));

/* Write everything still in the ring through the synchronous panic output, waiting for the
 * UART: only right before the machine stops (a reset), when the sink will never send it. */
void debug_flush_sync(void);

/* A kernel bug: print everything still in the ring and the message, then call the panic exit
 * and halt. */
__attribute__((noreturn)) void kernel_panic(const char *message);
