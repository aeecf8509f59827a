/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the debug writer (capsules/core/debug_writer.c).
 *
 * The fake kernel debug ring is drained through the real UART mux to a fake UART.
 *
 * Usage: make build/host/debug_writer_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with an empty ring of RING_LEN bytes and a 40-byte
 * writer buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/debug_writer.h"
#include "capsules/virtual_uart.h"
#include "fake_debug.h"
#include "fake_uart.h"
#include "kernel/deferred_call.h"

#define RING_LEN 256u
#define WRITER_LEN 40u

static struct fake_uart hw;
static struct mux_uart mux;
static struct virtual_uart debug_uart;
static struct debug_writer writer;
static uint8_t mux_rx[8];
static uint8_t writer_buf[WRITER_LEN];

static void setup_ring(size_t ring_len)
{
    deferred_call_reset_for_test();
    fake_debug_reset(ring_len);
    fake_uart_init(&hw);
    assert_int_equal(mux_uart_init(&mux, &hw.tx, &hw.rx, mux_rx, sizeof mux_rx), ERR_OK);
    virtual_uart_init(&debug_uart, &mux);
}

static void init_writer(void)
{
    assert_int_equal(debug_writer_init(&writer, &debug_uart.tx, writer_buf, sizeof writer_buf),
                     ERR_OK);
}

static int setup(void **state)
{
    (void)state;
    setup_ring(RING_LEN);
    init_writer();
    return 0;
}

static void run_until_idle(void)
{
    for (;;) {
        if (deferred_call_has_pending()) {
            deferred_call_service();
        } else if (fake_uart_tx_busy(&hw)) {
            fake_uart_complete(&hw);
        } else {
            return;
        }
    }
}

static void test_output_before_init_is_sent_once_the_writer_exists(void **state)
{
    (void)state;
    setup_ring(RING_LEN);
    debug_printf("early %d\n", 1);
    assert_false(fake_uart_tx_busy(&hw));
    init_writer();
    assert_true(fake_uart_tx_busy(&hw));
    run_until_idle();
    assert_string_equal(hw.output, "early 1\n");
}

static void test_text_is_sent_in_buffer_sized_pieces(void **state)
{
    (void)state;
    char line[101];
    for (size_t i = 0; i < 100; i++) {
        line[i] = (char)('a' + i % 26);
    }
    line[100] = '\0';
    debug_write(line, 100);
    assert_int_equal(hw.tx_len, WRITER_LEN);
    fake_uart_complete(&hw);
    assert_int_equal(hw.tx_len, WRITER_LEN);
    fake_uart_complete(&hw);
    assert_int_equal(hw.tx_len, 20);
    fake_uart_complete(&hw);
    assert_false(fake_uart_tx_busy(&hw));
    assert_string_equal(hw.output, line);
    assert_int_equal(fake_debug_pending(), 0);
}

static void test_output_written_while_busy_follows_in_order(void **state)
{
    (void)state;
    debug_printf("one ");
    debug_printf("two ");
    debug_printf("three");
    assert_int_equal(hw.transmit_calls, 1);
    run_until_idle();
    assert_string_equal(hw.output, "one two three");
    assert_int_equal(hw.transmit_calls, 2);
}

static void test_dropped_bytes_are_reported_after_what_preceded_them(void **state)
{
    (void)state;
    setup_ring(16);
    init_writer();
    debug_printf("0123456789");           /* taken at once: the ring is empty again */
    debug_printf("abcdefghijklmnopqrst"); /* 16 fit, 4 dropped */
    run_until_idle();
    assert_string_equal(hw.output, "0123456789abcdefghijklmnop[debug: 4 bytes dropped]\n");
}

static void test_note_waits_until_the_ring_is_drained(void **state)
{
    (void)state;
    setup_ring(100);
    init_writer();
    debug_printf("#");
    char text[121];
    memset(text, 'x', 120);
    text[120] = '\0';
    debug_write(text, 120); /* 100 kept, 20 dropped */
    run_until_idle();
    char expected[160];
    memset(expected, 'x', sizeof expected);
    expected[0] = '#';
    strcpy(expected + 101, "[debug: 20 bytes dropped]\n");
    assert_string_equal(hw.output, expected);
}

static void test_uart_failure_is_counted_as_dropped(void **state)
{
    (void)state;
    hw.next_transmit_result = ERR_FAIL;
    debug_printf("0123456789");
    assert_int_equal(hw.output_len, 0);
    run_until_idle();
    assert_string_equal(hw.output, "[debug: 10 bytes dropped]\n");
}

static void test_partial_transmission_counts_the_rest_as_dropped(void **state)
{
    (void)state;
    debug_printf("0123456789");
    fake_uart_complete_tx_with(&hw, 3, ERR_CANCEL);
    run_until_idle();
    assert_string_equal(hw.output, "012[debug: 7 bytes dropped]\n");
}

static void test_shares_the_uart_with_another_client(void **state)
{
    (void)state;
    static struct virtual_uart other;
    static uint8_t other_text[] = "OTHER";
    virtual_uart_init(&other, &mux);
    debug_printf("debug1 ");
    assert_int_equal(hil_uart_tx_transmit(&other.tx, other_text, 5), ERR_OK);
    debug_printf("debug2");
    run_until_idle();
    /* The writer continues its open line from its callback, so OTHER comes after it. */
    assert_string_equal(hw.output, "debug1 debug2OTHER");
}

/* A client's transmission lands between whole debug lines, never inside one: the writer sends
 * up to the last line end it has, then the rest. */
static void test_another_client_lands_between_whole_lines(void **state)
{
    (void)state;
    static struct virtual_uart other;
    static uint8_t other_text[] = "OTHER\n";
    virtual_uart_init(&other, &mux);
    debug_printf("line one\nline two is long enough to go past the buffer\n");
    assert_int_equal(hw.tx_len, 9); /* "line one\n": the second line does not fit whole */
    assert_int_equal(hil_uart_tx_transmit(&other.tx, other_text, 6), ERR_OK);
    run_until_idle();
    assert_string_equal(hw.output, "line one\nOTHER\nline two is long enough to go past the "
                                   "buffer\n");
}

static void test_init_rejects_a_too_small_buffer(void **state)
{
    (void)state;
    setup_ring(RING_LEN);
    struct debug_writer small;
    assert_int_equal(debug_writer_init(&small, &debug_uart.tx, writer_buf,
                                       DEBUG_WRITER_MIN_BUF_LEN - 1),
                     ERR_SIZE);
    assert_int_equal(debug_writer_init(&small, &debug_uart.tx, NULL, 64), ERR_SIZE);
    debug_printf("no sink");
    assert_int_equal(fake_debug_kicks(), 0);
    assert_false(fake_uart_tx_busy(&hw));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_output_before_init_is_sent_once_the_writer_exists, setup),
        cmocka_unit_test_setup(test_text_is_sent_in_buffer_sized_pieces, setup),
        cmocka_unit_test_setup(test_output_written_while_busy_follows_in_order, setup),
        cmocka_unit_test_setup(test_dropped_bytes_are_reported_after_what_preceded_them, setup),
        cmocka_unit_test_setup(test_note_waits_until_the_ring_is_drained, setup),
        cmocka_unit_test_setup(test_uart_failure_is_counted_as_dropped, setup),
        cmocka_unit_test_setup(test_partial_transmission_counts_the_rest_as_dropped, setup),
        cmocka_unit_test_setup(test_shares_the_uart_with_another_client, setup),
        cmocka_unit_test_setup(test_another_client_lands_between_whole_lines, setup),
        cmocka_unit_test_setup(test_init_rejects_a_too_small_buffer, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
