/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the kernel debug ring (kernel/debug.c): what debug_printf/debug_write append
 * comes out of debug_take in order and exactly once, in pieces of any size and across the
 * ring's wrap; a full ring drops the newest bytes and counts them. A panic prints what the ring
 * still holds and its message, then calls the board's panic exit, then halts.
 *
 * Usage: make build/host/debug_test build/host-san/debug_test && build/host/debug_test
 *
 * Invariants: the ring is one static object for the whole run, so every test starts by
 * draining it (empty_ring) and leaves the drop counter at zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/fake_arch.h"
#include "kernel/debug.h"

#define RING_SIZE 8192u /* DEBUG_RING_SIZE */

static uint8_t out[2 * RING_SIZE];

static void empty_ring(void)
{
    while (debug_take(out, sizeof out) != 0) {
    }
    (void)debug_take_dropped();
}

/* Append `len` bytes counting up from `first` (mod 251, so runs never line up with 2^n). */
static void write_pattern(uint32_t first, size_t len)
{
    char chunk[256];
    size_t done = 0;
    while (done < len) {
        size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        for (size_t i = 0; i < n; i++) {
            chunk[i] = (char)((first + done + i) % 251u);
        }
        debug_write(chunk, n);
        done += n;
    }
}

static void expect_pattern(const uint8_t *bytes, uint32_t first, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(bytes[i], (first + i) % 251u);
    }
}

static void test_printf_output_is_taken_in_order(void **state)
{
    (void)state;
    empty_ring();
    debug_printf("load: %u of %u apps running\n", 8u, 11u);
    size_t n = debug_take(out, sizeof out);
    assert_int_equal(n, strlen("load: 8 of 11 apps running\n"));
    assert_memory_equal(out, "load: 8 of 11 apps running\n", n);
    assert_int_equal(debug_take(out, sizeof out), 0);
}

/* Small takes return the oldest bytes first and never more than asked. */
static void test_takes_smaller_than_the_data_come_in_order(void **state)
{
    (void)state;
    empty_ring();
    write_pattern(0, 1000);
    size_t got = 0;
    while (got < 1000) {
        size_t n = debug_take(out + got, 7);
        assert_true(n >= 1 && n <= 7);
        got += n;
    }
    expect_pattern(out, 0, 1000);
    assert_int_equal(debug_take(out, sizeof out), 0);
}

/* Data that crosses the end of the ring comes out whole, in one take or in pieces that end
 * anywhere around the wrap. */
static void test_data_across_the_wrap_comes_out_whole(void **state)
{
    (void)state;
    for (size_t piece = 1; piece <= 300; piece += 37) {
        empty_ring();
        write_pattern(0, RING_SIZE - 100); /* move the ring's cursors near its end */
        assert_int_equal(debug_take(out, sizeof out), RING_SIZE - 100);
        write_pattern(5, 400); /* 100 bytes before the wrap, 300 after */
        size_t got = 0;
        size_t n;
        while ((n = debug_take(out + got, piece)) != 0) {
            assert_true(n <= piece);
            got += n;
        }
        assert_int_equal(got, 400);
        expect_pattern(out, 5, 400);
    }
}

/* A full ring keeps the oldest RING_SIZE bytes and counts the rest as dropped. */
static void test_a_full_ring_drops_the_newest_bytes_and_counts_them(void **state)
{
    (void)state;
    empty_ring();
    write_pattern(0, 3000); /* start mid-ring so the full ring wraps */
    assert_int_equal(debug_take(out, 3000), 3000);
    write_pattern(1, RING_SIZE + 123);
    assert_int_equal(debug_take_dropped(), 123);
    assert_int_equal(debug_take_dropped(), 0);
    assert_int_equal(debug_take(out, sizeof out), RING_SIZE);
    expect_pattern(out, 1, RING_SIZE);
    assert_int_equal(debug_take(out, sizeof out), 0);
}

static void test_take_of_nothing_returns_zero(void **state)
{
    (void)state;
    empty_ring();
    write_pattern(0, 10);
    assert_int_equal(debug_take(out, 0), 0);
    assert_int_equal(debug_take(out, sizeof out), 10);
    assert_int_equal(debug_take(out, sizeof out), 0);
}

/* debug_take_lines ends after the last line end within reach when more is pending, takes a run
 * with none whole, and takes everything when everything fits; what it leaves comes next. */
static void test_take_lines_ends_at_the_last_whole_line(void **state)
{
    (void)state;
    empty_ring();
    debug_write("one\ntwo\nthr", 11);
    assert_int_equal(debug_take_lines(out, 10), 8);
    assert_memory_equal(out, "one\ntwo\n", 8);
    assert_int_equal(debug_take_lines(out, sizeof out), 3); /* "thr": no line end, all of it */
    assert_memory_equal(out, "thr", 3);
    debug_write("a line longer than the take\nx", 29);
    assert_int_equal(debug_take_lines(out, 10), 10); /* no line end within 10 bytes */
    assert_memory_equal(out, "a line lon", 10);
    assert_int_equal(debug_take_lines(out, 18), 18); /* one more is pending: cut */
    assert_memory_equal(out, "ger than the take\n", 18);
    assert_int_equal(debug_take_lines(out, sizeof out), 1);
    assert_int_equal(debug_take_lines(out, sizeof out), 0);
    debug_write("x\ny", 3);
    assert_int_equal(debug_take_lines(out, sizeof out), 3); /* all of it fits: all of it */
}

/* Across the ring's wrap the cut is found in the second run too. */
static void test_take_lines_across_the_wrap(void **state)
{
    (void)state;
    empty_ring();
    write_pattern(0, RING_SIZE - 5);
    while (debug_take(out, sizeof out) != 0) {
    }
    debug_write("abc\ndefgh\nij", 12); /* the ring wraps after "abc\nd" */
    assert_int_equal(debug_take_lines(out, 11), 10);
    assert_memory_equal(out, "abc\ndefgh\n", 10);
    assert_int_equal(debug_take_lines(out, sizeof out), 2);
}

/* What the panic tests saw: the synchronous output and, for each call of the panic exit, how
 * much of that output existed and how often arch_halt had run by then. */
static char panic_text[256];
static size_t panic_len;
static uint32_t exit_calls;
static size_t text_at_exit;
static uint32_t halts_at_exit;

static void capture_putc(char c)
{
    if (panic_len + 1 < sizeof panic_text) {
        panic_text[panic_len++] = c;
        panic_text[panic_len] = '\0';
    }
}

static void record_exit(void)
{
    exit_calls++;
    text_at_exit = panic_len;
    halts_at_exit = fake_arch.halts;
}

/* Panic with `exit_failure` as the board's exit (a returning one, as semihosting without a
 * host); returns once arch_halt has run. */
static void panic_with_exit(void (*exit_failure)(void))
{
    jmp_buf halted;
    panic_len = 0;
    exit_calls = 0;
    fake_arch.halts = 0;
    debug_set_panic_putc(capture_putc);
    debug_set_panic_exit(exit_failure);
    if (setjmp(halted) == 0) {
        fake_arch.halt_jmp = &halted;
        kernel_panic("grant entered twice");
    }
    fake_arch.halt_jmp = NULL;
    debug_set_panic_exit(NULL);
    debug_set_panic_putc(NULL);
}

static void test_a_panic_prints_then_exits_then_halts(void **state)
{
    (void)state;
    empty_ring();
    debug_printf("[kernel] still in the ring\n");
    panic_with_exit(record_exit);
    assert_string_equal(panic_text, "[kernel] still in the ring\n"
                                    "\r\n*** kernel panic: grant entered twice\r\n");
    assert_int_equal(exit_calls, 1);
    assert_int_equal(text_at_exit, panic_len); /* after the whole message */
    assert_int_equal(halts_at_exit, 0);
    assert_int_equal(fake_arch.halts, 1); /* the exit returned: the machine still halts */
    assert_int_equal(debug_take(out, sizeof out), 0);
}

static void test_a_panic_without_an_exit_halts(void **state)
{
    (void)state;
    empty_ring();
    panic_with_exit(NULL);
    assert_string_equal(panic_text, "\r\n*** kernel panic: grant entered twice\r\n");
    assert_int_equal(exit_calls, 0);
    assert_int_equal(fake_arch.halts, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printf_output_is_taken_in_order),
        cmocka_unit_test(test_takes_smaller_than_the_data_come_in_order),
        cmocka_unit_test(test_data_across_the_wrap_comes_out_whole),
        cmocka_unit_test(test_a_full_ring_drops_the_newest_bytes_and_counts_them),
        cmocka_unit_test(test_take_of_nothing_returns_zero),
        cmocka_unit_test(test_take_lines_ends_at_the_last_whole_line),
        cmocka_unit_test(test_take_lines_across_the_wrap),
        cmocka_unit_test(test_a_panic_prints_then_exits_then_halts),
        cmocka_unit_test(test_a_panic_without_an_exit_halts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
